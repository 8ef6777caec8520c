"""nnlib.exercises.underfitting: each checker accepts the reference, rejects plausible mistakes with
their hint, and says "not answered yet" for the student edition's placeholder."""

import numpy as np
import pytest

from nnlib.exercises import underfitting as ex


def _placeholder(*args):
    raise NotImplementedError  # YOUR CODE HERE


def _sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


# ----------------------------------------------------------------------------- sigmoid backward
def test_sigmoid_backward_accepts_the_reference():
    result = ex.check_sigmoid_backward(lambda dh, a: dh * _sigmoid(a) * (1 - _sigmoid(a)))
    assert result.passed and str(result).startswith("✓")


def _in_place(dh, a):
    s = _sigmoid(a)
    dh *= s * (1 - s)
    return dh


@pytest.mark.parametrize("wrong, hint", [
    (lambda dh, a: dh * _sigmoid(a), "still the bug"),
    (lambda dh, a: dh * (1 - _sigmoid(a)), "1 - s only"),
    (lambda dh, a: dh * a * (1 - a), "instead of to s"),
    (lambda dh, a: _sigmoid(a) * (1 - _sigmoid(a)), "incoming gradient dh"),
    (lambda dh, a: 4 * dh * _sigmoid(a) * (1 - _sigmoid(a)), "at most 1/4"),
    (_in_place, "modified dh in place"),
    (lambda dh, a: (dh * _sigmoid(a) * (1 - _sigmoid(a))).T, "shape"),
])
def test_sigmoid_backward_rejects_mistakes_with_a_hint(wrong, hint):
    result = ex.check_sigmoid_backward(wrong)
    assert not result.passed and hint in str(result), str(result)


# ----------------------------------------------------------------------------- the prediction
def test_prediction_within_a_decade_passes_and_others_fail_with_the_direction():
    assert ex.check_gradient_ratio_prediction(3e16, 4.4e16).passed
    low = ex.check_gradient_ratio_prediction(1e13, 4.4e16)
    high = ex.check_gradient_ratio_prediction(1e19, 4.4e16)
    tiny = ex.check_gradient_ratio_prediction(70.0, 4.4e16)
    assert not low.passed and "too small" in str(low) and "3.6 decades" in str(low)
    assert not high.passed and "too large" in str(high)
    assert not tiny.passed and "too small" in str(tiny)
    assert "positive" in str(ex.check_gradient_ratio_prediction(-1.0, 4.4e16))
    assert "number" in str(ex.check_gradient_ratio_prediction("1e16", 4.4e16))


# ----------------------------------------------------------------------------- gradient stds
def _reference_stds(net, X, y):
    return np.array([np.std(layer.grad_W) for layer in net.trace(X, y)])


def test_gradient_stds_accepts_the_reference():
    assert ex.check_gradient_stds(_reference_stds).passed


def _mutating(net, X, y):
    out = _reference_stds(net, X, y)
    X[0, 0] += 1.0
    return out


@pytest.mark.parametrize("wrong, hint", [
    (lambda net, X, y: _reference_stds(net, X, y) ** 2, "variances"),
    (lambda net, X, y: np.array([np.std(t.grad_pre_activation) for t in net.trace(X, y)]), "dL/da"),
    (lambda net, X, y: _reference_stds(net, X, y)[::-1], "reverse order"),
    (lambda net, X, y: _reference_stds(net, X, y)[:-1], "output layer has a weight matrix"),
    (lambda net, X, y: np.array([np.mean(np.abs(t.grad_W)) for t in net.trace(X, y)]), "mean of |dL/dW|"),
    (lambda net, X, y: np.array([np.std(net.params[f"W{k}"]) for k in range(1, net.n_layers + 1)]), "weights themselves"),
    (lambda net, X, y: _reference_stds(net, X, y)[:, None], "(N,) vs (N, 1)"),
    (_mutating, "modified X"),
])
def test_gradient_stds_rejects_mistakes_with_a_hint(wrong, hint):
    result = ex.check_gradient_stds(wrong)
    assert not result.passed and hint in str(result), str(result)


# ----------------------------------------------------------------------------- dead fraction
def test_dead_fraction_accepts_the_reference():
    assert ex.check_dead_fraction(lambda a: float(np.mean(np.all(a <= 0, axis=0)))).passed


@pytest.mark.parametrize("wrong, hint", [
    (lambda a: float(np.mean(np.all(a < 0, axis=0))), "a <= 0, not a < 0"),
    (lambda a: float(np.mean(np.all(a <= 0, axis=1))), "rows"),
    (lambda a: float(np.mean(np.any(a <= 0, axis=0))), "every"),
    (lambda a: float(np.mean(a <= 0)), "fraction of entries"),
    (lambda a: float(np.sum(np.all(a <= 0, axis=0))), "not their number"),
    (lambda a: float(np.mean(~np.all(a <= 0, axis=0))), "live units"),
    (lambda a: np.maximum(a, 0, out=a).mean(), "modified a"),
])
def test_dead_fraction_rejects_mistakes_with_a_hint(wrong, hint):
    result = ex.check_dead_fraction(wrong)
    assert not result.passed and hint in str(result), str(result)


# ----------------------------------------------------------------------------- placeholders
@pytest.mark.parametrize("check, args", [
    (ex.check_sigmoid_backward, (_placeholder,)),
    (ex.check_gradient_stds, (_placeholder,)),
    (ex.check_dead_fraction, (_placeholder,)),
    (ex.check_gradient_ratio_prediction, (..., 4.4e16)),
    (ex.check_sigmoid_backward, (...,)),
])
def test_placeholders_are_not_answered_yet(check, args):
    result = check(*args)
    assert str(result) == "✗ not answered yet" and not result.answered


def test_messages_never_reveal_the_answer():
    result = ex.check_gradient_ratio_prediction(1e10, 4.4e16)
    assert "s * (1 - s)" not in str(ex.check_sigmoid_backward(lambda dh, a: dh * _sigmoid(a)))
    assert "axis=0" not in str(ex.check_dead_fraction(lambda a: 0.0)) and "\n" not in str(result)

"""nnlib.exercises.tour: each checker accepts the reference, rejects plausible mistakes with a
specific hint, and says "not answered yet" for the student edition's placeholder."""

import numpy as np
import pytest

from nnlib.exercises import tour


def _not_implemented(*args):
    raise NotImplementedError


def _softmax_axis(a, axis):
    z = a - a.max(axis=axis, keepdims=True)
    return np.exp(z) / np.exp(z).sum(axis=axis, keepdims=True)


# ------------------------------------------------------------------ tanh backward
def tanh_ref(dh, a):
    return dh * (1 - np.tanh(a) ** 2)


def test_tanh_backward_accepts_the_reference():
    result = tour.check_tanh_backward(tanh_ref)
    assert result.passed and str(result).startswith("✓")


def _mutating(dh, a):
    a *= 0
    return dh


@pytest.mark.parametrize("wrong, hint", [
    (lambda dh, a: dh * (1 - a**2), "1 - h**2 with h = tanh(a)"),
    (lambda dh, a: dh * (1 - np.tanh(a)), "square is missing"),
    (lambda dh, a: 1 - np.tanh(a) ** 2, "multiply it by the incoming gradient"),
    (lambda dh, a: dh * np.tanh(a) * (1 - np.tanh(a)), "sigmoid"),
    (lambda dh, a: tanh_ref(dh, a).reshape(-1), "shape"),
    (_mutating, "modified a in place"),
])
def test_tanh_backward_rejects_mistakes_with_a_hint(wrong, hint):
    result = tour.check_tanh_backward(wrong)
    assert not result.passed and hint in result.message, result.message


def test_tanh_backward_placeholder():
    assert str(tour.check_tanh_backward(_not_implemented)) == "✗ not answered yet"
    assert str(tour.check_tanh_backward(...)) == "✗ not answered yet"


# ------------------------------------------------------------------ softmax + NLL
def nll_ref(a, y):
    p = _softmax_axis(a, 1)
    p[np.arange(len(y)), y] -= 1
    return p / len(y)


def test_softmax_nll_grad_accepts_the_reference():
    assert tour.check_softmax_nll_grad(nll_ref).passed


def _unstable(a, y):
    p = np.exp(a) / np.exp(a).sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1
    return p / len(y)


def _in_place(a, y):
    a -= a.max(axis=1, keepdims=True)
    return nll_ref(a, y)


@pytest.mark.parametrize("wrong, hint", [
    (lambda a, y: (_softmax_axis(a, 0) - np.eye(a.shape[1])[y]) / len(y), "normalized over the batch"),
    (lambda a, y: nll_ref(a, y) * len(y), "divide by N"),
    (lambda a, y: -nll_ref(a, y), "sign is flipped"),
    (lambda a, y: _softmax_axis(a, 1) / len(y), "subtract the one-hot"),
    (_unstable, "subtract each row's maximum"),
    (_in_place, "modified a"),
])
def test_softmax_nll_grad_rejects_mistakes_with_a_hint(wrong, hint):
    result = tour.check_softmax_nll_grad(wrong)
    assert not result.passed and hint in result.message, result.message


def test_softmax_nll_grad_placeholder():
    assert str(tour.check_softmax_nll_grad(_not_implemented)) == "✗ not answered yet"


# ------------------------------------------------------------------ momentum step
def momentum_ref(w, v, grad, lr, beta):
    v_new = beta * v + grad
    return w - lr * v_new, v_new


def test_momentum_step_accepts_the_reference():
    assert tour.check_momentum_step(momentum_ref).passed


def _momentum_in_place(w, v, grad, lr, beta):
    v *= beta
    v += grad
    return w - lr * v, v


@pytest.mark.parametrize("wrong, hint", [
    (lambda w, v, g, lr, b: (w - lr * (b * v + (1 - b) * g), b * v + (1 - b) * g), "Adam's averaged form"),
    (lambda w, v, g, lr, b: (w - lr * v, b * v + g), "old velocity"),
    (lambda w, v, g, lr, b: (w + lr * (b * v + g), b * v + g), "uphill"),
    (lambda w, v, g, lr, b: (w - lr * g, b * v + g), "plain gradient step"),
    (lambda w, v, g, lr, b: w - lr * (b * v + g), "pair"),
    (_momentum_in_place, "modified v"),
])
def test_momentum_step_rejects_mistakes_with_a_hint(wrong, hint):
    result = tour.check_momentum_step(wrong)
    assert not result.passed and hint in result.message, result.message


def test_momentum_step_placeholder():
    assert str(tour.check_momentum_step(_not_implemented)) == "✗ not answered yet"


# ------------------------------------------------------------------ prediction
def test_steps_prediction():
    assert tour.check_steps_prediction(30_000, 34_539).passed
    assert str(tour.check_steps_prediction(..., 34_539)) == "✗ not answered yet"
    low = tour.check_steps_prediction(3_460, 34_539)          # sqrt(kappa) thinking
    assert not low.passed and "grows like κ" in low.message and "34539" in low.message
    high = tour.check_steps_prediction(3_460_000, 34_539)     # kappa squared
    assert not high.passed and "too many" in high.message
    assert "positive" in tour.check_steps_prediction(-5, 34_539).message
    assert "number" in tour.check_steps_prediction("many", 34_539).message

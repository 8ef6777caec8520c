"""nnlib.exercises.batchnorm: each checker accepts the reference, names the common mistakes,
and says "not answered yet" for the student edition's placeholder."""

import numpy as np
import pytest

from nnlib.exercises import batchnorm as ex


# ---------------------------------------------------------------- reference answers
def forward_ok(a, gamma, beta, eps):
    mu = a.mean(axis=0)
    var = a.var(axis=0)
    return gamma * (a - mu) / np.sqrt(var + eps) + beta


def backward_ok(dout, a_hat, gamma, inv_std):
    dbeta = dout.sum(axis=0)
    dgamma = (dout * a_hat).sum(axis=0)
    da = gamma * inv_std * (dout - dout.mean(axis=0) - a_hat * (dout * a_hat).mean(axis=0))
    return da, dgamma, dbeta


def running_ok(running_mean, running_var, a, momentum):
    n = len(a)
    return ((1 - momentum) * running_mean + momentum * a.mean(axis=0),
            (1 - momentum) * running_var + momentum * a.var(axis=0) * n / (n - 1))


def placeholder(*args):
    raise NotImplementedError  # YOUR CODE HERE


def assert_fails(result, hint):
    assert not result.passed and result.answered, str(result)
    assert hint in result.message, str(result)
    assert str(result).startswith("✗")


# ---------------------------------------------------------------- forward
def test_forward_accepts_the_reference():
    result = ex.check_batchnorm_forward(forward_ok)
    assert result.passed and str(result).startswith("✓"), str(result)


@pytest.mark.parametrize("wrong, hint", [
    (lambda a, g, b, eps: g * (a - a.mean(0)) / np.sqrt(a.var(0, ddof=1) + eps) + b, "biased one"),
    (lambda a, g, b, eps: g * (a - a.mean(0)) / (a.var(0) + eps) + b, "not by the variance"),
    (lambda a, g, b, eps: g * (a - a.mean(0)) / (a.std(0) + eps) + b, "inside the square root"),
    (lambda a, g, b, eps: g * (a - a.mean(0)) / a.std(0) + b, "forgot eps"),
    (lambda a, g, b, eps: g * (a - a.mean(1, keepdims=True)) / np.sqrt(a.var(1, keepdims=True) + eps) + b, "per column"),
    (lambda a, g, b, eps: (a - a.mean(0)) / np.sqrt(a.var(0) + eps), "not yet scaled and shifted"),
    (lambda a, g, b, eps: ((a - a.mean(0)) / np.sqrt(a.var(0) + eps) + b) * g, "scale first"),
    (lambda a, g, b, eps: forward_ok(a, g, b, eps)[:, :1], "shape"),
])
def test_forward_names_the_mistake(wrong, hint):
    assert_fails(ex.check_batchnorm_forward(wrong), hint)


def test_forward_rejects_a_function_that_modifies_its_input():
    def in_place(a, gamma, beta, eps):
        a -= a.mean(axis=0)
        a /= np.sqrt(a.var(axis=0) + eps)
        return gamma * a + beta

    assert_fails(ex.check_batchnorm_forward(in_place), "modified a in place")


# ---------------------------------------------------------------- backward
def test_backward_accepts_the_reference():
    result = ex.check_batchnorm_backward(backward_ok)
    assert result.passed and "central differences" in result.message, str(result)


def _wrong_da(da_of):
    def backward(dout, a_hat, gamma, inv_std):
        _, dgamma, dbeta = backward_ok(dout, a_hat, gamma, inv_std)
        return da_of(dout, a_hat, gamma, inv_std), dgamma, dbeta
    return backward


@pytest.mark.parametrize("wrong, hint", [
    (_wrong_da(lambda g, ah, gm, s: gm * s * g), "evaluation-mode gradient"),
    (_wrong_da(lambda g, ah, gm, s: gm * s * (g - ah * (g * ah).mean(0))), "subtract the batch mean of dout"),
    (_wrong_da(lambda g, ah, gm, s: gm * s * (g - g.mean(0))), "a_hat times the batch mean"),
    (_wrong_da(lambda g, ah, gm, s: s * (g - g.mean(0) - ah * (g * ah).mean(0))), "gamma included"),
    (_wrong_da(lambda g, ah, gm, s: gm * s * (g - g.sum(0) - ah * (g * ah).sum(0))), "means over the batch"),
    (_wrong_da(lambda g, ah, gm, s: gm * s * (g - g.mean(0) + ah * (g * ah).mean(0))), "signs"),
    (lambda g, ah, gm, s: (backward_ok(g, ah, gm, s)[0], g.sum(0), (g * ah).sum(0)), "swapped"),
    (lambda g, ah, gm, s: (backward_ok(g, ah, gm, s)[0], (g * ah).mean(0), g.mean(0)), "sums over the batch"),
    (lambda g, ah, gm, s: backward_ok(g, ah, gm, s)[:2], "three arrays"),
])
def test_backward_names_the_mistake(wrong, hint):
    assert_fails(ex.check_batchnorm_backward(wrong), hint)


def test_backward_rejects_a_function_that_modifies_dout():
    def in_place(dout, a_hat, gamma, inv_std):
        da, dgamma, dbeta = backward_ok(dout, a_hat, gamma, inv_std)
        dout *= 0
        return da, dgamma, dbeta

    assert_fails(ex.check_batchnorm_backward(in_place), "modified dout in place")


# ---------------------------------------------------------------- running statistics (find the bug)
def test_running_update_accepts_the_reference():
    result = ex.check_running_update(running_ok)
    assert result.passed, str(result)


@pytest.mark.parametrize("wrong, hint", [
    (lambda m0, v0, a, m: ((1 - m) * m0 + m * a.mean(0), (1 - m) * v0 + m * a.var(0)), "unbiased batch variance"),
    (lambda m0, v0, a, m: (m * m0 + (1 - m) * a.mean(0), m * v0 + (1 - m) * a.var(0, ddof=1)), "wrong way round"),
    (lambda m0, v0, a, m: ((1 - m) * m0 + m * a.mean(0), m * v0 + (1 - m) * a.var(0, ddof=1)), "wrong way round"),
    (lambda m0, v0, a, m: ((1 - m) * m0 + m * a.mean(0), (1 - m) * v0 + m * a.std(0, ddof=1)), "not a standard deviation"),
    (lambda m0, v0, a, m: running_ok(m0, v0, a, m)[0], "two arrays"),
])
def test_running_update_names_the_mistake(wrong, hint):
    assert_fails(ex.check_running_update(wrong), hint)


def test_running_update_rejects_an_in_place_update():
    def in_place(running_mean, running_var, a, momentum):
        new_mean, new_var = running_ok(running_mean, running_var, a, momentum)
        running_mean[:] = new_mean
        return new_mean, new_var

    assert_fails(ex.check_running_update(in_place), "modified running_mean in place")


# ---------------------------------------------------------------- prediction
def test_prediction_within_tolerance_passes_and_explains():
    result = ex.check_batch_statistics_prediction(0.6, 0.65)
    assert result.passed and "0.65" in result.message


@pytest.mark.parametrize("guess, hint", [(0.99, "lower than your 0.99"), (0.2, "higher than your 0.2"),
                                         (60, "between 0 and 1"), ("0.6", "should be a number")])
def test_prediction_outside_tolerance_says_so(guess, hint):
    assert_fails(ex.check_batch_statistics_prediction(guess, 0.65), hint)


# ---------------------------------------------------------------- the student edition's placeholders
@pytest.mark.parametrize("check", [ex.check_batchnorm_forward, ex.check_batchnorm_backward, ex.check_running_update])
def test_placeholder_function_is_not_answered_yet(check):
    result = check(placeholder)
    assert not result.passed and not result.answered and str(result) == "✗ not answered yet"


def test_placeholder_prediction_is_not_answered_yet():
    assert str(ex.check_batch_statistics_prediction(..., 0.65)) == "✗ not answered yet"


def test_messages_are_deterministic_and_never_contain_code():
    results = [ex.check_batchnorm_forward(forward_ok) for _ in range(3)]
    assert len({str(r) for r in results}) == 1
    for r in (ex.check_batchnorm_backward(_wrong_da(lambda g, ah, gm, s: gm * s * g)),
              ex.check_running_update(lambda m0, v0, a, m: ((1 - m) * m0 + m * a.mean(0), (1 - m) * v0 + m * a.var(0)))):
        assert "np." not in r.message and "mean(axis" not in r.message

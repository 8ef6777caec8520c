"""nnlib.exercises.overfitting: each checker accepts the reference answer, rejects the common
mistakes with their specific hint, and says "not answered yet" for the student edition's placeholder."""

import numpy as np
import pytest

from nnlib.exercises import overfitting

NOT_ANSWERED = "✗ not answered yet"


def placeholder(*args):
    raise NotImplementedError  # YOUR CODE HERE


def assert_fails(result, hint):
    assert not result.passed and str(result).startswith("✗"), str(result)
    assert hint in result.message, result.message


# ----------------------------------------------------------------------------- bias and variance
def bias2_and_variance(predictions, target):
    mean_fit = predictions.mean(axis=0)
    return float(np.mean((mean_fit - target) ** 2)), float(np.mean((predictions - mean_fit) ** 2))


def test_bias_variance_accepts_the_reference():
    result = overfitting.check_bias_variance(bias2_and_variance)
    assert result.passed and str(result).startswith("✓"), str(result)


@pytest.mark.parametrize("wrong, hint", [
    (lambda p, t: (float(np.mean((p - t) ** 2)), bias2_and_variance(p, t)[1]), "bias² + variance"),
    (lambda p, t: (float(np.mean(p.mean(axis=0) - t) ** 2), bias2_and_variance(p, t)[1]), "square each point's bias"),
    (lambda p, t: (float(np.mean((p.mean(axis=1) - t.mean()) ** 2)), bias2_and_variance(p, t)[1]), "wrong axis"),
    (lambda p, t: (bias2_and_variance(p, t)[0], float(p.std(axis=0).mean())), "standard deviation"),
    (lambda p, t: (bias2_and_variance(p, t)[0], float(p.var(axis=0, ddof=1).mean())), "R - 1"),
    (lambda p, t: (bias2_and_variance(p, t)[0], float(p.var(axis=1).mean())), "between fits"),
    (lambda p, t: (bias2_and_variance(p, t)[0], float(np.mean((p - t) ** 2))), "around the truth"),
    (lambda p, t: bias2_and_variance(p, t)[0], "two numbers"),
])
def test_bias_variance_rejects_common_mistakes(wrong, hint):
    assert_fails(overfitting.check_bias_variance(wrong), hint)


def test_bias_variance_rejects_a_mutated_input():
    def centring(predictions, target):
        result = bias2_and_variance(predictions, target)
        predictions -= predictions.mean(axis=0)
        return result

    assert_fails(overfitting.check_bias_variance(centring), "modified predictions")


def test_bias_variance_placeholder_is_not_answered():
    assert str(overfitting.check_bias_variance(placeholder)) == NOT_ANSWERED
    assert str(overfitting.check_bias_variance(...)) == NOT_ANSWERED


# ----------------------------------------------------------------------------- prediction
def test_larger_validation_error_prediction():
    right = overfitting.check_larger_validation_error(11, 0.44, 74.5)
    assert right.passed and "degree 11" in right.message and "74.5" not in right.message
    wrong = overfitting.check_larger_validation_error(1, 0.44, 74.5)
    assert not wrong.passed and "measured" in wrong.message  # a wrong guess shows the measurement
    assert_fails(overfitting.check_larger_validation_error(5, 0.44, 74.5), "1 or 11")
    assert_fails(overfitting.check_larger_validation_error("11", 0.44, 74.5), "number")
    assert str(overfitting.check_larger_validation_error(..., 0.44, 74.5)) == NOT_ANSWERED
    # the measurement decides, not a fixed answer
    assert overfitting.check_larger_validation_error(1, 3.0, 0.5).passed


# ----------------------------------------------------------------------------- early stopping
def stop_step(val_loss, patience):
    best, best_step = val_loss[0], 1
    for t in range(2, len(val_loss) + 1):
        if val_loss[t - 1] < best:
            best, best_step = val_loss[t - 1], t
        elif t - best_step >= patience:
            return best_step, t
    return best_step, len(val_loss)


def stop_step_with(improves, runs_out, base=1):
    def variant(val_loss, patience):
        best, best_step = val_loss[0], 1
        for t in range(2, len(val_loss) + 1):
            if improves(val_loss[t - 1], best):
                best, best_step = val_loss[t - 1], t
            elif runs_out(t - best_step, patience):
                return best_step - 1 + base, t - 1 + base
        return best_step - 1 + base, len(val_loss) - 1 + base
    return variant


def test_stop_step_accepts_the_reference():
    for _ in range(5):  # fresh random curves every call
        result = overfitting.check_stop_step(stop_step)
        assert result.passed and str(result).startswith("✓"), str(result)


@pytest.mark.parametrize("wrong, hint", [
    (stop_step_with(lambda v, b: v < b, lambda wait, p: wait >= p, base=0), "0-based"),
    (stop_step_with(lambda v, b: v < b, lambda wait, p: wait > p), "one step late"),
    (stop_step_with(lambda v, b: v <= b, lambda wait, p: wait >= p), "plateau"),
    (lambda v, p: (int(np.argmin(v)) + 1, len(v)), "never stops"),
    (lambda v, p: 3, "two ints"),
])
def test_stop_step_rejects_common_mistakes(wrong, hint):
    for _ in range(5):
        assert_fails(overfitting.check_stop_step(wrong), hint)


def test_stop_step_rejects_a_mutated_input():
    def sorting(val_loss, patience):
        result = stop_step(val_loss, patience)
        val_loss.sort()
        return result

    assert_fails(overfitting.check_stop_step(sorting), "modified val_loss")


def test_stop_step_placeholder_is_not_answered():
    assert str(overfitting.check_stop_step(placeholder)) == NOT_ANSWERED


# ----------------------------------------------------------------------------- L2 penalty
def l2_penalty(params, lam):
    value = lam * sum(np.sum(p ** 2) for k, p in params.items() if k.startswith("W"))
    grads = {k: 2 * lam * p if k.startswith("W") else np.zeros_like(p) for k, p in params.items()}
    return float(value), grads


def l2_penalty_buggy(params, lam):  # the notebook's broken version: both bugs
    return lam * sum(np.sum(p ** 2) for p in params.values()), {k: lam * p for k, p in params.items()}


def test_l2_penalty_accepts_the_reference():
    result = overfitting.check_l2_penalty(l2_penalty)
    assert result.passed and str(result).startswith("✓"), str(result)


def with_grads(make):
    return lambda params, lam: (l2_penalty(params, lam)[0], {k: make(k, p, lam) for k, p in params.items()})


@pytest.mark.parametrize("wrong, hint", [
    (l2_penalty_buggy, "also counts the biases"),
    (with_grads(lambda k, p, lam: lam * p if k.startswith("W") else 0 * p), "factor 2"),
    (with_grads(lambda k, p, lam: 2 * lam * p), "biases are not penalized"),
    (with_grads(lambda k, p, lam: lam * np.sign(p) if k.startswith("W") else 0 * p), "L1"),
    (with_grads(lambda k, p, lam: 2 * p if k.startswith("W") else 0 * p), "not multiplied by λ"),
    (lambda params, lam: (l2_penalty(params, lam)[0] / 2, l2_penalty(params, lam)[1]), "1/2"),
    (lambda params, lam: (l2_penalty(params, lam)[0],
                          {k: g for k, g in l2_penalty(params, lam)[1].items() if k.startswith("W")}), "no entry"),
    (lambda params, lam: (l2_penalty(params, lam)[0],
                          {k: g.ravel() for k, g in l2_penalty(params, lam)[1].items()}), "shape"),
])
def test_l2_penalty_rejects_common_mistakes(wrong, hint):
    assert_fails(overfitting.check_l2_penalty(wrong), hint)


def test_l2_penalty_rejects_a_mutated_input():
    def decaying(params, lam):
        result = l2_penalty(params, lam)
        for k in params:
            params[k] *= 0.9
        return result

    assert_fails(overfitting.check_l2_penalty(decaying), "modified params")


def test_l2_penalty_placeholder_is_not_answered():
    assert str(overfitting.check_l2_penalty(placeholder)) == NOT_ANSWERED


def test_messages_never_contain_the_answer():
    # the checkers' texts name mistakes, not solutions: no "2 * lam", no formula code
    for result in (overfitting.check_l2_penalty(l2_penalty_buggy), overfitting.check_stop_step(lambda v, p: (1, 1)),
                   overfitting.check_bias_variance(lambda p, t: (0.0, 0.0))):
        assert "2 * lam" not in result.message and "mean(axis=0)" not in result.message

r"""Checkers of notebook 06's exercises: batch normalization forward and backward, the running
statistics, and a prediction about evaluating with batch statistics.

Each checker tests the student's answer on fresh random cases (unseeded draws; the messages are
fixed text) against :mod:`nnlib.layers`, and names the common mistake it recognizes:

- :func:`check_batchnorm_forward` -- ``batchnorm_forward(a, gamma, beta, eps)`` in training mode;
- :func:`check_batchnorm_backward` -- ``batchnorm_backward(dout, a_hat, gamma, inv_std)``, also
  checked against central differences;
- :func:`check_running_update` -- ``running_update(running_mean, running_var, a, momentum)``;
- :func:`check_batch_statistics_prediction` -- a predicted accuracy against the measured one.
"""

import numpy as np

from ..gradcheck import numerical_gradient, relative_error
from ..layers import batchnorm_backward, batchnorm_forward, batchnorm_running
from .checking import Mistake, array, call, diagnose, exercise, number, unchanged

EPS = 1e-5


def _case(rng, n=None, h=None):
    """A batch of pre-activations with columns of very different means and scales, one of them
    tiny (variance ~ eps, so that a forgotten or misplaced eps shows), and gamma, beta."""
    n = n or int(rng.integers(6, 12))
    h = h or int(rng.integers(3, 6))
    scales = 10.0 ** rng.uniform(-1, 1.5, h)
    scales[0] = 3e-3
    a = rng.standard_normal((n, h)) * scales + rng.uniform(-5, 5, h)
    gamma = rng.uniform(0.5, 2.0, h) * rng.choice([-1, 1], h)
    beta = rng.uniform(-2, 2, h)
    return a, gamma, beta


@exercise
def check_batchnorm_forward(batchnorm_forward_fn):
    """``batchnorm_forward_fn(a, gamma, beta, eps)`` -> ``out`` (N, H): training-mode batch norm."""
    rng = np.random.default_rng()
    for _ in range(3):
        a, gamma, beta = _case(rng)
        a0 = a.copy()
        out = array(call(batchnorm_forward_fn, a, gamma, beta, EPS, name="batchnorm_forward"), a.shape,
                    "the output")
        unchanged(a0, a, "a")
        expected = batchnorm_forward(a, gamma, beta, eps=EPS)[0]
        mu, var = a.mean(axis=0), a.var(axis=0)
        centred = a - mu
        diagnose(out, expected, {
            "the variance over the batch is the biased one (divide by N, np.var's default), not N - 1":
                centred / np.sqrt(a.var(axis=0, ddof=1) + EPS) * gamma + beta,
            "divide by the standard deviation sqrt(var + eps), not by the variance":
                centred / (var + EPS) * gamma + beta,
            "eps goes inside the square root: sqrt(var + eps), not sqrt(var) + eps":
                centred / (np.sqrt(var) + EPS) * gamma + beta,
            "you forgot eps: sqrt(var + eps) keeps a column of nearly constant values finite":
                centred / np.sqrt(var) * gamma + beta,
            "the statistics are per column (axis=0, over the batch), not per row":
                (a - a.mean(axis=1, keepdims=True)) / np.sqrt(a.var(axis=1, keepdims=True) + EPS) * gamma + beta,
            "the normalized values are not yet scaled and shifted by gamma and beta":
                centred / np.sqrt(var + EPS),
            "scale first, then shift (in the order of the formula above)":
                (centred / np.sqrt(var + EPS) + beta) * gamma,
        }, rtol=1e-7, atol=1e-9)
    return "batchnorm_forward normalizes each column with the batch's mean and biased variance, then scales and shifts"


@exercise
def check_batchnorm_backward(batchnorm_backward_fn):
    """``batchnorm_backward_fn(dout, a_hat, gamma, inv_std)`` -> ``(da, dgamma, dbeta)``, training mode."""
    rng = np.random.default_rng()
    for _ in range(3):
        a, gamma, beta = _case(rng)
        n, h = a.shape
        dout = rng.standard_normal((n, h))
        _, cache = batchnorm_forward(a, gamma, beta, eps=EPS)
        a_hat, inv_std = cache["a_hat"], cache["inv_std"]
        saved = [x.copy() for x in (dout, a_hat, gamma, inv_std)]
        result = call(batchnorm_backward_fn, dout, a_hat, gamma, inv_std, name="batchnorm_backward")
        if not (isinstance(result, (tuple, list)) and len(result) == 3):
            raise Mistake("batchnorm_backward should return three arrays: (da, dgamma, dbeta)")
        for before, after, name in zip(saved, (dout, a_hat, gamma, inv_std), ("dout", "a_hat", "gamma", "inv_std")):
            unchanged(before, after, name)
        da = array(result[0], (n, h), "da")
        dgamma = array(result[1], (h,), "dgamma")
        dbeta = array(result[2], (h,), "dbeta")
        ref_da, ref_dgamma, ref_dbeta = batchnorm_backward(dout, cache)
        diagnose(np.concatenate([dgamma, dbeta]), np.concatenate([ref_dgamma, ref_dbeta]), {
            "dgamma and dbeta are swapped": np.concatenate([ref_dbeta, ref_dgamma]),
            "dgamma and dbeta are sums over the batch (axis=0), not means": np.concatenate([ref_dgamma, ref_dbeta]) / n,
        }, rtol=1e-7, atol=1e-10)
        g_mean, ga_mean = dout.mean(axis=0), (dout * a_hat).mean(axis=0)
        s = gamma * inv_std
        diagnose(da, ref_da, {
            "that is the evaluation-mode gradient: in training mode the batch mean and variance depend "
            "on every row too, which adds two more terms": dout * s,
            "one term is missing: subtract the batch mean of dout": (dout - a_hat * ga_mean) * s,
            "one term is missing: subtract a_hat times the batch mean of dout * a_hat": (dout - g_mean) * s,
            "the whole bracket is multiplied by gamma / sqrt(var + eps), gamma included": (dout - g_mean - a_hat * ga_mean) * inv_std,
            "the three terms use means over the batch (divide the sums by N)":
                (dout - dout.sum(axis=0) - a_hat * (dout * a_hat).sum(axis=0)) * s,
            "check the signs: both batch terms are subtracted": (dout - g_mean + a_hat * ga_mean) * s,
        }, rtol=1e-7, atol=1e-10)
    # the formula is the derivative: central differences of sum(out * dout) with respect to a
    a, gamma, beta = _case(rng, n=5, h=3)
    dout = rng.standard_normal(a.shape)
    _, cache = batchnorm_forward(a, gamma, beta, eps=EPS)
    result = call(batchnorm_backward_fn, dout, cache["a_hat"], gamma, cache["inv_std"], name="batchnorm_backward")
    da = array(result[0], a.shape, "da")
    numeric = numerical_gradient(lambda v: float((batchnorm_forward(v, gamma, beta, eps=EPS)[0] * dout).sum()), a)
    error = relative_error(da, numeric)
    if not error < 1e-5:
        raise Mistake(f"da disagrees with central differences (relative error {error:.2g})")
    return "batchnorm_backward agrees with nnlib and with central differences on fresh random batches"


@exercise
def check_running_update(running_update_fn):
    """``running_update_fn(running_mean, running_var, a, momentum)`` -> new ``(mean, var)``, as
    ``torch.nn.BatchNorm1d``: momentum weights the new batch, the batch variance is unbiased."""
    rng = np.random.default_rng()
    for _ in range(3):
        a, _, _ = _case(rng)
        n, h = a.shape
        mean0, var0 = rng.standard_normal(h), rng.uniform(0.5, 2.0, h)
        m = float(rng.choice([0.1, 0.2, 0.3]))
        saved = (mean0.copy(), var0.copy(), a.copy())
        result = call(running_update_fn, mean0, var0, a, m, name="running_update")
        if not (isinstance(result, (tuple, list)) and len(result) == 2):
            raise Mistake("running_update should return two arrays: (new_mean, new_var)")
        for before, after, name in zip(saved, (mean0, var0, a), ("running_mean", "running_var", "a")):
            unchanged(before, after, name)
        new_mean, new_var = array(result[0], (h,), "the new mean"), array(result[1], (h,), "the new variance")
        _, cache = batchnorm_forward(a, np.ones(h), np.zeros(h), eps=EPS)
        ref_mean, ref_var = batchnorm_running(mean0, var0, cache, momentum=m)
        mu, biased, unbiased = a.mean(axis=0), a.var(axis=0), a.var(axis=0, ddof=1)
        diagnose(new_mean, ref_mean, {
            "momentum the wrong way round: m is the weight of the *new* batch, 1 - m that of the running value": m * mean0 + (1 - m) * mu,
        }, rtol=1e-9, atol=1e-12)
        diagnose(new_var, ref_var, {
            "the running variance uses the unbiased batch variance, N / (N - 1) times the biased one":
                (1 - m) * var0 + m * biased,
            "momentum the wrong way round: m is the weight of the *new* batch, 1 - m that of the running value": m * var0 + (1 - m) * unbiased,
            "keep a running *variance*, not a standard deviation": (1 - m) * var0 + m * np.sqrt(unbiased),
        }, rtol=1e-9, atol=1e-12)
    return "running_update follows torch.nn.BatchNorm1d: momentum on the new batch, unbiased variance"


@exercise
def check_batch_statistics_prediction(predicted_accuracy, measured_accuracy, tolerance=0.1):
    """Was the predicted accuracy (a number in [0, 1]) within ``tolerance`` of the measured one?"""
    predicted = number(predicted_accuracy, "predicted_accuracy")
    measured = number(measured_accuracy, "measured_accuracy")
    if not 0.0 <= predicted <= 1.0:
        raise Mistake(f"predicted_accuracy is a fraction between 0 and 1, got {predicted:.3g}")
    if abs(predicted - measured) > tolerance:
        direction = "lower" if measured < predicted else "higher"
        raise Mistake(f"measured {measured:.3g}, {direction} than your {predicted:.3g}: with batch statistics "
                      "every unit is re-centred on this one class, so the class evidence is largely removed")
    return (f"measured {measured:.3g}, within {tolerance:.2g} of your {predicted:.3g}: re-centring on a one-class "
            "batch removes most of what told the classes apart")

"""Layers as forward/backward pairs (the cs231n pattern).

``*_forward(...) -> (out, cache)`` computes a layer and remembers what its backward needs;
``*_backward(dout, cache) -> grads`` turns the gradient of the loss with respect to the
layer's output into gradients with respect to its inputs and parameters.

Shapes: N samples, D inputs, H outputs. ``X`` is (N, D), ``W`` is (D, H), ``b`` is (H,).
No function modifies its arguments.

Every function checks its arguments (shapes, finite values, parameters) unless it is called
with ``check=False``: :class:`nnlib.MLP` does that, because it checked its data once and its
own parameters are already the right shapes.
"""

import numpy as np

from . import activations
from .validation import as_float_array, check_bool, check_real, check_rng, check_same_shape


def _check_dense(X, W, b):
    X = as_float_array(X, "X", ndim=2, dtype=None)
    W = as_float_array(W, "W", ndim=2, dtype=None)
    if X.shape[1] != W.shape[0]:
        raise ValueError(f"X has {X.shape[1]} columns but W has {W.shape[0]} rows (W is (fan_in, fan_out)): "
                         f"shapes {X.shape} and {W.shape}")
    if b is None:
        return X, W, b
    b = as_float_array(b, "b", ndim=1, dtype=None)
    if b.shape != (W.shape[1],):
        raise ValueError(f"b must have shape ({W.shape[1]},), one entry per column of W, got {b.shape}")
    return X, W, b


def dense_forward(X, W, b, check=True):
    """Affine layer ``a = X @ W + b``.  Returns ``a`` (N, H) and the cache ``(X, W)``.

    ``b=None`` leaves the bias out (a layer followed by batch normalization needs none).
    """
    if check:
        X, W, b = _check_dense(X, W, b)
    a = X @ W
    if b is not None:
        a += b
    return a, (X, W)


def dense_backward(da, cache, need_dX=True, check=True):
    """Gradients of the affine layer.

    da : (N, H) -- dL/da;  cache : ``(X, W)`` from :func:`dense_forward`.  Returns ``dX`` (N, D)
    (None when ``need_dX`` is False, as for the first layer, whose input is data), ``dW`` (D, H)
    and ``db`` (H,).
    """
    X, W = cache
    if check:
        da = as_float_array(da, "da", ndim=2, dtype=None)
        check_bool(need_dX, "need_dX")
        if da.shape != (X.shape[0], W.shape[1]):
            raise ValueError(f"da must have shape {(X.shape[0], W.shape[1])} (N, H) like the layer's output, "
                             f"got {da.shape}")
    dW = X.T @ da
    db = da.sum(axis=0)
    dX = da @ W.T if need_dX else None
    return dX, dW, db


def activation_forward(a, activation, check=True):
    """``h = g(a)`` for an activation (a name or :class:`nnlib.activations.Activation`); cache ``(a, h)``."""
    if check:
        activation = activations.get(activation)
        a = as_float_array(a, "a", ndim=range(1, 33), dtype=None)
    h = activation.forward(a)
    return h, (a, h)


def activation_backward(dh, cache, activation, check=True):
    """``dL/da = dL/dh * g'(a)``."""
    a, h = cache
    if check:
        activation = activations.get(activation)
        dh = as_float_array(dh, "dh", ndim=range(1, 33), dtype=None)
        check_same_shape(a, dh, "the cached a", "dh")
    return dh * activation.derivative(a, h)


def dropout_forward(rng, h, p, check=True):
    """Inverted dropout: zero each unit with probability ``p``, scale survivors by 1/(1-p).

    rng : np.random.Generator or int seed (first, as in every nnlib function that draws);
    h : (N, H);  p : float in [0, 1), the probability of *dropping* a unit (keep 1 - p).
    The expected output equals ``h``, so nothing changes at test time (no dropout there).
    Returns the dropped-out ``h`` and the cache ``mask`` (N, H) of 0 or 1/(1-p).
    """
    if check:
        rng = check_rng(rng)
        h = as_float_array(h, "h", ndim=range(1, 33), dtype=None)
        p = check_real(p, "p", minimum=0.0, maximum=1.0, max_inclusive=False)
    mask = (rng.random(h.shape) >= p).astype(h.dtype)
    mask /= 1.0 - p
    return h * mask, mask


def dropout_backward(dout, mask, check=True):
    """Gradient flows only through the kept units, with the same 1/(1-p) scale."""
    if check:
        dout = as_float_array(dout, "dout", ndim=range(1, 33), dtype=None)
        check_same_shape(mask, dout, "mask", "dout")
    return dout * mask


def batchnorm_forward(a, gamma, beta, running=None, eps=1e-5, check=True):
    r"""Batch normalization (Ioffe & Szegedy, 2015) of pre-activations, one feature per column.

    Training mode (``running=None``) uses the statistics of this batch,

    .. math:: \mu = \tfrac1N \textstyle\sum_t a_t, \quad \sigma^2 = \tfrac1N \textstyle\sum_t (a_t - \mu)^2
              \ \text{(biased)}, \quad \hat a = \frac{a - \mu}{\sqrt{\sigma^2 + \epsilon}}, \quad
              \text{out} = \gamma \odot \hat a + \beta;

    evaluation mode (``running=(mean, var)``) uses those fixed statistics instead, so that a
    sample's output does not depend on the others in its batch.

    Parameters
    ----------
    a : (N, H) -- pre-activations;  gamma, beta : (H,) -- scale and shift (learned).
    running : None, or ``(mean, var)``, two (H,) arrays -- evaluation mode.
    eps : float > 0 -- :math:`\epsilon` (1e-5, as ``torch.nn.BatchNorm1d``).

    Returns
    -------
    out : (N, H);  cache : a dict with ``a_hat`` (N, H), ``gamma`` (H,), ``inv_std`` (H,)
    :math:`= 1/\sqrt{\sigma^2 + \epsilon}`, ``mean``, ``var`` (H,) the statistics used, ``n`` and
    ``training``. :func:`batchnorm_running` turns a training-mode cache into new running statistics.
    """
    if check:
        a = as_float_array(a, "a", ndim=2, dtype=None)
        gamma = as_float_array(gamma, "gamma", ndim=1, dtype=a.dtype)
        beta = as_float_array(beta, "beta", ndim=1, dtype=a.dtype)
        eps = check_real(eps, "eps", minimum=0.0, min_inclusive=False)
        for name, v in (("gamma", gamma), ("beta", beta)):
            if v.shape != (a.shape[1],):
                raise ValueError(f"{name} must have shape ({a.shape[1]},), one entry per column of a, got {v.shape}")
        if running is not None:
            if not (isinstance(running, (tuple, list)) and len(running) == 2):
                raise TypeError("running must be None (training mode) or a pair (mean, var) of (H,) arrays")
            mean = as_float_array(running[0], "running mean", ndim=1, dtype=a.dtype)
            var = as_float_array(running[1], "running var", ndim=1, dtype=a.dtype)
            if mean.shape != (a.shape[1],) or var.shape != (a.shape[1],) or np.any(var < 0):
                raise ValueError(f"running must hold a mean and a variance >= 0 of shape ({a.shape[1]},)")
            running = (mean, var)
        elif a.shape[0] < 2:
            raise ValueError(f"batch normalization in training mode needs a batch of at least 2 rows to take "
                             f"statistics over, got {a.shape[0]}; use evaluation mode (running statistics)")
    training = running is None
    if training:
        mean = a.mean(axis=0)
        centred = a - mean
        var = (centred * centred).mean(axis=0)
    else:
        mean, var = running
        centred = a - mean
    inv_std = 1.0 / np.sqrt(var + eps)
    a_hat = centred * inv_std
    out = a_hat * gamma + beta
    return out, {"a_hat": a_hat, "gamma": gamma, "inv_std": inv_std, "mean": mean, "var": var,
                 "n": a.shape[0], "training": training}


def batchnorm_backward(dout, cache, check=True):
    r"""Gradients of :func:`batchnorm_forward`, given ``dout`` = :math:`g = \partial L/\partial\,\text{out}` (N, H).

    With :math:`\text{out} = \gamma \hat a + \beta`: :math:`\partial L/\partial\beta = \sum_t g_t` and
    :math:`\partial L/\partial\gamma = \sum_t g_t \odot \hat a_t`. In evaluation mode :math:`\hat a` is an
    affine function of :math:`a` alone, so :math:`\partial L/\partial a = \gamma\, g / \sqrt{\sigma^2+\epsilon}`.
    In training mode every :math:`\hat a_t` also depends on every :math:`a_s` through :math:`\mu` and
    :math:`\sigma^2`. Writing :math:`s = 1/\sqrt{\sigma^2+\epsilon}` and :math:`\bar x` for a mean over the batch,
    :math:`\partial \mu/\partial a_s = 1/N` and :math:`\partial \sigma^2/\partial a_s = 2(a_s - \mu)/N`, which
    gives for one column

    .. math:: \frac{\partial L}{\partial a_s} = \gamma s \Big(g_s - \bar g - \hat a_s\, \overline{g \hat a}\Big):

    the gradient with its mean removed and with its component along :math:`\hat a` removed, because
    shifting or scaling all of a column's inputs together leaves :math:`\hat a` unchanged.

    Returns ``da`` (N, H), ``dgamma`` (H,), ``dbeta`` (H,).
    """
    a_hat, gamma, inv_std = cache["a_hat"], cache["gamma"], cache["inv_std"]
    if check:
        dout = as_float_array(dout, "dout", ndim=2, dtype=None)
        check_same_shape(a_hat, dout, "the cached a_hat", "dout")
    dbeta = dout.sum(axis=0)
    dgamma = (dout * a_hat).sum(axis=0)
    if not cache["training"]:
        return dout * (gamma * inv_std), dgamma, dbeta
    n = cache["n"]
    da = dout - dbeta / n - a_hat * (dgamma / n)
    da *= gamma * inv_std
    return da, dgamma, dbeta


def batchnorm_running(running_mean, running_var, cache, momentum=0.1):
    r"""New running statistics after a training-mode batch (as ``torch.nn.BatchNorm1d``):

    .. math:: \mu_\text{run} \leftarrow (1 - m)\,\mu_\text{run} + m\,\mu_B, \qquad
              \sigma^2_\text{run} \leftarrow (1 - m)\,\sigma^2_\text{run} + m\,\tfrac{N}{N-1}\sigma^2_B,

    with the *unbiased* batch variance, :math:`m` = ``momentum`` (0.1). Returns new (H,) arrays;
    the ones given are not modified.
    """
    m = check_real(momentum, "momentum", minimum=0.0, maximum=1.0)
    if not cache.get("training"):
        raise ValueError("cache must come from batchnorm_forward in training mode (running=None)")
    n = cache["n"]
    unbiased = cache["var"] * (n / (n - 1))
    return (1.0 - m) * running_mean + m * cache["mean"], (1.0 - m) * running_var + m * unbiased

r"""Losses on the network's output pre-activation ``a`` (logits), averaged over the batch.

Each function returns ``(loss, da)``: the mean loss over the N samples and its gradient
with respect to ``a`` (the 1/N of the mean is in ``da``). Working on logits lets every
loss fold the output nonlinearity in and stay finite for any input:

- :func:`softmax_cross_entropy`: :math:`-\frac1N\sum_t \log \operatorname{softmax}(a_t)_{y_t}`,
  :math:`\partial/\partial a = (\operatorname{softmax}(a) - \operatorname{onehot}(y))/N`.
- :func:`binary_cross_entropy`: sigmoid output, labels 0/1,
  :math:`\frac1N\sum_t \log(1+e^{a_t}) - y_t a_t`, :math:`\partial/\partial a = (\sigma(a) - y)/N`.
- :func:`squared_error`: identity output, :math:`\frac1N\sum_t \sum_k (a_{tk} - y_{tk})^2`,
  :math:`\partial/\partial a = 2(a - y)/N` (the :math:`(o-y)^2` of the 2-2-1 example).

Every function checks its arguments (labels in range, targets shaped exactly like the logits,
finite values) unless it is called with ``check=False``, as :class:`nnlib.MLP` does on data it
checked once.
"""

import numpy as np

from .activations import sigmoid
from .validation import as_float_array, as_int_labels, check_same_length, check_same_shape


def _check_logits(a):
    return as_float_array(a, "a", ndim=2, dtype=None)


def _check_binary(a, y):
    a = _check_logits(a)
    y = as_float_array(y, "y", ndim=(1, 2), dtype=a.dtype)
    check_same_shape(a, y, "a", "y")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("y must hold 0/1 labels for binary cross-entropy, got other values")
    return a, y


def softmax(a, check=True):
    r"""Row-wise :math:`\operatorname{softmax}(a)_c = e^{a_c} / \sum_{c'} e^{a_{c'}}`, shifted by the row max.

    a : (N, C) logits. Returns (N, C) probabilities, each row summing to 1.
    """
    if check:
        a = _check_logits(a)
    z = a - a.max(axis=1, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum(axis=1, keepdims=True)
    return z


def log_softmax(a, check=True):
    """Row-wise log of :func:`softmax`, computed without overflow: ``a - max - log(sum(exp(a - max)))``."""
    if check:
        a = _check_logits(a)
    z = a - a.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def softmax_cross_entropy(a, y, check=True):
    """Mean negative log-likelihood of integer labels.

    a : ndarray, shape (N, C) -- logits;  y : int ndarray, shape (N,) -- labels in [0, C).
    Returns ``(loss, da)`` with ``da`` of shape (N, C).
    """
    if check:
        a = _check_logits(a)
        y = as_int_labels(y, "y", a.shape[1])
        check_same_length(a, y, "a", "y")
    n = a.shape[0]
    rows = np.arange(n)
    logp = log_softmax(a, check=False)
    loss = -logp[rows, y].mean()
    da = np.exp(logp)
    da[rows, y] -= 1.0
    da /= n
    return float(loss), da


def binary_cross_entropy(a, y, check=True):
    """Mean binary cross-entropy of a sigmoid output.

    a : ndarray, shape (N, 1) -- logits;  y : ndarray, shape (N, 1) -- labels 0/1 (exactly the
    shape of ``a``: a (N,) array against (N, 1) logits would broadcast to (N, N)).
    Returns ``(loss, da)`` with ``da`` of shape (N, 1).
    """
    if check:
        a, y = _check_binary(a, y)
    n = a.shape[0]
    # log(1 + e^a) - y a, with log(1 + e^a) = max(a, 0) + log1p(e^{-|a|}) to avoid overflow
    loss = (np.maximum(a, 0) + np.log1p(np.exp(-np.abs(a))) - y * a).sum() / n
    da = (sigmoid(a, check=False) - y) / n
    return float(loss), da


def squared_error(a, y, check=True):
    """Mean over samples of the squared error summed over outputs.

    a : ndarray, shape (N, K) -- outputs;  y : ndarray, shape (N, K) -- targets, exactly the
    shape of ``a`` (no broadcasting). Returns ``(loss, da)`` with ``da`` of shape (N, K).
    """
    if check:
        a = _check_logits(a)
        y = as_float_array(y, "y", ndim=(1, 2), dtype=a.dtype)
        check_same_shape(a, y, "a", "y")
    n = a.shape[0]
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is reported below (or by the caller)
        diff = a - y
        loss = (diff * diff).sum() / n
    diff *= 2.0 / n
    if check and not np.isfinite(loss):
        raise ValueError("the squared error overflowed: outputs or targets are too large (~1e154 or more); "
                         "scale them first")
    return float(loss), diff


def _identity(a, check=True):
    return a


#: Each output of :class:`nnlib.MLP` -> (its nonlinearity o, the loss computed on the logits).
OUTPUTS = {
    "softmax": (softmax, softmax_cross_entropy),
    "sigmoid": (sigmoid, binary_cross_entropy),
    "identity": (_identity, squared_error),
}

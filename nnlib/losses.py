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
"""

import numpy as np

from .activations import sigmoid


def softmax(a):
    r"""Row-wise :math:`\operatorname{softmax}(a)_c = e^{a_c} / \sum_{c'} e^{a_{c'}}`, shifted by the row max."""
    z = a - a.max(axis=1, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum(axis=1, keepdims=True)
    return z


def log_softmax(a):
    z = a - a.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def softmax_cross_entropy(a, y):
    """Mean negative log-likelihood of integer labels.

    a : ndarray, shape (N, C) -- logits;  y : int ndarray, shape (N,) -- labels in [0, C).
    Returns ``(loss, da)`` with ``da`` of shape (N, C).
    """
    n = a.shape[0]
    rows = np.arange(n)
    logp = log_softmax(a)
    loss = -logp[rows, y].mean()
    da = np.exp(logp)
    da[rows, y] -= 1.0
    da /= n
    return float(loss), da


def binary_cross_entropy(a, y):
    """Mean binary cross-entropy of a sigmoid output.

    a : ndarray, shape (N, 1) -- logits;  y : ndarray, shape (N, 1) -- labels 0/1.
    Returns ``(loss, da)`` with ``da`` of shape (N, 1).
    """
    n = a.shape[0]
    # log(1 + e^a) - y a, with log(1 + e^a) = max(a, 0) + log1p(e^{-|a|}) to avoid overflow
    loss = (np.maximum(a, 0) + np.log1p(np.exp(-np.abs(a))) - y * a).sum() / n
    da = (sigmoid(a) - y) / n
    return float(loss), da


def squared_error(a, y):
    """Mean over samples of the squared error summed over outputs.

    a : ndarray, shape (N, K) -- outputs;  y : ndarray, shape (N, K) -- targets.
    Returns ``(loss, da)`` with ``da`` of shape (N, K).
    """
    n = a.shape[0]
    diff = a - y
    loss = (diff * diff).sum() / n
    diff *= 2.0 / n
    return float(loss), diff

r"""Numerical gradients by central differences, to check every backward pass.

.. math:: \frac{\partial f}{\partial x_i} \approx \frac{f(x + \epsilon e_i) - f(x - \epsilon e_i)}{2\epsilon},

whose error is :math:`O(\epsilon^2)`. The comparison uses the relative error
:math:`\|g_a - g_n\| / \max(\|g_a\| + \|g_n\|, \text{tiny})`: about 1e-8 or smaller for a
correct float64 gradient, 1e-2 or larger for a bug.
"""

import numpy as np

from .mlp import check_net
from .validation import as_float_array, check_callable, check_real


def numerical_gradient(f, x, eps=1e-6):
    """Central-difference gradient of a scalar function.

    f : callable taking an array shaped like ``x`` and returning a float.
    x : ndarray, any shape -- the point; it is not modified (``f`` sees perturbed copies).
    Returns an array shaped like ``x``.
    """
    check_callable(f, "f", "a function f(x) returning a number")
    eps = check_real(eps, "eps", minimum=0.0, min_inclusive=False)
    x = np.array(as_float_array(x, "x", ndim=range(0, 33)), dtype=np.float64)
    grad = np.empty_like(x)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        f_plus = _value(f, x)
        flat[i] = old - eps
        f_minus = _value(f, x)
        flat[i] = old
        gflat[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def _value(f, x):
    """``f`` at a copy of ``x``, as a finite float (a clear error otherwise)."""
    value = f(x.copy())
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"f must return one number, got {type(value).__name__} of shape {np.shape(value)}") from None
    if not np.isfinite(value):
        raise ValueError(f"f returned {value} near x; a numerical gradient needs finite values")
    return value


def relative_error(a, b):
    """``||a - b|| / max(||a|| + ||b||, tiny)`` over all entries; 0 when both are 0."""
    a = as_float_array(a, "a", ndim=range(0, 33), allow_empty=True)
    b = as_float_array(b, "b", ndim=range(0, 33), allow_empty=True)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    denom = np.linalg.norm(a) + np.linalg.norm(b)
    return float(np.linalg.norm(a - b) / max(denom, np.finfo(np.float64).tiny))


def check_model_gradients(net, X, y, eps=1e-6):
    """Relative error of :meth:`MLP.loss_and_grads` against central differences, per parameter.

    Evaluated without dropout (``training=False``) so the objective is deterministic.
    Returns ``{name: relative error}``; the net's parameters are left as they were.
    """
    X, y = check_net(net).check_data(X, y)
    _, analytic = net.loss_and_grads(X, y, training=False)
    errors = {}
    for name, value in net.params.items():
        def objective(v, name=name):
            saved = net.params[name]
            net.params[name] = v
            try:
                return net.loss_and_grads(X, y, training=False)[0]
            finally:
                net.params[name] = saved

        errors[name] = relative_error(analytic[name], numerical_gradient(objective, value, eps))
    return errors

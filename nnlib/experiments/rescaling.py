"""Scaling the weights of a ReLU (or linear) stack rescales every layer's signal exactly.

For a positively homogeneous activation, g(c a) = c g(a) and g'(c a) = g'(a) for c > 0 (the
identity, ReLU and leaky ReLU). Multiplying every weight of a depth-L stack by rho then multiplies
the pre-activations and activations of layer k by rho**k and the gradient dL/da_k by rho**(L-k),
with the same signs and the same dead units. So one pass at the variance-preserving scale gives
the pass at every other scale: the variance explorer of notebook 02 uses this to show the full
result of a slider move at once (:func:`rescaled_run`).
"""

import numpy as np

from .. import activations
from ..validation import check_int, check_real
from .propagation import SignalProbe, result_from_pass

#: n Var(W) that keeps a positively homogeneous activation's variance: the scale of its cached pass.
HOMOGENEOUS = {"identity": 1.0, "relu": 2.0, "leaky_relu": 2.0 / (1 + activations.LEAKY_RELU_ALPHA ** 2)}
RESCALE_CACHE = 4  # cached passes per probe


def rescaled_run(probe, activation, weight_var, depth, cache, dtype=np.float32, n_bins=40):
    """``probe.run(activation, weight_var, depth, n_bins, dtype)`` from a pass kept in ``cache`` (a
    dict for this probe), for the positively homogeneous activations of :data:`HOMOGENEOUS`.

    There :math:`g(ca) = c\\,g(a)`, :math:`g'(ca) = g'(a)` for :math:`c > 0`: weights :math:`\\rho` times
    larger multiply :math:`a_k, h_k` by :math:`\\rho^k` and :math:`\\partial L/\\partial a_k` by
    :math:`\\rho^{L-k}`, exactly. One pass per (activation, depth, dtype) at the variance-preserving
    scale is rescaled in float64; the theory is computed afresh. Equal to ``probe.run`` up to
    ``dtype``'s rounding (and float64 where ``probe.run`` would have overflowed float32).
    """
    if not isinstance(probe, SignalProbe):
        raise TypeError(f"probe must be a SignalProbe, got {type(probe).__name__}")
    if not isinstance(cache, dict):
        raise TypeError(f"cache must be a dict (empty at first, then kept for this probe), got {type(cache).__name__}")
    weight_var = check_real(weight_var, "weight_var", minimum=0.0, min_inclusive=False)
    depth = check_int(depth, "depth", minimum=1, maximum=probe.depth)
    if not isinstance(activation, str) or activation not in HOMOGENEOUS:  # probe.run checks every argument
        return probe.run(activation, weight_var, depth, n_bins, dtype)
    dtype, ref_var = np.dtype(dtype), HOMOGENEOUS[activation] / probe.width
    rho = np.sqrt(weight_var / ref_var)
    with np.errstate(over="ignore"):
        fa, fg = rho ** np.arange(1.0, depth + 1), rho ** np.arange(depth - 1.0, -1.0, -1.0)
        finite = np.all(np.isfinite(np.r_[fa, fg] ** 2))
    if not finite:
        return probe.run(activation, weight_var, depth, n_bins, dtype)  # which says so if it overflows
    key = (activation, depth, dtype)
    if key not in cache:
        probe.run(activation, ref_var, depth, n_bins, dtype)
        cache[key] = {k: v.copy() if isinstance(v, np.ndarray) else v for k, v in probe.last_pass.items()}
        while len(cache) > RESCALE_CACHE:
            del cache[next(iter(cache))]  # the oldest
    m = dict(cache[key])
    for name, f in (("pre_var", fa * fa), ("act_var", fa * fa), ("act_mean", fa), ("grad_var", fg * fg),
                    ("grad_mean", fg)):
        m[name] = m[name] * f
    if m["dtype"] == np.float32 and max(m["pre_var"].max(), m["act_var"].max(), m["grad_var"].max()) \
            > np.finfo(np.float32).max:
        m["dtype"] = np.dtype(np.float64)  # run() would have overflowed float32 and redone it in float64
    return result_from_pass(probe.width, activation, weight_var, depth, n_bins, m, fa, fg)

r"""How signals travel through a deep random network: the variance derivation, measured.

A stack of ``depth`` square layers (``width`` units each, no biases) with weights drawn from
:math:`\mathcal N(0, \operatorname{Var}(W))` maps unit-variance inputs forward,

.. math:: a^{(k)} = h^{(k-1)} W^{(k)}, \qquad h^{(k)} = g(a^{(k)}), \qquad h^{(0)} = x,

and a unit-variance gradient :math:`\partial L/\partial h^{(L)}` backward,

.. math:: \frac{\partial L}{\partial a^{(k)}} = \frac{\partial L}{\partial h^{(k)}} \odot g'(a^{(k)}),
          \qquad \frac{\partial L}{\partial h^{(k-1)}} = \frac{\partial L}{\partial a^{(k)}} W^{(k)\top}.

The theory applies :math:`\operatorname{Var}(Y) = n \operatorname{Var}(W)\, E[X^2]` layer by layer
(zero-mean weights; :math:`E[X^2]` rather than :math:`\operatorname{Var}(X)` because the
:math:`E[X]^2 \operatorname{Var}(W)` term stays when activations are not centred, as for sigmoid),

.. math:: q_1 = n \operatorname{Var}(W)\, E[x^2], \qquad
          q_k = n \operatorname{Var}(W)\, E_{z \sim \mathcal N(0, q_{k-1})}[g(z)^2],

and backward :math:`r_k = E_z[g'(z)^2]\, \operatorname{Var}(\partial L/\partial h^{(k)})`,
:math:`\operatorname{Var}(\partial L/\partial h^{(k-1)}) = n \operatorname{Var}(W)\, r_k`.
The theory (:func:`theory`, :func:`gaussian_expectation`) lives in :mod:`nnlib.experiments.mean_field`,
accurate at every scale: closed forms for the ReLU family, identity and ELU (for ReLU
:math:`E[g(z)^2] = q/2` exactly, which is where He's factor 2 comes from), an adaptive trapezoid
rule for tanh and sigmoid.
"""

from dataclasses import dataclass

import numpy as np

from .. import activations
from ..validation import (
    as_float_array, check_choice, check_dtype, check_int, check_real, check_rng,
)
from .diagnostics import dead_units, saturated_mask
from .mean_field import variance_recursion, finite_theory, gaussian_expectation, theory  # noqa: F401 (re-exported)

#: Activations the probe supports: all of :mod:`nnlib.activations`, with their default ``alpha``.
ACTIVATIONS = activations.NAMES


def _activation_name(activation):
    """The registry name of ``activation`` (a name, ``"linear"``, or an :class:`nnlib.activations.Activation`)."""
    if isinstance(activation, activations.Activation):
        return activation.name
    name = check_choice(activation, "activation", set(ACTIVATIONS) | {"linear"})
    return "identity" if name == "linear" else name


@dataclass
class PropagationResult:
    """Per-layer measurements (arrays of shape (depth,), layer 1 first) and their theory.

    ``hist_edges`` (n_bins + 1,) and ``hist`` (depth, n_bins) give each layer's activation
    histogram as a density, with values outside the edges counted in the end bins;
    ``grad_hist_edges`` and ``grad_hist`` the same for the gradients dL/da_k. Both ranges adapt
    to the run (:func:`adaptive_range`). ``dtype`` is the dtype the run computed in.
    """

    activation: str
    depth: int
    width: int
    weight_var: float
    pre_activation_var: np.ndarray
    activation_var: np.ndarray
    grad_var: np.ndarray
    theory_pre_activation_var: np.ndarray
    theory_activation_var: np.ndarray
    theory_grad_var: np.ndarray
    saturated: np.ndarray
    dead: np.ndarray
    hist_edges: np.ndarray
    hist: np.ndarray
    grad_hist_edges: np.ndarray = None
    grad_hist: np.ndarray = None
    dtype: str = "float64"

    @property
    def underflow(self):
        """The smallest variance the run's dtype can hold (float32: 1.2e-38): a measured variance
        below it underflowed to 0 (or a denormal) and says only "smaller than this"."""
        return float(np.finfo(self.dtype).tiny)

    @property
    def scale(self):
        r""":math:`n \operatorname{Var}(W)`, variance scaling's ``scale``: 1 for LeCun (and Xavier
        on square layers), 2 for He (see :data:`nnlib.initializers.SCHEMES`)."""
        return self.width * self.weight_var


_RANGES = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0), "relu": (0.0, np.inf),
           "elu": (-activations.ELU_ALPHA, np.inf)}
#: Rows of the batch each layer's histograms are made of.
HIST_ROWS = 64

#: The probe's memory limit: draws plus one float64 workspace (a guard against a mistyped size).
MAX_BYTES = 4 * 2**30


def histogram_range(activation):
    """The output range (lo, hi) of an activation of :data:`ACTIVATIONS` (inf where unbounded)."""
    return _RANGES.get(_activation_name(activation), (-np.inf, np.inf))


def check_probe_size(depth, width, n_samples):
    """Raise before a probe of this size would need more than :data:`MAX_BYTES` (a mistyped size)."""
    n, w, d = n_samples, width, depth
    need = 8 * (2 * (2 * n * w + d * w * w) + (d + 5) * n * w + 2 * d * min(n, HIST_ROWS) * w)  # draws, buffers
    if need > MAX_BYTES:
        raise ValueError(f"depth={d}, width={w} and n_samples={n} need about {need / 2**30:.3g} GB "
                         f"(depth * width**2 weights, depth * n_samples * width buffers); the probe allows "
                         f"{MAX_BYTES / 2**30:.3g} GB: use a smaller depth, width or n_samples")


class SignalProbe:
    """A deep random network with its random draws made once, reusable for any weight scale.

    The weights are ``sqrt(weight_var) * Z_k`` with ``Z_k`` standard normal (width, width),
    drawn once together with the input ``x`` (n_samples, width) and the top gradient, both
    standard normal. Moving a variance slider then changes only the scale, not the draws.

    Parameters
    ----------
    depth : int >= 1 -- the largest depth :meth:`run` will be asked for.
    width : int >= 1 -- units per layer (and input dimension).
    n_samples : int >= 2 -- rows of the input batch.
    rng : np.random.Generator or int seed.
    """

    def __init__(self, depth=10, width=256, n_samples=1000, rng=None):
        self.depth = check_int(depth, "depth", minimum=1)
        self.width = check_int(width, "width", minimum=1)
        self.n_samples = check_int(n_samples, "n_samples", minimum=2)
        check_probe_size(self.depth, self.width, self.n_samples)
        rng = check_rng(rng)
        x = rng.standard_normal((self.n_samples, self.width))
        z = rng.standard_normal((self.depth, self.width, self.width))
        top_grad = rng.standard_normal((self.n_samples, self.width))
        self._draws = {np.dtype(np.float64): (x, z, top_grad)}
        self._spaces, self._shared_z, self.last_pass = {}, None, None

    def subset(self, n_samples):
        """A probe over the first ``n_samples`` rows of this one's input and top gradient, sharing
        its weights (no copy): what the variance explorer draws while a slider moves."""
        n_samples = check_int(n_samples, "n_samples", minimum=2, maximum=self.n_samples)
        x, z, g = self._draws[np.dtype(np.float64)]
        sub = object.__new__(SignalProbe)  # the same state as __init__ makes, from this probe's draws
        vars(sub).update(depth=self.depth, width=self.width, n_samples=n_samples, last_pass=None, _spaces={},
                         _draws={np.dtype(np.float64): (x[:n_samples], z, g[:n_samples])},
                         _shared_z=lambda dtype: self._workspace(dtype)["z"])
        return sub

    def _workspace(self, dtype):
        """The draws cast to ``dtype`` and reusable buffers, made once per dtype. Re-running the probe then
        allocates (almost) nothing: fresh megabyte-sized arrays can cost more in page faults than the arithmetic."""
        if dtype not in self._spaces:
            x, z, g = self._draws[np.dtype(np.float64)]
            # a subset (:meth:`subset`) shares its parent's cast weights
            z = self._shared_z(dtype) if self._shared_z else z.astype(dtype, copy=False)
            x, g = x.astype(dtype), g.astype(dtype)
            n, w = self.n_samples, self.width
            self._spaces[dtype] = {"x": x, "z": z, "top_grad": g, "a": np.empty((n, w), dtype),
                                   "h": np.empty((2, n, w), dtype), "d": np.empty((self.depth, n, w), dtype),
                                   "grad": np.empty((2, n, w), dtype), "mask": np.empty((n, w), bool),
                                   "h_rows": np.empty((self.depth, min(n, HIST_ROWS), w), dtype),
                                   "d_rows": np.empty((self.depth, min(n, HIST_ROWS), w), dtype)}
        return self._spaces[dtype]

    def run(self, activation="tanh", weight_var=None, depth=None, n_bins=40, dtype=np.float64):
        """Propagate forward and backward; returns a :class:`PropagationResult`.

        activation : one of :data:`ACTIVATIONS`.
        weight_var : float > 0 -- Var(W); default LeCun's 1/width.
        depth : int in [1, self.depth] -- default all layers.
        n_bins : int -- histogram bins over a range that adapts to the run (:func:`adaptive_range`).
        dtype : np.float64, or np.float32 for about twice the speed (same draws, rounded);
            a float32 run that overflows is redone in float64 automatically.
        """
        name = _activation_name(check_choice(activation, "activation", set(ACTIVATIONS) | {"linear"}))
        weight_var = 1.0 / self.width if weight_var is None else weight_var
        weight_var = check_real(weight_var, "weight_var", minimum=0.0, min_inclusive=False)
        depth = self.depth if depth is None else check_int(depth, "depth", minimum=1)
        if depth > self.depth:
            raise ValueError(f"depth must be <= {self.depth} (the probe's depth), got {depth}")
        n_bins, dtype = check_int(n_bins, "n_bins", minimum=1), check_dtype(dtype)
        #: The statistics and histogram rows (buffers the next run reuses) behind the last result.
        self.last_pass = self._measure(name, weight_var, depth, dtype)
        return result_from_pass(self.width, name, weight_var, depth, n_bins, self.last_pass)

    def _measure(self, name, weight_var, depth, dtype):
        """The forward and backward pass: per-layer statistics and each layer's histogram rows."""
        act = activations.get(name)
        ws = self._workspace(dtype)
        std = dtype.type(np.sqrt(weight_var))
        pre_var, act_var, act_mean, sat, dead = (np.empty(depth) for _ in range(5))
        grad_var, grad_mean = np.empty(depth), np.empty(depth)
        a, mask, h_rows, d_rows = ws["a"], ws["mask"], ws["h_rows"], ws["d_rows"]
        rows = h_rows.shape[1]
        h = ws["x"]
        with np.errstate(over="ignore", invalid="ignore", under="ignore"):
            for k in range(depth):
                np.matmul(h, ws["z"][k], out=a)
                a *= std
                h, d = ws["h"][k % 2], ws["d"][k]
                _fused(name, a, h, d, mask)
                pre_var[k] = _variance(a)[1]
                act_mean[k], act_var[k] = _variance(h)
                # relu: mask holds a > 0 here (diagnostics' one definition of a dead unit)
                dead[k] = np.mean(dead_units(a, active=mask, check=False)) if name == "relu" else 0.0
                sat[k] = _saturated_fraction(act, d, mask)
                h_rows[k] = h[:rows]
            dh = ws["top_grad"]
            for k in range(depth - 1, -1, -1):
                da = ws["grad"][0]
                np.multiply(dh, ws["d"][k], out=da)
                grad_mean[k], grad_var[k] = _variance(da)
                d_rows[k] = da[:rows]
                if k:
                    dh = ws["grad"][1]
                    np.matmul(da, ws["z"][k].T, out=dh)
                    dh *= std
        finite = np.all(np.isfinite(pre_var)) and np.all(np.isfinite(act_var)) and np.all(np.isfinite(grad_var))
        if not finite:
            if dtype == np.float32:
                return self._measure(name, weight_var, depth, np.dtype(np.float64))
            raise ValueError(f"the signal overflowed float64 (weight_var={weight_var:.3g}, depth={depth}); "
                             "use a smaller weight variance or fewer layers")
        return {"pre_var": pre_var, "act_var": act_var, "act_mean": act_mean, "sat": sat, "dead": dead,
                "grad_var": grad_var, "grad_mean": grad_mean, "h_rows": h_rows[:depth], "d_rows": d_rows[:depth],
                "dtype": dtype}


def result_from_pass(width, name, weight_var, depth, n_bins, m, fa=1.0, fg=1.0):
    """The :class:`PropagationResult` of a pass ``m`` (a :attr:`SignalProbe.last_pass`: float64
    statistics per layer, ``pre_var act_var act_mean grad_var grad_mean sat dead``, histogram rows
    ``h_rows d_rows`` and ``dtype``) with its rows scaled by ``fa`` and ``fg`` (per layer), and the theory."""
    edges = np.linspace(*adaptive_range(m["act_mean"], m["act_var"], histogram_range(name)), n_bins + 1)
    grad_edges = np.linspace(*adaptive_range(m["grad_mean"], m["grad_var"], (-np.inf, np.inf), symmetric=True),
                             n_bins + 1)
    hist = _densities(m["h_rows"], fa, edges[0], edges[-1], n_bins)
    grad_hist = _densities(m["d_rows"], fg, grad_edges[0], grad_edges[-1], n_bins)
    t_pre, t_act, t_grad = finite_theory(variance_recursion(activations.get(name), depth, width, weight_var, 1.0),
                                         weight_var, depth)
    return PropagationResult(name, depth, width, weight_var, m["pre_var"], m["act_var"], m["grad_var"],
                             t_pre, t_act, t_grad, m["sat"], m["dead"], edges, hist, grad_edges, grad_hist,
                             m["dtype"].name)


def nice_step(x):
    """The smallest of 1, 2, 5 times a power of ten that is >= ``x`` > 0 (rounding that keeps
    small slider moves on the same axis limits)."""
    x = check_real(x, "x", minimum=0.0, min_inclusive=False)
    power = 10.0 ** np.floor(np.log10(x))
    for m in (1.0, 2.0, 5.0, 10.0):
        if m * power >= x * (1 - 1e-12):
            return m * power
    return 10.0 * power  # pragma: no cover - the loop always returns


def adaptive_range(means, variances, bounds, symmetric=False, width=4.0):
    """A histogram range for per-layer values of these ``means`` and ``variances``.

    The range covers mean +- ``width`` standard deviations of every layer, rounded outwards to
    a multiple of :func:`nice_step` (a quarter of its span) and cut to ``bounds`` = (lo, hi),
    the activation's output range (e.g. (-1, 1) for tanh); ``symmetric`` makes it (-c, c).
    A signal that vanished entirely (all variances 0) gets a range of width 1 around its mean.
    """
    means = as_float_array(means, "means", ndim=1, dtype=None)
    variances = as_float_array(variances, "variances", ndim=1, dtype=None)
    if means.shape != variances.shape:
        raise ValueError(f"means and variances must have the same shape, got {means.shape} and {variances.shape}")
    if isinstance(bounds, (str, bytes)) or not hasattr(bounds, "__len__") or len(bounds) != 2 \
            or not bounds[0] < bounds[1]:
        raise ValueError(f"bounds must be a pair (lo, hi) with lo < hi (inf allowed), got {bounds!r}")
    width = check_real(width, "width", minimum=0.0, min_inclusive=False)
    sd = np.sqrt(np.maximum(variances, 0.0))
    lo, hi = float(np.min(means - width * sd)), float(np.max(means + width * sd))
    if symmetric:
        hi = max(abs(lo), abs(hi))
        lo = -hi
    lo, hi = max(lo, bounds[0]), min(hi, bounds[1])  # round the part that can be shown
    span = hi - lo
    if not span > 1e-300:
        center = float(np.mean(means)) if np.all(np.isfinite(means)) else 0.0
        lo, hi = center - 0.5, center + 0.5
    else:
        step = nice_step(span / 4)
        lo, hi = np.floor(lo / step) * step, np.ceil(hi / step) * step
    lo, hi = max(lo, bounds[0]), min(hi, bounds[1])
    return (float(lo), float(hi)) if hi > lo else (float(bounds[0]), float(bounds[0]) + 1.0)


def _buffer(buf, name, shape, kind):
    if not isinstance(buf, np.ndarray) or not (np.issubdtype(buf.dtype, np.floating) if kind == "float"
                                                 else buf.dtype == bool):
        what = "a float ndarray (float32 or float64)" if kind == "float" else "a bool ndarray"
        got = f"an array of dtype {buf.dtype}" if isinstance(buf, np.ndarray) else type(buf).__name__
        raise TypeError(f"{name} must be {what} to write into, got {got}")
    if buf.shape != shape:
        raise ValueError(f"{name} must have shape {shape} like a, got {buf.shape}")
    if not buf.flags.writeable:
        raise ValueError(f"{name} must be writable (the kernel writes into it), got a read-only array")


def fused_forward_and_derivative(name, a, h, d, mask):
    """A fused kernel: write g(a) into ``h`` and g'(a) into ``d`` without allocating.

    The same functions as :mod:`nnlib.activations` (with its default ``alpha``), computed in place
    for speed; a test checks that they agree with the registry. ``name`` is one of
    :data:`ACTIVATIONS`; ``a`` a finite float array, ``h`` and ``d`` float arrays of its shape and
    ``mask`` a bool buffer of that shape, all three writable; for the ReLU family ``mask`` is
    left holding ``a > 0``. (The probe's inner loop calls the unchecked ``_fused`` directly.)
    """
    name = check_choice(name, "name", set(ACTIVATIONS) | {"linear"})
    name = "identity" if name == "linear" else name
    a = as_float_array(a, "a", ndim=range(0, 33), dtype=None, allow_empty=True)
    for buf, buf_name, kind in ((h, "h", "float"), (d, "d", "float"), (mask, "mask", "bool")):
        _buffer(buf, buf_name, a.shape, kind)
    _fused(name, a, h, d, mask)


def _fused(name, a, h, d, mask):
    """:func:`fused_forward_and_derivative` on checked arguments."""
    if name == "identity":
        np.copyto(h, a)
        d.fill(1)
    elif name == "tanh":  # g' = 1 - g^2
        np.tanh(a, out=h)
        np.multiply(h, h, out=d)
        np.subtract(1, d, out=d)
    elif name == "sigmoid":  # sigma(a) = (1 + tanh(a/2)) / 2, free of overflow; g' = g (1 - g)
        np.multiply(a, 0.5, out=h)
        np.tanh(h, out=h)
        h += 1
        h *= 0.5
        np.subtract(1, h, out=d)
        d *= h
    elif name == "relu":  # g' = 1[a > 0]
        np.maximum(a, 0, out=h)
        np.greater(a, 0, out=mask)
        np.copyto(d, mask)
    elif name == "leaky_relu":  # g = max(a, alpha a), g' = alpha + (1 - alpha) 1[a > 0]
        alpha = activations.LEAKY_RELU_ALPHA
        np.multiply(a, alpha, out=h)
        np.maximum(a, h, out=h)
        np.greater(a, 0, out=mask)
        np.copyto(d, mask)
        d *= 1 - alpha
        d += alpha
    elif name == "elu":  # g = a if a > 0 else alpha (e^a - 1); g' = 1 if a > 0 else g + alpha
        alpha = activations.ELU_ALPHA
        np.minimum(a, 0, out=h)
        np.expm1(h, out=h)
        h *= alpha
        np.add(h, alpha, out=d)
        np.greater(a, 0, out=mask)
        np.copyto(h, a, where=mask)
        np.copyto(d, 1, where=mask)
    else:  # pragma: no cover - names are checked by the caller
        raise ValueError(f"unknown activation {name!r}")


def _variance(a):
    """(mean, population variance E[a^2] - E[a]^2) of all entries, in two fast passes (sum, BLAS dot)."""
    flat = a.reshape(-1)
    mean = float(flat.sum(dtype=np.float64)) / flat.size
    return mean, max(float(np.dot(flat, flat)) / flat.size - mean * mean, 0.0)


def _densities(rows, factors, lo, hi, n_bins):
    """Each layer's histogram of ``rows[k] * factors[k]`` (rows: (depth, R, W), factors > 0) over
    [lo, hi] as a density, in one pass; values outside go to the end bins."""
    depth, f = rows.shape[0], np.broadcast_to(np.asarray(factors, np.float64), rows.shape[:1])
    # the bin of rows * f is rows * (n_bins f / (hi - lo)) - n_bins lo / (hi - lo): both terms in bin
    # units, so no cancellation when f is far from 1 (subtracting lo / f first would lose rows' digits)
    scale = np.minimum(n_bins / (hi - lo) * f, np.finfo(rows.dtype).max).astype(rows.dtype)
    t = rows * scale[:, None, None]
    t -= rows.dtype.type(n_bins * lo / (hi - lo))
    np.clip(t, 0, n_bins - 1, out=t)  # before truncating to the bin: the same bins as clipping after
    idx = t.reshape(depth, -1).astype(np.intp)
    idx += (n_bins * np.arange(depth))[:, None]
    counts = np.bincount(idx.ravel(), minlength=depth * n_bins).reshape(depth, n_bins)
    return counts / (idx.shape[1] * (hi - lo) / n_bins)


def _saturated_fraction(act, derivative, mask):
    """Fraction of saturated entries (:func:`nnlib.experiments.diagnostics.saturated_mask`; 0 for
    activations that do not saturate), computed in the bool buffer ``mask``."""
    if not act.saturates:
        return 0.0
    saturated_mask(derivative, act, out=mask, check=False)
    return np.count_nonzero(mask) / mask.size


def propagate(rng, activation="tanh", depth=10, width=256, weight_var=None, n_samples=1000):
    """One-shot :class:`SignalProbe` run: ``SignalProbe(depth, width, n_samples, rng=rng).run(activation, weight_var)``."""
    return SignalProbe(depth, width, n_samples, rng=rng).run(activation, weight_var)

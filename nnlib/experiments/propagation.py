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
The Gaussian expectations are computed by Gauss–Hermite quadrature; for ReLU
:math:`E[g(z)^2] = q/2` exactly, which is where He's factor 2 comes from.
"""

from dataclasses import dataclass

import numpy as np

from .. import activations
from ..validation import (
    as_float_array, check_callable, check_choice, check_dtype, check_finite_result, check_int, check_real, check_rng,
)
from .diagnostics import dead_units, saturated_mask

#: Activations the probe supports: all of :mod:`nnlib.activations`, with their default ``alpha``.
ACTIVATIONS = activations.NAMES

_NODES, _WEIGHTS = np.polynomial.hermite.hermgauss(80)


def _gaussian_expectation(f, q):
    """:func:`gaussian_expectation` without the checks (for :func:`theory`'s inner loop)."""
    z = np.sqrt(2.0 * q) * _NODES
    return float(np.dot(_WEIGHTS, f(z)) / np.sqrt(np.pi))


def _node_values(values, z):
    """What ``f(z)`` returned, as finite floats of the nodes' shape (a number is broadcast)."""
    if isinstance(values, (str, bytes)) or values is None:
        raise TypeError(f"f must return numbers, one per entry of z, got {type(values).__name__}")
    arr = np.asarray(values)
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool) \
            or np.issubdtype(arr.dtype, np.complexfloating):
        raise TypeError(f"f must return real numbers, one per entry of z, got an array of dtype {arr.dtype}")
    if arr.shape == ():
        arr = np.broadcast_to(arr, z.shape)  # a constant function
    if arr.shape != z.shape:
        raise ValueError(f"f must return one value per entry of z, an array of shape {z.shape} (or a number), "
                         f"got shape {arr.shape}")
    arr = arr.astype(np.float64, copy=False)
    finite = np.isfinite(arr)
    if not finite.all():
        raise ValueError(f"f must return finite values: f(z) is NaN or inf at {arr.size - np.count_nonzero(finite)} "
                         f"of the {arr.size} quadrature nodes z in [{z.min():.3g}, {z.max():.3g}]")
    return arr


def gaussian_expectation(f, q):
    r""":math:`E_{z \sim \mathcal N(0, q)}[f(z)]` by 80-point Gauss–Hermite quadrature.

    ``f`` is a function of an array ``z`` (it returns an array like ``z``, or one number for a
    constant); ``q`` >= 0 is the variance (0 gives ``f(0)``, the point mass).
    """
    check_callable(f, "f", "a function f(z) of an array z")
    q = check_real(q, "q", minimum=0.0)
    z = np.sqrt(2.0 * q) * _NODES
    with np.errstate(all="ignore"):  # NaN or inf is reported below, with the nodes it came from
        values = _node_values(f(z), z)
        result = float(np.dot(_WEIGHTS, values) / np.sqrt(np.pi))
    return check_finite_result(result, f"E[f(z)] for z ~ N(0, {q:.3g})", "use a smaller q")


def _activation_name(activation):
    """The registry name of ``activation`` (a name, ``"linear"``, or an :class:`nnlib.activations.Activation`)."""
    if isinstance(activation, activations.Activation):
        return activation.name
    name = check_choice(activation, "activation", set(ACTIVATIONS) | {"linear"})
    return "identity" if name == "linear" else name


def _theory(act, depth, width, weight_var, input_var):
    """:func:`theory` on checked arguments (``act`` an Activation); NaN/inf are the caller's to report."""
    scale = width * weight_var
    q = np.empty(depth)
    h_var = np.empty(depth)
    d2 = np.empty(depth)  # E[g'(a_k)^2]
    second_moment = input_var
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(depth):
            q[k] = scale * second_moment
            if not np.isfinite(q[k]):
                q[k:] = h_var[k:] = d2[k:] = np.inf
                break
            second_moment = _gaussian_expectation(lambda z: act.forward(z) ** 2, q[k])
            mean = _gaussian_expectation(act.forward, q[k])
            h_var[k] = max(second_moment - mean * mean, 0.0)
            d2[k] = _gaussian_expectation(lambda z: act.derivative(z, act.forward(z)) ** 2, q[k])
        grad = np.empty(depth)
        dh_var = 1.0
        for k in range(depth - 1, -1, -1):
            grad[k] = d2[k] * dh_var
            dh_var = scale * grad[k]
    return q, h_var, grad


def _finite_theory(values, weight_var, depth):
    if not all(np.all(np.isfinite(v)) for v in values):
        raise ValueError(f"the predicted variances overflowed to inf or NaN (weight_var={weight_var:.3g}, "
                         f"depth={depth}); use a smaller weight variance or fewer layers")
    return values


def theory(activation, depth, width, weight_var, input_var=1.0):
    """Predicted per-layer variances for the probe's network (see the module docstring).

    activation : one of :data:`ACTIVATIONS` (or ``"linear"``);  depth, width : int >= 1;
    weight_var : float > 0 -- Var(W);  input_var : float > 0 -- :math:`E[x^2]` of the input.

    Returns ``(pre_activation_var, activation_var, grad_var)``, each of shape (depth,):
    Var(a_k), Var(h_k) and Var(dL/da_k) for layers k = 1..depth, with a unit-variance
    gradient arriving at the top. Raises ValueError when they overflow.
    """
    act = activation if isinstance(activation, activations.Activation) else \
        activations.get(_activation_name(activation))
    depth = check_int(depth, "depth", minimum=1)
    width = check_int(width, "width", minimum=1)
    weight_var = check_real(weight_var, "weight_var", minimum=0.0, min_inclusive=False)
    input_var = check_real(input_var, "input_var", minimum=0.0, min_inclusive=False)
    return _finite_theory(_theory(act, depth, width, weight_var, input_var), weight_var, depth)


@dataclass
class PropagationResult:
    """Per-layer measurements (arrays of shape (depth,), layer 1 first) and their theory.

    ``hist_edges`` (n_bins + 1,) and ``hist`` (depth, n_bins) give each layer's activation
    histogram as a density, with values outside the edges counted in the end bins.
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

    @property
    def scale(self):
        r""":math:`n \operatorname{Var}(W)`, variance scaling's ``scale``: 1 for LeCun (and Xavier
        on square layers), 2 for He (see :data:`nnlib.initializers.SCHEMES`)."""
        return self.width * self.weight_var


_RANGES = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0), "relu": (0.0, 4.0)}

#: The probe's memory limit: draws plus one float64 workspace (a guard against a mistyped size).
MAX_BYTES = 4 * 2**30


def histogram_range(activation):
    """Fixed histogram range for an activation of :data:`ACTIVATIONS`: its output range, or [-4, 4] when unbounded."""
    return _RANGES.get(_activation_name(activation), (-4.0, 4.0))


def check_probe_size(depth, width, n_samples):
    """Raise before a probe of this size would need more than :data:`MAX_BYTES` (a mistyped size)."""
    n, w, d = n_samples, width, depth
    need = 8 * (2 * (2 * n * w + d * w * w) + (d + 5) * n * w)  # draws, their float64 copy, buffers
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
        self._spaces = {}

    def _workspace(self, dtype):
        """The draws cast to ``dtype`` and reusable buffers, made once per dtype.

        Re-running the probe then allocates (almost) nothing: on some machines fresh
        megabyte-sized arrays cost more in page faults than the arithmetic done in them.
        """
        if dtype not in self._spaces:
            x, z, g = (a.astype(dtype) for a in self._draws[np.dtype(np.float64)])
            n, w = self.n_samples, self.width
            self._spaces[dtype] = {"x": x, "z": z, "top_grad": g, "a": np.empty((n, w), dtype),
                                   "h": np.empty((2, n, w), dtype), "d": np.empty((self.depth, n, w), dtype),
                                   "grad": np.empty((2, n, w), dtype), "mask": np.empty((n, w), bool)}
        return self._spaces[dtype]

    def run(self, activation="tanh", weight_var=None, depth=None, n_bins=40, dtype=np.float64):
        """Propagate forward and backward; returns a :class:`PropagationResult`.

        activation : one of :data:`ACTIVATIONS`.
        weight_var : float > 0 -- Var(W); default LeCun's 1/width.
        depth : int in [1, self.depth] -- default all layers.
        n_bins : int -- histogram bins over :func:`histogram_range`.
        dtype : np.float64, or np.float32 for about twice the speed (same draws, rounded);
            a float32 run that overflows is redone in float64 automatically.
        """
        name = _activation_name(check_choice(activation, "activation", set(ACTIVATIONS) | {"linear"}))
        act = activations.get(name)
        weight_var = 1.0 / self.width if weight_var is None else weight_var
        weight_var = check_real(weight_var, "weight_var", minimum=0.0, min_inclusive=False)
        depth = self.depth if depth is None else check_int(depth, "depth", minimum=1)
        if depth > self.depth:
            raise ValueError(f"depth must be <= {self.depth} (the probe's depth), got {depth}")
        n_bins = check_int(n_bins, "n_bins", minimum=1)
        dtype = check_dtype(dtype)
        ws = self._workspace(dtype)
        std = dtype.type(np.sqrt(weight_var))
        lo, hi = histogram_range(name)
        edges = np.linspace(lo, hi, n_bins + 1)

        pre_var, act_var, sat, dead = (np.empty(depth) for _ in range(4))
        hist = np.empty((depth, n_bins))
        a, mask = ws["a"], ws["mask"]
        h = ws["x"]
        with np.errstate(over="ignore", invalid="ignore"):
            for k in range(depth):
                np.matmul(h, ws["z"][k], out=a)
                a *= std
                h, d = ws["h"][k % 2], ws["d"][k]
                _fused(name, a, h, d, mask)
                pre_var[k], act_var[k] = _variance(a), _variance(h)
                # relu: mask holds a > 0 here (diagnostics' one definition of a dead unit)
                dead[k] = np.mean(dead_units(a, active=mask, check=False)) if name == "relu" else 0.0
                sat[k] = _saturated_fraction(act, d, mask)
                hist[k] = _density(h[:200], lo, hi, n_bins)
            grad_var = np.empty(depth)
            dh = ws["top_grad"]
            for k in range(depth - 1, -1, -1):
                da = ws["grad"][0]
                np.multiply(dh, ws["d"][k], out=da)
                grad_var[k] = _variance(da)
                if k:
                    dh = ws["grad"][1]
                    np.matmul(da, ws["z"][k].T, out=dh)
                    dh *= std
        finite = np.all(np.isfinite(pre_var)) and np.all(np.isfinite(act_var)) and np.all(np.isfinite(grad_var))
        if not finite:
            if dtype == np.float32:
                return self.run(name, weight_var, depth, n_bins, np.float64)
            raise ValueError(f"the signal overflowed float64 (weight_var={weight_var:.3g}, depth={depth}); "
                             "use a smaller weight variance or fewer layers")
        t_pre, t_act, t_grad = _finite_theory(_theory(act, depth, self.width, weight_var, 1.0), weight_var, depth)
        return PropagationResult(name, depth, self.width, weight_var, pre_var, act_var, grad_var,
                                 t_pre, t_act, t_grad, sat, dead, edges, hist)


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
    """Population variance of all entries, E[a^2] - E[a]^2, in two fast passes (BLAS dot, sum)."""
    flat = a.reshape(-1)
    mean = float(flat.sum(dtype=np.float64)) / flat.size
    return max(float(np.dot(flat, flat)) / flat.size - mean * mean, 0.0)


def _density(h, lo, hi, n_bins):
    """Histogram of ``h`` over [lo, hi] as a density; values outside go to the end bins."""
    idx = ((h - lo) * (n_bins / (hi - lo))).astype(np.int64).ravel()
    np.clip(idx, 0, n_bins - 1, out=idx)
    return np.bincount(idx, minlength=n_bins) / (idx.size * (hi - lo) / n_bins)


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

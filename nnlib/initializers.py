r"""Weight initializers: ``f(rng, shape, ...) -> ndarray``.

A weight matrix has ``shape = (fan_in, fan_out)`` so that a layer computes ``X @ W + b``.
A bias vector has ``shape = (fan_out,)``; for it both fans are ``fan_out``.

Every named random initializer is a preset of :func:`variance_scaling`, which draws
weights with zero mean and variance

.. math:: \operatorname{Var}(W) = \frac{\text{scale}}{n}, \qquad
          n = n_\text{in},\ n_\text{out} \text{ or } \tfrac{1}{2}(n_\text{in} + n_\text{out}),

either from :math:`\mathcal N(0, \text{scale}/n)` (not truncated, so the variance is
exactly the formula) or from :math:`U[-b, b]` with :math:`b = \sqrt{3\,\text{scale}/n}`,
because :math:`\operatorname{Var}(U[-b, b]) = b^2/3`.

Presets (the variance they give), also tabulated in :data:`SCHEMES`:

- ``lecun_normal``, ``lecun_uniform``: scale 1, fan_in, :math:`1/n_\text{in}`
- ``glorot_normal``, ``glorot_uniform`` (``xavier_*``): scale 1, fan_avg, :math:`2/(n_\text{in}+n_\text{out})`
- ``he_normal``, ``he_uniform``: scale 2, fan_in (or fan_out), :math:`2/n_\text{in}`
- ``standard_uniform``: scale 1/3, fan_in, :math:`U[-1/\sqrt{n_\text{in}}, 1/\sqrt{n_\text{in}}]`, the
  "standard" heuristic Glorot & Bengio (2010) compared against and PyTorch's ``nn.Linear`` default

Two words for the size of the weights, kept apart everywhere in nnlib:

- ``scale`` is :math:`n \operatorname{Var}(W)`, the numerator above (1 for LeCun, 2 for He);
- :func:`gain` is PyTorch's gain, a factor on the *standard deviation*: ``scale = gain**2``.

Every function takes ``rng`` first: a ``np.random.Generator`` or an int seed.
"""

import math
from numbers import Integral, Real

import numpy as np

from .validation import check_choice, check_dtype, check_int, check_real, check_rng, did_you_mean

_MODES = {"fan_in", "fan_out", "fan_avg"}
_DISTRIBUTIONS = {"normal", "uniform"}


def _check_shape(shape):
    if isinstance(shape, Integral) and not isinstance(shape, bool):
        shape = (int(shape),)
    if not isinstance(shape, tuple) or len(shape) not in (1, 2):
        raise ValueError(f"shape must be (fan_in, fan_out) or (fan_out,), got {shape!r}")
    for s in shape:
        if isinstance(s, bool) or not isinstance(s, Integral) or s < 1:
            raise ValueError(f"shape must hold positive ints, got {shape!r}")
    return tuple(int(s) for s in shape)


def fans(shape):
    """Return ``(fan_in, fan_out)`` of a weight ``(fan_in, fan_out)`` or bias ``(fan_out,)`` shape."""
    shape = _check_shape(shape)
    return (shape[0], shape[0]) if len(shape) == 1 else shape


#: Named schemes -> ``(scale, mode)`` of :func:`variance_scaling`: Var(W) = scale / n(mode).
SCHEMES = {
    "lecun": (1.0, "fan_in"),      # LeCun, Bottou, Orr & Mueller (1998)
    "xavier": (1.0, "fan_avg"),    # Glorot & Bengio (2010): 2 / (n_in + n_out)
    "he": (2.0, "fan_in"),         # He, Zhang, Ren & Sun (2015): 2 / n_in
    "standard": (1.0 / 3.0, "fan_in"),  # U[-1/sqrt(n_in), 1/sqrt(n_in)]: 1 / (3 n_in)
}


def fan(mode, fan_in, fan_out):
    """The :math:`n` that divides the variance: ``fan_in``, ``fan_out`` or their mean (``"fan_avg"``)."""
    check_choice(mode, "mode", _MODES)
    return {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[mode]


def weight_variance(scheme, fan_in, fan_out=None):
    r"""Var(W) of a named scheme (see :data:`SCHEMES`) for a layer with these fans.

    ``fan_out`` defaults to ``fan_in`` (a square layer, where LeCun and Xavier coincide).
    """
    check_choice(scheme, "scheme", set(SCHEMES))
    fan_in = check_int(fan_in, "fan_in", minimum=1)
    fan_out = fan_in if fan_out is None else check_int(fan_out, "fan_out", minimum=1)
    scale, mode = SCHEMES[scheme]
    return scale / fan(mode, fan_in, fan_out)


def variance_scaling(rng, shape, scale=1.0, mode="fan_in", distribution="normal", dtype=np.float64):
    r"""Draw zero-mean weights with :math:`\operatorname{Var}(W) = \text{scale} / n`.

    Parameters
    ----------
    rng : np.random.Generator or int seed
    shape : tuple ``(fan_in, fan_out)`` or ``(fan_out,)``
    scale : float > 0
        Numerator of the variance (1 for LeCun/Glorot, 2 for He, ``gain**2`` in general).
    mode : {"fan_in", "fan_out", "fan_avg"}
        Which :math:`n` divides: :math:`n_\text{in}`, :math:`n_\text{out}` or their mean.
    distribution : {"normal", "uniform"}
        :math:`\mathcal N(0, \sigma^2)` with :math:`\sigma^2 = \text{scale}/n`, or
        :math:`U[-b, b]` with :math:`b = \sqrt{3\,\text{scale}/n}` (same variance).

    Returns
    -------
    W : ndarray, shape ``shape``
    """
    rng = check_rng(rng)
    shape = _check_shape(shape)
    scale = check_real(scale, "scale", minimum=0.0, min_inclusive=False)
    check_choice(distribution, "distribution", _DISTRIBUTIONS)
    dtype = check_dtype(dtype)
    fan_in, fan_out = fans(shape)
    variance = scale / fan(mode, fan_in, fan_out)
    if distribution == "normal":
        W = rng.standard_normal(shape) * math.sqrt(variance)
    else:
        limit = math.sqrt(3.0 * variance)
        W = rng.uniform(-limit, limit, size=shape)
    return W.astype(dtype, copy=False)


def zeros(rng, shape, dtype=np.float64):
    """All zeros (breaks nothing: every hidden unit stays a clone)."""
    check_rng(rng)
    return np.zeros(_check_shape(shape), dtype=check_dtype(dtype))


def constant(rng, shape, value, dtype=np.float64):
    """Every entry equal to ``value``."""
    check_rng(rng)
    value = check_real(value, "value")
    return np.full(_check_shape(shape), value, dtype=check_dtype(dtype))


def normal(rng, shape, std=0.01, mean=0.0, dtype=np.float64):
    r""":math:`W \sim \mathcal N(\text{mean}, \text{std}^2)`, a fixed scale regardless of the fans."""
    rng = check_rng(rng)
    std = check_real(std, "std", minimum=0.0)
    mean = check_real(mean, "mean")
    dtype = check_dtype(dtype)
    return (mean + std * rng.standard_normal(_check_shape(shape))).astype(dtype, copy=False)


def uniform(rng, shape, limit=0.05, dtype=np.float64):
    r""":math:`W \sim U[-\text{limit}, \text{limit}]`, variance :math:`\text{limit}^2/3`."""
    rng = check_rng(rng)
    limit = check_real(limit, "limit", minimum=0.0)
    dtype = check_dtype(dtype)
    return rng.uniform(-limit, limit, size=_check_shape(shape)).astype(dtype, copy=False)


def glorot_uniform(rng, shape, dtype=np.float64):
    r"""Glorot & Bengio (2010): :math:`U[-b, b]`, :math:`b = \sqrt{6/(n_\text{in}+n_\text{out})}`."""
    return variance_scaling(rng, shape, 1.0, "fan_avg", "uniform", dtype)


def glorot_normal(rng, shape, dtype=np.float64):
    r"""Glorot & Bengio (2010): :math:`\mathcal N(0, 2/(n_\text{in}+n_\text{out}))`."""
    return variance_scaling(rng, shape, 1.0, "fan_avg", "normal", dtype)


def he_uniform(rng, shape, mode="fan_in", dtype=np.float64):
    r"""He et al. (2015): :math:`U[-b, b]`, :math:`b = \sqrt{6/n}`, :math:`n` = fan given by ``mode``."""
    check_choice(mode, "mode", {"fan_in", "fan_out"})
    return variance_scaling(rng, shape, 2.0, mode, "uniform", dtype)


def he_normal(rng, shape, mode="fan_in", dtype=np.float64):
    r"""He et al. (2015): :math:`\mathcal N(0, 2/n)`, :math:`n` = fan given by ``mode``."""
    check_choice(mode, "mode", {"fan_in", "fan_out"})
    return variance_scaling(rng, shape, 2.0, mode, "normal", dtype)


def lecun_uniform(rng, shape, dtype=np.float64):
    r"""LeCun (1998): :math:`U[-b, b]`, :math:`b = \sqrt{3/n_\text{in}}` (variance :math:`1/n_\text{in}`)."""
    return variance_scaling(rng, shape, 1.0, "fan_in", "uniform", dtype)


def lecun_normal(rng, shape, dtype=np.float64):
    r"""LeCun (1998): :math:`\mathcal N(0, 1/n_\text{in})`."""
    return variance_scaling(rng, shape, 1.0, "fan_in", "normal", dtype)


def standard_uniform(rng, shape, dtype=np.float64):
    r""":math:`U[-1/\sqrt{n_\text{in}}, 1/\sqrt{n_\text{in}}]` (variance :math:`1/(3 n_\text{in})`): the
    "standard" heuristic of Glorot & Bengio (2010) and the default of PyTorch's ``nn.Linear``."""
    return variance_scaling(rng, shape, 1.0 / 3.0, "fan_in", "uniform", dtype)


xavier_uniform = glorot_uniform
xavier_normal = glorot_normal

_REGISTRY = {
    "zeros": zeros,
    "normal": normal,
    "uniform": uniform,
    "glorot_uniform": glorot_uniform,
    "glorot_normal": glorot_normal,
    "xavier_uniform": xavier_uniform,
    "xavier_normal": xavier_normal,
    "he_uniform": he_uniform,
    "he_normal": he_normal,
    "lecun_uniform": lecun_uniform,
    "lecun_normal": lecun_normal,
    "standard_uniform": standard_uniform,
}


NAMES = tuple(_REGISTRY)


def get(name):
    """Return the initializer called ``name`` (``"constant"`` needs a value: pass a number instead)."""
    if name == "constant":
        raise ValueError("initializer 'constant' needs a value: pass the number itself, e.g. weight_init=0.5")
    return _REGISTRY[check_choice(name, "initializer", set(_REGISTRY))]


def as_initializer(spec, what="weight_init"):
    """Turn a name, a number or a callable into ``f(rng, shape) -> ndarray`` (as :class:`nnlib.MLP` takes them).

    ``what`` is the argument's name in error messages.
    """
    if isinstance(spec, Real) and not isinstance(spec, bool):
        value = check_real(spec, what)
        return lambda rng, shape: np.full(shape, value)
    if isinstance(spec, str):
        if spec == "constant":
            raise ValueError(f"{what}='constant' needs a value: pass the number itself, e.g. {what}=0.5")
        if spec not in _REGISTRY:
            raise ValueError(f"{what} {spec!r} is unknown{did_you_mean(spec, _REGISTRY)} ({what} must be one of "
                             f"{sorted(NAMES)}, a number or a callable f(rng, shape))")
        return _REGISTRY[spec]
    if callable(spec):
        return spec
    raise TypeError(f"{what} must be an initializer name, a number or a callable f(rng, shape), "
                    f"got {type(spec).__name__}")


_GAINS = {"linear": 1.0, "identity": 1.0, "sigmoid": 1.0, "tanh": 5.0 / 3.0, "relu": math.sqrt(2.0),
          "selu": 3.0 / 4.0}


def gain(activation, negative_slope=0.01):
    r"""PyTorch's gain for ``activation``: a factor on the weight *standard deviation*.

    Same values as PyTorch's ``torch.nn.init.calculate_gain``: 1 for linear and sigmoid,
    5/3 for tanh, :math:`\sqrt 2` for ReLU, :math:`\sqrt{2/(1+\alpha^2)}` for leaky ReLU with
    slope :math:`\alpha` = ``negative_slope``, 3/4 for SELU. A variance-scaling initializer
    with ``scale = gain**2`` applies it.
    """
    if not isinstance(activation, str):
        raise TypeError(f"activation must be a name like 'relu', got {type(activation).__name__}")
    if activation == "leaky_relu":
        a = check_real(negative_slope, "negative_slope")
        return math.sqrt(2.0 / (1.0 + a * a))
    return _GAINS[check_choice(activation, "activation", set(_GAINS) | {"leaky_relu"})]

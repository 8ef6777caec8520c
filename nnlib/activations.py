r"""Activation functions :math:`g` and their derivatives :math:`g'`, side by side.

Each :class:`Activation` has ``forward(a) -> h = g(a)`` and ``derivative(a, h) -> g'(a)``.
The derivative receives the output ``h`` too, because for sigmoid and tanh it is cheapest
written in terms of it: :math:`\sigma' = \sigma(1-\sigma)`, :math:`\tanh' = 1 - \tanh^2`.
Arrays have any shape, usually ``(N, H)``: N samples, H units. Nothing is modified in place.

This is the one registry of activations: :func:`get` builds every one of them, and the rest of
nnlib (the MLP, the signal probe of :mod:`nnlib.experiments.propagation`, the diagnostics)
takes its definitions from here. ``max_derivative`` is the largest value of :math:`g'` for the
activations that saturate (sigmoid 1/4, tanh 1) and None for the others.
"""

from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np

from .validation import as_float_array, check_choice, check_real


@dataclass(frozen=True)
class Activation:
    """An elementwise nonlinearity with its derivative."""

    name: str
    forward: Callable[[np.ndarray], np.ndarray]
    derivative: Callable[[np.ndarray, np.ndarray], np.ndarray]
    max_derivative: Optional[float] = None  # sup g' of a saturating activation, None otherwise
    alpha: Optional[float] = None  # leaky_relu's negative slope, elu's saturation value

    @property
    def saturates(self):
        """True for sigmoid and tanh, whose derivative tends to 0 on both tails."""
        return self.max_derivative is not None

    def __call__(self, a):
        """``g(a)`` for finite ``a`` of any shape, checked (``forward`` is the unchecked fast path)."""
        return self.forward(as_float_array(a, "a", ndim=range(0, 33), dtype=None))

    def __repr__(self):
        return f"Activation({self.name!r})"


# identity: g(a) = a, g'(a) = 1
def _identity(a):
    return a


def _identity_grad(a, h):
    return np.ones_like(a)


# sigmoid: g(a) = 1 / (1 + e^{-a}), g' = g (1 - g)
def sigmoid(a, check=True):
    r""":math:`\sigma(a) = 1/(1+e^{-a})`, computed without overflow for large :math:`|a|`.

    ``a``: finite numbers of any shape (checked unless ``check=False``).
    """
    a = as_float_array(a, "a", ndim=range(0, 33), dtype=None) if check else np.asarray(a)
    e = np.exp(-np.abs(a))  # in (0, 1]: never overflows
    return np.where(a >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(a.dtype if a.dtype.kind == "f" else float)


def _sigmoid_unchecked(a):
    return sigmoid(a, check=False)


def _sigmoid_grad(a, h):
    return h * (1.0 - h)


# tanh: g' = 1 - g^2
def _tanh(a):
    return np.tanh(a)


def _tanh_grad(a, h):
    return 1.0 - h * h


# ReLU: g(a) = max(0, a), g'(a) = 1[a > 0]
def _relu(a):
    return np.maximum(a, 0)


def _relu_grad(a, h):
    return (a > 0).astype(a.dtype)


def _leaky_relu(alpha):
    # g(a) = a if a > 0 else alpha * a;  g'(a) = 1 if a > 0 else alpha
    def forward(a):
        return np.where(a > 0, a, alpha * a)

    def derivative(a, h):
        return np.where(a > 0, 1.0, alpha).astype(a.dtype)

    return forward, derivative


def _elu(alpha):
    # g(a) = a if a > 0 else alpha (e^a - 1);  g'(a) = 1 if a > 0 else g(a) + alpha
    def forward(a):
        return np.where(a > 0, a, alpha * np.expm1(np.minimum(a, 0)))

    def derivative(a, h):
        return np.where(a > 0, 1.0, h + alpha).astype(a.dtype)

    return forward, derivative


NAMES = ("identity", "sigmoid", "tanh", "relu", "leaky_relu", "elu")
LEAKY_RELU_ALPHA = 0.01  # default negative slope of leaky_relu
ELU_ALPHA = 1.0  # default saturation value of elu (g(a) -> -alpha as a -> -inf)


def get(name, alpha=None):
    """Return the :class:`Activation` called ``name`` (``"linear"`` is an alias of ``"identity"``).

    ``alpha`` is the negative slope of ``leaky_relu`` (default :data:`LEAKY_RELU_ALPHA`) or
    the saturation value of ``elu`` (default :data:`ELU_ALPHA`); the others take none.
    An :class:`Activation` passed in is returned unchanged.
    """
    if isinstance(name, Activation):
        return name
    check_choice(name, "activation", set(NAMES) | {"linear"})
    if alpha is not None and name not in ("leaky_relu", "elu"):
        raise ValueError(f"alpha applies to 'leaky_relu' and 'elu' only, got alpha={alpha} for {name!r}")
    if name in ("identity", "linear"):
        return Activation("identity", _identity, _identity_grad)
    if name == "sigmoid":
        return Activation("sigmoid", _sigmoid_unchecked, _sigmoid_grad, max_derivative=0.25)
    if name == "tanh":
        return Activation("tanh", _tanh, _tanh_grad, max_derivative=1.0)
    if name == "relu":
        return Activation("relu", _relu, _relu_grad)
    default = LEAKY_RELU_ALPHA if name == "leaky_relu" else ELU_ALPHA
    alpha = check_real(default if alpha is None else alpha, "alpha", minimum=0.0)
    make = _leaky_relu if name == "leaky_relu" else _elu
    return Activation(name, *make(alpha), alpha=alpha)

r"""Gains, fans and framework defaults, measured on deep random stacks of any widths.

:func:`stack_variances` pushes unit-variance inputs forward and a unit-variance gradient backward
through layers of the given ``widths`` whose weights come from an initializer
``f(rng, (fan_in, fan_out))`` of :mod:`nnlib.initializers`, and records per layer

- ``forward[k]``: :math:`\operatorname{Var}(a_k)`, the pre-activation of layer k = 1..L;
- ``backward[k]``: :math:`\operatorname{Var}(\partial L/\partial h_{k-1})`, the gradient reaching
  the input of layer k (``backward[0]`` is the gradient at the network's input).

With He's fan_in mode the forward variance is constant and the backward one changes by
:math:`n_\text{out}/n_\text{in}` per layer, a product that telescopes to
:math:`n_L / n_1`-type constants: neither explodes with depth (He et al. 2015, section 2.2), and
fan_out mode swaps the roles.
"""

from dataclasses import dataclass

import numpy as np

from .. import activations
from ..validation import check_callable, check_choice, check_int, check_rng


@dataclass
class StackVariances:
    """Per-layer variances of :func:`stack_variances` (arrays of shape (L,), layer 1 first)."""

    widths: tuple
    forward: np.ndarray
    backward: np.ndarray


def stack_variances(rng, widths, init, activation="relu", n_samples=500):
    """Forward and backward variances through layers ``widths[0] -> widths[1] -> ... -> widths[-1]``.

    rng : np.random.Generator or int seed -- draws the inputs, the weights (through ``init``) and the
        top gradient, all of them standard normal but the weights.
    widths : sequence of >= 2 ints >= 1 -- the input width, then each layer's width.
    init : callable ``init(rng, (fan_in, fan_out)) -> W`` (e.g. ``nnlib.initializers.he_normal``).
    activation : a name of :mod:`nnlib.activations`;  n_samples : int >= 2.

    Returns a :class:`StackVariances`.
    """
    rng = check_rng(rng)
    if isinstance(widths, (str, bytes)) or not hasattr(widths, "__len__") or len(widths) < 2:
        raise ValueError(f"widths must be a sequence of at least 2 ints (input width, layer widths), got {widths!r}")
    widths = tuple(check_int(n, f"widths[{i}]", minimum=1) for i, n in enumerate(widths))
    check_callable(init, "init", "an initializer init(rng, (fan_in, fan_out))")
    act = activations.get(check_choice(activation, "activation", set(activations.NAMES) | {"linear"}))
    n_samples = check_int(n_samples, "n_samples", minimum=2)
    h = rng.standard_normal((n_samples, widths[0]))
    weights, pre, forward = [], [], []
    for fan_in, fan_out in zip(widths[:-1], widths[1:]):
        W = np.asarray(init(rng, (fan_in, fan_out)), dtype=np.float64)
        if W.shape != (fan_in, fan_out):
            raise ValueError(f"init must return an array of shape {(fan_in, fan_out)}, got {W.shape}")
        a = h @ W
        weights.append(W)
        pre.append(a)
        forward.append(a.var())
        h = act.forward(a)
    dh = rng.standard_normal((n_samples, widths[-1]))
    backward = np.empty(len(weights))
    for k in range(len(weights) - 1, -1, -1):
        da = dh * act.derivative(pre[k], act.forward(pre[k]))
        dh = da @ weights[k].T
        backward[k] = dh.var()
    return StackVariances(widths, np.array(forward), backward)

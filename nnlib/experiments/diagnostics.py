r"""Per-layer diagnostics of a network being trained: is the optimization the problem?

When a deep net does not fit its *training* set, practitioners look inside it layer by layer:

- the spread (standard deviation) of each layer's activations and of the gradients flowing
  back into it: gradients that shrink by a constant factor per layer *vanish* in a deep net;
- the fraction of **saturated** sigmoid/tanh units, sitting on a flat tail where
  :math:`g'(a) \approx 0` and passing almost no gradient (:func:`saturated_mask`);
- the fraction of **dead** ReLU units, off for every input and so never updated (:func:`dead_units`);
- the **update-to-weight ratio** :math:`\|\Delta W^{(k)}\| / \|W^{(k)}\|` over training:
  about :math:`10^{-3}` per step is the usual rule of thumb; far below, the layer does not
  learn; far above, training is unstable.

The two definitions, used everywhere in nnlib (the variance explorer of notebook 02 counts
with the same rules as the diagnostics of notebook 04):

- a unit is **saturated** on a sample when :math:`g'(a) < 0.1 \max g'` (:data:`SATURATION_THRESHOLD`),
  for the activations that saturate: :math:`|\tanh a| > 0.949`, or :math:`\sigma(a) < 0.0257`
  or :math:`> 0.974`;
- a unit is **dead** on a batch when :math:`a \le 0` on every sample of it: a ReLU then outputs 0
  and passes no gradient to its incoming weights, for any of these inputs.

Everything here reads :meth:`nnlib.MLP.trace` (one forward and backward pass on a batch) or
the weights between epochs (:class:`UpdateRatio`, a :class:`nnlib.callbacks.Callback`).
Arrays use N samples and ``n_layers`` weight layers (hidden layers plus the output layer).
Plots of these numbers are in :mod:`nnlib.viz.plots`.
"""

from dataclasses import dataclass

import numpy as np

from .. import activations
from ..callbacks import Callback
from ..mlp import check_net
from ..validation import as_float_array, check_bool, check_choice, check_int, check_interval

#: A unit is saturated where its derivative is below this fraction of the activation's largest one.
SATURATION_THRESHOLD = 0.1
#: The saturation rule in words, for plot labels.
SATURATION_RULE = "g'(a) < 10 % of its maximum"
#: The dead-unit rule in words, for plot labels.
DEAD_RULE = "a <= 0 on every sample"

#: The usual target for the update-to-weight ratio per optimizer step.
UPDATE_RATIO_RULE_OF_THUMB = 1e-3

_HIST_QUANTITIES = ("pre_activation", "activation", "grad_pre_activation", "grad_activation", "grad_W")


def _saturating(activation):
    act = activations.get(activation)
    if not act.saturates:
        raise ValueError(f"activation {act.name!r} does not saturate: saturation applies to sigmoid and tanh")
    return act


def _check_mask(mask, name, shape, what):
    """A bool array of ``shape`` (``what`` says what it holds, for the message)."""
    if isinstance(mask, (str, bytes)) or mask is None:
        raise TypeError(f"{name} must be a bool array ({what}) of shape {shape}, got {type(mask).__name__}")
    arr = np.asarray(mask)
    if arr.dtype != bool:
        raise TypeError(f"{name} must be a bool array ({what}) of shape {shape}, got an array of dtype {arr.dtype}")
    if arr.shape != shape:
        raise ValueError(f"{name} must have shape {shape}, got {arr.shape}")
    return arr


def saturated_mask(derivative, activation, out=None, check=True):
    r"""Where a unit is saturated: :math:`g'(a) <` :data:`SATURATION_THRESHOLD` :math:`\cdot \max g'`.

    Parameters
    ----------
    derivative : ndarray, any shape -- :math:`g'(a)`, finite.
    activation : a name or :class:`nnlib.activations.Activation` that saturates (sigmoid, tanh).
    out : bool ndarray shaped like ``derivative``, optional -- written in place (no allocation).
    check : bool -- ``False`` skips the checks, for callers whose arguments are known good (a
        hot loop such as the propagation probe's, with an Activation that saturates).

    Returns
    -------
    bool ndarray shaped like ``derivative``.
    """
    if not check:
        return np.less(derivative, SATURATION_THRESHOLD * activation.max_derivative, out=out)
    act = _saturating(activation)
    derivative = as_float_array(derivative, "derivative", ndim=range(0, 33), dtype=None, allow_empty=True)
    if out is not None:
        if not isinstance(out, np.ndarray):
            raise TypeError(f"out must be a bool ndarray of shape {derivative.shape}, got {type(out).__name__}")
        _check_mask(out, "out", derivative.shape, "written in place")
        if not out.flags.writeable:
            raise ValueError("out must be writable, got a read-only array")
    return saturated_mask(derivative, act, out=out, check=False)


def saturated_fraction(a, activation):
    r"""Fraction of the entries of the pre-activations ``a`` (N, H) where the unit is saturated
    (:func:`saturated_mask`: :math:`g'(a) < 0.1 \max g'`); ``activation`` is sigmoid or tanh."""
    act = _saturating(activation)
    a = as_float_array(a, "a", ndim=2)
    derivative = act.derivative(a, act.forward(a))
    return float(np.mean(saturated_mask(derivative, act, check=False)))


def dead_units(a, active=None, check=True):
    r"""Which units are dead on this batch: off (:math:`a \le 0`) on every row.

    Such a ReLU unit outputs 0 and has :math:`g'(a) = 0` on all these inputs: no gradient reaches
    its incoming weights, so nothing can switch it back on ("dying ReLU").

    Parameters
    ----------
    a : ndarray, shape (N, H) -- a layer's pre-activations.
    active : bool ndarray, shape (N, H), optional -- the mask ``a > 0`` if it is already at hand.
    check : bool -- ``False`` skips the checks (a hot loop passing its own ``active`` mask).

    Returns
    -------
    bool ndarray, shape (H,)
    """
    if check:
        a = as_float_array(a, "a", ndim=2, dtype=None)
        active = a > 0.0 if active is None else _check_mask(active, "active", a.shape, "the mask a > 0")
    elif active is None:
        active = a > 0.0
    return ~active.any(axis=0)


def dead_fraction(a):
    """Fraction of the units of one layer that are dead (:func:`dead_units`) on the batch ``a`` (N, H)."""
    return float(np.mean(dead_units(a)))


def dead_fractions(net, X):
    """:func:`dead_fraction` of every hidden layer of a ReLU ``net`` on the rows of ``X``
    (NaN for other activations, which have no dead units). Returns shape (n_layers - 1,)."""
    check_net(net)
    layers = net.trace(X)[:-1]
    if net.activation.name != "relu":
        return np.full(len(layers), np.nan)
    return np.array([dead_fraction(layer.pre_activation) for layer in layers])


@dataclass
class LayerStatistics:
    """Per-layer numbers for one batch (see :func:`layer_statistics`).

    Every array has one entry per weight layer, ``n_layers`` = hidden layers + 1; index 0 is
    the first hidden layer and index -1 the output layer. Entries that do not apply are NaN:
    activation, saturation and dead-unit numbers of the output layer, saturation for
    activations that do not saturate, dead units for activations other than ReLU.
    """

    activation: str
    pre_activation_std: np.ndarray
    activation_std: np.ndarray
    grad_pre_activation_std: np.ndarray
    grad_W_std: np.ndarray
    weight_std: np.ndarray
    saturated: np.ndarray
    dead: np.ndarray

    @property
    def n_layers(self):
        return len(self.grad_W_std)

    @property
    def gradient_ratio(self):
        r"""std of the last layer's weight gradient / std of the first layer's: :math:`\gg 1` means vanishing.

        inf when no gradient at all reaches the first layer, NaN when none reaches either.
        """
        first, last = float(self.grad_W_std[0]), float(self.grad_W_std[-1])
        if first == 0.0:
            return float("inf") if last > 0.0 else float("nan")
        return last / first

    def table(self):
        """The statistics as a fixed-width text table, 3 significant digits, one row per layer."""
        cols = [("layer", None), ("std a", self.pre_activation_std), ("std h", self.activation_std),
                ("std dL/da", self.grad_pre_activation_std), ("std dL/dW", self.grad_W_std),
                ("saturated %", 100 * self.saturated), ("dead %", 100 * self.dead)]
        lines = ["".join(f"{name:>12}" for name, _ in cols)]
        for k in range(self.n_layers):
            label = "output" if k == self.n_layers - 1 else f"hidden {k + 1}"
            cells = [f"{label:>12}"]
            for _, values in cols[1:]:
                v = values[k]
                cells.append(f"{'-':>12}" if np.isnan(v) else f"{v:>12.3g}")
            lines.append("".join(cells))
        return "\n".join(lines)


def layer_statistics(net, X, y):
    r"""Trace one batch through ``net`` and summarize every layer.

    Parameters
    ----------
    net : nnlib.MLP
    X : ndarray, shape (N, n_inputs)
    y : targets as the net's loss expects them (labels (N,) for softmax).

    Returns
    -------
    LayerStatistics
        Standard deviations over all entries of each layer's pre-activations :math:`a^{(k)}`,
        activations :math:`h^{(k)}`, back-propagated gradients :math:`\delta^{(k)} = \partial L/\partial a^{(k)}`
        and weight gradients :math:`\partial L/\partial W^{(k)}` (of the mean data loss, no
        penalty, evaluation mode), the weights' own spread, and saturation / dead-unit fractions.
    """
    check_net(net)
    layers = net.trace(X, y)
    name = net.activation.name
    n = len(layers)
    nan = np.full(n, np.nan)
    stats = LayerStatistics(
        activation=name,
        pre_activation_std=np.array([np.std(t.pre_activation) for t in layers]),
        activation_std=np.array([np.std(t.activation) for t in layers[:-1]] + [np.nan]),
        grad_pre_activation_std=np.array([np.std(t.grad_pre_activation) for t in layers]),
        grad_W_std=np.array([np.std(t.grad_W) for t in layers]),
        weight_std=np.array([np.std(net.params[f"W{k}"]) for k in range(1, n + 1)]),
        saturated=nan.copy(),
        dead=nan.copy(),
    )
    for k, t in enumerate(layers[:-1]):
        if net.activation.saturates:
            stats.saturated[k] = saturated_fraction(t.pre_activation, net.activation)
        if name == "relu":
            stats.dead[k] = dead_fraction(t.pre_activation)
    return stats


def layer_histograms(net, X, y=None, quantity="activation", bins=40, log10=False, value_range=None):
    r"""Histograms of one traced quantity, one per hidden layer, on shared bins.

    Parameters
    ----------
    net : nnlib.MLP;  X : (N, n_inputs)
    y : targets -- needed for the gradient quantities only.
    quantity : {"pre_activation", "activation", "grad_pre_activation", "grad_activation", "grad_W"}
        A field of :class:`nnlib.mlp.LayerTrace`.
    bins : int -- number of bins.
    log10 : bool
        Histogram :math:`\log_{10}|v|` instead of :math:`v`: the natural axis for gradients that
        differ by orders of magnitude between layers. Exact zeros (e.g. behind a ReLU that is
        off) have no logarithm and are left out.
    value_range : (low, high), optional -- bin range; default: the smallest and largest value
        over all layers.

    Returns
    -------
    edges : ndarray, shape (bins + 1,)
    density : ndarray, shape (n_hidden, bins) -- each row integrates to 1 (all zeros if a
        layer has no value to count).
    """
    check_net(net)
    quantity = check_choice(quantity, "quantity", set(_HIST_QUANTITIES))
    bins = check_int(bins, "bins", minimum=1)
    log10 = check_bool(log10, "log10")
    if value_range is not None:
        value_range = check_interval(value_range, "value_range")
    need_grad = quantity.startswith("grad")
    if need_grad and y is None:
        raise ValueError(f"quantity={quantity!r} is a gradient: pass the targets y to backpropagate")
    layers = net.trace(X, y if need_grad else None)[:-1]
    if not layers:
        raise ValueError("net has no hidden layer to histogram")
    values = []
    for t in layers:
        v = np.ravel(getattr(t, quantity))
        if log10:
            v = np.abs(v)
            v = np.log10(v[v > 0])
        values.append(v)
    if value_range is None:
        nonempty = [v for v in values if v.size]
        if not nonempty:
            raise ValueError(f"every {quantity} value is zero: nothing to histogram on a log scale")
        lo, hi = min(v.min() for v in nonempty), max(v.max() for v in nonempty)
        if hi <= lo:
            lo, hi = lo - 0.5, hi + 0.5
    else:
        lo, hi = value_range
    edges = np.linspace(lo, hi, bins + 1)
    density = np.zeros((len(values), bins))
    for k, v in enumerate(values):
        counts, _ = np.histogram(v, edges)
        if counts.sum():
            density[k] = counts / (counts.sum() * np.diff(edges))
    return edges, density


class UpdateRatio(Callback):
    r"""Record the update-to-weight ratio of every weight matrix after each epoch.

    .. math:: r_k(e) = \frac{\|W^{(k)}_e - W^{(k)}_{e-1}\|_F}{\|W^{(k)}_{e-1}\|_F},

    the relative change of layer :math:`k`'s weights during epoch :math:`e` (Frobenius norms;
    biases are left out). With ``batch_size`` equal to the training-set size an epoch is one
    step, so this is the per-step ratio the :math:`10^{-3}` rule of thumb refers to. With S
    minibatches per epoch the steps add up, and :math:`r_k / S` is (nearly) a lower bound on the mean
    per-step ratio.

    Attributes
    ----------
    Filled by :meth:`nnlib.Trainer.fit`; a new ``fit`` starts a new record.

    ratio : ndarray, shape (epochs, n_layers) -- :math:`r_k(e)`; NaN where the weights were all zero.
    weight_norm : ndarray, shape (epochs + 1, n_layers) -- :math:`\|W^{(k)}\|_F` at the start and
        after each epoch.
    """

    def __init__(self):
        self._ratios, self._norms, self._prev = [], [], None

    def _weights(self, net):
        keys = sorted((k for k in net.params if k.startswith("W")), key=lambda k: int(k[1:]))
        return [net.params[k] for k in keys]

    def on_train_begin(self, trainer, history, epochs):
        self._prev = [W.copy() for W in self._weights(trainer.net)]
        self._ratios = []
        self._norms = [[float(np.linalg.norm(W)) for W in self._prev]]

    def on_epoch_end(self, trainer, history):
        current = self._weights(trainer.net)
        row = []
        for W, W_prev, norm_prev in zip(current, self._prev, self._norms[-1]):
            change = float(np.linalg.norm(W - W_prev))
            row.append(change / norm_prev if norm_prev > 0 else np.nan)
        self._ratios.append(row)
        self._norms.append([float(np.linalg.norm(W)) for W in current])
        self._prev = [W.copy() for W in current]

    @property
    def ratio(self):
        if self._prev is None:
            raise ValueError("UpdateRatio has no record yet: pass it to Trainer.fit(callbacks=[...]) first")
        return np.array(self._ratios, dtype=float).reshape(len(self._ratios), len(self._prev))

    @property
    def weight_norm(self):
        if self._prev is None:
            raise ValueError("UpdateRatio has no record yet: pass it to Trainer.fit(callbacks=[...]) first")
        return np.array(self._norms, dtype=float)

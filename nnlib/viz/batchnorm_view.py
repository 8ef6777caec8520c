r"""An interactive view of a deep net at initialization with and without batch normalization,
and a short training run on a button.

Controls: the scale that multiplies the hidden weights (a log slider over six decades), the depth,
the activation and batch norm on/off. Left: the spread of every hidden layer's activations
:math:`h^{(k)}`; middle: the spread of every weight gradient :math:`\partial L/\partial W^{(k)}`;
both for the same weights without batch norm and with it (the chosen setting drawn bold), from
:func:`nnlib.experiments.deep_training.init_profiles`. Right: the training loss per epoch of the
chosen setting once "train" is pressed (:func:`nnlib.experiments.deep_training.train_deep`, with a
progress bar); moving a control clears it.

    view = BatchNormView(X, y, rng=0)
    view.widget          # display it in a notebook cell
"""

import weakref

import ipywidgets as w
import numpy as np
from matplotlib.ticker import MaxNLocator

from ..callbacks import Callback
from ..experiments.deep_training import init_profiles, train_deep
from ..validation import as_float_array, check_bool, check_choice, check_int, check_real, one_seed
from .live_figure import LiveFigure
from .style import PALETTE
from .view import View, locked

#: The scale slider's range and the activations offered.
SCALE_MIN, SCALE_MAX = 1e-3, 1e3
ACTIVATIONS = ("relu", "tanh", "sigmoid")
#: The deepest net the depth slider offers (each move traces two nets of this depth at most).
MAX_DEPTH = 30
COLORS = {"plain": PALETTE[1], "batch norm": PALETTE[0]}
#: The figure: 3 panels, 990 x 315 pixels at dpi 90.
FIGSIZE = (11, 3.5)
LOSS_MAX = 1.0
#: The statistics panels show log10 of the spread on fixed axes (no repaint of the background
#: when a slider moves); values beyond 10^±DECADES are drawn at the edge.
DECADES = 20


def _scale(value):
    return check_real(value, "scale", minimum=SCALE_MIN, maximum=SCALE_MAX)


def log10_clipped(values):
    """log10 of spreads (> 0) clipped to [-DECADES, DECADES]; a spread of 0 is drawn at the bottom."""
    values = np.asarray(values, dtype=float)
    with np.errstate(divide="ignore"):
        return np.clip(np.log10(values), -DECADES, DECADES)


class _Progress(Callback):
    """Moves an ``IntProgress`` bar after every epoch (holding the bar weakly)."""

    def __init__(self, bar):
        self._bar = weakref.ref(bar)

    def on_epoch_end(self, trainer, history):
        bar = self._bar()
        if bar is not None:
            bar.value = len(history.loss)


class BatchNormView(View):
    """Per-layer statistics of a deep net at initialization, with and without batch norm.

    Parameters (each must lie in its control's range; nothing is clamped)
    ----------
    X : ndarray (N, D), N >= 2;  y : (N,) integer labels -- the batch traced and the training data.
    scale : float in [1e-3, 1e3] -- factor on the hidden weights drawn by ``weight_init``.
    depth : int in [1, max_depth];  max_depth : int in [1, 30] -- the depth slider's end.
    activation : "relu", "tanh" or "sigmoid";  batch_norm : bool -- the setting drawn bold and trained.
    width : int in [2, 256];  weight_init : an :mod:`nnlib.initializers` name (default He).
    epochs : int in [1, 500], lr : float > 0, momentum : float in [0, 1), batch_size : int >= 2 -- of
    the training run behind the "train" button.
    n_trace : int >= 2 -- the statistics are taken over this many rows of X drawn at random
    (all of them when fewer; 128 keeps a move fast);
    rng : np.random.Generator or int seed (required): the weights, the rows traced, the minibatch order.

    Attributes
    ----------
    live : LiveFigure;  profiles : the two :class:`~nnlib.experiments.deep_training.LayerProfile`
    drawn now;  run : the last :class:`~nnlib.experiments.deep_training.DeepRun`, or None.
    """

    def __init__(self, X, y, scale=1.0, depth=20, activation="relu", batch_norm=False, width=32,
                 weight_init="he_normal", max_depth=MAX_DEPTH, epochs=30, lr=0.01, momentum=0.9,
                 batch_size=50, n_trace=128, rng=None):
        X = as_float_array(X, "X", ndim=2)
        y = np.asarray(y)
        if len(X) < 2 or len(y) != len(X):
            raise ValueError(f"X and y must hold the same number (>= 2) of samples, got {len(X)} and {len(y)}")
        scale = _scale(scale)
        max_depth = check_int(max_depth, "max_depth", minimum=1, maximum=MAX_DEPTH)
        depth = check_int(depth, "depth", minimum=1, maximum=max_depth)
        activation = check_choice(activation, "activation", ACTIVATIONS)
        batch_norm = check_bool(batch_norm, "batch_norm")
        self.width = check_int(width, "width", minimum=2, maximum=256)
        self.epochs = check_int(epochs, "epochs", minimum=1, maximum=500)
        self.lr = check_real(lr, "lr", minimum=0.0, min_inclusive=False)
        self.momentum = check_real(momentum, "momentum", minimum=0.0, maximum=1.0, max_inclusive=False)
        self.batch_size = check_int(batch_size, "batch_size", minimum=2)
        self.seed = one_seed(rng)
        self.weight_init = weight_init
        n_trace = check_int(n_trace, "n_trace", minimum=2)
        self.X, self.y, self.max_depth = X, y, max_depth
        rows = np.random.default_rng(self.seed).permutation(len(X))[:n_trace]
        self.X_trace, self.y_trace = X[rows], y[rows]
        init_profiles(self.seed, X[:2], y[:2], 1, 2, activation, weight_init, 1.0)  # weight_init and y usable
        self.scale = w.FloatLogSlider(value=scale, base=10, min=np.log10(SCALE_MIN), max=np.log10(SCALE_MAX),
                                      step=0.05, description="weight scale", readout_format=".3g")
        self.depth = w.IntSlider(value=depth, min=1, max=max_depth, description="depth")
        self.activation = w.Dropdown(options=list(ACTIVATIONS), value=activation, description="activation")
        self.batch_norm = w.Checkbox(value=batch_norm, description="batch norm")
        self.button = w.Button(description=f"train {self.epochs} epochs")
        self.progress = w.IntProgress(value=0, min=0, max=self.epochs, description="epochs")
        self.summary = w.HTML()
        self.on_click(self.button, "_on_train")
        self.profiles, self.run = None, None
        self._build_figure()
        for control in (self.scale, self.depth, self.activation):
            self.observe(control, "_on_change")
        self.observe(self.batch_norm, "_on_batch_norm")  # the same two nets: only the bold curve changes
        self._finish(w.VBox([w.HBox([self.scale, self.depth]), w.HBox([self.activation, self.batch_norm]),
                             w.HBox([self.button, self.progress]), self.live.image, self.summary]))
        self.update()

    # ---------------------------------------------------------------- figure
    def _build_figure(self):
        self.live = LiveFigure(1, 3, figsize=FIGSIZE, dpi=90)
        ax_h, ax_g, ax_l = self.live.axes
        self._lines = {}
        for ax, title, ylabel in ((ax_h, "activations at initialization", "log10 std of h"),
                                  (ax_g, "weight gradients at initialization", "log10 std of dL/dW")):
            ax.set_title(title, fontsize=10)
            ax.set_xlabel("layer")
            ax.set_ylabel(ylabel + f" (clipped at ±{DECADES})", fontsize=9)
            ax.set_ylim(-DECADES - 0.5, DECADES + 0.5)
            ax.set_yticks(np.arange(-DECADES, DECADES + 1, 5))
            ax.set_xlim(0.5, self.max_depth + 1.5)  # fixed: a depth move repaints only the curves
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            for label, color in COLORS.items():
                self._lines[ax, label] = ax.plot([], [], "o-", ms=3, color=color, label=label)[0]
        ax_l.set_title("training loss (the \"train\" button)", fontsize=10)
        ax_l.set_xlabel("epoch")
        ax_l.set_ylabel("mean training loss")
        ax_l.set_ylim(0, LOSS_MAX)
        ax_l.set_xlim(0, self.epochs)
        ax_l.axhline(np.log(2), color="0.5", lw=0.8, ls=":")
        ax_l.text(0.5, np.log(2) + 0.02, "log 2 (a coin flip)", fontsize=7, color="0.4")
        (self._loss,) = ax_l.plot([], [], "-", lw=1.5)
        self.live.figure.legend(handles=[self._lines[ax_h, label] for label in COLORS], loc="upper center",
                                bbox_to_anchor=(0.36, 1.0), ncol=2, fontsize=8, frameon=False)
        self.live.figure.subplots_adjust(left=0.06, right=0.99, bottom=0.15, top=0.84, wspace=0.3)
        self.live.animate(*self._lines.values(), self._loss)

    def _draw(self):
        ax_h, ax_g, ax_l = self.live.axes
        chosen = "batch norm" if self.batch_norm.value else "plain"
        for ax, field in ((ax_h, "activation_std"), (ax_g, "grad_W_std")):
            for label, profile in self.profiles.items():
                data = getattr(profile, field)
                line = self._lines[ax, label]
                line.set_data(np.arange(1, len(data) + 1), log10_clipped(data))
                line.set_linewidth(2.2 if label == chosen else 0.8)
                line.set_alpha(1.0 if label == chosen else 0.45)
        losses = self.run.history.loss if self.run is not None else []
        self._loss.set_data(np.arange(1, len(losses) + 1), np.minimum(losses, LOSS_MAX))
        self._loss.set_color(COLORS[chosen])
        self.live.redraw()  # fixed axes: only the curves are repainted

    # ---------------------------------------------------------------- wiring
    def _on_change(self, change):
        if not self._syncing:
            self.update()

    def _on_batch_norm(self, change):
        if not self._syncing:
            self._check_open()
            self.run, self.progress.value = None, 0
            self._draw()

    def _on_train(self, button):
        self.train()

    @locked
    def set(self, scale=None, depth=None, activation=None, batch_norm=None):
        """Move the controls to these values (None keeps one) and redraw once; returns the profiles."""
        self._check_open()
        values = {}
        if scale is not None:
            values[self.scale] = _scale(scale)
        if depth is not None:
            values[self.depth] = check_int(depth, "depth", minimum=1, maximum=self.max_depth)
        if activation is not None:
            values[self.activation] = check_choice(activation, "activation", ACTIVATIONS)
        if batch_norm is not None:
            values[self.batch_norm] = check_bool(batch_norm, "batch_norm")
        self._move_controls(values)
        return self.update()

    @locked
    def update(self):
        """Trace the two nets for the current controls, clear the training curve and redraw."""
        self._check_open()
        self.profiles = init_profiles(self.seed, self.X_trace, self.y_trace, self.depth.value, self.width,
                                      self.activation.value, self.weight_init, self.scale.value)
        self.run = None
        self.progress.value = 0
        self._draw()
        p, b = self.profiles["plain"], self.profiles["batch norm"]
        self.summary.value = (
            f"last hidden layer's std of h: plain {p.activation_std[-1]:.3g}, batch norm {b.activation_std[-1]:.3g}; "
            f"first layer's std of dL/dW: plain {p.grad_W_std[0]:.3g}, batch norm {b.grad_W_std[0]:.3g}")
        return self.profiles

    @locked
    def train(self):
        """Train the chosen setting for ``epochs`` epochs (the progress bar follows), draw its loss
        curve and return the :class:`~nnlib.experiments.deep_training.DeepRun`."""
        self._check_open()
        self.progress.value = 0
        self.button.disabled = True
        try:
            run = train_deep(self.seed, self.X, self.y, self.depth.value, self.width, self.activation.value,
                             self.weight_init, self.scale.value, self.batch_norm.value, self.lr, self.momentum,
                             self.batch_size, self.epochs, callbacks=[_Progress(self.progress)])
        finally:
            self.button.disabled = False
        self.run = run
        self._draw()
        outcome = "diverged" if run.history.diverged else f"final loss {run.final_loss:.3g}, accuracy {run.final_accuracy:.3g}"
        setting = "batch norm" if self.batch_norm.value else "plain"
        self.summary.value = f"trained ({setting}, scale {self.scale.value:.3g}, depth {self.depth.value}): {outcome}"
        return run

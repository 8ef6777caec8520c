r"""An interactive view of underfitting: pick the activation, the initialization, the depth and
the optimizer; a small deep net is trained and one figure is repainted.

The computation is :func:`nnlib.experiments.underfitting.diagnose` (full-batch training that
records the loss and every layer's weight-gradient spread at every step); this view only wires
controls to it. A run takes a fraction of a second; while it trains, the status line says so.
Every run and its picture are kept, so returning to a setting shows it at once.

Panels: the training loss against the step, with the best linear classifier's loss as a dashed
line (below it the net has learned something non-linear); the standard deviation of each layer's
weight gradient at the first and at the last step, on a log axis (a slope from right to left is
a vanishing gradient).
"""

import ipywidgets
import numpy as np

from ..experiments import underfitting
from ..validation import as_float_array, check_choice, check_int, one_seed
from .live_figure import LiveFigure
from .style import PALETTE
from .view import View, locked

#: The activations offered (the others of nnlib behave like one of these here).
VIEW_ACTIVATIONS = ("sigmoid", "tanh", "relu")
MIN_DEPTH, MAX_DEPTH = 2, 10


class UnderfittingView(View):
    """Activation, initialization, depth and optimizer controls over :func:`underfitting.diagnose`.

    Parameters
    ----------
    X : (N, 2);  y : (N,) 0/1 labels -- the training set.
    activation : one of :data:`VIEW_ACTIVATIONS`;  init : a key of ``underfitting.INITS``;
    depth : int in [2, 10];  optimizer : a key of ``underfitting.OPTIMIZERS`` -- the initial setting.
    steps : int in [10, 1000] -- full-batch steps per run;  width : int in [2, 128].
    lrs : dict optimizer name -> learning rate, optional (default SGD 0.05, momentum 0.05, Adam 0.01).
    rng : int seed or Generator -- one seed drawn from it sets the weights of every run (runs
        differ only in the controls); ``seed`` holds it.

    Attributes
    ----------
    runs : dict (activation, init, depth, optimizer) -> :class:`underfitting.DiagnosedRun`
    baseline : :class:`underfitting.LinearBaseline` of ``(X, y)``
    live, widget; controls ``activation_menu``, ``init_menu``, ``depth_slider``, ``optimizer_menu``, ``status``.
    """

    def __init__(self, X, y, activation="sigmoid", init="N(0, 0.01²)", depth=8, optimizer="SGD", steps=150,
                 width=32, lrs=None, rng=1):
        self._X = np.array(as_float_array(X, "X", ndim=2))
        self._y = np.asarray(y).copy()
        self.baseline = underfitting.linear_baseline(self._X, self._y)  # validates y as 0/1 labels
        activation = check_choice(activation, "activation", set(VIEW_ACTIVATIONS))
        init = check_choice(init, "init", set(underfitting.INITS))
        depth = check_int(depth, "depth", minimum=MIN_DEPTH, maximum=MAX_DEPTH)
        optimizer = check_choice(optimizer, "optimizer", set(underfitting.OPTIMIZERS))
        self.steps = check_int(steps, "steps", minimum=10, maximum=1000)
        self.width = check_int(width, "width", minimum=2, maximum=128)
        self.seed = one_seed(rng)
        self.lrs = {"SGD": 0.05, "SGD + momentum 0.9": 0.05, "Adam": 0.01}
        if lrs is not None:
            if not isinstance(lrs, dict):
                raise TypeError(f"lrs must be a dict optimizer name -> learning rate, got {type(lrs).__name__}")
            for name, lr in lrs.items():
                check_choice(name, "each key of lrs", set(underfitting.OPTIMIZERS))
                if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not lr > 0:
                    raise ValueError(f"lrs[{name!r}] must be a learning rate > 0, got {lr!r}")
                self.lrs[name] = float(lr)
        self.runs = {}
        self._pictures = {}  # setting -> its PNG: a setting seen before is shown at once, not drawn again

        self.live = LiveFigure(1, 2, figsize=(10.5, 3.6), dpi=90)
        self._build_artists()
        self.activation_menu = ipywidgets.Dropdown(options=list(VIEW_ACTIVATIONS), value=activation,
                                                   description="activation")
        self.init_menu = ipywidgets.Dropdown(options=list(underfitting.INITS), value=init, description="init")
        self.depth_slider = ipywidgets.IntSlider(value=depth, min=MIN_DEPTH, max=MAX_DEPTH, description="depth",
                                                 continuous_update=False)
        self.optimizer_menu = ipywidgets.Dropdown(options=list(underfitting.OPTIMIZERS), value=optimizer,
                                                  description="optimizer")
        self.status = ipywidgets.Label(value="")
        for control in (self.activation_menu, self.init_menu, self.depth_slider, self.optimizer_menu):
            self.observe(control, "_on_change")
        controls = ipywidgets.VBox([ipywidgets.HBox([self.activation_menu, self.init_menu]),
                                    ipywidgets.HBox([self.depth_slider, self.optimizer_menu]), self.status])
        self._finish(ipywidgets.VBox([controls, self.live.image]))
        self.update(activation, init, depth, optimizer)
        self.live.figure.tight_layout()  # once, now that the titles exist
        self.live.redraw(full=True)
        self._pictures = {self._key(): self.live.image.value}  # drawn before the layout: drawn again

    # ------------------------------------------------------------------ figure
    def _build_artists(self):
        ax_loss, ax_grad = self.live.axes
        steps = np.arange(1, self.steps + 1)
        (self._loss_line,) = ax_loss.plot(steps, np.full(self.steps, np.nan), color=PALETTE[0], label="deep net")
        ax_loss.axhline(self.baseline.loss, color="black", linestyle="--", linewidth=1,
                        label=f"best linear classifier, {self.baseline.loss:.3g}")
        ax_loss.axhline(np.log(2), color="grey", linestyle=":", linewidth=1, label="50/50 guess, log 2")
        ax_loss.set(yscale="log", ylim=(1e-3, 3.0), xlim=(1, self.steps), xlabel="step (full batch)",
                    ylabel="training cross-entropy (nats)")
        ax_loss.legend(fontsize="x-small", loc="lower left")
        layers = np.arange(1, MAX_DEPTH + 2)
        (self._grad_first,) = ax_grad.plot(layers, np.full(len(layers), np.nan), "o-", color=PALETTE[1],
                                           markersize=4, label="step 1")
        (self._grad_last,) = ax_grad.plot(layers, np.full(len(layers), np.nan), "s-", color=PALETTE[2],
                                          markersize=4, label=f"step {self.steps}")
        ax_grad.set(yscale="log", ylim=(1e-20, 10.0), xlabel="weight layer (1 = first hidden, last = output)",
                    ylabel=r"std of $\partial L/\partial W$ (nats per unit weight)")
        ax_grad.legend(fontsize="x-small", loc="lower right")

    def _run(self, key):
        if key not in self.runs:
            activation, init, depth, optimizer = key
            self.runs[key] = underfitting.diagnose(self.seed, self._X, self._y, activation, init, depth, self.width,
                                                   optimizer, self.lrs[optimizer], self.steps)
        return self.runs[key]

    def _show(self, key):
        run = self._run(key)
        ax_loss, ax_grad = self.live.axes
        loss = np.full(self.steps, np.nan)
        loss[:len(run.loss)] = run.loss
        self._loss_line.set_ydata(np.clip(loss, 1e-3, None))
        n = run.grad_std.shape[1]
        floor = 1e-20  # a gradient that underflowed to 0 is drawn at the bottom of the axis
        self._grad_first.set_data(np.arange(1, n + 1), np.maximum(run.grad_std[0], floor))
        self._grad_last.set_data(np.arange(1, n + 1), np.maximum(run.grad_std[-1], floor))
        ax_grad.set_xlim(0.5, n + 0.5)
        ax_grad.set_xticks(np.arange(1, n + 1))
        activation, init, depth, optimizer = key
        verdict = "diverged" if run.diverged else (
            "beats the linear classifier" if run.final_loss < self.baseline.loss else "no better than linear")
        ax_loss.set_title(f"{activation}, {init}, {optimizer}: final loss {run.final_loss:.3g}, "
                          f"accuracy {run.accuracy:.3f} ({verdict})", fontsize="small")
        ratio = run.grad_std[0, -1] / run.grad_std[0, 0] if run.grad_std[0, 0] > 0 else np.inf
        ax_grad.set_title(f"{depth} hidden layers: at step 1 the output layer's gradient is {ratio:.2g} × the first's",
                          fontsize="small")

    @locked
    def update(self, activation, init, depth, optimizer):
        """Train (or recall) the run of this setting, move the controls there and repaint."""
        self._check_open()
        key = (check_choice(activation, "activation", set(VIEW_ACTIVATIONS)),
               check_choice(init, "init", set(underfitting.INITS)),
               check_int(depth, "depth", minimum=MIN_DEPTH, maximum=MAX_DEPTH),
               check_choice(optimizer, "optimizer", set(underfitting.OPTIMIZERS)))
        if key not in self.runs:
            self.status.value = f"training {depth} hidden layers for {self.steps} steps ..."
        self._show(key)
        self.status.value = f"trained {len(self.runs)} setting(s); a setting seen before repaints at once"
        self._move_controls(dict(zip((self.activation_menu, self.init_menu, self.depth_slider, self.optimizer_menu),
                                     key)))
        if key in self._pictures:  # the same artists as when it was drawn: the same picture
            self.live.image.value = self._pictures[key]
        else:
            self.live.redraw(full=True)  # the axes' limits and ticks change with the depth: a full render
            self._pictures[key] = self.live.image.value

    def _key(self):
        return (self.activation_menu.value, self.init_menu.value, self.depth_slider.value, self.optimizer_menu.value)

    def _on_change(self, change):
        if not self._syncing:
            self.update(*self._key())

    @locked
    def set(self, activation=None, init=None, depth=None, optimizer=None):
        """Move the controls (None keeps the current value) and repaint."""
        self._check_open()
        self.update(self.activation_menu.value if activation is None else activation,
                    self.init_menu.value if init is None else init,
                    self.depth_slider.value if depth is None else depth,
                    self.optimizer_menu.value if optimizer is None else optimizer)

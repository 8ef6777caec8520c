r"""An interactive view of gradient descent on a 2-feature linear model under feature scaling.

Controls: the scaling (none, standard, min-max) and the learning rate (log slider). Switching
the scaling keeps the learning rate at the same fraction of the new problem's largest stable
rate :math:`2/\lambda_\max` (a rate that suits raw units is far too small for standardized ones,
and the reverse blows up at once).

Left panel: the loss contours of the least-squares problem in the chosen coordinates (see
:func:`nnlib.experiments.objectives.linear_problem`) with the gradient-descent path from
:math:`w = 0`; right panel: the excess loss :math:`L(w_t) - L_\min` against the step :math:`t`, and
in its title the outcome: the step after which the loss stays below the target
(:func:`nnlib.experiments.descent.settled_step`), "unstable" above :math:`2/\lambda_\max` (with the
growth factor per step), or "diverged" (by :func:`nnlib.trainer.diverged`).

A learning-rate move repaints only the path, the loss curve and two short texts over a cached
background (about 30 ms on the development machine); so does a scaling switch, over that scaling's
own background (contours, limits and tick labels), each drawn once when the view is built.

All computation comes from :mod:`nnlib.experiments.objectives` and
:mod:`nnlib.experiments.descent` (problems, grids, surfaces, paths); this module only wires
controls to artists and redraws a :class:`nnlib.viz.LiveFigure` in place.
"""

import ipywidgets
import numpy as np
from matplotlib.ticker import FuncFormatter, MaxNLocator, NullLocator

from ..experiments import descent, objectives
from ..optimizers import SGD
from ..trainer import DIVERGENCE_FACTOR
from ..validation import as_float_array, check_choice, check_int, check_real, check_same_length
from .live_figure import LiveFigure
from .arguments import check_text
from .style import PALETTE
from .view import View, locked

LABELS = {
    "none": "none (raw units)",
    "standard": "standard: (x - mean) / std",
    "minmax": "min-max: (x - min) / (max - min)",
}
_PER = {"none": "per {unit}", "standard": "per std", "minmax": "per range"}
TARGET_FRACTION = 0.01  # the target loss: 1 % of the initial excess loss is left
#: The learning-rate slider's range (a log slider from 1e-7 to 100).
LR_MIN, LR_MAX = 1e-7, 100.0
MAX_RESOLUTION = 1000
#: The figure's size in inches: 960 x 387 pixels at dpi 90, the width of a notebook column.
FIGSIZE = (10.67, 4.3)


def _steps(n):
    return f"{n} step" if n == 1 else f"{n} steps"


def _check_lr(lr):
    return check_real(lr, "lr", minimum=LR_MIN, maximum=LR_MAX)


def _check_pair_of_str(pair, name):
    if isinstance(pair, (str, bytes)) or not hasattr(pair, "__len__"):
        raise TypeError(f"{name} must be a pair of strings, got {type(pair).__name__} {pair!r}")
    if len(pair) != 2:
        raise ValueError(f"{name} must be a pair of strings, got {len(pair)} of them: {pair!r}")
    for k, item in enumerate(pair):
        check_text(item, f"{name}[{k}]")
    return tuple(pair)


class NormalizationView(View):
    """Gradient descent on a 2-feature linear regression, in raw or scaled coordinates.

    Parameters
    ----------
    X : ndarray, shape (N, 2) -- two features (the training split: scales are fitted on it).
    y : ndarray, shape (N,) -- the regression target.
    feature_names : pair of str;  feature_units : pair of str (axis labels).
    target_name, target_unit : str -- for the loss axis, e.g. ``("alcohol", "% vol")``.
    scaling : {"none", "standard", "minmax"} -- the initial choice.
    lr : float in [1e-7, 100] -- the initial learning rate (the slider's range).
    n_steps : int >= 1 -- gradient-descent steps drawn.
    resolution : int in [10, 1000] -- grid points per axis of the contour plot.
    dpi : int in [10, 600] -- render resolution of the figure.

    Attributes
    ----------
    live : LiveFigure -- the figure (``live.show_static(alt=...)`` shows it without a kernel).
    scaling_control : ipywidgets.Dropdown;  lr_control : ipywidgets.FloatLogSlider.
    path : nnlib.experiments.descent.Path -- the path drawn now.
    outcome : str -- what happened to it (the right panel's title).
    lr_text : str -- the learning rate as a fraction of the largest stable rate (above the left panel).
    problems : dict scaling -> nnlib.experiments.objectives.LinearRegression.
    lr_limits, condition_numbers : dict scaling -> float -- :math:`2/\\lambda_\\max` and
        :math:`\\kappa` of each problem's Hessian.
    """

    def __init__(self, X, y, feature_names=("x1", "x2"), feature_units=("unit", "unit"),
                 target_name="y", target_unit="unit", scaling="standard", lr=0.3, n_steps=100,
                 resolution=60, dpi=90):
        X = as_float_array(X, "X", ndim=2)
        if X.shape[1] != 2:
            raise ValueError(f"X must have exactly 2 features (columns) to draw, got shape {X.shape}")
        y = as_float_array(y, "y", ndim=1)
        check_same_length(X, y)
        self.feature_names = _check_pair_of_str(feature_names, "feature_names")
        self.feature_units = _check_pair_of_str(feature_units, "feature_units")
        self.target_name = check_text(target_name, "target_name")
        self.target_unit = check_text(target_unit, "target_unit")
        scaling = check_choice(scaling, "scaling", set(LABELS))
        lr = _check_lr(lr)
        self.n_steps = check_int(n_steps, "n_steps", minimum=1)
        resolution = check_int(resolution, "resolution", minimum=10, maximum=MAX_RESOLUTION)
        dpi = check_int(dpi, "dpi", minimum=10, maximum=600)
        self.w0 = np.zeros(2)

        # everything that does not depend on the learning rate, once per scaling
        self.problems, self.solutions, self.lr_limits, self.surfaces = {}, {}, {}, {}
        self.condition_numbers = {}
        for s in objectives.SCALINGS:
            problem = objectives.linear_problem(X, y, s)
            w_star, l_min = problem.solution()
            w1, w2 = objectives.grid_around(np.vstack([self.w0, w_star]), margin=0.5, resolution=resolution)
            self.problems[s], self.solutions[s] = problem, (w_star, l_min)
            self.lr_limits[s] = descent.stable_lr_limit(problem.hessian())
            self.condition_numbers[s] = objectives.condition_number(problem.hessian())
            self.surfaces[s] = objectives.loss_surface(problem, w1, w2)
        self.loss0 = float(self.problems["standard"].loss(self.w0))
        self.excess0 = self.loss0 - self.solutions["standard"][1]
        if not self.excess0 > 1e-12 * max(self.loss0, 1e-300):
            raise ValueError("X must explain part of y: the best linear fit is no better than w = 0 "
                             "(y or the features are constant), so there is nothing to descend")

        self.live = LiveFigure(1, 2, figsize=FIGSIZE, dpi=dpi, gridspec_kw={"width_ratios": [1.1, 1]})
        self._build_axes()
        self.scaling_control = ipywidgets.Dropdown(
            options=[(LABELS[s], s) for s in objectives.SCALINGS], value=scaling, description="scaling")
        self.lr_control = ipywidgets.FloatLogSlider(
            value=lr, base=10, min=np.log10(LR_MIN), max=np.log10(LR_MAX), step=0.05,
            description="learning rate", readout_format=".2g", continuous_update=False,
            style={"description_width": "initial"}, layout=ipywidgets.Layout(width="420px"))
        for other in objectives.SCALINGS:  # each scaling's background, drawn once: a switch then blits
            if other != scaling:
                self._draw_scaling(other)
                self.live.render(full=True, background=other)
        self._scaling = None  # update() draws the chosen scaling as a new one
        self.update(scaling, lr)
        self._finish(ipywidgets.VBox([ipywidgets.HBox([self.scaling_control, self.lr_control]), self.live.image]))
        self.observe(self.scaling_control, "_on_scaling")
        self.observe(self.lr_control, "_on_lr")

    # ------------------------------------------------------------------ drawing
    def _build_axes(self):
        ax, ax_loss = self.live.axes
        self._contours = None
        (self._path_line,) = ax.plot([], [], "o-", color=PALETTE[0], markersize=2.5, linewidth=1.2,
                                     label="gradient descent")
        (self._start,) = ax.plot([], [], "s", color=PALETTE[1], markersize=7, label="start w = 0", zorder=5)
        (self._minimum,) = ax.plot([], [], "*", color="black", markersize=12, label="minimum", zorder=5)
        ax.legend(loc="upper left", fontsize=8)
        unit2 = f"({self.target_unit})²"
        (self._loss_line,) = ax_loss.plot([], [], color=PALETTE[0], label="gradient descent")
        ax_loss.axhline(TARGET_FRACTION * self.excess0, color=PALETTE[2], linestyle="--",
                        label=f"target: {TARGET_FRACTION:.0%} of the initial excess")
        ax_loss.set_yscale("log")
        ax_loss.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0e}".replace("e-0", "e-").replace("e+0", "e")))
        ax_loss.yaxis.set_minor_locator(NullLocator())  # dozens of minor ticks would double the cost of a full draw
        ax_loss.set_xlim(0, self.n_steps)
        ax_loss.set_ylim(1e-4 * self.excess0, 1e3 * self.excess0)
        ax_loss.set_xlabel("step t")
        ax_loss.set_ylabel(f"excess loss L(w) − L_min {unit2}")
        ax_loss.legend(loc="upper right", fontsize=8)
        ax.ticklabel_format(style="sci", scilimits=(-3, 4))
        ax.xaxis.set_major_locator(MaxNLocator(6))
        ax.yaxis.set_major_locator(MaxNLocator(6))
        # the line of the left title that changes with the learning rate (the rest changes with the scaling)
        self._lr_text = ax.text(0.5, 1.015, "", transform=ax.transAxes, ha="center", va="bottom", fontsize=9)
        # what changes with the learning rate is repainted over a cached background: short texts only,
        # since text is what costs most to paint
        self.live.animate(self._path_line, self._loss_line, self._lr_text, ax_loss.title)
        # fixed margins: a layout engine would cost a second full draw on every update
        self.live.figure.subplots_adjust(left=0.08, right=0.98, bottom=0.13, top=0.85, wspace=0.3)

    def _axis_label(self, k, scaling):
        name, unit = self.feature_names[k], self.feature_units[k]
        per = _PER[scaling].format(unit=unit)
        return f"w{k + 1}, weight of {name} ({self.target_unit} {per})"

    def _draw_scaling(self, scaling):
        ax = self.live.axes[0]
        if self._contours is not None:
            self._contours.remove()
        W1, W2, L = self.surfaces[scaling]
        l_min = self.solutions[scaling][1]
        levels = l_min + self.excess0 * np.geomspace(1e-3, 3.0, 12)
        self._contours = ax.contour(W1, W2, L, levels=levels, colors="0.55", linewidths=0.8)
        ax.set_xlim(W1[0, 0], W1[0, -1])
        ax.set_ylim(W2[0, 0], W2[-1, 0])
        ax.set_xlabel(self._axis_label(0, scaling), fontsize=9)
        ax.set_ylabel(self._axis_label(1, scaling), fontsize=9)
        w_star = self.solutions[scaling][0]
        self._start.set_data([self.w0[0]], [self.w0[1]])
        self._minimum.set_data([w_star[0]], [w_star[1]])
        ax.set_title(f"{LABELS[scaling]}: condition number {self.condition_numbers[scaling]:.3g}", fontsize=9, pad=16)
        self._scaling = scaling

    def _outcome(self, scaling, lr, excess):
        target = TARGET_FRACTION * self.excess0
        if self.path.diverged:
            bound = DIVERGENCE_FACTOR * max(abs(self.path.losses[0]), 1.0)  # nnlib.trainer.diverged's rule
            return f"diverged: the loss exceeded {bound:.3g} at step {self.path.steps}"
        if lr > self.lr_limits[scaling]:  # slow blow-up: the steepest direction grows every step
            growth = abs(1.0 - lr * 2.0 / self.lr_limits[scaling])
            return f"unstable (lr > 2/λmax): the steepest direction grows ×{growth:.3g} per step"
        settled = descent.settled_step(excess, target)
        if settled is None:
            return f"target not reached in {_steps(self.n_steps)}"
        return f"target reached after {_steps(settled)} (the loss stays below it)"

    def _rescaled_lr(self, scaling):
        """The current rate at the same fraction of ``scaling``'s limit, within the slider's range."""
        fraction = self.lr / self.lr_limits[self._scaling]
        return float(np.clip(fraction * self.lr_limits[scaling], LR_MIN, LR_MAX))

    @locked
    def update(self, scaling=None, lr=None):
        """Recompute the path for ``scaling`` and ``lr``, move the controls there and redraw.

        ``scaling=None`` keeps the current scaling. ``lr`` must lie in the slider's range [1e-7, 100];
        ``lr=None`` keeps the current rate, or, when the scaling changes, the same fraction of the
        new problem's largest stable rate :math:`2/\\lambda_\\max` (as the dropdown does)."""
        self._check_open()
        scaling = self._scaling if scaling is None else check_choice(scaling, "scaling", set(LABELS))
        new_scaling = scaling != self._scaling
        if lr is not None:
            lr = _check_lr(lr)
        elif new_scaling and self._scaling is not None:
            lr = self._rescaled_lr(scaling)
        else:
            lr = self.lr
        if new_scaling:
            self._draw_scaling(scaling)
        self.lr = lr
        problem, (_, l_min) = self.problems[scaling], self.solutions[scaling]
        self.path = descent.optimizer_path(problem, self.w0, SGD(lr), self.n_steps)
        self._path_line.set_data(self.path.params[:, 0], self.path.params[:, 1])
        excess = np.maximum(self.path.losses - l_min, 1e-300)
        self._loss_line.set_data(np.arange(len(excess)), excess)
        limit = self.lr_limits[scaling]
        self.outcome = self._outcome(scaling, lr, excess)
        self.lr_text = f"lr = {lr:.3g} = {lr / limit:.2g} × the largest stable rate 2/λmax = {limit:.3g}"
        self._lr_text.set_text(self.lr_text)
        self.live.axes[1].set_title(self.outcome, fontsize=10)
        self._move_controls({self.scaling_control: scaling, self.lr_control: lr})  # without a second redraw
        self.live.redraw(background=scaling)  # over the scaling's own background (contours, limits, labels)

    def _on_scaling(self, change):
        if not self._syncing:
            self.update(scaling=self.scaling_control.value)

    def _on_lr(self, change):
        if not self._syncing:
            self.update(lr=self.lr_control.value)

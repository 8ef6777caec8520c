"""Pictures and the interactive comparison for notebook ``01_symmetry_breaking``.

- :func:`plot_units` -- one row per net: the first hidden layer's weight vectors, the second
  weight matrix as an image, and the decision boundary. Clones show as one arrow and a flat image.
- :func:`plot_comparison` -- the loss curves and decision boundaries of every run of an
  :class:`nnlib.symmetry.InitComparison`, in one static figure.
- :class:`InitComparisonView` -- pick an initialization and a data set; the loss curves, the
  decision boundary and the accuracy table switch between precomputed results, redrawn in
  place on one :class:`nnlib.widgets.LiveFigure`.

All numbers come from :mod:`nnlib.symmetry`; this module only draws. It imports matplotlib and
ipywidgets; ``import nnlib`` does not import it.
"""

import html

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.ticker import MaxNLocator

from .mlp import MLP
from .plotting import PALETTE, plot_decision_boundary
from .symmetry import InitComparison
from .widgets import LiveFigure

#: p(y = 1 | x) from class 0's colour (blue) through white (p = 1/2) to class 1's (vermillion).
PROBABILITY_CMAP = LinearSegmentedColormap.from_list("class_probability", [PALETTE[0], "#FFFFFF", PALETTE[1]])
#: Diverging map for weight images (ColorBrewer RdBu, readable with colour-vision deficiencies).
WEIGHT_CMAP = "RdBu_r"


def _check_nets(nets):
    if not isinstance(nets, dict) or not nets:
        raise TypeError(f"nets must be a non-empty dict label -> MLP, got {type(nets).__name__}")
    for label, net in nets.items():
        if not isinstance(net, MLP):
            raise TypeError(f"nets[{label!r}] must be an MLP, got {type(net).__name__}")
        if net.sizes[0] != 2 or net.n_layers < 3:
            raise ValueError(f"nets[{label!r}] must have 2 inputs and at least 2 hidden layers, got sizes {net.sizes}")


def plot_units(nets, X, y, resolution=100):
    """Compare nets unit by unit: one row per net, three panels per row.

    Left: the incoming weight vector :math:`(W^{(1)}_{1j}, W^{(1)}_{2j})` of every unit
    :math:`j` of the first hidden layer, as an arrow from the origin (clones: all arrows coincide).
    Middle: the hidden-to-hidden matrix :math:`W^{(2)}` as an image (clones: one flat colour, rank 1).
    Right: the decision boundary on the data.

    Parameters
    ----------
    nets : dict label -> MLP with 2 inputs and >= 2 hidden layers (binary classifiers).
    X : ndarray, shape (N, 2);  y : ndarray, shape (N,) -- 0/1 labels.
    resolution : int -- grid points per axis of the decision boundary.

    Returns
    -------
    fig : matplotlib Figure (a pyplot figure: end the cell with ``plt.show()``).
    """
    _check_nets(nets)
    n = len(nets)
    fig, axes = plt.subplots(n, 3, figsize=(11, 3.3 * n), squeeze=False,
                             gridspec_kw={"width_ratios": [1, 1.15, 1]})
    vmax = max(np.abs(net.params["W2"]).max() for net in nets.values())
    vmax = vmax if vmax > 0 else 1.0
    reach = 1.15 * max(np.abs(net.params["W1"]).max() for net in nets.values())
    reach = reach if reach > 0 else 1.0
    for row, (label, net) in zip(axes, nets.items()):
        ax_w, ax_m, ax_b = row
        W1 = net.params["W1"]
        for j in range(W1.shape[1]):
            ax_w.annotate("", xy=(W1[0, j], W1[1, j]), xytext=(0, 0),
                          arrowprops={"arrowstyle": "->", "color": PALETTE[2], "lw": 1.2, "alpha": 0.8})
        ax_w.plot([0], [0], "o", color="black", ms=3)
        ax_w.set(xlim=(-reach, reach), ylim=(-reach, reach), aspect="equal",
                 xlabel="weight from $x_1$", ylabel="weight from $x_2$",
                 title=f"{label}\n{W1.shape[1]} hidden units of layer 1")
        image = ax_m.imshow(net.params["W2"], cmap=WEIGHT_CMAP, vmin=-vmax, vmax=vmax)
        rank = np.linalg.matrix_rank(net.params["W2"], tol=1e-8)
        ax_m.set(xlabel="unit of layer 2", ylabel="unit of layer 1", title=f"$W^{{(2)}}$, rank {rank}")
        ax_m.grid(False)
        ax_m.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax_m.yaxis.set_major_locator(MaxNLocator(integer=True))
        fig.colorbar(image, ax=ax_m, fraction=0.046, pad=0.04, label="weight")
        accuracy = net.accuracy(X, y)
        plot_decision_boundary(ax_b, net, X, y, resolution=resolution,
                               title=f"decision boundary, accuracy {100 * accuracy:.1f} %")
        ax_b.legend(loc="lower right", fontsize=7)
    fig.tight_layout()
    return fig


def _draw_probability(ax, comparison, name):
    xx, yy = comparison.xx, comparison.yy
    ax.imshow(comparison.probability[name], origin="lower", extent=(xx.min(), xx.max(), yy.min(), yy.max()),
              cmap=PROBABILITY_CMAP, vmin=0, vmax=1, alpha=0.45, aspect="auto", interpolation="bilinear")


def plot_comparison(comparison, title=None):
    """All runs of a comparison in one static figure.

    Left: the training loss of every initialization against the step (log scale). Right: each
    trained net's :math:`p(y = 1 \\mid x)` on the plane (blue: class 0, vermillion: class 1,
    white: the boundary) with the training points.

    Parameters
    ----------
    comparison : nnlib.symmetry.InitComparison
    title : str, optional -- a title over the figure.

    Returns
    -------
    fig : matplotlib Figure (a pyplot figure: end the cell with ``plt.show()``).
    """
    if not isinstance(comparison, InitComparison):
        raise TypeError(f"comparison must be an nnlib.symmetry.InitComparison, got {type(comparison).__name__}")
    names = comparison.names
    ncols = int(np.ceil(len(names) / 2))
    fig = plt.figure(figsize=(3.9 + 2.7 * ncols, 5.6))
    grid = fig.add_gridspec(2, ncols + 1, width_ratios=[1.5] + [1] * ncols)
    ax_loss = fig.add_subplot(grid[:, 0])
    for i, name in enumerate(names):
        loss = comparison.runs[name].loss
        ax_loss.plot(np.arange(len(loss)), loss, color=PALETTE[i % len(PALETTE)], label=name, lw=1.5)
    ax_loss.set(yscale="log", xlabel="gradient-descent step", ylabel="training loss (cross-entropy, nats)",
                title="training loss")
    ax_loss.legend(fontsize=7)
    X, y = comparison.X_train, comparison.y_train
    for i, name in enumerate(names):
        row, col = divmod(i, ncols)
        ax = fig.add_subplot(grid[row, 1 + col])
        _draw_probability(ax, comparison, name)
        for c in (0, 1):
            ax.scatter(*X[y == c].T, s=6, color=PALETTE[c], edgecolor="white", linewidth=0.3)
        ax.set_title(f"{name}\ntrain {100 * comparison.train_accuracy[name]:.1f} %, "
                     f"test {100 * comparison.test_accuracy[name]:.1f} %", fontsize=8)
        ax.set_xticks([])
        ax.set_yticks([])
        if i + ncols >= len(names):  # the lowest panel of its column
            ax.set_xlabel("$x_1$")
        if col == 0:
            ax.set_ylabel("$x_2$")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


class InitComparisonView:
    """Choose an initialization and a data set; see its loss curve, boundary and the accuracy table.

    Every result is precomputed (:func:`nnlib.symmetry.compare_inits`), so switching is
    instant: the widget only changes which curve is highlighted, which probability image is
    shown and which table row is marked, and repaints one :class:`LiveFigure` in place.

    Parameters
    ----------
    comparisons : dict data-set name -> InitComparison -- all with the same initialization labels.
    init : str, optional -- the initialization shown first (default: the first label).
    dataset : str, optional -- the data set shown first (default: the first).

    Attributes
    ----------
    live : LiveFigure -- ``live.show_static()`` shows the current picture without a kernel.
    init_control, dataset_control : ipywidgets.ToggleButtons
    table : ipywidgets.HTML -- the accuracy table of the current data set.
    widget : ipywidgets.VBox -- display this.
    """

    def __init__(self, comparisons, init=None, dataset=None):
        if not isinstance(comparisons, dict) or not comparisons:
            raise TypeError("comparisons must be a non-empty dict data-set name -> InitComparison, "
                            f"got {type(comparisons).__name__}")
        for key, comparison in comparisons.items():
            if not isinstance(comparison, InitComparison):
                raise TypeError(f"comparisons[{key!r}] must be an InitComparison, got {type(comparison).__name__}")
        first = next(iter(comparisons.values()))
        self.names = list(first.names)
        for key, comparison in comparisons.items():
            if list(comparison.names) != self.names:
                raise ValueError(f"comparisons[{key!r}] has initializations {comparison.names}, "
                                 f"expected the same as the others: {self.names}")
        self.comparisons = comparisons
        init = self.names[0] if init is None else init
        dataset = next(iter(comparisons)) if dataset is None else dataset
        self._check(init, dataset)
        self.init_control = ipywidgets.ToggleButtons(options=self.names, value=init, description="init",
                                                     style={"button_width": "auto"})
        self.dataset_control = ipywidgets.ToggleButtons(options=list(comparisons), value=dataset,
                                                        description="data")
        self.table = ipywidgets.HTML()
        self.live = LiveFigure(1, 2, figsize=(10, 3.9), dpi=80, gridspec_kw={"width_ratios": [1.25, 1]})
        self._build()
        self.init, self.dataset = None, None
        self._syncing = False
        self.select(init, dataset)
        self.init_control.observe(self._on_change, names="value")
        self.dataset_control.observe(self._on_change, names="value")
        self.widget = ipywidgets.VBox([self.dataset_control, self.init_control, self.live.image, self.table])

    def _check(self, init, dataset):
        if init not in self.names:
            raise ValueError(f"init must be one of {self.names}, got {init!r}")
        if dataset not in self.comparisons:
            raise ValueError(f"dataset must be one of {list(self.comparisons)}, got {dataset!r}")

    # ---------------------------------------------------------------- figure
    def _build(self):
        ax_loss, ax_b = self.live.axes
        self._lines = [ax_loss.plot([], [], color=PALETTE[i % len(PALETTE)], label=name)[0]
                       for i, name in enumerate(self.names)]
        ax_loss.set(yscale="log", xlabel="gradient-descent step", ylabel="training loss (nats)")
        ax_loss.legend(fontsize=7, loc="upper right")
        self._image = ax_b.imshow(np.zeros((2, 2)), origin="lower", cmap=PROBABILITY_CMAP, vmin=0, vmax=1,
                                  alpha=0.45, aspect="auto", interpolation="bilinear")
        self._points = [ax_b.scatter([], [], s=12, color=PALETTE[c], edgecolor="white", linewidth=0.3,
                                     label=f"class {c}") for c in (0, 1)]
        ax_b.set(xlabel="$x_1$", ylabel="$x_2$")
        ax_b.grid(False)
        ax_b.legend(fontsize=7, loc="lower right")
        self.live.figure.subplots_adjust(left=0.08, right=0.98, bottom=0.13, top=0.86, wspace=0.22)
        # what changes with the initialization is repainted over a cached background
        self.live.animate(*self._lines, self._image, *self._points, ax_loss.title, ax_b.title)

    def _draw_dataset(self, comparison):
        ax_loss, ax_b = self.live.axes
        steps = 0
        losses = []
        for line, name in zip(self._lines, self.names):
            loss = comparison.runs[name].loss
            line.set_data(np.arange(len(loss)), loss)
            steps = max(steps, len(loss) - 1)
            losses.append(loss[np.isfinite(loss) & (loss > 0)])
        values = np.concatenate(losses)
        ax_loss.set_xlim(0, max(steps, 1))
        ax_loss.set_ylim(values.min() / 2, values.max() * 2)
        xx, yy = comparison.xx, comparison.yy
        self._image.set_extent((xx.min(), xx.max(), yy.min(), yy.max()))
        ax_b.set_xlim(xx.min(), xx.max())
        ax_b.set_ylim(yy.min(), yy.max())
        X, y = comparison.X_train, comparison.y_train
        for c, points in enumerate(self._points):
            points.set_offsets(X[y == c])

    def _table_html(self, comparison, selected):
        head = "<tr><th>initialization</th><th>train accuracy</th><th>test accuracy</th><th>final loss</th></tr>"
        rows = []
        for name, train, test, loss in comparison.rows():
            style = ' style="font-weight:bold; background:#E8F1F8"' if name == selected else ""
            rows.append(f"<tr{style}><td>{html.escape(name)}</td><td>{100 * train:.1f} %</td>"
                        f"<td>{100 * test:.1f} %</td><td>{loss:.3g}</td></tr>")
        return f"<table>{head}{''.join(rows)}</table>"

    # ---------------------------------------------------------------- wiring
    def _on_change(self, change):
        if not self._syncing:
            self.select(self.init_control.value, self.dataset_control.value)

    def select(self, init=None, dataset=None):
        """Show ``init`` on ``dataset`` (None keeps the current one) and repaint in place."""
        init = self.init if init is None else init
        dataset = self.dataset if dataset is None else dataset
        self._check(init, dataset)
        comparison = self.comparisons[dataset]
        new_dataset = dataset != self.dataset
        if new_dataset:
            self._draw_dataset(comparison)
        self.init, self.dataset = init, dataset
        for line, name in zip(self._lines, self.names):
            chosen = name == init
            line.set_linewidth(2.6 if chosen else 1.0)
            line.set_alpha(1.0 if chosen else 0.35)
            line.set_zorder(3 if chosen else 2)
        self._image.set_data(comparison.probability[init])
        ax_loss, ax_b = self.live.axes
        run = comparison.runs[init]
        ax_loss.set_title(f"{dataset}: training loss, {init} in bold\n"
                          f"loss {run.loss[0]:.3g} at step 0, {run.loss[-1]:.3g} at step {run.steps}", fontsize=9)
        ax_b.set_title(f"{init}: p(class 1 | x)\ntrain {100 * comparison.train_accuracy[init]:.1f} %, "
                       f"test {100 * comparison.test_accuracy[init]:.1f} %", fontsize=9)
        self.table.value = self._table_html(comparison, init)
        self._syncing = True  # select() called from code: move the controls without a second redraw
        try:
            self.init_control.value, self.dataset_control.value = init, dataset
        finally:
            self._syncing = False
        self.live.redraw(full=new_dataset)  # new data set: new limits, repaint the background

"""The interactive comparison of initializations for notebook ``01_symmetry_breaking``.

:class:`InitComparisonView` -- pick an initialization and a data set; the loss curves, the
decision boundary and the accuracy table switch between precomputed results
(:func:`nnlib.experiments.init_comparison.compare_inits`), redrawn in place on one
:class:`nnlib.viz.LiveFigure`. The static pictures are :func:`nnlib.viz.plots.plot_comparison`
and :func:`nnlib.viz.plots.plot_units`.
"""

import html

import ipywidgets
import numpy as np

from ..experiments.init_comparison import InitComparison
from ..validation import did_you_mean
from .live_figure import LiveFigure
from .plots import CURVE_COLORS, CURVE_STYLES
from .style import PALETTE, PROBABILITY_CMAP
from .view import View, locked


class InitComparisonView(View):
    """Choose an initialization and a data set; see its loss curve, boundary and the accuracy table.

    Every result is precomputed (:func:`nnlib.experiments.init_comparison.compare_inits`), so switching is
    instant: the widget only changes which curve is highlighted, which probability image is
    shown and which table row is marked, and repaints one :class:`LiveFigure` in place.

    Parameters
    ----------
    comparisons : dict data-set name -> :class:`~nnlib.experiments.init_comparison.InitComparison`, all
        with the same initialization labels.
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
        self.live = LiveFigure(1, 2, figsize=(10.5, 4.1), dpi=90, gridspec_kw={"width_ratios": [1.25, 1]})
        self._build()
        self.init, self.dataset = None, None
        for name, comparison in comparisons.items():  # each data set's axes, drawn once: a switch then blits
            if name != dataset:
                self._draw_dataset(comparison)
                self.live.render(full=True, background=name)
        self.select(init, dataset)
        self.observe(self.init_control, "_on_change")
        self.observe(self.dataset_control, "_on_change")
        self._finish(ipywidgets.VBox([self.dataset_control, self.init_control, self.live.image, self.table]))

    def _check(self, init, dataset):
        if init not in self.names:  # a list, not the dict: an unhashable value is just not found
            raise ValueError(f"init must be one of {self.names}, got {init!r}{did_you_mean(init, self.names)}")
        datasets = list(self.comparisons)
        if dataset not in datasets:
            raise ValueError(f"dataset must be one of {datasets}, got {dataset!r}{did_you_mean(dataset, datasets)}")

    # ---------------------------------------------------------------- figure
    def _build(self):
        ax_loss, ax_b = self.live.axes
        self._lines = [ax_loss.plot([], [], color=CURVE_COLORS[i % 6], ls=CURVE_STYLES[i % 6], label=name)[0]
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

    @locked
    def select(self, init=None, dataset=None):
        """Show ``init`` on ``dataset`` (None keeps the current one) and repaint in place."""
        self._check_open()
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
        self._move_controls({self.init_control: init, self.dataset_control: dataset})  # without a second redraw
        self.live.redraw(background=dataset)  # over the data set's own background (its limits and ticks)

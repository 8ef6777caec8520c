"""Plots and interactive views: the only part of nnlib that imports matplotlib and ipywidgets.

| module                  | what it holds                                                            |
|-------------------------|--------------------------------------------------------------------------|
| ``style``               | the colour-blind-safe palette and colour maps every figure uses          |
| ``arguments``           | checks of matplotlib arguments: axes, labels, colours, lists, levels     |
| ``plots``               | static plots of results: decision boundaries, descent paths, per-layer   |
|                         | histograms and update ratios, sweeps, the units and runs of notebook 01  |
| ``display``             | :func:`show`: a static figure as a PNG with alt text, closed afterwards   |
| ``live_figure``         | :class:`LiveFigure`: one figure repainted in place into an image widget  |
| ``live_plot``           | :class:`LivePlot`: a Trainer callback redrawing the loss curves          |
| ``view``                | :class:`View`: the base of the views (weakly wired controls, ``close``)  |
| ``tour_plots``          | notebook 00: activations, step counts against κ, L1 paths                |
| ``deep_plots``          | notebook 06: per-layer profiles, deep-run losses, scale and rate sweeps  |
| ``init_comparison_view``| notebook 01: pick an initialization and a data set                       |
| ``variance_explorer``   | notebook 02: the weight-scale, activation, depth and width sliders       |
| ``normalization_view``  | notebook 03: scaling and learning rate of gradient descent               |
| ``underfitting_view``   | notebook 04: activation, initialization, depth and optimizer             |
| ``capacity_view``       | notebook 05: polynomial degree and penalty                               |
| ``batchnorm_view``      | notebook 06: weight scale, depth, activation, batch norm; a train button |

Every view computes with a tested function of :mod:`nnlib.experiments` and only wires controls
to it; each has ``close()``.
"""

from .batchnorm_view import BatchNormView
from .capacity_view import CapacityView
from .display import show
from .init_comparison_view import InitComparisonView
from .live_figure import LiveFigure
from .live_plot import LivePlot
from .normalization_view import NormalizationView
from .style import PALETTE
from .underfitting_view import UnderfittingView
from .variance_explorer import VarianceExplorer
from .view import View

__all__ = ["BatchNormView", "CapacityView", "InitComparisonView", "LiveFigure", "LivePlot", "NormalizationView", "PALETTE",
           "UnderfittingView", "VarianceExplorer", "View", "show"]

"""nnlib.viz.tour_plots: the figures of notebook 00 draw, leave no pyplot figure, check arguments."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from nnlib.experiments import optimization
from nnlib.viz import tour_plots


def test_figures_draw_without_pyplot():
    sweep = optimization.steps_against_condition([10, 100], n_lrs=5)
    sub, prox = optimization.l1_paths(np.eye(4), np.ones(4), 0.1, 0.1, 10)
    figs = [tour_plots.plot_activations(), tour_plots.plot_condition_sweep(sweep), tour_plots.plot_l1_paths(sub, prox, 2)]
    for fig in figs:
        assert isinstance(fig, Figure) and fig.get_size_inches()[0] <= 11
        fig.canvas.draw() if fig.canvas is not None else None
    assert len(figs[0].axes[0].lines) == 5 and plt.get_fignums() == []


@pytest.mark.parametrize("call, error, match", [
    (lambda: tour_plots.plot_activations(["rellu"]), ValueError, "rellu"),
    (lambda: tour_plots.plot_activations("relu"), TypeError, "names"),
    (lambda: tour_plots.plot_activations(a_range=-1), ValueError, "a_range"),
    (lambda: tour_plots.plot_activations(leaky_alpha=2.0), ValueError, "leaky_alpha"),
    (lambda: tour_plots.plot_condition_sweep({}), TypeError, "sweep"),
    (lambda: tour_plots.plot_l1_paths(np.zeros((3, 2)), np.zeros((3, 3)), 1), ValueError, "same shape"),
    (lambda: tour_plots.plot_l1_paths(np.zeros((3, 2)), np.zeros((3, 2)), 5), ValueError, "relevant"),
])
def test_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()

"""nnlib.viz.plots: every static plot draws results on the Axes it is given, leaving no pyplot figure."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

import nnlib
from nnlib import datasets
from nnlib.experiments import descent, diagnostics, network_sweeps, objectives, polynomials
from nnlib.experiments.init_comparison import DEFAULT_INITS
from nnlib.viz import plots


@pytest.fixture
def moons():
    return datasets.two_moons(np.random.default_rng(0), n_samples=64, noise=0.15)


def _deep(activation="relu", init="he_normal", depth=4, width=16, seed=1):
    return nnlib.MLP([2] + [width] * depth + [2], activation=activation, weight_init=init, rng=seed)


def _net(init=0.3, activation="tanh", sizes=(2, 6, 5, 1), **kw):
    return nnlib.MLP(list(sizes), activation=activation, output="sigmoid", weight_init=init, rng=0, **kw)


def test_plot_sweep_draws_without_pyplot(regression_data, moons_split):
    X, y, X_val, y_val = regression_data
    sweep = polynomials.degree_sweep(X, y, X_val, y_val, range(6))
    ax1, ax2 = Figure().subplots(1, 2)
    plots.plot_sweep(ax1, sweep, "degree", "MSE", floor=0.09, title="t")
    assert len(ax1.lines) == 3 and ax1.get_yscale() == "log"
    np.testing.assert_allclose(ax1.lines[1].get_ydata(), sweep.val)
    with pytest.raises(ValueError, match="no accuracies"):
        plots.plot_sweep(ax2, sweep, "degree", "accuracy", accuracy=True)
    Xm, ym, Xm_val, ym_val = moons_split
    widths = network_sweeps.width_sweep(0, [2, 4], Xm, ym, Xm_val, ym_val, output="softmax", epochs=5)
    plots.plot_sweep(ax2, widths, "width", "accuracy", accuracy=True, log_y=False, log_x=True, ticks=True)
    np.testing.assert_allclose(ax2.lines[0].get_ydata(), widths.train_accuracy)
    assert [t.get_text() for t in ax2.get_xticklabels()] == ["2", "4"]
    assert plt.get_fignums() == []


def test_plot_units_and_plot_comparison_draw_and_close(comparisons):
    X, y = datasets.xor(np.random.default_rng(1), 80)
    nets = {"constant": _net(0.2), "random": _net("glorot_normal")}
    fig = plots.plot_units(nets, X, y, resolution=20)
    assert len(fig.axes) == 2 * 3 + 2  # three panels per row plus one colorbar per row
    assert "rank 1" in fig.axes[1].get_title()
    fig = plots.plot_comparison(comparisons["circles"], title="circles")
    assert len(fig.axes) == 1 + len(DEFAULT_INITS)
    assert plt.get_fignums() == []
    with pytest.raises(TypeError, match="nets"):
        plots.plot_units([nets["random"]], X, y)
    with pytest.raises(ValueError, match="hidden"):
        plots.plot_units({"shallow": _net(sizes=(2, 3, 1))}, X, y)
    with pytest.raises(TypeError, match="comparison"):
        plots.plot_comparison({"a": 1})


def test_draw_descent_leaks_no_figure():
    q = objectives.rotated_quadratic((1.0, 10.0), 30.0)
    path = descent.optimizer_path(q, np.array([2.0, 1.0]), nnlib.SGD(0.1), 20)
    ax = Figure().subplots()
    cs, lines = plots.draw_descent(ax, q, np.linspace(-3, 3, 30), np.linspace(-2, 2, 20), [path, path.params],
                                     ["a", "b"], minimum=[0.0, 0.0])
    assert len(lines) == 2 and lines[0].get_label() == "a"
    assert np.allclose(lines[1].get_xydata(), path.params)
    assert plt.get_fignums() == []


def test_plot_helpers_draw_without_pyplot(moons):
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    X, y = moons
    net = _deep(depth=3)
    fig = Figure()
    ax1, ax2 = fig.subplots(1, 2)
    edges, density = diagnostics.layer_histograms(net, X, y)
    plots.plot_layer_histograms(ax1, edges, density, "h", title="t")
    assert len(ax1.patches) == 3
    recorder = diagnostics.UpdateRatio()
    nnlib.Trainer(net, nnlib.SGD(0.05), batch_size=len(X), rng=0).fit(X, y, 4, callbacks=[recorder])
    plots.plot_update_ratios(ax2, recorder.ratio)
    assert len(ax2.lines) == 4 + 1 and ax2.get_yscale() == "log"
    with pytest.raises(ValueError, match="density"):
        plots.plot_layer_histograms(ax1, edges, density[:, 1:], "h")
    assert plt.get_fignums() == []


def test_update_ratio_plot_accepts_all_zero_layers():
    X, y = datasets.xor(np.random.default_rng(0), 40)
    net = nnlib.MLP([2, 4, 2], activation="relu", weight_init="zeros", rng=0)
    recorder = diagnostics.UpdateRatio()
    nnlib.Trainer(net, nnlib.SGD(0.1), batch_size=40, rng=0).fit(X, y, 3, callbacks=[recorder])
    ratio = np.asarray(recorder.ratio)
    assert np.isnan(ratio[:, 0]).all()  # all-zero weights: the ratio is undefined, not an error
    fig, ax = plt.subplots()
    plots.plot_update_ratios(ax, ratio)
    plt.close(fig)

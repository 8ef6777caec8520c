"""nnlib.viz.deep_plots: what each plot draws, and its argument checks."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

import nnlib
from nnlib.experiments import deep_training as dt
from nnlib.viz.deep_plots import SETTING_COLORS, plot_profiles, plot_runs, plot_setting_sweep


@pytest.fixture(scope="module")
def data():
    X, y = nnlib.datasets.spirals(0, n_samples=60, n_classes=2, noise=0.05)
    return nnlib.StandardScaler().fit_transform(X), y


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def test_plot_profiles_draws_one_curve_per_setting(ax, data):
    X, y = data
    profiles = dt.init_profiles(0, X, y, depth=4, width=8)
    plot_profiles(ax, profiles, "activation_std", "std", title="t")
    lines = ax.get_lines()
    assert [l.get_label() for l in lines] == ["plain", "batch norm"]
    np.testing.assert_array_equal(lines[1].get_ydata(), profiles["batch norm"].activation_std)
    assert lines[0].get_color() == SETTING_COLORS["plain"] and ax.get_yscale() == "log"
    plot_profiles(ax, profiles, "grad_W_std", "std", colors={"plain": "#000000"})
    assert len(ax.get_lines()[2].get_xdata()) == 5 and ax.get_lines()[2].get_color() == "#000000"


def test_plot_runs_and_the_chance_line(ax, data):
    X, y = data
    run = dt.train_deep(0, X, y, depth=2, width=4, epochs=3)
    plot_runs(ax, {"He": run})
    curve, chance = ax.get_lines()
    np.testing.assert_array_equal(curve.get_ydata(), run.history.loss)
    assert chance.get_ydata()[0] == pytest.approx(np.log(2))


def test_plot_setting_sweep_marks_diverged_runs(ax, data):
    X, y = data
    sweep = dt.lr_sweep(0, X, y, [0.01, 1e8], depth=3, width=8, momentum=0.0, epochs=3)
    plot_setting_sweep(ax, sweep, "learning rate", accuracy=True)
    labels = [l.get_label() for l in ax.get_lines()]
    assert "plain: diverged" in labels and ax.get_xscale() == "log"
    plain = ax.get_lines()[labels.index("plain")]
    assert np.isnan(plain.get_ydata()[1])  # a diverged run is a cross, not a point on the curve


@pytest.mark.parametrize("call, exc, match", [
    (lambda ax, p, r, s: plot_profiles("ax", p, "activation_std", "y"), TypeError, "ax must be"),
    (lambda ax, p, r, s: plot_profiles(ax, {}, "activation_std", "y"), TypeError, "profiles must be"),
    (lambda ax, p, r, s: plot_profiles(ax, {"a": 1}, "activation_std", "y"), TypeError, "LayerProfile"),
    (lambda ax, p, r, s: plot_profiles(ax, p, "std", "y"), ValueError, "field"),
    (lambda ax, p, r, s: plot_profiles(ax, p, "grad_W_std", 3), TypeError, "ylabel"),
    (lambda ax, p, r, s: plot_profiles(ax, p, "grad_W_std", "y", colors="red"), TypeError, "colors"),
    (lambda ax, p, r, s: plot_runs(ax, {"a": p["plain"]}), TypeError, "DeepRun"),
    (lambda ax, p, r, s: plot_setting_sweep(ax, r, "x"), TypeError, "SettingSweep"),
    (lambda ax, p, r, s: plot_setting_sweep(ax, s, 1.0), TypeError, "xlabel"),
    (lambda ax, p, r, s: plot_setting_sweep(ax, s, "x", accuracy="yes"), TypeError, "accuracy"),
])
def test_bad_arguments_name_themselves(ax, data, call, exc, match):
    X, y = data
    profiles = dt.init_profiles(0, X, y, depth=2, width=4)
    run = dt.train_deep(0, X, y, depth=2, width=4, epochs=1)
    sweep = dt.lr_sweep(0, X, y, [0.01], depth=2, width=4, epochs=1)
    with pytest.raises(exc, match=match):
        call(ax, profiles, run, sweep)

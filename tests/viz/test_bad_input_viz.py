"""Every public entry point of nnlib.viz rejects bad input with ValueError/TypeError naming the
argument (never a traitlets TraitError, never a silently clamped slider), leaves no pyplot figure
and no open widget behind when it fails, and never modifies its inputs in place.

The style is that of tests/core/test_bad_input.py: a table CASES of (id, call, exception, regex the
message must contain -- the argument's name, or what it says about it).
"""

import functools
import gc
import re

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from nnlib import MLP, SGD, datasets
from nnlib.experiments import descent, objectives
from nnlib.experiments.init_comparison import compare_inits
from nnlib.experiments.sweep import Sweep
from nnlib.viz import CapacityView, InitComparisonView, LiveFigure, LivePlot, NormalizationView, VarianceExplorer, View
from nnlib.viz import plots, style

NAN = float("nan")
INF = float("inf")


def _rng(seed=0):
    return np.random.default_rng(seed)


X2, Y2 = datasets.two_moons(_rng(0), 24, noise=0.2)
XR, YR = datasets.noisy_regression(_rng(3), 12, 0.3)
XV, YV = datasets.noisy_regression(_rng(4), 30, 0.3)
XN = _rng(5).standard_normal((40, 2)) * np.array([300.0, 2.0]) + np.array([750.0, 5.0])  # NormalizationView data
YN = XN @ np.array([0.002, 0.2]) + 0.3 * _rng(6).standard_normal(40)


def _ax():
    return Figure().subplots()


def _net(sizes=(2, 5, 2), output="softmax"):
    return MLP(list(sizes), output=output, rng=0)


def _sig(sizes=(2, 4, 3, 1)):
    return MLP(list(sizes), activation="tanh", output="sigmoid", rng=0)


def _q():
    return objectives.Quadratic(np.diag([1.0, 4.0]))


def _path():
    return descent.optimizer_path(_q(), np.array([1.0, 1.0]), SGD(0.1), 5)


GRID = np.linspace(-2, 2, 9)


def _descent(**kw):
    return plots.draw_descent(kw.pop("ax", _ax()), kw.pop("objective", _q()), kw.pop("w1", GRID), kw.pop("w2", GRID),
                              **kw)


EDGES = np.linspace(0, 1, 5)
DENSITY = np.ones((2, 4))
RATIO = np.full((3, 2), 1e-3)


def _sweep(values=(1, 2, 3)):
    values = np.asarray(values, dtype=float)
    return Sweep("degree", values, np.ones(len(values)), np.ones(len(values)))


@functools.lru_cache(maxsize=None)
def _comparisons():
    run = functools.partial(compare_inits, 0, X2, Y2, X2, Y2, inits={"He": "he_normal", "zeros": 0.0},
                            sizes=(2, 4, 1), steps=2, resolution=5)
    return {"moons": run(), "moons again": run()}


# views built once and reused by the cases that call their methods (closed at the end of the module)
_VIEWS = {}


def _view(kind):
    if kind not in _VIEWS:
        _VIEWS[kind] = {
            "init": lambda: InitComparisonView(_comparisons()),
            "explorer": lambda: VarianceExplorer(depth=3, width=32, n_samples=20, max_depth=4, rng=0),
            "normalization": lambda: NormalizationView(XN, YN, n_steps=5, resolution=10, dpi=20),
            "capacity": lambda: CapacityView(XR, YR, XV, YV, max_degree=4),
        }[kind]()
    return _VIEWS[kind]


@pytest.fixture(scope="module", autouse=True)
def _close_cached():
    yield
    for view in _VIEWS.values():
        view.close()
    _VIEWS.clear()


def _explorer(**kw):
    options = {"depth": 3, "width": 32, "n_samples": 20, "max_depth": 4, "rng": 0}
    options.update(kw)
    return VarianceExplorer(**options)


def _normalization(**kw):
    X, y = kw.pop("X", XN), kw.pop("y", YN)
    options = {"n_steps": 5, "resolution": 10, "dpi": 20}
    options.update(kw)
    return NormalizationView(X, y, **options)


def _capacity(**kw):
    data = [kw.pop(k, v) for k, v in (("x_train", XR), ("y_train", YR), ("x_val", XV), ("y_val", YV))]
    options = {"max_degree": 4}
    options.update(kw)
    return CapacityView(*data, **options)


class _Tiny(View):
    def __init__(self, method="_on_change", control=None, button=None):
        self.live = LiveFigure(figsize=(2, 2), dpi=20)
        self.slider = ipywidgets.IntSlider()
        self.observe(self.slider if control is None else control, method)
        if button is not None:
            self.on_click(button, method)
        self._finish(ipywidgets.VBox([self.slider, self.live.image]))

    def _on_change(self, change):
        pass


def _live_with_foreign_artist():
    live = LiveFigure(figsize=(2, 2), dpi=20)
    (line,) = _ax().plot([0, 1])
    live.animate(line)


# (id, call, exception, regex that must appear in the message: the argument's name)
CASES = [
    # ------------------------------------------------------------------ style
    ("layer_colors_zero", lambda: style.layer_colors(0), ValueError, "n must be >= 1"),
    ("layer_colors_negative", lambda: style.layer_colors(-3), ValueError, "n must be >= 1"),
    ("layer_colors_str", lambda: style.layer_colors("3"), TypeError, "n must be an int"),
    # ------------------------------------------------------------------ plots: decision boundaries
    ("grid_probabilities_net_str", lambda: plots.grid_probabilities("net", X2), TypeError, "net must be an nnlib.MLP"),
    ("grid_probabilities_3_inputs", lambda: plots.grid_probabilities(_net((3, 4, 2)), X2), ValueError,
     "net must have 2 inputs"),
    ("grid_probabilities_regressor", lambda: plots.grid_probabilities(_net((2, 3, 1), "identity"), X2), ValueError,
     "net must be a classifier"),
    ("grid_probabilities_x_width", lambda: plots.grid_probabilities(_net(), XR), ValueError, "X must have 2"),
    ("grid_probabilities_resolution", lambda: plots.grid_probabilities(_net(), X2, resolution=1), ValueError,
     "resolution"),
    ("grid_probabilities_margin", lambda: plots.grid_probabilities(_net(), X2, margin=-1.0), ValueError, "margin"),
    ("boundary_ax_none", lambda: plots.plot_decision_boundary(None, _net(), X2, Y2), TypeError,
     "ax must be a matplotlib Axes"),
    ("boundary_ax_figure", lambda: plots.plot_decision_boundary(Figure(), _net(), X2, Y2), TypeError, "ax must be"),
    ("boundary_rows", lambda: plots.plot_decision_boundary(_ax(), _net(), X2, Y2[:-1]), ValueError, "X and y"),
    ("boundary_labels", lambda: plots.plot_decision_boundary(_ax(), _net(), X2, Y2 + 2), ValueError,
     "y must hold labels"),
    ("boundary_x_nan", lambda: plots.plot_decision_boundary(_ax(), _net(), np.where(X2 > 1, NAN, X2), Y2),
     ValueError, "X must be finite"),
    ("boundary_resolution_float", lambda: plots.plot_decision_boundary(_ax(), _net(), X2, Y2, resolution=50.0),
     TypeError, "resolution"),
    ("boundary_title_int", lambda: plots.plot_decision_boundary(_ax(), _net(), X2, Y2, title=3), TypeError,
     "title must be a string"),
    # ------------------------------------------------------------------ plots: descent
    ("descent_ax_str", lambda: _descent(ax="ax"), TypeError, "ax must be a matplotlib Axes"),
    ("descent_objective_int", lambda: _descent(objective=3), TypeError, "objective"),
    ("descent_w1_nan", lambda: _descent(w1=np.array([0.0, NAN])), ValueError, "w1 must be finite"),
    ("descent_w2_2d", lambda: _descent(w2=np.zeros((2, 2))), ValueError, "w2 must be 1-D"),
    ("descent_paths_single", lambda: _descent(paths=_path()), TypeError, "paths must be a list"),
    ("descent_paths_3_columns", lambda: _descent(paths=[np.zeros((4, 3))]), ValueError,
     re.escape("paths[0] must have 2 columns")),
    ("descent_paths_nan", lambda: _descent(paths=[np.full((2, 2), NAN)]), ValueError,
     re.escape("paths[0] must be finite")),
    ("descent_labels_str", lambda: _descent(paths=[_path()], labels="sgd"), TypeError, "labels must be a list"),
    ("descent_labels_too_many", lambda: _descent(paths=[_path()], labels=["a", "b"]), ValueError,
     "labels must have at most one per path"),
    ("descent_labels_int", lambda: _descent(paths=[_path()], labels=[3]), TypeError, re.escape("labels[0]")),
    ("descent_colors_empty", lambda: _descent(paths=[_path()], colors=[]), ValueError, "colors must not be empty"),
    ("descent_colors_str", lambda: _descent(paths=[_path()], colors="red"), TypeError, "colors must be a list"),
    ("descent_colors_bad", lambda: _descent(paths=[_path()], colors=["not-a-colour"]), ValueError,
     re.escape("colors[0] must be a matplotlib colour")),
    ("descent_levels_zero", lambda: _descent(levels=0), ValueError, "levels must be >= 1"),
    ("descent_levels_decreasing", lambda: _descent(levels=[3.0, 2.0, 1.0]), ValueError, "levels must be increasing"),
    ("descent_levels_nan", lambda: _descent(levels=[1.0, NAN]), ValueError, "levels must be finite"),
    ("descent_levels_str", lambda: _descent(levels="auto"), TypeError, "levels"),
    ("descent_minimum_3", lambda: _descent(minimum=[0.0, 0.0, 0.0]), ValueError, "minimum must have shape \\(2,\\)"),
    ("descent_contour_color", lambda: _descent(contour_color="greyish"), ValueError,
     "contour_color must be a matplotlib colour"),
    ("descent_flat_objective", lambda: _descent(objective=objectives.Objective(lambda W: 0 * W[..., 0])), ValueError,
     "constant on the grid"),
    ("descent_loss_nan", lambda: _descent(objective=objectives.Objective(lambda W: np.log(W[..., 0]))), ValueError,
     "NaN or infinite"),
    # ------------------------------------------------------------------ plots: histograms, update ratios
    ("hist_ax_none", lambda: plots.plot_layer_histograms(None, EDGES, DENSITY, "h"), TypeError, "ax must be"),
    ("hist_edges_decreasing", lambda: plots.plot_layer_histograms(_ax(), EDGES[::-1], DENSITY, "h"), ValueError,
     "edges must be increasing"),
    ("hist_edges_nan", lambda: plots.plot_layer_histograms(_ax(), np.array([0, NAN, 1, 2, 3]), DENSITY, "h"),
     ValueError, "edges must be finite"),
    ("hist_density_columns", lambda: plots.plot_layer_histograms(_ax(), EDGES, DENSITY[:, 1:], "h"), ValueError,
     "density must have len\\(edges\\) - 1 = 4 columns"),
    ("hist_density_nan", lambda: plots.plot_layer_histograms(_ax(), EDGES, np.full((2, 4), NAN), "h"), ValueError,
     "density must be finite"),
    ("hist_density_negative", lambda: plots.plot_layer_histograms(_ax(), EDGES, -DENSITY, "h"), ValueError,
     "density must be >= 0"),
    ("hist_density_1d", lambda: plots.plot_layer_histograms(_ax(), EDGES, np.ones(4), "h"), ValueError,
     "density must be 2-D"),
    ("hist_xlabel_none", lambda: plots.plot_layer_histograms(_ax(), EDGES, DENSITY, None), TypeError,
     "xlabel must be a string"),
    ("hist_legend_str", lambda: plots.plot_layer_histograms(_ax(), EDGES, DENSITY, "h", legend="no"), TypeError,
     "legend must be True or False"),
    ("ratios_ax_str", lambda: plots.plot_update_ratios("ax", RATIO), TypeError, "ax must be"),
    ("ratios_1d", lambda: plots.plot_update_ratios(_ax(), np.ones(3)), ValueError, "ratio must be 2-D"),
    ("ratios_str", lambda: plots.plot_update_ratios(_ax(), [["a"]]), TypeError, "ratio must hold numbers"),
    ("ratios_none", lambda: plots.plot_update_ratios(_ax(), None), TypeError, "ratio"),
    ("ratios_negative", lambda: plots.plot_update_ratios(_ax(), -RATIO), ValueError, "ratio must be >= 0"),
    ("ratios_inf", lambda: plots.plot_update_ratios(_ax(), np.full((2, 2), INF)), ValueError,
     "ratio must not hold inf"),
    ("ratios_empty", lambda: plots.plot_update_ratios(_ax(), np.zeros((0, 2))), ValueError,
     "ratio must not be empty"),
    ("ratios_rule_zero", lambda: plots.plot_update_ratios(_ax(), RATIO, rule_of_thumb=0.0), ValueError,
     "rule_of_thumb must be > 0"),
    ("ratios_rule_str", lambda: plots.plot_update_ratios(_ax(), RATIO, rule_of_thumb="1e-3"), TypeError,
     "rule_of_thumb"),
    ("ratios_xlabel_int", lambda: plots.plot_update_ratios(_ax(), RATIO, xlabel=1), TypeError, "xlabel"),
    # ------------------------------------------------------------------ plots: sweeps
    ("sweep_ax_none", lambda: plots.plot_sweep(None, _sweep(), "d", "MSE"), TypeError, "ax must be"),
    ("sweep_dict", lambda: plots.plot_sweep(_ax(), {"train": [1]}, "d", "MSE"), TypeError,
     "sweep must be an nnlib.experiments.sweep.Sweep"),
    ("sweep_accuracy_str", lambda: plots.plot_sweep(_ax(), _sweep(), "d", "MSE", accuracy="no"), TypeError,
     "accuracy must be True or False"),
    ("sweep_accuracy_regression", lambda: plots.plot_sweep(_ax(), _sweep(), "d", "MSE", accuracy=True), ValueError,
     "no accuracies"),
    ("sweep_log_x_str", lambda: plots.plot_sweep(_ax(), _sweep(), "d", "MSE", log_x="True"), TypeError, "log_x"),
    ("sweep_log_y_int", lambda: plots.plot_sweep(_ax(), _sweep(), "d", "MSE", log_y=0), TypeError, "log_y"),
    ("sweep_ticks_str", lambda: plots.plot_sweep(_ax(), _sweep(), "d", "MSE", ticks="yes"), TypeError, "ticks"),
    ("sweep_floor_nan", lambda: plots.plot_sweep(_ax(), _sweep(), "d", "MSE", floor=NAN), ValueError,
     "floor must be finite"),
    ("sweep_floor_str", lambda: plots.plot_sweep(_ax(), _sweep(), "d", "MSE", floor="0.09"), TypeError, "floor"),
    ("sweep_floor_zero_log", lambda: plots.plot_sweep(_ax(), _sweep(), "d", "MSE", floor=0.0), ValueError,
     "floor must be > 0 on a log axis"),
    ("sweep_log_x_zero_value", lambda: plots.plot_sweep(_ax(), _sweep((0, 1, 2)), "l", "MSE", log_x=True), ValueError,
     "log_x"),
    ("sweep_xlabel_none", lambda: plots.plot_sweep(_ax(), _sweep(), None, "MSE"), TypeError, "xlabel"),
    ("sweep_floor_label_int", lambda: plots.plot_sweep(_ax(), _sweep(), "d", "MSE", floor=1.0, floor_label=2),
     TypeError, "floor_label"),
    # ------------------------------------------------------------------ plots: units, comparison
    ("units_list", lambda: plots.plot_units([_sig()], X2, Y2), TypeError, "nets must be a non-empty dict"),
    ("units_empty", lambda: plots.plot_units({}, X2, Y2), TypeError, "nets"),
    ("units_shallow", lambda: plots.plot_units({"a": _sig((2, 3, 1))}, X2, Y2), ValueError, "hidden"),
    ("units_not_net", lambda: plots.plot_units({"a": "net"}, X2, Y2), TypeError, re.escape("nets['a']")),
    ("units_x_width", lambda: plots.plot_units({"a": _sig()}, XR, YR), ValueError, "X must have 2"),
    ("units_labels", lambda: plots.plot_units({"a": _sig()}, X2, Y2 + 1), ValueError, "y must hold 0/1"),
    ("units_resolution", lambda: plots.plot_units({"a": _sig()}, X2, Y2, resolution=0), ValueError, "resolution"),
    ("comparison_dict", lambda: plots.plot_comparison({"a": 1}), TypeError, "comparison must be"),
    ("comparison_title_int", lambda: plots.plot_comparison(_comparisons()["moons"], title=1), TypeError,
     "title must be a string"),
    # ------------------------------------------------------------------ LiveFigure, LivePlot, View
    ("live_nrows_zero", lambda: LiveFigure(0, 1), ValueError, "nrows must be >= 1"),
    ("live_ncols_str", lambda: LiveFigure(1, "2"), TypeError, "ncols must be an int"),
    ("live_figsize_negative", lambda: LiveFigure(figsize=(-1, 2)), ValueError, "figsize"),
    ("live_figsize_str", lambda: LiveFigure(figsize="big"), TypeError, "figsize must be a pair"),
    ("live_figsize_huge", lambda: LiveFigure(figsize=(900, 350)), ValueError, "figsize.*pixels"),
    ("live_dpi_zero", lambda: LiveFigure(dpi=0), ValueError, "dpi must be >= 10"),
    ("live_dpi_str", lambda: LiveFigure(dpi="90"), TypeError, "dpi"),
    ("live_animate_int", lambda: LiveFigure(figsize=(2, 2), dpi=20).animate(3), TypeError,
     re.escape("artists[0] must be a matplotlib Artist")),
    ("live_animate_foreign", _live_with_foreign_artist, ValueError, "another figure"),
    ("live_render_full_str", lambda: LiveFigure(figsize=(2, 2), dpi=20).render(full="yes"), TypeError,
     "full must be True or False"),
    ("live_redraw_full_int", lambda: LiveFigure(figsize=(2, 2), dpi=20).redraw(full=1), TypeError, "full"),
    ("live_plot_delay_nan", lambda: LivePlot(delay=NAN, display=print), ValueError, "delay"),
    ("live_plot_interval_str", lambda: LivePlot(interval="1", display=print), TypeError, "interval"),
    ("live_plot_display_int", lambda: LivePlot(display=3), TypeError, "display must be"),
    ("view_observe_unknown_method", lambda: _Tiny(method="_on_chnage"), ValueError, "method_name '_on_chnage'"),
    ("view_observe_not_a_control", lambda: _Tiny(control="slider"), TypeError, "control must be an ipywidgets"),
    ("view_on_click_not_a_button", lambda: _Tiny(button="go"), TypeError,
     "button must be an ipywidgets.Button"),
    # ------------------------------------------------------------------ InitComparisonView
    ("init_view_list", lambda: InitComparisonView([]), TypeError, "comparisons"),
    ("init_view_empty", lambda: InitComparisonView({}), TypeError, "comparisons"),
    ("init_view_bad_value", lambda: InitComparisonView({"a": 1}), TypeError, re.escape("comparisons['a']")),
    ("init_view_init_unknown", lambda: InitComparisonView(_comparisons(), init="Xavier"), ValueError,
     "init must be one of"),
    ("init_view_init_typo", lambda: InitComparisonView(_comparisons(), init="Hee"), ValueError, "did you mean 'He'"),
    ("init_view_init_int", lambda: InitComparisonView(_comparisons(), init=0), ValueError, "init must be one of"),
    ("init_view_dataset_unknown", lambda: InitComparisonView(_comparisons(), dataset="circles"), ValueError,
     "dataset must be one of"),
    ("init_view_dataset_list", lambda: InitComparisonView(_comparisons(), dataset=["moons"]), ValueError,
     "dataset must be one of"),
    ("init_view_select_init", lambda: _view("init").select(init="Xavier"), ValueError, "init must be one of"),
    ("init_view_select_dataset", lambda: _view("init").select(dataset={"moons"}), ValueError,
     "dataset must be one of"),
    # ------------------------------------------------------------------ VarianceExplorer
    ("explorer_activation_typo", lambda: _explorer(activation="rellu"), ValueError, "did you mean 'relu'"),
    ("explorer_activation_none", lambda: _explorer(activation=None), TypeError, "activation"),
    ("explorer_scale_negative", lambda: _explorer(scale=-1), ValueError, "scale must be >= 0.01"),
    ("explorer_scale_zero", lambda: _explorer(scale=0.0), ValueError, "scale must be >= 0.01"),
    ("explorer_scale_too_big", lambda: _explorer(scale=1000.0), ValueError, "scale must be <= 100"),
    ("explorer_scale_nan", lambda: _explorer(scale=NAN), ValueError, "scale must be finite"),
    ("explorer_scale_str", lambda: _explorer(scale="1"), TypeError, "scale must be a real"),
    ("explorer_depth_above_max", lambda: _explorer(depth=100, max_depth=5), ValueError, "depth must be <= 5"),
    ("explorer_depth_zero", lambda: _explorer(depth=0), ValueError, "depth must be >= 1"),
    ("explorer_depth_float", lambda: _explorer(depth=3.0), TypeError, "depth must be an int"),
    ("explorer_max_depth_zero", lambda: _explorer(max_depth=0), ValueError, "max_depth must be >= 1"),
    ("explorer_width_not_offered", lambda: _explorer(width=100), ValueError,
     re.escape("width must be one of [32, 64, 128, 256, 512]")),
    ("explorer_width_str", lambda: _explorer(width="64"), TypeError, "width must be an int"),
    ("explorer_width_float", lambda: _explorer(width=64.0), TypeError, "width must be an int"),
    ("explorer_n_samples_one", lambda: _explorer(n_samples=1), ValueError, "n_samples must be >= 2"),
    ("explorer_rng_missing", lambda: _explorer(rng=None), TypeError, "rng is required"),
    ("explorer_rng_str", lambda: _explorer(rng="0"), TypeError, "rng"),
    ("explorer_too_large", lambda: _explorer(max_depth=5000, depth=3), ValueError, "GB"),
    ("new_explorer_set_scale", lambda: _view("explorer").set(scale=500.0), ValueError, "scale must be <= 100"),
    ("new_explorer_set_depth", lambda: _view("explorer").set(depth=5), ValueError, "depth must be <= 4"),
    ("new_explorer_set_width", lambda: _view("explorer").set(width=48), ValueError, "width must be one of"),
    ("new_explorer_set_activation", lambda: _view("explorer").set(activation="tanhh"), ValueError,
     "did you mean 'tanh'"),
    # ------------------------------------------------------------------ NormalizationView
    ("norm_x_three_features", lambda: _normalization(X=np.column_stack([XN, XN[:, 0]])), ValueError,
     "X must have exactly 2 features"),
    ("norm_x_nan", lambda: _normalization(X=np.where(XN > 1000, NAN, XN)), ValueError, "X must be finite"),
    ("norm_y_rows", lambda: _normalization(y=YN[:-1]), ValueError, "X and y"),
    ("norm_y_nan", lambda: _normalization(y=np.full(40, NAN)), ValueError, "y must be finite"),
    ("norm_y_2d", lambda: _normalization(y=YN.reshape(-1, 1).repeat(2, 1)), ValueError, "y must be 1-D"),
    ("norm_y_constant", lambda: _normalization(y=np.ones(40)), ValueError, "X must explain part of y"),
    ("norm_feature_names_int", lambda: _normalization(feature_names=3), TypeError, "feature_names must be a pair"),
    ("norm_feature_names_three", lambda: _normalization(feature_names=("a", "b", "c")), ValueError,
     "feature_names must be a pair"),
    ("norm_feature_units_not_str", lambda: _normalization(feature_units=(1, 2)), TypeError, "feature_units"),
    ("norm_target_name_none", lambda: _normalization(target_name=None), TypeError, "target_name must be a string"),
    ("norm_scaling_typo", lambda: _normalization(scaling="standart"), ValueError, "did you mean 'standard'"),
    ("norm_scaling_robust", lambda: _normalization(scaling="robust"), ValueError, "scaling"),
    ("norm_lr_above_slider", lambda: _normalization(lr=1e5), ValueError, "lr must be <= 100"),
    ("norm_lr_below_slider", lambda: _normalization(lr=1e-9), ValueError, "lr must be >= 1e-07"),
    ("norm_lr_zero", lambda: _normalization(lr=0.0), ValueError, "lr must be >= 1e-07"),
    ("norm_lr_str", lambda: _normalization(lr="0.1"), TypeError, "lr must be a real"),
    ("norm_n_steps_zero", lambda: _normalization(n_steps=0), ValueError, "n_steps must be >= 1"),
    ("norm_resolution_small", lambda: _normalization(resolution=5), ValueError, "resolution must be >= 10"),
    ("norm_resolution_huge", lambda: _normalization(resolution=100_000), ValueError, "resolution must be <= "),
    ("norm_dpi_zero", lambda: _normalization(dpi=0), ValueError, "dpi must be >= 10"),
    ("norm_update_lr_above", lambda: _view("normalization").update("standard", 1e3), ValueError, "lr must be <= 100"),
    ("norm_update_lr_nan", lambda: _view("normalization").update("standard", NAN), ValueError, "lr must be finite"),
    ("norm_update_scaling", lambda: _view("normalization").update("minmx"), ValueError, "did you mean 'minmax'"),
    ("norm_update_scaling_int", lambda: _view("normalization").update(1), TypeError, "scaling"),
    # ------------------------------------------------------------------ CapacityView
    ("capacity_noise_negative", lambda: _capacity(noise=-1), ValueError, "noise must be > 0"),
    ("capacity_noise_str", lambda: _capacity(noise="0.3"), TypeError, "noise must be a real"),
    ("capacity_noise_inf", lambda: _capacity(noise=INF), ValueError, "noise must be finite"),
    ("capacity_lambdas_nan", lambda: _capacity(lambdas=[0.0, NAN]), ValueError, "lambdas"),
    ("capacity_lambdas_inf", lambda: _capacity(lambdas=[0.0, 1.0, INF]), ValueError, "lambdas"),
    ("capacity_lambdas_str", lambda: _capacity(lambdas="0,1"), TypeError, "lambdas"),
    ("capacity_lambdas_decreasing", lambda: _capacity(lambdas=[1.0, 0.1]), ValueError, "increasing"),
    ("capacity_lambdas_all_zero", lambda: _capacity(lambdas=[0.0, 0.0]), ValueError, "lambdas"),
    ("capacity_lambdas_one", lambda: _capacity(lambdas=[0.1], l2=0.1), ValueError, "at least 2"),
    ("capacity_l2_not_offered", lambda: _capacity(l2=0.5), ValueError, "l2 must be one of"),
    ("capacity_l2_str", lambda: _capacity(l2="0"), TypeError, "l2 must be a real"),
    ("capacity_l2_none", lambda: _capacity(l2=None), TypeError, "l2"),
    ("capacity_degree_above_max", lambda: _capacity(degree=5), ValueError, "degree must be an int in \\[0, 4\\]"),
    ("capacity_degree_negative", lambda: _capacity(degree=-1), ValueError, "degree must be an int in"),
    ("capacity_degree_float", lambda: _capacity(degree=2.0), TypeError, "degree must be an int"),
    ("capacity_max_degree_zero", lambda: _capacity(max_degree=0), ValueError, "max_degree must be >= 1"),
    ("capacity_domain_inf", lambda: _capacity(domain=(0.0, INF)), ValueError, "domain"),
    ("capacity_domain_reversed", lambda: _capacity(domain=(1.0, 0.0)), ValueError, "domain must have low < high"),
    ("capacity_domain_str", lambda: _capacity(domain="01"), TypeError, "domain"),
    ("capacity_x_train_nan", lambda: _capacity(x_train=np.full(12, NAN)), ValueError, "x_train must be finite"),
    ("capacity_val_rows", lambda: _capacity(y_val=YV[:-1]), ValueError, "x_val and y_val"),
    ("capacity_update_degree_range", lambda: _view("capacity").update(5, 0), ValueError,
     "degree must be an int in \\[0, 4\\]"),
    ("capacity_update_degree_float", lambda: _view("capacity").update(2.7, 0), TypeError, "degree must be an int"),
    ("capacity_update_index_range", lambda: _view("capacity").update(2, 18), ValueError, "lambda_index must be an int"),
    ("capacity_update_index_str", lambda: _view("capacity").update(2, "1"), TypeError, "lambda_index"),
    ("capacity_set_degree", lambda: _view("capacity").set(degree=9), ValueError, "degree must be an int in"),
    ("capacity_set_degree_str", lambda: _view("capacity").set(degree="3"), TypeError, "degree must be an int"),
    ("capacity_set_l2", lambda: _view("capacity").set(l2=0.5), ValueError, "l2 must be one of"),
    ("capacity_set_l2_nan", lambda: _view("capacity").set(l2=NAN), ValueError, "l2 must be finite"),
]


def _registry():
    from ipywidgets.widgets.widget import _instances

    return _instances


@pytest.mark.parametrize("call, exc, match", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_raises_naming_the_argument(call, exc, match):
    assert issubclass(exc, (ValueError, TypeError))
    for kind in ("init", "explorer", "normalization", "capacity"):  # the reused views exist before counting
        _view(kind)
    open_widgets = len(_registry())
    with pytest.raises(exc, match=match) as info:
        call()
    del info  # its traceback holds the failed call's frames
    assert plt.get_fignums() == []
    # a failed call leaves no open widget behind (a half-built view closes what it made; a LiveFigure
    # dropped without close() closes its image when it is collected)
    if len(_registry()) > open_widgets:
        gc.collect()
    assert len(_registry()) <= open_widgets


def test_case_ids_unique():
    ids = [c[0] for c in CASES]
    assert len(ids) == len(set(ids))


def test_no_traitlets_error_escapes():
    # an unknown choice is a ValueError naming the argument and the options, not a TraitError
    with pytest.raises(ValueError, match=r"activation 'rellu' is unknown.*one of \[") as info:
        _explorer(activation="rellu")
    assert type(info.value) is ValueError


def test_constructor_values_are_the_values_shown():
    # nothing is clamped: every accepted value is exactly the value of its control
    ex = _explorer(scale=0.01, depth=4, max_depth=4, width=32)
    assert ex.scale.value == 0.01 and ex.depth.value == 4 and ex.result.weight_var == pytest.approx(0.01 / 32)
    ex.close()
    view = _normalization(lr=100.0)
    assert view.lr_control.value == 100.0 and view.lr == 100.0
    view.close()
    view = _capacity(noise=0.3, l2=1.0, degree=4)
    assert view.degree_slider.value == 4 and view.grid.lambdas[view.lambda_slider.value] == 1.0
    view.close()


def test_methods_move_the_controls_with_the_figure():
    view = _view("normalization")
    view.update("minmax", 0.05)
    assert view.scaling_control.value == "minmax" and view.lr_control.value == pytest.approx(0.05)
    view = _view("capacity")
    view.update(3, 2)
    assert view.degree_slider.value == 3 and view.lambda_slider.value == 2
    view = _view("explorer")
    view.set(scale=2.0, depth=2, width=64, activation="relu")
    r = view.result
    assert (r.activation, r.depth, r.width) == ("relu", 2, 64) and r.weight_var == pytest.approx(2.0 / 64)
    assert view.scale.value == 2.0 and view.depth.value == 2 and view.width.value == 64


def test_a_closed_view_refuses_to_update():
    view = _capacity()
    view.close()
    with pytest.raises(RuntimeError, match="closed"):
        view.update(1, 0)
    live = LiveFigure(figsize=(2, 2), dpi=20)
    live.close()
    with pytest.raises(RuntimeError, match="closed"):
        live.redraw()


def test_live_plot_display_must_return_a_handle():
    from nnlib import Trainer

    plot = LivePlot(delay=0, interval=0, display=lambda fig: None)
    trainer = Trainer(MLP([2, 3, 2], rng=0), SGD(0.1), batch_size=24, rng=0)
    with pytest.raises(TypeError, match="display must return a handle"):
        trainer.fit(X2, Y2, 2, callbacks=[plot])


# ------------------------------------------------------------------ inputs never modified
def _ro(*arrays):
    out = []
    for a in arrays:
        a = np.array(a, dtype=float)
        a.flags.writeable = False  # any write into them would raise
        out.append(a)
    return out


def _check_unchanged(call, *arrays):
    before = [a.copy() for a in arrays]
    result = call(*arrays)
    if isinstance(result, View):
        result.close()
    for a, b in zip(arrays, before):
        np.testing.assert_array_equal(a, b)


ENTRY_POINTS = {
    "decision_boundary": lambda: _check_unchanged(lambda X, y: plots.plot_decision_boundary(_ax(), _net(), X, y, 20),
                                                  *_ro(X2, Y2)),
    "grid_probabilities": lambda: _check_unchanged(lambda X: plots.grid_probabilities(_net(), X, 10), *_ro(X2)),
    "draw_descent": lambda: _check_unchanged(
        lambda a, b, p, m: plots.draw_descent(_ax(), _q(), a, b, [p], ["p"], minimum=m, levels=[0.5, 1.0]),
        *_ro(GRID, GRID, np.ones((3, 2)), [0.0, 0.0])),
    "layer_histograms": lambda: _check_unchanged(lambda e, d: plots.plot_layer_histograms(_ax(), e, d, "h"),
                                                 *_ro(EDGES, DENSITY)),
    "update_ratios": lambda: _check_unchanged(lambda r: plots.plot_update_ratios(_ax(), r), *_ro(RATIO)),
    "plot_units": lambda: _check_unchanged(lambda X, y: plots.plot_units({"a": _sig()}, X, y, 10), *_ro(X2, Y2)),
    "normalization_view": lambda: _check_unchanged(lambda X, y: _normalization(X=X, y=y), *_ro(XN, YN)),
    "capacity_view": lambda: _check_unchanged(
        lambda a, b, c, d, lam: _capacity(x_train=a, y_train=b, x_val=c, y_val=d, lambdas=lam, l2=0.0),
        *_ro(XR, YR, XV, YV, [0.0, 0.1, 1.0])),
}


@pytest.mark.parametrize("name", sorted(ENTRY_POINTS))
def test_entry_points_do_not_modify_inputs(name):
    ENTRY_POINTS[name]()
    assert plt.get_fignums() == []


def test_init_comparison_view_does_not_modify_its_comparisons():
    comparisons = _comparisons()
    before = {k: (c.probability["He"].copy(), c.X_train.copy(), c.y_train.copy()) for k, c in comparisons.items()}
    view = InitComparisonView(comparisons, init="zeros", dataset="moons again")
    view.select(init="He", dataset="moons")
    view.close()
    for k, c in comparisons.items():
        for a, b in zip((c.probability["He"], c.X_train, c.y_train), before[k]):
            np.testing.assert_array_equal(a, b)

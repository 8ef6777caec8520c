"""Every public entry point of nnlib.experiments rejects bad input with ValueError/TypeError naming
the argument, never returns NaN/inf silently, and never modifies its inputs in place.

The style is that of tests/core/test_bad_input.py: a table CASES of (id, call, exception, regex the
message must contain -- the argument's name, or what it says about it).
"""

import copy
import re

import numpy as np
import pytest

from nnlib import MLP, SGD, Trainer, datasets
from nnlib.experiments import objectives
from nnlib.experiments.descent import fastest_lr, largest_stable_lr, optimizer_path, steps_to_target
from nnlib.experiments.diagnostics import (
    UpdateRatio, dead_fraction, dead_fractions, dead_units, layer_histograms, layer_statistics, saturated_fraction,
    saturated_mask,
)
from nnlib.experiments.init_comparison import class1_probability, compare_inits
from nnlib.experiments.network_sweeps import fit_mlp, l2_sweep, width_sweep
from nnlib.experiments.objectives import (
    LinearRegression, Objective, Quadratic, check_objective, classify_critical_point, condition_number, grid_around,
    linear_problem, loss_surface, numerical_hessian, rotated_quadratic,
)
from nnlib.experiments.polynomials import (
    bias_variance, degree_sweep, fit_polynomial, learning_curve, polynomial_features, polynomial_grid,
    predict_polynomial,
)
from nnlib.experiments.propagation import (
    SignalProbe, fused_forward_and_derivative, gaussian_expectation, histogram_range, propagate, theory,
)
from nnlib.experiments.sweep import check_int_list, check_lambdas, mse
from nnlib.experiments.symmetry import (
    Recorder, clone_gap, format_gap, logistic_regression_optimum, loss_along, name_221, network_hessian, train,
)


def _rng(seed=0):
    return np.random.default_rng(seed)


X2, Y2 = datasets.two_moons(_rng(0), 24, noise=0.2)  # 2-D classification data, labels 0/1
XR, YR = datasets.noisy_regression(_rng(3), 12, 0.3)  # 1-D regression data: XR (12, 1), YR (12,)
XV, YV = datasets.noisy_regression(_rng(4), 20, 0.3)


def _net(sizes=(2, 6, 5, 2), activation="relu", output="softmax", **kw):
    return MLP(list(sizes), activation=activation, output=output, rng=0, **kw)


def _sig(sizes=(2, 4, 3, 1), activation="tanh"):
    return MLP(list(sizes), activation=activation, output="sigmoid", rng=0)


N_SIG = 31  # parameters of _sig(): 2*4 + 4 + 4*3 + 3 + 3*1 + 1


def _probe():
    return SignalProbe(depth=3, width=8, n_samples=10, rng=0)


def _bufs(shape=(4, 5), h=None, d=None, mask=None):
    a = _rng(1).standard_normal(shape)
    return (a, np.empty_like(a) if h is None else h, np.empty_like(a) if d is None else d,
            np.empty(shape, bool) if mask is None else mask)


def _fused(name="tanh", **kw):
    return fused_forward_and_derivative(name, *_bufs(**kw))


def _q():
    return Quadratic(np.diag([1.0, 4.0]))


def _lin():
    return LinearRegression(X2, Y2.astype(float))


def _params(**changes):
    p = _net().get_params()
    p.update(changes)
    return p


def _fit(**kw):
    options = {"hidden": [4], "epochs": 2}
    options.update(kw)
    return fit_mlp(0, XR, YR, XV, YV, **options)


def _read_only(shape):
    a = np.zeros(shape)
    a.flags.writeable = False
    return a


def _compare(**kw):
    """compare_inits with keyword data arguments replaced."""
    data = {"rng": 0, "X_train": X2, "y_train": Y2, "X_test": X2, "y_test": Y2}
    for k in list(kw):
        if k in data:
            data[k] = kw.pop(k)
    options = {"inits": {"He": "he_normal"}, "sizes": (2, 4, 1), "steps": 1, "resolution": 5}
    options.update(kw)
    return compare_inits(data["rng"], data["X_train"], data["y_train"], data["X_test"], data["y_test"], **options)


NAN = float("nan")
INF = float("inf")
LOG = Objective(lambda W: np.log(W[..., 0]) + W[..., 1])  # NaN for w1 < 0

# (id, call, exception, regex that must appear in the message: the argument's name)
CASES = [
    # ------------------------------------------------------------------ propagation: theory
    ("ge_f_not_callable", lambda: gaussian_expectation(3.0, 1.0), TypeError, "f must be"),
    ("ge_q_negative", lambda: gaussian_expectation(np.square, -1.0), ValueError, "q must be >= 0"),
    ("ge_q_nan", lambda: gaussian_expectation(np.square, NAN), ValueError, "q must be finite"),
    ("ge_q_inf", lambda: gaussian_expectation(np.square, INF), ValueError, "q must be finite"),
    ("ge_q_str", lambda: gaussian_expectation(np.square, "1"), TypeError, "q must be a real"),
    ("ge_f_returns_nan", lambda: gaussian_expectation(np.log, 1.0), ValueError, "f must return finite"),
    ("ge_f_wrong_shape", lambda: gaussian_expectation(lambda z: np.ones(3), 1.0), ValueError, "f must return"),
    ("ge_f_returns_str", lambda: gaussian_expectation(lambda z: "x", 1.0), TypeError, "f must return"),
    ("theory_weight_var_negative", lambda: theory("tanh", 3, 8, -0.1), ValueError, "weight_var must be > 0"),
    ("theory_weight_var_zero", lambda: theory("tanh", 3, 8, 0.0), ValueError, "weight_var must be > 0"),
    ("theory_weight_var_inf", lambda: theory("tanh", 3, 8, INF), ValueError, "weight_var must be finite"),
    ("theory_weight_var_str", lambda: theory("tanh", 3, 8, "0.1"), TypeError, "weight_var"),
    ("theory_width_zero", lambda: theory("tanh", 3, 0, 0.1), ValueError, "width must be >= 1"),
    ("theory_width_float", lambda: theory("tanh", 3, 8.0, 0.1), TypeError, "width must be an int"),
    ("theory_depth_zero", lambda: theory("tanh", 0, 8, 0.1), ValueError, "depth must be >= 1"),
    ("theory_depth_float", lambda: theory("tanh", 2.5, 8, 0.1), TypeError, "depth must be an int"),
    ("theory_activation_typo", lambda: theory("tahn", 3, 8, 0.1), ValueError, "did you mean 'tanh'"),
    ("theory_activation_none", lambda: theory(None, 3, 8, 0.1), TypeError, "activation"),
    ("theory_input_var_negative", lambda: theory("tanh", 3, 8, 0.1, input_var=-1.0), ValueError, "input_var"),
    ("theory_input_var_nan", lambda: theory("tanh", 3, 8, 0.1, input_var=NAN), ValueError, "input_var"),
    ("theory_overflow", lambda: theory("identity", 30, 256, 1e12), ValueError, "overflowed"),
    ("histogram_range_typo", lambda: histogram_range("rellu"), ValueError, "did you mean 'relu'"),
    ("histogram_range_none", lambda: histogram_range(None), TypeError, "activation"),
    # ------------------------------------------------------------------ propagation: the probe
    ("probe_depth_zero", lambda: SignalProbe(0, 8, 10, rng=0), ValueError, "depth must be >= 1"),
    ("probe_width_str", lambda: SignalProbe(3, "8", 10, rng=0), TypeError, "width must be an int"),
    ("probe_n_samples_one", lambda: SignalProbe(3, 8, 1, rng=0), ValueError, "n_samples must be >= 2"),
    ("probe_rng_missing", lambda: SignalProbe(3, 8, 10), TypeError, "rng is required"),
    ("probe_rng_str", lambda: SignalProbe(3, 8, 10, rng="0"), TypeError, "rng"),
    ("probe_too_large", lambda: SignalProbe(1000, 8192, 1000, rng=0), ValueError, "depth.*width.*GB"),
    ("run_activation_typo", lambda: _probe().run("rellu"), ValueError, "did you mean 'relu'"),
    ("run_activation_int", lambda: _probe().run(3), TypeError, "activation"),
    ("run_weight_var_str", lambda: _probe().run("tanh", "0.1"), TypeError, "weight_var"),
    ("run_weight_var_nan", lambda: _probe().run("tanh", NAN), ValueError, "weight_var must be finite"),
    ("run_weight_var_negative", lambda: _probe().run("tanh", -0.1), ValueError, "weight_var must be > 0"),
    ("run_depth_too_deep", lambda: _probe().run("tanh", 0.1, depth=4), ValueError, "depth must be <= 3"),
    ("run_depth_float", lambda: _probe().run("tanh", 0.1, depth=2.0), TypeError, "depth must be an int"),
    ("run_n_bins_zero", lambda: _probe().run("tanh", 0.1, n_bins=0), ValueError, "n_bins must be >= 1"),
    ("run_dtype_int", lambda: _probe().run("tanh", 0.1, dtype=np.int64), TypeError, "dtype"),
    ("run_overflow", lambda: _probe().run("identity", 1e300), ValueError, "overflowed"),
    ("propagate_rng_missing", lambda: propagate(None), TypeError, "rng"),
    ("propagate_width_negative", lambda: propagate(0, width=-4), ValueError, "width must be >= 1"),
    ("propagate_activation_typo", lambda: propagate(0, "sigmod", depth=2, width=4, n_samples=4), ValueError,
     "did you mean 'sigmoid'"),
    ("fused_name_unknown", lambda: _fused("swish"), ValueError, "name 'swish' is unknown"),
    ("fused_name_none", lambda: _fused(None), TypeError, "name"),
    ("fused_h_shape", lambda: _fused(h=np.empty((4, 4))), ValueError, "h must have shape"),
    ("fused_d_shape", lambda: _fused(d=np.empty(20)), ValueError, "d must have shape"),
    ("fused_mask_dtype", lambda: _fused("relu", mask=np.empty((4, 5))), TypeError, "mask must be a bool"),
    ("fused_h_int", lambda: _fused(h=np.empty((4, 5), dtype=int)), TypeError, "h must be a float"),
    ("fused_h_list", lambda: _fused(h=[[0.0] * 5] * 4), TypeError, "h must be"),
    ("fused_a_nan", lambda: fused_forward_and_derivative("tanh", np.array([[NAN]]), np.empty((1, 1)),
                                                         np.empty((1, 1)), np.empty((1, 1), bool)), ValueError,
     "a must be finite"),
    ("fused_read_only", lambda: _fused(h=_read_only((4, 5))), ValueError, "h must be writable"),
    # ------------------------------------------------------------------ diagnostics
    ("saturated_mask_str", lambda: saturated_mask("abc", "tanh"), TypeError, "derivative"),
    ("saturated_mask_none", lambda: saturated_mask(None, "tanh"), TypeError, "derivative"),
    ("saturated_mask_nan", lambda: saturated_mask(np.array([NAN, 0.5]), "tanh"), ValueError,
     "derivative must be finite"),
    ("saturated_mask_relu", lambda: saturated_mask(np.ones(3), "relu"), ValueError, "does not saturate"),
    ("saturated_mask_typo", lambda: saturated_mask(np.ones(3), "tanhh"), ValueError, "did you mean 'tanh'"),
    ("saturated_mask_out_shape", lambda: saturated_mask(np.ones(3), "tanh", out=np.empty(4, bool)), ValueError,
     "out must have shape"),
    ("saturated_mask_out_dtype", lambda: saturated_mask(np.ones(3), "tanh", out=np.empty(3)), TypeError,
     "out must be a bool"),
    ("saturated_fraction_1d", lambda: saturated_fraction(np.ones(3), "tanh"), ValueError, "a must be 2-D"),
    ("saturated_fraction_nan", lambda: saturated_fraction(np.array([[NAN]]), "tanh"), ValueError, "a must be finite"),
    ("saturated_fraction_identity", lambda: saturated_fraction(np.ones((2, 2)), "identity"), ValueError,
     "does not saturate"),
    ("dead_units_none", lambda: dead_units(None), TypeError, "a must be"),
    ("dead_units_1d", lambda: dead_units(np.ones(3)), ValueError, "a must be 2-D"),
    ("dead_units_active_shape", lambda: dead_units(np.ones((2, 3)), active=np.ones((2, 2), bool)), ValueError,
     "active must have shape"),
    ("dead_units_active_float", lambda: dead_units(np.ones((2, 3)), active=np.ones((2, 3))), TypeError,
     "active must be a bool"),
    ("dead_units_active_list", lambda: dead_units(np.ones((2, 3)), active="yes"), TypeError, "active must be a bool"),
    ("dead_fraction_3d", lambda: dead_fraction(np.ones((2, 2, 2))), ValueError, "a must be 2-D"),
    ("dead_fraction_inf", lambda: dead_fraction(np.array([[INF, 0.0]])), ValueError, "a must be finite"),
    ("dead_fractions_net_str", lambda: dead_fractions("net", X2), TypeError, "net must be an nnlib.MLP"),
    ("dead_fractions_x_width", lambda: dead_fractions(_net(), XR), ValueError, "X must have 2 features"),
    ("layer_statistics_net_none", lambda: layer_statistics(None, X2, Y2), TypeError, "net"),
    ("layer_statistics_labels", lambda: layer_statistics(_net(), X2, Y2 + 2), ValueError, "y must hold labels"),
    ("layer_statistics_rows", lambda: layer_statistics(_net(), X2, Y2[:-1]), ValueError, "X and y"),
    ("hist_value_range_inf", lambda: layer_histograms(_net(), X2, value_range=(0, INF)), ValueError,
     "value_range must hold two finite"),
    ("hist_value_range_neg_inf", lambda: layer_histograms(_net(), X2, value_range=(-INF, 1.0)), ValueError,
     "value_range"),
    ("hist_value_range_nan", lambda: layer_histograms(_net(), X2, value_range=(NAN, 1.0)), ValueError, "value_range"),
    ("hist_value_range_reversed", lambda: layer_histograms(_net(), X2, value_range=(1, 0)), ValueError,
     "value_range must have low < high"),
    ("hist_value_range_str", lambda: layer_histograms(_net(), X2, value_range="0,1"), TypeError, "value_range"),
    ("hist_value_range_triple", lambda: layer_histograms(_net(), X2, value_range=(0, 1, 2)), TypeError, "value_range"),
    ("hist_log10_str", lambda: layer_histograms(_net(), X2, log10="False"), TypeError,
     "log10 must be True or False"),
    ("hist_log10_int", lambda: layer_histograms(_net(), X2, log10=1), TypeError, "log10"),
    ("hist_quantity_typo", lambda: layer_histograms(_net(), X2, quantity="activaton"), ValueError,
     "did you mean 'activation'"),
    ("hist_quantity_none", lambda: layer_histograms(_net(), X2, quantity=None), TypeError, "quantity"),
    ("hist_bins_zero", lambda: layer_histograms(_net(), X2, bins=0), ValueError, "bins must be >= 1"),
    ("hist_bins_float", lambda: layer_histograms(_net(), X2, bins=10.0), TypeError, "bins must be an int"),
    ("hist_grad_without_y", lambda: layer_histograms(_net(), X2, quantity="grad_W"), ValueError, "y"),
    ("hist_no_hidden_layer", lambda: layer_histograms(_net((2, 2)), X2), ValueError, "hidden"),
    ("hist_x_nan", lambda: layer_histograms(_net(), np.array([[NAN, 0.0]])), ValueError, "X must be finite"),
    ("update_ratio_before_fit", lambda: UpdateRatio().ratio, ValueError, "Trainer.fit"),
    # ------------------------------------------------------------------ objectives
    ("objective_loss_not_callable", lambda: Objective(3), TypeError, "loss must be a function"),
    ("objective_grad_not_callable", lambda: Objective(np.sum, grad="g"), TypeError, "grad must be a function"),
    ("objective_loss_W_str", lambda: Objective(lambda W: W[..., 0]).loss("ab"), TypeError, "W must be"),
    ("objective_loss_W_none", lambda: Objective(lambda W: W[..., 0]).loss(None), TypeError, "W must be"),
    ("objective_loss_returns_W", lambda: Objective(lambda W: W).loss(np.zeros((3, 2))), ValueError,
     "loss must return one value per"),
    ("objective_loss_returns_str", lambda: Objective(lambda W: "x").loss(np.zeros(2)), TypeError,
     "loss must be a function returning numbers"),
    ("objective_grad_wrong_shape", lambda: Objective(np.sum, grad=lambda w: np.zeros(3)).grad(np.zeros(2)),
     ValueError, "grad must return an array of shape \\(2,\\)"),
    ("objective_grad_w_2d", lambda: Objective(np.sum).grad(np.zeros((2, 2))), ValueError, "w must be 1-D"),
    ("quadratic_A_not_square", lambda: Quadratic(np.ones((2, 3))), ValueError, "A must be square"),
    ("quadratic_A_asymmetric", lambda: Quadratic(np.array([[1.0, 2.0], [0.0, 1.0]])), ValueError, "symmetric"),
    ("quadratic_A_nan", lambda: Quadratic(np.array([[NAN, 0.0], [0.0, 1.0]])), ValueError, "A must be finite"),
    ("quadratic_A_str", lambda: Quadratic("eye"), TypeError, "A must be"),
    ("quadratic_center_shape", lambda: Quadratic(np.eye(2), center=[1.0, 2.0, 3.0]), ValueError, "center"),
    ("quadratic_minimum_nan", lambda: Quadratic(np.eye(2), minimum=NAN), ValueError, "minimum"),
    ("quadratic_loss_wrong_dim", lambda: _q().loss(np.zeros(3)), ValueError, "W must end in 2"),
    ("quadratic_loss_none", lambda: _q().loss(None), TypeError, "W must be"),
    ("quadratic_loss_nan", lambda: _q().loss(np.array([NAN, 0.0])), ValueError, "W must be finite"),
    ("quadratic_grad_wrong_dim", lambda: _q().grad(np.zeros(3)), ValueError, "w must have shape \\(2,\\)"),
    ("quadratic_grad_str", lambda: _q().grad("ab"), TypeError, "w must be"),
    ("rotated_eigenvalues_3", lambda: rotated_quadratic((1, 2, 3)), ValueError, "eigenvalues"),
    ("rotated_angle_str", lambda: rotated_quadratic((1, 2), "30"), TypeError, "angle_deg"),
    ("rotated_angle_inf", lambda: rotated_quadratic((1, 2), INF), ValueError, "angle_deg"),
    ("rotated_eigenvalues_nan", lambda: rotated_quadratic((1, NAN)), ValueError, "eigenvalues must be finite"),
    ("linreg_rows", lambda: LinearRegression(X2, Y2[:-1]), ValueError, "X and y"),
    ("linreg_y_2d", lambda: LinearRegression(X2, np.ones((24, 2))), ValueError, "y must be 1-D"),
    ("linreg_loss_wrong_dim", lambda: _lin().loss(np.zeros(3)), ValueError, "W must end in 2"),
    ("linreg_loss_str", lambda: _lin().loss("w"), TypeError, "W must be"),
    ("linreg_grad_wrong_dim", lambda: _lin().grad(np.zeros(3)), ValueError, "w must have shape \\(2,\\)"),
    ("linreg_grad_nan", lambda: _lin().grad(np.array([NAN, 1.0])), ValueError, "w must be finite"),
    ("linear_problem_scaling_typo", lambda: linear_problem(X2, Y2, "standrad"), ValueError,
     "did you mean 'standard'"),
    ("linear_problem_scaling_none", lambda: linear_problem(X2, Y2, None), TypeError, "scaling"),
    ("linear_problem_x_nan", lambda: linear_problem(np.array([[NAN, 1.0], [0.0, 1.0]]), [1.0, 2.0]), ValueError,
     "X must be finite"),
    ("linear_problem_rows", lambda: linear_problem(X2, Y2[:3]), ValueError, "X and y"),
    ("loss_surface_objective_int", lambda: loss_surface(3, np.zeros(2), np.zeros(2)), TypeError, "objective"),
    ("loss_surface_w1_2d", lambda: loss_surface(_q(), np.zeros((2, 2)), np.zeros(2)), ValueError, "w1 must be 1-D"),
    ("loss_surface_w2_inf", lambda: loss_surface(_q(), np.zeros(2), np.array([0.0, INF])), ValueError,
     "w2 must be finite"),
    ("loss_surface_nan", lambda: loss_surface(LOG, np.linspace(-1, 1, 5), np.linspace(-1, 1, 4)), ValueError,
     "NaN or infinite at 12 of 20 grid points"),
    ("loss_surface_wrong_shape", lambda: loss_surface(lambda W: np.zeros(5), np.zeros(3), np.zeros(2)),
     ValueError, "loss\\(W\\) must return one value per grid point"),
    ("grid_around_1d", lambda: grid_around(np.zeros(2)), ValueError, "points must be 2-D"),
    ("grid_around_3_columns", lambda: grid_around(np.zeros((2, 3))), ValueError, "points must have 2 columns"),
    ("grid_around_margin_negative", lambda: grid_around(np.eye(2), margin=-0.1), ValueError, "margin must be >= 0"),
    ("grid_around_margin_inf", lambda: grid_around(np.eye(2), margin=INF), ValueError, "margin must be finite"),
    ("grid_around_resolution_one", lambda: grid_around(np.eye(2), resolution=1), ValueError, "resolution"),
    ("numerical_hessian_f_int", lambda: numerical_hessian(3, np.zeros(2)), TypeError, "f must be a function"),
    ("numerical_hessian_w_nan", lambda: numerical_hessian(np.sum, np.array([NAN])), ValueError, "w must be finite"),
    ("numerical_hessian_eps_zero", lambda: numerical_hessian(np.sum, np.zeros(2), eps=0.0), ValueError,
     "eps must be > 0"),
    ("numerical_hessian_f_nan", lambda: numerical_hessian(lambda w: NAN, np.zeros(2)), ValueError,
     "f returned NaN or inf"),
    ("numerical_hessian_f_array", lambda: numerical_hessian(lambda w: w, np.zeros(2)), TypeError,
     "f must return one number"),
    ("classify_not_square", lambda: classify_critical_point(np.ones((2, 3))), ValueError, "hessian must be square"),
    ("classify_tol_negative", lambda: classify_critical_point(np.eye(2), tol=-1.0), ValueError, "tol must be >= 0"),
    ("classify_nan", lambda: classify_critical_point(np.array([[NAN]])), ValueError, "hessian must be finite"),
    ("classify_asymmetric", lambda: classify_critical_point(np.array([[1.0, 5.0], [0.0, 1.0]])), ValueError,
     "hessian must be symmetric"),
    ("condition_number_indefinite", lambda: condition_number(np.diag([1.0, -1.0])), ValueError,
     "positive \\(semi-\\)definite"),
    ("condition_number_1d", lambda: condition_number(np.ones(3)), ValueError, "hessian must be 2-D"),
    ("condition_number_asymmetric", lambda: condition_number(np.array([[1.0, 5.0], [0.0, 1.0]])), ValueError,
     "hessian must be symmetric"),
    ("check_objective_str", lambda: check_objective("quadratic"), TypeError, "objective must have"),
    # ------------------------------------------------------------------ descent
    ("path_objective_none", lambda: optimizer_path(None, np.zeros(2), SGD(0.1), 3), TypeError, "objective"),
    ("path_optimizer_str", lambda: optimizer_path(_q(), np.zeros(2), "sgd", 3), TypeError, "optimizer"),
    ("path_n_steps_negative", lambda: optimizer_path(_q(), np.zeros(2), SGD(0.1), -1), ValueError, "n_steps"),
    ("path_n_steps_float", lambda: optimizer_path(_q(), np.zeros(2), SGD(0.1), 3.0), TypeError, "n_steps"),
    ("path_w0_wrong_dim", lambda: optimizer_path(_q(), np.zeros(3), SGD(0.1), 3), ValueError,
     "w0 must have shape \\(2,\\)"),
    ("path_w0_nan", lambda: optimizer_path(_q(), np.array([NAN, 0.0]), SGD(0.1), 3), ValueError, "w0 must be finite"),
    ("path_w0_str", lambda: optimizer_path(_q(), "w", SGD(0.1), 3), TypeError, "w0"),
    ("path_loss_nan_at_start", lambda: optimizer_path(LOG, np.array([-1.0, 0.0]), SGD(0.1), 3), ValueError,
     "loss at w0 must be finite"),
    ("path_loss_returns_array", lambda: optimizer_path(Objective(lambda W: np.zeros(3), grad=lambda w: w),
                                                       np.zeros(2), SGD(0.1), 3), ValueError, "loss"),
    ("steps_target_nan", lambda: steps_to_target(_q(), np.ones(2), SGD(0.1), NAN), ValueError, "target"),
    ("steps_target_str", lambda: steps_to_target(_q(), np.ones(2), SGD(0.1), "0.1"), TypeError, "target"),
    ("steps_max_steps_negative", lambda: steps_to_target(_q(), np.ones(2), SGD(0.1), 0.1, max_steps=-1), ValueError,
     "max_steps"),
    ("lsl_lr_low_zero", lambda: largest_stable_lr(_q(), np.ones(2), 0.0, 1.0), ValueError, "lr_low must be > 0"),
    ("lsl_lr_high_inf", lambda: largest_stable_lr(_q(), np.ones(2), 0.1, INF), ValueError, "lr_high must be finite"),
    ("lsl_low_above_high", lambda: largest_stable_lr(_q(), np.ones(2), 1.0, 0.1), ValueError, "lr_low must be <"),
    ("lsl_rtol_zero", lambda: largest_stable_lr(_q(), np.ones(2), 0.1, 1.0, rtol=0.0), ValueError, "rtol"),
    ("lsl_n_steps_zero", lambda: largest_stable_lr(_q(), np.ones(2), 0.1, 1.0, n_steps=0), ValueError, "n_steps"),
    ("lsl_make_optimizer_str", lambda: largest_stable_lr(_q(), np.ones(2), 0.1, 1.0, make_optimizer="SGD"),
     TypeError, "make_optimizer must be"),
    ("lsl_make_optimizer_returns_lr", lambda: largest_stable_lr(_q(), np.ones(2), 0.1, 1.0,
                                                                 make_optimizer=lambda lr: lr),
     TypeError, "make_optimizer must return an optimizer"),
    ("lsl_low_unstable", lambda: largest_stable_lr(_q(), np.ones(2), 0.9, 10.0), ValueError, "lr_low=0.9"),
    ("fastest_lrs_empty", lambda: fastest_lr(_q(), np.ones(2), SGD, [], 0.1), ValueError, "lrs must not be empty"),
    ("fastest_lrs_negative", lambda: fastest_lr(_q(), np.ones(2), SGD, [0.1, -0.1], 0.1), ValueError,
     "lrs must all be > 0"),
    ("fastest_lrs_nan", lambda: fastest_lr(_q(), np.ones(2), SGD, [0.1, NAN], 0.1), ValueError, "lrs must be finite"),
    ("fastest_make_optimizer_returns_str", lambda: fastest_lr(_q(), np.ones(2), lambda lr: "sgd", [0.1], 0.1),
     TypeError, "make_optimizer must return an optimizer"),
    ("fastest_target_str", lambda: fastest_lr(_q(), np.ones(2), SGD, [0.1], "low"), TypeError, "target"),
    ("fastest_w0_wrong_dim", lambda: fastest_lr(_q(), np.ones(3), SGD, [0.1], 0.1), ValueError, "w0"),
    # ------------------------------------------------------------------ symmetry
    ("clone_gap_nan", lambda: clone_gap(_params(W1=np.full((2, 6), NAN)), 1), ValueError,
     re.escape("params['W1'] must be finite")),
    ("clone_gap_bias_shape", lambda: clone_gap(_params(b1=np.zeros(4)), 1), ValueError, re.escape("params['b1']")),
    ("clone_gap_out_shape", lambda: clone_gap(_params(W2=np.zeros((4, 5))), 1), ValueError,
     re.escape("params['W2']")),
    ("clone_gap_str_values", lambda: clone_gap({"W1": "a", "b1": "b", "W2": "c"}, 1), TypeError,
     re.escape("params['W1']")),
    ("clone_gap_layer_bool", lambda: clone_gap(_net(), True), TypeError, "layer must be an int"),
    ("clone_gap_layer_output", lambda: clone_gap(_net(), 3), ValueError, "layer must be a hidden layer"),
    ("clone_gap_list", lambda: clone_gap([np.zeros(2)], 1), TypeError, "params must be an MLP or a dict"),
    ("name_221_wrong_net", lambda: name_221(_net()), ValueError, "2-2-1"),
    ("name_221_list", lambda: name_221([1, 2]), TypeError, "params"),
    ("name_221_nan", lambda: name_221({"W1": np.full((2, 2), NAN), "b1": np.zeros(2), "W2": np.zeros((2, 1)),
                                       "b2": np.zeros(1)}), ValueError, re.escape("params['W1'] must be finite")),
    ("format_gap_str", lambda: format_gap("0.1"), TypeError, "x must be a real"),
    ("format_gap_nan", lambda: format_gap(NAN), ValueError, "x must be finite"),
    ("format_gap_floor_zero", lambda: format_gap(0.1, floor=0.0), ValueError, "floor must be > 0"),
    ("recorder_clone_gaps_str", lambda: Recorder(X2, Y2, clone_gaps="False"), TypeError,
     "clone_gaps must be True or False"),
    ("recorder_grads_int", lambda: Recorder(X2, Y2, grads=1), TypeError, "grads must be True or False"),
    ("recorder_params_none", lambda: Recorder(X2, Y2, params=None), TypeError, "params must be True or False"),
    ("recorder_x_width", lambda: Trainer(_sig(), SGD(0.1), batch_size=24, rng=0).fit(
        X2, Y2, 1, callbacks=[Recorder(XR, YR)]), ValueError, "X must have 2 features"),
    ("train_net_str", lambda: train("net", X2, Y2), TypeError, "net must be an nnlib.MLP"),
    ("train_steps_negative", lambda: train(_sig(), X2, Y2, steps=-1), ValueError, "steps must be >= 0"),
    ("train_steps_float", lambda: train(_sig(), X2, Y2, steps=2.0), TypeError, "steps must be an int"),
    ("train_lr_zero", lambda: train(_sig(), X2, Y2, steps=1, lr=0.0), ValueError, "lr"),
    ("train_momentum_one", lambda: train(_sig(), X2, Y2, steps=1, momentum=1.0), ValueError, "momentum"),
    ("train_record_grads_str", lambda: train(_sig(), X2, Y2, steps=1, record_grads="no"), TypeError,
     "record_grads must be True or False"),
    ("train_record_params_int", lambda: train(_sig(), X2, Y2, steps=1, record_params=0), TypeError,
     "record_params"),
    ("train_record_gaps_str", lambda: train(_sig(), X2, Y2, steps=1, record_clone_gaps="False"), TypeError,
     "record_clone_gaps"),
    ("train_x_nan", lambda: train(_sig(), np.array([[NAN, 0.0]]), [1], steps=1), ValueError, "X must be finite"),
    ("train_labels", lambda: train(_sig(), X2, Y2 + 1, steps=1), ValueError, "y must hold 0/1"),
    ("logreg_labels", lambda: logistic_regression_optimum(X2, Y2 + 1), ValueError, "y must hold 0/1"),
    ("logreg_rows", lambda: logistic_regression_optimum(X2, Y2[:-1]), ValueError, "X and y"),
    ("logreg_tol_zero", lambda: logistic_regression_optimum(X2, Y2, tol=0.0), ValueError, "tol"),
    ("logreg_max_iter_zero", lambda: logistic_regression_optimum(X2, Y2, max_iter=0), ValueError, "max_iter"),
    ("logreg_y_nan", lambda: logistic_regression_optimum(X2, np.where(Y2 == 1, NAN, 0.0)), ValueError,
     "y must be finite"),
    ("logreg_separable", lambda: logistic_regression_optimum(np.array([[0.0], [1.0]]), [0, 1]), ValueError,
     "separable"),
    ("hessian_eps_zero", lambda: network_hessian(_sig((2, 2, 1)), X2, Y2, eps=0.0), ValueError, "eps"),
    ("hessian_net_str", lambda: network_hessian("net", X2, Y2), TypeError, "net"),
    ("hessian_y_rows", lambda: network_hessian(_sig((2, 2, 1)), X2, Y2[:3]), ValueError, "X and y"),
    ("loss_along_direction_list", lambda: loss_along(_sig(), X2, Y2, [0.0] * 3, [0.0]), TypeError, "direction"),
    ("loss_along_vector_length", lambda: loss_along(_sig(), X2, Y2, np.zeros(3), [0.0]), ValueError,
     "direction as a vector must have shape"),
    ("loss_along_vector_nan", lambda: loss_along(_sig(), X2, Y2, np.full(N_SIG, NAN), [0.0]), ValueError,
     "direction must be finite"),
    ("loss_along_unknown_key", lambda: loss_along(_sig(), X2, Y2, {"W9": np.zeros(2)}, [0.0]), ValueError,
     "direction has keys \\['W9'\\]"),
    ("loss_along_key_shape", lambda: loss_along(_sig(), X2, Y2, {"W1": np.zeros((3, 4))}, [0.0]), ValueError,
     re.escape("direction['W1'] must have shape")),
    ("loss_along_ts_nan", lambda: loss_along(_sig(), X2, Y2, {}, [0.0, NAN]), ValueError, "ts must be finite"),
    ("loss_along_ts_2d", lambda: loss_along(_sig(), X2, Y2, {}, np.zeros((2, 2))), ValueError, "ts must be 1-D"),
    ("loss_along_overflow", lambda: loss_along(_sig(), X2, Y2, np.ones(N_SIG), [1e307]), ValueError, "overflowed"),
    # ------------------------------------------------------------------ init_comparison
    ("class1_net_str", lambda: class1_probability("net", X2), TypeError, "net must be an nnlib.MLP"),
    ("class1_three_classes", lambda: class1_probability(_net((2, 3, 3)), X2), ValueError, "binary classifier"),
    ("class1_points_width", lambda: class1_probability(_sig(), XR), ValueError, "points must have 2"),
    ("class1_points_nan", lambda: class1_probability(_sig(), np.array([[NAN, 0.0]])), ValueError,
     "points must be finite"),
    ("compare_inits_list", lambda: _compare(inits=["he_normal"]), TypeError, "inits must be a non-empty dict"),
    ("compare_inits_empty", lambda: _compare(inits={}), TypeError, "inits must be a non-empty dict"),
    ("compare_inits_unknown", lambda: _compare(inits={"a": "kaiming"}), ValueError, re.escape("inits['a']")),
    ("compare_inits_bad_type", lambda: _compare(inits={"a": [1, 2]}), TypeError, re.escape("inits['a']")),
    ("compare_sizes_int", lambda: _compare(sizes=4), TypeError, "sizes"),
    ("compare_sizes_first", lambda: _compare(sizes=(3, 4, 1)), ValueError, "sizes must start with 2"),
    ("compare_sizes_zero_width", lambda: _compare(sizes=(2, 0, 1)), ValueError, "sizes"),
    ("compare_rows", lambda: _compare(y_train=Y2[:-1]), ValueError, "X_train and y_train"),
    ("compare_y_train_labels", lambda: _compare(y_train=Y2 + 1), ValueError, "y_train must hold 0/1"),
    ("compare_y_test_labels", lambda: _compare(y_test=Y2 * 3, sizes=(2, 4, 2)), ValueError, "y_test must hold"),
    ("compare_x_test_width", lambda: _compare(X_test=XR), ValueError, "X_test must have 2"),
    ("compare_x_train_nan", lambda: _compare(X_train=np.where(X2 > 0, NAN, X2)), ValueError,
     "X_train must be finite"),
    ("compare_steps_negative", lambda: _compare(steps=-1), ValueError, "steps"),
    ("compare_lr_zero", lambda: _compare(lr=0.0), ValueError, "lr"),
    ("compare_resolution_one", lambda: _compare(resolution=1), ValueError, "resolution"),
    ("compare_activation_typo", lambda: _compare(activation="rellu"), ValueError, "did you mean 'relu'"),
    ("compare_rng_str", lambda: _compare(rng="0"), TypeError, "rng"),
    # ------------------------------------------------------------------ polynomials
    ("features_x_two_columns", lambda: polynomial_features(np.zeros((3, 2)), 2), ValueError, "x must be 1-D"),
    ("features_x_str", lambda: polynomial_features("x", 2), TypeError, "x must be"),
    ("features_degree_negative", lambda: polynomial_features(XR, -1), ValueError, "degree must be >= 0"),
    ("features_degree_float", lambda: polynomial_features(XR, 2.0), TypeError, "degree must be an int"),
    ("features_domain_inf", lambda: polynomial_features(XR, 2, domain=(0, INF)), ValueError, "domain"),
    ("features_domain_str", lambda: polynomial_features(XR, 2, domain="0,1"), TypeError, "domain"),
    ("features_domain_reversed", lambda: polynomial_features(XR, 2, domain=(1, 0)), ValueError, "low < high"),
    ("fit_polynomial_rows", lambda: fit_polynomial(XR, YR[:-1], 2), ValueError, "x and y"),
    ("fit_polynomial_l2_nan", lambda: fit_polynomial(XR, YR, 2, l2=NAN), ValueError, "l2 must be finite"),
    ("fit_polynomial_y_nan", lambda: fit_polynomial(XR, np.full(12, NAN), 2), ValueError, "y must be finite"),
    ("predict_coef_2d", lambda: predict_polynomial(np.zeros((2, 2)), XR), ValueError, "coef must be 1-D"),
    ("predict_coef_nan", lambda: predict_polynomial(np.array([NAN]), XR), ValueError, "coef must be finite"),
    ("grid_degrees_empty", lambda: polynomial_grid(XR, YR, XV, YV, []), TypeError, "degrees"),
    ("grid_degrees_negative", lambda: polynomial_grid(XR, YR, XV, YV, [1, -2]), ValueError, "degrees"),
    ("grid_lambdas_negative", lambda: polynomial_grid(XR, YR, XV, YV, [1], [-1.0]), ValueError, "lambdas"),
    ("grid_lambdas_inf", lambda: polynomial_grid(XR, YR, XV, YV, [1], [INF]), ValueError, "lambdas"),
    ("grid_x_plot_columns", lambda: polynomial_grid(XR, YR, XV, YV, [1], x_plot=np.zeros((3, 2))), ValueError,
     "x_plot"),
    ("grid_val_rows", lambda: polynomial_grid(XR, YR, XV, YV[:-1], [1]), ValueError, "x_val and y_val"),
    ("degree_sweep_l2_negative", lambda: degree_sweep(XR, YR, XV, YV, [1, 2], l2=-1.0), ValueError,
     "l2 must be >= 0"),
    ("degree_sweep_l2_str", lambda: degree_sweep(XR, YR, XV, YV, [1, 2], l2="0"), TypeError, "l2 must be a real"),
    ("bias_variance_rng_none", lambda: bias_variance(None, [1]), TypeError, "rng"),
    ("bias_variance_n_datasets_one", lambda: bias_variance(0, [1], n_datasets=1), ValueError, "n_datasets"),
    ("bias_variance_noise_negative", lambda: bias_variance(0, [1], noise=-0.1), ValueError, "noise must be >= 0"),
    ("bias_variance_n_samples_mismatch", lambda: bias_variance(0, [1], n_samples=3, x_train=XR), ValueError,
     "n_samples"),
    ("bias_variance_n_samples_str", lambda: bias_variance(0, [1], n_samples="12", x_train=XR), TypeError,
     "n_samples must be an int"),
    ("bias_variance_n_samples_zero", lambda: bias_variance(0, [1], n_samples=0), ValueError, "n_samples"),
    ("bias_variance_x_eval_nan", lambda: bias_variance(0, [1], x_eval=[0.0, NAN]), ValueError,
     "x_eval must be finite"),
    ("bias_variance_degrees_str", lambda: bias_variance(0, "3"), TypeError, "degrees"),
    ("learning_curve_sizes_zero", lambda: learning_curve(0, [0, 5], 1), ValueError, "sizes"),
    ("learning_curve_repeats_zero", lambda: learning_curve(0, [5], 1, n_repeats=0), ValueError, "n_repeats"),
    ("learning_curve_n_val_zero", lambda: learning_curve(0, [5], 1, n_val=0), ValueError, "n_val"),
    ("learning_curve_noise_nan", lambda: learning_curve(0, [5], 1, noise=NAN), ValueError, "noise"),
    ("learning_curve_degree_negative", lambda: learning_curve(0, [5], -1), ValueError, "degree"),
    # ------------------------------------------------------------------ sweep helpers
    ("mse_prediction_str", lambda: mse("a", np.zeros(1)), TypeError, "prediction"),
    ("mse_y_none", lambda: mse(np.zeros(1), None), TypeError, "y must be"),
    ("mse_prediction_nan", lambda: mse(np.array([NAN]), np.zeros(1)), ValueError, "prediction must be finite"),
    ("mse_shapes", lambda: mse(np.zeros((3, 1)), np.zeros(3)), ValueError, "same shape"),
    ("mse_overflow", lambda: mse(np.array([1e200]), np.array([-1e200])), ValueError, "overflowed"),
    ("check_int_list_str", lambda: check_int_list("123", "widths", 1), TypeError, "widths"),
    ("check_int_list_float", lambda: check_int_list([1, 2.5], "widths", 1), TypeError, "widths"),
    ("check_lambdas_nan", lambda: check_lambdas([0.1, NAN]), ValueError, "lambdas"),
    # ------------------------------------------------------------------ network sweeps
    ("fit_mlp_y_train_none", lambda: fit_mlp(0, XR, None, XV, YV), TypeError, "y_train"),
    ("fit_mlp_y_val_str", lambda: fit_mlp(0, XR, YR, XV, "y"), TypeError, "y_val"),
    ("fit_mlp_rows", lambda: fit_mlp(0, XR, YR[:-1], XV, YV), ValueError, "X_train and y_train"),
    ("fit_mlp_y_nan", lambda: fit_mlp(0, XR, np.full(12, NAN), XV, YV), ValueError, "y_train must be finite"),
    ("fit_mlp_output_typo", lambda: _fit(output="softmx"), ValueError, "did you mean 'softmax'"),
    ("fit_mlp_softmax_float_labels", lambda: fit_mlp(0, X2, Y2 + 0.5, X2, Y2, output="softmax"), ValueError,
     "y_train"),
    ("fit_mlp_hidden_empty", lambda: _fit(hidden=[]), TypeError, "hidden"),
    ("fit_mlp_hidden_zero", lambda: _fit(hidden=[4, 0]), ValueError, "hidden"),
    ("fit_mlp_epochs_zero", lambda: _fit(epochs=0), ValueError, "epochs"),
    ("fit_mlp_lr_negative", lambda: _fit(lr=-0.1), ValueError, "lr"),
    ("fit_mlp_final_lr_above_lr", lambda: _fit(final_lr=1.0), ValueError, "final_lr"),
    ("fit_mlp_patience_negative", lambda: _fit(patience=-1), ValueError, "patience"),
    ("fit_mlp_track_validation_str", lambda: _fit(track_validation="yes"), TypeError, "track_validation"),
    ("fit_mlp_x_val_columns", lambda: fit_mlp(0, XR, YR, X2, Y2.astype(float)), ValueError, "X_val"),
    ("fit_mlp_rng_none", lambda: fit_mlp(None, XR, YR, XV, YV), TypeError, "rng"),
    ("fit_mlp_l2_negative", lambda: _fit(l2=-0.1), ValueError, "l2"),
    ("fit_mlp_dropout_one", lambda: _fit(dropout=1.0), ValueError, "dropout"),
    ("fit_mlp_activation_typo", lambda: _fit(activation="rellu"), ValueError, "did you mean 'relu'"),
    ("fit_mlp_weight_init_typo", lambda: _fit(weight_init="he_normall"), ValueError, "did you mean 'he_normal'"),
    ("width_sweep_widths_empty", lambda: width_sweep(0, [], XR, YR, XV, YV), TypeError, "widths"),
    ("width_sweep_hidden_option", lambda: width_sweep(0, [2], XR, YR, XV, YV, hidden=[3]), TypeError, "hidden"),
    ("width_sweep_depth_zero", lambda: width_sweep(0, [2], XR, YR, XV, YV, depth=0), ValueError, "depth"),
    ("width_sweep_unknown_option", lambda: width_sweep(0, [2], XR, YR, XV, YV, epoch=3), TypeError, "epoch"),
    ("l2_sweep_negative", lambda: l2_sweep(0, [0.1, -1.0], XR, YR, XV, YV), ValueError, "lambdas"),
    ("l2_sweep_l2_option", lambda: l2_sweep(0, [0.1], XR, YR, XV, YV, l2=0.1), TypeError, "l2"),
]


@pytest.mark.parametrize("call, exc, match", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_raises_naming_the_argument(call, exc, match):
    assert issubclass(exc, (ValueError, TypeError))
    with pytest.raises(exc, match=match):
        call()


def test_case_ids_unique():
    ids = [c[0] for c in CASES]
    assert len(ids) == len(set(ids))


def test_messages_say_what_came():
    with pytest.raises(ValueError, match=r"got -0\.1"):
        theory("tanh", 3, 8, -0.1)
    with pytest.raises(ValueError, match=r"\(0, inf\)"):
        layer_histograms(_net(), X2, value_range=(0, INF))
    with pytest.raises(TypeError, match=r"str 'False'"):
        layer_histograms(_net(), X2, log10="False")
    with pytest.raises(ValueError, match=r"\(4, 4\)"):
        _fused(h=np.empty((4, 4)))


def test_valid_edge_inputs_are_accepted():
    # the other side of the table: forms that must not be rejected
    assert gaussian_expectation(lambda z: 1.0, 2.0) == pytest.approx(1.0)  # a constant f broadcasts
    assert gaussian_expectation(np.square, 0.0) == 0.0  # q = 0: the point mass at 0
    assert Objective(lambda W: 1.0).loss(np.zeros((3, 2))).shape == (3,)
    assert theory("linear", 2, 4, 0.25)[0][0] == pytest.approx(1.0)
    assert histogram_range("linear") == histogram_range("identity")
    edges, _ = layer_histograms(_net(), X2, value_range=[0, 1])  # a list works as well as a tuple
    assert edges[0] == 0 and edges[-1] == 1
    assert dead_units(np.ones((2, 3)), active=np.ones((2, 3), bool)).tolist() == [False] * 3
    assert mse([1.0, 2.0], [1.0, 2.0]) == 0.0
    path = optimizer_path(_q(), [2.0, 1.0], SGD(0.6), 50)  # lr above 2/4: diverges, reported as such
    assert path.diverged and np.isfinite(path.params).all()


def test_diverging_fit_warns_and_keeps_finite_numbers():
    from nnlib.trainer import DivergenceWarning

    with pytest.warns(DivergenceWarning, match="diverged"):
        fit = _fit(lr=1e6, epochs=50)
    assert fit.history.diverged and np.isfinite([fit.train, fit.val]).all()


def test_diverging_descent_is_reported_not_raised():
    for lr in (1.0, 100.0, 1e200):
        path = optimizer_path(_q(), np.ones(2), SGD(lr), 20)
        assert path.diverged and np.isfinite(path.losses).all() and np.isfinite(path.params).all()


# ------------------------------------------------------------------ inputs never modified
def _ro(*arrays):
    """Read-only copies: any write into them would raise."""
    out = []
    for a in arrays:
        a = np.array(a, dtype=float)
        a.flags.writeable = False
        out.append(a)
    return out


def _check_unchanged(call, *arrays):
    before = [np.array(a, copy=True) for a in arrays]
    call(*arrays)
    for a, b in zip(arrays, before):
        np.testing.assert_array_equal(a, b)


ENTRY_POINTS = {
    "theory_run": lambda: _check_unchanged(lambda: _probe().run("tanh", 0.2)),
    "saturated_fraction": lambda: _check_unchanged(lambda a: saturated_fraction(a, "tanh"), *_ro(3 * X2)),
    "saturated_mask": lambda: _check_unchanged(lambda d: saturated_mask(d, "tanh"), *_ro(np.abs(X2) / 4)),
    "dead_units": lambda: _check_unchanged(dead_units, *_ro(X2)),
    "dead_fractions": lambda: _check_unchanged(lambda X: dead_fractions(_net(), X), *_ro(X2)),
    "layer_statistics": lambda: _check_unchanged(lambda X, y: layer_statistics(_net(), X, y), *_ro(X2, Y2)),
    "layer_histograms": lambda: _check_unchanged(
        lambda X, y: layer_histograms(_net(), X, y, "grad_W", log10=True), *_ro(X2, Y2)),
    "quadratic": lambda: _check_unchanged(lambda A, c: Quadratic(A, c).grad(c), *_ro(np.eye(2), [1.0, 2.0])),
    "linear_problem": lambda: _check_unchanged(
        lambda X, y: [linear_problem(X, y, s).solution() for s in objectives.SCALINGS], *_ro(X2, Y2)),
    "loss_surface": lambda: _check_unchanged(lambda a, b: loss_surface(_q(), a, b), *_ro([0.0, 1.0], [2.0, 3.0])),
    "grid_around": lambda: _check_unchanged(grid_around, *_ro(X2)),
    "numerical_hessian": lambda: _check_unchanged(lambda w: numerical_hessian(_q(), w), *_ro([1.0, 2.0])),
    "classify_condition": lambda: _check_unchanged(
        lambda H: (classify_critical_point(H), condition_number(H)), *_ro(np.diag([1.0, 3.0]))),
    "optimizer_path": lambda: _check_unchanged(lambda w: optimizer_path(_q(), w, SGD(0.1), 5), *_ro([1.0, 1.0])),
    "steps_to_target": lambda: _check_unchanged(lambda w: steps_to_target(_q(), w, SGD(0.1), 1e-3), *_ro([1.0, 1.0])),
    "largest_stable_lr": lambda: _check_unchanged(lambda w: largest_stable_lr(_q(), w, 0.01, 10.0, 20, 0.05),
                                                  *_ro([1.0, 1.0])),
    "fastest_lr": lambda: _check_unchanged(lambda w, lrs: fastest_lr(_q(), w, SGD, lrs, 1e-3, 500),
                                           *_ro([1.0, 1.0], [0.3, 0.1])),
    "clone_gap": lambda: _check_unchanged(lambda W1, b1, W2: clone_gap({"W1": W1, "b1": b1, "W2": W2}, 1),
                                          *_ro(np.ones((2, 3)), np.zeros(3), np.ones((3, 1)))),
    "train": lambda: _check_unchanged(lambda X, y: train(_sig(), X, y, steps=3), *_ro(X2, Y2)),
    "logistic_regression_optimum": lambda: _check_unchanged(logistic_regression_optimum,
                                                            *_ro(X2 + _rng(5).standard_normal(X2.shape), Y2)),
    "network_hessian": lambda: _check_unchanged(lambda X, y: network_hessian(_sig((2, 2, 1)), X, y), *_ro(X2, Y2)),
    "loss_along": lambda: _check_unchanged(lambda X, y, d, t: loss_along(_sig(), X, y, d, t),
                                           *_ro(X2, Y2, np.ones(N_SIG), [0.0, 0.5])),
    "compare_inits": lambda: _check_unchanged(lambda a, b, c, d: _compare(X_train=a, y_train=b, X_test=c, y_test=d),
                                              *_ro(X2, Y2, X2[:10], Y2[:10])),
    "polynomial_grid": lambda: _check_unchanged(lambda a, b, c, d, e: polynomial_grid(a, b, c, d, [0, 3], [0.0, 0.1],
                                                                                   x_plot=e), *_ro(XR, YR, XV, YV, XV[:, 0])),
    "fit_predict_polynomial": lambda: _check_unchanged(lambda x, y: predict_polynomial(fit_polynomial(x, y, 3), x),
                                                       *_ro(XR, YR)),
    "bias_variance": lambda: _check_unchanged(lambda x, e: bias_variance(0, [1, 3], 5, x_train=x, x_eval=e),
                                              *_ro(XR, XV[:, 0])),
    "mse": lambda: _check_unchanged(mse, *_ro(YR, YR[::-1])),
    "fit_mlp": lambda: _check_unchanged(lambda a, b, c, d: fit_mlp(0, a, b, c, d, hidden=[3], epochs=3, patience=1),
                                        *_ro(XR, YR, XV, YV)),
    "width_sweep_softmax": lambda: _check_unchanged(
        lambda a, b: width_sweep(0, [2], a, b.astype(int), a, b.astype(int), output="softmax", epochs=2),
        *_ro(X2, Y2)),
}


@pytest.mark.parametrize("name", sorted(ENTRY_POINTS))
def test_entry_points_do_not_modify_inputs(name):
    ENTRY_POINTS[name]()


def test_nets_are_not_modified():
    for call in (lambda n: train(n, X2, Y2, steps=3), lambda n: network_hessian(n, X2, Y2),
                 lambda n: loss_along(n, X2, Y2, np.ones(N_SIG), [0.0, 1.0]), lambda n: layer_statistics(n, X2, Y2),
                 lambda n: layer_histograms(n, X2, Y2, "grad_pre_activation")):
        net = _sig()
        before = copy.deepcopy(net.params)
        call(net)
        for k in before:
            np.testing.assert_array_equal(net.params[k], before[k])

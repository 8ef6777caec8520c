"""Every public entry point rejects bad input with ValueError/TypeError naming the argument,
and never modifies its inputs in place."""

import re
import warnings

import numpy as np
import pytest

from nnlib import (
    MLP, SGD, Adam, EarlyStopping, MinMaxScaler, NotFittedError, ProgressBar, StandardScaler, Trainer,
    activations, datasets, initializers, layers, losses,
)
from nnlib.gradcheck import check_model_gradients, numerical_gradient, relative_error


def _rng(seed=0):
    return np.random.default_rng(seed)


def _X(n=4, d=3, seed=1):
    return _rng(seed).standard_normal((n, d))


def _net(output="softmax", k=3, **kw):
    return MLP([3, 5, k], output=output, rng=0, **kw)


def _trainer(net=None, **kw):
    return Trainer(net if net is not None else _net(), SGD(0.1), rng=0, **kw)


def _fitted(cls=StandardScaler):
    return cls().fit(_X(5, 2))


Y3 = np.array([0, 1, 2, 1])  # valid labels for _net() and _X()
NAN_X = np.array([[0.0, np.nan, 1.0], [1.0, 2.0, 3.0]])
INF_X = np.array([[0.0, np.inf, 1.0], [1.0, 2.0, 3.0]])

# (id, call, exception, regex that must appear in the message: the argument's name)
CASES = [
    # ---------------------------------------------------------------- MLP constructor
    ("mlp_sizes_int", lambda: MLP(5, rng=0), TypeError, "sizes"),
    ("mlp_sizes_str", lambda: MLP("3,2", rng=0), TypeError, "sizes"),
    ("mlp_sizes_too_short", lambda: MLP([3], rng=0), ValueError, "sizes"),
    ("mlp_sizes_empty", lambda: MLP([], rng=0), ValueError, "sizes"),
    ("mlp_sizes_zero", lambda: MLP([3, 0, 2], rng=0), ValueError, "sizes"),
    ("mlp_sizes_negative", lambda: MLP([3, -4, 2], rng=0), ValueError, "sizes"),
    ("mlp_sizes_zero_inputs", lambda: MLP([0, 2], rng=0), ValueError, "sizes"),
    ("mlp_sizes_float", lambda: MLP([3, 2.5, 2], rng=0), TypeError, "sizes"),
    ("mlp_sizes_bool", lambda: MLP([3, True, 2], rng=0), TypeError, "sizes"),
    ("mlp_unknown_activation", lambda: MLP([3, 2], activation="swish", rng=0), ValueError, "activation"),
    ("mlp_activation_not_str", lambda: MLP([3, 2], activation=3, rng=0), TypeError, "activation"),
    ("mlp_unknown_output", lambda: MLP([3, 2], output="tanh", rng=0), ValueError, "output"),
    ("mlp_output_not_str", lambda: MLP([3, 2], output=None, rng=0), TypeError, "output"),
    ("mlp_sigmoid_2_outputs", lambda: MLP([3, 2], output="sigmoid", rng=0), ValueError, r"sigmoid.*sizes\[-1\]"),
    ("mlp_softmax_1_output", lambda: MLP([3, 1], output="softmax", rng=0), ValueError, "softmax"),
    ("mlp_unknown_weight_init", lambda: MLP([3, 2], weight_init="kaiming", rng=0), ValueError, "weight_init"),
    ("mlp_unknown_bias_init", lambda: MLP([3, 2], bias_init="kaiming", rng=0), ValueError, "bias_init"),
    ("mlp_weight_init_constant_name", lambda: MLP([3, 2], weight_init="constant", rng=0), ValueError, "constant"),
    ("mlp_bias_init_constant_name", lambda: MLP([3, 2], bias_init="constant", rng=0), ValueError, "bias_init"),
    ("mlp_weight_init_wrong_type", lambda: MLP([3, 2], weight_init=[1, 2], rng=0), TypeError, "weight_init"),
    ("mlp_bias_init_wrong_type", lambda: MLP([3, 2], bias_init=None, rng=0), TypeError, "bias_init"),
    ("mlp_weight_init_wrong_shape", lambda: MLP([3, 2], weight_init=lambda r, s: np.zeros((2, 3)), rng=0),
     ValueError, "weight_init"),
    ("mlp_weight_init_nan", lambda: MLP([3, 2], weight_init=lambda r, s: np.full(s, np.nan), rng=0),
     ValueError, "weight_init"),
    ("mlp_bias_init_wrong_shape", lambda: MLP([3, 2], bias_init=lambda r, s: np.zeros((1, 2)), rng=0),
     ValueError, "bias_init"),
    ("mlp_dropout_one", lambda: MLP([3, 4, 2], dropout=1.0, rng=0), ValueError, "dropout"),
    ("mlp_dropout_negative", lambda: MLP([3, 4, 2], dropout=-0.1, rng=0), ValueError, "dropout"),
    ("mlp_dropout_str", lambda: MLP([3, 4, 2], dropout="0.5", rng=0), TypeError, "dropout"),
    ("mlp_l2_negative", lambda: MLP([3, 2], l2=-0.1, rng=0), ValueError, "l2"),
    ("mlp_l1_negative", lambda: MLP([3, 2], l1=-1e-3, rng=0), ValueError, "l1"),
    ("mlp_l2_nan", lambda: MLP([3, 2], l2=float("nan"), rng=0), ValueError, "l2"),
    ("mlp_rng_missing", lambda: MLP([3, 2]), TypeError, "rng"),
    ("mlp_rng_str", lambda: MLP([3, 2], rng="seed"), TypeError, "rng"),
    ("mlp_rng_float", lambda: MLP([3, 2], rng=1.5), TypeError, "rng"),
    ("mlp_rng_bool", lambda: MLP([3, 2], rng=True), TypeError, "rng"),
    ("mlp_rng_legacy_randomstate", lambda: MLP([3, 2], rng=np.random.RandomState(0)), TypeError, "rng"),
    ("mlp_dtype_int", lambda: MLP([3, 2], rng=0, dtype=np.int64), TypeError, "dtype"),
    ("mlp_dtype_float16", lambda: MLP([3, 2], rng=0, dtype=np.float16), TypeError, "dtype"),
    # ---------------------------------------------------------------- MLP.forward / predict (X)
    ("forward_1d", lambda: _net().forward(np.zeros(3)), ValueError, "X must be 2-D"),
    ("forward_3d", lambda: _net().forward(np.zeros((2, 3, 1))), ValueError, "X must be 2-D"),
    ("forward_width", lambda: _net().forward(_X(4, 2)), ValueError, "X must have 3 features"),
    ("forward_nan", lambda: _net().forward(NAN_X), ValueError, "X must be finite"),
    ("forward_inf", lambda: _net().forward(INF_X), ValueError, "X must be finite"),
    ("forward_empty", lambda: _net().forward(np.zeros((0, 3))), ValueError, "X must not be empty"),
    ("forward_strings", lambda: _net().forward(np.array([["a", "b", "c"]])), TypeError, "X"),
    ("forward_none", lambda: _net().forward(None), TypeError, "X"),
    ("forward_complex", lambda: _net().forward(np.ones((2, 3), dtype=complex)), TypeError, "X"),
    ("forward_object", lambda: _net().forward(np.array([[1, "a", None]], dtype=object)), TypeError, "X"),
    ("predict_width", lambda: _net().predict(_X(4, 4)), ValueError, "X must have 3 features"),
    ("predict_nan", lambda: _net().predict(NAN_X), ValueError, "X must be finite"),
    ("trace_width", lambda: _net().trace(_X(4, 2)), ValueError, "X must have 3 features"),
    # ---------------------------------------------------------------- MLP.loss_and_grads / loss / accuracy (y)
    ("lag_rows_mismatch", lambda: _net().loss_and_grads(_X(4), Y3[:3]), ValueError, "X and y"),
    ("lag_x_nan", lambda: _net().loss_and_grads(NAN_X, Y3[:2]), ValueError, "X must be finite"),
    ("lag_x_width", lambda: _net().loss_and_grads(_X(4, 2), Y3), ValueError, "X must have 3 features"),
    ("lag_label_too_big", lambda: _net().loss_and_grads(_X(4), [0, 1, 3, 1]), ValueError, "y must hold labels"),
    ("lag_label_negative", lambda: _net().loss_and_grads(_X(4), [0, -1, 2, 1]), ValueError, "y must hold labels"),
    ("lag_label_float_out_of_range", lambda: _net().loss_and_grads(_X(2), np.array([0.0, 1e20])), ValueError,
     "y must hold"),
    ("lag_label_non_integer", lambda: _net().loss_and_grads(_X(4), [0, 0.5, 2, 1]), ValueError, "y must hold integer"),
    ("lag_label_nan", lambda: _net().loss_and_grads(_X(4), [0, np.nan, 2, 1]), ValueError, "y must hold integer"),
    ("lag_label_complex", lambda: _net().loss_and_grads(_X(2), np.array([0, 1 + 1j])), TypeError, "y"),
    ("lag_label_strings", lambda: _net().loss_and_grads(_X(2), np.array(["a", "b"])), TypeError, "y"),
    ("lag_label_2d", lambda: _net().loss_and_grads(_X(2), np.array([[0, 1], [1, 0]])), ValueError, "y must be a 1-D"),
    ("lag_label_empty", lambda: _net().loss_and_grads(_X(2), np.array([], dtype=int)), ValueError, "y must not be empty"),
    ("lag_sigmoid_label_2", lambda: _net("sigmoid", 1).loss_and_grads(_X(2), [0, 2]), ValueError, "y must hold 0/1"),
    ("lag_sigmoid_label_half", lambda: _net("sigmoid", 1).loss_and_grads(_X(2), [0, 0.5]), ValueError, "y must hold 0/1"),
    ("lag_sigmoid_label_nan", lambda: _net("sigmoid", 1).loss_and_grads(_X(2), [0, np.nan]), ValueError, "y must be finite"),
    ("lag_identity_columns", lambda: _net("identity", 3).loss_and_grads(_X(2), np.zeros((2, 2))), ValueError,
     "y must have 3 column"),
    ("lag_identity_1d_for_3_outputs", lambda: _net("identity", 3).loss_and_grads(_X(2), np.zeros(2)), ValueError,
     "y must have 3 column"),
    ("lag_identity_nan", lambda: _net("identity", 1).loss_and_grads(_X(2), [0.0, np.inf]), ValueError, "y must be finite"),
    ("lag_identity_3d", lambda: _net("identity", 1).loss_and_grads(_X(2), np.zeros((2, 1, 1))), ValueError, "y must be"),
    ("lag_identity_rows", lambda: _net("identity", 1).loss_and_grads(_X(3), np.zeros(2)), ValueError, "X and y"),
    ("loss_label_out_of_range", lambda: _net().loss(_X(4), [0, 1, 5, 1]), ValueError, "y must hold labels"),
    ("accuracy_rows_mismatch", lambda: _net().accuracy(_X(4), Y3[:2]), ValueError, "X and y"),
    ("accuracy_regression", lambda: _net("identity", 1).accuracy(_X(2), [0.0, 1.0]), ValueError, "accuracy"),
    ("trace_y_and_grad_output", lambda: _net().trace(_X(4), Y3, grad_output=np.zeros((4, 3))), ValueError, "grad_output"),
    ("trace_grad_output_shape", lambda: _net().trace(_X(4), grad_output=np.zeros((4, 2))), ValueError, "grad_output"),
    ("trace_grad_output_nan", lambda: _net().trace(_X(2), grad_output=np.full((2, 3), np.nan)), ValueError, "grad_output"),
    ("trace_label_out_of_range", lambda: _net().trace(_X(4), [0, 1, 7, 1]), ValueError, "y must hold labels"),
    ("set_params_missing_key", lambda: _net().set_params({"W1": np.zeros((3, 5))}), ValueError, "params"),
    ("set_params_wrong_shape", lambda: _net().set_params({**_net().params, "W1": np.zeros((5, 3))}), ValueError,
     re.escape("params['W1']")),
    ("set_params_nan", lambda: _net().set_params({**_net().params, "b2": np.full(3, np.nan)}), ValueError,
     re.escape("params['b2']")),
    # ---------------------------------------------------------------- activations / initializers
    ("activation_unknown", lambda: activations.get("swish"), ValueError, "activation"),
    ("activation_not_str", lambda: activations.get(None), TypeError, "activation"),
    ("activation_alpha_for_relu", lambda: activations.get("relu", alpha=0.1), ValueError, "alpha"),
    ("activation_alpha_negative", lambda: activations.get("leaky_relu", alpha=-0.1), ValueError, "alpha"),
    ("init_rng_missing", lambda: initializers.he_normal(None, (3, 2)), TypeError, "rng"),
    ("init_rng_str", lambda: initializers.glorot_uniform("0", (3, 2)), TypeError, "rng"),
    ("init_rng_negative", lambda: initializers.glorot_uniform(-1, (3, 2)), ValueError, "rng"),
    ("init_zeros_rng", lambda: initializers.zeros("rng", (3, 2)), TypeError, "rng"),
    ("init_shape_zero", lambda: initializers.he_normal(_rng(), (0, 2)), ValueError, "shape"),
    ("init_shape_negative", lambda: initializers.lecun_normal(_rng(), (3, -2)), ValueError, "shape"),
    ("init_shape_3d", lambda: initializers.glorot_normal(_rng(), (3, 2, 2)), ValueError, "shape"),
    ("init_shape_float", lambda: initializers.uniform(_rng(), (3.0, 2)), ValueError, "shape"),
    ("init_negative_std", lambda: initializers.normal(_rng(), (3, 2), std=-0.1), ValueError, "std"),
    ("init_nan_mean", lambda: initializers.normal(_rng(), (3, 2), mean=np.nan), ValueError, "mean"),
    ("init_negative_limit", lambda: initializers.uniform(_rng(), (3, 2), limit=-1.0), ValueError, "limit"),
    ("init_constant_nan", lambda: initializers.constant(_rng(), (3, 2), np.nan), ValueError, "value"),
    ("init_scale_zero", lambda: initializers.variance_scaling(_rng(), (3, 2), scale=0.0), ValueError, "scale"),
    ("init_scale_negative", lambda: initializers.variance_scaling(_rng(), (3, 2), scale=-2.0), ValueError, "scale"),
    ("init_bad_mode", lambda: initializers.variance_scaling(_rng(), (3, 2), mode="fan_max"), ValueError, "mode"),
    ("init_bad_distribution", lambda: initializers.variance_scaling(_rng(), (3, 2), distribution="truncated"),
     ValueError, "distribution"),
    ("init_he_fan_avg", lambda: initializers.he_uniform(_rng(), (3, 2), mode="fan_avg"), ValueError, "mode"),
    ("init_get_unknown", lambda: initializers.get("kaiming"), ValueError, "initializer"),
    ("init_get_constant", lambda: initializers.get("constant"), ValueError, "constant"),
    ("init_gain_unknown", lambda: initializers.gain("swish"), ValueError, "activation"),
    ("init_gain_slope_str", lambda: initializers.gain("leaky_relu", negative_slope="0.1"), TypeError, "negative_slope"),
    # ---------------------------------------------------------------- optimizers
    ("sgd_lr_zero", lambda: SGD(0), ValueError, "lr"),
    ("sgd_lr_negative", lambda: SGD(-0.01), ValueError, "lr"),
    ("sgd_lr_inf", lambda: SGD(np.inf), ValueError, "lr"),
    ("sgd_lr_str", lambda: SGD("0.1"), TypeError, "lr"),
    ("sgd_momentum_one", lambda: SGD(0.1, momentum=1.0), ValueError, "momentum"),
    ("sgd_momentum_big", lambda: SGD(0.1, momentum=1.5), ValueError, "momentum"),
    ("sgd_momentum_negative", lambda: SGD(0.1, momentum=-0.5), ValueError, "momentum"),
    ("adam_lr_zero", lambda: Adam(0.0), ValueError, "lr"),
    ("adam_lr_negative", lambda: Adam(-1e-3), ValueError, "lr"),
    ("adam_beta1_one", lambda: Adam(beta1=1.0), ValueError, "beta1"),
    ("adam_beta2_negative", lambda: Adam(beta2=-0.1), ValueError, "beta2"),
    ("adam_eps_zero", lambda: Adam(eps=0.0), ValueError, "eps"),
    # ---------------------------------------------------------------- Trainer
    ("trainer_rng_missing", lambda: Trainer(_net(), SGD(0.1)), TypeError, "rng"),
    ("trainer_rng_str", lambda: Trainer(_net(), SGD(0.1), rng="0"), TypeError, "rng"),
    ("trainer_batch_size_zero", lambda: _trainer(batch_size=0), ValueError, "batch_size"),
    ("trainer_batch_size_negative", lambda: _trainer(batch_size=-5), ValueError, "batch_size"),
    ("trainer_batch_size_float", lambda: _trainer(batch_size=8.0), TypeError, "batch_size"),
    ("trainer_optimizer_without_step", lambda: Trainer(_net(), "sgd", rng=0), TypeError, "optimizer"),
    ("fit_epochs_negative", lambda: _trainer().fit(_X(4), Y3, epochs=-1), ValueError, "epochs"),
    ("fit_epochs_float", lambda: _trainer().fit(_X(4), Y3, epochs=2.0), TypeError, "epochs"),
    ("fit_epochs_none", lambda: _trainer().fit(_X(4), Y3, epochs=None), TypeError, "epochs"),
    ("fit_x_1d", lambda: _trainer().fit(np.zeros(4), Y3, epochs=1), ValueError, "X must be 2-D"),
    ("fit_x_width", lambda: _trainer().fit(_X(4, 2), Y3, epochs=1), ValueError, "X must have 3 features"),
    ("fit_x_nan", lambda: _trainer().fit(NAN_X, Y3[:2], epochs=1), ValueError, "X must be finite"),
    ("fit_x_empty", lambda: _trainer().fit(np.zeros((0, 3)), Y3[:0], epochs=1), ValueError, "X must not be empty"),
    ("fit_rows_mismatch", lambda: _trainer().fit(_X(4), Y3[:3], epochs=1), ValueError, "X and y"),
    ("fit_label_out_of_range", lambda: _trainer().fit(_X(4), [0, 1, 2, 3], epochs=1), ValueError, "y must hold labels"),
    ("fit_label_non_integer", lambda: _trainer().fit(_X(4), [0, 1, 2, 1.5], epochs=1), ValueError, "y must hold integer"),
    ("fit_validation_not_pair", lambda: _trainer().fit(_X(4), Y3, epochs=1, validation_data=_X(4)), TypeError,
     "validation_data"),
    ("fit_validation_triple", lambda: _trainer().fit(_X(4), Y3, epochs=1, validation_data=(_X(4), Y3, Y3)), TypeError,
     "validation_data"),
    ("fit_validation_width", lambda: _trainer().fit(_X(4), Y3, epochs=1, validation_data=(_X(4, 2), Y3)),
     ValueError, "X_val|validation"),
    ("fit_validation_rows", lambda: _trainer().fit(_X(4), Y3, epochs=1, validation_data=(_X(4), Y3[:3])),
     ValueError, "X_val|y_val|validation"),
    ("fit_validation_labels", lambda: _trainer().fit(_X(4), Y3, epochs=1, validation_data=(_X(4), [0, 0, 9, 0])),
     ValueError, "y_val|validation"),
    ("fit_callbacks_wrong_type", lambda: _trainer().fit(_X(4), Y3, epochs=1, callbacks=[print]), TypeError, "callbacks"),
    # ---------------------------------------------------------------- callbacks
    ("early_stopping_monitor", lambda: EarlyStopping(monitor="val_acc"), ValueError, "monitor"),
    ("early_stopping_patience", lambda: EarlyStopping(patience=-1), ValueError, "patience"),
    ("early_stopping_min_delta", lambda: EarlyStopping(min_delta=-1e-3), ValueError, "min_delta"),
    ("early_stopping_without_validation", lambda: _trainer().fit(_X(4), Y3, epochs=2, callbacks=[EarlyStopping()]),
     ValueError, "val_loss"),
    ("progress_bar_delay", lambda: ProgressBar(delay=-1.0), ValueError, "delay"),
    ("progress_bar_interval", lambda: ProgressBar(interval=-1.0), ValueError, "interval"),
    # ---------------------------------------------------------------- scalers
    ("standard_transform_before_fit", lambda: StandardScaler().transform(_X(3, 2)), NotFittedError, "fit"),
    ("standard_inverse_before_fit", lambda: StandardScaler().inverse_transform(_X(3, 2)), NotFittedError, "fit"),
    ("minmax_transform_before_fit", lambda: MinMaxScaler().transform(_X(3, 2)), NotFittedError, "fit"),
    ("standard_feature_mismatch", lambda: _fitted().transform(_X(3, 3)), ValueError, "X must have 2 features"),
    ("minmax_feature_mismatch", lambda: _fitted(MinMaxScaler).inverse_transform(_X(3, 1)), ValueError,
     "X must have 2 features"),
    ("standard_fit_1d", lambda: StandardScaler().fit(np.arange(3.0)), ValueError, "X must be 2-D"),
    ("minmax_fit_nan", lambda: MinMaxScaler().fit(NAN_X), ValueError, "X must be finite"),
    ("standard_fit_empty", lambda: StandardScaler().fit(np.zeros((0, 2))), ValueError, "X must not be empty"),
    ("standard_transform_inf", lambda: _fitted().transform(np.array([[1.0, np.inf]])), ValueError, "X must be finite"),
    ("minmax_range_equal", lambda: MinMaxScaler(feature_range=(1, 1)), ValueError, "feature_range"),
    ("minmax_range_reversed", lambda: MinMaxScaler(feature_range=(1, 0)), ValueError, "feature_range"),
    ("minmax_range_not_pair", lambda: MinMaxScaler(feature_range=(0, 1, 2)), TypeError, "feature_range"),
    # ---------------------------------------------------------------- datasets
    ("xor_rng_missing", lambda: datasets.xor(None), TypeError, "rng"),
    ("moons_n_samples_zero", lambda: datasets.two_moons(_rng(), n_samples=0), ValueError, "n_samples"),
    ("circles_noise_negative", lambda: datasets.circles(_rng(), noise=-1.0), ValueError, "noise"),
    ("spirals_n_classes", lambda: datasets.spirals(_rng(), n_classes=1), ValueError, "n_classes"),
    ("regression_low_high", lambda: datasets.noisy_regression(_rng(), low=1.0, high=0.0), ValueError, "low"),
    ("split_rng_missing", lambda: datasets.train_val_split(None, _X(4), Y3), TypeError, "rng"),
    ("split_fraction", lambda: datasets.train_val_split(_rng(), _X(4), Y3, 1.5), ValueError, "val_fraction"),
    ("split_rows", lambda: datasets.train_val_split(_rng(), _X(4), Y3[:3]), ValueError, "X and y"),
    ("split_x_nan", lambda: datasets.train_val_split(_rng(), NAN_X, Y3[:2]), ValueError, "X must be finite"),
    # ---------------------------------------------------------------- layers / losses / gradcheck
    ("numerical_gradient_eps", lambda: numerical_gradient(lambda v: 0.0, np.zeros(2), eps=0.0), ValueError, "eps"),
    ("numerical_gradient_x_nan", lambda: numerical_gradient(lambda v: 0.0, np.array([np.nan])), ValueError, "x"),
    ("relative_error_shapes", lambda: relative_error(np.zeros(2), np.zeros(3)), ValueError, "a and b"),
    ("check_model_gradients_x", lambda: check_model_gradients(_net(), _X(4, 2), Y3), ValueError, "X must have"),
    ("check_model_gradients_y", lambda: check_model_gradients(_net(), _X(4), [0, 1, 2, 3]), ValueError, "y must hold"),
    ("check_model_gradients_net", lambda: check_model_gradients("net", _X(4), Y3), TypeError, "net must be an nnlib.MLP"),
    ("numerical_gradient_not_callable", lambda: numerical_gradient(3.0, np.zeros(2)), TypeError, "f must be"),
    ("numerical_gradient_f_nan", lambda: numerical_gradient(lambda v: np.nan, np.zeros(2)), ValueError, "f returned nan"),
    ("numerical_gradient_f_array", lambda: numerical_gradient(lambda v: v, np.zeros(2)), TypeError, "f must return one"),
    ("relative_error_nan", lambda: relative_error(np.array([np.nan]), np.zeros(1)), ValueError, "a must be finite"),
    ("relative_error_str", lambda: relative_error("a", np.zeros(1)), TypeError, "a must be"),
    # ---------------------------------------------------------------- low-level: losses
    ("ce_label_minus_one", lambda: losses.softmax_cross_entropy(np.zeros((3, 2)), [0, -1, 1]), ValueError, "y must hold labels in \\[0, 1\\]"),
    ("ce_label_past_last", lambda: losses.softmax_cross_entropy(np.zeros((3, 2)), [0, 2, 1]), ValueError, "y must hold labels"),
    ("ce_label_float", lambda: losses.softmax_cross_entropy(np.zeros((3, 2)), [0, 0.5, 1]), ValueError, "y must hold integer"),
    ("ce_rows", lambda: losses.softmax_cross_entropy(np.zeros((3, 2)), [0, 1]), ValueError, "a and y"),
    ("ce_logits_nan", lambda: losses.softmax_cross_entropy(np.full((2, 2), np.nan), [0, 1]), ValueError, "a must be finite"),
    ("ce_logits_1d", lambda: losses.softmax_cross_entropy(np.zeros(3), [0, 1, 0]), ValueError, "a must be 2-D"),
    ("se_shape_broadcast", lambda: losses.squared_error(np.zeros((3, 1)), np.zeros(3)), ValueError, "reshape y"),
    ("se_shape_other", lambda: losses.squared_error(np.zeros((3, 2)), np.zeros((3, 1))), ValueError, "same shape"),
    ("se_target_inf", lambda: losses.squared_error(np.zeros((2, 1)), np.array([[np.inf], [0.0]])), ValueError, "y must be finite"),
    ("se_overflow", lambda: losses.squared_error(np.full((2, 1), 1e200), np.zeros((2, 1))), ValueError, "overflowed"),
    ("bce_shape_broadcast", lambda: losses.binary_cross_entropy(np.zeros((3, 1)), np.zeros(3)), ValueError, "reshape y"),
    ("bce_labels", lambda: losses.binary_cross_entropy(np.zeros((2, 1)), np.array([[0.5], [1.0]])), ValueError, "0/1"),
    ("softmax_nan", lambda: losses.softmax(np.array([[np.nan, 0.0]])), ValueError, "a must be finite"),
    ("log_softmax_str", lambda: losses.log_softmax("ab"), TypeError, "a must be"),
    ("sigmoid_nan", lambda: activations.sigmoid(np.array([np.nan])), ValueError, "a must be finite"),
    ("activation_call_inf", lambda: activations.get("tanh")(np.array([np.inf])), ValueError, "a must be finite"),
    ("activation_typo", lambda: activations.get("rellu"), ValueError, "did you mean 'relu'"),
    # ---------------------------------------------------------------- low-level: layers
    ("dense_shapes", lambda: layers.dense_forward(np.ones((2, 3)), np.ones((2, 2)), np.zeros(2)), ValueError, "X has 3 columns"),
    ("dense_bias_shape", lambda: layers.dense_forward(np.ones((2, 2)), np.ones((2, 3)), np.zeros(2)), ValueError, "b must have shape \\(3,\\)"),
    ("dense_x_nan", lambda: layers.dense_forward(NAN_X, np.ones((3, 2)), np.zeros(2)), ValueError, "X must be finite"),
    ("dense_w_1d", lambda: layers.dense_forward(np.ones((2, 2)), np.ones(2), np.zeros(2)), ValueError, "W must be 2-D"),
    ("dense_backward_shape", lambda: layers.dense_backward(np.ones((2, 5)), (np.ones((2, 3)), np.ones((3, 2)))), ValueError, "da must have shape"),
    ("dense_backward_flag", lambda: layers.dense_backward(np.ones((2, 2)), (np.ones((2, 3)), np.ones((3, 2))), need_dX="no"), TypeError, "need_dX"),
    ("dropout_p_one", lambda: layers.dropout_forward(0, np.ones((2, 2)), 1.0), ValueError, "p must be < 1"),
    ("dropout_p_negative", lambda: layers.dropout_forward(0, np.ones((2, 2)), -0.1), ValueError, "p must be >= 0"),
    ("dropout_rng", lambda: layers.dropout_forward("0", np.ones((2, 2)), 0.5), TypeError, "rng"),
    ("dropout_h_nan", lambda: layers.dropout_forward(0, np.array([[np.nan]]), 0.5), ValueError, "h must be finite"),
    ("dropout_backward_shape", lambda: layers.dropout_backward(np.ones((2, 2)), np.ones((2, 3))), ValueError, "mask and dout"),
    ("activation_forward_name", lambda: layers.activation_forward(np.ones((2, 2)), "tanhh"), ValueError, "activation 'tanhh'"),
    ("activation_backward_shape", lambda: layers.activation_backward(np.ones((2, 3)), (np.ones((2, 2)), np.ones((2, 2))), "tanh"), ValueError, "dh"),
    # ---------------------------------------------------------------- low-level: optimizers
    ("sgd_extra_key", lambda: SGD(0.1).step({"W1": np.ones(2)}, {"W1": np.ones(2), "W9": np.ones(2)}), ValueError, "grads has keys \\['W9'\\]"),
    ("sgd_shape", lambda: SGD(0.1).step({"W1": np.ones(2)}, {"W1": np.ones(3)}), ValueError, "grads\\['W1'\\] must have the shape"),
    ("sgd_nan_grad", lambda: SGD(0.1).step({"W1": np.ones(2)}, {"W1": np.array([np.nan, 0.0])}), ValueError, "grads\\['W1'\\] must be finite"),
    ("adam_params_not_dict", lambda: Adam().step([np.ones(2)], {"W1": np.ones(2)}), TypeError, "params must be a dict"),
    ("adam_int_params", lambda: Adam().step({"W1": np.ones(2, dtype=int)}, {"W1": np.ones(2)}), TypeError, "params\\['W1'\\]"),
    # ---------------------------------------------------------------- flags, seeds, dtypes
    ("early_stopping_flag_str", lambda: EarlyStopping(restore_best="False"), TypeError, "restore_best must be True or False"),
    ("trainer_shuffle_flag", lambda: Trainer(_net(), SGD(0.1), rng=0, shuffle=1), TypeError, "shuffle"),
    ("fit_progress_flag", lambda: _trainer().fit(_X(4), Y3, 1, progress="yes"), TypeError, "progress"),
    ("split_stratify_flag", lambda: datasets.train_val_split(_rng(), _X(4), Y3, stratify="True"), TypeError, "stratify"),
    ("trace_training_flag", lambda: _net().trace(_X(4), training="False"), TypeError, "training"),
    ("loss_and_grads_training_flag", lambda: _net().loss_and_grads(_X(4), Y3, training=0), TypeError, "training"),
    ("mlp_rng_negative", lambda: MLP([3, 2], rng=-1), ValueError, "rng must be"),
    ("trainer_rng_negative", lambda: Trainer(_net(), SGD(0.1), rng=-5), ValueError, "rng"),
    ("moons_rng_negative", lambda: datasets.two_moons(-1), ValueError, "rng"),
    ("mlp_dtype_int32", lambda: MLP([3, 2], rng=0, dtype=np.int32), TypeError, "dtype must be np.float32"),
    ("mlp_dtype_unknown", lambda: MLP([3, 2], rng=0, dtype="float128x"), TypeError, "dtype"),
    ("init_dtype_int", lambda: initializers.he_normal(0, (3, 2), dtype=np.int64), TypeError, "dtype must be"),
    ("init_dtype_float16", lambda: initializers.glorot_uniform(0, (3, 2), dtype=np.float16), TypeError, "dtype"),
    ("init_zeros_dtype_int", lambda: initializers.zeros(0, (3, 2), dtype=int), TypeError, "dtype"),
    ("init_typo", lambda: initializers.get("he_normall"), ValueError, "did you mean 'he_normal'"),
    ("weight_variance_typo", lambda: initializers.weight_variance("xavir", 4), ValueError, "did you mean 'xavier'"),
    ("weight_variance_fan", lambda: initializers.weight_variance("he", 0), ValueError, "fan_in must be >= 1"),
    ("weight_variance_fan_out", lambda: initializers.weight_variance("he", 4, 2.5), TypeError, "fan_out must be an int"),
    ("mlp_activation_typo", lambda: MLP([3, 2], activation="rellu", rng=0), ValueError, "did you mean 'relu'"),
    ("mlp_output_typo", lambda: MLP([3, 2], output="softmx", rng=0), ValueError, "did you mean 'softmax'"),
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
    # the message shows the offending value, not only the argument name
    with pytest.raises(ValueError, match=r"-4"):
        MLP([3, -4, 2], rng=0)
    with pytest.raises(ValueError, match=r"got shape \(4, 2\)"):
        _net().forward(_X(4, 2))
    with pytest.raises(ValueError, match=r"got 1 NaN"):
        _net().forward(NAN_X)
    with pytest.raises(ValueError, match=r"got 4 and 3"):
        _net().loss_and_grads(_X(4), Y3[:3])
    with pytest.raises(ValueError, match=r"got values from 0 to 3"):
        _net().loss_and_grads(_X(4), [0, 1, 3, 1])
    with pytest.raises(ValueError, match=r"'swish'"):
        activations.get("swish")


@pytest.mark.parametrize("bad", [1e20, -1e20, 2.0 ** 63])
def test_float_labels_far_out_of_range(bad):
    # the range check must happen before the cast to int64: no cast warning, and the message
    # must not report a wrapped-around value such as -9223372036854775808
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match="y must hold labels") as info:
            _net().loss_and_grads(_X(2), np.array([0.0, bad]))
    assert "9223372036854775808" not in str(info.value)


def test_valid_label_forms_are_accepted():
    # the other side of the table: forms that must not be rejected
    net = _net()
    base = net.loss(_X(4), Y3)
    for y in (Y3.tolist(), Y3.astype(float), Y3.reshape(-1, 1), Y3.astype(np.int32)):
        assert net.loss(_X(4), y) == base
    sig = _net("sigmoid", 1)
    yb = np.array([0, 1, 1, 0])
    assert sig.loss(_X(4), yb) == sig.loss(_X(4), yb.astype(bool)) == sig.loss(_X(4), yb.reshape(-1, 1).astype(float))


# ------------------------------------------------------------------ inputs never modified

def _nets():
    return {
        "softmax": (_net("softmax", 3, dropout=0.3, l2=0.1), Y3.copy()),
        "sigmoid": (_net("sigmoid", 1, dropout=0.3, l1=0.1), np.array([0.0, 1.0, 1.0, 0.0])),
        "identity_1": (_net("identity", 1, activation="identity"), _rng(3).standard_normal(4)),
        "identity_3": (_net("identity", 3, activation="identity"), _rng(3).standard_normal((4, 3))),
    }


NET_CALLS = {
    "forward": lambda net, X, y: net.forward(X),
    "predict": lambda net, X, y: net.predict(X),
    "loss_and_grads_train": lambda net, X, y: net.loss_and_grads(X, y, training=True),
    "loss_and_grads_eval": lambda net, X, y: net.loss_and_grads(X, y, training=False),
    "loss": lambda net, X, y: net.loss(X, y),
    "trace_y": lambda net, X, y: net.trace(X, y, training=True),
    "trace_grad_output": lambda net, X, y: net.trace(X, grad_output=np.ones((len(X), net.sizes[-1]))),
    "check_data": lambda net, X, y: net.check_data(X, y),
    "check_model_gradients": lambda net, X, y: check_model_gradients(net, X, y),
    "fit": lambda net, X, y: Trainer(net, SGD(0.01, 0.9), batch_size=2, rng=1).fit(X, y, 2, validation_data=(X, y)),
}


@pytest.mark.parametrize("call", sorted(NET_CALLS))
@pytest.mark.parametrize("kind", sorted(_nets()))
@pytest.mark.parametrize("read_only", [False, True], ids=["writable", "read_only"])
def test_net_entry_points_do_not_modify_inputs(kind, call, read_only):
    net, y = _nets()[kind]
    X = _X(4)
    X0, y0 = X.copy(), y.copy()
    if read_only:  # any write into the caller's arrays would raise
        X.flags.writeable = False
        y.flags.writeable = False
    NET_CALLS[call](net, X, y)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)


def test_float32_net_does_not_modify_float64_input():
    net = MLP([3, 4, 2], rng=0, dtype=np.float32)
    X = _X(4)
    X0 = X.copy()
    Trainer(net, Adam(0.1), batch_size=2, rng=0).fit(X, [0, 1, 1, 0], epochs=2)
    np.testing.assert_array_equal(X, X0)
    assert X.dtype == np.float64


def test_results_do_not_alias_inputs():
    # writing into a result must not change the caller's data
    X = _X(4)
    X0 = X.copy()
    net = _net("identity", 3, activation="identity")
    for out in (net.forward(X), net.predict(X), StandardScaler().fit_transform(X), MinMaxScaler().fit_transform(X)):
        out[...] = 123.0
        np.testing.assert_array_equal(X, X0)


def test_set_params_does_not_keep_reference_to_caller_arrays():
    net = _net()
    p = net.get_params()
    p0 = {k: v.copy() for k, v in p.items()}
    net.set_params(p)
    Trainer(net, SGD(0.5), batch_size=2, rng=0).fit(_X(4), Y3, epochs=3)
    for k in p:
        np.testing.assert_array_equal(p[k], p0[k])
    assert not np.array_equal(net.params["W1"], p["W1"])


@pytest.mark.parametrize("fn, k, labels", [
    (losses.softmax_cross_entropy, 3, lambda r: r.integers(0, 3, 5)),
    (losses.binary_cross_entropy, 1, lambda r: r.integers(0, 2, (5, 1)).astype(float)),
    (losses.squared_error, 2, lambda r: r.standard_normal((5, 2))),
], ids=["sce", "bce", "se"])
def test_losses_on_read_only_inputs(fn, k, labels):
    r = _rng(4)
    a, y = r.standard_normal((5, k)), labels(r)
    a.flags.writeable = False
    y.flags.writeable = False
    loss, da = fn(a, y)
    assert np.isfinite(loss) and da.shape == a.shape


def test_layers_on_read_only_inputs():
    r = _rng(5)
    X, W, b, G = r.standard_normal((4, 3)), r.standard_normal((3, 2)), r.standard_normal(2), r.standard_normal((4, 2))
    for arr in (X, W, b, G):
        arr.flags.writeable = False
    a, cache = layers.dense_forward(X, W, b)
    layers.dense_backward(G, cache)
    act = activations.get("elu")
    a.flags.writeable = False
    h, c = layers.activation_forward(a, act)
    layers.activation_backward(G, c, act)
    out, mask = layers.dropout_forward(r, a, 0.5)
    layers.dropout_backward(G, mask)


@pytest.mark.parametrize("opt", [SGD(0.1), SGD(0.1, 0.9), Adam(0.1)], ids=["sgd", "momentum", "adam"])
def test_optimizers_accept_read_only_grads(opt):
    params = {"w": np.ones(3)}
    g = np.array([1.0, -2.0, 3.0])
    g.flags.writeable = False
    opt.step(params, {"w": g})
    opt.step(params, {"w": g})
    np.testing.assert_array_equal(g, [1.0, -2.0, 3.0])

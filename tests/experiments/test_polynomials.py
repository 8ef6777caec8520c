"""nnlib.experiments.polynomials: ridge polynomial fits, degree sweeps, bias and variance, learning curves."""

import numpy as np
import pytest

from nnlib import datasets
from nnlib.experiments import polynomials


# ----------------------------------------------------------------------------- polynomials
@pytest.mark.parametrize("degree", [0, 1, 3, 7])
def test_features_shape_and_constant_column(degree):
    x = np.linspace(0, 1, 9)
    Phi = polynomials.polynomial_features(x, degree)
    assert Phi.shape == (9, degree + 1)
    np.testing.assert_allclose(Phi[:, 0], 1.0)
    np.testing.assert_allclose(polynomials.polynomial_features(x.reshape(-1, 1), degree), Phi)


@pytest.mark.parametrize("degree", [1, 2, 5])
def test_unpenalized_fit_equals_monomial_least_squares(regression_data, degree):
    X, y, _, _ = regression_data
    coef = polynomials.fit_polynomial(X, y, degree)
    x_new = np.linspace(-0.1, 1.1, 13)
    reference = np.polyval(np.polyfit(X[:, 0], y, degree), x_new)
    np.testing.assert_allclose(polynomials.predict_polynomial(coef, x_new), reference, atol=1e-8)


def test_ridge_matches_normal_equations_and_leaves_intercept_free(regression_data):
    X, y, _, _ = regression_data
    d, lam, n = 6, 1e-3, len(y)
    Phi = polynomials.polynomial_features(X, d)
    D = np.eye(d + 1)
    D[0, 0] = 0.0
    expected = np.linalg.solve(Phi.T @ Phi / n + lam * D, Phi.T @ y / n)
    np.testing.assert_allclose(polynomials.fit_polynomial(X, y, d, l2=lam), expected, rtol=1e-7, atol=1e-10)
    huge = polynomials.fit_polynomial(X, y, d, l2=1e12)
    assert huge[0] == pytest.approx(y.mean(), abs=1e-6)
    np.testing.assert_allclose(huge[1:], 0.0, atol=1e-6)


def test_degree_sweep_training_error_never_increases_and_interpolates(regression_data):
    X, y, X_val, y_val = regression_data
    sweep = polynomials.degree_sweep(X, y, X_val, y_val, range(len(y)))
    assert np.all(np.diff(sweep.train) <= 1e-10)
    assert sweep.train[-1] < 1e-12  # degree N - 1 passes through every point
    assert sweep.val[-1] > sweep.val[sweep.best_index]
    np.testing.assert_allclose(sweep.gap, sweep.val - sweep.train)
    assert len(sweep.table().splitlines()) == len(y) + 1


def test_grid_agrees_with_single_fits(regression_data):
    X, y, X_val, y_val = regression_data
    x_plot = np.linspace(0, 1, 7)
    grid = polynomials.polynomial_grid(X, y, X_val, y_val, [1, 4], [0.0, 1e-2], x_plot=x_plot)
    assert grid.train.shape == grid.val.shape == (2, 2) and grid.curves.shape == (2, 2, 7)
    coef = polynomials.fit_polynomial(X, y, 4, l2=1e-2)
    np.testing.assert_allclose(grid.curves[1, 1], polynomials.predict_polynomial(coef, x_plot))
    assert grid.val[1, 1] == pytest.approx(polynomials.mse(polynomials.predict_polynomial(coef, X_val), y_val))
    assert polynomials.polynomial_grid(X, y, X_val, y_val, [2], [0.0]).curves is None


def test_penalty_shrinks_the_gap_of_an_overfitting_polynomial(regression_data):
    X, y, X_val, y_val = regression_data
    grid = polynomials.polynomial_grid(X, y, X_val, y_val, [12], [0.0, 1e-6, 1e-4, 1e-2])
    gap = grid.val[0] - grid.train[0]
    assert gap[1:].min() < gap[0] / 10
    assert np.all(np.diff(grid.train[0]) >= -1e-12)  # more penalty, never a better training fit


def test_polynomial_inputs_are_validated_and_kept(regression_data):
    X, y, X_val, y_val = regression_data
    X0, y0 = X.copy(), y.copy()
    polynomials.degree_sweep(X, y, X_val, y_val, [0, 2], l2=1e-3)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)
    with pytest.raises(ValueError, match="one column"):
        polynomials.polynomial_features(np.zeros((3, 2)), 2)
    with pytest.raises(ValueError, match="same number of rows"):
        polynomials.fit_polynomial(X, y[:-1], 2)
    with pytest.raises(ValueError, match="degree must be >= 0"):
        polynomials.fit_polynomial(X, y, -1)
    with pytest.raises(TypeError, match="degree must be an int"):
        polynomials.fit_polynomial(X, y, 2.5)
    with pytest.raises(ValueError, match="l2 must be >= 0"):
        polynomials.fit_polynomial(X, y, 2, l2=-1.0)
    with pytest.raises(ValueError, match="low < high"):
        polynomials.polynomial_features(X, 2, domain=(1.0, 0.0))
    with pytest.raises(TypeError, match="degrees"):
        polynomials.degree_sweep(X, y, X_val, y_val, [])
    with pytest.raises(ValueError, match="same shape"):
        polynomials.mse(np.zeros(3), np.zeros(4))


# ----------------------------------------------------------------------------- bias-variance, learning curves
def test_bias_variance_decomposition(regression_data):
    bv = polynomials.bias_variance(np.random.default_rng(0), [0, 1, 3, 9], n_datasets=100, n_samples=15)
    assert bv.predictions.shape == (4, 100, 200)
    target = datasets.regression_target(bv.x_eval)
    total = ((bv.predictions - target) ** 2).mean(axis=(1, 2))  # mean over data sets and x
    np.testing.assert_allclose(total, bv.bias2 + bv.variance, rtol=1e-10)
    assert bv.bias2[2] < bv.bias2[0] / 5  # a cubic follows the sine, a constant cannot
    assert bv.variance[3] > bv.variance[1] > bv.variance[0]
    np.testing.assert_allclose(bv.expected_error, bv.bias2 + bv.variance + 0.09)


def test_bias_variance_is_reproducible_and_checks_rng():
    a = polynomials.bias_variance(np.random.default_rng(5), [2], n_datasets=10)
    b = polynomials.bias_variance(np.random.default_rng(5), [2], n_datasets=10)
    np.testing.assert_array_equal(a.predictions, b.predictions)
    c = polynomials.bias_variance(5, [2], n_datasets=10)  # an int seed is the same as its generator
    np.testing.assert_array_equal(a.predictions, c.predictions)
    with pytest.raises(TypeError, match="rng"):
        polynomials.bias_variance("5", [2])
    with pytest.raises(ValueError, match="n_datasets"):
        polynomials.bias_variance(np.random.default_rng(0), [2], n_datasets=1)


def test_learning_curve_gap_closes_with_more_data():
    curve = polynomials.learning_curve(np.random.default_rng(1), [12, 30, 100, 400], 5, n_repeats=10)
    assert curve.values.tolist() == [12, 30, 100, 400]
    assert curve.train[-1] > curve.train[0]
    assert curve.val[-1] < curve.val[0]
    assert curve.gap[-1] < curve.gap[0] / 5
    assert curve.val[-1] == pytest.approx(0.09, rel=0.3)  # close to the noise floor sigma^2


# ----------------------------------------------------------------------------- MLPs


# ----------------------------------------------------------------------------- the interactive view


def test_bias_variance_fixed_design_keeps_inputs_and_variance_grows_like_d_over_n():
    x = (np.arange(15) + 0.5) / 15
    bv = polynomials.bias_variance(np.random.default_rng(2), [1, 3, 5], n_datasets=400, x_train=x)
    # least squares with p = d + 1 coefficients: the average variance at the inputs is sigma^2 p / N
    at_inputs = polynomials.bias_variance(np.random.default_rng(2), [1, 3, 5], n_datasets=400, x_train=x, x_eval=x)
    np.testing.assert_allclose(at_inputs.variance, 0.09 * np.array([2, 4, 6]) / 15, rtol=0.15)
    assert bv.bias2[1] < bv.bias2[0] / 10
    with pytest.raises(ValueError, match="disagrees"):
        polynomials.bias_variance(np.random.default_rng(0), [1], n_samples=10, x_train=x)




def test_learning_curve_keeps_every_repeat_and_its_standard_error():
    curve = polynomials.learning_curve(np.random.default_rng(4), [20, 200], 3, n_repeats=12)
    assert isinstance(curve, polynomials.LearningCurve)
    assert curve.train_runs.shape == curve.val_runs.shape == (2, 12)
    np.testing.assert_allclose(curve.train, curve.train_runs.mean(axis=1))
    np.testing.assert_allclose(curve.val, curve.val_runs.mean(axis=1))
    np.testing.assert_allclose(curve.val_se, curve.val_runs.std(axis=1, ddof=1) / np.sqrt(12))  # ddof 1, not 0
    assert np.all(curve.train_se > 0)
    single = polynomials.learning_curve(np.random.default_rng(4), [20], 3, n_repeats=1)
    assert np.isnan(single.val_se).all()  # one repeat: no standard error


def test_learning_curves_of_two_degrees_see_the_same_data():
    # the draws do not depend on the degree: degree 9 and degree 3 fitted from one seed share the sets,
    # so the training error of the larger model is never larger, repeat by repeat (nested least squares)
    a = polynomials.learning_curve(7, [30, 100], 3, n_repeats=8)
    b = polynomials.learning_curve(7, [30, 100], 9, n_repeats=8)
    assert np.all(b.train_runs <= a.train_runs + 1e-12)


def test_learning_curve_training_error_matches_sigma2_one_minus_p_over_n():
    # a least-squares model that contains the truth: E[train MSE] = sigma^2 (1 - p/N)
    curve = polynomials.learning_curve(np.random.default_rng(8), [50, 400], 9, n_repeats=200)
    theory = 0.09 * (1 - 10 / np.array([50, 400]))
    assert np.all(np.abs(curve.train - theory) < 3 * curve.train_se), (curve.train, theory, curve.train_se)

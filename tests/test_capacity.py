import numpy as np
import pytest

from nnlib import capacity, datasets
from nnlib.callbacks import LearningRateDecay


@pytest.fixture
def data():
    rng = np.random.default_rng(3)
    X, y = datasets.noisy_regression(rng, 15, 0.3)
    X_val, y_val = datasets.noisy_regression(rng, 100, 0.3)
    return X, y, X_val, y_val


# ----------------------------------------------------------------------------- polynomials
@pytest.mark.parametrize("degree", [0, 1, 3, 7])
def test_features_shape_and_constant_column(degree):
    x = np.linspace(0, 1, 9)
    Phi = capacity.polynomial_features(x, degree)
    assert Phi.shape == (9, degree + 1)
    np.testing.assert_allclose(Phi[:, 0], 1.0)
    np.testing.assert_allclose(capacity.polynomial_features(x.reshape(-1, 1), degree), Phi)


@pytest.mark.parametrize("degree", [1, 2, 5])
def test_unpenalized_fit_equals_monomial_least_squares(data, degree):
    X, y, _, _ = data
    coef = capacity.fit_polynomial(X, y, degree)
    x_new = np.linspace(-0.1, 1.1, 13)
    reference = np.polyval(np.polyfit(X[:, 0], y, degree), x_new)
    np.testing.assert_allclose(capacity.predict_polynomial(coef, x_new), reference, atol=1e-8)


def test_ridge_matches_normal_equations_and_leaves_intercept_free(data):
    X, y, _, _ = data
    d, lam, n = 6, 1e-3, len(y)
    Phi = capacity.polynomial_features(X, d)
    D = np.eye(d + 1)
    D[0, 0] = 0.0
    expected = np.linalg.solve(Phi.T @ Phi / n + lam * D, Phi.T @ y / n)
    np.testing.assert_allclose(capacity.fit_polynomial(X, y, d, l2=lam), expected, rtol=1e-7, atol=1e-10)
    huge = capacity.fit_polynomial(X, y, d, l2=1e12)
    assert huge[0] == pytest.approx(y.mean(), abs=1e-6)
    np.testing.assert_allclose(huge[1:], 0.0, atol=1e-6)


def test_degree_sweep_training_error_never_increases_and_interpolates(data):
    X, y, X_val, y_val = data
    sweep = capacity.degree_sweep(X, y, X_val, y_val, range(len(y)))
    assert np.all(np.diff(sweep.train) <= 1e-10)
    assert sweep.train[-1] < 1e-12  # degree N - 1 passes through every point
    assert sweep.val[-1] > sweep.val[sweep.best_index]
    np.testing.assert_allclose(sweep.gap, sweep.val - sweep.train)
    assert len(sweep.table().splitlines()) == len(y) + 1


def test_grid_agrees_with_single_fits(data):
    X, y, X_val, y_val = data
    x_plot = np.linspace(0, 1, 7)
    grid = capacity.polynomial_grid(X, y, X_val, y_val, [1, 4], [0.0, 1e-2], x_plot=x_plot)
    assert grid.train.shape == grid.val.shape == (2, 2) and grid.curves.shape == (2, 2, 7)
    coef = capacity.fit_polynomial(X, y, 4, l2=1e-2)
    np.testing.assert_allclose(grid.curves[1, 1], capacity.predict_polynomial(coef, x_plot))
    assert grid.val[1, 1] == pytest.approx(capacity.mse(capacity.predict_polynomial(coef, X_val), y_val))
    assert capacity.polynomial_grid(X, y, X_val, y_val, [2], [0.0]).curves is None


def test_penalty_shrinks_the_gap_of_an_overfitting_polynomial(data):
    X, y, X_val, y_val = data
    grid = capacity.polynomial_grid(X, y, X_val, y_val, [12], [0.0, 1e-6, 1e-4, 1e-2])
    gap = grid.val[0] - grid.train[0]
    assert gap[1:].min() < gap[0] / 10
    assert np.all(np.diff(grid.train[0]) >= -1e-12)  # more penalty, never a better training fit


def test_polynomial_inputs_are_validated_and_kept(data):
    X, y, X_val, y_val = data
    X0, y0 = X.copy(), y.copy()
    capacity.degree_sweep(X, y, X_val, y_val, [0, 2], l2=1e-3)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)
    with pytest.raises(ValueError, match="one column"):
        capacity.polynomial_features(np.zeros((3, 2)), 2)
    with pytest.raises(ValueError, match="same number of rows"):
        capacity.fit_polynomial(X, y[:-1], 2)
    with pytest.raises(ValueError, match="degree must be >= 0"):
        capacity.fit_polynomial(X, y, -1)
    with pytest.raises(TypeError, match="degree must be an int"):
        capacity.fit_polynomial(X, y, 2.5)
    with pytest.raises(ValueError, match="l2 must be >= 0"):
        capacity.fit_polynomial(X, y, 2, l2=-1.0)
    with pytest.raises(ValueError, match="low < high"):
        capacity.polynomial_features(X, 2, domain=(1.0, 0.0))
    with pytest.raises(TypeError, match="degrees"):
        capacity.degree_sweep(X, y, X_val, y_val, [])
    with pytest.raises(ValueError, match="same shape"):
        capacity.mse(np.zeros(3), np.zeros(4))


# ----------------------------------------------------------------------------- bias-variance, learning curves
def test_bias_variance_decomposition(data):
    bv = capacity.bias_variance([0, 1, 3, 9], np.random.default_rng(0), n_datasets=100, n_samples=15)
    assert bv.predictions.shape == (4, 100, 200)
    target = datasets.regression_target(bv.x_eval)
    total = ((bv.predictions - target) ** 2).mean(axis=(1, 2))  # mean over data sets and x
    np.testing.assert_allclose(total, bv.bias2 + bv.variance, rtol=1e-10)
    assert bv.bias2[2] < bv.bias2[0] / 5  # a cubic follows the sine, a constant cannot
    assert bv.variance[3] > bv.variance[1] > bv.variance[0]
    np.testing.assert_allclose(bv.expected_error, bv.bias2 + bv.variance + 0.09)


def test_bias_variance_is_reproducible_and_checks_rng():
    a = capacity.bias_variance([2], np.random.default_rng(5), n_datasets=10)
    b = capacity.bias_variance([2], np.random.default_rng(5), n_datasets=10)
    np.testing.assert_array_equal(a.predictions, b.predictions)
    c = capacity.bias_variance([2], 5, n_datasets=10)  # an int seed is the same as its generator
    np.testing.assert_array_equal(a.predictions, c.predictions)
    with pytest.raises(TypeError, match="rng"):
        capacity.bias_variance([2], "5")
    with pytest.raises(ValueError, match="n_datasets"):
        capacity.bias_variance([2], np.random.default_rng(0), n_datasets=1)


def test_learning_curve_gap_closes_with_more_data():
    curve = capacity.learning_curve([12, 30, 100, 400], 5, np.random.default_rng(1), n_repeats=10)
    assert curve.values.tolist() == [12, 30, 100, 400]
    assert curve.train[-1] > curve.train[0]
    assert curve.val[-1] < curve.val[0]
    assert curve.gap[-1] < curve.gap[0] / 5
    assert curve.val[-1] == pytest.approx(0.09, rel=0.3)  # close to the noise floor sigma^2


# ----------------------------------------------------------------------------- MLPs
def test_fit_mlp_is_reproducible_and_reports_eval_mode_errors(data):
    X, y, X_val, y_val = data
    a = capacity.fit_mlp(X, y, X_val, y_val, hidden=[8], epochs=50, rng=0)
    b = capacity.fit_mlp(X, y, X_val, y_val, hidden=[8], epochs=50, rng=0)
    assert a.train == b.train and a.val == b.val and a.epochs == 50
    assert a.train == pytest.approx(a.net.loss(X, y))
    assert a.val == pytest.approx(capacity.mse(a.net.predict(X_val), y_val))


def test_fit_mlp_regularizers_and_early_stopping(data):
    X, y, X_val, y_val = data
    drop = capacity.fit_mlp(X, y, X_val, y_val, hidden=[8, 8], dropout=0.5, l2=1e-3, epochs=30, rng=0)
    assert drop.net.dropout == 0.5 and drop.net.l2 == 1e-3
    stopped = capacity.fit_mlp(X, y, X_val, y_val, hidden=[8], epochs=400, lr=0.05, patience=5, rng=0)
    assert stopped.epochs < 400
    assert stopped.val == pytest.approx(min(stopped.history.val_loss))  # best epoch restored


def test_width_and_l2_sweeps(data):
    X, y, X_val, y_val = data
    widths = capacity.width_sweep([1, 4], X, y, X_val, y_val, depth=1, epochs=30, rng=0)
    assert widths.name == "width" and widths.train.shape == (2,)
    lambdas = capacity.l2_sweep([0.0, 1e-2], X, y, X_val, y_val, hidden=[4], epochs=30, rng=0)
    assert lambdas.values.tolist() == [0.0, 1e-2] and np.all(np.isfinite(lambdas.val))
    with pytest.raises(TypeError, match="l2_sweep sets l2"):
        capacity.l2_sweep([0.0], X, y, X_val, y_val, l2=1.0)
    with pytest.raises(TypeError, match="unexpected keyword"):
        capacity.width_sweep([1], X, y, X_val, y_val, epoch=3)  # a typo is not swallowed


def test_fit_mlp_validates(data):
    X, y, X_val, y_val = data
    with pytest.raises(ValueError, match="X_val must have 1 columns"):
        capacity.fit_mlp(X, y, np.zeros((3, 2)), np.zeros(3))
    with pytest.raises(ValueError, match="same number of rows"):
        capacity.fit_mlp(X, y[:-1], X_val, y_val)
    with pytest.raises(ValueError, match="each entry of hidden"):
        capacity.fit_mlp(X, y, X_val, y_val, hidden=[0])
    with pytest.raises(TypeError, match="rng is required"):
        capacity.fit_mlp(X, y, X_val, y_val, epochs=1)


# ----------------------------------------------------------------------------- the interactive view
@pytest.fixture
def view(data):
    pytest.importorskip("ipywidgets")
    from nnlib.capacity_view import CapacityView

    X, y, X_val, y_val = data
    return CapacityView(X, y, X_val, y_val, max_degree=10, noise=0.3)


def test_view_redraws_in_place_without_leaking_figures(view):
    import matplotlib.pyplot as plt

    first = bytes(view.live.image.value)
    renders = view.live.renders
    seen = {first}
    for k in range(100):  # one control per step, so every step is one update
        if k % 2:
            view.degree_slider.value = (view.degree_slider.value + 3) % 11
        else:
            view.lambda_slider.value = (view.lambda_slider.value + 5) % len(view.grid.lambdas)
        seen.add(bytes(view.live.image.value))
    assert plt.get_fignums() == []
    assert view.live.renders >= renders + 100
    assert len(seen) > 50  # the picture follows the controls


def test_view_shows_the_precomputed_numbers(view):
    view.set(degree=7, l2=1e-4)
    j = int(np.flatnonzero(np.isclose(view.grid.lambdas, 1e-4))[0])
    np.testing.assert_allclose(view._fit_line.get_ydata(), view.grid.curves[7, j])
    np.testing.assert_allclose(view._deg_val.get_ydata(), view.grid.val[:, j])
    np.testing.assert_allclose(view._lam_train.get_ydata(), view.grid.train[7, 1:])
    assert view.degree_slider.value == 7 and view.lambda_slider.value == j
    view.set(l2=0.0)
    assert not view._lam_marker.get_visible()
    assert view._zero_val.get_ydata()[0] == pytest.approx(view.grid.val[7, 0])


def test_view_validates(view, data):
    from nnlib.capacity_view import CapacityView

    X, y, X_val, y_val = data
    with pytest.raises(ValueError, match="l2 must be one of"):
        view.set(l2=0.5)
    with pytest.raises(ValueError, match="degree must be an int"):
        view.set(degree=11)
    with pytest.raises(ValueError, match="lambdas"):
        CapacityView(X, y, X_val, y_val, lambdas=[1.0, 0.1])
    with pytest.raises(ValueError, match="max_degree"):
        CapacityView(X, y, X_val, y_val, max_degree=0)
    with pytest.raises(ValueError, match="degree must be an int in"):
        CapacityView(X, y, X_val, y_val, max_degree=3, degree=5)


def test_bias_variance_fixed_design_keeps_inputs_and_variance_grows_like_d_over_n():
    x = (np.arange(15) + 0.5) / 15
    bv = capacity.bias_variance([1, 3, 5], np.random.default_rng(2), n_datasets=400, x_train=x)
    # least squares with p = d + 1 coefficients: the average variance at the inputs is sigma^2 p / N
    at_inputs = capacity.bias_variance([1, 3, 5], np.random.default_rng(2), n_datasets=400, x_train=x, x_eval=x)
    np.testing.assert_allclose(at_inputs.variance, 0.09 * np.array([2, 4, 6]) / 15, rtol=0.15)
    assert bv.bias2[1] < bv.bias2[0] / 10
    with pytest.raises(ValueError, match="disagrees"):
        capacity.bias_variance([1], np.random.default_rng(0), n_samples=10, x_train=x)


@pytest.fixture
def moons():
    rng = np.random.default_rng(0)
    X, y = datasets.two_moons(rng, 40, noise=0.3)
    X_val, y_val = datasets.two_moons(rng, 100, noise=0.3)
    return X, y, X_val, y_val


def test_fit_mlp_classifier_reports_cross_entropy_and_accuracy(moons):
    X, y, X_val, y_val = moons
    fit = capacity.fit_mlp(X, y, X_val, y_val, hidden=[16], output="softmax", epochs=200, lr=0.01, rng=0)
    assert fit.net.sizes == [2, 16, 2] and fit.net.output == "softmax"
    assert fit.train == pytest.approx(fit.net.loss(X, y))
    assert fit.train_accuracy == pytest.approx(fit.net.accuracy(X, y)) and fit.train_accuracy > 0.7
    assert fit.val_accuracy == pytest.approx(fit.net.accuracy(X_val, y_val))
    assert fit.history.val_loss == []  # validation is evaluated once, at the end, unless asked
    tracked = capacity.fit_mlp(X, y, X_val, y_val, hidden=[16], output="softmax", epochs=20, track_validation=True, rng=0)
    assert len(tracked.history.val_loss) == 20
    with pytest.raises(ValueError, match="integer class labels"):
        capacity.fit_mlp(X, y + 0.5, X_val, y_val, output="softmax")
    with pytest.raises(ValueError, match="output"):
        capacity.fit_mlp(X, y, X_val, y_val, output="sigmoid")


def test_classifier_sweeps_carry_accuracies(moons):
    X, y, X_val, y_val = moons
    sweep = capacity.width_sweep([2, 8], X, y, X_val, y_val, output="softmax", epochs=30, rng=0)
    assert sweep.metric == "loss" and sweep.val_accuracy.shape == (2,)
    assert "val acc" in sweep.table().splitlines()[0]
    with pytest.raises(TypeError, match="width_sweep sets hidden"):
        capacity.width_sweep([2], X, y, X_val, y_val, hidden=[3])


def test_learning_rate_decay_reaches_final_rate_and_restores(moons):
    import nnlib
    from nnlib.callbacks import Callback

    class Record(Callback):
        def __init__(self):
            self.rates = []

        def on_epoch_end(self, trainer, history):
            self.rates.append(trainer.optimizer.lr)

    X, y, _, _ = moons
    net = nnlib.MLP([2, 4, 2], rng=0)
    optimizer = nnlib.Adam(lr=0.1)
    record = Record()
    epochs, final = 11, 1e-3
    decay = LearningRateDecay((final / 0.1) ** (1 / (epochs - 1)))
    nnlib.Trainer(net, optimizer, batch_size=len(X), rng=0).fit(X, y, epochs, callbacks=[record, decay])
    np.testing.assert_allclose(record.rates, 0.1 * np.logspace(0, -2, epochs))  # rate used by each epoch
    assert optimizer.lr == 0.1
    with pytest.raises(ValueError, match="factor"):
        LearningRateDecay(1.5)


def test_fit_mlp_final_lr_makes_training_settle(data):
    X, y, X_val, y_val = data
    fit = capacity.fit_mlp(X, y, X_val, y_val, hidden=[8, 8], epochs=300, lr=0.02, final_lr=2e-4, rng=0)
    steps = np.abs(np.diff(fit.history.loss[-20:]))
    assert steps.max() < 1e-3 * fit.history.loss[-1] + 1e-9
    with pytest.raises(ValueError, match="final_lr"):
        capacity.fit_mlp(X, y, X_val, y_val, lr=0.01, final_lr=0.1)


def test_plot_sweep_draws_without_pyplot(data, moons):
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    from nnlib.capacity_view import plot_sweep

    X, y, X_val, y_val = data
    sweep = capacity.degree_sweep(X, y, X_val, y_val, range(6))
    ax1, ax2 = Figure().subplots(1, 2)
    plot_sweep(ax1, sweep, "degree", "MSE", floor=0.09, title="t")
    assert len(ax1.lines) == 3 and ax1.get_yscale() == "log"
    np.testing.assert_allclose(ax1.lines[1].get_ydata(), sweep.val)
    with pytest.raises(ValueError, match="no accuracies"):
        plot_sweep(ax2, sweep, "degree", "accuracy", accuracy=True)
    Xm, ym, Xm_val, ym_val = moons
    widths = capacity.width_sweep([2, 4], Xm, ym, Xm_val, ym_val, output="softmax", epochs=5, rng=0)
    plot_sweep(ax2, widths, "width", "accuracy", accuracy=True, log_y=False, log_x=True, ticks=True)
    np.testing.assert_allclose(ax2.lines[0].get_ydata(), widths.train_accuracy)
    assert [t.get_text() for t in ax2.get_xticklabels()] == ["2", "4"]
    assert plt.get_fignums() == []


def test_l2_sweep_with_a_generator_starts_every_fit_from_the_same_weights(data):
    X, y, X_val, y_val = data
    sweep = capacity.l2_sweep([0.0, 0.0], X, y, X_val, y_val, hidden=[4], epochs=5,
                              rng=np.random.default_rng(3))
    assert sweep.train[0] == sweep.train[1]  # same lambda and same start: the same fit

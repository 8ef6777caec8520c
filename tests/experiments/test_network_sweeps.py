"""nnlib.experiments.network_sweeps: MLP fits through the Trainer, width and L2 sweeps."""

import numpy as np
import pytest

import nnlib
from nnlib.callbacks import LearningRateDecay
from nnlib.experiments import network_sweeps, polynomials


def test_fit_mlp_is_reproducible_and_reports_eval_mode_errors(regression_data):
    X, y, X_val, y_val = regression_data
    a = network_sweeps.fit_mlp(0, X, y, X_val, y_val, hidden=[8], epochs=50)
    b = network_sweeps.fit_mlp(0, X, y, X_val, y_val, hidden=[8], epochs=50)
    assert a.train == b.train and a.val == b.val and a.epochs == 50
    assert a.train == pytest.approx(a.net.loss(X, y))
    assert a.val == pytest.approx(polynomials.mse(a.net.predict(X_val), y_val))


def test_fit_mlp_regularizers_and_early_stopping(regression_data):
    X, y, X_val, y_val = regression_data
    drop = network_sweeps.fit_mlp(0, X, y, X_val, y_val, hidden=[8, 8], dropout=0.5, l2=1e-3, epochs=30)
    assert drop.net.dropout == 0.5 and drop.net.l2 == 1e-3
    stopped = network_sweeps.fit_mlp(0, X, y, X_val, y_val, hidden=[8], epochs=400, lr=0.05, patience=5)
    assert stopped.epochs < 400
    assert stopped.val == pytest.approx(min(stopped.history.val_loss))  # best epoch restored


def test_width_and_l2_sweeps(regression_data):
    X, y, X_val, y_val = regression_data
    widths = network_sweeps.width_sweep(0, [1, 4], X, y, X_val, y_val, depth=1, epochs=30)
    assert widths.name == "width" and widths.train.shape == (2,)
    lambdas = network_sweeps.l2_sweep(0, [0.0, 1e-2], X, y, X_val, y_val, hidden=[4], epochs=30)
    assert lambdas.values.tolist() == [0.0, 1e-2] and np.all(np.isfinite(lambdas.val))
    with pytest.raises(TypeError, match="l2_sweep sets l2"):
        network_sweeps.l2_sweep(0, [0.0], X, y, X_val, y_val, l2=1.0)
    with pytest.raises(TypeError, match="unexpected keyword"):
        network_sweeps.width_sweep(0, [1], X, y, X_val, y_val, epoch=3)  # a typo is not swallowed


def test_fit_mlp_validates(regression_data):
    X, y, X_val, y_val = regression_data
    with pytest.raises(ValueError, match="X_val must have 1 columns"):
        network_sweeps.fit_mlp(0, X, y, np.zeros((3, 2)), np.zeros(3))
    with pytest.raises(ValueError, match="same number of rows"):
        network_sweeps.fit_mlp(0, X, y[:-1], X_val, y_val)
    with pytest.raises(ValueError, match="each entry of hidden"):
        network_sweeps.fit_mlp(0, X, y, X_val, y_val, hidden=[0])
    with pytest.raises(TypeError, match="rng is required"):
        network_sweeps.fit_mlp(None, X, y, X_val, y_val, epochs=1)


def test_fit_mlp_classifier_reports_cross_entropy_and_accuracy(moons_split):
    X, y, X_val, y_val = moons_split
    fit = network_sweeps.fit_mlp(0, X, y, X_val, y_val, hidden=[16], output="softmax", epochs=200, lr=0.01)
    assert fit.net.sizes == [2, 16, 2] and fit.net.output == "softmax"
    assert fit.train == pytest.approx(fit.net.loss(X, y))
    assert fit.train_accuracy == pytest.approx(fit.net.accuracy(X, y)) and fit.train_accuracy > 0.7
    assert fit.val_accuracy == pytest.approx(fit.net.accuracy(X_val, y_val))
    assert fit.history.val_loss == []  # validation is evaluated once, at the end, unless asked
    tracked = network_sweeps.fit_mlp(0, X, y, X_val, y_val, hidden=[16], output="softmax", epochs=20, track_validation=True)
    assert len(tracked.history.val_loss) == 20
    with pytest.raises(ValueError, match="integer class labels"):
        network_sweeps.fit_mlp(0, X, y + 0.5, X_val, y_val, output="softmax")
    with pytest.raises(ValueError, match="output"):
        network_sweeps.fit_mlp(0, X, y, X_val, y_val, output="sigmoid")


def test_classifier_sweeps_carry_accuracies(moons_split):
    X, y, X_val, y_val = moons_split
    sweep = network_sweeps.width_sweep(0, [2, 8], X, y, X_val, y_val, output="softmax", epochs=30)
    assert sweep.metric == "loss" and sweep.val_accuracy.shape == (2,)
    assert "val acc" in sweep.table().splitlines()[0]
    with pytest.raises(TypeError, match="width_sweep sets hidden"):
        network_sweeps.width_sweep(0, [2], X, y, X_val, y_val, hidden=[3])


def test_learning_rate_decay_reaches_final_rate_and_restores(moons_split):
    from nnlib.callbacks import Callback

    class Record(Callback):
        def __init__(self):
            self.rates = []

        def on_epoch_end(self, trainer, history):
            self.rates.append(trainer.optimizer.lr)

    X, y, _, _ = moons_split
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


def test_fit_mlp_final_lr_makes_training_settle(regression_data):
    X, y, X_val, y_val = regression_data
    fit = network_sweeps.fit_mlp(0, X, y, X_val, y_val, hidden=[8, 8], epochs=300, lr=0.02, final_lr=2e-4)
    steps = np.abs(np.diff(fit.history.loss[-20:]))
    assert steps.max() < 1e-3 * fit.history.loss[-1] + 1e-9
    with pytest.raises(ValueError, match="final_lr"):
        network_sweeps.fit_mlp(0, X, y, X_val, y_val, lr=0.01, final_lr=0.1)


def test_l2_sweep_with_a_generator_starts_every_fit_from_the_same_weights(regression_data):
    X, y, X_val, y_val = regression_data
    sweep = network_sweeps.l2_sweep(np.random.default_rng(3), [0.0, 0.0], X, y, X_val, y_val, hidden=[4], epochs=5)
    assert sweep.train[0] == sweep.train[1]  # same lambda and same start: the same fit


# ----------------------------------------------------------------------------- early stopping replay
early_stopping_point = network_sweeps.early_stopping_point


@pytest.mark.parametrize("curve, patience, expected", [
    ([1.0, 2.0, 3.0], 0, (1, 2, True)),            # patience 0: the first step without improvement stops
    ([3.0, 2.0, 1.0], 0, (3, 3, False)),           # always improving: runs to the end
    ([1.0, 0.5, 0.6, 0.7, 0.4], 2, (2, 4, True)),  # stops at best + patience
    ([1.0, 0.5, 0.6, 0.7, 0.4], 3, (5, 5, False)),  # one more step of patience finds the later minimum
    ([1.0, 0.5, 0.5, 0.5, 0.5], 2, (2, 4, True)),  # a tie is not an improvement
    ([0.7], 5, (1, 1, False)),
])
def test_early_stopping_point_cases(curve, patience, expected):
    s = early_stopping_point(np.array(curve), patience)
    assert (s.best_step, s.stop_step, s.stopped) == expected


def test_early_stopping_point_min_delta():
    s = early_stopping_point(np.array([1.0, 0.95, 0.9, 0.5]), 2, min_delta=0.1)
    assert (s.best_step, s.stop_step) == (1, 3)


def test_early_stopping_point_replays_a_real_early_stopping_run(moons_split):
    X, y, X_val, y_val = moons_split
    options = dict(hidden=[16, 16], output="softmax", epochs=150, lr=0.02)
    full = network_sweeps.fit_mlp(0, X, y, X_val, y_val, track_validation=True, **options)
    curve = np.array(full.history.val_loss)
    for patience in (3, 10, 40):
        run = network_sweeps.fit_mlp(0, X, y, X_val, y_val, patience=patience, **options)
        s = early_stopping_point(curve, patience)
        assert run.epochs == s.stop_step, patience
        assert run.val == pytest.approx(curve[s.best_step - 1], rel=1e-12), patience


def test_early_stopping_point_validates_and_keeps_its_input():
    curve = np.array([1.0, 0.5, 0.7])
    before = curve.copy()
    early_stopping_point(curve, 1)
    np.testing.assert_array_equal(curve, before)
    with pytest.raises(ValueError, match="val_loss"):
        early_stopping_point(np.array([]), 1)
    with pytest.raises(ValueError, match="patience"):
        early_stopping_point(curve, -1)
    with pytest.raises(TypeError, match="patience"):
        early_stopping_point(curve, 1.5)
    with pytest.raises(ValueError, match="val_loss"):
        early_stopping_point(np.array([1.0, np.nan]), 1)
    with pytest.raises(ValueError, match="min_delta"):
        early_stopping_point(curve, 1, min_delta=-0.1)


def test_sweeps_keep_their_fits(regression_data):
    X, y, X_val, y_val = regression_data
    X, X_val = X.reshape(-1, 1), X_val.reshape(-1, 1)
    sweep = network_sweeps.l2_sweep(0, [0.0, 0.1], X, y, X_val, y_val, hidden=[8], epochs=20)
    assert len(sweep.fits) == 2
    again = network_sweeps.fit_mlp(0, X, y, X_val, y_val, hidden=[8], epochs=20, l2=0.1)
    assert sweep.fits[1].val == again.val == sweep.val[1]

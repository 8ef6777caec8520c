"""nnlib.trainer: fitting toy problems, History, determinism, divergence detection."""

import warnings

import numpy as np
import pytest

from nnlib import MLP, SGD, Adam, DivergenceWarning, EarlyStopping, History, Trainer, datasets, initializers


def _rng(seed):
    return np.random.default_rng(seed)


def _moons(n=300, noise=0.1, seed=0):
    return datasets.two_moons(_rng(seed), n, noise=noise)


# ------------------------------------------------------------------ fitting

@pytest.mark.parametrize("output, sizes", [("softmax", [2, 16, 2]), ("sigmoid", [2, 16, 1])])
def test_fits_xor(output, sizes):
    X, y = datasets.xor(_rng(0), 200)
    net = MLP(sizes, activation="tanh", output=output, rng=_rng(1))
    h = Trainer(net, Adam(0.02), batch_size=16, rng=_rng(2)).fit(X, y, epochs=100)
    assert net.accuracy(X, y) > 0.95
    assert h.accuracy[-1] > 0.95
    assert not h.diverged


def test_fits_xor_with_plain_sgd():
    X, y = datasets.xor(_rng(3), 200)
    net = MLP([2, 16, 2], activation="tanh", rng=_rng(4))
    Trainer(net, SGD(0.1, momentum=0.9), batch_size=16, rng=_rng(5)).fit(X, y, epochs=60)
    assert net.accuracy(X, y) > 0.95


def test_fits_two_moons_and_generalizes():
    X, y = _moons(400, noise=0.1)
    X_tr, X_val, y_tr, y_val = datasets.train_val_split(_rng(1), X, y, 0.25)
    net = MLP([2, 32, 32, 2], activation="relu", rng=_rng(2))
    h = Trainer(net, Adam(0.01), batch_size=32, rng=_rng(3)).fit(X_tr, y_tr, epochs=100,
                                                                  validation_data=(X_val, y_val))
    assert net.accuracy(X_tr, y_tr) > 0.95
    assert net.accuracy(X_val, y_val) > 0.95
    assert h.val_accuracy[-1] > 0.95
    assert h.loss[-1] < 0.25 * h.loss[0]


@pytest.mark.parametrize("with_val", [False, True])
@pytest.mark.parametrize("output, k", [("softmax", 2), ("sigmoid", 1), ("identity", 1)])
def test_history_lengths(output, k, with_val):
    X, y = _moons(80)
    if output == "identity":
        y = y.astype(float)
    net = MLP([2, 8, k], activation="tanh", output=output, rng=_rng(4))
    val = (X[:20], y[:20]) if with_val else None
    epochs = 7
    h = Trainer(net, Adam(0.01), batch_size=16, rng=_rng(5)).fit(X, y, epochs=epochs, validation_data=val)
    assert isinstance(h, History)
    assert h.epochs == len(h.loss) == epochs
    assert len(h.accuracy) == (epochs if output != "identity" else 0)
    assert len(h.val_loss) == (epochs if with_val else 0)
    assert len(h.val_accuracy) == (epochs if with_val and output != "identity" else 0)
    assert all(isinstance(v, float) for v in h.loss + h.val_loss)
    assert all(0.0 <= a <= 1.0 for a in h.accuracy + h.val_accuracy)
    assert not h.diverged and h.message == ""
    assert h.seconds > 0
    assert f"{epochs} epochs" in repr(h)


def test_validation_history_is_the_net_after_each_epoch():
    X, y = _moons(120, noise=0.2)
    Xv, yv = _moons(60, noise=0.2, seed=9)
    net = MLP([2, 8, 2], activation="tanh", rng=_rng(6))
    trainer = Trainer(net, Adam(0.01), batch_size=16, rng=_rng(7))
    h1 = trainer.fit(X, y, epochs=3, validation_data=(Xv, yv))
    assert h1.val_loss[-1] == pytest.approx(net.loss(Xv, yv), rel=1e-12)
    assert h1.val_accuracy[-1] == pytest.approx(net.accuracy(Xv, yv))


def test_first_epoch_loss_is_objective_for_one_full_batch():
    # one minibatch holding the whole set: the epoch loss is the objective before the step
    X, y = _moons(50)
    net = MLP([2, 6, 2], activation="tanh", l2=0.01, rng=_rng(8))
    before = net.loss_and_grads(X, y, training=False)[0]
    acc_before = net.accuracy(X, y)
    h = Trainer(net, SGD(0.1), batch_size=1000, rng=_rng(9)).fit(X, y, epochs=1)
    assert h.loss[0] == pytest.approx(before, rel=1e-12)
    assert h.accuracy[0] == pytest.approx(acc_before)


def test_one_epoch_takes_ceil_n_over_batch_size_steps():
    class CountingSGD(SGD):
        steps = 0

        def step(self, params, grads):
            CountingSGD.steps += 1
            super().step(params, grads)

    X, y = _moons(50)
    net = MLP([2, 4, 2], rng=_rng(10))
    Trainer(net, CountingSGD(0.01), batch_size=16, rng=_rng(11)).fit(X, y, epochs=3)
    assert CountingSGD.steps == 3 * 4  # 16 + 16 + 16 + 2 rows per epoch


def test_regression_reduces_loss_and_has_no_accuracy():
    X, y = datasets.noisy_regression(_rng(0), 30)
    Xv, yv = datasets.noisy_regression(_rng(1), 30)
    net = MLP([1, 16, 1], activation="tanh", output="identity", rng=_rng(2))
    initial = net.loss(X, y)
    h = Trainer(net, Adam(0.01), batch_size=8, rng=_rng(3)).fit(X, y, epochs=200, validation_data=(Xv, yv))
    assert net.loss(X, y) < 0.5 * initial
    assert h.loss[-1] < 0.5 * h.loss[0]
    assert h.accuracy == [] and h.val_accuracy == []
    assert len(h.val_loss) == 200


# ------------------------------------------------------------------ determinism

def _run(net_seed, trainer_seed, dropout=0.2):
    X, y = _moons(100, noise=0.2)
    net = MLP([2, 12, 2], activation="relu", dropout=dropout, rng=_rng(net_seed))
    h = Trainer(net, Adam(0.01), batch_size=10, rng=_rng(trainer_seed)).fit(
        X, y, epochs=5, validation_data=(X[:30], y[:30]))
    return net, h


def test_same_seeds_give_bit_identical_runs():
    net1, h1 = _run(1, 2)
    net2, h2 = _run(1, 2)
    for k in net1.params:
        assert net1.params[k].tobytes() == net2.params[k].tobytes()
    assert h1.loss == h2.loss and h1.accuracy == h2.accuracy
    assert h1.val_loss == h2.val_loss and h1.val_accuracy == h2.val_accuracy


def test_int_seeds_equal_generators():
    X, y = _moons(60)
    net1 = MLP([2, 5, 2], rng=3)
    net2 = MLP([2, 5, 2], rng=np.random.default_rng(3))
    Trainer(net1, SGD(0.1), batch_size=8, rng=4).fit(X, y, epochs=2)
    Trainer(net2, SGD(0.1), batch_size=8, rng=np.random.default_rng(4)).fit(X, y, epochs=2)
    np.testing.assert_array_equal(net1.params["W1"], net2.params["W1"])


@pytest.mark.parametrize("dropout", [0.0, 0.2])
def test_different_trainer_seed_gives_different_run(dropout):
    net1, h1 = _run(1, 2, dropout)
    net2, h2 = _run(1, 3, dropout)
    assert not np.array_equal(net1.params["W1"], net2.params["W1"])
    assert h1.loss != h2.loss


def test_different_net_seed_gives_different_run():
    net1, _ = _run(1, 2)
    net2, _ = _run(5, 2)
    assert not np.array_equal(net1.params["W1"], net2.params["W1"])


def test_zero_epochs():
    X, y = _moons(40)
    net = MLP([2, 5, 2], rng=_rng(1))
    before = net.get_params()
    h = Trainer(net, SGD(0.1), rng=_rng(2)).fit(X, y, epochs=0, validation_data=(X, y))
    assert h.epochs == 0
    assert h.loss == [] and h.accuracy == [] and h.val_loss == [] and h.val_accuracy == []
    assert not h.diverged
    for k in before:
        np.testing.assert_array_equal(net.params[k], before[k])


def test_second_fit_continues_training():
    X, y = _moons(80)
    net = MLP([2, 8, 2], activation="tanh", rng=_rng(3))
    trainer = Trainer(net, Adam(0.01), batch_size=16, rng=_rng(4))
    h1 = trainer.fit(X, y, epochs=5)
    h2 = trainer.fit(X, y, epochs=5)
    assert h2.epochs == 5 and h2 is not h1
    assert h2.loss[0] < h1.loss[0]


# ------------------------------------------------------------------ dtypes, inputs

@pytest.mark.parametrize("make_opt", [lambda: Adam(0.02), lambda: SGD(0.1, momentum=0.9)], ids=["adam", "momentum"])
def test_float32_net_trains_and_stays_float32(make_opt):
    X, y = datasets.xor(_rng(0), 200)
    net = MLP([2, 16, 2], activation="tanh", rng=_rng(1), dtype=np.float32)
    h = Trainer(net, make_opt(), batch_size=16, rng=_rng(2)).fit(X, y, epochs=80, validation_data=(X, y))
    assert all(v.dtype == np.float32 for v in net.params.values())
    assert net.forward(X).dtype == np.float32
    assert net.accuracy(X, y) > 0.95
    assert np.all(np.isfinite(h.loss))


@pytest.mark.parametrize("output", ["softmax", "sigmoid", "identity"])
def test_fit_does_not_modify_inputs(output):
    X, y = _moons(60)
    if output == "identity":
        y = y.astype(float) * 2 - 1
    Xv, yv = X[:10].copy(), y[:10].copy()
    copies = [a.copy() for a in (X, y, Xv, yv)]
    net = MLP([2, 6, 2 if output == "softmax" else 1], output=output, dropout=0.3, rng=_rng(1))
    Trainer(net, Adam(0.01), batch_size=8, rng=_rng(2)).fit(X, y, epochs=3, validation_data=(Xv, yv))
    for arr, arr0 in zip((X, y, Xv, yv), copies):
        np.testing.assert_array_equal(arr, arr0)


def test_fit_accepts_lists():
    X, y = _moons(40)
    net = MLP([2, 5, 2], rng=_rng(1))
    h = Trainer(net, SGD(0.1), batch_size=8, rng=_rng(2)).fit(X.tolist(), y.tolist(), epochs=2)
    assert h.epochs == 2


# ------------------------------------------------------------------ divergence

def _fit_recording(net, optimizer, X, y, epochs, **kw):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        h = Trainer(net, optimizer, batch_size=16, rng=_rng(99)).fit(X, y, epochs=epochs, **kw)
    return h, [w.category for w in caught]


DIVERGENT_SETUPS = {
    "moons_softmax_sgd_lr_1e3": lambda: (MLP([2, 16, 2], activation="relu", rng=_rng(1)), SGD(1e3), *_moons(200)),
    "moons_tanh_momentum_lr_1e3": lambda: (MLP([2, 16, 2], activation="tanh", rng=_rng(1)), SGD(1e3, 0.9),
                                           *_moons(200)),
    "regression_sgd_lr_10": lambda: (MLP([1, 16, 1], activation="relu", output="identity", rng=_rng(1)), SGD(10.0),
                                     *datasets.noisy_regression(_rng(2), 100)),
    "regression_huge_init": lambda: (
        MLP([1, 16, 1], activation="relu", output="identity", rng=_rng(1),
            weight_init=lambda r, s: initializers.normal(r, s, std=1e60)),
        SGD(0.01), *datasets.noisy_regression(_rng(2), 100)),
    "sigmoid_large_init_sgd": lambda: (
        MLP([2, 16, 1], activation="relu", output="sigmoid", rng=_rng(1),
            weight_init=lambda r, s: initializers.normal(r, s, std=30.0)),
        SGD(100.0), *_moons(200)),
}


@pytest.mark.parametrize("setup", sorted(DIVERGENT_SETUPS))
def test_divergence_detected_with_one_warning(setup):
    net, opt, X, y = DIVERGENT_SETUPS[setup]()
    epochs = 50
    h, categories = _fit_recording(net, opt, X, y, epochs, validation_data=(X[:20], y[:20]))
    assert h.diverged is True
    assert h.epochs < epochs  # stopped early
    assert categories.count(DivergenceWarning) == 1
    assert [c for c in categories if c is not DivergenceWarning] == []  # in particular no RuntimeWarning
    assert "diverged" in h.message.lower()
    assert "learning rate" in h.message
    assert "diverged" in repr(h)
    assert np.all(np.isfinite(h.loss))  # only completed epochs are recorded
    assert len(h.loss) == len(h.val_loss) == h.epochs


def test_divergence_warning_is_a_runtime_warning_and_raised_by_fit():
    net, opt, X, y = DIVERGENT_SETUPS["moons_softmax_sgd_lr_1e3"]()
    with pytest.warns(DivergenceWarning, match="diverged"):
        Trainer(net, opt, batch_size=16, rng=_rng(0)).fit(X, y, epochs=5)
    assert issubclass(DivergenceWarning, RuntimeWarning)


def test_divergence_stops_mid_run_after_good_epochs():
    # a loss that only blows up later: completed epochs stay in the history
    X, y = datasets.noisy_regression(_rng(3), 64)

    class GrowingLR(SGD):
        def step(self, params, grads):
            self.lr *= 1.5
            super().step(params, grads)

    net = MLP([1, 8, 1], activation="tanh", output="identity", rng=_rng(4))
    h, categories = _fit_recording(net, GrowingLR(1e-3), X, y, 200)
    assert h.diverged and 1 <= h.epochs < 200
    assert categories == [DivergenceWarning]


@pytest.mark.parametrize("output", ["softmax", "identity"])
def test_normal_run_has_no_divergence_and_no_warnings(output):
    X, y = _moons(100)
    if output == "identity":
        y = y.astype(float)
    net = MLP([2, 8, 2 if output == "softmax" else 1], activation="relu", output=output, rng=_rng(5))
    h, categories = _fit_recording(net, Adam(0.01), X, y, 20, validation_data=(X, y))
    assert h.diverged is False
    assert h.message == ""
    assert categories == []
    assert h.epochs == 20


def test_repr():
    net = MLP([2, 3, 2], rng=0)
    r = repr(Trainer(net, SGD(0.1), batch_size=7, rng=0))
    assert "batch_size=7" in r and "SGD" in r


class _Replay(SGD):
    """Plain SGD that records the weights it was given before every step (a copy)."""

    def __init__(self, lr):
        super().__init__(lr)
        self.seen = []

    def step(self, params, grads, out=None):
        self.seen.append({k: v.copy() for k, v in params.items()})
        super().step(params, grads, out=out)


class _InPlaceOnly:
    """An optimizer without ``out=``: the Trainer then copies the weights before each step."""

    def __init__(self, lr):
        self.lr, self.seen = lr, []

    def step(self, params, grads):
        self.seen.append({k: v.copy() for k, v in params.items()})
        for k, g in grads.items():
            params[k] -= self.lr * g


@pytest.mark.parametrize("make", [lambda: _Replay(1e3), lambda: _InPlaceOnly(1e3)], ids=["out", "in_place"])
@pytest.mark.parametrize("setup", sorted(DIVERGENT_SETUPS))
def test_a_diverged_run_keeps_the_weights_before_the_step_that_blew_up(setup, make):
    net, _, X, y = DIVERGENT_SETUPS[setup]()
    opt = make()
    h, _ = _fit_recording(net, opt, X, y, 50)
    assert h.diverged
    assert all(np.isfinite(v).all() for v in net.params.values())
    if opt.seen:  # a step was taken: the net is back at the weights that step started from
        last = opt.seen[-1]
        assert all(np.array_equal(net.params[k], last[k]) for k in last)
        assert "last finite weights, those before the step that blew up" in h.message
        assert np.isfinite(net.loss(X, y))
    else:
        assert "initial weights" in h.message
    # and it predicts from those weights, not one class for everything
    if net.output == "softmax" and opt.seen:
        assert len(np.unique(net.predict(X))) == 2


def test_fit_leaves_the_results_in_the_nets_own_arrays():
    X, y = _moons(64)
    net = MLP([2, 8, 2], rng=_rng(1))
    before = {k: id(v) for k, v in net.params.items()}
    W1 = net.params["W1"]
    for epochs in (1, 2, 3):  # odd and even numbers of steps
        Trainer(net, SGD(0.1), batch_size=32, rng=0).fit(X, y, epochs)
        assert {k: id(v) for k, v in net.params.items()} == before
    assert W1 is net.params["W1"]


def test_swapping_buffers_gives_bit_identical_weights_to_in_place_steps():
    X, y = _moons(64)
    a, b = MLP([2, 8, 2], rng=_rng(1)), MLP([2, 8, 2], rng=_rng(1))
    Trainer(a, SGD(0.1, momentum=0.9), batch_size=16, rng=3).fit(X, y, 4)
    class NoOut:  # the same SGD behind a step without out=: stepped in place
        def __init__(self):
            self.sgd = SGD(0.1, momentum=0.9)

        def step(self, params, grads):
            self.sgd.step(params, grads)

    Trainer(b, NoOut(), batch_size=16, rng=3).fit(X, y, 4)
    assert all(np.array_equal(a.params[k], b.params[k]) for k in a.params)


def test_early_stopping_after_a_divergence_restores_its_best_epoch():
    X, y = datasets.noisy_regression(_rng(3), 64)

    class GrowingLR(SGD):
        def step(self, params, grads, out=None):
            self.lr *= 1.5
            super().step(params, grads, out=out)

    net = MLP([1, 8, 1], activation="tanh", output="identity", rng=_rng(4))
    stop = EarlyStopping(monitor="val_loss", patience=1000, restore_best=True)
    h, _ = _fit_recording(net, GrowingLR(1e-3), X, y, 200, validation_data=(X, y), callbacks=[stop])
    assert h.diverged and stop.best_epoch >= 1
    assert net.loss(X, y) == pytest.approx(min(h.val_loss), rel=1e-12)
    assert f"restored the weights of epoch {stop.best_epoch}" in h.message


def test_a_loss_that_is_not_finite_before_any_step_is_an_error():
    X, y = datasets.noisy_regression(_rng(2), 100)
    net = MLP([1, 16, 1], activation="relu", output="identity", rng=_rng(1),
              weight_init=lambda r, s: initializers.normal(r, s, std=1e120))  # outputs ~1e240, squared: inf
    with pytest.raises(ValueError, match="loss at the initial weights is inf.*scale the features"):
        Trainer(net, SGD(0.01), batch_size=16, rng=0).fit(X, y, 3)
    with pytest.raises(ValueError, match="overflowed"):
        net.loss(X, y)

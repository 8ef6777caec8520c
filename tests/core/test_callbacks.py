"""nnlib.callbacks: EarlyStopping, LearningRateDecay, ProgressBar, and the callback protocol."""

import io

import numpy as np
import pytest

from nnlib import MLP, SGD, Adam, EarlyStopping, ProgressBar, Trainer, datasets
from nnlib.callbacks import Callback


def _rng(seed):
    return np.random.default_rng(seed)


def _overfit_setup(seed=1):
    """A big net on 40 noisy moons, validated on 400 fresh ones: val_loss turns up after a few epochs."""
    X, y = datasets.two_moons(_rng(0), 40, noise=0.35)
    Xv, yv = datasets.two_moons(_rng(1), 400, noise=0.35)
    net = MLP([2, 64, 64, 2], activation="relu", rng=_rng(seed))
    trainer = Trainer(net, Adam(0.01), batch_size=40, rng=_rng(2))
    return net, trainer, X, y, Xv, yv


class Recorder(Callback):
    def __init__(self, stop_at=None):
        self.calls, self.stop_at = [], stop_at

    def on_train_begin(self, trainer, history, epochs):
        self.calls.append(("begin", epochs, history.epochs))

    def on_epoch_end(self, trainer, history):
        self.calls.append(("epoch", history.epochs, len(history.loss)))
        if self.stop_at is not None and history.epochs >= self.stop_at:
            trainer.stop_training = True

    def on_train_end(self, trainer, history):
        self.calls.append(("end", history.epochs))


# ------------------------------------------------------------------ protocol

def test_callback_hooks_are_called_in_order():
    X, y = datasets.xor(_rng(0), 40)
    rec = Recorder()
    Trainer(MLP([2, 4, 2], rng=1), SGD(0.1), batch_size=8, rng=2).fit(X, y, epochs=3, callbacks=[rec])
    assert rec.calls == [("begin", 3, 0), ("epoch", 1, 1), ("epoch", 2, 2), ("epoch", 3, 3), ("end", 3)]


def test_callback_can_stop_training():
    X, y = datasets.xor(_rng(0), 40)
    rec = Recorder(stop_at=4)
    trainer = Trainer(MLP([2, 4, 2], rng=1), SGD(0.1), batch_size=8, rng=2)
    h = trainer.fit(X, y, epochs=50, callbacks=[rec])
    assert h.epochs == 4
    assert rec.calls[-1] == ("end", 4)
    # the flag is reset by the next fit
    h2 = trainer.fit(X, y, epochs=2, callbacks=[])
    assert h2.epochs == 2


# ------------------------------------------------------------------ EarlyStopping

def test_early_stopping_stops_and_restores_best():
    net, trainer, X, y, Xv, yv = _overfit_setup()
    es = EarlyStopping(monitor="val_loss", patience=10)
    epochs = 1000
    h = trainer.fit(X, y, epochs=epochs, validation_data=(Xv, yv), callbacks=[es])
    assert h.epochs < epochs
    assert es.stopped_epoch == h.epochs
    best = int(np.argmin(h.val_loss)) + 1
    assert es.best_epoch == best
    assert es.stopped_epoch == es.best_epoch + es.patience
    assert h.val_loss[-1] > min(h.val_loss)  # it really overfitted: the last epoch is worse
    assert abs(net.loss(Xv, yv) - min(h.val_loss)) <= 1e-12


def test_early_stopping_without_restore_keeps_last_params():
    net, trainer, X, y, Xv, yv = _overfit_setup()
    es = EarlyStopping(patience=10, restore_best=False)
    h = trainer.fit(X, y, epochs=1000, validation_data=(Xv, yv), callbacks=[es])
    assert h.epochs < 1000
    assert abs(net.loss(Xv, yv) - h.val_loss[-1]) <= 1e-12
    assert net.loss(Xv, yv) > min(h.val_loss)


def test_early_stopping_restored_params_equal_best_epoch_params():
    # run the same training twice: once stopped by EarlyStopping, once for best_epoch epochs
    net, trainer, X, y, Xv, yv = _overfit_setup()
    es = EarlyStopping(patience=5)
    trainer.fit(X, y, epochs=1000, validation_data=(Xv, yv), callbacks=[es])
    net2, trainer2, *_ = _overfit_setup()
    trainer2.fit(X, y, epochs=es.best_epoch, validation_data=(Xv, yv))
    for k in net.params:
        np.testing.assert_array_equal(net.params[k], net2.params[k])


def test_early_stopping_never_triggers_when_improving():
    X, y = datasets.two_moons(_rng(0), 100, noise=0.1)
    net = MLP([2, 8, 2], activation="tanh", rng=1)
    es = EarlyStopping(monitor="loss", patience=3)
    h = Trainer(net, SGD(0.05), batch_size=100, rng=2).fit(X, y, epochs=15, callbacks=[es])
    assert h.epochs == 15
    assert es.stopped_epoch == 0
    assert es.best_epoch == 15


def test_early_stopping_patience_zero_stops_at_first_non_improvement():
    net, trainer, X, y, Xv, yv = _overfit_setup()
    es = EarlyStopping(patience=0)
    h = trainer.fit(X, y, epochs=1000, validation_data=(Xv, yv), callbacks=[es])
    assert h.val_loss[-1] >= h.val_loss[-2]
    assert all(b < a for a, b in zip(h.val_loss[:-2], h.val_loss[1:-1]))  # improved until then
    assert es.best_epoch == h.epochs - 1


def test_early_stopping_on_accuracy_maximizes():
    net, trainer, X, y, Xv, yv = _overfit_setup()
    es = EarlyStopping(monitor="val_accuracy", patience=5)
    h = trainer.fit(X, y, epochs=1000, validation_data=(Xv, yv), callbacks=[es])
    assert h.epochs < 1000
    assert es.best_epoch == int(np.argmax(h.val_accuracy)) + 1
    assert net.accuracy(Xv, yv) == pytest.approx(max(h.val_accuracy))


def test_early_stopping_min_delta():
    X, y = datasets.two_moons(_rng(0), 100, noise=0.1)
    net = MLP([2, 8, 2], activation="tanh", rng=1)
    es = EarlyStopping(monitor="loss", patience=2, min_delta=1.0)  # no epoch improves by a whole nat
    h = Trainer(net, SGD(0.01), batch_size=100, rng=2).fit(X, y, epochs=20, callbacks=[es])
    assert es.best_epoch == 1
    assert h.epochs == 3


@pytest.mark.parametrize("monitor", ["val_loss", "val_accuracy"])
def test_early_stopping_without_validation_data_raises(monitor):
    X, y = datasets.xor(_rng(0), 40)
    trainer = Trainer(MLP([2, 4, 2], rng=1), SGD(0.1), rng=2)
    with pytest.raises(ValueError, match=monitor) as info:
        trainer.fit(X, y, epochs=5, callbacks=[EarlyStopping(monitor=monitor)])
    assert "validation_data" in str(info.value)


def test_early_stopping_on_accuracy_of_regression_raises():
    X, y = datasets.noisy_regression(_rng(0), 20)
    trainer = Trainer(MLP([1, 4, 1], output="identity", rng=1), SGD(0.1), rng=2)
    with pytest.raises(ValueError, match="accuracy"):
        trainer.fit(X, y, epochs=3, callbacks=[EarlyStopping(monitor="accuracy")])


def test_early_stopping_reusable():
    net, trainer, X, y, Xv, yv = _overfit_setup()
    es = EarlyStopping(patience=5)
    h1 = trainer.fit(X, y, epochs=1000, validation_data=(Xv, yv), callbacks=[es])
    first_stop = es.stopped_epoch
    h2 = trainer.fit(X, y, epochs=3, validation_data=(Xv, yv), callbacks=[es])
    assert first_stop == h1.epochs
    assert es.best_epoch <= 3 and es.stopped_epoch in (0, 3)
    assert h2.epochs <= 3


@pytest.mark.parametrize("kwargs, name", [
    ({"monitor": "val_acc"}, "monitor"), ({"patience": -1}, "patience"), ({"patience": 1.5}, "patience"),
    ({"min_delta": -0.1}, "min_delta"),
])
def test_early_stopping_bad_arguments(kwargs, name):
    with pytest.raises((ValueError, TypeError), match=name):
        EarlyStopping(**kwargs)


# ------------------------------------------------------------------ ProgressBar

def _short_fit(callbacks, epochs=3, validation=False, progress=False):
    X, y = datasets.xor(_rng(0), 40)
    val = (X, y) if validation else None
    trainer = Trainer(MLP([2, 4, 2], rng=1), SGD(0.1), batch_size=8, rng=2)
    return trainer.fit(X, y, epochs=epochs, validation_data=val, callbacks=callbacks, progress=progress)


def test_progress_bar_silent_for_short_run():
    stream = io.StringIO()
    _short_fit([ProgressBar(stream=stream)])
    assert stream.getvalue() == ""


def test_progress_true_prints_nothing_for_short_run(capsys):
    h = _short_fit([], progress=True)
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""
    assert h.epochs == 3


def test_progress_bar_prints_with_zero_delay():
    stream = io.StringIO()
    h = _short_fit([ProgressBar(delay=0, interval=0, stream=stream)], epochs=3, validation=True)
    text = stream.getvalue()
    assert text.endswith("\n")
    assert text.count("\n") == 1  # one line, rewritten in place with \r
    assert text.count("\r") == 4  # 3 epochs + the final line
    last = text.rstrip("\n").split("\r")[-1]
    assert "epoch 3/3" in last
    assert f"loss {h.loss[-1]:.4g}" in last
    assert f"val_loss {h.val_loss[-1]:.4g}" in last
    assert "val_acc" in last


def test_progress_bar_interval_throttles():
    stream = io.StringIO()
    _short_fit([ProgressBar(delay=0, interval=3600, stream=stream)], epochs=5)
    text = stream.getvalue()
    assert text.count("\r") == 2  # the first epoch, then only the final line
    assert "epoch 1/5" in text and "epoch 5/5" in text


def test_progress_bar_defaults_to_stdout(capsys):
    _short_fit([ProgressBar(delay=0)], epochs=2)
    assert "epoch 2/2" in capsys.readouterr().out


@pytest.mark.parametrize("kwargs, name", [({"delay": -1}, "delay"), ({"interval": -0.5}, "interval")])
def test_progress_bar_bad_arguments(kwargs, name):
    with pytest.raises(ValueError, match=name):
        ProgressBar(**kwargs)


# ------------------------------------------------------------------ LivePlot



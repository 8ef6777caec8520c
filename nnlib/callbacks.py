"""Callbacks hook into :meth:`nnlib.Trainer.fit`: at the start, after every minibatch step,
after every epoch and at the end.

A callback may set ``trainer.stop_training = True`` to end training after the current epoch.
This module draws nothing; the loss curve redrawn while training runs is
:class:`nnlib.viz.LivePlot`.
"""

import sys
import time

import numpy as np

from .validation import check_bool, check_choice, check_int, check_real


class Callback:
    """Base class: override the hooks you need."""

    def on_train_begin(self, trainer, history, epochs):
        pass

    def on_batch_end(self, trainer, loss, grads):
        """After the optimizer step of one minibatch: its loss and the gradients it used."""

    def on_epoch_end(self, trainer, history):
        pass

    def on_train_end(self, trainer, history):
        pass


class EarlyStopping(Callback):
    """Stop when ``monitor`` has not improved by ``min_delta`` for ``patience`` epochs.

    With ``restore_best=True`` the net gets back the parameters of its best epoch when
    training ends, also after a divergence (they were finite and better than the last weights).
    After the run, ``best_epoch`` (1-based, 0 if no epoch completed) and ``stopped_epoch``
    (0 if it never stopped early) tell what happened.
    """

    def __init__(self, monitor="val_loss", patience=10, min_delta=0.0, restore_best=True):
        self.monitor = check_choice(monitor, "monitor", {"val_loss", "loss", "val_accuracy", "accuracy"})
        self.patience = check_int(patience, "patience", minimum=0)
        self.min_delta = check_real(min_delta, "min_delta", minimum=0.0)
        self.restore_best = check_bool(restore_best, "restore_best")
        self.best, self.best_epoch, self.stopped_epoch, self._best_params = None, 0, 0, None
        self._best_running = {}
        self._sign = -1.0 if self.monitor.endswith("accuracy") else 1.0  # lower is better after sign

    def on_train_begin(self, trainer, history, epochs):
        if self.monitor.startswith("val_") and not getattr(trainer, "has_validation", True):
            raise ValueError(f"EarlyStopping monitors {self.monitor!r}: pass validation_data to fit, "
                             "or monitor 'loss'")
        self.best, self.best_epoch, self.stopped_epoch, self._best_params = None, 0, 0, None

    def on_epoch_end(self, trainer, history):
        values = getattr(history, self.monitor)
        if not values:
            raise ValueError(f"EarlyStopping monitors {self.monitor!r} but the history has none; "
                             "pass validation_data to fit or monitor 'loss'")
        value = self._sign * values[-1]
        if self.best is None or value < self.best - self.min_delta:
            self.best, self.best_epoch = value, history.epochs
            if self.restore_best:
                self._best_params = trainer.net.get_params()
                self._best_running = {k: v.copy() for k, v in getattr(trainer.net, "running", {}).items()}
        elif history.epochs - self.best_epoch >= self.patience:
            self.stopped_epoch = history.epochs
            trainer.stop_training = True

    def on_train_end(self, trainer, history):
        if self.restore_best and self._best_params is not None:
            trainer.net.set_params(self._best_params)
            if self._best_running:
                trainer.net.running = self._best_running  # batch norm statistics of that epoch too
            if history.diverged:
                history.message += f" EarlyStopping then restored the weights of epoch {self.best_epoch}, its best."


class LearningRateDecay(Callback):
    r"""Multiply the optimizer's learning rate by ``factor`` after every epoch.

    With :math:`\alpha_0` the starting rate, epoch :math:`e` runs at :math:`\alpha_0\,\text{factor}^{e-1}`.
    A decaying rate lets full-batch training settle into a minimum at the end instead of
    bouncing around it, which also makes the final weights reproducible to many digits.
    The optimizer needs a ``lr`` attribute (:class:`nnlib.SGD`, :class:`nnlib.Adam`); the rate
    is restored when training ends, so the optimizer can be reused.
    """

    def __init__(self, factor):
        self.factor = check_real(factor, "factor", minimum=0.0, maximum=1.0, min_inclusive=False)
        self._start = None

    def on_train_begin(self, trainer, history, epochs):
        if not hasattr(trainer.optimizer, "lr"):
            raise TypeError(f"LearningRateDecay needs an optimizer with an lr attribute, got {type(trainer.optimizer).__name__}")
        self._start = trainer.optimizer.lr

    def on_epoch_end(self, trainer, history):
        trainer.optimizer.lr *= self.factor

    def on_train_end(self, trainer, history):
        trainer.optimizer.lr = self._start


class ProgressBar(Callback):
    """A one-line text display of the epoch and losses, rewritten in place.

    It stays silent for the first ``delay`` seconds, so short runs print nothing, and then
    redraws at most every ``interval`` seconds. The text depends on timing: do not use it
    in notebook cells whose output is compared by nbval.
    """

    def __init__(self, delay=2.0, interval=0.5, stream=None):
        self.delay = check_real(delay, "delay", minimum=0.0)
        self.interval = check_real(interval, "interval", minimum=0.0)
        self.stream = stream
        self.epochs, self._start, self._last, self._shown = 0, 0.0, -np.inf, False

    def on_train_begin(self, trainer, history, epochs):
        self.epochs, self._start, self._last, self._shown = epochs, time.perf_counter(), -np.inf, False

    def _line(self, history):
        parts = [f"epoch {history.epochs}/{self.epochs}", f"loss {history.loss[-1]:.4g}"]
        if history.val_loss:
            parts.append(f"val_loss {history.val_loss[-1]:.4g}")
        if history.val_accuracy:
            parts.append(f"val_acc {history.val_accuracy[-1]:.3f}")
        return "  ".join(parts)

    def on_epoch_end(self, trainer, history):
        now = time.perf_counter()
        if now - self._start < self.delay or now - self._last < self.interval:
            return
        self._last, self._shown = now, True
        stream = self.stream or sys.stdout
        stream.write("\r" + self._line(history).ljust(70))
        stream.flush()

    def on_train_end(self, trainer, history):
        if self._shown and history.loss:
            stream = self.stream or sys.stdout
            stream.write("\r" + self._line(history).ljust(70) + "\n")
            stream.flush()

"""Callbacks hook into :meth:`nnlib.Trainer.fit` after each epoch.

A callback may set ``trainer.stop_training = True`` to end training after the current epoch.
This module needs no display; :class:`LivePlot` imports matplotlib only when it is created.
"""

import sys
import time

import numpy as np

from ._validation import check_choice, check_int, check_real


class Callback:
    """Base class: override the hooks you need."""

    def on_train_begin(self, trainer, history, epochs):
        pass

    def on_epoch_end(self, trainer, history):
        pass

    def on_train_end(self, trainer, history):
        pass


class EarlyStopping(Callback):
    """Stop when ``monitor`` has not improved by ``min_delta`` for ``patience`` epochs.

    With ``restore_best=True`` the net gets back the parameters of its best epoch when
    training ends. After the run, ``best_epoch`` (1-based) and ``stopped_epoch`` (0 if it
    never stopped early) tell what happened.
    """

    def __init__(self, monitor="val_loss", patience=10, min_delta=0.0, restore_best=True):
        self.monitor = check_choice(monitor, "monitor", {"val_loss", "loss", "val_accuracy", "accuracy"})
        self.patience = check_int(patience, "patience", minimum=0)
        self.min_delta = check_real(min_delta, "min_delta", minimum=0.0)
        self.restore_best = bool(restore_best)

    def on_train_begin(self, trainer, history, epochs):
        if self.monitor.startswith("val_") and not getattr(trainer, "has_validation", True):
            raise ValueError(f"EarlyStopping monitors {self.monitor!r}: pass validation_data to fit, "
                             "or monitor 'loss'")
        self.best, self.best_epoch, self.stopped_epoch, self._best_params = None, 0, 0, None
        self._sign = -1.0 if self.monitor.endswith("accuracy") else 1.0  # lower is better after sign

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
        elif history.epochs - self.best_epoch >= self.patience:
            self.stopped_epoch = history.epochs
            trainer.stop_training = True

    def on_train_end(self, trainer, history):
        if self.restore_best and self._best_params is not None and not history.diverged:
            trainer.net.set_params(self._best_params)


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


class LivePlot(Callback):
    """Loss curves redrawn in place while training runs (in Jupyter).

    Appears once training has lasted ``delay`` seconds, then redraws at most every
    ``interval`` seconds and once at the end. It draws on a ``matplotlib.figure.Figure``
    not registered with pyplot, so no figure is left open and none is shown twice.
    ``display`` is a function ``display(fig) -> handle`` with ``handle.update(fig)``;
    the default is IPython's ``display(fig, display_id=True)``.
    """

    def __init__(self, delay=2.0, interval=1.0, display=None):
        from matplotlib.figure import Figure

        self.delay = check_real(delay, "delay", minimum=0.0)
        self.interval = check_real(interval, "interval", minimum=0.0)
        if display is None:
            from IPython.display import display as ipy_display

            def display(fig):
                return ipy_display(fig, display_id=True)
        self._display = display
        self.figure = Figure(figsize=(6, 3.2))
        self.ax = self.figure.add_subplot()
        self.ax.set_xlabel("epoch")
        self.ax.set_ylabel("loss")
        self.ax.set_yscale("log")
        (self._train,) = self.ax.plot([], [], label="training (minibatch mean)", color="#0072B2")
        (self._val,) = self.ax.plot([], [], label="validation", color="#D55E00")
        self.ax.legend(loc="upper right")
        self.draws = 0

    def on_train_begin(self, trainer, history, epochs):
        self._start, self._last, self._handle = time.perf_counter(), -np.inf, None
        self.ax.set_xlim(0, max(epochs, 1))

    def _redraw(self, history):
        epochs = np.arange(1, history.epochs + 1)
        self._train.set_data(epochs, history.loss)
        self._val.set_data(epochs[: len(history.val_loss)], history.val_loss)
        self.ax.relim()
        self.ax.autoscale_view(scalex=False)
        if self._handle is None:
            self._handle = self._display(self.figure)
        else:
            self._handle.update(self.figure)
        self.draws += 1

    def on_epoch_end(self, trainer, history):
        now = time.perf_counter()
        if now - self._start >= self.delay and now - self._last >= self.interval:
            self._last = now
            self._redraw(history)

    def on_train_end(self, trainer, history):
        if self._handle is not None and history.loss:
            self._redraw(history)

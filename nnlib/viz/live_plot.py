"""A loss curve redrawn in place while :class:`nnlib.Trainer` runs (a callback that draws)."""

import time

import numpy as np
from matplotlib.figure import Figure

from ..callbacks import Callback
from ..validation import check_callable, check_real
from .style import PALETTE


class LivePlot(Callback):
    """Loss curves redrawn in place while training runs (in Jupyter).

    Appears once training has lasted ``delay`` seconds, then redraws at most every
    ``interval`` seconds and once at the end. It draws on a ``matplotlib.figure.Figure``
    not registered with pyplot, so no figure is left open and none is shown twice.
    ``display`` is a function ``display(fig) -> handle`` with ``handle.update(fig)``;
    the default is IPython's ``display(fig, display_id=True)``.
    """

    def __init__(self, delay=2.0, interval=1.0, display=None):
        self.delay = check_real(delay, "delay", minimum=0.0)
        self.interval = check_real(interval, "interval", minimum=0.0)
        if display is None:
            from IPython.display import display as ipy_display

            def display(fig):
                return ipy_display(fig, display_id=True)
        self._display = check_callable(display, "display", "a function display(fig) -> handle with handle.update(fig)")
        self.figure = Figure(figsize=(6, 3.2))
        self.ax = self.figure.add_subplot()
        self.ax.set_xlabel("epoch")
        self.ax.set_ylabel("loss")
        self.ax.set_yscale("log")
        (self._train,) = self.ax.plot([], [], label="training (minibatch mean)", color=PALETTE[0])
        (self._val,) = self.ax.plot([], [], label="validation", color=PALETTE[1])
        self.ax.legend(loc="upper right")
        self.draws = 0
        self._start, self._last, self._handle = 0.0, -np.inf, None

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
            handle = self._display(self.figure)
            if not callable(getattr(handle, "update", None)):
                raise TypeError("display must return a handle with an update(fig) method, as IPython's "
                                f"display(fig, display_id=True) does, got {type(handle).__name__}")
            self._handle = handle
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

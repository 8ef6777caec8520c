"""nnlib.viz.LivePlot: a Trainer callback that redraws the loss curves in place, without pyplot."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from nnlib import MLP, SGD, Trainer, datasets
from nnlib.viz import LivePlot


def _short_fit(callbacks, epochs=3, validation=False):
    X, y = datasets.xor(np.random.default_rng(0), 40)
    val = (X, y) if validation else None
    trainer = Trainer(MLP([2, 4, 2], rng=1), SGD(0.1), batch_size=8, rng=2)
    return trainer.fit(X, y, epochs=epochs, validation_data=val, callbacks=callbacks)


class FakeHandle:
    def __init__(self):
        self.updates = []

    def update(self, fig):
        self.updates.append(fig)


class FakeDisplay:
    def __init__(self):
        self.calls, self.handle = [], FakeHandle()

    def __call__(self, fig):
        self.calls.append(fig)
        return self.handle


def test_live_plot_displays_once_and_updates_handle():
    plt.close("all")
    display = FakeDisplay()
    lp = LivePlot(delay=0, interval=0, display=display)
    h = _short_fit([lp], epochs=4, validation=True)
    assert len(display.calls) == 1
    assert display.calls[0] is lp.figure
    assert len(display.handle.updates) == 4  # epochs 2, 3, 4 and the final redraw
    assert all(fig is lp.figure for fig in display.handle.updates)
    assert lp.draws == 5
    train_line, val_line = lp.ax.lines[:2]
    np.testing.assert_array_equal(train_line.get_xdata(), [1, 2, 3, 4])
    np.testing.assert_allclose(train_line.get_ydata(), h.loss)
    np.testing.assert_allclose(val_line.get_ydata(), h.val_loss)
    assert plt.get_fignums() == []


def test_live_plot_silent_for_short_run_with_default_delay():
    plt.close("all")
    display = FakeDisplay()
    lp = LivePlot(display=display)
    _short_fit([lp], epochs=3)
    assert display.calls == [] and display.handle.updates == []
    assert lp.draws == 0
    assert plt.get_fignums() == []


def test_live_plot_creates_no_pyplot_figure():
    plt.close("all")
    LivePlot(delay=0, interval=0, display=FakeDisplay())
    assert plt.get_fignums() == []


@pytest.mark.parametrize("kwargs, name", [({"delay": -1}, "delay"), ({"interval": -1}, "interval")])
def test_live_plot_bad_arguments(kwargs, name):
    with pytest.raises(ValueError, match=name):
        LivePlot(display=FakeDisplay(), **kwargs)

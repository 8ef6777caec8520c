"""The batch-norm view: controls drive the computation, redraw in place, training, validation, close."""

import gc
import weakref

import matplotlib.pyplot as plt
import numpy as np
import pytest

import nnlib
from nnlib.experiments import deep_training as dt
from nnlib.viz.batchnorm_view import DECADES, BatchNormView, log10_clipped


@pytest.fixture(scope="module")
def data():
    X, y = nnlib.datasets.spirals(0, n_samples=120, n_classes=2, noise=0.05)
    return nnlib.StandardScaler().fit_transform(X), y


@pytest.fixture
def view(data):
    X, y = data
    v = BatchNormView(X, y, depth=6, max_depth=12, width=16, epochs=4, n_trace=60, rng=0)
    yield v
    if not v.closed:
        v.close()


def test_controls_drive_the_computation(view):
    before = bytes(view.live.image.value)
    view.scale.value = 10.0
    expected = dt.init_profiles(0, view.X_trace, view.y_trace, 6, 16, "relu", "he_normal", 10.0)
    np.testing.assert_allclose(view.profiles["plain"].activation_std, expected["plain"].activation_std)
    assert bytes(view.live.image.value) != before
    view.depth.value = 9
    assert view.profiles["batch norm"].depth == 9 and len(view.profiles["plain"].grad_W_std) == 10
    view.activation.value = "tanh"
    np.testing.assert_allclose(view.profiles["batch norm"].pre_activation_std, 1.0, atol=1e-3)
    # batch norm on/off changes which curve is bold, not the numbers
    plain = view.profiles["plain"].activation_std.copy()
    image = bytes(view.live.image.value)
    view.batch_norm.value = True
    np.testing.assert_array_equal(view.profiles["plain"].activation_std, plain)
    assert bytes(view.live.image.value) != image


def test_set_moves_several_controls_with_one_redraw(view):
    renders = view.live.renders
    view.set(scale=0.01, depth=4, activation="sigmoid", batch_norm=True)
    assert view.live.renders == renders + 1
    assert view.scale.value == pytest.approx(0.01) and view.depth.value == 4 and view.batch_norm.value


def test_moving_any_control_repaints_only_the_curves(view):
    full = view.live.full_renders
    for s in (0.1, 1.0, 100.0, 1e3):
        view.scale.value = s
    view.activation.value = "tanh"
    view.batch_norm.value = True
    assert view.live.full_renders == full  # fixed axes: a blit per move
    view.depth.value = 8  # fixed x-limits too
    assert view.live.full_renders == full
    assert view.live.render() == view.live.render(full=True)  # blit and full render agree
    assert plt.get_fignums() == []


def test_train_button_trains_the_chosen_setting_and_a_move_clears_it(view):
    view.set(batch_norm=True)
    view.button.click()
    assert view.run is not None and view.run.net.batch_norm and len(view.run.history.loss) == 4
    assert view.progress.value == 4 and not view.button.disabled
    assert "trained (batch norm" in view.summary.value
    assert len(view._loss.get_xdata()) == 4
    view.scale.value = 2.0
    assert view.run is None and view.progress.value == 0 and len(view._loss.get_xdata()) == 0


def test_a_diverging_run_is_reported(view):
    view.set(scale=1e3, batch_norm=False, depth=8)
    view.lr = 1.0
    run = view.train()
    assert run.history.diverged and "diverged" in view.summary.value


def test_log10_clipped_keeps_values_on_the_axes():
    np.testing.assert_array_equal(log10_clipped([1e-90, 0.0, 1.0, 1e50]), [-DECADES, -DECADES, 0.0, DECADES])


@pytest.mark.parametrize("kwargs, exc, match", [
    (dict(scale=1e4), ValueError, "scale"),
    (dict(scale=0.0), ValueError, "scale"),
    (dict(depth=0), ValueError, "depth"),
    (dict(depth=13, max_depth=12), ValueError, "depth"),
    (dict(max_depth=31), ValueError, "max_depth"),
    (dict(activation="rellu"), ValueError, "activation"),
    (dict(batch_norm="yes"), TypeError, "batch_norm"),
    (dict(width=1), ValueError, "width"),
    (dict(epochs=0), ValueError, "epochs"),
    (dict(lr=0.0), ValueError, "lr"),
    (dict(momentum=1.0), ValueError, "momentum"),
    (dict(n_trace=1), ValueError, "n_trace"),
    (dict(rng=None), TypeError, "rng"),
    (dict(weight_init="hee_normal"), ValueError, "weight_init"),
])
def test_bad_arguments_name_themselves(data, kwargs, exc, match):
    X, y = data
    with pytest.raises(exc, match=match):
        BatchNormView(X, y, **({"rng": 0} | kwargs))


def test_bad_data_and_bad_set_values(data, view):
    X, y = data
    with pytest.raises(ValueError, match="same number"):
        BatchNormView(X, y[:-1], rng=0)
    with pytest.raises(ValueError, match="depth"):
        view.set(depth=13)
    with pytest.raises(ValueError, match="scale"):
        view.set(scale=1e-4)


def test_close_releases_the_view(data):
    X, y = data
    v = BatchNormView(X, y, depth=3, max_depth=5, width=8, n_trace=40, rng=0)
    v.close()
    assert v.closed and v.live.closed
    with pytest.raises(RuntimeError, match="closed"):
        v.update()
    v2 = BatchNormView(X, y, depth=3, max_depth=5, width=8, n_trace=40, rng=0)
    ref = weakref.ref(v2)
    v3 = BatchNormView(X, y, depth=3, max_depth=5, width=8, n_trace=40, rng=0)  # the newest is held by the class
    del v2
    gc.collect()
    assert ref() is None
    v3.close()

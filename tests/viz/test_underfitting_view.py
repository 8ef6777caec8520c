"""nnlib.viz.underfitting_view: the controls train (or recall) a run and repaint one figure in place."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from nnlib import datasets
from nnlib.experiments import underfitting
from nnlib.viz.underfitting_view import UnderfittingView


@pytest.fixture(scope="module")
def moons():
    return datasets.two_moons(np.random.default_rng(0), n_samples=60, noise=0.2)


@pytest.fixture
def view(moons):
    X, y = moons
    v = UnderfittingView(X, y, depth=3, steps=10, width=8)
    yield v
    v.close()


def test_view_redraws_in_place_without_leaking_figures(view):
    renders = view.live.renders
    seen = {bytes(view.live.image.value)}
    view.depth_slider.value = 4
    seen.add(bytes(view.live.image.value))
    view.activation_menu.value = "relu"
    seen.add(bytes(view.live.image.value))
    view.optimizer_menu.value = "Adam"
    seen.add(bytes(view.live.image.value))
    assert plt.get_fignums() == [] and view.live.renders == renders + 3 and len(seen) == 4
    assert len(view.runs) == 4
    view.set(activation="sigmoid", depth=3, optimizer="SGD")   # the first setting: recalled, not retrained
    assert len(view.runs) == 4 and "4 setting" in view.status.value


def test_view_shows_the_numbers_of_the_tested_function(view, moons):
    X, y = moons
    view.set(activation="tanh", init="Xavier", depth=2, optimizer="SGD")
    expected = underfitting.diagnose(view.seed, X, y, "tanh", "Xavier", 2, 8, "SGD", 0.05, 10)
    np.testing.assert_allclose(view._loss_line.get_ydata(), np.clip(expected.loss, 1e-3, None))
    np.testing.assert_allclose(view._grad_first.get_ydata(), expected.grad_std[0])
    np.testing.assert_allclose(view._grad_last.get_ydata(), expected.grad_std[-1])
    assert view.activation_menu.value == "tanh" and view.depth_slider.value == 2
    assert "tanh, Xavier, SGD" in view.live.axes[0].get_title()


def test_view_validates_its_arguments(view, moons):
    X, y = moons
    with pytest.raises(ValueError, match="depth"):
        view.set(depth=11)
    with pytest.raises(ValueError, match="activation"):
        view.set(activation="elu")
    with pytest.raises(ValueError, match="init"):
        UnderfittingView(X, y, init="xavier", steps=10)
    with pytest.raises(ValueError, match="optimizer"):
        UnderfittingView(X, y, optimizer="adam", steps=10)
    with pytest.raises(ValueError, match="steps"):
        UnderfittingView(X, y, steps=5)
    with pytest.raises(ValueError, match=r"lrs\['Adam'\]"):
        UnderfittingView(X, y, steps=10, lrs={"Adam": -1.0})
    with pytest.raises(ValueError, match="y must hold 0/1 labels"):
        UnderfittingView(X, y + 2, steps=10)


def test_a_closed_view_refuses_to_redraw(moons):
    X, y = moons
    v = UnderfittingView(X, y, depth=2, steps=10, width=4)
    v.close()
    assert v.closed
    with pytest.raises(RuntimeError, match="closed"):
        v.set(depth=3)


def test_rebuilding_frees_the_old_view(moons):
    """The cell run again: the old view loses its name and is collected, its widgets closed."""
    import gc
    import weakref

    from nnlib.viz.view import widget_tree

    X, y = moons
    view = UnderfittingView(X, y, depth=2, steps=10, width=4)
    old = []
    for _ in range(3):
        old.append((weakref.ref(view), weakref.ref(view.live.figure), widget_tree(view.widget)))
        view = UnderfittingView(X, y, depth=2, steps=10, width=4)
    for _ in range(5):
        if gc.collect() == 0:
            break
    assert all(v() is None for v, _, _ in old) and all(f() is None for _, f, _ in old)
    assert all(w.comm is None for _, _, widgets in old for w in widgets)
    assert plt.get_fignums() == [] and not view.closed
    view.close()


def test_a_setting_seen_before_shows_its_picture_without_drawing(view):
    first = bytes(view.live.image.value)
    view.depth_slider.value = 5
    fifth = bytes(view.live.image.value)
    renders = view.live.renders
    view.depth_slider.value = 3
    assert view.live.renders == renders and bytes(view.live.image.value) == first  # recalled, not drawn
    assert view.live.png() == first  # and the artists are back in that setting's state
    view.depth_slider.value = 5
    assert bytes(view.live.image.value) == fifth and view.live.png() == fifth

"""nnlib.viz.capacity_view: the degree and penalty sliders redraw one figure in place."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from nnlib.viz.capacity_view import CapacityView


@pytest.fixture
def view(regression_data):
    X, y, X_val, y_val = regression_data
    return CapacityView(X, y, X_val, y_val, max_degree=10, noise=0.3)


def test_view_redraws_in_place_without_leaking_figures(view):
    first = bytes(view.widget.children[-1].value)  # the widget's image, painted on first access
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


def test_view_validates(view, regression_data):
    X, y, X_val, y_val = regression_data
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


def test_static_picture_then_widget_costs_one_full_render(view):
    assert view.live.renders == 0  # building paints nothing yet
    png = view.live.png()  # what show_static displays
    assert view.live.full_renders == 1
    view.widget  # the live image: a blit over the background the static picture cached
    assert view.live.full_renders == 1 and view.live.renders == 2
    assert view.live.image.value  # painted
    view.widget
    assert view.live.renders == 2  # painted once, not on every access
    from PIL import Image
    import io
    assert Image.open(io.BytesIO(png)).size[0] == 960  # drawn at the width it is shown at


def test_widget_first_without_static_picture_paints_the_image(view):
    assert view.widget.children[-1].value
    assert view.live.full_renders == 1


def test_an_update_repaints_only_the_changing_artists(view):
    view.widget
    full = view.live.full_renders
    for degree in (2, 5, 9):
        view.set(degree=degree)
    assert view.live.full_renders == full  # blits only
    for ax in view.live.axes:
        assert not ax.get_legend().get_animated()  # legends sit in the background, below the axes
    assert view._fit_line.get_animated()


def test_moving_the_sliders_before_the_first_paint_costs_nothing(view):
    view.set(degree=7, l2=1e-4)
    view.set(degree=8)
    assert view.live.renders == 0
    view.live.png()
    view.widget
    assert view.live.full_renders == 1 and view.degree_slider.value == 8
    np.testing.assert_allclose(view._fit_line.get_ydata(), view.grid.curves[8, view.lambda_slider.value])

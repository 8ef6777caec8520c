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
    first = bytes(view.live.image.value)
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

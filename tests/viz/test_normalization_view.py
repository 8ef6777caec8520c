import matplotlib.pyplot as plt
import numpy as np
import pytest

from nnlib.viz.normalization_view import NormalizationView


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((80, 2)) * np.array([300.0, 2.0]) + np.array([750.0, 5.0])
    y = X @ np.array([0.002, 0.2]) + 0.3 * rng.standard_normal(80)
    return X, y


def make_view(data, **kw):
    X, y = data
    return NormalizationView(X, y, ("big", "small"), ("mg/L", "AU"), "target", "% vol", n_steps=50,
                             resolution=25, dpi=40, **kw)


def test_update_redraws_in_place_without_leaking_figures(data):
    plt.close("all")
    view = make_view(data)
    images, renders = set(), view.live.renders
    scalings = ["none", "standard", "minmax"]
    lrs = [1e-6, 1e-5, 0.03, 0.3, 3.0]
    for i in range(100):  # the scaling every 10 updates (a full redraw), the rate every time
        view.update(scalings[(i // 10) % 3], lrs[i % 5] * (1 + i / 100))
        images.add(bytes(view.live.image.value))
        assert plt.get_fignums() == []
    assert view.live.renders == renders + 100
    assert len(images) >= 90  # the picture follows the controls


def test_output_changes_with_each_control(data):
    view = make_view(data, scaling="standard", lr=0.3)
    before = bytes(view.live.image.value)
    view.lr_control.value = 0.01  # through the widget, as a user would
    assert view.lr == pytest.approx(0.01, rel=1e-6)
    after_lr = bytes(view.live.image.value)
    assert after_lr != before
    view.scaling_control.value = "minmax"
    assert bytes(view.live.image.value) != after_lr
    assert view.live.axes[0].get_xlabel().endswith("per range)")


def test_path_and_titles_tell_what_happened(data):
    view = make_view(data)
    view.update("standard", 0.5 * view.lr_limits["standard"])
    assert not view.path.diverged
    assert "target reached" in view.live.axes[1].get_title()
    view.update("none", 0.5 * view.lr_limits["standard"])  # a good rate for standardized data
    assert view.path.diverged  # ... blows up on raw features
    assert "diverged" in view.live.axes[1].get_title()
    view.update("none", 0.9 * view.lr_limits["none"])
    assert not view.path.diverged
    assert "not reached" in view.live.axes[1].get_title()
    assert view.condition_numbers["none"] > 100 * view.condition_numbers["standard"]


def test_path_starts_at_zero_and_matches_the_problem(data):
    view = make_view(data)
    view.update("standard", 0.1)
    assert np.array_equal(view.path.params[0], [0.0, 0.0])
    assert np.allclose(view.path.losses, view.problems["standard"].loss(view.path.params))


def test_bad_input(data):
    X, y = data
    with pytest.raises(ValueError, match="exactly 2 features"):
        NormalizationView(np.column_stack([X, X]), y)
    with pytest.raises(ValueError, match="scaling"):
        make_view(data, scaling="robust")
    view = make_view(data)
    with pytest.raises(ValueError, match="lr"):
        view.update("standard", -1.0)

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
    title = view.live.axes[1].get_title()
    assert title == view.outcome and title.startswith("target reached after ") and "stays below" in title
    view.update("none", 0.5 * view.lr_limits["standard"])  # a good rate for standardized data
    assert view.path.diverged  # ... blows up on raw features at once
    bound = 1000 * max(view.path.losses[0], 1.0)
    assert view.outcome == f"diverged: the loss exceeded {bound:.3g} at step {view.path.steps}"
    assert view.path.steps <= 2
    view.update("none", 0.9 * view.lr_limits["none"])
    assert not view.path.diverged
    assert view.outcome == "target not reached in 50 steps"
    view.update("none", 1.01 * view.lr_limits["none"])  # above the limit, but blowing up slowly
    assert not view.path.diverged and view.path.losses[-1] > view.path.losses[1]
    assert view.outcome.startswith("unstable") and "×1.02 per step" in view.outcome  # |1 - 2 * 1.01| = 1.02
    assert view.condition_numbers["none"] > 100 * view.condition_numbers["standard"]


def test_the_step_count_is_where_the_loss_stays_below_the_target(data):
    view = make_view(data)
    view.update("standard", 0.95 * view.lr_limits["standard"])
    excess = view.path.losses - view.solutions["standard"][1]
    below = excess <= 0.01 * view.excess0
    settled = int(np.flatnonzero(~below)[-1]) + 1
    assert below[settled:].all() and not below[settled - 1]
    assert view.outcome.startswith(f"target reached after {settled} step")
    outcomes = set()
    for fraction in np.linspace(0.2, 0.8, 25):
        view.update("standard", fraction * view.lr_limits["standard"])
        outcomes.add(view.outcome)
    assert "target reached after 1 step (the loss stays below it)" in outcomes  # singular
    assert "target reached after 2 steps (the loss stays below it)" in outcomes


def test_switching_the_scaling_keeps_the_fraction_of_the_stable_rate(data):
    view = make_view(data, scaling="standard")
    view.update(lr=0.6 * view.lr_limits["standard"])
    for s in ["none", "minmax", "standard"]:
        view.scaling_control.value = s  # through the widget, as a user would
        assert view.lr == pytest.approx(0.6 * view.lr_limits[s], rel=1e-9)
        assert view.lr_control.value == pytest.approx(view.lr, rel=1e-9)
        assert not view.path.diverged and "0.6 × the largest stable rate" in view.lr_text
    view.update("none", 1e-6)  # an explicit rate is taken as it is
    assert view.lr == 1e-6


def test_the_picture_is_drawn_at_the_width_shown():
    X = np.random.default_rng(1).standard_normal((30, 2)) * [100.0, 1.0]
    view = NormalizationView(X, X @ [0.01, 1.0], n_steps=10, resolution=10)
    width, height = view.live.figure.canvas.get_width_height()
    assert 950 <= width <= 970 and height < 0.5 * width
    view.close()


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


def test_a_scaling_switch_blits_over_that_scalings_own_background(data):
    view = make_view(data, scaling="standard")
    assert view.live.full_renders == 3  # one background per scaling, drawn when the view is built
    for scaling, lr in (("none", None), ("minmax", None), ("standard", 0.3), ("none", None), ("minmax", 0.2)):
        full = view.live.full_renders
        view.update(scaling=scaling, lr=lr)
        assert view.live.full_renders == full  # blitted
        assert bytes(view.live.image.value) == view.live.render(background="check", full=True)  # = drawn in full
    view.close()

"""The variance explorer widget: wiring, redraw in place, no leaks."""

import tracemalloc

import matplotlib.pyplot as plt
import numpy as np
import pytest

from nnlib.initializers import weight_variance as init_weight_var
from nnlib.viz.variance_explorer import SCHEMES, VarianceExplorer


@pytest.fixture
def explorer():
    return VarianceExplorer(depth=6, width=64, n_samples=200, max_depth=12, rng=0)


def test_controls_drive_the_computation(explorer):
    before = bytes(explorer.live.image.value)
    explorer.scale.value = 4.0
    assert explorer.result.weight_var == pytest.approx(4.0 / 64)
    assert bytes(explorer.live.image.value) != before
    explorer.activation.value = "relu"
    assert explorer.result.activation == "relu"
    explorer.depth.value = 9
    assert explorer.result.depth == 9 and len(explorer.result.grad_var) == 9
    explorer.width.value = 128
    assert explorer.result.width == 128


@pytest.mark.parametrize("label", list(SCHEMES))
def test_snap_buttons_set_the_scheme_variance(explorer, label):
    button = next(b for b in explorer.buttons if b.description == label)
    button.click()
    expected = init_weight_var(SCHEMES[label], 64)
    assert explorer.result.weight_var == pytest.approx(expected, rel=1e-3)


def test_redraws_in_place_without_leaking_figures_or_memory(explorer):
    gains = np.geomspace(0.3, 3, 100)
    for g in gains[:20]:  # warm up caches (fonts, workspaces, backgrounds)
        explorer.scale.value = float(g)
    plt.close("all")
    tracemalloc.start()
    explorer.scale.value = 1.0
    start, _ = tracemalloc.get_traced_memory()
    images = set()
    for i, g in enumerate(gains):
        explorer.scale.value = float(g)
        if i % 25 == 0:
            images.add(bytes(explorer.live.image.value))
    end, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert plt.get_fignums() == []  # the explorer's figure is not a pyplot figure
    assert explorer.live.renders >= 100
    assert len(images) == 4  # the picture did change as the slider moved
    assert end - start < 1_000_000, f"memory grew by {(end - start) / 1e6:.3g} MB over 100 updates"


def test_blitting_repaints_background_only_when_limits_change(explorer):
    explorer.scale.value = 1.0
    full = explorer.live.full_renders
    explorer.scale.value = 1.02  # same decades, same labels: a blit
    assert explorer.live.full_renders == full
    explorer.activation.value = "sigmoid"  # new axis range and labels
    assert explorer.live.full_renders == full + 1


def test_blit_and_full_render_paint_the_same_picture(explorer):
    explorer.scale.value = 1.5
    blit = explorer.live.render()
    full = explorer.live.render(full=True)
    assert blit == full


def test_figure_is_drawn_at_the_size_shown_with_labelled_panels(explorer):
    import io

    import PIL.Image
    from nnlib.viz.variance_explorer import FIGSIZE, DPI
    width, height = PIL.Image.open(io.BytesIO(explorer.live.png())).size
    assert (width, height) == (round(FIGSIZE[0] * DPI), round(FIGSIZE[1] * DPI)) and width == 960
    (ax_h, ax_g), (ax_v, ax_s) = explorer.live.axes
    assert "variance" in ax_v.get_ylabel() and "gradient enters" in ax_v.get_xlabel()
    assert "gradient" in ax_g.get_title()
    labels = [t.get_text() for t in ax_v.get_legend().get_texts()]
    assert len(labels) == 2 and all("measured, theory" in t for t in labels)


def test_gradient_ridges_and_adaptive_relu_histograms(explorer):
    r = explorer.set(activation="relu", scale=0.05)
    ridge = explorer._ridges[0].get_ydata()
    assert np.ptp(ridge) > 0.5  # layer 1's histogram is a curve, not a flat line
    assert np.ptp(explorer._grad_ridges[r.depth - 1].get_ydata()) > 0.5
    (ax_h, _), _ = explorer.live.axes
    assert ax_h.get_xlim()[1] == pytest.approx(r.hist_edges[-1]) and r.hist_edges[-1] < 1


def test_float32_underflow_reads_below_1e_38():
    from nnlib.viz.variance_explorer import format_variance
    assert format_variance(0.0, np.finfo(np.float32).tiny) == "< 1e-38"
    assert format_variance(2.5e-3, np.finfo(np.float32).tiny) == "0.0025"
    ex = VarianceExplorer(activation="relu", scale=0.02, depth=30, width=64, n_samples=50, max_depth=30, rng=0)
    try:
        assert "< 1e-38" in ex.summary.value and "theory" in ex.summary.value
    finally:
        ex.close()

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
    gains = np.geomspace(0.3, 3, 200)
    for g in gains[:20]:  # warm up caches (fonts, workspaces, backgrounds)
        explorer.scale.value = float(g)
    plt.close("all")
    tracemalloc.start()
    explorer.scale.value = 1.0
    start, _ = tracemalloc.get_traced_memory()
    images = set()
    for i, g in enumerate(gains):
        explorer.scale.value = float(g)
        if i % 50 == 0:
            images.add(bytes(explorer.live.image.value))
    end, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert plt.get_fignums() == []  # the explorer's figure is not a pyplot figure
    assert explorer.live.renders >= 200
    assert len(images) == 4  # the picture did change as the slider moved
    assert end - start < 2_000_000, f"memory grew by {(end - start) / 1e6:.3g} MB over 200 updates"


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

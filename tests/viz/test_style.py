"""nnlib.viz.style: the colours every figure shares."""

import matplotlib.colors as mcolors
import numpy as np

from nnlib.viz import style


def test_palette_is_okabe_ito_and_distinct():
    assert len(style.PALETTE) == 8 and len(set(style.PALETTE)) == 8
    assert style.PALETTE[:2] == ["#0072B2", "#D55E00"]  # blue, vermillion: class 0, class 1


def test_layer_colors_run_dark_to_light():
    colors = style.layer_colors(5)
    luminance = [0.2126 * r + 0.7152 * g + 0.0722 * b for r, g, b, _ in colors]
    assert len(colors) == 5 and np.all(np.diff(luminance) > 0)
    assert len(style.layer_colors(1)) == 1


def test_probability_map_is_white_at_one_half():
    assert np.allclose(style.PROBABILITY_CMAP(0.5)[:3], 1.0, atol=0.01)
    assert mcolors.to_hex(style.PROBABILITY_CMAP(0.0)) == style.PALETTE[0].lower()

"""nnlib.viz.display.show: a PNG with alt text, and the figure closed."""

import matplotlib.pyplot as plt
import pytest
from matplotlib.figure import Figure

from nnlib.viz import display


def test_show_displays_a_png_with_alt_text_and_closes_pyplot_figures(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, metadata=None: shown.append((obj, metadata)))
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    display.show(fig, alt="A falling line from (0, 1) to (1, 0).")
    image, metadata = shown[0]
    assert image.data[:8] == b"\x89PNG\r\n\x1a\n"
    assert metadata == {"image/png": {"alt": "A falling line from (0, 1) to (1, 0)."}}
    assert plt.get_fignums() == []
    display.show(Figure(), alt="An empty figure, made without pyplot.")  # not a pyplot figure: nothing to close
    assert len(shown) == 2


@pytest.mark.parametrize("alt", [None, "", "a plot", 3])
def test_show_needs_a_real_description(alt):
    with pytest.raises(ValueError, match="alt must describe the figure"):
        display.show(Figure(), alt=alt)


def test_png_bytes_rejects_what_is_not_a_figure():
    with pytest.raises(TypeError, match="fig must be a matplotlib Figure"):
        display.png_bytes("figure")

"""Showing a static figure in a notebook: a PNG with alt text, and no figure left behind.

:func:`show` renders a matplotlib figure once, displays it as ``image/png`` with an ``alt``
description in the output's metadata (nbconvert carries it into the HTML ``<img alt=...>``, so
screen readers and readers of the static page get it), and closes the figure if pyplot made it,
so figures never pile up in a long session.
"""

import io

import matplotlib.pyplot as plt
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

MIN_ALT_WORDS = 5


def png_bytes(fig, dpi=None):
    """The figure rendered to PNG bytes (at ``dpi``, default the figure's own)."""
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    if fig.canvas is None or not hasattr(fig.canvas, "print_png"):
        FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    return buffer.getvalue()


def check_alt(alt):
    """``alt`` must be a sentence describing a figure (at least MIN_ALT_WORDS words)."""
    if not isinstance(alt, str) or len(alt.split()) < MIN_ALT_WORDS:
        raise ValueError(f"alt must describe the figure in a sentence (at least {MIN_ALT_WORDS} words), got {alt!r}")
    return alt


def show(fig, alt):
    """Display ``fig`` as a PNG with the alt text ``alt`` (a sentence or two: what it shows, the
    key numbers), then close it if it is a pyplot figure. Returns None, so a cell ending with
    ``show(...)`` prints nothing else."""
    from IPython.display import Image, display

    check_alt(alt)
    data = png_bytes(fig)
    if plt.fignum_exists(getattr(fig, "number", -1)) and plt.figure(fig.number) is fig:
        plt.close(fig)
    display(Image(data=data, format="png"), metadata={"image/png": {"alt": alt}})

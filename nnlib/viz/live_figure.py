"""Live figures for interactive notebooks: one figure, artists updated in place.

A :class:`LiveFigure` owns a ``matplotlib.figure.Figure`` that is *not* registered with
pyplot (so it never leaks and is never shown twice) and an ``ipywidgets.Image`` that shows
it. A widget callback changes the artists' data and calls :meth:`LiveFigure.redraw`, which
renders the figure once with Agg and replaces the image's bytes. This works the same with
the inline backend, in JupyterLab, on Binder and in a headless kernel.

Viewed without a kernel (GitHub, nbviewer) a widget shows nothing, so a notebook should also
show the figure once as a plain image: :meth:`LiveFigure.show_static`.

This module imports matplotlib and ipywidgets; ``import nnlib`` does not import it.
"""

import struct
import weakref
import zlib

import ipywidgets
import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ..validation import check_bool, check_int, check_real

#: The largest picture side, in pixels (``figsize`` is in inches: (9, 3.5) at dpi 90 is 810 x 315).
MAX_PIXELS = 10_000


def check_figsize(figsize, dpi, name="figsize"):
    """A pair (width, height) of inches > 0 whose picture at ``dpi`` is at most :data:`MAX_PIXELS` a side."""
    if isinstance(figsize, (str, bytes)) or not hasattr(figsize, "__len__") or len(figsize) != 2:
        raise TypeError(f"{name} must be a pair (width, height) in inches, got {figsize!r}")
    width = check_real(figsize[0], f"{name}[0]", minimum=0.0, min_inclusive=False)
    height = check_real(figsize[1], f"{name}[1]", minimum=0.0, min_inclusive=False)
    if max(width, height) * dpi > MAX_PIXELS:
        raise ValueError(f"{name} {tuple(figsize)!r} at dpi {dpi:g} is {width * dpi:.0f} x {height * dpi:.0f} "
                         f"pixels, more than {MAX_PIXELS} a side: figsize is in inches, e.g. (9, 3.5)")
    return width, height


def _png_chunk(tag, data):
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))


def encode_png(rgba):
    """An (H, W, 4) uint8 RGBA picture as PNG bytes of its RGB channels, fast and lightly compressed.

    Rows unfiltered and zlib at level 1: about 6 ms for 960 x 432 pixels where PIL takes about 9
    (its copy to RGB and filtering, not the compression, cost the time), and no larger for a plot's
    flat areas."""
    rgba = np.asarray(rgba)
    if rgba.dtype != np.uint8 or rgba.ndim != 3 or rgba.shape[2] != 4 or 0 in rgba.shape:
        raise ValueError(f"rgba must be a non-empty (H, W, 4) uint8 array, got {rgba.dtype} {rgba.shape}")
    height, width, _ = rgba.shape
    raw = np.zeros((height, 1 + 3 * width), np.uint8)  # each row: filter type 0 (none), then R G B ...
    raw[:, 1:].reshape(height, width, 3)[...] = rgba[..., :3]
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8 bits, truecolour, no interlace
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", zlib.compress(raw, 1))
            + _png_chunk(b"IEND", b""))


def _close_image(image):
    image.layout.close()
    image.close()



class LiveFigure:
    """A figure rendered into an ``ipywidgets.Image``.

    Parameters
    ----------
    nrows, ncols : subplot grid, as ``Figure.subplots``.
    figsize : (width, height) in inches;  dpi : render resolution.
    **subplot_kw : passed to ``Figure.subplots`` (e.g. ``sharex``, ``gridspec_kw``).

    Attributes
    ----------
    figure : matplotlib.figure.Figure
    axes : the Axes (array) returned by ``Figure.subplots``
    image : ipywidgets.Image -- put it in a layout next to the controls.

    Artists registered with :meth:`animate` are drawn on top of a cached background:
    ``redraw()`` then repaints only them (blitting), which is several times faster than
    drawing every tick label again. Call ``redraw(full=True)`` whenever anything else
    changed (axis limits, labels, texts).

    A view that switches between a few static states (a data set each, with its own axis limits)
    names them: ``redraw(background=name)`` keeps one background per name, so returning to a state
    drawn before blits over its cached background instead of drawing everything again. The caller
    must have put the figure back in that state (the axis limits the animated artists are drawn
    with); the first redraw under a new name draws in full.
    """

    def __init__(self, nrows=1, ncols=1, figsize=(9, 3.5), dpi=90, **subplot_kw):
        nrows = check_int(nrows, "nrows", minimum=1)
        ncols = check_int(ncols, "ncols", minimum=1)
        dpi = check_real(dpi, "dpi", minimum=10.0)
        figsize = check_figsize(figsize, dpi)
        self.figure = Figure(figsize=figsize, dpi=dpi)
        FigureCanvasAgg(self.figure)
        self.axes = self.figure.subplots(nrows, ncols, **subplot_kw)
        self.image = ipywidgets.Image(format="png", layout=ipywidgets.Layout(max_width="100%"))
        # a LiveFigure dropped without close() still closes its image widget (ipywidgets would keep it)
        self._finalizer = weakref.finalize(self, _close_image, self.image)
        self._animated = []
        self._backgrounds = {}  # background name (None: the default one) -> cached pixels
        self.renders = 0
        self.full_renders = 0

    def animate(self, *artists):
        """Mark artists that change on every update; they are repainted over the background."""
        for k, artist in enumerate(artists):
            if not isinstance(artist, Artist):
                raise TypeError(f"artists[{k}] must be a matplotlib Artist (a line, a text, an image...), "
                                f"got {type(artist).__name__}")
            if artist.get_figure(root=True) is not self.figure:
                raise ValueError(f"artists[{k}] ({type(artist).__name__}) is drawn on another figure (or none): "
                                 "animate artists of this LiveFigure's own axes")
        for artist in artists:
            artist.set_animated(True)
            self._animated.append(artist)
        self._backgrounds = {}

    def render(self, full=False, background=None):
        """Paint the figure as it is now and return PNG bytes (fast, lightly compressed).

        ``background``: the name of the static state to blit over (see the class docstring)."""
        full = check_bool(full, "full")
        try:
            hash(background)
        except TypeError:
            raise TypeError(f"background must be a hashable name (a str, a tuple...), got "
                            f"{type(background).__name__}") from None
        if self.closed:
            raise RuntimeError("this LiveFigure was closed (its figure is empty); build a new one")
        canvas = self.figure.canvas
        if full or background not in self._backgrounds or not self._animated:  # nothing to blit: draw it all
            canvas.draw()  # everything but the animated artists
            self._backgrounds[background] = canvas.copy_from_bbox(self.figure.bbox)
            self.full_renders += 1
        else:
            canvas.restore_region(self._backgrounds[background])
        for artist in sorted(self._animated, key=lambda a: a.get_zorder()):  # stable: ties keep order
            self.figure.draw_artist(artist)
        png = encode_png(canvas.buffer_rgba())
        self.renders += 1
        return png

    def png(self):
        """The complete figure as PNG bytes (a full render)."""
        return self.render(full=True)

    def redraw(self, full=False, background=None):
        """Render and show the result in :attr:`image` (see :meth:`render`)."""
        self.image.value = self.render(full, background)

    def close(self):
        """Close the image widget and empty the figure (its memory is then released)."""
        self._finalizer()
        self.figure.clear()
        self._animated, self._backgrounds = [], {}
        FigureCanvasAgg(self.figure)  # a fresh canvas: the old one's pixel buffer (C++ memory) is freed now

    @property
    def closed(self):
        """True once :meth:`close` ran."""
        return not self._finalizer.alive

    def show_static(self, alt):
        """Display the current figure as a plain PNG output (visible without a kernel), with the
        alt text ``alt`` in its metadata (see :func:`nnlib.viz.show`)."""
        from IPython.display import Image, display

        from .display import check_alt

        display(Image(self.png()), metadata={"image/png": {"alt": check_alt(alt)}})

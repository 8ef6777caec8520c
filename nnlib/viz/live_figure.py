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
    """An (H, W, 4) uint8 RGBA picture as PNG bytes, fast and lightly compressed.

    The canvas's own RGBA rows, each behind a filter byte 0 (none), go to zlib at level 1: about
    5 ms for 960 x 432 pixels where PIL takes about 9. Most of PIL's time (and of an RGB encoding's)
    is copying out three of every four bytes, not the compression; an opaque alpha channel
    compresses to almost nothing."""
    rgba = np.asarray(rgba)
    if rgba.dtype != np.uint8 or rgba.ndim != 3 or rgba.shape[2] != 4 or 0 in rgba.shape:
        raise ValueError(f"rgba must be a non-empty (H, W, 4) uint8 array, got {rgba.dtype} {rgba.shape}")
    height, width, _ = rgba.shape
    raw = np.empty((height, 1 + 4 * width), np.uint8)
    raw[:, 0] = 0  # each row: filter type 0 (none), then R G B A ...
    raw[:, 1:] = rgba.reshape(height, 4 * width)
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8 bits, RGBA, no interlace
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

    Artists that change now and then but not on most updates (a label per curve, which costs
    about 1 ms each to draw) are marked with :meth:`overlay` and drawn over the background with
    the animated ones; the picture with them is kept until ``redraw(overlay=key)`` gets another
    ``key``. The caller changes the key whenever it changes an overlay artist.
    """

    def __init__(self, nrows=1, ncols=1, figsize=(9, 3.5), dpi=90, **subplot_kw):
        nrows = check_int(nrows, "nrows", minimum=1)
        ncols = check_int(ncols, "ncols", minimum=1)
        dpi = check_real(dpi, "dpi", minimum=10.0)
        figsize = check_figsize(figsize, dpi)
        self.figure = Figure(figsize=figsize, dpi=dpi)
        FigureCanvasAgg(self.figure)
        self.axes = self.figure.subplots(nrows, ncols, **subplot_kw)
        # the picture's size as the <img>'s width and height: the page keeps its space while a new
        # picture is decoded (no layout of the whole notebook per picture), and scales it down
        # with its aspect ratio where the column is narrower
        width_px, height_px = self.figure.canvas.get_width_height()
        self.image = ipywidgets.Image(format="png", width=str(width_px), height=str(height_px),
                                      layout=ipywidgets.Layout(max_width="100%", height="auto"))
        # a LiveFigure dropped without close() still closes its image widget (ipywidgets would keep it)
        self._finalizer = weakref.finalize(self, _close_image, self.image)
        self._animated, self._overlay = [], []
        self._backgrounds = {}  # background name (None: the default one) -> cached pixels
        self._overlaid = {}  # background name -> (overlay key, its pixels with the overlay drawn)
        self.renders = 0
        self.full_renders = 0

    def animate(self, *artists):
        """Mark artists that change on every update; they are repainted over the background."""
        self._mark(artists, self._animated)

    def overlay(self, *artists):
        """Mark artists that change rarely; they are repainted only when the overlay key changes
        (see the class docstring)."""
        self._mark(artists, self._overlay)

    def _mark(self, artists, into):
        for k, artist in enumerate(artists):
            if not isinstance(artist, Artist):
                raise TypeError(f"artists[{k}] must be a matplotlib Artist (a line, a text, an image...), "
                                f"got {type(artist).__name__}")
            if artist.get_figure(root=True) is not self.figure:
                raise ValueError(f"artists[{k}] ({type(artist).__name__}) is drawn on another figure (or none): "
                                 "mark artists of this LiveFigure's own axes")
            if artist in self._animated or artist in self._overlay:
                raise ValueError(f"artists[{k}] ({type(artist).__name__}) is marked already (animate and "
                                 "overlay each take an artist once)")
        for artist in artists:
            artist.set_animated(True)  # left out of the background
            into.append(artist)
        self._backgrounds, self._overlaid = {}, {}

    def render(self, full=False, background=None, overlay=None):
        """Paint the figure as it is now and return PNG bytes (fast, lightly compressed).

        ``background``: the name of the static state to blit over; ``overlay``: the key of the
        overlay artists' current state (see the class docstring)."""
        full = check_bool(full, "full")
        for value, name in ((background, "background"), (overlay, "overlay")):
            try:
                hash(value)
            except TypeError:
                raise TypeError(f"{name} must be a hashable name (a str, a tuple...), got "
                                f"{type(value).__name__}") from None
        if self.closed:
            raise RuntimeError("this LiveFigure was closed (its figure is empty); build a new one")
        canvas = self.figure.canvas
        drawn = full or background not in self._backgrounds or not (self._animated or self._overlay)
        if drawn:  # nothing cached to blit over: draw it all
            canvas.draw()  # everything but the animated and overlay artists
            self._backgrounds[background] = canvas.copy_from_bbox(self.figure.bbox)
            self._overlaid.pop(background, None)
            self.full_renders += 1
        kept = self._overlaid.get(background)
        if self._overlay and kept is not None and kept[0] == overlay:
            canvas.restore_region(kept[1])
        else:
            if not drawn:
                canvas.restore_region(self._backgrounds[background])
            if self._overlay:
                for artist in sorted(self._overlay, key=lambda a: a.get_zorder()):
                    self.figure.draw_artist(artist)
                self._overlaid[background] = (overlay, canvas.copy_from_bbox(self.figure.bbox))
        for artist in sorted(self._animated, key=lambda a: a.get_zorder()):  # stable: ties keep order
            self.figure.draw_artist(artist)
        png = encode_png(canvas.buffer_rgba())
        self.renders += 1
        return png

    def png(self):
        """The complete figure as PNG bytes (a full render)."""
        return self.render(full=True)

    def redraw(self, full=False, background=None, overlay=None):
        """Render and show the result in :attr:`image` (see :meth:`render`)."""
        self.image.value = self.render(full, background, overlay)

    def close(self):
        """Close the image widget and empty the figure (its memory is then released)."""
        self._finalizer()
        self.figure.clear()
        self._animated, self._overlay, self._backgrounds, self._overlaid = [], [], {}, {}
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

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

import io

import ipywidgets
import PIL.Image
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure



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
    """

    def __init__(self, nrows=1, ncols=1, figsize=(9, 3.5), dpi=90, **subplot_kw):
        self.figure = Figure(figsize=figsize, dpi=dpi)
        FigureCanvasAgg(self.figure)
        self.axes = self.figure.subplots(nrows, ncols, **subplot_kw)
        self.image = ipywidgets.Image(format="png", layout=ipywidgets.Layout(max_width="100%"))
        self._animated = []
        self._background = None
        self.renders = 0
        self.full_renders = 0

    def animate(self, *artists):
        """Mark artists that change on every update; they are repainted over the background."""
        for artist in artists:
            artist.set_animated(True)
            self._animated.append(artist)
        self._background = None

    def render(self, full=False):
        """Paint the figure as it is now and return PNG bytes (fast, lightly compressed)."""
        canvas = self.figure.canvas
        if full or self._background is None or not self._animated:  # nothing to blit: draw it all
            canvas.draw()  # everything but the animated artists
            self._background = canvas.copy_from_bbox(self.figure.bbox)
            self.full_renders += 1
        else:
            canvas.restore_region(self._background)
        for artist in sorted(self._animated, key=lambda a: a.get_zorder()):  # stable: ties keep order
            self.figure.draw_artist(artist)
        rgba = PIL.Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba())
        buf = io.BytesIO()
        rgba.convert("RGB").save(buf, format="png", compress_level=1)
        self.renders += 1
        return buf.getvalue()

    def png(self):
        """The complete figure as PNG bytes (a full render)."""
        return self.render(full=True)

    def redraw(self, full=False):
        """Render and show the result in :attr:`image` (see :meth:`render`)."""
        self.image.value = self.render(full)

    def close(self):
        """Close the image widget and empty the figure (its memory is then released)."""
        self.image.close()
        self.figure.clear()
        self._animated, self._background = [], None

    def show_static(self):
        """Display the current figure as a plain PNG output (visible without a kernel)."""
        from IPython.display import Image, display

        display(Image(self.png()))

"""nnlib.viz.LiveFigure and View: one figure repainted in place, and views that close cleanly."""

import gc

import ipywidgets
import matplotlib.pyplot as plt

from nnlib.viz import LiveFigure, View
from nnlib.viz.view import widget_tree


def test_blit_repaints_only_the_animated_artists_and_matches_a_full_render():
    live = LiveFigure(1, 1, figsize=(3, 2), dpi=50)
    (line,) = live.axes.plot([0, 1], [0, 1])
    live.animate(line)
    live.redraw()
    assert live.full_renders == 1
    line.set_ydata([1, 0])
    live.redraw()
    assert live.full_renders == 1 and live.renders == 2
    assert live.render() == live.render(full=True)
    assert plt.get_fignums() == []


def test_named_backgrounds_are_kept_apart():
    live = LiveFigure(1, 1, figsize=(3, 2), dpi=50)
    (line,) = live.axes.plot([0, 1], [0, 1])
    live.axes.set_xlim(0, 1)
    live.animate(line)
    live.redraw(background="a")
    live.axes.set_xlim(0, 2)
    live.redraw(background="b")  # a new name: drawn in full
    assert live.full_renders == 2
    b = live.render(background="b")
    live.axes.set_xlim(0, 1)
    a = live.render(background="a")  # back to a's state: blitted over a's background
    assert live.full_renders == 2 and a != b and a == live.render(full=True)
    for bad in ([1], {"a": 1}):
        try:
            live.render(background=bad)
        except TypeError as error:
            assert "background" in str(error)
        else:
            raise AssertionError(f"render(background={bad!r}) did not raise")


def test_overlay_artists_are_drawn_again_only_when_their_key_changes():
    import pytest

    live = LiveFigure(1, 1, figsize=(3, 2), dpi=50)
    (line,) = live.axes.plot([0, 1], [0, 1])
    label = live.axes.text(0.1, 0.8, "one")
    live.animate(line)
    live.overlay(label)
    drawn = []
    draw = label.draw
    label.draw = lambda renderer: (drawn.append(label.get_text()), draw(renderer))
    live.render(overlay="one")
    line.set_ydata([1, 0])
    moved = live.render(overlay="one")  # the same key: the kept picture of the label
    assert drawn == ["one"] and live.full_renders == 1 and moved == live.render(full=True, overlay="one")
    label.set_text("two")
    assert live.render(overlay="two") == live.render(full=True, overlay="two")
    assert drawn == ["one", "one", "two", "two"] and live.full_renders == 3  # the first and the two full ones
    with pytest.raises(ValueError, match="marked already"):
        live.animate(label)
    with pytest.raises(TypeError, match="overlay"):
        live.render(overlay=["two"])


def test_close_empties_the_figure_and_closes_the_image():
    live = LiveFigure()
    live.redraw()
    live.close()
    assert live.figure.axes == [] and live.image.comm is None


def _registry():
    """ipywidgets' registry of live widgets (``Widget.widgets`` is deprecated in its favour)."""
    from ipywidgets.widgets.widget import _instances

    return _instances


class _Tiny(View):
    def __init__(self):
        self.live = LiveFigure(figsize=(2, 2), dpi=30)
        self.slider = ipywidgets.IntSlider()
        self.changes = 0
        self.observe(self.slider, "_on_change")
        self._finish(ipywidgets.VBox([self.slider, self.live.image]))

    def _on_change(self, change):
        self.changes += 1


def test_view_close_closes_every_widget_and_the_figure():
    view = _Tiny()
    view.slider.value = 3
    assert view.changes == 1 and not view.closed
    view.close()
    assert view.closed and view.slider.comm is None and view.widget.comm is None
    assert view.live.figure.axes == []


def test_a_second_thread_waits_for_the_view():
    """A kernel subshell (a thread) handles widget messages while cells run in the main thread:
    a callback from one thread waits while another holds the view."""
    import threading

    view = _Tiny()
    done = threading.Event()
    with view.lock:  # as a public method marked @locked, or another callback, would
        mover = threading.Thread(target=lambda: (setattr(view.slider, "value", 5), done.set()))
        mover.start()
        assert not done.wait(0.3) and view.changes == 0  # the slider moved; its callback waits
    mover.join(10)
    assert done.is_set() and view.changes == 1
    view.close()


def test_a_view_nobody_refers_to_is_collected_with_its_widgets():
    _Tiny()  # replaces any earlier newest _Tiny
    gc.collect()
    before = len(_registry())
    for _ in range(5):
        view = _Tiny()  # re-running the cell that builds a view
    del view
    newest = widget_tree(_Tiny().widget)  # the newest one stays alive even without a name
    gc.collect()
    assert len(newest) == 7  # box, slider, image, their three layouts, the slider's style
    assert len(_registry()) - before == 0  # the newest replaced the earlier newest
    assert all(w.model_id in _registry() for w in newest)


def test_encode_png_is_exact_and_checks_its_input():
    import io

    import numpy as np
    import PIL.Image
    import pytest

    from nnlib.viz.live_figure import encode_png

    rgba = np.random.default_rng(0).integers(0, 256, (7, 5, 4), dtype=np.uint8)
    decoded = PIL.Image.open(io.BytesIO(encode_png(rgba)))
    assert decoded.mode == "RGBA" and decoded.size == (5, 7)
    assert np.array_equal(np.asarray(decoded), rgba)
    live = LiveFigure(1, 1, figsize=(3, 2), dpi=50)
    live.axes.plot([0, 1], [1, 0])
    shown = np.asarray(PIL.Image.open(io.BytesIO(live.png())))
    assert np.array_equal(shown, np.asarray(live.figure.canvas.buffer_rgba()))
    for bad in (rgba[..., :3], rgba.astype(float), np.zeros((0, 5, 4), np.uint8)):
        with pytest.raises(ValueError, match="rgba"):
            encode_png(bad)

"""nnlib.viz.arguments: the checks of matplotlib arguments accept what matplotlib takes and reject the rest
with an error naming the argument (their use by the plots is covered by test_bad_input_viz.py)."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from nnlib.viz.arguments import check_ax, check_color, check_levels, check_list, check_text


def test_valid_arguments_come_back():
    ax = Figure().subplots()
    assert check_ax(ax) is ax
    assert check_text("x", "xlabel") == "x" and check_text(None, "title", optional=True) is None
    for color in ("red", "#0072B2", (0.1, 0.2, 0.3), "C1", "0.6"):
        assert check_color(color, "color") == color
    assert check_list((1, 2), "paths", "paths") == [1, 2] and check_list([], "labels", "labels") == []
    assert check_levels(None) is None and check_levels(5) == 5
    np.testing.assert_array_equal(check_levels([1, 2.5]), [1.0, 2.5])


@pytest.mark.parametrize("call, exc, match", [
    (lambda: check_ax(Figure()), TypeError, "ax must be a matplotlib Axes \\(e.g."),
    (lambda: check_ax(None, "ax_h"), TypeError, "ax_h must be"),
    (lambda: check_text(3, "xlabel"), TypeError, "xlabel must be a string, got int 3"),
    (lambda: check_text(None, "xlabel"), TypeError, "xlabel must be a string"),
    (lambda: check_text(b"t", "title", optional=True), TypeError, "title must be a string or None"),
    (lambda: check_color("blu", "contour_color"), ValueError, "contour_color must be a matplotlib colour"),
    (lambda: check_color((2.0, 0.0, 0.0), "color"), ValueError, "color"),
    (lambda: check_list("ab", "labels", "strings"), TypeError, "labels must be a list of strings, got str"),
    (lambda: check_list(np.zeros((2, 2)), "paths", "arrays"), TypeError, "pass \\[path\\]"),
    (lambda: check_list({1}, "colors", "colours"), TypeError, "colors"),
    (lambda: check_list(3.0, "paths", "paths", float), TypeError, "paths"),
    (lambda: check_levels(0), ValueError, "levels must be >= 1"),
    (lambda: check_levels(True), TypeError, "levels"),
    (lambda: check_levels("12"), TypeError, "levels must be an int or an increasing"),
    (lambda: check_levels([2.0, 2.0]), ValueError, "levels must be increasing"),
    (lambda: check_levels([[1.0, 2.0]]), ValueError, "levels must be 1-D"),
    (lambda: check_levels([0.0, np.inf]), ValueError, "levels must be finite"),
])
def test_bad_arguments_are_named(call, exc, match):
    with pytest.raises(exc, match=match):
        call()

"""Checks of the arguments matplotlib would otherwise reject deep inside (or accept silently):
axes, labels, colours, lists, contour levels. Shared by :mod:`nnlib.viz.plots` and the views.

Like :mod:`nnlib.validation` (whose checks the viz layer also uses), each raises ``TypeError``
or ``ValueError`` naming the argument, what was expected and what came, and returns the value.
"""

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import is_color_like

from ..validation import as_float_array, check_int


def check_ax(ax, name="ax"):
    """``ax`` must be a matplotlib Axes (``fig.subplots()``, ``plt.subplots()[1]``)."""
    if not isinstance(ax, Axes):
        raise TypeError(f"{name} must be a matplotlib Axes (e.g. fig, ax = plt.subplots()), got {type(ax).__name__}")
    return ax


def check_text(value, name, optional=False):
    """A label: a string (or None when ``optional``)."""
    if value is None and optional:
        return None
    if not isinstance(value, str):
        got = f"{type(value).__name__} {value!r}"
        raise TypeError(f"{name} must be a string{' or None' if optional else ''}, got {got}")
    return value


def check_color(value, name):
    """A matplotlib colour: a name (``"red"``), a hex string (``"#0072B2"``) or an RGB(A) tuple."""
    if not is_color_like(value):
        raise ValueError(f"{name} must be a matplotlib colour (a name like 'red', a hex '#0072B2' or an RGB tuple), "
                         f"got {value!r}")
    return value


def check_list(value, name, what, *single):
    """A list or tuple, returned as a list; not a string or an array (nor one of the types ``single``,
    things that come one at a time). ``what`` names the entries for the message."""
    if isinstance(value, (str, bytes, np.ndarray, *single)) or not isinstance(value, (list, tuple)):
        raise TypeError(f"{name} must be a list of {what}, got {type(value).__name__}; for one, pass [{name[:-1]}]")
    return list(value)


def check_levels(levels, name="levels"):
    """Contour levels: None (automatic), a number of levels >= 1, or an increasing 1-D sequence."""
    if levels is None:
        return None
    if isinstance(levels, (int, np.integer)) and not isinstance(levels, bool):
        return check_int(levels, name, minimum=1)
    if isinstance(levels, (str, bytes, bool)):
        raise TypeError(f"{name} must be an int or an increasing sequence of numbers, got {levels!r}")
    levels = as_float_array(levels, name, ndim=1)
    if np.any(np.diff(levels) <= 0):
        raise ValueError(f"{name} must be increasing, got {levels}")
    return levels

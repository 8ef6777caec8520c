"""Rebuilding a view, as re-running a notebook cell does, frees the old one: its widgets are closed,
its figure is collected, and memory does not grow.

Each view is built the way its notebook builds it, twice to warm matplotlib's caches, then four
times more under one name. After a garbage collection no old view, no old Figure and no open old
widget may remain, no pyplot figure may exist, and the resident memory may grow by less than 30 MB
over the four rebuilds of each view. (Resident memory is read after ``malloc_trim``, which hands freed
heap pages back; ``tracemalloc`` would see Python's allocations only and slows drawing fivefold.)

"A garbage collection" is ``gc.collect()`` repeated until it frees nothing more (at most a few
passes): matplotlib's mathtext parser (pyparsing) leaves frame and exception cycles that reach
the call stack which drew the figure, and some of that garbage is only found on a second pass.
Python's automatic collections free it the same way.
"""

import ctypes
import ctypes.util
import gc
import weakref

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from nnlib import datasets
from nnlib.experiments.init_comparison import compare_inits
from nnlib.viz import (BatchNormView, CapacityView, InitComparisonView, NormalizationView, UnderfittingView,
                       VarianceExplorer, View)
from nnlib.viz.view import widget_tree

REBUILDS = 4
LIMIT_MB = 30.0
GROWTH = {}  # view class name -> RSS MB, filled by test_rebuilding_frees_the_old_view


def collect():
    """``gc.collect()`` until a pass frees nothing (a finalizer run in one pass can free more)."""
    for _ in range(5):
        if gc.collect() == 0:
            break


def _libc():
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") else None


LIBC = _libc()


def rss_mb():
    """Resident memory after handing freed heap pages back (glibc keeps them otherwise)."""
    if LIBC is not None:
        LIBC.malloc_trim(0)
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 / 1e6


def live_figures():
    return sum(isinstance(o, Figure) for o in gc.get_objects())


def _registry():
    from ipywidgets.widgets.widget import _instances

    return _instances


@pytest.fixture(scope="module")
def builders():
    """One factory per view, with its notebook's settings."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((80, 2)) * np.array([300.0, 2.0]) + np.array([750.0, 5.0])
    y = X @ np.array([0.002, 0.2]) + 0.3 * rng.standard_normal(80)
    x_train, y_train = datasets.noisy_regression(np.random.default_rng(3), 15, 0.3)
    x_val, y_val = datasets.noisy_regression(np.random.default_rng(4), 100, 0.3)
    Xm, ym = datasets.two_moons(np.random.default_rng(0), 60, noise=0.2)
    comparisons = {}
    for name, data in (("circles", datasets.circles), ("moons", datasets.two_moons)):
        Xa, ya = data(np.random.default_rng(1), 80, noise=0.1)
        Xb, yb = data(np.random.default_rng(2), 80, noise=0.1)
        comparisons[name] = compare_inits(0, Xa, ya, Xb, yb, steps=200, resolution=40)
    return {
        InitComparisonView: lambda: InitComparisonView(comparisons, init="He", dataset="circles"),
        VarianceExplorer: lambda: VarianceExplorer(activation="tanh", scale=1.0, depth=20, width=256,
                                                   n_samples=1000, rng=0),
        NormalizationView: lambda: NormalizationView(X, y, ("proline", "colour intensity"), ("mg/L", "AU"),
                                                     "alcohol", "% vol"),
        CapacityView: lambda: CapacityView(x_train, y_train, x_val, y_val, max_degree=12, noise=0.3, degree=12),
        UnderfittingView: lambda: UnderfittingView(Xm, ym, depth=2, steps=10, width=4),
        BatchNormView: lambda: BatchNormView(Xm, ym, depth=10, batch_norm=True, rng=0),
    }


VIEWS = [InitComparisonView, VarianceExplorer, NormalizationView, CapacityView, UnderfittingView, BatchNormView]


@pytest.mark.parametrize("cls", VIEWS, ids=[c.__name__ for c in VIEWS])
def test_rebuilding_frees_the_old_view(builders, cls):
    build = builders[cls]
    view = build()
    view = build()  # the first rebuild warms caches (fonts, text layouts, mathtext, workspaces)
    collect()
    figures0, widgets0 = live_figures(), len(_registry())
    rss0 = rss_mb()
    old = []
    for _ in range(REBUILDS):
        old.append((weakref.ref(view), weakref.ref(view.live.figure), widget_tree(view.widget)))
        view = build()  # the cell again: the old view loses its name
    collect()
    GROWTH[cls.__name__] = rss_mb() - rss0

    assert all(v() is None for v, _, _ in old), "an old view is still alive"
    assert all(f() is None for _, f, _ in old), "an old view's figure is still alive"
    assert all(w.comm is None for _, _, widgets in old for w in widgets), "an old view has an open widget"
    assert live_figures() <= figures0, "more Figures than before the rebuilds: only the newest view's may live"
    assert len(_registry()) <= widgets0, "the widget registry grew"
    assert plt.get_fignums() == []
    newest = widget_tree(view.widget)
    assert all(w.comm is not None for w in newest) and not view.closed  # the newest view still works
    view.close()
    assert all(w.comm is None for w in newest) and view.live.figure.axes == []


def test_memory_grows_less_than_the_limit():
    if len(GROWTH) < len(VIEWS):
        pytest.skip("needs test_rebuilding_frees_the_old_view for every view")
    lines = [f"{name}: RSS {rss:+.1f} MB" for name, rss in GROWTH.items()]
    print(f"\nmemory growth over {REBUILDS} rebuilds of each view:\n  " + "\n  ".join(lines))
    assert all(rss < LIMIT_MB for rss in GROWTH.values()), (
        f"memory grew by {LIMIT_MB:g} MB or more over {REBUILDS} rebuilds of a view: " + "; ".join(lines))


def test_a_view_displayed_without_a_name_lives_until_the_next(builders):
    build = builders[NormalizationView]
    collect()
    figures0 = live_figures()
    refs = []
    for _ in range(3):
        widget = build().widget  # ``NormalizationView(...).widget`` as a cell's last line
        refs.append(weakref.ref(widget))
        del widget
    collect()
    newest = refs[-1]()
    assert newest is not None and newest.comm is not None  # the class holds its newest view
    assert all(r() is None or r().comm is None for r in refs[:-1])
    assert live_figures() <= figures0 + 1
    view = next(v for v in gc.get_objects() if isinstance(v, View) and getattr(v, "widget", None) is newest)
    view.close()
    assert newest.comm is None


def test_a_failed_build_leaves_nothing_open(builders):
    collect()
    widgets0, figures0 = len(_registry()), live_figures()
    for bad in ({"activation": "rellu"}, {"scale": -1.0}, {"depth": 40}, {"width": 100}):
        with pytest.raises(ValueError):
            VarianceExplorer(rng=0, **bad)
    with pytest.raises(ValueError, match="explain"):  # a constant y: nothing to descend
        NormalizationView(np.ones((5, 2)) + np.arange(5)[:, None] * [1, 2], np.ones(5))
    collect()
    assert len(_registry()) == widgets0 and live_figures() <= figures0
    assert plt.get_fignums() == []


def test_static_plots_leave_no_figure(comparisons):
    from nnlib import MLP
    from nnlib.viz import plots

    X, y = datasets.xor(np.random.default_rng(0), 40)
    nets = {"a": MLP([2, 4, 4, 1], activation="tanh", output="sigmoid", rng=0)}
    collect()
    figures0 = live_figures()
    for _ in range(3):
        plots.plot_units(nets, X, y, resolution=10)
        plots.plot_comparison(comparisons["circles"])
    collect()
    assert live_figures() <= figures0 and plt.get_fignums() == []

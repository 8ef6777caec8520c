"""The base of the interactive views: controls wired to one :class:`LiveFigure`, and a clean end.

ipywidgets keeps every widget in a registry until it is closed, and a control's callbacks keep
whatever they point to alive. If the callbacks were bound methods of the view, re-running the
cell that builds a view would keep the old view, its figure and its arrays alive for the rest
of the session. So a :class:`View` wires its controls through :meth:`View.observe` and
:meth:`View.on_click`, which hold the view *weakly*: once no name refers to an old view any more
it is collected, and its widgets and figure are closed with it. :meth:`View.close` does the same
at once. The newest view of each class is also held by the class, so a view displayed without
being given a name (``VarianceExplorer(rng=0).widget``) stays alive until the next one is built.

A view whose constructor fails (a bad argument) closes the widgets and the figure it had made
so far: a mistyped argument leaves nothing open behind.

Two threads can reach one view at once: ipykernel 7 handles the widgets' messages in a thread of
its own (a kernel subshell, JupyterLab 4.6's default for comms) while cells run in the main
thread, and a message sent before the subshell exists is handled in the main thread. matplotlib
is not thread-safe, so every callback wired here, and each public method marked :func:`locked`,
runs holding the view's lock.
"""

import functools
import threading
import weakref

import ipywidgets

from .live_figure import LiveFigure

_NEWEST = {}  # view class -> its newest instance


def widget_tree(widget):
    """``widget`` and every widget under it: the children of boxes, and each one's layout and style."""
    found, seen, todo = [], set(), [widget]
    while todo:
        w = todo.pop()
        if isinstance(w, ipywidgets.Widget) and id(w) not in seen:
            seen.add(id(w))
            found.append(w)
            todo.extend(getattr(w, "children", ()))
            todo.extend(getattr(w, name, None) for name in ("layout", "style"))
    return found


def _close(widgets):
    for w in widgets:
        w.close()


def locked(method):
    """Run a view's ``method`` holding the view's lock (see the module docstring)."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        with self.lock:
            return method(self, *args, **kwargs)

    return wrapper


def _closing_on_failure(init):
    """Wrap a view's ``__init__``: if it raises, close whatever the half-built view made."""

    @functools.wraps(init)
    def __init__(self, *args, **kwargs):
        try:
            init(self, *args, **kwargs)
        except BaseException:
            self._abandon()
            raise

    return __init__


class View:
    """Base class: a subclass builds ``self.live`` (a :class:`LiveFigure`) and its controls, then
    calls :meth:`_finish` with the layout to display. Attributes: ``live``, ``widget``.

    A subclass should check its arguments before it builds any widget; if its constructor raises
    anyway, every widget and LiveFigure it stored on ``self`` is closed (see :meth:`_abandon`).
    Public methods that redraw call :meth:`_check_open` first.
    """

    def __new__(cls, *args, **kwargs):
        view = super().__new__(cls)
        #: Held by every callback and each public method marked @locked (see the module docstring);
        #: made here, so that it exists before any ``__init__`` wires a control.
        view.lock = threading.RLock()
        return view

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        init = cls.__dict__.get("__init__")  # each class's own __init__, wrapped once, when the class is made
        if init is not None:
            cls.__init__ = _closing_on_failure(init)

    def _callback(self, method_name):
        """A callback calling ``self.<method_name>(arg)`` holding the view's lock, and the view weakly."""
        if not isinstance(method_name, str) or not callable(getattr(type(self), method_name, None)):
            raise ValueError(f"method_name {method_name!r} is not a method of {type(self).__name__}")
        ref = weakref.ref(self)

        def callback(arg):
            view = ref()
            if view is not None:
                with view.lock:
                    getattr(view, method_name)(arg)

        return callback

    def observe(self, control, method_name):
        """Call ``self.<method_name>(change)`` when ``control.value`` changes, holding ``self`` weakly."""
        if not (isinstance(control, ipywidgets.Widget) and control.has_trait("value")):
            raise TypeError(f"control must be an ipywidgets control with a value (a slider, a dropdown...), "
                            f"got {type(control).__name__}")
        control.observe(self._callback(method_name), names="value")

    def on_click(self, button, method_name):
        """Call ``self.<method_name>(button)`` when ``button`` is clicked, holding ``self`` weakly."""
        if not isinstance(button, ipywidgets.Button):
            raise TypeError(f"button must be an ipywidgets.Button, got {type(button).__name__}")
        button.on_click(self._callback(method_name))

    #: True while :meth:`_move_controls` moves controls: the observers then skip their redraw.
    _syncing = False

    def _move_controls(self, values):
        """Set each ``control.value`` of ``values`` (a dict control -> value) with ``_syncing`` on,
        so that the view's observers skip their own redraw; the caller redraws once."""
        self._syncing = True
        try:
            for control, value in values.items():
                control.value = value
        finally:
            self._syncing = False

    def _finish(self, widget):
        """Store the layout to display and arrange for everything to be closed with the view."""
        if not isinstance(widget, ipywidgets.Widget):
            raise TypeError(f"widget must be an ipywidgets widget (the layout to display), got {type(widget).__name__}")
        #: The controls and the live image, ready to display.
        self.widget = widget
        # Only the widgets, which ipywidgets' registry keeps alive anyway: were the figure among the
        # finalizer's arguments, a view found dead by the garbage collector would keep its figure
        # (a web of reference cycles) alive through that collection, until the next one.
        self._finalizer = weakref.finalize(self, _close, widget_tree(widget))
        _NEWEST[type(self)] = self

    def _abandon(self):
        """Close everything a half-built view made: its layout if it got that far, else every
        widget and :class:`LiveFigure` stored on it (also inside lists and tuples)."""
        if getattr(self, "_finalizer", None) is not None:
            self.close()
            return
        for value in list(vars(self).values()):
            for item in value if isinstance(value, (list, tuple)) else (value,):
                if isinstance(item, ipywidgets.Widget):
                    for w in widget_tree(item):
                        w.close()
                elif isinstance(item, LiveFigure):
                    item.close()

    @locked
    def close(self):
        """Close every widget of the view and its figure now (the view cannot be used afterwards)."""
        if _NEWEST.get(type(self)) is self:
            del _NEWEST[type(self)]
        self._finalizer()
        live = getattr(self, "live", None)
        if live is not None:
            live.close()

    @property
    def closed(self):
        """True once :meth:`close` ran (or the view was collected)."""
        return not self._finalizer.alive

    def _check_open(self):
        """Raise if the view was closed: its figure is empty and its controls are gone."""
        finalizer = getattr(self, "_finalizer", None)
        if finalizer is not None and not finalizer.alive:
            raise RuntimeError(f"this {type(self).__name__} was closed; build a new one")

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)

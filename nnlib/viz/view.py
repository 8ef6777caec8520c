"""The base of the interactive views: controls wired to one :class:`LiveFigure`, and a clean end.

ipywidgets keeps every widget in a registry until it is closed, and a control's callbacks keep
whatever they point to alive. If the callbacks were bound methods of the view, re-running the
cell that builds a view would keep the old view, its figure and its arrays alive for the rest
of the session. So a :class:`View` wires its controls through :meth:`View.observe` and
:meth:`View.on_click`, which hold the view *weakly*: once no name refers to an old view any more
it is collected, and its widgets and figure are closed with it. :meth:`View.close` does the same
at once. The newest view of each class is also held by the class, so a view displayed without
being given a name (``VarianceExplorer(rng=0).widget``) stays alive until the next one is built.
"""

import weakref

import ipywidgets


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


def _close(widgets, live):
    for w in widgets:
        w.close()
    if live is not None:
        live.close()


class View:
    """Base class: a subclass builds ``self.live`` (a :class:`LiveFigure`) and its controls, then
    calls :meth:`_finish` with the layout to display. Attributes: ``live``, ``widget``."""

    def observe(self, control, method_name):
        """Call ``self.<method_name>(change)`` when ``control.value`` changes, holding ``self`` weakly."""
        ref = weakref.ref(self)

        def callback(change):
            view = ref()
            if view is not None:
                getattr(view, method_name)(change)

        control.observe(callback, names="value")

    def on_click(self, button, method_name):
        """Call ``self.<method_name>(button)`` when ``button`` is clicked, holding ``self`` weakly."""
        ref = weakref.ref(self)

        def callback(b):
            view = ref()
            if view is not None:
                getattr(view, method_name)(b)

        button.on_click(callback)

    def _finish(self, widget):
        """Store the layout to display and arrange for everything to be closed with the view."""
        #: The controls and the live image, ready to display.
        self.widget = widget
        self._finalizer = weakref.finalize(self, _close, widget_tree(widget), getattr(self, "live", None))
        _NEWEST[type(self)] = self

    def close(self):
        """Close every widget of the view and its figure now (the view cannot be used afterwards)."""
        if _NEWEST.get(type(self)) is self:
            del _NEWEST[type(self)]
        self._finalizer()

    @property
    def closed(self):
        """True once :meth:`close` ran (or the view was collected)."""
        return not self._finalizer.alive

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)

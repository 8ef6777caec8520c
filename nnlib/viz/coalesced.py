"""Control moves from the browser, coalesced: the picture of the latest value as soon as the
kernel is free, and one last call once the controls rest.

ipywidgets sends a control's next value only once the kernel reports the previous message done.
A handler that draws would make every picture wait for a round trip through the server and the
browser on top of the drawing. With a :class:`Coalescer` the handler returns at once: it
schedules one call of the view's ``move`` on the event loop of the thread that handled the
message, and restarts a timer for ``settle``. Values that arrive while ``move`` runs only move the
controls, and the next ``move`` draws the latest: nothing stale is drawn. ``settle`` runs once
``seconds`` pass with neither a message nor a picture (counted from the end of a slow picture, so
that a value already waiting comes first).

ipykernel 7 handles widget messages in a kernel subshell, a thread with its own event loop, while
cells run in the main thread (and a message sent before the subshell exists is handled there).
A request schedules on the loop of the thread it is handled in, and every call holds the view's
lock (:mod:`nnlib.viz.view`).
"""

import weakref

from ..validation import check_real


def _call(method):
    """Call a ``weakref.WeakMethod`` of a view, holding the view's lock, unless the view is gone."""
    bound = method()
    if bound is not None:
        with bound.__self__.lock:
            bound()


class Coalescer:
    """One pending ``move`` and one ``settle`` timer for a view (both bound methods, held weakly:
    a pending call does not keep a closed view alive).

    Attributes ``pending`` and ``timer``: the scheduled handles, or None.
    """

    def __init__(self, move, settle, seconds):
        for method, name in ((move, "move"), (settle, "settle")):
            if not hasattr(method, "__self__") or not hasattr(method.__self__, "lock"):
                raise TypeError(f"{name} must be a bound method of a view (an object with a lock), got {method!r}")
        self._move, self._settle = weakref.WeakMethod(move), weakref.WeakMethod(settle)
        self.seconds = check_real(seconds, "seconds", minimum=0.0)
        self.pending = self.timer = self._loop = None

    def request(self, loop):
        """A move handled on ``loop`` (the running event loop): schedule ``move`` unless one is
        pending on this loop, and restart the ``settle`` timer."""
        if self.pending is None or self._loop is not loop:
            self._cancel(self.pending)  # one pending on another thread's loop may wait for a busy thread
            self.pending, self._loop = loop.call_soon(self._run_move), loop
        self._restart(loop)

    def cancel(self):
        """Drop the pending move and the timer (the view draws the full result itself, or closes)."""
        self._cancel(self.pending)
        self._cancel(self.timer)
        self.pending = self.timer = self._loop = None

    def _run_move(self):
        loop, self.pending = self._loop, None
        _call(self._move)
        self._restart(loop)

    def _run_settle(self):
        self.timer = None
        _call(self._settle)

    def _restart(self, loop):
        self._cancel(self.timer)
        self.timer = loop.call_later(self.seconds, self._run_settle)

    @staticmethod
    def _cancel(handle):
        if handle is not None:
            handle.cancel()

"""nnlib.viz.coalesced.Coalescer: one pending move, a settle timer, weakly held views."""

import asyncio
import gc
import threading
import time
import weakref

import pytest

from nnlib.viz.coalesced import Coalescer


class _View:
    def __init__(self, move_seconds=0.0):
        self.lock = threading.RLock()
        self.moves, self.settles, self.move_seconds = [], [], move_seconds
        self.coalescer = Coalescer(self.move, self.settle, 0.1)

    def move(self):
        assert self.lock._is_owned()  # every call holds the view's lock
        self.moves.append(time.monotonic())
        time.sleep(self.move_seconds)

    def settle(self):
        assert self.lock._is_owned()
        self.settles.append(time.monotonic())


def test_requests_that_arrive_together_make_one_move_then_one_settle():
    async def run():
        view, loop = _View(), asyncio.get_running_loop()
        for _ in range(5):
            view.coalescer.request(loop)
        assert view.moves == [] and view.coalescer.pending is not None
        await asyncio.sleep(0)
        assert len(view.moves) == 1 and view.coalescer.pending is None and view.settles == []
        await asyncio.sleep(0.2)
        assert len(view.settles) == 1 and view.coalescer.timer is None

    asyncio.run(run())


def test_the_settle_timer_counts_from_the_end_of_a_slow_move():
    async def run():
        view = _View(move_seconds=0.15)  # longer than the 0.1 s settle time
        view.coalescer.request(asyncio.get_running_loop())
        await asyncio.sleep(0)
        end = time.monotonic()
        await asyncio.sleep(0.3)
        assert len(view.settles) == 1 and view.settles[0] - end >= 0.09

    asyncio.run(run())


def test_cancel_drops_the_move_and_the_timer():
    async def run():
        view = _View()
        view.coalescer.request(asyncio.get_running_loop())
        view.coalescer.cancel()
        await asyncio.sleep(0.2)
        assert view.moves == [] and view.settles == []
        assert view.coalescer.pending is None and view.coalescer.timer is None

    asyncio.run(run())


def test_a_request_on_another_loop_schedules_there():
    """A move pending on a busy thread's loop (the main thread runs a cell) must not hold up a
    request handled by another thread (the kernel subshell)."""
    view = _View()
    other = asyncio.new_event_loop()  # never run, like a thread that stays busy
    try:
        view.coalescer.request(other)

        async def run():
            view.coalescer.request(asyncio.get_running_loop())
            await asyncio.sleep(0)
            assert len(view.moves) == 1

        asyncio.run(run())
    finally:
        view.coalescer.cancel()
        other.close()


def test_a_pending_move_does_not_keep_its_view_alive():
    async def run():
        view = _View()
        coalescer, ref = view.coalescer, weakref.ref(view)
        coalescer.request(asyncio.get_running_loop())
        del view
        gc.collect()
        assert ref() is None and coalescer.pending is not None
        await asyncio.sleep(0.2)  # the move and the settle find the view gone: nothing to call

    asyncio.run(run())


def test_bad_arguments_are_named():
    with pytest.raises(TypeError, match="move must be a bound method of a view"):
        Coalescer(print, print, 0.1)
    view = _View()
    with pytest.raises(ValueError, match="seconds"):
        Coalescer(view.move, view.settle, -1)

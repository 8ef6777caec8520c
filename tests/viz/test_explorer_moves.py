"""The variance explorer's browser moves: exact rescaling, previews, the debounce timer."""

import asyncio

import numpy as np
import pytest

import nnlib.viz.variance_explorer as ve


@pytest.mark.parametrize("depth, width, rows", [(30, 512, 19), (10, 256, 200), (1, 32, 200), (30, 32, 200)])
def test_preview_rows_follow_the_multiply_add_budget(depth, width, rows):
    assert ve.preview_rows(depth, width, 1000) == rows
    assert ve.preview_rows(depth, width, 50) == min(rows, 50)
    assert ve.PREVIEW_ROWS[0] <= ve.preview_rows(200, 4096, 1000) == ve.PREVIEW_ROWS[0]


@pytest.fixture
def browser(monkeypatch):
    """Moves count as made in the browser (a comm message), as ipykernel would report them."""
    monkeypatch.setattr(ve, "_from_browser", lambda: True)


def settle():
    return asyncio.sleep(ve.SETTLE_SECONDS + 0.15)


@pytest.fixture
def calls(monkeypatch):
    """The full updates made (each call of VarianceExplorer.update)."""
    made, update = [], ve.VarianceExplorer.update

    def counted(self):
        made.append(1)
        return update(self)

    monkeypatch.setattr(ve.VarianceExplorer, "update", counted)
    return made


def test_a_drag_shows_previews_then_the_last_value_in_full(browser, calls):
    async def drag():
        explorer = ve.VarianceExplorer(activation="tanh", depth=30, width=512, n_samples=1000, rng=0)
        try:
            calls.clear()  # the first picture
            for s in (1.1, 1.3, 1.6, 2.0):
                explorer.scale.value = s
                shown = explorer.shown
                assert shown is not explorer.result and shown.weight_var == pytest.approx(s / 512)
                assert "preview from 19 of 1000 samples" in explorer.summary.value
                await asyncio.sleep(0.01)
            assert calls == []  # nothing stale queued: each move restarted the timer
            await settle()
            assert calls == [1]  # one full update, for the last value
            assert explorer.shown is explorer.result and explorer.result.weight_var == pytest.approx(2.0 / 512)
            assert "preview" not in explorer.summary.value
        finally:
            explorer.close()

    asyncio.run(drag())


def test_homogeneous_moves_show_the_full_result_on_axes_that_stay_put(browser):
    async def drag():
        explorer = ve.VarianceExplorer(activation="relu", depth=20, width=128, n_samples=400, rng=0)
        try:
            explorer.scale.value = 2.2  # the first move caches the pass
            await settle()
            full = explorer.live.full_renders
            for s in np.linspace(2.0, 2.4, 8):  # the top layer's variance grows 15-fold
                explorer.scale.value = float(s)
                assert explorer.shown is explorer.result  # exact, not a preview
                assert explorer.result.weight_var == pytest.approx(s / 128)
                await asyncio.sleep(0.01)
            assert explorer.live.full_renders <= full + 2  # data repainted, axes kept or widened ahead
            await settle()
            own = explorer._limits(explorer.result, moving=False)
            assert explorer._static_key == own  # once at rest: the axes fit the result
        finally:
            explorer.close()

    asyncio.run(drag())


def test_close_drops_a_pending_update(browser, calls):
    async def run():
        explorer = ve.VarianceExplorer(activation="tanh", depth=30, width=512, n_samples=1000, rng=0)
        calls.clear()
        explorer.scale.value = 1.4
        assert explorer._timer is not None
        explorer.close()
        await settle()  # the timer was cancelled: no update of a closed view
        assert calls == [] and explorer._timer is None

    asyncio.run(run())


def test_code_moves_are_full_and_immediate_even_with_a_loop_running():
    async def run():
        explorer = ve.VarianceExplorer(activation="tanh", depth=30, width=512, n_samples=1000, rng=0)
        try:
            explorer.scale.value = 1.7  # a notebook cell or a test: no ipykernel comm message
            assert explorer.shown is explorer.result and explorer._timer is None
            assert explorer.result.weight_var == pytest.approx(1.7 / 512)
        finally:
            explorer.close()

    asyncio.run(run())

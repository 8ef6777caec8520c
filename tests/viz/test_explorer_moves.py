"""The variance explorer's browser moves: exact rescaling, previews, the debounce timer."""

import asyncio
import io
import time

import numpy as np
import PIL.Image
import pytest

import nnlib.viz.variance_explorer as ve


# 1.5e8 multiply-adds / (2 depth width^2): 9.5 -> 8, 38.1 -> 32, 28.6 -> 24, 114 -> 112 (whole blocks of 8 rows)
@pytest.mark.parametrize("depth, width, rows", [(30, 512, 8), (30, 256, 32), (10, 512, 24), (10, 256, 112),
                                                (1, 32, 200), (30, 32, 200)])
def test_preview_rows_follow_the_multiply_add_budget(depth, width, rows):
    assert ve.preview_rows(depth, width, 1000) == rows
    assert ve.preview_rows(depth, width, 50) == min(rows, 50)
    assert ve.PREVIEW_ROWS[0] <= ve.preview_rows(200, 4096, 1000) == ve.PREVIEW_ROWS[0]


def test_a_preview_at_the_heaviest_setting_is_close_to_the_full_result():
    """8 of 1000 samples at depth 30 x width 512: every layer's variance within 35 % of the full
    result's (measured: at most 25 %; a factor 2 would be a bug), and the same, exact, theory."""
    explorer = ve.VarianceExplorer(activation="tanh", depth=30, width=512, rng=0)
    try:
        probe, _, _, depth = explorer._setting()
        assert explorer._preview_probe.n_samples == 8
        for activation in ("tanh", "sigmoid", "elu"):
            for scale in (0.5, 1.0, 2.0):
                full = ve.rescaled_run(probe, activation, scale / 512, depth, {})
                preview = ve.rescaled_run(explorer._preview_probe, activation, scale / 512, depth, {})
                for measured, exact in ((preview.activation_var, full.activation_var),
                                        (preview.grad_var, full.grad_var)):
                    np.testing.assert_allclose(measured, exact, rtol=0.35, err_msg=f"{activation} at {scale}")
                np.testing.assert_array_equal(preview.theory_activation_var, full.theory_activation_var)
                np.testing.assert_array_equal(preview.theory_grad_var, full.theory_grad_var)
    finally:
        explorer.close()


@pytest.fixture
def browser(monkeypatch):
    """Moves count as made in the browser (a comm message), as ipykernel would report them."""
    monkeypatch.setattr(ve, "_from_browser", lambda: True)


def settle():
    return asyncio.sleep(ve.SETTLE_SECONDS + 0.15)


def run_with(body, **settings):
    """Run the coroutine function ``body(explorer)`` under an event loop, as ipykernel runs a
    handler, on an explorer built with ``settings`` (seed 0) and closed afterwards."""
    async def run():
        explorer = ve.VarianceExplorer(rng=0, **settings)
        try:
            await body(explorer)
        finally:
            explorer.close()

    asyncio.run(run())


def drawn():
    """Let the event loop run the picture a browser move scheduled (the kernel is free at once)."""
    return asyncio.sleep(0)


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
    async def drag(explorer):
        calls.clear()  # the first picture
        for s in (1.1, 1.3, 1.6, 2.0):
            explorer.scale.value = s
            await drawn()
            shown = explorer.shown
            assert shown is not explorer.result and shown.weight_var == pytest.approx(s / 512)
            assert "preview from 8 of 1000 samples" in explorer.summary.value
            await asyncio.sleep(0.01)
        assert calls == []  # nothing stale queued: each move restarted the timer
        await settle()
        assert calls == [1]  # one full update, for the last value
        assert explorer.shown is explorer.result and explorer.result.weight_var == pytest.approx(2.0 / 512)
        assert "preview" not in explorer.summary.value

    run_with(drag, activation="tanh", depth=30, width=512, n_samples=1000)


def test_homogeneous_moves_show_the_full_result_on_axes_that_stay_put(browser):
    async def drag(explorer):
        explorer.scale.value = 2.2  # the first move caches the pass
        await settle()
        full = explorer.live.full_renders
        for s in np.linspace(2.0, 2.4, 8):  # the top layer's variance grows 15-fold
            explorer.scale.value = float(s)
            await drawn()
            assert explorer.shown is explorer.result  # exact, not a preview
            assert explorer.result.weight_var == pytest.approx(s / 128)
            await asyncio.sleep(0.01)
        assert explorer.live.full_renders <= full + 2  # data repainted, axes kept or widened ahead
        await settle()
        own = explorer._limits(explorer.result, moving=False)
        assert explorer._static_key == own  # once at rest: the axes fit the result

    run_with(drag, activation="relu", depth=20, width=128, n_samples=400)


def test_a_depth_drag_relabels_the_layers_it_shows(browser):
    """The layer numbers are an overlay kept between moves: each depth must draw its own."""
    async def drag(explorer):
        def panel(png):  # the activation histograms' panel, where the labels are
            box = explorer.live.axes[0, 0].get_window_extent()
            rows = slice(int(explorer.live.figure.bbox.height - box.y1), int(explorer.live.figure.bbox.height - box.y0))
            return np.asarray(PIL.Image.open(io.BytesIO(png)))[rows, int(box.x0):int(box.x1)]

        for depth in (29, 24, 17, 16, 9):
            explorer.depth.value = depth
            await drawn()
            labels = [t.get_text() for t in explorer._ridge_labels if t.get_text()]
            assert labels[0] == "1" and labels[-1] == str(depth)
            # (the whole pictures may differ: the variance panel's legend, placed "best", stays put
            # during a drag)
            assert np.array_equal(panel(bytes(explorer.live.image.value)), panel(explorer.live.render(full=True)))
            await asyncio.sleep(0.01)

    run_with(drag, activation="tanh", depth=30, width=32, n_samples=400)


def test_moves_that_arrive_together_draw_one_picture_of_the_last(browser, calls):
    async def drag(explorer):
        calls.clear()  # the first picture
        renders = explorer.live.renders
        for s in (1.1, 1.3, 1.6):  # the browser sent these while the kernel was busy
            explorer.scale.value = s
        assert explorer.live.renders == renders  # the handlers only scheduled the picture
        await drawn()
        assert explorer.live.renders == renders + 1  # one picture, of the latest value
        assert explorer.shown.weight_var == pytest.approx(1.6 / 64)
        await settle()
        assert calls == [1] and explorer.result.weight_var == pytest.approx(1.6 / 64)
        assert explorer.live.renders == renders + 2 and explorer.shown is explorer.result

    run_with(drag, activation="tanh", depth=30, width=64, n_samples=1000)


def test_a_slow_picture_does_not_set_off_the_full_result_before_the_next_move(browser, calls, monkeypatch):
    """A refit of the axes can take longer than SETTLE_SECONDS; the browser's next value, waiting
    meanwhile, must be drawn before the controls count as resting."""
    async def drag(explorer):
        calls.clear()
        loop, show = asyncio.get_running_loop(), explorer._show

        def slow_show(r, preview, moving=False):
            show(r, preview, moving)
            if moving and r.weight_var == pytest.approx(1.1 / 64):
                # the next value arrives meanwhile: a message, then the task that handles it
                loop.call_soon(loop.call_soon, setattr, explorer.scale, "value", 1.3)
                time.sleep(ve.SETTLE_SECONDS + 0.1)

        monkeypatch.setattr(explorer, "_show", slow_show)
        explorer.scale.value = 1.1
        await drawn()
        for _ in range(3):
            await asyncio.sleep(0)
        assert calls == [] and explorer.shown.weight_var == pytest.approx(1.3 / 64)
        await settle()
        assert calls == [1] and explorer.result.weight_var == pytest.approx(1.3 / 64)

    run_with(drag, activation="tanh", depth=30, width=64, n_samples=1000)


def test_close_drops_a_pending_update(browser, calls):
    async def run():
        explorer = ve.VarianceExplorer(activation="tanh", depth=30, width=64, n_samples=1000, rng=0)
        calls.clear()
        explorer.scale.value = 1.4
        assert explorer._moves.timer is not None and explorer._moves.pending is not None
        renders = explorer.live.renders
        explorer.close()
        await settle()  # the move and the timer were cancelled: nothing drawn on a closed view
        assert calls == [] and explorer._moves.timer is None and explorer._moves.pending is None
        assert explorer.live.renders == renders

    asyncio.run(run())


def test_code_moves_are_full_and_immediate_even_with_a_loop_running():
    async def run(explorer):
        explorer.scale.value = 1.7  # a notebook cell or a test: no ipykernel comm message
        assert explorer.shown is explorer.result and explorer._moves.timer is None
        assert explorer.result.weight_var == pytest.approx(1.7 / 64)

    run_with(run, activation="tanh", depth=30, width=64, n_samples=1000)

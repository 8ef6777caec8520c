"""The variance explorer: sliders over :class:`nnlib.experiments.propagation.SignalProbe`.

All computation happens in :meth:`SignalProbe.run`; this module only wires ipywidgets controls
to it and updates the artists of one :class:`nnlib.viz.LiveFigure` in place.

    explorer = VarianceExplorer(rng=0)
    explorer.widget          # display it in a notebook cell

A move made in the browser repaints as soon as the kernel is free from a preview, the first
:func:`preview_rows` samples, and once the controls rest for :data:`SETTLE_SECONDS` (a timer on
the kernel's event loop, restarted by every move: the last value wins) from all of them. The
handler of a move only schedules the picture, so the browser can send the next value while one is
drawn; the picture shows the latest value. For identity, relu and leaky_relu a change of scale
only rescales one cached pass (:func:`nnlib.experiments.rescaling.rescaled_run`), so such moves
show the full result at once (on axes fitted to it once the controls rest). Code that moves a
control (a notebook cell, a test) gets the full result at once, with no timer:
``explorer.scale.value = 2`` leaves ``explorer.result`` current.
"""

import asyncio
import sys
import time

import ipywidgets as w
import numpy as np
from matplotlib.legend_handler import HandlerTuple
from matplotlib.ticker import MaxNLocator
from threadpoolctl import threadpool_limits

from ..experiments.diagnostics import DEAD_RULE, SATURATION_RULE
from ..experiments.propagation import ACTIVATIONS, SignalProbe, check_probe_size, histogram_range
from ..experiments.rescaling import HOMOGENEOUS, rescaled_run
from ..initializers import weight_variance
from ..validation import check_choice, check_int, check_option, check_real, check_rng
from .coalesced import Coalescer
from .live_figure import LiveFigure
from .style import PALETTE
from .view import View, locked

#: Snap buttons: label -> scheme of :data:`nnlib.initializers.SCHEMES`.
SCHEMES = {"LeCun 1/n": "lecun", "Xavier 2/(n_in+n_out)": "xavier", "He 2/n": "he",
           "standard U[±1/√n]": "standard"}
N_RIDGES = 10
#: The controls' ranges: n Var(W) on the log slider, and the widths the dropdown offers.
SCALE_MIN, SCALE_MAX = 0.01, 100.0
WIDTHS = (32, 64, 128, 256, 512)
#: The picture's size: 960 x 432 pixels, drawn at the width a notebook column shows it.
DPI = 90
FIGSIZE = (960 / DPI, 432 / DPI)
#: A preview's passes do at most about PREVIEW_MACS multiply-adds on PREVIEW_ROWS = (fewest, most)
#: samples, a multiple of ROW_BLOCK, on one BLAS thread: a little slower alone, but twice as fast
#: when the browser shares the CPU (as on a laptop or Binder). The full result follows once the
#: controls rest SETTLE_SECONDS. At 30 x 512 that is 8 rows: about 15 ms for the pass, where 16
#: rows took 20 and 19 rows 26 (BLAS multiplies rows in blocks), on this project's 2-core machine.
PREVIEW_MACS = 1.5e8
PREVIEW_ROWS = (8, 200)
ROW_BLOCK = 8
SETTLE_SECONDS = 0.3
#: While the controls move, the axes are redrawn (some 200 ms) at most once per REFIT_SECONDS; in
#: between, data may run past them until the next refit or the full result.
REFIT_SECONDS = 2.0


def preview_rows(depth, width, n_samples):
    """How many samples a preview uses: as many as :data:`PREVIEW_MACS` allows, rounded down to a
    multiple of :data:`ROW_BLOCK`, within :data:`PREVIEW_ROWS` and at most ``n_samples``."""
    rows = int(PREVIEW_MACS // (2 * depth * width * width)) // ROW_BLOCK * ROW_BLOCK
    return int(min(max(rows, PREVIEW_ROWS[0]), PREVIEW_ROWS[1], n_samples))


def _from_browser():
    """True while the kernel answers a message from the browser (a slider dragged, a button
    clicked: a comm message); False for code moving a control (a notebook cell, a test)."""
    kernelbase = sys.modules.get("ipykernel.kernelbase")
    if kernelbase is None or not kernelbase.Kernel.initialized():
        return False
    parent = kernelbase.Kernel.instance().get_parent() or {}
    return parent.get("header", {}).get("msg_type") == "comm_msg"


def format_variance(value, underflow):
    """A measured variance as text: 3 significant digits, or "< 1e-38" below the dtype's ``underflow``."""
    return f"{value:.3g}" if value >= underflow else f"< {underflow:.0e}"


def _activation(value):
    name = check_choice(value, "activation", set(ACTIVATIONS) | {"linear"})
    return "identity" if name == "linear" else name


def _width(value):
    return check_option(check_int(value, "width"), "width", WIDTHS)


class VarianceExplorer(View):
    """Weight scale, activation, depth and width controls over one live figure.

    The slider sets :math:`n\\,\\operatorname{Var}(W)`, variance scaling's ``scale``
    (:data:`nnlib.initializers.SCHEMES`), on a log scale, so its meaning does not depend on the
    width: 1 is LeCun (and Xavier, the layers being square), 2 is He. Top: activation and gradient
    histograms of up to ten layers, bottom to top, over ranges that adapt to the signal. Bottom
    left: measured activation and gradient variance per layer (dots) against theory (lines); a
    float32 variance that underflowed (below 1.2e-38) is not drawn and reads "< 1e-38". Bottom
    right: the percentage of saturated (tanh/sigmoid) or dead (ReLU) units per layer.

    Parameters (each must lie in its control's range; nothing is clamped)
    ----------
    activation : one of :data:`nnlib.experiments.propagation.ACTIVATIONS` (or ``"linear"``).
    scale : float in [0.01, 100] -- :math:`n\\,\\operatorname{Var}(W)`.
    depth : int in [1, max_depth];  max_depth : int >= 1 -- the depth slider's end.
    width : one of 32, 64, 128, 256, 512;  n_samples : int >= 2 -- rows of the input batch.
    rng : np.random.Generator or int seed (required).
    """

    def __init__(self, activation="tanh", scale=1.0, depth=10, width=256, n_samples=1000,
                 max_depth=30, rng=None):
        activation = _activation(activation)
        scale = check_real(scale, "scale", minimum=SCALE_MIN, maximum=SCALE_MAX)
        max_depth = check_int(max_depth, "max_depth", minimum=1)
        depth = check_int(depth, "depth", minimum=1, maximum=max_depth)
        width = _width(width)
        n_samples = check_int(n_samples, "n_samples", minimum=2)
        check_rng(rng)  # kept as given: an int seed gives every width's probe the same draws
        check_probe_size(max_depth, max(WIDTHS), n_samples)  # the widest probe the dropdown can ask for
        self.rng, self.n_samples, self.max_depth = rng, n_samples, max_depth
        self.scale = w.FloatLogSlider(value=scale, base=10, min=np.log10(SCALE_MIN), max=np.log10(SCALE_MAX),
                                      step=0.01, description="n·Var(W)", readout_format=".3g", continuous_update=True)
        self.activation = w.Dropdown(options=list(ACTIVATIONS), value=activation, description="activation")
        self.depth = w.IntSlider(value=depth, min=1, max=max_depth, description="depth")
        self.width = w.Dropdown(options=list(WIDTHS), value=width, description="width")
        self.buttons = [w.Button(description=label, layout=w.Layout(width="auto")) for label in SCHEMES]
        for button in self.buttons:
            self.on_click(button, "_snap")
        self.summary = w.HTML()
        self.probe = self._preview_probe = None
        self._moves = Coalescer(self._move, self._settle, SETTLE_SECONDS)  # see _request
        self._build_figure()
        for control in (self.scale, self.activation, self.depth, self.width):
            self.observe(control, "_on_change")
        self.result = self.shown = None
        self._finish(w.VBox([
            w.HBox([self.scale, self.activation]),
            w.HBox([self.depth, self.width]),
            w.HBox([w.Label("snap to:")] + self.buttons),
            self.live.image,
            self.summary,
        ]))
        self.update()

    # ---------------------------------------------------------------- figure
    def _build_figure(self):
        # drawn at the size shown: FIGSIZE x DPI = 960 x 432 px, the width of a notebook column
        self.live = LiveFigure(2, 2, figsize=FIGSIZE, dpi=DPI, gridspec_kw={"width_ratios": [1.25, 1]})
        (ax_h, ax_g), (ax_v, ax_s) = self.live.axes
        ax_h.set_title("activation histograms, layer 1 (bottom) to top", fontsize=10)
        ax_g.set_title("gradient histograms $\\partial L/\\partial a_k$ (the gradient enters at the top)", fontsize=10)
        for ax in (ax_h, ax_g):
            ax.set_ylabel("layer")
            ax.set_yticks([])
            ax.grid(False)
            ax.xaxis.set_major_locator(MaxNLocator(5))
        self._ridges = [ax_h.plot([], [], drawstyle="steps-mid", color=PALETTE[0], lw=1)[0] for _ in range(N_RIDGES)]
        self._grad_ridges = [ax_g.plot([], [], drawstyle="steps-mid", color=PALETTE[1], lw=1)[0]
                             for _ in range(N_RIDGES)]
        # layer numbers on the left panel only: the right one's curves sit in the same rows. They
        # change with the depth only, so they are an overlay: drawn again only when the layers change
        self._ridge_labels = [ax_h.text(0, 0, "", fontsize=7, va="bottom", ha="left",
                                        transform=ax_h.get_yaxis_transform()) for _ in range(N_RIDGES)]
        ax_v.set_title("variance per layer: dots measured, lines theory", fontsize=10)
        ax_v.set_xlabel("layer $k$ (input at 1; the gradient enters at the last layer)")
        ax_v.set_ylabel("variance (log scale)")
        ax_v.set_yscale("log")
        (self._act_pts,) = ax_v.plot([], [], "o", ms=3, color=PALETTE[0])
        (self._act_th,) = ax_v.plot([], [], "-", color=PALETTE[0], lw=1, alpha=0.7)
        (self._grad_pts,) = ax_v.plot([], [], "s", ms=3, color=PALETTE[1])
        (self._grad_th,) = ax_v.plot([], [], "-", color=PALETTE[1], lw=1, alpha=0.7)
        ax_v.legend([(self._act_pts, self._act_th), (self._grad_pts, self._grad_th)],
                    ["activations $\\mathrm{Var}(h_k)$: measured, theory",
                     "gradients $\\mathrm{Var}(\\partial L/\\partial a_k)$: measured, theory"],
                    handler_map={tuple: HandlerTuple(ndivide=None)}, fontsize=7, loc="best")
        ax_s.set_title("saturated / dead units", fontsize=10)
        ax_s.set_xlabel("layer $k$")
        ax_s.set_ylabel("% of units")
        ax_s.set_ylim(-2, 102)
        (self._sat,) = ax_s.plot([], [], "o-", ms=3, color=PALETTE[4], label=f"saturated ({SATURATION_RULE})")
        (self._dead,) = ax_s.plot([], [], "s-", ms=3, color=PALETTE[3], label=f"dead ({DEAD_RULE})")
        ax_s.legend(fontsize=7, loc="upper left")
        self.live.figure.subplots_adjust(left=0.07, right=0.99, bottom=0.11, top=0.94, wspace=0.2, hspace=0.5)
        for ax in (ax_v, ax_s):
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        self.live.animate(*self._ridges, *self._grad_ridges, self._act_pts, self._act_th,
                          self._grad_pts, self._grad_th, self._sat, self._dead)
        self.live.overlay(*self._ridge_labels)
        self._static_key, self._refitted = None, -np.inf

    @staticmethod
    def _ridge(line, i, centers, density, clip_zero_spike):
        if clip_zero_spike and density[1:].max() > 0:  # ReLU's spike at 0 (half the mass) would flatten the rest
            density = np.minimum(density, density[1:].max())
        line.set_data(centers, i + 0.9 * density / max(density.max(), 1e-300))

    def _limits(self, r, moving):
        """The axis limits for ``r``: its own, or while the controls move the ones shown while ``r``
        fits them (then a move repaints only the data), else its own widened (few repaints a drag)."""
        measured = np.where(np.r_[r.activation_var, r.grad_var] >= r.underflow, np.r_[r.activation_var, r.grad_var], 0)
        values = np.concatenate([measured, r.theory_activation_var, r.theory_grad_var])
        values = values[values > 0]
        new = {"activation": r.activation, "ridges": min(N_RIDGES, r.depth), "depth": r.depth,
               "decades": (int(np.floor(np.log10(values.min()))), int(np.ceil(np.log10(values.max())))),
               "ranges": (tuple(r.hist_edges[[0, -1]]), tuple(r.grad_hist_edges[[0, -1]]))}
        old = self._static_key
        if not moving or old is None or old["activation"] != r.activation:
            return new
        new["ridges"] = max(new["ridges"], old["ridges"])
        if old["depth"] // 2 <= new["depth"] <= old["depth"]:
            new["depth"] = old["depth"]
        elif new["depth"] > old["depth"]:
            new["depth"] = self.max_depth
        (lo, hi), (o_lo, o_hi) = new["decades"], old["decades"]
        new["decades"] = (o_lo, o_hi) if o_lo <= lo and hi <= o_hi and hi - lo >= o_hi - o_lo - 6 else (lo - 2, hi + 2)
        ranges = []
        for (lo, hi), (o_lo, o_hi), bounds in zip(new["ranges"], old["ranges"],
                                                  (histogram_range(r.activation), (-np.inf, np.inf))):
            if o_lo <= lo and hi <= o_hi and 4 * (hi - lo) >= o_hi - o_lo:
                ranges.append((o_lo, o_hi))
            else:
                ranges.append((max(lo - (hi - lo), bounds[0]), min(hi + (hi - lo), bounds[1])))  # 3x: rare repaints
        new["ranges"] = tuple(ranges)
        return new

    def _draw(self, r, moving=False):
        (ax_h, ax_g), (ax_v, ax_s) = self.live.axes
        layers = np.unique(np.linspace(1, r.depth, min(N_RIDGES, r.depth)).round().astype(int))
        panels = ((self._ridges, r.hist_edges, r.hist, r.activation == "relu"),
                  (self._grad_ridges, r.grad_hist_edges, r.grad_hist, False))
        for lines, edges, hist, clip in panels:
            centers = (edges[:-1] + edges[1:]) / 2
            for i, line in enumerate(lines):
                if i < len(layers):
                    self._ridge(line, i, centers, hist[layers[i] - 1], clip)
                else:
                    line.set_data([], [])
        for i, label in enumerate(self._ridge_labels):
            label.set_text(f"{layers[i]}" if i < len(layers) else "")
            label.set_position((0.01, i + 0.05))
        k = np.arange(1, r.depth + 1)
        # a float32 variance below r.underflow is 0 or a denormal: not a measurement, not drawn
        act = np.where(r.activation_var >= r.underflow, r.activation_var, np.nan)
        grad = np.where(r.grad_var >= r.underflow, r.grad_var, np.nan)
        self._act_pts.set_data(k, act)
        self._act_th.set_data(k, r.theory_activation_var)
        self._grad_pts.set_data(k, grad)
        self._grad_th.set_data(k, r.theory_grad_var)
        self._sat.set_data(k, 100 * r.saturated)
        self._dead.set_data(k, 100 * r.dead)
        key = self._limits(r, moving)
        old = self._static_key
        if moving and old is not None and old["activation"] == key["activation"] \
                and time.monotonic() - self._refitted < REFIT_SECONDS:
            key = old  # a drag: keep the axes a little longer, so that moves stay quick
        if key != old:  # limits or labels change: repaint the background once
            self._refitted = time.monotonic()
            self._static_key = key
            for ax, (lo, hi) in zip((ax_h, ax_g), key["ranges"]):
                ax.set_xlim(lo, hi)
                ax.set_ylim(0, key["ridges"])
            ax_h.set_xlabel(f"{r.activation}(a), one curve per layer, each scaled to its peak"
                            + (" (spike at 0 clipped)" if r.activation == "relu" else ""), fontsize=8)
            ax_g.set_xlabel("$\\partial L/\\partial a_k$, one curve per layer, each scaled to its peak", fontsize=8)
            for ax in (ax_v, ax_s):
                ax.set_xlim(0.5, key["depth"] + 0.5)
            ax_v.set_ylim(10.0 ** (key["decades"][0] - 0.3), 10.0 ** (key["decades"][1] + 0.3))
        self.live.redraw(full=key != old, overlay=tuple(layers.tolist()))

    # ---------------------------------------------------------------- wiring
    def _on_change(self, change):
        if not self._syncing:
            self._request(_from_browser())

    def _snap(self, button):
        var = weight_variance(SCHEMES[button.description], self.width.value)
        from_browser = _from_browser()
        self._move_controls({self.scale: float(np.clip(var * self.width.value, SCALE_MIN, SCALE_MAX))})
        self._request(from_browser)  # one redraw

    def _request(self, from_browser):
        """A move from the browser, with an event loop running: the picture as soon as the kernel
        is free (a preview, or the full result where that is as quick), the full result once the
        controls rest (:class:`nnlib.viz.coalesced.Coalescer`). Otherwise: the full result now."""
        try:
            loop = asyncio.get_running_loop() if from_browser else None
        except RuntimeError:  # no event loop: nothing could run the timer
            loop = None
        self._check_open()
        if loop is None:
            self.update()
        else:
            self._moves.request(loop)

    def _move(self):
        """Draw the controls' setting while they move (the coalesced call of browser moves)."""
        if self.closed:  # closed from another thread just before this call
            return
        probe, activation, weight_var, depth = self._setting()
        cached = activation in HOMOGENEOUS and (activation, depth, np.dtype(np.float32)) in self._caches[0]
        if cached or self._preview_probe is None:  # the full result is as quick as a preview
            self.result = rescaled_run(probe, activation, weight_var, depth, self._caches[0])
            self._show(self.result, preview=False, moving=True)
        else:
            with threadpool_limits(1, user_api="blas"):  # see PREVIEW_MACS
                preview = rescaled_run(self._preview_probe, activation, weight_var, depth, self._caches[1])
            self._show(preview, preview=True, moving=True)

    def _settle(self):
        """Once the controls rest: the full result, on axes fitted to it."""
        if self.closed:
            return
        r = self.shown
        if self._moves.pending is None and r is self.result and (r.activation, r.weight_var, r.depth, r.width) \
                == self._controls():
            self._show(r, preview=False)  # the controls' full result, drawn during the move: refit its axes
        else:
            self.update()

    def _controls(self):
        """(activation, weight_var, depth, width) the controls ask for."""
        return self.activation.value, self.scale.value / self.width.value, self.depth.value, self.width.value

    def _setting(self):
        """(probe, activation, weight_var, depth) of the controls, the probe made for the width."""
        if self.probe is None or self.probe.width != self.width.value:
            self.probe = self._preview_probe = None  # the old width's arrays are freed first
            self._caches = ({}, {})  # rescaled_run's passes: the probe's, the preview's
            self.probe = SignalProbe(self.max_depth, self.width.value, self.n_samples, rng=self.rng)
            rows = preview_rows(self.max_depth, self.width.value, self.n_samples)
            self._preview_probe = self.probe.subset(rows) if rows < self.n_samples else None
        activation, weight_var, depth, _ = self._controls()
        return self.probe, activation, weight_var, depth

    @locked
    def set(self, activation=None, scale=None, depth=None, width=None):
        """Move the controls to these values (None keeps one) and redraw once; returns the result.

        Each value must lie in its control's range (see the class docstring): nothing is clamped.
        """
        self._check_open()
        values = {}
        if activation is not None:
            values[self.activation] = _activation(activation)
        if scale is not None:
            values[self.scale] = check_real(scale, "scale", minimum=SCALE_MIN, maximum=SCALE_MAX)
        if depth is not None:
            values[self.depth] = check_int(depth, "depth", minimum=1, maximum=self.max_depth)
        if width is not None:
            values[self.width] = _width(width)
        self._move_controls(values)  # one redraw for all the controls moved
        return self.update()

    @locked
    def update(self):
        """Recompute for the current control values and redraw, in full; returns the result.
        ``result`` is always such a full result; a preview (a move in the browser) is ``shown``."""
        self._check_open()
        self._moves.cancel()  # this is the result a pending move and the timer would have drawn
        probe, activation, weight_var, depth = self._setting()
        self.result = rescaled_run(probe, activation, weight_var, depth, self._caches[0])
        self._show(self.result, preview=False)
        return self.result

    def _show(self, r, preview, moving=False):
        """Draw ``r`` (a preview or a full result); while the controls move the axes stay put
        where ``r`` fits them, so a move repaints only the data."""
        self.shown = r  # what the figure shows: result, or a preview while the controls move
        self._draw(r, moving)
        note = (f"<i>preview from {self._preview_probe.n_samples} of {self.n_samples} samples</i>; "
                if preview else "")
        self.summary.value = note + (
            f"Var(W) = {r.weight_var:.3g} (σ = {np.sqrt(r.weight_var):.3g}); "
            f"last layer: activation variance {format_variance(r.activation_var[-1], r.underflow)}, "
            f"first layer gradient variance {format_variance(r.grad_var[0], r.underflow)} "
            f"(theory {r.theory_grad_var[0]:.3g}); "
            f"saturated {100 * r.saturated.max():.3g} %, dead {100 * r.dead.max():.3g} % (worst layer)"
        )

    @locked
    def close(self):
        """Close the widgets and the figure now, and drop a pending redraw."""
        if getattr(self, "_moves", None) is not None:  # (a constructor that failed early has none)
            self._moves.cancel()
        super().close()

"""The variance explorer: sliders over :class:`nnlib.experiments.propagation.SignalProbe`.

All computation happens in :meth:`SignalProbe.run`; this module only wires ipywidgets controls
to it and updates the artists of one :class:`nnlib.viz.LiveFigure` in place.

    explorer = VarianceExplorer(rng=0)
    explorer.widget          # display it in a notebook cell
"""

import ipywidgets as w
import numpy as np
from matplotlib.ticker import MaxNLocator

from ..experiments.diagnostics import DEAD_RULE, SATURATION_RULE
from ..experiments.propagation import ACTIVATIONS, SignalProbe, check_probe_size, histogram_range
from ..initializers import weight_variance
from ..validation import check_choice, check_int, check_option, check_real, check_rng
from .live_figure import LiveFigure
from .style import PALETTE
from .view import View

#: Snap buttons: label -> scheme of :data:`nnlib.initializers.SCHEMES`.
SCHEMES = {"LeCun 1/n": "lecun", "Xavier 2/(n_in+n_out)": "xavier", "He 2/n": "he",
           "standard U[±1/√n]": "standard"}
N_RIDGES = 10
#: The controls' ranges: n Var(W) on the log slider, and the widths the dropdown offers.
SCALE_MIN, SCALE_MAX = 0.01, 100.0
WIDTHS = (32, 64, 128, 256, 512)


def _activation(value):
    name = check_choice(value, "activation", set(ACTIVATIONS) | {"linear"})
    return "identity" if name == "linear" else name


def _width(value):
    return check_option(check_int(value, "width"), "width", WIDTHS)


class VarianceExplorer(View):
    """Weight scale, activation, depth and width controls over one live figure.

    The slider sets :math:`n\\,\\operatorname{Var}(W)`, variance scaling's ``scale``
    (:data:`nnlib.initializers.SCHEMES`), on a log scale, so its meaning does not depend on the
    width: 1 is LeCun (and Xavier, the layers being square), 2 is He. Left: activation histograms
    of up to ten layers, bottom to top. Middle: measured activation and gradient variance per
    layer (dots) against theory (lines). Right: the percentage of saturated (tanh/sigmoid) or
    dead (ReLU) units per layer.

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
        self.probe = None
        self._syncing = False
        self._build_figure()
        for control in (self.scale, self.activation, self.depth, self.width):
            self.observe(control, "_on_change")
        self.result = None
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
        self.live = LiveFigure(1, 3, figsize=(11, 3.6), dpi=80, gridspec_kw={"width_ratios": [1.1, 1.3, 1]})
        ax_h, ax_v, ax_s = self.live.axes
        ax_h.set_title("activation histograms")
        ax_h.set_ylabel("layer")
        ax_h.set_yticks([])
        self._ridges = [ax_h.plot([], [], drawstyle="steps-mid", color=PALETTE[0], lw=1)[0] for _ in range(N_RIDGES)]
        self._ridge_labels = [ax_h.text(0, 0, "", fontsize=7, va="bottom", ha="left") for _ in range(N_RIDGES)]
        ax_v.set_title("variance per layer")
        ax_v.set_xlabel("layer")
        ax_v.set_yscale("log")
        (self._act_pts,) = ax_v.plot([], [], "o", ms=3, color=PALETTE[0], label="activations, measured")
        (self._act_th,) = ax_v.plot([], [], "-", color=PALETTE[0], lw=1, alpha=0.7, label="activations, theory")
        (self._grad_pts,) = ax_v.plot([], [], "s", ms=3, color=PALETTE[1], label="gradients, measured")
        (self._grad_th,) = ax_v.plot([], [], "-", color=PALETTE[1], lw=1, alpha=0.7, label="gradients, theory")
        ax_v.legend(fontsize=7, loc="best")
        ax_s.set_title("saturated / dead units")
        ax_s.set_xlabel("layer")
        ax_s.set_ylabel("% of units")
        ax_s.set_ylim(-2, 102)
        (self._sat,) = ax_s.plot([], [], "o-", ms=3, color=PALETTE[4], label=f"saturated ({SATURATION_RULE})")
        (self._dead,) = ax_s.plot([], [], "s-", ms=3, color=PALETTE[3], label=f"dead ({DEAD_RULE})")
        ax_s.legend(fontsize=7, loc="upper left")
        self.live.figure.subplots_adjust(left=0.04, right=0.99, bottom=0.14, top=0.9, wspace=0.22)
        for ax in (ax_v, ax_s):
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        self.live.animate(*self._ridges, self._act_pts, self._act_th, self._grad_pts, self._grad_th,
                          self._sat, self._dead)
        self._static_key = None

    def _draw(self, r):
        ax_h, ax_v, ax_s = self.live.axes
        layers = np.unique(np.linspace(1, r.depth, min(N_RIDGES, r.depth)).round().astype(int))
        centers = (r.hist_edges[:-1] + r.hist_edges[1:]) / 2
        for i, line in enumerate(self._ridges):
            if i < len(layers):
                density = r.hist[layers[i] - 1]
                if r.activation == "relu":  # the spike at 0 (half the mass) would flatten the rest
                    density = np.minimum(density, density[1:].max())
                line.set_data(centers, i + 0.9 * density / max(density.max(), 1e-12))
            else:
                line.set_data([], [])
        k = np.arange(1, r.depth + 1)
        self._act_pts.set_data(k, r.activation_var)
        self._act_th.set_data(k, r.theory_activation_var)
        self._grad_pts.set_data(k, r.grad_var)
        self._grad_th.set_data(k, r.theory_grad_var)
        self._sat.set_data(k, 100 * r.saturated)
        self._dead.set_data(k, 100 * r.dead)
        values = np.concatenate([r.activation_var, r.grad_var, r.theory_activation_var, r.theory_grad_var])
        values = values[values > 0]
        decades = (int(np.floor(np.log10(values.min()))), int(np.ceil(np.log10(values.max()))))
        key = (r.activation, r.depth, decades)
        if key != self._static_key:  # limits or labels change: repaint the background once
            self._static_key = key
            for i, label in enumerate(self._ridge_labels):
                label.set_text(f"{layers[i]}" if i < len(layers) else "")
                label.set_position((centers[0], i + 0.05))
            lo, hi = histogram_range(r.activation)
            ax_h.set_xlim(lo, hi)
            ax_h.set_ylim(0, len(layers))
            ax_h.set_xlabel(f"{r.activation}(a), one curve per layer" + (", spike at 0 clipped" if r.activation == "relu" else ""))
            for ax in (ax_v, ax_s):
                ax.set_xlim(0.5, r.depth + 0.5)
            ax_v.set_ylim(10.0 ** (decades[0] - 0.3), 10.0 ** (decades[1] + 0.3))
            self.live.redraw(full=True)
        else:
            self.live.redraw()

    # ---------------------------------------------------------------- wiring
    def _on_change(self, change):
        if not self._syncing:
            self.update()

    def _snap(self, button):
        var = weight_variance(SCHEMES[button.description], self.width.value)
        self.scale.value = float(np.clip(var * self.width.value, SCALE_MIN, SCALE_MAX))

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
        self._syncing = True  # one redraw for all the controls moved
        try:
            for control, value in values.items():
                control.value = value
        finally:
            self._syncing = False
        return self.update()

    def update(self):
        """Recompute for the current control values and redraw; returns the result."""
        self._check_open()
        if self.probe is None or self.probe.width != self.width.value:
            self.probe = SignalProbe(self.max_depth, self.width.value, self.n_samples, rng=self.rng)
        weight_var = self.scale.value / self.width.value
        r = self.probe.run(self.activation.value, weight_var, self.depth.value, dtype=np.float32)
        self.result = r
        self._draw(r)
        self.summary.value = (
            f"Var(W) = {weight_var:.3g} (σ = {np.sqrt(weight_var):.3g}); "
            f"last layer: activation variance {r.activation_var[-1]:.3g}, "
            f"first layer gradient variance {r.grad_var[0]:.3g}; "
            f"saturated {100 * r.saturated.max():.3g} %, dead {100 * r.dead.max():.3g} % (worst layer)"
        )
        return r

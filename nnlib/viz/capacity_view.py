r"""An interactive view of capacity and regularization: a degree slider and a penalty slider.

The model is a ridge-regularized polynomial (see :mod:`nnlib.experiments.polynomials`): the
degree :math:`d` sets the capacity, the penalty :math:`\lambda` the regularization. Every
(degree, penalty) fit is computed once, when the view is built, by
:func:`nnlib.experiments.polynomials.polynomial_grid`; moving
a slider only swaps the data of a few lines and re-renders the figure, so it responds at once.

Panels: the fitted curve over the data; training and validation error against the degree at
the chosen :math:`\lambda`; the same errors against :math:`\lambda` at the chosen degree. The
figure is drawn at 960 px wide, the width a notebook column shows it at (not stretched).

Only the curves, the markers and the fit's title are repainted on an update (see
:meth:`nnlib.viz.LiveFigure.animate`), over a cached background holding the axes, the data and the
legends (below the axes, where no curve hides them): a repaint takes about 36 ms. The first
render waits until the picture is needed (:meth:`LiveFigure.show_static`, the widget, an update),
so showing a static picture and then the widget costs one full render.
The static sweep plot is :func:`nnlib.viz.plots.plot_sweep`.
"""

import ipywidgets
import numpy as np

from ..datasets import regression_target
from ..experiments import polynomials
from ..experiments.sweep import check_lambdas
from ..validation import check_int, check_interval, check_real
from .live_figure import LiveFigure
from .plots import plot_sweep  # noqa: F401  (its old home; one definition, in plots)
from .style import PALETTE
from .view import View, locked

#: The figure is drawn at the size a ~1000 px notebook column shows it: 960 x 351 pixels.
FIGSIZE, DPI = (32 / 3, 3.9), 90


def _label(lam):
    return "0" if lam == 0 else f"{lam:.2g}"


def _index(value, name, n):
    """An int in [0, n - 1] (a slider position), or an error naming ``name`` and the range."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an int in [0, {n - 1}], got {type(value).__name__} {value!r}")
    if not 0 <= value < n:
        raise ValueError(f"{name} must be an int in [0, {n - 1}], got {value!r}")
    return int(value)


def _lambda_index(lambdas, l2):
    l2 = check_real(l2, "l2", minimum=0.0)
    matches = np.flatnonzero(np.isclose(lambdas, l2, rtol=1e-9, atol=0.0))
    if len(matches) != 1:
        raise ValueError(f"l2 must be one of the lambdas {[_label(v) for v in lambdas]}, got {l2!r}")
    return int(matches[0])


class CapacityView(View):
    r"""Degree and :math:`\lambda` sliders over precomputed ridge polynomial fits.

    Parameters
    ----------
    x_train : (N,) or (N, 1);  y_train : (N,);  x_val : (M,) or (M, 1);  y_val : (M,)
    max_degree : int >= 1 -- the degree slider runs from 0 to this.
    lambdas : increasing list of at least 2 finite floats >= 0, one of them > 0, optional -- the
        penalty slider's stops; default 0 and 17 values from 1e-8 to 1 (half a decade apart).
    degree, l2 : the initial slider values (``degree`` in [0, max_degree], ``l2`` one of ``lambdas``).
    noise : float > 0, optional -- standard deviation of the data's noise; draws the floor
        :math:`\sigma^2` that no model can beat on new data.
    domain : (low, high), finite -- the x range of the features and of the plotted curves.

    Attributes
    ----------
    grid : :class:`nnlib.experiments.polynomials.PolynomialGrid` -- every fit, computed up front.
    live : :class:`nnlib.viz.LiveFigure`
    degree_slider, lambda_slider : the controls (``lambda_slider.value`` is an index into ``lambdas``).
    widget : ipywidgets.VBox -- display this.
    """

    def __init__(self, x_train, y_train, x_val, y_val, max_degree=12, lambdas=None, degree=3, l2=0.0,
                 noise=None, domain=(0.0, 1.0)):
        max_degree = check_int(max_degree, "max_degree", minimum=1)
        if lambdas is None:
            lambdas = np.concatenate([[0.0], np.logspace(-8, 0, 17)])
        lambdas = check_lambdas(lambdas)
        if len(lambdas) < 2 or np.any(np.diff(lambdas) <= 0):
            raise ValueError(f"lambdas must be at least 2 increasing penalties >= 0, got {lambdas!r}")
        if not np.any(lambdas > 0):
            raise ValueError("lambdas must contain a positive penalty")
        degree = _index(degree, "degree", max_degree + 1)
        lambda_index = _lambda_index(lambdas, l2)
        if noise is not None:
            noise = check_real(noise, "noise", minimum=0.0, min_inclusive=False)
        domain = check_interval(domain, "domain")
        self.x_plot = np.linspace(domain[0], domain[1], 200)
        self.grid = polynomials.polynomial_grid(x_train, y_train, x_val, y_val, range(max_degree + 1), lambdas,
                                             x_plot=self.x_plot, domain=domain)  # validates the data
        self._x_train, self._y_train = np.ravel(x_train).astype(float), np.asarray(y_train, dtype=float)
        self._x_val, self._y_val = np.ravel(x_val).astype(float), np.asarray(y_val, dtype=float)
        self.noise = noise
        self._positive = np.flatnonzero(lambdas > 0)
        zero = np.flatnonzero(lambdas == 0)
        self._zero = int(zero[0]) if len(zero) else None

        self.live = LiveFigure(1, 3, figsize=FIGSIZE, dpi=DPI)
        self._build_artists()
        self.degree_slider = ipywidgets.IntSlider(value=degree, min=0, max=max_degree,
                                                  description="degree d", continuous_update=True)
        self.lambda_slider = ipywidgets.SelectionSlider(
            options=[(_label(v), j) for j, v in enumerate(lambdas)], value=lambda_index,
            description="penalty λ", continuous_update=True)
        self.observe(self.degree_slider, "_on_change")
        self.observe(self.lambda_slider, "_on_change")
        self._finish(ipywidgets.VBox([ipywidgets.HBox([self.degree_slider, self.lambda_slider]), self.live.image]))
        self._show(degree, lambda_index)
        self.live.figure.tight_layout()  # now that the titles exist
        # No render yet: the first one happens when the picture is first needed (show_static, the
        # widget, an update), so a notebook that shows a static picture and then the widget pays for
        # one full render, not two (the widget then blits over the background show_static cached).

    @property
    def widget(self):
        """The controls and the live image (ipywidgets.VBox), ready to display; its image is painted
        on first access."""
        if not self.live.closed and not self.live.image.value:
            self.live.redraw()  # a blit if show_static already rendered the background, else a full render
        return self._widget

    @widget.setter
    def widget(self, value):
        self._widget = value

    # ------------------------------------------------------------------ figure
    def _build_artists(self):
        ax_fit, ax_deg, ax_lam = self.live.axes
        g = self.grid
        ax_fit.scatter(self._x_val, self._y_val, s=6, color=PALETTE[5], alpha=0.5, label="validation data")
        ax_fit.scatter(self._x_train, self._y_train, s=22, color=PALETTE[0], zorder=3, label="training data")
        ax_fit.plot(self.x_plot, regression_target(self.x_plot), color="black", linestyle="--", linewidth=1,
                    label=r"truth $\sin 2\pi x$")
        (self._fit_line,) = ax_fit.plot(self.x_plot, g.curves[0, 0], color=PALETTE[1], linewidth=2, label="fit")
        ax_fit.set_ylim(-2.0, 2.0)
        ax_fit.set_xlabel("input x (unitless)")
        ax_fit.set_ylabel("target y (unitless)")

        finite = np.concatenate([g.train.ravel(), g.val.ravel()])
        finite = finite[np.isfinite(finite) & (finite > 0)]
        lo = max(finite.min(), 1e-4) / 2
        hi = min(finite.max(), 1e4) * 2
        (self._deg_train,) = ax_deg.plot(g.degrees, g.train[:, 0], "o-", color=PALETTE[0], markersize=4, label="training")
        (self._deg_val,) = ax_deg.plot(g.degrees, g.val[:, 0], "s-", color=PALETTE[1], markersize=4, label="validation")
        self._deg_marker = ax_deg.axvline(0, color="grey", linewidth=1)
        ax_deg.set_yscale("log")
        ax_deg.set_ylim(lo, hi)
        ax_deg.set_xlabel("polynomial degree d (capacity)")
        ax_deg.set_ylabel("mean squared error (y units²)")
        ax_deg.set_title("error against degree, at the chosen λ", fontsize="medium")  # static: the
        # grey line marks the chosen degree; one changing title (the fit's) keeps a repaint cheap

        lam = g.lambdas[self._positive]
        (self._lam_train,) = ax_lam.plot(lam, g.train[0, self._positive], "o-", color=PALETTE[0], markersize=3, label="training")
        (self._lam_val,) = ax_lam.plot(lam, g.val[0, self._positive], "s-", color=PALETTE[1], markersize=3, label="validation")
        self._lam_marker = ax_lam.axvline(lam[0], color="grey", linewidth=1)
        self._zero_train = self._zero_val = None
        if self._zero is not None:
            self._zero_train = ax_lam.axhline(1.0, color=PALETTE[0], linestyle=":", linewidth=1.2, label="training, λ = 0")
            self._zero_val = ax_lam.axhline(1.0, color=PALETTE[1], linestyle=":", linewidth=1.2, label="validation, λ = 0")
        ax_lam.set_xscale("log")
        ax_lam.set_yscale("log")
        ax_lam.set_ylim(lo, hi)
        ax_lam.set_xlabel("penalty λ (regularization)")
        ax_lam.set_ylabel("mean squared error (y units²)")
        ax_lam.set_title("error against λ, at the chosen degree", fontsize="medium")
        if self.noise is not None:
            for ax in (ax_deg, ax_lam):
                ax.axhline(self.noise ** 2, color=PALETTE[2], linestyle="--", linewidth=1, label=r"noise floor $\sigma^2$")
        # Legends sit below the axes, in the cached background: no curve can hide them, and an
        # update need not repaint them (legends were most of the cost of a repaint).
        for ax in (ax_fit, ax_deg, ax_lam):
            ax.legend(fontsize="x-small", loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=2, frameon=False)
        # Everything an update changes is repainted over the cached background (blitting).
        changing = [self._fit_line, self._deg_train, self._deg_val, self._deg_marker, self._lam_train,
                    self._lam_val, self._lam_marker, ax_fit.title]
        if self._zero is not None:
            changing += [self._zero_train, self._zero_val]
        self.live.animate(*changing)

    @locked
    def update(self, degree, lambda_index):
        """Show the fit of ``degree`` with penalty ``lambdas[lambda_index]``, move the sliders there
        and redraw (no new figure). Both are ints: a degree in [0, max_degree], an index into ``lambdas``."""
        self._check_open()
        i = _index(degree, "degree", len(self.grid.degrees))
        j = _index(lambda_index, "lambda_index", len(self.grid.lambdas))
        self._show(i, j)
        self._move_controls({self.degree_slider: i, self.lambda_slider: j})  # without a second redraw
        if self.live.image.value:  # not painted yet: the first paint (widget, show_static) shows this state
            self.live.redraw()

    def _show(self, i, j):
        """Set every artist to degree index ``i`` and penalty index ``j`` (checked), without drawing."""
        g = self.grid
        ax_fit, ax_deg, ax_lam = self.live.axes
        lam = g.lambdas[j]
        self._fit_line.set_ydata(g.curves[i, j])
        ax_fit.set_title(f"fit: degree {i}, λ = {_label(lam)}\ntrain MSE {g.train[i, j]:.3g}, val MSE {g.val[i, j]:.3g}",
                         fontsize="medium")
        self._deg_train.set_ydata(g.train[:, j])
        self._deg_val.set_ydata(g.val[:, j])
        self._deg_marker.set_xdata([i, i])
        self._lam_train.set_ydata(g.train[i, self._positive])
        self._lam_val.set_ydata(g.val[i, self._positive])
        if lam > 0:
            self._lam_marker.set_xdata([lam, lam])
        self._lam_marker.set_visible(lam > 0)
        if self._zero is not None:
            self._zero_train.set_ydata([g.train[i, self._zero]] * 2)
            self._zero_val.set_ydata([g.val[i, self._zero]] * 2)

    def _on_change(self, change):
        if not self._syncing:
            self.update(self.degree_slider.value, self.lambda_slider.value)

    @locked
    def set(self, degree=None, l2=None):
        """Move the sliders (and so the figure) to ``degree`` and penalty ``l2`` (one of ``lambdas``);
        None keeps the current one."""
        self._check_open()
        j = self.lambda_slider.value if l2 is None else _lambda_index(self.grid.lambdas, l2)
        i = self.degree_slider.value if degree is None else _index(degree, "degree", len(self.grid.degrees))
        self.update(i, j)

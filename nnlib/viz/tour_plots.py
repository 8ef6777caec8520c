"""Static figures of notebook ``00_training_tour``; each returns a new Figure (not registered with
pyplot: display it with :func:`nnlib.viz.display.show`).

- :func:`plot_activations` -- the activations of :mod:`nnlib.activations` and their derivatives;
- :func:`plot_condition_sweep` -- steps to a target against the condition number;
- :func:`plot_l1_paths` -- the weights of irrelevant features under subgradient and proximal L1 steps.
"""

import numpy as np
from matplotlib.figure import Figure

from .. import activations
from ..experiments.optimization import ConditionSweep
from ..validation import as_float_array, check_int, check_real
from .arguments import check_list
from .style import PALETTE

STYLES = ["-", "--", "-.", ":", (0, (5, 1, 1, 1)), (0, (1, 1))]


def plot_activations(names=("sigmoid", "tanh", "relu", "leaky_relu", "elu"), a_range=4.0, leaky_alpha=0.1):
    """Left: :math:`g(a)` of each activation in ``names``; right: :math:`g'(a)`, both on
    :math:`[-a_\\text{range}, a_\\text{range}]`, computed by :mod:`nnlib.activations`. Leaky ReLU is
    drawn with slope ``leaky_alpha`` (default 0.1, larger than the library's 0.01, so that it shows)."""
    names = check_list(names, "names", "activation names")
    for name in names:
        activations.get(name)  # a ValueError naming the activation for an unknown one
    leaky_alpha = check_real(leaky_alpha, "leaky_alpha", minimum=0.0, maximum=1.0)
    if not isinstance(a_range, (int, float)) or not 0 < a_range < 100:
        raise ValueError(f"a_range must be a number in (0, 100), got {a_range!r}")
    a = np.linspace(-a_range, a_range, 401)
    fig = Figure(figsize=(10, 3.8))
    ax_f, ax_d = fig.subplots(1, 2)
    for i, name in enumerate(names):
        act = activations.get(name, alpha=leaky_alpha) if name == "leaky_relu" else activations.get(name)
        h = act.forward(a)
        label = f"leaky_relu (α = {leaky_alpha:g})" if name == "leaky_relu" else name
        style = dict(color=PALETTE[i % len(PALETTE)], ls=STYLES[i % len(STYLES)], lw=1.8, label=label)
        ax_f.plot(a, h, **style)
        ax_d.plot(a, act.derivative(a, h), **style)
    ax_f.set(xlabel="pre-activation $a$", ylabel="$g(a)$", title="activation functions", ylim=(-1.5, 3))
    ax_d.set(xlabel="pre-activation $a$", ylabel="$g'(a)$", title="their derivatives", ylim=(-0.1, 1.15))
    ax_f.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    return fig


def plot_condition_sweep(sweep):
    """Steps to the target against :math:`\\kappa` (log-log) for the three optimizers of a
    :class:`~nnlib.experiments.optimization.ConditionSweep`, with the slopes 1 and 1/2 for reference."""
    if not isinstance(sweep, ConditionSweep):
        raise TypeError(f"sweep must be a ConditionSweep (steps_against_condition), got {type(sweep).__name__}")
    fig = Figure(figsize=(7, 4.2))
    ax = fig.subplots()
    k = sweep.kappas
    series = [("plain gradient descent", sweep.gd, "o"), (f"momentum, fixed β = {sweep.momentum:g}", sweep.fixed, "s"),
              ("momentum, β tuned to κ", sweep.tuned, "^")]
    for i, (label, steps, marker) in enumerate(series):
        ok = np.isfinite(steps)
        ax.plot(k[ok], steps[ok], marker=marker, color=PALETTE[i], ls=STYLES[i], lw=1.8, label=label)
    ax.plot(k, sweep.gd[-1] * k / k[-1], color="grey", lw=0.8, ls=":", label="slope 1 (∝ κ)")
    ax.plot(k, sweep.tuned[-1] * np.sqrt(k / k[-1]), color="grey", lw=0.8, ls="--", label="slope 1/2 (∝ √κ)")
    ax.set(xscale="log", yscale="log", xlabel="condition number κ", ylabel="steps to the target",
           title=f"steps to shrink the error {1 / sweep.tol:.0f}-fold against κ")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def plot_l1_paths(subgradient, proximal, relevant):
    """The irrelevant features' weights (those not in the first ``relevant`` columns) along the
    two L1 runs of :func:`nnlib.experiments.optimization.l1_paths`, arrays (T + 1, D), symlog scale."""
    sub = as_float_array(subgradient, "subgradient", ndim=2)
    prox = as_float_array(proximal, "proximal", ndim=2)
    if sub.shape != prox.shape:
        raise ValueError(f"subgradient and proximal must have the same shape, got {sub.shape} and {prox.shape}")
    relevant = check_int(relevant, "relevant", minimum=0, maximum=sub.shape[1] - 1)
    fig = Figure(figsize=(10, 3.6))
    axes = fig.subplots(1, 2, sharey=True)
    for ax, path, title in zip(axes, (sub, prox), ("subgradient steps", "proximal steps (soft threshold)")):
        ax.plot(path[:, relevant:], lw=1.0)
        ax.set(xlabel="gradient-descent step", title=title, yscale="symlog")
        ax.set_yscale("symlog", linthresh=1e-3)
    axes[0].set_ylabel("weights of the irrelevant features")
    fig.tight_layout()
    return fig

"""Static plots of notebook 06's results (:mod:`nnlib.experiments.deep_training`): per-layer
profiles, loss curves of deep runs, and sweeps with and without batch norm.

Each function draws on an Axes it is given and returns it; labels and titles are arguments.
"""

import numpy as np

from ..experiments.deep_training import DeepRun, LayerProfile, SettingSweep
from ..validation import check_bool, check_choice
from .arguments import check_ax, check_text
from .style import PALETTE

#: Colours of the two settings every figure of notebook 06 compares.
SETTING_COLORS = {"plain": PALETTE[1], "batch norm": PALETTE[0]}
PROFILE_FIELDS = ("linear_std", "pre_activation_std", "activation_std", "grad_W_std")


def _check_dict(value, name, kind, what):
    if not isinstance(value, dict) or not value:
        raise TypeError(f"{name} must be a non-empty dict label -> {what}, got {type(value).__name__}")
    for label, item in value.items():
        check_text(label, f"the labels of {name}")
        if not isinstance(item, kind):
            raise TypeError(f"{name}[{label!r}] must be a {what}, got {type(item).__name__}")
    return value


def _color(label, k):
    return SETTING_COLORS.get(label, PALETTE[(k + 2) % len(PALETTE)])


def plot_profiles(ax, profiles, field, ylabel, title=None, colors=None):
    """One curve per :class:`~nnlib.experiments.deep_training.LayerProfile` of ``profiles`` (a dict
    label -> profile): ``field`` (one of :data:`PROFILE_FIELDS`) against the layer, log y axis.
    ``colors``, optional, maps labels to colours (default: plain vermillion, batch norm blue)."""
    check_ax(ax)
    _check_dict(profiles, "profiles", LayerProfile, "LayerProfile")
    field = check_choice(field, "field", PROFILE_FIELDS)
    check_text(ylabel, "ylabel")
    check_text(title, "title", optional=True)
    if colors is not None and not isinstance(colors, dict):
        raise TypeError(f"colors must be a dict label -> colour or None, got {type(colors).__name__}")
    for k, (label, profile) in enumerate(profiles.items()):
        values = getattr(profile, field)
        color = (colors or {}).get(label, _color(label, k))
        ax.plot(np.arange(1, len(values) + 1), values, "o-", ms=3, color=color, label=label)
    ax.set_yscale("log")
    ax.set_xlabel("layer (the last point of dL/dW is the output layer)" if field == "grad_W_std" else "hidden layer")
    ax.set_ylabel(ylabel)
    if title is not None:
        ax.set_title(title)
    ax.legend(fontsize="small")
    return ax


def plot_runs(ax, runs, title=None, loss_max=1.0):
    """Training loss per epoch of each :class:`~nnlib.experiments.deep_training.DeepRun` of ``runs``
    (label -> run), with a dotted line at log 2, the loss of a coin flip over two classes."""
    check_ax(ax)
    _check_dict(runs, "runs", DeepRun, "DeepRun")
    check_text(title, "title", optional=True)
    for k, (label, run) in enumerate(runs.items()):
        loss = run.history.loss
        ax.plot(np.arange(1, len(loss) + 1), loss, "-", color=PALETTE[k % len(PALETTE)], label=label)
    ax.axhline(np.log(2), color="0.4", ls=":", lw=1, label="log 2 (chance)")
    ax.set_ylim(0, loss_max)
    ax.set_xlabel("epoch")
    ax.set_ylabel("mean training loss (nats)")
    if title is not None:
        ax.set_title(title)
    ax.legend(fontsize="small")
    return ax


def plot_setting_sweep(ax, sweep, xlabel, title=None, accuracy=False):
    """Final training loss (or accuracy) against the swept setting (log x axis), plain and with
    batch norm; a run that diverged is drawn as a cross at the top of the axes."""
    check_ax(ax)
    if not isinstance(sweep, SettingSweep):
        raise TypeError(f"sweep must be a SettingSweep (from scale_sweep or lr_sweep), got {type(sweep).__name__}")
    check_text(xlabel, "xlabel")
    check_text(title, "title", optional=True)
    accuracy = check_bool(accuracy, "accuracy")
    values = sweep.accuracy if accuracy else sweep.loss
    top = 1.05 if accuracy else 1.0
    for label, ys in values.items():
        color, blew = SETTING_COLORS.get(label, PALETTE[2]), sweep.diverged[label]
        ax.plot(sweep.values, np.where(blew, np.nan, ys), "o-", color=color, label=label)
        if blew.any():
            ax.plot(sweep.values[blew], np.full(blew.sum(), 0.97 * top), "x", ms=9, mew=2, color=color,
                    label=f"{label}: diverged")
    if not accuracy:
        ax.axhline(np.log(2), color="0.4", ls=":", lw=1, label="log 2 (chance)")
    ax.set_xscale("log")
    ax.set_ylim(0, top)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("final training accuracy" if accuracy else "final training loss (nats)")
    if title is not None:
        ax.set_title(title)
    ax.legend(fontsize="small")
    return ax

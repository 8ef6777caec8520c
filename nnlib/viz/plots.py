"""Static plots: each function draws results (not models it would have to train) on a
matplotlib Axes you pass in, or returns a new Figure, and keeps no pyplot state.

- :func:`plot_decision_boundary` -- the class regions of a 2-D classifier with the data;
- :func:`draw_descent` -- contours of a 2-parameter objective with optimizer paths;
- :func:`plot_layer_histograms`, :func:`plot_update_ratios` -- per-layer diagnostics;
- :func:`plot_sweep` -- training and validation error along a sweep;
- :func:`plot_units`, :func:`plot_comparison` -- units and runs of notebook 01.
"""

import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ..datasets import grid
from ..experiments.descent import Path
from ..experiments.diagnostics import UPDATE_RATIO_RULE_OF_THUMB
from ..experiments.init_comparison import InitComparison
from ..experiments.objectives import check_point, loss_surface
from ..experiments.sweep import Sweep
from ..mlp import check_net
from ..validation import as_float_array, check_bool, check_int, check_real, check_real_dtype
from .arguments import check_ax, check_color, check_levels, check_list, check_text
from .style import PALETTE, PROBABILITY_CMAP, WEIGHT_CMAP, layer_colors

#: Colours (Okabe & Ito without the sky blue, too close to the blue) and line styles of the runs of a comparison.
CURVE_COLORS, CURVE_STYLES = [PALETTE[i] for i in (0, 1, 2, 3, 4, 7)], ["-", "--", ":", "-.", (0, (5, 1, 1, 1)), "-"]


def _check_classifier_2d(net):
    check_net(net)
    if net.sizes[0] != 2:
        raise ValueError(f"net must have 2 inputs to be drawn on the plane, got sizes {net.sizes}")
    if net.output == "identity":
        raise ValueError("net must be a classifier (softmax or sigmoid output) to draw class regions, "
                         "got output='identity'")
    return net


def grid_probabilities(net, X, resolution=150, margin=0.5):
    """Evaluate a 2-D classifier on a regular grid covering ``X``.

    Parameters
    ----------
    net : MLP with 2 inputs and a softmax or sigmoid output.
    X : (N, 2) -- the data the grid must cover (plus ``margin`` on every side).
    resolution : int -- grid points per axis.

    Returns
    -------
    xx, yy : (resolution, resolution) grid coordinates
    labels : (resolution, resolution) predicted class at each grid point
    """
    _check_classifier_2d(net)
    xx, yy, points = grid(X, resolution, margin)
    return xx, yy, net.predict(points).reshape(xx.shape)


def plot_decision_boundary(ax, net, X, y, resolution=150, title=None):
    """Shade the regions a 2-D classifier assigns to each class and scatter the data on top.

    ax : matplotlib Axes;  net : MLP with 2 inputs;  X : (N, 2);  y : (N,) integer labels.
    Returns ``ax``.
    """
    check_ax(ax)
    _check_classifier_2d(net)
    check_text(title, "title", optional=True)
    X, y = net.check_data(X, y)
    y = np.ravel(y).astype(np.int64)  # sigmoid targets come back as a (N, 1) column of 0.0 / 1.0
    xx, yy, labels = grid_probabilities(net, X, resolution)
    n_classes = int(max(labels.max(), y.max())) + 1
    cmap = ListedColormap(PALETTE[:n_classes])
    ax.contourf(xx, yy, labels, levels=np.arange(n_classes + 1) - 0.5, cmap=cmap, alpha=0.25)
    for c in range(n_classes):
        pts = X[y == c]
        ax.scatter(pts[:, 0], pts[:, 1], s=12, color=PALETTE[c], edgecolor="white", linewidth=0.4,
                   label=f"class {c}")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_xlim(xx.min(), xx.max())
    ax.set_ylim(yy.min(), yy.max())
    if title is not None:
        ax.set_title(title)
    return ax


def draw_descent(ax, objective, w1, w2, paths=(), labels=(), colors=None, levels=None,
                 minimum=None, contour_color="0.6"):
    r"""Contours of a 2-parameter objective on ``ax`` with optimizer paths drawn on top.

    Parameters
    ----------
    ax : matplotlib Axes.
    objective : a 2-parameter objective (or ``loss(W)``, W (..., 2) -> (...)).
    w1, w2 : ndarray, shapes (R1,), (R2,) -- grid values of the two parameters.
    paths : sequence of :class:`Path` or of arrays (T + 1, 2).
    labels : sequence of str, one per path (legend entries).
    colors : sequence of colours, one per path (default: :data:`nnlib.viz.style.PALETTE`).
    levels : int or increasing sequence -- contour levels. Default: 12 levels spaced
        geometrically above the grid's smallest loss, the usual view of a valley.
    minimum : ndarray, shape (2,), optional -- marked with a star.
    contour_color : colour of the contour lines (default mid grey, under coloured paths).

    Returns
    -------
    contours : the ``ContourSet``;  lines : list of ``Line2D``, one per path.
    """
    check_ax(ax)
    paths = check_list(paths, "paths", "Path objects or (T + 1, 2) arrays", Path)
    labels = check_list(labels, "labels", "strings, one per path")
    if len(labels) > len(paths):
        raise ValueError(f"labels must have at most one per path: got {len(labels)} labels for {len(paths)} paths")
    for k, label in enumerate(labels):
        check_text(label, f"labels[{k}]", optional=True)
    colors = PALETTE if colors is None else check_list(colors, "colors", "matplotlib colours, one per path")
    if not colors:
        raise ValueError("colors must not be empty: pass one colour per path, or None for the palette")
    for k, color in enumerate(colors):
        check_color(color, f"colors[{k}]")
    check_color(contour_color, "contour_color")
    levels = check_levels(levels)
    arrays = []
    for k, path in enumerate(paths):
        name = f"paths[{k}].params" if isinstance(path, Path) else f"paths[{k}]"
        P = as_float_array(path.params if isinstance(path, Path) else path, name, ndim=2)
        if P.shape[1] != 2:
            raise ValueError(f"{name} must have 2 columns (w1, w2), got shape {P.shape}")
        arrays.append(P)
    m = None if minimum is None else check_point(minimum, "minimum", 2)
    W1, W2, L = loss_surface(objective, w1, w2)
    if levels is None:
        low = L.min()
        levels = low + (L.max() - low) * np.geomspace(1e-3, 1.0, 12)
        if not np.all(np.diff(levels) > 0):
            raise ValueError(f"the objective is constant on the grid (loss {low:.3g} everywhere, up to rounding): "
                             "no contours to draw; widen w1 and w2 or pass levels")
    contours = ax.contour(W1, W2, L, levels=levels, colors=contour_color, linewidths=0.8)
    lines = []
    for k, P in enumerate(arrays):
        label = labels[k] if k < len(labels) else None
        (line,) = ax.plot(P[:, 0], P[:, 1], "o-", color=colors[k % len(colors)], markersize=2.5,
                          linewidth=1.2, label=label)
        lines.append(line)
    if m is not None:
        ax.plot(m[0], m[1], "*", color="black", markersize=11, label="minimum", zorder=5)
    ax.set_xlim(W1[0, 0], W1[0, -1])
    ax.set_ylim(W2[0, 0], W2[-1, 0])
    return contours, lines


def plot_layer_histograms(ax, edges, density, xlabel, title=None, legend=True):
    """Draw per-layer histograms from :func:`layer_histograms` as step curves, one colour per layer.

    ax : matplotlib Axes;  edges : (bins + 1,);  density : (n_hidden, bins);  xlabel : str.
    Layer 1 is the darkest colour, the last hidden layer the lightest. ``legend=True`` puts the
    layer legend to the right of the axes, where it hides no curve. Returns ``ax``.
    """
    check_ax(ax)
    edges = as_float_array(edges, "edges", ndim=1)
    if len(edges) < 2 or np.any(np.diff(edges) <= 0):
        raise ValueError(f"edges must be increasing, at least 2 bin edges, got {edges}")
    density = as_float_array(density, "density", ndim=2)
    if density.shape[1] != len(edges) - 1:
        raise ValueError(f"density must have len(edges) - 1 = {len(edges) - 1} columns, got shape {density.shape}")
    if density.min() < 0:
        raise ValueError(f"density must be >= 0 (a histogram), got a smallest value {density.min():.3g}")
    check_text(xlabel, "xlabel")
    check_text(title, "title", optional=True)
    legend = check_bool(legend, "legend")
    for k, (row, color) in enumerate(zip(density, layer_colors(len(density))), start=1):
        ax.stairs(row, edges, color=color, linewidth=1.4, label=f"layer {k}")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("density (1 / unit of x)")
    if title is not None:
        ax.set_title(title)
    if legend:
        ax.legend(fontsize="x-small", loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)
    return ax


def _check_ratio(ratio):
    """:attr:`UpdateRatio.ratio`: (epochs, n_layers) ratios >= 0; NaN (all-zero weights) is allowed, inf is not."""
    if isinstance(ratio, (str, bytes)) or ratio is None:
        raise TypeError(f"ratio must be an array (epochs, n_layers) of update ratios, got {type(ratio).__name__}")
    arr = np.asarray(ratio)
    check_real_dtype(arr, "ratio", "hold numbers")
    arr = arr.astype(float)
    if arr.ndim != 2:
        raise ValueError(f"ratio must be 2-D (epochs, n_layers), got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"ratio must not be empty: train for at least one epoch, got shape {arr.shape}")
    if np.isinf(arr).any():
        raise ValueError("ratio must not hold inf (NaN, for all-zero weights, is allowed)")
    if np.nanmin(arr, initial=0.0) < 0:
        raise ValueError(f"ratio must be >= 0 (a ratio of norms), got a smallest value {np.nanmin(arr):.3g}")
    return arr


def plot_update_ratios(ax, ratio, title=None, xlabel="epoch", rule_of_thumb=UPDATE_RATIO_RULE_OF_THUMB):
    """Plot :attr:`UpdateRatio.ratio` (epochs, n_layers) on a log scale with the rule-of-thumb line.

    One curve per weight layer (viridis, dark = first layer); the dashed black line marks
    ``rule_of_thumb``. Returns ``ax``.
    """
    check_ax(ax)
    ratio = _check_ratio(ratio)
    check_text(title, "title", optional=True)
    check_text(xlabel, "xlabel")
    rule_of_thumb = check_real(rule_of_thumb, "rule_of_thumb", minimum=0.0, min_inclusive=False)
    epochs = np.arange(1, len(ratio) + 1)
    n = ratio.shape[1]
    for k, color in enumerate(layer_colors(n)):
        label = "output layer" if k == n - 1 else f"layer {k + 1}"
        ax.plot(epochs, ratio[:, k], color=color, linewidth=1.3, label=label)
    ax.axhline(rule_of_thumb, color="black", linestyle="--", linewidth=1,
               label=f"rule of thumb {rule_of_thumb:g}")
    ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(r"$\|\Delta W\|\,/\,\|W\|$ (dimensionless)")
    if title is not None:
        ax.set_title(title)
    ax.legend(fontsize="x-small", ncol=2)
    return ax


def plot_sweep(ax, sweep, xlabel, ylabel, title=None, accuracy=False, floor=None,
               floor_label=r"noise floor $\sigma^2$", log_x=False, log_y=True, ticks=False):
    """Training (blue circles) and validation (vermillion squares) curves of a sweep.

    Parameters
    ----------
    ax : matplotlib Axes
    sweep : :class:`nnlib.experiments.sweep.Sweep` -- ``sweep.values`` go on the x axis.
    xlabel, ylabel, title : str -- axis labels (with units) and title.
    accuracy : bool -- plot ``train_accuracy``/``val_accuracy`` instead of the errors.
    floor : float, optional -- a dashed horizontal line, e.g. the noise variance.
    log_x, log_y : bool -- logarithmic axes.
    ticks : bool -- one labelled x tick per setting (e.g. widths 2, 4, ..., 64).

    Returns ``ax``.
    """
    check_ax(ax)
    if not isinstance(sweep, Sweep):
        raise TypeError(f"sweep must be an nnlib.experiments.sweep.Sweep (from degree_sweep, width_sweep, ...), "
                        f"got {type(sweep).__name__}")
    for name, text in (("xlabel", xlabel), ("ylabel", ylabel)):
        check_text(text, name)
    check_text(title, "title", optional=True)
    check_text(floor_label, "floor_label")
    accuracy, log_x, log_y, ticks = (check_bool(v, n) for v, n in
                                     ((accuracy, "accuracy"), (log_x, "log_x"), (log_y, "log_y"), (ticks, "ticks")))
    if floor is not None:
        floor = check_real(floor, "floor")
        if log_y and floor <= 0:
            raise ValueError(f"floor must be > 0 on a log axis (log_y=True), got {floor}")
    if log_x and np.any(np.asarray(sweep.values, dtype=float) <= 0):
        raise ValueError(f"log_x=True needs positive sweep values, got {list(sweep.values)}: a point at 0 would "
                         "vanish; use log_x=False")
    train, val = (sweep.train_accuracy, sweep.val_accuracy) if accuracy else (sweep.train, sweep.val)
    if train is None or val is None:
        raise ValueError("this sweep has no accuracies (a regression sweep): use accuracy=False")
    ax.plot(sweep.values, train, "o-", color=PALETTE[0], markersize=5, label="training")
    ax.plot(sweep.values, val, "s-", color=PALETTE[1], markersize=5, label="validation")
    if floor is not None:
        ax.axhline(floor, color=PALETTE[2], linestyle="--", linewidth=1.2, label=floor_label)
    if log_x:
        ax.set_xscale("log")
    if log_y:
        ax.set_yscale("log")
    if ticks:
        ax.set_xticks(sweep.values, [f"{v:g}" for v in sweep.values])
        ax.minorticks_off()
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title is not None:
        ax.set_title(title)
    ax.legend(fontsize="small")
    return ax


def _check_nets(nets):
    if not isinstance(nets, dict) or not nets:
        raise TypeError(f"nets must be a non-empty dict label -> MLP, got {type(nets).__name__}")
    for label, net in nets.items():
        check_net(net, f"nets[{label!r}]")
        if net.sizes[0] != 2 or net.n_layers < 3:
            raise ValueError(f"nets[{label!r}] must have 2 inputs and at least 2 hidden layers, got sizes {net.sizes}")


def plot_units(nets, X, y, resolution=60):
    """Compare nets unit by unit: one row per net, three panels per row.

    Left: the incoming weight vector :math:`(W^{(1)}_{1j}, W^{(1)}_{2j})` of every unit
    :math:`j` of the first hidden layer, as an arrow from the origin (clones: all arrows coincide).
    Middle: the hidden-to-hidden matrix :math:`W^{(2)}` as an image (clones: one flat colour, rank 1).
    Right: the decision boundary on the data.

    Parameters
    ----------
    nets : dict label -> MLP with 2 inputs and >= 2 hidden layers (binary classifiers).
    X : ndarray, shape (N, 2);  y : ndarray, shape (N,) -- 0/1 labels.
    resolution : int -- grid points per axis of the decision boundary.

    Returns
    -------
    fig : matplotlib Figure, not registered with pyplot (display it; nothing piles up).
    """
    _check_nets(nets)
    resolution = check_int(resolution, "resolution", minimum=2)
    for net in nets.values():  # the data fit every net before anything is drawn
        net.check_data(X, y)
    n = len(nets)
    fig = Figure(figsize=(10.4, 3.2 * n))
    axes = fig.subplots(n, 3, squeeze=False, gridspec_kw={"width_ratios": [1, 1.15, 1]})
    vmax = max(np.abs(net.params["W2"]).max() for net in nets.values())
    vmax = vmax if vmax > 0 else 1.0
    reach = 1.15 * max(np.abs(net.params["W1"]).max() for net in nets.values())
    reach = reach if reach > 0 else 1.0
    for row, (label, net) in zip(axes, nets.items()):
        ax_w, ax_m, ax_b = row
        W1 = net.params["W1"]
        ax_w.quiver(np.zeros(W1.shape[1]), np.zeros(W1.shape[1]), W1[0], W1[1], angles="xy", scale_units="xy",
                    scale=1, color=PALETTE[2], alpha=0.8, width=0.006)  # one arrow per unit, origin to (W1[0, j], W1[1, j])
        ax_w.plot([0], [0], "o", color="black", ms=3)
        ax_w.set(xlim=(-reach, reach), ylim=(-reach, reach), aspect="equal",
                 xlabel="weight from $x_1$", ylabel="weight from $x_2$",
                 title=f"{label}\n{W1.shape[1]} hidden units of layer 1")
        image = ax_m.imshow(net.params["W2"], cmap=WEIGHT_CMAP, vmin=-vmax, vmax=vmax)
        rank = np.linalg.matrix_rank(net.params["W2"], tol=1e-8)
        ax_m.set(xlabel="unit of layer 2", ylabel="unit of layer 1", title=f"$W^{{(2)}}$, rank {rank}")
        ax_m.grid(False)
        ax_m.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax_m.yaxis.set_major_locator(MaxNLocator(integer=True))
        fig.colorbar(image, ax=ax_m, fraction=0.046, pad=0.04, label="weight")
        accuracy = net.accuracy(X, y)
        plot_decision_boundary(ax_b, net, X, y, resolution=resolution,
                               title=f"decision boundary, accuracy {100 * accuracy:.1f} %")
        ax_b.legend(loc="lower right", fontsize=7)
    fig.tight_layout()
    return fig


def _draw_probability(ax, comparison, name):
    xx, yy = comparison.xx, comparison.yy
    ax.imshow(comparison.probability[name], origin="lower", extent=(xx.min(), xx.max(), yy.min(), yy.max()),
              cmap=PROBABILITY_CMAP, vmin=0, vmax=1, alpha=0.45, aspect="auto", interpolation="bilinear")


def plot_comparison(comparison, title=None):
    """All runs of a comparison in one static figure.

    Left: the training loss of every initialization against the step (log scale). Right: each
    trained net's :math:`p(y = 1 \\mid x)` on the plane (blue: class 0, vermillion: class 1,
    white: the boundary) with the training points.

    An inset zooms on the losses near :math:`\\log 2`. ``comparison``: an InitComparison; ``title``:
    str, optional. Returns a matplotlib Figure, not registered with pyplot.
    """
    if not isinstance(comparison, InitComparison):
        raise TypeError("comparison must be an nnlib.experiments.init_comparison.InitComparison, "
                        f"got {type(comparison).__name__}")
    check_text(title, "title", optional=True)
    names = comparison.names
    ncols = int(np.ceil(len(names) / 2))
    fig = Figure(figsize=(min(3.9 + 2.3 * ncols, 10.5), 5.6))
    grid = fig.add_gridspec(2, ncols + 1, width_ratios=[1.5] + [1] * ncols)
    ax_loss = fig.add_subplot(grid[:, 0])
    zoom = ax_loss.inset_axes([0.42, 0.6, 0.55, 0.36])  # the curves that stay near log 2, told apart
    for i, name in enumerate(names):
        loss, style = comparison.runs[name].loss, dict(color=CURVE_COLORS[i % 6], ls=CURVE_STYLES[i % 6], lw=1.8)
        ax_loss.plot(np.arange(len(loss)), loss, label=name, **style)
        zoom.plot(np.arange(len(loss)), loss, **style)
    ax_loss.set(yscale="log", xlabel="gradient-descent step", ylabel="training loss (cross-entropy, nats)",
                title="training loss")
    zoom.set_title("linear zoom near log 2 = 0.693", fontsize=7)
    zoom.set_ylim(0.55, 0.72), zoom.tick_params(labelsize=6)
    ax_loss.legend(fontsize=7, loc="lower left")
    X, y = comparison.X_train, comparison.y_train
    for i, name in enumerate(names):
        row, col = divmod(i, ncols)
        ax = fig.add_subplot(grid[row, 1 + col])
        _draw_probability(ax, comparison, name)
        for c in (0, 1):
            ax.scatter(*X[y == c].T, s=6, color=PALETTE[c], edgecolor="white", linewidth=0.3)
        ax.set_title(f"{name}\ntrain {100 * comparison.train_accuracy[name]:.1f} %, "
                     f"test {100 * comparison.test_accuracy[name]:.1f} %", fontsize=8)
        ax.set_xticks([])
        ax.set_yticks([])
        if i + ncols >= len(names):  # the lowest panel of its column
            ax.set_xlabel("$x_1$")
        if col == 0:
            ax.set_ylabel("$x_2$")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig

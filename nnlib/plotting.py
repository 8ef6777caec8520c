"""Plotting helpers shared by the notebooks (matplotlib; ``import nnlib`` does not import this).

Colours come from :data:`PALETTE` (Okabe & Ito), which stays distinguishable for readers with
colour-vision deficiencies.
"""

import numpy as np
from matplotlib.colors import ListedColormap

from .datasets import grid

#: Okabe & Ito's colour-blind-safe palette (blue, vermillion, green, purple, orange, sky, yellow, black).
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]


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
    xx, yy, points = grid(X, resolution, margin)
    return xx, yy, net.predict(points).reshape(xx.shape)


def plot_decision_boundary(ax, net, X, y, resolution=150, title=None):
    """Shade the regions a 2-D classifier assigns to each class and scatter the data on top.

    ax : matplotlib Axes;  net : MLP with 2 inputs;  X : (N, 2);  y : (N,) integer labels.
    Returns ``ax``.
    """
    xx, yy, labels = grid_probabilities(net, X, resolution)
    y = np.asarray(y)
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

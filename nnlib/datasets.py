"""Small synthetic data sets, drawn from an explicit ``rng``, a train/validation split, and a
regular grid over 2-D data (for decision boundaries).

Classification sets return ``X`` (N, 2) float64 and ``y`` (N,) int64 labels. Every function
that draws takes ``rng`` first: a ``np.random.Generator`` or an int seed.
Real data sets come from scikit-learn's bundled copies (``sklearn.datasets.load_wine``,
``load_digits``, ``load_breast_cancer``), which need no download.
"""

import numpy as np

from .validation import as_float_array, check_bool, check_int, check_real, check_rng, check_same_length


def _check(rng, n_samples, noise):
    return check_rng(rng), check_int(n_samples, "n_samples", minimum=1), check_real(noise, "noise", minimum=0.0)


def _shuffled(rng, X, y):
    order = rng.permutation(len(X))
    return X[order], y[order]


def xor(rng, n_samples=200, noise=0.25):
    """Four Gaussian blobs at (+-1, +-1); the label is 1 where the coordinates' signs differ.

    No line separates the classes, so a linear model stays near 50 % accuracy.
    """
    rng, n_samples, noise = _check(rng, n_samples, noise)
    corners = np.array([[-1, -1], [1, 1], [-1, 1], [1, -1]], dtype=float)
    which = np.arange(n_samples) % 4
    X = corners[which] + noise * rng.standard_normal((n_samples, 2))
    y = (which >= 2).astype(np.int64)
    return _shuffled(rng, X, y)


def two_moons(rng, n_samples=200, noise=0.1):
    """Two interleaving half circles (as scikit-learn's ``make_moons``)."""
    rng, n_samples, noise = _check(rng, n_samples, noise)
    n0 = n_samples // 2
    t0 = np.linspace(0, np.pi, n0)
    t1 = np.linspace(0, np.pi, n_samples - n0)
    X = np.vstack([np.column_stack([np.cos(t0), np.sin(t0)]),
                   np.column_stack([1 - np.cos(t1), 0.5 - np.sin(t1)])])
    X += noise * rng.standard_normal(X.shape)
    y = np.repeat([0, 1], [n0, n_samples - n0]).astype(np.int64)
    return _shuffled(rng, X, y)


def circles(rng, n_samples=200, noise=0.05, factor=0.5):
    """A circle of radius ``factor`` (label 1) inside a circle of radius 1 (label 0)."""
    rng, n_samples, noise = _check(rng, n_samples, noise)
    factor = check_real(factor, "factor", minimum=0.0, maximum=1.0, min_inclusive=False, max_inclusive=False)
    n0 = n_samples // 2
    t = rng.uniform(0, 2 * np.pi, n_samples)
    r = np.where(np.arange(n_samples) < n0, 1.0, factor)
    X = np.column_stack([r * np.cos(t), r * np.sin(t)]) + noise * rng.standard_normal((n_samples, 2))
    y = (np.arange(n_samples) >= n0).astype(np.int64)
    return _shuffled(rng, X, y)


def spirals(rng, n_samples=300, n_classes=2, noise=0.1, turns=1.0):
    """``n_classes`` interleaved arms of a spiral, each ``turns`` revolutions long."""
    rng, n_samples, noise = _check(rng, n_samples, noise)
    n_classes = check_int(n_classes, "n_classes", minimum=2)
    turns = check_real(turns, "turns", minimum=0.0, min_inclusive=False)
    y = np.arange(n_samples) % n_classes
    r = rng.uniform(0.05, 1.0, n_samples)
    t = 2 * np.pi * (turns * r + y / n_classes)
    X = np.column_stack([r * np.cos(t), r * np.sin(t)]) + noise * rng.standard_normal((n_samples, 2))
    return _shuffled(rng, X, y.astype(np.int64))


def noisy_regression(rng, n_samples=30, noise=0.3, low=0.0, high=1.0):
    r"""1-D regression targets :math:`y = \sin(2\pi x) + \varepsilon`, :math:`\varepsilon \sim \mathcal N(0, \text{noise}^2)`.

    The classic curve for capacity sweeps (polynomial degree, network width): a low
    capacity model underfits the sine, a high capacity one fits the noise.
    ``x`` is uniform on ``[low, high]``. Returns ``X`` (N, 1) and ``y`` (N,);
    :func:`regression_target` gives the noise-free curve.
    """
    rng, n_samples, noise = _check(rng, n_samples, noise)
    low, high = check_real(low, "low"), check_real(high, "high")
    if low >= high:
        raise ValueError(f"low must be < high, got low={low}, high={high}")
    x = rng.uniform(low, high, n_samples)
    y = regression_target(x) + noise * rng.standard_normal(n_samples)
    return x.reshape(-1, 1), y


def regression_target(x):
    r"""The noise-free :math:`\sin(2\pi x)` behind :func:`noisy_regression`."""
    return np.sin(2 * np.pi * as_float_array(x, "x", ndim=range(0, 33), allow_empty=True))


def train_val_split(rng, X, y, val_fraction=0.25, stratify=False):
    """Shuffle and split into ``X_train, X_val, y_train, y_val`` (scikit-learn's order).

    ``rng`` comes first, as in every nnlib function that draws.
    ``val_fraction`` in (0, 1) of the rows go to validation (at least one row each side).
    ``stratify=True`` keeps each class's proportion the same in both parts.
    """
    rng = check_rng(rng)
    X = as_float_array(X, "X", ndim=2)
    y = np.asarray(y)
    if y.ndim not in (1, 2) or y.dtype == object:
        raise ValueError(f"y must be a 1-D (or 2-D) array of labels or targets, got shape {y.shape}")
    if np.issubdtype(y.dtype, np.floating) and not np.isfinite(y).all():
        raise ValueError("y must be finite, got NaN or infinite values")
    check_same_length(X, y)
    val_fraction = check_real(val_fraction, "val_fraction", minimum=0.0, maximum=1.0,
                              min_inclusive=False, max_inclusive=False)
    n = len(X)
    if n < 2:
        raise ValueError(f"need at least 2 rows to split, got {n}")
    if check_bool(stratify, "stratify"):
        val_idx = []
        for label in np.unique(y):
            rows = rng.permutation(np.flatnonzero(y == label))
            val_idx.append(rows[: int(round(val_fraction * len(rows)))])
        val = np.zeros(n, dtype=bool)
        val[np.concatenate(val_idx)] = True
        val_rows, train_rows = rng.permutation(np.flatnonzero(val)), rng.permutation(np.flatnonzero(~val))
    else:
        order = rng.permutation(n)
        n_val = min(max(int(round(val_fraction * n)), 1), n - 1)
        val_rows, train_rows = order[:n_val], order[n_val:]
    if len(val_rows) == 0 or len(train_rows) == 0:
        raise ValueError(f"val_fraction={val_fraction} leaves one side empty for {n} rows")
    return X[train_rows], X[val_rows], y[train_rows], y[val_rows]


def grid(X, resolution=100, margin=0.5):
    """A regular grid covering the 2-D points ``X`` (N, 2) plus ``margin`` on each side.

    Returns ``xx, yy`` of shape (resolution, resolution) and ``points`` (resolution², 2).
    """
    X = as_float_array(X, "X", ndim=2)
    if X.shape[1] != 2:
        raise ValueError(f"X must have 2 columns to cover with a grid, got shape {X.shape}")
    resolution = check_int(resolution, "resolution", minimum=2)
    margin = check_real(margin, "margin", minimum=0.0)
    lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
    xx, yy = np.meshgrid(np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution))
    return xx, yy, np.column_stack([xx.ravel(), yy.ravel()])

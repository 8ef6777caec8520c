"""Fixtures shared by the tests of several layers, and a headless matplotlib backend.

The backend is chosen with ``matplotlib.use``, not the MPLBACKEND variable: the notebook kernels
that nbval starts inherit the environment, and there the inline backend must stay the default.
"""

import matplotlib
import numpy as np
import pytest

from nnlib import datasets

matplotlib.use("Agg")  # before any test imports pyplot; no display needed


@pytest.fixture
def regression_data():
    """15 noisy samples of sin(2 pi x) for training, 100 for validation: X, y, X_val, y_val."""
    rng = np.random.default_rng(3)
    X, y = datasets.noisy_regression(rng, 15, 0.3)
    X_val, y_val = datasets.noisy_regression(rng, 100, 0.3)
    return X, y, X_val, y_val


@pytest.fixture
def moons_split():
    """Two moons, 40 training and 100 validation points: X, y, X_val, y_val."""
    rng = np.random.default_rng(0)
    X, y = datasets.two_moons(rng, 40, noise=0.3)
    X_val, y_val = datasets.two_moons(rng, 100, noise=0.3)
    return X, y, X_val, y_val


COMPARISON_DATA = {
    "moons": lambda rng: datasets.two_moons(rng, 80, noise=0.2),
    "circles": lambda rng: datasets.circles(rng, 80, noise=0.1),
}


@pytest.fixture(scope="session")
def comparisons():
    """compare_inits on circles and moons (300 steps, a 30 x 30 grid), computed once."""
    from nnlib.experiments.init_comparison import compare_inits

    out = {}
    for name in ("circles", "moons"):
        Xa, ya = COMPARISON_DATA[name](np.random.default_rng(1))
        Xb, yb = COMPARISON_DATA[name](np.random.default_rng(2))
        out[name] = compare_inits(0, Xa, ya, Xb, yb, steps=300, lr=0.5, resolution=30)
    return out


def _output_targets(output, n, rng):
    """n random targets for an MLP output: softmax 3 classes (labels), sigmoid 0/1 as (n, 1),
    identity (n, 2) reals."""
    if output == "softmax":
        return rng.integers(0, 3, n)
    if output == "sigmoid":
        return rng.integers(0, 2, (n, 1))
    return rng.standard_normal((n, 2))


@pytest.fixture
def output_targets():
    """``output_targets(output, n, rng)``: random targets for an MLP with that output (see above)."""
    return _output_targets

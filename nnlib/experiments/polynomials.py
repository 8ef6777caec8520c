r"""Capacity and overfitting with polynomials: fits, sweeps, bias and variance, learning curves.

**Polynomials** of degree :math:`d` for 1-D regression, typically of :math:`\sin(2\pi x)` from a few
noisy samples (:func:`nnlib.datasets.noisy_regression`), are fitted by (ridge) least squares, which
is exact and nearly free, so sweeps over the degree, the penalty, resampled data sets and
training-set sizes take milliseconds:

.. math:: \min_w \frac1N \|\Phi w - y\|^2 + \lambda \sum_{j \ge 1} w_j^2,

where row :math:`t` of :math:`\Phi` (N, d+1) holds the features of :math:`x_t`. The features are
the Legendre polynomials :math:`P_0 = 1, P_1, \dots, P_d` of :math:`x` rescaled to
:math:`[-1, 1]`: they span exactly the same functions as :math:`1, x, \dots, x^d` (same fits when
:math:`\lambda = 0`) but keep the least-squares problem well conditioned. The intercept
:math:`w_0` is not penalized, as biases are not in :class:`nnlib.MLP`.

Errors are mean squared errors (MSE) in squared units of :math:`y`. The same sweeps with
networks are :mod:`nnlib.experiments.network_sweeps`.
"""

from dataclasses import dataclass
from typing import Optional

import numpy as np
from numpy.polynomial import legendre

from .. import datasets
from ..validation import as_float_array, check_int, check_real, check_rng, check_same_length
from .sweep import Sweep, check_int_list, check_lambdas, mse


# ----------------------------------------------------------------------------- checks
def _as_x(x, name):
    """Accept (N,) or (N, 1) inputs; return a float (N,) array."""
    arr = as_float_array(x, name, ndim=(1, 2))
    if arr.ndim == 2:
        if arr.shape[1] != 1:
            raise ValueError(f"{name} must be 1-D or have one column, got shape {arr.shape}")
        arr = arr[:, 0]
    return arr


def _as_xy(x, y, x_name, y_name):
    x = _as_x(x, x_name)
    y = as_float_array(y, y_name, ndim=1)
    check_same_length(x, y, x_name, y_name)
    return x, y


def _check_domain(domain):
    if not (isinstance(domain, (tuple, list)) and len(domain) == 2):
        raise TypeError(f"domain must be a pair (low, high), got {domain!r}")
    lo, hi = check_real(domain[0], "domain[0]"), check_real(domain[1], "domain[1]")
    if not lo < hi:
        raise ValueError(f"domain must have low < high, got {domain!r}")
    return lo, hi


def _check_degree(degree, name="degree"):
    return check_int(degree, name, minimum=0)


# ----------------------------------------------------------------------------- polynomials
def polynomial_features(x, degree, domain=(0.0, 1.0)):
    r"""Legendre features :math:`[P_0(t), \dots, P_d(t)]` of :math:`t = 2(x - \text{low})/(\text{high} - \text{low}) - 1`.

    Parameters
    ----------
    x : ndarray, shape (N,) or (N, 1)
    degree : int >= 0
    domain : (low, high) -- mapped to [-1, 1]; values outside are allowed (extrapolation).

    Returns
    -------
    Phi : ndarray, shape (N, degree + 1); column 0 is all ones.
    """
    x = _as_x(x, "x")
    degree = _check_degree(degree)
    lo, hi = _check_domain(domain)
    return legendre.legvander(2.0 * (x - lo) / (hi - lo) - 1.0, degree)


def fit_polynomial(x, y, degree, l2=0.0, domain=(0.0, 1.0)):
    r"""Ridge least-squares polynomial: :math:`\min_w \frac1N\|\Phi w - y\|^2 + \lambda \sum_{j\ge1} w_j^2`.

    Solved as one least-squares problem on :math:`\Phi / \sqrt N` stacked over
    :math:`\sqrt\lambda\,[0, I]`; with ``l2 = 0`` and more coefficients than samples this is the
    minimum-norm interpolant.

    Parameters
    ----------
    x : (N,) or (N, 1);  y : (N,);  degree : int >= 0;  l2 : float >= 0 -- :math:`\lambda`.
    domain : (low, high) -- see :func:`polynomial_features`.

    Returns
    -------
    coef : ndarray, shape (degree + 1,) -- Legendre coefficients; see :func:`predict_polynomial`.
    """
    x, y = _as_xy(x, y, "x", "y")
    l2 = check_real(l2, "l2", minimum=0.0)
    Phi = polynomial_features(x, degree, domain)
    return _ridge(Phi, y, l2)


def _ridge(Phi, y, l2):
    n, p = Phi.shape
    if l2 == 0.0:
        A, b = Phi / np.sqrt(n), y / np.sqrt(n)
    else:
        penalty = np.sqrt(l2) * np.eye(p)[1:]
        A = np.vstack([Phi / np.sqrt(n), penalty])
        b = np.concatenate([y / np.sqrt(n), np.zeros(p - 1)])
    return np.linalg.lstsq(A, b, rcond=None)[0]


def predict_polynomial(coef, x, domain=(0.0, 1.0)):
    """Evaluate the polynomial with Legendre coefficients ``coef`` (d + 1,) at ``x`` (M,) or (M, 1); returns (M,)."""
    coef = as_float_array(coef, "coef", ndim=1)
    return polynomial_features(x, len(coef) - 1, domain) @ coef


@dataclass
class PolynomialGrid:
    """Ridge polynomial fits for every (degree, penalty) pair (see :func:`polynomial_grid`).

    degrees : (D,);  lambdas : (L,);  train, val : (D, L) MSE;
    x_plot : (G,) or None;  curves : (D, L, G) fitted values at ``x_plot``, or None.
    """

    degrees: np.ndarray
    lambdas: np.ndarray
    train: np.ndarray
    val: np.ndarray
    x_plot: Optional[np.ndarray] = None
    curves: Optional[np.ndarray] = None


def polynomial_grid(x_train, y_train, x_val, y_val, degrees, lambdas=(0.0,), x_plot=None, domain=(0.0, 1.0)):
    """Fit a ridge polynomial for every degree and penalty; training and validation MSE of each.

    Parameters
    ----------
    x_train : (N,) or (N, 1);  y_train : (N,);  x_val : (M,) or (M, 1);  y_val : (M,)
    degrees : list of int >= 0 (D of them);  lambdas : list of float >= 0 (L of them).
    x_plot : (G,), optional -- also return every fitted curve evaluated there.
    domain : (low, high) -- see :func:`polynomial_features`.

    Returns
    -------
    PolynomialGrid
    """
    x_train, y_train = _as_xy(x_train, y_train, "x_train", "y_train")
    x_val, y_val = _as_xy(x_val, y_val, "x_val", "y_val")
    degrees = check_int_list(degrees, "degrees", minimum=0)
    lambdas = check_lambdas(lambdas)
    lo_hi = _check_domain(domain)
    if x_plot is not None:
        x_plot = _as_x(x_plot, "x_plot")
    top = int(degrees.max())
    # features of the highest degree once; lower degrees are their first columns
    F_train = polynomial_features(x_train, top, lo_hi)
    F_val = polynomial_features(x_val, top, lo_hi)
    F_plot = None if x_plot is None else polynomial_features(x_plot, top, lo_hi)
    train = np.empty((len(degrees), len(lambdas)))
    val = np.empty_like(train)
    curves = None if x_plot is None else np.empty((len(degrees), len(lambdas), len(x_plot)))
    for i, d in enumerate(degrees):
        for j, lam in enumerate(lambdas):
            w = _ridge(F_train[:, :d + 1], y_train, lam)
            train[i, j] = mse(F_train[:, :d + 1] @ w, y_train)
            val[i, j] = mse(F_val[:, :d + 1] @ w, y_val)
            if curves is not None:
                curves[i, j] = F_plot[:, :d + 1] @ w
    return PolynomialGrid(degrees, lambdas, train, val, x_plot, curves)


def degree_sweep(x_train, y_train, x_val, y_val, degrees, l2=0.0, domain=(0.0, 1.0)):
    """Training and validation MSE of least-squares polynomials of each degree (a capacity sweep).

    Same arguments as :func:`polynomial_grid` with a single penalty ``l2``. Returns a :class:`Sweep`.
    """
    l2 = check_real(l2, "l2", minimum=0.0)
    grid = polynomial_grid(x_train, y_train, x_val, y_val, degrees, [l2], domain=domain)
    return Sweep("degree", grid.degrees, grid.train[:, 0], grid.val[:, 0])


@dataclass
class BiasVariance:
    r"""The bias-variance decomposition of polynomial fits (see :func:`bias_variance`).

    degrees : (D,);  x_eval : (G,);  predictions : (D, R, G), fit r of degree d at ``x_eval``;
    bias2, variance : (D,), averaged over ``x_eval``;  noise2 : the noise variance
    :math:`\sigma^2`.
    """

    degrees: np.ndarray
    x_eval: np.ndarray
    predictions: np.ndarray
    bias2: np.ndarray
    variance: np.ndarray
    noise2: float

    @property
    def expected_error(self):
        r"""Expected squared error on a new noisy sample: bias² + variance + :math:`\sigma^2` (D,)."""
        return self.bias2 + self.variance + self.noise2


def bias_variance(rng, degrees, n_datasets=200, n_samples=None, noise=0.3, x_train=None, x_eval=None,
                  l2=0.0, domain=(0.0, 1.0)):
    r"""Refit each degree on many freshly drawn training sets and split the error.

    ``n_datasets`` training sets are drawn (the same sets for every degree). By default each
    set draws ``n_samples`` inputs uniformly and noisy targets with
    :func:`nnlib.datasets.noisy_regression`. Given ``x_train``, every set keeps those inputs and
    only the noise is drawn afresh (a *fixed design*, the textbook setting: it leaves out the
    rare sets whose inputs leave a gap near an end of the interval, where a high-degree fit
    explodes and dominates every average). With :math:`\hat f_r` the fit on set :math:`r`,
    :math:`\bar f = \frac1R\sum_r \hat f_r` and the noise-free target :math:`f(x) = \sin 2\pi x`,

    .. math::
        \text{bias}^2 = \operatorname{mean}_x \big(\bar f(x) - f(x)\big)^2, \qquad
        \text{variance} = \operatorname{mean}_x \tfrac1R \textstyle\sum_r \big(\hat f_r(x) - \bar f(x)\big)^2,

    and the expected squared error on a new point is bias² + variance + noise².

    Parameters
    ----------
    rng : np.random.Generator or int seed;  degrees : list of int >= 0
    n_datasets : int >= 2
    n_samples : int >= 1, optional -- points per set (default 15, or ``len(x_train)``).
    noise : float >= 0 -- standard deviation of the noise.
    x_train : (N,) or (N, 1), optional -- fixed inputs shared by every set.
    x_eval : (G,), optional -- where to compare; default 200 points evenly over ``domain``.
    l2 : float >= 0 -- ridge penalty of every fit.

    Returns
    -------
    BiasVariance
    """
    rng = check_rng(rng)
    degrees = check_int_list(degrees, "degrees", minimum=0)
    n_datasets = check_int(n_datasets, "n_datasets", minimum=2)
    if n_samples is not None:
        n_samples = check_int(n_samples, "n_samples", minimum=1)
    if x_train is not None:
        x_train = _as_x(x_train, "x_train")
        if n_samples is not None and n_samples != len(x_train):
            raise ValueError(f"n_samples={n_samples} disagrees with the {len(x_train)} inputs of x_train; pass one of them")
        n_samples = len(x_train)
    n_samples = check_int(15 if n_samples is None else n_samples, "n_samples", minimum=1)
    noise = check_real(noise, "noise", minimum=0.0)
    l2 = check_real(l2, "l2", minimum=0.0)
    lo, hi = _check_domain(domain)
    x_eval = np.linspace(lo, hi, 200) if x_eval is None else _as_x(x_eval, "x_eval")
    if x_train is None:
        sets = [datasets.noisy_regression(rng, n_samples, noise, low=lo, high=hi) for _ in range(n_datasets)]
    else:
        clean = datasets.regression_target(x_train)
        sets = [(x_train, clean + noise * rng.standard_normal(n_samples)) for _ in range(n_datasets)]
    top = int(degrees.max())
    F_eval = polynomial_features(x_eval, top, (lo, hi))
    F_sets = [polynomial_features(X, top, (lo, hi)) for X, _ in sets]
    predictions = np.empty((len(degrees), n_datasets, len(x_eval)))
    for i, d in enumerate(degrees):
        for r, (F, (_, y)) in enumerate(zip(F_sets, sets)):
            predictions[i, r] = F_eval[:, :d + 1] @ _ridge(F[:, :d + 1], y, l2)
    target = datasets.regression_target(x_eval)
    mean_fit = predictions.mean(axis=1)
    bias2 = ((mean_fit - target) ** 2).mean(axis=1)
    variance = predictions.var(axis=1).mean(axis=1)
    return BiasVariance(degrees, x_eval, predictions, bias2, variance, noise ** 2)


@dataclass
class LearningCurve(Sweep):
    """A :class:`Sweep` along the training-set size that keeps every repeat (see :func:`learning_curve`).

    ``train`` and ``val`` (S,) are the means over the repeats; ``train_runs`` and ``val_runs``
    (S, R) hold each repeat's error, the same data sets for every model fitted with the same seed,
    so two models can be compared repeat by repeat (a paired comparison).
    """

    train_runs: Optional[np.ndarray] = None
    val_runs: Optional[np.ndarray] = None

    @property
    def train_se(self):
        """Standard error of the mean training error (S,): std over the repeats / sqrt(R)."""
        return _standard_error(self.train_runs)

    @property
    def val_se(self):
        """Standard error of the mean validation error (S,)."""
        return _standard_error(self.val_runs)


def _standard_error(runs):
    runs = np.asarray(runs, dtype=float)
    if runs.shape[1] < 2:
        return np.full(runs.shape[0], np.nan)
    return runs.std(axis=1, ddof=1) / np.sqrt(runs.shape[1])


def learning_curve(rng, sizes, degree, n_repeats=20, noise=0.3, n_val=500, l2=0.0, domain=(0.0, 1.0)):
    """Training and validation MSE of one polynomial model against the training-set size.

    For each size, ``n_repeats`` training sets are drawn (:func:`nnlib.datasets.noisy_regression`)
    and fitted; the errors are averaged over the repeats. One validation set of ``n_val``
    points, drawn first, serves every fit. The draws do not depend on ``degree``: two calls with
    the same seed fit their models to the same data sets.

    Parameters
    ----------
    rng : np.random.Generator or int seed;  sizes : list of int >= 1;  degree : int >= 0
    n_repeats : int >= 1;  noise : float >= 0;  n_val : int >= 1;  l2 : float >= 0

    Returns
    -------
    LearningCurve with ``values = sizes`` and every repeat in ``train_runs``/``val_runs`` (S, R).
    """
    rng = check_rng(rng)
    sizes = check_int_list(sizes, "sizes", minimum=1)
    degree = _check_degree(degree)
    n_repeats = check_int(n_repeats, "n_repeats", minimum=1)
    noise = check_real(noise, "noise", minimum=0.0)
    n_val = check_int(n_val, "n_val", minimum=1)
    l2 = check_real(l2, "l2", minimum=0.0)
    lo, hi = _check_domain(domain)
    X_val, y_val = datasets.noisy_regression(rng, n_val, noise, low=lo, high=hi)
    F_val = polynomial_features(X_val, degree, (lo, hi))
    train = np.zeros((len(sizes), n_repeats))
    val = np.zeros((len(sizes), n_repeats))
    for i, n in enumerate(sizes):
        for r in range(n_repeats):
            X, y = datasets.noisy_regression(rng, int(n), noise, low=lo, high=hi)
            F = polynomial_features(X, degree, (lo, hi))
            w = _ridge(F, y, l2)
            train[i, r] = mse(F @ w, y)
            val[i, r] = mse(F_val @ w, y_val)
    return LearningCurve("n_train", sizes, train.mean(axis=1), val.mean(axis=1), train_runs=train, val_runs=val)

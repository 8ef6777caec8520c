r"""Objectives small enough to draw: quadratics, a linear model's loss, any function of a
parameter vector; their loss surfaces, Hessians and critical points.

An *objective* here is anything with two methods:

- ``loss(W)``: ``W`` of shape ``(..., D)`` -> losses of shape ``(...)``, so a whole grid of
  parameter vectors is evaluated at once (for contour plots);
- ``grad(w)``: ``w`` of shape ``(D,)`` -> gradient of shape ``(D,)``.

Three are provided: :class:`Objective` wraps any function (with a numerical gradient if none
is given), :class:`Quadratic` is :math:`\tfrac12 (w-c)^\top A (w-c) + f_\min`, and
:class:`LinearRegression` is the mean squared error of a linear model on data
(:func:`linear_problem` builds one after a feature scaling). :func:`grid_around` and
:func:`loss_surface` give the grid for a contour plot; :func:`numerical_hessian`,
:func:`classify_critical_point` and :func:`condition_number` read the curvature.
Descending on these objectives is :mod:`nnlib.experiments.descent`.
"""

import math

import numpy as np

from ..gradcheck import numerical_gradient
from ..scalers import MinMaxScaler, StandardScaler
from ..validation import (
    as_float_array, check_choice, check_finite_result, check_int, check_real, check_same_length,
)

__all__ = [
    "Objective", "Quadratic", "LinearRegression", "rotated_quadratic", "linear_problem", "SCALINGS",
    "loss_surface", "grid_around", "numerical_hessian", "classify_critical_point", "condition_number",
    "check_point", "check_objective", "as_points", "one_number",
]

SCALINGS = ("none", "standard", "minmax")


def check_point(w, name, dim=None):
    """A parameter vector (D,) as a fresh float64 copy; ``dim`` fixes D."""
    return np.array(as_points(w, name, dim, vector=True))  # a fresh copy


def _numbers(value, name, what):
    """A function's result as float64 (NaN and inf allowed), or a TypeError: ``name`` must be ``what``."""
    arr = None if isinstance(value, (str, bytes)) or value is None else np.asarray(value)
    if arr is None or arr.dtype == object or arr.dtype.kind not in "biuf":  # bool, ints, floats
        raise TypeError(f"{name} must be {what}, got {type(value).__name__ if arr is None else arr.dtype}")
    return arr.astype(np.float64, copy=False)


def as_points(W, name, dim=None, vector=False):
    """Finite float64 parameter vectors ``W`` (..., D) -- one vector (D,) if ``vector`` -- with
    ``D == dim`` if given. Cheap for a float64 array, as a descent's inner loop passes."""
    if type(W) is not np.ndarray or W.dtype != np.float64 or (vector and W.ndim != 1) or not np.isfinite(W).all():
        W = as_float_array(W, name, ndim=1 if vector else range(0, 33), allow_empty=not vector)
    if W.ndim == 0:
        raise ValueError(f"{name} must be an array of parameter vectors (..., D), got a single number")
    if dim is not None and W.shape[-1] != dim:
        want = f"have shape ({dim},)" if vector else f"end in {dim}"
        raise ValueError(f"{name} must {want} (one entry per parameter), got shape {W.shape}")
    return W


def one_number(value, name):
    """``value``, returned by the function ``name``, as one float (a TypeError if it is not one number)."""
    arr = _numbers(value, name, "a function returning one number")
    if arr.size != 1:
        raise TypeError(f"{name} must return one number (the loss at one point), got an array of shape {arr.shape}")
    return float(arr.reshape(()))


def check_objective(objective):
    """``objective`` must have ``loss(W)`` and ``grad(w)`` methods."""
    if not (callable(getattr(objective, "loss", None)) and callable(getattr(objective, "grad", None))):
        raise TypeError("objective must have loss(W) and grad(w) methods (e.g. objectives.Quadratic, "
                        f"objectives.LinearRegression, objectives.Objective), got {type(objective).__name__}")
    return objective


# --------------------------------------------------------------------------- objectives
class Objective:
    """Any scalar function of a parameter vector, as an objective.

    Parameters
    ----------
    loss : callable
        ``loss(W)`` with ``W`` of shape ``(..., D)`` returning shape ``(...)`` (write it with
        ``W[..., 0]``, ``W[..., 1]`` so grids work).
    grad : callable, optional
        ``grad(w)``, ``(D,) -> (D,)``. Default: central differences of ``loss``
        (:func:`nnlib.gradcheck.numerical_gradient`).
    """

    def __init__(self, loss, grad=None):
        if not callable(loss):
            raise TypeError(f"loss must be a function loss(W), got {type(loss).__name__}")
        if grad is not None and not callable(grad):
            raise TypeError(f"grad must be a function grad(w) or None, got {type(grad).__name__}")
        self._loss, self._grad = loss, grad

    def loss(self, W):
        """``W`` (..., D) -> losses (...); NaN or inf where the function is (the descent stops there)."""
        W = as_points(W, "W")
        L = _numbers(self._loss(W), "loss", "a function returning numbers")
        L = np.broadcast_to(L, W.shape[:-1]) if L.shape == () else L  # a constant function
        if L.shape != W.shape[:-1]:
            raise ValueError(f"loss must return one value per parameter vector: shape {W.shape[:-1]} for W of "
                             f"shape {W.shape}, got shape {L.shape} (index W[..., 0], W[..., 1], ...)")
        return L

    def grad(self, w):
        """``w`` (D,) -> gradient (D,)."""
        w = as_points(w, "w", vector=True)
        if self._grad is None:
            return numerical_gradient(lambda v: one_number(self._loss(v), "loss"), w)
        g = _numbers(self._grad(w), "grad", "a function returning an array (D,)")
        if g.shape != w.shape:
            raise ValueError(f"grad must return an array of shape {w.shape}, like w, got shape {g.shape}")
        return g


class Quadratic:
    r"""The quadratic :math:`f(w) = \tfrac12 (w - c)^\top A (w - c) + f_\min`.

    Its gradient is :math:`A(w - c)` and its Hessian is :math:`A` everywhere. With
    :math:`A` positive definite, :math:`c` is the minimum; with eigenvalues of both signs,
    :math:`c` is a saddle point.

    Parameters
    ----------
    A : ndarray, shape (D, D) -- symmetric.
    center : ndarray, shape (D,), optional -- :math:`c` (default 0).
    minimum : float -- :math:`f_\min`, the value at :math:`c` (default 0).
    """

    def __init__(self, A, center=None, minimum=0.0):
        self.A = np.array(_symmetric(A, "A"), dtype=np.float64)
        self.center = np.zeros(self.dim) if center is None else check_point(center, "center", self.dim)
        self.minimum = check_real(minimum, "minimum")

    @property
    def dim(self):
        return self.A.shape[0]

    def loss(self, W):
        """``W`` (..., D) -> (...)."""
        E = as_points(W, "W", self.dim) - self.center
        return 0.5 * np.einsum("...i,ij,...j->...", E, self.A, E) + self.minimum

    def grad(self, w):
        """``w`` (D,) -> :math:`A(w - c)`, shape (D,)."""
        return self.A @ (as_points(w, "w", self.dim, vector=True) - self.center)

    def hessian(self, w=None):
        """:math:`A`, shape (D, D) (a copy; the same at every ``w``)."""
        return self.A.copy()

    def solution(self):
        """``(c, f_min)``: the critical point and the value there."""
        return self.center.copy(), self.minimum


def rotated_quadratic(eigenvalues, angle_deg=0.0, center=None):
    r"""A 2-D :class:`Quadratic` whose Hessian has the given eigenvalues, its eigenvectors
    rotated by ``angle_deg`` degrees from the axes: :math:`A = R\,\mathrm{diag}(\lambda)\,R^\top`.

    An ill-conditioned example: ``rotated_quadratic((1, 50), 30)`` has condition number 50
    and a valley not aligned with either parameter.
    """
    lam = as_float_array(eigenvalues, "eigenvalues", ndim=1)
    if lam.shape != (2,):
        raise ValueError(f"eigenvalues must be a pair (lambda_1, lambda_2), got shape {lam.shape}")
    t = math.radians(check_real(angle_deg, "angle_deg"))
    R = np.array([[math.cos(t), -math.sin(t)], [math.sin(t), math.cos(t)]])
    A = R @ np.diag(lam) @ R.T
    return Quadratic((A + A.T) / 2, center=center)


class LinearRegression:
    r"""Mean squared error of a linear model without intercept, a function of its weights:

    .. math:: L(w) = \frac1N \sum_{t=1}^N (x_t^\top w - y_t)^2, \qquad
              \nabla L = \frac2N X^\top (Xw - y), \qquad \nabla^2 L = \frac2N X^\top X.

    The Hessian does not depend on :math:`w` and its scale is the scale of the features
    squared: a feature in the thousands makes it huge in that direction.

    Parameters
    ----------
    X : ndarray, shape (N, D) -- features (copied).
    y : ndarray, shape (N,) -- targets (copied).
    """

    def __init__(self, X, y):
        X = np.array(as_float_array(X, "X", ndim=2), dtype=np.float64)
        y = np.array(as_float_array(y, "y", ndim=1), dtype=np.float64)
        check_same_length(X, y)
        self.X, self.y = X, y

    @property
    def dim(self):
        return self.X.shape[1]

    def loss(self, W):
        """``W`` (..., D) -> mean squared error (...)."""
        W = as_points(W, "W", self.dim)
        residual = W @ self.X.T - self.y  # (..., N)
        return np.mean(residual * residual, axis=-1)

    def grad(self, w):
        """``w`` (D,) -> gradient (D,)."""
        w = as_points(w, "w", self.dim, vector=True)
        return (2.0 / len(self.y)) * (self.X.T @ (self.X @ w - self.y))

    def hessian(self, w=None):
        """:math:`2X^\\top X/N`, shape (D, D), the same at every ``w``."""
        return (2.0 / len(self.y)) * (self.X.T @ self.X)

    def solution(self):
        """``(w_star, L_min)``: the least-squares weights (D,) and the smallest loss."""
        w_star = np.linalg.lstsq(self.X, self.y, rcond=None)[0]
        return w_star, float(self.loss(w_star))


def linear_problem(X, y, scaling="none"):
    r"""The least-squares problem of predicting ``y`` from ``X`` after a feature scaling.

    Features and target are centred on their means (so the best intercept is the mean of
    ``y`` and drops out, and the loss is a function of the D weights only), and the
    features are divided by a per-feature scale:

    - ``"none"``: 1 (raw units);
    - ``"standard"``: the standard deviation (:class:`nnlib.StandardScaler`);
    - ``"minmax"``: max - min (:class:`nnlib.MinMaxScaler`, then centred).

    Scales are fitted on the ``X`` given (pass the training split). A constant feature gets
    scale 1, as the scalers do. Returns a :class:`LinearRegression` on ``(Z, y - mean(y))``.

    Parameters
    ----------
    X : ndarray, shape (N, D);  y : ndarray, shape (N,);  scaling : {"none", "standard", "minmax"}
    """
    check_choice(scaling, "scaling", set(SCALINGS))
    X = as_float_array(X, "X", ndim=2)
    y = as_float_array(y, "y", ndim=1)
    if scaling == "standard":
        Z = StandardScaler().fit_transform(X)
    elif scaling == "minmax":
        Z = MinMaxScaler().fit_transform(X)
    else:
        Z = X
    return LinearRegression(Z - Z.mean(axis=0), y - y.mean())


# --------------------------------------------------------------------------- geometry
def loss_surface(objective, w1, w2):
    """Evaluate a 2-parameter objective on the grid ``w1 x w2``, for contour plots.

    Parameters
    ----------
    objective : an objective of 2 parameters (or a function ``loss(W)``, W (..., 2) -> (...)).
    w1 : ndarray, shape (R1,) -- values of the first parameter (x axis).
    w2 : ndarray, shape (R2,) -- values of the second parameter (y axis).

    Returns
    -------
    W1, W2, L : ndarrays, shape (R2, R1) -- as ``np.meshgrid(w1, w2)``, ready for
    ``ax.contour(W1, W2, L)``.
    """
    loss = objective.loss if hasattr(objective, "loss") else objective
    if not callable(loss):
        raise TypeError(f"objective must have a loss(W) method or be callable, got {type(objective).__name__}")
    w1 = as_float_array(w1, "w1", ndim=1)
    w2 = as_float_array(w2, "w2", ndim=1)
    W1, W2 = np.meshgrid(w1, w2)
    with np.errstate(all="ignore"):  # NaN and inf are reported below
        L = _numbers(loss(np.stack([W1, W2], axis=-1)), "loss(W)", "a function returning numbers")
    if L.shape != W1.shape:
        raise ValueError(f"loss(W) must return one value per grid point, shape {W1.shape}, got {L.shape}")
    bad = L.size - np.count_nonzero(np.isfinite(L))
    if bad:
        raise ValueError(f"the objective's loss is NaN or infinite at {bad} of {L.size} grid points; "
                         "choose w1 and w2 where it is finite")
    return W1, W2, L


def grid_around(points, margin=0.25, resolution=80):
    """Two axes of a grid that covers ``points`` plus a ``margin`` on every side.

    Parameters
    ----------
    points : ndarray, shape (K, 2) -- e.g. the start and the minimum of a descent.
    margin : float >= 0 -- added on each side, as a fraction of the points' extent along
        that axis (an axis with zero extent gets +-1 around its value, or +-|value|).
    resolution : int >= 2 -- grid values per axis.

    Returns
    -------
    w1 : ndarray, shape (resolution,);  w2 : ndarray, shape (resolution,).
    """
    P = as_float_array(points, "points", ndim=2)
    if P.shape[1] != 2:
        raise ValueError(f"points must have 2 columns (w1, w2), got shape {P.shape}")
    margin = check_real(margin, "margin", minimum=0.0)
    resolution = check_int(resolution, "resolution", minimum=2)
    axes = []
    for k in range(2):
        lo, hi = P[:, k].min(), P[:, k].max()
        span = hi - lo
        pad = margin * span if span > 0 else (abs(lo) if lo != 0 else 1.0)
        axes.append(np.linspace(lo - pad, hi + pad, resolution))
    return axes[0], axes[1]


def numerical_hessian(f, w, eps=1e-4):
    r"""Hessian of a scalar function by central second differences.

    .. math:: H_{ij} \approx \frac{f(w + h e_i + h e_j) - f(w + h e_i - h e_j)
              - f(w - h e_i + h e_j) + f(w - h e_i - h e_j)}{4h^2}

    exact for polynomials up to degree 3 (up to rounding), error :math:`O(h^2)` otherwise.

    Parameters
    ----------
    f : callable, or an objective (its ``loss`` is used) -- ``f(w)`` for ``w`` of shape (D,).
    w : ndarray, shape (D,) -- the point (not modified).
    eps : float > 0 -- the step :math:`h`.

    Returns
    -------
    H : ndarray, shape (D, D), symmetric.
    """
    if hasattr(f, "loss"):
        f = f.loss
    if not callable(f):
        raise TypeError(f"f must be a function f(w) or an objective, got {type(f).__name__}")
    w = check_point(w, "w")
    h = check_real(eps, "eps", minimum=0.0, min_inclusive=False)
    d = len(w)
    E = np.eye(d) * h
    H = np.empty((d, d))
    with np.errstate(all="ignore"):  # NaN or inf is reported below
        for i in range(d):
            for j in range(i, d):
                v = [one_number(f(w + si * E[i] + sj * E[j]), "f") for si, sj in ((1, 1), (1, -1), (-1, 1), (-1, -1))]
                H[i, j] = H[j, i] = (v[0] - v[1] - v[2] + v[3]) / (4 * h * h)
    return check_finite_result(H, "f returned NaN or inf within 2 * eps of w, or the Hessian",
                               "numerical_hessian needs f finite around w (try a larger eps or a rescaled f)")


def _symmetric(H, name="hessian"):
    """A finite, square matrix, symmetric up to rounding."""
    H = as_float_array(H, name, ndim=2)
    if H.shape[0] != H.shape[1]:
        raise ValueError(f"{name} must be square (D, D), got shape {H.shape}")
    if not np.allclose(H, H.T, rtol=1e-8, atol=1e-12 * max(np.abs(H).max(), 1e-300)):
        raise ValueError(f"{name} must be symmetric ({name} == {name}.T), got |{name} - {name}.T| up to "
                         f"{np.abs(H - H.T).max():.3g}; use ({name} + {name}.T) / 2")
    return H


def classify_critical_point(hessian, tol=1e-8):
    r"""Name a critical point from the eigenvalues of its Hessian.

    ``"minimum"`` (all eigenvalues > tol: :math:`v^\top H v > 0` for every :math:`v \neq 0`),
    ``"maximum"`` (all < -tol), ``"saddle"`` (some > tol and some < -tol), otherwise
    ``"degenerate"`` (a zero eigenvalue: the second derivative cannot tell).

    Parameters
    ----------
    hessian : ndarray, shape (D, D), symmetric;  tol : float >= 0.

    Returns
    -------
    kind : str;  eigenvalues : ndarray, shape (D,), ascending.
    """
    H = _symmetric(hessian)
    tol = check_real(tol, "tol", minimum=0.0)
    lam = np.linalg.eigvalsh((H + H.T) / 2)
    if np.all(lam > tol):
        kind = "minimum"
    elif np.all(lam < -tol):
        kind = "maximum"
    elif np.any(lam > tol) and np.any(lam < -tol):
        kind = "saddle"
    else:
        kind = "degenerate"
    return kind, lam


def condition_number(hessian):
    r""":math:`\kappa = \lambda_\max / \lambda_\min` of a symmetric positive definite matrix
    (D, D); ``inf`` when the smallest eigenvalue is 0."""
    H = _symmetric(hessian)
    lam = np.linalg.eigvalsh((H + H.T) / 2)
    if lam[0] < -1e-12 * abs(lam[-1]):
        raise ValueError(f"hessian must be positive (semi-)definite, got smallest eigenvalue {lam[0]:.3g}")
    return float("inf") if lam[0] <= 0 else float(lam[-1] / lam[0])



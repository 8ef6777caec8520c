r"""Checkers of notebook 03's exercises (data normalization).

| checker                     | exercise                                                          |
|-----------------------------|-------------------------------------------------------------------|
| ``check_largest_stable_lr`` | implement: :math:`2/\lambda_\max` of the Hessian :math:`2X^\top X/N` |
| ``check_kappa_prediction``  | predict: κ after standardizing two features with ρ = 0.9          |
| ``check_standardize``       | implement: a standard scaler fitted on the training split          |
| ``check_minmax_splits``     | find the bug: a min-max scaler that leaks (fitted on all the data) |

Each checker tests the student's answer on fresh random data (so no printed number can be copied),
gives a specific hint for each common mistake, and never shows the reference answer. numpy only.
"""

import numpy as np

from . import checking
from .checking import Mistake, exercise

__all__ = ["check_largest_stable_lr", "check_kappa_prediction", "check_standardize", "check_minmax_splits"]

#: A prediction of κ passes within this relative tolerance.
KAPPA_RTOL = 0.10
RHO = 0.9


def _correlated_features(rng, n, rho, scales, means):
    """(n, 2) features whose *sample* correlation is exactly ``rho`` (population std ``scales``)."""
    Z = rng.standard_normal((n, 2))
    Z -= Z.mean(axis=0)
    Z = Z @ np.linalg.inv(np.linalg.cholesky(Z.T @ Z / n)).T  # sample covariance exactly I
    Z = Z @ np.linalg.cholesky(np.array([[1.0, rho], [rho, 1.0]])).T
    return Z * np.asarray(scales) + np.asarray(means)


# --------------------------------------------------------------------------- 2 / lambda_max
def _lr(X, hessian_factor=2.0, per_sample=True, which=-1, diagonal=False, numerator=2.0):
    n = len(X) if per_sample else 1
    H = hessian_factor * X.T @ X / n
    lam = np.diag(H).max() if diagonal else np.linalg.eigvalsh(H)[which]
    return numerator / lam


@exercise
def check_largest_stable_lr(largest_stable_lr):
    """``largest_stable_lr(X) -> float``: the largest stable learning rate of plain gradient descent
    on the mean squared error :math:`\\frac1N\\|Xw - y\\|^2` (no intercept), X of shape (N, D)."""
    rng = np.random.default_rng()
    n = int(rng.integers(30, 80))
    X = _correlated_features(rng, n, rng.uniform(0.5, 0.8), rng.uniform(1, 5, 2), rng.uniform(1, 3, 2))
    X = np.column_stack([X, rng.normal(0.5, 0.3, n)])
    before = X.copy()
    got = checking.number(checking.call(largest_stable_lr, X, name="largest_stable_lr"), "largest_stable_lr(X)")
    checking.unchanged(before, X, "X")
    Xc = X - X.mean(axis=0)
    checking.diagnose(got, _lr(X), {
        "missing a factor 2: gradient descent stays bounded while |1 - lr * lambda| <= 1, "
        "that is up to lr = 2 / lambda": _lr(X, numerator=1.0),
        "the limit is set by the steepest direction: use the largest eigenvalue "
        "(np.linalg.eigvalsh sorts them in ascending order)": _lr(X, which=0),
        "the Hessian of the mean squared error is (2/N) X^T X: did you drop its factor 2?": _lr(X, hessian_factor=1.0),
        "the loss is a mean over the N samples: divide X^T X by N": _lr(X, per_sample=False),
        "the diagonal entries are not the eigenvalues: with correlated features lambda_max is larger "
        "than every diagonal entry": _lr(X, diagonal=True),
        "the model has no intercept here: use X itself, not X minus its mean": _lr(Xc),
        "the singular values of X are the square roots of the eigenvalues of X^T X: square them":
            2.0 / (2.0 * np.linalg.svd(X / np.sqrt(n), compute_uv=False)[0]),
    }, rtol=1e-6)
    return "largest_stable_lr gives 2 / lambda_max on random correlated data"


# --------------------------------------------------------------------------- predicting kappa
def measured_kappa(rng=None, rho=RHO):
    """κ of the Hessian :math:`2Z^\\top Z/N` after standardizing two features of sample correlation ``rho``."""
    rng = np.random.default_rng(rng)
    X = _correlated_features(rng, 500, rho, (300.0, 2.0), (750.0, 5.0))
    Z = (X - X.mean(axis=0)) / X.std(axis=0)
    lam = np.linalg.eigvalsh(2.0 * Z.T @ Z / len(Z))
    return float(lam[-1] / lam[0])


@exercise
def check_kappa_prediction(predicted_kappa):
    """``predicted_kappa``: the condition number after standardizing two features with ρ = 0.9."""
    guess = checking.number(predicted_kappa, "predicted_kappa")
    kappa = measured_kappa()
    if abs(guess - kappa) <= KAPPA_RTOL * kappa:
        return (f"measured kappa = {kappa:.3g}: standardizing equalizes the scales but keeps the correlation, "
                "so the Hessian is 2 x the correlation matrix")
    if abs(guess - 1.0) <= 0.2:
        hint = ("standardizing makes every variance 1 but keeps the correlation: the Hessian becomes "
                "2 x [[1, rho], [rho, 1]], not 2 x the identity")
    elif abs(guess - 1.0 / (1.0 - RHO)) <= 0.05 * kappa:
        hint = "that would be 1 / (1 - rho), as if the largest eigenvalue were 1: compute both eigenvalues"
    else:
        hint = "the eigenvalues of [[1, rho], [rho, 1]] are 1 + rho and 1 - rho"
    raise Mistake(f"{guess:.3g} is not within {KAPPA_RTOL:.0%} of the measured kappa = {kappa:.3g}; {hint}")


# --------------------------------------------------------------------------- scalers by hand
def _standard(fit, X, ddof=0, power=1.0, centre=True, axis=0):
    mean = fit.mean(axis=axis, keepdims=True)
    scale = fit.std(axis=axis, ddof=ddof, keepdims=True) ** power
    scale = np.where(scale == 0, 1.0, scale)
    return ((X - mean) if centre else X) / scale


def _splits(rng, n_features=4):
    scales = rng.uniform(0.5, 3.0, n_features) * 10.0 ** rng.integers(-2, 4, n_features)
    means = rng.normal(0, 3, n_features) * scales
    X_train = rng.normal(size=(int(rng.integers(20, 40)), n_features)) * scales + means
    X_val = rng.normal(0.7, 1.3, size=(int(rng.integers(8, 15)), n_features)) * scales + means  # shifted
    X_val[0], X_val[1] = X_train.max(axis=0) + scales, X_train.min(axis=0) - scales  # beyond the training range
    return X_train, X_val


def _pair(result, shapes, name):
    if not isinstance(result, tuple) or len(result) != 2:
        raise Mistake(f"{name} should return a pair (Z_train, Z_val), got {type(result).__name__}")
    return [checking.array(r, s, f"{name}'s {part}") for r, s, part in zip(result, shapes, ("Z_train", "Z_val"))]


def _check_scaler(fn, name, transform, mistakes, constant_hint):
    rng = np.random.default_rng()
    X_train, X_val = _splits(rng)
    copies = X_train.copy(), X_val.copy()
    Z_train, Z_val = _pair(checking.call(fn, X_train, X_val, name=name), (X_train.shape, X_val.shape), name)
    checking.unchanged(copies[0], X_train, "X_train")
    checking.unchanged(copies[1], X_val, "X_val")
    both = np.concatenate([Z_train, Z_val])
    expected = np.concatenate([transform(X_train, X_train), transform(X_train, X_val)])
    checking.diagnose(both, expected, {hint: np.concatenate(wrong(X_train, X_val)) for hint, wrong in mistakes.items()})
    # one feature as a column (N, 1) must stay a column
    _pair(checking.call(fn, X_train[:, :1], X_val[:, :1], name=name), (X_train[:, :1].shape, X_val[:, :1].shape), name)
    # a constant feature (the same value in every training row) maps to a number, never NaN
    C_train, C_val = X_train.copy(), X_val.copy()
    C_train[:, 1], C_val[:, 1] = 20.0, 20.0
    with np.errstate(divide="ignore", invalid="ignore"):
        result = checking.call(fn, C_train, C_val, name=name)
    if isinstance(result, tuple) and len(result) == 2 and not all(np.isfinite(np.asarray(r, float)).all() for r in result):
        raise Mistake(constant_hint)
    Z_train, Z_val = _pair(result, (C_train.shape, C_val.shape), name)
    checking.diagnose(np.concatenate([Z_train, Z_val]),
                      np.concatenate([transform(C_train, C_train), transform(C_train, C_val)]), {})


def _std_transform(fit, X):
    return _standard(fit, X)


@exercise
def check_standardize(standardize):
    """``standardize(X_train, X_val) -> (Z_train, Z_val)``: (x - mean) / std per feature, the mean and
    std (divided by N) fitted on ``X_train`` only; a constant feature gets a scale of 1."""
    mistakes = {
        "you divided by the variance; divide by the standard deviation (its square root)":
            lambda A, B: (_standard(A, A, power=2.0), _standard(A, B, power=2.0)),
        "use the population standard deviation (divided by N, ddof=0), as the formula above":
            lambda A, B: (_standard(A, A, ddof=1), _standard(A, B, ddof=1)),
        "subtract the mean before dividing: the standardized features must have mean 0":
            lambda A, B: (_standard(A, A, centre=False), _standard(A, B, centre=False)),
        "the validation rows were scaled with their own mean and std: fit on X_train only, then apply "
        "the same statistics to X_val": lambda A, B: (_standard(A, A), _standard(B, B)),
        "the statistics came from training and validation rows together (a leak): fit on X_train only":
            lambda A, B: (_standard(np.vstack([A, B]), A), _standard(np.vstack([A, B]), B)),
        "statistics per feature are taken over the samples, along axis 0 (not axis 1)":
            lambda A, B: (_standard(A, A, axis=1), _standard(B, B, axis=1)),
    }
    _check_scaler(standardize, "standardize", _std_transform, mistakes,
                  "a constant feature gave NaN or inf: its std is 0, so use a scale of 1 for it "
                  "(np.where(std == 0, 1, std))")
    return "standardize fits on the training split and scales every split with the same statistics"


def _minmax(fit, X, own_range=True):
    lo, hi = fit.min(axis=0), fit.max(axis=0)
    span = np.where(hi == lo, 1.0, hi - lo) if own_range else np.where(hi == 0, 1.0, hi)
    return (X - lo) / span


@exercise
def check_minmax_splits(minmax_splits):
    """``minmax_splits(X_train, X_val) -> (Z_train, Z_val)``: (x - min) / (max - min) per feature,
    min and max from ``X_train`` only; a constant feature gets a range of 1."""
    mistakes = {
        "this is still the leak: min and max came from training and validation rows together; take "
        "them from X_train only": lambda A, B: (_minmax(np.vstack([A, B]), A), _minmax(np.vstack([A, B]), B)),
        "the validation rows were scaled with their own min and max (a second fit): use the training "
        "split's min and max for both": lambda A, B: (_minmax(A, A), _minmax(B, B)),
        "divide by the range max - min, not by max": lambda A, B: (_minmax(A, A, False), _minmax(A, B, False)),
        "min and max per feature are taken over the samples, along axis 0":
            lambda A, B: ((A - A.min(1, keepdims=True)) / np.ptp(A, 1, keepdims=True),
                          (B - B.min(1, keepdims=True)) / np.ptp(B, 1, keepdims=True)),
    }
    _check_scaler(minmax_splits, "minmax_splits", _minmax, mistakes,
                  "a constant feature gave NaN or inf: its max - min is 0, so use a range of 1 for it")
    return "minmax_splits uses the training split's min and max for every split (no leak)"

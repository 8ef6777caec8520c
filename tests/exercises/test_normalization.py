"""nnlib.exercises.normalization: each checker accepts the reference, rejects the common mistakes with
their hint, and says "not answered yet" for the placeholder."""

import numpy as np
import pytest

from nnlib.exercises import normalization as ex


def placeholder(*args):
    raise NotImplementedError  # YOUR CODE HERE


def assert_hint(result, hint):
    assert not result.passed and result.answered, str(result)
    assert str(result).startswith("✗ ") and hint in str(result), str(result)
    assert "\n" not in str(result)


# ------------------------------------------------------------------ 2 / lambda_max
def lr_reference(X):
    return 2.0 / np.linalg.eigvalsh(2.0 * X.T @ X / len(X))[-1]


def test_largest_stable_lr_accepts_the_reference():
    for _ in range(5):  # fresh random cases every time
        result = ex.check_largest_stable_lr(lr_reference)
        assert result.passed and str(result).startswith("✓ "), str(result)


@pytest.mark.parametrize("wrong, hint", [
    (lambda X: 1.0 / np.linalg.eigvalsh(2.0 * X.T @ X / len(X))[-1], "missing a factor 2"),
    (lambda X: 2.0 / np.linalg.eigvalsh(2.0 * X.T @ X / len(X))[0], "largest eigenvalue"),
    (lambda X: 2.0 / np.linalg.eigvalsh(X.T @ X / len(X))[-1], "drop its factor 2"),
    (lambda X: 2.0 / np.linalg.eigvalsh(2.0 * X.T @ X)[-1], "divide X^T X by N"),
    (lambda X: 2.0 / np.diag(2.0 * X.T @ X / len(X)).max(), "not the eigenvalues"),
    (lambda X: 2.0 / np.linalg.eigvalsh(2.0 * np.cov(X.T, bias=True))[-1], "no intercept"),
    (lambda X: 2.0 / (2.0 * np.linalg.svd(X / np.sqrt(len(X)), compute_uv=False)[0]), "square them"),
    (lambda X: np.array([0.1, 0.2]), "should be a number"),
])
def test_largest_stable_lr_rejects_common_mistakes(wrong, hint):
    assert_hint(ex.check_largest_stable_lr(wrong), hint)


def test_largest_stable_lr_catches_a_mutated_input():
    def mutating(X):
        X -= X.mean(axis=0)
        return 1.0
    assert_hint(ex.check_largest_stable_lr(mutating), "modified X in place")


# ------------------------------------------------------------------ predicting kappa
def test_kappa_prediction_accepts_the_theory_and_explains():
    result = ex.check_kappa_prediction((1 + 0.9) / (1 - 0.9))
    assert result.passed and "measured kappa = 19" in str(result)
    assert ex.check_kappa_prediction(18.0).passed  # within 10 %


@pytest.mark.parametrize("guess, hint", [
    (1.0, "keeps the correlation"),
    (10.0, "1 / (1 - rho)"),
    (1.9, "1 + rho and 1 - rho"),
    (22500.0, "1 + rho and 1 - rho"),
])
def test_kappa_prediction_rejects_wrong_guesses_with_the_measured_value(guess, hint):
    result = ex.check_kappa_prediction(guess)
    assert_hint(result, hint)
    assert "measured kappa = 19" in str(result)


def test_measured_kappa_is_the_theory():
    assert ex.measured_kappa(0) == pytest.approx(19.0, rel=1e-9)
    assert ex.measured_kappa(1, rho=0.5) == pytest.approx(3.0, rel=1e-9)


# ------------------------------------------------------------------ standard scaler by hand
def standardize_reference(X_train, X_val):
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    std = np.where(std == 0, 1.0, std)
    return (X_train - mean) / std, (X_val - mean) / std


def test_standardize_accepts_the_reference():
    for _ in range(5):
        assert ex.check_standardize(standardize_reference).passed


def _std(fit_train, fit_val=None, ddof=0, power=1.0, centre=True, guard=True):
    def standardize(X_train, X_val):
        out = []
        for X, F in ((X_train, fit_train(X_train, X_val)), (X_val, (fit_val or fit_train)(X_train, X_val))):
            s = F.std(axis=0, ddof=ddof) ** power
            s = np.where(s == 0, 1.0, s) if guard else s
            out.append(((X - F.mean(axis=0)) if centre else X) / s)
        return tuple(out)
    return standardize


TRAIN = lambda A, B: A  # noqa: E731
BOTH = lambda A, B: np.vstack([A, B])  # noqa: E731


def _mutating(X_train, X_val):
    X_train -= X_train.mean(axis=0)  # centres the caller's array
    return standardize_reference(X_train, X_val)


def _flattening(X_train, X_val):
    Z_train, Z_val = standardize_reference(X_train, X_val)
    return (Z_train.ravel(), Z_val.ravel()) if X_train.shape[1] == 1 else (Z_train, Z_val)


def _rows(X_train, X_val):
    return tuple((X - X.mean(axis=1, keepdims=True)) / X.std(axis=1, keepdims=True) for X in (X_train, X_val))


@pytest.mark.parametrize("wrong, hint", [
    (_std(TRAIN, power=2.0), "divided by the variance"),
    (_std(TRAIN, ddof=1), "ddof=0"),
    (_std(TRAIN, centre=False), "subtract the mean"),
    (_std(TRAIN, fit_val=lambda A, B: B), "their own mean and std"),
    (_std(BOTH), "a leak"),
    (_rows, "along axis 0"),
    (_std(TRAIN, guard=False), "constant feature gave NaN"),
    (_mutating, "modified X_train in place"),
    (_flattening, "(N,) vs (N, 1)"),
    (lambda A, B: standardize_reference(A, B)[0], "should return a pair"),
])
def test_standardize_rejects_common_mistakes(wrong, hint):
    with np.errstate(divide="ignore", invalid="ignore"):
        assert_hint(ex.check_standardize(wrong), hint)


# ------------------------------------------------------------------ find the bug: the leaky min-max
def minmax_reference(X_train, X_val):
    lo, hi = X_train.min(axis=0), X_train.max(axis=0)
    span = np.where(hi > lo, hi - lo, 1.0)
    return (X_train - lo) / span, (X_val - lo) / span


def minmax_buggy(X_train, X_val):  # the notebook's broken version
    X_all = np.vstack([X_train, X_val])
    lo, hi = X_all.min(axis=0), X_all.max(axis=0)
    span = np.where(hi > lo, hi - lo, 1.0)
    return (X_train - lo) / span, (X_val - lo) / span


def test_minmax_splits_accepts_the_fix():
    for _ in range(5):
        assert ex.check_minmax_splits(minmax_reference).passed


def _refit(X_train, X_val):
    return minmax_reference(X_train, X_train)[0], minmax_reference(X_val, X_val)[0]


def _by_max(X_train, X_val):
    lo, hi = X_train.min(axis=0), X_train.max(axis=0)
    return (X_train - lo) / hi, (X_val - lo) / hi


def _unguarded(X_train, X_val):
    lo, hi = X_train.min(axis=0), X_train.max(axis=0)
    return (X_train - lo) / (hi - lo), (X_val - lo) / (hi - lo)


@pytest.mark.parametrize("wrong, hint", [
    (minmax_buggy, "still the leak"),
    (_refit, "their own min and max"),
    (_by_max, "not by max"),
    (_unguarded, "range of 1"),
])
def test_minmax_splits_rejects_the_leak_and_other_mistakes(wrong, hint):
    with np.errstate(divide="ignore", invalid="ignore"):
        assert_hint(ex.check_minmax_splits(wrong), hint)


# ------------------------------------------------------------------ placeholders
@pytest.mark.parametrize("check", [ex.check_largest_stable_lr, ex.check_standardize, ex.check_minmax_splits])
def test_placeholder_functions_are_not_answered_yet(check):
    result = check(placeholder)
    assert str(result) == "✗ not answered yet" and not result.answered


def test_placeholder_prediction_is_not_answered_yet():
    assert str(ex.check_kappa_prediction(...)) == "✗ not answered yet"

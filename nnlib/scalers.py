r"""Feature scaling with scikit-learn's contract: ``fit -> self``, ``transform``,
``inverse_transform``, ``fit_transform``; what ``fit`` learns ends in ``_``.

Fit on the training split only, then transform every split with the same statistics.
``X`` is (N, D): N samples, D features. Inputs are never modified.
"""

import numpy as np

from .validation import as_float_array, check_finite_result, check_n_features


class NotFittedError(ValueError, AttributeError):
    """A scaler was used before :meth:`fit`."""


class _Scaler:
    def _check_fitted(self, method):
        if not hasattr(self, "n_features_in_"):
            raise NotFittedError(f"This {type(self).__name__} is not fitted yet: call fit(X_train) "
                                 f"before {method}")

    def _check_X(self, X, method):
        self._check_fitted(method)
        X = as_float_array(X, "X", ndim=2)
        check_n_features(X, self.n_features_in_)
        return X

    def fit_transform(self, X):
        """``fit(X)`` then ``transform(X)``."""
        return self.fit(X).transform(X)


class StandardScaler(_Scaler):
    r"""Standardize each feature: :math:`z = (x - \mu) / \sigma`.

    :math:`\mu` and :math:`\sigma` are the per-feature mean and *population* standard deviation
    (divided by N, not N-1) of the data given to :meth:`fit`.
    A constant feature (:math:`\sigma = 0`) gets ``scale_ = 1``, so it maps to 0 and never to NaN.
    Features of any finite size are handled: with values near 1e300 the squares would overflow,
    so each feature is divided by its largest magnitude before its statistics are taken
    (``var_`` is then inf when :math:`\sigma` exceeds ~1e154; ``scale_`` is always finite).

    Attributes
    ----------
    mean_ : (D,)  var_ : (D,)  scale_ : (D,)  n_features_in_ : int  n_samples_seen_ : int
    """

    def fit(self, X):
        X = as_float_array(X, "X", ndim=2)
        size = np.abs(X).max(axis=0)
        size[size == 0] = 1.0
        unit = X / size  # every feature in [-1, 1]: its variance cannot overflow
        self.mean_ = unit.mean(axis=0) * size
        std = unit.std(axis=0) * size
        constant = X.max(axis=0) == X.min(axis=0)
        self.mean_[constant] = X[0, constant]  # exact, so constant features map to exactly 0
        std[constant] = 0.0
        with np.errstate(over="ignore"):
            self.var_ = std * std
        self.scale_ = np.where(constant, 1.0, std)
        self.n_features_in_, self.n_samples_seen_ = X.shape[1], X.shape[0]
        return self

    def transform(self, X):
        """(N, D) -> standardized (N, D), a new array."""
        X = self._check_X(X, "transform")
        with np.errstate(over="ignore", invalid="ignore"):
            Z = (X - self.mean_) / self.scale_
            if not np.isfinite(Z).all():  # x - mean overflowed (values near +-1e308): divide first
                Z = X / self.scale_ - self.mean_ / self.scale_
        return check_finite_result(Z, "the standardized values", "these values lie too far from the training "
                                   "data to be represented")

    def inverse_transform(self, Z):
        """Undo :meth:`transform`: ``Z * scale_ + mean_``."""
        Z = self._check_X(Z, "inverse_transform")
        with np.errstate(over="ignore", invalid="ignore"):
            X = Z * self.scale_ + self.mean_
        return check_finite_result(X, "inverse_transform", "Z is too large to map back to float64 features")


class MinMaxScaler(_Scaler):
    r"""Rescale each feature to ``feature_range = (a, b)``:
    :math:`z = a + (x - \min x)\,\dfrac{b - a}{\max x - \min x}`.

    A constant feature (max = min) gets a range of 1, so it maps to ``a`` and never to NaN.
    One outlier stretches max - min and squashes every other value into a narrow band.

    Attributes
    ----------
    data_min_, data_max_, data_range_ : (D,)  per-feature statistics of the fitted data
    scale_, min_ : (D,)  with ``transform(X) = X * scale_ + min_`` (computed as
        ``(X - data_min_) * scale_ + a``, which maps constant features to exactly ``a``)

    Features of any finite size are handled: the differences are taken between halves
    (``x/2 - min/2``, exact for floats), so values near +-1e308 give a finite ``scale_`` and
    finite results; ``data_range_`` is then inf.
    """

    def __init__(self, feature_range=(0, 1)):
        try:
            lo, hi = (float(v) for v in feature_range)
        except (TypeError, ValueError):
            raise TypeError(f"feature_range must be a pair of numbers (min, max), got {feature_range!r}") from None
        if not (np.isfinite(lo) and np.isfinite(hi)) or lo >= hi:
            raise ValueError(f"feature_range must have min < max, got {feature_range!r}")
        self.feature_range = (lo, hi)

    def fit(self, X):
        X = as_float_array(X, "X", ndim=2)
        lo, hi = self.feature_range
        self.data_min_, self.data_max_ = X.min(axis=0), X.max(axis=0)
        with np.errstate(over="ignore"):
            self.data_range_ = self.data_max_ - self.data_min_
        half_range = 0.5 * self.data_max_ - 0.5 * self.data_min_  # finite even where the range is not
        half_range[half_range == 0] = 1.0
        self.scale_ = 0.5 * (hi - lo) / half_range  # the same bits as (hi - lo) / range, without overflow
        self.min_ = lo - self.data_min_ * self.scale_
        self.n_features_in_, self.n_samples_seen_ = X.shape[1], X.shape[0]
        return self

    def transform(self, X):
        """(N, D) -> rescaled (N, D), a new array; unseen data may fall outside the range."""
        X = self._check_X(X, "transform")
        with np.errstate(over="ignore", invalid="ignore"):  # (x - min) * scale, from halves: no overflow
            Z = (0.5 * X - 0.5 * self.data_min_) * (2.0 * self.scale_) + self.feature_range[0]
        return check_finite_result(Z, "the rescaled values", "these values lie too far outside the training range")

    def inverse_transform(self, Z):
        """Undo :meth:`transform`: ``(Z - min_) / scale_``."""
        Z = self._check_X(Z, "inverse_transform")
        with np.errstate(over="ignore", invalid="ignore"):
            # (z - a) / scale + min, taken in halves like transform, so wide ranges do not overflow
            X = 2.0 * ((Z - self.feature_range[0]) / (2.0 * self.scale_) + 0.5 * self.data_min_)
        return check_finite_result(X, "inverse_transform", "Z is too large to map back to float64 features")

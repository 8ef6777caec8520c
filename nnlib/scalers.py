r"""Feature scaling with scikit-learn's contract: ``fit -> self``, ``transform``,
``inverse_transform``, ``fit_transform``; what ``fit`` learns ends in ``_``.

Fit on the training split only, then transform every split with the same statistics.
``X`` is (N, D): N samples, D features. Inputs are never modified.
"""

import numpy as np

from .validation import as_float_array, check_n_features


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

    Attributes
    ----------
    mean_ : (D,)  var_ : (D,)  scale_ : (D,)  n_features_in_ : int  n_samples_seen_ : int
    """

    def fit(self, X):
        X = as_float_array(X, "X", ndim=2)
        self.mean_ = X.mean(axis=0)
        self.var_ = X.var(axis=0)
        constant = X.max(axis=0) == X.min(axis=0)
        self.mean_[constant] = X[0, constant]  # exact, so constant features map to exactly 0
        self.var_[constant] = 0.0
        self.scale_ = np.where(constant, 1.0, np.sqrt(self.var_))
        self.n_features_in_, self.n_samples_seen_ = X.shape[1], X.shape[0]
        return self

    def transform(self, X):
        """(N, D) -> standardized (N, D), a new array."""
        X = self._check_X(X, "transform")
        return (X - self.mean_) / self.scale_

    def inverse_transform(self, Z):
        """Undo :meth:`transform`: ``Z * scale_ + mean_``."""
        Z = self._check_X(Z, "inverse_transform")
        return Z * self.scale_ + self.mean_


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
        self.data_range_ = self.data_max_ - self.data_min_
        safe_range = np.where(self.data_range_ == 0, 1.0, self.data_range_)
        self.scale_ = (hi - lo) / safe_range
        self.min_ = lo - self.data_min_ * self.scale_
        self.n_features_in_, self.n_samples_seen_ = X.shape[1], X.shape[0]
        return self

    def transform(self, X):
        """(N, D) -> rescaled (N, D), a new array; unseen data may fall outside the range."""
        X = self._check_X(X, "transform")
        return (X - self.data_min_) * self.scale_ + self.feature_range[0]

    def inverse_transform(self, Z):
        """Undo :meth:`transform`: ``(Z - min_) / scale_``."""
        Z = self._check_X(Z, "inverse_transform")
        return (Z - self.min_) / self.scale_

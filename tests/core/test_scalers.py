"""nnlib.scalers: StandardScaler and MinMaxScaler against hand-computed values."""

import math

import numpy as np
import pytest

from nnlib import MinMaxScaler, NotFittedError, StandardScaler

X_HAND = np.array([[1.0, 10.0], [2.0, 20.0], [3.0, 60.0]])
SCALERS = {
    "standard": StandardScaler,
    "minmax": MinMaxScaler,
    "minmax_-1_1": lambda: MinMaxScaler(feature_range=(-1, 1)),
}


def _data(seed=0, shape=(50, 4)):
    rng = np.random.default_rng(seed)
    return rng.standard_normal(shape) * [1.0, 10.0, 0.01, 1000.0][: shape[1]] + [0.0, 5.0, -3.0, 1e4][: shape[1]]


# ------------------------------------------------------------------ values by hand

def test_standard_scaler_hand_values():
    s = StandardScaler().fit(X_HAND)
    np.testing.assert_allclose(s.mean_, [2.0, 30.0])
    # population variance (divide by N = 3): [(1 + 0 + 1) / 3, (400 + 100 + 900) / 3]
    np.testing.assert_allclose(s.var_, [2 / 3, 1400 / 3])
    np.testing.assert_allclose(s.scale_, [math.sqrt(2 / 3), math.sqrt(1400 / 3)])
    assert s.n_features_in_ == 2 and s.n_samples_seen_ == 3
    Z = s.transform(X_HAND)
    expected = np.array([[-1 / math.sqrt(2 / 3), -20 / math.sqrt(1400 / 3)],
                         [0.0, -10 / math.sqrt(1400 / 3)],
                         [1 / math.sqrt(2 / 3), 30 / math.sqrt(1400 / 3)]])
    np.testing.assert_allclose(Z, expected, rtol=1e-14, atol=1e-15)
    # standardized training data: mean 0, population std 1
    np.testing.assert_allclose(Z.mean(axis=0), 0.0, atol=1e-15)
    np.testing.assert_allclose(Z.std(axis=0), 1.0, rtol=1e-14)


def test_minmax_scaler_hand_values():
    s = MinMaxScaler().fit(X_HAND)
    np.testing.assert_allclose(s.data_min_, [1.0, 10.0])
    np.testing.assert_allclose(s.data_max_, [3.0, 60.0])
    np.testing.assert_allclose(s.data_range_, [2.0, 50.0])
    np.testing.assert_allclose(s.transform(X_HAND), [[0.0, 0.0], [0.5, 0.2], [1.0, 1.0]], atol=1e-15)
    np.testing.assert_allclose(s.scale_, [0.5, 0.02])
    np.testing.assert_allclose(s.min_, [-0.5, -0.2])


def test_minmax_feature_range_minus_one_one():
    s = MinMaxScaler(feature_range=(-1, 1)).fit(X_HAND)
    assert s.feature_range == (-1.0, 1.0)
    np.testing.assert_allclose(s.transform(X_HAND), [[-1.0, -1.0], [0.0, -0.6], [1.0, 1.0]], atol=1e-15)


def test_minmax_training_data_spans_the_range_exactly():
    X = _data(1)
    for lo, hi in [(0, 1), (-1, 1), (2, 5)]:
        Z = MinMaxScaler((lo, hi)).fit_transform(X)
        np.testing.assert_allclose(Z.min(axis=0), lo, atol=1e-12)
        np.testing.assert_allclose(Z.max(axis=0), hi, atol=1e-12)


# ------------------------------------------------------------------ new data uses training statistics

def test_transform_new_data_with_training_statistics():
    s = StandardScaler().fit(X_HAND)
    new = np.array([[5.0, 30.0], [2.0, -40.0]])
    np.testing.assert_allclose(s.transform(new), (new - [2.0, 30.0]) / [math.sqrt(2 / 3), math.sqrt(1400 / 3)])
    m = MinMaxScaler().fit(X_HAND)
    # unseen data may fall outside the range
    np.testing.assert_allclose(m.transform(new), [[2.0, 0.4], [0.5, -1.0]], atol=1e-15)
    # and fitting on the new data would have given different statistics
    assert not np.allclose(StandardScaler().fit(new).mean_, s.mean_)


# ------------------------------------------------------------------ constant features

def test_standard_constant_feature():
    X = np.column_stack([np.full(10, 0.1), np.arange(10.0), np.full(10, -7.0)])
    s = StandardScaler().fit(X)
    np.testing.assert_array_equal(s.scale_[[0, 2]], 1.0)
    np.testing.assert_array_equal(s.var_[[0, 2]], 0.0)
    Z = s.transform(X)
    assert np.all(np.isfinite(Z))
    np.testing.assert_allclose(Z[:, [0, 2]], 0.0, atol=1e-12)
    np.testing.assert_allclose(s.inverse_transform(Z), X, rtol=1e-14)


CONSTANTS = [(0.1, 10), (0.7, 7), (1.1, 3), (-7.0, 10), (-3.3, 10)]


@pytest.mark.parametrize("value, n", CONSTANTS)
def test_standard_constant_feature_maps_to_zero(value, n):
    Z = StandardScaler().fit_transform(np.full((n, 1), value))
    np.testing.assert_allclose(Z, 0.0, atol=1e-12)


def test_standard_constant_feature_maps_to_exactly_zero():
    # the docstring promises "a constant feature ... maps to 0"; exactly 0, not a rounding residue
    for value, n in CONSTANTS:
        np.testing.assert_array_equal(StandardScaler().fit_transform(np.full((n, 1), value)), 0.0)


def test_minmax_constant_feature_maps_to_exactly_range_min():
    for value, n in CONSTANTS:
        Z = MinMaxScaler((0.1, 1)).fit_transform(np.full((n, 1), value))
        np.testing.assert_array_equal(Z, 0.1)


@pytest.mark.parametrize("feature_range", [(0, 1), (-1, 1), (0.1, 1)])
def test_minmax_constant_feature(feature_range):
    X = np.column_stack([np.full(10, 0.7), np.arange(10.0), np.full(10, -3.3)])
    s = MinMaxScaler(feature_range).fit(X)
    lo, hi = feature_range
    np.testing.assert_array_equal(s.data_range_[[0, 2]], 0.0)
    Z = s.transform(X)
    assert np.all(np.isfinite(Z))
    np.testing.assert_allclose(Z[:, [0, 2]], lo, atol=1e-12)
    np.testing.assert_allclose(Z[:, 1], np.linspace(lo, hi, 10), atol=1e-14)
    np.testing.assert_allclose(s.inverse_transform(Z), X, rtol=1e-14)


def test_single_row_is_all_constant():
    X = np.array([[1.0, 2.0, 3.0]])
    np.testing.assert_array_equal(StandardScaler().fit_transform(X), 0.0)
    np.testing.assert_array_equal(MinMaxScaler().fit_transform(X), 0.0)


# ------------------------------------------------------------------ contract

@pytest.mark.parametrize("name", sorted(SCALERS))
def test_round_trip(name):
    X = _data(2)
    s = SCALERS[name]().fit(X)
    np.testing.assert_allclose(s.inverse_transform(s.transform(X)), X, rtol=1e-12, atol=1e-12)
    Z = _data(3)  # also from the transformed space back
    np.testing.assert_allclose(s.transform(s.inverse_transform(Z)), Z, rtol=1e-12, atol=1e-9)


@pytest.mark.parametrize("name", sorted(SCALERS))
def test_fit_returns_self(name):
    s = SCALERS[name]()
    assert s.fit(_data(4)) is s


@pytest.mark.parametrize("name", sorted(SCALERS))
def test_fit_transform_equals_fit_then_transform(name):
    X = _data(5)
    np.testing.assert_array_equal(SCALERS[name]().fit_transform(X), SCALERS[name]().fit(X).transform(X))


@pytest.mark.parametrize("name", sorted(SCALERS))
def test_refit_replaces_statistics(name):
    s = SCALERS[name]().fit(_data(6))
    X2 = _data(7, shape=(30, 2))
    s.fit(X2)
    assert s.n_features_in_ == 2
    np.testing.assert_array_equal(s.transform(X2), SCALERS[name]().fit(X2).transform(X2))


@pytest.mark.parametrize("name", sorted(SCALERS))
@pytest.mark.parametrize("method", ["fit", "fit_transform", "transform", "inverse_transform"])
def test_inputs_not_modified(name, method):
    X = _data(8)
    s = SCALERS[name]().fit(_data(9))
    X0 = X.copy()
    out = getattr(s, method)(X)
    np.testing.assert_array_equal(X, X0)
    if method != "fit":
        assert out is not X and not np.shares_memory(out, X)


@pytest.mark.parametrize("name", sorted(SCALERS))
def test_read_only_input_works(name):
    X = _data(10)
    X.flags.writeable = False
    s = SCALERS[name]()
    Z = s.fit_transform(X)
    s.inverse_transform(Z)


@pytest.mark.parametrize("name", sorted(SCALERS))
def test_int_and_list_input(name):
    X = [[1, 10], [2, 20], [3, 60]]
    np.testing.assert_allclose(SCALERS[name]().fit_transform(X), SCALERS[name]().fit_transform(X_HAND))


def test_not_fitted_error_is_value_error():
    assert issubclass(NotFittedError, ValueError)


# ------------------------------------------------------------------ errors

@pytest.mark.parametrize("name", sorted(SCALERS))
@pytest.mark.parametrize("method", ["transform", "inverse_transform"])
def test_use_before_fit(name, method):
    with pytest.raises(NotFittedError, match="fit"):
        getattr(SCALERS[name](), method)(X_HAND)
    with pytest.raises(ValueError):
        getattr(SCALERS[name](), method)(X_HAND)


@pytest.mark.parametrize("name", sorted(SCALERS))
@pytest.mark.parametrize("method", ["transform", "inverse_transform"])
def test_feature_count_mismatch(name, method):
    s = SCALERS[name]().fit(X_HAND)
    with pytest.raises(ValueError, match="2 features"):
        getattr(s, method)(np.zeros((4, 3)))


BAD_X = {
    "1d": (np.arange(5.0), ValueError, "2-D"),
    "3d": (np.zeros((2, 2, 2)), ValueError, "2-D"),
    "nan": (np.array([[1.0, np.nan], [2.0, 3.0]]), ValueError, "finite"),
    "inf": (np.array([[1.0, np.inf], [2.0, 3.0]]), ValueError, "finite"),
    "-inf": (np.array([[1.0, 2.0], [-np.inf, 3.0]]), ValueError, "finite"),
    "empty_rows": (np.zeros((0, 2)), ValueError, "empty"),
    "empty_cols": (np.zeros((3, 0)), ValueError, "empty"),
    "strings": (np.array([["a", "b"]]), TypeError, "X"),
    "none": (None, TypeError, "X"),
}


@pytest.mark.parametrize("name", sorted(SCALERS))
@pytest.mark.parametrize("bad", sorted(BAD_X))
def test_bad_input_in_fit(name, bad):
    X, exc, match = BAD_X[bad]
    with pytest.raises(exc, match=match) as info:
        SCALERS[name]().fit(X)
    assert "X" in str(info.value)


@pytest.mark.parametrize("name", sorted(SCALERS))
@pytest.mark.parametrize("bad", ["1d", "nan", "inf", "empty_rows"])
def test_bad_input_in_transform(name, bad):
    X, exc, match = BAD_X[bad]
    s = SCALERS[name]().fit(X_HAND)
    with pytest.raises(exc, match=match):
        s.transform(X)


def test_one_d_error_suggests_reshape():
    with pytest.raises(ValueError, match="reshape"):
        StandardScaler().fit(np.arange(4.0))


@pytest.mark.parametrize("feature_range", [(1, 1), (1, 0), (0.5, -0.5), (0, np.inf), (np.nan, 1)])
def test_bad_feature_range_value(feature_range):
    with pytest.raises(ValueError, match="feature_range"):
        MinMaxScaler(feature_range=feature_range)


@pytest.mark.parametrize("feature_range", [(0, 1, 2), (0,), "ab", None, 5])
def test_bad_feature_range_type(feature_range):
    with pytest.raises(TypeError, match="feature_range"):
        MinMaxScaler(feature_range=feature_range)

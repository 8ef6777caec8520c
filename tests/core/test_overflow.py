"""Finite but extreme inputs: a correct finite result or a clear error, never silent NaN."""

import warnings

import numpy as np
import pytest

from nnlib import MLP, SGD, DivergenceWarning, MinMaxScaler, StandardScaler, Trainer, losses

HUGE = [1e200, 1e300, 1.7e308]


@pytest.fixture(autouse=True)
def no_runtime_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an overflow must not surface as a numpy warning either
        yield


@pytest.mark.parametrize("call", ["forward", "predict", "loss", "accuracy", "trace"])
def test_a_network_that_overflows_raises_instead_of_returning_nan_rows(call):
    net = MLP([2, 32, 32, 2], rng=0)
    X = np.array([[1.7e308, -1.7e308], [0.5, 0.5]])
    args = (X, [0, 1]) if call in ("loss", "accuracy") else (X,)
    with pytest.raises(ValueError, match="1 of 2 rows of X overflowed.*StandardScaler"):
        getattr(net, call)(*args)


def test_a_network_that_does_not_overflow_still_answers():
    net = MLP([2, 8, 2], rng=0)
    p = net.forward(np.array([[1e300, 1.0], [0.5, 0.5]]))
    assert np.isfinite(p).all() and np.allclose(p.sum(axis=1), 1.0)


def test_training_on_huge_features_stops_clearly_and_keeps_finite_weights():
    net = MLP([2, 16, 2], rng=0)
    X = np.array([[1e300, 1.0], [-1e300, 2.0], [0.0, 3.0], [5e299, 4.0]])
    with pytest.warns(DivergenceWarning, match="last finite weights"):
        h = Trainer(net, SGD(0.1), batch_size=2, rng=0).fit(X, [0, 1, 0, 1], 2)
    assert h.diverged and all(np.isfinite(v).all() for v in net.params.values())
    # features so large that the loss is inf before any step: an error, not a trained class-0 net
    with pytest.raises(ValueError, match="loss at the initial weights"):
        Trainer(MLP([2, 16, 2], rng=0), SGD(0.1), batch_size=2, rng=0).fit(X * 1.7e8, [0, 1, 0, 1], 2)


@pytest.mark.parametrize("size", HUGE)
def test_standard_scaler_on_huge_features_is_exact(size):
    X = np.array([[size, 1.0], [-size, 2.0], [0.0, 3.0]])
    Z = StandardScaler().fit_transform(X)
    expected = np.array([[1.0, -1.0], [-1.0, 0.0], [0.0, 1.0]]) * np.sqrt(1.5)
    np.testing.assert_allclose(Z, expected, rtol=1e-12, atol=1e-12)
    scaler = StandardScaler().fit(X)
    assert np.isfinite(scaler.scale_).all()
    np.testing.assert_allclose(scaler.inverse_transform(Z), X, rtol=1e-12)


@pytest.mark.parametrize("size", HUGE)
def test_min_max_scaler_on_huge_features_is_exact(size):
    X = np.array([[size, 0.0], [-size, 1.0], [0.0, 0.5]])
    scaler = MinMaxScaler().fit(X)
    Z = scaler.transform(X)
    np.testing.assert_allclose(Z, [[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]], rtol=1e-15, atol=1e-15)
    np.testing.assert_allclose(scaler.inverse_transform(Z), X, rtol=1e-15, atol=1e-15 * size)  # float precision


def test_min_max_halves_give_the_same_bits_as_the_plain_formula():
    X = np.random.default_rng(0).standard_normal((50, 3)) * [1.0, 1e3, 1e-3]
    scaler = MinMaxScaler(feature_range=(-1, 2)).fit(X)
    plain = (X - scaler.data_min_) * ((2 - -1) / (scaler.data_max_ - scaler.data_min_)) + -1
    assert np.array_equal(scaler.transform(X), plain)


def test_unseen_values_too_far_out_are_an_error():
    scaler = StandardScaler().fit(np.array([[1e-300], [2e-300]]))
    with pytest.raises(ValueError, match="standardized values overflowed"):
        scaler.transform(np.array([[1e300]]))


def test_squared_error_that_overflows_is_an_error():
    with pytest.raises(ValueError, match="squared error overflowed"):
        losses.squared_error(np.full((2, 1), 1e200), np.zeros((2, 1)))

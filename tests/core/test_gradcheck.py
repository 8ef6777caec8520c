"""nnlib.gradcheck: central differences, relative error, and that the model check catches bugs."""

import math

import numpy as np
import pytest

import nnlib
from nnlib import MLP, activations
from nnlib.gradcheck import check_model_gradients, numerical_gradient, relative_error


def _rng(seed=0):
    return np.random.default_rng(seed)


@pytest.mark.parametrize(
    "f, grad, shape",
    [
        (lambda x: (x ** 3).sum(), lambda x: 3 * x ** 2, (2, 3)),
        (lambda x: np.sin(x).sum(), np.cos, (5,)),
        (lambda x: np.exp(x).prod(), lambda x: np.exp(x).prod() * np.ones_like(x), (2, 2, 2)),
        (lambda x: float(x) ** 2, lambda x: 2 * x, ()),
    ],
    ids=["cube", "sin", "prod_exp", "scalar"],
)
def test_numerical_gradient_of_known_functions(f, grad, shape):
    x = _rng(1).standard_normal(shape) * 0.5
    g = numerical_gradient(f, x)
    assert g.shape == x.shape
    assert g.dtype == np.float64
    np.testing.assert_allclose(g, grad(x), rtol=1e-8, atol=1e-9)


def test_numerical_gradient_quadratic_form():
    rng = _rng(2)
    A = rng.standard_normal((4, 4))
    x = rng.standard_normal(4)
    g = numerical_gradient(lambda v: v @ A @ v, x)
    np.testing.assert_allclose(g, (A + A.T) @ x, rtol=1e-8)


def test_numerical_gradient_does_not_modify_x_and_passes_copies():
    x = _rng(3).standard_normal((3, 2))
    x0 = x.copy()
    seen = []

    def f(v):
        seen.append(v)
        v[...] = 0.0  # a careless f writing into its argument must not corrupt the next evaluation
        return 0.0

    numerical_gradient(f, x)
    np.testing.assert_array_equal(x, x0)
    assert len(seen) == 2 * x.size
    assert all(v is not x for v in seen)
    g = numerical_gradient(lambda v: (v ** 2).sum(), x)
    np.testing.assert_allclose(g, 2 * x, rtol=1e-8)


def test_numerical_gradient_accepts_int_arrays():
    g = numerical_gradient(lambda v: (v ** 2).sum(), np.array([1, 2, 3]))
    np.testing.assert_allclose(g, [2, 4, 6], rtol=1e-8)


@pytest.mark.parametrize("eps", [1e-4, 1e-6])
def test_numerical_gradient_eps(eps):
    # central differences are exact for quadratics, whatever eps
    x = np.array([0.3, -1.2])
    g = numerical_gradient(lambda v: (v ** 2).sum() + v[0] * v[1], x, eps=eps)
    np.testing.assert_allclose(g, [2 * 0.3 - 1.2, -2.4 + 0.3], rtol=1e-7)


def test_central_not_forward_difference():
    # forward differences would give 3x^2 + 3x eps, an error of 3e-2 for eps 1e-2
    g = numerical_gradient(lambda v: (v ** 3).sum(), np.array([1.0]), eps=1e-2)
    assert g[0] == pytest.approx(3.0 + 1e-4, rel=1e-10)  # (x+e)^3-(x-e)^3 / 2e = 3x^2 + e^2


@pytest.mark.parametrize("eps", [0, -1e-6])
def test_numerical_gradient_rejects_bad_eps(eps):
    with pytest.raises(ValueError, match="eps"):
        numerical_gradient(lambda v: 0.0, np.zeros(2), eps=eps)


def test_numerical_gradient_rejects_nan_x():
    with pytest.raises(ValueError, match="x"):
        numerical_gradient(lambda v: 0.0, np.array([1.0, np.nan]))


@pytest.mark.parametrize(
    "a, b, expected",
    [
        ([1.0, 2.0], [1.0, 2.0], 0.0),
        ([0.0, 0.0], [0.0, 0.0], 0.0),
        ([1.0, 0.0], [0.0, 1.0], math.sqrt(2) / 2),
        ([1.0], [-1.0], 1.0),
        ([2.0, 0.0], [1.0, 0.0], 1.0 / 3.0),
        ([1.0, 0.0], [0.0, 0.0], 1.0),
    ],
)
def test_relative_error_values(a, b, expected):
    assert relative_error(np.array(a), np.array(b)) == pytest.approx(expected, rel=1e-14, abs=0)


def test_relative_error_is_scale_invariant_and_symmetric():
    rng = _rng(4)
    a, b = rng.standard_normal(10), rng.standard_normal(10)
    assert relative_error(a, b) == pytest.approx(relative_error(b, a))
    assert relative_error(1e-8 * a, 1e-8 * b) == pytest.approx(relative_error(a, b))
    assert relative_error(a, b) <= 1.0


def test_relative_error_shape_mismatch():
    with pytest.raises(ValueError, match="shape"):
        relative_error(np.zeros(3), np.zeros((3, 1)))


def _data(rng, n=6):
    return rng.standard_normal((n, 3)), rng.integers(0, 3, n)


def test_check_model_gradients_small_for_correct_net():
    rng = _rng(5)
    net = MLP([3, 5, 4, 3], activation="tanh", l2=0.1, rng=rng)
    X, y = _data(rng)
    errors = check_model_gradients(net, X, y)
    assert set(errors) == {"W1", "b1", "W2", "b2", "W3", "b3"}
    assert all(isinstance(v, float) for v in errors.values())
    assert max(errors.values()) < 1e-7


def test_check_model_gradients_leaves_params_untouched():
    rng = _rng(6)
    net = MLP([3, 5, 3], activation="relu", rng=rng)
    X, y = _data(rng)
    before = {k: v for k, v in net.params.items()}  # same objects
    values = net.get_params()
    check_model_gradients(net, X, y)
    for k in before:
        assert net.params[k] is before[k]
        np.testing.assert_array_equal(net.params[k], values[k])


def test_check_model_gradients_catches_a_wrong_derivative():
    # tanh forward with a derivative off by a factor 2: the check must flag every hidden layer
    wrong = activations.Activation("bad_tanh", np.tanh, lambda a, h: 2.0 * (1.0 - h * h))
    rng = _rng(7)
    net = MLP([3, 5, 4, 3], activation=wrong, rng=rng)
    X, y = _data(rng)
    errors = check_model_gradients(net, X, y)
    assert errors["W1"] > 1e-2 and errors["W2"] > 1e-2
    assert errors["W3"] < 1e-7  # the output layer does not use the hidden derivative


def test_check_model_gradients_catches_a_missing_penalty_gradient(monkeypatch):
    rng = _rng(8)
    net = MLP([3, 4, 3], activation="tanh", l2=1.0, rng=rng)
    X, y = _data(rng)
    original = nnlib.regularizers.penalty
    # objective still includes the penalty, but its gradient is dropped
    monkeypatch.setattr(nnlib.regularizers, "penalty", lambda params, l2, l1, grads=None: original(params, l2, l1))
    errors = check_model_gradients(net, X, y)
    assert errors["W1"] > 1e-2
    assert errors["b1"] < 1e-7


def test_check_model_gradients_validates_data():
    net = MLP([3, 4, 3], rng=0)
    with pytest.raises(ValueError, match="X"):
        check_model_gradients(net, np.zeros((4, 2)), np.zeros(4, dtype=int))
    with pytest.raises(ValueError, match="y"):
        check_model_gradients(net, np.zeros((4, 3)), np.array([0, 1, 2, 3]))

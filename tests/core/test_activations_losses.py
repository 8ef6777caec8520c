"""nnlib.activations and nnlib.losses: formulas, derivatives, numerical stability."""

import math
import warnings

import numpy as np
import pytest

from nnlib import activations, losses
from nnlib.gradcheck import numerical_gradient, relative_error


def _rng(seed=0):
    return np.random.default_rng(seed)


def _points(seed=0, shape=(7, 5), scale=3.0, away=1e-3):
    """Random points with |a| > away, so the kinks of relu & co. are not straddled by eps."""
    a = scale * _rng(seed).standard_normal(shape)
    a[np.abs(a) < away] += 10 * away
    return a


def _ref_sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


# (id, name, alpha, reference g(a), reference g'(a))
ACTIVATION_CASES = [
    ("identity", "identity", None, lambda a: a, lambda a: np.ones_like(a)),
    ("linear", "linear", None, lambda a: a, lambda a: np.ones_like(a)),
    ("sigmoid", "sigmoid", None, _ref_sigmoid, lambda a: _ref_sigmoid(a) * (1 - _ref_sigmoid(a))),
    ("tanh", "tanh", None, np.tanh, lambda a: 1 / np.cosh(a) ** 2),
    ("relu", "relu", None, lambda a: np.maximum(a, 0), lambda a: (a > 0).astype(float)),
    ("leaky_relu", "leaky_relu", None, lambda a: np.where(a > 0, a, 0.01 * a), lambda a: np.where(a > 0, 1.0, 0.01)),
    ("leaky_relu_0.2", "leaky_relu", 0.2, lambda a: np.where(a > 0, a, 0.2 * a), lambda a: np.where(a > 0, 1.0, 0.2)),
    ("elu", "elu", None, lambda a: np.where(a > 0, a, np.exp(np.minimum(a, 0)) - 1),
     lambda a: np.where(a > 0, 1.0, np.exp(np.minimum(a, 0)))),
    ("elu_0.5", "elu", 0.5, lambda a: np.where(a > 0, a, 0.5 * (np.exp(np.minimum(a, 0)) - 1)),
     lambda a: np.where(a > 0, 1.0, 0.5 * np.exp(np.minimum(a, 0)))),
]
ACT_IDS = [c[0] for c in ACTIVATION_CASES]


@pytest.mark.parametrize("case, name, alpha, ref, dref", ACTIVATION_CASES, ids=ACT_IDS)
def test_forward_matches_formula(case, name, alpha, ref, dref):
    act = activations.get(name, alpha=alpha)
    a = _points(1)
    np.testing.assert_allclose(act.forward(a), ref(a), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(act(a), ref(a), rtol=1e-12, atol=1e-15)  # __call__


@pytest.mark.parametrize("case, name, alpha, ref, dref", ACTIVATION_CASES, ids=ACT_IDS)
def test_derivative_matches_formula(case, name, alpha, ref, dref):
    act = activations.get(name, alpha=alpha)
    a = _points(2)
    np.testing.assert_allclose(act.derivative(a, act.forward(a)), dref(a), rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("case, name, alpha, ref, dref", ACTIVATION_CASES, ids=ACT_IDS)
def test_derivative_matches_finite_differences(case, name, alpha, ref, dref):
    act = activations.get(name, alpha=alpha)
    a = _points(3)
    # g is elementwise, so the gradient of sum(g(a)) is g'(a) entry by entry
    numeric = numerical_gradient(lambda x: act.forward(x).sum(), a)
    analytic = act.derivative(a, act.forward(a))
    assert analytic.shape == a.shape
    assert relative_error(analytic, numeric) < 1e-8


@pytest.mark.parametrize("case, name, alpha, ref, dref", ACTIVATION_CASES, ids=ACT_IDS)
def test_activation_does_not_modify_input(case, name, alpha, ref, dref):
    act = activations.get(name, alpha=alpha)
    a = _points(4)
    a0 = a.copy()
    h = act.forward(a)
    h0 = np.array(h, copy=True)
    act.derivative(a, h)
    np.testing.assert_array_equal(a, a0)
    np.testing.assert_array_equal(h, h0)


@pytest.mark.parametrize("case, name, alpha, ref, dref", ACTIVATION_CASES, ids=ACT_IDS)
def test_activation_keeps_float32(case, name, alpha, ref, dref):
    act = activations.get(name, alpha=alpha)
    a = _points(5).astype(np.float32)
    h = act.forward(a)
    assert h.dtype == np.float32
    assert act.derivative(a, h).dtype == np.float32


def test_names_and_repr():
    assert set(activations.NAMES) == {"identity", "sigmoid", "tanh", "relu", "leaky_relu", "elu"}
    assert activations.get("linear").name == "identity"
    assert repr(activations.get("tanh")) == "Activation('tanh')"


def test_get_passes_activation_through():
    act = activations.get("elu", alpha=0.3)
    assert activations.get(act) is act


def test_default_alphas():
    assert activations.get("leaky_relu").forward(np.array([-100.0]))[0] == pytest.approx(-1.0)
    # elu saturates at -alpha = -1
    assert activations.get("elu").forward(np.array([-50.0]))[0] == pytest.approx(-1.0)
    assert activations.get("elu", alpha=2.0).forward(np.array([-50.0]))[0] == pytest.approx(-2.0)


def test_relu_and_leaky_derivative_at_zero_is_left_value():
    # documented g'(a) = 1[a > 0]: the derivative at exactly 0 is the left one
    a = np.array([0.0])
    assert activations.get("relu").derivative(a, a)[0] == 0.0
    assert activations.get("leaky_relu").derivative(a, a)[0] == pytest.approx(0.01)


@pytest.mark.parametrize("name", ["identity", "sigmoid", "tanh", "relu"])
def test_alpha_rejected_for_activations_without_one(name):
    with pytest.raises(ValueError, match="alpha"):
        activations.get(name, alpha=0.1)


# ------------------------------------------------------------------ sigmoid stability

def test_sigmoid_extremes_without_warnings():
    a = np.array([-1000.0, -100.0, 0.0, 100.0, 1000.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            s = activations.sigmoid(a)
    assert np.all(np.isfinite(s))
    assert s[0] == 0.0 and s[-1] == 1.0
    assert s[2] == 0.5
    assert 0 < s[1] < 1e-40 and s[3] == 1.0


def test_sigmoid_symmetry_and_dtype():
    a = _points(6)
    np.testing.assert_allclose(activations.sigmoid(-a), 1 - activations.sigmoid(a), atol=1e-15)
    assert activations.sigmoid(a.astype(np.float32)).dtype == np.float32
    assert activations.sigmoid(np.array([0, 1, -1])).dtype == np.float64  # ints give floats
    assert activations.sigmoid(np.array([0, 1]))[0] == 0.5


# ------------------------------------------------------------------ softmax

def test_softmax_rows_sum_to_one():
    a = _points(7, shape=(10, 4))
    p = losses.softmax(a)
    assert p.shape == a.shape
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-14)
    assert np.all(p > 0)
    ref = np.exp(a) / np.exp(a).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(p, ref, rtol=1e-12)


def test_softmax_is_shift_invariant_and_stable_for_huge_logits():
    a = np.array([[1000.0, 0.0, -1000.0], [1e4, 1e4, -1e4], [-1e4, -1e4 + 1.0, -1e4]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        p = losses.softmax(a)
    assert np.all(np.isfinite(p))
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    np.testing.assert_allclose(p[0], [1.0, 0.0, 0.0])
    np.testing.assert_allclose(p[1], [0.5, 0.5, 0.0])
    e = math.e
    np.testing.assert_allclose(p[2], [1 / (2 + e), e / (2 + e), 1 / (2 + e)], rtol=1e-12)


def test_softmax_and_log_softmax_do_not_modify_input():
    a = _points(8, shape=(4, 3))
    a0 = a.copy()
    losses.softmax(a)
    losses.log_softmax(a)
    np.testing.assert_array_equal(a, a0)


def test_log_softmax_matches_log_of_softmax():
    a = _points(9, shape=(6, 3))
    np.testing.assert_allclose(losses.log_softmax(a), np.log(losses.softmax(a)), rtol=1e-12)
    big = np.array([[1e4, 0.0]])
    np.testing.assert_allclose(losses.log_softmax(big), [[0.0, -1e4]])


# ------------------------------------------------------------------ losses by hand

def test_softmax_cross_entropy_of_equal_logits_is_log2():
    loss, da = losses.softmax_cross_entropy(np.array([[0.0, 0.0]]), np.array([0]))
    assert isinstance(loss, float)
    assert loss == pytest.approx(math.log(2), rel=1e-15)
    np.testing.assert_allclose(da, [[-0.5, 0.5]])


def test_softmax_cross_entropy_hand_example():
    a = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    y = np.array([2, 1])
    lse = math.log(math.e + math.e ** 2 + math.e ** 3)
    expected = ((lse - 3.0) + math.log(3)) / 2
    loss, da = losses.softmax_cross_entropy(a, y)
    assert loss == pytest.approx(expected, rel=1e-14)
    p = np.exp(a) / np.exp(a).sum(axis=1, keepdims=True)
    onehot = np.eye(3)[y]
    np.testing.assert_allclose(da, (p - onehot) / 2, rtol=1e-13)


def test_binary_cross_entropy_hand_example():
    loss, da = losses.binary_cross_entropy(np.array([[0.0]]), np.array([[1.0]]))
    assert loss == pytest.approx(math.log(2))
    np.testing.assert_allclose(da, [[-0.5]])
    a = np.array([[2.0], [-1.0], [0.5]])
    y = np.array([[1.0], [0.0], [0.0]])
    s = 1 / (1 + np.exp(-a))
    expected = -np.mean(y * np.log(s) + (1 - y) * np.log(1 - s))
    loss, da = losses.binary_cross_entropy(a, y)
    assert loss == pytest.approx(expected, rel=1e-13)
    np.testing.assert_allclose(da, (s - y) / 3, rtol=1e-13)


def test_squared_error_hand_example():
    a = np.array([[1.0, 2.0], [3.0, 4.0]])
    y = np.array([[0.0, 0.0], [1.0, 1.0]])
    loss, da = losses.squared_error(a, y)
    # sum over outputs, mean over the batch: ((1 + 4) + (4 + 9)) / 2
    assert loss == pytest.approx(9.0)
    np.testing.assert_allclose(da, 2 * (a - y) / 2)
    loss1, _ = losses.squared_error(np.array([[3.0]]), np.array([[1.0]]))
    assert loss1 == pytest.approx(4.0)  # (o - y)^2, no factor 1/2


@pytest.mark.parametrize(
    "fn, a, y, expected",
    [
        (losses.softmax_cross_entropy, np.array([[1e4, -1e4]]), np.array([1]), 2e4),
        (losses.softmax_cross_entropy, np.array([[1e4, -1e4]]), np.array([0]), 0.0),
        (losses.softmax_cross_entropy, np.array([[-1e4, 1e4, 1e4]]), np.array([0]), 2e4 + math.log(2)),
        (losses.binary_cross_entropy, np.array([[1e4]]), np.array([[0.0]]), 1e4),
        (losses.binary_cross_entropy, np.array([[-1e4]]), np.array([[1.0]]), 1e4),
        (losses.binary_cross_entropy, np.array([[1e4]]), np.array([[1.0]]), 0.0),
        (losses.binary_cross_entropy, np.array([[-1e4]]), np.array([[0.0]]), 0.0),
        (losses.squared_error, np.array([[1e4]]), np.array([[0.0]]), 1e8),
    ],
    ids=["sce_wrong", "sce_right", "sce_tie", "bce_pos_y0", "bce_neg_y1", "bce_pos_y1", "bce_neg_y0", "se"],
)
def test_losses_finite_for_huge_logits(fn, a, y, expected):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            loss, da = fn(a, y)
    assert np.isfinite(loss)
    assert np.all(np.isfinite(da))
    assert loss == pytest.approx(expected, rel=1e-12, abs=1e-12)


# ------------------------------------------------------------------ loss gradients wrt logits

def _loss_cases(seed):
    rng = _rng(seed)
    N = 6
    return [
        ("softmax_cross_entropy", losses.softmax_cross_entropy, rng.standard_normal((N, 4)), rng.integers(0, 4, N)),
        ("binary_cross_entropy", losses.binary_cross_entropy, rng.standard_normal((N, 1)),
         rng.integers(0, 2, (N, 1)).astype(float)),
        ("squared_error_1", losses.squared_error, rng.standard_normal((N, 1)), rng.standard_normal((N, 1))),
        ("squared_error_3", losses.squared_error, rng.standard_normal((N, 3)), rng.standard_normal((N, 3))),
    ]


@pytest.mark.parametrize("idx", range(4), ids=[c[0] for c in _loss_cases(0)])
def test_loss_gradient_wrt_logits(idx):
    name, fn, a, y = _loss_cases(10)[idx]
    loss, da = fn(a, y)
    assert da.shape == a.shape
    numeric = numerical_gradient(lambda z: fn(z, y)[0], a)
    assert relative_error(da, numeric) < 1e-7


@pytest.mark.parametrize("idx", range(4), ids=[c[0] for c in _loss_cases(0)])
def test_loss_does_not_modify_inputs(idx):
    name, fn, a, y = _loss_cases(11)[idx]
    a0, y0 = a.copy(), y.copy()
    fn(a, y)
    np.testing.assert_array_equal(a, a0)
    np.testing.assert_array_equal(y, y0)


@pytest.mark.parametrize("idx", range(4), ids=[c[0] for c in _loss_cases(0)])
def test_loss_is_batch_mean(idx):
    # the loss of a batch is the mean of the per-sample losses
    name, fn, a, y = _loss_cases(12)[idx]
    per_sample = [fn(a[i:i + 1], y[i:i + 1])[0] for i in range(len(a))]
    assert fn(a, y)[0] == pytest.approx(np.mean(per_sample), rel=1e-13)

"""nnlib.initializers: draw statistics against the variance-scaling formulas, presets, gain()."""

import math

import numpy as np
import pytest

from nnlib import initializers as init

SHAPE = (256, 512)
FAN_IN, FAN_OUT = SHAPE
FAN_AVG = (FAN_IN + FAN_OUT) / 2


def _rng(seed=0):
    return np.random.default_rng(seed)


# (id, callable rng, shape -> W, expected variance, distribution)
RANDOM_CASES = [
    ("glorot_normal", lambda r, s: init.glorot_normal(r, s), 1 / FAN_AVG, "normal"),
    ("glorot_uniform", lambda r, s: init.glorot_uniform(r, s), 1 / FAN_AVG, "uniform"),
    ("xavier_normal", lambda r, s: init.xavier_normal(r, s), 2 / (FAN_IN + FAN_OUT), "normal"),
    ("xavier_uniform", lambda r, s: init.xavier_uniform(r, s), 2 / (FAN_IN + FAN_OUT), "uniform"),
    ("he_normal_default", lambda r, s: init.he_normal(r, s), 2 / FAN_IN, "normal"),
    ("he_normal_fan_in", lambda r, s: init.he_normal(r, s, mode="fan_in"), 2 / FAN_IN, "normal"),
    ("he_normal_fan_out", lambda r, s: init.he_normal(r, s, mode="fan_out"), 2 / FAN_OUT, "normal"),
    ("he_uniform_default", lambda r, s: init.he_uniform(r, s), 2 / FAN_IN, "uniform"),
    ("he_uniform_fan_in", lambda r, s: init.he_uniform(r, s, mode="fan_in"), 2 / FAN_IN, "uniform"),
    ("he_uniform_fan_out", lambda r, s: init.he_uniform(r, s, mode="fan_out"), 2 / FAN_OUT, "uniform"),
    ("lecun_normal", lambda r, s: init.lecun_normal(r, s), 1 / FAN_IN, "normal"),
    ("lecun_uniform", lambda r, s: init.lecun_uniform(r, s), 1 / FAN_IN, "uniform"),
    ("normal_std", lambda r, s: init.normal(r, s, std=0.2), 0.2 ** 2, "normal"),
    ("normal_default_std", lambda r, s: init.normal(r, s), 0.01 ** 2, "normal"),
    ("uniform_limit", lambda r, s: init.uniform(r, s, limit=0.3), 0.3 ** 2 / 3, "uniform"),
    ("uniform_default_limit", lambda r, s: init.uniform(r, s), 0.05 ** 2 / 3, "uniform"),
] + [
    (
        f"variance_scaling_{mode}_{dist}",
        (lambda mode, dist: lambda r, s: init.variance_scaling(r, s, scale=3.0, mode=mode, distribution=dist))(mode, dist),
        3.0 / {"fan_in": FAN_IN, "fan_out": FAN_OUT, "fan_avg": FAN_AVG}[mode],
        dist,
    )
    for mode in ("fan_in", "fan_out", "fan_avg")
    for dist in ("normal", "uniform")
]
RANDOM_IDS = [c[0] for c in RANDOM_CASES]
NORMAL_CASES = [c for c in RANDOM_CASES if c[3] == "normal"]
UNIFORM_CASES = [c for c in RANDOM_CASES if c[3] == "uniform"]


@pytest.mark.parametrize("name, draw, variance, dist", RANDOM_CASES, ids=RANDOM_IDS)
def test_variance_matches_formula(name, draw, variance, dist):
    W = draw(_rng(1), SHAPE)
    assert W.shape == SHAPE
    assert W.dtype == np.float64
    assert W.var() == pytest.approx(variance, rel=0.03)


@pytest.mark.parametrize("name, draw, variance, dist", RANDOM_CASES, ids=RANDOM_IDS)
def test_mean_is_zero(name, draw, variance, dist):
    W = draw(_rng(2), SHAPE)
    # standard error of the mean is std / sqrt(131072) ~ 0.003 std: allow ~4 of them
    assert abs(W.mean()) < 0.012 * math.sqrt(variance)


@pytest.mark.parametrize("name, draw, variance, dist", UNIFORM_CASES, ids=[c[0] for c in UNIFORM_CASES])
def test_uniform_bounds(name, draw, variance, dist):
    limit = math.sqrt(3 * variance)
    W = draw(_rng(3), SHAPE)
    assert np.abs(W).max() <= limit
    assert np.abs(W).max() > 0.99 * limit
    assert W.min() < -0.99 * limit and W.max() > 0.99 * limit  # both ends are reached
    # flat histogram: each tenth of [-limit, limit] holds about 10 % of the draws
    counts, _ = np.histogram(W, bins=10, range=(-limit, limit))
    assert counts.sum() == W.size
    np.testing.assert_allclose(counts / W.size, 0.1, atol=0.005)


@pytest.mark.parametrize("name, draw, variance, dist", NORMAL_CASES, ids=[c[0] for c in NORMAL_CASES])
def test_normal_is_not_truncated(name, draw, variance, dist):
    std = math.sqrt(variance)
    W = draw(_rng(4), SHAPE)
    beyond = np.mean(np.abs(W) > 2 * std)
    # a full Gaussian puts 4.55 % of its mass beyond 2 std; a 2-std truncated one puts 0 %
    assert 0.040 < beyond < 0.051
    assert np.abs(W).max() > 3.5 * std


def test_xavier_aliases_are_glorot():
    assert init.xavier_uniform is init.glorot_uniform
    assert init.xavier_normal is init.glorot_normal


def test_uniform_limit_values_by_hand():
    # glorot_uniform: b = sqrt(6 / (fan_in + fan_out)); he_uniform: b = sqrt(6 / n); lecun: sqrt(3 / fan_in)
    for fn, limit in [
        (init.glorot_uniform, math.sqrt(6 / (FAN_IN + FAN_OUT))),
        (init.he_uniform, math.sqrt(6 / FAN_IN)),
        (init.lecun_uniform, math.sqrt(3 / FAN_IN)),
    ]:
        W = fn(_rng(5), SHAPE)
        assert 0.99 * limit < np.abs(W).max() <= limit


@pytest.mark.parametrize("shape, expected", [((3, 7), (3, 7)), ((7,), (7, 7)), (5, (5, 5))])
def test_fans(shape, expected):
    assert init.fans(shape) == expected


def test_bias_shape_uses_fan_out_for_both_fans():
    b = init.variance_scaling(_rng(6), (50000,), scale=2.0, mode="fan_in")
    assert b.shape == (50000,)
    assert b.var() == pytest.approx(2.0 / 50000, rel=0.03)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_zeros_exact(dtype):
    W = init.zeros(_rng(), (4, 3), dtype=dtype)
    assert W.shape == (4, 3) and W.dtype == dtype
    assert np.all(W == 0)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("value", [0.5, -2.0, 0.0, 3])
def test_constant_exact(dtype, value):
    W = init.constant(_rng(), (4, 3), value, dtype=dtype)
    assert W.shape == (4, 3) and W.dtype == dtype
    assert np.all(W == dtype(value))


def test_normal_mean_argument():
    W = init.normal(_rng(7), SHAPE, std=0.5, mean=3.0)
    assert W.mean() == pytest.approx(3.0, abs=0.01)
    assert W.std() == pytest.approx(0.5, rel=0.03)


def test_zero_std_and_zero_limit_give_exact_constants():
    assert np.all(init.normal(_rng(), (3, 3), std=0.0, mean=1.5) == 1.5)
    assert np.all(init.uniform(_rng(), (3, 3), limit=0.0) == 0.0)


@pytest.mark.parametrize("name, draw, variance, dist", RANDOM_CASES, ids=RANDOM_IDS)
def test_reproducible_by_seed(name, draw, variance, dist):
    a = draw(_rng(11), (20, 30))
    b = draw(_rng(11), (20, 30))
    c = draw(_rng(12), (20, 30))
    np.testing.assert_array_equal(a, b)
    assert a.tobytes() == b.tobytes()  # bit-identical
    assert not np.array_equal(a, c)


def test_draws_advance_the_generator():
    rng = _rng(13)
    a = init.he_normal(rng, (5, 5))
    b = init.he_normal(rng, (5, 5))
    assert not np.array_equal(a, b)


DTYPE_CASES = [
    ("glorot_normal", lambda r, d: init.glorot_normal(r, (8, 4), dtype=d)),
    ("glorot_uniform", lambda r, d: init.glorot_uniform(r, (8, 4), dtype=d)),
    ("he_normal", lambda r, d: init.he_normal(r, (8, 4), dtype=d)),
    ("he_uniform_fan_out", lambda r, d: init.he_uniform(r, (8, 4), mode="fan_out", dtype=d)),
    ("lecun_normal", lambda r, d: init.lecun_normal(r, (8, 4), dtype=d)),
    ("lecun_uniform", lambda r, d: init.lecun_uniform(r, (8, 4), dtype=d)),
    ("variance_scaling", lambda r, d: init.variance_scaling(r, (8, 4), 2.0, "fan_avg", "uniform", dtype=d)),
    ("normal", lambda r, d: init.normal(r, (8, 4), std=0.1, dtype=d)),
    ("uniform", lambda r, d: init.uniform(r, (8, 4), limit=0.1, dtype=d)),
    ("zeros", lambda r, d: init.zeros(r, (8, 4), dtype=d)),
    ("constant", lambda r, d: init.constant(r, (8, 4), 0.25, dtype=d)),
]


@pytest.mark.parametrize("name, draw", DTYPE_CASES, ids=[c[0] for c in DTYPE_CASES])
def test_float32_dtype_respected(name, draw):
    W32 = draw(_rng(14), np.float32)
    W64 = draw(_rng(14), np.float64)
    assert W32.dtype == np.float32 and W64.dtype == np.float64
    assert W32.shape == (8, 4)
    # same draw, only rounded
    np.testing.assert_allclose(W32, W64, rtol=1e-6, atol=1e-7)


# PyTorch's torch.nn.init.calculate_gain values
@pytest.mark.parametrize(
    "activation, kwargs, expected",
    [
        ("linear", {}, 1.0),
        ("identity", {}, 1.0),
        ("sigmoid", {}, 1.0),
        ("tanh", {}, 5.0 / 3.0),
        ("relu", {}, math.sqrt(2.0)),
        ("leaky_relu", {}, math.sqrt(2.0 / (1 + 0.01 ** 2))),
        ("leaky_relu", {"negative_slope": 0.2}, math.sqrt(2.0 / (1 + 0.2 ** 2))),
        ("leaky_relu", {"negative_slope": 0.0}, math.sqrt(2.0)),
        ("selu", {}, 0.75),
    ],
)
def test_gain_matches_pytorch(activation, kwargs, expected):
    assert init.gain(activation, **kwargs) == pytest.approx(expected, rel=1e-15)


def test_gain_unknown_activation():
    with pytest.raises(ValueError, match="activation"):
        init.gain("swish")


def test_variance_scaling_with_gain_squared():
    g = init.gain("tanh")
    W = init.variance_scaling(_rng(15), SHAPE, scale=g ** 2, mode="fan_in")
    assert W.std() == pytest.approx(g / math.sqrt(FAN_IN), rel=0.015)


REGISTRY_NAMES = {
    "zeros": init.zeros,
    "normal": init.normal,
    "uniform": init.uniform,
    "glorot_uniform": init.glorot_uniform,
    "glorot_normal": init.glorot_normal,
    "xavier_uniform": init.glorot_uniform,
    "xavier_normal": init.glorot_normal,
    "he_uniform": init.he_uniform,
    "he_normal": init.he_normal,
    "lecun_uniform": init.lecun_uniform,
    "lecun_normal": init.lecun_normal,
}


@pytest.mark.parametrize("name", sorted(REGISTRY_NAMES))
def test_get_returns_the_named_function(name):
    fn = init.get(name)
    assert fn is REGISTRY_NAMES[name]
    W = fn(_rng(16), (3, 4))
    assert W.shape == (3, 4)


def test_get_unknown_name():
    with pytest.raises(ValueError, match="initializer") as info:
        init.get("kaiming_magic")
    assert "kaiming_magic" in str(info.value)


def test_get_constant_needs_a_value():
    with pytest.raises(ValueError, match="constant"):
        init.get("constant")


def test_get_non_string():
    with pytest.raises(TypeError, match="initializer"):
        init.get(3)

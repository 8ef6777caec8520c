"""The signal-propagation probe behind notebook 02 and its variance explorer."""

import numpy as np
import pytest

from nnlib import activations
from nnlib.experiments.propagation import (
    ACTIVATIONS,
    SignalProbe,
    fused_forward_and_derivative,
    gaussian_expectation,
    propagate,
    theory,
)
from nnlib.initializers import weight_variance as init_weight_var


@pytest.fixture(scope="module")
def probe():
    return SignalProbe(depth=12, width=128, n_samples=400, rng=0)


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_in_place_kernels_match_activations(name):
    rng = np.random.default_rng(1)
    a = 3 * rng.standard_normal((20, 30))
    h, d, mask = np.empty_like(a), np.empty_like(a), np.empty(a.shape, bool)
    fused_forward_and_derivative(name, a, h, d, mask)
    act = activations.get(name)
    np.testing.assert_allclose(h, act.forward(a), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(d, act.derivative(a, act.forward(a)), rtol=1e-12, atol=1e-15)


def test_gaussian_expectation_matches_closed_forms():
    assert gaussian_expectation(lambda z: z**2, 3.0) == pytest.approx(3.0, rel=1e-12)
    assert gaussian_expectation(lambda z: np.maximum(z, 0) ** 2, 3.0) == pytest.approx(1.5, rel=1e-12)
    assert gaussian_expectation(lambda z: z**4, 2.0) == pytest.approx(3 * 2.0**2, rel=1e-10)


def test_init_weight_var_formulas():
    assert init_weight_var("lecun", 100) == pytest.approx(1 / 100)
    assert init_weight_var("xavier", 100, 300) == pytest.approx(2 / 400)
    assert init_weight_var("he", 100) == pytest.approx(2 / 100)
    assert init_weight_var("standard", 100) == pytest.approx(1 / 300)
    with pytest.raises(ValueError, match="scheme"):
        init_weight_var("kaiming", 10)


def test_relu_he_theory_is_flat_and_xavier_halves():
    q, h_var, grad = theory("relu", 5, 64, init_weight_var("he", 64))
    np.testing.assert_allclose(q, 2.0, rtol=1e-12)
    np.testing.assert_allclose(grad, 0.5, rtol=1e-12)
    q, _, _ = theory("relu", 5, 64, init_weight_var("lecun", 64))
    np.testing.assert_allclose(q, 0.5 ** np.arange(5), rtol=1e-12)


@pytest.mark.parametrize("name", ACTIVATIONS)
@pytest.mark.parametrize("scale", [0.5, 1.0, 2.0])
def test_measurements_follow_theory(probe, name, scale):
    r = probe.run(name, scale / probe.width)
    # Monte Carlo over 400 x 128 entries with one weight draw: a few percent per layer,
    # compounding with depth, so compare in log space with a depth-aware tolerance. ELU's
    # non-zero mean gives every unit its own offset, a larger finite-width fluctuation.
    base = 0.35 if name == "elu" else 0.1
    for measured, predicted in ((r.pre_activation_var, r.theory_pre_activation_var),
                                (r.grad_var, r.theory_grad_var)):
        log_err = np.abs(np.log(measured / predicted))
        assert np.all(log_err < base + 0.05 * np.arange(1, r.depth + 1)), (name, scale, log_err)


def test_float32_matches_float64(probe):
    r64 = probe.run("tanh", 1 / probe.width)
    r32 = probe.run("tanh", 1 / probe.width, dtype=np.float32)
    np.testing.assert_allclose(r32.activation_var, r64.activation_var, rtol=1e-4)
    np.testing.assert_allclose(r32.grad_var, r64.grad_var, rtol=1e-4)


def test_float32_overflow_falls_back_to_float64():
    p = SignalProbe(depth=30, width=64, n_samples=50, rng=0)
    r = p.run("relu", 4.0, dtype=np.float32)  # variance grows ~128x per layer: 1e60 overflows float32
    assert np.all(np.isfinite(r.pre_activation_var)) and r.pre_activation_var[-1] > 1e50


def test_float64_overflow_raises_clear_error():
    p = SignalProbe(depth=30, width=256, n_samples=20, rng=0)
    with pytest.raises(ValueError, match="overflowed"):
        p.run("identity", 1e9)


def test_saturation_and_dead_units(probe):
    saturated = probe.run("tanh", 30.0 / probe.width)
    assert saturated.saturated.min() > 0.5  # large weights drive tanh into its flat tails
    calm = probe.run("tanh", 0.1 / probe.width)
    assert calm.saturated.max() < 0.01
    assert probe.run("relu", 2 / probe.width).saturated.max() == 0.0
    assert np.all(calm.dead == 0.0)
    relu = probe.run("relu", 2 / probe.width)
    assert np.all((relu.dead >= 0) & (relu.dead <= 1))


def test_dead_counts_units_zero_on_every_sample():
    p = SignalProbe(depth=1, width=8, n_samples=5, rng=0)
    r = p.run("relu", 1.0)
    x, z = p._draws[np.dtype(np.float64)][:2]
    expected = np.mean(~np.any(x @ z[0] > 0, axis=0))
    assert r.dead[0] == expected


def test_histograms_are_densities(probe):
    r = probe.run("sigmoid", 1 / probe.width, n_bins=25)
    widths = np.diff(r.hist_edges)
    np.testing.assert_allclose(r.hist @ widths, 1.0)
    assert r.hist.shape == (probe.depth, 25)


def test_same_seed_same_numbers_and_reuse_is_stateless():
    a = propagate(3, "tanh", depth=4, width=32, n_samples=64)
    b = propagate(3, "tanh", depth=4, width=32, n_samples=64)
    np.testing.assert_array_equal(a.grad_var, b.grad_var)
    p = SignalProbe(4, 32, 64, rng=3)
    first = p.run("relu", 0.05)
    p.run("tanh", 0.5)
    again = p.run("relu", 0.05)
    np.testing.assert_array_equal(first.activation_var, again.activation_var)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"activation": "softplus"}, ValueError, "activation"),
    ({"weight_var": 0.0}, ValueError, "weight_var"),
    ({"weight_var": -1.0}, ValueError, "weight_var"),
    ({"depth": 13}, ValueError, "depth"),
    ({"depth": 0}, ValueError, "depth"),
    ({"dtype": np.int32}, TypeError, "dtype"),
])
def test_bad_run_arguments(probe, kwargs, error, match):
    with pytest.raises(error, match=match):
        probe.run(**kwargs)


def test_bad_probe_arguments():
    with pytest.raises(ValueError, match="width"):
        SignalProbe(width=0)
    with pytest.raises(TypeError, match="rng"):
        SignalProbe(rng="seed")


def test_gradient_histograms_are_densities_and_ranges_adapt(probe):
    r = probe.run("relu", 0.05 / probe.width, n_bins=30)  # a vanishing signal: the range shrinks with it
    assert r.grad_hist.shape == (probe.depth, 30) and r.hist.shape == (probe.depth, 30)
    np.testing.assert_allclose(r.grad_hist @ np.diff(r.grad_hist_edges), 1.0)
    assert r.hist_edges[0] == 0.0 and r.hist_edges[-1] < 1  # not the fixed [0, 4] of a unit signal
    assert r.grad_hist_edges[0] == -r.grad_hist_edges[-1]
    layer1 = r.hist[0]
    assert np.count_nonzero(layer1[1:]) > 10  # layer 1 spreads over many bins, not one spike
    tanh = probe.run("tanh", 30 / probe.width)
    assert tuple(tanh.hist_edges[[0, -1]]) == (-1.0, 1.0)  # cut to tanh's output range


def test_nice_step_and_adaptive_range():
    from nnlib.experiments.propagation import adaptive_range, nice_step
    assert [nice_step(x) for x in (0.3, 1.0, 1.01, 4.9, 7e-12)] == pytest.approx([0.5, 1.0, 2.0, 5.0, 1e-11])
    assert adaptive_range([0.0, 0.0], [1.0, 0.25], (-1.0, 1.0)) == (-1.0, 1.0)
    assert adaptive_range([0.4], [0.1], (0.0, np.inf)) == (0.0, 2.0)
    lo, hi = adaptive_range([0.0], [0.0], (-np.inf, np.inf), symmetric=True)
    assert hi > lo
    # small changes of the spread keep the same (rounded) range: the explorer then blits
    assert adaptive_range([0.0], [1.1], (-np.inf, np.inf), True) == adaptive_range([0.0], [1.2], (-np.inf, np.inf), True)
    with pytest.raises(ValueError, match="same shape"):
        adaptive_range([0.0, 1.0], [1.0], (0, 1))
    with pytest.raises(ValueError, match="bounds"):
        adaptive_range([0.0], [1.0], (1, 0))
    with pytest.raises(ValueError, match="x must be > 0"):
        nice_step(0.0)


def test_float32_underflow_threshold(probe):
    r = probe.run("relu", 0.01 / probe.width, dtype=np.float32)
    assert r.dtype == "float32" and r.underflow == pytest.approx(1.1754944e-38)
    assert probe.run("relu", 2 / probe.width).underflow < 1e-300

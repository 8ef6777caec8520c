"""The variance recursion behind notebook 02's theory lines: accurate at every scale."""

import math

import numpy as np
import pytest

from nnlib import activations
from nnlib.experiments import mean_field as mf
from nnlib.experiments.propagation import SignalProbe


def dense_expectation(f, q, n=400_001):
    """An independent check: composite Simpson on a uniform grid over +-(14 sd + 40)."""
    sd = math.sqrt(q)
    z = np.linspace(-(14 * sd + 40), 14 * sd + 40, n)
    y = f(z) * np.exp(-0.5 * z * z / q) / math.sqrt(2 * math.pi * q)
    h = z[1] - z[0]
    return h / 3 * (y[0] + y[-1] + 4 * y[1:-1:2].sum() + 2 * y[2:-1:2].sum())


def moment_functions(act):
    g = act.forward
    return (g, lambda z: g(z) ** 2, lambda z: act.derivative(z, g(z)) ** 2)


@pytest.mark.parametrize("name", ["tanh", "sigmoid", "elu"])
@pytest.mark.parametrize("q", [1e-4, 0.05, 1.0, 12.0, 100.0, 3000.0, 1e5])
def test_moments_match_an_independent_dense_integral(name, q):
    act = activations.get(name)
    got = mf.moments(name, q)
    for value, f in zip(got, moment_functions(act)):
        ref = dense_expectation(f, q)
        assert value == pytest.approx(ref, rel=1e-8, abs=1e-14), (name, q, value, ref)


@pytest.mark.parametrize("name", ["relu", "leaky_relu", "identity"])
@pytest.mark.parametrize("q", [1e-3, 1.0, 50.0, 1e4])
def test_closed_forms_match_the_dense_integral(name, q):
    act = activations.get(name)
    mean, second, d2 = mf.moments(name, q)
    assert mean == pytest.approx(dense_expectation(act.forward, q), rel=1e-8, abs=1e-14)
    assert second == pytest.approx(dense_expectation(lambda z: act.forward(z) ** 2, q), rel=1e-8)
    a = act.alpha or 0.0
    assert d2 == pytest.approx(1.0 if name == "identity" else (1 + a * a) / 2, rel=1e-15)


def test_gaussian_expectation_resolves_the_narrow_peak_at_large_q():
    # E[sech^4 z] ~ (4/3) / sqrt(2 pi q) once q >> 1; an 80-point Gauss-Hermite rule misses it
    for q in (30.0, 100.0, 1e4):
        f = lambda z: 16 * np.exp(-4 * np.abs(z)) / (1 + np.exp(-2 * np.abs(z))) ** 4  # noqa: E731, sech^4
        assert mf.gaussian_expectation(f, q) == pytest.approx(dense_expectation(f, q), rel=1e-8)
    assert mf.gaussian_expectation(lambda z: z**4, 2.0) == pytest.approx(12.0, rel=1e-10)
    assert mf.gaussian_expectation(lambda z: np.maximum(z, 0) ** 2, 3.0) == pytest.approx(1.5, rel=1e-12)
    assert mf.gaussian_expectation(np.cos, 0.0) == 1.0


def test_elu_is_finite_at_huge_q():
    mean, second, d2 = mf.moments("elu", 1e6)
    assert np.isfinite([mean, second, d2]).all() and d2 == pytest.approx(0.5, rel=1e-3)


def test_tanh_theory_matches_measurement_at_the_top_of_the_slider():
    # the case of issue 10: tanh at n Var(W) = 100, depth 10, width 256 (8.6e-7 before, 2.7e5 measured)
    r = SignalProbe(depth=10, width=256, n_samples=400, rng=0).run("tanh", 100 / 256)
    assert abs(np.log(r.grad_var / r.theory_grad_var)).max() < np.log(1.25)
    assert abs(np.log(r.activation_var / r.theory_activation_var)).max() < np.log(1.1)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "elu"])
@pytest.mark.parametrize("scale", [0.01, 30.0, 100.0])
def test_measurements_follow_theory_at_the_slider_ends(name, scale):
    r = SignalProbe(depth=8, width=256, n_samples=300, rng=1).run(name, scale / 256)
    for measured, predicted in ((r.activation_var, r.theory_activation_var), (r.grad_var, r.theory_grad_var)):
        assert abs(np.log(measured / predicted)).max() < 0.3 + 0.05 * r.depth, (name, scale)


def test_fixed_point_and_chi():
    q_star, chi = mf.fixed_point("tanh", (5 / 3) ** 2)
    assert q_star == pytest.approx((5 / 3) ** 2 * mf.moments("tanh", q_star)[1], rel=1e-10)
    assert chi == pytest.approx(mf.chi("tanh", (5 / 3) ** 2, q_star)) and 1.1 < chi < 1.3
    assert mf.fixed_point("relu", 2.0, q0=3.0) == pytest.approx((3.0, 1.0))
    assert mf.fixed_point("sigmoid", 100.0)[1] == pytest.approx(0.986, abs=0.01)
    with pytest.raises(ValueError, match="does not settle"):
        mf.fixed_point("tanh", 0.5)
    with pytest.raises(ValueError, match="scale must be > 0"):
        mf.fixed_point("tanh", 0.0)
    with pytest.raises(ValueError, match="did you mean 'tanh'"):
        mf.chi("tahn", 1.0, 1.0)
    with pytest.raises(ValueError, match="q must be >= 0"):
        mf.moments("tanh", -1.0)


def test_theory_is_fast():
    import time
    start = time.perf_counter()
    for _ in range(5):
        mf.theory("tanh", 30, 256, 100 / 256)
    assert (time.perf_counter() - start) / 5 < 0.05  # ~2 ms alone: it runs on every slider move

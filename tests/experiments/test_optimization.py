"""nnlib.experiments.optimization: step counts against kappa, L1 paths, L2 vs weight decay."""

import numpy as np
import pytest

import nnlib
from nnlib.experiments import descent, objectives, optimization


@pytest.mark.parametrize("kappa", [10.0, 100.0])
@pytest.mark.parametrize("beta", [0.0, 0.5, 0.9])
def test_heavy_ball_steps_match_nnlib_sgd(kappa, beta):
    quad = objectives.Quadratic(np.diag([1.0, kappa]))
    w0 = 1 / np.sqrt(np.array([1.0, kappa]))
    lrs = np.geomspace(0.05, 3.5, 6) / kappa
    batched = optimization.heavy_ball_steps((1.0, kappa), lrs, beta, max_steps=3000)
    for lr, n in zip(lrs, batched):
        by_sgd = descent.steps_to_target(quad, w0, nnlib.SGD(lr, momentum=beta), 1e-6 * float(quad.loss(w0)), 3000)
        assert (-1 if by_sgd is None else by_sgd) == n


def test_gradient_descent_count_is_about_kappa_and_tuned_momentum_sqrt_kappa():
    sweep = optimization.steps_against_condition([10, 100, 1000], momentum=0.9, n_lrs=20)
    # theory: (kappa/2) log(1/tol) for gradient descent at 2/(1+kappa)
    assert np.allclose(sweep.gd, sweep.kappas / 2 * np.log(1e3), rtol=0.02)
    assert abs(optimization.loglog_slope(sweep.kappas, sweep.tuned) - 0.5) < 0.1
    assert np.all(sweep.tuned < sweep.gd) and np.isinf(sweep.fixed[0]) and sweep.fixed[-1] < sweep.gd[-1] / 10


def test_tuned_heavy_ball_is_polyaks():
    lr, beta = optimization.tuned_heavy_ball(1.0, 100.0)
    assert lr == pytest.approx(4 / 11**2) and beta == pytest.approx((9 / 11) ** 2)


def test_loglog_slope():
    x = np.array([1.0, 10.0, 100.0])
    assert optimization.loglog_slope(x, 3 * x**1.5) == pytest.approx(1.5)
    with pytest.raises(ValueError, match="same length"):
        optimization.loglog_slope(x, x[:2])


def test_soft_threshold():
    w = np.array([-2.0, -0.05, 0.0, 0.05, 1.0])
    before = w.copy()
    assert np.array_equal(optimization.soft_threshold(w, 0.1), [-1.9, 0.0, 0.0, 0.0, 0.9])
    assert np.array_equal(w, before)


def test_l1_paths_subgradient_jitters_proximal_is_exact():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((100, 6))
    y = X @ np.r_[1.0, -1.0, np.zeros(4)] + 0.05 * rng.standard_normal(100)
    sub, prox = optimization.l1_paths(X, y, lam=0.1, lr=0.1, steps=200)
    assert sub.shape == prox.shape == (201, 6)
    assert np.all(prox[-1, 2:] == 0) and np.all(sub[-1, 2:] != 0)
    assert np.abs(sub[-20:, 2:]).max() <= 1.5 * 0.1 * 0.1
    # the proximal fixed point: gradient of the data loss + lam * sign(w) = 0 on the non-zero weights
    w = prox[-1]
    grad = X.T @ (X @ w - y) / len(y)
    assert np.allclose(grad[:2] + 0.1 * np.sign(w[:2]), 0, atol=1e-8)


def test_decay_without_gradient():
    lams = np.array([1e-3, 1e-1])
    out = optimization.decay_without_gradient(lams, lr=0.01, steps=50)
    for rule in ("SGD + L2", "SGD + weight decay", "AdamW"):
        assert np.allclose(out[rule], (1 - 2 * 0.01 * lams) ** 50, rtol=1e-12)
    assert np.ptp(out["Adam + L2"]) < 1e-4 and out["Adam + L2"][0] == pytest.approx(0.5, abs=0.05)


@pytest.mark.parametrize("call, match", [
    (lambda: optimization.heavy_ball_steps((1.0, -1.0), [0.1]), "eigenvalues"),
    (lambda: optimization.heavy_ball_steps((1.0, 2.0), [0.1], momentum=1.0), "momentum"),
    (lambda: optimization.heavy_ball_steps((1.0, 2.0), [0.1], tol=2.0), "tol"),
    (lambda: optimization.steps_against_condition([0.5]), "kappas"),
    (lambda: optimization.l1_paths(np.ones((3, 2)), np.ones(4), 0.1, 0.1, 5), "y"),
    (lambda: optimization.l1_paths(np.ones((3, 2)), np.ones(3), -0.1, 0.1, 5), "lam"),
    (lambda: optimization.decay_without_gradient([0.1], lr=0.0), "lr"),
    (lambda: optimization.soft_threshold([1.0], -1.0), "threshold"),
])
def test_bad_input(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()

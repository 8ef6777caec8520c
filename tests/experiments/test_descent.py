"""nnlib.experiments.descent: optimizer paths, steps to a target, the largest stable learning rate."""

import numpy as np
import pytest

import nnlib
from nnlib.experiments import descent
from nnlib.experiments.objectives import Quadratic, rotated_quadratic


# ------------------------------------------------------------------ descent
def test_gd_path_matches_the_closed_form():
    A = np.diag([1.0, 10.0])
    q = Quadratic(A, center=[1.0, 2.0])
    w0 = np.array([-1.0, 0.5])
    w0_copy = w0.copy()
    lr, T = 0.15, 25
    path = descent.optimizer_path(q, w0, nnlib.SGD(lr), T)
    assert path.params.shape == (T + 1, 2) and path.losses.shape == (T + 1,) and path.steps == T
    factors = (1 - lr * np.diag(A)) ** np.arange(T + 1)[:, None]
    assert np.allclose(path.params, q.center + factors * (w0 - q.center))
    assert np.allclose(path.losses, q.loss(path.params))
    assert not path.diverged
    assert np.array_equal(w0, w0_copy)


def test_momentum_path_follows_the_lecture_rule():
    q = rotated_quadratic((1.0, 20.0), 30.0)
    w0, lr, beta = np.array([2.0, 1.0]), 0.02, 0.9
    path = descent.optimizer_path(q, w0, nnlib.SGD(lr, momentum=beta), 10)
    w, v = w0.copy(), np.zeros(2)
    for t in range(10):
        v = beta * v + q.grad(w)
        w = w - lr * v
        assert np.allclose(path.params[t + 1], w)


def test_divergence_is_detected_without_warnings():
    q = Quadratic(np.diag([1.0, 10.0]))
    path = descent.optimizer_path(q, np.array([1.0, 1.0]), nnlib.SGD(0.25), 10_000)
    assert path.diverged and path.steps < 10_000
    assert np.isfinite(path.params).all() and np.isfinite(path.losses).all()
    assert descent.steps_to_target(q, np.array([1.0, 1.0]), nnlib.SGD(0.25), 1e-3) is None


def test_steps_to_target_counts_exactly():
    q = Quadratic(np.array([[2.0]]))  # f = w^2, GD: w_t = (1 - 2 lr)^t w_0
    w0, lr = np.array([1.0]), 0.1
    # f(w_t) = 0.8^(2t) <= 1e-4  <=>  t >= ln(1e-4) / (2 ln 0.8) = 20.6...
    assert descent.steps_to_target(q, w0, nnlib.SGD(lr), 1e-4) == 21
    assert descent.steps_to_target(q, w0, nnlib.SGD(lr), 2.0) == 0
    assert descent.steps_to_target(q, w0, nnlib.SGD(lr), 1e-4, max_steps=20) is None


def test_settled_step_is_the_first_step_after_which_the_loss_stays_below():
    assert descent.settled_step([5.0, 3.0, 0.5, 2.0, 0.5, 0.1], 1.0) == 4  # dips at 2, bounces back at 3
    assert descent.settled_step([5.0, 3.0, 0.5, 0.4], 1.0) == 2
    assert descent.settled_step([0.5, 0.4], 1.0) == 0
    assert descent.settled_step([5.0, 0.5, 2.0], 1.0) is None  # ends above the target
    assert descent.settled_step([5.0, 1.0], 1.0) == 1  # at the target counts as reached
    with pytest.raises(ValueError, match="losses"):
        descent.settled_step([], 1.0)
    with pytest.raises(ValueError, match="target"):
        descent.settled_step([1.0], float("nan"))


def test_steps_to_target_does_not_count_a_dip_that_bounces_back():
    # heavy momentum on f = w^2 / 2 overshoots: the loss dips under the target, then rises again
    q = Quadratic(np.array([[1.0]]))
    w0, target = np.array([1.0]), 1e-2
    path = descent.optimizer_path(q, w0, nnlib.SGD(0.5, momentum=0.9), 400)
    first_dip = int(np.argmax(path.losses <= target))
    settled = descent.settled_step(path.losses, target)
    assert settled > first_dip + 1  # this run really bounces back
    assert descent.steps_to_target(q, w0, nnlib.SGD(0.5, momentum=0.9), target, max_steps=400) == settled
    # plain gradient descent below the limit decreases at every step: the first time is the answer
    assert descent.steps_to_target(q, w0, nnlib.SGD(0.5), target) == int(np.ceil(np.log(2 * target) / np.log(0.25)))


def test_stable_lr_limit_is_two_over_the_largest_eigenvalue():
    q = rotated_quadratic((0.5, 8.0), 35.0)
    assert descent.stable_lr_limit(q.hessian()) == pytest.approx(2.0 / 8.0, rel=1e-12)
    with pytest.raises(ValueError, match="square"):
        descent.stable_lr_limit(np.ones((2, 3)))
    with pytest.raises(ValueError, match="symmetric"):
        descent.stable_lr_limit(np.array([[1.0, 2.0], [0.0, 1.0]]))
    with pytest.raises(ValueError, match="positive eigenvalue"):
        descent.stable_lr_limit(-np.eye(2))


@pytest.mark.parametrize("lam", [(1.0, 4.0), (0.1, 100.0), (3.0, 3.0)])
def test_largest_stable_lr_is_two_over_lambda_max(lam):
    q = rotated_quadratic(lam, 20.0, center=[0.5, -0.5])
    lr = descent.largest_stable_lr(q, np.array([2.0, 1.0]), 1e-4, 10.0, n_steps=300)
    assert lr == pytest.approx(2.0 / max(lam), rel=0.03)


def test_largest_stable_lr_needs_a_bracket():
    q = Quadratic(np.diag([1.0, 4.0]))
    w0 = np.ones(2)
    with pytest.raises(ValueError, match="lr_low"):
        descent.largest_stable_lr(q, w0, 1.0, 10.0)
    with pytest.raises(ValueError, match="lr_high"):
        descent.largest_stable_lr(q, w0, 1e-3, 0.1)
    with pytest.raises(ValueError, match="lr_low must be < lr_high"):
        descent.largest_stable_lr(q, w0, 0.1, 0.01)


def test_momentum_is_faster_on_an_ill_conditioned_quadratic():
    q = rotated_quadratic((1.0, 100.0), 30.0, center=[1.0, 0.5])
    w0 = np.array([-2.5, 2.0])
    target = 1e-6 * float(q.loss(w0))
    lrs = np.geomspace(1e-3, 1.0, 13)
    lr_sgd, n_sgd = descent.fastest_lr(q, w0, nnlib.SGD, lrs, target, 3000)
    lr_mom, n_mom = descent.fastest_lr(q, w0, lambda lr: nnlib.SGD(lr, momentum=0.9), lrs, target, 3000)
    assert lr_sgd in lrs and lr_mom in lrs
    assert n_mom < 0.6 * n_sgd  # measured 130 vs 241 steps (the loss must stay below the target)
    assert descent.fastest_lr(q, w0, nnlib.SGD, [1.0], target, 100) == (None, None)


def test_bad_arguments_name_themselves():
    q = Quadratic(np.eye(2))
    with pytest.raises(TypeError, match="objective"):
        descent.optimizer_path(object(), np.zeros(2), nnlib.SGD(0.1), 3)
    with pytest.raises(TypeError, match="optimizer"):
        descent.optimizer_path(q, np.zeros(2), "sgd", 3)
    with pytest.raises(ValueError, match="w0"):
        descent.optimizer_path(q, np.zeros((2, 2)), nnlib.SGD(0.1), 3)
    with pytest.raises(TypeError, match="n_steps"):
        descent.optimizer_path(q, np.zeros(2), nnlib.SGD(0.1), 2.5)
    with pytest.raises(TypeError, match="make_optimizer"):
        descent.fastest_lr(q, np.zeros(2), "sgd", [0.1], 0.0)
    with pytest.raises(ValueError, match="lrs"):
        descent.fastest_lr(q, np.zeros(2), nnlib.SGD, [0.1, -1.0], 0.0)


def test_a_start_near_zero_loss_is_not_a_blow_up():
    # the loss starts at ~0 and goes slightly negative: that is descent, not divergence
    q = Quadratic(np.diag([1.0, 10.0]), minimum=-1.0)
    w0 = np.array([np.sqrt(2.0), 0.0])  # f(w0) = 0.5 * 2 - 1 = 0 (up to rounding)
    path = descent.optimizer_path(q, w0, nnlib.SGD(0.01), 5)
    assert not path.diverged and len(path.losses) == 6

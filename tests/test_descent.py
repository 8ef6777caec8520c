import numpy as np
import pytest

import nnlib
from nnlib import descent
from nnlib.gradcheck import numerical_gradient, relative_error


def make_regression(rng, n=60, scales=(100.0, 1.0)):
    X = rng.standard_normal((n, 2)) * np.asarray(scales) + np.array([500.0, 3.0])
    y = X @ np.array([0.01, 0.5]) + 0.1 * rng.standard_normal(n)
    return X, y


# ------------------------------------------------------------------ objectives
@pytest.mark.parametrize("dim", [1, 2, 5])
def test_quadratic_loss_grad_hessian(dim):
    rng = np.random.default_rng(dim)
    M = rng.standard_normal((dim, dim))
    A = M @ M.T + dim * np.eye(dim)
    c = rng.standard_normal(dim)
    q = descent.Quadratic(A, center=c, minimum=1.5)
    w = rng.standard_normal(dim)
    e = w - c
    assert q.loss(w) == pytest.approx(0.5 * e @ A @ e + 1.5)
    W = rng.standard_normal((3, 4, dim))
    assert q.loss(W).shape == (3, 4)
    assert q.loss(W)[1, 2] == pytest.approx(float(q.loss(W[1, 2])))
    assert relative_error(q.grad(w), numerical_gradient(lambda v: float(q.loss(v)), w)) < 1e-7
    assert np.allclose(descent.numerical_hessian(q, w), A, atol=1e-5)
    assert np.array_equal(q.hessian(), A)
    assert q.solution()[1] == 1.5


def test_quadratic_rejects_bad_A():
    with pytest.raises(ValueError, match="square"):
        descent.Quadratic(np.ones((2, 3)))
    with pytest.raises(ValueError, match="symmetric"):
        descent.Quadratic(np.array([[1.0, 2.0], [0.0, 1.0]]))
    with pytest.raises(ValueError, match="center"):
        descent.Quadratic(np.eye(2), center=[1.0, 2.0, 3.0])


@pytest.mark.parametrize("angle", [0.0, 30.0, 77.0])
def test_rotated_quadratic_has_the_eigenvalues(angle):
    q = descent.rotated_quadratic((1.0, 50.0), angle, center=[1.0, -2.0])
    assert np.allclose(np.linalg.eigvalsh(q.hessian()), [1.0, 50.0])
    assert descent.condition_number(q.hessian()) == pytest.approx(50.0)
    assert np.allclose(q.grad(np.array([1.0, -2.0])), 0.0)


def test_linear_regression_matches_its_formulas():
    rng = np.random.default_rng(0)
    X, y = make_regression(rng)
    X0, y0 = X.copy(), y.copy()
    lr = descent.LinearRegression(X, y)
    w = np.array([0.02, -0.3])
    assert lr.loss(w) == pytest.approx(np.mean((X @ w - y) ** 2))
    assert relative_error(lr.grad(w), numerical_gradient(lambda v: float(lr.loss(v)), w, eps=1e-7)) < 1e-6
    assert np.allclose(lr.hessian(), 2 * X.T @ X / len(X))
    w_star, l_min = lr.solution()
    assert np.allclose(w_star, np.linalg.lstsq(X, y, rcond=None)[0])
    assert np.linalg.norm(lr.grad(w_star)) < 1e-8 * np.linalg.norm(lr.grad(w))
    assert l_min <= lr.loss(w)
    assert np.array_equal(X, X0) and np.array_equal(y, y0)  # inputs untouched
    with pytest.raises(ValueError, match="same number of rows"):
        descent.LinearRegression(X, y[:-1])
    with pytest.raises(ValueError, match="W must end in 2"):
        lr.loss(np.zeros(3))


def test_linear_problem_scalings_are_reparametrizations():
    rng = np.random.default_rng(1)
    X, y = make_regression(rng)
    problems = {s: descent.linear_problem(X, y, s) for s in descent.SCALINGS}
    minima = [p.solution()[1] for p in problems.values()]
    starts = [float(p.loss(np.zeros(2))) for p in problems.values()]
    assert np.allclose(minima, minima[0]) and np.allclose(starts, np.var(y))
    Z = problems["standard"].X
    assert np.allclose(Z.mean(axis=0), 0) and np.allclose(Z.std(axis=0), 1)
    Zm = problems["minmax"].X
    assert np.allclose(Zm.max(axis=0) - Zm.min(axis=0), 1) and np.allclose(Zm.mean(axis=0), 0)
    kappa = {s: descent.condition_number(p.hessian()) for s, p in problems.items()}
    assert kappa["none"] > 1000 * kappa["standard"]


def test_linear_problem_constant_feature_gives_no_nan():
    X = np.column_stack([np.linspace(0, 1, 10), np.full(10, 7.0)])
    for s in descent.SCALINGS:
        p = descent.linear_problem(X, np.arange(10.0), s)
        assert np.isfinite(p.X).all()
        assert np.all(p.X[:, 1] == 0)
    with pytest.raises(ValueError, match="scaling"):
        descent.linear_problem(X, np.arange(10.0), "robust")


def test_objective_wrapper_numerical_gradient():
    f = descent.Objective(lambda W: W[..., 0] ** 2 + 3 * W[..., 1])
    assert np.allclose(f.grad(np.array([2.0, 5.0])), [4.0, 3.0], atol=1e-6)
    with pytest.raises(TypeError, match="loss"):
        descent.Objective(3)


# ------------------------------------------------------------------ geometry
def test_loss_surface_and_grid():
    q = descent.Quadratic(np.diag([1.0, 4.0]))
    w1, w2 = descent.grid_around(np.array([[0.0, 0.0], [2.0, -1.0]]), margin=0.5, resolution=7)
    assert w1[0] == pytest.approx(-1.0) and w1[-1] == pytest.approx(3.0)
    assert w2[0] == pytest.approx(-1.5) and w2[-1] == pytest.approx(0.5)
    W1, W2, L = descent.loss_surface(q, w1, np.linspace(-1, 1, 5))
    assert W1.shape == W2.shape == L.shape == (5, 7)
    assert L[2, 3] == pytest.approx(float(q.loss([W1[2, 3], W2[2, 3]])))
    W1, W2, L2 = descent.loss_surface(q.loss, w1, np.linspace(-1, 1, 5))
    assert np.array_equal(L, L2)
    with pytest.raises(ValueError, match="2 columns"):
        descent.grid_around(np.zeros((2, 3)))


CUBIC = descent.Objective(lambda W: W[..., 0] ** 3 - 3 * W[..., 0] + W[..., 1] ** 3 - 3 * W[..., 1])


@pytest.mark.parametrize("point, kind", [((1, 1), "minimum"), ((-1, -1), "maximum"),
                                         ((1, -1), "saddle"), ((-1, 1), "saddle")])
def test_critical_points_of_a_cubic(point, kind):
    w = np.array(point, dtype=float)
    assert np.allclose(CUBIC.grad(w), 0, atol=1e-6)
    H = descent.numerical_hessian(CUBIC, w)
    assert np.allclose(H, np.diag(6 * w), atol=1e-5)
    got, lam = descent.classify_critical_point(H)
    assert got == kind
    assert np.allclose(lam, np.sort(6 * w), atol=1e-5)


def test_classify_degenerate_and_condition_number_errors():
    assert descent.classify_critical_point(np.diag([1.0, 0.0]))[0] == "degenerate"
    assert descent.condition_number(np.diag([1.0, 0.0])) == np.inf
    with pytest.raises(ValueError, match="positive"):
        descent.condition_number(np.diag([1.0, -1.0]))
    with pytest.raises(ValueError, match="square"):
        descent.classify_critical_point(np.ones((2, 3)))


# ------------------------------------------------------------------ descent
def test_gd_path_matches_the_closed_form():
    A = np.diag([1.0, 10.0])
    q = descent.Quadratic(A, center=[1.0, 2.0])
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
    q = descent.rotated_quadratic((1.0, 20.0), 30.0)
    w0, lr, beta = np.array([2.0, 1.0]), 0.02, 0.9
    path = descent.optimizer_path(q, w0, nnlib.SGD(lr, momentum=beta), 10)
    w, v = w0.copy(), np.zeros(2)
    for t in range(10):
        v = beta * v + q.grad(w)
        w = w - lr * v
        assert np.allclose(path.params[t + 1], w)


def test_divergence_is_detected_without_warnings():
    q = descent.Quadratic(np.diag([1.0, 10.0]))
    path = descent.optimizer_path(q, np.array([1.0, 1.0]), nnlib.SGD(0.25), 10_000)
    assert path.diverged and path.steps < 10_000
    assert np.isfinite(path.params).all() and np.isfinite(path.losses).all()
    assert descent.steps_to_target(q, np.array([1.0, 1.0]), nnlib.SGD(0.25), 1e-3) is None


def test_steps_to_target_counts_exactly():
    q = descent.Quadratic(np.array([[2.0]]))  # f = w^2, GD: w_t = (1 - 2 lr)^t w_0
    w0, lr = np.array([1.0]), 0.1
    # f(w_t) = 0.8^(2t) <= 1e-4  <=>  t >= ln(1e-4) / (2 ln 0.8) = 20.6...
    assert descent.steps_to_target(q, w0, nnlib.SGD(lr), 1e-4) == 21
    assert descent.steps_to_target(q, w0, nnlib.SGD(lr), 2.0) == 0
    assert descent.steps_to_target(q, w0, nnlib.SGD(lr), 1e-4, max_steps=20) is None


@pytest.mark.parametrize("lam", [(1.0, 4.0), (0.1, 100.0), (3.0, 3.0)])
def test_largest_stable_lr_is_two_over_lambda_max(lam):
    q = descent.rotated_quadratic(lam, 20.0, center=[0.5, -0.5])
    lr = descent.largest_stable_lr(q, np.array([2.0, 1.0]), 1e-4, 10.0, n_steps=300)
    assert lr == pytest.approx(2.0 / max(lam), rel=0.03)


def test_largest_stable_lr_needs_a_bracket():
    q = descent.Quadratic(np.diag([1.0, 4.0]))
    w0 = np.ones(2)
    with pytest.raises(ValueError, match="lr_low"):
        descent.largest_stable_lr(q, w0, 1.0, 10.0)
    with pytest.raises(ValueError, match="lr_high"):
        descent.largest_stable_lr(q, w0, 1e-3, 0.1)
    with pytest.raises(ValueError, match="lr_low must be < lr_high"):
        descent.largest_stable_lr(q, w0, 0.1, 0.01)


def test_momentum_is_faster_on_an_ill_conditioned_quadratic():
    q = descent.rotated_quadratic((1.0, 100.0), 30.0, center=[1.0, 0.5])
    w0 = np.array([-2.5, 2.0])
    target = 1e-6 * float(q.loss(w0))
    lrs = np.geomspace(1e-3, 1.0, 13)
    lr_sgd, n_sgd = descent.fastest_lr(q, w0, nnlib.SGD, lrs, target, 3000)
    lr_mom, n_mom = descent.fastest_lr(q, w0, lambda lr: nnlib.SGD(lr, momentum=0.9), lrs, target, 3000)
    assert lr_sgd in lrs and lr_mom in lrs
    assert n_mom < n_sgd / 2
    assert descent.fastest_lr(q, w0, nnlib.SGD, [1.0], target, 100) == (None, None)


def test_bad_arguments_name_themselves():
    q = descent.Quadratic(np.eye(2))
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


def test_draw_descent_leaks_no_figure():
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    q = descent.rotated_quadratic((1.0, 10.0), 30.0)
    path = descent.optimizer_path(q, np.array([2.0, 1.0]), nnlib.SGD(0.1), 20)
    ax = Figure().subplots()
    cs, lines = descent.draw_descent(ax, q, np.linspace(-3, 3, 30), np.linspace(-2, 2, 20), [path, path.params],
                                     ["a", "b"], minimum=[0.0, 0.0])
    assert len(lines) == 2 and lines[0].get_label() == "a"
    assert np.allclose(lines[1].get_xydata(), path.params)
    assert plt.get_fignums() == []


def test_a_start_near_zero_loss_is_not_a_blow_up():
    # the loss starts at ~0 and goes slightly negative: that is descent, not divergence
    q = descent.Quadratic(np.diag([1.0, 10.0]), minimum=-1.0)
    w0 = np.array([np.sqrt(2.0), 0.0])  # f(w0) = 0.5 * 2 - 1 = 0 (up to rounding)
    path = descent.optimizer_path(q, w0, nnlib.SGD(0.01), 5)
    assert not path.diverged and len(path.losses) == 6

"""nnlib.experiments.objectives: quadratics, the linear model's loss, surfaces, Hessians, critical points."""

import numpy as np
import pytest

from nnlib.experiments import objectives
from nnlib.gradcheck import numerical_gradient, relative_error


def make_regression(rng, n=60, scales=(100.0, 1.0)):
    X = rng.standard_normal((n, 2)) * np.asarray(scales) + np.array([500.0, 3.0])
    y = X @ np.array([0.01, 0.5]) + 0.1 * rng.standard_normal(n)
    return X, y


CUBIC = objectives.Objective(lambda W: W[..., 0] ** 3 - 3 * W[..., 0] + W[..., 1] ** 3 - 3 * W[..., 1])


@pytest.mark.parametrize("dim", [1, 2, 5])
def test_quadratic_loss_grad_hessian(dim):
    rng = np.random.default_rng(dim)
    M = rng.standard_normal((dim, dim))
    A = M @ M.T + dim * np.eye(dim)
    c = rng.standard_normal(dim)
    q = objectives.Quadratic(A, center=c, minimum=1.5)
    w = rng.standard_normal(dim)
    e = w - c
    assert q.loss(w) == pytest.approx(0.5 * e @ A @ e + 1.5)
    W = rng.standard_normal((3, 4, dim))
    assert q.loss(W).shape == (3, 4)
    assert q.loss(W)[1, 2] == pytest.approx(float(q.loss(W[1, 2])))
    assert relative_error(q.grad(w), numerical_gradient(lambda v: float(q.loss(v)), w)) < 1e-7
    assert np.allclose(objectives.numerical_hessian(q, w), A, atol=1e-5)
    assert np.array_equal(q.hessian(), A)
    assert q.solution()[1] == 1.5


def test_quadratic_rejects_bad_A():
    with pytest.raises(ValueError, match="square"):
        objectives.Quadratic(np.ones((2, 3)))
    with pytest.raises(ValueError, match="symmetric"):
        objectives.Quadratic(np.array([[1.0, 2.0], [0.0, 1.0]]))
    with pytest.raises(ValueError, match="center"):
        objectives.Quadratic(np.eye(2), center=[1.0, 2.0, 3.0])


@pytest.mark.parametrize("angle", [0.0, 30.0, 77.0])
def test_rotated_quadratic_has_the_eigenvalues(angle):
    q = objectives.rotated_quadratic((1.0, 50.0), angle, center=[1.0, -2.0])
    assert np.allclose(np.linalg.eigvalsh(q.hessian()), [1.0, 50.0])
    assert objectives.condition_number(q.hessian()) == pytest.approx(50.0)
    assert np.allclose(q.grad(np.array([1.0, -2.0])), 0.0)


def test_linear_regression_matches_its_formulas():
    rng = np.random.default_rng(0)
    X, y = make_regression(rng)
    X0, y0 = X.copy(), y.copy()
    lr = objectives.LinearRegression(X, y)
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
        objectives.LinearRegression(X, y[:-1])
    with pytest.raises(ValueError, match="W must end in 2"):
        lr.loss(np.zeros(3))


def test_linear_problem_scalings_are_reparametrizations():
    rng = np.random.default_rng(1)
    X, y = make_regression(rng)
    problems = {s: objectives.linear_problem(X, y, s) for s in objectives.SCALINGS}
    minima = [p.solution()[1] for p in problems.values()]
    starts = [float(p.loss(np.zeros(2))) for p in problems.values()]
    assert np.allclose(minima, minima[0]) and np.allclose(starts, np.var(y))
    Z = problems["standard"].X
    assert np.allclose(Z.mean(axis=0), 0) and np.allclose(Z.std(axis=0), 1)
    Zm = problems["minmax"].X
    assert np.allclose(Zm.max(axis=0) - Zm.min(axis=0), 1) and np.allclose(Zm.mean(axis=0), 0)
    kappa = {s: objectives.condition_number(p.hessian()) for s, p in problems.items()}
    assert kappa["none"] > 1000 * kappa["standard"]


def test_linear_problem_constant_feature_gives_no_nan():
    X = np.column_stack([np.linspace(0, 1, 10), np.full(10, 7.0)])
    for s in objectives.SCALINGS:
        p = objectives.linear_problem(X, np.arange(10.0), s)
        assert np.isfinite(p.X).all()
        assert np.all(p.X[:, 1] == 0)
    with pytest.raises(ValueError, match="scaling"):
        objectives.linear_problem(X, np.arange(10.0), "robust")


def test_objective_wrapper_numerical_gradient():
    f = objectives.Objective(lambda W: W[..., 0] ** 2 + 3 * W[..., 1])
    assert np.allclose(f.grad(np.array([2.0, 5.0])), [4.0, 3.0], atol=1e-6)
    with pytest.raises(TypeError, match="loss"):
        objectives.Objective(3)


def test_loss_surface_and_grid():
    q = objectives.Quadratic(np.diag([1.0, 4.0]))
    w1, w2 = objectives.grid_around(np.array([[0.0, 0.0], [2.0, -1.0]]), margin=0.5, resolution=7)
    assert w1[0] == pytest.approx(-1.0) and w1[-1] == pytest.approx(3.0)
    assert w2[0] == pytest.approx(-1.5) and w2[-1] == pytest.approx(0.5)
    W1, W2, L = objectives.loss_surface(q, w1, np.linspace(-1, 1, 5))
    assert W1.shape == W2.shape == L.shape == (5, 7)
    assert L[2, 3] == pytest.approx(float(q.loss([W1[2, 3], W2[2, 3]])))
    W1, W2, L2 = objectives.loss_surface(q.loss, w1, np.linspace(-1, 1, 5))
    assert np.array_equal(L, L2)
    with pytest.raises(ValueError, match="2 columns"):
        objectives.grid_around(np.zeros((2, 3)))


@pytest.mark.parametrize("point, kind", [((1, 1), "minimum"), ((-1, -1), "maximum"),
                                         ((1, -1), "saddle"), ((-1, 1), "saddle")])
def test_critical_points_of_a_cubic(point, kind):
    w = np.array(point, dtype=float)
    assert np.allclose(CUBIC.grad(w), 0, atol=1e-6)
    H = objectives.numerical_hessian(CUBIC, w)
    assert np.allclose(H, np.diag(6 * w), atol=1e-5)
    got, lam = objectives.classify_critical_point(H)
    assert got == kind
    assert np.allclose(lam, np.sort(6 * w), atol=1e-5)


def test_classify_degenerate_and_condition_number_errors():
    assert objectives.classify_critical_point(np.diag([1.0, 0.0]))[0] == "degenerate"
    assert objectives.condition_number(np.diag([1.0, 0.0])) == np.inf
    with pytest.raises(ValueError, match="positive"):
        objectives.condition_number(np.diag([1.0, -1.0]))
    with pytest.raises(ValueError, match="square"):
        objectives.classify_critical_point(np.ones((2, 3)))

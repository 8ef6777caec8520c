"""nnlib.optimizers: update rules by hand and convergence on an ill-conditioned quadratic."""

import numpy as np
import pytest

from nnlib import SGD, Adam


def _quadratic(seed=0):
    """f(w) = 0.5 w^T A w - b^T w with eigenvalues 100, 10, 1.5, 1 (condition number 100)."""
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.standard_normal((4, 4)))
    A = Q @ np.diag([100.0, 10.0, 1.5, 1.0]) @ Q.T
    A = (A + A.T) / 2
    b = rng.standard_normal(4)
    return A, b, np.linalg.solve(A, b)


@pytest.mark.parametrize(
    "make, steps, tol",
    [
        (lambda: SGD(0.015), 3000, 1e-9),
        (lambda: SGD(0.01, momentum=0.9), 1000, 1e-9),
        (lambda: Adam(0.01), 5000, 1e-6),
        (lambda: Adam(0.05), 3000, 1e-6),
    ],
    ids=["sgd", "sgd_momentum_0.9", "adam_0.01", "adam_0.05"],
)
def test_converges_to_optimum_of_ill_conditioned_quadratic(make, steps, tol):
    A, b, w_star = _quadratic(1)
    opt = make()
    params = {"w": np.zeros(4)}
    f = lambda w: 0.5 * w @ A @ w - b @ w
    f0 = f(params["w"])
    for _ in range(steps):
        opt.step(params, {"w": A @ params["w"] - b})
    assert np.linalg.norm(params["w"] - w_star) < tol * max(1.0, np.linalg.norm(w_star))
    assert f(params["w"]) < f0


def test_plain_sgd_is_too_slow_where_momentum_converges():
    # the point of momentum: same lr, same number of steps, the heavy ball gets much closer
    A, b, w_star = _quadratic(2)
    errs = {}
    for mom in (0.0, 0.9):
        opt, p = SGD(0.005, momentum=mom), {"w": np.zeros(4)}
        for _ in range(300):
            opt.step(p, {"w": A @ p["w"] - b})
        errs[mom] = np.linalg.norm(p["w"] - w_star)
    assert errs[0.9] < 1e-3 * errs[0.0]


def test_sgd_step_is_exact():
    rng = np.random.default_rng(3)
    w = rng.standard_normal((3, 2))
    b = rng.standard_normal(2)
    gw, gb = rng.standard_normal((3, 2)), rng.standard_normal(2)
    w0, b0 = w.copy(), b.copy()
    params = {"W": w, "b": b}
    SGD(0.1).step(params, {"W": gw, "b": gb})
    np.testing.assert_array_equal(params["W"], w0 - 0.1 * gw)
    np.testing.assert_array_equal(params["b"], b0 - 0.1 * gb)
    assert params["W"] is w and params["b"] is b  # updated in place


def test_momentum_rule_two_steps_by_hand():
    # v <- beta v + g, w <- w - lr v
    lr, beta = 0.1, 0.9
    opt = SGD(lr, momentum=beta)
    w = np.array([1.0, -2.0])
    g1, g2 = np.array([0.5, 1.0]), np.array([-1.0, 2.0])
    params = {"w": w.copy()}
    opt.step(params, {"w": g1})
    v1 = g1
    np.testing.assert_allclose(params["w"], w - lr * v1, rtol=1e-15)
    opt.step(params, {"w": g2})
    v2 = beta * v1 + g2
    np.testing.assert_allclose(params["w"], w - lr * v1 - lr * v2, rtol=1e-15)
    np.testing.assert_allclose(opt.velocity["w"], v2, rtol=1e-15)


def test_momentum_state_is_per_key():
    opt = SGD(1.0, momentum=0.5)
    params = {"a": np.zeros(1), "b": np.zeros(1)}
    opt.step(params, {"a": np.array([1.0]), "b": np.array([10.0])})
    opt.step(params, {"a": np.array([1.0]), "b": np.array([10.0])})
    # velocities 1, 1.5 and 10, 15: w = -(1 + 1.5), -(10 + 15)
    np.testing.assert_allclose(params["a"], [-2.5])
    np.testing.assert_allclose(params["b"], [-25.0])


def test_adam_two_steps_by_hand():
    lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-8
    opt = Adam(lr, b1, b2, eps)
    w = np.array([1.0, -1.0, 0.5])
    g1, g2 = np.array([0.3, -2.0, 1e-3]), np.array([-0.1, 1.0, 2e-3])
    params = {"w": w.copy()}
    m = s = np.zeros(3)
    ref = w.copy()
    for t, g in enumerate([g1, g2], start=1):
        opt.step(params, {"w": g})
        m = b1 * m + (1 - b1) * g
        s = b2 * s + (1 - b2) * g * g
        ref = ref - lr * (m / (1 - b1 ** t)) / (np.sqrt(s / (1 - b2 ** t)) + eps)
        np.testing.assert_allclose(params["w"], ref, rtol=1e-13)
    assert opt.t == 2


def test_adam_first_step_has_size_lr_per_coordinate():
    params = {"w": np.zeros(3)}
    Adam(0.1).step(params, {"w": np.array([1e-3, -5.0, 300.0])})
    np.testing.assert_allclose(params["w"], [-0.1, 0.1, -0.1], rtol=1e-4)


@pytest.mark.parametrize("make", [lambda: SGD(0.1), lambda: SGD(0.1, 0.9), lambda: Adam(0.1)],
                         ids=["sgd", "momentum", "adam"])
def test_grads_dict_not_modified(make):
    rng = np.random.default_rng(4)
    params = {"W": rng.standard_normal((3, 2)), "b": rng.standard_normal(2)}
    grads = {"W": rng.standard_normal((3, 2)), "b": rng.standard_normal(2)}
    grads0 = {k: v.copy() for k, v in grads.items()}
    ids = {k: id(v) for k, v in grads.items()}
    opt = make()
    for _ in range(3):
        opt.step(params, grads)
    assert set(grads) == {"W", "b"}
    for k in grads:
        assert id(grads[k]) == ids[k]
        np.testing.assert_array_equal(grads[k], grads0[k])


@pytest.mark.parametrize("make", [lambda: SGD(0.1), lambda: SGD(0.1, 0.9), lambda: Adam(0.1)],
                         ids=["sgd", "momentum", "adam"])
def test_float32_params_stay_float32(make):
    params = {"w": np.ones(3, dtype=np.float32)}
    opt = make()
    for _ in range(2):
        opt.step(params, {"w": np.full(3, 0.5, dtype=np.float32)})
    assert params["w"].dtype == np.float32
    assert np.all(params["w"] < 1)


@pytest.mark.parametrize("lr", [0, 0.0, -0.1, -1])
@pytest.mark.parametrize("cls", [SGD, Adam])
def test_bad_lr(cls, lr):
    with pytest.raises(ValueError, match="lr"):
        cls(lr)


@pytest.mark.parametrize("lr", ["0.1", None, np.array([0.1, 0.2])])
def test_lr_not_a_number(lr):
    with pytest.raises(TypeError, match="lr"):
        SGD(lr)


@pytest.mark.parametrize("momentum", [1.0, 1, 1.5, -0.1])
def test_bad_momentum(momentum):
    with pytest.raises(ValueError, match="momentum"):
        SGD(0.1, momentum=momentum)


@pytest.mark.parametrize("kwargs, name", [
    ({"beta1": 1.0}, "beta1"), ({"beta1": -0.1}, "beta1"), ({"beta2": 1.0}, "beta2"),
    ({"beta2": 2.0}, "beta2"), ({"eps": 0.0}, "eps"), ({"eps": -1e-8}, "eps"),
])
def test_bad_adam_hyperparameters(kwargs, name):
    with pytest.raises(ValueError, match=name):
        Adam(0.01, **kwargs)


def test_repr():
    assert repr(SGD(0.5, 0.9)) == "SGD(lr=0.5, momentum=0.9)"
    assert "lr=0.01" in repr(Adam(0.01))

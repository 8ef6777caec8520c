"""nnlib.experiments.symmetry: clones, training runs through the Trainer, the convex case, curvature;
and the dead-unit rule of nnlib.experiments.diagnostics on whole nets."""

import numpy as np
import pytest

from nnlib import MLP, datasets
from nnlib.activations import sigmoid
from nnlib.experiments.diagnostics import dead_fractions as dead_fraction
from nnlib.experiments.symmetry import (
    TrainingRun, clone_gap, format_gap, logistic_regression_optimum, loss_along, name_221, network_hessian, train,
)

DATA = {
    "xor": lambda rng: datasets.xor(rng, 80),
    "moons": lambda rng: datasets.two_moons(rng, 80, noise=0.2),
    "circles": lambda rng: datasets.circles(rng, 80, noise=0.1),
}


def _data(name="moons", seed=1):
    return DATA[name](np.random.default_rng(seed))


def _net(init=0.3, activation="tanh", sizes=(2, 6, 5, 1), **kw):
    return MLP(list(sizes), activation=activation, output="sigmoid", weight_init=init, rng=0, **kw)


# --------------------------------------------------------------------------- clones
@pytest.mark.parametrize("dataset", list(DATA))
@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid", "elu"])
def test_constant_init_units_stay_clones(dataset, activation):
    X, y = _data(dataset)
    run = train(_net(0.3, activation), X, y, steps=60, lr=0.5)
    assert run.clone_gaps.shape == (61, 2)
    assert run.clone_gaps.max() < 1e-12
    assert np.linalg.matrix_rank(run.net.params["W2"], tol=1e-8) == 1


def test_random_init_units_differ_and_fit_xor_better():
    X, y = _data("xor")
    const = train(_net(0.2, sizes=(2, 8, 8, 1)), X, y, steps=300, lr=0.5)
    rand = train(_net("glorot_normal", sizes=(2, 8, 8, 1)), X, y, steps=300, lr=0.5)
    assert clone_gap(rand.net, 1) > 0.1 and clone_gap(rand.net, 2) > 0.1
    assert rand.loss[-1] < const.loss[-1] / 5
    assert const.accuracy[-1] <= 0.8 < 0.95 < rand.accuracy[-1]


def test_clone_gap_reads_units_as_columns_in_and_rows_out():
    net = _net(0.5, sizes=(2, 3, 1))
    assert clone_gap(net, 1) == 0.0
    for key, index in (("W1", (1, 2)), ("b1", (0,)), ("W2", (2, 0))):
        p = net.get_params()
        p[key][index] += 0.25
        assert clone_gap(p, 1) == pytest.approx(0.25)
    p = net.get_params()
    p["W1"][:, :] += 0.25  # every unit changed the same way: still clones
    assert clone_gap(p, 1) == 0.0


def test_clone_gap_of_gradients_and_bad_layers():
    X, y = _data()
    net = _net(0.3)
    _, grads = net.loss_and_grads(X, y)
    assert clone_gap(grads, 1) < 1e-12 and clone_gap(grads, 2) < 1e-12
    with pytest.raises(ValueError, match="layer"):
        clone_gap(net, 3)  # the output layer is not a hidden layer
    with pytest.raises(ValueError, match="layer"):
        clone_gap(net, 0)
    with pytest.raises(TypeError, match="layer"):
        clone_gap(net, 1.0)
    with pytest.raises(TypeError, match="params"):
        clone_gap([1, 2], 1)


def test_tied_221_gradients_equal_at_every_step():
    X, y = _data("xor")
    net = MLP([2, 2, 1], activation="tanh", output="identity", rng=0)
    net.set_params({"W1": [[0.5, 0.5], [-0.3, -0.3]], "b1": [0.1, 0.1], "W2": [[0.8], [0.8]], "b2": [0.0]})
    run = train(net, X, y.astype(float), steps=50, lr=0.1, record_grads=True, record_params=True)
    assert len(run.grads) == 50 and len(run.params) == 51
    for g in run.grads:
        n = name_221(g)
        assert abs(n["w1"] - n["w3"]) < 1e-12 and abs(n["w2"] - n["w4"]) < 1e-12
        assert abs(n["b1"] - n["b2"]) < 1e-12 and abs(n["w5"] - n["w6"]) < 1e-12
    assert run.loss[-1] < run.loss[0]


def test_name_221_matches_the_chain_rule():
    rng = np.random.default_rng(4)
    net = MLP([2, 2, 1], activation="tanh", output="identity", weight_init="glorot_normal",
              bias_init=lambda r, s: r.normal(0, 0.5, s), rng=2)
    x, y = rng.standard_normal((1, 2)), np.array([0.7])
    p = name_221(net)
    h1 = np.tanh(p["w1"] * x[0, 0] + p["w2"] * x[0, 1] + p["b1"])
    h2 = np.tanh(p["w3"] * x[0, 0] + p["w4"] * x[0, 1] + p["b2"])
    d = 2 * (p["w5"] * h1 + p["w6"] * h2 + p["b3"] - y[0])
    expected = {"w1": d * p["w5"] * (1 - h1**2) * x[0, 0], "w2": d * p["w5"] * (1 - h1**2) * x[0, 1],
                "w3": d * p["w6"] * (1 - h2**2) * x[0, 0], "w4": d * p["w6"] * (1 - h2**2) * x[0, 1],
                "w5": d * h1, "w6": d * h2, "b1": d * p["w5"] * (1 - h1**2), "b2": d * p["w6"] * (1 - h2**2), "b3": d}
    got = name_221(net.loss_and_grads(x, y)[1])
    for k, v in expected.items():
        assert got[k] == pytest.approx(v, abs=1e-12), k


def test_name_221_rejects_other_shapes():
    with pytest.raises(ValueError, match="2-2-1"):
        name_221(_net())
    with pytest.raises(TypeError, match="params"):
        name_221("W1")


def test_format_gap():
    assert format_gap(0.0) == "< 1e-12"
    assert format_gap(3e-17) == "< 1e-12"
    assert format_gap(0.01234) == "0.0123"
    assert format_gap(5e-11, floor=1e-10) == "< 1e-10"
    with pytest.raises(ValueError, match="floor"):
        format_gap(1.0, floor=0.0)
    with pytest.raises(TypeError, match="x"):
        format_gap("0")


# --------------------------------------------------------------------------- training
def test_train_copies_the_net_and_leaves_inputs_alone():
    X, y = _data()
    net = _net("glorot_normal")
    before, X0, y0 = net.get_params(), X.copy(), y.copy()
    run = train(net, X, y, steps=20, lr=0.5)
    assert isinstance(run, TrainingRun) and run.steps == 20 and run.net is not net
    for k in before:
        assert np.array_equal(net.params[k], before[k])
        assert not np.array_equal(run.net.params[k], before[k])
    assert np.array_equal(X, X0) and np.array_equal(y, y0)
    assert run.loss.shape == run.accuracy.shape == (21,)
    assert run.loss[-1] < run.loss[0]
    assert run.loss[-1] == pytest.approx(run.net.loss(X, y), rel=1e-12)
    assert run.accuracy[-1] == pytest.approx(run.net.accuracy(X, y))
    assert "20 steps" in repr(run)


def test_train_is_deterministic_and_records_what_was_asked():
    X, y = _data()
    a = train(_net("he_normal", "relu"), X, y, steps=15, lr=0.3, momentum=0.5, record_grads=True)
    b = train(_net("he_normal", "relu"), X, y, steps=15, lr=0.3, momentum=0.5)
    assert np.array_equal(a.loss, b.loss) and b.grads is None and b.params is None
    assert len(a.grads) == 15 and set(a.grads[0]) == set(a.net.params)
    c = train(_net("he_normal", "relu"), X, y, steps=15, lr=0.3, record_clone_gaps=False)
    assert c.clone_gaps.shape == (16, 0)


def test_train_zero_steps_and_regression_nets():
    X, y = _data()
    run = train(_net(), X, y, steps=0)
    assert run.steps == 0 and run.loss.shape == (1,)
    reg = MLP([2, 4, 1], activation="tanh", output="identity", rng=0)
    run = train(reg, X, y.astype(float), steps=5, lr=0.1)
    assert run.accuracy.shape == (0,) and "accuracy" not in repr(run)


def test_train_stops_when_the_loss_blows_up():
    X, y = _data()
    reg = MLP([2, 4, 1], activation="relu", output="identity", weight_init="he_normal", rng=0)
    run = train(reg, 100 * X, y.astype(float), steps=200, lr=10.0)
    assert run.diverged and run.steps < 200
    # the net is left at its last finite weights, and the loss recorded there is theirs
    assert all(np.isfinite(v).all() for v in run.net.params.values())
    assert np.isfinite(run.loss).all() and run.loss[-1] == pytest.approx(run.net.loss(100 * X, y.astype(float)))
    assert "diverged" in repr(run)


def test_dropout_alone_breaks_the_symmetry():
    X, y = _data("xor")
    run = train(_net(0.2, dropout=0.1), X, y, steps=40, lr=0.5)
    assert run.clone_gaps[0].max() == 0.0
    assert run.clone_gaps[1].min() > 0.0
    assert np.linalg.matrix_rank(run.net.params["W2"], tol=1e-8) > 1
    assert run.loss[-1] == pytest.approx(run.net.loss(X, y), rel=1e-12)  # recorded in evaluation mode


@pytest.mark.parametrize("bad, exc, match", [
    (dict(net="net"), TypeError, "net"),
    (dict(steps=-1), ValueError, "steps"),
    (dict(steps=2.5), TypeError, "steps"),
    (dict(lr=0.0), ValueError, "lr"),
    (dict(momentum=1.0), ValueError, "momentum"),
    (dict(X=np.zeros((80, 3))), ValueError, "X"),
    (dict(y=np.zeros(79)), ValueError, "y"),
])
def test_train_rejects_bad_input(bad, exc, match):
    X, y = _data()
    args = dict(net=_net(), X=X, y=y, steps=3, lr=0.1, momentum=0.0) | bad
    with pytest.raises(exc, match=match):
        train(**args)


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_all_zero_init_gives_exactly_zero_hidden_gradients(activation):
    X, y = _data()
    net = _net(0.0, activation, sizes=(2, 5, 1))
    _, g = net.loss_and_grads(X[:61], y[:61])  # unbalanced: the output bias has a gradient
    for k in ("W1", "b1", "W2"):
        assert np.all(g[k] == 0.0), k
    assert abs(g["b2"][0]) > 1e-3
    run = train(net, X, y, steps=30, lr=0.5)
    for k in ("W1", "b1", "W2"):
        assert np.all(run.net.params[k] == 0.0), k


# --------------------------------------------------------------------------- convex case
def test_logistic_regression_optimum_is_where_gradient_descent_ends():
    X, y = _data("moons")
    w, b, loss = logistic_regression_optimum(X, y)
    z = X @ w + b
    assert np.abs(X.T @ (sigmoid(z) - y) / len(X)).max() < 1e-10
    for init, seed in ((0.0, 0), (lambda r, s: r.normal(0, 3, s), 1)):
        run = train(MLP([2, 1], output="sigmoid", weight_init=init, bias_init=init, rng=seed), X, y, steps=400, lr=4.0)
        assert np.abs(run.net.params["W1"][:, 0] - w).max() < 1e-4
        assert run.loss[-1] - loss < 1e-9


def test_logistic_regression_optimum_rejects_separable_and_bad_data():
    X = np.array([[-2.0, 0.1], [-1.0, -0.3], [1.0, 0.2], [2.0, -0.1]])
    with pytest.raises(ValueError, match="separable"):
        logistic_regression_optimum(X, np.array([0, 0, 1, 1]))
    with pytest.raises(ValueError, match="0/1"):
        logistic_regression_optimum(X, np.array([0, 2, 1, 1]))
    with pytest.raises(ValueError, match="rows"):
        logistic_regression_optimum(X, np.array([0, 1, 1]))
    with pytest.raises(ValueError, match="X"):
        logistic_regression_optimum(X[:, 0], np.array([0, 1, 0, 1]))


# --------------------------------------------------------------------------- curvature
def test_network_hessian_matches_logistic_regression():
    X, y = _data("moons")
    net = MLP([2, 1], output="sigmoid", weight_init="glorot_normal", rng=3)
    H = network_hessian(net, X, y)
    A = np.column_stack([X, np.ones(len(X))])  # parameter order: W1 (2 rows), b1
    p = sigmoid(A @ np.r_[net.params["W1"][:, 0], net.params["b1"]])
    expected = (A * (p * (1 - p))[:, None]).T @ A / len(X)
    assert np.allclose(H, expected, atol=1e-8)
    assert np.array_equal(H, H.T)


def test_all_zero_tanh_net_is_a_saddle_with_eigenvalues_plus_minus_c():
    X, y = _data("moons")
    X, y = X[:61], y[:61]
    run = train(_net(0.0, sizes=(2, 3, 1)), X, y, steps=300, lr=1.0)
    lam, vec = np.linalg.eigh(network_hessian(run.net, X, y))
    p = sigmoid(run.net.params["b2"][0])
    c = np.linalg.norm(np.mean((p - y)[:, None] * X, axis=0))
    assert np.sum(lam < -1e-6) == 3 and lam[0] == pytest.approx(-c, abs=1e-6)
    ts = np.array([-0.2, 0.0, 0.2])
    down = loss_along(run.net, X, y, vec[:, 0], ts)
    up = loss_along(run.net, X, y, vec[:, -1], ts)
    assert down[0] < down[1] and down[2] < down[1] and up[0] > up[1] and up[2] > up[1]


def test_loss_along_accepts_dicts_and_vectors():
    X, y = _data()
    net = _net("glorot_normal")
    rng = np.random.default_rng(0)
    d = {k: rng.standard_normal(v.shape) for k, v in net.params.items()}
    vector = np.concatenate([d[k].ravel() for k in net.params])
    ts = np.linspace(-1, 1, 5)
    a, b = loss_along(net, X, y, d, ts), loss_along(net, X, y, vector, ts)
    assert np.allclose(a, b) and a[2] == pytest.approx(net.loss(X, y))
    partial = loss_along(net, X, y, {"W1": d["W1"]}, [0.0, 1.0])
    moved = net.get_params()
    moved["W1"] = moved["W1"] + d["W1"]
    net2 = _net("glorot_normal")
    net2.set_params(moved)
    assert partial[1] == pytest.approx(net2.loss(X, y))
    with pytest.raises(ValueError, match="direction"):
        loss_along(net, X, y, {"W9": 1.0}, ts)
    with pytest.raises(ValueError, match="direction"):
        loss_along(net, X, y, {"W1": np.zeros((3, 3))}, ts)
    with pytest.raises(ValueError, match="direction"):
        loss_along(net, X, y, np.zeros(5), ts)
    with pytest.raises(TypeError, match="direction"):
        loss_along(net, X, y, [0.0], ts)
    with pytest.raises(ValueError, match="ts"):
        loss_along(net, X, y, d, np.zeros((2, 2)))


# --------------------------------------------------------------------------- dead units
def test_dead_fraction():
    X, _ = _data()
    assert np.array_equal(dead_fraction(_net(0.0, "relu"), X), [1.0, 1.0])
    assert np.array_equal(dead_fraction(_net(0.0, "relu", bias_init=0.1), X), [0.0, 0.0])
    assert dead_fraction(_net("he_normal", "relu"), X)[0] == 0.0
    with pytest.raises(TypeError, match="net"):
        dead_fraction("net", X)


def test_positive_bias_means_fewer_dead_units_at_the_start():
    X, _ = _data()
    dead = {b: np.mean([dead_fraction(MLP([2, 6, 6, 6, 1], output="sigmoid", bias_init=b, rng=s), X).mean()
                        for s in range(60)]) for b in (0.0, 0.1)}
    assert dead[0.1] < dead[0.0]


# --------------------------------------------------------------------------- comparison


# --------------------------------------------------------------------------- view


def test_dead_fraction_does_not_apply_to_tanh():
    X, _ = _data()
    assert np.isnan(dead_fraction(_net(0.0, "tanh"), X)).all()  # tanh'(0) = 1: zero output is not dead

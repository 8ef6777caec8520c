"""nnlib.experiments.underfitting: the linear baseline, diagnosed training runs, Adam's first step,
the sigmoid's mean in the forward variance, and dying ReLUs."""

import numpy as np
import pytest

import nnlib
from nnlib import datasets
from nnlib.experiments import diagnostics, underfitting


@pytest.fixture(scope="module")
def moons():
    return datasets.two_moons(np.random.default_rng(0), n_samples=80, noise=0.2)


def test_linear_baseline_is_the_logistic_regression_optimum(moons):
    X, y = moons
    base = underfitting.linear_baseline(X, y)
    z = X @ base.w + base.b
    p = 1 / (1 + np.exp(-z))
    np.testing.assert_allclose(np.column_stack([X, np.ones(len(X))]).T @ (p - y) / len(X), 0, atol=1e-9)
    assert base.loss == pytest.approx(np.mean(np.logaddexp(0, z) - y * z), rel=1e-9)
    assert base.accuracy == pytest.approx(np.mean((z > 0) == (y == 1)))
    # no other linear classifier does better: perturbing the optimum raises the loss
    for d in np.eye(3) * 0.05:
        z2 = X @ (base.w + d[:2]) + base.b + d[2]
        assert np.mean(np.logaddexp(0, z2) - y * z2) > base.loss


def test_make_net_uses_the_named_initialization():
    net = underfitting.make_net(0, depth=3, width=400, init="N(0, 0.01²)")
    assert net.sizes == [2, 400, 400, 400, 2] and net.activation.name == "sigmoid"
    assert np.std(net.params["W2"]) == pytest.approx(0.01, rel=0.02)
    x4 = underfitting.make_net(0, depth=3, width=400, init="4 × Xavier")
    assert np.var(x4.params["W2"]) == pytest.approx(16 * 2 / 800, rel=0.02)      # fan_avg, times 16
    with pytest.raises(ValueError, match="init"):
        underfitting.make_net(0, init="xavier ×4")
    with pytest.raises(ValueError, match="depth"):
        underfitting.make_net(0, depth=0)


def test_train_diagnosed_records_every_step_like_the_trainer(moons):
    X, y = moons
    run = underfitting.train_diagnosed(underfitting.make_net(1, depth=3, width=8, activation="tanh", init="Xavier"),
                                       X, y, nnlib.SGD(0.1), steps=20)
    assert run.loss.shape == (20,) and run.ratio.shape == (20, 4) and run.grad_std.shape == (20, 4)
    twin = underfitting.make_net(1, depth=3, width=8, activation="tanh", init="Xavier")
    _, grads = twin.loss_and_grads(X, y)
    np.testing.assert_allclose(run.grad_std[0], [np.std(grads[f"W{k}"]) for k in range(1, 5)], rtol=1e-12)
    np.testing.assert_allclose(run.ratio[0], [np.linalg.norm(0.1 * grads[f"W{k}"]) / np.linalg.norm(twin.params[f"W{k}"])
                                              for k in range(1, 5)], rtol=1e-9)
    assert run.final_loss == pytest.approx(run.net.loss(X, y)) and run.accuracy == pytest.approx(run.net.accuracy(X, y))
    assert not run.diverged and run.final_loss < run.loss[0]


def test_train_diagnosed_reports_a_blow_up(moons):
    X, y = moons
    run = underfitting.train_diagnosed(underfitting.make_net(1, depth=3, width=16, activation="relu", init="N(0, 1)"),
                                       X * 50, y, nnlib.SGD(50.0), steps=50)
    assert run.diverged and len(run.loss) < 50 and run.ratio.shape[0] == len(run.loss)


def test_diagnose_is_deterministic_and_validates(moons):
    X, y = moons
    a = underfitting.diagnose(3, X, y, depth=2, width=8, steps=10, optimizer="Adam", lr=0.01)
    b = underfitting.diagnose(3, X, y, depth=2, width=8, steps=10, optimizer="Adam", lr=0.01)
    np.testing.assert_array_equal(a.loss, b.loss)
    with pytest.raises(ValueError, match="optimizer"):
        underfitting.diagnose(3, X, y, optimizer="adam")
    with pytest.raises(ValueError, match="lr"):
        underfitting.diagnose(3, X, y, lr=0.0)
    with pytest.raises(ValueError, match="steps"):
        underfitting.diagnose(3, X, y, steps=0)


def test_adam_first_step_closed_form_matches_the_optimizer(moons):
    X, y = moons
    net = underfitting.make_net(1, depth=6, width=16)
    predicted = underfitting.adam_first_step_ratios(net, X, y, lr=0.01, eps=1e-8)
    run = underfitting.train_diagnosed(underfitting.make_net(1, depth=6, width=16), X, y, nnlib.Adam(0.01), steps=1)
    np.testing.assert_allclose(predicted, run.ratio[0], rtol=1e-9)
    assert predicted[0] < 1e-5 and 0.3 < predicted[-1] < 3         # eps-limited at the bottom, sign steps at the top
    with pytest.raises(ValueError, match="eps"):
        underfitting.adam_first_step_ratios(net, X, y, eps=0.0)


def test_wake_up_steps():
    ratio = np.array([[1e-9, 0.5], [1e-4, 0.2], [0.2, 0.1], [np.nan, 0.3]])
    np.testing.assert_array_equal(underfitting.wake_up_steps(ratio, 0.1), [3, 1])
    np.testing.assert_array_equal(underfitting.wake_up_steps(ratio, 0.9), [0, 0])
    with pytest.raises(ValueError, match="threshold"):
        underfitting.wake_up_steps(ratio, 0.0)
    with pytest.raises(ValueError, match="ratio must be 2-D"):
        underfitting.wake_up_steps(np.ones(3))


def test_forward_prediction_needs_the_sigmoid_mean_and_not_the_tanh_one(moons):
    X, _ = moons
    Xb = np.repeat(X, 10, axis=0) + np.random.default_rng(0).normal(0, 0.1, (800, 2))
    sig = underfitting.make_net(1, depth=4, width=256, init="Xavier")
    m, with_mean, without_mean = underfitting.forward_std_prediction(sig, Xb)
    np.testing.assert_allclose(m, with_mean, rtol=0.15)
    assert np.all(without_mean < 0.5 * m)                          # the mean of 1/2 dominates
    tanh = underfitting.make_net(1, depth=4, width=256, activation="tanh", init="Xavier")
    m, with_mean, without_mean = underfitting.forward_std_prediction(tanh, Xb)
    np.testing.assert_allclose(with_mean, without_mean, rtol=0.05)  # tanh outputs are centred


def test_dying_relu_counts_with_the_diagnostics_rule(moons):
    X, y = moons
    result = underfitting.dying_relu(X, y, lrs=[0.1, 3.0], seeds=[0, 1], hidden=(32, 32), steps=30)
    assert result.before.shape == result.after.shape == (2, 2)
    net = nnlib.MLP([2, 32, 32, 2], activation="relu", weight_init="he_normal", rng=1)
    assert result.before[0, 1] == pytest.approx(np.mean(diagnostics.dead_fractions(net, X)))
    assert result.after[1].mean() > result.after[0].mean()
    assert "dead after" in result.table() and len(result.table().splitlines()) == 3
    with pytest.raises(ValueError, match="lrs"):
        underfitting.dying_relu(X, y, lrs=[0.1, -1.0])
    with pytest.raises(ValueError, match="seeds"):
        underfitting.dying_relu(X, y, lrs=[0.1], seeds=[])


def test_inputs_are_not_modified(moons):
    X, y = moons
    X0, y0 = X.copy(), y.copy()
    net = underfitting.make_net(1, depth=2, width=8)
    params = net.get_params()
    underfitting.adam_first_step_ratios(net, X, y)
    underfitting.forward_std_prediction(net, X)
    underfitting.linear_baseline(X, y)
    assert np.array_equal(X, X0) and np.array_equal(y, y0)
    assert all(np.array_equal(v, net.params[k]) for k, v in params.items())

"""Batch normalization: the layer pair, its running statistics, and MLP(batch_norm=True)."""

import warnings

import numpy as np
import pytest

from nnlib import MLP, SGD, Adam, EarlyStopping, Trainer, datasets, layers
from nnlib.gradcheck import check_model_gradients, numerical_gradient, relative_error

ACTIVATIONS = ["identity", "sigmoid", "tanh", "relu", "leaky_relu", "elu"]
OUTPUTS = {"softmax": 3, "sigmoid": 1, "identity": 2}


def _rng(seed=0):
    return np.random.default_rng(seed)


# ---------------------------------------------------------------- the layer pair
@pytest.mark.parametrize("training", [True, False])
def test_batchnorm_backward_matches_central_differences(training):
    r = _rng(1)
    a, gamma, beta, G = r.standard_normal((7, 5)) * 3 + 2, r.standard_normal(5), r.standard_normal(5), r.standard_normal((7, 5))
    running = None if training else (r.standard_normal(5), r.random(5) + 0.5)
    out, cache = layers.batchnorm_forward(a, gamma, beta, running)
    da, dgamma, dbeta = layers.batchnorm_backward(G, cache)

    def f(a=a, gamma=gamma, beta=beta):
        return float((layers.batchnorm_forward(a, gamma, beta, running)[0] * G).sum())

    assert relative_error(da, numerical_gradient(lambda v: f(a=v), a)) < 1e-7
    assert relative_error(dgamma, numerical_gradient(lambda v: f(gamma=v), gamma)) < 1e-7
    assert relative_error(dbeta, numerical_gradient(lambda v: f(beta=v), beta)) < 1e-7


def test_training_mode_normalizes_each_column_with_the_biased_variance():
    a = _rng(2).standard_normal((50, 4)) * [1, 10, 100, 0.1] + [5, -3, 0, 1]
    out, cache = layers.batchnorm_forward(a, np.ones(4), np.zeros(4))
    np.testing.assert_allclose(out.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(out.var(axis=0), a.var(axis=0) / (a.var(axis=0) + 1e-5), rtol=1e-12)
    np.testing.assert_allclose(cache["var"], a.var(axis=0, ddof=0), rtol=1e-13)
    gamma, beta = np.array([2.0, 0.5, 1, 3]), np.array([1.0, -1, 0, 2])
    out2, _ = layers.batchnorm_forward(a, gamma, beta)
    np.testing.assert_allclose(out2, out * gamma + beta, rtol=1e-12)


def test_running_statistics_follow_pytorch_batchnorm1d():
    """momentum 0.1, the unbiased batch variance for the running variance, starting at 0 and 1."""
    r = _rng(3)
    mean, var = np.zeros(3), np.ones(3)
    batches = [r.standard_normal((8, 3)) * 2 + 1 for _ in range(5)]
    for a in batches:
        _, cache = layers.batchnorm_forward(a, np.ones(3), np.zeros(3))
        before = (mean.copy(), var.copy())
        new_mean, new_var = layers.batchnorm_running(mean, var, cache)
        np.testing.assert_array_equal(mean, before[0])  # inputs are not modified
        np.testing.assert_allclose(new_mean, 0.9 * mean + 0.1 * a.mean(axis=0), rtol=1e-14)
        np.testing.assert_allclose(new_var, 0.9 * var + 0.1 * a.var(axis=0, ddof=1), rtol=1e-14)
        mean, var = new_mean, new_var
    out, _ = layers.batchnorm_forward(batches[0], np.ones(3), np.zeros(3), running=(mean, var))
    np.testing.assert_allclose(out, (batches[0] - mean) / np.sqrt(var + 1e-5), rtol=1e-12)


def test_batch_of_one_in_training_mode_is_a_clear_error():
    with pytest.raises(ValueError, match="at least 2 rows"):
        layers.batchnorm_forward(np.ones((1, 3)), np.ones(3), np.zeros(3))
    out, _ = layers.batchnorm_forward(np.ones((1, 3)), np.ones(3), np.zeros(3), running=(np.zeros(3), np.ones(3)))
    assert out.shape == (1, 3)  # evaluation mode needs no batch
    net = MLP([2, 4, 2], batch_norm=True, rng=0)
    with pytest.raises(ValueError, match="batches of at least 2 rows"):
        net.loss_and_grads(np.ones((1, 2)), [0])
    assert net.predict(np.ones((1, 2))).shape == (1,)
    X, y = datasets.xor(0, 9)
    with pytest.raises(ValueError, match="last batch of 1"):
        Trainer(net, SGD(0.1), batch_size=4, rng=0).fit(X, y, 1)


@pytest.mark.parametrize("bad, match", [
    (dict(gamma=np.ones(2)), "gamma must have shape \\(3,\\)"),
    (dict(beta=np.ones((3, 1))), "beta must be 1-D"),
    (dict(a=np.ones(3)), "a must be 2-D"),
    (dict(eps=0.0), "eps"),
    (dict(running=(np.zeros(3),)), "running must be"),
    (dict(running=(np.zeros(3), -np.ones(3))), "variance >= 0"),
    (dict(a=np.full((2, 3), np.nan)), "a must be finite"),
])
def test_batchnorm_forward_rejects_bad_input(bad, match):
    args = dict(a=np.ones((4, 3)), gamma=np.ones(3), beta=np.zeros(3)) | bad
    with pytest.raises((ValueError, TypeError), match=match):
        layers.batchnorm_forward(**args)


# ---------------------------------------------------------------- the MLP
def test_parameters_and_state_of_a_batch_norm_net():
    net = MLP([3, 5, 4, 2], batch_norm=True, rng=0)
    assert sorted(net.params) == ["W1", "W2", "W3", "b3", "beta1", "beta2", "gamma1", "gamma2"]
    assert sorted(net.running) == ["mean1", "mean2", "var1", "var2"]
    assert np.all(net.params["gamma1"] == 1) and np.all(net.running["var2"] == 1)
    assert "batch_norm=True" in repr(net)
    assert "b1" in MLP([3, 5, 2], rng=0).params and MLP([3, 5, 2], rng=0).running == {}


@pytest.mark.parametrize("output", sorted(OUTPUTS))
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_training_mode_gradients_of_every_activation_and_output(activation, output, output_targets):
    r = _rng(4)
    X, y = r.standard_normal((6, 3)), output_targets(output, 6, r)
    net = MLP([3, 5, 4, OUTPUTS[output]], activation=activation, output=output, batch_norm=True,
              weight_init="glorot_normal", l2=1e-2, rng=1)
    net.params = {k: v + 0.3 * r.standard_normal(v.shape) for k, v in net.params.items()}  # gamma, beta away from 1, 0
    _, grads = net.loss_and_grads(X, y, training=True)
    for name, value in net.params.items():
        def objective(v, name=name):
            saved = net.params[name]
            net.params[name] = v
            try:
                return net.loss_and_grads(X, y, training=True)[0]
            finally:
                net.params[name] = saved

        numeric = numerical_gradient(objective, value)
        if activation == "identity" and name.startswith("beta") and name != f"beta{net.n_layers - 1}":
            # a shift before a linear map is removed again by the next layer's normalization: no gradient
            assert np.abs(grads[name]).max() < 1e-12 and np.abs(numeric).max() < 1e-9, name
            continue
        assert relative_error(grads[name], numeric) < 1e-6, name


def test_evaluation_mode_gradients_and_running_statistics_in_the_net():
    r = _rng(5)
    X, y = r.standard_normal((8, 3)), r.integers(0, 3, 8)
    net = MLP([3, 6, 3], activation="tanh", batch_norm=True, rng=2)
    for _ in range(3):
        net.loss_and_grads(X, y)  # training mode: updates the running statistics
    a = X @ net.params["W1"]
    mean, var = np.zeros(6), np.ones(6)
    for _ in range(3):
        mean, var = 0.9 * mean + 0.1 * a.mean(axis=0), 0.9 * var + 0.1 * a.var(axis=0, ddof=1)
    np.testing.assert_allclose(net.running["mean1"], mean, rtol=1e-12)
    np.testing.assert_allclose(net.running["var1"], var, rtol=1e-12)
    assert max(check_model_gradients(net, X, y).values()) < 1e-6  # evaluation mode, running statistics
    before = {k: v.copy() for k, v in net.running.items()}
    net.forward(X), net.predict(X), net.loss(X, y), net.trace(X, y), net.trace(X, y, training=True)
    assert all(np.array_equal(before[k], net.running[k]) for k in before)  # evaluation and traces leave them


def test_evaluation_uses_running_statistics_not_the_batch():
    X, y = datasets.two_moons(0, 200, noise=0.1)
    net = MLP([2, 16, 16, 2], batch_norm=True, rng=0)
    Trainer(net, Adam(0.01), batch_size=20, rng=0).fit(X, y, 30)
    one = net.forward(X[:1])
    assert np.allclose(one, net.forward(X)[:1])  # a sample's output does not depend on its batch
    # with batch statistics (training mode) a shifted batch is silently re-centred: other outputs
    shifted = X[:20] + 3.0
    batch_stats = net.trace(shifted, training=True)[-1].activation
    assert np.abs(batch_stats - net.forward(shifted)).max() > 0.1
    assert net.accuracy(X, y) > 0.95


def test_trace_reports_the_normalized_pre_activations():
    r = _rng(6)
    X, y = r.standard_normal((40, 3)) * 5, r.integers(0, 2, 40)
    net = MLP([3, 8, 2], batch_norm=True, rng=0)
    t = net.trace(X, y, training=True)[0]
    np.testing.assert_allclose(t.pre_activation.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(t.pre_activation.std(axis=0), 1, atol=1e-5)
    np.testing.assert_allclose(t.linear, X @ net.params["W1"], rtol=1e-12)
    assert t.grad_b is None and t.grad_pre_activation.shape == (40, 8)


def test_float32_batch_norm_net():
    r = _rng(7)
    X, y = r.standard_normal((16, 3)), r.integers(0, 2, 16)
    net = MLP([3, 8, 2], batch_norm=True, dtype=np.float32, rng=0)
    loss, grads = net.loss_and_grads(X, y)
    assert all(g.dtype == np.float32 for g in grads.values())
    assert all(v.dtype == np.float32 for v in net.running.values())
    net64 = MLP([3, 8, 2], batch_norm=True, rng=0)
    assert loss == pytest.approx(net64.loss_and_grads(X, y)[0], rel=1e-5)


def test_dropout_and_batch_norm_combine():
    r = _rng(8)
    X, y = r.standard_normal((30, 3)), r.integers(0, 2, 30)
    net = MLP([3, 8, 8, 2], batch_norm=True, dropout=0.5, rng=0)
    (l1, _), (l2, _) = net.loss_and_grads(X, y), net.loss_and_grads(X, y)
    assert l1 != l2  # fresh masks in training mode
    assert net.loss(X, y) == net.loss(X, y)  # evaluation mode: neither dropout nor batch statistics
    assert max(check_model_gradients(net, X, y).values()) < 1e-6
    h = Trainer(net, Adam(0.01), batch_size=10, rng=0).fit(X, y, 5)
    assert np.isfinite(h.loss).all()


def test_l2_and_optimizers_leave_running_statistics_alone():
    r = _rng(9)
    X, y = r.standard_normal((12, 3)), r.integers(0, 2, 12)
    net = MLP([3, 4, 2], batch_norm=True, l2=1.0, rng=0)
    _, grads = net.loss_and_grads(X, y)
    assert set(grads) == set(net.params) and not set(grads) & {"mean1", "var1"}
    plain = MLP([3, 4, 2], batch_norm=True, rng=0)
    g0 = plain.loss_and_grads(X, y)[1]
    np.testing.assert_allclose(grads["gamma1"], g0["gamma1"])  # gamma, beta are not penalized


def test_divergence_and_early_stopping_keep_matching_running_statistics():
    X, y = datasets.two_moons(0, 100, noise=0.2)

    class GrowingLR(SGD):
        def step(self, params, grads, out=None, check=True):
            self.lr *= 2.0
            super().step(params, grads, out=out, check=check)

    net = MLP([2, 8, 2], batch_norm=True, rng=0)
    stop = EarlyStopping(monitor="val_loss", patience=1000)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        h = Trainer(net, GrowingLR(1e-3), batch_size=20, rng=0).fit(X, y, 200, validation_data=(X, y),
                                                                     callbacks=[stop])
    assert h.diverged and stop.best_epoch >= 1
    assert all(np.isfinite(v).all() for v in net.running.values())
    # the best epoch's weights *and* running statistics are back: its validation loss, exactly
    assert net.loss(X, y) == pytest.approx(h.val_loss[stop.best_epoch - 1], rel=1e-12)

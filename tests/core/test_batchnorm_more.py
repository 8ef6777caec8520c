"""Batch normalization: what issue 11 asks beyond tests/core/test_batchnorm.py -- evaluation-mode
gradients for every activation x output, training-mode gradients with dropout (a fixed mask), the
gradient of a bias placed before the normalization, float32 training, a batch of one in a trace."""

import numpy as np
import pytest

from nnlib import MLP, SGD, Trainer, datasets, layers
from nnlib.gradcheck import check_model_gradients, numerical_gradient, relative_error

ACTIVATIONS = ["identity", "sigmoid", "tanh", "relu", "leaky_relu", "elu"]
OUTPUTS = {"softmax": 3, "sigmoid": 1, "identity": 2}


@pytest.mark.parametrize("output", sorted(OUTPUTS))
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_evaluation_mode_gradients_of_every_activation_and_output(activation, output, output_targets):
    """After some training steps the running statistics are no longer 0 and 1: evaluation mode
    normalizes with them, an affine map per unit, and its gradients must still be exact."""
    r = np.random.default_rng(10)
    X, y = r.standard_normal((8, 3)) * 2 + 1, output_targets(output, 8, r)
    net = MLP([3, 5, 4, OUTPUTS[output]], activation=activation, output=output, batch_norm=True,
              weight_init="glorot_normal", rng=3)
    for _ in range(5):
        net.loss_and_grads(X, y)  # training mode: moves the running statistics
    assert not np.allclose(net.running["mean1"], 0) and not np.allclose(net.running["var1"], 1)
    net.params = {k: v + 0.3 * r.standard_normal(v.shape) for k, v in net.params.items()}
    errors = check_model_gradients(net, X, y)
    assert max(errors.values()) < 1e-6, errors


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_training_mode_gradients_with_dropout_and_a_fixed_mask(activation):
    r = np.random.default_rng(11)
    X, y = r.standard_normal((10, 3)), r.integers(0, 2, 10)
    net = MLP([3, 6, 5, 2], activation=activation, batch_norm=True, dropout=0.3, rng=0)

    def loss(params=None):
        saved = net.params
        if params is not None:
            net.params = params
        net.rng = np.random.default_rng(123)  # the same dropout masks on every call
        try:
            return net.loss_and_grads(X, y, training=True)
        finally:
            net.params = saved

    _, grads = loss()
    for name, value in net.params.items():
        numeric = numerical_gradient(lambda v, name=name: loss(net.params | {name: v})[0], value)
        assert relative_error(grads[name], numeric) < 1e-6, name


def test_a_bias_before_batch_norm_gets_no_gradient():
    """Adding b to every row of a column shifts the column's batch mean by b: the normalization
    removes it, so dL/db = sum over the batch of dL/da = 0 -- why hidden layers drop b with BN."""
    r = np.random.default_rng(12)
    X, W, b = r.standard_normal((16, 4)), r.standard_normal((4, 3)), r.standard_normal(3)
    gamma, beta, G = r.standard_normal(3), r.standard_normal(3), r.standard_normal((16, 3))
    a, dense_cache = layers.dense_forward(X, W, b)
    out, bn_cache = layers.batchnorm_forward(a, gamma, beta)
    da, _, dbeta = layers.batchnorm_backward(G, bn_cache)
    _, dW, db = layers.dense_backward(da, dense_cache)
    assert np.abs(db).max() < 1e-12 * np.abs(dbeta).max() + 1e-13
    assert np.abs(dW).max() > 1e-3  # the weights do get a gradient
    shifted, _ = layers.batchnorm_forward(layers.dense_forward(X, W, b + 5.0)[0], gamma, beta)
    np.testing.assert_allclose(shifted, out, atol=1e-12)


def test_float32_training_keeps_float32_and_tracks_float64():
    X, y = datasets.two_moons(0, 120, noise=0.15)
    nets = {dt: MLP([2, 16, 16, 2], batch_norm=True, dtype=dt, rng=0) for dt in (np.float32, np.float64)}
    for dt, net in nets.items():
        Trainer(net, SGD(0.1, momentum=0.9), batch_size=20, rng=0).fit(X, y, 5)
        assert all(v.dtype == dt for v in net.params.values())
        assert all(v.dtype == dt for v in net.running.values())
    for key in nets[np.float64].running:
        np.testing.assert_allclose(nets[np.float32].running[key], nets[np.float64].running[key], rtol=1e-3, atol=1e-4)
    assert nets[np.float32].accuracy(X, y) == pytest.approx(nets[np.float64].accuracy(X, y), abs=0.02)


def test_a_batch_of_one_in_a_training_mode_trace_is_a_clear_error():
    net = MLP([2, 4, 2], batch_norm=True, rng=0)
    with pytest.raises(ValueError, match="at least 2 rows"):
        net.trace(np.ones((1, 2)), training=True)
    assert len(net.trace(np.ones((1, 2)))) == 2  # evaluation mode: one row is fine

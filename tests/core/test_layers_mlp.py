"""nnlib.layers and nnlib.mlp: forward values, backward passes against central differences, trace."""

import itertools

import numpy as np
import pytest

from nnlib import MLP, activations, initializers, layers, losses
from nnlib.gradcheck import check_model_gradients, numerical_gradient, relative_error

HIDDEN = ["identity", "sigmoid", "tanh", "relu", "leaky_relu", "elu"]
# id -> (output, number of outputs)
OUTPUTS = {"softmax_ce": ("softmax", 3), "sigmoid_bce": ("sigmoid", 1),
           "identity_se_1": ("identity", 1), "identity_se_3": ("identity", 3)}
REGULARIZERS = {"none": (0.0, 0.0), "l2": (0.1, 0.0), "l1": (0.0, 0.05), "both": (0.1, 0.05)}


def _rng(seed=0):
    return np.random.default_rng(seed)


def _targets(rng, output, k, n):
    if output == "softmax":
        return rng.integers(0, k, n)
    if output == "sigmoid":
        return rng.integers(0, 2, n)
    return rng.standard_normal((n, k))


def _net_and_data(activation="tanh", out_id="softmax_ce", reg="none", seed=0, n=6, dropout=0.0,
                  dtype=np.float64, sizes=(3, 5, 4)):
    output, k = OUTPUTS[out_id]
    l2, l1 = REGULARIZERS[reg]
    rng = _rng(seed)
    net = MLP(list(sizes) + [k], activation=activation, output=output, l2=l2, l1=l1,
              bias_init=lambda r, s: 0.1 * r.standard_normal(s), dropout=dropout, rng=rng, dtype=dtype)
    X = rng.standard_normal((n, sizes[0]))
    y = _targets(rng, output, k, n)
    return net, X, y


# ------------------------------------------------------------------ layer pairs

def test_dense_forward_value():
    rng = _rng(1)
    X, W, b = rng.standard_normal((4, 3)), rng.standard_normal((3, 2)), rng.standard_normal(2)
    a, cache = layers.dense_forward(X, W, b)
    np.testing.assert_allclose(a, X @ W + b, rtol=1e-14)
    assert cache[0] is X and cache[1] is W


def test_dense_backward_against_numerical():
    rng = _rng(2)
    X, W, b = rng.standard_normal((5, 3)), rng.standard_normal((3, 4)), rng.standard_normal(4)
    G = rng.standard_normal((5, 4))  # upstream dL/da; L = sum(G * a)
    _, cache = layers.dense_forward(X, W, b)
    dX, dW, db = layers.dense_backward(G, cache)
    assert dX.shape == X.shape and dW.shape == W.shape and db.shape == b.shape
    assert relative_error(dX, numerical_gradient(lambda x: (G * layers.dense_forward(x, W, b)[0]).sum(), X)) < 1e-8
    assert relative_error(dW, numerical_gradient(lambda w: (G * layers.dense_forward(X, w, b)[0]).sum(), W)) < 1e-8
    assert relative_error(db, numerical_gradient(lambda v: (G * layers.dense_forward(X, W, v)[0]).sum(), b)) < 1e-8


def test_dense_backward_without_dX():
    rng = _rng(3)
    X, W, b = rng.standard_normal((5, 3)), rng.standard_normal((3, 4)), rng.standard_normal(4)
    _, cache = layers.dense_forward(X, W, b)
    G = rng.standard_normal((5, 4))
    dX, dW, db = layers.dense_backward(G, cache, need_dX=False)
    assert dX is None
    np.testing.assert_allclose(dW, X.T @ G)
    np.testing.assert_allclose(db, G.sum(axis=0))


@pytest.mark.parametrize("name", HIDDEN)
def test_activation_layer_backward_against_numerical(name):
    rng = _rng(4)
    act = activations.get(name)
    a = rng.standard_normal((5, 4))
    a[np.abs(a) < 1e-3] = 0.5
    G = rng.standard_normal((5, 4))
    h, cache = layers.activation_forward(a, act)
    np.testing.assert_allclose(h, act.forward(a))
    da = layers.activation_backward(G, cache, act)
    numeric = numerical_gradient(lambda z: (G * layers.activation_forward(z, act)[0]).sum(), a)
    assert relative_error(da, numeric) < 1e-8


@pytest.mark.parametrize("p", [0.0, 0.3, 0.5, 0.9])
def test_dropout_mask_values(p):
    h = np.ones((400, 250))
    out, mask = layers.dropout_forward(_rng(5), h, p)
    assert mask.shape == h.shape
    kept = mask != 0
    np.testing.assert_allclose(mask[kept], 1 / (1 - p))
    np.testing.assert_array_equal(out, h * mask)
    assert np.mean(~kept) == pytest.approx(p, abs=0.005)
    # inverted dropout keeps the expectation
    assert out.mean() == pytest.approx(1.0, abs=0.02 if p < 0.9 else 0.05)


def test_dropout_zero_is_identity():
    h = _rng(6).standard_normal((4, 3))
    out, mask = layers.dropout_forward(_rng(7), h, 0.0)
    np.testing.assert_array_equal(out, h)
    np.testing.assert_array_equal(mask, 1.0)


def test_dropout_backward_against_numerical_with_fixed_mask():
    rng = _rng(8)
    h = rng.standard_normal((6, 5))
    G = rng.standard_normal((6, 5))
    p = 0.4
    # a fresh generator with the same seed gives the same mask on every call
    f = lambda z: (G * layers.dropout_forward(np.random.default_rng(99), z, p)[0]).sum()
    _, mask = layers.dropout_forward(np.random.default_rng(99), h, p)
    assert 0 < np.count_nonzero(mask) < mask.size
    dh = layers.dropout_backward(G, mask)
    np.testing.assert_array_equal(dh, G * mask)
    assert relative_error(dh, numerical_gradient(f, h)) < 1e-8


def test_dropout_mask_keeps_dtype():
    out, mask = layers.dropout_forward(_rng(9), np.ones((3, 3), dtype=np.float32), 0.5)
    assert out.dtype == np.float32 and mask.dtype == np.float32


def test_layers_do_not_modify_inputs():
    rng = _rng(10)
    X, W, b = rng.standard_normal((5, 3)), rng.standard_normal((3, 4)), rng.standard_normal(4)
    copies = [X.copy(), W.copy(), b.copy()]
    a, cache = layers.dense_forward(X, W, b)
    G = rng.standard_normal((5, 4))
    G0 = G.copy()
    layers.dense_backward(G, cache)
    act = activations.get("relu")
    a0 = a.copy()
    h, c = layers.activation_forward(a, act)
    layers.activation_backward(G, c, act)
    layers.dropout_forward(rng, h, 0.5)
    for arr, arr0 in zip([X, W, b, G, a], copies + [G0, a0]):
        np.testing.assert_array_equal(arr, arr0)


# ------------------------------------------------------------------ MLP construction

def test_param_shapes_and_names():
    net = MLP([3, 5, 4, 2], rng=0)
    assert net.n_layers == 3
    assert list(net.params) == ["W1", "b1", "W2", "b2", "W3", "b3"]
    shapes = {k: v.shape for k, v in net.params.items()}
    assert shapes == {"W1": (3, 5), "b1": (5,), "W2": (5, 4), "b2": (4,), "W3": (4, 2), "b3": (2,)}
    assert all(v.dtype == np.float64 for v in net.params.values())
    assert all(np.all(net.params[f"b{k}"] == 0) for k in (1, 2, 3))  # default bias_init 0


def test_no_hidden_layer_net():
    net = MLP([3, 2], rng=0)
    assert net.n_layers == 1 and set(net.params) == {"W1", "b1"}
    X = _rng(11).standard_normal((4, 3))
    np.testing.assert_allclose(net.forward(X), losses.softmax(X @ net.params["W1"] + net.params["b1"]))


def test_weight_init_name_number_callable():
    net = MLP([300, 400, 2], weight_init="glorot_uniform", rng=0)
    limit = np.sqrt(6 / 700)
    assert 0.99 * limit < np.abs(net.params["W1"]).max() <= limit
    net = MLP([3, 4, 2], weight_init=0.5, bias_init=-1.0, rng=0)
    assert np.all(net.params["W1"] == 0.5) and np.all(net.params["b2"] == -1.0)
    seen = []

    def my_init(rng, shape):
        seen.append(shape)
        return np.full(shape, 0.25)

    net = MLP([3, 4, 2], weight_init=my_init, rng=0)
    assert seen == [(3, 4), (4, 2)]
    assert np.all(net.params["W2"] == 0.25)


def test_init_reproducible_by_seed_and_int_seed():
    a = MLP([3, 5, 2], rng=np.random.default_rng(4)).params
    b = MLP([3, 5, 2], rng=np.random.default_rng(4)).params
    c = MLP([3, 5, 2], rng=4).params
    d = MLP([3, 5, 2], rng=5).params
    for k in a:
        np.testing.assert_array_equal(a[k], b[k])
        np.testing.assert_array_equal(a[k], c[k])
    assert not np.array_equal(a["W1"], d["W1"])


def test_params_are_owned_copies():
    W = np.ones((3, 2))
    net = MLP([3, 2], weight_init=lambda rng, s: W, rng=0)
    net.params["W1"] += 1
    assert np.all(W == 1)


def test_float32_net():
    net, X, y = _net_and_data(dtype=np.float32)
    assert all(v.dtype == np.float32 for v in net.params.values())
    assert net.forward(X).dtype == np.float32
    loss, grads = net.loss_and_grads(X, y)
    assert all(g.dtype == np.float32 for g in grads.values())
    assert np.isfinite(loss)


# ------------------------------------------------------------------ MLP forward / predict

def _manual_forward(net, X):
    h = X
    for k in range(1, net.n_layers):
        h = net.activation.forward(h @ net.params[f"W{k}"] + net.params[f"b{k}"])
    return h @ net.params[f"W{net.n_layers}"] + net.params[f"b{net.n_layers}"]


@pytest.mark.parametrize("out_id", sorted(OUTPUTS))
def test_forward_against_manual_computation(out_id):
    net, X, _ = _net_and_data("elu", out_id, seed=12, n=8)
    logits = _manual_forward(net, X)
    out = net.forward(X)
    output, k = OUTPUTS[out_id]
    assert out.shape == (8, k)
    if output == "softmax":
        np.testing.assert_allclose(out, np.exp(logits) / np.exp(logits).sum(1, keepdims=True), rtol=1e-12)
        np.testing.assert_allclose(out.sum(axis=1), 1.0)
    elif output == "sigmoid":
        np.testing.assert_allclose(out, 1 / (1 + np.exp(-logits)), rtol=1e-12)
    else:
        np.testing.assert_allclose(out, logits, rtol=1e-12)


@pytest.mark.parametrize("out_id", sorted(OUTPUTS))
def test_predict(out_id):
    net, X, _ = _net_and_data("tanh", out_id, seed=13, n=50)
    out = net.forward(X)
    pred = net.predict(X)
    output, k = OUTPUTS[out_id]
    if output == "softmax":
        np.testing.assert_array_equal(pred, out.argmax(axis=1))
    elif output == "sigmoid":
        assert pred.shape == (50,)
        np.testing.assert_array_equal(pred, (out[:, 0] > 0.5).astype(int))
        assert set(np.unique(pred)) <= {0, 1}
    elif k == 1:
        assert pred.shape == (50,)
        np.testing.assert_allclose(pred, out[:, 0])
    else:
        assert pred.shape == (50, 3)
        np.testing.assert_allclose(pred, out)


@pytest.mark.parametrize("out_id", ["softmax_ce", "sigmoid_bce"])
def test_accuracy_is_mean_of_correct_predictions(out_id):
    net, X, y = _net_and_data("relu", out_id, seed=14, n=40)
    assert net.accuracy(X, y) == pytest.approx(np.mean(net.predict(X) == y))


def test_accuracy_refuses_regression():
    net, X, y = _net_and_data("relu", "identity_se_1", seed=15)
    with pytest.raises(ValueError, match="accuracy"):
        net.accuracy(X, y)


@pytest.mark.parametrize("out_id", sorted(OUTPUTS))
def test_loss_is_data_loss_of_logits(out_id):
    net, X, y = _net_and_data("tanh", out_id, reg="both", seed=16)
    output, k = OUTPUTS[out_id]
    logits = _manual_forward(net, X)
    if output == "softmax":
        expected = losses.softmax_cross_entropy(logits, y)[0]
    elif output == "sigmoid":
        expected = losses.binary_cross_entropy(logits, y.reshape(-1, 1).astype(float))[0]
    else:
        expected = losses.squared_error(logits, y)[0]
    assert net.loss(X, y) == pytest.approx(expected, rel=1e-12)


def test_objective_includes_penalty_on_weights_only():
    net, X, y = _net_and_data("tanh", "softmax_ce", reg="both", seed=17)
    Ws = [net.params[f"W{k}"] for k in (1, 2, 3)]
    penalty = 0.1 * sum((W ** 2).sum() for W in Ws) + 0.05 * sum(np.abs(W).sum() for W in Ws)
    loss, grads = net.loss_and_grads(X, y, training=False)
    assert loss == pytest.approx(net.loss(X, y) + penalty, rel=1e-12)
    plain = MLP(net.sizes, activation="tanh", rng=0)
    plain.set_params(net.params)
    loss0, grads0 = plain.loss_and_grads(X, y, training=False)
    for k in (1, 2, 3):
        np.testing.assert_allclose(grads[f"b{k}"], grads0[f"b{k}"])  # biases not regularized
        W = net.params[f"W{k}"]
        np.testing.assert_allclose(grads[f"W{k}"], grads0[f"W{k}"] + 0.2 * W + 0.05 * np.sign(W), rtol=1e-12)


def test_loss_and_grads_returns_grads_for_every_param():
    net, X, y = _net_and_data()
    loss, grads = net.loss_and_grads(X, y)
    assert set(grads) == set(net.params)
    for k in grads:
        assert grads[k].shape == net.params[k].shape


def test_dropout_only_in_training_mode():
    net, X, y = _net_and_data("relu", "softmax_ce", dropout=0.5, seed=18, n=20)
    l_eval1 = net.loss_and_grads(X, y, training=False)[0]
    l_eval2 = net.loss_and_grads(X, y, training=False)[0]
    assert l_eval1 == l_eval2
    assert net.loss(X, y) == pytest.approx(l_eval1)
    np.testing.assert_array_equal(net.forward(X), net.forward(X))
    l_train = [net.loss_and_grads(X, y, training=True)[0] for _ in range(3)]
    assert len(set(l_train)) == 3  # a fresh mask each call


# ------------------------------------------------------------------ gradient checks

GRAD_CASES = list(itertools.product(HIDDEN, sorted(OUTPUTS), sorted(REGULARIZERS)))


@pytest.mark.parametrize("activation, out_id, reg", GRAD_CASES)
def test_gradients_every_combination(activation, out_id, reg):
    net, X, y = _net_and_data(activation, out_id, reg, seed=GRAD_CASES.index((activation, out_id, reg)))
    before = net.get_params()
    errors = check_model_gradients(net, X, y)
    assert set(errors) == set(net.params)
    worst = max(errors, key=errors.get)
    assert errors[worst] < 1e-6, f"{worst}: relative error {errors[worst]:.3g}"
    for k in before:  # the check leaves the parameters alone
        np.testing.assert_array_equal(net.params[k], before[k])


@pytest.mark.parametrize("activation", ["tanh", "relu", "elu"])
def test_gradients_deeper_net_with_dropout_disabled_in_check(activation):
    net, X, y = _net_and_data(activation, "softmax_ce", "both", seed=19, n=7, dropout=0.5, sizes=(4, 6, 5, 4))
    errors = check_model_gradients(net, X, y)
    assert max(errors.values()) < 1e-6


@pytest.mark.parametrize("activation", ["sigmoid", "relu"])
def test_gradients_with_dropout_mask_fixed_by_reseeding(activation):
    # training=True draws masks from net.rng: reseeding it before every evaluation fixes them
    net, X, y = _net_and_data(activation, "softmax_ce", "l2", seed=20, n=8, dropout=0.3)

    def objective(name, v):
        saved = net.params[name]
        net.params[name] = v
        net.rng = np.random.default_rng(123)
        try:
            return net.loss_and_grads(X, y, training=True)[0]
        finally:
            net.params[name] = saved

    net.rng = np.random.default_rng(123)
    loss_train, grads = net.loss_and_grads(X, y, training=True)
    assert loss_train != pytest.approx(net.loss_and_grads(X, y, training=False)[0])  # dropout is active
    for name, value in net.params.items():
        numeric = numerical_gradient(lambda v, name=name: objective(name, v), value)
        assert relative_error(grads[name], numeric) < 1e-6, name


# ------------------------------------------------------------------ trace

@pytest.mark.parametrize("out_id", sorted(OUTPUTS))
@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_trace_matches_loss_and_grads(activation, out_id):
    net, X, y = _net_and_data(activation, out_id, seed=21, n=6)
    tr = net.trace(X, y)
    assert len(tr) == net.n_layers == 3
    _, grads = net.loss_and_grads(X, y, training=False)
    output, k = OUTPUTS[out_id]
    for i, layer in enumerate(tr, start=1):
        np.testing.assert_allclose(layer.grad_W, grads[f"W{i}"], rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(layer.grad_b, grads[f"b{i}"], rtol=1e-12, atol=1e-15)
    # output layer: pre-activation = logits, activation = f(x), dL/dlogits = loss gradient
    logits = _manual_forward(net, X)
    np.testing.assert_allclose(tr[-1].pre_activation, logits, rtol=1e-12)
    np.testing.assert_allclose(tr[-1].activation, net.forward(X), rtol=1e-12)
    yy = y if output == "softmax" else y.reshape(len(X), -1).astype(float)
    loss_fn = {"softmax": losses.softmax_cross_entropy, "sigmoid": losses.binary_cross_entropy,
               "identity": losses.squared_error}[output]
    np.testing.assert_allclose(tr[-1].grad_pre_activation, loss_fn(logits, yy)[1], rtol=1e-12)
    assert tr[-1].grad_activation is None
    # hidden layers: h = g(a); dL/dh_k = dL/da_{k+1} @ W_{k+1}^T; dL/da_k = dL/dh_k * g'(a_k)
    for i in range(len(tr) - 1):
        layer, above = tr[i], tr[i + 1]
        np.testing.assert_allclose(layer.activation, net.activation.forward(layer.pre_activation))
        np.testing.assert_allclose(layer.grad_activation, above.grad_pre_activation @ net.params[f"W{i + 2}"].T,
                                   rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(
            layer.grad_pre_activation,
            layer.grad_activation * net.activation.derivative(layer.pre_activation, layer.activation),
            rtol=1e-12, atol=1e-15)
        assert layer.pre_activation.shape == (6, net.sizes[i + 1])


def test_trace_gradients_exclude_penalty():
    net, X, y = _net_and_data("tanh", "softmax_ce", "l2", seed=22)
    tr = net.trace(X, y)
    plain = MLP(net.sizes, activation="tanh", rng=0)
    plain.set_params(net.params)
    _, grads = plain.loss_and_grads(X, y, training=False)
    np.testing.assert_allclose(tr[0].grad_W, grads["W1"], rtol=1e-12)


def test_trace_without_targets_has_no_gradients():
    net, X, _ = _net_and_data("relu", "softmax_ce", seed=23)
    tr = net.trace(X)
    assert len(tr) == 3
    for layer in tr:
        assert layer.grad_W is None and layer.grad_b is None
        assert layer.grad_pre_activation is None and layer.grad_activation is None
    np.testing.assert_allclose(tr[-1].activation, net.forward(X))


def test_trace_with_grad_output():
    net, X, _ = _net_and_data("tanh", "identity_se_3", seed=24, n=5)
    G = _rng(25).standard_normal((5, 3))
    G0 = G.copy()
    tr = net.trace(X, grad_output=G)
    np.testing.assert_array_equal(G, G0)
    np.testing.assert_allclose(tr[-1].grad_pre_activation, G)
    np.testing.assert_allclose(tr[-1].grad_W, tr[-2].activation.T @ G, rtol=1e-12)
    np.testing.assert_allclose(tr[-1].grad_b, G.sum(axis=0), rtol=1e-12)
    np.testing.assert_allclose(tr[-2].grad_activation, G @ net.params["W3"].T, rtol=1e-12)
    # grad_output is dL/dlogits of L = sum(G * logits): compare with central differences
    for name in ("W1", "b2"):
        def f(v, name=name):
            saved = net.params[name]
            net.params[name] = v
            try:
                return float((G * _manual_forward(net, X)).sum())
            finally:
                net.params[name] = saved
        grad = tr[int(name[1]) - 1].grad_W if name[0] == "W" else tr[int(name[1]) - 1].grad_b
        assert relative_error(grad, numerical_gradient(f, net.params[name])) < 1e-7


def test_trace_training_applies_dropout_to_activations():
    net, X, y = _net_and_data("relu", "softmax_ce", seed=26, n=50, dropout=0.5)
    tr = net.trace(X, y, training=True)
    h = net.activation.forward(tr[0].pre_activation)
    kept = tr[0].activation != 0
    np.testing.assert_allclose(tr[0].activation[kept], 2 * h[kept])
    assert np.count_nonzero(~kept & (h != 0)) > 0  # some live units were dropped


def test_trace_rejects_y_and_grad_output_together():
    net, X, y = _net_and_data()
    with pytest.raises(ValueError, match="grad_output"):
        net.trace(X, y, grad_output=np.zeros((6, 3)))


# ------------------------------------------------------------------ get/set params

def test_get_params_is_a_deep_copy():
    net, X, y = _net_and_data()
    p = net.get_params()
    p["W1"] += 1.0
    assert not np.array_equal(p["W1"], net.params["W1"])


def test_set_params_copies_and_changes_output():
    net, X, y = _net_and_data(seed=27)
    other, _, _ = _net_and_data(seed=28)
    p = other.get_params()
    p0 = {k: v.copy() for k, v in p.items()}
    net.set_params(p)
    np.testing.assert_allclose(net.forward(X), other.forward(X))
    net.params["W1"] += 1.0
    for k in p:
        np.testing.assert_array_equal(p[k], p0[k])


def test_repr():
    r = repr(MLP([2, 3, 1], activation="tanh", output="sigmoid", l2=0.5, rng=0))
    assert "[2, 3, 1]" in r and "tanh" in r and "sigmoid" in r and "0.5" in r


def test_initializer_registry_through_mlp():
    for name in ("zeros", "he_uniform", "lecun_normal", "normal"):
        net = MLP([4, 3, 2], weight_init=name, rng=0)
        ref = initializers.get(name)(np.random.default_rng(0), (4, 3))
        np.testing.assert_array_equal(net.params["W1"], ref)

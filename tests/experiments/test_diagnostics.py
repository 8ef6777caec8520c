import numpy as np
import pytest

import nnlib
from nnlib import activations, datasets, initializers
from nnlib.experiments import diagnostics


def _small_sigmoid(r, shape):
    return initializers.normal(r, shape, std=0.01)


@pytest.fixture
def moons():
    return datasets.two_moons(np.random.default_rng(0), n_samples=64, noise=0.15)


def _net(activation="relu", init="he_normal", depth=4, width=16, seed=1):
    return nnlib.MLP([2] + [width] * depth + [2], activation=activation, weight_init=init, rng=seed)


# ----------------------------------------------------------------------------- saturation / dead units
def test_saturated_fraction_sigmoid_counts_both_tails():
    # sigma'(a) < 0.1 * 1/4  <=>  |a| > 3.637
    a = np.array([[-5.0, 0.0, 3.7, 3.5], [-3.7, -3.5, 4.0, 1.0]])
    assert diagnostics.saturated_fraction(a, "sigmoid") == pytest.approx(4 / 8)


def test_saturated_fraction_tanh_threshold():
    # tanh'(a) < 0.1  <=>  |tanh a| > sqrt(0.9) = 0.949  <=>  |a| > 1.818
    a = np.array([[-1.9, -1.7, 0.0, 1.85]])
    assert diagnostics.saturated_fraction(a, "tanh") == pytest.approx(2 / 4)
    assert diagnostics.saturated_fraction(a, activations.get("tanh")) == pytest.approx(2 / 4)


@pytest.mark.parametrize("name, edge", [("sigmoid", 3.6369), ("tanh", 1.8184)])
def test_saturated_means_derivative_below_ten_percent_of_its_maximum(name, edge):
    """One rule for every activation that saturates: g'(a) < 0.1 max g'."""
    act = activations.get(name)
    a = np.linspace(-12, 12, 4001).reshape(1, -1)
    d = act.derivative(a, act.forward(a))
    sat = diagnostics.saturated_mask(d, name)
    assert np.array_equal(sat, d < 0.1 * act.max_derivative)
    assert np.all(sat == (np.abs(a) > edge)) or np.abs(np.abs(a[sat != (np.abs(a) > edge)]) - edge).max() < 1e-3
    assert diagnostics.saturated_fraction(a, name) == pytest.approx(np.mean(np.abs(a) > edge), abs=1e-3)


def test_saturated_fraction_rejects_bad_input():
    with pytest.raises(ValueError, match="activation 'relu' does not saturate"):
        diagnostics.saturated_fraction(np.zeros((2, 2)), "relu")
    with pytest.raises(ValueError, match="a must be 2-D"):
        diagnostics.saturated_fraction(np.zeros(3), "sigmoid")
    with pytest.raises(TypeError, match="activation"):
        diagnostics.saturated_fraction(np.zeros((2, 2)), 3)
    with pytest.raises(ValueError, match="did you mean 'tanh'"):
        diagnostics.saturated_fraction(np.zeros((2, 2)), "tahn")


def test_dead_fraction_needs_every_row_off():
    a = np.array([[-1.0, 2.0, -3.0, 0.0],
                  [-2.0, -1.0, 0.5, 0.0]])
    # unit 0: always <= 0 (dead); unit 3: exactly 0 everywhere (dead); units 1, 2 fire once
    assert diagnostics.dead_fraction(a) == pytest.approx(0.5)


def test_inputs_are_not_modified():
    h = np.array([[0.01, 0.5]])
    before = h.copy()
    diagnostics.saturated_fraction(h, "sigmoid")
    diagnostics.dead_fraction(h)
    np.testing.assert_array_equal(h, before)


# ----------------------------------------------------------------------------- layer statistics
@pytest.mark.parametrize("activation,init", [("relu", "he_normal"), ("sigmoid", "glorot_normal"),
                                             ("tanh", "glorot_normal"), ("elu", "he_normal")])
def test_layer_statistics_shapes_and_nan_pattern(moons, activation, init):
    X, y = moons
    net = _net(activation, init, depth=3)
    st = diagnostics.layer_statistics(net, X, y)
    assert st.n_layers == 4 and st.activation == activation
    for field in ("pre_activation_std", "activation_std", "grad_pre_activation_std", "grad_W_std",
                  "weight_std", "saturated", "dead"):
        assert getattr(st, field).shape == (4,)
    assert np.isnan(st.activation_std[-1]) and np.isnan(st.saturated[-1]) and np.isnan(st.dead[-1])
    assert np.isnan(st.saturated[:-1]).all() == (activation not in ("sigmoid", "tanh"))
    assert np.isnan(st.dead[:-1]).all() == (activation != "relu")
    assert np.all(np.isfinite(st.grad_W_std)) and np.all(st.grad_W_std > 0)
    assert len(st.table().splitlines()) == 5


def test_layer_statistics_match_the_trace(moons):
    X, y = moons
    net = _net("relu", depth=2)
    st = diagnostics.layer_statistics(net, X, y)
    trace = net.trace(X, y)
    for k, layer in enumerate(trace):
        assert st.grad_W_std[k] == pytest.approx(np.std(layer.grad_W))
        assert st.grad_pre_activation_std[k] == pytest.approx(np.std(layer.grad_pre_activation))
        assert st.pre_activation_std[k] == pytest.approx(np.std(layer.pre_activation))
        assert st.weight_std[k] == pytest.approx(np.std(net.params[f"W{k + 1}"]))
    assert st.dead[0] == pytest.approx(diagnostics.dead_fraction(trace[0].pre_activation))
    assert st.gradient_ratio == pytest.approx(st.grad_W_std[-1] / st.grad_W_std[0])


def test_small_init_sigmoid_gradients_shrink_by_sqrt_n_sigma_over_4(moons):
    """delta^(k) = (delta^(k+1) W^T) * sigma'(a), sigma'(0) = 1/4: factor sqrt(n) * std(W) / 4 per layer."""
    X, y = moons
    width, std = 16, 0.01
    net = _net("sigmoid", _small_sigmoid, depth=5, width=width)
    st = diagnostics.layer_statistics(net, X, y)
    factors = st.grad_pre_activation_std[:-2] / st.grad_pre_activation_std[1:-1]
    predicted = np.sqrt(width) * std / 4
    np.testing.assert_allclose(factors, predicted, rtol=0.5)
    assert st.gradient_ratio > 1e6
    assert np.all(st.saturated[:-1] == 0.0)
    he = diagnostics.layer_statistics(_net("relu", "he_normal", depth=5, width=width), X, y)
    assert he.gradient_ratio < 30


def test_large_init_sigmoid_saturates(moons):
    X, y = moons
    net = _net("sigmoid", lambda r, s: initializers.normal(r, s, std=4.0), depth=3)
    st = diagnostics.layer_statistics(net, X, y)
    assert np.all(st.saturated[1:-1] > 0.5)


def test_dead_units_from_negative_bias(moons):
    X, y = moons
    net = nnlib.MLP([2, 16, 16, 2], activation="relu", bias_init=-100.0, rng=0)
    st = diagnostics.layer_statistics(net, X, y)
    assert st.dead[0] == 1.0


def test_layer_statistics_rejects_non_net(moons):
    X, y = moons
    with pytest.raises(TypeError, match="nnlib.MLP"):
        diagnostics.layer_statistics("net", X, y)


# ----------------------------------------------------------------------------- histograms
@pytest.mark.parametrize("quantity", ["pre_activation", "activation", "grad_pre_activation", "grad_activation", "grad_W"])
def test_histograms_are_densities_on_shared_bins(moons, quantity):
    X, y = moons
    net = _net("tanh", "glorot_normal", depth=3)
    edges, density = diagnostics.layer_histograms(net, X, y, quantity, bins=25)
    assert edges.shape == (26,) and density.shape == (3, 25)
    np.testing.assert_allclose((density * np.diff(edges)).sum(axis=1), 1.0)


def test_log_histograms_leave_out_zeros(moons):
    X, y = moons
    net = _net("relu", depth=3)
    edges, density = diagnostics.layer_histograms(net, X, y, "activation", log10=True)
    trace = net.trace(X)
    positive = trace[0].activation[trace[0].activation > 0]
    assert edges[0] <= np.log10(positive.min()) + 1e-12
    np.testing.assert_allclose((density * np.diff(edges)).sum(axis=1), 1.0)


def test_log_gradient_histograms_separate_layers_of_a_vanishing_net(moons):
    X, y = moons
    net = _net("sigmoid", _small_sigmoid, depth=4)
    edges, density = diagnostics.layer_histograms(net, X, y, "grad_pre_activation", bins=200, log10=True)
    centers = (edges[:-1] + edges[1:]) / 2
    means = (density * np.diff(edges) * centers).sum(axis=1)
    assert np.all(np.diff(means) > 1.0)  # more than a decade per layer, rising towards the output


def test_histograms_validate_arguments(moons):
    X, y = moons
    net = _net()
    with pytest.raises(ValueError, match="quantity"):
        diagnostics.layer_histograms(net, X, y, "weights")
    with pytest.raises(ValueError, match="bins"):
        diagnostics.layer_histograms(net, X, y, bins=0)
    with pytest.raises(ValueError, match="value_range"):
        diagnostics.layer_histograms(net, X, y, value_range=(1.0, 0.0))
    with pytest.raises(ValueError, match="pass the targets y"):
        diagnostics.layer_histograms(net, X, quantity="grad_W")
    edges, _ = diagnostics.layer_histograms(net, X, value_range=(-1, 1), bins=4)
    np.testing.assert_allclose(edges, [-1, -0.5, 0, 0.5, 1])


# ----------------------------------------------------------------------------- update ratio
def test_update_ratio_of_one_full_batch_sgd_step(moons):
    X, y = moons
    net = _net("tanh", "glorot_normal", depth=2)
    W_before = {k: v.copy() for k, v in net.params.items()}
    _, grads = net.loss_and_grads(X, y)
    lr = 0.05
    recorder = diagnostics.UpdateRatio()
    nnlib.Trainer(net, nnlib.SGD(lr), batch_size=len(X), rng=0).fit(X, y, 1, callbacks=[recorder])
    expected = [lr * np.linalg.norm(grads[f"W{k}"]) / np.linalg.norm(W_before[f"W{k}"]) for k in (1, 2, 3)]
    np.testing.assert_allclose(recorder.ratio[0], expected, rtol=1e-10)
    assert recorder.weight_norm.shape == (2, 3)
    assert recorder.weight_norm[0, 0] == pytest.approx(np.linalg.norm(W_before["W1"]))


def test_update_ratio_records_every_epoch_and_restarts(moons):
    X, y = moons
    net = _net(depth=2)
    recorder = diagnostics.UpdateRatio()
    trainer = nnlib.Trainer(net, nnlib.SGD(0.05), batch_size=16, rng=0)
    trainer.fit(X, y, 5, callbacks=[recorder])
    assert recorder.ratio.shape == (5, 3) and np.all(recorder.ratio > 0)
    trainer.fit(X, y, 2, callbacks=[recorder])
    assert recorder.ratio.shape == (2, 3) and recorder.weight_norm.shape == (3, 3)


def test_update_ratio_nan_for_zero_weights_and_error_before_fit(moons):
    X, y = moons
    recorder = diagnostics.UpdateRatio()
    with pytest.raises(ValueError, match="no record"):
        recorder.ratio
    net = nnlib.MLP([2, 4, 2], activation="tanh", weight_init="zeros", rng=0)
    nnlib.Trainer(net, nnlib.SGD(0.1), batch_size=len(X), rng=0).fit(X, y, 1, callbacks=[recorder])
    assert np.isnan(recorder.ratio).all()
    zero_sigmoid = nnlib.MLP([2, 4, 4, 2], activation="sigmoid", weight_init="zeros", rng=0)
    sig = diagnostics.layer_statistics(zero_sigmoid, X, np.zeros(len(X), dtype=int))
    assert sig.gradient_ratio == np.inf  # zero weights: no gradient reaches the first layer at all
    tanh = diagnostics.layer_statistics(nnlib.MLP([2, 4, 4, 2], activation="tanh", weight_init="zeros", rng=0), X, y)
    assert np.isnan(tanh.gradient_ratio)  # tanh(0) = 0: not even the output weights get a gradient


# ----------------------------------------------------------------------------- drawing



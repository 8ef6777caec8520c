"""nnlib.experiments.deep_training: He against Xavier over many ReLU layers, and batch norm."""

import numpy as np
import pytest

import nnlib
from nnlib.experiments import deep_training as dt


@pytest.fixture(scope="module")
def spirals():
    X, y = nnlib.datasets.spirals(0, n_samples=200, n_classes=2, noise=0.05, turns=1.0)
    return nnlib.StandardScaler().fit_transform(X), y


def test_he_trains_a_deep_relu_net_and_xavier_stalls(spirals):
    X, y = spirals
    he = dt.train_deep(0, X, y, depth=20, width=16, weight_init="he_normal", epochs=60, batch_size=25)
    xavier = dt.train_deep(0, X, y, depth=20, width=16, weight_init="glorot_normal", epochs=60, batch_size=25)
    assert he.final_loss < 0.5 and he.final_accuracy > 0.75
    assert abs(xavier.final_loss - np.log(2)) < 1e-3  # stuck at the loss of a coin flip
    # before any step, every layer's weight gradient is orders of magnitude smaller under Xavier
    assert np.all(xavier.start.grad_W_std[:-1] < 1e-2 * he.start.grad_W_std[:-1])  # 2^-20 in variance


def test_scale_multiplies_only_the_hidden_weights():
    a = dt.make_deep_net(0, 2, 2, depth=3, width=4)
    b = dt.make_deep_net(0, 2, 2, depth=3, width=4, scale=10.0)
    for k in (1, 2, 3):
        np.testing.assert_allclose(b.params[f"W{k}"], 10 * a.params[f"W{k}"])
    np.testing.assert_array_equal(b.params["W4"], a.params["W4"])


def test_batch_norm_makes_training_insensitive_to_the_initial_scale(spirals):
    X, y = spirals
    sweep = dt.scale_sweep(0, X, y, [1e-2, 1.0, 100.0], depth=6, width=16, lr=0.05, epochs=30)
    bn, plain = sweep.loss["batch norm"], sweep.loss["plain"]
    assert np.all(np.isfinite(bn)) and bn.max() < 3 * bn.min()
    assert plain[0] > 0.69 and sweep.diverged["plain"][2] and not sweep.diverged["batch norm"].any()


def test_lr_sweep_records_accuracy_and_divergence(spirals):
    X, y = spirals
    sweep = dt.lr_sweep(0, X, y, [0.03, 100.0], depth=4, width=8, momentum=0.0, epochs=5)
    assert sweep.diverged["plain"][1] and sweep.accuracy["plain"][1] == 0.0
    assert np.isnan(sweep.loss["plain"][1]) and 0.0 < sweep.accuracy["plain"][0] <= 1.0


def test_evaluating_with_batch_statistics_is_the_classic_bug():
    X, y = nnlib.datasets.two_moons(0, n_samples=200, noise=0.15)
    net = nnlib.MLP([2, 16, 16, 2], batch_norm=True, rng=0)
    nnlib.Trainer(net, nnlib.SGD(0.1, momentum=0.9), batch_size=20, rng=0).fit(X, y, 30)
    one_class = X[y == 0][:30]
    assert net.accuracy(one_class, np.zeros(30, int)) > 0.9
    assert dt.batch_statistics_accuracy(net, one_class, np.zeros(30, int)) < 0.8
    with pytest.raises(ValueError, match="no batch normalization"):
        dt.batch_statistics_accuracy(nnlib.MLP([2, 3, 2], rng=0), X, y)


@pytest.mark.parametrize("call, exc, match", [
    (lambda X, y: dt.train_deep(0, X, y, depth=0), ValueError, "depth"),
    (lambda X, y: dt.train_deep(0, X, y, scale=-1.0), ValueError, "scale"),
    (lambda X, y: dt.train_deep(0, X, y, batch_norm="yes"), TypeError, "batch_norm"),
    (lambda X, y: dt.train_deep(0, X, y, epochs=0), ValueError, "epochs"),
    (lambda X, y: dt.train_deep("0", X, y), TypeError, "rng"),
    (lambda X, y: dt.scale_sweep(0, X, y, [1.0], scale=2.0), TypeError, "scale_sweep sets scale"),
    (lambda X, y: dt.lr_sweep(0, X, y, [1.0], batch_norm=True), TypeError, "lr_sweep sets lr"),
    (lambda X, y: dt.scale_sweep(0, X, y, [[1.0]]), ValueError, "scales must be 1-D"),
    (lambda X, y: dt.batch_statistics_accuracy("net", X, y), TypeError, "net must be"),
])
def test_bad_arguments_name_themselves(call, exc, match):
    X, y = nnlib.datasets.xor(0, 20)
    with pytest.raises(exc, match=match):
        call(X, y)


def test_layer_profile_uses_batch_statistics_for_a_batch_norm_net(spirals):
    X, y = spirals
    profiles = dt.init_profiles(0, X, y, depth=12, width=16, weight_init="glorot_normal")
    plain, bn = profiles["plain"], profiles["batch norm"]
    assert plain.depth == bn.depth == 12 and len(bn.grad_W_std) == 13
    # the same weights: the first layer's hW is identical, and a plain net's pre-activation is hW
    assert plain.linear_std[0] == pytest.approx(bn.linear_std[0], rel=1e-12)
    np.testing.assert_array_equal(plain.linear_std, plain.pre_activation_std)
    # batch norm (gamma 1, beta 0) hands every layer unit-variance pre-activations ...
    np.testing.assert_allclose(bn.pre_activation_std, 1.0, atol=1e-3)
    # ... and ReLU of roughly N(0, 1): std sqrt(1/2 - 1/(2 pi)) = 0.584
    np.testing.assert_allclose(bn.activation_std, np.sqrt(0.5 - 0.5 / np.pi), atol=0.1)
    # while Xavier's variance halves at every ReLU layer of the plain net
    shrink = plain.activation_std[-1] / plain.activation_std[0]
    assert 2.0 ** -11 / 30 < shrink < 2.0 ** -5.5 * 1.0, shrink
    # running statistics untouched: a profile is a measurement
    net = dt.make_deep_net(0, 2, 2, depth=3, width=4, batch_norm=True)
    before = {k: v.copy() for k, v in net.running.items()}
    dt.layer_profile(net, X, y)
    assert all(np.array_equal(before[k], net.running[k]) for k in before)


def test_layer_profile_is_scale_invariant_with_batch_norm(spirals):
    X, y = spirals
    a = dt.init_profiles(0, X, y, depth=5, width=8, scale=1.0)["batch norm"]
    b = dt.init_profiles(0, X, y, depth=5, width=8, scale=1e3)["batch norm"]
    np.testing.assert_allclose(a.activation_std, b.activation_std, rtol=1e-3)
    # dL/dW scales as 1/scale: the gradient of a normalized layer is inversely proportional to its weights
    np.testing.assert_allclose(a.grad_W_std[:-1], b.grad_W_std[:-1] * 1e3, rtol=1e-2)
    # until the variance of hW falls to eps = 1e-5: then eps, not the batch, sets the scale
    c = dt.init_profiles(0, X, y, depth=5, width=8, scale=1e-3)["batch norm"]
    assert c.activation_std[-1] < 0.1 * b.activation_std[-1]


def test_train_deep_passes_callbacks_to_the_trainer(spirals):
    X, y = spirals

    class Count(nnlib.Callback):
        epochs = 0

        def on_epoch_end(self, trainer, history):
            Count.epochs += 1

    dt.train_deep(0, X, y, depth=2, width=4, epochs=3, callbacks=[Count()])
    assert Count.epochs == 3


def test_layer_profile_rejects_dropout_and_non_nets(spirals):
    X, y = spirals
    with pytest.raises(ValueError, match="dropout"):
        dt.layer_profile(nnlib.MLP([2, 4, 2], dropout=0.5, rng=0), X, y)
    with pytest.raises(TypeError, match="net must be"):
        dt.layer_profile("net", X, y)

"""nnlib.experiments.output_init: the initial-loss check and the output bias at the log prior."""

import numpy as np
import pytest

from nnlib import MLP, datasets
from nnlib.experiments import output_init


def test_prior_and_entropy():
    y = np.array([0, 0, 0, 1])
    assert np.allclose(output_init.class_prior(y, 3), [0.75, 0.25, 0.0])
    assert output_init.label_entropy(y, 3) == pytest.approx(-(0.75 * np.log(0.75) + 0.25 * np.log(0.25)))
    assert output_init.label_entropy(np.arange(4) % 4, 4) == pytest.approx(np.log(4))


def test_small_output_layer_starts_at_log_c_and_log_prior_at_the_entropy():
    X, y = datasets.spirals(np.random.default_rng(0), n_samples=300, n_classes=5, noise=0.05)
    keep = np.random.default_rng(1).random(len(y)) < 0.7 ** y
    X, y = X[keep], y[keep]
    net = MLP([2, 16, 5], rng=0)
    before = net.get_params()
    assert output_init.with_output_layer(net, 0.0).loss(X, y) == pytest.approx(np.log(5), rel=1e-12)
    prior = output_init.with_output_layer(net, 0.0, bias=output_init.log_prior_bias(y, 5))
    assert prior.loss(X, y) == pytest.approx(output_init.label_entropy(y, 5), rel=1e-12)
    assert output_init.with_output_layer(net, 10.0).loss(X, y) > 2 * np.log(5)
    assert all(np.array_equal(before[k], net.params[k]) for k in before)    # the net is not modified


def test_sigmoid_log_odds():
    y = np.array([0, 0, 0, 1])
    assert np.allclose(output_init.log_prior_bias(y, 2, output="sigmoid"), [np.log(1 / 3)])
    net = output_init.with_output_layer(MLP([2, 4, 1], output="sigmoid", rng=0), 0.0,
                                        bias=output_init.log_prior_bias(y, 2, output="sigmoid"))
    assert net.loss(np.zeros((4, 2)), y) == pytest.approx(output_init.label_entropy(y, 2), rel=1e-12)


@pytest.mark.parametrize("call, match", [
    (lambda: output_init.class_prior([0, 3], 3), "y"),
    (lambda: output_init.class_prior([0, 1], 1), "n_classes"),
    (lambda: output_init.log_prior_bias([0, 0], 2), "every class"),
    (lambda: output_init.log_prior_bias([0, 1], 2, output="tanh"), "output"),
    (lambda: output_init.log_prior_bias([0, 1, 2], 3, output="sigmoid"), "sigmoid"),
    (lambda: output_init.with_output_layer("net"), "net"),
    (lambda: output_init.with_output_layer(MLP([2, 3, 2], rng=0), -1.0), "scale"),
    (lambda: output_init.with_output_layer(MLP([2, 3, 2], rng=0), bias=[0.0]), "bias"),
])
def test_bad_input(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()

"""Gains, fans and framework defaults: stack_variances (notebook 02, section 8)."""

import functools

import numpy as np
import pytest

from nnlib import initializers as init
from nnlib.experiments.gains import stack_variances


def test_he_fan_in_keeps_forward_and_fan_out_keeps_backward():
    widths = [512] + [512, 128] * 3
    fan_in = stack_variances(0, widths, functools.partial(init.he_normal, mode="fan_in"), "relu", 400)
    fan_out = stack_variances(0, widths, functools.partial(init.he_normal, mode="fan_out"), "relu", 400)
    np.testing.assert_allclose(fan_in.forward, 2.0, rtol=0.2)
    np.testing.assert_allclose(fan_out.backward, 1.0, rtol=0.2)
    assert fan_in.backward[0] == pytest.approx(128 / 512, rel=0.25)  # telescoping n_L / n_0
    assert fan_out.forward[1] / fan_out.forward[0] == pytest.approx(4.0, rel=0.15)


def test_linear_stack_is_exact_for_identity():
    r = stack_variances(1, [64, 64, 64], init.lecun_normal, "identity", 2000)
    assert r.forward.shape == (2,) and r.backward.shape == (2,)
    np.testing.assert_allclose(r.forward, 1.0, rtol=0.15)


def test_same_seed_same_numbers():
    a = stack_variances(5, [16, 32, 8], init.glorot_uniform, "tanh", 50)
    b = stack_variances(5, [16, 32, 8], init.glorot_uniform, "tanh", 50)
    np.testing.assert_array_equal(a.backward, b.backward)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"widths": [8]}, ValueError, "widths must be a sequence of at least 2"),
    ({"widths": [8, 0]}, ValueError, r"widths\[1\] must be >= 1"),
    ({"init": 3}, TypeError, "init"),
    ({"init": lambda rng, shape: np.zeros(3)}, ValueError, "init must return an array of shape"),
    ({"activation": "rellu"}, ValueError, "did you mean 'relu'"),
    ({"n_samples": 1}, ValueError, "n_samples must be >= 2"),
])
def test_bad_arguments(kwargs, error, match):
    options = {"widths": [8, 8], "init": init.he_normal, "activation": "relu", "n_samples": 10}
    options.update(kwargs)
    with pytest.raises(error, match=match):
        stack_variances(0, **options)

"""nnlib.regularizers: L2 and L1 on the weight matrices only, with their gradients."""

import numpy as np
import pytest

from nnlib import regularizers
from nnlib.gradcheck import numerical_gradient, relative_error


def _params(seed=0):
    r = np.random.default_rng(seed)
    return {"W1": r.standard_normal((3, 4)), "b1": r.standard_normal(4), "gamma2": r.standard_normal(4),
            "W2": r.standard_normal((4, 2)), "b2": r.standard_normal(2)}


@pytest.mark.parametrize("l2, l1", [(0.3, 0.0), (0.0, 0.2), (0.1, 0.05)])
def test_penalty_value_and_gradient(l2, l1):
    p = _params()
    grads = {k: np.zeros_like(v) for k, v in p.items()}
    value = regularizers.penalty(p, l2, l1, grads)
    W = [p["W1"], p["W2"]]
    assert value == pytest.approx(l2 * sum((w ** 2).sum() for w in W) + l1 * sum(np.abs(w).sum() for w in W), rel=1e-14)
    for key in ("W1", "W2"):
        numeric = numerical_gradient(lambda v, key=key: regularizers.penalty(p | {key: v}, l2, l1), p[key])
        assert relative_error(grads[key], numeric) < 1e-8
        np.testing.assert_allclose(grads[key], 2 * l2 * p[key] + l1 * np.sign(p[key]))
    assert all(np.all(grads[k] == 0) for k in ("b1", "b2", "gamma2"))  # biases and gamma are not penalized


def test_no_penalty_costs_nothing_and_changes_nothing():
    p = _params()
    grads = {k: np.ones_like(v) for k, v in p.items()}
    assert regularizers.penalty(p, 0.0, 0.0, grads) == 0.0
    assert all(np.all(g == 1) for g in grads.values())

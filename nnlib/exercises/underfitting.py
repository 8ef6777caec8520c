r"""Checkers of the exercises of notebook 04 (underfitting).

- :func:`check_sigmoid_backward` -- find the bug: a sigmoid backward that multiplies by
  :math:`s` instead of :math:`s(1-s)`.
- :func:`check_gradient_ratio_prediction` -- predict, to an order of magnitude, how much smaller the
  first layer's back-propagated gradient is than the last hidden layer's.
- :func:`check_gradient_stds` -- implement the per-layer gradient-std diagnostic.
- :func:`check_dead_fraction` -- implement the dead-unit fraction (:math:`a \le 0` on every sample).

Each tests the student's function on fresh random cases and names the likely mistake.
"""

import numpy as np

from ..mlp import MLP
from . import checking
from .checking import Mistake, exercise


def _sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


@exercise
def check_sigmoid_backward(sigmoid_backward):
    """``sigmoid_backward(dh, a)`` must return :math:`\\partial L/\\partial a = dh \\cdot \\sigma(a)(1-\\sigma(a))`."""
    rng = np.random.default_rng()
    for shape in ((7, 5), (3, 11)):
        a = rng.normal(0.0, 3.0, shape)
        dh = rng.standard_normal(shape)
        a_before, dh_before = a.copy(), dh.copy()
        out = checking.array(checking.call(sigmoid_backward, dh, a, name="sigmoid_backward"), shape)
        checking.unchanged(a_before, a, "a")
        checking.unchanged(dh_before, dh, "dh")
        s = _sigmoid(a)
        checking.diagnose(out, dh * s * (1 - s), {
            "this is still the bug: the derivative of the sigmoid is not s itself": dh * s,
            "you multiplied by 1 - s only: the derivative is a product of two factors": dh * (1 - s),
            "you applied the formula to a instead of to s = sigmoid(a)": dh * a * (1 - a),
            "you forgot to multiply by the incoming gradient dh (the chain rule)": s * (1 - s),
            "the slope s(1 - s) is at most 1/4; no extra factor belongs here": 4 * dh * s * (1 - s),
        })
    return "sigmoid_backward multiplies dh by the sigmoid's slope, at most 1/4"


@exercise
def check_gradient_ratio_prediction(predicted_ratio, measured_ratio):
    """A prediction within one order of magnitude (a factor 10) of the measured ratio passes."""
    predicted = checking.number(predicted_ratio, "predicted_ratio")
    measured = float(measured_ratio)
    if predicted <= 0:
        raise Mistake("predicted_ratio should be a positive number: how many times larger is the last layer's gradient?")
    decades = np.log10(predicted / measured)
    if abs(decades) <= 1.0:
        return (f"within one order of magnitude: measured {measured:.2g}, "
                f"your prediction is off by {abs(decades):.1f} decades")
    hint = ("too small: count one factor per layer the gradient crosses, each about 1/70"
            if decades < 0 else "too large: each layer divides the gradient by about 70, not more")
    raise Mistake(f"measured {measured:.2g}, your prediction is off by {abs(decades):.1f} decades ({hint})")


def _random_net(rng):
    depth = int(rng.integers(2, 5))
    width = int(rng.integers(3, 9))
    act = ["sigmoid", "tanh", "relu"][int(rng.integers(3))]
    return MLP([3] + [width] * depth + [2], activation=act, weight_init="glorot_normal", rng=int(rng.integers(1000)))


@exercise
def check_gradient_stds(gradient_stds):
    """``gradient_stds(net, X, y)`` must return the std of dL/dW of every weight layer, (n_layers,)."""
    rng = np.random.default_rng()
    for _ in range(3):
        net = _random_net(rng)
        X = rng.standard_normal((int(rng.integers(10, 30)), 3))
        y = rng.integers(0, 2, len(X))
        X_before, params_before = X.copy(), net.get_params()
        result = checking.call(gradient_stds, net, X, y, name="gradient_stds")
        layers = net.trace(X, y)
        expected = np.array([np.std(t.grad_W) for t in layers])
        if np.ndim(result) == 1 and len(result) == net.n_layers - 1:
            raise Mistake(f"you returned {net.n_layers - 1} values; the output layer has a weight matrix too "
                          f"({net.n_layers} in all)")
        out = checking.array(result, expected.shape, "gradient_stds(net, X, y)")
        checking.unchanged(X_before, X, "X")
        for key, value in params_before.items():
            checking.unchanged(value, net.params[key], f"the net's {key}")
        checking.diagnose(out, expected, {
            "these are variances: take the standard deviation": expected ** 2,
            "this is the spread of dL/da (grad_pre_activation); the diagnostic is about dL/dW": [
                np.std(t.grad_pre_activation) for t in layers],
            "the layers are in reverse order: index 0 should be the first hidden layer": expected[::-1],
            "this is the mean of |dL/dW|, not its standard deviation": [np.mean(np.abs(t.grad_W)) for t in layers],
            "this is the spread of the weights themselves, not of their gradients": [
                np.std(net.params[f"W{k}"]) for k in range(1, net.n_layers + 1)],
        }, rtol=1e-6)
    return "gradient_stds gives the spread of every layer's weight gradient, first layer first"


def _dead_case(rng):
    """A random (N, H) batch with dead units, live ones that are off on some rows, and an exact 0."""
    n, h = int(rng.integers(5, 12)), int(rng.integers(8, 20))
    a = rng.standard_normal((n, h)) + 0.5
    dead = rng.random(h) < 0.4
    dead[0], dead[1], dead[2] = True, False, True  # dead and live units
    a[:, dead] = -np.abs(a[:, dead])
    a[0, 0] = 0.0  # exactly 0 is off too: relu(0) = 0 and its derivative is taken as 0
    a[1, 1], a[2, 1] = -1.0, 1.0  # a live unit that is off on some samples
    return a


def _dead_mistakes(a):
    off = a <= 0
    return {
        "a unit with a = 0 exactly is off too: use a <= 0, not a < 0": float(np.mean((a < 0).all(axis=0))),
        "you counted dead samples (rows); a unit is a column": float(np.mean(off.all(axis=1))),
        "a unit is dead only if it is off on *every* sample (all), not on some (any)": float(np.mean(off.any(axis=0))),
        "this is the fraction of entries that are off; a dead unit is off on all rows": float(np.mean(off)),
        "return a fraction of the units, not their number": float(off.all(axis=0).sum()),
        "you returned the fraction of live units": float(np.mean(~off.all(axis=0))),
    }


@exercise
def check_dead_fraction(dead_fraction):
    """``dead_fraction(a)`` with ``a`` (N, H) must return the fraction of the H units that are off
    (:math:`a \\le 0`) on every one of the N rows."""
    rng = np.random.default_rng()
    done = 0
    while done < 3:
        a = _dead_case(rng)
        expected = float(np.mean((a <= 0).all(axis=0)))
        mistakes = _dead_mistakes(a)
        values = np.array([expected, *mistakes.values()])
        if np.min(np.abs(values[:, None] - values[None, :]) + np.eye(len(values))) < 1e-9:
            continue  # two answers coincide on this case: draw another, so every hint is unambiguous
        done += 1
        before = a.copy()
        value = checking.number(checking.call(dead_fraction, a, name="dead_fraction"), "dead_fraction(a)")
        checking.unchanged(before, a, "a")
        checking.diagnose(value, expected, mistakes, rtol=1e-9, atol=1e-12)
    return "dead_fraction counts the units that are off on every sample"

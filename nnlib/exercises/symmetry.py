"""Checkers of the exercises of notebook ``01_symmetry_breaking``.

- :func:`check_tie_prediction` -- predict whether two units with different outgoing weights stay tied;
- :func:`check_clone_gap` -- implement the largest difference between two units of a layer;
- :func:`check_initial_loss_prediction` -- predict the loss of a C-class net at initialization;
- :func:`check_init_params` -- fix an initializer that leaves one layer at zero.

Each tests the student's answer on fresh random cases and names the likely mistake; none
prints the answer.
"""

import numpy as np

from ..mlp import MLP
from . import checking
from .checking import Mistake, exercise


@exercise
def check_tie_prediction(stays_tied):
    """``stays_tied`` (bool): do two tanh units with equal incoming weights and biases but outgoing
    weights 0.5 and -0.3 still have equal incoming weights after one gradient step? Measured here."""
    checking.answer(stays_tied, "stays_tied")
    if not isinstance(stays_tied, (bool, np.bool_)):
        raise Mistake(f"stays_tied should be True or False, got {type(stays_tied).__name__}")
    rng = np.random.default_rng()
    X, y = rng.standard_normal((20, 2)), rng.standard_normal((20, 1))
    net = MLP([2, 2, 1], activation="tanh", output="identity", rng=0)
    w = rng.standard_normal(2)
    net.set_params({"W1": np.column_stack([w, w]), "b1": [0.1, 0.1], "W2": [[0.5], [-0.3]], "b2": [0.0]})
    _, grads = net.loss_and_grads(X, y)
    gap = float(np.abs(grads["W1"][:, 0] - grads["W1"][:, 1]).max())
    measured = gap < 1e-12
    if bool(stays_tied) == measured:
        return "right: dL/dW1 of a unit is proportional to its own outgoing weight, so the two move apart"
    raise Mistake(f"measured: after one step their incoming weights differ (gradients differ by {gap:.2g}); "
                  "the tie needs equal outgoing weights too, since unit j's gradient carries its own w_out")


def _reference_gap(W_in, b, W_out):
    return float(max(np.ptp(W_in, axis=1).max(), np.ptp(W_out, axis=0).max(), np.ptp(b)))


def _cases(rng):
    n_in, n_units, n_out = 3, 5, 2
    W_in, b, W_out = rng.standard_normal((n_in, n_units)), rng.standard_normal(n_units), rng.standard_normal((n_units, n_out))
    col, out_row = rng.standard_normal(n_in), rng.standard_normal(n_out)
    clones = (np.tile(col[:, None], n_units), np.full(n_units, 0.3), np.tile(out_row, (n_units, 1)))
    only_out = (clones[0], clones[1], clones[2] + np.linspace(0, 1, n_units)[:, None])
    only_bias = (clones[0], np.linspace(-0.4, 0.8, n_units), clones[2])
    # the structured cases first: on a random one two mistakes can give the same number (when the
    # biases' spread is the largest), and the first would be named for the other
    return [clones, only_out, only_bias, (W_in, b, W_out)]


@exercise
def check_clone_gap(layer_clone_gap):
    """``layer_clone_gap(W_in, b, W_out)`` for W_in (fan_in, H), b (H,), W_out (H, fan_out): the
    largest difference between two units (incoming weights, bias, outgoing weights); 0 for clones."""
    rng = np.random.default_rng()
    for W_in, b, W_out in _cases(rng):
        before = [W_in.copy(), b.copy(), W_out.copy()]
        out = checking.number(checking.call(layer_clone_gap, W_in, b, W_out, name="layer_clone_gap"), "the gap")
        for x, y, name in zip(before, (W_in, b, W_out), ("W_in", "b", "W_out")):
            checking.unchanged(x, y, name)
        checking.diagnose(out, _reference_gap(W_in, b, W_out), {
            "a unit is a column of W_in (fan_in, H) and a row of W_out (H, fan_out); you compared the other axis":
                max(np.ptp(W_in, axis=0).max(), np.ptp(W_out, axis=1).max(), np.ptp(b)),
            "units that differ only in their outgoing weights are not clones: compare the rows of W_out too":
                max(np.ptp(W_in, axis=1).max(), np.ptp(b)),
            "units that differ only in their bias are not clones: compare the biases too":
                max(np.ptp(W_in, axis=1).max(), np.ptp(W_out, axis=0).max()),
            "take the largest difference (a max), not an average":
                float(np.mean([np.ptp(W_in, axis=1).mean(), np.ptp(W_out, axis=0).mean(), np.ptp(b)])),
        }, rtol=1e-9, atol=1e-12)
    return "layer_clone_gap agrees with nnlib's clone_gap, and is 0 exactly for clones"


@exercise
def check_initial_loss_prediction(predicted, measured, n_classes, rtol=0.05):
    """A prediction of the initial loss (nats) is right within ``rtol`` of the measured one."""
    guess = checking.number(predicted, "predicted_loss")
    measured = checking.number(measured, "the measured loss")
    if abs(guess - measured) <= rtol * measured:
        return f"your {guess:.3g} nats is within {100 * rtol:.0f} % of the measured {measured:.3g}"
    c = float(n_classes)
    if np.isclose(guess, np.log2(c), rtol=0.02):
        hint = "the loss is in nats: use the natural log"
    elif np.isclose(guess, 1 / c, rtol=0.02) or np.isclose(guess, c, rtol=0.02):
        hint = "the loss is -log p of the correct class, not p itself"
    else:
        hint = "with near-zero logits every class gets p = 1/C"
    raise Mistake(f"measured {measured:.3g} nats, your guess {guess:.3g}; {hint}")


@exercise
def check_init_params(init_params):
    """``init_params(rng, sizes)``: He-normal weights ``W{k}`` of shape (sizes[k-1], sizes[k]),
    std sqrt(2 / fan_in), and zero biases ``b{k}``, for every layer k = 1 .. len(sizes) - 1."""
    sizes = [300, 400, 200, 3]
    params = checking.call(init_params, np.random.default_rng(), sizes, name="init_params")
    if not isinstance(params, dict):
        raise Mistake(f"init_params should return a dict W1, b1, W2, ..., got {type(params).__name__}")
    for k in range(1, len(sizes)):
        for key in (f"W{k}", f"b{k}"):
            if key not in params:
                raise Mistake(f"the dict has no {key!r}: one weight matrix and one bias per layer")
        fan_in, fan_out = sizes[k - 1], sizes[k]
        W = np.asarray(params[f"W{k}"], dtype=float)
        if W.shape == (fan_out, fan_in) and fan_in != fan_out:
            raise Mistake(f"W{k} has shape {W.shape}: this project stores weights as (fan_in, fan_out)")
        W = checking.array(W, (fan_in, fan_out), f"W{k}")
        checking.array(params[f"b{k}"], (fan_out,), f"b{k}")
        if np.all(W == 0):
            raise Mistake(f"W{k} is all zeros: with ReLU every unit of that layer is dead and nothing above it learns")
        if np.any(np.asarray(params[f"b{k}"]) != 0):
            raise Mistake(f"b{k} should start at 0: the random weights already break the symmetry")
        if k < len(sizes) - 1:  # large enough for a precise standard deviation
            std, want = W.std(), np.sqrt(2.0 / fan_in)
            if abs(std / want - 1) > 0.03:
                for hint, wrong in (("the variance is 2/fan_in, so the std is its square root", 2.0 / fan_in),
                                    ("He's variance is 2/fan_in: the factor 2 for ReLU is missing", np.sqrt(1.0 / fan_in)),
                                    ("use fan_in (sizes[k-1]), not fan_out", np.sqrt(2.0 / fan_out)),
                                    ("Xavier's 2/(fan_in + fan_out) is for tanh; He's is 2/fan_in", np.sqrt(4.0 / (fan_in + fan_out)))):
                    if abs(std / wrong - 1) < 0.03:
                        raise Mistake(f"W{k} has std {std:.3g}: {hint}")
                raise Mistake(f"W{k} has std {std:.3g}, not He's for fan_in {fan_in}")
    again = checking.call(init_params, np.random.default_rng(), sizes, name="init_params")
    if np.array_equal(np.asarray(again["W2"]), np.asarray(params["W2"])):
        raise Mistake("two different rngs gave the same weights: draw from the rng argument")
    return "init_params: every layer random with He's std, zero biases, (fan_in, fan_out) shapes"

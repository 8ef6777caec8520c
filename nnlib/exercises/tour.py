"""Checkers of the exercises of notebook ``00_training_tour``.

- :func:`check_tanh_backward` -- implement the backward pass of a tanh layer;
- :func:`check_softmax_nll_grad` -- fix a broken gradient of softmax + negative log-likelihood;
- :func:`check_momentum_step` -- implement one heavy-ball momentum step;
- :func:`check_steps_prediction` -- predict the steps of gradient descent at a larger condition number.

Each tests the student's function on fresh random cases and names the likely mistake; none
prints the answer.
"""

import numpy as np

from . import checking
from .checking import Mistake, exercise


def _softmax(a):
    e = np.exp(a - a.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@exercise
def check_tanh_backward(tanh_backward):
    """``tanh_backward(dh, a)`` must return dL/da = dh * (1 - tanh(a)^2) for a, dh of shape (N, H)."""
    rng = np.random.default_rng()
    for shape in [(5, 3), (1, 7), (4, 1)]:
        a, dh = 2 * rng.standard_normal(shape), rng.standard_normal(shape)
        a_before, dh_before = a.copy(), dh.copy()
        out = checking.array(checking.call(tanh_backward, dh, a, name="tanh_backward"), shape)
        checking.unchanged(a_before, a, "a")
        checking.unchanged(dh_before, dh, "dh")
        h = np.tanh(a)
        checking.diagnose(out, dh * (1 - h**2), {
            "you used 1 - a**2: the derivative is 1 - h**2 with h = tanh(a), not with a itself": dh * (1 - a**2),
            "the derivative of tanh is 1 - tanh(a)**2: the square is missing": dh * (1 - h),
            "you returned the local derivative only: multiply it by the incoming gradient dh": 1 - h**2,
            "that is the sigmoid's derivative h(1 - h); tanh's is 1 - h**2": dh * h * (1 - h),
            "you returned the incoming gradient unchanged; multiply by tanh'(a)": dh,
        }, rtol=1e-9, atol=1e-12)
    return "tanh_backward matches dh * tanh'(a) on random inputs of three shapes"


@exercise
def check_softmax_nll_grad(softmax_nll_grad):
    """``softmax_nll_grad(a, y)`` must return (softmax(a) - onehot(y)) / N for logits (N, C), labels (N,)."""
    rng = np.random.default_rng()
    for n, c, shift in [(6, 4, 0.0), (3, 5, 0.0), (5, 3, 800.0)]:
        a, y = rng.standard_normal((n, c)), rng.integers(0, c, n)
        a[:, 0] += shift  # logits of 800: np.exp overflows unless each row's maximum is subtracted
        a_before = a.copy()
        with np.errstate(all="ignore"):
            raw = checking.call(softmax_nll_grad, a, y, name="softmax_nll_grad")
        if shift and np.asarray(raw).shape == (n, c) and not np.all(np.isfinite(raw)):
            raise Mistake("logits of size 800 give NaN: subtract each row's maximum before np.exp")
        out = checking.array(raw, (n, c))
        checking.unchanged(a_before, a, "a (the logits)")
        p, onehot = _softmax(a), np.eye(c)[y]
        e = np.exp(a - a.max(axis=0, keepdims=True))
        checking.diagnose(out, (p - onehot) / n, {
            "the softmax is normalized over the batch (axis 0); each row must sum to 1 (axis=1)":
                (e / e.sum(axis=0, keepdims=True) - onehot) / n,
            "the batch mean is missing: divide by N = len(y)": p - onehot,
            "the sign is flipped: the gradient is p - onehot, not onehot - p": (onehot - p) / n,
            "you forgot to subtract the one-hot labels": p / n,
        }, rtol=1e-7, atol=1e-12)
    return "softmax_nll_grad gives (p - onehot) / N, also for logits of 800"


@exercise
def check_momentum_step(momentum_step):
    """``momentum_step(w, v, grad, lr, beta)`` must return ``(w_new, v_new)`` with
    v_new = beta v + grad, w_new = w - lr v_new, leaving its inputs unchanged."""
    rng = np.random.default_rng()
    for d in (3, 1):
        w, v, g = rng.standard_normal(d), rng.standard_normal(d), rng.standard_normal(d)
        lr, beta = float(rng.uniform(0.05, 0.5)), float(rng.uniform(0.5, 0.95))
        before = [w.copy(), v.copy(), g.copy()]
        out = checking.call(momentum_step, w, v, g, lr, beta, name="momentum_step")
        if not isinstance(out, tuple) or len(out) != 2:
            raise Mistake("momentum_step must return a pair (w_new, v_new)")
        w_new, v_new = (checking.array(x, (d,), name) for x, name in zip(out, ("w_new", "v_new")))
        for b, x, name in zip(before, (w, v, g), ("w", "v", "grad")):
            checking.unchanged(b, x, name)
        v_ref = beta * v + g
        checking.diagnose(v_new, v_ref, {
            "that is Adam's averaged form beta v + (1 - beta) grad; here v <- beta v + grad": beta * v + (1 - beta) * g,
            "beta multiplies the old velocity, not the gradient: v <- beta v + grad": v + beta * g,
            "the velocity is the old one: update v first": v,
        }, rtol=1e-9, atol=1e-12)
        checking.diagnose(w_new, w - lr * v_ref, {
            "w moved with the old velocity: use the new v (v is updated first, then w <- w - lr v)": w - lr * v,
            "w moved uphill: w <- w - lr v": w + lr * v_ref,
            "w moved by the plain gradient step: w <- w - lr v uses the velocity": w - lr * g,
        }, rtol=1e-9, atol=1e-12)
    return "momentum_step matches v <- beta v + grad, w <- w - lr v on random cases"


@exercise
def check_steps_prediction(predicted, measured, factor=1.5):
    """A prediction of a step count is right within ``factor`` of the measured one."""
    guess = checking.number(predicted, "predicted_steps")
    measured = checking.number(measured, "the measured count")
    if guess <= 0:
        raise Mistake("a number of steps is positive")
    ratio = guess / measured
    if 1 / factor <= ratio <= factor:
        return f"your {guess:.3g} is within a factor {factor:g} of the measured {measured:.0f} steps"
    hint = ("the count grows like κ, not like √κ: ten times κ, about ten times the steps" if ratio < 1
            else "too many: the count grows in proportion to κ, not faster")
    raise Mistake(f"measured {measured:.0f} steps, your guess {guess:.3g}; {hint}")

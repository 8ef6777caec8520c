"""Checkers of the exercises of notebook ``02_variance_derivation``.

- :func:`check_he_variance` -- implement He's Var(W) for given fans;
- :func:`check_glorot_bound` -- implement the bound b of Glorot's uniform U[-b, b];
- :func:`check_leaky_relu_gain` -- implement PyTorch's gain of a leaky ReLU;
- :func:`check_std_prediction` -- predict the activation std after 30 tanh layers;
- :func:`check_fan_in_fix` -- fix an initializer that takes fan_in from the wrong axis.

Each tests the student's answer on fresh random cases and names the likely mistake; none
prints the answer.
"""

import math

import numpy as np

from . import checking
from .checking import Mistake, exercise


def _fans(rng, n=6):
    """Random rectangular fan pairs (never equal, so fan_in and fan_out mix-ups show)."""
    fan_in = rng.integers(3, 2000, n)
    fan_out = fan_in + rng.integers(1, 1000, n)
    swap = rng.random(n) < 0.5
    fan_in[swap], fan_out[swap] = fan_out[swap], fan_in[swap].copy()
    return [(int(a), int(b)) for a, b in zip(fan_in, fan_out)]


def _values(function, cases, name):
    out = []
    for args in cases:
        value = checking.call(function, *args, name=name)
        out.append(checking.number(value, f"{name}{args}"))
    return np.array(out)


@exercise
def check_he_variance(he_variance):
    """``he_variance(fan_in, fan_out)``: Var(W) of He's initialization (fan_in mode) for a ReLU layer."""
    cases = _fans(np.random.default_rng())
    got = _values(he_variance, cases, "he_variance")
    fi, fo = np.array(cases, float).T
    checking.diagnose(got, 2 / fi, {
        "that is 1/fan_in, LeCun's variance: ReLU zeroes half its input, so He needs a factor 2": 1 / fi,
        "that divides by fan_out: the forward pass sums fan_in products, so He (fan_in mode) divides by fan_in":
            2 / fo,
        "that is a standard deviation: the variance is the square of it": np.sqrt(2 / fi),
        "that is Glorot's average of the fans; He uses one fan only (fan_in here) and a factor 2":
            2 / (fi + fo),
        "that is 1/fan_out with no factor 2 -- two mistakes: the fan and the ReLU factor": 1 / fo,
    })
    return f"He's variance is right on {len(cases)} random rectangular layers"


@exercise
def check_glorot_bound(glorot_bound):
    """``glorot_bound(fan_in, fan_out)``: b such that U[-b, b] has Var = 2 / (fan_in + fan_out)."""
    cases = _fans(np.random.default_rng())
    got = _values(glorot_bound, cases, "glorot_bound")
    fi, fo = np.array(cases, float).T
    s = fi + fo
    checking.diagnose(got, np.sqrt(6 / s), {
        "that is the variance 2/(n_in+n_out) itself; b is a bound, with Var(U[-b, b]) = b²/3": 2 / s,
        "that is the standard deviation sqrt(2/(n_in+n_out)); U[-b, b] has Var = b²/3, so b is "
        "sqrt(3) times the standard deviation": np.sqrt(2 / s),
        "a factor 2 is missing: Glorot's variance is 2/(n_in+n_out), and b² = 3 Var": np.sqrt(3 / s),
        "that uses fan_in only: Glorot averages the two fans": np.sqrt(6 / fi),
        "that is b² (= 3 Var); take its square root": 6 / s,
    })
    return f"the bound gives Var = 2/(n_in+n_out) on {len(cases)} random layers"


@exercise
def check_leaky_relu_gain(leaky_relu_gain):
    """``leaky_relu_gain(a)``: PyTorch's gain (a factor on the weight std) for slope ``a``."""
    rng = np.random.default_rng()
    slopes = np.concatenate([[0.0], rng.uniform(0.01, 0.5, 4), rng.uniform(1.5, 3.0, 1)])
    got = _values(leaky_relu_gain, [(float(a),) for a in slopes], "leaky_relu_gain")
    a = slopes
    checking.diagnose(got, np.sqrt(2 / (1 + a * a)), {
        "that is the variance factor gain² = n·Var(W); the gain multiplies the standard deviation": 2 / (1 + a * a),
        "the slope enters squared: a negative input keeps a·z, whose second moment is a²·E[z²]":
            np.sqrt(2 / (1 + a)),
        "that ignores the slope: with slope a, E[g(z)²] = (1 + a²)/2 · E[z²], not 1/2": np.full_like(a, math.sqrt(2)),
        "upside down: a leak passes more signal, so the gain must fall as a grows": np.sqrt((1 + a * a) / 2),
    })
    return f"the gain is right for {len(slopes)} random slopes, including a = 0 (ReLU, sqrt 2)"


@exercise
def check_std_prediction(predicted, measured, factor=10.0):
    """A prediction of a (tiny) standard deviation is right within ``factor`` of the measured one."""
    guess = checking.number(predicted, "predicted_std")
    measured = checking.number(measured, "the measured std")
    if guess <= 0:
        raise Mistake(f"a standard deviation is positive, got {guess:.3g}; measured {measured:.3g}")
    if 1 / factor <= guess / measured <= factor:
        return f"your {guess:.3g} is within a factor {factor:g} of the measured {measured:.3g}"
    hint = ("each layer multiplies the variance by about n·Var(W) = 1/3 while tanh is nearly linear; "
            "the std shrinks by the square root of that")
    if guess > measured:
        raise Mistake(f"measured {measured:.3g}, your guess {guess:.3g} is too large; {hint}")
    raise Mistake(f"measured {measured:.3g}, your guess {guess:.3g} is too small: is it the variance? {hint}")


@exercise
def check_fan_in_fix(lecun_normal):
    """``lecun_normal(rng, shape)``: N(0, 1/fan_in) weights of ``shape`` = (fan_in, fan_out), drawn from ``rng``."""
    rng = np.random.default_rng()
    for shape in ((int(rng.integers(40, 80)), int(rng.integers(600, 900))),
                  (int(rng.integers(600, 900)), int(rng.integers(40, 80)))):
        seed = int(rng.integers(2**31))
        W = checking.call(lecun_normal, np.random.default_rng(seed), shape, name="lecun_normal")
        W = checking.array(W, shape, "the weights")
        again = checking.call(lecun_normal, np.random.default_rng(seed), shape, name="lecun_normal")
        if not np.array_equal(W, np.asarray(again, float)):
            raise Mistake("the same seed gave different weights: draw from the rng passed in, nothing else")
        fan_in, fan_out = shape
        var, se = float(W.var()), math.sqrt(2.0 / W.size)  # relative standard error of a variance
        if abs(float(W.mean())) > 5 / math.sqrt(W.size * fan_in):
            raise Mistake("the weights' mean is not 0: initializers draw zero-mean weights")
        ratio = var * fan_in
        if abs(ratio - 1) < 5 * se:
            continue
        if abs(var * fan_out - 1) < 5 * se:
            raise Mistake("Var(W) = 1/shape[1]: in nnlib's (fan_in, fan_out) layout fan_in is shape[0] "
                          "(PyTorch stores (out, in), where it is shape[1])")
        if abs(math.sqrt(var) * fan_in - 1) < 5 * se:
            raise Mistake("that std is 1/fan_in: it is the variance that is 1/fan_in (std 1/sqrt(fan_in))")
        if abs(math.sqrt(var) * fan_out - 1) < 5 * se:
            raise Mistake("std 1/shape[1]: two mistakes -- the axis and std for variance")
        raise Mistake(f"n_in·Var(W) is {ratio:.3g} on a {shape} layer, expected 1")
    return "Var(W) = 1/fan_in on tall and wide layers, reproducible from the rng"

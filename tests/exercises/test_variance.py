"""Checkers of notebook 02's exercises: accept the reference, reject the common mistakes with
their hint, and say "not answered yet" for the student edition's placeholder."""

import math

import numpy as np
import pytest

from nnlib.exercises import variance as ex


def placeholder(*args):
    raise NotImplementedError


def test_he_variance():
    assert ex.check_he_variance(lambda fi, fo: 2 / fi).passed
    assert str(ex.check_he_variance(placeholder)) == "✗ not answered yet"


@pytest.mark.parametrize("wrong, hint", [
    (lambda fi, fo: 1 / fi, "factor 2"),
    (lambda fi, fo: 2 / fo, "divides by fan_out"),
    (lambda fi, fo: math.sqrt(2 / fi), "standard deviation"),
    (lambda fi, fo: 2 / (fi + fo), "Glorot"),
    (lambda fi, fo: "2/n", "should be a number"),
])
def test_he_variance_mistakes(wrong, hint):
    result = ex.check_he_variance(wrong)
    assert not result.passed and hint in result.message, result


def test_glorot_bound():
    assert ex.check_glorot_bound(lambda fi, fo: math.sqrt(6 / (fi + fo))).passed
    assert not ex.check_glorot_bound(placeholder).answered


@pytest.mark.parametrize("wrong, hint", [
    (lambda fi, fo: 2 / (fi + fo), "variance 2/(n_in+n_out) itself"),
    (lambda fi, fo: math.sqrt(2 / (fi + fo)), "sqrt(3) times"),
    (lambda fi, fo: math.sqrt(3 / (fi + fo)), "factor 2 is missing"),
    (lambda fi, fo: math.sqrt(6 / fi), "fan_in only"),
])
def test_glorot_bound_mistakes(wrong, hint):
    result = ex.check_glorot_bound(wrong)
    assert not result.passed and hint in result.message, result


def test_leaky_relu_gain():
    assert ex.check_leaky_relu_gain(lambda a: math.sqrt(2 / (1 + a * a))).passed
    assert str(ex.check_leaky_relu_gain(placeholder)) == "✗ not answered yet"


@pytest.mark.parametrize("wrong, hint", [
    (lambda a: 2 / (1 + a * a), "gain multiplies the standard deviation"),
    (lambda a: math.sqrt(2 / (1 + a)), "enters squared"),
    (lambda a: math.sqrt(2), "ignores the slope"),
    (lambda a: math.sqrt((1 + a * a) / 2), "upside down"),
])
def test_leaky_relu_gain_mistakes(wrong, hint):
    result = ex.check_leaky_relu_gain(wrong)
    assert not result.passed and hint in result.message, result


def test_std_prediction():
    assert ex.check_std_prediction(2e-7, 1e-7).passed
    assert str(ex.check_std_prediction(..., 1e-7)) == "✗ not answered yet"
    too_big = ex.check_std_prediction(0.1, 1e-7)
    assert not too_big.passed and "too large" in too_big.message and "1e-07" in too_big.message
    assert "variance?" in ex.check_std_prediction(1e-14, 1e-7).message
    assert "positive" in ex.check_std_prediction(-1.0, 1e-7).message


def reference_lecun(rng, shape):
    return rng.normal(0.0, 1 / math.sqrt(shape[0]), shape)


def test_fan_in_fix():
    assert ex.check_fan_in_fix(reference_lecun).passed
    assert str(ex.check_fan_in_fix(placeholder)) == "✗ not answered yet"


@pytest.mark.parametrize("wrong, hint", [
    (lambda rng, shape: rng.normal(0.0, 1 / math.sqrt(shape[1]), shape), "fan_in is shape[0]"),
    (lambda rng, shape: rng.normal(0.0, 1 / shape[0], shape), "it is the variance that is 1/fan_in"),
    (lambda rng, shape: np.random.default_rng().normal(0.0, 1 / math.sqrt(shape[0]), shape), "same seed"),
    (lambda rng, shape: rng.normal(0.0, 1 / math.sqrt(shape[0]), shape[::-1]), "shape"),
    (lambda rng, shape: rng.normal(0.1, 1 / math.sqrt(shape[0]), shape), "mean is not 0"),
])
def test_fan_in_fix_mistakes(wrong, hint):
    result = ex.check_fan_in_fix(wrong)
    assert not result.passed and hint in result.message, result

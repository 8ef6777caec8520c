"""nnlib.exercises.symmetry: each checker accepts the reference, rejects plausible mistakes with a
specific hint, and says "not answered yet" for the student edition's placeholder."""

import numpy as np
import pytest

from nnlib.exercises import symmetry


def _not_implemented(*args):
    raise NotImplementedError


def test_tie_prediction():
    right = symmetry.check_tie_prediction(False)
    assert right.passed and str(right).startswith("✓")
    wrong = symmetry.check_tie_prediction(True)
    assert not wrong.passed and "differ" in wrong.message and "outgoing" in wrong.message
    assert str(symmetry.check_tie_prediction(...)) == "✗ not answered yet"
    assert "True or False" in symmetry.check_tie_prediction("no").message


# ------------------------------------------------------------------ clone gap
def gap_ref(W_in, b, W_out):
    return float(max(np.ptp(W_in, axis=1).max(), np.ptp(b), np.ptp(W_out, axis=0).max()))


def test_clone_gap_accepts_the_reference():
    assert symmetry.check_clone_gap(gap_ref).passed


@pytest.mark.parametrize("wrong, hint", [
    (lambda W, b, V: float(max(np.ptp(W, axis=0).max(), np.ptp(V, axis=1).max(), np.ptp(b))), "other axis"),
    (lambda W, b, V: float(max(np.ptp(W, axis=1).max(), np.ptp(b))), "outgoing weights"),
    (lambda W, b, V: float(max(np.ptp(W, axis=1).max(), np.ptp(V, axis=0).max())), "bias"),
    (lambda W, b, V: float(np.mean([np.ptp(W, axis=1).mean(), np.ptp(V, axis=0).mean(), np.ptp(b)])), "max"),
    (lambda W, b, V: 2 * gap_ref(W, b, V), "not the expected values"),
    (lambda W, b, V: "zero", "number"),
])
def test_clone_gap_rejects_mistakes_with_a_hint(wrong, hint):
    result = symmetry.check_clone_gap(wrong)
    assert not result.passed and hint in result.message, result.message


def test_clone_gap_placeholder():
    assert str(symmetry.check_clone_gap(_not_implemented)) == "✗ not answered yet"


# ------------------------------------------------------------------ initial loss
def test_initial_loss_prediction():
    assert symmetry.check_initial_loss_prediction(np.log(10), 2.3029, 10).passed
    assert str(symmetry.check_initial_loss_prediction(..., 2.3029, 10)) == "✗ not answered yet"
    assert "natural log" in symmetry.check_initial_loss_prediction(np.log2(10), 2.3029, 10).message
    assert "not p itself" in symmetry.check_initial_loss_prediction(0.1, 2.3029, 10).message
    other = symmetry.check_initial_loss_prediction(0.0, 2.3029, 10)
    assert not other.passed and "1/C" in other.message and "2.3" in other.message


# ------------------------------------------------------------------ init params
def init_ref(rng, sizes):
    params = {}
    for k in range(1, len(sizes)):
        params[f"W{k}"] = rng.normal(0.0, np.sqrt(2.0 / sizes[k - 1]), (sizes[k - 1], sizes[k]))
        params[f"b{k}"] = np.zeros(sizes[k])
    return params


def _variant(std_of, first_zero=False, transpose=False, bias=0.0, fixed_seed=False):
    def init(rng, sizes):
        rng = np.random.default_rng(0) if fixed_seed else rng
        params = {}
        for k in range(1, len(sizes)):
            shape = (sizes[k], sizes[k - 1]) if transpose else (sizes[k - 1], sizes[k])
            params[f"W{k}"] = rng.normal(0.0, std_of(sizes[k - 1], sizes[k]), shape)
            params[f"b{k}"] = np.full(sizes[k], bias)
        if first_zero:
            params["W1"] = np.zeros((sizes[0], sizes[1]))
        return params
    return init


HE = lambda n_in, n_out: np.sqrt(2.0 / n_in)  # noqa: E731


def test_init_params_accepts_the_reference():
    assert symmetry.check_init_params(init_ref).passed


@pytest.mark.parametrize("wrong, hint", [
    (_variant(HE, first_zero=True), "all zeros"),
    (_variant(lambda n_in, n_out: 2.0 / n_in), "square root"),
    (_variant(lambda n_in, n_out: np.sqrt(1.0 / n_in)), "factor 2"),
    (_variant(lambda n_in, n_out: np.sqrt(2.0 / n_out)), "fan_in"),
    (_variant(lambda n_in, n_out: np.sqrt(4.0 / (n_in + n_out))), "Xavier"),
    (_variant(HE, transpose=True), "(fan_in, fan_out)"),
    (_variant(HE, bias=0.1), "start at 0"),
    (_variant(HE, fixed_seed=True), "rng argument"),
])
def test_init_params_rejects_mistakes_with_a_hint(wrong, hint):
    result = symmetry.check_init_params(wrong)
    assert not result.passed and hint in result.message, result.message


def test_init_params_placeholder():
    assert str(symmetry.check_init_params(_not_implemented)) == "✗ not answered yet"

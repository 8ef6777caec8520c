"""The shared checker machinery: one-line results, placeholders, student errors, hints."""

import numpy as np
import pytest

from nnlib.exercises import checking
from nnlib.exercises.checking import Mistake, Result, exercise


@exercise
def check_double(function):
    rng = np.random.default_rng()
    x = rng.standard_normal(5)
    before = x.copy()
    out = checking.array(checking.call(function, x), x.shape)
    checking.unchanged(before, x, "x")
    checking.diagnose(out, 2 * x, {"you returned x itself; multiply it by 2": x})
    return "double works on random inputs"


def reference(x):
    return 2 * x


def test_a_correct_answer_passes_with_one_line():
    result = check_double(reference)
    assert result.passed and result.answered and bool(result)
    assert repr(result) == str(result) == "✓ double works on random inputs"
    assert "\n" not in repr(result)


@pytest.mark.parametrize("wrong, hint", [
    (lambda x: x, "multiply it by 2"),
    (lambda x: 3 * x, "not the expected values"),
    (lambda x: (2 * x)[:, None], "(N,) vs (N, 1)"),
    (lambda x: x.__imul__(2), "modified x in place"),
    (lambda x: 1 / 0, "raised ZeroDivisionError"),
    (lambda x: "two x", "numpy array"),
    (lambda x: np.full_like(x, np.nan), "NaN"),
    (42, "should be a function"),
])
def test_plausible_wrong_answers_fail_with_a_hint(wrong, hint):
    result = check_double(wrong)
    assert not result.passed and result.answered
    assert str(result).startswith("✗ ") and hint in str(result)


def placeholder(x):
    raise NotImplementedError  # YOUR CODE HERE


@pytest.mark.parametrize("answer", [placeholder, ..., None])
def test_the_placeholder_is_not_answered_yet_and_does_not_raise(answer):
    result = check_double(answer)
    assert str(result) == "✗ not answered yet" and not result.answered and not result.passed


def test_number_accepts_numbers_and_rejects_the_rest():
    assert checking.number(np.float32(2.5)) == 2.5 and checking.number(3) == 3.0
    for bad in ("2.5", True, [1.0], np.inf):
        with pytest.raises(Mistake):
            checking.number(bad)
    with pytest.raises(checking.NotAnswered):
        checking.number(...)


def test_a_bug_in_the_checker_itself_still_raises():
    @exercise
    def broken(answer):
        raise KeyError("nnlib's own bug")

    with pytest.raises(KeyError):
        broken(1)


def test_result_is_a_plain_value():
    assert Result(False, "no").answered and str(Result(False, "no")) == "✗ no"

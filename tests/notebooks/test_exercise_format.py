"""The exercises of every instructor notebook follow one format (issue 12, nbgrader's markers).

Each notebook of ``notebooks/`` holds 3 to 5 exercises. An exercise is a code cell tagged
``solution`` whose reference answer sits between ``### BEGIN SOLUTION`` and ``### END SOLUTION``
(in that order, spelt exactly), followed by a code cell tagged ``check`` that calls a checker; the
instructor edition is stored executed with the reference answers, so each check cell's stored
output is one line starting with "✓". The structural rules are those ``scripts/make_student.py``
enforces (one definition: :func:`make_student.exercises`); whether a notebook mixes the three kinds
(implement, predict, find the bug) is for a reader to judge, not a test.

The rules are first checked on small synthetic notebooks, so a failure on a real notebook means
the notebook, not the test.
"""

import importlib.util
from pathlib import Path

import nbformat
import pytest

from nnlib.exercises.checking import PASS

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
MIN_EXERCISES, MAX_EXERCISES = 3, 5

spec = importlib.util.spec_from_file_location("make_student", ROOT / "scripts" / "make_student.py")
make_student = importlib.util.module_from_spec(spec)
spec.loader.exec_module(make_student)


def output_lines(cell):
    """The text a code cell shows (streams, results, displays), as non-empty lines; an error
    output shows as a line "error: ...", which never starts with a check mark."""
    lines = []
    for out in cell.get("outputs", []):
        if out.output_type == "stream":
            text = out.text
        elif out.output_type in ("execute_result", "display_data"):
            text = out.get("data", {}).get("text/plain", "")
        elif out.output_type == "error":
            text = f"error: {out.ename}: {out.evalue}"
        else:
            text = ""
        lines.extend(line for line in "".join(text).splitlines() if line.strip())
    return lines


def format_problems(nb, name="the notebook"):
    """Everything wrong with the exercises of ``nb``, one sentence each; empty if all is well."""
    try:
        found = make_student.exercises(nb, name)
    except make_student.ExerciseError as error:
        return [str(error)]
    problems = []
    if not MIN_EXERCISES <= len(found) <= MAX_EXERCISES:
        problems.append(f"{name} has {len(found)} exercises (solution cells); "
                        f"it should have {MIN_EXERCISES} to {MAX_EXERCISES}")
    for ex in found:
        lines = output_lines(nb.cells[ex.check])
        if len(lines) != 1 or not lines[0].startswith(PASS):
            problems.append(f"{name} cell {ex.check} (the check of cell {ex.solution}) shows {lines!r}; "
                            "executed with the reference answer it must show one line starting with ✓ "
                            "(re-execute the notebook, or fix the solution or the checker)")
    return problems


# ---- the rules, on synthetic notebooks ----------------------------------------------------------

def code(source, tags=(), output=None):
    cell = nbformat.v4.new_code_cell(source)
    if tags:
        cell.metadata["tags"] = list(tags)
    if output is not None:
        cell.execution_count = 1
        cell.outputs = [nbformat.v4.new_output("execute_result", {"text/plain": output}, execution_count=1)]
    return cell


def exercise(i, output="✓ works on random inputs"):
    return [nbformat.v4.new_markdown_cell(f"**Exercise {i}.** Implement `f{i}`."),
            code(f"def f{i}(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION", ["solution"]),
            code(f"check_double(f{i})", ["check"], output)]


def synthetic(n, **kwargs):
    cells = [nbformat.v4.new_markdown_cell("# Title"), code("import numpy as np", output="")]
    for i in range(n):
        cells += exercise(i, **kwargs)
    return nbformat.v4.new_notebook(cells=cells)


@pytest.mark.parametrize("n", [3, 4, 5])
def test_a_well_formed_notebook_has_no_problems(n):
    assert format_problems(synthetic(n)) == []


@pytest.mark.parametrize("n", [0, 2, 6])
def test_too_few_or_too_many_exercises_are_reported(n):
    problems = format_problems(synthetic(n))
    assert len(problems) == 1 and f"has {n} exercises" in problems[0]


@pytest.mark.parametrize("output", ["✗ not answered yet", "✓ fine\nand a second line", "", "checked"])
def test_a_check_output_that_is_not_one_check_mark_line_is_reported(output):
    problems = format_problems(synthetic(3, output=output))
    assert len(problems) == 3 and all("one line starting with ✓" in p for p in problems)


def test_an_unexecuted_check_cell_is_reported():
    nb = synthetic(3)
    nb.cells[4].outputs = []
    problems = format_problems(nb)
    assert len(problems) == 1 and "cell 4" in problems[0] and "shows []" in problems[0]


def test_an_error_output_is_reported():
    nb = synthetic(3)
    nb.cells[4].outputs = [nbformat.v4.new_output("error", ename="NameError", evalue="f0", traceback=[])]
    assert "NameError" in format_problems(nb)[0]


@pytest.mark.parametrize("source, tags, message", [
    ("def f(x):\n    ### BEGIN SOLUTION\n    return 2 * x", ["solution"], "without a matching"),
    ("def f(x):\n    ### END SOLUTION\n    return 2 * x\n    ### BEGIN SOLUTION", ["solution"], "out of order"),
    ("def f(x):\n    return 2 * x", ["solution"], "has no"),
    ("def f(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION", [], "not tagged 'solution'"),
])
def test_a_malformed_solution_cell_is_reported(source, tags, message):
    nb = synthetic(3)
    nb.cells[3] = code(source, tags)
    problems = format_problems(nb)
    assert len(problems) == 1 and message in problems[0] and "cell 3" in problems[0]


def test_a_solution_without_its_check_is_reported():
    nb = synthetic(3)
    nb.cells[4].metadata["tags"] = []
    problems = format_problems(nb)
    assert len(problems) == 1 and "must be the exercise's check" in problems[0]


# ---- the real notebooks ------------------------------------------------------------------------

@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_exercises_are_well_formed_and_pass_in_the_instructor_edition(path):
    nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    problems = format_problems(nb, path.name)
    assert not problems, "\n".join(problems)

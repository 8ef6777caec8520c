"""The student edition that ``scripts/make_student.py`` (``make student``) writes into ``student/``.

First the transformation itself, on small synthetic notebooks: a region inside a function body
becomes ``raise NotImplementedError  # YOUR CODE HERE``, a top-level region ``name = ...``, the
solution and check cells lose their outputs and execution counts while every other cell keeps
its outputs, the first cell says "Student edition", the output is byte-identical on a rerun, and
each malformed exercise stops the script with an error naming the cell and the fix.

Then the real edition, built from ``notebooks/`` into a temporary folder:

- no solution line leaks: no line of code strictly between the markers of an instructor cell
  appears in the corresponding student cell (lines the instructor cell also holds outside its
  regions, such as a ``return out`` after the region, do not count);
- every student notebook runs top to bottom in a fresh python3 kernel (120 s per cell at most)
  without an error, and every check cell prints a line starting with "✗" (mostly "✗ not answered
  yet") and none starting with "✓". The notebooks run two at a time (the development machine has
  two cores), each kernel with one BLAS thread, in the folder of the built edition;
- the committed ``student/`` is exactly what the script writes (``make_student.py --check``).
"""

import asyncio
import importlib.util
import os
import re
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from nnlib.exercises.checking import FAIL, PASS

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
by_notebook = pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
CELL_TIMEOUT = 120  # s
PARALLEL = 2  # kernels at a time
ANSI = re.compile(r"\x1b\[[0-9;]*m")

spec = importlib.util.spec_from_file_location("make_student", ROOT / "scripts" / "make_student.py")
make_student = importlib.util.module_from_spec(spec)
spec.loader.exec_module(make_student)
ExerciseError = make_student.ExerciseError


# ---- the transformation, on synthetic notebooks -------------------------------------------------

def code(source, tags=(), output="out"):
    cell = nbformat.v4.new_code_cell(source)
    if tags:
        cell.metadata["tags"] = list(tags)
    cell.execution_count = 7
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=output)]
    return cell


def markdown(text):
    return nbformat.v4.new_markdown_cell(text)


FUNCTION_SOLUTION = """\
import numpy as np


def he_variance(fan_in, fan_out):
    \"\"\"Var(W) of He's initialization.\"\"\"
    ### BEGIN SOLUTION
    # He: twice LeCun's, for ReLU
    variance = 2.0 / fan_in
    ### END SOLUTION
    return variance"""

TOP_LEVEL_SOLUTION = """\
# Your prediction: the ratio of the last layer's variance to the first one's
### BEGIN SOLUTION
# about 2**-30 for Xavier with ReLU
predicted_ratio = 2.0**-30
predicted_layers = [
    1,
    2,
]
### END SOLUTION"""


def notebook(*cells):
    return nbformat.v4.new_notebook(cells=list(cells))


def one_exercise(solution=FUNCTION_SOLUTION, check="check_he_variance(he_variance)"):
    return notebook(markdown("# 09 · A title\n\nIntroduction."), code("x = 1", output="shown"),
                    markdown("**Exercise.** Do it."), code(solution, ["solution"], "✓ solution output"),
                    code(check, ["check"], "✓ right"), code("print(x)", output="1"))


def student(nb, name="09_test.ipynb"):
    return make_student.student_notebook(nb, name)


def test_a_function_body_region_becomes_raise_not_implemented():
    out = student(one_exercise()).cells[3].source
    assert out.splitlines()[4:] == ['    """Var(W) of He\'s initialization."""',
                                    "    raise NotImplementedError  # YOUR CODE HERE",
                                    "    return variance"]
    assert "2.0 / fan_in" not in out and "He: twice" not in out and "SOLUTION" not in out
    namespace = {}
    exec(out, namespace)
    with pytest.raises(NotImplementedError):
        namespace["he_variance"](3, 4)


def test_a_top_level_region_becomes_ellipsis_assignments_and_drops_its_comments():
    out = student(one_exercise(TOP_LEVEL_SOLUTION, "check_ratio(predicted_ratio)")).cells[3].source
    assert out.splitlines() == ["# Your prediction: the ratio of the last layer's variance to the first one's",
                                "predicted_ratio = ...  # YOUR CODE HERE",
                                "predicted_layers = ...  # YOUR CODE HERE"]
    namespace = {}
    exec(out, namespace)
    assert namespace["predicted_ratio"] is Ellipsis and namespace["predicted_layers"] is Ellipsis


def test_several_regions_in_one_cell_are_each_replaced():
    source = ("def f(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION\n\n\n"
              "def g(x):\n    y = x\n    ### BEGIN SOLUTION\n    return 3 * y\n    ### END SOLUTION\n"
              "### BEGIN SOLUTION\nanswer = 4\n### END SOLUTION")
    out = student(one_exercise(source, "check(f, g, answer)")).cells[3].source
    assert out.count("raise NotImplementedError  # YOUR CODE HERE") == 2
    assert "answer = ...  # YOUR CODE HERE" in out and "    y = x" in out
    assert "2 * x" not in out and "3 * y" not in out and "= 4" not in out


def test_only_the_exercise_cells_lose_their_outputs():
    nb = one_exercise()
    out = student(nb)
    for i in (3, 4):
        assert out.cells[i].outputs == [] and out.cells[i].execution_count is None
    for i in (1, 5):
        assert out.cells[i].outputs == nb.cells[i].outputs and out.cells[i].execution_count == 7
    assert out.cells[4].source == nb.cells[4].source and out.cells[4].metadata.tags == ["check"]
    assert nb.cells[3].outputs and "### BEGIN SOLUTION" in nb.cells[3].source  # the input is untouched


def test_the_title_cell_says_student_edition():
    first = student(one_exercise()).cells[0].source
    lines = first.splitlines()
    assert lines[0] == "# 09 · A title" and lines[2].startswith("> **Student edition.**")
    assert "notebooks/09_test.ipynb" in first and first.endswith("\n\nIntroduction.")
    nb = notebook(code("x = 1"))  # no title cell: the note becomes one
    out = student(nb)
    assert out.cells[0].cell_type == "markdown" and "Student edition" in out.cells[0].source
    assert len(out.cells) == 2


def test_the_launch_links_point_at_the_student_copy():
    if make_student.repository() is None:
        pytest.skip("no scripts/launch_links.py")
    out = make_student.student_notebook(one_exercise(), "09_test.ipynb", "someone/course")
    assert "blob/main/student/09_test.ipynb" in out.cells[0].source
    assert "notebooks/09_test.ipynb)" not in out.cells[0].source


def test_output_is_deterministic_and_check_mode_reports_stale_files(tmp_path, capsys):
    source, output = tmp_path / "notebooks", tmp_path / "student"
    source.mkdir()
    nbformat.write(one_exercise(), source / "09_test.ipynb")
    args = ["--source", str(source), "--output", str(output)]
    assert make_student.main(args) == 0
    first = (output / "09_test.ipynb").read_bytes()
    assert make_student.main(args) == 0 and (output / "09_test.ipynb").read_bytes() == first
    assert make_student.main([*args, "--check"]) == 0
    (output / "09_test.ipynb").write_text("{}")
    (output / "99_orphan.ipynb").write_text("{}")
    capsys.readouterr()
    assert make_student.main([*args, "--check"]) == 1
    err = capsys.readouterr().err
    assert "09_test.ipynb" in err and "99_orphan.ipynb" in err and "make student" in err
    assert (output / "09_test.ipynb").read_text() == "{}"  # --check writes nothing


def test_a_malformed_exercise_stops_the_script_with_the_cell_named(tmp_path, capsys):
    source = tmp_path / "notebooks"
    source.mkdir()
    nbformat.write(one_exercise("def f(x):\n    ### BEGIN SOLUTION\n    return x"), source / "09_test.ipynb")
    assert make_student.main(["--source", str(source), "--output", str(tmp_path / "student")]) == 2
    err = capsys.readouterr().err
    assert "09_test.ipynb cell 3" in err and "without a matching" in err
    assert not (tmp_path / "student" / "09_test.ipynb").exists()


MALFORMED = {
    "no end marker": ("def f(x):\n    ### BEGIN SOLUTION\n    return x", None, "without a matching '### END SOLUTION'"),
    "no markers": ("def f(x):\n    return x", None, "has no '### BEGIN SOLUTION' ... '### END SOLUTION' region"),
    "end before begin": ("def f(x):\n    ### END SOLUTION\n    return x\n    ### BEGIN SOLUTION", None,
                         "markers out of order"),
    "nested begin": ("def f(x):\n    ### BEGIN SOLUTION\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION",
                     None, "again before"),
    "misspelt marker": ("def f(x):\n    ## BEGIN SOLUTION\n    return x\n    ### END SOLUTION", None,
                        "must read exactly '### BEGIN SOLUTION'"),
    "marker with more on its line": ("x = 1  ### BEGIN SOLUTION\n### END SOLUTION", None, "nothing else on the line"),
    "empty region": ("def f(x):\n    ### BEGIN SOLUTION\n\n    ### END SOLUTION\n    return x", None,
                     "region is empty"),
    "top-level call": ("### BEGIN SOLUTION\nanswer = 3\nprint(answer)\n### END SOLUTION", None,
                       "'print(answer)' in a top-level solution region"),
    "top-level loop": ("### BEGIN SOLUTION\nfor i in range(3):\n    total = i\n### END SOLUTION", None,
                       "may hold only `name = value` lines"),
    "top-level tuple target": ("### BEGIN SOLUTION\na, b = 1, 2\n### END SOLUTION", None, "'a, b = 1, 2'"),
    "top-level comments only": ("### BEGIN SOLUTION\n# 0.5\n### END SOLUTION", None, "holds no `name = value`"),
    "indented but not in a function": ("for i in range(3):\n    ### BEGIN SOLUTION\n    total = i\n    ### END SOLUTION",
                                       None, "must sit inside a function body"),
    "region splitting a statement": ("def f(x):\n    return (x\n    ### BEGIN SOLUTION\n    + 1\n    ### END SOLUTION\n    )",
                                     None, "must span whole statements"),
    "check calls nothing": (FUNCTION_SOLUTION, "he_variance", "calls no checker"),
    "check cell is not tagged": (FUNCTION_SOLUTION, "untagged", "not tagged 'check'"),
}


@pytest.mark.parametrize("case", MALFORMED, ids=list(MALFORMED))
def test_malformed_exercises_raise_clear_errors(case):
    solution, check, message = MALFORMED[case]
    nb = one_exercise(solution, "check(f)" if check in (None, "untagged") else check)
    if check == "untagged":
        nb.cells[4].metadata["tags"] = []
    with pytest.raises(ExerciseError) as error:
        student(nb)
    assert message in str(error.value)
    assert "09_test.ipynb cell" in str(error.value)


@pytest.mark.parametrize("cells, message", [
    ([code("def f(x):\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION", ["solution"])],
     "followed by no code cell"),
    ([code("def f(x):\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION")],
     "holds a solution marker but is not tagged 'solution'"),
    ([code("check(f)", ["check"])], "does not follow a solution cell"),
    ([markdown("text"), code("x = 1", ["solution", "check"])], "tagged both"),
])
def test_malformed_notebooks_raise_clear_errors(cells, message):
    with pytest.raises(ExerciseError, match=message):
        student(notebook(*cells))


def test_a_markdown_cell_tagged_solution_is_refused():
    cell = markdown("### BEGIN SOLUTION\nthe answer\n### END SOLUTION")
    cell.metadata["tags"] = ["solution"]
    with pytest.raises(ExerciseError, match="a markdown cell tagged 'solution'; only code cells"):
        student(notebook(cell))


def test_markers_in_an_untagged_markdown_cell_are_only_text():
    nb = one_exercise()
    nb.cells[2].source = "The answer goes between `### BEGIN SOLUTION` and `### END SOLUTION`."
    assert student(nb).cells[2].source == nb.cells[2].source


def test_a_markdown_cell_between_solution_and_check_is_allowed():
    nb = one_exercise()
    nb.cells.insert(4, markdown("Now check it."))
    assert make_student.exercises(nb) == [make_student.Exercise(3, 5)]


# ---- the real edition ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    """{name: (instructor notebook, student notebook)}, the student edition written to a temporary
    folder by the script's own functions."""
    output = tmp_path_factory.mktemp("student")
    written = make_student.build(ROOT / "notebooks", output, make_student.repository())
    assert sorted(p.name for p in written) == [p.name for p in NOTEBOOKS]
    return output, {p.name: (nbformat.read(p, as_version=nbformat.NO_CONVERT),
                             nbformat.read(output / p.name, as_version=nbformat.NO_CONVERT)) for p in NOTEBOOKS}


def solution_cells(nb):
    return [c for c in nb.cells if "solution" in c.metadata.get("tags", [])]


def code_lines(lines):
    return {line.strip() for line in lines if line.strip() and not line.strip().startswith("#")}


def leaked(teacher, pupil):
    """The code lines strictly inside the solution regions of ``teacher`` (a cell's source) that
    ``pupil`` shows, leaving out lines ``teacher`` also holds outside its regions."""
    lines = teacher.splitlines()
    inside, outside = [], set(range(len(lines)))
    for begin, end in make_student.regions(teacher):
        inside += lines[begin + 1:end]
        outside -= set(range(begin, end + 1))
    shown = code_lines(pupil.splitlines()) - code_lines(lines[i] for i in outside)
    return sorted(code_lines(inside) & shown)


def test_the_leak_detector_finds_a_leak_and_ignores_shared_lines():
    teacher = "def f(x):\n    ### BEGIN SOLUTION\n    y = 2 * x  # double\n    return y\n    ### END SOLUTION\n    return y"
    assert leaked(teacher, make_student.student_source(teacher)) == []
    assert leaked(teacher, teacher.replace("### BEGIN SOLUTION", "").replace("### END SOLUTION", "")) == [
        "y = 2 * x  # double"]  # "return y" also stands outside the region: not a leak


@by_notebook
def test_no_solution_line_leaks_into_the_student_edition(edition, path):
    instructor, student_nb = edition[1][path.name]
    pairs = list(zip(solution_cells(instructor), solution_cells(student_nb), strict=True))
    leaks = []
    for k, (teacher, pupil) in enumerate(pairs):
        assert teacher.get("id") == pupil.get("id"), f"solution cell {k}: the cells do not correspond"
        leaks += [f"solution cell {k}: {line!r}" for line in leaked(teacher.source, pupil.source)]
        assert "# YOUR CODE HERE" in pupil.source, f"solution cell {k} has no placeholder"
        assert not pupil.outputs and pupil.execution_count is None
    assert not leaks, "solution lines in the student edition:\n" + "\n".join(leaks)


async def _run(path, limit):
    nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    async with limit:
        start = time.perf_counter()
        client = NotebookClient(nb, kernel_name="python3", timeout=CELL_TIMEOUT, startup_timeout=120,
                                resources={"metadata": {"path": str(path.parent)}})
        try:
            await client.async_execute(env=env)
            error = None
        except CellExecutionError as exc:
            cell = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code" and any(
                o.output_type == "error" for o in c.get("outputs", []))), "?")
            error = f"cell {cell}: " + ANSI.sub("", str(exc).strip().splitlines()[-1])
        return nb, error, time.perf_counter() - start


async def _run_all(paths):
    limit = asyncio.Semaphore(PARALLEL)
    return await asyncio.gather(*(_run(p, limit) for p in paths))


@pytest.fixture(scope="module")
def executed(edition):
    """{name: (executed student notebook, the error or None, seconds)}, two kernels at a time."""
    output, _ = edition
    paths = [output / p.name for p in NOTEBOOKS]
    start = time.perf_counter()
    results = asyncio.run(_run_all(paths))
    total = time.perf_counter() - start
    timings = ", ".join(f"{p.stem} {r[2]:.1f} s" for p, r in zip(paths, results))
    print(f"\nstudent edition executed in {total:.1f} s ({PARALLEL} at a time): {timings}")
    return {p.name: r for p, r in zip(paths, results)}


def shown_lines(cell):
    lines = []
    for out in cell.outputs:
        text = out.get("text", "") if out.output_type == "stream" else out.get("data", {}).get("text/plain", "")
        lines += [line for line in "".join(text).splitlines() if line.strip()]
    return lines


@by_notebook
def test_the_student_edition_runs_and_every_check_says_not_yet(executed, path):
    nb, error, _ = executed[path.name]
    assert error is None, f"student/{path.name} stopped with {error}"
    checks = [(i, c) for i, c in enumerate(nb.cells) if "check" in c.metadata.get("tags", [])]
    wrong = [f"cell {i}: {shown_lines(c)!r}" for i, c in checks
             if not any(line.startswith(FAIL) for line in shown_lines(c))
             or any(line.startswith(PASS) for line in shown_lines(c))]
    assert not wrong, "check cells that do not report ✗ on the placeholder:\n" + "\n".join(wrong)


def test_the_committed_student_edition_is_in_sync(capsys):
    status = make_student.main(["--check"])
    assert status == 0, capsys.readouterr().err + "\nrun: make student (or python scripts/make_student.py)"

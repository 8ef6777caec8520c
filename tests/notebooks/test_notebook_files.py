"""Every notebook, as committed: valid, executed top to bottom, and readable without a kernel.

Strict nbval checks that a notebook *re-executes* to the stored outputs; these tests check the
stored file itself, which is what GitHub and nbviewer show: the nbformat schema, execution
counts that run 1, 2, 3, ... down the page, no error outputs, widget metadata that GitHub
accepts (every ``metadata.widgets`` entry has a ``state``), live-widget cells tagged
``nbval-ignore-output`` with a static image in the notebook, the python3 kernel, and the
collection's frame (learning objectives at the top, key takeaways and references at the end),
and figures with alt text, drawn no wider than a notebook column.

One test case per notebook and check; with no notebook in ``notebooks/`` there are no cases.
"""

import base64
import re
import struct
from pathlib import Path

import nbformat
import pytest

NOTEBOOK_DIR = Path(__file__).resolve().parents[2] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
IGNORE_TAG = "nbval-ignore-output"
HEAD_CELLS = 3  # the learning objectives are in one of the first cells ...
TAIL_CELLS = 3  # ... and the key takeaways in one of the last
MAX_WIDTH, MAX_HEIGHT = 1000, 700  # px: a notebook column, and less than a laptop screen

by_notebook = pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])


def read(path):
    return nbformat.read(path, as_version=nbformat.NO_CONVERT)


def code_cells(nb):
    return [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]


def is_heading(cell, pattern):
    """A markdown heading (``## Key takeaways``) or a bold line (``**Learning objectives**``)."""
    if cell.cell_type != "markdown":
        return False
    return any(re.fullmatch(rf"(#+\s*|\*\*|__)\s*{pattern}\s*:?\s*(\*\*|__)?\s*:?", line.strip(), re.I)
               for line in cell.source.splitlines())


@by_notebook
def test_valid_nbformat_4(path):
    nb = read(path)
    assert nb.nbformat == 4
    nbformat.validate(nb)


@by_notebook
def test_kernel_is_python3(path):
    spec = read(path).metadata.get("kernelspec", {})
    assert spec.get("name") == "python3", spec
    assert spec.get("language", "python") == "python", spec


@by_notebook
def test_stored_executed_top_to_bottom(path):
    """Every non-empty code cell ran, once, in page order, in one kernel from 1 up."""
    cells = [(i, c) for i, c in code_cells(read(path)) if c.source.strip()]
    counts = [c.execution_count for _, c in cells]
    not_run = [i for i, c in cells if c.execution_count is None]
    assert not not_run, f"cells not executed (stored without execution count): {not_run}"
    assert counts == list(range(1, len(counts) + 1)), (
        f"execution counts {counts}: re-execute the notebook top to bottom (make notebooks)")
    for i, cell in cells:
        for out in cell.outputs:
            if out.output_type == "execute_result":
                assert out.execution_count == cell.execution_count, f"cell {i}: stale execute_result"


@by_notebook
def test_no_error_outputs(path):
    errors = []
    for i, cell in code_cells(read(path)):
        for out in cell.outputs:
            if out.output_type == "error":
                errors.append(f"cell {i}: {out.ename}: {out.evalue}")
            elif out.output_type == "stream" and out.name == "stderr" and "Traceback" in out.text:
                errors.append(f"cell {i}: traceback on stderr")
    assert not errors, "\n".join(errors)


@by_notebook
def test_widget_metadata_has_state(path):
    """GitHub refuses to render a notebook whose metadata.widgets lacks a state."""
    widgets = read(path).metadata.get("widgets")
    if widgets is None:
        return
    assert isinstance(widgets, dict) and widgets, f"metadata.widgets is {widgets!r}"
    for key, entry in widgets.items():
        assert isinstance(entry, dict) and "state" in entry, f"metadata.widgets[{key!r}] has no 'state'"


@by_notebook
def test_widget_cells_are_ignored_by_nbval_and_have_a_static_figure(path):
    """A live widget's output changes with every run and is blank without a kernel: its cell is
    tagged nbval-ignore-output, and the notebook shows the figure as a plain image too."""
    nb = read(path)
    widget_cells = [i for i, c in code_cells(nb) if any(WIDGET_VIEW in out.get("data", {}) for out in c.outputs)]
    untagged = [i for i in widget_cells if IGNORE_TAG not in nb.cells[i].metadata.get("tags", [])]
    assert not untagged, f"cells showing a widget without the {IGNORE_TAG} tag: {untagged}"
    if widget_cells:
        pngs = [i for i, c in code_cells(nb) for out in c.outputs if "image/png" in out.get("data", {})]
        assert pngs, "widgets, but no static image/png output: nothing shows on GitHub"
        for i in widget_cells:
            before = [j for j in pngs if j < i]
            assert before, f"cell {i} shows a widget, but no static image/png comes before it"


@by_notebook
def test_learning_objectives_at_the_top(path):
    head = read(path).cells[:HEAD_CELLS]
    assert any(is_heading(c, r"learning objectives") for c in head), (
        f"no 'Learning objectives' heading in the first {HEAD_CELLS} cells")


@by_notebook
def test_key_takeaways_at_the_end(path):
    tail = read(path).cells[-TAIL_CELLS:]
    assert any(is_heading(c, r"(key )?takeaways") for c in tail), (
        f"no 'Key takeaways' heading in the last {TAIL_CELLS} cells")


def png_size(b64):
    """(width, height) in pixels of a base64 PNG (from its IHDR chunk)."""
    data = base64.b64decode(b64 if isinstance(b64, str) else "".join(b64))
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


@by_notebook
def test_every_figure_has_alt_text_and_fits_the_column(path):
    """Each static image carries an alt description (``nnlib.viz.show`` puts it in the output's
    metadata; nbconvert writes it into ``<img alt=...>``) and is at most MAX_WIDTH pixels wide,
    the width of a notebook column, so that it is shown at the size it was drawn."""
    problems = []
    for i, cell in code_cells(read(path)):
        for out in cell.outputs:
            if "image/png" not in out.get("data", {}):
                continue
            alt = out.get("metadata", {}).get("image/png", {}).get("alt", "")
            if len(alt.split()) < 5:
                problems.append(f"cell {i}: a figure without alt text (display it with nnlib.viz.show(fig, alt=...))")
            width, height = png_size(out["data"]["image/png"])
            if width > MAX_WIDTH or height > MAX_HEIGHT:
                problems.append(f"cell {i}: a {width} x {height} px figure; at most {MAX_WIDTH} x {MAX_HEIGHT}")
    assert not problems, "\n".join(problems)


@by_notebook
def test_references_at_the_end_and_no_pointers_to_missing_material(path):
    """Sources are cited by author, title and year in a References section; the prose does not
    point to material the reader does not have (lecture slides, transcripts, numbered claims)."""
    nb = read(path)
    tail = nb.cells[-TAIL_CELLS:]
    refs = [c for c in tail if is_heading(c, r"references")]
    assert refs, f"no 'References' heading in the last {TAIL_CELLS} cells"
    assert re.search(r"\b(19|20)\d\d\b", refs[0].source), "the references give no year"
    missing = re.compile(r"\b(the lectures?|lecture transcript|(his|the) slides|claim \d+(\.\d+)?)\b", re.I)
    found = [f"cell {i}: {m.group(0)!r}" for i, c in enumerate(nb.cells) if c.cell_type == "markdown"
             for m in missing.finditer(c.source)]
    assert not found, "points to material the reader does not have: " + "; ".join(found)

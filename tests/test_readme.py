"""README.md stays one document: each section once, every notebook listed once, every make target it names exists."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def test_every_heading_appears_once():
    headings = re.findall(r"^#+ .*$", README, flags=re.M)
    repeated = sorted({h for h in headings if headings.count(h) > 1})
    assert not repeated, f"README.md repeats sections (an edit pasted twice?): {repeated}"


def test_every_notebook_has_one_row_in_the_notebooks_table():
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        rows = re.findall(rf"^\| \[{re.escape(path.stem)}\]\(notebooks/{re.escape(path.name)}\)", README, flags=re.M)
        assert len(rows) == 1, f"README.md lists {path.name} {len(rows)} times in its notebooks table"


def test_the_make_targets_it_names_exist():
    makefile = (ROOT / "Makefile").read_text()
    targets = set(re.findall(r"^([\w-]+):", makefile, flags=re.M))
    named = set(re.findall(r"`make ([\w-]+)", README))
    assert named <= targets, f"README.md names make targets the Makefile lacks: {sorted(named - targets)}"

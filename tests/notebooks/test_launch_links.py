"""Launch links: one slug in pyproject.toml; the README's badges, each notebook's Colab/Binder
links and its Colab set-up cell are what scripts/launch_links.py writes from it."""

import importlib.util
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("launch_links", ROOT / "scripts" / "launch_links.py")
launch_links = importlib.util.module_from_spec(spec)
spec.loader.exec_module(launch_links)


def test_the_slug_is_read_from_pyproject():
    repo = launch_links.slug()
    assert repo.count("/") == 1 and " " not in repo


def test_readme_and_notebooks_are_up_to_date():
    stale = [str(p.relative_to(ROOT)) for p, text in launch_links.expected().items() if p.read_text() != text]
    assert not stale, f"run python scripts/launch_links.py: out of date: {stale}"


def test_check_mode_exits_zero_when_up_to_date():
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "launch_links.py"), "--check"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_links_follow_the_slug(tmp_path):
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n[project.urls]\n'
                                             'Repository = "https://github.com/someone/course"\n')
    (tmp_path / "README.md").write_text(f"intro\n{launch_links.BEGIN}\nold\n{launch_links.END}\nrest\n")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Title"),
                                         nbformat.v4.new_code_cell("import nnlib")])
    nbformat.write(nb, tmp_path / "notebooks" / "00_a.ipynb")
    out = launch_links.expected(tmp_path)
    readme = out[tmp_path / "README.md"]
    assert "mybinder.org/v2/gh/someone/course/main?urlpath=lab/tree/notebooks/00_a.ipynb" in readme
    assert "colab.research.google.com/github/someone/course/blob/main/notebooks/00_a.ipynb" in readme
    assert "git-pull?repo=https%3A%2F%2Fgithub.com%2Fsomeone%2Fcourse" in readme and "student%2F00_a.ipynb" in readme
    assert readme.startswith("intro\n") and readme.endswith("\nrest\n") and "old" not in readme
    written = nbformat.reads(out[tmp_path / "notebooks" / "00_a.ipynb"], as_version=4)
    assert "github/someone/course/blob/main/notebooks/00_a.ipynb" in written.cells[0].source
    setup = written.cells[1]
    assert setup.source.startswith(launch_links.SETUP_MARK) and "git+https://github.com/someone/course" in setup.source
    assert written.cells[2].source == "import nnlib"
    again = launch_links.update_notebook(written, "someone/course", "notebooks/00_a.ipynb")  # idempotent
    assert nbformat.writes(again) + "\n" == out[tmp_path / "notebooks" / "00_a.ipynb"]


def test_the_setup_cell_does_nothing_off_colab():
    code = launch_links.setup_source("someone/course")
    namespace = {"get_ipython": lambda: pytest.fail("called pip off Colab")}
    assert "google.colab" not in sys.modules
    exec(compile(code, "setup", "exec"), namespace)


def test_a_bad_slug_is_refused(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n[project.urls]\nRepository = "github.com/x"\n')
    with pytest.raises(ValueError, match="Repository"):
        launch_links.slug(tmp_path)

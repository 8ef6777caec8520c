"""Write every launch link from one place: the repository's GitHub slug in pyproject.toml.

``[project.urls] Repository = "https://github.com/OWNER/NAME"`` is the only line to change when the
collection is published (or forked). From it this script writes

- the README's launch block (between ``<!-- launch-links: begin -->`` and ``<!-- launch-links:
  end -->``): a Binder badge opening JupyterLab on the first notebook, an "Open in Colab" badge, and
  the nbgitpuller link template for a JupyterHub;
- in each notebook of ``notebooks/`` (``scripts/make_student.py`` does the same for ``student/``), the last line of the first (title) cell: "Open
  in Colab" and "Launch on Binder" links to that very notebook;
- in each notebook, the first code cell: a set-up cell that installs nnlib from the repository on
  Colab only (``"google.colab" in sys.modules``) and does nothing anywhere else.

    python scripts/launch_links.py           # rewrite the files
    python scripts/launch_links.py --check   # exit 1, naming the files, if any is out of date

Only the standard library and nbformat; run it after changing the slug or adding a notebook.
"""

import argparse
import re
import sys
import tomllib
from pathlib import Path
from urllib.parse import quote

import nbformat

ROOT = Path(__file__).resolve().parents[1]
BRANCH = "main"
FOLDERS = ("notebooks",)  # student/ gets its links from scripts/make_student.py
BEGIN, END = "<!-- launch-links: begin -->", "<!-- launch-links: end -->"
LINKS_LINE = re.compile(r"^\[!\[Open in Colab\].*$", re.M)
SETUP_MARK = "# Set-up: on Colab only"


def slug(root=ROOT):
    """``OWNER/NAME`` from ``[project.urls] Repository`` in pyproject.toml."""
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    url = project.get("urls", {}).get("Repository", "")
    m = re.fullmatch(r"https://github\.com/([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+?)(\.git)?/?", url)
    if not m:
        raise ValueError(f"pyproject.toml [project.urls] Repository must be https://github.com/OWNER/NAME, got {url!r}")
    return m[1]


def binder_url(repo, path):
    return f"https://mybinder.org/v2/gh/{repo}/{BRANCH}?urlpath=lab/tree/{path}"


def colab_url(repo, path):
    return f"https://colab.research.google.com/github/{repo}/blob/{BRANCH}/{path}"


def nbgitpuller_url(repo, path, hub="https://YOUR-HUB.example.org"):
    name = repo.split("/")[1]
    return (f"{hub}/hub/user-redirect/git-pull?repo={quote(f'https://github.com/{repo}', safe='')}"
            f"&branch={BRANCH}&urlpath={quote(f'lab/tree/{name}/{path}', safe='')}")


def readme_block(repo, first):
    student = first.replace("notebooks/", "student/", 1)
    return "\n".join([
        BEGIN,
        f"[![Launch on Binder](https://mybinder.org/badge_logo.svg)]({binder_url(repo, first)})",
        f"[![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)]({colab_url(repo, first)})",
        "",
        f"The student edition (exercises without their solutions): [on Binder]({binder_url(repo, student)}),",
        f"[on Colab]({colab_url(repo, student)}). On a JupyterHub, this nbgitpuller link (replace the hub's",
        "address) clones the repository into each student's home and opens the student edition's first",
        "notebook; a second click pulls updates without overwriting the student's changes:",
        "",
        f"    {nbgitpuller_url(repo, student)}",
        END,
    ])


def links_line(repo, path):
    return (f"[![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)]({colab_url(repo, path)}) "
            f"[![Launch on Binder](https://mybinder.org/badge_logo.svg)]({binder_url(repo, path)})")


def setup_source(repo):
    return "\n".join([
        f"{SETUP_MARK} (a no-op elsewhere): install nnlib from the repository, with its plotting extras.",
        "import sys",
        "",
        'if "google.colab" in sys.modules:',
        f'    get_ipython().run_line_magic("pip", "install -q \\"nnlib[viz] @ git+https://github.com/{repo}\\"")',
    ])


def update_notebook(nb, repo, path):
    """Put the links line into the first cell and the set-up cell first among the code cells."""
    first = nb.cells[0]
    if first.cell_type != "markdown":
        raise ValueError(f"{path}: the first cell must be the markdown title cell")
    text = LINKS_LINE.sub("", first.source).rstrip()
    first.source = f"{text}\n\n{links_line(repo, path)}"
    setup = setup_source(repo)
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.source.startswith(SETUP_MARK):
            cell.source = setup
            return nb
    index = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"), len(nb.cells))
    cell = nbformat.v4.new_code_cell(setup)
    cell.pop("id", None)
    if nb.nbformat_minor >= 5:
        cell.id = "colab-setup"
    nb.cells.insert(index, cell)
    return nb


def expected(root=ROOT):
    """{path: the text it should hold}."""
    repo = slug(root)
    out = {}
    notebooks = sorted((root / "notebooks").glob("*.ipynb"))
    readme = root / "README.md"
    text = readme.read_text()
    if notebooks:
        block = readme_block(repo, f"notebooks/{notebooks[0].name}")
        if BEGIN in text and END in text:
            head, rest = text.split(BEGIN, 1)
            text = head + block + rest.split(END, 1)[1]
        else:
            raise ValueError(f"README.md needs the markers {BEGIN} and {END}")
    out[readme] = text
    for folder in FOLDERS:
        for path in sorted((root / folder).glob("*.ipynb")):
            nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
            update_notebook(nb, repo, f"{folder}/{path.name}")
            out[path] = nbformat.writes(nb) + "\n"
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="report out-of-date files, change nothing")
    args = parser.parse_args(argv)
    stale = [p for p, text in expected().items() if p.read_text() != text]
    if args.check:
        if stale:
            print("out of date (run python scripts/launch_links.py):", *(str(p.relative_to(ROOT)) for p in stale))
            return 1
        print("launch links up to date")
        return 0
    for path, text in expected().items():
        if path in stale:
            path.write_text(text)
            print("wrote", path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())

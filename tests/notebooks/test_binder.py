"""binder/: the environment Binder builds, checked without building it.

``jupyter-repo2docker --no-build --debug .`` prints the Dockerfile it would build, which needs
no Docker daemon. The test asserts that repo2docker reads ``binder/`` (and so ignores the
top-level requirements.txt with its CI-only tools), pins the Python version of
``binder/runtime.txt``, installs ``binder/requirements.txt`` and runs ``binder/postBuild``, which
installs nnlib. The file checks need nothing but the standard library. Last, the README
carries the Binder badge (JupyterLab on the first notebook) and names every notebook.
"""

import os
import re
import shutil
import stat
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BINDER = ROOT / "binder"
# In requirements.txt for CI only (the browser test, this test); Binder does not need them.
CI_ONLY = {"playwright", "jupyter-repo2docker"}


def pins(path):
    """{normalized name: version} of the `name==version` lines of a requirements file."""
    out = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        m = re.fullmatch(r"([A-Za-z0-9_.\-]+)\s*==\s*([A-Za-z0-9_.+\-]+)", line)
        assert m, f"{path.relative_to(ROOT)}: not pinned with ==: {line!r}"
        out[re.sub(r"[-_.]+", "-", m[1]).lower()] = m[2]
    return out


def runtime_version():
    text = (BINDER / "runtime.txt").read_text().strip()
    m = re.fullmatch(r"python-(\d+)\.(\d+)", text)
    assert m, f"binder/runtime.txt should read python-X.Y, not {text!r}"
    return int(m[1]), int(m[2])


def test_runtime_satisfies_requires_python():
    major, minor = runtime_version()
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    m = re.fullmatch(r">=\s*(\d+)\.(\d+)", requires.strip())
    assert m, f"unexpected requires-python {requires!r}"
    assert (major, minor) >= (int(m[1]), int(m[2])), (major, minor, requires)


def test_binder_requirements_match_the_tested_pins():
    """binder/requirements.txt pins exactly what requirements.txt pins (the versions `make test`
    passed with), less the CI-only tools."""
    tested = pins(ROOT / "requirements.txt")
    binder = pins(BINDER / "requirements.txt")
    assert set(binder) == set(tested) - CI_ONLY, (
        f"only in requirements.txt: {sorted(set(tested) - CI_ONLY - set(binder))}; "
        f"only in binder/: {sorted(set(binder) - set(tested))}")
    differ = {name: (binder[name], tested[name]) for name in binder if binder[name] != tested[name]}
    assert not differ, f"binder/ pins differ from requirements.txt (binder, tested): {differ}"
    assert not CI_ONLY & set(binder)


def test_postbuild_installs_nnlib():
    post = BINDER / "postBuild"
    assert post.stat().st_mode & stat.S_IXUSR, "binder/postBuild must be executable"
    text = post.read_text()
    assert text.startswith("#!"), "binder/postBuild needs a shebang line"
    assert re.search(r"^\s*pip install\b.*(-e \.|\s\.)\s*$", text, re.M), text


@pytest.mark.binder
def test_repo2docker_reads_binder():
    exe = shutil.which("jupyter-repo2docker", path=os.pathsep.join([str(Path(sys.executable).parent),
                                                                      os.environ.get("PATH", "")]))
    if exe is None:
        pytest.skip("jupyter-repo2docker not installed (pip install -r requirements.txt installs it)")
    proc = subprocess.run([exe, "--no-build", "--debug", "."], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, stdin=subprocess.DEVNULL)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-3000:]
    assert "FROM " in out, "no Dockerfile printed:\n" + out[-3000:]
    major, minor = runtime_version()
    # the Python version: runtime.txt read, not repo2docker's default
    assert f"python={major}.{minor}" in out, out[:1000]
    # ... and the conda lock file of that version (its path escaped in the COPY line: "." is "-2e")
    assert re.search(rf"environment(\.|-2e)py(-|-2d){major}(\.|-2e){minor}(-|-2d)linux", out), out[-3000:]
    # binder/ is the configuration, and its requirements are installed
    assert "src/binder/requirements.txt" in out
    assert re.search(r'pip install --no-cache-dir -r "binder/requirements\.txt"', out), out[-3000:]
    # ... not the top-level files, which carry the CI-only tools
    assert not re.search(r'pip install[^\n]*-r "requirements\.txt"', out)
    # nnlib: postBuild runs (test_postbuild_installs_nnlib checks what it does)
    assert re.search(r"^RUN \./binder/postBuild$", out, re.M), out[-3000:]


BADGE = re.compile(r"\(https://mybinder\.org/v2/gh/[^/\s)]+/[^/\s)]+/[^?\s)]+"
                   r"\?urlpath=(?:%2F)?lab(?:/|%2F)tree(?:/|%2F)([^)\s]+\.ipynb)\)")


def readme_problems(text, root=ROOT):
    """What the README lacks for a class: a Binder badge opening JupyterLab on an existing
    notebook, and every notebook named (the table of the notebooks)."""
    problems = []
    targets = BADGE.findall(text)
    if not targets:
        problems.append("no Binder badge linking to https://mybinder.org/v2/gh/OWNER/REPO/BRANCH"
                        "?urlpath=lab/tree/notebooks/NAME.ipynb")
    notebooks = sorted((root / "notebooks").glob("*.ipynb"))
    for target in targets:
        target = target.replace("%2F", "/")
        if not (root / target).is_file():
            problems.append(f"the Binder badge opens {target}, which does not exist")
        elif notebooks and target not in (f"notebooks/{notebooks[0].name}", f"student/{notebooks[0].name}"):
            problems.append(f"the Binder badge opens {target}, not the first notebook {notebooks[0].name}")
    for nb in notebooks:
        if nb.name not in text:
            problems.append(f"notebooks/{nb.name} is not in the README's table of notebooks")
    return problems


def test_readme_has_binder_badge_and_lists_every_notebook():
    problems = readme_problems((ROOT / "README.md").read_text())
    assert not problems, "\n".join(problems)

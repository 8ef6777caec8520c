"""The package's three layers, checked on its source: dependencies point down only
(viz -> experiments -> core), display libraries stay in viz, no module reaches into another
module's private names, and every module stays short enough to read."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "nnlib"
MODULES = sorted(PACKAGE.rglob("*.py"))
DISPLAY = ("matplotlib", "ipywidgets", "IPython", "PIL")
MAX_LINES = 400


def layer(path):
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else "core"


def imported_modules(path):
    """Absolute names of every module ``path`` imports (relative imports resolved)."""
    tree = ast.parse(path.read_text())
    package = ["nnlib", *path.relative_to(PACKAGE).parts[:-1]]
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module
            names.append(module)
            names += [f"{module}.{alias.name}" for alias in node.names]
    return names


def ids(paths):
    return [str(p.relative_to(PACKAGE)) for p in paths]


@pytest.mark.parametrize("path", MODULES, ids=ids(MODULES))
def test_dependencies_point_down(path):
    allowed = {"core": (), "experiments": ("nnlib.experiments",), "exercises": ("nnlib.experiments", "nnlib.exercises"),
               "viz": ("nnlib.experiments", "nnlib.viz")}[layer(path)]
    for name in imported_modules(path):
        for sub in ("nnlib.experiments", "nnlib.viz", "nnlib.exercises"):
            if name == sub or name.startswith(sub + "."):
                assert name.startswith(allowed) and allowed, f"{path.name} ({layer(path)}) imports {name}"


@pytest.mark.parametrize("path", MODULES, ids=ids(MODULES))
def test_display_libraries_only_in_viz(path):
    if layer(path) == "viz":
        return
    bad = [n for n in imported_modules(path) if n.split(".")[0] in DISPLAY]
    assert not bad, f"{path.relative_to(PACKAGE)} imports {bad}: display code belongs in nnlib/viz"


@pytest.mark.parametrize("path", MODULES, ids=ids(MODULES))
def test_no_access_to_another_modules_private_names(path):
    """``obj._name`` only on ``self``/``cls``, and no ``from m import _name`` (dunders are public)."""
    tree = ast.parse(path.read_text())
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            owner = node.value
            if not (isinstance(owner, ast.Name) and owner.id in ("self", "cls")):
                found.append(f"line {node.lineno}: .{node.attr}")
        elif isinstance(node, ast.ImportFrom):
            found += [f"line {node.lineno}: import {a.name}" for a in node.names
                      if a.name.startswith("_") and not a.name.startswith("__")]
    assert not found, f"{path.relative_to(PACKAGE)} uses private names of other objects: {found}"


@pytest.mark.parametrize("path", MODULES, ids=ids(MODULES))
def test_modules_stay_readable(path):
    n = len(path.read_text().splitlines())
    assert n <= MAX_LINES, f"{path.relative_to(PACKAGE)} has {n} lines; split it (at most {MAX_LINES})"


def test_import_nnlib_loads_the_core_only():
    code = ("import sys, nnlib; bad = sorted(m for m in sys.modules if m.split('.')[0] in "
            f"{DISPLAY!r} or m.startswith(('nnlib.experiments', 'nnlib.viz', 'nnlib.exercises'))); print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]", out


def test_experiments_load_without_display_libraries():
    code = ("import sys, pkgutil, importlib, nnlib.experiments as e; "
            "[importlib.import_module('nnlib.experiments.' + m.name) for m in pkgutil.iter_modules(e.__path__)]; "
            f"print(sorted(m for m in sys.modules if m.split('.')[0] in {DISPLAY!r}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]", out


def test_the_tests_mirror_the_layers():
    tests = Path(__file__).resolve().parent
    for sub in ("core", "experiments", "viz"):
        assert list((tests / sub).glob("test_*.py")), f"tests/{sub}/ has no tests"
    missing = [f"tests/{layer(p)}/test_*{p.stem}*.py" for p in MODULES
               if p.name != "__init__.py" and not any(p.stem in t.stem for t in (tests / layer(p)).glob("test_*.py"))]
    assert not missing, f"modules without a test file of their name: {missing}"


def test_a_non_editable_install_ships_every_subpackage():
    """pyproject's package list covers every folder of nnlib, so ``pip install .`` is complete."""
    import tomllib

    setuptools = pytest.importorskip("setuptools")
    root = PACKAGE.parent
    config = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]
    shipped = set(setuptools.find_packages(where=str(root), include=config["include"]))
    folders = {".".join(p.parent.relative_to(root).parts) for p in PACKAGE.rglob("__init__.py")}
    assert folders <= shipped, f"not installed: {sorted(folders - shipped)}"
    assert {"nnlib", "nnlib.experiments", "nnlib.viz"} <= folders

"""JupyterLab's settings for a class, shipped with the environment: no news pop-up and no update
check over the figures, the notebook's own kernel started without a kernel-selection dialog, and
nothing redrawn on every kernel status change (two per slider value a widget sends): no execution
indicator in the notebook toolbar (the toolbar then measured all its buttons, a layout of the whole
page) and no busy favicon (the kernel's status stays in the status bar and the cells' prompts).

binder/overrides.json holds the settings and binder/page_config.json the disabled plugin; Binder's
postBuild and `make install` copy them to where JupyterLab reads them
(<prefix>/share/jupyter/lab/settings/overrides.json, <prefix>/etc/jupyter/labconfig/page_config.json).
tests/notebooks/test_browser.py checks in a real JupyterLab that both are in effect."""

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OVERRIDES = ROOT / "binder" / "overrides.json"
PAGE_CONFIG = ROOT / "binder" / "page_config.json"
LAB = Path(sys.prefix) / "share" / "jupyter" / "lab"
SCHEMAS = LAB / "schemas"
INSTALLED = {OVERRIDES: LAB / "settings" / "overrides.json",
             PAGE_CONFIG: Path(sys.prefix) / "etc" / "jupyter" / "labconfig" / "page_config.json"}


def test_overrides_set_what_a_class_needs():
    settings = json.loads(OVERRIDES.read_text())
    notification = settings["@jupyterlab/apputils-extension:notification"]
    assert notification == {"fetchNews": "false", "checkForUpdates": False}
    assert settings["@jupyterlab/notebook-extension:tracker"] == {"autoStartDefaultKernel": True}
    assert settings["@jupyterlab/notebook-extension:panel"] == {
        "toolbar": [{"name": "executionProgress", "disabled": True}]}
    assert json.loads(PAGE_CONFIG.read_text()) == {
        "disabledExtensions": {"@jupyterlab/application-extension:faviconbusy": True}}


def test_every_setting_exists_in_the_installed_jupyterlab():
    """A renamed setting, toolbar item or plugin would be ignored silently: each must be in
    JupyterLab's schemas (the toolbar item among the notebook toolbar's defaults) or code."""
    for plugin, values in json.loads(OVERRIDES.read_text()).items():
        package, name = plugin.split(":")
        schema = json.loads((SCHEMAS / package / f"{name}.json").read_text())
        assert set(values) <= set(schema["properties"]), (plugin, set(values) - set(schema["properties"]))
        for item in values.get("toolbar", []):
            defaults = {d["name"] for d in schema["jupyter.lab.toolbars"]["Notebook"]}
            assert item["name"] in defaults, (plugin, item["name"], defaults)
    code = "".join(path.read_text(errors="replace") for path in (LAB / "static").glob("*.js"))
    for plugin in json.loads(PAGE_CONFIG.read_text())["disabledExtensions"]:
        assert f'"{plugin}"' in code, f"no JupyterLab plugin {plugin!r} in {LAB / 'static'}"


def test_binder_and_make_install_both_copy_the_files():
    post_build, makefile = (ROOT / "binder" / "postBuild").read_text(), (ROOT / "Makefile").read_text()
    assert re.search(r"cp binder/overrides\.json \"\$settings/overrides\.json\"", post_build)
    assert re.search(r"cp binder/page_config\.json \"\$labconfig/page_config\.json\"", post_build)
    assert re.search(r'^prefix="\$\(python -c .import sys; print\(sys\.prefix\).\)"$', post_build, re.M)
    assert 'settings="$prefix/share/jupyter/lab/settings"' in post_build
    assert 'labconfig="$prefix/etc/jupyter/labconfig"' in post_build
    assert re.search(r"binder/overrides\.json .*share/jupyter/lab/settings/overrides\.json", makefile)
    assert re.search(r"binder/page_config\.json .*etc/jupyter/labconfig/page_config\.json", makefile)
    assert re.search(r"^\$\(STAMP\):.* binder/overrides\.json binder/page_config\.json", makefile, re.M)


def test_the_installed_environment_has_them():
    """Each shipped key as shipped (`jupyter labextension list` adds "lockedExtensions" to page_config.json)."""
    for shipped, installed in INSTALLED.items():
        assert installed.is_file(), f"{installed} is missing: run make install"
        values = json.loads(installed.read_text())
        for key, value in json.loads(shipped.read_text()).items():
            assert values.get(key) == value, (installed, key, values.get(key))

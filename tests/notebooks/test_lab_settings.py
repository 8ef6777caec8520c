"""JupyterLab's settings for a class, shipped with the environment: no news pop-up and no update
check over the figures, and the notebook's own kernel started without a kernel-selection dialog.
binder/overrides.json holds them; Binder's postBuild and `make install` copy it to where
JupyterLab reads defaults (<prefix>/share/jupyter/lab/settings/overrides.json)."""

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OVERRIDES = ROOT / "binder" / "overrides.json"
SCHEMAS = Path(sys.prefix) / "share" / "jupyter" / "lab" / "schemas"


def test_overrides_set_what_a_class_needs():
    settings = json.loads(OVERRIDES.read_text())
    notification = settings["@jupyterlab/apputils-extension:notification"]
    assert notification == {"fetchNews": "false", "checkForUpdates": False}
    assert settings["@jupyterlab/notebook-extension:tracker"] == {"autoStartDefaultKernel": True}


def test_every_setting_exists_in_the_installed_jupyterlab():
    """A renamed setting would be ignored silently: each key must be in JupyterLab's schemas."""
    for plugin, values in json.loads(OVERRIDES.read_text()).items():
        package, name = plugin.split(":")
        schema = json.loads((SCHEMAS / package / f"{name}.json").read_text())
        assert set(values) <= set(schema["properties"]), (plugin, set(values) - set(schema["properties"]))


def test_binder_and_make_install_both_copy_the_file():
    assert re.search(r"cp binder/overrides\.json \"\$settings/overrides\.json\"", (ROOT / "binder" / "postBuild").read_text())
    assert re.search(r"binder/overrides\.json .*share/jupyter/lab/settings/overrides\.json",
                     (ROOT / "Makefile").read_text())


def test_the_installed_environment_has_them():
    installed = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert installed.is_file() and json.loads(installed.read_text()) == json.loads(OVERRIDES.read_text())

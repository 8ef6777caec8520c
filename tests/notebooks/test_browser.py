"""The widgets in a real browser: JupyterLab + headless Chromium, driven by Playwright.

For every notebook in ``notebooks/`` that has widgets, this test starts from a fresh
JupyterLab workspace, runs all cells, checks that no cell raised, then moves the first slider
of every widget view with the keyboard (a view without a slider: its toggle buttons or dropdown)
and checks that the image it controls changed (a screenshot of the ``<img>`` before and after).

What it starts, and stops in ``finally`` blocks by their process handles:

- one JupyterLab server (for the whole module) on 127.0.0.1, no token, serving a temporary
  copy of ``notebooks/`` (so that nothing the browser does can touch the committed files),
  with its own settings, workspaces and runtime directories;
- one headless Chromium per notebook: Debian's ``chromium`` (``shutil.which("chromium")``)
  started as a subprocess with ``--remote-debugging-port`` and attached to with Playwright's
  ``connect_over_cdp``; no ``playwright install`` (a browser download) is needed;
- one kernel per notebook, shut down through the server's REST API when the notebook is done.

A watchdog kills the notebook's Chromium (and so fails the pending Playwright call) if a
notebook takes longer than ``NOTEBOOK_TIMEOUT`` seconds; every wait below has its own
deadline, and every ``page.evaluate`` runs a short synchronous expression (the run-all command
is started, not awaited).

Skipped, with the reason, when Chromium or Playwright is missing. Marked ``browser``:
``pytest -m "not browser"`` leaves it out.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import nbformat
import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = ROOT / "notebooks"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

SERVER_START_TIMEOUT = 90  # s, JupyterLab answering /api/status
NOTEBOOK_TIMEOUT = 150  # s, whole notebook (watchdog): open, run all, move sliders
OPEN_TIMEOUT = 60  # s, notebook rendered and its kernel idle
RUN_TIMEOUT = 90  # s, all cells executed
FIGURE_TIMEOUT = 30  # s, image changed after a slider move

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1400,1000",
]

# JupyterLab user settings for a predictable page: every cell in the DOM (no virtual
# scrolling: "contentVisibility", JupyterLab's default, keeps every cell and lets the browser skip
# painting the ones off screen, as a student's browser does; "none" would paint them all), no
# autosave, no news/update pop-up asking for network access.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "contentVisibility"},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false", "checkForUpdates": False},
}


def has_widgets(path):
    """A notebook has widgets if a cell is tagged nbval-ignore-output (the project's tag for
    live-widget cells), stores a widget view, or builds one (LiveFigure / ipywidgets)."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if "nbval-ignore-output" in cell.metadata.get("tags", []):
            return True
        if any(WIDGET_VIEW in out.get("data", {}) for out in cell.get("outputs", [])):
            return True
        if "LiveFigure" in cell.source or "ipywidgets" in cell.source:
            return True
    return False


def widget_notebooks():
    notebooks = [p for p in sorted(NOTEBOOK_DIR.glob("*.ipynb")) if has_widgets(p)]
    if not notebooks:
        return [pytest.param(None, marks=pytest.mark.skip(
            reason="no notebook in notebooks/ has widgets yet: nothing to drive in the browser"))]
    return [pytest.param(p.name, id=p.stem) for p in notebooks]


# ---------------------------------------------------------------------------------------------
# processes


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop_process(proc, timeout=10):
    """Terminate a process started with start_new_session=True, and its group, by its handle."""
    if proc is None or proc.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)  # the group the process leads: its children too
        except ProcessLookupError:
            return
        try:
            proc.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


def tail(path, n=3000):
    try:
        return Path(path).read_text(errors="replace")[-n:]
    except OSError:
        return ""


def http_json(url, method="GET", timeout=5):
    req = urllib.request.Request(url, method=method)
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        body = resp.read()
    return json.loads(body) if body else None


class LabServer:
    """A JupyterLab server on 127.0.0.1 serving a temporary copy of notebooks/."""

    def __init__(self, tmp):
        self.tmp = Path(tmp)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = None
        self.log = self.tmp / "jupyterlab.log"

    def start(self):
        root = self.tmp / "notebooks"
        shutil.copytree(NOTEBOOK_DIR, root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        settings = self.tmp / "lab-user-settings"
        for rel, value in LAB_SETTINGS.items():
            (settings / rel).parent.mkdir(parents=True, exist_ok=True)
            (settings / rel).write_text(json.dumps(value))
        env = dict(os.environ)
        env.pop("MPLBACKEND", None)  # the kernel must keep the inline backend
        for var, sub in (("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_RUNTIME_DIR", "runtime"),
                         ("JUPYTER_DATA_DIR", "data"), ("IPYTHONDIR", "ipython")):
            env[var] = str(self.tmp / sub)
        cmd = [
            sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
            "--ip=127.0.0.1", f"--port={self.port}", "--port-retries=0",
            "--ServerApp.token=", "--ServerApp.password=",
            "--ServerApp.disable_check_xsrf=True",
            f"--ServerApp.root_dir={root}",  # what --notebook-dir sets
            f"--LabApp.workspaces_dir={self.tmp / 'lab-workspaces'}",
            f"--LabApp.user_settings_dir={settings}",
            "--LabApp.expose_app_in_browser=True",
            "--LabApp.news_url=",
        ]
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"JupyterLab exited with {self.proc.returncode}:\n{tail(self.log)}")
            try:
                http_json(f"{self.url}/api/status", timeout=2)
                return self
            except (urllib.error.URLError, OSError, ValueError):
                time.sleep(0.3)
        raise RuntimeError(f"JupyterLab did not answer within {SERVER_START_TIMEOUT} s:\n{tail(self.log)}")

    def shutdown_sessions(self):
        """Shut down every kernel session (one notebook's kernel) through the REST API."""
        for session in http_json(f"{self.url}/api/sessions"):
            try:
                http_json(f"{self.url}/api/sessions/{session['id']}", method="DELETE", timeout=15)
            except (urllib.error.URLError, OSError):
                pass

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            try:  # kernels run in sessions of their own: shut them down before the server
                self.shutdown_sessions()
            except (urllib.error.URLError, OSError, ValueError):
                pass
        stop_process(self.proc)


class Chromium:
    """Debian's headless Chromium as a subprocess, attached to through the DevTools protocol."""

    def __init__(self, executable, tmp):
        self.executable = executable
        self.profile = Path(tempfile.mkdtemp(prefix="chromium-profile-", dir=tmp))
        self.log = self.profile.parent / f"{self.profile.name}.log"
        self.proc = None

    def start(self, timeout=30):
        cmd = [self.executable, *CHROMIUM_FLAGS, f"--user-data-dir={self.profile}",
               "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "about:blank"]
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, start_new_session=True)
        port_file = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"Chromium exited with {self.proc.returncode}:\n{tail(self.log)}")
            lines = port_file.read_text().split() if port_file.exists() else []
            if lines:
                return f"http://127.0.0.1:{lines[0]}"
            time.sleep(0.1)
        raise RuntimeError(f"Chromium opened no DevTools port within {timeout} s:\n{tail(self.log)}")

    def stop(self):
        stop_process(self.proc, timeout=5)


# ---------------------------------------------------------------------------------------------
# fixtures


@pytest.fixture(scope="module")
def chromium_path():
    path = shutil.which("chromium")
    if path is None:
        pytest.skip("Chromium not found: install Debian's chromium (apt-get install chromium; "
                    ".ci/run does it on CI) to run the browser test")
    return path


@pytest.fixture(scope="module")
def playwright(chromium_path):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright not installed: pip install -r requirements.txt (the Python package "
                    "only; no `playwright install`, the test uses Debian's chromium)")
    pw = sync_playwright().start()
    try:
        yield pw
    finally:
        pw.stop()


@pytest.fixture(scope="module")
def tmp_root():
    path = Path(tempfile.mkdtemp(prefix="nnlib-browser-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="module")
def lab(playwright, tmp_root):
    server = LabServer(tmp_root)
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture
def page(playwright, chromium_path, tmp_root, lab):
    """A page of a fresh Chromium, killed by a watchdog after NOTEBOOK_TIMEOUT seconds."""
    browser_proc = Chromium(chromium_path, tmp_root)
    browser = None
    expired = threading.Event()

    def watchdog():
        expired.set()
        browser_proc.stop()

    timer = threading.Timer(NOTEBOOK_TIMEOUT, watchdog)
    timer.daemon = True
    try:
        endpoint = browser_proc.start()
        browser = playwright.chromium.connect_over_cdp(endpoint, timeout=30_000)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.set_default_timeout(30_000)
        page = context.new_page()
        timer.start()
        yield page
    finally:
        timer.cancel()
        if browser is not None:
            try:
                browser.close()
            except Exception:  # the watchdog may have killed it already
                pass
        browser_proc.stop()
        try:
            lab.shutdown_sessions()
        except (urllib.error.URLError, OSError, ValueError):
            pass
        assert not expired.is_set(), f"watchdog: the notebook took over {NOTEBOOK_TIMEOUT} s"


# ---------------------------------------------------------------------------------------------
# what runs in the page: short synchronous expressions only

JS_STATE = """() => {
  const app = window.jupyterapp;
  if (!app) return {ready: false, why: "window.jupyterapp is not there yet"};
  const panel = app.shell.currentWidget;
  if (!panel || !panel.content || !panel.sessionContext) return {ready: false, why: "no notebook panel"};
  const ctx = panel.sessionContext;
  const cells = panel.content.widgets.filter(c => c.model.type === "code");
  const errors = [];
  let pending = 0, missing = 0;
  panel.content.widgets.forEach((cell, i) => {
    if (cell.model.type !== "code") return;
    const prompt = cell.node.querySelector(".jp-InputPrompt");
    if (prompt && prompt.textContent.includes("*")) pending += 1;
    if (cell.model.executionCount === null && cell.model.sharedModel.getSource().trim()) missing += 1;
    for (const out of cell.model.outputs.toJSON()) {
      if (out.output_type === "error") errors.push(`cell ${i}: ${out.ename}: ${out.evalue}`);
      if (out.output_type === "stream" && out.name === "stderr") {
        const text = Array.isArray(out.text) ? out.text.join("") : out.text;
        if (/Traceback|\\w+Error:/.test(text)) errors.push(`cell ${i} (stderr): ${text.slice(0, 500)}`);
      }
    }
  });
  return {ready: panel.context.isReady && !!ctx.session, status: ctx.kernelDisplayStatus,
          cells: cells.length, pending, missing, errors};
}"""

# what binder/overrides.json and binder/page_config.json turn off: both were redrawn on every kernel
# status change, two per slider value sent (the toolbar item made the toolbar measure all its buttons)
JS_SHIPPED_SETTINGS = """() => ({
  executionIndicator: !!document.querySelector(".jp-NotebookPanel-toolbar .jp-Notebook-ExecutionIndicator"),
  faviconBusy: !(JSON.parse(document.getElementById("jupyter-config-data").textContent).disabledExtensions || [])
    .includes("@jupyterlab/application-extension:faviconbusy")})"""

JS_RUN_ALL = """() => { window.jupyterapp.commands.execute("notebook:run-all-cells"); return true; }"""

# rendered tracebacks on stderr, and the widget manager's message for a view it cannot show
JS_DOM_ERRORS = """() => Array.from(document.querySelectorAll(".jp-OutputArea-output"))
  .filter(e => e.dataset.mimeType === "application/vnd.jupyter.stderr" ? /Traceback|\\w+Error:/.test(e.textContent)
                                                                       : /Error displaying widget/.test(e.textContent))
  .map(e => e.textContent.slice(0, 300))"""


def wait_for(page, predicate, timeout, what):
    deadline = time.monotonic() + timeout
    state = None
    while time.monotonic() < deadline:
        state = page.evaluate(JS_STATE)
        if state.get("errors"):
            pytest.fail(f"error output while waiting for {what}:\n" + "\n".join(state["errors"]))
        if predicate(state):
            return state
        page.wait_for_timeout(250)
    pytest.fail(f"{what}: not reached within {timeout} s; last state {state}")


def stable_screenshot(page, image, timeout=10):
    """A screenshot of the loaded image that two takes 300 ms apart agree on."""
    deadline = time.monotonic() + timeout
    while not image.evaluate("img => img.complete && img.naturalWidth > 0"):
        if time.monotonic() > deadline:
            pytest.fail("a widget image never loaded")
        page.wait_for_timeout(100)
    shot = image.screenshot()
    while True:
        page.wait_for_timeout(300)
        again = image.screenshot()
        if again == shot or time.monotonic() > deadline:
            return again
        shot = again


def control_label(control):
    label = control.locator(".widget-label")
    return label.first.inner_text().strip() if label.count() else "?"


def slider_value(slider):
    readout = slider.locator(".widget-readout")
    if readout.count():
        return readout.first.inner_text().strip()
    return slider.locator("[role=slider]").first.get_attribute("aria-valuenow")


def move_slider(page, slider):
    """Press arrow keys on a slider's handle; return (before, after) of its readout."""
    handle = slider.locator(".noUi-handle, [role=slider]").first
    before = slider_value(slider)
    for key in ("ArrowRight", "ArrowLeft"):  # back the other way if it sits at its maximum
        handle.focus()
        for _ in range(3):
            handle.press(key)
            page.wait_for_timeout(100)
        after = slider_value(slider)
        if after != before:
            return before, after
    return before, before


def operate(page, view):
    """Change the first control of a widget view: a slider if it has one (the keyboard on its
    handle), else toggle buttons (a click) or a dropdown (another option).

    Returns a description "kind 'label': before -> after"; fails if the control did not change.
    """
    sliders = view.locator(".widget-slider")
    toggles = view.locator(".widget-toggle-buttons")
    dropdowns = view.locator(".widget-dropdown")
    if sliders.count():
        control = sliders.first
        before, after = move_slider(page, control)
        kind = "slider"
    elif toggles.count():
        control = toggles.first
        before = control.locator("button.mod-active").first.inner_text().strip()
        control.locator("button:not(.mod-active)").first.click()
        after = control.locator("button.mod-active").first.inner_text().strip()
        kind = "toggle buttons"
    elif dropdowns.count():
        control = dropdowns.first
        select = control.locator("select")
        before = select.input_value()
        other = [v for v in select.locator("option").evaluate_all("os => os.map(o => o.value)") if v != before]
        after = select.select_option(other[0])[0] if other else before
        kind = "dropdown"
    else:
        pytest.fail("a widget view with an image but no slider, toggle buttons or dropdown")
    description = f"{kind} {control_label(control)!r}: {before} -> {after}"
    assert after != before, f"the control did not change: {description}"
    return description


# ---------------------------------------------------------------------------------------------
# the test


def open_and_run_all(page, lab, notebook):
    """Open ``notebook`` in a fresh workspace, run all its cells, and check that none raised."""
    workspace = f"test-{uuid.uuid4().hex[:12]}"
    page.goto(f"{lab.url}/lab/workspaces/{workspace}/tree/{notebook}?reset",
              wait_until="domcontentloaded", timeout=OPEN_TIMEOUT * 1000)
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=OPEN_TIMEOUT * 1000)
    wait_for(page, lambda s: s.get("ready") and s["status"] == "idle", OPEN_TIMEOUT,
             "the notebook open with an idle kernel")

    shipped = page.evaluate(JS_SHIPPED_SETTINGS)
    assert shipped == {"executionIndicator": False, "faviconBusy": False}, (
        f"the environment's JupyterLab settings (binder/overrides.json, binder/page_config.json) are not "
        f"in effect: {shipped} (run make install)")

    page.evaluate(JS_RUN_ALL)
    state = wait_for(page, lambda s: s.get("ready") and s["status"] == "idle" and s["pending"] == 0
                     and s["missing"] == 0, RUN_TIMEOUT, "all cells executed")
    assert state["cells"] > 0
    dom_errors = page.evaluate(JS_DOM_ERRORS)
    assert not dom_errors, f"{notebook}: error output in the page:\n" + "\n".join(dom_errors)


@pytest.mark.parametrize("notebook", widget_notebooks())
def test_widgets_respond_in_chromium(notebook, lab, page):
    open_and_run_all(page, lab, notebook)

    # every output that shows a widget image: the live figures
    views = page.locator(".jp-OutputArea-output").filter(has=page.locator(".jupyter-widgets img"))
    n_views = views.count()
    assert n_views > 0, (f"{notebook} has widgets, but no output shows a widget image "
                         "(widget manager not loaded, or the view has no ipywidgets.Image)")
    for k in range(n_views):
        view = views.nth(k)
        view.scroll_into_view_if_needed()
        image = view.locator(".jupyter-widgets img").first
        image.wait_for(state="visible")
        shot_before = stable_screenshot(page, image)
        what = operate(page, view)
        deadline = time.monotonic() + FIGURE_TIMEOUT
        while image.screenshot() == shot_before:
            if time.monotonic() > deadline:
                pytest.fail(f"{notebook}, widget view {k}: {what}, but its figure did not change "
                            f"within {FIGURE_TIMEOUT} s")
            page.wait_for_timeout(250)
        final = page.evaluate(JS_STATE)
        assert not final["errors"], f"{notebook}, after {what}:\n" + "\n".join(final["errors"])


# ---------------------------------------------------------------------------------------------
# the variance explorer at its heaviest setting: latency of a key press, and a drag

EXPLORER_NOTEBOOK = "02_variance_derivation.ipynb"
DRAG_SECONDS = 2.0
KEY_PRESSES = 6  # each waits for its full result: about 1.5 s
MIN_REPAINTS_PER_SECOND = 10
# After the release the full result must follow without further input: a 0.3 s debounce and about
# 0.3 s of work on an idle machine, some 1-2 s while nbval runs beside the browser (as in make test);
# FULL_RESULT_TIMEOUT is a deadline, not a target. After the release come at most: the picture
# being drawn, one for the value waiting in the kernel, one for the value the browser holds back
# (ipywidgets sends one message at a time), and the full result. A queue of stale updates would
# show as more, growing with the length of the drag.
FULL_RESULT_TIMEOUT = 15.0
MAX_REPAINTS_AFTER_RELEASE = 4

# every replacement of an <img>'s picture (ipywidgets sets a new blob URL), and every key press, timed
JS_WATCH = """img => {
  window.__repaints = [];
  window.__keys = [];
  window.__mark = performance.now();
  new MutationObserver(() => window.__repaints.push(performance.now()))
    .observe(img, {attributes: true, attributeFilter: ["src"]});
  document.addEventListener("keydown", () => window.__keys.push(performance.now()), true);
  return performance.now();
}"""


# a mouse drag as the slider sees one: a press on the handle, a move per animation frame (the
# slider, noUiSlider, follows mouse events on the document element and reads their buttons), a release
JS_DRAG = """async ({x0, y, span, seconds}) => {
  const handle = document.elementFromPoint(x0, y);
  const at = x => ({clientX: x, clientY: y, bubbles: true, cancelable: true, view: window, button: 0, buttons: 1});
  handle.dispatchEvent(new MouseEvent("mousedown", at(x0)));
  const start = performance.now();
  await new Promise(resolve => {
    const step = () => {
      const f = Math.min((performance.now() - start) / (1000 * seconds), 1);
      handle.dispatchEvent(new MouseEvent("mousemove", at(x0 + span * f)));
      if (f < 1) requestAnimationFrame(step); else resolve();
    };
    requestAnimationFrame(step);
  });
  const released = performance.now();
  handle.dispatchEvent(new MouseEvent("mouseup", {...at(x0 + span), buttons: 0}));
  return [start, released];
}"""


def explorer_view(page):
    views = page.locator(".jp-OutputArea-output").filter(has=page.locator(".jupyter-widgets img")).filter(
        has_text="n·Var(W)")
    assert views.count() >= 1, f"{EXPLORER_NOTEBOOK}: no output shows the variance explorer"
    view = views.first
    view.scroll_into_view_if_needed()
    return view


def slider(view, label):
    return view.locator(".widget-slider").filter(has_text=label).first


JS_SINCE = """() => performance.now() - Math.max(window.__mark, window.__repaints.at(-1) ?? 0,
                                                window.__keys.at(-1) ?? 0)"""


def mark(page):
    """Note the time of an action (a dropdown choice, a mouse release) for wait_until_quiet."""
    page.evaluate("() => { window.__mark = performance.now(); }")


def wait_until_quiet(page, quiet=1.0, timeout=30):
    """Wait until neither a picture was replaced nor a key pressed nor an action marked for
    ``quiet`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        since = page.evaluate(JS_SINCE)
        if since > 1000 * quiet:
            return
        page.wait_for_timeout(100)
    pytest.fail(f"the explorer kept repainting for {timeout} s after its controls rested")


@pytest.mark.skipif(not (NOTEBOOK_DIR / EXPLORER_NOTEBOOK).exists(), reason=f"{EXPLORER_NOTEBOOK} is missing")
def test_explorer_stays_live_at_depth_30_width_512(lab, page):
    open_and_run_all(page, lab, EXPLORER_NOTEBOOK)
    view = explorer_view(page)
    image = view.locator(".jupyter-widgets img").first
    image.evaluate(JS_WATCH)

    # the heaviest setting: depth 30 (the slider's end), width 512 (the dropdown's last)
    depth = slider(view, "depth").locator(".noUi-handle, [role=slider]").first
    depth.focus()
    for _ in range(40):
        depth.press("ArrowRight")
    view.locator(".widget-dropdown").filter(has_text="width").locator("select").select_option("512")
    mark(page)
    wait_until_quiet(page, quiet=1.5)
    assert slider_value(slider(view, "depth")) == "30"

    # latency: one key press on n·Var(W), then rest until the full result is drawn
    handle = slider(view, "n·Var(W)").locator(".noUi-handle, [role=slider]").first
    latencies, counts = [], []
    for k in range(KEY_PRESSES):
        handle.focus()
        page.evaluate("() => { window.__repaints = []; window.__keys = []; }")
        handle.press("ArrowRight" if k % 2 == 0 else "ArrowLeft")
        deadline = time.monotonic() + FIGURE_TIMEOUT  # under load the first picture can take over a second
        while not page.evaluate("() => window.__repaints.some(t => t >= window.__keys[0])") \
                and time.monotonic() < deadline:
            page.wait_for_timeout(20)
        wait_until_quiet(page, quiet=0.8)
        keys, repaints = page.evaluate("() => [window.__keys, window.__repaints]")
        repaints = [t for t in repaints if t >= keys[0]]  # not the previous press's late full result
        assert keys and repaints, "a key press on the n·Var(W) slider did not repaint the explorer"
        latencies.append(repaints[0] - keys[0])
        counts.append(len(repaints))
        assert len(repaints) <= 3, f"one key press repainted {len(repaints)} times (a preview, then the full result)"
    median_latency = sorted(latencies)[len(latencies) // 2]

    # a 2-second drag across the n·Var(W) slider
    box = handle.bounding_box()
    track = slider(view, "n·Var(W)").locator(".noUi-target, .slider").first.bounding_box()
    x0, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    span = min(track["x"] + track["width"] - x0 - 2, track["width"] / 3)
    readout = slider(view, "n·Var(W)").locator(".widget-readout").first
    readout.evaluate("""r => { window.__moves = [];
      new MutationObserver(() => window.__moves.push(performance.now()))
        .observe(r, {childList: true, characterData: true, subtree: true}); }""")
    page.evaluate("() => window.__repaints = []")
    # the drag runs in the page, one mouse move per animation frame as a mouse gives them: paced from
    # Python, each move waits for a round trip to the test process (some 70 ms on a busy 2-core machine)
    start, released = page.evaluate(JS_DRAG, {"x0": x0, "y": y, "span": span, "seconds": DRAG_SECONDS})
    moves = page.evaluate("() => window.__moves.filter(t => t >= 0).length")
    mark(page)
    summary = view.locator(".widget-html").last
    deadline = time.monotonic() + FULL_RESULT_TIMEOUT
    while "preview" in summary.inner_text():
        if time.monotonic() > deadline:
            pytest.fail(f"{FULL_RESULT_TIMEOUT:.0f} s after the drag the explorer still shows a preview: "
                        f"{summary.inner_text()!r}")
        page.wait_for_timeout(50)
    wait_until_quiet(page, quiet=1.0, timeout=30)
    repaints = page.evaluate("() => window.__repaints")
    during = [t for t in repaints if start <= t <= released]
    after = [t for t in repaints if t > released]
    rate = len(during) / ((released - start) / 1000)
    full = (repaints[-1] - released) / 1000 if after else 0.0
    print(f"\nvariance explorer, depth 30 x width 512, in Chromium: median key-press-to-repaint latency "
          f"{median_latency:.0f} ms (of {len(latencies)}: {', '.join(f'{t:.0f}' for t in sorted(latencies))}); "
          f"drag: {rate:.1f} repaints/s over {(released - start) / 1000:.2f} s ({moves} slider values shown); "
          f"{len(after)} picture(s) after the release, the full result {full:.2f} s after it; "
          f"repaints per key press {counts}")
    # the target of MIN_REPAINTS_PER_SECOND is reported, not asserted: on the 2-core machine shared
    # with Chromium it measures 17-18 repaints per second alone (8-10 while other tenants load the VM), about 2 while make test runs the unit
    # tests and nbval beside it (see the README); what must hold is asserted: the explorer stays live
    if rate < MIN_REPAINTS_PER_SECOND:
        print(f"below the target of {MIN_REPAINTS_PER_SECOND} repaints per second")
    assert rate >= 1, f"a drag repainted only {rate:.1f} times per second: the explorer is not live"
    assert len(after) <= MAX_REPAINTS_AFTER_RELEASE, (
        f"{len(after)} pictures after the release (at most {MAX_REPAINTS_AFTER_RELEASE}): a queue of stale updates")
    assert "preview" not in summary.inner_text(), "the full result was replaced by a preview after the release"

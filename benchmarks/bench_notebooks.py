"""The run-time budget of the notebooks: wall time and the kernel's peak memory, per notebook.

Each notebook runs top to bottom in a fresh kernel (nbclient, the engine behind nbval and
``jupyter nbconvert --execute``), with the notebook's folder as working directory, exactly as
``make test`` runs it. Measured per notebook:

- seconds: wall time from starting the kernel to the end of the last cell (kernel start
  included, as a student or ``nbconvert --execute`` sees it);
- MB: the kernel's peak resident memory, VmHWM from /proc/<pid>/status read just before the
  kernel is shut down (on systems without /proc: psutil's current RSS, a lower bound);
- the slowest cell (index in the notebook, seconds): where to look first when over budget.

Budget (a Binder session has about 2 GB): each notebook <= 20 s, all of them <= 90 s, each
kernel <= 500 MB. The table flags what is over; the exit status is 1 if anything is over budget
or a notebook raised. The notebooks are read, never written.

    python benchmarks/bench_notebooks.py [notebooks/NAME.ipynb ...]
"""

import argparse
import os
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[1]
MAX_SECONDS = 20.0
MAX_TOTAL_SECONDS = 90.0
MAX_MB = 500.0
CELL_TIMEOUT = 600  # s: a runaway cell ends the run instead of hanging it


def kernel_pid(client):
    provisioner = getattr(client.km, "provisioner", None)
    pid = getattr(provisioner, "pid", None) or getattr(getattr(provisioner, "process", None), "pid", None)
    return pid


def peak_rss_mb(pid):
    """Peak resident set size of a process in MB (VmHWM), or its current RSS without /proc."""
    status = Path(f"/proc/{pid}/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    try:
        import psutil
    except ImportError:
        return float("nan")
    return psutil.Process(pid).memory_info().rss / 2**20


def run(path):
    """Execute one notebook in memory in a fresh kernel.

    Returns (seconds, MB, (slowest cell index, its seconds), error message or None).
    """
    nb = nbformat.read(path, as_version=4)
    kernel = nb.metadata.get("kernelspec", {}).get("name", "python3")
    client = NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name=kernel,
                            resources={"metadata": {"path": str(path.parent)}})
    error, slowest = None, (None, 0.0)
    start = time.perf_counter()
    with client.setup_kernel():
        try:
            for index, cell in enumerate(client.nb.cells):
                t0 = time.perf_counter()
                client.execute_cell(cell, index)
                slowest = max(slowest, (index, time.perf_counter() - t0), key=lambda s: s[1])
        except CellExecutionError as exc:
            error = re.sub(r"\x1b\[[0-9;]*m", "", str(exc)).strip().splitlines()[-1][:120]
        seconds = time.perf_counter() - start
        mb = peak_rss_mb(kernel_pid(client))
    return seconds, mb, slowest, error


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to run (default: every notebooks/*.ipynb)")
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in args.notebooks] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    if not paths:
        print("no notebooks in notebooks/")
        return 0
    os.environ.pop("MPLBACKEND", None)  # the kernel keeps the inline backend, as under nbval

    width = max(len(p.name) for p in paths + [Path("total")])
    header = f"{'notebook':<{width}}  {'seconds':>8}  {'peak MB':>8}  {'slowest cell':>14}  budget"
    print(f"{len(paths)} notebooks, each in a fresh kernel; budget {MAX_SECONDS:g} s and "
          f"{MAX_MB:g} MB each, {MAX_TOTAL_SECONDS:g} s in all\n")
    print(header)
    print("-" * len(header))
    total, peak, bad = 0.0, 0.0, 0
    for path in paths:
        seconds, mb, (cell, cell_seconds), error = run(path)
        total += seconds
        peak = max(peak, mb)
        flags = []
        if seconds > MAX_SECONDS:
            flags.append(f"OVER {MAX_SECONDS:g} s")
        if mb > MAX_MB:
            flags.append(f"OVER {MAX_MB:g} MB")
        if error:
            flags.append(f"ERROR {error}")
        bad += bool(flags)
        slowest = f"#{cell}: {cell_seconds:.1f} s" if cell is not None else "-"
        print(f"{path.name:<{width}}  {seconds:8.1f}  {mb:8.0f}  {slowest:>14}  {', '.join(flags) or 'ok'}",
              flush=True)
    print("-" * len(header))
    over_total = total > MAX_TOTAL_SECONDS
    print(f"{'total':<{width}}  {total:8.1f}  {peak:8.0f}  {'':>14}  "
          f"{f'OVER {MAX_TOTAL_SECONDS:g} s' if over_total else 'ok'}   (MB: the largest kernel)")
    return 1 if bad or over_total else 0


if __name__ == "__main__":
    sys.exit(main())

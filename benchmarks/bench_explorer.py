"""Speed of the variance explorer's slider moves at every corner of its controls (target <= 50 ms).

A move of the n·Var(W) slider made in the browser (a comm message, with the kernel's event loop
running) repaints at once: for identity, relu and leaky_relu from a cached pass rescaled exactly
(the full result), for the others from a preview over a subset of the samples, the full result
following once the controls rest (``SETTLE_SECONDS``). This script makes such moves under an
asyncio event loop, as ipykernel runs them, and times them from the control change to the new
PNG being in the image widget:

- move: median ms of a browser move (what the student sees first), and whether it showed a
  preview or the full result;
- full: median ms of a full-quality update (``explorer.set(scale=...)``, what the timer draws);
- settled: whether the full result was shown after the controls rested (it must be).

Corners: depth 1 and 30 (the slider's ends) × width 32 and 512 (the dropdown's ends) × every
activation, and the default setting (depth 10, width 256). 1000 samples, as in notebook 02.

    python benchmarks/bench_explorer.py [--repeats 15] [--activations tanh relu ...]

Exit status 1 if a median move is over the target.
"""

import argparse
import asyncio
import sys
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import nnlib.viz.variance_explorer as ve  # noqa: E402
from nnlib.experiments.propagation import ACTIVATIONS  # noqa: E402

TARGET_MS = 50.0
CORNERS = [(10, 256), (1, 32), (1, 512), (30, 32), (30, 512)]


def median_ms(times):
    return 1000 * float(np.median(times))


async def corner(activation, depth, width, repeats):
    """(median move ms, kind of the first picture, median full ms, settled) at one setting."""
    centre = ve.HOMOGENEOUS.get(activation, 1.0)
    scales = centre * (1.0 + 0.05 * np.sin(np.arange(1, repeats + 1)))  # small moves, as in a drag
    explorer = ve.VarianceExplorer(activation=activation, depth=depth, width=width, scale=centre, rng=0)
    try:
        moves, previews = [], 0
        for s in scales:
            start = time.perf_counter()
            explorer.scale.value = float(s)  # seen as a browser move (see main()): schedules the picture
            await asyncio.sleep(0)  # the kernel is free: the event loop draws it
            moves.append(time.perf_counter() - start)
            previews += explorer.shown is not explorer.result
            await asyncio.sleep(0.005)  # the timer is restarted by the next move, as in a drag
        await asyncio.sleep(ve.SETTLE_SECONDS + 0.2)  # the controls rest: the full result follows
        settled = explorer.shown is explorer.result and np.isclose(explorer.result.weight_var * width, scales[-1])
        fulls = []
        for s in scales[: max(3, repeats // 3)]:
            start = time.perf_counter()
            explorer.set(scale=float(s))
            fulls.append(time.perf_counter() - start)
        kind = "preview" if previews else "full"
        return median_ms(moves), kind, median_ms(fulls), bool(settled)
    finally:
        explorer.close()


async def run(activations, repeats):
    print(f"variance explorer, 1000 samples: median ms per n·Var(W) move ({repeats} moves per setting)")
    print(f"{'activation':12s}{'depth':>6s}{'width':>7s}{'move':>9s}  {'shows':8s}{'full':>9s}  settled")
    worst, ok = 0.0, True
    for activation in activations:
        for depth, width in CORNERS:
            move, kind, full, settled = await corner(activation, depth, width, repeats)
            worst, ok = max(worst, move), ok and settled
            flag = "" if move <= TARGET_MS else "  OVER"
            print(f"{activation:12s}{depth:6d}{width:7d}{move:9.1f}  {kind:8s}{full:9.1f}  {settled}{flag}")
    print(f"worst median move: {worst:.1f} ms (target <= {TARGET_MS:.0f}); every setting settled to the full "
          f"result: {ok}; open pyplot figures: {len(plt.get_fignums())}")
    return worst <= TARGET_MS and ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--activations", nargs="+", default=list(ACTIVATIONS), choices=list(ACTIVATIONS))
    args = parser.parse_args()
    ve._from_browser = lambda: True  # every control change below is handled as a move in the browser
    sys.exit(0 if asyncio.run(run(args.activations, args.repeats)) else 1)


if __name__ == "__main__":
    main()

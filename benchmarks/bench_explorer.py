"""Speed of one variance-explorer update (compute + draw), the target being <= 50 ms median.

Setting: depth 10, width 256, 1000 samples. A slider move recomputes the probe in float32 and
repaints only the changing artists over a cached background (blit); a move that changes axis
limits or labels repaints everything (full). For comparison, the "new figure" row draws a
fresh pyplot figure per move, as an ``interact`` function with ``plt.show()`` would.

    python benchmarks/bench_explorer.py [--repeats 30]
"""

import argparse
import io
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from nnlib.viz import VarianceExplorer  # noqa: E402


def median_ms(fn, repeats):
    times = []
    for i in range(repeats):
        start = time.perf_counter()
        fn(i)
        times.append(1000 * (time.perf_counter() - start))
    return float(np.median(times))


def new_figure_redraw(explorer):
    """The naive alternative: compute, then build and render a whole new figure."""
    r = explorer.probe.run(explorer.activation.value, explorer.scale.value / explorer.width.value,
                            explorer.depth.value, dtype=np.float32)
    fig, axes = plt.subplots(1, 3, figsize=(11, 3.6), dpi=80)
    k = np.arange(1, r.depth + 1)
    centers = (r.hist_edges[:-1] + r.hist_edges[1:]) / 2
    for i in range(r.depth):
        axes[0].plot(centers, i + 0.9 * r.hist[i] / r.hist[i].max(), drawstyle="steps-mid")
    axes[1].semilogy(k, r.activation_var, "o", k, r.theory_activation_var, "-", k, r.grad_var, "s",
                     k, r.theory_grad_var, "-")
    axes[2].plot(k, 100 * r.saturated, "o-", k, 100 * r.dead, "s-")
    for ax in axes:
        ax.set_xlabel("layer")
    axes[1].legend(["act", "act theory", "grad", "grad theory"])
    fig.savefig(io.BytesIO(), format="png")
    plt.close(fig)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    n = args.repeats
    print("variance explorer, depth 10, width 256, 1000 samples; median ms over", n, "updates")
    print(f"{'activation':12s}{'compute':>10s}{'blit draw':>11s}{'full draw':>11s}{'slider move':>13s}"
          f"{'new figure':>12s}")
    worst = 0.0
    for activation in ("tanh", "relu", "sigmoid"):
        ex = VarianceExplorer(activation=activation, scale=1.0, depth=10, width=256, n_samples=1000, rng=0)
        gains = 1.0 + 0.02 * np.sin(np.arange(n))  # small moves, as when dragging a slider
        compute = median_ms(lambda i: ex.probe.run(activation, gains[i] / 256, 10, dtype=np.float32), n)
        blit = median_ms(lambda i: ex.live.render(), n)
        full = median_ms(lambda i: ex.live.render(full=True), n)

        def move(i):
            ex.scale.value = float(gains[i])

        slider = median_ms(move, n)
        naive = median_ms(lambda i: new_figure_redraw(ex), max(n // 3, 5))
        worst = max(worst, slider)
        print(f"{activation:12s}{compute:10.1f}{blit:11.1f}{full:11.1f}{slider:13.1f}{naive:12.1f}")
    print(f"worst median slider move: {worst:.1f} ms (target <= 50); open pyplot figures: {len(plt.get_fignums())}")


if __name__ == "__main__":
    main()

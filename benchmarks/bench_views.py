"""Speed of every interaction of the interactive views other than the variance explorer
(which ``bench_explorer.py`` measures), against the target of 50 ms per interaction, or a
progress indicator where the interaction must train.

Each view is built as its notebook builds it (the same data and settings). An interaction is a
control's value set as a click or a move in the browser sets it; it is timed from the change
to the view's new picture being in its image widget (the callback returns then). For the ones
that train, the script also records whether the view showed a progress indicator (its status
line or progress bar changed) before the picture, and how soon.

    python benchmarks/bench_views.py [--repeats 7]

Columns: median and worst ms over the repeats; "indicator": for an interaction that trains, how
many ms after the change the progress indicator first moved. Exit status 1 if an interaction
that does not train is over the target by median, or one that trains shows no indicator.
"""

import argparse
import sys
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from sklearn.datasets import load_wine  # noqa: E402

import nnlib  # noqa: E402
from nnlib import datasets  # noqa: E402
from nnlib.experiments import objectives  # noqa: E402
from nnlib.experiments.init_comparison import compare_inits  # noqa: E402
from nnlib.viz import CapacityView, InitComparisonView, NormalizationView, UnderfittingView  # noqa: E402
from nnlib.viz.batchnorm_view import BatchNormView  # noqa: E402

TARGET_MS = 50.0


class Watch:
    """Timestamps of the first change of some widgets' values after :meth:`start`."""

    def __init__(self, image, indicators):
        self.first = {}
        self._start = None
        image.observe(lambda change: self._seen("image"), names="value")
        for widget in indicators:
            widget.observe(lambda change: self._seen("indicator"), names="value")

    def _seen(self, what):
        if self._start is not None and what not in self.first:
            self.first[what] = time.perf_counter() - self._start

    def start(self):
        self.first, self._start = {}, time.perf_counter()


def timed(watch, action):
    """(seconds for action(), seconds to the first indicator change or None)."""
    watch.start()
    action()
    elapsed = time.perf_counter() - watch._start
    assert "image" in watch.first, "the interaction did not replace the picture"
    return elapsed, watch.first.get("indicator")


def cycle(control, values):
    """Actions setting ``control.value`` to the next of ``values`` (round and round) that differs
    from the current value."""
    state = {"k": 0}

    def act():
        state["k"] += 1
        while values[state["k"] % len(values)] == control.value:
            state["k"] += 1
        control.value = values[state["k"] % len(values)]

    return act


def init_comparison():
    comparisons = {}
    for name, make in (("circles", lambda rng, n: datasets.circles(rng, n, noise=0.1)),
                       ("two moons", lambda rng, n: datasets.two_moons(rng, n, noise=0.2))):
        (X_train, y_train), (X_test, y_test) = make(np.random.default_rng(1), 200), make(np.random.default_rng(2), 200)
        comparisons[name] = compare_inits(0, X_train, y_train, X_test, y_test, steps=500, lr=0.5)
    view = InitComparisonView(comparisons, init="He", dataset="circles")
    inits = list(view.init_control.options)
    return "01 InitComparisonView", view, [], [
        ("init toggle", cycle(view.init_control, inits), False),
        ("data-set toggle", cycle(view.dataset_control, list(view.dataset_control.options)), False),
    ]


def normalization():
    wine = load_wine()
    names = list(wine.feature_names)
    X_tr, _, _, _ = nnlib.datasets.train_val_split(np.random.default_rng(0), wine.data, wine.target,
                                                   val_fraction=0.25, stratify=True)
    features, target = [names.index("proline"), names.index("color_intensity")], names.index("alcohol")
    view = NormalizationView(X_tr[:, features], X_tr[:, target], feature_names=("proline", "colour intensity"),
                             feature_units=("mg/L", "AU"), target_name="alcohol", target_unit="% vol",
                             scaling="standard", lr=0.5, n_steps=100)
    lr = view.lr_control.value
    return "03 NormalizationView", view, [], [
        ("learning-rate move", cycle(view.lr_control, [lr * 1.05, lr * 1.1, lr * 1.05, lr]), False),
        ("scaling choice", cycle(view.scaling_control, list(objectives.SCALINGS)), False),
    ]


def underfitting_view():
    X, y = datasets.two_moons(np.random.default_rng(0), n_samples=200, noise=0.15)
    view = UnderfittingView(X, y, activation="sigmoid", init="N(0, 0.01²)", depth=8, optimizer="Adam")
    view.set(optimizer="SGD")  # both optimizers' runs (depth 8) seen once
    view.set(optimizer="Adam")
    depths = iter(range(2, 11))

    def new_depth():  # a setting not trained yet
        view.depth_slider.value = next(d for d in depths if (view.activation_menu.value, view.init_menu.value, d,
                                                              view.optimizer_menu.value) not in view.runs)

    return "04 UnderfittingView", view, [view.status], [
        ("a setting seen before", cycle(view.optimizer_menu, ["SGD", "Adam"]), False),
        ("a new setting (trains)", new_depth, True),
    ]


def capacity():
    rng = np.random.default_rng(0)
    X_tr, y_tr = datasets.noisy_regression(rng, n_samples=15, noise=0.3)
    X_val, y_val = datasets.noisy_regression(rng, n_samples=200, noise=0.3)
    view = CapacityView(X_tr, y_tr, X_val, y_val, max_degree=12, noise=0.3, degree=12, l2=0.0)
    return "05 CapacityView", view, [], [
        ("degree move", cycle(view.degree_slider, [11, 12]), False),
        ("λ move", cycle(view.lambda_slider, [1, 2, 3, 2]), False),
    ]


def batch_norm():
    X, y = datasets.spirals(0, n_samples=400, n_classes=2, noise=0.05)
    X = nnlib.StandardScaler().fit_transform(X)
    view = BatchNormView(X, y, scale=0.5, depth=30, activation="relu", batch_norm=True, epochs=20, rng=0)
    return "06 BatchNormView", view, [view.progress], [
        ("weight-scale move", cycle(view.scale, [0.5, 0.55, 0.6, 0.55]), False),
        ("depth move", cycle(view.depth, [29, 30]), False),
        ("activation choice", cycle(view.activation, ["tanh", "relu"]), False),
        ("batch-norm toggle", cycle(view.batch_norm, [False, True]), False),
        ("toggle, train (20 epochs)", lambda: (cycle(view.batch_norm, [False, True])(), view.button.click()), True),
    ]


VIEWS = (init_comparison, normalization, underfitting_view, capacity, batch_norm)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    print(f"interactive views: ms from a control change to the new picture ({args.repeats} repeats; "
          f"target <= {TARGET_MS:.0f} ms, or a progress indicator where it trains)")
    print(f"{'view':24s}{'interaction':28s}{'median':>8s}{'worst':>8s}  {'indicator':>10s}")
    ok = True
    for build in VIEWS:
        name, view, indicators, interactions = build()
        view.widget  # what displaying it does (a view may paint its picture then)
        try:
            watch = Watch(view.live.image, indicators)
            for label, action, trains in interactions:
                repeats = min(args.repeats, 3) if trains else args.repeats
                results = [timed(watch, action) for _ in range(repeats)]
                times = [1000 * t for t, _ in results]
                shown = [i for _, i in results]
                if trains:
                    indicator = "none" if None in shown else f"{1000 * max(shown):.0f} ms"
                    good = None not in shown
                else:
                    indicator = "-"
                    good = np.median(times) <= TARGET_MS
                ok = ok and good
                flag = "" if good else "  OVER" if not trains else "  NO INDICATOR"
                print(f"{name:24s}{label:28s}{np.median(times):8.1f}{max(times):8.1f}  {indicator:>10s}{flag}")
        finally:
            view.close()
    print(f"every interaction within the target or with an indicator: {ok}; "
          f"open pyplot figures: {len(plt.get_fignums())}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

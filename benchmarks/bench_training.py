"""Training speed: nnlib's Trainer against a bare numpy loop and scikit-learn's MLPClassifier.

All three train the same network (64-128-64-10, ReLU, softmax cross-entropy) with plain
minibatch SGD (batch 64, a fresh shuffle every epoch) on scikit-learn's bundled digits
(1797 x 64, standardized). The bare loop does exactly nnlib's arithmetic with no checks and
no structure: it is the limit for numpy. Rounds are interleaved so that all contenders see
the same machine load; the table gives the median ms per epoch and the ratios.

    python benchmarks/bench_training.py [--dtype float32] [--epochs 10] [--rounds 5]
"""

import argparse
import time
import warnings

import numpy as np
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

import nnlib

SIZES = [64, 128, 64, 10]
BATCH = 64
LR = 0.05


def load(dtype):
    X, y = load_digits(return_X_y=True)
    return nnlib.StandardScaler().fit_transform(X).astype(dtype), y


def run_nnlib(X, y, epochs, dtype):
    net = nnlib.MLP(SIZES, activation="relu", output="softmax", rng=0, dtype=dtype)
    trainer = nnlib.Trainer(net, nnlib.SGD(LR), batch_size=BATCH, rng=1)
    start = time.perf_counter()
    history = trainer.fit(X, y, epochs)
    return time.perf_counter() - start, history.accuracy[-1]


def run_bare(X, y, epochs, dtype):
    """The same math as nnlib, written as one flat loop."""
    rng = np.random.default_rng(0)
    Ws = [(rng.standard_normal((a, b)) * np.sqrt(2.0 / a)).astype(dtype) for a, b in zip(SIZES[:-1], SIZES[1:])]
    bs = [np.zeros(b, dtype=dtype) for b in SIZES[1:]]
    W1, W2, W3 = Ws
    b1, b2, b3 = bs
    order_rng = np.random.default_rng(1)
    n = len(X)
    start = time.perf_counter()
    for _ in range(epochs):
        order = order_rng.permutation(n)
        correct = 0
        for i in range(0, n, BATCH):
            idx = order[i:i + BATCH]
            x, t = X[idx], y[idx]
            m = len(idx)
            a1 = x @ W1 + b1
            h1 = np.maximum(a1, 0)
            a2 = h1 @ W2 + b2
            h2 = np.maximum(a2, 0)
            a3 = h2 @ W3 + b3
            z = a3 - a3.max(axis=1, keepdims=True)
            logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
            _loss = -logp[np.arange(m), t].mean()
            correct += np.count_nonzero(a3.argmax(axis=1) == t)
            d3 = np.exp(logp)
            d3[np.arange(m), t] -= 1
            d3 /= m
            gW3, gb3 = h2.T @ d3, d3.sum(axis=0)
            d2 = (d3 @ W3.T) * (a2 > 0)
            gW2, gb2 = h1.T @ d2, d2.sum(axis=0)
            d1 = (d2 @ W2.T) * (a1 > 0)
            gW1, gb1 = x.T @ d1, d1.sum(axis=0)
            W1 -= LR * gW1
            b1 -= LR * gb1
            W2 -= LR * gW2
            b2 -= LR * gb2
            W3 -= LR * gW3
            b3 -= LR * gb3
    return time.perf_counter() - start, correct / n


def run_sklearn(X, y, epochs, dtype):
    clf = MLPClassifier(hidden_layer_sizes=tuple(SIZES[1:-1]), activation="relu", solver="sgd",
                        batch_size=BATCH, learning_rate_init=LR, momentum=0.0, nesterovs_momentum=False,
                        alpha=0.0, max_iter=epochs, tol=0.0, n_iter_no_change=epochs + 1,
                        shuffle=True, random_state=0)
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X, y)
    return time.perf_counter() - start, clf.score(X, y)


CONTENDERS = {"bare numpy loop": run_bare, "nnlib Trainer": run_nnlib, "sklearn MLPClassifier": run_sklearn}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dtype", choices=["float64", "float32"], default="float64")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    dtype = np.dtype(args.dtype)
    X, y = load(dtype)
    times = {name: [] for name in CONTENDERS}
    accs = {}
    for fn in CONTENDERS.values():  # warm-up: imports, BLAS threads, caches
        fn(X, y, 1, dtype)
    for _ in range(args.rounds):
        for name, fn in CONTENDERS.items():
            seconds, accs[name] = fn(X, y, args.epochs, dtype)
            times[name].append(1000 * seconds / args.epochs)
    med = {name: float(np.median(t)) for name, t in times.items()}
    bare = med["bare numpy loop"]
    print(f"digits {X.shape[0]}x{X.shape[1]}, net {'-'.join(map(str, SIZES))}, batch {BATCH}, SGD lr {LR}, "
          f"{args.dtype}, {args.epochs} epochs x {args.rounds} rounds (median)")
    print(f"{'':24s}{'ms/epoch':>10s}{'vs bare':>10s}{'vs nnlib':>10s}{'train acc':>11s}")
    for name in CONTENDERS:
        print(f"{name:24s}{med[name]:10.2f}{med[name] / bare:10.2f}{med[name] / med['nnlib Trainer']:10.2f}"
              f"{accs[name]:11.3f}")
    print(f"nnlib / bare = {med['nnlib Trainer'] / bare:.3f} (target <= 1.10); "
          f"sklearn / nnlib = {med['sklearn MLPClassifier'] / med['nnlib Trainer']:.2f} (target ~2)")


if __name__ == "__main__":
    main()

"""The same seed and the same BLAS thread count give bit-identical results, in a fresh process too."""

import os
import subprocess
import sys

import pytest

SCRIPT = r"""
import hashlib, numpy as np, nnlib
X, y = nnlib.datasets.two_moons(0, n_samples=300, noise=0.2)
for dtype in (np.float64, np.float32):
    net = nnlib.MLP([2, 64, 64, 2], dropout=0.2, rng=1, dtype=dtype)
    nnlib.Trainer(net, nnlib.Adam(0.01), batch_size=32, rng=2).fit(X, y, 5)
    digest = hashlib.sha256(b"".join(net.params[k].tobytes() for k in sorted(net.params)))
    print(dtype.__name__, digest.hexdigest())
"""


def run(threads):
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads))
    return subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("threads", [1, 2])
def test_two_processes_with_the_same_seed_and_threads_agree_bit_for_bit(threads):
    first, second = run(threads), run(threads)
    assert first == second and first.count("\n") == 2

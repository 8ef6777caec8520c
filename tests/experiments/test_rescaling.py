"""A ReLU/linear stack at any weight scale from one cached pass: equal to a fresh run."""

import numpy as np
import pytest

from nnlib.experiments.propagation import SignalProbe
from nnlib.experiments.rescaling import HOMOGENEOUS, rescaled_run


@pytest.mark.parametrize("activation", sorted(HOMOGENEOUS))
@pytest.mark.parametrize("scale", [0.05, 0.7, 1.0, 3.0, 60.0])
def test_rescaled_run_equals_a_fresh_run(activation, scale):
    probe, fresh = (SignalProbe(12, 64, 300, rng=3) for _ in range(2))
    cache = {}
    for s in (1.0, scale):  # the second call rescales the first one's cached pass
        r = rescaled_run(probe, activation, s / 64, 12, cache)
    assert len(cache) == 1
    want = fresh.run(activation, scale / 64, 12, dtype=np.float32)  # what the explorer would run
    for name in ("activation_var", "grad_var", "theory_activation_var", "theory_grad_var", "saturated", "dead"):
        np.testing.assert_allclose(getattr(r, name), getattr(want, name), rtol=2e-4, atol=0, err_msg=name)
    np.testing.assert_allclose(r.hist_edges, want.hist_edges, rtol=1e-12)
    # rounding moves a few values across a bin edge: compare the histograms' mass per layer
    assert np.abs(r.hist - want.hist).sum(axis=1).max() * np.diff(r.hist_edges)[0] < 0.01


def test_rescaled_run_falls_back_to_a_fresh_run_for_other_activations():
    probe, cache = SignalProbe(5, 32, 100, rng=0), {}
    r = rescaled_run(probe, "tanh", 1.5 / 32, 5, cache)
    assert cache == {} and r.weight_var == pytest.approx(1.5 / 32)


@pytest.mark.parametrize("args, error, match", [
    (("probe", "relu", 0.1, 3, {}), TypeError, "probe must be a SignalProbe"),
    ((None, "relu", 0.1, 3, []), TypeError, "cache must be a dict"),
    ((None, "relu", -0.1, 3, {}), ValueError, "weight_var"),
    ((None, "relu", 0.1, 9, {}), ValueError, "depth"),
    ((None, "rellu", 0.1, 3, {}), ValueError, "relu"),
])
def test_rescaled_run_rejects_bad_input(args, error, match):
    probe = SignalProbe(5, 16, 20, rng=0)
    args = tuple(probe if a is None else a for a in args)
    with pytest.raises(error, match=match):
        rescaled_run(*args)

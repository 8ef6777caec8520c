"""nnlib.experiments.init_comparison: one net trained from six initializations."""

import numpy as np
import pytest

from nnlib import MLP, datasets
from nnlib.datasets import grid
from nnlib.experiments.init_comparison import DEFAULT_INITS, InitComparison, class1_probability, compare_inits


def _data(name="moons", seed=1):
    return {"moons": lambda rng: datasets.two_moons(rng, 80, noise=0.2),
            "circles": lambda rng: datasets.circles(rng, 80, noise=0.1)}[name](np.random.default_rng(seed))


def _net(init=0.3, activation="tanh", sizes=(2, 6, 5, 1), **kw):
    return MLP(list(sizes), activation=activation, output="sigmoid", weight_init=init, rng=0, **kw)


def test_compare_inits_reproduces_the_course_result(comparisons):
    c = comparisons["circles"]
    assert isinstance(c, InitComparison) and c.names == list(DEFAULT_INITS)
    assert c.train_accuracy["zeros"] == 0.5 and c.test_accuracy["zeros"] == 0.5
    assert c.train_accuracy["He"] > 0.95 and c.test_accuracy["He"] > 0.9
    assert c.train_accuracy["constant 0.1"] < 0.8
    assert c.probability["He"].shape == c.xx.shape == (30, 30)
    assert np.all(c.probability["zeros"] == 0.5)
    assert len(c.runs["He"].loss) == 301
    lines = c.table().splitlines()
    assert len(lines) == 1 + len(DEFAULT_INITS) and "He" in lines[5] and "%" in lines[5]
    assert c.rows()[0][0] == "zeros"


def test_compare_inits_same_seed_same_draws():
    Xa, ya = _data("circles")
    c = compare_inits(0, Xa, ya, Xa, ya, inits={"a": "he_normal", "b": "he_normal", "2a": "glorot_normal"},
                      sizes=(2, 4, 2), steps=0, resolution=5)
    W = {k: c.runs[k].net.params["W1"] for k in c.names}
    assert np.array_equal(W["a"], W["b"])
    assert np.allclose(W["a"] / W["2a"], np.sqrt(2 / 2) / np.sqrt(2 / (2 + 4)))  # same draws, other scale


@pytest.mark.parametrize("bad, exc, match", [
    (dict(inits={}), TypeError, "inits"),
    (dict(inits=["he_normal"]), TypeError, "inits"),
    (dict(sizes=(3, 4, 1)), ValueError, "sizes"),
    (dict(sizes=(2, 4, 3)), ValueError, "sizes"),
    (dict(rng="0"), TypeError, "rng"),
    (dict(rng=-1), ValueError, "rng"),
    (dict(X_train=np.zeros((5, 2, 1))), ValueError, "X_train"),
    (dict(steps=-2), ValueError, "steps"),
])
def test_compare_inits_rejects_bad_input(bad, exc, match):
    Xa, ya = _data()
    args = dict(rng=0, X_train=Xa, y_train=ya, X_test=Xa, y_test=ya, steps=1, resolution=5) | bad
    with pytest.raises(exc, match=match):
        compare_inits(**args)


def test_grid_and_class1_probability():
    X, y = _data()
    xx, yy, points = grid(X, resolution=7, margin=0.5)
    assert xx.shape == yy.shape == (7, 7) and points.shape == (49, 2)
    assert xx.min() == pytest.approx(X[:, 0].min() - 0.5)
    net = _net("glorot_normal")
    p = class1_probability(net, points)
    assert p.shape == (49,) and np.all((p > 0) & (p < 1))
    soft = MLP([2, 3, 2], output="softmax", rng=0)
    assert np.allclose(class1_probability(soft, points), soft.forward(points)[:, 1])
    with pytest.raises(ValueError, match="X"):
        grid(np.zeros((4, 3)))
    with pytest.raises(ValueError, match="binary"):
        class1_probability(MLP([2, 3, 3], rng=0), points)

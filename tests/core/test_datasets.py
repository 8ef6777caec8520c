"""nnlib.datasets: shapes, labels, geometry at zero noise, determinism, train_val_split."""

import numpy as np
import pytest

from nnlib import MLP, Adam, Trainer, datasets


def _rng(seed=0):
    return np.random.default_rng(seed)


CLASSIFICATION = {
    "xor": lambda rng, n: datasets.xor(rng, n),
    "two_moons": lambda rng, n: datasets.two_moons(rng, n),
    "circles": lambda rng, n: datasets.circles(rng, n),
    "spirals": lambda rng, n: datasets.spirals(rng, n),
    "spirals_3": lambda rng, n: datasets.spirals(rng, n, n_classes=3),
}
N_CLASSES = {"xor": 2, "two_moons": 2, "circles": 2, "spirals": 2, "spirals_3": 3}


@pytest.mark.parametrize("name", sorted(CLASSIFICATION))
@pytest.mark.parametrize("n", [12, 120])
def test_classification_shapes_dtypes_balance(name, n):
    X, y = CLASSIFICATION[name](_rng(1), n)
    assert X.shape == (n, 2) and X.dtype == np.float64
    assert y.shape == (n,) and y.dtype == np.int64
    assert np.all(np.isfinite(X))
    k = N_CLASSES[name]
    np.testing.assert_array_equal(np.bincount(y, minlength=k), [n // k] * k)


@pytest.mark.parametrize("name", sorted(CLASSIFICATION))
def test_classification_determinism(name):
    X1, y1 = CLASSIFICATION[name](_rng(2), 60)
    X2, y2 = CLASSIFICATION[name](_rng(2), 60)
    X3, y3 = CLASSIFICATION[name](_rng(3), 60)
    assert X1.tobytes() == X2.tobytes()
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(X1, X3)


@pytest.mark.parametrize("name", sorted(CLASSIFICATION))
def test_rows_are_shuffled(name):
    _, y = CLASSIFICATION[name](_rng(4), 200)
    # labels are not in blocks: the first half holds every class
    assert len(np.unique(y[:100])) == N_CLASSES[name]


def test_defaults():
    assert datasets.xor(_rng())[0].shape == (200, 2)
    assert datasets.two_moons(_rng())[0].shape == (200, 2)
    assert datasets.circles(_rng())[0].shape == (200, 2)
    assert datasets.spirals(_rng())[0].shape == (300, 2)
    assert datasets.noisy_regression(_rng())[0].shape == (30, 1)


def test_xor_labels_follow_the_sign_rule():
    X, y = datasets.xor(_rng(5), 200, noise=0.0)
    assert set(map(tuple, np.abs(X))) == {(1.0, 1.0)}
    np.testing.assert_array_equal(y, (np.sign(X[:, 0]) != np.sign(X[:, 1])).astype(int))
    X, y = datasets.xor(_rng(5), 400, noise=0.2)  # little noise: the rule still holds for most points
    assert np.mean(y == (np.sign(X[:, 0]) != np.sign(X[:, 1]))) > 0.99


def test_xor_is_not_linearly_separable_but_moons_nearly_are():
    def linear_accuracy(X, y):
        net = MLP([2, 2], rng=_rng(6))  # no hidden layer: logistic regression
        Trainer(net, Adam(0.05), batch_size=32, rng=_rng(7)).fit(X, y, epochs=60)
        return net.accuracy(X, y)

    assert linear_accuracy(*datasets.xor(_rng(8), 400)) < 0.7
    assert linear_accuracy(*datasets.two_moons(_rng(8), 400)) > 0.8


def test_two_moons_geometry_without_noise():
    X, y = datasets.two_moons(_rng(9), 101, noise=0.0)
    a, b = X[y == 0], X[y == 1]
    np.testing.assert_allclose(np.hypot(a[:, 0], a[:, 1]), 1.0)  # upper half circle around (0, 0)
    assert np.all(a[:, 1] >= -1e-12)
    np.testing.assert_allclose(np.hypot(b[:, 0] - 1, b[:, 1] - 0.5), 1.0)  # lower half circle around (1, 0.5)
    assert np.all(b[:, 1] <= 0.5 + 1e-12)
    assert len(a) == 50 and len(b) == 51


@pytest.mark.parametrize("factor", [0.3, 0.5, 0.8])
def test_circles_geometry_without_noise(factor):
    X, y = datasets.circles(_rng(10), 100, noise=0.0, factor=factor)
    r = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(r[y == 0], 1.0)
    np.testing.assert_allclose(r[y == 1], factor)


def test_spirals_radius_without_noise():
    X, y = datasets.spirals(_rng(11), 300, n_classes=3, noise=0.0)
    r = np.hypot(X[:, 0], X[:, 1])
    assert np.all((r >= 0.05 - 1e-12) & (r <= 1.0 + 1e-12))


def test_noisy_regression():
    X, y = datasets.noisy_regression(_rng(12), 40, noise=0.0, low=-1.0, high=2.0)
    assert X.shape == (40, 1) and y.shape == (40,)
    assert X.dtype == np.float64 and y.dtype == np.float64
    assert np.all((X >= -1.0) & (X <= 2.0))
    np.testing.assert_allclose(y, np.sin(2 * np.pi * X[:, 0]), atol=1e-15)
    np.testing.assert_allclose(datasets.regression_target(X[:, 0]), y)
    X2, y2 = datasets.noisy_regression(_rng(12), 2000, noise=0.3)
    resid = y2 - datasets.regression_target(X2[:, 0])
    assert resid.std() == pytest.approx(0.3, rel=0.06)
    assert abs(resid.mean()) < 0.03


def test_noisy_regression_determinism():
    a = datasets.noisy_regression(_rng(13), 20)
    b = datasets.noisy_regression(_rng(13), 20)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])


# ------------------------------------------------------------------ train_val_split

def _indexed(n=100, classes=(60, 40)):
    """X rows carry their index, so the split can be traced back; y[i] = label of row i."""
    X = np.column_stack([np.arange(n, dtype=float), np.zeros(n)])
    y = np.repeat(np.arange(len(classes)), classes)
    return X, y


@pytest.mark.parametrize("n, fraction, n_val", [(100, 0.25, 25), (100, 0.1, 10), (10, 0.5, 5), (2, 0.5, 1),
                                                (10, 0.01, 1), (10, 0.99, 9)])
def test_split_sizes(n, fraction, n_val):
    X, y = _indexed(n, (n,))
    X_tr, X_val, y_tr, y_val = datasets.train_val_split(_rng(14), X, y, fraction)
    assert len(X_val) == len(y_val) == n_val
    assert len(X_tr) == len(y_tr) == n - n_val


@pytest.mark.parametrize("stratify", [False, True])
def test_split_disjoint_covering_aligned(stratify):
    X, y = _indexed()
    X0, y0 = X.copy(), y.copy()
    X_tr, X_val, y_tr, y_val = datasets.train_val_split(_rng(15), X, y, 0.25, stratify=stratify)
    i_tr, i_val = X_tr[:, 0].astype(int), X_val[:, 0].astype(int)
    assert len(set(i_tr) & set(i_val)) == 0
    np.testing.assert_array_equal(np.sort(np.concatenate([i_tr, i_val])), np.arange(100))
    np.testing.assert_array_equal(y_tr, y[i_tr])  # labels stay with their rows
    np.testing.assert_array_equal(y_val, y[i_val])
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)
    assert not np.array_equal(i_val, np.sort(i_val))  # shuffled


def test_split_stratify_keeps_proportions():
    X, y = _indexed(100, (60, 40))
    _, _, y_tr, y_val = datasets.train_val_split(_rng(16), X, y, 0.25, stratify=True)
    np.testing.assert_array_equal(np.bincount(y_val), [15, 10])
    np.testing.assert_array_equal(np.bincount(y_tr), [45, 30])


def test_split_stratify_three_classes():
    X, y = _indexed(100, (50, 30, 20))
    _, _, y_tr, y_val = datasets.train_val_split(_rng(17), X, y, 0.2, stratify=True)
    np.testing.assert_array_equal(np.bincount(y_val), [10, 6, 4])


def test_split_determinism():
    X, y = _indexed()
    a = datasets.train_val_split(_rng(18), X, y, 0.3)
    b = datasets.train_val_split(_rng(18), X, y, 0.3)
    c = datasets.train_val_split(_rng(19), X, y, 0.3)
    for u, v in zip(a, b):
        np.testing.assert_array_equal(u, v)
    assert not np.array_equal(a[1], c[1])


def test_split_order_matches_scikit_learn():
    X, y = _indexed()
    X_tr, X_val, y_tr, y_val = datasets.train_val_split(_rng(20), X, y, 0.25)
    assert X_tr.shape == (75, 2) and X_val.shape == (25, 2)
    assert y_tr.shape == (75,) and y_val.shape == (25,)


@pytest.mark.parametrize("kwargs, exc, match", [
    ({"val_fraction": 0.0}, ValueError, "val_fraction"),
    ({"val_fraction": 1.0}, ValueError, "val_fraction"),
    ({"val_fraction": -0.2}, ValueError, "val_fraction"),
    ({"val_fraction": "0.2"}, TypeError, "val_fraction"),
    ({"rng": None}, TypeError, "rng"),
    ({"rng": "0"}, TypeError, "rng"),
])
def test_split_bad_arguments(kwargs, exc, match):
    X, y = _indexed()
    args = {"val_fraction": 0.25, "rng": _rng(21)}
    args.update(kwargs)
    with pytest.raises(exc, match=match):
        datasets.train_val_split(X=X, y=y, **args)


def test_split_bad_data():
    X, y = _indexed()
    with pytest.raises(ValueError, match="same number of rows"):
        datasets.train_val_split(_rng(), X, y[:-1])
    with pytest.raises(ValueError, match="at least 2 rows"):
        datasets.train_val_split(_rng(), X[:1], y[:1])
    with pytest.raises(ValueError, match="X must be 2-D"):
        datasets.train_val_split(_rng(), X[:, 0], y)
    with pytest.raises(ValueError, match="X must be finite"):
        datasets.train_val_split(_rng(), np.full((4, 2), np.nan), np.arange(4))


def test_split_stratify_leaving_one_side_empty():
    X = np.zeros((4, 2))
    y = np.array([0, 1, 2, 3])  # one row per class: 0.25 of each rounds to 0 validation rows
    with pytest.raises(ValueError, match="val_fraction"):
        datasets.train_val_split(_rng(), X, y, 0.25, stratify=True)


@pytest.mark.parametrize("call, exc, match", [
    (lambda: datasets.xor(None), TypeError, "rng"),
    (lambda: datasets.xor("0"), TypeError, "rng"),
    (lambda: datasets.two_moons(_rng(), 0), ValueError, "n_samples"),
    (lambda: datasets.two_moons(_rng(), 10.0), TypeError, "n_samples"),
    (lambda: datasets.circles(_rng(), noise=-0.1), ValueError, "noise"),
    (lambda: datasets.circles(_rng(), factor=1.0), ValueError, "factor"),
    (lambda: datasets.circles(_rng(), factor=0.0), ValueError, "factor"),
    (lambda: datasets.spirals(_rng(), n_classes=1), ValueError, "n_classes"),
    (lambda: datasets.spirals(_rng(), turns=0), ValueError, "turns"),
    (lambda: datasets.noisy_regression(_rng(), low=1.0, high=1.0), ValueError, "low"),
    (lambda: datasets.noisy_regression(_rng(), low=2.0, high=1.0), ValueError, "low"),
    (lambda: datasets.noisy_regression(_rng(), noise=np.nan), ValueError, "noise"),
], ids=["xor_rng_none", "xor_rng_str", "moons_n0", "moons_nfloat", "circles_noise", "circles_factor1",
        "circles_factor0", "spirals_classes", "spirals_turns", "reg_low_eq_high", "reg_low_gt_high", "reg_noise_nan"])
def test_generator_bad_arguments(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_int_seed_is_the_same_as_its_generator():
    X1, y1 = datasets.two_moons(7, 50)
    X2, y2 = datasets.two_moons(np.random.default_rng(7), 50)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)

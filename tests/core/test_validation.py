"""nnlib.validation: the argument checks every public function calls."""

import numpy as np
import pytest

from nnlib import validation as v


def test_check_rng_accepts_generators_and_seeds_and_names_the_argument():
    g = np.random.default_rng(0)
    assert v.check_rng(g) is g
    assert v.check_rng(5).random() == np.random.default_rng(5).random()
    with pytest.raises(TypeError, match="rng is required"):
        v.check_rng(None)
    with pytest.raises(ValueError, match="seed >= 0, got -1"):
        v.check_rng(-1)
    with pytest.raises(TypeError, match="my_rng must be"):
        v.check_rng("0", "my_rng")
    with pytest.raises(TypeError, match="rng"):
        v.check_rng(True)


def test_one_seed_gives_the_same_int_or_one_draw():
    assert v.one_seed(7) == 7
    assert v.one_seed(np.random.default_rng(1)) == int(np.random.default_rng(1).integers(2**32))
    with pytest.raises(ValueError, match="rng"):
        v.one_seed(-3)


@pytest.mark.parametrize("flag", [True, False, np.bool_(True)])
def test_check_bool_accepts_booleans(flag):
    assert v.check_bool(flag, "flag") is bool(flag)


@pytest.mark.parametrize("bad", ["False", 0, 1, None, 1.0])
def test_check_bool_rejects_everything_else(bad):
    with pytest.raises(TypeError, match="restore_best must be True or False"):
        v.check_bool(bad, "restore_best")


def test_check_choice_suggests_the_nearest_name():
    assert v.check_choice("relu", "activation", {"relu", "tanh"}) == "relu"
    with pytest.raises(ValueError, match="activation 'rellu' is unknown; did you mean 'relu'\\?"):
        v.check_choice("rellu", "activation", {"relu", "tanh"})
    with pytest.raises(ValueError, match="must be one of") as info:
        v.check_choice("xyz", "activation", {"relu", "tanh"})
    assert "did you mean" not in str(info.value)
    with pytest.raises(TypeError, match="activation must be a string"):
        v.check_choice(3, "activation", {"relu"})


@pytest.mark.parametrize("dtype", [np.float32, np.float64, "float32", np.dtype("float64")])
def test_check_dtype_accepts_the_two_floats(dtype):
    assert v.check_dtype(dtype) in (np.float32, np.float64)


@pytest.mark.parametrize("bad", [np.int64, "int32", "floaty", np.float16, object])
def test_check_dtype_rejects_the_rest(bad):
    with pytest.raises(TypeError, match="dtype must be np.float32 or np.float64"):
        v.check_dtype(bad)


def test_as_float_array_checks_and_never_copies_needlessly():
    X = np.ones((2, 3))
    assert v.as_float_array(X, "X") is X
    with pytest.raises(ValueError, match="X must be finite, got 1 NaN"):
        v.as_float_array([[1.0, np.nan]], "X")
    with pytest.raises(ValueError, match="reshape"):
        v.as_float_array(np.ones(3), "X")
    with pytest.raises(TypeError, match="X must hold numbers"):
        v.as_float_array(np.array([["a"]]), "X")


def test_check_callable():
    assert v.check_callable(len, "f") is len
    with pytest.raises(TypeError, match="f must be a function, got int"):
        v.check_callable(3, "f")

"""Argument checks shared by every public function of nnlib, nnlib.experiments and nnlib.viz.

Every check raises ``TypeError`` (wrong kind of thing) or ``ValueError`` (right kind,
wrong value) with a message naming the argument, what was expected and what came.
The checks never modify their input; they return the value, possibly converted.
Call these instead of writing the same message by hand in another module.
"""

import difflib
from numbers import Integral, Real

import numpy as np


def as_float_array(X, name, ndim=2, dtype=np.float64, allow_empty=False):
    """Return ``X`` as a float array of ``ndim`` dimensions, checked for NaN/inf.

    ``ndim`` may be an int or a tuple of allowed ints. ``dtype=None`` keeps float32 and float64
    and turns anything else into float64. The result is a new array only when a conversion is
    needed, so callers must not write into it.
    """
    if isinstance(X, (str, bytes)) or X is None:
        raise TypeError(f"{name} must be an array of numbers, got {type(X).__name__}")
    arr = np.asarray(X)
    if arr.dtype == object or not (
        np.issubdtype(arr.dtype, np.number) or arr.dtype == bool
    ):
        raise TypeError(f"{name} must hold numbers, got an array of dtype {arr.dtype}")
    if np.issubdtype(arr.dtype, np.complexfloating):
        raise TypeError(f"{name} must hold real numbers, got dtype {arr.dtype}")
    allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
    if arr.ndim not in allowed:
        hint = ""
        if arr.ndim == 1 and 2 in allowed:
            hint = "; for a single feature use X.reshape(-1, 1), for a single sample X.reshape(1, -1)"
        want = " or ".join(f"{d}-D" for d in allowed)
        raise ValueError(f"{name} must be {want}, got a {arr.ndim}-D array of shape {arr.shape}{hint}")
    if arr.size == 0 and not allow_empty:
        raise ValueError(f"{name} must not be empty, got shape {arr.shape}")
    if dtype is None:
        dtype = arr.dtype if arr.dtype in (np.float32, np.float64) else np.float64
    arr = arr.astype(dtype, copy=False)
    if not np.isfinite(arr).all():
        bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise ValueError(f"{name} must be finite, got {bad} NaN or infinite value(s)")
    return arr


def check_real_dtype(arr, name, what="hold real numbers"):
    """Raise ``TypeError("<name> must <what>, got an array of dtype ...")`` unless the ndarray
    ``arr`` holds real numbers (bool included): not objects, strings or complex numbers."""
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool) \
            or np.issubdtype(arr.dtype, np.complexfloating):
        raise TypeError(f"{name} must {what}, got an array of dtype {arr.dtype}")


def check_n_features(X, expected, name="X"):
    if X.shape[1] != expected:
        raise ValueError(f"{name} must have {expected} features (columns), got shape {X.shape}")


def check_same_length(X, y, x_name="X", y_name="y"):
    if len(X) != len(y):
        raise ValueError(
            f"{x_name} and {y_name} must have the same number of rows, got {len(X)} and {len(y)}"
        )


def as_int_labels(y, name, n_classes):
    """Return 1-D integer labels in ``[0, n_classes)``; integral floats are accepted."""
    arr = np.asarray(y)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array of integer class labels, got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty")
    if arr.dtype == bool:
        arr = arr.astype(np.int64)
    if not np.issubdtype(arr.dtype, np.number) or np.issubdtype(arr.dtype, np.complexfloating):
        raise TypeError(f"{name} must hold integer class labels, got dtype {arr.dtype}")
    if not np.issubdtype(arr.dtype, np.integer):
        if not np.isfinite(arr).all() or not np.all(arr == np.round(arr)):
            raise ValueError(f"{name} must hold integer class labels, got non-integer values")
    lo, hi = arr.min(), arr.max()  # checked before any cast, so huge values cannot wrap around
    if lo < 0 or hi >= n_classes:
        raise ValueError(
            f"{name} must hold labels in [0, {n_classes - 1}] for {n_classes} classes, "
            f"got values from {lo:g} to {hi:g}"
        )
    return arr.astype(np.int64, copy=False)


def check_rng(rng, name="rng"):
    """Accept a ``np.random.Generator`` or an int seed >= 0; return a Generator.

    This is the one way nnlib takes randomness: functions that draw take ``rng`` as their
    first argument, classes that draw take the keyword ``rng``; neither has a default.
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, Integral) and not isinstance(rng, bool):
        if rng < 0:
            raise ValueError(f"{name} must be a np.random.Generator or an int seed >= 0, got {rng}")
        return np.random.default_rng(int(rng))
    if rng is None:
        raise TypeError(f"{name} is required: pass np.random.default_rng(seed) or an int seed")
    raise TypeError(
        f"{name} must be a np.random.Generator (np.random.default_rng(seed)) or an int seed, "
        f"got {type(rng).__name__}"
    )


def one_seed(rng, name="rng"):
    """One int seed from an ``rng`` argument: an int seed as it is, a Generator's next draw.

    For experiments that build several nets which must start from the same weights.
    """
    if isinstance(rng, np.random.Generator):
        return int(rng.integers(2**32))
    check_rng(rng, name)
    return int(rng)


def check_bool(value, name):
    """Accept ``True``/``False`` (or a numpy bool) only: the string ``'False'`` is not a flag."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise TypeError(f"{name} must be True or False, got {type(value).__name__} {value!r}")


def check_callable(value, name, what="a function"):
    if not callable(value):
        raise TypeError(f"{name} must be {what}, got {type(value).__name__}")
    return value


def check_dtype(dtype, name="dtype"):
    """``np.float32`` or ``np.float64`` (or their names); returns a ``np.dtype``."""
    try:
        dt = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"{name} must be np.float32 or np.float64, got {dtype!r}") from None
    if dt not in (np.float32, np.float64):
        raise TypeError(f"{name} must be np.float32 or np.float64, got {dt}")
    return dt


def check_int(value, name, minimum=None, maximum=None):
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"{name} must be an int, got {type(value).__name__} {value!r}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value}")
    return int(value)


def check_real(value, name, minimum=None, maximum=None, min_inclusive=True, max_inclusive=True):
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    if minimum is not None and (value < minimum or (not min_inclusive and value == minimum)):
        op = ">=" if min_inclusive else ">"
        raise ValueError(f"{name} must be {op} {minimum}, got {value}")
    if maximum is not None and (value > maximum or (not max_inclusive and value == maximum)):
        op = "<=" if max_inclusive else "<"
        raise ValueError(f"{name} must be {op} {maximum}, got {value}")
    return value


def did_you_mean(value, choices):
    """``"; did you mean 'relu'?"`` for a near miss among ``choices``, else ``""``."""
    close = difflib.get_close_matches(str(value), [str(c) for c in choices], n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def check_choice(value, name, choices):
    """``value`` must be one of the strings ``choices``; a near miss gets a suggestion."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, one of {sorted(choices)}, got {type(value).__name__}")
    if value not in choices:
        raise ValueError(f"{name} {value!r} is unknown{did_you_mean(value, choices)} "
                         f"({name} must be one of {sorted(choices)})")
    return value


def check_option(value, name, options):
    """``value`` must be one of ``options`` (any values, e.g. the widths a dropdown offers)."""
    if value not in list(options):
        raise ValueError(f"{name} must be one of {list(options)}, got {value!r}")
    return value


def check_interval(value, name, allow_inf=False):
    """A pair ``(low, high)`` of real numbers with ``low < high`` (finite unless ``allow_inf``)."""
    if isinstance(value, (str, bytes)) or not hasattr(value, "__len__") or len(value) != 2:
        raise TypeError(f"{name} must be a pair (low, high), got {value!r}")
    lo, hi = value
    for v in (lo, hi):
        if isinstance(v, bool) or not isinstance(v, Real):
            raise TypeError(f"{name} must hold two real numbers, got {value!r}")
    lo, hi = float(lo), float(hi)
    if np.isnan(lo) or np.isnan(hi) or (not allow_inf and not (np.isfinite(lo) and np.isfinite(hi))):
        raise ValueError(f"{name} must hold two finite numbers, got {value!r}")
    if not lo < hi:
        raise ValueError(f"{name} must have low < high, got {value!r}")
    return lo, hi


def check_same_shape(a, b, a_name, b_name):
    """Two arrays of exactly one shape (no broadcasting: (N, 1) against (N,) is a mistake)."""
    if np.shape(a) != np.shape(b):
        hint = ""
        if len(np.shape(a)) == 2 and np.shape(a)[1] == 1 and np.shape(b) == np.shape(a)[:1]:
            hint = f"; reshape {b_name} with {b_name}.reshape(-1, 1)"
        raise ValueError(f"{a_name} and {b_name} must have the same shape, got {np.shape(a)} and {np.shape(b)}{hint}")


def check_finite_result(value, what, fix):
    """Raise instead of returning NaN or inf: ``what`` overflowed, ``fix`` says how to avoid it."""
    if not np.all(np.isfinite(value)):
        raise ValueError(f"{what} overflowed to inf or NaN; {fix}")
    return value

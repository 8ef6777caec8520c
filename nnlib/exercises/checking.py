"""What every exercise checker shares: a one-line result, "not answered yet", and hints for the
common mistakes.

An exercise in a notebook is a ``solution``-tagged code cell, whose reference answer sits between
``### BEGIN SOLUTION`` and ``### END SOLUTION`` (nbgrader's markers), followed by a ``check``-tagged
cell that calls a checker of this package. The student edition (``make student``) replaces each
solution region by a placeholder:

- inside a function body: ``raise NotImplementedError  # YOUR CODE HERE``;
- at the top level: every ``name = value`` line becomes ``name = ...  # YOUR CODE HERE``.

A checker is a function decorated with :func:`exercise`. It receives what the student wrote (a
function or a value), tests its behaviour on fresh random cases and returns a :class:`Result`,
which a notebook shows as one line starting with "✓" or "✗". A placeholder (a function raising
``NotImplementedError``, or ``...``) gives "✗ not answered yet", never an exception, so the student
edition runs top to bottom. An exception raised by the student's code becomes "✗" with its type
and message. A checker's message never contains the reference answer.
"""

import functools
from dataclasses import dataclass

import numpy as np

PASS, FAIL = "✓", "✗"


@dataclass(frozen=True)
class Result:
    """The outcome of one check: ``passed``, a one-line ``message``, and whether it was ``answered``.

    Its text form (``str`` and the notebook's display) is the line the student sees:
    "✓ message" or "✗ message".
    """

    passed: bool
    message: str
    answered: bool = True

    def __str__(self):
        return f"{PASS if self.passed else FAIL} {self.message}"

    def __repr__(self):
        return str(self)

    def __bool__(self):
        return self.passed


class NotAnswered(Exception):
    """Raised inside a checker when the student's answer is still the placeholder."""


class Mistake(Exception):
    """Raised inside a checker to fail with ``message`` (a hint, never the answer)."""


def passed(message):
    """A passing result."""
    return Result(True, message)


def failed(message):
    """A failing result."""
    return Result(False, message)


def is_placeholder(value):
    """True for the student edition's placeholder values: ``...`` and ``None``."""
    return value is Ellipsis or value is None


def answer(value, name="answer"):
    """``value`` unless it is the placeholder (then :class:`NotAnswered`)."""
    if is_placeholder(value):
        raise NotAnswered(name)
    return value


def call(function, *args, name=None, **kwargs):
    """Call the student's ``function``; its ``NotImplementedError`` means "not answered yet", and
    any other exception becomes a :class:`Mistake` naming it. ``function`` must be callable."""
    label = name or getattr(function, "__name__", "your function")
    if is_placeholder(function):
        raise NotAnswered(label)
    if not callable(function):
        raise Mistake(f"{label} should be a function, but it is a {type(function).__name__}")
    try:
        return function(*args, **kwargs)
    except NotImplementedError:
        raise NotAnswered(label) from None
    except Exception as error:  # the student's bug, reported in one line
        raise Mistake(f"{label} raised {type(error).__name__}: {error}") from None


def number(value, name="your answer"):
    """``value`` as a finite float (a :class:`Mistake` otherwise, :class:`NotAnswered` for ``...``)."""
    answer(value, name)
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) and not (
            isinstance(value, np.ndarray) and value.size == 1):
        raise Mistake(f"{name} should be a number, but it is a {type(value).__name__}")
    value = float(np.asarray(value).reshape(()))
    if not np.isfinite(value):
        raise Mistake(f"{name} should be a finite number, got {value}")
    return value


def array(value, shape, name="your result"):
    """``value`` as a float array of exactly ``shape`` (a :class:`Mistake` naming the shapes otherwise)."""
    if not isinstance(value, (np.ndarray, np.generic, float, int)):
        raise Mistake(f"{name} should be a numpy array of shape {shape}, but it is a {type(value).__name__}")
    value = np.asarray(value, dtype=float)
    if value.shape != tuple(shape):
        hint = " (a (N,) vs (N, 1) mix-up?)" if sorted(value.shape) == sorted(tuple(shape)) or \
            value.size == int(np.prod(shape)) else ""
        raise Mistake(f"{name} has shape {value.shape}, expected {tuple(shape)}{hint}")
    if not np.all(np.isfinite(value)):
        raise Mistake(f"{name} contains NaN or inf")
    return value


def close(actual, expected, rtol=1e-6, atol=0.0):
    """True if ``actual`` and ``expected`` agree elementwise within the tolerances."""
    actual, expected = np.asarray(actual, dtype=float), np.asarray(expected, dtype=float)
    return actual.shape == expected.shape and bool(np.allclose(actual, expected, rtol=rtol, atol=atol))


def diagnose(actual, expected, mistakes, rtol=1e-6, atol=0.0):
    """Compare ``actual`` with ``expected``; on a mismatch raise a :class:`Mistake` whose message is
    the hint of the first entry of ``mistakes`` (a dict hint -> what that mistake would give) that
    ``actual`` matches, or a generic one. Returns None when they agree."""
    if close(actual, expected, rtol, atol):
        return
    for hint, wrong in mistakes.items():
        if close(actual, wrong, rtol, atol):
            raise Mistake(hint)
    raise Mistake("not the expected values yet; re-read the formula above and try a small case by hand")


def unchanged(before, after, name="the input"):
    """A :class:`Mistake` if the student's function modified its input array."""
    if not np.array_equal(before, after):
        raise Mistake(f"your function modified {name} in place; work on a copy (or build a new array)")


def exercise(checker):
    """Decorate a checker ``checker(*answers) -> str`` (the success message): the wrapper returns
    a :class:`Result`: ✓ with that message, ✗ with a :class:`Mistake`'s hint, or "✗ not answered
    yet" for a placeholder. Errors in the checker itself (a bug of nnlib's) still raise."""

    @functools.wraps(checker)
    def check(*args, **kwargs):
        try:
            message = checker(*args, **kwargs)
        except NotAnswered:
            return Result(False, "not answered yet", answered=False)
        except Mistake as mistake:
            return failed(str(mistake))
        return passed(message)

    return check

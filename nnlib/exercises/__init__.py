"""Checkers of the notebooks' exercises, one module per notebook; :mod:`.checking` holds what
they share (the one-line :class:`~nnlib.exercises.checking.Result`, "not answered yet", hints).

| module       | notebook |
|--------------|----------|
| ``checking`` | all: ``Result``, ``exercise``, ``call``, ``diagnose`` ... |

numpy only, like the core: a checker never imports matplotlib or ipywidgets.
"""

from .checking import Result

__all__ = ["Result"]

"""Checkers of the notebooks' exercises, one module per notebook; :mod:`.checking` holds what
they share (the one-line :class:`~nnlib.exercises.checking.Result`, "not answered yet", hints).

| module          | notebook | what its checkers test                                                   |
|-----------------|----------|--------------------------------------------------------------------------|
| ``checking``    | all      | ``Result``, ``exercise``, ``call``, ``number``, ``array``, ``diagnose``  |
| ``tour``        | 00       | a softmax-NLL gradient, the tanh backward, the momentum step, steps at κ |
| ``symmetry``    | 01       | tied units, the clone gap, a zero first layer, the initial loss          |
| ``variance``    | 02       | the He variance, the Glorot bound, the leaky ReLU gain, deep std, fan_in |
| ``normalization``| 03      | 2/λmax, κ with correlated features, a standard scaler, a leaky min-max   |
| ``underfitting``| 04       | per-layer gradient std, dead units, the sigmoid backward, a decay ratio  |
| ``overfitting`` | 05       | bias² and variance of fits, early stopping's step, the L2 gradient       |
| ``batchnorm``   | 06       | the batch-norm forward and backward, the running update, a prediction    |

A checker tests what the student wrote on fresh random cases, answers with one line starting
"✓" or "✗" (with a hint for the common mistake, never the answer), and says "✗ not answered yet"
to the student edition's placeholder. numpy only, like the core.
"""

from .checking import Result

__all__ = ["Result"]

"""A sweep: training and validation error along one setting (degree, width, penalty, size).

Shared by :mod:`nnlib.experiments.polynomials` and :mod:`nnlib.experiments.network_sweeps`,
with the checks of their list arguments and the mean squared error they report.
"""

from dataclasses import dataclass
from typing import Optional

import numpy as np

from ..validation import as_float_array, check_finite_result, check_int, check_real


def mse(prediction, y):
    """Mean squared error between two finite, non-empty arrays of the same shape."""
    prediction = as_float_array(prediction, "prediction", ndim=range(0, 33))
    y = as_float_array(y, "y", ndim=range(0, 33))
    if prediction.shape != y.shape:
        raise ValueError(f"prediction and y must have the same shape, got {prediction.shape} and {y.shape}")
    with np.errstate(over="ignore"):
        value = float(np.mean((prediction - y) ** 2))
    return check_finite_result(value, "the mean squared error", "the predictions are too far from y (rescale them)")


def check_int_list(values, name, minimum):
    if isinstance(values, (str, bytes)) or not hasattr(values, "__len__") or len(values) == 0:
        raise TypeError(f"{name} must be a non-empty list of ints, got {values!r}")
    return np.array([check_int(v, f"each entry of {name}", minimum=minimum) for v in values], dtype=np.int64)


def check_lambdas(lambdas, name="lambdas"):
    if isinstance(lambdas, (str, bytes)) or not hasattr(lambdas, "__len__") or len(lambdas) == 0:
        raise TypeError(f"{name} must be a non-empty list of penalties >= 0, got {lambdas!r}")
    return np.array([check_real(v, f"each entry of {name}", minimum=0.0) for v in lambdas])


@dataclass
class Sweep:
    """Training and validation error along one axis (degree, width, penalty or training-set size).

    ``values`` (S,) are the settings; ``train`` and ``val`` (S,) the matching errors, measured
    by ``metric`` (the mean squared error for regression, the mean cross-entropy for
    classification). Classifier sweeps also fill ``train_accuracy`` and ``val_accuracy`` (S,);
    network sweeps keep their trained ``fits`` (one :class:`~nnlib.experiments.network_sweeps.MLPFit`
    per setting), so a setting chosen from the sweep need not be trained again.
    """

    name: str
    values: np.ndarray
    train: np.ndarray
    val: np.ndarray
    metric: str = "MSE"
    train_accuracy: Optional[np.ndarray] = None
    val_accuracy: Optional[np.ndarray] = None
    fits: Optional[list] = None

    @property
    def gap(self):
        """Validation minus training error (S,): how much the model fits its particular sample."""
        return self.val - self.train

    @property
    def best_index(self):
        """Index of the smallest validation error."""
        return int(np.argmin(self.val))

    def table(self):
        """A text table, one row per setting, 3 significant digits."""
        head = f"{self.name:>12}{'train ' + self.metric:>12}{'val ' + self.metric:>12}{'gap':>12}"
        accuracies = self.train_accuracy is not None and self.val_accuracy is not None
        if accuracies:
            head += f"{'train acc':>12}{'val acc':>12}"
        lines = [head]
        for i, v in enumerate(self.values):
            row = f"{v:>12.3g}{self.train[i]:>#12.3g}{self.val[i]:>#12.3g}{self.gap[i]:>#12.3g}"
            if accuracies:
                row += f"{self.train_accuracy[i]:>12.3f}{self.val_accuracy[i]:>12.3f}"
            lines.append(row)
        return "\n".join(lines)



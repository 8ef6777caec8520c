r"""The same small network trained from several initializations, side by side (notebook 01).

:func:`compare_inits` trains one net per initialization (zeros, a constant, too small, Xavier,
He, too large; :data:`DEFAULT_INITS`) on the same data with the same full-batch gradient descent,
and returns an :class:`InitComparison`: loss curves, accuracies and every net's
:math:`p(y = 1 \mid x)` on a grid, ready for :mod:`nnlib.viz`.
"""

import functools
from dataclasses import dataclass, field

import numpy as np

from .. import initializers
from ..datasets import grid
from ..mlp import MLP, check_net
from ..validation import as_float_array, check_int, check_n_features, check_real, one_seed
from .sweep import check_int_list
from .symmetry import train

#: The initializations compared by :func:`compare_inits` (label -> ``weight_init`` of :class:`MLP`).
#: The random ones all scale the same standard normal draws (same seed), so they differ only in scale.
DEFAULT_INITS = {
    "zeros": 0.0,
    "constant 0.1": 0.1,
    "too small N(0, 0.01²)": functools.partial(initializers.normal, std=0.01),
    "Xavier": "glorot_normal",
    "He": "he_normal",
    "too large N(0, 3²)": functools.partial(initializers.normal, std=3.0),
}


def class1_probability(net, points):
    """:math:`p(y = 1 \\mid x)` of a binary classifier (sigmoid or 2-class softmax output), shape (N,)."""
    net = check_net(net)
    if net.output == "identity" or net.sizes[-1] > 2:
        raise ValueError(f"net must be a binary classifier (sigmoid, or softmax with 2 outputs), got {net!r}")
    points = as_float_array(points, "points", ndim=2)
    check_n_features(points, net.sizes[0], "points")
    return net.forward(points)[:, -1]


@dataclass
class InitComparison:
    """What :func:`compare_inits` computed; every dict is keyed by the initialization's label.

    Attributes
    ----------
    names : list of str -- the labels, in order.
    runs : dict of TrainingRun -- loss curves and trained nets.
    train_accuracy, test_accuracy, final_loss : dict of float.
    xx, yy : ndarray, shape (R, R) -- the grid of the decision-boundary plots.
    probability : dict of ndarray, shape (R, R) -- :math:`p(y=1 \\mid x)` on the grid.
    X_train, y_train, X_test, y_test : the data.
    """

    names: list
    runs: dict
    train_accuracy: dict
    test_accuracy: dict
    final_loss: dict
    xx: np.ndarray
    yy: np.ndarray
    probability: dict
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    settings: dict = field(default_factory=dict)

    def rows(self):
        """``(label, train accuracy, test accuracy, final training loss)`` per initialization."""
        return [(n, self.train_accuracy[n], self.test_accuracy[n], self.final_loss[n]) for n in self.names]

    def table(self):
        """The comparison as aligned text: accuracies in %, 3 significant digits."""
        width = max(len("initialization"), *(len(n) for n in self.names))
        lines = [f"{'initialization':{width}s}  train acc  test acc  final loss"]
        for name, tr, te, loss in self.rows():
            lines.append(f"{name:{width}s}  {100 * tr:7.1f} %  {100 * te:6.1f} %  {loss:10.3g}")
        return "\n".join(lines)


def compare_inits(rng, X_train, y_train, X_test, y_test, inits=None, sizes=(2, 16, 16, 1), activation="relu",
                  steps=500, lr=0.5, resolution=100):
    """Train the same net from each initialization and collect accuracies, curves and boundaries.

    Every net is built from the same seed (so random initializers draw the same standard
    normal numbers and differ only in scale), biases start at 0, and each is trained by
    :func:`nnlib.experiments.symmetry.train` (full-batch gradient descent, the same ``steps``
    and ``lr`` for all).

    Parameters
    ----------
    rng : int seed or np.random.Generator -- a Generator gives one int seed for all the nets.
    X_train : ndarray, shape (N, 2);  y_train : ndarray, shape (N,) -- 0/1 labels.
    X_test : ndarray, shape (M, 2);  y_test : ndarray, shape (M,).
    inits : dict label -> ``weight_init`` of :class:`MLP` (name, number or callable);
        default :data:`DEFAULT_INITS`.
    sizes : layer widths, ``sizes[0] == 2``; ``sizes[-1]`` 1 (sigmoid output) or 2 (softmax).
    activation : hidden activation.  steps : int >= 0.  lr : float > 0.
    resolution : int -- grid points per axis for the decision boundaries.

    Returns
    -------
    InitComparison
    """
    inits = DEFAULT_INITS if inits is None else inits
    if not isinstance(inits, dict) or not inits:
        raise TypeError(f"inits must be a non-empty dict label -> weight_init, got {inits!r}")
    sizes = [int(s) for s in check_int_list(sizes, "sizes", minimum=1)]
    if len(sizes) < 2 or sizes[0] != 2 or sizes[-1] not in (1, 2):
        raise ValueError(f"sizes must start with 2 inputs and end with 1 or 2 outputs, got {sizes}")
    seed = one_seed(rng)
    output = "sigmoid" if sizes[-1] == 1 else "softmax"
    nets = {}
    for name, init in inits.items():  # every net built (and so every argument checked) before training
        try:
            nets[name] = MLP(sizes, activation=activation, output=output, weight_init=init, bias_init=0.0, rng=seed)
        except (TypeError, ValueError) as error:
            if "weight_init" not in str(error):
                raise
            raise type(error)(f"inits[{name!r}]: {error}") from None
    first = next(iter(nets.values()))
    X_train, _ = first.check_data(X_train, y_train, names=("X_train", "y_train"))
    X_test, _ = first.check_data(X_test, y_test, names=("X_test", "y_test"))
    y_train, y_test = np.asarray(y_train).reshape(-1), np.asarray(y_test).reshape(-1)
    check_int(steps, "steps", minimum=0)
    check_real(lr, "lr", minimum=0.0, min_inclusive=False)
    xx, yy, points = grid(np.vstack([X_train, X_test]), resolution)
    runs, train_acc, test_acc, final, prob = {}, {}, {}, {}, {}
    for name, net in nets.items():
        run = train(net, X_train, y_train, steps=steps, lr=lr, record_clone_gaps=False)
        runs[name] = run
        train_acc[name] = run.net.accuracy(X_train, y_train)
        test_acc[name] = run.net.accuracy(X_test, y_test)
        final[name] = float(run.loss[-1])
        prob[name] = class1_probability(run.net, points).reshape(xx.shape)
    settings = {"sizes": sizes, "activation": activation, "steps": steps, "lr": lr, "rng": seed}
    return InitComparison(list(inits), runs, train_acc, test_acc, final, xx, yy, prob,
                          X_train, y_train, X_test, y_test, settings)

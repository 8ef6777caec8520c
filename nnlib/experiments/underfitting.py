r"""The experiments of notebook 04 (underfitting): deep nets that do not fit their training set,
what the per-layer diagnostics show, and which remedies make the optimization work.

- :func:`linear_baseline` -- the best linear classifier on the same data (logistic regression at
  its optimum): a deep net whose training loss is not below it has learned nothing non-linear.
- :func:`make_net` -- a deep MLP from a named initialization (:data:`INITS`).
- :func:`train_diagnosed` -- full-batch training that records, every step, the loss, the
  update-to-weight ratio and the standard deviation of every layer's weight gradient.
- :func:`diagnose` -- :func:`make_net` plus :func:`train_diagnosed` from names (the view's computation).
- :func:`adam_first_step_ratios` -- Adam's first update in closed form, per layer: where the
  gradient is far below :math:`\epsilon` the step is :math:`\alpha g / \epsilon`, not :math:`\alpha\,\mathrm{sign}(g)`.
- :func:`wake_up_steps` -- the first step at which each layer's update ratio reaches a threshold.
- :func:`forward_std_prediction` -- the pre-activation spread predicted with and without the
  activations' mean (the sigmoid's mean of 1/2 is what the "4 x Xavier" rule leaves out).
- :func:`dying_relu` -- the fraction of dead ReLU units before and after training at several
  learning rates (the rule of :func:`nnlib.experiments.diagnostics.dead_units`).

Every run is full batch (one step per epoch) and starts from explicit seeds.
"""

import warnings
from dataclasses import dataclass

import numpy as np

from .. import initializers
from ..callbacks import Callback
from ..mlp import MLP, check_net
from ..optimizers import SGD, Adam
from ..trainer import DivergenceWarning, Trainer
from ..validation import as_float_array, check_choice, check_int, check_real, one_seed
from .diagnostics import UpdateRatio, dead_fractions
from .symmetry import logistic_regression_optimum

#: The named initializations of :func:`make_net` (weights; biases start at 0).
INITS = {
    "N(0, 0.01²)": lambda r, shape: initializers.normal(r, shape, std=0.01),
    "N(0, 1)": lambda r, shape: initializers.normal(r, shape, std=1.0),
    "Xavier": "glorot_normal",
    "4 × Xavier": lambda r, shape: initializers.variance_scaling(r, shape, scale=16.0, mode="fan_avg"),
    "He": "he_normal",
}
#: The optimizers of :func:`diagnose`: name -> factory of the learning rate.
OPTIMIZERS = {
    "SGD": lambda lr: SGD(lr),
    "SGD + momentum 0.9": lambda lr: SGD(lr, momentum=0.9),
    "Adam": lambda lr: Adam(lr),
}


@dataclass
class LinearBaseline:
    """The logistic-regression optimum on the training data: weights ``w`` (D,), bias ``b``, its
    mean cross-entropy ``loss`` (nats) and its training ``accuracy``."""

    w: np.ndarray
    b: float
    loss: float
    accuracy: float


def linear_baseline(X, y):
    r"""The best linear classifier of 0/1 labels ``y`` (N,) from ``X`` (N, D): logistic regression
    at its optimum (:func:`nnlib.experiments.symmetry.logistic_regression_optimum`).

    A two-class softmax net computes a logistic regression on its last hidden layer; with a linear
    stack below it, it could not beat this loss. A training loss below it is the proof that a
    net learned a non-linear boundary."""
    w, b, loss = logistic_regression_optimum(X, y)
    X = as_float_array(X, "X", ndim=2)
    accuracy = float(np.mean((X @ w + b > 0) == (np.asarray(y) == 1)))
    return LinearBaseline(w, b, loss, accuracy)


def make_net(rng, n_inputs=2, n_classes=2, depth=8, width=32, activation="sigmoid", init="N(0, 0.01²)"):
    """An MLP of ``depth`` hidden layers of ``width`` units, softmax output, weights from
    ``INITS[init]`` (drawn from ``rng``, an int seed or a Generator), biases 0."""
    depth = check_int(depth, "depth", minimum=1)
    width = check_int(width, "width", minimum=1)
    init = check_choice(init, "init", set(INITS))
    return MLP([n_inputs] + [width] * depth + [n_classes], activation=activation, weight_init=INITS[init], rng=rng)


class _GradientStd(Callback):
    """Per step: the std of every weight matrix's gradient (full batch: one step per epoch)."""

    def __init__(self, n_layers):
        self.n_layers, self.rows = n_layers, []

    def on_batch_end(self, trainer, loss, grads):
        self.rows.append([float(np.std(grads[f"W{k}"])) for k in range(1, self.n_layers + 1)])


@dataclass
class DiagnosedRun:
    """One full-batch training run, recorded every step.

    Attributes
    ----------
    net : the trained MLP.
    loss : (steps,) -- training loss of each step, before its update (nats).
    ratio : (steps, n_layers) -- update-to-weight ratio :math:`\\|\\Delta W\\|/\\|W\\|` of each step.
    grad_std : (steps, n_layers) -- std of each layer's weight gradient at each step.
    final_loss, accuracy : training loss and accuracy after the last step (evaluation mode).
    diverged : bool -- the loss blew up (the run stopped early; arrays are shorter).
    """

    net: MLP
    loss: np.ndarray
    ratio: np.ndarray
    grad_std: np.ndarray
    final_loss: float
    accuracy: float
    diverged: bool


def train_diagnosed(net, X, y, optimizer, steps=300):
    """Train ``net`` (in place) on all of ``(X, y)`` for ``steps`` full-batch steps of ``optimizer``
    with :class:`nnlib.Trainer`, recording the loss, update ratios and gradient spread of every
    step (a :class:`~nnlib.experiments.diagnostics.UpdateRatio` and a gradient callback).
    Returns a :class:`DiagnosedRun`; a blow-up is reported in ``diverged``, not raised."""
    check_net(net)
    steps = check_int(steps, "steps", minimum=1)
    X, y_checked = net.check_data(X, y)
    ratios, grads = UpdateRatio(), _GradientStd(net.n_layers)
    trainer = Trainer(net, optimizer, batch_size=len(X), shuffle=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DivergenceWarning)
        history = trainer.fit(X, y_checked, epochs=steps, callbacks=[ratios, grads])
    n = len(history.loss)
    final_loss, accuracy = net.evaluate(X, y_checked)
    return DiagnosedRun(net, np.array(history.loss), ratios.ratio[:n],
                        np.array(grads.rows[:n], dtype=float).reshape(n, net.n_layers),
                        float(final_loss), float(accuracy), history.diverged)


def diagnose(rng, X, y, activation="sigmoid", init="N(0, 0.01²)", depth=8, width=32, optimizer="SGD",
             lr=0.05, steps=150):
    """:func:`make_net` from ``rng`` and :func:`train_diagnosed` with ``OPTIMIZERS[optimizer](lr)``."""
    optimizer = check_choice(optimizer, "optimizer", set(OPTIMIZERS))
    lr = check_real(lr, "lr", minimum=0.0, min_inclusive=False)
    X = as_float_array(X, "X", ndim=2)
    labels = np.asarray(y)
    n_classes = max(int(labels.max()) + 1, 2) if labels.size and np.issubdtype(labels.dtype, np.integer) else 2
    net = make_net(one_seed(rng), X.shape[1], n_classes, depth, width, activation, init)
    return train_diagnosed(net, X, y, OPTIMIZERS[optimizer](lr), steps)


def adam_first_step_ratios(net, X, y, lr=1e-3, eps=1e-8):
    r"""Update-to-weight ratio of Adam's first full-batch step, per weight layer, in closed form.

    At step 1 the bias-corrected moments are :math:`\hat m = g` and :math:`\hat s = g^2`, so the
    update is :math:`\alpha\, g / (|g| + \epsilon)`: :math:`\alpha\,\mathrm{sign}(g)` where
    :math:`|g| \gg \epsilon`, but only :math:`\alpha g/\epsilon` where :math:`|g| \ll \epsilon`.
    Returns (n_layers,): :math:`\|\alpha g/(|g|+\epsilon)\|_F / \|W\|_F` per layer (``net`` unchanged).
    """
    check_net(net)
    lr = check_real(lr, "lr", minimum=0.0, min_inclusive=False)
    eps = check_real(eps, "eps", minimum=0.0, min_inclusive=False)
    _, grads = net.loss_and_grads(X, y)
    out = []
    for k in range(1, net.n_layers + 1):
        g, W = grads[f"W{k}"], net.params[f"W{k}"]
        out.append(float(np.linalg.norm(lr * g / (np.abs(g) + eps)) / np.linalg.norm(W)))
    return np.array(out)


def wake_up_steps(ratio, threshold=0.1):
    """For each layer (column of ``ratio``, (steps, n_layers)), the first step (1-based) whose update
    ratio is at least ``threshold``; 0 where it never is. Returns an int array (n_layers,)."""
    ratio = as_float_array(np.nan_to_num(np.asarray(ratio, dtype=float), nan=0.0), "ratio", ndim=2)
    threshold = check_real(threshold, "threshold", minimum=0.0, min_inclusive=False)
    hit = ratio >= threshold
    return np.where(hit.any(axis=0), hit.argmax(axis=0) + 1, 0)


def forward_std_prediction(net, X):
    r"""The spread of each hidden layer's pre-activations, measured and predicted two ways.

    For layer :math:`k \ge 2`, with :math:`n` inputs and the measured :math:`\operatorname{Var}(W^{(k)})`:
    ``with_mean`` :math:`= \sqrt{n \operatorname{Var}(W)\, \mathbb E[h^2]}` (the variance argument with
    the activations' mean kept: :math:`\mathbb E[h^2] = \operatorname{Var}(h) + \mathbb E[h]^2`) and
    ``without_mean`` :math:`= \sqrt{n \operatorname{Var}(W) \operatorname{Var}(h)}` (as if the activations
    were centred, as tanh's are). Returns ``(measured, with_mean, without_mean)``, each
    (n_hidden - 1,), for hidden layers 2, 3, ...
    """
    check_net(net)
    layers = net.trace(X)[:-1]
    measured, with_mean, without_mean = [], [], []
    for k in range(1, len(layers)):
        h, W = layers[k - 1].activation, net.params[f"W{k + 1}"]
        n, var_w = W.shape[0], float(np.var(W))
        measured.append(float(np.std(layers[k].pre_activation)))
        with_mean.append(float(np.sqrt(n * var_w * np.mean(h ** 2))))
        without_mean.append(float(np.sqrt(n * var_w * np.var(h))))
    return np.array(measured), np.array(with_mean), np.array(without_mean)


@dataclass
class DyingReLU:
    """Dead-unit fractions (over all hidden units) of ReLU nets trained at each learning rate.

    ``lrs`` (S,); ``before``, ``after``, ``accuracy`` (S, n_seeds): the fraction of dead hidden
    units at the start and after training, and the training accuracy; ``diverged`` (S, n_seeds) bool.
    """

    lrs: np.ndarray
    before: np.ndarray
    after: np.ndarray
    accuracy: np.ndarray
    diverged: np.ndarray

    def table(self):
        """Mean over seeds and its standard error, one row per learning rate (3 significant digits)."""
        k = self.before.shape[1]
        lines = [f"{'lr':>8}{'dead before':>14}{'dead after':>14}{'± s.e.':>9}{'train acc':>11}{'diverged':>10}"]
        for i, lr in enumerate(self.lrs):
            se = np.std(self.after[i], ddof=1) / np.sqrt(k) if k > 1 else float("nan")
            lines.append(f"{lr:>8.3g}{np.mean(self.before[i]):>14.3f}{np.mean(self.after[i]):>14.3f}{se:>9.3f}"
                         f"{np.mean(self.accuracy[i]):>11.3f}{int(self.diverged[i].sum()):>10d}")
        return "\n".join(lines)


def dying_relu(X, y, lrs, seeds=(0, 1, 2, 3, 4), hidden=(32, 32), steps=50):
    """Train a ReLU + He net with ``hidden`` layers from each seed at each learning rate (plain SGD,
    full batch, ``steps`` steps) and count its dead units (:func:`~nnlib.experiments.diagnostics.dead_fractions`
    on ``X``) before and after. Returns a :class:`DyingReLU`."""
    lrs = as_float_array(lrs, "lrs", ndim=1)
    if np.any(lrs <= 0):
        raise ValueError(f"lrs must be learning rates > 0, got {lrs}")
    seeds = [check_int(s, "each seed", minimum=0) for s in seeds]
    if not seeds:
        raise ValueError("seeds must list at least one seed")
    hidden = [check_int(h, "each entry of hidden", minimum=1) for h in hidden]
    X = as_float_array(X, "X", ndim=2)
    n_classes = max(int(np.max(y)) + 1, 2)
    shape = (len(lrs), len(seeds))
    before, after, accuracy = np.zeros(shape), np.zeros(shape), np.zeros(shape)
    blew_up = np.zeros(shape, dtype=bool)
    for i, lr in enumerate(lrs):
        for j, seed in enumerate(seeds):
            net = MLP([X.shape[1], *hidden, n_classes], activation="relu", weight_init="he_normal", rng=seed)
            before[i, j] = np.mean(dead_fractions(net, X))
            run = train_diagnosed(net, X, y, SGD(float(lr)), steps)
            after[i, j] = np.mean(dead_fractions(net, X))
            accuracy[i, j], blew_up[i, j] = run.accuracy, run.diverged
    return DyingReLU(lrs, before, after, accuracy, blew_up)

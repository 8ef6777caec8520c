r"""Training deep networks in practice (notebook 06): He against Xavier over 30 ReLU layers, and
what batch normalization changes.

- :func:`layer_profile` -- per-layer spread of one forward and backward pass, in the mode the net
  trains in (batch statistics for a batch-norm net); :func:`init_profiles` -- the same freshly
  initialized net with and without batch norm (what the interactive view draws).
- :func:`train_deep` -- train one deep net with :class:`nnlib.Trainer` and record its per-layer
  profile before the first step.
- :func:`scale_sweep` -- the same net with its hidden weights multiplied by each of several
  scales, with and without batch norm: final training loss against the initial scale.
- :func:`lr_sweep` -- final training accuracy against the learning rate.
- :func:`batch_statistics_accuracy` -- the classic bug: evaluating a batch-norm net with the
  statistics of the batch being evaluated instead of its running statistics.

Every run shares the same seeds, so runs differ only in the setting that is swept. A run whose
loss blows up is reported (``diverged``), not raised.
"""

import warnings
from dataclasses import dataclass

import numpy as np

from ..mlp import MLP, check_net
from ..optimizers import SGD
from ..trainer import DivergenceWarning, History, Trainer
from ..validation import as_float_array, check_bool, check_int, check_real, one_seed


@dataclass
class LayerProfile:
    r"""Standard deviations (over all entries) of what each layer computed for one batch.

    Hidden-layer arrays have one entry per hidden layer (index 0 = the first): ``linear_std`` of
    :math:`hW` (before batch norm; the pre-activation of a plain net), ``pre_activation_std`` of
    what enters the nonlinearity (:math:`\gamma\hat a + \beta` with batch norm) and
    ``activation_std`` of :math:`h`. ``grad_W_std`` has one entry per weight layer, the output
    layer last: the spread of :math:`\partial L/\partial W^{(k)}` of the mean data loss.
    """

    linear_std: np.ndarray
    pre_activation_std: np.ndarray
    activation_std: np.ndarray
    grad_W_std: np.ndarray

    @property
    def depth(self):
        return len(self.activation_std)


def layer_profile(net, X, y):
    """One forward and backward pass of ``(X, y)`` (one batch, at least 2 rows) through ``net``,
    in training mode for a batch-norm net (batch statistics, running ones left alone; no
    dropout), evaluation mode otherwise. Returns a :class:`LayerProfile`."""
    net = check_net(net)
    if net.dropout > 0.0:
        raise ValueError(f"net has dropout {net.dropout}: layer_profile measures nets without dropout")
    layers = net.trace(X, y, training=net.batch_norm)
    hidden = layers[:-1]
    linear = [t.pre_activation if t.linear is None else t.linear for t in hidden]
    return LayerProfile(linear_std=np.array([np.std(a) for a in linear]),
                        pre_activation_std=np.array([np.std(t.pre_activation) for t in hidden]),
                        activation_std=np.array([np.std(t.activation) for t in hidden]),
                        grad_W_std=np.array([np.std(t.grad_W) for t in layers]))


@dataclass
class DeepRun:
    """One trained deep net: ``net``, its ``history``, and ``start``, the :class:`LayerProfile`
    of one forward and backward pass over the training data before the first step."""

    net: MLP
    history: History
    start: LayerProfile

    @property
    def final_loss(self):
        """Mean training loss of the last completed epoch (NaN when none completed)."""
        return self.history.loss[-1] if self.history.loss else float("nan")

    @property
    def final_accuracy(self):
        """Training accuracy of the last completed epoch (0 when none completed)."""
        return self.history.accuracy[-1] if self.history.accuracy else 0.0


def make_deep_net(rng, n_inputs, n_classes, depth=30, width=32, activation="relu", weight_init="he_normal",
                  scale=1.0, batch_norm=False):
    """An MLP of ``depth`` hidden layers of ``width`` units whose hidden weights are ``scale`` times
    the draws of ``weight_init`` (the output layer is left as drawn, so ``scale`` changes only the
    stack that batch norm can normalize)."""
    depth = check_int(depth, "depth", minimum=1)
    width = check_int(width, "width", minimum=1)
    scale = check_real(scale, "scale", minimum=0.0, min_inclusive=False)
    net = MLP([n_inputs] + [width] * depth + [n_classes], activation=activation, weight_init=weight_init,
              batch_norm=check_bool(batch_norm, "batch_norm"), rng=rng)
    for k in range(1, net.n_layers):
        net.params[f"W{k}"] *= scale
    return net


def _n_classes(y):
    labels = np.asarray(y)
    return max(int(labels.max()) + 1, 2) if labels.size and np.issubdtype(labels.dtype, np.integer) else 2


def init_profiles(rng, X, y, depth=30, width=32, activation="relu", weight_init="he_normal", scale=1.0):
    """:func:`layer_profile` of the net :func:`make_deep_net` draws from ``rng``, before any training,
    without and with batch norm (the same weights): a dict ``{"plain": ..., "batch norm": ...}``."""
    seed = one_seed(rng)
    X = as_float_array(X, "X", ndim=2)
    profiles = {}
    for label, bn in (("plain", False), ("batch norm", True)):
        net = make_deep_net(seed, X.shape[1], _n_classes(y), depth, width, activation, weight_init, scale, bn)
        with np.errstate(over="ignore", invalid="ignore", under="ignore"):
            profiles[label] = layer_profile(net, X, y)
    return profiles


def train_deep(rng, X, y, depth=30, width=32, activation="relu", weight_init="he_normal", scale=1.0,
               batch_norm=False, lr=0.01, momentum=0.9, batch_size=50, epochs=60, callbacks=()):
    """Build :func:`make_deep_net` from ``rng`` and train it with SGD + momentum on ``(X, y)``.

    X : (N, D);  y : (N,) integer labels;  lr, momentum : of :class:`nnlib.SGD`;  batch_size,
    epochs, callbacks : of :meth:`nnlib.Trainer.fit` (e.g. a progress indicator). ``rng`` (an int
    seed or a Generator) gives the weights and the minibatch order. Returns a :class:`DeepRun`.
    """
    seed = one_seed(rng)
    X = as_float_array(X, "X", ndim=2)
    net = make_deep_net(seed, X.shape[1], _n_classes(y), depth, width, activation, weight_init, scale, batch_norm)
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        start = layer_profile(net, X, y)
    trainer = Trainer(net, SGD(lr, momentum), batch_size=batch_size, rng=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DivergenceWarning)  # reported as history.diverged
        history = trainer.fit(X, y, check_int(epochs, "epochs", minimum=1), callbacks=callbacks)
    return DeepRun(net, history, start)


@dataclass
class SettingSweep:
    """Final training loss and accuracy of one run per setting (``values``, (S,)), with and without
    batch norm: ``loss``/``accuracy`` dicts keyed ``"plain"`` and ``"batch norm"``, each (S,);
    ``diverged`` likewise (bool). A diverged run's loss is NaN and its accuracy 0."""

    name: str
    values: np.ndarray
    loss: dict
    accuracy: dict
    diverged: dict


def _sweep(name, rng, X, y, values, setting, options):
    values = as_float_array(values, name, ndim=1)
    seed = one_seed(rng)
    loss, accuracy, blew_up = {}, {}, {}
    for label, bn in (("plain", False), ("batch norm", True)):
        runs = [train_deep(seed, X, y, batch_norm=bn, **{setting: float(v)}, **options) for v in values]
        loss[label] = np.array([r.final_loss if not r.history.diverged else np.nan for r in runs])
        accuracy[label] = np.array([r.final_accuracy if not r.history.diverged else 0.0 for r in runs])
        blew_up[label] = np.array([r.history.diverged for r in runs])
    return SettingSweep(name, values, loss, accuracy, blew_up)


def scale_sweep(rng, X, y, scales, **train_options):
    """:func:`train_deep` once per initial weight scale, without and with batch norm (same seed)."""
    if "scale" in train_options or "batch_norm" in train_options:
        raise TypeError("scale_sweep sets scale and batch_norm itself: pass the scales as scales")
    return _sweep("scales", rng, X, y, scales, "scale", train_options)


def lr_sweep(rng, X, y, lrs, **train_options):
    """:func:`train_deep` once per learning rate, without and with batch norm (same seed)."""
    if "lr" in train_options or "batch_norm" in train_options:
        raise TypeError("lr_sweep sets lr and batch_norm itself: pass the learning rates as lrs")
    return _sweep("lrs", rng, X, y, lrs, "lr", train_options)


def batch_statistics_accuracy(net, X, y):
    """Accuracy on ``(X, y)`` when the batch-norm layers normalize with *this batch's* statistics
    (training mode, without updating the running ones) instead of the running statistics: the
    mistake of evaluating in training mode. ``X`` is one batch (at least 2 rows)."""
    net = check_net(net)
    if not net.batch_norm:
        raise ValueError("net has no batch normalization: its evaluation does not depend on the batch")
    logits = net.trace(X, training=True)[-1].pre_activation
    labels = net.labels_from_logits(logits)
    return float(np.mean(labels == np.asarray(y).ravel()))

"""Capacity and regularization with networks: train an MLP, sweep its width or its L2 penalty.

MLPs are trained with :class:`nnlib.Trainer` (full-batch Adam, optionally with a decaying
learning rate, early stopping, dropout), as regressors or classifiers. Errors are the
network's own mean data loss: MSE for regression, cross-entropy in nats for a classifier.
The same sweeps with polynomials are :mod:`nnlib.experiments.polynomials`.
"""

from dataclasses import dataclass
from typing import Optional

import numpy as np

from ..callbacks import EarlyStopping, LearningRateDecay
from ..mlp import MLP
from ..optimizers import Adam
from ..trainer import Trainer
from ..validation import as_float_array, check_bool, check_choice, check_int, check_real, check_rng, check_same_length, one_seed
from .sweep import Sweep, check_int_list, check_lambdas

@dataclass
class MLPFit:
    """Result of :func:`fit_mlp`: the trained ``net``, its ``history``, and its final losses and
    accuracies in evaluation mode (no dropout, no penalty).

    ``train``/``val`` are the mean data loss (MSE for regression, cross-entropy in nats for
    classification); ``train_accuracy``/``val_accuracy`` are None for regression.
    """

    net: MLP
    history: object
    train: float
    val: float
    train_accuracy: Optional[float] = None
    val_accuracy: Optional[float] = None

    @property
    def epochs(self):
        """Epochs actually run (fewer than asked when early stopping fired)."""
        return self.history.epochs


def fit_mlp(rng, X_train, y_train, X_val, y_val, hidden=(32, 32), activation="relu", output="identity",
            weight_init=None, l2=0.0, dropout=0.0, epochs=1000, lr=0.01, final_lr=None, patience=None,
            track_validation=False):
    """Train an MLP with full-batch Adam and report its training and validation loss.

    Parameters
    ----------
    rng : int or np.random.Generator -- an int seed gives every call the same initial weights
        (and dropout masks), so runs that share it differ only in the settings you changed.
    X_train : (N, D);  X_val : (M, D)
    y_train : (N,);  y_val : (M,) -- real targets (``output="identity"``) or integer labels
        (``output="softmax"``).
    hidden : list of int -- hidden-layer widths.
    activation : str -- hidden nonlinearity.
    output : {"identity", "softmax"} -- regression with squared error, or classification with
        cross-entropy (then accuracies are reported too).
    weight_init : str or callable, optional -- default ``"he_normal"`` for ReLU,
        ``"glorot_normal"`` otherwise.
    l2 : float >= 0 -- :math:`\\lambda` of the L2 penalty on the weights.
    dropout : float in [0, 1) -- dropout probability on every hidden layer.
    epochs : int -- full-batch steps (one per epoch).
    lr : float -- Adam's learning rate at the start.
    final_lr : float, optional -- decay the rate exponentially to this value at the last epoch
        (:class:`LearningRateDecay`); default: keep ``lr``.
    patience : int, optional -- early stopping on the validation loss with this patience;
        the net gets back its best epoch's weights.
    track_validation : bool -- evaluate the validation set after every epoch (``history.val_loss``);
        always on with ``patience``.

    Returns
    -------
    MLPFit
    """
    X_train = as_float_array(X_train, "X_train", ndim=2)
    X_val = as_float_array(X_val, "X_val", ndim=2)
    output = check_choice(output, "output", {"identity", "softmax"})
    for name, y in (("y_train", y_train), ("y_val", y_val)):
        if y is None or isinstance(y, (str, bytes)):
            what = "real targets" if output == "identity" else "integer class labels"
            raise TypeError(f"{name} must be an array of {what}, got {type(y).__name__}")
    if output == "identity":
        y_train = as_float_array(y_train, "y_train", ndim=1)
        y_val = as_float_array(y_val, "y_val", ndim=1)
    check_same_length(X_train, y_train, "X_train", "y_train")
    check_same_length(X_val, y_val, "X_val", "y_val")
    if X_val.shape[1] != X_train.shape[1]:
        raise ValueError(f"X_val must have {X_train.shape[1]} columns like X_train, got shape {X_val.shape}")
    if output == "identity":
        n_out = 1
    else:
        y_all = np.concatenate([np.asarray(y_train).ravel(), np.asarray(y_val).ravel()])
        if y_all.size == 0 or not np.issubdtype(y_all.dtype, np.integer) or y_all.min() < 0:
            raise ValueError("output='softmax' needs integer class labels >= 0 in y_train and y_val")
        n_out = max(int(y_all.max()) + 1, 2)
    hidden = [int(w) for w in check_int_list(hidden, "hidden", minimum=1)]
    epochs = check_int(epochs, "epochs", minimum=1)
    lr = check_real(lr, "lr", minimum=0.0, min_inclusive=False)
    callbacks = []
    if final_lr is not None:
        final_lr = check_real(final_lr, "final_lr", minimum=0.0, maximum=lr, min_inclusive=False)
        callbacks.append(LearningRateDecay((final_lr / lr) ** (1.0 / max(epochs - 1, 1))))
    if patience is not None:
        patience = check_int(patience, "patience", minimum=0)
        callbacks.append(EarlyStopping("val_loss", patience=patience, restore_best=True))
    if weight_init is None:
        weight_init = "he_normal" if activation == "relu" else "glorot_normal"
    check_rng(rng)  # an int seed: the net and the trainer each start a Generator from it
    net = MLP([X_train.shape[1], *hidden, n_out], activation=activation, output=output,
              weight_init=weight_init, l2=l2, dropout=dropout, rng=rng)
    trainer = Trainer(net, Adam(lr=lr), batch_size=len(X_train), rng=rng)
    watch = (X_val, y_val) if (check_bool(track_validation, "track_validation") or patience is not None) else None
    history = trainer.fit(X_train, y_train, epochs, validation_data=watch, callbacks=callbacks)
    fit = MLPFit(net, history, net.loss(X_train, y_train), net.loss(X_val, y_val))
    if output == "softmax":
        fit.train_accuracy, fit.val_accuracy = net.accuracy(X_train, y_train), net.accuracy(X_val, y_val)
    return fit


def _sweep(name, values, fits):
    sweep = Sweep(name, np.asarray(values), np.array([f.train for f in fits]), np.array([f.val for f in fits]),
                  fits=list(fits))
    if fits[0].train_accuracy is not None:
        sweep.metric = "loss"
        sweep.train_accuracy = np.array([f.train_accuracy for f in fits])
        sweep.val_accuracy = np.array([f.val_accuracy for f in fits])
    return sweep


def width_sweep(rng, widths, X_train, y_train, X_val, y_val, depth=2, **fit_options):
    """Train one MLP per hidden width (``depth`` hidden layers of that width); a capacity sweep.

    Every net is built from the same seed (one int drawn from ``rng`` if it is a Generator).
    ``fit_options`` go to :func:`fit_mlp` (e.g. ``epochs``, ``lr``, ``output``).
    Returns a :class:`Sweep` with ``values = widths`` (metric "loss", with accuracies, for a classifier)
    and the trained nets in ``fits``.
    """
    widths = check_int_list(widths, "widths", minimum=1)
    depth = check_int(depth, "depth", minimum=1)
    if "hidden" in fit_options:
        raise TypeError("width_sweep sets hidden itself: pass widths and depth, not hidden=")
    seed = one_seed(rng)
    fits = [fit_mlp(seed, X_train, y_train, X_val, y_val, hidden=[int(w)] * depth, **fit_options) for w in widths]
    return _sweep("width", widths, fits)


def l2_sweep(rng, lambdas, X_train, y_train, X_val, y_val, **fit_options):
    """Train one MLP per L2 penalty :math:`\\lambda` (same initial weights for all); a regularization sweep.

    ``fit_options`` go to :func:`fit_mlp`. Returns a :class:`Sweep` with ``values = lambdas`` and the
    trained nets in ``fits``.
    """
    lambdas = check_lambdas(lambdas)
    if "l2" in fit_options:
        raise TypeError("l2_sweep sets l2 itself: pass the penalties as lambdas, not l2=")
    seed = one_seed(rng)
    fits = [fit_mlp(seed, X_train, y_train, X_val, y_val, l2=float(lam), **fit_options) for lam in lambdas]
    return _sweep("lambda", lambdas, fits)


@dataclass
class StopPoint:
    """Where early stopping ends on a validation curve (see :func:`early_stopping_point`).

    best_step : 1-based step of the best value seen before stopping (the weights it restores).
    stop_step : 1-based step after which training stops; the last step if patience never ran out.
    stopped : whether patience ran out before the end of the curve.
    """

    best_step: int
    stop_step: int
    stopped: bool


def early_stopping_point(val_loss, patience, min_delta=0.0):
    r"""Replay :class:`nnlib.EarlyStopping` on a recorded validation curve, without training.

    Step :math:`t` (1-based) improves on the best value :math:`b` so far if
    :math:`v_t < b - \text{min\_delta}` (the first step always does); otherwise, once
    :math:`t - t_\text{best} \ge` ``patience``, training stops after step :math:`t`. Because the
    run up to the stop is the same with or without the callback, replaying the full curve gives
    the stop of a real run (``tests/experiments/test_network_sweeps.py`` checks this).

    Parameters
    ----------
    val_loss : (T,) finite -- the validation loss after each step (``history.val_loss``).
    patience : int >= 0;  min_delta : float >= 0

    Returns
    -------
    StopPoint
    """
    v = as_float_array(val_loss, "val_loss", ndim=1)
    if len(v) == 0:
        raise ValueError("val_loss must hold at least one value, got an empty array")
    patience = check_int(patience, "patience", minimum=0)
    min_delta = check_real(min_delta, "min_delta", minimum=0.0)
    best, best_step = v[0], 1
    for t in range(2, len(v) + 1):
        if v[t - 1] < best - min_delta:
            best, best_step = v[t - 1], t
        elif t - best_step >= patience:
            return StopPoint(best_step, t, True)
    return StopPoint(best_step, len(v), False)

"""Minibatch training: epochs, shuffling, validation, divergence detection, callbacks.

One epoch is one pass over the training set in a fresh random order, cut into minibatches
of ``batch_size`` rows; after each minibatch the optimizer takes one step. Nothing here
draws anything on screen: progress displays are callbacks (see :mod:`nnlib.callbacks`).
"""

import time
import warnings
from dataclasses import dataclass, field

import numpy as np

from ._validation import check_int, check_rng

DIVERGENCE_FACTOR = 1000.0


class DivergenceWarning(RuntimeWarning):
    """Training stopped because the loss blew up (see :attr:`History.diverged`)."""


@dataclass
class History:
    """Per-epoch record of a :meth:`Trainer.fit` run.

    ``loss``/``accuracy`` average the training minibatches of each epoch as they were seen
    (training mode: with dropout, including the penalty in ``loss``); ``val_loss`` and
    ``val_accuracy`` evaluate the validation set after the epoch (no dropout, no penalty).
    Accuracies stay empty for a regression net.
    """

    loss: list = field(default_factory=list)
    accuracy: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    val_accuracy: list = field(default_factory=list)
    diverged: bool = False
    message: str = ""
    seconds: float = 0.0

    @property
    def epochs(self):
        """Number of completed epochs."""
        return len(self.loss)

    def __repr__(self):
        last = f", last loss {self.loss[-1]:.4g}" if self.loss else ""
        val = f", last val_loss {self.val_loss[-1]:.4g}" if self.val_loss else ""
        flag = ", diverged" if self.diverged else ""
        return f"History({self.epochs} epochs{last}{val}{flag})"


class Trainer:
    """Train a model with an optimizer on minibatches.

    Parameters
    ----------
    net : MLP (anything with ``check_data``, ``_loss_and_grads``, ``params``)
    optimizer : SGD, Adam (anything with ``step(params, grads)``)
    batch_size : int >= 1 -- rows per minibatch (the last one of an epoch may be smaller).
    rng : np.random.Generator or int -- shuffles the rows every epoch.
    """

    def __init__(self, net, optimizer, batch_size=32, rng=None):
        if not (hasattr(net, "check_data") and hasattr(net, "_loss_and_grads") and hasattr(net, "params")):
            raise TypeError(f"net must be an nnlib.MLP (or provide check_data, _loss_and_grads and params), "
                            f"got {type(net).__name__}")
        if not hasattr(optimizer, "step"):
            raise TypeError(f"optimizer must have a step(params, grads) method, got {type(optimizer).__name__}")
        self.net = net
        self.optimizer = optimizer
        self.batch_size = check_int(batch_size, "batch_size", minimum=1)
        if rng is None:
            raise TypeError("rng is required: pass np.random.default_rng(seed) or an int seed")
        self.rng = check_rng(rng)
        self.stop_training = False

    def __repr__(self):
        return f"Trainer({self.net!r}, {self.optimizer!r}, batch_size={self.batch_size})"

    def fit(self, X, y, epochs, validation_data=None, callbacks=(), progress=False):
        """Train for ``epochs`` passes over ``(X, y)``; returns a :class:`History`.

        Parameters
        ----------
        X : (N, n_inputs);  y : targets as the net's loss expects them.
        epochs : int >= 0
        validation_data : ``(X_val, y_val)``, optional -- evaluated after every epoch.
        callbacks : iterable of :class:`nnlib.callbacks.Callback` -- e.g. ``EarlyStopping``.
        progress : bool -- True adds a :class:`nnlib.callbacks.ProgressBar`, a one-line text
            display that appears only when the run lasts longer than two seconds.

        Training stops early, with ``history.diverged = True`` and a single
        :class:`DivergenceWarning`, when a minibatch loss is NaN/inf or exceeds 1000 times
        the first minibatch's loss.
        """
        from .callbacks import Callback, ProgressBar

        epochs = check_int(epochs, "epochs", minimum=0)
        X, y = self.net.check_data(X, y)
        if validation_data is not None:
            if not (isinstance(validation_data, (tuple, list)) and len(validation_data) == 2):
                raise TypeError("validation_data must be a pair (X_val, y_val)")
            X_val, y_val = self.net.check_data(*validation_data, names=("X_val", "y_val"))
        if isinstance(callbacks, Callback) or not hasattr(callbacks, "__iter__"):
            raise TypeError(f"callbacks must be a list of Callback instances, got {type(callbacks).__name__}; "
                            "wrap a single one in a list: callbacks=[cb]")
        callbacks = list(callbacks)
        for cb in callbacks:
            if not isinstance(cb, Callback):
                raise TypeError(f"callbacks must be Callback instances, got {type(cb).__name__}")
        if progress:
            callbacks.append(ProgressBar())

        net, step, bs = self.net, self.optimizer.step, self.batch_size
        classifier = net.output != "identity"
        n = len(X)
        history = History()
        self.stop_training = False
        self.has_validation = validation_data is not None
        first = None
        start = time.perf_counter()
        for cb in callbacks:
            cb.on_train_begin(self, history, epochs)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for epoch in range(1, epochs + 1):
                order = self.rng.permutation(n)
                total_loss, correct = 0.0, 0
                for i in range(0, n, bs):
                    idx = order[i:i + bs]
                    xb, yb = X[idx], y[idx]
                    loss, _, grads, logits = net._loss_and_grads(xb, yb, training=True)
                    if first is None:
                        first = loss
                    if not np.isfinite(loss) or (first > 0 and loss > DIVERGENCE_FACTOR * first):
                        history.diverged = True
                        history.message = (
                            f"Training diverged in epoch {epoch}, minibatch {i // bs + 1}: loss {loss:.4g} "
                            f"(first minibatch {first:.4g}). Stopped; try a smaller learning rate than "
                            f"{self.optimizer!r} or a smaller initial weight scale."
                        )
                        break
                    step(net.params, grads)
                    total_loss += loss * len(idx)
                    if classifier:
                        correct += _count_correct(logits, yb)
                if history.diverged:
                    break
                history.loss.append(total_loss / n)
                if classifier:
                    history.accuracy.append(correct / n)
                if validation_data is not None:
                    logits, _ = net._forward(X_val, training=False)
                    history.val_loss.append(net._loss_fn(logits, y_val)[0])
                    if classifier:
                        history.val_accuracy.append(_count_correct(logits, y_val) / len(X_val))
                history.seconds = time.perf_counter() - start
                for cb in callbacks:
                    cb.on_epoch_end(self, history)
                if self.stop_training:
                    break
        history.seconds = time.perf_counter() - start
        for cb in callbacks:
            cb.on_train_end(self, history)
        if history.diverged:
            warnings.warn(history.message, DivergenceWarning, stacklevel=2)
        return history


def _count_correct(logits, y):
    """Correct predictions from logits: argmax for softmax, a > 0 for sigmoid (y is (N, 1))."""
    if y.ndim == 1:
        return int(np.count_nonzero(logits.argmax(axis=1) == y))
    return int(np.count_nonzero((logits > 0) == (y > 0.5)))

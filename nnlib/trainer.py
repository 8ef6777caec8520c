"""Minibatch training: epochs, shuffling, validation, divergence detection, callbacks.

One epoch is one pass over the training set in a fresh random order, cut into minibatches
of ``batch_size`` rows; after each minibatch the optimizer takes one step. Nothing here
draws anything on screen: progress displays are callbacks (see :mod:`nnlib.callbacks`).

:func:`diverged` is nnlib's one rule for "the loss blew up"; the Trainer and the descent
experiments both use it.
"""

import inspect
import time
import warnings
from dataclasses import dataclass, field

import numpy as np

from .callbacks import Callback, ProgressBar
from .validation import check_bool, check_int, check_rng

#: A loss this many times larger than the first one (or than 1, whichever is larger) is a blow-up.
DIVERGENCE_FACTOR = 1000.0


def diverged(loss, first_loss, factor=DIVERGENCE_FACTOR):
    r"""The one divergence rule: the loss is NaN or infinite, or
    :math:`|\text{loss}| > \text{factor} \cdot \max(|\text{first\_loss}|, 1)`.

    The floor of 1 keeps a run that starts near a loss of 0 from counting as a blow-up the
    moment its loss rises a little.
    """
    return not np.isfinite(loss) or abs(loss) > factor * max(abs(first_loss), 1.0)


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
    net : MLP (anything with ``check_data``, ``objective``, ``evaluate``, ``count_correct``,
        ``params``, ``output``)
    optimizer : SGD, Adam (anything with ``step(params, grads)``)
    batch_size : int >= 1 -- rows per minibatch (the last one of an epoch may be smaller).
    rng : np.random.Generator or int -- shuffles the rows every epoch (required when ``shuffle``).
    shuffle : bool -- False keeps the rows in their order (full-batch runs need no shuffling).

    Attributes
    ----------
    stop_training : bool -- a callback sets it to end training after the current epoch.
    has_validation : bool -- whether the running :meth:`fit` got ``validation_data``.
    """

    def __init__(self, net, optimizer, batch_size=32, rng=None, shuffle=True):
        needs = ("check_data", "objective", "evaluate", "count_correct", "params", "output")
        if not all(hasattr(net, a) for a in needs):
            raise TypeError(f"net must be an nnlib.MLP (or provide {', '.join(needs)}), got {type(net).__name__}")
        if not callable(getattr(optimizer, "step", None)):
            raise TypeError(f"optimizer must have a step(params, grads) method, got {type(optimizer).__name__}")
        self.net = net
        self.optimizer = optimizer
        self.batch_size = check_int(batch_size, "batch_size", minimum=1)
        self.shuffle = check_bool(shuffle, "shuffle")
        self.rng = check_rng(rng) if self.shuffle or rng is not None else None
        self.stop_training = False
        self.has_validation = False
        # The weights before the latest step, to return to after a blow-up. An optimizer whose step
        # takes out= writes the new weights into spare buffers that are then swapped in: no copy.
        accepts = inspect.signature(optimizer.step).parameters
        self._writes_out = "out" in accepts
        self._step_options = {"check": False} if "check" in accepts else {}  # our own grads need no check
        self._before_step, self._own = {}, {}

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
        :class:`DivergenceWarning`, when a minibatch loss :func:`diverged`; the net is then
        left with its last finite weights, those before the step that blew up.
        """
        X, y, validation, callbacks, epochs = self._check_fit_args(X, y, epochs, validation_data, callbacks, progress)
        history = History()
        self.stop_training = False
        self.has_validation = validation is not None
        self._own = dict(self.net.params)  # the net's own arrays, which hold the result at the end
        self._before_step = {}
        start = time.perf_counter()
        for cb in callbacks:
            cb.on_train_begin(self, history, epochs)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            first = None
            for epoch in range(1, epochs + 1):
                first = self._run_epoch(X, y, history, callbacks, epoch, first)
                if history.diverged:
                    break
                if validation is not None:
                    val_loss, val_accuracy = self.net.evaluate(*validation)
                    history.val_loss.append(val_loss)
                    if val_accuracy is not None:
                        history.val_accuracy.append(val_accuracy)
                history.seconds = time.perf_counter() - start
                for cb in callbacks:
                    cb.on_epoch_end(self, history)
                if self.stop_training:
                    break
        self._settle()
        history.seconds = time.perf_counter() - start
        for cb in callbacks:
            cb.on_train_end(self, history)
        if history.diverged:
            warnings.warn(history.message, DivergenceWarning, stacklevel=2)
        return history

    # ------------------------------------------------------------------ the pieces of fit
    def _check_fit_args(self, X, y, epochs, validation_data, callbacks, progress):
        epochs = check_int(epochs, "epochs", minimum=0)
        X, y = self.net.check_data(X, y)
        validation = None
        if validation_data is not None:
            if not (isinstance(validation_data, (tuple, list)) and len(validation_data) == 2):
                raise TypeError("validation_data must be a pair (X_val, y_val)")
            validation = self.net.check_data(*validation_data, names=("X_val", "y_val"))
        if isinstance(callbacks, Callback) or not hasattr(callbacks, "__iter__"):
            raise TypeError(f"callbacks must be a list of Callback instances, got {type(callbacks).__name__}; "
                            "wrap a single one in a list: callbacks=[cb]")
        callbacks = list(callbacks)
        for cb in callbacks:
            if not isinstance(cb, Callback):
                raise TypeError(f"callbacks must be Callback instances, got {type(cb).__name__}")
        if check_bool(progress, "progress"):
            callbacks.append(ProgressBar())
        if getattr(self.net, "batch_norm", False) and len(X) % self.batch_size == 1:
            raise ValueError(f"with batch normalization every minibatch needs at least 2 rows, but {len(X)} rows in "
                             f"batches of {self.batch_size} leave a last batch of 1; choose another batch_size")
        return X, y, validation, callbacks, epochs

    def _run_epoch(self, X, y, history, callbacks, epoch, first):
        """One pass over the minibatches; appends the epoch's mean loss (and accuracy) to ``history``.

        Returns the first minibatch loss of the run (the reference of :func:`diverged`); on a
        blow-up it sets ``history.diverged`` and restores the weights before the last step.
        """
        net, bs, n = self.net, self.batch_size, len(X)
        order = self.rng.permutation(n) if self.shuffle else None
        classifier = net.output != "identity"
        total_loss, correct = 0.0, 0
        for i in range(0, n, bs):
            if order is None:
                xb, yb = X[i:i + bs], y[i:i + bs]
            else:
                idx = order[i:i + bs]
                xb, yb = X[idx], y[idx]
            running = dict(getattr(net, "running", {}))  # batch norm statistics before this batch
            loss, grads, logits = net.objective(xb, yb, training=True)
            if first is None:
                if not np.isfinite(loss):
                    raise ValueError(f"the loss at the initial weights is {loss} on the first minibatch: the inputs "
                                     "or the initial weights are too large for float arithmetic; scale the features "
                                     "(nnlib.StandardScaler) or start from smaller weights")
                first = loss
            if diverged(loss, first):
                self._restore_last_good(history, epoch, i // bs + 1, loss, first)
                if running:
                    net.running = running  # the statistics of the weights restored, not of the blow-up
                return first
            self._step(grads)
            for cb in callbacks:
                cb.on_batch_end(self, loss, grads)
            total_loss += loss * len(xb)
            if classifier:
                correct += net.count_correct(logits, yb)
        history.loss.append(total_loss / n)
        if classifier:
            history.accuracy.append(correct / n)
        return first

    def _step(self, grads):
        """One optimizer step that keeps the weights from before it in ``_before_step``."""
        params = self.net.params
        if not self._before_step:  # the first step of a fit
            self._before_step = {k: np.empty_like(v) for k, v in params.items()}
        spare = self._before_step
        if self._writes_out:
            self.optimizer.step(params, grads, out=spare, **self._step_options)
            for key in spare:  # the new weights become the net's, the old ones are kept
                params[key], spare[key] = spare[key], params[key]
        else:
            for key, value in params.items():
                np.copyto(spare[key], value)
            self.optimizer.step(params, grads, **self._step_options)

    def _settle(self):
        """Leave the result in the net's own arrays (steps swap buffers), so references stay valid."""
        params = self.net.params
        for key, own in self._own.items():
            current = params.get(key)
            if current is not None and current is not own and current.shape == own.shape:
                np.copyto(own, current)
                params[key] = own
        self._before_step = {}

    def _restore_last_good(self, history, epoch, batch, loss, first):
        history.diverged = True
        where = f"epoch {epoch}, minibatch {batch}"
        if self._before_step:
            params = self.net.params
            for key, before in self._before_step.items():
                params[key], self._before_step[key] = before, params[key]
            kept = "The net keeps its last finite weights, those before the step that blew up."
        else:
            kept = "No step was taken: the net keeps its initial weights."
        history.message = (
            f"Training diverged in {where}: loss {loss:.4g} (first minibatch {first:.4g}). Stopped. {kept} "
            f"Try a smaller learning rate than {self.optimizer!r} or a smaller initial weight scale."
        )

r"""A multilayer perceptron written out layer by layer.

With :math:`h^{(0)} = x` and L hidden layers,

.. math::
    a^{(k)} = h^{(k-1)} W^{(k)} + b^{(k)}, \qquad h^{(k)} = g(a^{(k)}) \quad (k = 1..L), \qquad
    f(x) = o(a^{(L+1)}),

where :math:`o` is softmax, sigmoid or the identity. Rows are samples, so ``W_k`` has shape
``(fan_in, fan_out)``. The training objective is the mean loss over the batch plus
:math:`\lambda_2 \sum_k \|W^{(k)}\|^2 + \lambda_1 \sum_k |W^{(k)}|` (:mod:`nnlib.regularizers`).

With ``batch_norm=True`` every hidden layer normalizes its pre-activations over the batch
(:func:`nnlib.layers.batchnorm_forward`) before the nonlinearity,
:math:`h^{(k)} = g\big(\gamma^{(k)} \odot \hat a^{(k)} + \beta^{(k)}\big)` with :math:`a^{(k)} = h^{(k-1)} W^{(k)}`:
:math:`\beta^{(k)}` takes the place of the bias, which the normalization would cancel anyway.
"""

from dataclasses import dataclass
from typing import Optional

import numpy as np

from . import activations, initializers, losses, regularizers
from .validation import (as_float_array, as_int_labels, check_bool, check_choice, check_dtype,
                         check_finite_result, check_int, check_n_features, check_real, check_rng,
                         check_same_length)
from .layers import (activation_backward, activation_forward, batchnorm_backward, batchnorm_forward,
                     batchnorm_running, dense_backward, dense_forward, dropout_backward, dropout_forward)

_OVERFLOW_FIX = ("the inputs or the weights are too large for float arithmetic: scale the features "
                 "(nnlib.StandardScaler) or start from smaller weights")


@dataclass
class LayerTrace:
    r"""What one layer computed for one batch (see :meth:`MLP.trace`). Arrays are (N, units).

    ``pre_activation`` is what enters the nonlinearity: :math:`a = hW + b`, or with batch norm
    the normalized :math:`\gamma \hat a + \beta` (then ``linear`` holds :math:`hW` before it).
    For the output layer ``activation`` is the network's output :math:`f(x)` and
    ``grad_activation`` is None (the loss is differentiated with respect to the logits).
    Gradients are None when the trace was taken without a loss or output gradient.
    """

    pre_activation: np.ndarray
    activation: np.ndarray
    grad_pre_activation: Optional[np.ndarray] = None
    grad_activation: Optional[np.ndarray] = None
    grad_W: Optional[np.ndarray] = None
    grad_b: Optional[np.ndarray] = None
    linear: Optional[np.ndarray] = None


def check_net(net, name="net"):
    """``net`` must be an :class:`MLP`; returns it (the check every experiment taking a net calls)."""
    if not isinstance(net, MLP):
        raise TypeError(f"{name} must be an nnlib.MLP, got {type(net).__name__}")
    return net


class MLP:
    """Fully connected network.

    Parameters
    ----------
    sizes : sequence of int
        ``[n_inputs, hidden_1, ..., hidden_L, n_outputs]``, at least two positive ints.
    activation : str or Activation
        Hidden nonlinearity: identity, sigmoid, tanh, relu, leaky_relu, elu.
    output : {"softmax", "sigmoid", "identity"}
        Softmax with cross-entropy on integer labels, sigmoid with binary cross-entropy on
        0/1 labels (``n_outputs`` must be 1), identity with squared error on real targets.
    weight_init : str, number or callable
        An :mod:`nnlib.initializers` name, a constant, or ``f(rng, (fan_in, fan_out))``.
    bias_init : str, number or callable
        Same, called with shape ``(fan_out,)``. Default 0.
    dropout : float in [0, 1)
        Probability of dropping each hidden unit while training (inverted dropout).
    l2, l1 : float >= 0
        Penalty weights :math:`\\lambda_2`, :math:`\\lambda_1` on the weight matrices.
    rng : np.random.Generator or int
        Source of the initial weights and of the dropout masks.
    dtype : np.float64 or np.float32
    batch_norm : bool
        Batch normalization in every hidden layer: parameters ``gamma{k}`` (1) and ``beta{k}``
        (0) instead of ``b{k}``, and the running statistics ``running["mean{k}"]`` (0) and
        ``running["var{k}"]`` (1), state that training mode updates (momentum 0.1, unbiased
        batch variance, eps 1e-5, as ``torch.nn.BatchNorm1d``) and evaluation mode uses.
        :meth:`loss_and_grads`, :meth:`objective` and the Trainer's steps are training mode;
        :meth:`forward`, :meth:`predict`, :meth:`loss`, :meth:`evaluate` are evaluation mode.
    """

    BN_MOMENTUM, BN_EPS = 0.1, 1e-5

    def __init__(self, sizes, activation="relu", output="softmax", weight_init="he_normal",
                 bias_init=0.0, dropout=0.0, l2=0.0, l1=0.0, rng=None, dtype=np.float64, batch_norm=False):
        if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__"):
            raise TypeError(f"sizes must be a list of layer widths like [2, 16, 2], got {sizes!r}")
        self.sizes = [check_int(s, "each entry of sizes", minimum=1) for s in sizes]
        if len(self.sizes) < 2:
            raise ValueError(f"sizes must list at least the input and output widths, got {list(sizes)!r}")
        self.activation = activations.get(activation)
        self.output = check_choice(output, "output", set(losses.OUTPUTS))
        if output == "sigmoid" and self.sizes[-1] != 1:
            raise ValueError(f"output='sigmoid' needs one output unit (sizes[-1] == 1), got {self.sizes[-1]}")
        if output == "softmax" and self.sizes[-1] < 2:
            raise ValueError(f"output='softmax' needs at least 2 output units, got {self.sizes[-1]}; "
                             "use output='sigmoid' for a single probability")
        self.dropout = check_real(dropout, "dropout", minimum=0.0, maximum=1.0, max_inclusive=False)
        self.l2 = check_real(l2, "l2", minimum=0.0)
        self.l1 = check_real(l1, "l1", minimum=0.0)
        self.rng = check_rng(rng)
        self.dtype = check_dtype(dtype)
        self.batch_norm = check_bool(batch_norm, "batch_norm")
        self._out_fn, self._loss_fn = losses.OUTPUTS[output]

        w_init = initializers.as_initializer(weight_init, "weight_init")
        b_init = initializers.as_initializer(bias_init, "bias_init")
        self.params, self.running = {}, {}
        for k, (fan_in, fan_out) in enumerate(zip(self.sizes[:-1], self.sizes[1:]), start=1):
            self.params[f"W{k}"] = self._checked_init(w_init(self.rng, (fan_in, fan_out)), (fan_in, fan_out), "weight_init")
            if self.batch_norm and k < self.n_layers:
                self.params[f"gamma{k}"] = np.ones(fan_out, self.dtype)
                self.params[f"beta{k}"] = np.zeros(fan_out, self.dtype)
                self.running[f"mean{k}"] = np.zeros(fan_out, self.dtype)
                self.running[f"var{k}"] = np.ones(fan_out, self.dtype)
            else:
                self.params[f"b{k}"] = self._checked_init(b_init(self.rng, (fan_out,)), (fan_out,), "bias_init")

    def _checked_init(self, arr, shape, what):
        arr = np.asarray(arr)
        if arr.shape != shape:
            raise ValueError(f"{what} returned shape {arr.shape}, expected {shape}")
        if not np.isfinite(arr).all():
            raise ValueError(f"{what} returned NaN or infinite values")
        return np.array(arr, dtype=self.dtype)  # always a fresh array the net owns

    def __repr__(self):
        bn = ", batch_norm=True" if self.batch_norm else ""
        return (f"MLP({self.sizes}, activation={self.activation.name!r}, output={self.output!r}, "
                f"dropout={self.dropout}, l2={self.l2}, l1={self.l1}{bn})")

    @property
    def n_layers(self):
        """Number of weight layers (hidden layers + 1)."""
        return len(self.sizes) - 1

    # ----------------------------------------------------------------- input checks
    def _check_X(self, X, name="X"):
        X = as_float_array(X, name, ndim=2, dtype=self.dtype)
        check_n_features(X, self.sizes[0], name)
        return X

    def _check_y(self, y, n, name="y", x_name="X"):
        """Targets in the form the loss takes: int (N,) for softmax, float (N, K) otherwise."""
        if self.output == "softmax":
            y = as_int_labels(y, name, self.sizes[-1])
        else:
            y = as_float_array(y, name, ndim=(1, 2), dtype=self.dtype)
            if y.ndim == 1:
                y = y.reshape(-1, 1)
            if y.shape[1] != self.sizes[-1]:
                raise ValueError(f"{name} must have {self.sizes[-1]} column(s), one per output, got shape {y.shape}")
            if self.output == "sigmoid" and not np.all((y == 0) | (y == 1)):
                raise ValueError(f"{name} must hold 0/1 labels for output='sigmoid', got other values")
        check_same_length(np.empty(n), y, x_name, name)
        return y

    def check_data(self, X, y, names=("X", "y")):
        """Validate and convert ``(X, y)`` once; returns arrays ready for the fast path.

        ``names`` are the argument names used in error messages. The results can go straight
        to :meth:`objective` and :meth:`evaluate`, which skip the checks.
        """
        X = self._check_X(X, names[0])
        return X, self._check_y(y, len(X), names[1], names[0])

    # ----------------------------------------------------------------- forward/backward
    def _forward(self, X, training, update_running=True):
        """Logits (N, n_outputs) and the per-layer caches needed by :meth:`_backward`.

        ``training``: dropout, and batch norm on batch statistics (updating the running ones
        when ``update_running``); otherwise evaluation mode.
        """
        p = self.params
        drop = training and self.dropout > 0.0
        if self.batch_norm and training and len(X) < 2:
            raise ValueError(f"batch normalization in training mode needs batches of at least 2 rows, got {len(X)}")
        h, caches = X, []
        for k in range(1, self.n_layers):
            a, dense_cache = dense_forward(h, p[f"W{k}"], p.get(f"b{k}"), check=False)
            bn_cache = None
            if self.batch_norm:
                running = None if training else (self.running[f"mean{k}"], self.running[f"var{k}"])
                a, bn_cache = batchnorm_forward(a, p[f"gamma{k}"], p[f"beta{k}"], running, self.BN_EPS, check=False)
                if training and update_running:
                    self.running[f"mean{k}"], self.running[f"var{k}"] = batchnorm_running(
                        self.running[f"mean{k}"], self.running[f"var{k}"], bn_cache, self.BN_MOMENTUM)
            h, act_cache = activation_forward(a, self.activation, check=False)
            mask = None
            if drop:
                h, mask = dropout_forward(self.rng, h, self.dropout, check=False)
            caches.append((dense_cache, bn_cache, act_cache, mask))
        L = self.n_layers
        logits, dense_cache = dense_forward(h, p[f"W{L}"], p[f"b{L}"], check=False)
        caches.append((dense_cache, None, None, None))
        return logits, caches

    def _backward(self, dlogits, caches, record=None):
        """Gradients of every parameter given dL/dlogits.

        ``record``, a list of one dict per layer, receives dL/d(pre-activation) ("da") and dL/dh ("dh").
        """
        grads = {}
        delta = dlogits  # dL/d(what enters the layer's nonlinearity)
        for k in range(self.n_layers, 0, -1):
            dense_cache, bn_cache, _, _ = caches[k - 1]
            da = delta
            if bn_cache is not None:
                da, grads[f"gamma{k}"], grads[f"beta{k}"] = batchnorm_backward(delta, bn_cache, check=False)
            dh, grads[f"W{k}"], db = dense_backward(da, dense_cache, need_dX=k > 1, check=False)
            if bn_cache is None:
                grads[f"b{k}"] = db
            if record is not None:
                record[k - 1]["da"] = delta
                if k > 1:
                    record[k - 2]["dh"] = dh  # dL/dh of the layer below
            if k > 1:
                _, _, act_cache, mask = caches[k - 2]
                if mask is not None:
                    dh = dropout_backward(dh, mask, check=False)
                delta = activation_backward(dh, act_cache, self.activation, check=False)
        return grads

    # ----------------------------------------------------------------- fast path
    # For callers that validated (X, y) once with check_data and then evaluate them many
    # times (the Trainer, the experiments): no checks, no copies.
    def objective(self, X, y, training=True):
        """Objective and gradients on arrays returned by :meth:`check_data` (no checks).

        Returns ``(loss, grads, logits)``: the mean data loss plus the penalty, the gradient
        of that for every parameter (a dict shaped like :attr:`params`) and the logits
        (N, n_outputs). ``training=True`` applies dropout.
        """
        logits, caches = self._forward(X, training)
        data_loss, dlogits = self._loss_fn(logits, y, check=False)
        grads = self._backward(dlogits, caches)
        return data_loss + regularizers.penalty(self.params, self.l2, self.l1, grads), grads, logits

    def evaluate(self, X, y):
        """Evaluation-mode ``(loss, accuracy)`` on arrays returned by :meth:`check_data` (no checks).

        ``loss`` is the mean data loss (no dropout, no penalty); ``accuracy`` is the fraction
        of samples :meth:`count_correct` counts, or None for a regression net.
        """
        logits, _ = self._forward(X, training=False)
        loss = self._loss_fn(logits, y, check=False)[0]
        if self.output == "identity":
            return loss, None
        return loss, self.count_correct(logits, y) / len(logits)

    def labels_from_logits(self, logits):
        """The one classification rule: argmax of the logits (softmax), logit > 0 (sigmoid).

        ``logits`` (N, n_outputs) -> labels (N,) int. A logit of exactly 0 (probability 1/2) is class 0.
        """
        if self.output == "softmax":
            return logits.argmax(axis=1)
        if self.output == "sigmoid":
            return (logits[:, 0] > 0).astype(np.int64)
        raise ValueError("labels need a classifier (output='softmax' or 'sigmoid'), this net regresses")

    def count_correct(self, logits, y):
        """Number of rows of ``logits`` whose :meth:`labels_from_logits` equals ``y``
        (labels (N,), or 0/1 targets (N, 1) as :meth:`check_data` returns them for a sigmoid)."""
        labels = y if y.ndim == 1 else y[:, 0]
        return int(np.count_nonzero(self.labels_from_logits(logits) == labels))

    # ----------------------------------------------------------------- public API
    def _checked_logits(self, X, training=False, update_running=True):
        """Logits of checked ``X`` (evaluation mode by default); an overflow is an error, never NaN rows."""
        with np.errstate(over="ignore", invalid="ignore"):  # reported below, as one clear error
            logits, caches = self._forward(X, training, update_running)
        if not np.isfinite(logits).all():
            bad = int(np.count_nonzero(~np.isfinite(logits).all(axis=1)))
            check_finite_result(logits, f"the network's output for {bad} of {len(X)} rows of X", _OVERFLOW_FIX)
        return logits, caches

    def forward(self, X):
        """Output :math:`f(x)` (N, n_outputs): probabilities for softmax/sigmoid, values for identity.

        Evaluation mode: no dropout. A ValueError, not NaN, when the computation overflows.
        """
        logits, _ = self._checked_logits(self._check_X(X))
        return self._out_fn(logits, check=False)

    def predict(self, X):
        """Class labels (N,) for softmax/sigmoid (:meth:`labels_from_logits`); values
        (N, n_outputs), or (N,) for one output, for identity."""
        logits, _ = self._checked_logits(self._check_X(X))
        if self.output != "identity":
            return self.labels_from_logits(logits)
        return logits[:, 0] if logits.shape[1] == 1 else logits

    def loss_and_grads(self, X, y, training=True):
        """Objective (mean loss + penalty) on ``(X, y)`` and its gradient for every parameter.

        ``training=True`` applies dropout (a fresh mask from the net's rng); pass False for
        the deterministic evaluation-mode objective, e.g. for gradient checks.
        Returns ``(loss, grads)`` with ``grads`` shaped like :attr:`params`.
        """
        X, y = self.check_data(X, y)
        with np.errstate(over="ignore", invalid="ignore"):
            loss, grads, _ = self.objective(X, y, check_bool(training, "training"))
        check_finite_result([loss] + [g.sum() for g in grads.values()], "the loss or its gradient", _OVERFLOW_FIX)
        return loss, grads

    def loss(self, X, y):
        """Mean data loss in evaluation mode (no dropout, no penalty)."""
        X, y = self.check_data(X, y)
        logits, _ = self._checked_logits(X)
        with np.errstate(over="ignore", invalid="ignore"):
            loss = self._loss_fn(logits, y, check=False)[0]
        check_finite_result(loss, "the loss", _OVERFLOW_FIX)
        return loss

    def accuracy(self, X, y):
        """Fraction of correctly classified samples (softmax/sigmoid outputs only)."""
        if self.output == "identity":
            raise ValueError("accuracy needs a classifier (output='softmax' or 'sigmoid'), this net regresses")
        X, y = self.check_data(X, y)
        return self.count_correct(self._checked_logits(X)[0], y) / len(X)

    def trace(self, X, y=None, grad_output=None, training=False):
        """Every layer's pre-activations, activations and their gradients for one batch.

        X : (N, n_inputs);  y : targets, optional -- backpropagate the loss (without penalty) from
        these;  grad_output : (N, n_outputs), optional -- or this dL/dlogits instead (e.g. unit
        Gaussian noise, to study how gradient variance travels backwards);  training : bool --
        dropout and batch statistics (default False: evaluation mode; a trace never updates the
        running statistics). Returns a list of :class:`LayerTrace`, one per weight layer.
        """
        if y is not None and grad_output is not None:
            raise ValueError("pass either y or grad_output to trace, not both")
        X = self._check_X(X)
        logits, caches = self._checked_logits(X, check_bool(training, "training"), update_running=False)
        layers = []
        for dense_cache, bn_cache, act_cache, mask in caches[:-1]:
            a, h = act_cache
            linear = None if bn_cache is None else dense_cache[0] @ dense_cache[1]
            layers.append(LayerTrace(a, h if mask is None else h * mask, linear=linear))
        layers.append(LayerTrace(logits, self._out_fn(logits, check=False)))
        if y is None and grad_output is None:
            return layers
        if y is not None:
            dlogits = self._loss_fn(logits, self._check_y(y, len(X)), check=False)[1]
        else:
            dlogits = np.array(as_float_array(grad_output, "grad_output", ndim=2, dtype=self.dtype))
            if dlogits.shape != logits.shape:
                raise ValueError(f"grad_output must have shape {logits.shape}, got {dlogits.shape}")
        record = [{} for _ in caches]
        grads = self._backward(dlogits, caches, record)
        for k, (layer, rec) in enumerate(zip(layers, record), start=1):
            layer.grad_pre_activation = rec["da"]
            layer.grad_activation = rec.get("dh")
            layer.grad_W, layer.grad_b = grads[f"W{k}"], grads.get(f"b{k}")
        return layers

    def get_params(self):
        """A deep copy of :attr:`params`."""
        return {k: v.copy() for k, v in self.params.items()}

    def set_params(self, params):
        """Replace the parameters by copies of ``params`` (same names and shapes)."""
        if not isinstance(params, dict):
            raise TypeError(f"params must be a dict like net.params (W1, b1, ...), got {type(params).__name__}")
        if set(params) != set(self.params):
            raise ValueError(f"params must have the keys {sorted(self.params)}, got {sorted(params)}")
        new = {}
        for k, v in params.items():
            v = as_float_array(v, f"params[{k!r}]", ndim=self.params[k].ndim, dtype=self.dtype)
            if v.shape != self.params[k].shape:
                raise ValueError(f"params[{k!r}] must have shape {self.params[k].shape}, got {v.shape}")
            new[k] = np.array(v, dtype=self.dtype)
        self.params = new

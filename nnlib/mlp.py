r"""A multilayer perceptron written out layer by layer.

With :math:`h^{(0)} = x` and L hidden layers,

.. math::
    a^{(k)} = h^{(k-1)} W^{(k)} + b^{(k)}, \qquad h^{(k)} = g(a^{(k)}) \quad (k = 1..L), \qquad
    f(x) = o(a^{(L+1)}),

where :math:`o` is softmax, sigmoid or the identity. Rows are samples, so ``W_k`` has shape
``(fan_in, fan_out)``. The training objective is the mean loss over the batch plus
:math:`\lambda_2 \sum_k \|W^{(k)}\|^2 + \lambda_1 \sum_k |W^{(k)}|` (biases are not regularized).
"""

from dataclasses import dataclass
from numbers import Real
from typing import Optional

import numpy as np

from . import activations, initializers, losses
from .validation import (
    as_float_array,
    as_int_labels,
    check_choice,
    check_dtype,
    check_int,
    check_n_features,
    check_real,
    check_rng,
    check_same_length,
)
from .layers import (
    activation_backward,
    activation_forward,
    dense_backward,
    dense_forward,
    dropout_backward,
    dropout_forward,
)

_OUTPUTS = {
    "softmax": (losses.softmax, losses.softmax_cross_entropy),
    "sigmoid": (activations.sigmoid, losses.binary_cross_entropy),
    "identity": (lambda a: a, losses.squared_error),
}


@dataclass
class LayerTrace:
    """What one layer computed for one batch (see :meth:`MLP.trace`). Arrays are (N, units).

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


def _make_init(init, what):
    """Turn a name, a number or a callable into ``f(rng, shape) -> ndarray``."""
    if isinstance(init, Real) and not isinstance(init, bool):
        value = float(init)
        return lambda rng, shape: np.full(shape, value)
    if isinstance(init, str):
        if init == "constant":
            raise ValueError(f"{what}='constant' needs a value: pass the number itself, e.g. {what}=0.5")
        try:
            return initializers.get(init)
        except ValueError:
            raise ValueError(f"{what} must be one of {sorted(initializers.NAMES)}, a number or a callable, "
                             f"got {init!r}") from None
    if callable(init):
        return init
    raise TypeError(f"{what} must be an initializer name, a number or a callable f(rng, shape), "
                    f"got {type(init).__name__}")


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
    """

    def __init__(self, sizes, activation="relu", output="softmax", weight_init="he_normal",
                 bias_init=0.0, dropout=0.0, l2=0.0, l1=0.0, rng=None, dtype=np.float64):
        if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__"):
            raise TypeError(f"sizes must be a list of layer widths like [2, 16, 2], got {sizes!r}")
        self.sizes = [check_int(s, "each entry of sizes", minimum=1) for s in sizes]
        if len(self.sizes) < 2:
            raise ValueError(f"sizes must list at least the input and output widths, got {list(sizes)!r}")
        self.activation = activations.get(activation)
        self.output = check_choice(output, "output", set(_OUTPUTS))
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
        self._out_fn, self._loss_fn = _OUTPUTS[output]

        w_init = _make_init(weight_init, "weight_init")
        b_init = _make_init(bias_init, "bias_init")
        self.params = {}
        for k, (fan_in, fan_out) in enumerate(zip(self.sizes[:-1], self.sizes[1:]), start=1):
            self.params[f"W{k}"] = self._checked_init(w_init(self.rng, (fan_in, fan_out)), (fan_in, fan_out), "weight_init")
            self.params[f"b{k}"] = self._checked_init(b_init(self.rng, (fan_out,)), (fan_out,), "bias_init")

    def _checked_init(self, arr, shape, what):
        arr = np.asarray(arr)
        if arr.shape != shape:
            raise ValueError(f"{what} returned shape {arr.shape}, expected {shape}")
        if not np.isfinite(arr).all():
            raise ValueError(f"{what} returned NaN or infinite values")
        return np.array(arr, dtype=self.dtype)  # always a fresh array the net owns

    def __repr__(self):
        return (f"MLP({self.sizes}, activation={self.activation.name!r}, output={self.output!r}, "
                f"dropout={self.dropout}, l2={self.l2}, l1={self.l1})")

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
    def _forward(self, X, training):
        """Logits (N, n_outputs) and the per-layer caches needed by :meth:`_backward`."""
        p = self.params
        drop = training and self.dropout > 0.0
        h, caches = X, []
        for k in range(1, self.n_layers):
            a, dense_cache = dense_forward(h, p[f"W{k}"], p[f"b{k}"])
            h, act_cache = activation_forward(a, self.activation)
            mask = None
            if drop:
                h, mask = dropout_forward(self.rng, h, self.dropout)
            caches.append((dense_cache, act_cache, mask))
        L = self.n_layers
        logits, dense_cache = dense_forward(h, p[f"W{L}"], p[f"b{L}"])
        caches.append((dense_cache, None, None))
        return logits, caches

    def _backward(self, dlogits, caches, record=None):
        """Gradients of every parameter given dL/dlogits.

        ``record``, a list of one dict per layer, receives dL/da ("da") and dL/dh ("dh").
        """
        grads = {}
        da = dlogits
        for k in range(self.n_layers, 0, -1):
            dense_cache, _, _ = caches[k - 1]
            dh, grads[f"W{k}"], grads[f"b{k}"] = dense_backward(da, dense_cache, need_dX=k > 1)
            if record is not None:
                record[k - 1]["da"] = da
                if k > 1:
                    record[k - 2]["dh"] = dh  # dL/dh of the layer below
            if k > 1:
                _, act_cache, mask = caches[k - 2]
                if mask is not None:
                    dh = dropout_backward(dh, mask)
                da = activation_backward(dh, act_cache, self.activation)
        return grads

    def _penalty(self, grads=None):
        """Value of the regularizer; adds its gradient into ``grads`` when given."""
        if self.l2 == 0.0 and self.l1 == 0.0:
            return 0.0
        total = 0.0
        for k in range(1, self.n_layers + 1):
            W = self.params[f"W{k}"]
            if self.l2:
                total += self.l2 * float((W * W).sum())
                if grads is not None:
                    grads[f"W{k}"] += (2.0 * self.l2) * W
            if self.l1:
                total += self.l1 * float(np.abs(W).sum())
                if grads is not None:
                    grads[f"W{k}"] += self.l1 * np.sign(W)
        return total

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
        data_loss, dlogits = self._loss_fn(logits, y)
        grads = self._backward(dlogits, caches)
        return data_loss + self._penalty(grads), grads, logits

    def evaluate(self, X, y):
        """Evaluation-mode ``(loss, accuracy)`` on arrays returned by :meth:`check_data` (no checks).

        ``loss`` is the mean data loss (no dropout, no penalty); ``accuracy`` is the fraction
        of samples :meth:`count_correct` counts, or None for a regression net.
        """
        logits, _ = self._forward(X, training=False)
        loss = self._loss_fn(logits, y)[0]
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
    def forward(self, X):
        """Output :math:`f(x)` (N, n_outputs): probabilities for softmax/sigmoid, values for identity.

        Evaluation mode: no dropout.
        """
        logits, _ = self._forward(self._check_X(X), training=False)
        return self._out_fn(logits)

    def predict(self, X):
        """Class labels (N,) for softmax/sigmoid (:meth:`labels_from_logits`); values
        (N, n_outputs), or (N,) for one output, for identity."""
        logits, _ = self._forward(self._check_X(X), training=False)
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
        loss, grads, _ = self.objective(X, y, training)
        return loss, grads

    def loss(self, X, y):
        """Mean data loss in evaluation mode (no dropout, no penalty)."""
        return self.evaluate(*self.check_data(X, y))[0]

    def accuracy(self, X, y):
        """Fraction of correctly classified samples (softmax/sigmoid outputs only)."""
        if self.output == "identity":
            raise ValueError("accuracy needs a classifier (output='softmax' or 'sigmoid'), this net regresses")
        return self.evaluate(*self.check_data(X, y))[1]

    def trace(self, X, y=None, grad_output=None, training=False):
        """Every layer's pre-activations, activations and their gradients for one batch.

        Parameters
        ----------
        X : (N, n_inputs)
        y : targets, optional -- backpropagate the loss (without penalty) from these.
        grad_output : (N, n_outputs), optional -- or backpropagate this dL/dlogits instead,
            e.g. unit Gaussian noise to study how gradient variance travels backwards.
        training : bool -- apply dropout (default False).

        Returns
        -------
        list of :class:`LayerTrace`, one per weight layer (``n_layers`` entries, the last
        one the output layer).
        """
        if y is not None and grad_output is not None:
            raise ValueError("pass either y or grad_output to trace, not both")
        X = self._check_X(X)
        logits, caches = self._forward(X, training)
        layers = []
        for dense_cache, act_cache, mask in caches[:-1]:
            a, h = act_cache
            layers.append(LayerTrace(a, h if mask is None else h * mask))
        layers.append(LayerTrace(logits, self._out_fn(logits)))
        if y is None and grad_output is None:
            return layers
        if y is not None:
            dlogits = self._loss_fn(logits, self._check_y(y, len(X)))[1]
        else:
            dlogits = np.array(as_float_array(grad_output, "grad_output", ndim=2, dtype=self.dtype))
            if dlogits.shape != logits.shape:
                raise ValueError(f"grad_output must have shape {logits.shape}, got {dlogits.shape}")
        record = [{} for _ in caches]
        grads = self._backward(dlogits, caches, record)
        for k, (layer, rec) in enumerate(zip(layers, record), start=1):
            layer.grad_pre_activation = rec["da"]
            layer.grad_activation = rec.get("dh")
            layer.grad_W, layer.grad_b = grads[f"W{k}"], grads[f"b{k}"]
        return layers

    def get_params(self):
        """A deep copy of :attr:`params`."""
        return {k: v.copy() for k, v in self.params.items()}

    def set_params(self, params):
        """Replace the parameters by copies of ``params`` (same names and shapes)."""
        if set(params) != set(self.params):
            raise ValueError(f"params must have the keys {sorted(self.params)}, got {sorted(params)}")
        new = {}
        for k, v in params.items():
            v = as_float_array(v, f"params[{k!r}]", ndim=self.params[k].ndim, dtype=self.dtype)
            if v.shape != self.params[k].shape:
                raise ValueError(f"params[{k!r}] must have shape {self.params[k].shape}, got {v.shape}")
            new[k] = np.array(v, dtype=self.dtype)
        self.params = new

r"""Symmetry breaking: why the hidden units of a network must start out different.

Two hidden units of the same layer are *clones* when they have the same incoming weights,
the same bias and the same outgoing weights. Clones compute the same activation on every
input, so backprop hands them the same gradient; one gradient step therefore keeps them
clones, and by induction so does every later step. A layer of clones is as good as a
single unit, however wide it is. Starting from a constant (or all-zero) weight matrix makes
every unit of a layer a clone of the others; random weights break the tie.

This module holds the computations behind notebook ``01_symmetry_breaking``:

- :func:`train` -- full-batch gradient descent from a net's initial weights (the net is
  copied, not modified) through :class:`nnlib.Trainer`, recording the loss, accuracy, clone
  gaps and optionally every gradient with a callback, :class:`Recorder`.
- :func:`clone_gap` -- how far the units of a hidden layer are from being clones.
- :func:`name_221` -- the parameters of a 2-2-1 net under the names ``w1..w6``, ``b1..b3``.
- :func:`logistic_regression_optimum` -- the exact optimum of logistic regression (Newton).
- :func:`network_hessian`, :func:`loss_along` -- the curvature around a critical point.

The comparison of initializations is :mod:`nnlib.experiments.init_comparison`; dead units are
defined once, in :mod:`nnlib.experiments.diagnostics`.

Shapes follow :mod:`nnlib.mlp`: ``X`` is (N, D), a weight matrix ``W{k}`` is (fan_in, fan_out), so the units of
layer k are the *columns* of ``W{k}`` and the *rows* of ``W{k+1}``. Nothing here draws; :mod:`nnlib.viz` does.
"""

import copy
import warnings
from dataclasses import dataclass

import numpy as np

from ..activations import sigmoid
from ..callbacks import Callback
from ..mlp import MLP, check_net
from ..optimizers import SGD
from ..trainer import DivergenceWarning, Trainer
from ..validation import as_float_array, check_bool, check_finite_result, check_int, check_real, check_same_length


def _params_of(params, name="params"):
    """Accept an MLP or a dict of arrays shaped like ``MLP.params`` (e.g. a gradient dict)."""
    if isinstance(params, MLP):
        return params.params
    if not isinstance(params, dict):
        raise TypeError(f"{name} must be an MLP or a dict like MLP.params (W1, b1, W2, ...), "
                        f"got {type(params).__name__}")
    return params


# --------------------------------------------------------------------------- clones
def clone_gap(params, layer):
    r"""Largest difference between two units of hidden layer ``layer``.

    Unit :math:`j` of layer :math:`k` is described by its incoming weights ``W{k}[:, j]``, its bias
    ``b{k}[j]`` (batch norm: ``gamma{k}[j]``, ``beta{k}[j]``) and its outgoing weights ``W{k+1}[j, :]``. The gap is

    .. math:: \max_{i, j}\ \max_r\ |P_{ri} - P_{rj}| = \max_r\ (\max_j P_{rj} - \min_j P_{rj}),

    where column :math:`j` of :math:`P` stacks those numbers for unit :math:`j`. It is 0
    exactly when all units of the layer are clones.

    Parameters
    ----------
    params : MLP or dict -- ``MLP.params``, or a gradient dict with the same keys (then the
        gap says whether the units *receive* identical gradients).
    layer : int -- hidden layer number, 1 .. n_layers - 1.

    Returns
    -------
    gap : float >= 0
    """
    p = _params_of(params)
    layer = check_int(layer, "layer", minimum=1)
    if f"W{layer}" not in p or f"W{layer + 1}" not in p:
        n_hidden = sum(1 for k in p if k.startswith("W")) - 1
        raise ValueError(f"layer must be a hidden layer, 1 .. {n_hidden}, got {layer}")
    W_in, W_out = (as_float_array(p[k], f"params[{k!r}]", ndim=2) for k in (f"W{layer}", f"W{layer + 1}"))
    own = (f"b{layer}", f"gamma{layer}", f"beta{layer}")  # a unit's bias, or batch normalization's scale and shift
    per_unit = {k: as_float_array(p[k], f"params[{k!r}]", ndim=1) for k in own if k in p}
    units = W_in.shape[1]
    for k, n in [(f"W{layer + 1}", len(W_out))] + [(k, len(v)) for k, v in per_unit.items()]:
        if n != units:
            raise ValueError(f"params[{k!r}] must have {units} {'rows' if k[0] == 'W' else 'entries'}, one per unit "
                             f"of layer {layer} (W{layer} has {units} columns), got shape {np.shape(p[k])}")
    return _spread({f"W{layer}": W_in, f"W{layer + 1}": W_out, **per_unit}, layer)


def _spread(p, k):  # clone_gap unchecked: the largest spread of a row of P = [W_in; per-unit vectors; W_out^T]
    vectors = [p[n] for n in (f"b{k}", f"gamma{k}", f"beta{k}") if n in p]
    return float(max([np.ptp(p[f"W{k}"], axis=1).max(), np.ptp(p[f"W{k + 1}"], axis=0).max(), *map(np.ptp, vectors)]))


def name_221(params):
    r"""The parameters (or gradients) of a 2-2-1 net under the lecture's names.

    With :math:`h_1 = f(w_1x_1 + w_2x_2 + b_1)`, :math:`h_2 = f(w_3x_1 + w_4x_2 + b_2)` and
    :math:`o_1 = g(w_5h_1 + w_6h_2 + b_3)`, and nnlib's layout ``a = x @ W1 + b1``:
    ``w1 = W1[0, 0]``, ``w2 = W1[1, 0]`` (into :math:`h_1`), ``w3 = W1[0, 1]``,
    ``w4 = W1[1, 1]`` (into :math:`h_2`), ``w5 = W2[0, 0]``, ``w6 = W2[1, 0]``.

    Parameters
    ----------
    params : MLP with sizes [2, 2, 1], or a dict like its ``params`` (e.g. its gradients).

    Returns
    -------
    dict with float values for ``"w1"`` .. ``"w6"``, ``"b1"``, ``"b2"``, ``"b3"``.
    """
    p = _params_of(params)
    shapes = {k: np.shape(p.get(k)) for k in ("W1", "b1", "W2", "b2")}
    if shapes != {"W1": (2, 2), "b1": (2,), "W2": (2, 1), "b2": (1,)} or len(p) != 4:
        raise ValueError(f"params must belong to a 2-2-1 net (W1 (2, 2), b1 (2,), W2 (2, 1), b2 (1,)), "
                         f"got shapes {shapes}")
    W1, b1, W2, b2 = (as_float_array(p[k], f"params[{k!r}]", ndim=np.ndim(p[k])) for k in ("W1", "b1", "W2", "b2"))
    named = {"w1": W1[0, 0], "w2": W1[1, 0], "w3": W1[0, 1], "w4": W1[1, 1], "w5": W2[0, 0], "w6": W2[1, 0],
             "b1": b1[0], "b2": b1[1], "b3": b2[0]}
    return {k: float(v) for k, v in named.items()}


def format_gap(x, floor=1e-12):
    """Text for a difference that is zero in exact arithmetic: ``"< 1e-12"`` below ``floor``.

    Rounding may leave a ~1e-16 residue on one machine and none on another; printing the
    value itself would then make a notebook's output machine-dependent.
    """
    x = check_real(x, "x")
    floor = check_real(floor, "floor", minimum=0.0, min_inclusive=False)
    return f"< {floor:.0e}" if abs(x) < floor else f"{x:.3g}"


# --------------------------------------------------------------------------- training
@dataclass
class TrainingRun:
    """What :func:`train` recorded. Step ``t`` means the parameters after ``t`` updates.

    Attributes
    ----------
    net : MLP -- the trained copy (the net passed to :func:`train` is unchanged).
    loss : ndarray, shape (steps + 1,) -- full-batch data loss at steps 0 .. steps,
        in evaluation mode (no dropout, no penalty).
    accuracy : ndarray, shape (steps + 1,) -- training accuracy at the same steps
        (empty for a regression net).
    clone_gaps : ndarray, shape (steps + 1, n_hidden_layers) -- :func:`clone_gap` of every
        hidden layer at every step (0 columns when not recorded).
    grads : list of dict or None -- with ``record_grads=True``, the gradient used for update
        ``t`` (computed at step ``t``), ``steps`` entries.
    params : list of dict or None -- with ``record_params=True``, the parameters at steps
        0 .. steps (``steps + 1`` entries).
    diverged : bool -- training stopped because the loss became NaN or infinite.
    """

    net: MLP
    loss: np.ndarray
    accuracy: np.ndarray
    clone_gaps: np.ndarray
    grads: list = None
    params: list = None
    diverged: bool = False

    @property
    def steps(self):
        """Number of updates made."""
        return len(self.loss) - 1

    def __repr__(self):
        acc = f", accuracy {self.accuracy[-1]:.3g}" if len(self.accuracy) else ""
        flag = ", diverged" if self.diverged else ""
        return f"TrainingRun({self.steps} steps, loss {self.loss[-1]:.4g}{acc}{flag})"


class Recorder(Callback):
    """Record the evaluation-mode loss, accuracy and clone gaps before training and after
    every step, and optionally every gradient and every parameter set (see :class:`TrainingRun`).
    Meant for full-batch training, where an epoch is one step.
    """

    def __init__(self, X, y, clone_gaps=True, grads=False, params=False):
        self.X, self.y = X, y  # checked against the net when training begins
        self.record_gaps, self.record_grads, self.record_params = (
            check_bool(v, name) for v, name in ((clone_gaps, "clone_gaps"), (grads, "grads"), (params, "params")))
        self.loss, self.accuracy, self.gaps, self.grads, self.params = [], [], [], [], []

    def _record(self, net):
        loss, accuracy = net.evaluate(self.X, self.y)
        self.loss.append(loss)
        self.accuracy.append(np.nan if accuracy is None else accuracy)
        if self.record_gaps:
            self.gaps.append([_spread(net.params, k) for k in range(1, net.n_layers)])  # the net's params are valid
        if self.record_params:
            self.params.append(net.get_params())

    def on_train_begin(self, trainer, history, epochs):
        self.X, self.y = trainer.net.check_data(self.X, self.y)
        self._record(trainer.net)

    def on_batch_end(self, trainer, loss, grads):
        if self.record_grads:
            self.grads.append({k: v.copy() for k, v in grads.items()})

    def on_epoch_end(self, trainer, history):
        self._record(trainer.net)

    def on_train_end(self, trainer, history):
        if history.diverged and len(self.loss) > 1:
            # the Trainer undid the step that blew up: forget what was recorded after it
            kept = len(self.loss) - 1
            for record in (self.loss, self.accuracy, self.gaps, self.params):
                del record[kept:]
            del self.grads[kept - 1:]


def train(net, X, y, steps=300, lr=0.5, momentum=0.0, record_grads=False, record_params=False,
          record_clone_gaps=True):
    r"""Full-batch gradient descent from the net's current (initial) parameters.

    Each step computes the gradient of the mean loss over all of ``(X, y)`` (in training mode:
    with dropout masks from the net's own rng when ``net.dropout > 0``) and applies
    :class:`nnlib.SGD`, :math:`v \leftarrow \beta v + g`, :math:`\theta \leftarrow \theta - \alpha v`.
    It is :class:`nnlib.Trainer` with one batch of all rows, kept in order, and a
    :class:`Recorder`. Full batches keep the run deterministic, so the only source of asymmetry
    between units is the initialization (and dropout, if any).

    Parameters
    ----------
    net : MLP -- copied; the copy is trained, ``net`` itself is left as it was.
    X : ndarray, shape (N, D);  y : targets as the net's loss expects them.
    steps : int >= 0 -- number of updates.
    lr : float > 0 -- :math:`\alpha`;  momentum : float in [0, 1) -- :math:`\beta`.
    record_grads : bool -- keep a copy of every gradient (memory: steps x n_params floats).
    record_params : bool -- keep a copy of the parameters at every step 0 .. steps.
    record_clone_gaps : bool -- measure :func:`clone_gap` of every hidden layer at every step
        (else ``clone_gaps`` has 0 columns).

    Returns
    -------
    TrainingRun -- a run that diverges stops there, with ``diverged=True``, its net at the
    last finite weights.
    """
    net = copy.deepcopy(check_net(net))
    X, y = net.check_data(X, y)
    steps = check_int(steps, "steps", minimum=0)
    recorder = Recorder(X, y, check_bool(record_clone_gaps, "record_clone_gaps"),
                        check_bool(record_grads, "record_grads"), check_bool(record_params, "record_params"))
    trainer = Trainer(net, SGD(lr, momentum), batch_size=len(X), shuffle=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=DivergenceWarning)  # reported as run.diverged
        history = trainer.fit(X, y, steps, callbacks=[recorder])
    gaps = np.array(recorder.gaps, dtype=float).reshape(len(recorder.loss), -1 if record_clone_gaps else 0)
    accuracy = np.array([]) if net.output == "identity" else np.array(recorder.accuracy)
    return TrainingRun(net, np.array(recorder.loss), accuracy, gaps,
                       recorder.grads if record_grads else None,
                       recorder.params if record_params else None, history.diverged)


# --------------------------------------------------------------------------- convex case
def logistic_regression_optimum(X, y, tol=1e-12, max_iter=100):
    r"""The minimizer of the mean logistic loss, by Newton's method from :math:`w = 0`.

    The loss :math:`L(w, b) = \frac1N \sum_t \log(1 + e^{z_t}) - y_t z_t`, :math:`z_t = x_t^\top w + b`,
    has gradient :math:`\frac1N A^\top(\sigma(z) - y)` and Hessian
    :math:`\frac1N A^\top \operatorname{diag}(\sigma(z)(1-\sigma(z))) A` with :math:`A = [X, 1]`:
    positive semi-definite everywhere, so :math:`L` is convex and every critical point is the
    global minimum. The minimum is finite only when no hyperplane separates the classes.

    Parameters
    ----------
    X : ndarray, shape (N, D);  y : ndarray, shape (N,) -- labels 0/1.
    tol : float > 0 -- stop when the largest gradient entry is below ``tol``.
    max_iter : int >= 1.

    Returns
    -------
    w : ndarray, shape (D,);  b : float;  loss : float -- the optimum and its loss.

    Raises
    ------
    ValueError -- when Newton's method does not converge (e.g. separable data: no finite optimum).
    """
    X = as_float_array(X, "X", ndim=2)
    y = as_float_array(y, "y", ndim=1)
    check_same_length(X, y)
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("y must hold 0/1 labels")
    tol = check_real(tol, "tol", minimum=0.0, min_inclusive=False)
    max_iter = check_int(max_iter, "max_iter", minimum=1)
    A = np.column_stack([X, np.ones(len(X))])
    theta = np.zeros(A.shape[1])
    n = len(X)
    for _ in range(max_iter):
        z = A @ theta
        p = sigmoid(z)
        grad = A.T @ (p - y) / n
        if np.abs(grad).max() < tol:
            if np.all((z > 0) == (y == 1)):  # a hyperplane separates the classes: no finite minimum
                break
            loss = float(np.mean(np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z))) - y * z))
            return theta[:-1].copy(), float(theta[-1]), loss
        H = (A * (p * (1 - p))[:, None]).T @ A / n
        try:
            theta = theta - np.linalg.solve(H, grad)
        except np.linalg.LinAlgError:
            break
        if not np.all(np.isfinite(theta)) or np.abs(theta).max() > 1e6:
            break
    raise ValueError("logistic_regression_optimum found no finite minimizer: the classes may be linearly "
                     "separable (the loss then decreases forever as the weights grow) or X may have "
                     "duplicate columns; use data whose classes overlap")


# --------------------------------------------------------------------------- curvature
def _flatten(params, keys):
    """Concatenate ``params[k].ravel()`` in the order of ``keys`` (gradient dicts come out reversed)."""
    return np.concatenate([np.ravel(params[k]) for k in keys])


def _unflatten(vector, like):
    parts = np.split(vector, np.cumsum([v.size for v in like.values()])[:-1])
    return {k: part.reshape(v.shape) for (k, v), part in zip(like.items(), parts)}


def network_hessian(net, X, y, eps=1e-5):
    r"""Hessian of the evaluation-mode objective with respect to all parameters.

    Column :math:`i` is the central difference of the analytic (backprop) gradient,
    :math:`H_{:, i} \approx (\nabla L(\theta + \epsilon e_i) - \nabla L(\theta - \epsilon e_i)) / 2\epsilon`,
    symmetrized. Parameters are ordered as in ``net.params`` (``W1`` row by row, ``b1``, ``W2``, ...).

    Parameters
    ----------
    net : MLP (not modified);  X : ndarray, shape (N, D);  y : targets.
    eps : float > 0 -- the step :math:`\epsilon`.

    Returns
    -------
    H : ndarray, shape (P, P) -- P = number of parameters.
    """
    net = copy.deepcopy(check_net(net))
    X, y = net.check_data(X, y)
    eps = check_real(eps, "eps", minimum=0.0, min_inclusive=False)
    like = net.get_params()
    theta = _flatten(like, like)
    H = np.empty((theta.size, theta.size))
    for i in range(theta.size):
        cols = []
        for sign in (1.0, -1.0):
            shifted = theta.copy()
            shifted[i] += sign * eps
            net.params = _unflatten(shifted, like)
            cols.append(_flatten(net.objective(X, y, training=False)[1], like))
        H[:, i] = (cols[0] - cols[1]) / (2 * eps)
    return check_finite_result((H + H.T) / 2, "the network Hessian", "use a larger eps")


def loss_along(net, X, y, direction, ts):
    r"""Objective along a line in parameter space: :math:`L(\theta + t\,d)` for each ``t``.

    Parameters
    ----------
    net : MLP (not modified) -- :math:`\theta` are its parameters.
    X : ndarray, shape (N, D);  y : targets.
    direction : dict or ndarray -- :math:`d`: arrays keyed like ``net.params`` (missing keys
        count as 0), or one vector of shape (P,) ordered as in :func:`network_hessian`
        (e.g. an eigenvector of the Hessian).
    ts : array_like, shape (T,).

    Returns
    -------
    losses : ndarray, shape (T,) -- evaluation mode (no dropout), penalty included.
    """
    net = copy.deepcopy(check_net(net))
    X, y = net.check_data(X, y)
    if isinstance(direction, np.ndarray):
        n_params = sum(v.size for v in net.params.values())
        if direction.shape != (n_params,):
            raise ValueError(f"direction as a vector must have shape ({n_params},), one entry per parameter, "
                             f"got {direction.shape}")
        direction = _unflatten(as_float_array(direction, "direction", ndim=1), net.params)
    if not isinstance(direction, dict):
        raise TypeError(f"direction must be a dict of arrays keyed like net.params or a vector, "
                        f"got {type(direction).__name__}")
    unknown = set(direction) - set(net.params)
    if unknown:
        raise ValueError(f"direction has keys {sorted(unknown)} that net.params lacks (it has {sorted(net.params)})")
    d = {}
    for k, v in net.params.items():
        dk = np.zeros_like(v) if k not in direction else as_float_array(direction[k], f"direction[{k!r}]", ndim=v.ndim)
        if dk.shape != v.shape:
            raise ValueError(f"direction[{k!r}] must have shape {v.shape}, got {dk.shape}")
        d[k] = dk
    ts = as_float_array(ts, "ts", ndim=1)
    base = net.get_params()
    out = np.empty(len(ts))
    with np.errstate(all="ignore"):  # an overflow is reported below
        for i, t in enumerate(ts):
            net.params = {k: base[k] + t * d[k] for k in base}
            out[i] = net.objective(X, y, training=False)[0]
    return check_finite_result(out, "the loss along direction", "use smaller steps ts (or a shorter direction)")



r"""Gradient descent on the objectives of :mod:`nnlib.experiments.objectives`: paths, steps to
a target, the largest stable learning rate.

The descent reuses nnlib's optimizers: :func:`optimizer_path` calls
``optimizer.step(params, grads)`` on ``params = {"w": w}``, so the same ``SGD``/``Adam``
objects that train an :class:`nnlib.MLP` trace the paths drawn here. On a quadratic with
Hessian eigenvalues :math:`\lambda_i`, plain gradient descent with step :math:`\alpha`
multiplies the error along eigenvector :math:`i` by :math:`(1 - \alpha\lambda_i)` per step:
it is stable for :math:`\alpha < 2/\lambda_\max`, and the slowest direction then shrinks by
about :math:`1 - 2/\kappa` per step, :math:`\kappa = \lambda_\max/\lambda_\min` the condition
number. :func:`largest_stable_lr` finds that limit by a search (:func:`stable_lr_limit` is the
formula it should land on), :func:`steps_to_target` counts the steps until the loss reaches a
target *and stays there* (:func:`settled_step`: a run that dips under the target and bounces
back has not reached it). A run stops when its loss blows up by nnlib's one rule,
:func:`nnlib.trainer.diverged`.
"""

import inspect
import math
from dataclasses import dataclass

import numpy as np

from ..optimizers import SGD
from ..trainer import diverged
from ..validation import as_float_array, check_callable, check_int, check_real
from .objectives import check_objective, check_point, one_number

__all__ = ["Path", "optimizer_path", "settled_step", "steps_to_target", "largest_stable_lr", "stable_lr_limit",
           "fastest_lr"]


# --------------------------------------------------------------------------- descent
@dataclass
class Path:
    """The iterates of an optimizer on an objective.

    Attributes
    ----------
    params : ndarray, shape (T + 1, D) -- ``w_0 ... w_T`` (finite iterates only).
    losses : ndarray, shape (T + 1,) -- the loss at each iterate.
    diverged : bool -- the run stopped early because the loss blew up (or left the floats).
    """

    params: np.ndarray
    losses: np.ndarray
    diverged: bool = False

    @property
    def steps(self):
        """Number of steps taken, T."""
        return len(self.losses) - 1


def _check_optimizer(optimizer):
    if not callable(getattr(optimizer, "step", None)):
        raise TypeError("optimizer must have a step(params, grads) method (nnlib.SGD, nnlib.Adam), "
                        f"got {type(optimizer).__name__}")
    return optimizer


def _accepts_check(optimizer):
    """True if ``optimizer.step`` takes ``check=`` (nnlib's optimizers): the descent checks the
    gradient itself, so it skips the optimizer's own checks, which cost more than a 2-D step."""
    try:
        return "check" in inspect.signature(optimizer.step).parameters
    except (TypeError, ValueError):
        return False


def _descend(objective, w0, optimizer, n_steps, target=None):
    """Run the optimizer; stop when the loss :func:`diverged`, or has settled at ``target`` (if given).

    With a ``target``, the run goes on after the loss first reaches it for as many steps again
    (up to ``n_steps`` in all), so that :func:`settled_step` can tell a loss that stays below the
    target from one that dips under it and bounces back. A run that leaves the floats (an
    infinite gradient or iterate, a NaN or infinite loss) counts as diverged: it is reported,
    never passed on to the optimizer or the objective.
    """
    check_objective(objective)
    _check_optimizer(optimizer)
    w = check_point(w0, "w0", getattr(objective, "dim", None))
    params = {"w": w}
    step = optimizer.step
    if _accepts_check(optimizer):
        def step(p, g):
            optimizer.step(p, g, check=False)  # g is checked finite below, p is ours
    with np.errstate(over="ignore", invalid="ignore"):
        first = one_number(objective.loss(w), "objective.loss")
        if not np.isfinite(first):
            raise ValueError(f"the loss at w0 must be finite, got {first}")
        ws, losses, blew_up = [w.copy()], [first], False
        stop = n_steps if target is None or first > target else 0  # the last step to run
        t = 0
        while t < stop:
            t += 1
            g = objective.grad(w)
            if g.shape != w.shape or not np.isfinite(g).all():
                if g.shape != w.shape:
                    raise ValueError(f"objective.grad must return shape {w.shape}, got {g.shape}")
                blew_up = True
                break
            step(params, {"w": g})
            w = params["w"]
            if not np.isfinite(w).all():
                blew_up = True
                break
            loss = one_number(objective.loss(w), "objective.loss")
            if diverged(loss, first):
                blew_up = True
                if np.isfinite(loss):
                    ws.append(w.copy())
                    losses.append(loss)
                break
            ws.append(w.copy())
            losses.append(loss)
            if target is not None:
                if loss > target:
                    stop = n_steps
                elif stop == n_steps and losses[-2] > target:  # reached: watch as many steps again
                    stop = min(2 * t, n_steps)
    return ws, losses, blew_up


def optimizer_path(objective, w0, optimizer, n_steps):
    """Run ``n_steps`` of ``optimizer`` from ``w0`` and record every iterate.

    Parameters
    ----------
    objective : an objective with ``loss`` and ``grad`` (D parameters).
    w0 : ndarray, shape (D,) -- the start (not modified).
    optimizer : ``nnlib.SGD``, ``nnlib.Adam`` or anything with ``step(params, grads)``;
        pass a fresh one: it keeps its state (velocity, moments) between calls.
    n_steps : int >= 0 -- the run stops earlier, with ``diverged=True``, once the loss
        :func:`nnlib.trainer.diverged` (NaN/inf, or 1000 times ``max(|loss(w0)|, 1)``).

    Returns
    -------
    Path -- ``params`` (T + 1, D), ``losses`` (T + 1,), ``diverged``.
    """
    n_steps = check_int(n_steps, "n_steps", minimum=0)
    ws, losses, blew_up = _descend(objective, w0, optimizer, n_steps)
    return Path(np.array(ws), np.array(losses), blew_up)


def settled_step(losses, target):
    """The first step after which the loss stays at or below ``target``: the smallest ``t`` with
    ``losses[t:] <= target``, or None if the last loss is above it (a loss that dips under the
    target and rises again has not reached it).

    Parameters
    ----------
    losses : ndarray, shape (T + 1,) -- the loss at ``w_0 ... w_T`` (e.g. ``Path.losses``).
    target : float.

    Returns
    -------
    t : int in [0, T], or None.
    """
    losses = as_float_array(losses, "losses", ndim=1)
    target = check_real(target, "target")
    above = np.flatnonzero(~(losses <= target))
    if len(above) == 0:
        return 0
    last = int(above[-1])
    return None if last == len(losses) - 1 else last + 1


def steps_to_target(objective, w0, optimizer, target, max_steps=100_000):
    """Number of optimizer steps after which the loss has reached ``target`` and stays there.

    The count is :func:`settled_step` of the run: the first step after which the loss stays at
    or below ``target``. After the loss first gets there, the run continues for as many steps
    again (within ``max_steps``); a loss that rises above the target in that time has not
    reached it yet, and the watch starts again when it comes back. For plain gradient descent
    on a quadratic below the stability limit the loss decreases at every step, so the first
    time is the answer; with momentum the loss can dip under the target and bounce back.

    Returns an int (0 if ``w0`` already reaches it), or ``None`` when the run diverges or
    the loss is above the target after ``max_steps`` steps. Arguments as in
    :func:`optimizer_path`; pass a fresh optimizer.
    """
    target = check_real(target, "target")
    max_steps = check_int(max_steps, "max_steps", minimum=0)
    ws, losses, blew_up = _descend(objective, w0, optimizer, max_steps, target=target)
    if blew_up:
        return None
    return settled_step(np.array(losses), target)


def _make(make_optimizer, lr):
    opt = make_optimizer(lr)
    if not callable(getattr(opt, "step", None)):
        raise TypeError("make_optimizer must return an optimizer with a step(params, grads) method "
                        f"(e.g. nnlib.SGD(lr)), got {type(opt).__name__} from make_optimizer({lr:g})")
    return opt


def _is_stable(objective, w0, make_optimizer, lr, n_steps):
    """The loss stays at or below its start for ``n_steps`` steps and ends below it."""
    path = optimizer_path(objective, w0, _make(make_optimizer, lr), n_steps)
    return (not path.diverged) and path.losses.max() <= path.losses[0] and path.losses[-1] < path.losses[0]


def largest_stable_lr(objective, w0, lr_low, lr_high, n_steps=200, rtol=1e-3, make_optimizer=SGD):
    r"""The largest learning rate at which the optimizer does not blow up, found by bisection.

    A learning rate is *stable* when, over ``n_steps`` steps from ``w0``, the loss never
    rises above its starting value and ends below it. The search halves the interval
    ``[lr_low, lr_high]`` on a log scale until its ends differ by a factor ``1 + rtol``,
    and returns the stable end. For plain gradient descent on a quadratic the answer is
    :math:`2/\lambda_\max` of the Hessian (to within the resolution of ``n_steps``).

    Parameters
    ----------
    objective : an objective;  w0 : ndarray, shape (D,).
    lr_low, lr_high : float, 0 < lr_low < lr_high -- ``lr_low`` must be stable and
        ``lr_high`` unstable, or a ValueError says which one is not.
    n_steps : int >= 1;  rtol : float > 0.
    make_optimizer : callable ``lr -> optimizer`` (default ``nnlib.SGD``, plain gradient
        descent); e.g. ``lambda lr: nnlib.SGD(lr, momentum=0.9)``.

    Returns
    -------
    lr : float
    """
    lo = check_real(lr_low, "lr_low", minimum=0.0, min_inclusive=False)
    hi = check_real(lr_high, "lr_high", minimum=0.0, min_inclusive=False)
    if lo >= hi:
        raise ValueError(f"lr_low must be < lr_high, got lr_low={lo:g}, lr_high={hi:g}")
    n_steps = check_int(n_steps, "n_steps", minimum=1)
    rtol = check_real(rtol, "rtol", minimum=0.0, min_inclusive=False)
    check_callable(make_optimizer, "make_optimizer", "a function lr -> optimizer")
    if not _is_stable(objective, w0, make_optimizer, lo, n_steps):
        raise ValueError(f"lr_low={lo:g} is already unstable: pass a smaller lr_low")
    if _is_stable(objective, w0, make_optimizer, hi, n_steps):
        raise ValueError(f"lr_high={hi:g} is still stable: pass a larger lr_high")
    while hi / lo > 1.0 + rtol:
        mid = math.sqrt(lo * hi)
        if _is_stable(objective, w0, make_optimizer, mid, n_steps):
            lo = mid
        else:
            hi = mid
    return lo


def stable_lr_limit(hessian):
    r"""The stability limit of plain gradient descent on a quadratic: :math:`2/\lambda_\max`.

    Gradient descent with step :math:`\alpha` multiplies the error along the Hessian's
    eigenvector :math:`i` by :math:`1 - \alpha\lambda_i` per step; every factor has magnitude
    below 1 exactly when :math:`\alpha < 2/\lambda_\max`. :func:`largest_stable_lr` finds the
    same limit by running the optimizer (and works for any optimizer and objective).

    Parameters
    ----------
    hessian : ndarray, shape (D, D), symmetric positive semi-definite with
        :math:`\lambda_\max > 0`.

    Returns
    -------
    lr : float
    """
    H = as_float_array(hessian, "hessian", ndim=2)
    if H.shape[0] != H.shape[1]:
        raise ValueError(f"hessian must be square (D, D), got shape {H.shape}")
    if not np.allclose(H, H.T, rtol=1e-8, atol=1e-12 * np.abs(H).max()):
        raise ValueError("hessian must be symmetric (hessian == hessian.T), got an asymmetric matrix; "
                         "use (H + H.T) / 2")
    lam_max = np.linalg.eigvalsh((H + H.T) / 2)[-1]
    if not lam_max > 0:
        raise ValueError(f"hessian must have a positive eigenvalue (a curved direction), got largest "
                         f"eigenvalue {lam_max:.3g}: gradient descent is then stable at no step size or any")
    return float(2.0 / lam_max)


def fastest_lr(objective, w0, make_optimizer, lrs, target, max_steps=100_000):
    """The learning rate from ``lrs`` that reaches ``target`` in the fewest steps.

    Parameters
    ----------
    objective : an objective;  w0 : ndarray, shape (D,).
    make_optimizer : callable ``lr -> optimizer`` (a fresh optimizer per run).
    lrs : sequence of float > 0 -- the grid to try.
    target : float;  max_steps : int.

    Returns
    -------
    lr : float or None;  steps : int or None -- ``(None, None)`` when no learning rate
    reaches the target within ``max_steps`` steps. Ties go to the smaller learning rate.
    """
    check_callable(make_optimizer, "make_optimizer", "a function lr -> optimizer")
    target = check_real(target, "target")
    lrs = as_float_array(lrs, "lrs", ndim=1)
    if np.any(lrs <= 0):
        raise ValueError(f"lrs must all be > 0, got min {lrs.min():g}")
    best_lr, best_steps = None, None
    for lr in np.sort(lrs):
        n = steps_to_target(objective, w0, _make(make_optimizer, float(lr)), target, max_steps)
        if n is not None and (best_steps is None or n < best_steps):
            best_lr, best_steps = float(lr), n
    return best_lr, best_steps



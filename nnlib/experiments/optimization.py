r"""Three facts about optimizers and penalties that notebook ``00_training_tour`` measures.

- :func:`heavy_ball_steps`, :func:`steps_against_condition` -- how the number of steps to a
  target grows with the condition number :math:`\kappa`: plain gradient descent about
  :math:`\kappa`, heavy-ball momentum about :math:`\sqrt\kappa` *only* with
  :math:`\beta` tuned to :math:`\kappa` (Polyak 1964), about :math:`\kappa` again (with a smaller
  constant) at a fixed :math:`\beta = 0.9`.
- :func:`l1_paths` -- the L1 penalty by subgradient steps (the weights of irrelevant features
  keep flipping sign around 0) and by proximal steps (soft thresholding: exact zeros).
- :func:`decay_without_gradient` -- L2 is weight decay for plain SGD, not under Adam, whose
  per-coordinate scaling also divides the penalty's gradient (AdamW decouples it).

numpy only; the heavy-ball recursion is the one of :class:`nnlib.SGD`,
:math:`v \leftarrow \beta v + g`, :math:`w \leftarrow w - \alpha v`, run for many learning rates at
once on a diagonal quadratic (rotation does not change the step counts of these methods).
"""

from dataclasses import dataclass

import numpy as np

from ..optimizers import SGD, Adam
from ..validation import as_float_array, check_int, check_real

__all__ = ["heavy_ball_steps", "tuned_heavy_ball", "ConditionSweep", "steps_against_condition",
           "loglog_slope", "l1_paths", "soft_threshold", "decay_without_gradient"]


def _positive_vector(values, name):
    values = as_float_array(values, name, ndim=1)
    if np.any(values <= 0):
        raise ValueError(f"{name} must all be > 0, got min {values.min():g}")
    return values


def heavy_ball_steps(eigenvalues, lrs, momentum=0.0, tol=1e-3, max_steps=100_000):
    r"""Steps of heavy-ball gradient descent on :math:`f(w) = \frac12\sum_i \lambda_i w_i^2` until
    :math:`f \le \text{tol}^2 f(w_0)` and stays there, for every learning rate of ``lrs`` at once.

    The count is the first step after which the loss stays at or below the target, watched (as
    :func:`nnlib.experiments.descent.steps_to_target` does) for as many steps again after the loss
    gets there.

    The start :math:`w_{0,i} = 1/\sqrt{\lambda_i}` gives every eigendirection the same share of
    the loss, so the target asks each one to shrink its error by the factor ``tol``.

    Parameters
    ----------
    eigenvalues : sequence of float > 0, shape (D,) -- the Hessian's eigenvalues.
    lrs : sequence of float > 0, shape (K,) -- learning rates :math:`\alpha`.
    momentum : float in [0, 1) -- :math:`\beta` (0: plain gradient descent).
    tol : float in (0, 1);  max_steps : int >= 1.

    Returns
    -------
    steps : ndarray of int, shape (K,) -- -1 where the target was not reached (too slow or diverged).
    """
    lam = _positive_vector(eigenvalues, "eigenvalues")
    lrs = _positive_vector(lrs, "lrs")
    beta = check_real(momentum, "momentum", minimum=0.0, maximum=1.0, max_inclusive=False)
    tol = check_real(tol, "tol", minimum=0.0, maximum=1.0, min_inclusive=False, max_inclusive=False)
    max_steps = check_int(max_steps, "max_steps", minimum=1)
    # Along eigendirection i the state (v, w) is multiplied per step by the 2x2 matrix
    # M = [[beta, lam_i], [-lr beta, 1 - lr lam_i]] (v <- beta v + lam_i w, w <- w - lr v), so a
    # chunk of C steps is the powers M, M^2, ..., M^C applied at once to the state at its start.
    chunk = min(max_steps, 256)
    M = np.empty((len(lrs), len(lam), 2, 2))
    M[..., 0, 0], M[..., 0, 1] = beta, lam
    M[..., 1, 0], M[..., 1, 1] = -lrs[:, None] * beta, 1.0 - lrs[:, None] * lam
    powers = np.empty((chunk,) + M.shape)
    powers[0] = M
    for k in range(1, chunk):
        powers[k] = M @ powers[k - 1]
    state = np.zeros((len(lrs), len(lam), 2))
    state[..., 1] = 1.0 / np.sqrt(lam)
    start = 0.5 * float(np.sum(lam * state[0, :, 1] ** 2))
    target = tol**2 * start
    last_above = np.zeros(len(lrs), dtype=int)  # the last step at which the loss was above the target
    steps = np.full(len(lrs), -1)
    active = np.ones(len(lrs), dtype=bool)
    with np.errstate(over="ignore", invalid="ignore"):
        for offset in range(0, max_steps, chunk):
            states = (powers @ state[..., None])[..., 0]                  # (chunk, K, D, 2)
            n = min(chunk, max_steps - offset)
            loss = 0.5 * np.sum(lam * states[:n, ..., 1] ** 2, axis=2)   # (n, K), steps offset+1 .. offset+n
            above = ~(loss <= target)
            seen = above.any(axis=0)
            last_above[seen] = offset + n - np.argmax(above[::-1], axis=0)[seen]
            t = offset + n
            settled = active & ~above[-1] & (t >= 2 * (last_above + 1))   # stayed below as long again
            steps[settled] = last_above[settled] + 1
            active &= ~settled & np.all(np.isfinite(loss), axis=0) & (loss.max(axis=0) < 1e6 * start)
            if not active.any():
                break
            state = states[-1]
    steps[active & ~above[-1]] = last_above[active & ~above[-1]] + 1  # below at the end of max_steps
    return steps


def tuned_heavy_ball(lam_min, lam_max):
    r"""Polyak's optimal heavy-ball parameters for eigenvalues in :math:`[\lambda_\min, \lambda_\max]`:
    :math:`\alpha = 4/(\sqrt{\lambda_\max} + \sqrt{\lambda_\min})^2`,
    :math:`\beta = \big((\sqrt\kappa - 1)/(\sqrt\kappa + 1)\big)^2`. Returns ``(lr, momentum)``."""
    lo = check_real(lam_min, "lam_min", minimum=0.0, min_inclusive=False)
    hi = check_real(lam_max, "lam_max", minimum=lo)
    root = np.sqrt(hi / lo)
    return 4.0 / (np.sqrt(hi) + np.sqrt(lo)) ** 2, ((root - 1.0) / (root + 1.0)) ** 2


@dataclass
class ConditionSweep:
    """What :func:`steps_against_condition` measured; arrays of shape (len(kappas),).

    ``gd``: plain gradient descent at its optimal :math:`\\alpha = 2/(1+\\kappa)`; ``fixed``:
    momentum :math:`\\beta` = ``momentum`` at the best learning rate of the grid (``fixed_lr``);
    ``tuned``: :func:`tuned_heavy_ball`.
    """

    kappas: np.ndarray
    gd: np.ndarray
    fixed: np.ndarray
    fixed_lr: np.ndarray
    tuned: np.ndarray
    momentum: float
    tol: float


def steps_against_condition(kappas, momentum=0.9, n_lrs=40, tol=1e-3, max_steps=200_000):
    r"""Steps to shrink the error by ``tol`` on the quadratic with eigenvalues 1 and :math:`\kappa`,
    for each :math:`\kappa` of ``kappas``, with three optimizers (see :class:`ConditionSweep`).

    The fixed-momentum learning rate is the best of ``n_lrs`` log-spaced values in
    :math:`[10^{-2}, 2(1+\beta)]/\kappa` (heavy ball is stable for :math:`\alpha\lambda_\max < 2(1+\beta)`),
    each run stopped once it is slower than gradient descent (then its count is ``inf``).
    """
    kappas = _positive_vector(kappas, "kappas")
    if np.any(kappas < 1):
        raise ValueError(f"kappas must all be >= 1, got min {kappas.min():g}")
    beta = check_real(momentum, "momentum", minimum=0.0, maximum=1.0, max_inclusive=False)
    n_lrs = check_int(n_lrs, "n_lrs", minimum=1)
    gd, fixed, fixed_lr, tuned = [], [], [], []
    for kappa in kappas:
        eig = (1.0, float(kappa))
        gd.append(heavy_ball_steps(eig, [2.0 / (1.0 + kappa)], 0.0, tol, max_steps)[0])
        lrs = np.geomspace(1e-2, 2.0 * (1.0 + beta) * 0.999, n_lrs) / kappa
        counts = heavy_ball_steps(eig, lrs, beta, tol, max(int(gd[-1]), 1)).astype(float)
        counts[counts < 0] = np.inf
        best = int(np.argmin(counts))
        fixed.append(counts[best])
        fixed_lr.append(lrs[best])
        lr, b = tuned_heavy_ball(1.0, kappa)
        tuned.append(heavy_ball_steps(eig, [lr], b, tol, max_steps)[0])
    return ConditionSweep(kappas, np.array(gd, float), np.array(fixed), np.array(fixed_lr),
                          np.array(tuned, float), beta, tol)


def loglog_slope(x, y):
    """The slope of the least-squares line through ``(log x, log y)``: y grows like x**slope."""
    x, y = _positive_vector(x, "x"), _positive_vector(y, "y")
    if len(x) != len(y) or len(x) < 2:
        raise ValueError(f"x and y must have the same length >= 2, got {len(x)} and {len(y)}")
    return float(np.polyfit(np.log(x), np.log(y), 1)[0])


def soft_threshold(w, threshold):
    r"""The proximal map of :math:`t\|w\|_1`: :math:`\mathrm{sign}(w)\max(|w| - t, 0)` (a new array)."""
    w = as_float_array(w, "w", ndim=1)
    t = check_real(threshold, "threshold", minimum=0.0)
    return np.sign(w) * np.maximum(np.abs(w) - t, 0.0)


def l1_paths(X, y, lam, lr, steps):
    r"""Full-batch descent on :math:`\frac{1}{2N}\|Xw - y\|^2 + \lambda\|w\|_1` from :math:`w = 0`, two ways.

    Subgradient: :math:`w \leftarrow w - \alpha(\nabla f + \lambda\,\mathrm{sign}(w))`.
    Proximal (ISTA): :math:`w \leftarrow \mathrm{soft}(w - \alpha\nabla f, \alpha\lambda)`.

    Parameters
    ----------
    X : ndarray, shape (N, D);  y : ndarray, shape (N,).
    lam : float >= 0;  lr : float > 0 (stable below :math:`1/\lambda_\max(X^\top X/N)`);  steps : int >= 1.

    Returns
    -------
    subgradient, proximal : ndarray, shape (steps + 1, D) -- the iterates.
    """
    X = as_float_array(X, "X", ndim=2)
    y = as_float_array(y, "y", ndim=1)
    if len(y) != len(X):
        raise ValueError(f"y must have one entry per row of X ({len(X)}), got {len(y)}")
    lam = check_real(lam, "lam", minimum=0.0)
    lr = check_real(lr, "lr", minimum=0.0, min_inclusive=False)
    steps = check_int(steps, "steps", minimum=1)
    n, d = X.shape
    sub, prox = [np.zeros(d)], [np.zeros(d)]
    for _ in range(steps):
        w = sub[-1]
        sub.append(w - lr * (X.T @ (X @ w - y) / n + lam * np.sign(w)))
        w = prox[-1]
        prox.append(soft_threshold(w - lr * X.T @ (X @ w - y) / n, lr * lam))
    return np.array(sub), np.array(prox)


def decay_without_gradient(lams, lr=0.01, steps=50):
    r"""What an L2 penalty does to a weight whose data gradient is 0 (start :math:`w = 1`).

    Four rules, each run with nnlib's optimizers on the gradient :math:`g` they are given:

    - ``"SGD + L2"``: SGD on :math:`g = 2\lambda w` (the penalty's gradient);
    - ``"SGD + weight decay"``: :math:`w \leftarrow (1 - 2\alpha\lambda) w` after an SGD step on :math:`g = 0`;
    - ``"Adam + L2"``: Adam on :math:`g = 2\lambda w`;
    - ``"AdamW"``: :math:`w \leftarrow w - 2\alpha\lambda w` after an Adam step on :math:`g = 0`
      (decoupled weight decay, Loshchilov & Hutter 2019, with the decay rate :math:`2\lambda`).

    Returns
    -------
    dict rule -> ndarray, shape (len(lams),) -- the weight after ``steps`` steps, per :math:`\lambda`.
    """
    lams = _positive_vector(lams, "lams")
    lr = check_real(lr, "lr", minimum=0.0, min_inclusive=False)
    steps = check_int(steps, "steps", minimum=1)
    out = {rule: [] for rule in ("SGD + L2", "SGD + weight decay", "Adam + L2", "AdamW")}
    for lam in lams:
        for rule in out:
            opt = SGD(lr) if rule.startswith("SGD") else Adam(lr)
            params = {"w": np.ones(1)}
            for _ in range(steps):
                coupled = rule.endswith("L2")
                opt.step(params, {"w": 2 * lam * params["w"] if coupled else np.zeros(1)})
                if not coupled:
                    params["w"] -= 2 * lr * lam * params["w"]
            out[rule].append(float(params["w"][0]))
    return {rule: np.array(values) for rule, values in out.items()}

r"""Checkers of the exercises of notebook 05 (overfitting): bias² and variance of a set of fits, a
prediction about two validation errors, early stopping's stop step, and a buggy L2 gradient.

Every checker tests the student's answer on fresh random cases (an unseeded generator), compares
it with nnlib's own implementation (:func:`nnlib.experiments.network_sweeps.early_stopping_point`,
:func:`nnlib.regularizers.penalty`) or with the formula, and names the common mistake it matches;
its message never contains the answer. numpy only.
"""

import numpy as np

from ..experiments.network_sweeps import early_stopping_point
from ..regularizers import penalty
from .checking import Mistake, answer, array, call, diagnose, exercise, number, unchanged


# ----------------------------------------------------------------------------- bias and variance
def _fit_cases(rng):
    """Random (R, G) predictions around a random target, with a real bias and a real spread."""
    for R, G in ((7, 11), (40, 3), (2, 25)):
        target = rng.normal(size=G)
        predictions = target + rng.normal(0.5, 0.3, size=G) + rng.normal(0.0, 1.5, size=(R, G))
        yield predictions, target


@exercise
def check_bias_variance(bias2_and_variance):
    r"""``bias2_and_variance(predictions, target) -> (bias2, variance)``: ``predictions`` (R, G) holds
    R fits evaluated at G inputs, ``target`` (G,) the truth there;
    :math:`\text{bias}^2 = \operatorname{mean}_x(\bar f(x) - f(x))^2` and
    :math:`\text{variance} = \operatorname{mean}_x \frac1R\sum_r(\hat f_r(x) - \bar f(x))^2`."""
    rng = np.random.default_rng()
    for predictions, target in _fit_cases(rng):
        before_p, before_t = predictions.copy(), target.copy()
        result = call(bias2_and_variance, predictions, target, name="bias2_and_variance")
        unchanged(before_p, predictions, "predictions")
        unchanged(before_t, target, "target")
        if not (isinstance(result, (tuple, list)) and len(result) == 2):
            raise Mistake(f"bias2_and_variance should return two numbers (bias2, variance), got {type(result).__name__}")
        bias2, variance = number(result[0], "bias2"), number(result[1], "variance")
        mean_fit = predictions.mean(axis=0)
        want_b2 = float(((mean_fit - target) ** 2).mean())
        want_var = float(predictions.var(axis=0).mean())
        diagnose(bias2, want_b2, {
            "bias2 is the mean of the squared errors of the single fits: that is bias² + variance. "
            "Average the fits first (f̄), then square its distance to the truth":
                float(((predictions - target) ** 2).mean()),
            "bias2 squares the average error over x: square each point's bias (f̄(x) - f(x)) first, "
            "then average over x": float((mean_fit - target).mean() ** 2),
            "bias2 is not squared (or a square root was taken): it is the mean of (f̄(x) - f(x))²":
                float(np.sqrt(want_b2)),
            "bias2 averages over the wrong axis: the fits are the rows (axis 0), the inputs the columns":
                float(((predictions.mean(axis=1) - target.mean()) ** 2).mean()),
        })
        diagnose(variance, want_var, {
            "variance is a standard deviation: square the spread (no square root)":
                float(predictions.std(axis=0).mean()),
            "variance takes the root of the average variance: report the variance itself":
                float(np.sqrt(want_var)),
            "variance divides by R - 1 (ddof=1): the decomposition uses the mean over the R fits":
                float(predictions.var(axis=0, ddof=1).mean()),
            "variance is computed across x for each fit (axis 1): the spread is between fits, at each x (axis 0)":
                float(predictions.var(axis=1).mean()),
            "variance is the spread around the truth, not around the average fit f̄":
                float(((predictions - target) ** 2).mean()),
        })
    return "bias² and variance match the decomposition on random sets of fits"


# ----------------------------------------------------------------------------- prediction
@exercise
def check_larger_validation_error(predicted_degree, val_degree_1, val_degree_11):
    """The student names the degree (1 or 11) whose least-squares fit has the larger validation
    error; the measured errors decide. A wrong guess is ✗ with the measurement (the next cell shows
    it anyway), never an exception."""
    guess = number(answer(predicted_degree, "predicted_degree"), "predicted_degree")
    if guess not in (1.0, 11.0):
        raise Mistake(f"predicted_degree should be 1 or 11, got {guess:g}")
    v1, v11 = number(val_degree_1, "val_degree_1"), number(val_degree_11, "val_degree_11")
    larger = 11 if v11 > v1 else 1
    ratio = max(v1, v11) / min(v1, v11)
    if int(guess) != larger:
        raise Mistake(f"measured: degree {larger} is larger ({max(v1, v11):.3g} vs {min(v1, v11):.3g} MSE): "
                      "a low training error says nothing about new data")
    why = ("its fit follows the noise of 15 points" if larger == 11 else "a line cannot follow the sine")
    return f"right: degree {larger} has the larger validation error, {ratio:.3g} times the other ({why})"


# ----------------------------------------------------------------------------- early stopping
def _curves(rng):
    """Validation curves with a dip, a bump, a later lower dip and ties (values on a coarse grid)."""
    for T in (40, 60, 25):
        t = np.arange(T)
        curve = 1.0 + 0.3 * np.cos(t / rng.uniform(2.5, 4.0)) - 0.01 * t + rng.normal(0, 0.05, T)
        yield np.round(curve, 1)  # coarse values: repeated values test "improves" (strictly below)


@exercise
def check_stop_step(stop_step):
    """``stop_step(val_loss, patience) -> (best_step, stop_step)``, 1-based steps as in
    :class:`nnlib.EarlyStopping`; the last step if patience never runs out."""
    rng = np.random.default_rng()
    for curve in _curves(rng):
        for patience in (0, 1, 3, 7, len(curve)):
            before = curve.copy()
            result = call(stop_step, curve, patience, name="stop_step")
            unchanged(before, curve, "val_loss")
            if not (isinstance(result, (tuple, list)) and len(result) == 2):
                raise Mistake(f"stop_step should return two ints (best_step, stop_step), got {type(result).__name__}")
            got = (number(result[0], "best_step"), number(result[1], "stop_step"))
            want = early_stopping_point(curve, patience)
            expected = (want.best_step, want.stop_step)
            if got == expected:
                continue
            zero_based = (want.best_step - 1, want.stop_step - 1)
            late = early_stopping_point(curve, patience + 1)
            ties = _with_ties(curve, patience)
            if got == zero_based:
                raise Mistake("your steps are 0-based: the first step is step 1 (np.argmin gives 0-based indices)")
            one_late = got[0] == want.best_step and got[1] == min(want.stop_step + 1, len(curve))
            if one_late or got == (late.best_step, late.stop_step):
                raise Mistake("you stop one step late: stop as soon as step - best_step reaches the patience (>=, not >)")
            if got[0] == want.best_step and got[1] == max(want.stop_step - 1, 1) and want.stopped:
                raise Mistake("you stop one step early: a step improves or counts towards the patience only after it ran")
            if got == ties:
                raise Mistake("a step equal to the best is not an improvement: use v < best (strictly), "
                              "or the patience restarts on a plateau")
            if got[1] == len(curve) and want.stopped:
                raise Mistake("your run never stops: once the patience has run out, stop at that step")
            if got[0] == int(np.argmin(curve)) + 1 and got[0] != want.best_step:
                raise Mistake("best_step is the best of the whole curve: early stopping only knows the steps "
                              "before it stopped")
            raise Mistake(f"not the expected stop yet on a curve of {len(curve)} steps with patience {patience}; "
                          "replay it by hand on a short curve")
    return "stop and best steps match nnlib's EarlyStopping on random validation curves"


def _with_ties(curve, patience):
    """What a ``<=`` improvement test gives (the plateau bug)."""
    best, best_step = curve[0], 1
    for t in range(2, len(curve) + 1):
        if curve[t - 1] <= best:
            best, best_step = curve[t - 1], t
        elif t - best_step >= patience:
            return best_step, t
    return best_step, len(curve)


# ----------------------------------------------------------------------------- L2 penalty
def _param_cases(rng):
    for sizes in ((3, 4, 2), (5, 2), (2, 6, 6, 3)):
        params = {}
        for k, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
            params[f"W{k}"] = rng.normal(size=(n_in, n_out))
            params[f"b{k}"] = rng.normal(size=n_out)
        yield params, float(rng.uniform(0.01, 1.0))


@exercise
def check_l2_penalty(l2_penalty):
    r"""``l2_penalty(params, lam) -> (value, grads)``: :math:`\lambda\sum_k\|W^{(k)}\|^2` over the weight
    matrices (keys starting with "W") and its gradient for every key of ``params`` (zero for biases)."""
    rng = np.random.default_rng()
    for params, lam in _param_cases(rng):
        before = {k: v.copy() for k, v in params.items()}
        result = call(l2_penalty, params, lam, name="l2_penalty")
        for k in params:
            unchanged(before[k], params[k], f"params[{k!r}]")
        if not (isinstance(result, (tuple, list)) and len(result) == 2 and isinstance(result[1], dict)):
            raise Mistake("l2_penalty should return (value, grads) with grads a dict like params")
        value, grads = number(result[0], "the penalty value"), result[1]
        want_grads = {k: np.zeros_like(v) for k, v in params.items()}
        want = penalty(params, l2=lam, grads=want_grads)
        all_sq = sum(float((v ** 2).sum()) for v in params.values())
        diagnose(value, want, {
            "the penalty also counts the biases: only the weight matrices W are penalized": lam * all_sq,
            "the penalty has a factor 1/2: here Ω = Σ‖W‖², without 1/2": want / 2,
            "the penalty is not multiplied by λ": want / lam,
        })
        missing = [k for k in params if k not in grads]
        if missing:
            raise Mistake(f"grads has no entry for {missing[0]!r}: return a gradient for every key of params "
                          "(zeros where the penalty does not depend on it)")
        for k in params:
            g = array(grads[k], params[k].shape, name=f"grads[{k!r}]")
            if k.startswith("b"):
                if np.any(g != 0):
                    raise Mistake(f"grads[{k!r}] is not zero: biases are not penalized, so the penalty's "
                                  "gradient for them is 0")
                continue
            diagnose(g, want_grads[k], {
                f"grads[{k!r}] misses the factor 2: the derivative of λ·w² is 2λ·w": lam * params[k],
                f"grads[{k!r}] is not multiplied by λ": 2 * params[k],
                f"grads[{k!r}] uses the sign of W (that is L1's gradient), not 2λW": lam * np.sign(params[k]),
            })
    return "penalty and gradients match nnlib.regularizers.penalty, biases untouched"

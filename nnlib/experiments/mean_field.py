r"""The variance recursion of a deep random network, computed accurately at every scale.

For square layers of width :math:`n` with weights of variance :math:`\operatorname{Var}(W)`
(zero mean, no biases), the pre-activation variance of layer :math:`k` obeys

.. math:: q_1 = n \operatorname{Var}(W)\, E[x^2], \qquad
          q_k = n \operatorname{Var}(W)\, E_{z \sim \mathcal N(0, q_{k-1})}[g(z)^2],

(:math:`E[X^2]` rather than :math:`\operatorname{Var}(X)`: the :math:`E[X]^2 \operatorname{Var}(W)`
term stays when activations are not centred, as for sigmoid), and the gradient variance backward

.. math:: \operatorname{Var}(\partial L/\partial a_k) = E_z[g'(z)^2]\,
          \operatorname{Var}(\partial L/\partial h_k), \qquad
          \operatorname{Var}(\partial L/\partial h_{k-1}) = n \operatorname{Var}(W)\,
          \operatorname{Var}(\partial L/\partial a_k).

Each layer multiplies the gradient variance by :math:`\chi_k = n \operatorname{Var}(W)\, E[g'(z)^2]`:
:math:`\chi < 1` makes gradients vanish towards the input (the ordered phase), :math:`\chi > 1`
makes them grow (the chaotic phase; Poole et al. 2016, Schoenholz et al. 2017).

The Gaussian expectations are exact closed forms for identity, ReLU, leaky ReLU and ELU (the last
through the normal CDF), and for sigmoid and tanh a trapezoid rule after the substitution
:math:`z = s \sinh t`, :math:`s = \min(1/2, \sqrt q)`. The substitution puts nodes
:math:`s\,\Delta t` apart near 0, where :math:`g'(z)^2` has its peak of width ~1, and spreads them
in proportion to :math:`|z|` out to :math:`12\sqrt q`, so a fixed number of nodes per decade serves
every :math:`q` from 1e-12 to 1e12 (a fixed Gauss–Hermite rule, whose nodes scale with
:math:`\sqrt q`, misses the peak once :math:`q \gtrsim 10`). The integrand is analytic and decays
doubly exponentially in :math:`t`, so the trapezoid rule converges geometrically: a relative error
below 1e-10 (tested against an independent dense Simpson rule).
"""

import math

import numpy as np

from .. import activations
from ..validation import check_callable, check_choice, check_finite_result, check_int, check_real, check_real_dtype

#: Activations of :mod:`nnlib.activations` the recursion knows.
ACTIVATIONS = activations.NAMES

_STEP = 0.1  # trapezoid step in t (geometric convergence: error ~ exp(-2 pi (pi/4) / step))
_TAILS = 12.0  # the grid reaches 12 standard deviations: the rest of the Gaussian is < 1e-32


def _grid(q):
    """Nodes ``z`` and weights ``w`` with ``sum(w * f(z))`` = E[f(z)], z ~ N(0, q) (q > 0)."""
    sd = math.sqrt(q)
    s = min(0.5, sd)
    t_max = math.asinh(_TAILS * sd / s)
    n = int(math.ceil(t_max / _STEP))
    t = np.linspace(-t_max, t_max, 2 * n + 1)
    z = s * np.sinh(t)
    w = (t[1] - t[0]) * s * np.cosh(t) * np.exp(-0.5 * (z / sd) ** 2) / (sd * math.sqrt(2.0 * math.pi))
    w[[0, -1]] *= 0.5
    return z, w


def _node_values(values, z):
    """What ``f(z)`` returned, as finite floats of the nodes' shape (a number is broadcast)."""
    if isinstance(values, (str, bytes)) or values is None:
        raise TypeError(f"f must return numbers, one per entry of z, got {type(values).__name__}")
    arr = np.asarray(values)
    check_real_dtype(arr, "f", "return real numbers, one per entry of z")
    if arr.shape == ():
        arr = np.broadcast_to(arr, z.shape)  # a constant function
    if arr.shape != z.shape:
        raise ValueError(f"f must return one value per entry of z, an array of shape {z.shape} (or a number), "
                         f"got shape {arr.shape}")
    arr = arr.astype(np.float64, copy=False)
    finite = np.isfinite(arr)
    if not finite.all():
        raise ValueError(f"f must return finite values: f(z) is NaN or inf at {arr.size - np.count_nonzero(finite)} "
                         f"of the {arr.size} quadrature nodes z in [{z.min():.3g}, {z.max():.3g}]")
    return arr


def gaussian_expectation(f, q):
    r""":math:`E_{z \sim \mathcal N(0, q)}[f(z)]` by the sinh-mapped trapezoid rule (module docstring).

    ``f`` is a function of an array ``z`` (it returns an array like ``z``, or one number for a
    constant); ``q`` >= 0 is the variance (0 gives ``f(0)``, the point mass). Accurate to about
    1e-10 relative for functions analytic near the real line (tanh, sigmoid, polynomials) and for
    even functions of :math:`z` with a kink at 0 (``relu(z)**2``).
    """
    check_callable(f, "f", "a function f(z) of an array z")
    q = check_real(q, "q", minimum=0.0)
    z, w = (np.zeros(1), np.ones(1)) if q == 0 else _grid(q)
    with np.errstate(all="ignore"):  # NaN or inf is reported below, with the nodes it came from
        values = _node_values(f(z), z)
        result = float(np.dot(w, values))
    return check_finite_result(result, f"E[f(z)] for z ~ N(0, {q:.3g})", "use a smaller q")


def _erfcx(x):
    """The scaled complementary error function exp(x^2) erfc(x), for x >= 0, without overflow."""
    if x < 25.0:
        return math.exp(x * x) * math.erfc(x)
    # asymptotic series: 1/(x sqrt(pi)) (1 - 1/(2x^2) + 3/(2x^2)^2 - 15/(2x^2)^3 ...), < 1e-16 here
    u, term, total = 1.0 / (2.0 * x * x), 1.0, 1.0
    for k in range(1, 8):
        term *= -(2 * k - 1) * u
        total += term
    return total / (x * math.sqrt(math.pi))


def _tail(c, q):
    r""":math:`E[e^{cz} 1[z < 0]] = e^{c^2 q/2} \Phi(-c\sqrt q)` for z ~ N(0, q), c >= 0."""
    return 0.5 * _erfcx(c * math.sqrt(q / 2.0))


def moments(activation, q):
    r"""``(E[g(z)], E[g(z)^2], E[g'(z)^2])`` for :math:`z \sim \mathcal N(0, q)`, q >= 0.

    activation : a name of :data:`ACTIVATIONS` (or ``"linear"``) or an :class:`nnlib.activations.Activation`.
    Closed forms for identity, relu, leaky_relu (slope :math:`\alpha`): :math:`E[g^2] = (1+\alpha^2) q/2`,
    :math:`E[g'^2] = (1+\alpha^2)/2`, and elu; the sinh-mapped trapezoid rule for sigmoid and tanh.
    """
    act = activations.get(activation) if isinstance(activation, activations.Activation) else \
        activations.get(check_choice(activation, "activation", set(ACTIVATIONS) | {"linear"}))
    q = check_real(q, "q", minimum=0.0)
    return _moments(act, q)


def _moments(act, q):
    name, alpha = act.name, act.alpha
    if name == "identity":
        return 0.0, q, 1.0
    if name in ("relu", "leaky_relu"):
        a = 0.0 if name == "relu" else alpha
        return (1 - a) * math.sqrt(q / (2 * math.pi)), (1 + a * a) * q / 2, (1 + a * a) / 2
    if name == "elu":  # z > 0: z; z < 0: alpha (e^z - 1), derivative alpha e^z
        half_mean = math.sqrt(q / (2 * math.pi))
        e1, e2 = (_tail(1.0, q), _tail(2.0, q)) if q > 0 else (0.5, 0.5)
        mean = half_mean + alpha * (e1 - 0.5)
        second = q / 2 + alpha * alpha * (e2 - 2 * e1 + 0.5)
        return mean, second, 0.5 + alpha * alpha * e2
    if q == 0:
        z = np.zeros(1)
        g = act.forward(z)
        return float(g[0]), float(g[0] ** 2), float(act.derivative(z, g)[0] ** 2)
    z, w = _grid(q)
    g = act.forward(z)
    d = act.derivative(z, g)
    mean = 0.5 if name == "sigmoid" else 0.0  # by symmetry: sigmoid(z) - 1/2 and tanh are odd
    return mean, float(np.dot(w, g * g)), float(np.dot(w, d * d))


def variance_recursion(act, depth, width, weight_var, input_var):
    """:func:`theory` on checked arguments (``act`` an Activation); NaN/inf are the caller's to report."""
    scale = width * weight_var
    q, h_var, d2 = np.empty(depth), np.empty(depth), np.empty(depth)  # d2: E[g'(a_k)^2]
    second_moment = input_var
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(depth):
            q[k] = scale * second_moment
            if not math.isfinite(q[k]):
                q[k:] = h_var[k:] = d2[k:] = np.inf
                break
            try:
                mean, second_moment, d2[k] = _moments(act, float(q[k]))
            except OverflowError:
                q[k:] = h_var[k:] = d2[k:] = np.inf
                break
            h_var[k] = max(second_moment - mean * mean, 0.0)
        grad = np.empty(depth)
        dh_var = 1.0
        for k in range(depth - 1, -1, -1):
            grad[k] = d2[k] * dh_var
            dh_var = scale * grad[k]
    return q, h_var, grad


def finite_theory(values, weight_var, depth):
    """``values`` (the arrays of :func:`theory`) if all finite, else a ValueError saying what to change."""
    if not all(np.all(np.isfinite(v)) for v in values):
        raise ValueError(f"the predicted variances overflowed to inf or NaN (weight_var={weight_var:.3g}, "
                         f"depth={depth}); use a smaller weight variance or fewer layers")
    return values


def theory(activation, depth, width, weight_var, input_var=1.0):
    """Predicted per-layer variances for the probe's network (see the module docstring).

    activation : one of :data:`ACTIVATIONS` (or ``"linear"``);  depth, width : int >= 1;
    weight_var : float > 0 -- Var(W);  input_var : float > 0 -- :math:`E[x^2]` of the input.

    Returns ``(pre_activation_var, activation_var, grad_var)``, each of shape (depth,):
    Var(a_k), Var(h_k) and Var(dL/da_k) for layers k = 1..depth, with a unit-variance
    gradient arriving at the top. Raises ValueError when they overflow.
    """
    act = activation if isinstance(activation, activations.Activation) else \
        activations.get(check_choice(activation, "activation", set(ACTIVATIONS) | {"linear"}))
    depth = check_int(depth, "depth", minimum=1)
    width = check_int(width, "width", minimum=1)
    weight_var = check_real(weight_var, "weight_var", minimum=0.0, min_inclusive=False)
    input_var = check_real(input_var, "input_var", minimum=0.0, min_inclusive=False)
    return finite_theory(variance_recursion(act, depth, width, weight_var, input_var), weight_var, depth)


def fixed_point(activation, scale, q0=1.0, max_layers=10_000, tol=1e-12):
    r"""The fixed point :math:`q^*` of :math:`q \mapsto \text{scale}\cdot E[g(z)^2]` reached from ``q0``,
    and :math:`\chi = \text{scale}\cdot E[g'(z)^2]` there: returns ``(q_star, chi)``.

    scale : float > 0 -- :math:`n \operatorname{Var}(W)`;  q0 : float > 0 -- the first layer's q.
    Iterates layer by layer (at most ``max_layers``) until the relative change is below ``tol``;
    a recursion that tends to 0 (tanh with scale <= 1 converges only like 1/k) or to infinity
    raises ValueError.
    """
    act = activations.get(check_choice(activation, "activation", set(ACTIVATIONS) | {"linear"}))
    scale = check_real(scale, "scale", minimum=0.0, min_inclusive=False)
    q = check_real(q0, "q0", minimum=0.0, min_inclusive=False)
    max_layers = check_int(max_layers, "max_layers", minimum=1)
    tol = check_real(tol, "tol", minimum=0.0, min_inclusive=False)
    for _ in range(max_layers):
        new = scale * _moments(act, q)[1]
        if not (1e-200 < new < 1e200):
            break
        if abs(new - q) <= tol * q:
            return new, scale * _moments(act, new)[2]
        q = new
    raise ValueError(f"q does not settle at a positive fixed point for {act.name} with scale={scale:.3g} within "
                     f"{max_layers} layers (it ended at {q:.3g}): there is none, or it is approached too slowly")


def chi(activation, scale, q):
    r""":math:`\chi = \text{scale}\cdot E_{z\sim\mathcal N(0,q)}[g'(z)^2]`: the factor by which one layer
    multiplies the back-propagated gradient variance (> 1 grows towards the input, < 1 vanishes)."""
    scale = check_real(scale, "scale", minimum=0.0, min_inclusive=False)
    return scale * moments(activation, q)[2]

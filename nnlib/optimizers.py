r"""Gradient-based optimizers. ``step(params, grads)`` updates the arrays of ``params`` in place.

``params`` is the model's own dict (e.g. ``MLP.params``); ``grads`` has the same keys and
shapes and is left untouched. State (velocities, moments) is kept per key. With
``step(params, grads, out=buffers)`` the new values go into the arrays of ``out`` instead and
``params`` keeps the old ones: :class:`nnlib.Trainer` uses this to keep the weights from before
every step at no extra cost, so that it can return to them when a step blows up.

``step`` checks its arguments (every gradient names a parameter, has its shape and is finite)
unless it is called with ``check=False``, as the Trainer does with the gradients it computed.
"""

import numpy as np

from .validation import check_real


def check_step(params, grads, out=None):
    """The checks of ``step``: dicts of arrays, the grads' keys among the params', same shapes, finite."""
    for name, d in (("params", params), ("grads", grads)) + ((("out", out),) if out is not None else ()):
        if not isinstance(d, dict):
            raise TypeError(f"{name} must be a dict of arrays keyed like MLP.params, got {type(d).__name__}")
    unknown = sorted(set(grads) - set(params))
    if unknown:
        raise ValueError(f"grads has keys {unknown} that params lacks (params has {sorted(params)})")
    for key, g in grads.items():
        w = params[key]
        if not isinstance(w, np.ndarray) or not np.issubdtype(w.dtype, np.floating):
            raise TypeError(f"params[{key!r}] must be a float ndarray (updated in place), got {type(w).__name__}")
        if np.shape(g) != w.shape:
            raise ValueError(f"grads[{key!r}] must have the shape of params[{key!r}], {w.shape}, got {np.shape(g)}")
        if not np.isfinite(g).all():
            raise ValueError(f"grads[{key!r}] must be finite, got NaN or inf")
        if out is not None and (key not in out or out[key].shape != w.shape):
            raise ValueError(f"out[{key!r}] must be an array of shape {w.shape}")


class SGD:
    r"""Stochastic gradient descent with (heavy-ball) momentum, in the lecture's form

    .. math:: v \leftarrow \beta v + g, \qquad w \leftarrow w - \alpha v,

    with learning rate :math:`\alpha` = ``lr`` and :math:`\beta` = ``momentum`` (0 gives
    plain SGD, :math:`w \leftarrow w - \alpha g`; 0.9 is the usual choice).
    """

    def __init__(self, lr, momentum=0.0):
        self.lr = check_real(lr, "lr", minimum=0.0, min_inclusive=False)
        self.momentum = check_real(momentum, "momentum", minimum=0.0, maximum=1.0, max_inclusive=False)
        self.velocity = {}

    def __repr__(self):
        return f"SGD(lr={self.lr}, momentum={self.momentum})"

    def step(self, params, grads, out=None, check=True):
        if check:
            check_step(params, grads, out)
        for key, g in grads.items():
            w = params[key]
            new = w if out is None else out[key]  # w <- w - lr * (...), or written into out
            if self.momentum == 0.0:
                np.subtract(w, self.lr * g, out=new)
                continue
            v = self.velocity.get(key)
            if v is None:
                v = self.velocity[key] = np.zeros_like(w)
            v *= self.momentum
            v += g
            np.subtract(w, self.lr * v, out=new)


class Adam:
    r"""Adam (Kingma & Ba, 2015): momentum plus a per-parameter step size.

    .. math::
        m \leftarrow \beta_1 m + (1-\beta_1) g, \quad
        s \leftarrow \beta_2 s + (1-\beta_2) g^2, \quad
        w \leftarrow w - \alpha \frac{m / (1-\beta_1^t)}{\sqrt{s / (1-\beta_2^t)} + \epsilon}.
    """

    def __init__(self, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr = check_real(lr, "lr", minimum=0.0, min_inclusive=False)
        self.beta1 = check_real(beta1, "beta1", minimum=0.0, maximum=1.0, max_inclusive=False)
        self.beta2 = check_real(beta2, "beta2", minimum=0.0, maximum=1.0, max_inclusive=False)
        self.eps = check_real(eps, "eps", minimum=0.0, min_inclusive=False)
        self.m, self.s, self.t = {}, {}, 0

    def __repr__(self):
        return f"Adam(lr={self.lr}, beta1={self.beta1}, beta2={self.beta2}, eps={self.eps})"

    def step(self, params, grads, out=None, check=True):
        if check:
            check_step(params, grads, out)
        self.t += 1
        c1 = 1.0 - self.beta1 ** self.t
        c2 = 1.0 - self.beta2 ** self.t
        for key, g in grads.items():
            w = params[key]
            if key not in self.m:
                self.m[key], self.s[key] = np.zeros_like(w), np.zeros_like(w)
            m, s = self.m[key], self.s[key]
            m *= self.beta1
            m += (1.0 - self.beta1) * g
            s *= self.beta2
            s += (1.0 - self.beta2) * (g * g)
            new = w if out is None else out[key]
            np.subtract(w, (self.lr / c1) * m / (np.sqrt(s / c2) + self.eps), out=new)

"""Layers as forward/backward pairs (the cs231n pattern).

``*_forward(...) -> (out, cache)`` computes a layer and remembers what its backward needs;
``*_backward(dout, cache) -> grads`` turns the gradient of the loss with respect to the
layer's output into gradients with respect to its inputs and parameters.

Shapes: N samples, D inputs, H outputs. ``X`` is (N, D), ``W`` is (D, H), ``b`` is (H,).
No function modifies its arguments.
"""



def dense_forward(X, W, b):
    """Affine layer ``a = X @ W + b``.  Returns ``a`` (N, H) and the cache ``(X, W)``."""
    a = X @ W
    a += b
    return a, (X, W)


def dense_backward(da, cache, need_dX=True):
    """Gradients of the affine layer.

    da : (N, H) -- dL/da.  Returns ``dX`` (N, D) (None when ``need_dX`` is False, as for
    the first layer, whose input is data), ``dW`` (D, H) and ``db`` (H,).
    """
    X, W = cache
    dW = X.T @ da
    db = da.sum(axis=0)
    dX = da @ W.T if need_dX else None
    return dX, dW, db


def activation_forward(a, activation):
    """``h = g(a)`` for an :class:`nnlib.activations.Activation` ``g``; cache ``(a, h)``."""
    h = activation.forward(a)
    return h, (a, h)


def activation_backward(dh, cache, activation):
    """``dL/da = dL/dh * g'(a)``."""
    a, h = cache
    return dh * activation.derivative(a, h)


def dropout_forward(rng, h, p):
    """Inverted dropout: zero each unit with probability ``p``, scale survivors by 1/(1-p).

    rng : np.random.Generator (first, as in every nnlib function that draws);  h : (N, H);
    p : float in [0, 1). The expected output equals ``h``, so nothing changes at test time
    (no dropout there). Returns the dropped-out ``h`` and the cache ``mask`` (N, H) of 0 or 1/(1-p).
    """
    mask = (rng.random(h.shape) >= p).astype(h.dtype)
    mask /= 1.0 - p
    return h * mask, mask


def dropout_backward(dout, mask):
    """Gradient flows only through the kept units, with the same 1/(1-p) scale."""
    return dout * mask

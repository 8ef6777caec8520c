r"""Penalties on the weights, added to the mean loss: L2 and L1, with their gradients.

.. math::
    \Omega_{L2} = \sum_k \|W^{(k)}\|_F^2, \quad \nabla_{W^{(k)}} \lambda_2\Omega_{L2} = 2\lambda_2 W^{(k)};
    \qquad
    \Omega_{L1} = \sum_k \sum_{ij} |W^{(k)}_{ij}|, \quad \nabla_{W^{(k)}} \lambda_1\Omega_{L1} = \lambda_1 \operatorname{sign}(W^{(k)}).

Only the weight matrices (``W1``, ``W2``, ...) are penalized: biases and batch normalization's
``gamma``/``beta`` are not, as is usual (they are few, and shrinking them does not simplify the
function the network computes).
"""

import numpy as np


def penalty(params, l2=0.0, l1=0.0, grads=None):
    """:math:`\\lambda_2\\Omega_{L2} + \\lambda_1\\Omega_{L1}` of the weights in ``params``.

    params : dict of arrays (``MLP.params``); the weights are the entries whose key starts with "W".
    l2, l1 : float >= 0 (checked by the MLP that owns them).
    grads : dict shaped like ``params``, optional -- the penalty's gradient is added into it.
    Returns the penalty (a float).
    """
    if l2 == 0.0 and l1 == 0.0:
        return 0.0
    total = 0.0
    for key, W in params.items():
        if not key.startswith("W"):
            continue
        if l2:
            total += l2 * float((W * W).sum())
            if grads is not None:
                grads[key] += (2.0 * l2) * W
        if l1:
            total += l1 * float(np.abs(W).sum())
            if grads is not None:
                grads[key] += l1 * np.sign(W)
    return total

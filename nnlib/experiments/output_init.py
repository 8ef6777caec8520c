r"""The output layer at initialization and the initial-loss check (notebook ``01_symmetry_breaking``).

With small output weights the logits start near 0, the softmax near uniform, and the mean
cross-entropy over :math:`C` classes near :math:`\log C`: a free check of a new network. An
over-scaled last layer starts confidently wrong (a loss far above :math:`\log C`) and spends its
first steps shrinking the logits, the "hockey stick" loss curve. Setting the output biases to
the log of the class prior, :math:`b_c = \log \pi_c`, starts the net at the best constant guess,
whose loss is the entropy of the labels :math:`H(\pi) = -\sum_c \pi_c \log \pi_c`.

- :func:`class_prior`, :func:`label_entropy` -- :math:`\pi` and :math:`H(\pi)` of a label vector;
- :func:`with_output_layer` -- a copy of a net with its last weights scaled and/or its output
  biases replaced (for a sigmoid output, the log-odds :math:`\log(\pi_1/\pi_0)`).
"""

import copy

import numpy as np

from ..mlp import check_net
from ..validation import as_float_array, as_int_labels, check_int, check_real

__all__ = ["class_prior", "label_entropy", "log_prior_bias", "with_output_layer"]


def class_prior(y, n_classes):
    """The share of each class in ``y`` (labels 0 .. n_classes - 1), shape (n_classes,)."""
    n_classes = check_int(n_classes, "n_classes", minimum=2)
    y = as_int_labels(np.asarray(y).reshape(-1), "y", n_classes)
    return np.bincount(y, minlength=n_classes) / len(y)


def label_entropy(y, n_classes):
    r""":math:`H(\pi) = -\sum_c \pi_c \log \pi_c` in nats (absent classes contribute 0): the loss of
    the best constant prediction, :math:`\log C` for balanced classes."""
    prior = class_prior(y, n_classes)
    present = prior[prior > 0]
    return float(-np.sum(present * np.log(present)))


def log_prior_bias(y, n_classes, output="softmax"):
    r"""Output biases that make a net with zero output weights predict the class prior:
    :math:`\log \pi_c` for a softmax (shape (C,)), the log-odds :math:`\log(\pi_1/\pi_0)` for a
    sigmoid (shape (1,)). Every class must occur in ``y``."""
    if output not in ("softmax", "sigmoid"):
        raise ValueError(f"output must be 'softmax' or 'sigmoid', got {output!r}")
    prior = class_prior(y, n_classes)
    if np.any(prior == 0):
        raise ValueError(f"every class must occur in y to take its log prior; class counts {prior * len(np.ravel(y))}")
    if output == "sigmoid":
        if n_classes != 2:
            raise ValueError(f"a sigmoid output has 2 classes, got n_classes={n_classes}")
        return np.array([np.log(prior[1] / prior[0])])
    return np.log(prior)


def with_output_layer(net, scale=1.0, bias=None):
    """A copy of ``net`` whose last weight matrix is multiplied by ``scale`` (float >= 0) and,
    if ``bias`` is given (shape of the last bias), whose output biases are ``bias``. ``net`` is
    not modified."""
    net = check_net(net)
    scale = check_real(scale, "scale", minimum=0.0)
    out = copy.deepcopy(net)
    last = net.n_layers
    out.params[f"W{last}"] *= scale
    if bias is not None:
        b = as_float_array(bias, "bias", ndim=1)
        if b.shape != out.params[f"b{last}"].shape:
            raise ValueError(f"bias must have shape {out.params[f'b{last}'].shape} (one per output), got {b.shape}")
        out.params[f"b{last}"][:] = b
    return out

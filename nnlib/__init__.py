"""nnlib: a small numpy library for learning how neural networks train.

The core, what ``import nnlib`` loads, needs numpy only. Read it top to bottom, one concept
per module, in this order:

1. :mod:`nnlib.validation`   -- the argument checks every public function calls
2. :mod:`nnlib.initializers` -- weight initializers, presets of one variance-scaling rule
3. :mod:`nnlib.activations`  -- nonlinearities with their derivatives, side by side
4. :mod:`nnlib.losses`       -- softmax cross-entropy, binary cross-entropy, squared error
5. :mod:`nnlib.layers`       -- forward/backward pairs: dense, activation, dropout, batch norm
6. :mod:`nnlib.regularizers` -- L2 and L1 penalties on the weights
7. :mod:`nnlib.mlp`          -- the multilayer perceptron built from those layers
8. :mod:`nnlib.optimizers`   -- SGD with momentum, Adam
9. :mod:`nnlib.callbacks`    -- early stopping, learning-rate decay, a text progress bar
10. :mod:`nnlib.trainer`     -- the minibatch training loop, its history, divergence detection
11. :mod:`nnlib.scalers`     -- standard and min-max feature scaling
12. :mod:`nnlib.datasets`    -- synthetic data sets and a train/validation split
13. :mod:`nnlib.gradcheck`   -- numerical gradients to check every backward pass

Two subpackages sit on top of it and are imported explicitly:

- :mod:`nnlib.experiments` -- the notebooks' experiments as plain, tested functions (numpy only);
- :mod:`nnlib.viz` -- plots and interactive views (the only place matplotlib and ipywidgets appear).

Dependencies point down only: viz -> experiments -> core.
"""

from . import activations, callbacks, datasets, gradcheck, initializers, layers, losses, regularizers, validation
from .callbacks import Callback, EarlyStopping, LearningRateDecay, ProgressBar
from .mlp import MLP, LayerTrace
from .optimizers import SGD, Adam
from .scalers import MinMaxScaler, NotFittedError, StandardScaler
from .trainer import DivergenceWarning, History, Trainer

__version__ = "0.2.0"

__all__ = [
    "MLP", "LayerTrace", "SGD", "Adam", "Trainer", "History", "DivergenceWarning",
    "Callback", "EarlyStopping", "LearningRateDecay", "ProgressBar",
    "StandardScaler", "MinMaxScaler", "NotFittedError",
    "activations", "callbacks", "datasets", "gradcheck", "initializers", "layers", "losses", "regularizers",
    "validation",
]

"""nnlib: a small numpy library for learning how neural networks train.

Read it top to bottom, one concept per module:

- :mod:`nnlib.initializers` -- weight initializers, presets of one variance-scaling rule
- :mod:`nnlib.activations`  -- nonlinearities with their derivatives
- :mod:`nnlib.losses`       -- softmax cross-entropy, binary cross-entropy, squared error
- :mod:`nnlib.layers`       -- forward/backward pairs: dense, activation, dropout
- :mod:`nnlib.mlp`          -- the multilayer perceptron built from those layers
- :mod:`nnlib.optimizers`   -- SGD with momentum, Adam
- :mod:`nnlib.trainer`      -- minibatch training loop, history, divergence detection
- :mod:`nnlib.callbacks`    -- early stopping, progress displays
- :mod:`nnlib.scalers`      -- standard and min-max feature scaling
- :mod:`nnlib.datasets`     -- synthetic data sets and a train/validation split
- :mod:`nnlib.gradcheck`    -- numerical gradients to check every backward pass

The notebooks' experiments live in modules that ``import nnlib`` does not load:
:mod:`nnlib.descent`, :mod:`nnlib.symmetry`, :mod:`nnlib.propagation`, :mod:`nnlib.diagnostics`,
:mod:`nnlib.capacity`, their widget views (``*_view``, :mod:`nnlib.variance_explorer`) and
:mod:`nnlib.widgets` / :mod:`nnlib.plotting` (matplotlib, ipywidgets).
"""

from . import activations, callbacks, datasets, gradcheck, initializers, layers, losses
from .callbacks import EarlyStopping, LearningRateDecay, LivePlot, ProgressBar
from .mlp import MLP, LayerTrace
from .optimizers import SGD, Adam
from .scalers import MinMaxScaler, NotFittedError, StandardScaler
from .trainer import DivergenceWarning, History, Trainer

__version__ = "0.1.0"

__all__ = [
    "MLP", "LayerTrace", "SGD", "Adam", "Trainer", "History", "DivergenceWarning",
    "EarlyStopping", "LearningRateDecay", "ProgressBar", "LivePlot", "StandardScaler", "MinMaxScaler", "NotFittedError",
    "activations", "callbacks", "datasets", "gradcheck", "initializers", "layers", "losses",
]

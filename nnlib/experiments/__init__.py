"""The notebooks' experiments as plain, tested functions (numpy only).

Each module takes arrays (or an :class:`nnlib.MLP`) and returns numbers or a dataclass of
results; none draws anything (that is :mod:`nnlib.viz`). They call the core's public names
only. Import the module you need, e.g. ``from nnlib.experiments import propagation``.

| module             | notebook                    | what it computes                                              |
|--------------------|-----------------------------|---------------------------------------------------------------|
| ``objectives``     | 00, 03                      | quadratics, a linear model's loss, surfaces, Hessians         |
| ``descent``        | 00, 03                      | optimizer paths, steps to a target, largest stable rate       |
| ``symmetry``       | 01                          | clone gaps, full-batch training records, curvature at zero    |
| ``init_comparison``| 01                          | one net trained from six initializations, side by side        |
| ``propagation``    | 02                          | signal and gradient variance through a deep random net        |
| ``diagnostics``    | 01, 02, 04                  | the dead and saturated rules, per-layer statistics, ratios    |
| ``polynomials``    | 04                          | polynomial fits, degree sweeps, bias and variance, curves     |
| ``network_sweeps`` | 04                          | MLP fits, width and L2 sweeps                                 |
| ``sweep``          | 04                          | the :class:`~nnlib.experiments.sweep.Sweep` record they share |
| ``deep_training``  | 06                          | deep nets trained: He vs Xavier, scale and rate sweeps, BN    |
"""

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
| ``mean_field``     | 02                          | the probe's theory: exact moments, the fixed point q*, χ      |
| ``rescaling``      | 02                          | a ReLU/linear stack at any weight scale from one cached pass  |
| ``gains``          | 02                          | stacks of any widths: fan_in vs fan_out, gains                |
| ``optimization``   | 00                          | step counts against κ, L1 subgradient vs proximal, L2 vs decay|
| ``output_init``    | 01                          | class prior, label entropy, log-prior bias, last-layer scale  |
| ``diagnostics``    | 01, 02, 04                  | the dead and saturated rules, per-layer statistics, ratios    |
| ``underfitting``   | 04                          | linear baseline, diagnosed runs, Adam's first step, dead ReLUs|
| ``polynomials``    | 05                          | polynomial fits, degree sweeps, bias and variance, curves     |
| ``network_sweeps`` | 05                          | MLP fits, width and L2 sweeps                                 |
| ``sweep``          | 05                          | the :class:`~nnlib.experiments.sweep.Sweep` record they share |
| ``deep_training``  | 06                          | per-layer profiles; He vs Xavier, scale and rate sweeps, BN   |
"""

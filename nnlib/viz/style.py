"""Colours shared by every figure of the collection.

:data:`PALETTE` is Okabe & Ito's colour-blind-safe palette ("Color universal design", 2008): it
stays distinguishable for readers with colour-vision deficiencies. Per-layer curves use
:func:`layer_colors`, ordered dark to light along viridis.
"""

from matplotlib import colormaps
from matplotlib.colors import LinearSegmentedColormap

from ..validation import check_int

#: Okabe & Ito's palette (blue, vermillion, green, purple, orange, sky, yellow, black).
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]

#: p(y = 1 | x) from class 0's colour (blue) through white (p = 1/2) to class 1's (vermillion).
PROBABILITY_CMAP = LinearSegmentedColormap.from_list("class_probability", [PALETTE[0], "#FFFFFF", PALETTE[1]])

#: Diverging map for weight images (ColorBrewer RdBu, readable with colour-vision deficiencies).
WEIGHT_CMAP = "RdBu_r"


def layer_colors(n):
    """``n`` >= 1 colours ordered from dark to light along viridis (colour-blind safe, ordinal)."""
    n = check_int(n, "n", minimum=1)
    cmap = colormaps["viridis"]
    return [cmap(0.9 * k / max(n - 1, 1)) for k in range(n)]

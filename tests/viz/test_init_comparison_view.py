"""nnlib.viz.init_comparison_view: the comparison widget switches precomputed results in place."""

import tracemalloc

import matplotlib.pyplot as plt
import numpy as np
import pytest

from nnlib import datasets
from nnlib.experiments.init_comparison import compare_inits
from nnlib.viz.init_comparison_view import InitComparisonView


def test_view_controls_switch_precomputed_results(comparisons):
    view = InitComparisonView(comparisons, init="He", dataset="circles")
    assert plt.get_fignums() == []
    before = bytes(view.live.image.value)
    assert "font-weight:bold" in view.table.value and ">He<" in view.table.value
    view.init_control.value = "zeros"
    assert view.init == "zeros" and bytes(view.live.image.value) != before
    assert np.array_equal(view._image.get_array(), comparisons["circles"].probability["zeros"])
    view.dataset_control.value = "moons"
    assert view.dataset == "moons"
    assert np.array_equal(view._image.get_array(), comparisons["moons"].probability["zeros"])
    view.select(init="Xavier", dataset="circles")
    assert view.init_control.value == "Xavier" and view.dataset_control.value == "circles"
    with pytest.raises(ValueError, match="init"):
        view.select(init="uniform")
    with pytest.raises(ValueError, match="dataset"):
        view.select(dataset="spirals")


def test_view_redraws_in_place_without_leaking(comparisons):
    view = InitComparisonView(comparisons)
    names = view.names
    for i in range(12):  # warm up caches (fonts, backgrounds)
        view.select(init=names[i % len(names)])
    plt.close("all")
    renders, images = view.live.renders, set()
    for i in range(100):
        view.select(init=names[i % len(names)], dataset=("circles", "moons")[(i // 25) % 2])
        images.add(bytes(view.live.image.value))
    assert plt.get_fignums() == []
    assert view.live.renders == renders + 100  # one render per update, never a second figure
    assert len(images) == 2 * len(names)  # every (data set, init) pair looks different
    tracemalloc.start()  # slows drawing down a lot: a shorter run for the memory check
    start, _ = tracemalloc.get_traced_memory()
    for i in range(36):
        view.select(init=names[i % len(names)], dataset=("circles", "moons")[(i // 12) % 2])
    end, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert end - start < 2_000_000, f"memory grew by {(end - start) / 1e6:.3g} MB over 36 updates"


def test_view_blits_every_switch_over_each_data_sets_own_background(comparisons):
    view = InitComparisonView(comparisons, dataset="circles")
    assert view.live.full_renders == 2  # each data set's background, drawn once when the view is built
    for init, dataset in (("He", "circles"), ("He", "moons"), ("zeros", "moons"), ("He", "circles"),
                          ("zeros", "moons")):
        full = view.live.full_renders
        view.select(init=init, dataset=dataset)
        assert view.live.full_renders == full  # blitted
        assert bytes(view.live.image.value) == view.live.render(background="check", full=True)  # = drawn in full


def test_view_rejects_bad_input(comparisons):
    with pytest.raises(TypeError, match="comparisons"):
        InitComparisonView([])
    with pytest.raises(TypeError, match="comparisons"):
        InitComparisonView({"a": 1})
    with pytest.raises(ValueError, match="init"):
        InitComparisonView(comparisons, init="nope")
    Xa, ya = datasets.two_moons(np.random.default_rng(1), 80, noise=0.2)
    other = compare_inits(0, Xa, ya, Xa, ya, inits={"He": "he_normal"}, steps=1, resolution=5)
    with pytest.raises(ValueError, match="initializations"):
        InitComparisonView({"circles": comparisons["circles"], "other": other})

"""Tests for the clustering and pair metrics."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from babelwire.eval.metrics import adjusted_rand_index, bcubed, cluster_sizes, pearson, roc_auc

partitions = st.dictionaries(st.text("abcdefgh", min_size=1, max_size=3), st.sampled_from("XYZW"), min_size=1)


@given(partitions)
def test_identical_partitions_score_one(gold: dict[str, str]) -> None:
    relabelled = {k: "c" + v for k, v in gold.items()}
    p, r, f = bcubed(gold, relabelled)
    assert math.isclose(p, 1.0) and math.isclose(r, 1.0) and math.isclose(f, 1.0)
    assert math.isclose(adjusted_rand_index(gold, relabelled), 1.0)


@given(partitions, st.dictionaries(st.text("abcdefgh", min_size=1, max_size=3), st.sampled_from("12")))
def test_bcubed_in_unit_interval(gold: dict[str, str], pred: dict[str, str]) -> None:
    for value in bcubed(gold, pred):
        assert 0.0 <= value <= 1.0 + 1e-12


def test_bcubed_known_values() -> None:
    gold = {"a": "1", "b": "1", "c": "2", "d": "2"}
    all_in_one = {k: "x" for k in gold}
    p, r, f = bcubed(gold, all_in_one)
    assert p == pytest.approx(0.5) and r == pytest.approx(1.0) and f == pytest.approx(2 / 3)
    singletons = {k: k for k in gold}
    p, r, _ = bcubed(gold, singletons)
    assert p == pytest.approx(1.0) and r == pytest.approx(0.5)
    # a missing prediction is a singleton
    assert bcubed(gold, {"a": "x", "b": "x", "c": "y"}) == bcubed(
        gold, {"a": "x", "b": "x", "c": "y", "d": "z"}
    )


def test_ari_known_values() -> None:
    gold = {"a": "1", "b": "1", "c": "2", "d": "2"}
    assert adjusted_rand_index(gold, {"a": "x", "b": "y", "c": "x", "d": "y"}) == pytest.approx(-0.5)
    assert adjusted_rand_index(gold, {k: "x" for k in gold}) == pytest.approx(0.0)


def test_pearson() -> None:
    assert pearson([1, 2, 3], [2, 4, 6]) == pytest.approx(1.0)
    assert pearson([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)
    assert pearson([1, 1, 1], [1, 2, 3]) == 0.0
    with pytest.raises(ValueError):
        pearson([1, 2], [1])


def test_roc_auc() -> None:
    assert roc_auc([True, False, True, False], [0.9, 0.1, 0.8, 0.2]) == pytest.approx(1.0)
    assert roc_auc([True, False], [0.1, 0.9]) == pytest.approx(0.0)
    assert roc_auc([True, False, True, False], [0.5, 0.5, 0.5, 0.5]) == pytest.approx(0.5)
    with pytest.raises(ValueError):
        roc_auc([True, True], [0.1, 0.2])


def test_cluster_sizes() -> None:
    assert cluster_sizes({"a": "x", "b": "y", "c": "x"}) == {"x": ["a", "c"], "y": ["b"]}

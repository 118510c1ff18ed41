"""The incremental average-linkage grouping gives exactly what a full rescan of the matrix gives."""

from __future__ import annotations

import numpy as np
import pytest

from babelwire.coverage.align import DEFAULT_PARAMS, AlignParams, _compatible, group_units
from babelwire.coverage.units import Unit


def rescan_groups(units: list[Unit], scores: np.ndarray, params: AlignParams) -> list[list[int]]:
    """The plain form of the grouping: rescan every pair of groups before each merge."""
    active = [u.index for u in units if not u.minor]
    n = len(active)
    if n < 2:
        return []
    sub = scores[np.ix_(active, active)].astype(np.float64)
    finite = np.isfinite(sub)
    total, count = np.where(finite, sub, 0.0), finite.astype(np.float64)
    low, high = np.where(finite, sub, np.inf), np.where(finite, sub, -np.inf)
    alive = np.ones(n, dtype=bool)
    blocked = np.eye(n, dtype=bool)
    members = {g: [active[g]] for g in range(n)}
    while True:
        mean = np.divide(total, count, out=np.full_like(total, -np.inf), where=count > 0)
        ok = (high >= params.fact_threshold) & (mean >= params.link_threshold) & (low >= params.min_link)
        ok &= ~blocked & alive[:, None] & alive[None, :]
        if not ok.any():
            break
        a, b = divmod(int(np.argmax(np.where(ok, mean, -np.inf))), n)
        if not _compatible(units, members[a], members[b]):
            blocked[a, b] = blocked[b, a] = True
            continue
        members[a] = members[a] + members.pop(b)
        alive[b] = False
        for matrix, merge in ((total, np.add), (count, np.add), (low, np.minimum), (high, np.maximum)):
            matrix[a, :] = merge(matrix[a, :], matrix[b, :])
            matrix[:, a] = matrix[a, :]
        blocked[a, :] = blocked[:, a] = False
        blocked[a, a] = True
    groups = [sorted(m) for m in members.values() if len(m) > 1]
    return [g for g in groups if len(g) > 2 or scores[g[0], g[1]] >= params.pair_threshold]


def random_story(seed: int, articles: int, per_article: int) -> tuple[list[Unit], np.ndarray]:
    """Units of a story with a symmetric score matrix: -inf within an article, ties on purpose."""
    rng = np.random.default_rng(seed)
    units = [
        Unit(
            index=a * per_article + p,
            article=f"a{a}",
            position=p,
            start=0,
            end=1,
            text="x",
            lang="en",
            source=None,
            minor=bool(rng.random() < 0.05),
        )
        for a in range(articles)
        for p in range(per_article)
    ]
    n = len(units)
    raw = np.round(rng.normal(0.0, 0.03, size=(n, n)), 2)  # rounding makes ties common
    scores = np.triu(raw, 1) + np.triu(raw, 1).T
    for a in range(articles):
        block = slice(a * per_article, (a + 1) * per_article)
        scores[block, block] = -np.inf
    return units, scores


@pytest.mark.parametrize("seed", range(8))
def test_incremental_grouping_equals_full_rescan(seed: int) -> None:
    units, scores = random_story(seed, articles=6 + seed, per_article=5 + seed % 3)
    params = AlignParams(min_link=-0.05) if seed % 2 else DEFAULT_PARAMS
    expected = rescan_groups(units, scores, params)
    assert expected, "the random story should form some facts"
    assert group_units(units, scores, params) == expected

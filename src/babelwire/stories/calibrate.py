"""Fit the score weights and choose clustering thresholds from labelled pairs and gold clusters."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from babelwire.eval.metrics import bcubed
from babelwire.stories.datasets import GoldPair
from babelwire.stories.evaluate import cluster_features
from babelwire.stories.features import ArticleFeatures
from babelwire.stories.score import ClusterParams, pair_features

#: Graded pair labels (``overall`` 1 same story … 4 unrelated) become soft targets in [0, 1].
OVERALL_BEST, OVERALL_WORST = 1.0, 4.0


@dataclass(slots=True)
class PairData:
    """Pair feature rows, targets in [0, 1], and a weight per row."""

    x: np.ndarray
    y: np.ndarray
    w: np.ndarray

    @staticmethod
    def concat(parts: Iterable[PairData]) -> PairData:
        """Stack several pair sets."""
        items = list(parts)
        return PairData(
            np.concatenate([p.x for p in items]),
            np.concatenate([p.y for p in items]),
            np.concatenate([p.w for p in items]),
        )


def soft_target(overall: float) -> float:
    """``overall`` 1 -> 1.0 (same story), 4 -> 0.0 (unrelated), linear in between."""
    return float(np.clip((OVERALL_WORST - overall) / (OVERALL_WORST - OVERALL_BEST), 0.0, 1.0))


def graded_pairs(
    pairs: Sequence[GoldPair],
    feats: Mapping[str, ArticleFeatures],
    params: ClusterParams,
    weight: float = 1.0,
) -> PairData:
    """Feature rows of graded pairs; the total weight of the set is ``weight``."""
    x = np.array([pair_features(feats[p.id1], feats[p.id2], params) for p in pairs])
    y = np.array([soft_target(p.overall) for p in pairs])
    return PairData(x, y, np.full(len(pairs), weight / max(1, len(pairs))))


def cluster_pairs(
    ids: Sequence[str],
    gold: Mapping[str, str],
    groups: Mapping[str, str],
    feats: Mapping[str, ArticleFeatures],
    params: ClusterParams,
    weight: float = 1.0,
    other_group_every: int = 50,
) -> PairData:
    """Pairs within each group (topic) labelled same/different cluster, plus a sample across groups.

    Within a group both events are of the same kind, so these pairs hold the hard negatives;
    every ``other_group_every``-th pair across groups adds easy negatives. Total weight ``weight``.
    """
    rows, ys = [], []
    for n, (a, b) in enumerate(itertools.combinations(ids, 2)):
        if groups.get(a) == groups.get(b) or n % other_group_every == 0:
            rows.append(pair_features(feats[a], feats[b], params))
            ys.append(1.0 if gold[a] == gold[b] else 0.0)
    x, y = np.array(rows), np.array(ys)
    # positives and negatives weigh the same, so the fit does not lean on the class ratio
    w = np.where(y > 0.5, 0.5 / max(1.0, y.sum()), 0.5 / max(1.0, (1 - y).sum())) * weight
    return PairData(x, y, w)


def fit_logistic(data: PairData, l2: float = 1e-3, iterations: int = 50) -> tuple[float, np.ndarray]:
    """Weighted logistic regression with soft targets (Newton's method); returns (bias, weights).

    Features are standardised for the fit and the weights mapped back, so ``l2`` acts evenly.
    """
    mean, std = data.x.mean(axis=0), data.x.std(axis=0)
    std[std == 0] = 1.0
    z = np.hstack([np.ones((len(data.x), 1)), (data.x - mean) / std])
    w = data.w / data.w.sum()
    beta = np.zeros(z.shape[1])
    reg = np.full(z.shape[1], l2)
    reg[0] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ beta, -35, 35)))
        grad = z.T @ (w * (p - data.y)) + reg * beta
        hess = (z * (w * p * (1 - p))[:, None]).T @ z + np.diag(reg) + 1e-9 * np.eye(z.shape[1])
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    weights = beta[1:] / std
    bias = float(beta[0] - np.dot(weights, mean))
    return bias, weights


def with_fit(params: ClusterParams, bias: float, weights: np.ndarray) -> ClusterParams:
    """Params with fitted bias and weights (rounded, so that the defaults read cleanly)."""
    return params.with_(bias=round(float(bias), 3), weights=tuple(round(float(v), 3) for v in weights))


def clustering_f1(
    feats: Sequence[ArticleFeatures],
    gold: Mapping[str, str],
    params: ClusterParams,
    orders: int = 1,
    seed: int = 0,
) -> float:
    """Mean B-cubed F1 over the input order and ``orders - 1`` shuffled orders."""
    rng = np.random.default_rng(seed)
    scores = []
    for n in range(orders):
        order = list(feats)
        if n:
            order = [order[i] for i in rng.permutation(len(order))]
        pred, _ = cluster_features(order, params)
        scores.append(bcubed(gold, pred)[2])
    return float(np.mean(scores))


def choose_threshold(
    feats: Sequence[ArticleFeatures],
    gold: Mapping[str, str],
    params: ClusterParams,
    grid: Sequence[float],
    orders: int = 1,
) -> tuple[float, float]:
    """The threshold (merge threshold alike) with the best mean B-cubed F1; (threshold, F1).

    Ties go to the threshold nearest 0.5, the middle of the score.
    """
    best = (-1.0, 0.0)
    for threshold in (float(t) for t in grid):
        trial = params.with_(threshold=threshold, merge_threshold=threshold)
        f1 = clustering_f1(feats, gold, trial, orders)
        if f1 > best[0] + 1e-9 or (abs(f1 - best[0]) <= 1e-9 and abs(threshold - 0.5) < abs(best[1] - 0.5)):
            best = (f1, threshold)
    return float(best[1]), best[0]


#: Split rules tried by ``choose_split``: (``split_margin``, ``split_min_size``); None: no split.
SPLIT_OPTIONS: tuple[tuple[float, int] | None, ...] = (None, (0.10, 3), (0.15, 3), (0.10, 4), (0.15, 4))


def choose_split(
    feats: Sequence[ArticleFeatures],
    gold: Mapping[str, str],
    params: ClusterParams,
    options: Sequence[tuple[float, int] | None] = SPLIT_OPTIONS,
    orders: int = 1,
) -> tuple[ClusterParams, float]:
    """The split rule with the best mean B-cubed F1 (ties: the earlier option); (params, F1)."""
    best: tuple[float, ClusterParams] | None = None
    for option in options:
        trial = params.with_(split_margin=None)
        if option is not None:
            trial = params.with_(split_margin=option[0], split_min_size=option[1])
        f1 = clustering_f1(feats, gold, trial, orders)
        if best is None or f1 > best[0] + 1e-9:
            best = (f1, trial)
    assert best is not None
    return best[1], best[0]

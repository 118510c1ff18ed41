"""Clustering and pair-scoring metrics: B-cubed, adjusted Rand index, Pearson, ROC AUC."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence


def bcubed(gold: Mapping[str, str], pred: Mapping[str, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 over the items in ``gold``.

    An item missing from ``pred`` counts as a singleton cluster of its own.
    """
    items = list(gold)
    if not items:
        return 1.0, 1.0, 1.0
    labels = {item: pred.get(item, f"\x00singleton:{item}") for item in items}
    joint = Counter((gold[i], labels[i]) for i in items)
    gold_size = Counter(gold[i] for i in items)
    pred_size = Counter(labels[i] for i in items)
    precision = sum(joint[(gold[i], labels[i])] / pred_size[labels[i]] for i in items) / len(items)
    recall = sum(joint[(gold[i], labels[i])] / gold_size[gold[i]] for i in items) / len(items)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _pairs(n: int) -> float:
    return n * (n - 1) / 2.0


def adjusted_rand_index(gold: Mapping[str, str], pred: Mapping[str, str]) -> float:
    """Adjusted Rand index of ``pred`` against ``gold`` over the items in ``gold`` (1 = identical)."""
    items = list(gold)
    n = len(items)
    if n < 2:
        return 1.0
    labels = {item: pred.get(item, f"\x00singleton:{item}") for item in items}
    joint = Counter((gold[i], labels[i]) for i in items)
    index = sum(_pairs(c) for c in joint.values())
    sum_gold = sum(_pairs(c) for c in Counter(gold[i] for i in items).values())
    sum_pred = sum(_pairs(c) for c in Counter(labels.values()).values())
    expected = sum_gold * sum_pred / _pairs(n)
    maximum = (sum_gold + sum_pred) / 2.0
    if maximum == expected:
        return 1.0  # both partitions trivial (all singletons or one cluster) and identical in pair terms
    return (index - expected) / (maximum - expected)


def pearson(x: Sequence[float], y: Sequence[float]) -> float:
    """Pearson correlation of two equally long sequences (0.0 when either is constant)."""
    if len(x) != len(y):
        raise ValueError(f"pearson needs sequences of equal length, got {len(x)} and {len(y)}")
    n = len(x)
    if n < 2:
        return 0.0
    mx, my = math.fsum(x) / n, math.fsum(y) / n
    sxy = math.fsum((a - mx) * (b - my) for a, b in zip(x, y, strict=True))
    sxx = math.fsum((a - mx) ** 2 for a in x)
    syy = math.fsum((b - my) ** 2 for b in y)
    if sxx <= 0 or syy <= 0:
        return 0.0
    return max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))


def roc_auc(labels: Sequence[bool], scores: Sequence[float]) -> float:
    """Area under the ROC curve: the chance a positive outscores a negative (ties count half)."""
    if len(labels) != len(scores):
        raise ValueError(f"roc_auc needs sequences of equal length, got {len(labels)} and {len(scores)}")
    positives = sum(1 for lab in labels if lab)
    negatives = len(labels) - positives
    if positives == 0 or negatives == 0:
        raise ValueError("roc_auc needs at least one positive and one negative label")
    # rank-sum (Mann-Whitney U) with average ranks for ties
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    ranks = [0.0] * len(scores)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and scores[order[j + 1]] == scores[order[i]]:
            j += 1
        avg = (i + j) / 2.0 + 1.0
        for k in range(i, j + 1):
            ranks[order[k]] = avg
        i = j + 1
    rank_sum = sum(r for r, lab in zip(ranks, labels, strict=True) if lab)
    return (rank_sum - positives * (positives + 1) / 2.0) / (positives * negatives)


def cluster_sizes(assignment: Mapping[str, str]) -> dict[str, list[str]]:
    """Cluster id -> its items, in the order the items appear."""
    out: dict[str, list[str]] = defaultdict(list)
    for item, cluster in assignment.items():
        out[cluster].append(item)
    return dict(out)


def prf(tp_pred: int, n_pred: int, tp_gold: int, n_gold: int) -> dict[str, float]:
    """Precision (``tp_pred / n_pred``), recall (``tp_gold / n_gold``) and their F1, to 4 places."""
    p = tp_pred / n_pred if n_pred else 0.0
    r = tp_gold / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}

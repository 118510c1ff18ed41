"""Score story clustering against gold clusters, and the pair score against graded pair labels."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from babelwire.embed import Encoder
from babelwire.eval.metrics import adjusted_rand_index, bcubed, pearson, roc_auc
from babelwire.model import Article
from babelwire.stories.cluster import StoryClusterer, order_for_clustering
from babelwire.stories.datasets import GoldPair
from babelwire.stories.features import ArticleFeatures, compute_features
from babelwire.stories.score import DEFAULT_PARAMS, ClusterParams, pair_score

#: SemEval-2022 Task 8: pairs with ``overall`` <= this count as the same story for AUC.
SAME_STORY_MAX_OVERALL = 2.0


@dataclass(slots=True)
class ClusterReport:
    """B-cubed, ARI and story counts of a clustering against gold, with timings in seconds."""

    precision: float
    recall: float
    f1: float
    ari: float
    stories: int
    gold_stories: int
    articles: int
    encode_seconds: float = 0.0
    cluster_seconds: float = 0.0
    assignments: dict[str, str] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """Human-readable lines for a terminal."""
        return [
            f"articles {self.articles}  stories {self.stories} (gold {self.gold_stories})",
            f"B-cubed P {self.precision:.4f}  R {self.recall:.4f}  F1 {self.f1:.4f}  ARI {self.ari:.4f}",
            f"time: features {self.encode_seconds:.2f}s, clustering {self.cluster_seconds:.3f}s",
        ]


@dataclass(slots=True)
class PairReport:
    """Pearson of the score with ``-overall`` and AUC for same-story pairs, overall and per language."""

    pearson: float
    auc: float
    pairs: int
    baseline_pearson: float  # body-embedding cosine, over the pairs whose two bodies were embedded
    baseline_auc: float
    by_lang: dict[str, tuple[int, float, float]] = field(default_factory=dict)  # lang -> (n, r, r_cos)
    baseline_pairs: int = 0  # pairs the baseline is measured on

    def lines(self) -> list[str]:
        """Human-readable lines for a terminal."""
        out = [
            f"pairs {self.pairs}  Pearson(score, -overall) {self.pearson:.4f}  "
            f"AUC(overall<=2) {self.auc:.4f}",
            f"baseline body cosine: Pearson {self.baseline_pearson:.4f}  AUC {self.baseline_auc:.4f}"
            + (
                f"  ({self.baseline_pairs} pairs; {self.pairs - self.baseline_pairs} with a page of"
                " only site notices left out)"
                if self.baseline_pairs < self.pairs
                else ""
            ),
        ]
        for lang, (n, r, rc) in sorted(self.by_lang.items()):
            out.append(f"  {lang:6s} n={n:4d}  Pearson {r:.4f}  (cosine {rc:.4f})")
        return out


def cluster_features(
    feats: Sequence[ArticleFeatures], params: ClusterParams = DEFAULT_PARAMS
) -> tuple[dict[str, str], float]:
    """Cluster features in publication order (input order when undated); assignments and seconds taken."""
    start = time.perf_counter()
    clusterer = StoryClusterer(params)
    clusterer.add_many(order_for_clustering(list(feats)))
    return clusterer.assignments(), time.perf_counter() - start


def evaluate_clusters(
    articles: Sequence[Article],
    gold: Mapping[str, str],
    encoder: Encoder,
    params: ClusterParams = DEFAULT_PARAMS,
    feats: Sequence[ArticleFeatures] | None = None,
) -> ClusterReport:
    """Compute features (unless given), cluster, and score against ``gold`` (article id -> cluster)."""
    start = time.perf_counter()
    if feats is None:
        feats = compute_features(articles, encoder)
    encode_seconds = time.perf_counter() - start
    pred, cluster_seconds = cluster_features(feats, params)
    p, r, f = bcubed(gold, pred)
    return ClusterReport(
        precision=p,
        recall=r,
        f1=f,
        ari=adjusted_rand_index(gold, pred),
        stories=len({pred[i] for i in gold if i in pred}),
        gold_stories=len(set(gold.values())),
        articles=len(gold),
        encode_seconds=encode_seconds,
        cluster_seconds=cluster_seconds,
        assignments=pred,
    )


def _corr(scores: Sequence[float], targets: Sequence[float]) -> float:
    return pearson(list(scores), list(targets)) if len(scores) > 2 else float("nan")


def evaluate_pairs(
    pairs: Sequence[GoldPair],
    feats: Mapping[str, ArticleFeatures],
    params: ClusterParams = DEFAULT_PARAMS,
) -> PairReport:
    """Pearson and AUC of ``pair_score`` (and of the body cosine) against the human ``overall`` labels.

    The body-cosine baseline leaves out pairs with a page that is nothing but site notices (a bot
    wall): its body vector is zero, so its cosine, 0, would say nothing about the embeddings.
    """
    scores = [pair_score(feats[p.id1], feats[p.id2], params) for p in pairs]
    cosines = [float(np.dot(feats[p.id1].body, feats[p.id2].body)) for p in pairs]
    targets = [-p.overall for p in pairs]
    labels = [p.overall <= SAME_STORY_MAX_OVERALL for p in pairs]
    embedded = [bool(np.any(feats[p.id1].body) and np.any(feats[p.id2].body)) for p in pairs]
    by_lang: dict[str, tuple[int, float, float]] = {}
    for lang in sorted({p.lang for p in pairs}):
        idx = [i for i, p in enumerate(pairs) if p.lang == lang]
        base = [i for i in idx if embedded[i]]
        by_lang[lang] = (
            len(idx),
            _corr([scores[i] for i in idx], [targets[i] for i in idx]),
            _corr([cosines[i] for i in base], [targets[i] for i in base]),
        )
    base = [i for i in range(len(pairs)) if embedded[i]]
    base_labels = [labels[i] for i in base]
    return PairReport(
        pearson=_corr(scores, targets),
        auc=roc_auc(labels, scores) if any(labels) and not all(labels) else float("nan"),
        pairs=len(pairs),
        baseline_pearson=_corr([cosines[i] for i in base], [targets[i] for i in base]),
        baseline_auc=roc_auc(base_labels, [cosines[i] for i in base])
        if any(base_labels) and not all(base_labels)
        else float("nan"),
        by_lang=by_lang,
        baseline_pairs=len(base),
    )

"""The article-article score: a logistic of embedding similarity, shared names, numbers and time."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from babelwire.stories.features import ArticleFeatures

#: Names of the pair features, in the order of ``ClusterParams.weights``.
FEATURE_NAMES: tuple[str, ...] = ("head", "body", "names", "numbers", "days", "cross")


@dataclass(frozen=True, slots=True)
class ClusterParams:
    """Score weights and clustering thresholds (defaults calibrated by ``scripts/calibrate_stories.py``).

    The score is ``sigmoid(bias + Σ weight_i · feature_i)`` over ``FEATURE_NAMES``:
    cosine of the head vectors, cosine of the body vectors, overlap of names (or of linked
    entities when both articles have them), overlap of numbers, and publication-day distance
    (capped at ``window_days``, 0 when a date is unknown), and whether the two are in different
    languages (embeddings of translations sit a little further apart than same-language ones).
    """

    bias: float = -34.659
    weights: tuple[float, ...] = (16.042, 22.793, 1.366, 0.565, -0.055, 1.346)
    threshold: float = 0.35  # an article joins a story iff its link score >= threshold
    window_days: float = 14.0  # only articles this close in time are candidates (follow-ups included)
    name_neutral: float = 0.15  # overlap assumed when a side has too few names to compare
    min_names: int = 3  # fewer names than this on a side: the name feature is neutral
    number_neutral: float = 0.1
    min_numbers: int = 2
    candidates: int = 40  # nearest articles fetched from the index per new article
    min_candidate_cos: float = 0.70  # index hits below this cosine are not considered
    link: str = "average"  # how pair scores with a story's members combine: average | max | min | mean-max
    max_link_members: int = 30  # most similar members of a story used for the link score
    merge_threshold: float = 0.55  # two stories merge when their link score reaches this
    # An article joins (two stories merge) only if its link is at most this far under the story's
    # cohesion (mean pair score among its members), both over same-language pairs; None: no check.
    cohesion_margin: float | None = None
    merge_cohesion_margin: float | None = None
    max_active: int = 50_000  # safety cap on articles kept in the index when dates are missing

    def with_(self, **changes: object) -> ClusterParams:
        """A copy with some fields changed."""
        from dataclasses import replace

        return replace(self, **changes)  # type: ignore[arg-type]


DEFAULT_PARAMS = ClusterParams()


def overlap(a: frozenset[str], b: frozenset[str], minimum: int, neutral: float) -> float:
    """Share of the smaller set found in the other (smoothed by 1); ``neutral`` if a side is too small."""
    if len(a) < minimum or len(b) < minimum:
        return neutral
    shared = len(a & b)
    return shared / (min(len(a), len(b)) + 1.0)


def pair_features(a: ArticleFeatures, b: ArticleFeatures, params: ClusterParams) -> np.ndarray:
    """The raw feature vector of a pair, in the order of ``FEATURE_NAMES``."""
    head = float(np.dot(a.head, b.head))
    body = float(np.dot(a.body, b.body))
    if a.entities and b.entities:
        names = overlap(a.entities, b.entities, params.min_names, params.name_neutral)
    else:
        names = overlap(a.names, b.names, params.min_names, params.name_neutral)
    numbers = overlap(a.numbers, b.numbers, params.min_numbers, params.number_neutral)
    days = 0.0
    if a.day is not None and b.day is not None:
        days = min(abs(a.day - b.day), params.window_days)
    cross = 1.0 if a.lang and b.lang and a.lang != b.lang else 0.0
    return np.array([head, body, names, numbers, days, cross], dtype=np.float64)


def logistic(x: float) -> float:
    """The logistic function, safe for large arguments."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def score_from_features(features: np.ndarray, params: ClusterParams) -> float:
    """Score in [0, 1] from a raw feature vector."""
    return logistic(params.bias + float(np.dot(np.asarray(params.weights), features)))


def pair_score(a: ArticleFeatures, b: ArticleFeatures, params: ClusterParams = DEFAULT_PARAMS) -> float:
    """How likely two articles report the same event, in [0, 1]; same story iff >= ``params.threshold``."""
    return score_from_features(pair_features(a, b, params), params)


def cosine(a: ArticleFeatures, b: ArticleFeatures) -> float:
    """Raw cosine of the body embeddings (the baseline the combined score is compared with)."""
    return float(np.dot(a.body, b.body))

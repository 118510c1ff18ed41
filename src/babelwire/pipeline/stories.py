"""The story steps of the pipeline: a per-article features stage and the ordered clustering step."""

from __future__ import annotations

from collections.abc import Sequence

from babelwire.embed import Encoder
from babelwire.model import Article
from babelwire.stories import ArticleFeatures, StoryClusterer, compute_features, order_for_clustering

FEATURES_KEY = "_features"  # where the features stage leaves them on ``article.extra`` (not stored as JSON)
STORIES_STAGE = "stories"
STORIES_VERSION = "1"


class FeaturesStage:
    """Embed each report and extract what clustering compares (names, numbers, time)."""

    name = "features"
    version = "3"  # 3: consent banners and their buttons are notices too (2: sender kept, notices left out)
    requires: tuple[str, ...] = ("text", "title", "lead", "lang", "sentences")
    provides: tuple[str, ...] = ("features",)
    skip_duplicates = True  # a copy joins its original's story

    def __init__(self, encoder: Encoder) -> None:
        self.encoder = encoder

    def run(self, articles: list[Article]) -> None:
        """Attach ``ArticleFeatures`` to every article in the batch."""
        for article, feats in zip(articles, compute_features(articles, self.encoder), strict=True):
            article.extra[FEATURES_KEY] = feats


def features_of(article: Article) -> ArticleFeatures | None:
    """The features the features stage attached, if any."""
    feats = article.extra.get(FEATURES_KEY)
    return feats if isinstance(feats, ArticleFeatures) else None


def assign_stories(articles: Sequence[Article], clusterer: StoryClusterer) -> dict[str, str]:
    """Cluster originals in publication order, then give each copy its original's story.

    Returns article id -> story id for every article given (after any merges the batch caused).
    """
    originals = [a for a in articles if a.ok and a.duplicate_of is None and features_of(a) is not None]
    for article in order_for_clustering(originals):
        feats = features_of(article)
        assert feats is not None
        article.story_id = clusterer.add(feats)
    assignments = clusterer.assignments()
    result: dict[str, str] = {}
    for article in articles:
        if article.duplicate_of is not None:
            story = assignments.get(article.duplicate_of)
        else:
            story = assignments.get(article.id)
        if story is not None:
            article.story_id = story
            article.stages[STORIES_STAGE] = STORIES_VERSION
            result[article.id] = story
    return result

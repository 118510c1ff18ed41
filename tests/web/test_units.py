"""Pieces of the web layer without a database: text marks, the timeline, links, settings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from babelwire.config import Settings
from babelwire.model import Article, Mention, Quote, Sentence, Span, TimeExpr
from babelwire.web.markup import article_paragraphs, snippet, story_paragraphs
from babelwire.web.schemas import safe_url
from babelwire.web.settings import WebSettings
from babelwire.web.templating import fmt_span, query_url, seg
from babelwire.web.timeline import build_timeline

TEXT = 'Anna Berg said: "We leave on Monday."\n\nThe ferry left Visby.'


def _article() -> Article:
    return Article(
        id="a",
        text=TEXT,
        paragraphs=[Span(0, 37), Span(39, len(TEXT))],
        sentences=[Sentence(0, 37, 0), Sentence(39, len(TEXT), 1)],
        mentions=[
            Mention("Anna Berg", 0, 9, "PER", "PER:anna-berg"),
            Mention("Visby", 55, 60, "LOC", "LOC:visby"),
        ],
        quotes=[Quote("We leave on Monday.", 17, 36)],
        timexes=[TimeExpr("Monday", 29, 35, "DATE", "2026-10-26"), TimeExpr("broken", 500, 400, "DATE", "x")],
    )


def test_article_paragraphs_mark_entities_quotes_and_times() -> None:
    paragraphs = article_paragraphs(_article())
    assert len(paragraphs) == 2
    assert "".join(s.text for p in paragraphs for s in p.segments) == TEXT.replace("\n\n", "")
    first = paragraphs[0].segments
    assert first[0].text == "Anna Berg" and first[0].entity_id == "PER:anna-berg"
    monday = next(s for s in first if s.text == "Monday")
    assert monday.quote and monday.timex == "2026-10-26"
    assert any(s.entity_id == "LOC:visby" for s in paragraphs[1].segments)


def test_offsets_out_of_range_are_ignored() -> None:
    article = Article(
        id="b", text="short", mentions=[Mention("x", 3, 99, "PER", "e"), Mention("y", 9, 2, "LOC")]
    )
    segments = article_paragraphs(article)[0].segments
    assert "".join(s.text for s in segments) == "short"
    assert [s.entity_id for s in segments] == [None, "e"]


def test_story_paragraphs_carry_fact_flags() -> None:
    article = _article()
    paragraphs = story_paragraphs(article, {(0, 37): 4}, {(39, len(TEXT))}, set())
    assert paragraphs[0].sentences[0].fact == 4
    assert paragraphs[1].sentences[0].unique and paragraphs[1].sentences[0].fact is None


def test_snippet_centres_on_the_query() -> None:
    text = "word " * 100 + "Budapest harbour " + "word " * 100
    piece = snippet(text, "budapest")
    assert "Budapest" in piece and piece.startswith("…") and len(piece) < 240


def test_timeline_buckets_per_language() -> None:
    t0 = datetime(2026, 10, 30, 6, 0, tzinfo=UTC)
    reports = [("en", t0), ("en", t0 + timedelta(minutes=20)), ("de", t0 + timedelta(hours=5)), ("sv", None)]
    timeline = build_timeline(reports)
    assert timeline is not None
    assert timeline.bucket == timedelta(hours=1)
    assert sorted((lang, n) for lang, _, n in timeline.buckets) == [("de", 1), ("en", 2)]
    assert [r.lang for r in timeline.rows] == ["en", "de"]
    assert timeline.ticks and all(timeline.plot_left <= t.x <= timeline.plot_right for t in timeline.ticks)
    assert build_timeline([("en", None)]) is None
    long = build_timeline([("en", t0), ("en", t0 + timedelta(days=30))])
    assert long is not None and long.bucket == timedelta(days=1)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a", "https://example.org/a"),
        ("javascript:alert(1)", None),
        (" JaVaScRiPt:alert(1)", None),
        ("data:text/html,<script>", None),
        ("//evil.example/x", None),
        (None, None),
    ],
)
def test_safe_url(url: str | None, expected: str | None) -> None:
    assert safe_url(url) == expected


def test_link_helpers() -> None:
    assert seg("a/b c?") == "a%2Fb%20c%3F"
    assert query_url("/", {"lang": "sv", "page": "2"}, page=None) == "/?lang=sv"
    t0 = datetime(2026, 10, 30, 6, 10, tzinfo=UTC)
    assert "(28 h)" in fmt_span(t0, t0 + timedelta(hours=28))


def test_web_settings_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BABELWIRE_API_TOKEN", "s3cret")
    monkeypatch.setenv("BABELWIRE_MAX_BODY_BYTES", "1234")
    settings = WebSettings.from_env(db="x.db")
    assert settings.token == "s3cret" and settings.max_body_bytes == 1234 and settings.engine.db == "x.db"
    assert WebSettings.coerce(Settings(db="y.db")).engine.db == "y.db"
    assert WebSettings.coerce("z.db").engine.db == "z.db"


def test_matrix_rows_count_outlets_or_reports() -> None:
    from babelwire.coverage import Coverage
    from babelwire.coverage.result import FactGroup, SentenceRef
    from babelwire.web.views import _matrix

    a = Article(id="a", text="Two ferries collided.", lang="en")
    b = Article(id="b", text="Två färjor kolliderade.", lang="sv")
    refs = [SentenceRef("a", 0, 21, a.text, "en"), SentenceRef("b", 0, 23, b.text, "sv")]
    known = FactGroup(refs, articles=["a", "b"], sources=["Harbour Gazette", "Island Courier", "Sjöposten"])
    unknown = FactGroup(refs, articles=["a", "b"])  # plain-text files: no outlet is known
    single = FactGroup(refs[:1], articles=["a"], sources=["Harbour Gazette"])
    rows = _matrix(Coverage(facts=[known, unknown, single]), [a, b], "en")
    assert [r.carriers for r in rows] == ["3 outlets", "2 reports", "1 outlet"]

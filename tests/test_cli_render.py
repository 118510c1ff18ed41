"""The story header line says what is known and leaves out what is not; story labels are shown whole."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from rich.console import Console

from babelwire.cli import common
from babelwire.cli.render import print_story, story_line
from babelwire.model import Article, Story


def test_story_line_with_copies_and_outlets() -> None:
    story = Story(
        id="s1",
        label="x",
        size=4,
        reports=3,
        languages=["en", "sv"],
        sources=["Harbour Gazette", "Island Courier"],
    )
    assert (
        story_line(story)
        == "3 reports (4 with copies) in en, sv from 2 outlets: Harbour Gazette, Island Courier"
    )


def test_story_line_without_copies_or_outlets() -> None:
    # the seed reports come as bare text files: no outlet, no copy
    assert story_line(Story(id="s2", label="x", size=2, reports=2, languages=["en", "sv"])) == (
        "2 reports in en, sv (outlets unknown)"
    )
    one = Story(id="s3", label="x", size=1, reports=1, languages=["de"], sources=["Nordhafen Kurier"])
    assert story_line(one) == "1 report in de from 1 outlet: Nordhafen Kurier"


# -- the stories table ---------------------------------------------------------------------------

LONG_LABEL = (
    "Ferry operator on Lake Varnholm suspends night crossings after a [second] engine fire near Osterby"
)


def _stories_at(width: int, monkeypatch: pytest.MonkeyPatch) -> str:
    out = io.StringIO()
    monkeypatch.setattr(common, "console", Console(file=out, width=width, color_system=None))
    stories = [
        Story(
            id="s0123456789abcdef",
            label=LONG_LABEL,
            size=3,
            reports=3,
            languages=["de", "en", "sv"],
            sources=["Harbour Gazette", "Island Courier", "Nordhafen Kurier"],
            first_published=datetime(2026, 5, 2, 8, tzinfo=UTC),
            last_published=datetime(2026, 5, 3, 9, tzinfo=UTC),
        ),
        Story(id="s2", label="Short label", size=1, reports=1, languages=["en"]),
    ]
    common._print_stories(stories)
    return out.getvalue()


def test_story_labels_are_never_cut_on_an_80_column_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    # the ids, counts and dates leave a label six columns at 80: it goes on lines of its own
    out = _stories_at(80, monkeypatch)
    assert "…" not in out
    assert LONG_LABEL in " ".join(out.split())  # whole, brackets and all (no markup eaten)
    assert max(len(line) for line in out.splitlines()) <= 80
    lines = out.splitlines()
    row = next(i for i, line in enumerate(lines) if "s0123456789abcdef" in line)
    assert "2026-05-02..05-03" in lines[row] and "Ferry" not in lines[row]
    assert lines[row + 1].startswith("   Ferry operator")
    assert "Short label" in out and "2 stories" in out


def test_story_labels_wrap_in_their_column_on_a_wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    out = _stories_at(110, monkeypatch)
    assert "…" not in out
    lines = out.splitlines()
    assert lines[0].split() == ["id", "articles", "languages", "outlets", "span", "label"]
    row = next(i for i, line in enumerate(lines) if "s0123456789abcdef" in line)
    assert "Ferry operator" in lines[row]  # the label starts on the story's own row
    assert LONG_LABEL in " ".join(out.split())
    assert max(len(line.rstrip()) for line in lines) <= 110
    wide = _stories_at(200, monkeypatch)
    assert any("s0123456789abcdef" in line and LONG_LABEL in line for line in wide.splitlines())


def test_story_view_shows_each_report_title_whole() -> None:
    title = "Ferry operator on Lake Varnholm suspends every night crossing after a second engine fire"
    out = io.StringIO()
    story = Story(id="s9", label=title, size=1, reports=1, languages=["en"], sources=["Harbour Gazette"])
    report = Article(id="ferry-1", text="x", title=title, source="Harbour Gazette", lang="en")
    print_story(Console(file=out, width=80, color_system=None), story, [report], None, [], [])
    flat = " ".join(out.getvalue().split())
    assert "…" not in flat
    assert f"Harbour Gazette: {title} ferry-1" in flat


def test_compare_text_lists_one_speaker_quoted_with_different_words() -> None:
    from babelwire.cli.render import print_comparison
    from babelwire.coverage import Coverage
    from babelwire.coverage.result import SentenceRef, SpeakerQuotes

    en = SentenceRef("a", 0, 52, '"The harbour will reopen soon," Mayor Lind Okafor said.', "en")
    sv = SentenceRef("b", 0, 47, "– Vi bygger om kajen i vår, säger Lind Okafor.", "sv")
    coverage = Coverage(speakers=[SpeakerQuotes("Lind Okafor", [en, sv])], reader_lang="en")
    out = io.StringIO()
    print_comparison(Console(file=out, width=200), coverage, {"a": "a (Gazette, en)", "b": "b (Posten, sv)"})
    text = out.getvalue()
    assert "One speaker, different words" in text
    assert "  Lind Okafor" in text
    assert 'A: "The harbour will reopen soon,"' in text and "B: – Vi bygger om kajen" in text


# -- the articles table --------------------------------------------------------------------------

URL_ID = "https://www.harbour-gazette.invalid/2026/05/02/region/ferry-operator-suspends-night-crossings"
TITLE = "Ferry operator on Lake Varnholm suspends night crossings after a [second] engine fire"


def _articles_at(width: int, monkeypatch: pytest.MonkeyPatch, article_id: str = URL_ID) -> str:
    from babelwire.cli import articles

    out = io.StringIO()
    monkeypatch.setattr(articles, "console", Console(file=out, width=width, color_system=None))
    found = [
        Article(
            id=article_id,
            text="x",
            title=TITLE,
            source="Harbour Gazette",
            lang="en",
            published=datetime(2026, 5, 2, 8, tzinfo=UTC),
        ),
        Article(id="short-1", text="x", title="Short title", source=None, lang=None, duplicate_of=article_id),
    ]
    articles._print_articles(found)
    return out.getvalue()


def test_article_titles_stay_visible_beside_long_url_ids_on_80_columns(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = _articles_at(80, monkeypatch)
    lines = out.splitlines()
    row = next(i for i, line in enumerate(lines) if URL_ID in line)  # the id is whole, on one line
    assert "2026-05-02T08:00" in lines[row] and "en" in lines[row] and "Harbour Gazette" in lines[row]
    assert lines[row + 1].startswith("   Ferry operator")  # the title on its own lines, whole
    assert TITLE in " ".join(out.split())
    assert all(len(line) <= 80 for line in lines if line.startswith("   "))
    short = next(i for i, line in enumerate(lines) if "short-1" in line)
    assert "unknown" in lines[short] and lines[short + 1].strip() == "Short title"


def test_article_titles_share_the_row_when_there_is_room(monkeypatch: pytest.MonkeyPatch) -> None:
    out = _articles_at(100, monkeypatch, article_id="gazette-1")
    lines = out.splitlines()
    assert lines[0].split()[:5] == ["id", "published", "lang", "source", "title"]
    row = next(line for line in lines if line.startswith(" gazette-1"))
    assert "2026-05-02T08:00" in row and "Ferry operator" in row and row.rstrip().endswith("…")
    assert len(lines) == 3 and all(len(line.rstrip()) <= 100 for line in lines)  # one line per article
    wide = _articles_at(280, monkeypatch)
    assert any(URL_ID in line and TITLE in line for line in wide.splitlines())

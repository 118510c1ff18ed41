"""Normalised text, title, lead, publication date, source and content hash of every article."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime, timedelta, timezone

import pytest

from babelwire.ingest.normalize import (
    MAX_TITLE,
    NormalizeStage,
    clean_line,
    clean_text,
    content_hash,
    derive_title_and_lead,
)
from babelwire.ingest.records import (
    Overrides,
    Rejection,
    article_from_record,
    derive_id,
    domain_of,
    parse_published,
)
from babelwire.model import Article
from tests.corpus import DA_TEXT, SV_TEXT, SV_TITLE

# -- text ---------------------------------------------------------------------------------------


def test_nfc() -> None:
    decomposed = "Fa\u0308rjan i Ko\u0308penhamn"
    assert clean_text(decomposed) == "Färjan i Köpenhamn"
    assert unicodedata.is_normalized("NFC", clean_text(decomposed))


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        ("FÃ¤rjan fastnade utanfÃ¶r Holmsund", "Färjan fastnade utanför Holmsund"),
        ("KÃ¸benhavns Kommune lukkede havnebadet", "Københavns Kommune lukkede havnebadet"),
        (
            "Die StÃ¶rung soll bis zum 3. Oktober behoben sein",
            "Die Störung soll bis zum 3. Oktober behoben sein",
        ),
        ("Ã‰ric a dit Â« bonjour Â» â€“ puis il est parti", "Éric a dit « bonjour » – puis il est parti"),
    ],
)
def test_mojibake_is_repaired(broken: str, fixed: str) -> None:
    assert clean_text(broken) == fixed


def test_whitespace_and_invisible_characters() -> None:
    raw = (
        "\ufeff  Rubrik\u00a0med   mellanrum \t\r\n\r\n\r\n\r\n"
        "Första\u200b stycket\u00ad har  osynliga tecken.  \n"
        "\u2003Andra raden.\n\n\n"
    )
    assert clean_text(raw) == "Rubrik med mellanrum\n\nFörsta stycket har osynliga tecken.\nAndra raden."


def test_paragraphs_are_kept() -> None:
    assert clean_text(SV_TEXT) == SV_TEXT
    assert clean_text(SV_TEXT).count("\n\n") == 3


def test_clean_text_is_idempotent() -> None:
    raw = "  FÃ¤rjan\u00a0 fastnade \r\n\r\n\r\n i isen\u200b. "
    once = clean_text(raw)
    assert clean_text(once) == once


def test_clean_line_joins_lines() -> None:
    assert clean_line("  Färja\nfast  i\tisen ") == "Färja fast i isen"


# -- title and lead -----------------------------------------------------------------------------


def test_given_title_and_lead() -> None:
    title, lead = derive_title_and_lead(SV_TEXT, SV_TITLE)
    assert title == SV_TITLE
    assert lead == SV_TEXT.split("\n\n")[0]


def test_title_from_first_line_and_lead_after_it() -> None:
    text = f"{SV_TITLE}\n\n{SV_TEXT}"
    assert derive_title_and_lead(text, "") == (SV_TITLE, SV_TEXT.split("\n\n")[0])
    lines = f"{SV_TITLE}\nFörsta stycket.\nAndra stycket."
    assert derive_title_and_lead(lines, "") == (SV_TITLE, "Första stycket.")


def test_long_first_line_is_cut_at_a_word() -> None:
    text = "ord " * 100
    title, _ = derive_title_and_lead(clean_text(text), "")
    assert len(title) <= MAX_TITLE + 1 and title.endswith("…") and "  " not in title


def test_normalize_stage_fills_title_lead_hash() -> None:
    article = Article(id="a", text=f"  FÃ¤rja fast i packisen\r\n\r\n{DA_TEXT}  ", title="")
    NormalizeStage().run([article])
    assert article.title == "Färja fast i packisen"
    assert article.lead == DA_TEXT.split("\n\n")[0]
    assert article.content_hash == content_hash(article.text)
    assert article.ok


def test_normalize_stage_rejects_text_that_cleans_to_nothing() -> None:
    article = Article(id="z", text="\u200b\u00ad\ufeff \n\t")
    NormalizeStage().run([article])
    assert article.error and "no text left" in article.error


# -- content hash -------------------------------------------------------------------------------


def test_content_hash_ignores_case_punctuation_and_whitespace() -> None:
    a = "Färjan fastnade i packis, utanför Holmsund!"
    b = "  färjan FASTNADE i packis utanför  Holmsund.\n"
    assert content_hash(a) == content_hash(b)
    assert content_hash(a) != content_hash(a.replace("Holmsund", "Umeå"))
    assert len(content_hash(a)) == 40


# -- records: ids, sources, dates ---------------------------------------------------------------


def test_derived_ids_are_stable_and_depend_on_url_or_content() -> None:
    assert derive_id(None, "https://a.example/1", "", "x") == derive_id(
        "Other", "https://a.example/1", "t", "y"
    )
    assert derive_id("A", None, "t", SV_TEXT) == derive_id("A", None, "t", SV_TEXT)
    assert derive_id("A", None, "t", SV_TEXT) != derive_id("B", None, "t", SV_TEXT)
    assert len(derive_id(None, None, "", "x")) == 16


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://www.kustbladet.example/a/1", "kustbladet.example"),
        ("http://nyheter.kustbladet.example:8080/x?y=1", "nyheter.kustbladet.example"),
        ("kustbladet.example/a", None),
        ("", None),
        (None, None),
        ("http://[::1", None),  # urlparse raises ValueError (unclosed IPv6 bracket)
        ("https://[nyheter.example]/a", None),
    ],
)
def test_domain_of(url: str | None, domain: str | None) -> None:
    assert domain_of(url) == domain


CEST = timezone(timedelta(hours=2))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-10-12T08:30:00Z", datetime(2026, 10, 12, 8, 30, tzinfo=UTC)),
        ("2026-10-12T08:30:00+02:00", datetime(2026, 10, 12, 8, 30, tzinfo=CEST)),
        ("2026-10-12T08:30:00", datetime(2026, 10, 12, 8, 30, tzinfo=UTC)),
        ("2026-10-12", datetime(2026, 10, 12, tzinfo=UTC)),
        ("2026/10/12 08:30", datetime(2026, 10, 12, 8, 30, tzinfo=UTC)),
        ("Mon, 12 Oct 2026 08:30:00 +0000", datetime(2026, 10, 12, 8, 30, tzinfo=UTC)),
        ("Mon, 12 Oct 2026 08:30:00 GMT", datetime(2026, 10, 12, 8, 30, tzinfo=UTC)),
        ("12 October 2026", datetime(2026, 10, 12, tzinfo=UTC)),
        ("October 12, 2026", datetime(2026, 10, 12, tzinfo=UTC)),
        ("12. Oktober 2026", datetime(2026, 10, 12, tzinfo=UTC)),
        ("12 oktober 2026", datetime(2026, 10, 12, tzinfo=UTC)),
        (1791700000, datetime(2026, 10, 11, 6, 26, 40, tzinfo=UTC)),
        ("1791700000", datetime(2026, 10, 11, 6, 26, 40, tzinfo=UTC)),
    ],
)
def test_publication_dates_in_common_formats(value: object, expected: datetime) -> None:
    assert parse_published(value) == expected


@pytest.mark.parametrize("value", [None, "", "soon", "2026-13-45", "yesterday", "i går", "Oct 2026", True])
def test_unparseable_or_relative_dates_are_unknown(value: object) -> None:
    assert parse_published(value) is None


def test_unparseable_date_is_a_warning_not_a_rejection() -> None:
    article = article_from_record({"text": SV_TEXT, "published": "någon gång"}, "in.jsonl:3", Overrides())
    assert isinstance(article, Article)
    assert article.published is None
    assert "could not parse publication date" in article.extra["warning"]


def test_record_field_types_are_tolerated() -> None:
    article = article_from_record(
        {"id": 42, "text": SV_TEXT, "title": 7, "url": "https://kust.example/1", "lang": "SV"},
        "x",
        Overrides(),
    )
    assert isinstance(article, Article)
    assert (article.id, article.title, article.lang, article.source) == ("42", "7", "sv", "kust.example")
    assert isinstance(article_from_record(["not", "a", "dict"], "x", Overrides()), Rejection)  # type: ignore[arg-type]
    assert isinstance(article_from_record({"text": 5}, "x", Overrides()), Rejection)


@pytest.mark.parametrize(
    ("value", "kind"), [(["a", "b"], "a list"), ({"x": 1}, "an object"), (True, "true or false")]
)
def test_an_id_that_is_not_a_string_or_number_is_rejected(value: object, kind: str) -> None:
    rejected = article_from_record({"id": value, "text": SV_TEXT}, "in.jsonl:4", Overrides())
    assert isinstance(rejected, Rejection)
    assert rejected.reason == f"'id' must be a string or a number, not {kind}; give it its own id"


@pytest.mark.parametrize(
    ("value", "kind"), [(["a", "b"], "a list"), ({"x": 1}, "an object"), (True, "true or false")]
)
def test_a_title_that_is_not_text_is_left_out_with_a_warning(value: object, kind: str) -> None:
    article = article_from_record(
        {"id": "t", "text": SV_TEXT, "title": value, "published": "nie"}, "in.jsonl:4", Overrides()
    )
    assert isinstance(article, Article) and article.title == ""
    assert article.extra["warning"] == (
        f"'title' is {kind}, not text; left out; could not parse publication date 'nie'; left unknown"
    )


def test_null_text_is_called_empty() -> None:
    rejected = article_from_record({"id": "n", "text": None}, "x", Overrides())
    assert (
        isinstance(rejected, Rejection)
        and rejected.reason == "'text' is empty (null); it is the only required field"
    )
    missing = article_from_record({"id": "n"}, "x", Overrides())
    assert isinstance(missing, Rejection) and missing.reason == "no 'text' field (the only required field)"


def test_body_and_content_are_accepted_for_text() -> None:
    for key in ("body", "content"):
        article = article_from_record({key: SV_TEXT}, "x", Overrides())
        assert isinstance(article, Article) and article.text == SV_TEXT


def test_source_and_url_lose_their_control_characters() -> None:
    article = article_from_record(
        {
            "text": "Invented text.",
            "source": " Ctrl\u001b[31m\tTimes\u0085 ",
            "url": "https://example.invalid/\u0007a",
        },
        "in.jsonl:1",
        Overrides(),
    )
    assert not isinstance(article, Rejection)
    assert (article.source, article.url) == ("Ctrl [31m Times", "https://example.invalid/a")
    only_controls = article_from_record({"text": "Invented text.", "source": "\u001b"}, "x", Overrides())
    assert not isinstance(only_controls, Rejection) and only_controls.source is None

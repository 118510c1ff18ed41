"""Convert articles to and from database rows (JSON for the analyses, UTC ISO for dates)."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from babelwire.model import Article, Mention, Quote, Sentence, Span, Speaker, TimeExpr

ARTICLE_COLUMNS = (
    "id",
    "url",
    "source",
    "title",
    "lead",
    "text",
    "published",
    "lang",
    "lang_given",
    "content_hash",
    "origin",
    "duplicate_of",
    "duplicate_kind",
    "story_id",
    "event_date",
    "error",
    "paragraphs",
    "sentences",
    "mentions",
    "quotes",
    "timexes",
    "extra",
    "minhash",
)


def iso_utc(value: datetime | None) -> str | None:
    """A timezone-aware datetime as a sortable UTC ISO string."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat()


def parse_iso(value: str | None) -> datetime | None:
    """Inverse of ``iso_utc``."""
    return datetime.fromisoformat(value) if value else None


def _dump(items: list[Any]) -> str:
    return json.dumps([asdict(i) for i in items], ensure_ascii=False, separators=(",", ":"))


def _public_extra(extra: dict[str, Any]) -> str:
    return json.dumps(
        {
            k: v
            for k, v in extra.items()
            if not k.startswith("_") and k != "minhash" and not isinstance(v, bytes | bytearray)
        },
        ensure_ascii=False,
        default=str,
    )


def article_to_row(article: Article) -> tuple[Any, ...]:
    """Values for ``ARTICLE_COLUMNS``."""
    minhash = article.extra.get("minhash")
    return (
        article.id,
        article.url,
        article.source,
        article.title,
        article.lead,
        article.text,
        iso_utc(article.published),
        article.lang,
        int(article.lang_given),
        article.content_hash,
        article.origin,
        article.duplicate_of,
        article.duplicate_kind,
        article.story_id,
        article.event_date,
        article.error,
        _dump(article.paragraphs),
        _dump(article.sentences),
        _dump(article.mentions),
        _dump(article.quotes),
        _dump(article.timexes),
        _public_extra(article.extra),
        minhash if isinstance(minhash, bytes | bytearray) else None,
    )


def _quote(data: dict[str, Any]) -> Quote:
    speaker = data.get("speaker")
    return Quote(**{**data, "speaker": Speaker(**speaker) if speaker else None})


def article_from_row(row: Any, stages: dict[str, str] | None = None) -> Article:
    """Rebuild an article from a row with ``ARTICLE_COLUMNS`` (sqlite3.Row or mapping)."""
    extra = json.loads(row["extra"])
    # keep the MinHash signature on the article so that saving it again does not erase it
    if "minhash" in row.keys() and row["minhash"] is not None:  # noqa: SIM118 (`in` on a Row tests values)
        extra["minhash"] = bytes(row["minhash"])
    return Article(
        id=row["id"],
        text=row["text"],
        title=row["title"],
        lead=row["lead"],
        url=row["url"],
        source=row["source"],
        published=parse_iso(row["published"]),
        lang=row["lang"],
        lang_given=bool(row["lang_given"]),
        content_hash=row["content_hash"],
        origin=row["origin"],
        paragraphs=[Span(**p) for p in json.loads(row["paragraphs"])],
        sentences=[Sentence(**s) for s in json.loads(row["sentences"])],
        mentions=[Mention(**m) for m in json.loads(row["mentions"])],
        quotes=[_quote(q) for q in json.loads(row["quotes"])],
        timexes=[TimeExpr(**t) for t in json.loads(row["timexes"])],
        event_date=row["event_date"],
        duplicate_of=row["duplicate_of"],
        duplicate_kind=row["duplicate_kind"],
        story_id=row["story_id"],
        error=row["error"],
        stages=dict(stages or {}),
        extra=extra,
    )

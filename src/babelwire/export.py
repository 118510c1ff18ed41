"""Exporting what the store holds: records for stories, articles, entities and quotes, read page
by page, and the Atom building blocks shared by ``babelwire export`` and the web's feeds.

This module is neutral ground: the command line and the web app both import it, never each other.
"""

from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import IO, Any
from urllib.parse import quote

from babelwire.model import Article, Story
from babelwire.store import ArticleFilter, EntityFilter, QuoteFilter, Store, StoryFilter
from babelwire.store.base import EntitySummary, QuoteRow
from babelwire.store.codec import iso_utc

#: What ``export`` can write out.
KINDS = ("stories", "articles", "entities", "quotes")
#: The output formats of ``export``.
FORMATS = ("jsonl", "csv", "atom")
#: How many rows are read from the store at a time.
PAGE_SIZE = 500

# -- Atom -----------------------------------------------------------------------------------

ATOM = "http://www.w3.org/2005/Atom"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
#: Characters XML 1.0 cannot carry at all; hostile or broken text must not make a feed invalid.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

ET.register_namespace("", ATOM)


def xml_clean(text: str | None) -> str:
    """``text`` without the characters XML 1.0 cannot hold ("" for None)."""
    return _NOT_XML.sub("", text or "")


def atom_time(value: datetime | None) -> str:
    """An Atom date (RFC 3339, UTC, ``Z``); the epoch for an undated item."""
    value = value or EPOCH
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def atom_sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    """An Atom child element; every value is cleaned of what XML cannot hold (and escaped on output)."""
    el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: xml_clean(v) for k, v in attrs.items()})
    if text is not None:
        el.text = xml_clean(text)
    return el


def urn(kind: str, item_id: str) -> str:
    """A stable IRI for an item that has no web address: ``urn:babelwire:story:ID`` (id escaped)."""
    return f"urn:babelwire:{kind}:{quote(item_id, safe='')}"


def safe_link(url: str | None) -> str | None:
    """``url`` when it is an http(s) address, else None (no ``javascript:`` in a feed reader)."""
    if url and url.lower().startswith(("http://", "https://")) and not any(c.isspace() for c in url):
        return url
    return None


@dataclass(frozen=True, slots=True)
class AtomEntry:
    """What one Atom entry says; with no ``link`` the text goes in ``content`` (RFC 4287 4.1.2)."""

    id: str
    title: str
    updated: datetime | None
    text: str
    link: str | None = None


class AtomStream:
    """An Atom document written entry by entry, so that an archive of any size needs little memory.

    The feed's ``updated`` is the time of writing (an export is a snapshot); each entry is built
    with ElementTree, so every value is escaped.
    """

    def __init__(self, sink: IO[str], feed_id: str, title: str, now: datetime | None = None) -> None:
        self.sink = sink
        head = ET.Element(f"{{{ATOM}}}feed")
        atom_sub(head, "id", feed_id)
        atom_sub(head, "title", title)
        self.now = now or datetime.now(UTC).replace(microsecond=0)
        atom_sub(head, "updated", atom_time(self.now))
        author = atom_sub(head, "author")
        atom_sub(author, "name", "babelwire")
        atom_sub(head, "generator", "babelwire")
        text = ET.tostring(head, encoding="unicode")
        end = "</feed>"
        assert text.endswith(end)
        sink.write("<?xml version='1.0' encoding='utf-8'?>\n" + text[: -len(end)] + "\n")

    def entry(self, item: AtomEntry) -> None:
        """Write one entry."""
        el = ET.Element(f"{{{ATOM}}}entry")
        atom_sub(el, "id", item.id)
        atom_sub(el, "title", item.title or "(untitled)")
        if item.link:
            atom_sub(el, "link", rel="alternate", href=item.link)
        # Atom requires <updated>: an undated item takes the time of the export, not 1970
        atom_sub(el, "updated", atom_time(item.updated or self.now))
        atom_sub(el, "summary" if item.link else "content", item.text, type="text")
        self.sink.write(ET.tostring(el, encoding="unicode") + "\n")

    def close(self) -> None:
        """End the document."""
        self.sink.write("</feed>\n")


# -- records --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ExportFilter:
    """What to export; ``None`` means no filter. Not every filter applies to every kind."""

    since: datetime | None = None
    until: datetime | None = None
    lang: str | None = None
    source: str | None = None
    story_id: str | None = None


def story_record(story: Story, article_ids: list[str]) -> dict[str, Any]:
    """One story: its summary and the ids of its articles."""
    return {
        "id": story.id,
        "label": story.label,
        "languages": list(story.languages),
        "sources": list(story.sources),
        "reports": story.reports,
        "size": story.size,
        "first_published": iso_utc(story.first_published),
        "last_published": iso_utc(story.last_published),
        "article_ids": article_ids,
    }


def article_record(article: Article) -> dict[str, Any]:
    """One article: its metadata, story, duplicate status and text."""
    return {
        "id": article.id,
        "title": article.title,
        "source": article.source,
        "lang": article.lang,
        "published": iso_utc(article.published),
        "url": article.url,
        "story_id": article.story_id,
        "duplicate_of": article.duplicate_of,
        "duplicate_kind": article.duplicate_kind,
        "text": article.text,
    }


def entity_record(entity: EntitySummary) -> dict[str, Any]:
    """One entity: its name, type, names per language and how widely it is mentioned."""
    return {
        "id": entity.id,
        "name": entity.name,
        "label": entity.label,
        "names": entity.names,
        "articles": entity.articles,
        "stories": entity.stories,
        "mentions": entity.mentions,
    }


def quote_record(row: QuoteRow) -> dict[str, Any]:
    """One quote: its text, speaker and the article it is in."""
    return {
        "article_id": row.article_id,
        "position": row.position,
        "text": row.text,
        "speaker": row.speaker_name or row.speaker_text,
        "speaker_entity_id": row.speaker_entity_id,
        "cue": row.cue,
        "partial": row.partial,
        "source": row.source,
        "lang": row.lang,
        "published": iso_utc(row.published),
        "story_id": row.story_id,
    }


#: The columns of each kind (the CSV header, in order).
COLUMNS: dict[str, tuple[str, ...]] = {
    "stories": tuple(story_record(Story(id="", label=""), []).keys()),
    "articles": tuple(article_record(Article(id="", text="")).keys()),
    "entities": ("id", "name", "label", "names", "articles", "stories", "mentions"),
    "quotes": (
        "article_id", "position", "text", "speaker", "speaker_entity_id", "cue", "partial",
        "source", "lang", "published", "story_id",
    ),
}  # fmt: skip


def _pages(fetch: Callable[[int], list[Any]]) -> Iterator[Any]:
    """Every row of a paged query, ``PAGE_SIZE`` at a time."""
    offset = 0
    while True:
        rows = fetch(offset)
        yield from rows
        if len(rows) < PAGE_SIZE:
            return
        offset += len(rows)


def iter_stories(store: Store, flt: ExportFilter) -> Iterator[tuple[Story, list[str]]]:
    """The stories (oldest activity last), each with its article ids, page by page."""
    if flt.story_id is not None:
        found = store.get_story(flt.story_id)
        if found is None:
            return
        if not _story_matches(found, flt):
            return
        yield found, [a.id for a in store.story_articles(found.id)]
        return
    base = StoryFilter(
        since=flt.since, until=flt.until, lang=flt.lang, source=flt.source, sort="recent", limit=PAGE_SIZE
    )
    for story in _pages(lambda offset: store.list_stories(replace(base, offset=offset))):
        yield story, [a.id for a in store.story_articles(story.id)]


def _story_matches(story: Story, flt: ExportFilter) -> bool:
    if flt.since and (story.last_published is None or _utc(story.last_published) < _utc(flt.since)):
        return False
    if flt.until and (story.first_published is None or _utc(story.first_published) >= _utc(flt.until)):
        return False
    if flt.lang and flt.lang not in story.languages:
        return False
    return not (flt.source and flt.source.casefold() not in {s.casefold() for s in story.sources})


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def iter_articles(store: Store, flt: ExportFilter) -> Iterator[Article]:
    """The articles, newest first, page by page."""
    base = ArticleFilter(
        lang=flt.lang,
        source=flt.source,
        since=flt.since,
        until=flt.until,
        story_id=flt.story_id,
        limit=PAGE_SIZE,
    )
    yield from _pages(lambda offset: store.list_articles(replace(base, offset=offset)))


def iter_entities(store: Store, flt: ExportFilter) -> Iterator[EntitySummary]:
    """The entities, most mentioned first (within a story with ``story_id``), page by page."""
    base = EntityFilter(story_id=flt.story_id, limit=PAGE_SIZE)
    yield from _pages(lambda offset: store.list_entities(replace(base, offset=offset)))


def iter_quotes(store: Store, flt: ExportFilter) -> Iterator[QuoteRow]:
    """The quotes, newest first, page by page; the date, language and outlet filters apply."""
    base = QuoteFilter(story_id=flt.story_id, limit=PAGE_SIZE)
    for row in _pages(lambda offset: store.list_quotes(replace(base, offset=offset))):
        if flt.lang and row.lang != flt.lang:
            continue
        if flt.source and (row.source or "").casefold() != flt.source.casefold():
            continue
        if flt.since and (row.published is None or _utc(row.published) < _utc(flt.since)):
            continue
        if flt.until and (row.published is None or _utc(row.published) >= _utc(flt.until)):
            continue
        yield row


def iter_export(store: Store, what: str, flt: ExportFilter) -> Iterator[tuple[dict[str, Any], AtomEntry]]:
    """(record, Atom entry) for every item of kind ``what`` that passes ``flt``, read page by page."""
    if what == "stories":
        for story, ids in iter_stories(store, flt):
            summary = (
                f"{story.reports} report(s) in {', '.join(story.languages) or '?'} from "
                f"{', '.join(story.sources[:8]) or '?'}; articles: {', '.join(ids)}"
            )
            entry = AtomEntry(urn("story", story.id), story.label, story.last_published, summary)
            yield story_record(story, ids), entry
    elif what == "articles":
        for article in iter_articles(store, flt):
            where = f"{article.source or '?'} ({article.lang or '?'})"
            text = f"{where}: {article.lead or article.text[:400]}"
            link = safe_link(article.url)
            entry = AtomEntry(urn("article", article.id), article.title, article.published, text, link)
            yield article_record(article), entry
    elif what == "entities":
        for entity in iter_entities(store, flt):
            names = "; ".join(f"{lang}: {', '.join(n)}" for lang, n in sorted(entity.names.items()))
            text = (
                f"{entity.label}, in {entity.articles} article(s) of {entity.stories} story(ies), "
                f"{entity.mentions} mention(s)" + (f"; names: {names}" if names else "")
            )
            yield entity_record(entity), AtomEntry(urn("entity", entity.id), entity.name, None, text)
    elif what == "quotes":
        for row in iter_quotes(store, flt):
            speaker = row.speaker_name or row.speaker_text or "unknown speaker"
            title = f"{speaker}: {row.text[:120]}"
            where = f"{row.source or '?'} ({row.lang or '?'}), article {row.article_id}"
            text = f"“{row.text}” — {where}"
            entry = AtomEntry(urn("quote", f"{row.article_id}#{row.position}"), title, row.published, text)
            yield quote_record(row), entry
    else:
        raise ValueError(f"cannot export {what!r}; use one of {', '.join(KINDS)}")


def _csv_cell(value: Any) -> Any:
    """A CSV cell: lists and mappings as JSON, None as empty, booleans as true/false."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def write_export(
    sink: IO[str], store: Store, what: str, fmt: str, flt: ExportFilter, now: datetime | None = None
) -> int:
    """Write every item of kind ``what`` to ``sink`` as ``fmt``; returns how many were written.

    An empty store gives an empty but valid output: no lines (JSON lines), the header alone
    (CSV), a feed without entries (Atom).
    """
    if fmt not in FORMATS:
        raise ValueError(f"cannot write {fmt!r}; use one of {', '.join(FORMATS)}")
    items = iter_export(store, what, flt)
    count = 0
    if fmt == "jsonl":
        for record, _ in items:
            sink.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    elif fmt == "csv":
        writer = csv.writer(sink)
        writer.writerow(COLUMNS[what])
        for record, _ in items:
            writer.writerow([_csv_cell(record[c]) for c in COLUMNS[what]])
            count += 1
    else:
        feed = AtomStream(sink, urn("export", what), f"babelwire: {what}", now)
        for _, entry in items:
            feed.entry(entry)
            count += 1
        feed.close()
    return count

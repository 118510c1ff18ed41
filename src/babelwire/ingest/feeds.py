"""RSS/Atom feeds and OPML feed lists, parsed with feedparser and the standard XML parser."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from babelwire.config import Settings
from babelwire.ingest.records import Overrides, Rejection, article_from_record, domain_of
from babelwire.model import Article

_TAG = re.compile(r"<[^>]+>")
#: Below this many characters an entry's own content is a teaser; fetch the linked page instead.
MIN_ENTRY_TEXT = 400


def looks_like_feed(head: str) -> bool:
    """True for the start of an RSS, RDF or Atom document."""
    lower = head.lower()
    return "<rss" in lower or "<feed" in lower or "<rdf:rdf" in lower


def feed_urls_from_opml(text: str) -> list[str]:
    """Every ``xmlUrl`` in an OPML outline, in document order, without repeats."""
    urls: list[str] = []
    try:
        root = ET.fromstring(text.encode("utf-8"))
    except ET.ParseError:
        found = re.findall(r'xmlUrl="([^"]+)"', text, flags=re.IGNORECASE)
    else:
        found = [el.attrib.get("xmlUrl") or el.attrib.get("xmlurl") or "" for el in root.iter("outline")]
    for url in found:
        if url and url not in urls:
            urls.append(url)
    return urls


def _entry_text(entry: Any) -> str:
    parts = [c.get("value", "") for c in entry.get("content", []) if c.get("value")]
    raw = max(parts, key=len) if parts else entry.get("summary", "") or ""
    text = _TAG.sub(" ", raw)
    import html

    text = html.unescape(text)
    return re.sub(r"[ \t]+", " ", text).strip()


def _entry_published(entry: Any) -> datetime | str | None:
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key)
        if value:
            year, month, day, hour, minute, second = value[:6]
            return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    return entry.get("published") or entry.get("updated")


def articles_from_feed(
    text: str, origin: str, overrides: Overrides, settings: Settings, fetch_pages: bool = False
) -> Iterator[Article | Rejection]:
    """One article per feed entry; teaser-only entries fetch their page when ``fetch_pages``."""
    import feedparser

    parsed = feedparser.parse(text)
    entries = parsed.get("entries") or []
    if not entries:
        reason = "feed has no entries"
        if parsed.get("bozo"):
            reason = f"not a readable feed ({parsed.get('bozo_exception')})"
        yield Rejection(origin, reason)
        return
    feed_title = (parsed.get("feed") or {}).get("title")
    for number, entry in enumerate(entries, start=1):
        where = f"{origin}#{number}"
        link = entry.get("link")
        body = _entry_text(entry)
        # an aggregator's entry names its own outlet (RSS <source>): that, not the feed, sent it
        outlet = (entry.get("source") or {}).get("title") or feed_title
        if fetch_pages and link and len(body) < MIN_ENTRY_TEXT:
            from babelwire.ingest.web import article_from_page

            page = article_from_page(link, overrides, settings)
            if isinstance(page, Article):
                page.title = page.title or entry.get("title", "")
                page.source = overrides.source or outlet or page.source
                if page.published is None:
                    fallback = article_from_record(
                        {"text": "x", "published": _entry_published(entry)}, where, overrides
                    )
                    if isinstance(fallback, Article):
                        page.published = fallback.published
                yield page
                continue
            if not body:
                yield page
                continue
        if not body:
            yield Rejection(where, "feed entry has no text")
            continue
        record = {
            "id": entry.get("id") or link or None,
            "url": link,
            "title": entry.get("title", ""),
            "text": body,
            "published": _entry_published(entry),
            "source": outlet or domain_of(link),
        }
        yield article_from_record(record, where, overrides)

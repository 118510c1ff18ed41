"""RSS/Atom feeds and OPML feed lists, parsed with feedparser and the standard XML parser."""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlparse

from babelwire.config import Settings
from babelwire.ingest.notices import is_teaser_only, without_teaser_link
from babelwire.ingest.records import Overrides, Rejection, article_from_record, domain_of
from babelwire.model import Article

_TAG = re.compile(r"<[^>]+>")
_INLINE_TAG = re.compile(
    r"</?(?:a|abbr|b|bdi|bdo|cite|code|data|dfn|em|font|i|kbd|mark|q|s|samp|small|span|strong|sub|sup|"
    r"time|u|var)\b",
    re.IGNORECASE,
)
_XML_DECLARED_ENCODING = re.compile(r"""^(\ufeff?\s*<\?xml[^>]*?\bencoding\s*=\s*["'])[^"']*(["'])""")
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
    # inline tags (<i>five hours</i>.) join their text to what follows; other tags separate words
    text = _TAG.sub(lambda tag: "" if _INLINE_TAG.match(tag.group(0)) else " ", raw)
    import html

    text = html.unescape(text)
    return re.sub(r"[ \t]+", " ", text).strip()


def _is_web_url(value: str | None) -> bool:
    """True for an absolute http(s) URL with a host (not ``urn:1``, ``/local/x`` or ``42``)."""
    if not value:
        return False
    try:
        parts = urlparse(value.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def _feed_base(parsed: Any, origin: str) -> str | None:
    """The URL relative entry links are resolved against: the channel's link, else the feed's URL."""
    channel = (parsed.get("feed") or {}).get("link")
    if _is_web_url(channel):
        return str(channel).strip()
    return origin if _is_web_url(origin) else None


def _entry_url(entry: Any, base: str | None) -> str | None:
    """The entry's absolute web address, or None (an Atom ``urn:`` id or a bare guid is no URL)."""
    link = (entry.get("link") or "").strip()
    if not link:
        return None
    if _is_web_url(link):
        return link
    if entry.get("guidislink") and link == (entry.get("id") or "").strip():
        return None  # feedparser copied a guid that is no URL ("42", "urn:1") into the link
    if base is None:
        return None
    try:
        resolved = urljoin(base, link)
    except ValueError:
        return None
    return resolved if _is_web_url(resolved) else None


def _local_scope(origin: str) -> str:
    """A feed file without a channel link is known by its absolute path (``-`` for stdin)."""
    if origin == "-" or _is_web_url(origin):
        return origin
    try:
        return str(Path(origin).resolve())
    except (OSError, RuntimeError):
        return origin


def entry_id(guid: str | None, url: str | None, scope: str) -> str | None:
    """A feed entry's article id, unique across feeds and the same at every ingest of one feed.

    A guid that is a web address is unique by itself and is the id. Any other guid ("42") is
    only unique within its feed, so the id is a hash of the feed (``scope``: its channel link, or
    its URL or file when it has none) and the guid. Without a guid, the entry's URL is the id.
    """
    guid = (guid or "").strip()
    if guid:
        if _is_web_url(guid):
            return guid
        return hashlib.sha1(f"{scope}\x1f{guid}".encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return url


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

    # the text is already decoded: an XML declaration's encoding would make feedparser decode it
    # a second time (UTF-8 bytes read as ISO-8859-2), so it is told the truth
    parsed = feedparser.parse(_XML_DECLARED_ENCODING.sub(r"\1utf-8\2", text, count=1))
    entries = parsed.get("entries") or []
    if not entries:
        reason = "feed has no entries"
        if parsed.get("bozo"):
            reason = f"not a readable feed ({parsed.get('bozo_exception')})"
        yield Rejection(origin, reason)
        return
    feed_title = (parsed.get("feed") or {}).get("title")
    base = _feed_base(parsed, origin)
    scope = base or _local_scope(origin)
    for number, entry in enumerate(entries, start=1):
        where = f"{origin}#{number}"
        link = _entry_url(entry, base)
        body, teaser = without_teaser_link(_entry_text(entry))
        teaser_only = teaser is not None and is_teaser_only(f"{body} {teaser}", entry.get("title", ""))
        if teaser_only:
            body = ""  # a title and "Read more...": no report to store, only its page has one
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
            reason = "feed entry has no text"
            if teaser_only:
                reason = (
                    f"feed entry has only a teaser ({teaser!r}); ingest the article's page "
                    f"({link or 'its URL'}) to get the text"
                )
            yield Rejection(where, reason)
            continue
        record = {
            "id": entry_id(entry.get("id"), link, scope),
            "url": link,
            "title": entry.get("title", ""),
            "text": body,
            "published": _entry_published(entry),
            "source": outlet or domain_of(link),
        }
        yield article_from_record(record, where, overrides)

"""Atom feeds of the story list, of one story and of one entity, for feed readers."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from typing import Literal

from fastapi import APIRouter, Request, Response

from babelwire.errors import NotFoundError
from babelwire.export import ATOM, ATOM_TYPE, atom_sub, atom_time, xml_clean
from babelwire.model import Story
from babelwire.store import ArticleFilter, StoryFilter
from babelwire.web.deps import LangQuery, ReaderDep, StateDep
from babelwire.web.schemas import safe_url
from babelwire.web.templating import article_url, entity_url, fmt_span, story_url
from babelwire.web.views import StoryQuery, list_stories

router = APIRouter(prefix="/feeds", tags=["feeds"])

_clean = xml_clean
_iso = atom_time
_sub = atom_sub


class Feed:
    """An Atom document built with ElementTree (so every value is escaped)."""

    def __init__(self, request: Request, title: str, page_path: str) -> None:
        self.base = str(request.base_url).rstrip("/")
        self.root = ET.Element(f"{{{ATOM}}}feed")
        #: Atom requires <updated>; what has no known date is dated by the request
        self.now = datetime.now(UTC).replace(microsecond=0)
        self.updated: datetime | None = None
        _sub(self.root, "id", self.base + request.url.path)
        _sub(self.root, "title", title)
        _sub(self.root, "link", rel="self", href=str(request.url), type="application/atom+xml")
        _sub(self.root, "link", rel="alternate", href=self.base + page_path, type="text/html")
        author = _sub(self.root, "author")
        _sub(author, "name", "babelwire")
        _sub(self.root, "generator", "babelwire")

    def entry(self, entry_id: str, title: str, path: str, updated: datetime | None, summary: str) -> None:
        entry = _sub(self.root, "entry")
        _sub(entry, "id", self.base + path)
        _sub(entry, "title", title or "(untitled)")
        _sub(entry, "link", rel="alternate", href=self.base + path, type="text/html")
        _sub(entry, "updated", _iso(updated or self.now))
        _sub(entry, "summary", summary)
        if updated is not None:
            stamp = updated if updated.tzinfo else updated.replace(tzinfo=UTC)
            self.updated = stamp if self.updated is None else max(self.updated, stamp)

    def story_entry(self, story: Story) -> None:
        summary = (
            f"{story.reports} report(s) in {', '.join(story.languages) or '?'} from "
            f"{', '.join(story.sources[:8]) or '?'}; {fmt_span(story.first_published, story.last_published)}"
        )
        self.entry(story.id, story.label, story_url(story.id), story.last_published, summary)

    def response(self) -> Response:
        updated = ET.Element(f"{{{ATOM}}}updated")
        updated.text = _iso(self.updated or self.now)
        self.root.insert(2, updated)
        body = ET.tostring(self.root, encoding="utf-8", xml_declaration=True)
        return Response(body, media_type=ATOM_TYPE)


@router.get("/stories.atom", summary="Atom feed of the story list", response_class=Response)
def stories_feed(
    request: Request,
    reader: ReaderDep,
    state: StateDep,
    window: Literal["1d", "3d", "7d", "30d", "all"] = "1d",
    lang: LangQuery = None,
    source: str | None = None,
    entity: str | None = None,
    sort: Literal["size", "languages", "recent"] = "recent",
) -> Response:
    """The stories of the list page (same filters), one entry per story, updated by its last report."""
    q = StoryQuery(window, lang or None, source or None, entity or None, sort, 1, state.settings.feed_size)
    found = list_stories(reader.engine, q)
    feed = Feed(request, "babelwire: stories", "/")
    for story in found.stories:
        feed.story_entry(story)
    return feed.response()


@router.get("/stories/{story_id}.atom", summary="Atom feed of one story", response_class=Response)
def story_feed(request: Request, reader: ReaderDep, state: StateDep, story_id: str) -> Response:
    """One entry per report of the story, newest first."""
    engine = reader.engine
    story = engine.store.get_story(story_id)
    if story is None:
        raise NotFoundError(f"no story with id {story_id!r}")
    articles = engine.articles(
        ArticleFilter(story_id=story.id, include_duplicates=False, limit=state.settings.feed_size)
    )
    feed = Feed(request, f"babelwire: {story.label}", story_url(story.id))
    for a in articles:
        where = f"{a.source or '?'} ({a.lang or '?'})"
        link = safe_url(a.url)
        summary = f"{where}: {a.lead or a.text[:400]}" + (f" — {link}" if link else "")
        feed.entry(a.id, a.title, article_url(a.id), a.published, summary)
    return feed.response()


@router.get("/entities/{entity_id:path}.atom", summary="Atom feed of one entity", response_class=Response)
def entity_feed(request: Request, reader: ReaderDep, state: StateDep, entity_id: str) -> Response:
    """The stories that mention an entity, most recent first."""
    engine = reader.engine
    name = engine.store.entity_names([entity_id]).get(entity_id)
    if name is None:
        raise NotFoundError(f"no entity with id {entity_id!r}")
    stories = engine.store.query_stories(
        StoryFilter(sort="recent", limit=state.settings.feed_size), entity_id
    )
    feed = Feed(request, f"babelwire: {name}", entity_url(entity_id))
    for story in stories:
        feed.story_entry(story)
    return feed.response()

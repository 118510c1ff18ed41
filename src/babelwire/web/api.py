"""The JSON API: every page's data under ``/api/``, paged, documented by OpenAPI at ``/docs``."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from babelwire.store import ArticleFilter
from babelwire.web.deps import (
    LabelQuery,
    LangQuery,
    PagingDep,
    ReaderDep,
    SearchPagingDep,
    StateDep,
    StoryPagingDep,
)
from babelwire.web.lookups import entity_detail, entity_list, search_page
from babelwire.web.schemas import (
    ArticlePage,
    ArticlePublic,
    ArticleSummary,
    EntityDetail,
    EntityPage,
    Problem,
    SearchPage,
    StoryDetail,
    StoryPage,
    StoryPublic,
)
from babelwire.web.views import StoryQuery, list_stories, story_view

router = APIRouter(prefix="/api", tags=["api"], responses={404: {"model": Problem}, 422: {"model": Problem}})

Window = Literal["1d", "3d", "7d", "30d", "all"]
Sort = Literal["size", "languages", "recent"]
Mode = Literal["hybrid", "text", "semantic"]
Text = Annotated[str | None, Query(max_length=200)]


@router.get("/stories", response_model=StoryPage, summary="List stories")
def api_stories(
    reader: ReaderDep,
    paging: PagingDep,
    window: Window = "1d",
    lang: LangQuery = None,
    source: Text = None,
    entity: Text = None,
    sort: Sort = "size",
) -> StoryPage:
    """Stories whose last report falls in the window (counted back from the newest report stored),
    filtered by language, outlet or a mentioned entity (its id or its name), sorted by size,
    languages or recency."""
    q = StoryQuery(window, lang or None, source or None, entity or None, sort, paging.page, paging.per_page)
    found = list_stories(reader.engine, q)
    return StoryPage(
        items=[StoryPublic.of(s) for s in found.stories],
        page=paging.page,
        per_page=paging.per_page,
        has_next=found.has_next,
    )


@router.get("/stories/{story_id}", response_model=StoryDetail, summary="One story")
def api_story(
    reader: ReaderDep, state: StateDep, paging: StoryPagingDep, story_id: str, lang: LangQuery = None
) -> StoryDetail:
    """Headline and summary in the reader's language (``lang``), the fact comparison (facts, unique
    claims, conflicts), one page of reports, entities, quotes by speaker and the timeline."""
    view = story_view(
        reader.engine,
        story_id,
        lang or state.settings.reader_lang,
        paging.page,
        paging.per_page,
        default_lang=state.settings.reader_lang,
    )
    return view.detail


@router.get("/articles", response_model=ArticlePage, summary="List or full-text search articles")
def api_articles(
    reader: ReaderDep,
    paging: PagingDep,
    q: Annotated[str | None, Query(max_length=500, description="SQLite FTS5 query")] = None,
    lang: LangQuery = None,
    source: Text = None,
    since: datetime | None = None,
    until: datetime | None = None,
    story: Text = None,
    originals: bool = False,
) -> ArticlePage:
    """Articles, newest first (or best match first with ``q``)."""
    found = reader.engine.articles(
        ArticleFilter(
            lang=lang or None,
            source=source or None,
            since=since,
            until=until,
            query=q or None,
            story_id=story or None,
            include_duplicates=not originals,
            limit=paging.per_page + 1,
            offset=paging.offset,
        )
    )
    return ArticlePage(
        items=[ArticleSummary.of(a) for a in found[: paging.per_page]],
        page=paging.page,
        per_page=paging.per_page,
        has_next=len(found) > paging.per_page,
    )


@router.get("/articles/{article_id:path}", response_model=ArticlePublic, summary="One article")
def api_article(reader: ReaderDep, article_id: str) -> ArticlePublic:
    """An article with its text, sentences, entity mentions, quotes, time expressions and copies."""
    engine = reader.engine
    article = engine.article(article_id)
    return ArticlePublic.full(article, engine.duplicates(article.id)[:50])


@router.get("/entities", response_model=EntityPage, summary="List entities")
def api_entities(
    reader: ReaderDep,
    paging: PagingDep,
    q: Text = None,
    label: LabelQuery = None,
) -> EntityPage:
    """Entities, most mentioned first; ``q`` matches a name, a spelling or an id."""
    items, has_next = entity_list(reader.engine, q, label, paging.page, paging.per_page)
    return EntityPage(items=items, page=paging.page, per_page=paging.per_page, has_next=has_next)


@router.get("/entities/{entity_id:path}", response_model=EntityDetail, summary="One entity")
def api_entity(reader: ReaderDep, paging: PagingDep, entity_id: str) -> EntityDetail:
    """An entity's names per language, one page of mentions, its stories and its quotes."""
    return entity_detail(reader.engine, entity_id, paging.page, paging.per_page)


@router.get("/search", response_model=SearchPage, summary="Search, grouped by story")
def api_search(
    reader: ReaderDep,
    state: StateDep,
    paging: SearchPagingDep,
    q: Annotated[str, Query(min_length=1, max_length=500)],
    mode: Mode = "hybrid",
    lang: LangQuery = None,
) -> SearchPage:
    """Full-text (FTS5) and cross-lingual semantic search (the same embeddings the stories use),
    fused and grouped by story; ``per_page`` counts story groups."""
    return search_page(
        reader.engine, state.index, state.query_encoder, q, mode, lang or None, paging.page, paging.per_page
    )

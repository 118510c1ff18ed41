"""Data for the article, entity and search pages, shared by the HTML pages and the JSON API."""

from __future__ import annotations

from dataclasses import dataclass

from babelwire.embed import Encoder
from babelwire.engine import Engine
from babelwire.errors import NotFoundError
from babelwire.model import Article
from babelwire.search import SearchResult, VectorIndex, search
from babelwire.store import EntityFilter, QuoteFilter
from babelwire.web.markup import ParagraphView, article_paragraphs, snippet
from babelwire.web.schemas import (
    ArticlePublic,
    ArticleSummary,
    EntityDetail,
    EntityPublic,
    MentionRef,
    QuoteRowPublic,
    SearchGroupPublic,
    SearchHitPublic,
    SearchPage,
    StoryPublic,
)

MAX_ENTITY_STORIES = 30
MAX_ENTITY_QUOTES = 30


@dataclass(slots=True)
class ArticleView:
    article: Article
    public: ArticlePublic
    paragraphs: list[ParagraphView]
    story_label: str | None
    entity_names: dict[str, str]


def article_view(engine: Engine, article_id: str) -> ArticleView:
    """One article with its marked-up text (``NotFoundError`` for an unknown id)."""
    article = engine.article(article_id)
    duplicates = engine.duplicates(article.id)[:50]
    story = engine.store.get_story(article.story_id) if article.story_id else None
    names = engine.store.entity_names(m.entity_id for m in article.mentions if m.entity_id)
    return ArticleView(
        article=article,
        public=ArticlePublic.full(article, duplicates),
        paragraphs=article_paragraphs(article),
        story_label=story.label if story else None,
        entity_names=names,
    )


def entity_detail(engine: Engine, entity_id: str, page: int, per_page: int) -> EntityDetail:
    """An entity's names, one page of its mentions, its largest stories and its quotes."""
    if not entity_id:
        raise NotFoundError("no entity id given; list ids at /api/entities or `babelwire entities`")
    found = engine.store.get_entity(entity_id)
    if found is None:
        raise NotFoundError(
            f"no entity with id {entity_id!r}; list ids at /api/entities or `babelwire entities`"
        )
    rows = engine.store.entity_mentions_page(entity_id, limit=per_page + 1, offset=(page - 1) * per_page)
    story_ids = engine.store.entity_story_ids(entity_id)[:MAX_ENTITY_STORIES]
    stories = [s for sid in story_ids if (s := engine.store.get_story(sid)) is not None]
    quotes = engine.store.list_quotes(QuoteFilter(speaker=entity_id, limit=MAX_ENTITY_QUOTES))
    quotes = [q for q in quotes if q.speaker_entity_id == entity_id]
    return EntityDetail(
        entity=EntityPublic.of(found),
        mentions=[
            MentionRef(article_id=r[0], text=r[1], start=r[2], end=r[3], lang=r[4]) for r in rows[:per_page]
        ],
        stories=[StoryPublic.of(s) for s in stories],
        quotes=[QuoteRowPublic.of(q) for q in quotes],
        page=page,
        per_page=per_page,
        has_next=len(rows) > per_page,
    )


def entity_list(
    engine: Engine, query: str | None, label: str | None, page: int, per_page: int
) -> tuple[list[EntityPublic], bool]:
    """One page of entities, most mentioned first (``query`` matches names and spellings)."""
    found = engine.store.list_entities(
        EntityFilter(
            query=query or None, label=label or None, limit=per_page + 1, offset=(page - 1) * per_page
        )
    )
    return [EntityPublic.of(e) for e in found[:per_page]], len(found) > per_page


def search_page(
    engine: Engine,
    index: VectorIndex,
    encoder: Encoder | None,
    query: str,
    mode: str,
    lang: str | None,
    page: int,
    per_page: int,
) -> SearchPage:
    """One page of search results grouped by story."""
    result: SearchResult = search(
        engine.store,
        query,
        index=index,
        encoder=encoder,
        mode=mode,
        lang=lang,
        limit=per_page,
        offset=(page - 1) * per_page,
    )
    stories = {g.story_id: engine.store.get_story(g.story_id) for g in result.groups if g.story_id}
    groups = []
    for g in result.groups:
        story = stories.get(g.story_id) if g.story_id else None
        hits = []
        for h in g.hits:
            assert h.article is not None  # search drops hits whose article is gone
            hits.append(
                SearchHitPublic(
                    article=ArticleSummary.of(h.article),
                    score=round(h.score, 5),
                    similarity=round(h.similarity, 4) if h.similarity is not None else None,
                    text_rank=h.text_rank,
                    via=h.via,
                    snippet=snippet(h.article.text, query),
                )
            )
        groups.append(SearchGroupPublic(story=StoryPublic.of(story) if story else None, hits=hits))
    return SearchPage(
        query=result.query,
        mode=result.mode,
        lang=lang,
        groups=groups,
        page=page,
        per_page=per_page,
        has_next=result.has_more,
        note=result.note,
    )

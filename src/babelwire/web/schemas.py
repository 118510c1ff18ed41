"""Pydantic models at the HTTP edge: what the JSON API returns and accepts (Public / Create)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlparse

from pydantic import BaseModel, Field

from babelwire.model import Article, Story
from babelwire.store.base import EntitySummary, QuoteRow


def safe_url(url: str | None) -> str | None:
    """An article's link only when it is http(s): ``javascript:`` and other schemes are dropped."""
    if not url:
        return None
    try:
        scheme = urlparse(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


class PageInfo(BaseModel):
    """Where a list page is: its number, its size and whether another follows."""

    page: int
    per_page: int
    has_next: bool


class StoryPublic(BaseModel):
    """A story in a list: label, size, languages, outlets and time span."""

    id: str
    label: str
    size: int = Field(description="articles, syndicated copies included")
    reports: int = Field(description="distinct reports (copies excluded)")
    languages: list[str]
    sources: list[str]
    first_published: datetime | None
    last_published: datetime | None

    @classmethod
    def of(cls, story: Story) -> StoryPublic:
        return cls(
            id=story.id,
            label=story.label,
            size=story.size,
            reports=story.reports,
            languages=story.languages,
            sources=story.sources,
            first_published=story.first_published,
            last_published=story.last_published,
        )


class StoryPage(PageInfo):
    """One page of stories."""

    items: list[StoryPublic]


class ArticleSummary(BaseModel):
    """An article in a list (no text)."""

    id: str
    title: str
    lead: str
    source: str | None
    url: str | None = Field(description="the original link (http/https only)")
    lang: str | None
    published: datetime | None
    story_id: str | None
    duplicate_of: str | None

    @classmethod
    def of(cls, a: Article) -> ArticleSummary:
        return cls(
            id=a.id,
            title=a.title,
            lead=a.lead,
            source=a.source,
            url=safe_url(a.url),
            lang=a.lang,
            published=a.published,
            story_id=a.story_id,
            duplicate_of=a.duplicate_of,
        )


class ArticlePage(PageInfo):
    """One page of articles."""

    items: list[ArticleSummary]


class MentionPublic(BaseModel):
    text: str
    start: int
    end: int
    label: str
    entity_id: str | None


class QuotePublic(BaseModel):
    text: str
    start: int
    end: int
    cue: str | None
    speaker: str | None
    speaker_entity_id: str | None
    medium: str | None
    partial: bool


class TimexPublic(BaseModel):
    text: str
    start: int
    end: int
    type: str
    value: str


class SentencePublic(BaseModel):
    start: int
    end: int
    paragraph: int


class ArticlePublic(ArticleSummary):
    """One article with its text and everything the pipeline found in it."""

    text: str
    event_date: str | None
    error: str | None
    sentences: list[SentencePublic]
    mentions: list[MentionPublic]
    quotes: list[QuotePublic]
    timexes: list[TimexPublic]
    duplicates: list[ArticleSummary]

    @classmethod
    def full(cls, a: Article, duplicates: list[Article]) -> ArticlePublic:
        base = ArticleSummary.of(a).model_dump()
        return cls(
            **base,
            text=a.text,
            event_date=a.event_date,
            error=a.error,
            sentences=[SentencePublic(start=s.start, end=s.end, paragraph=s.paragraph) for s in a.sentences],
            mentions=[
                MentionPublic(text=m.text, start=m.start, end=m.end, label=m.label, entity_id=m.entity_id)
                for m in a.mentions
            ],
            quotes=[
                QuotePublic(
                    text=q.text,
                    start=q.start,
                    end=q.end,
                    cue=q.cue,
                    speaker=q.speaker.text if q.speaker else None,
                    speaker_entity_id=q.speaker.entity_id if q.speaker else None,
                    medium=q.medium,
                    partial=q.partial,
                )
                for q in a.quotes
            ],
            timexes=[
                TimexPublic(text=t.text, start=t.start, end=t.end, type=t.type, value=t.value)
                for t in a.timexes
            ],
            duplicates=[ArticleSummary.of(d) for d in duplicates],
        )


class ArticleCreate(BaseModel):
    """One article posted to ``POST /api/articles`` (only ``text`` is required)."""

    id: str | None = None
    url: str | None = None
    source: str | None = None
    title: str | None = None
    text: str
    published: str | None = Field(default=None, description="ISO 8601, RFC 2822 or free text")
    lang: str | None = None


class IngestResult(BaseModel):
    """What an HTTP ingest did."""

    added: int
    duplicates: int
    near_duplicates: int
    rejected: int
    already_stored: int
    article_ids: list[str] = Field(description="ids of the articles this request added, in order")
    already_stored_ids: list[str] = Field(
        default_factory=list,
        description="ids of the articles sent again with the same text: they are stored under these ids",
    )
    messages: list[str] = Field(description="one 'origin: reason' per rejected record")
    warnings: list[str] = Field(
        default_factory=list,
        description="one 'origin: what' per article stored with something left unknown (e.g. a "
        "published date that could not be read or is out of range)",
    )
    detail: str | None = Field(
        default=None, description="why nothing was stored (only on a 422 answer), else null"
    )


class EntityPublic(BaseModel):
    """An entity with the names it goes by per language and how widely it is mentioned."""

    id: str
    name: str
    label: str
    names: dict[str, list[str]]
    articles: int
    stories: int
    mentions: int

    @classmethod
    def of(cls, e: EntitySummary) -> EntityPublic:
        return cls(
            id=e.id,
            name=e.name,
            label=e.label,
            names=e.names,
            articles=e.articles,
            stories=e.stories,
            mentions=e.mentions,
        )


class EntityPage(PageInfo):
    items: list[EntityPublic]


class MentionRef(BaseModel):
    """A mention of an entity in an article."""

    article_id: str
    text: str
    start: int
    end: int
    lang: str | None


class QuoteRowPublic(BaseModel):
    """A quote with its article's outlet, language, date and story."""

    article_id: str
    text: str
    cue: str | None
    speaker: str | None
    speaker_entity_id: str | None
    medium: str | None
    source: str | None
    lang: str | None
    published: datetime | None
    story_id: str | None

    @classmethod
    def of(cls, q: QuoteRow) -> QuoteRowPublic:
        return cls(
            article_id=q.article_id,
            text=q.text,
            cue=q.cue,
            speaker=q.speaker_name or q.speaker_text,
            speaker_entity_id=q.speaker_entity_id,
            medium=q.medium,
            source=q.source,
            lang=q.lang,
            published=q.published,
            story_id=q.story_id,
        )


class EntityDetail(PageInfo):
    """An entity page: its names, one page of mentions, its stories and its quotes."""

    entity: EntityPublic
    mentions: list[MentionRef]
    stories: list[StoryPublic]
    quotes: list[QuoteRowPublic]


class StoryEntity(BaseModel):
    """An entity as it appears in one story."""

    id: str
    name: str
    label: str
    mentions: int
    articles: int
    names: dict[str, list[str]]


class SpeakerQuote(BaseModel):
    article_id: str
    text: str
    source: str | None
    lang: str | None


class SpeakerGroup(BaseModel):
    """The quotes of one speaker across a story's reports."""

    speaker: str
    entity_id: str | None
    quotes: list[SpeakerQuote]


class TimelineBucket(BaseModel):
    """How many reports in one language were published in one time bucket."""

    lang: str
    start: datetime
    count: int


class SummarySentence(BaseModel):
    """A summary sentence with the language it is written in and the report it comes from."""

    text: str
    lang: str | None = Field(description="the sentence's language (may differ from reader_lang)")
    article: str | None = Field(description="id of the report the sentence is taken from")


class StoryDetail(PageInfo):
    """A story page: headline and summary in the reader's language, coverage, reports, people."""

    story: StoryPublic
    reader_lang: str
    headline: str
    summary: list[str] = Field(description="the summary sentences' texts (as in summary_sentences)")
    summary_sentences: list[SummarySentence] = Field(
        default_factory=list,
        description="the summary sentences with their language and report, in the order of summary; "
        "a sentence whose lang is not reader_lang is taken from a report in another language",
    )
    coverage: dict[str, Any] | None = Field(
        description="facts, unique claims and conflicts (null while the comparison is unavailable)"
    )
    coverage_status: str = Field(description="ok | unavailable")
    articles: list[ArticleSummary] = Field(description="one page of the story's reports")
    entities: list[StoryEntity]
    speakers: list[SpeakerGroup]
    timeline: list[TimelineBucket]


class SearchHitPublic(BaseModel):
    article: ArticleSummary
    score: float
    similarity: float | None
    text_rank: int | None
    via: list[str]
    snippet: str


class SearchGroupPublic(BaseModel):
    """Hits of one story (``story`` null for an article that is in no story)."""

    story: StoryPublic | None
    hits: list[SearchHitPublic]


class SearchPage(PageInfo):
    query: str
    mode: str
    lang: str | None
    groups: list[SearchGroupPublic]
    note: str | None = Field(
        None,
        description="Set when the query is not valid full-text (FTS5) syntax and its words were searched "
        "as typed: one line saying so",
    )


class Problem(BaseModel):
    """An error: ``detail`` says what went wrong and how to fix it."""

    detail: str

"""The ``Store`` protocol: everything the engine asks of a database, with no SQL in sight."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import numpy as np

from babelwire.model import Article, Story


@dataclass(frozen=True, slots=True)
class ArticleFilter:
    """Filters for listing articles; ``None`` means no filter."""

    lang: str | None = None
    source: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    query: str | None = None  # full-text query
    story_id: str | None = None
    include_duplicates: bool = True
    limit: int = 50
    offset: int = 0


@dataclass(frozen=True, slots=True)
class FullTextQuery:
    """A full-text query as typed and what is searched for it.

    ``match`` is the query itself when it is valid FTS5 syntax. When it is not (a stray quote, a
    trailing ``AND``, ``word:`` naming no column), its words are searched as typed, each quoted,
    and ``words_as_typed`` says so, so that a reader can tell the user; ``match`` is None when the
    query has no word at all (nothing is searched).
    """

    query: str
    match: str | None
    words_as_typed: bool = False
    words: tuple[str, ...] = ()  # the words searched when ``words_as_typed``

    @property
    def note(self) -> str | None:
        """One line telling the user that the query fell back to its words, or None if it did not."""
        if not self.words_as_typed:
            return None
        head = f"“{self.query}” is not valid full-text (FTS5) syntax"
        if not self.words:
            return f"{head} and has no words, so nothing was searched"
        return f"{head}, so its words were searched as typed: {' '.join(self.words)}"


@dataclass(frozen=True, slots=True)
class StoryFilter:
    """Filters and order for listing stories."""

    since: datetime | None = None  # last report on or after
    until: datetime | None = None  # first report before
    lang: str | None = None
    source: str | None = None
    min_size: int = 1
    sort: str = "size"  # size | languages | recent
    limit: int = 50
    offset: int = 0


@dataclass(frozen=True, slots=True)
class EntityFilter:
    """Filters for listing entities."""

    query: str | None = None  # a name, a spelling or an id
    label: str | None = None  # PER | ORG | LOC | MISC
    story_id: str | None = None
    only_id: str | None = None
    limit: int = 50
    offset: int = 0


@dataclass(frozen=True, slots=True)
class EntitySummary:
    """An entity with the names it goes by per language and how widely it is mentioned."""

    id: str
    name: str
    label: str
    names: dict[str, list[str]]
    articles: int
    stories: int
    mentions: int


@dataclass(frozen=True, slots=True)
class QuoteFilter:
    """Filters for listing quotes."""

    speaker: str | None = None  # entity id or part of a name
    story_id: str | None = None
    article_id: str | None = None
    limit: int = 100
    offset: int = 0


@dataclass(frozen=True, slots=True)
class QuoteRow:
    """A stored quote with its article's outlet, language, date and story."""

    article_id: str
    position: int
    text: str
    start: int
    end: int
    cue: str | None
    speaker_text: str | None
    speaker_entity_id: str | None
    speaker_name: str | None
    medium: str | None
    partial: bool
    source: str | None
    lang: str | None
    published: datetime | None
    story_id: str | None


@dataclass(frozen=True, slots=True)
class Rejected:
    """An input that never became an article, kept so the user can see what failed and why."""

    origin: str
    reason: str
    created_at: str


class Store(Protocol):
    """Persistence for articles, their analyses and stage runs."""

    def close(self) -> None:
        """Close the connection."""
        ...

    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        """The subset of ``ids`` already stored."""
        ...

    def stored_content_hashes(self, ids: Iterable[str]) -> dict[str, str | None]:
        """The content hash of each of ``ids`` already stored (None for one with no text left)."""
        ...

    def save_articles(self, articles: Iterable[Article]) -> None:
        """Insert or update articles with their analyses and stage versions, atomically."""
        ...

    def get_article(self, article_id: str) -> Article | None:
        """One article with its analyses, or None."""
        ...

    def get_articles(self, ids: Iterable[str]) -> list[Article]:
        """Several articles by id, in the order given (unknown ids skipped)."""
        ...

    def iter_articles(self, batch_size: int = 500) -> Iterator[Article]:
        """Every stored article in ingest order."""
        ...

    def list_articles(self, flt: ArticleFilter) -> list[Article]:
        """Articles matching a filter, newest first (full-text matches by rank)."""
        ...

    def full_text_query(self, query: str) -> FullTextQuery:
        """What a full-text query searches: itself if valid FTS5 syntax, else its words as typed."""
        ...

    def count_articles(self) -> int:
        """How many articles are stored."""
        ...

    def duplicates_of(self, article_id: str) -> list[Article]:
        """Stored copies recorded as duplicates of an article."""
        ...

    def iter_originals(self) -> Iterator[tuple[str, str | None, str | None, bytes | None]]:
        """(id, url, content hash, MinHash signature) of every stored non-duplicate article."""
        ...

    def record_rejections(self, items: Iterable[tuple[str, str]]) -> None:
        """Remember inputs that could not be read, as (origin, reason)."""
        ...

    def clear_rejections(self, origins: Iterable[str]) -> None:
        """Forget the rejections of inputs that have now been read."""
        ...

    def rejections(self, limit: int = 100) -> list[Rejected]:
        """The most recent rejected inputs."""
        ...

    def get_embeddings(self, keys: Sequence[str], model: str) -> dict[str, np.ndarray]:
        """Cached vectors by text hash for one model (missing keys are absent)."""
        ...

    def put_embeddings(self, items: Mapping[str, np.ndarray], model: str) -> None:
        """Cache vectors by text hash for one model."""
        ...

    def save_story_features(self, rows: Iterable[tuple[str, datetime | None, bytes]]) -> None:
        """Keep the clustering features of articles (article id, published, features)."""
        ...

    def story_features_since(self, since: datetime | None) -> list[tuple[str, str | None, bytes]]:
        """(article id, story id, features) of clustered articles published since a date."""
        ...

    def latest_published(self) -> datetime | None:
        """The newest publication date of a clustered article."""
        ...

    def set_story_ids(self, assignments: Mapping[str, str]) -> None:
        """Set the story of articles and of their stored copies."""
        ...

    def record_story_merges(self, merges: Mapping[str, str]) -> None:
        """Remember merged stories (old id -> new id)."""
        ...

    def resolve_story_id(self, story_id: str) -> str:
        """The current id of a story that may have been merged into another."""
        ...

    def story_articles(self, story_id: str) -> list[Article]:
        """Every article of a story, copies included, oldest first."""
        ...

    def save_stories(self, stories: Iterable[Story]) -> None:
        """Insert or update story summaries."""
        ...

    def delete_stories(self, ids: Iterable[str]) -> None:
        """Remove story rows."""
        ...

    def get_story(self, story_id: str) -> Story | None:
        """One story summary (merged-away ids are followed)."""
        ...

    def list_stories(self, flt: StoryFilter) -> list[Story]:
        """Stories matching a filter."""
        ...

    def set_entity_names(self, names: Mapping[str, str]) -> None:
        """Set the display name of entities."""
        ...

    def list_entities(self, flt: EntityFilter) -> list[EntitySummary]:
        """Entities with names per language and article/story counts."""
        ...

    def get_entity(self, entity_id: str) -> EntitySummary | None:
        """One entity's summary."""
        ...

    def entity_mentions(
        self, entity_id: str, limit: int = 1000
    ) -> list[tuple[str, str, int, int, str | None]]:
        """(article id, text, start, end, lang) of an entity's mentions."""
        ...

    def entity_story_ids(self, entity_id: str) -> list[str]:
        """Stories in which an entity is mentioned."""
        ...

    def remap_entities(self, mapping: Mapping[str, str]) -> None:
        """Point mentions and quote speakers of merged entities at the surviving id."""
        ...

    def list_quotes(self, flt: QuoteFilter) -> list[QuoteRow]:
        """Quotes with their article, speaker and story."""
        ...

    # -- web pages and search (read-only, bounded) ----------------------------------------
    def story_features_marker(self) -> int:
        """A number that grows whenever clustering features are added or replaced."""
        ...

    def story_features_after(self, after: int, limit: int = 5000) -> list[tuple[int, str, bytes]]:
        """(marker, article id, features) of feature rows added after a marker, in order."""
        ...

    def search_article_ids(self, query: str, limit: int, lang: str | None = None) -> list[str]:
        """Ids of original articles matching a full-text query, best match first."""
        ...

    def article_story_ids(self, ids: Iterable[str]) -> dict[str, tuple[str | None, str | None]]:
        """Article id -> (story id, duplicate_of) for the stored ones among ``ids``."""
        ...

    def entity_names(self, ids: Iterable[str]) -> dict[str, str]:
        """Display names of entities by id."""
        ...

    def query_stories(self, flt: StoryFilter, entity_id: str | None = None) -> list[Story]:
        """``list_stories`` planned for interactive pages, optionally only stories mentioning an entity."""
        ...

    def entity_mentions_page(
        self, entity_id: str, limit: int = 50, offset: int = 0
    ) -> list[tuple[str, str, int, int, str | None]]:
        """One page of an entity's mentions: (article id, text, start, end, lang)."""
        ...

    def get_coverage(self, story_id: str, reader_lang: str, key: str) -> dict[str, Any] | None:
        """The cached comparison of a story for this key, or None."""
        ...

    def put_coverage(self, story_id: str, reader_lang: str, key: str, data: dict[str, Any]) -> None:
        """Cache a story's comparison under its key."""
        ...

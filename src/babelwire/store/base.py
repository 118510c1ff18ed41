"""The ``Store`` protocol: everything the engine asks of a database, with no SQL in sight."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from babelwire.model import Article


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

    def rejections(self, limit: int = 100) -> list[Rejected]:
        """The most recent rejected inputs."""
        ...

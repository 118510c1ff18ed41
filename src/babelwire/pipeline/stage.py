"""What a stage is: a named, versioned unit that declares what it requires and provides."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from babelwire.model import Article

#: What every article has before any stage runs (set by the readers in ``ingest``).
INPUT_FIELDS: frozenset[str] = frozenset({"text", "title", "url", "source", "published", "id"})


@runtime_checkable
class Stage(Protocol):
    """A per-article processing step.

    ``run`` receives a batch of articles that still need this stage and mutates them in place.
    A stage rejects an article by setting ``article.error``; it raises only for bugs, and the
    runner then isolates the failing article so the rest of the batch goes on.
    """

    name: str
    version: str
    requires: tuple[str, ...]
    provides: tuple[str, ...]
    #: Skip articles already recognised as duplicates of another (they inherit its analysis).
    skip_duplicates: bool

    def run(self, articles: list[Article]) -> None:
        """Process a batch of articles in place."""
        ...

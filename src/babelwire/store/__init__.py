"""Persistence behind the ``Store`` protocol: SQLite by default, PostgreSQL later."""

from babelwire.store.base import (
    ArticleFilter,
    EntityFilter,
    FullTextQuery,
    QuoteFilter,
    Store,
    StoryFilter,
)
from babelwire.store.sqlite import SQLiteStore


def open_store(db: str) -> Store:
    """Open the store a ``--db`` value or ``BABELWIRE_DB`` names (a path means SQLite)."""
    if db.startswith(("postgresql://", "postgres://")):
        from babelwire.errors import StoreError

        raise StoreError(
            "PostgreSQL is not supported yet in this version; use a SQLite path (the default "
            "babelwire.db) for --db / BABELWIRE_DB"
        )
    return SQLiteStore(db)


__all__ = [
    "ArticleFilter",
    "EntityFilter",
    "FullTextQuery",
    "QuoteFilter",
    "SQLiteStore",
    "Store",
    "StoryFilter",
    "open_store",
]

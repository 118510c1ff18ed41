"""The SQLite store's story, entity, quote and coverage queries (mixed into ``SQLiteStore``)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from babelwire.model import Article, Story
from babelwire.store.base import (
    ArticleFilter,
    EntityFilter,
    EntitySummary,
    QuoteFilter,
    QuoteRow,
    StoryFilter,
)
from babelwire.store.codec import ARTICLE_COLUMNS, iso_utc, parse_iso


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _like_escape(text: str) -> str:
    """``text`` as a literal inside a LIKE pattern with ``ESCAPE '\\'``."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class StoryQueries:
    """Stories, entities, quotes, the coverage cache and the web's bounded read queries."""

    conn: sqlite3.Connection

    def _rows_to_articles(self, rows: list[sqlite3.Row]) -> list[Article]:
        raise NotImplementedError  # provided by SQLiteStore

    def _fts(self, sql: str, query: str, params: list[object], flt: ArticleFilter) -> list[sqlite3.Row]:
        raise NotImplementedError  # provided by SQLiteStore

    # -- stories --------------------------------------------------------------------------
    def save_story_features(self, rows: Iterable[tuple[str, datetime | None, bytes]]) -> None:
        """Keep the clustering features of articles, so later ingests can restore the clusterer."""
        with self.conn:
            self.conn.executemany(
                "INSERT OR REPLACE INTO story_features VALUES (?, ?, ?)",
                [(aid, iso_utc(published), blob) for aid, published, blob in rows],
            )

    def story_features_since(self, since: datetime | None) -> list[tuple[str, str | None, bytes]]:
        """(article id, story id or None, features) of articles published since a date (or undated).

        Articles not clustered yet (story None) are always included, whatever their date.
        """
        sql = (
            "SELECT f.article_id, a.story_id, f.features FROM story_features f "
            "JOIN articles a ON a.id = f.article_id WHERE a.duplicate_of IS NULL AND a.error IS NULL"
        )
        params: list[object] = []
        if since is not None:
            sql += " AND (a.story_id IS NULL OR f.published IS NULL OR f.published >= ?)"
            params.append(iso_utc(since))
        sql += " ORDER BY a.rowid"
        return [(r[0], r[1], r[2]) for r in self.conn.execute(sql, params)]

    def latest_published(self) -> datetime | None:
        """The newest publication date of a clustered article."""
        row = self.conn.execute("SELECT MAX(published) FROM story_features").fetchone()
        return parse_iso(row[0]) if row and row[0] else None

    def set_story_ids(self, assignments: Mapping[str, str]) -> None:
        """Set the story of articles (and of their stored copies)."""
        rows = list(assignments.items())
        with self.conn:
            self.conn.executemany("UPDATE articles SET story_id = ? WHERE id = ?", [(s, a) for a, s in rows])
            self.conn.executemany(
                "UPDATE articles SET story_id = ? WHERE duplicate_of = ?", [(s, a) for a, s in rows]
            )

    def record_story_merges(self, merges: Mapping[str, str]) -> None:
        """Remember that stories were merged into others; drop the merged-away rows."""
        with self.conn:
            self.conn.executemany("INSERT OR REPLACE INTO story_merges VALUES (?, ?)", list(merges.items()))
            self.conn.executemany(
                "UPDATE story_merges SET new_id = ? WHERE new_id = ?", [(n, o) for o, n in merges.items()]
            )
            self.conn.executemany("DELETE FROM stories WHERE id = ?", [(o,) for o in merges])
            self.conn.executemany(
                "UPDATE articles SET story_id = ? WHERE story_id = ?", [(n, o) for o, n in merges.items()]
            )

    def resolve_story_id(self, story_id: str) -> str:
        """The current id of a story that may have been merged into another."""
        row = self.conn.execute("SELECT new_id FROM story_merges WHERE old_id = ?", (story_id,)).fetchone()
        return str(row[0]) if row else story_id

    def story_articles(self, story_id: str) -> list[Article]:
        """Every article of a story, copies included, oldest first."""
        cols = ", ".join(ARTICLE_COLUMNS)
        rows = self.conn.execute(
            f"SELECT {cols} FROM articles WHERE story_id = ? ORDER BY published IS NULL, published, rowid",
            (story_id,),
        ).fetchall()
        return self._rows_to_articles(rows)

    def save_stories(self, stories: Iterable[Story]) -> None:
        """Insert or update story summaries."""
        now = _now()
        rows = [
            (
                s.id,
                s.label,
                s.size,
                s.reports,
                json.dumps(s.languages),
                json.dumps(s.sources),
                iso_utc(s.first_published),
                iso_utc(s.last_published),
                now,
            )
            for s in stories
        ]
        with self.conn:
            self.conn.executemany("INSERT OR REPLACE INTO stories VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def delete_stories(self, ids: Iterable[str]) -> None:
        """Remove story rows (stories left with no article)."""
        with self.conn:
            self.conn.executemany("DELETE FROM stories WHERE id = ?", [(i,) for i in ids])

    def _story(self, row: sqlite3.Row) -> Story:
        return Story(
            id=row["id"],
            label=row["label"],
            size=row["size"],
            reports=row["reports"],
            languages=json.loads(row["languages"]),
            sources=json.loads(row["sources"]),
            first_published=parse_iso(row["first_published"]),
            last_published=parse_iso(row["last_published"]),
        )

    def get_story(self, story_id: str) -> Story | None:
        """One story summary (merged-away ids are followed)."""
        row = self.conn.execute(
            "SELECT * FROM stories WHERE id = ?", (self.resolve_story_id(story_id),)
        ).fetchone()
        return self._story(row) if row else None

    def list_stories(self, flt: StoryFilter) -> list[Story]:
        """Stories matching a filter, sorted by size, number of languages or recency."""
        return self.query_stories(flt)

    # -- entities and quotes --------------------------------------------------------------
    def set_entity_names(self, names: Mapping[str, str]) -> None:
        """Set the display name of entities."""
        with self.conn:
            self.conn.executemany(
                "UPDATE entities SET name = ? WHERE id = ?", [(n, i) for i, n in names.items()]
            )

    def list_entities(self, flt: EntityFilter) -> list[EntitySummary]:
        """Entities with their names per language and article/story counts, most mentioned first."""
        where = []
        params: list[object] = []
        if flt.only_id is not None:  # an empty id is an id that matches nothing, not "any"
            where.append("e.id = ?")
            params.append(flt.only_id)
        if flt.query:
            where.append(
                "(e.name LIKE ? ESCAPE '\\' OR e.id = ? OR EXISTS (SELECT 1 FROM mentions q "
                "WHERE q.entity_id = e.id AND q.text LIKE ? ESCAPE '\\'))"
            )
            like = "%" + flt.query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            params += [like, flt.query, like]
        if flt.label:
            where.append("e.label = ?")
            params.append(flt.label.upper())
        stories = "COUNT(DISTINCT a.story_id)"
        if flt.story_id:
            # within one story, articles and mentions are counted in that story (the stories count
            # stays the entity's whole count)
            where.append("a.story_id = ?")
            params.append(self.resolve_story_id(flt.story_id))
            stories = (
                "(SELECT COUNT(DISTINCT b.story_id) FROM mentions q JOIN articles b ON b.id = q.article_id "
                "WHERE q.entity_id = e.id)"
            )
        sql = (
            "SELECT e.id, e.name, e.label, COUNT(DISTINCT m.article_id) AS articles, "
            f"{stories} AS stories, COUNT(*) AS mentions "
            "FROM entities e JOIN mentions m ON m.entity_id = e.id JOIN articles a ON a.id = m.article_id"
        )
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " GROUP BY e.id ORDER BY articles DESC, mentions DESC, e.id LIMIT ? OFFSET ?"
        rows = self.conn.execute(sql, [*params, flt.limit, flt.offset]).fetchall()
        names = self._names_by_lang([r["id"] for r in rows])
        return [
            EntitySummary(
                id=r["id"],
                name=r["name"],
                label=r["label"],
                names=names.get(r["id"], {}),
                articles=r["articles"],
                stories=r["stories"],
                mentions=r["mentions"],
            )
            for r in rows
        ]

    def _names_by_lang(self, ids: list[str]) -> dict[str, dict[str, list[str]]]:
        out: dict[str, dict[str, list[str]]] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.conn.execute(
                f"SELECT entity_id, COALESCE(lang, '?'), text, COUNT(*) FROM mentions "
                f"WHERE entity_id IN ({marks}) GROUP BY 1, 2, 3 ORDER BY 1, 2, 4 DESC, 3",
                chunk,
            ):
                out.setdefault(row[0], {}).setdefault(row[1], []).append(row[2])
        return out

    def get_entity(self, entity_id: str) -> EntitySummary | None:
        """One entity's summary (None for an unknown or empty id)."""
        if not entity_id:
            return None
        found = self.list_entities(EntityFilter(query=None, limit=1, only_id=entity_id))
        return found[0] if found else None

    def entity_mentions(
        self, entity_id: str, limit: int = 1000
    ) -> list[tuple[str, str, int, int, str | None]]:
        """(article id, text, start, end, lang) of an entity's mentions, oldest article first."""
        rows = self.conn.execute(
            "SELECT m.article_id, m.text, m.start, m.end, m.lang FROM mentions m "
            "JOIN articles a ON a.id = m.article_id WHERE m.entity_id = ? "
            "ORDER BY a.published IS NULL, a.published, a.rowid, m.start LIMIT ?",
            (entity_id, limit),
        ).fetchall()
        return [(r[0], r[1], r[2], r[3], r[4]) for r in rows]

    def entity_story_ids(self, entity_id: str) -> list[str]:
        """Stories in which an entity is mentioned, largest first."""
        rows = self.conn.execute(
            "SELECT a.story_id, COUNT(DISTINCT a.id) AS n FROM mentions m "
            "JOIN articles a ON a.id = m.article_id WHERE m.entity_id = ? AND a.story_id IS NOT NULL "
            "GROUP BY a.story_id ORDER BY n DESC, a.story_id",
            (entity_id,),
        ).fetchall()
        return [r[0] for r in rows]

    def remap_entities(self, mapping: Mapping[str, str]) -> None:
        """Point mentions and quote speakers of merged entities at the surviving id."""
        pairs = [(new, old) for old, new in mapping.items() if old != new]
        with self.conn:
            self.conn.executemany("UPDATE OR REPLACE mentions SET entity_id = ? WHERE entity_id = ?", pairs)
            self.conn.executemany(
                "UPDATE quotes SET speaker_entity_id = ? WHERE speaker_entity_id = ?", pairs
            )

    def list_quotes(self, flt: QuoteFilter) -> list[QuoteRow]:
        """Quotes with their article, speaker and story, newest first."""
        where = []
        params: list[object] = []
        if flt.speaker:
            where.append("(q.speaker_entity_id = ? OR q.speaker_text LIKE ? OR e.name LIKE ?)")
            params += [flt.speaker, f"%{flt.speaker}%", f"%{flt.speaker}%"]
        if flt.story_id:
            where.append("a.story_id = ?")
            params.append(self.resolve_story_id(flt.story_id))
        if flt.article_id:
            where.append("q.article_id = ?")
            params.append(flt.article_id)
        sql = (
            "SELECT q.*, a.source, a.lang, a.published, a.story_id, e.name AS speaker_name FROM quotes q "
            "JOIN articles a ON a.id = q.article_id LEFT JOIN entities e ON e.id = q.speaker_entity_id"
        )
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY a.published IS NULL, a.published DESC, q.article_id, q.position LIMIT ? OFFSET ?"
        rows = self.conn.execute(sql, [*params, flt.limit, flt.offset]).fetchall()
        return [
            QuoteRow(
                article_id=r["article_id"],
                position=r["position"],
                text=r["text"],
                start=r["start"],
                end=r["end"],
                cue=r["cue"],
                speaker_text=r["speaker_text"],
                speaker_entity_id=r["speaker_entity_id"],
                speaker_name=r["speaker_name"],
                medium=r["medium"],
                partial=bool(r["partial"]),
                source=r["source"],
                lang=r["lang"],
                published=parse_iso(r["published"]),
                story_id=r["story_id"],
            )
            for r in rows
        ]

    # -- web pages and search (read-only, bounded) ----------------------------------------
    def story_features_marker(self) -> int:
        """A number that grows whenever clustering features are added or replaced (their last rowid)."""
        row = self.conn.execute("SELECT MAX(rowid) FROM story_features").fetchone()
        return int(row[0] or 0)

    def story_features_after(self, after: int, limit: int = 5000) -> list[tuple[int, str, bytes]]:
        """(rowid, article id, features) of feature rows added after ``story_features_marker`` ``after``."""
        rows = self.conn.execute(
            "SELECT rowid, article_id, features FROM story_features WHERE rowid > ? ORDER BY rowid LIMIT ?",
            (after, limit),
        ).fetchall()
        return [(r[0], r[1], r[2]) for r in rows]

    def search_article_ids(self, query: str, limit: int, lang: str | None = None) -> list[str]:
        """Ids of original articles whose title or text match an FTS5 query, best match first."""
        sql = (
            "SELECT a.id FROM articles_fts f JOIN articles a ON a.rowid = f.rowid "
            "WHERE articles_fts MATCH ? AND a.duplicate_of IS NULL"
        )
        params: list[object] = []
        if lang:
            sql += " AND a.lang = ?"
            params.append(lang)
        sql += " ORDER BY f.rank LIMIT ? OFFSET ?"
        return [r[0] for r in self._fts(sql, query, params, ArticleFilter(limit=limit))]

    def article_story_ids(self, ids: Iterable[str]) -> dict[str, tuple[str | None, str | None]]:
        """Article id -> (story id, duplicate_of) for the stored ones among ``ids``."""
        wanted = list(dict.fromkeys(ids))
        out: dict[str, tuple[str | None, str | None]] = {}
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.conn.execute(
                f"SELECT id, story_id, duplicate_of FROM articles WHERE id IN ({marks})", chunk
            ):
                out[row[0]] = (row[1], row[2])
        return out

    def entity_names(self, ids: Iterable[str]) -> dict[str, str]:
        """Display names of entities by id (unknown ids are absent)."""
        wanted = list(dict.fromkeys(ids))
        out: dict[str, str] = {}
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.conn.execute(f"SELECT id, name FROM entities WHERE id IN ({marks})", chunk):
                out[row[0]] = row[1]
        return out

    def query_stories(self, flt: StoryFilter, entity_id: str | None = None) -> list[Story]:
        """``list_stories`` for interactive pages: the same filters and orders, planned for speed,
        and optionally only the stories that mention an entity.

        ``+size`` keeps the planner off the size index when a date range is more selective; the
        language and outlet filters first match the JSON text with LIKE (cheap) before the exact test.
        """
        where = ["+size >= ?"]
        params: list[object] = [flt.min_size]
        if entity_id is not None:
            where.append(
                "id IN (SELECT a.story_id FROM mentions m JOIN articles a ON a.id = m.article_id "
                "WHERE m.entity_id = ? AND a.story_id IS NOT NULL)"
            )
            params.append(entity_id)
        if flt.since:
            where.append("last_published >= ?")
            params.append(iso_utc(flt.since))
        if flt.until:
            where.append("first_published < ?")
            params.append(iso_utc(flt.until))
        if flt.lang:
            where.append("languages LIKE ? ESCAPE '\\'")
            params.append("%" + _like_escape(json.dumps(flt.lang)) + "%")
            where.append("EXISTS (SELECT 1 FROM json_each(stories.languages) WHERE value = ?)")
            params.append(flt.lang)
        if flt.source:
            where.append("(sources LIKE ? ESCAPE '\\' OR sources LIKE ? ESCAPE '\\')")
            for ascii_only in (True, False):  # however the JSON was written
                params.append("%" + _like_escape(json.dumps(flt.source, ensure_ascii=ascii_only)) + "%")
            where.append("EXISTS (SELECT 1 FROM json_each(stories.sources) WHERE value = ? COLLATE NOCASE)")
            params.append(flt.source)
        order = {
            "languages": "json_array_length(languages) DESC, size DESC, last_published DESC",
            "recent": "last_published DESC, size DESC",  # NULL sorts last in DESC order
        }.get(flt.sort, "size DESC, reports DESC, last_published DESC")
        sql = f"SELECT * FROM stories WHERE {' AND '.join(where)} ORDER BY {order}, id LIMIT ? OFFSET ?"
        rows = self.conn.execute(sql, [*params, flt.limit, flt.offset]).fetchall()
        return [self._story(r) for r in rows]

    def entity_mentions_page(
        self, entity_id: str, limit: int = 50, offset: int = 0
    ) -> list[tuple[str, str, int, int, str | None]]:
        """One page of ``entity_mentions``: (article id, text, start, end, lang), oldest article first."""
        rows = self.conn.execute(
            "SELECT m.article_id, m.text, m.start, m.end, m.lang FROM mentions m "
            "JOIN articles a ON a.id = m.article_id WHERE m.entity_id = ? "
            "ORDER BY a.published IS NULL, a.published, a.rowid, m.start LIMIT ? OFFSET ?",
            (entity_id, limit, offset),
        ).fetchall()
        return [(r[0], r[1], r[2], r[3], r[4]) for r in rows]

    # -- coverage cache -------------------------------------------------------------------
    def get_coverage(self, story_id: str, reader_lang: str, key: str) -> dict[str, Any] | None:
        """The cached comparison of a story if it was computed for the same key, else None."""
        row = self.conn.execute(
            "SELECT data FROM coverage_cache WHERE story_id = ? AND reader_lang = ? AND key = ?",
            (story_id, reader_lang, key),
        ).fetchone()
        return json.loads(row[0]) if row else None

    def put_coverage(self, story_id: str, reader_lang: str, key: str, data: dict[str, Any]) -> None:
        """Cache a story's comparison under its key."""
        with self.conn:
            self.conn.execute(
                "INSERT OR REPLACE INTO coverage_cache VALUES (?, ?, ?, ?, ?)",
                (story_id, reader_lang, key, json.dumps(data, ensure_ascii=False), _now()),
            )

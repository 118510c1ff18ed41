"""SQLite store: WAL mode, versioned migrations, FTS5 search, one writer connection."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import numpy as np

from babelwire.errors import StoreError
from babelwire.model import Article
from babelwire.store.base import (
    ArticleFilter,
    FullTextQuery,
    Rejected,
)
from babelwire.store.codec import ARTICLE_COLUMNS, article_from_row, article_to_row, iso_utc
from babelwire.store.sqlite_views import StoryQueries

_MIGRATION_NAME = re.compile(r"^(\d{3})_[\w-]+\.sql$")
_COLS = ", ".join(ARTICLE_COLUMNS)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def migrations() -> list[tuple[int, str, str]]:
    """Every packaged migration as (version, file name, SQL), in order."""
    found = []
    for entry in resources.files("babelwire.store").joinpath("migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


class SQLiteStore(StoryQueries):
    """The embedded default store (``babelwire.db`` or ``--db PATH``)."""

    def __init__(self, path: str | Path, readonly: bool = False) -> None:
        self.path = str(path)
        try:
            if self.path != ":memory:":
                parent = Path(self.path).expanduser().resolve().parent
                if not parent.exists():
                    raise StoreError(f"cannot open database {self.path}: folder {parent} does not exist")
            self.conn = sqlite3.connect(self.path, timeout=30.0)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA foreign_keys = ON")
            if self.path != ":memory:":
                self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = NORMAL")
            if not readonly:
                self.migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"cannot open database {self.path}: {exc}. Is it a babelwire SQLite file? "
                "Pass another path with --db or BABELWIRE_DB."
            ) from exc

    # -- schema ---------------------------------------------------------------------------
    def schema_version(self) -> int:
        """The highest migration applied (0 for a new database)."""
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations "
            "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        row = self.conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0)

    def migrate(self) -> list[str]:
        """Apply every packaged migration not yet applied, each in its own transaction."""
        applied = []
        current = self.schema_version()
        known = migrations()
        if known and current > known[-1][0]:
            raise StoreError(
                f"database {self.path} has schema version {current}, newer than this babelwire "
                f"knows ({known[-1][0]}); upgrade babelwire"
            )
        for version, name, sql in known:
            if version <= current:
                continue
            try:
                self.conn.executescript(
                    f"BEGIN;\n{sql}\nINSERT INTO schema_migrations VALUES "
                    f"({version}, '{name}', '{_now()}');\nCOMMIT;"
                )
            except sqlite3.DatabaseError as exc:
                self.conn.rollback()
                raise StoreError(f"migration {name} failed on {self.path}: {exc}") from exc
            applied.append(name)
        return applied

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    # -- articles -------------------------------------------------------------------------
    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        """The subset of ``ids`` already stored."""
        wanted = list(dict.fromkeys(ids))
        found: set[str] = set()
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            marks = ",".join("?" * len(chunk))
            found.update(
                r[0] for r in self.conn.execute(f"SELECT id FROM articles WHERE id IN ({marks})", chunk)
            )
        return found

    def stored_content_hashes(self, ids: Iterable[str]) -> dict[str, str | None]:
        """The content hash of each of ``ids`` already stored (None for one with no text left)."""
        wanted = list(dict.fromkeys(ids))
        found: dict[str, str | None] = {}
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT id, content_hash FROM articles WHERE id IN ({marks})"
            found.update((r[0], r[1]) for r in self.conn.execute(sql, chunk))
        return found

    def save_articles(self, articles: Iterable[Article]) -> None:
        """Insert or update articles, their analyses and stage versions in one transaction."""
        now = _now()
        rows = []
        stage_rows: list[tuple[str, str, str, str]] = []
        ids = []
        saved = list(articles)
        for article in saved:
            rows.append((*article_to_row(article), now))
            ids.append(article.id)
            stage_rows.extend((article.id, stage, version, now) for stage, version in article.stages.items())
        if not rows:
            return
        updates = ", ".join(f"{c} = excluded.{c}" for c in ARTICLE_COLUMNS if c != "id")
        try:
            with self.conn:
                self.conn.executemany(
                    f"INSERT INTO articles ({_COLS}, ingested_at) VALUES "
                    f"({','.join('?' * (len(ARTICLE_COLUMNS) + 1))}) "
                    f"ON CONFLICT(id) DO UPDATE SET {updates}",
                    rows,
                )
                self.conn.executemany(
                    "INSERT INTO article_stages VALUES (?, ?, ?, ?) ON CONFLICT(article_id, stage) "
                    "DO UPDATE SET version = excluded.version, ran_at = excluded.ran_at",
                    stage_rows,
                )
                self._save_annotations(saved)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"could not save {len(rows)} articles to {self.path}: {exc}") from exc

    def _save_annotations(self, articles: list[Article]) -> None:
        """Mirror mentions and quotes into their query tables (inside the caller's transaction)."""
        mention_rows = []
        quote_rows = []
        entity_rows = []
        entity_ids = [a.id for a in articles if "entities" in a.stages]
        quote_ids = [a.id for a in articles if "quotes" in a.stages]
        for article in articles:
            if "entities" in article.stages:
                for m in article.mentions:
                    if m.entity_id:
                        mention_rows.append(
                            (article.id, m.entity_id, m.text, m.start, m.end, m.label, article.lang)
                        )
                        entity_rows.append((m.entity_id, m.lemma or m.text, m.label))
            if "quotes" in article.stages:
                for i, q in enumerate(article.quotes):
                    sp = q.speaker
                    quote_rows.append(
                        (
                            article.id,
                            i,
                            q.text,
                            q.start,
                            q.end,
                            q.cue,
                            sp.text if sp else None,
                            sp.entity_id if sp else None,
                            q.medium,
                            int(q.partial),
                        )
                    )
        self.conn.executemany("DELETE FROM mentions WHERE article_id = ?", [(i,) for i in entity_ids])
        self.conn.executemany("DELETE FROM quotes WHERE article_id = ?", [(i,) for i in quote_ids])
        self.conn.executemany("INSERT OR REPLACE INTO mentions VALUES (?, ?, ?, ?, ?, ?, ?)", mention_rows)
        self.conn.executemany(
            "INSERT OR REPLACE INTO quotes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", quote_rows
        )
        self.conn.executemany("INSERT OR IGNORE INTO entities VALUES (?, ?, ?)", entity_rows)

    def _stages(self, ids: list[str]) -> dict[str, dict[str, str]]:
        out: dict[str, dict[str, str]] = {i: {} for i in ids}
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.conn.execute(
                f"SELECT article_id, stage, version FROM article_stages WHERE article_id IN ({marks})", chunk
            ):
                out[row[0]][row[1]] = row[2]
        return out

    def _rows_to_articles(self, rows: list[sqlite3.Row]) -> list[Article]:
        stages = self._stages([r["id"] for r in rows])
        return [article_from_row(r, stages[r["id"]]) for r in rows]

    def get_article(self, article_id: str) -> Article | None:
        """One article with its analyses, or None."""
        found = self.get_articles([article_id])
        return found[0] if found else None

    def get_articles(self, ids: Iterable[str]) -> list[Article]:
        """Several articles by id, in the order given (unknown ids skipped)."""
        wanted = list(ids)
        rows: dict[str, sqlite3.Row] = {}
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.conn.execute(f"SELECT {_COLS} FROM articles WHERE id IN ({marks})", chunk):
                rows[row["id"]] = row
        ordered = [rows[i] for i in wanted if i in rows]
        return self._rows_to_articles(ordered)

    def iter_articles(self, batch_size: int = 500) -> Iterator[Article]:
        """Every stored article in ingest order."""
        last = 0
        while True:
            rows = self.conn.execute(
                f"SELECT rowid, {_COLS} FROM articles WHERE rowid > ? ORDER BY rowid LIMIT ?",
                (last, batch_size),
            ).fetchall()
            if not rows:
                return
            last = rows[-1]["rowid"]
            yield from self._rows_to_articles(rows)

    def list_articles(self, flt: ArticleFilter) -> list[Article]:
        """Articles matching a filter, newest first (full-text matches by rank)."""
        where: list[str] = []
        params: list[object] = []
        if flt.lang:
            where.append("a.lang = ?")
            params.append(flt.lang)
        if flt.source:
            where.append("a.source = ? COLLATE NOCASE")
            params.append(flt.source)
        if flt.since:
            where.append("a.published >= ?")
            params.append(iso_utc(flt.since))
        if flt.until:
            where.append("a.published < ?")
            params.append(iso_utc(flt.until))
        if flt.story_id:
            where.append("a.story_id = ?")
            params.append(flt.story_id)
        if not flt.include_duplicates:
            where.append("a.duplicate_of IS NULL")
        cols = ", ".join(f"a.{c}" for c in ARTICLE_COLUMNS)
        if flt.query:
            sql = (
                f"SELECT {cols} FROM articles_fts f JOIN articles a ON a.rowid = f.rowid "
                "WHERE articles_fts MATCH ?"
            )
            clause = " AND ".join(where)
            sql += f" AND {clause}" if clause else ""
            sql += " ORDER BY f.rank LIMIT ? OFFSET ?"
            rows = self._fts(sql, flt.query, params, flt)
        else:
            sql = f"SELECT {cols} FROM articles a"
            sql += f" WHERE {' AND '.join(where)}" if where else ""
            sql += " ORDER BY a.published IS NULL, a.published DESC, a.rowid DESC LIMIT ? OFFSET ?"
            rows = self.conn.execute(sql, [*params, flt.limit, flt.offset]).fetchall()
        return self._rows_to_articles(rows)

    def full_text_query(self, query: str) -> FullTextQuery:
        """What a full-text query searches: itself if valid FTS5 syntax, else its words as typed."""
        try:
            # LIMIT 1, not 0: with LIMIT 0 SQLite never hands the expression to FTS5 to parse
            self.conn.execute(
                "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? LIMIT 1", (query,)
            ).fetchone()
        except sqlite3.OperationalError:
            # not valid FTS5 syntax (stray quotes, operators, "word:" naming no column)
            words = re.findall(r"\w+", query)
            safe = " ".join('"' + w.replace('"', '""') + '"' for w in words)
            return FullTextQuery(query, safe or None, words_as_typed=True, words=tuple(words))
        return FullTextQuery(query, query)

    def _fts(self, sql: str, query: str, params: list[object], flt: ArticleFilter) -> list[sqlite3.Row]:
        match = self.full_text_query(query).match
        if match is None:
            return []
        return self.conn.execute(sql, [match, *params, flt.limit, flt.offset]).fetchall()

    def count_articles(self) -> int:
        """How many articles are stored."""
        return int(self.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def duplicates_of(self, article_id: str) -> list[Article]:
        """Stored copies recorded as duplicates of an article."""
        rows = self.conn.execute(
            f"SELECT {_COLS} FROM articles WHERE duplicate_of = ? ORDER BY rowid", (article_id,)
        ).fetchall()
        return self._rows_to_articles(rows)

    def iter_originals(self) -> Iterator[tuple[str, str | None, str | None, bytes | None]]:
        """(id, url, content hash, MinHash signature) of every stored non-duplicate article."""
        for row in self.conn.execute(
            "SELECT id, url, content_hash, minhash FROM articles WHERE duplicate_of IS NULL ORDER BY rowid"
        ):
            yield row["id"], row["url"], row["content_hash"], row["minhash"]

    # -- rejections -----------------------------------------------------------------------
    def record_rejections(self, items: Iterable[tuple[str, str]]) -> None:
        """Remember inputs that could not be read, as (origin, reason).

        The same input rejected again for the same reason (a re-run ingest) is one entry, moved to
        the top with its new time, not a second one.
        """
        now = _now()
        rows = list(dict.fromkeys(items))
        with self.conn:
            self.conn.executemany("DELETE FROM rejections WHERE origin = ? AND reason = ?", rows)
            self.conn.executemany(
                "INSERT INTO rejections (origin, reason, created_at) VALUES (?, ?, ?)",
                [(o, r, now) for o, r in rows],
            )

    def clear_rejections(self, origins: Iterable[str]) -> None:
        """Forget the rejections of inputs that have now been read."""
        rows = [(o,) for o in dict.fromkeys(origins)]
        if rows:
            with self.conn:
                self.conn.executemany("DELETE FROM rejections WHERE origin = ?", rows)

    def rejections(self, limit: int = 100) -> list[Rejected]:
        """The most recent rejected inputs."""
        rows = self.conn.execute(
            "SELECT origin, reason, created_at FROM rejections ORDER BY id DESC LIMIT ?", (limit,)
        ).fetchall()
        return [Rejected(r[0], r[1], r[2]) for r in rows]

    # -- embeddings -----------------------------------------------------------------------
    def get_embeddings(self, keys: Sequence[str], model: str) -> dict[str, np.ndarray]:
        """Cached vectors by text hash for one model (missing keys are absent)."""
        found: dict[str, np.ndarray] = {}
        wanted = list(dict.fromkeys(keys))
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for key, blob in self.conn.execute(
                f"SELECT text_hash, vector FROM embeddings WHERE model = ? AND text_hash IN ({marks})",
                [model, *chunk],
            ):
                found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_embeddings(self, items: Mapping[str, np.ndarray], model: str) -> None:
        """Cache vectors (float32) by text hash for one model."""
        rows = [
            (key, model, int(vec.shape[-1]), np.asarray(vec, dtype=np.float32).tobytes())
            for key, vec in items.items()
        ]
        with self.conn:
            self.conn.executemany("INSERT OR REPLACE INTO embeddings VALUES (?, ?, ?, ?)", rows)

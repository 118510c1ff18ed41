"""The SQLite store: WAL, versioned migrations, round trips, filters, FTS5, stage versions, rejections."""

from __future__ import annotations

import ast
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from babelwire.errors import StoreError
from babelwire.model import Article, Sentence, Span
from babelwire.store import ArticleFilter, SQLiteStore, Store, open_store
from babelwire.store import sqlite as sqlite_module
from babelwire.store.sqlite import migrations
from tests.corpus import DA_TEXT, DE_TEXT, SV_TEXT, SV_TITLE
from tests.helpers import REPO


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    opened = SQLiteStore(tmp_path / "store.db")
    yield opened
    opened.close()


def article(
    article_id: str,
    text: str = SV_TEXT,
    *,
    lang: str | None = "sv",
    source: str | None = "Kustbladet",
    published: datetime | None = None,
    duplicate_of: str | None = None,
    title: str = "",
) -> Article:
    return Article(
        id=article_id,
        text=text,
        title=title or text.split("\n", 1)[0][:40],
        lang=lang,
        source=source,
        published=published,
        duplicate_of=duplicate_of,
        duplicate_kind="exact" if duplicate_of else None,
        stages={"normalize": "1", "segment": "1"},
    )


# -- schema -------------------------------------------------------------------------------------


def test_new_database_is_wal_and_fully_migrated(store: SQLiteStore) -> None:
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    applied = [r[0] for r in store.conn.execute("SELECT version FROM schema_migrations ORDER BY version")]
    assert applied == [v for v, _, _ in migrations()]
    assert applied[0] == 1 and store.schema_version() == applied[-1]


def test_migrations_are_numbered_without_gaps() -> None:
    versions = [v for v, _, _ in migrations()]
    assert versions == list(range(1, len(versions) + 1))


def test_reopening_applies_nothing(tmp_path: Path) -> None:
    SQLiteStore(tmp_path / "a.db").close()
    again = SQLiteStore(tmp_path / "a.db")
    assert again.migrate() == []
    again.close()


def test_database_newer_than_the_code_is_refused(tmp_path: Path) -> None:
    SQLiteStore(tmp_path / "a.db").close()
    conn = sqlite3.connect(tmp_path / "a.db")
    conn.execute("INSERT INTO schema_migrations VALUES (999, '999_future.sql', '2030-01-01')")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer than this babelwire"):
        SQLiteStore(tmp_path / "a.db")


def test_a_failing_migration_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    SQLiteStore(tmp_path / "a.db").close()
    known = migrations()
    broken = (
        known[-1][0] + 1,
        f"{known[-1][0] + 1:03d}_broken.sql",
        "CREATE TABLE half (x);\nNOT SQL AT ALL;",
    )
    monkeypatch.setattr(sqlite_module, "migrations", lambda: [*known, broken])
    with pytest.raises(StoreError, match=r"broken\.sql failed"):
        SQLiteStore(tmp_path / "a.db")
    monkeypatch.undo()
    reopened = SQLiteStore(tmp_path / "a.db")
    assert reopened.schema_version() == known[-1][0]
    tables = {r[0] for r in reopened.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "half" not in tables
    reopened.close()


def test_not_a_database(tmp_path: Path) -> None:
    (tmp_path / "notes.db").write_text("these are my notes, not a database\n" * 100, encoding="utf-8")
    with pytest.raises(StoreError, match="Is it a babelwire SQLite file"):
        SQLiteStore(tmp_path / "notes.db")


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        SQLiteStore(tmp_path / "nowhere" / "a.db")


def test_postgres_url_is_a_clear_error() -> None:
    with pytest.raises(StoreError, match="PostgreSQL is not supported yet"):
        open_store("postgresql://user@localhost/news")


# -- the Store protocol -------------------------------------------------------------------------


def test_sqlite_store_implements_every_protocol_method() -> None:
    wanted = {name for name in vars(Store) if not name.startswith("_") and callable(getattr(Store, name))}
    missing = {name for name in wanted if not callable(getattr(SQLiteStore, name, None))}
    assert not missing


def test_stages_never_touch_sql() -> None:
    """Stages reach storage only through the engine: no sqlite3 or babelwire.store import in them."""
    offenders = []
    for folder in ("ingest", "nlp", "pipeline"):
        for path in sorted((REPO / "src" / "babelwire" / folder).glob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                names = []
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module]
                for name in names:
                    if name == "sqlite3" or name.startswith("babelwire.store"):
                        offenders.append(f"{path.name}: {name}")
    assert not offenders


# -- articles -----------------------------------------------------------------------------------


def test_round_trip_keeps_every_field(store: SQLiteStore) -> None:
    original = Article(
        id="rt",
        text=SV_TEXT,
        title=SV_TITLE,
        lead=SV_TEXT.split("\n\n")[0],
        url="https://kust.example/rt",
        source="Kustbladet",
        published=datetime(2026, 11, 18, 21, 40, tzinfo=UTC),
        lang="sv",
        lang_given=True,
        content_hash="abc",
        origin="in.jsonl:3",
        paragraphs=[Span(0, 10), Span(12, 40)],
        sentences=[Sentence(0, 5, 0), Sentence(6, 10, 0), Sentence(12, 40, 1)],
        stages={"normalize": "1", "dedupe": "1", "language": "1", "segment": "1"},
        extra={"warning": "decoded as cp1252", "minhash": b"\x01\x02" * 8},
    )
    store.save_articles([original])
    loaded = store.get_article("rt")
    assert loaded is not None
    assert loaded == original


def test_saving_again_updates_and_keeps_the_minhash(store: SQLiteStore) -> None:
    first = article("u")
    first.extra["minhash"] = b"\x00" * 16
    store.save_articles([first])
    loaded = store.get_article("u")
    assert loaded is not None
    loaded.title = "Ny rubrik"
    loaded.stages["segment"] = "2"
    store.save_articles([loaded])
    again = store.get_article("u")
    assert again is not None
    assert again.title == "Ny rubrik" and again.stages["segment"] == "2"
    assert [row[3] for row in store.iter_originals()] == [b"\x00" * 16]
    assert store.count_articles() == 1
    assert store.list_articles(ArticleFilter(query="rubrik"))[0].id == "u"  # FTS follows the update


def test_existing_ids_in_chunks(store: SQLiteStore) -> None:
    store.save_articles([article(f"a{i}", f"{SV_TEXT} {i}") for i in range(0, 1200, 2)])
    wanted = [f"a{i}" for i in range(1200)]
    assert store.existing_ids(wanted) == {f"a{i}" for i in range(0, 1200, 2)}


def test_iter_articles_in_ingest_order(store: SQLiteStore) -> None:
    ids = [f"x{i:03d}" for i in range(30)][::-1]
    for i in ids:
        store.save_articles([article(i, f"{DA_TEXT} {i}")])
    assert [a.id for a in store.iter_articles(batch_size=7)] == ids


def test_get_articles_keeps_the_order_given(store: SQLiteStore) -> None:
    store.save_articles([article("a"), article("b", DA_TEXT), article("c", DE_TEXT)])
    assert [a.id for a in store.get_articles(["c", "missing", "a"])] == ["c", "a"]
    assert store.get_article("missing") is None


def test_stage_versions_are_recorded_per_article(store: SQLiteStore) -> None:
    one = article("s1")
    one.stages = {"normalize": "1", "dedupe": "1", "language": "2", "segment": "1"}
    store.save_articles([one])
    rows = store.conn.execute(
        "SELECT stage, version FROM article_stages WHERE article_id = 's1' ORDER BY stage"
    ).fetchall()
    assert [f"{r[0]}@{r[1]}" for r in rows] == ["dedupe@1", "language@2", "normalize@1", "segment@1"]


# -- listing and search -------------------------------------------------------------------------


@pytest.fixture
def filled(store: SQLiteStore) -> SQLiteStore:
    day = datetime(2026, 11, 10, 12, tzinfo=UTC)
    store.save_articles(
        [
            article("sv1", SV_TEXT, lang="sv", source="Kustbladet", published=day),
            article("da1", DA_TEXT, lang="da", source="Havnebladet", published=day + timedelta(days=1)),
            article("de1", DE_TEXT, lang="de", source="Alpenblatt", published=day + timedelta(days=2)),
            article(
                "sv2", SV_TEXT + " Kopia.", lang="sv", source="Havsposten", published=day, duplicate_of="sv1"
            ),
            article("nodate", DA_TEXT + " Uden dato.", lang="da", source="Havnebladet"),
        ]
    )
    return store


def ids(found: list[Article]) -> list[str]:
    return [a.id for a in found]


def test_newest_first_and_unknown_dates_last(filled: SQLiteStore) -> None:
    assert ids(filled.list_articles(ArticleFilter())) == ["de1", "da1", "sv2", "sv1", "nodate"]


def test_filters(filled: SQLiteStore) -> None:
    day = datetime(2026, 11, 10, tzinfo=UTC)
    assert ids(filled.list_articles(ArticleFilter(lang="da"))) == ["da1", "nodate"]
    assert ids(filled.list_articles(ArticleFilter(source="havnebladet"))) == ["da1", "nodate"]
    assert ids(filled.list_articles(ArticleFilter(since=day + timedelta(days=1)))) == ["de1", "da1"]
    assert ids(filled.list_articles(ArticleFilter(until=day + timedelta(days=1)))) == ["sv2", "sv1"]
    assert ids(filled.list_articles(ArticleFilter(include_duplicates=False, lang="sv"))) == ["sv1"]
    assert ids(filled.list_articles(ArticleFilter(limit=2, offset=1))) == ["da1", "sv2"]


def test_full_text_search(filled: SQLiteStore) -> None:
    assert set(ids(filled.list_articles(ArticleFilter(query="isbrytaren")))) == {"sv1", "sv2"}
    assert ids(filled.list_articles(ArticleFilter(query="Straßenbahnverkehr"))) == ["de1"]
    assert set(ids(filled.list_articles(ArticleFilter(query="farjan")))) == {"sv1", "sv2"}  # diacritics
    assert set(ids(filled.list_articles(ArticleFilter(query="havnebad*")))) == {"da1", "nodate"}  # prefix
    assert ids(filled.list_articles(ArticleFilter(query='"fire bolighus"'))) == []  # phrase: not here
    assert ids(filled.list_articles(ArticleFilter(query="isbrytaren", include_duplicates=False))) == ["sv1"]
    assert ids(filled.list_articles(ArticleFilter(query="Holmsund", lang="da"))) == []


@pytest.mark.parametrize("query", ['"unbalanced', "AND OR", "isbrytaren)", "NEAR(", "*", "-", "'"])
def test_invalid_fts_syntax_does_not_crash(filled: SQLiteStore, query: str) -> None:
    found = filled.list_articles(ArticleFilter(query=query))
    assert isinstance(found, list)


def test_invalid_fts_syntax_searches_the_words_as_typed_and_says_so(filled: SQLiteStore) -> None:
    valid = filled.full_text_query("isbrytaren OR havnebad*")
    assert (valid.match, valid.words_as_typed, valid.note) == ("isbrytaren OR havnebad*", False, None)
    broken = filled.full_text_query('"isbrytaren AND')
    assert broken.words_as_typed and broken.words == ("isbrytaren", "AND")
    assert broken.match == '"isbrytaren" "AND"'
    assert broken.note is not None and '"isbrytaren AND' in broken.note and "searched as typed" in broken.note
    # the fallback still finds what the words find
    assert set(ids(filled.list_articles(ArticleFilter(query="isbrytaren)")))) == {"sv1", "sv2"}
    assert filled.full_text_query("isbrytaren)").words == ("isbrytaren",)
    assert "no such column" not in (filled.full_text_query("Holmsund:hamn").note or "x")
    assert filled.full_text_query("Holmsund:hamn").words_as_typed  # "word:" that names no column
    nothing = filled.full_text_query("*")
    assert nothing.match is None and nothing.note is not None and "nothing was searched" in nothing.note
    assert filled.list_articles(ArticleFilter(query="*")) == []


def test_duplicates_of(filled: SQLiteStore) -> None:
    assert [(a.id, a.source) for a in filled.duplicates_of("sv1")] == [("sv2", "Havsposten")]
    assert {row[0] for row in filled.iter_originals()} == {"sv1", "da1", "de1", "nodate"}


# -- rejections and concurrency -----------------------------------------------------------------


def test_rejections_newest_first(store: SQLiteStore) -> None:
    store.record_rejections([("a.txt", "empty file"), ("b.jsonl:2", "malformed JSON")])
    store.record_rejections([("c.html", "HTML has no main text")])
    found = store.rejections(2)
    assert [(r.origin, r.reason) for r in found] == [
        ("c.html", "HTML has no main text"),
        ("b.jsonl:2", "malformed JSON"),
    ]
    assert found[0].created_at.startswith(str(datetime.now(UTC).year))


def test_readers_are_not_blocked_by_a_writer(tmp_path: Path) -> None:
    writer = SQLiteStore(tmp_path / "wal.db")
    writer.save_articles([article("w1")])
    reader = SQLiteStore(tmp_path / "wal.db")
    writer.conn.execute("BEGIN IMMEDIATE")
    writer.conn.execute("DELETE FROM articles")
    assert reader.count_articles() == 1  # the reader sees the last committed state, at once
    writer.conn.rollback()
    writer.close()
    reader.close()

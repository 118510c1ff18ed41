"""``babelwire export``: JSON lines, CSV and Atom of stories, articles, entities and quotes."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from babelwire import export as exporting
from babelwire.engine import Engine
from babelwire.store import Store
from tests.conftest import RunCli
from tests.corpus import OTHER_WIRE, WIRE, WIRE_COPY
from tests.helpers import write_jsonl

ATOM = "{http://www.w3.org/2005/Atom}"

QUOTED = (
    'Harbour chief Lena Marsk said on Friday: "The barrier did exactly what it was built to do, '
    'and the old quay stayed dry." The storm surge reached 3.1 metres overnight in Valdora.'
)


@pytest.fixture
def db(engine: Engine, tmp_path: Path) -> Path:
    """A small database: two reports of one story (one with a line break in its title), another story."""
    news = write_jsonl(
        tmp_path / "news.jsonl",
        [
            {
                "id": "wire-1",
                "title": 'Valdora barrier "holds",\nsurge passes',
                "text": WIRE,
                "source": "Valdora Post",
                "published": "2026-03-05T08:00:00Z",
                "url": "https://valdora.example/barrier",
            },
            {
                "id": "wire-2",
                "text": WIRE_COPY + "\n\n" + QUOTED,
                "source": "Coast Daily",
                "published": "2026-03-05T10:00:00Z",
            },
            {"id": "fire-1", "text": OTHER_WIRE, "source": "Hill News", "published": "2026-03-01T09:00:00Z"},
        ],
    )
    engine.ingest([str(news)])
    return Path(engine.settings.db)


def run_export(run_cli: RunCli, db: Path, *args: str) -> tuple[int, str, str]:
    result = run_cli("export", "--db", str(db), *args)
    return result.exit_code, result.stdout, result.stderr


def test_stories_as_json_lines_by_default(run_cli: RunCli, db: Path) -> None:
    code, out, err = run_export(run_cli, db)
    assert code == 0, err
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows and set(rows[0]) == {
        "id", "label", "languages", "sources", "reports", "size",
        "first_published", "last_published", "article_ids",
    }  # fmt: skip
    assert sorted(i for r in rows for i in r["article_ids"]) == ["fire-1", "wire-1", "wire-2"]
    assert "exported" in err


def test_articles_filters(run_cli: RunCli, db: Path) -> None:
    code, out, _ = run_export(run_cli, db, "--what", "articles", "--since", "2026-03-03")
    assert code == 0
    assert sorted(json.loads(x)["id"] for x in out.splitlines()) == ["wire-1", "wire-2"]
    code, out, _ = run_export(run_cli, db, "--what", "articles", "--source", "Hill News")
    assert [json.loads(x)["id"] for x in out.splitlines()] == ["fire-1"]
    code, out, _ = run_export(run_cli, db, "--what", "articles", "--lang", "de")
    assert code == 0 and out == ""


def test_story_filter_and_unknown_story(run_cli: RunCli, db: Path) -> None:
    _, out, _ = run_export(run_cli, db, "--what", "articles", "--source", "Hill News")
    story_id = json.loads(out)["story_id"]
    code, out, _ = run_export(run_cli, db, "--what", "articles", "--story", story_id)
    assert code == 0 and [json.loads(x)["id"] for x in out.splitlines()] == ["fire-1"]
    code, out, _ = run_export(run_cli, db, "--story", story_id)
    assert [json.loads(x)["id"] for x in out.splitlines()] == [story_id]
    code, _, err = run_export(run_cli, db, "--story", "no-such-story")
    assert code == 5 and "no story" in err


def test_csv_is_valid_with_header_and_quoting(run_cli: RunCli, db: Path) -> None:
    code, out, _ = run_export(run_cli, db, "--what", "articles", "--format", "csv")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out, newline="")))
    assert rows[0] == list(exporting.COLUMNS["articles"])
    by_id = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert set(by_id) == {"wire-1", "wire-2", "fire-1"}
    assert '"holds"' in by_id["wire-1"]["title"]
    assert by_id["wire-1"]["text"].startswith("Engineers")
    code, out, _ = run_export(run_cli, db, "--format", "csv")
    stories = list(csv.DictReader(io.StringIO(out, newline="")))
    assert all(isinstance(json.loads(s["article_ids"]), list) for s in stories)


def test_atom_is_valid_xml(run_cli: RunCli, db: Path) -> None:
    for what in exporting.KINDS:
        code, out, err = run_export(run_cli, db, "--what", what, "--format", "atom")
        assert code == 0, err
        root = ET.fromstring(out.encode("utf-8"))
        assert root.tag == f"{ATOM}feed" and root.find(f"{ATOM}updated") is not None
        for entry in root.iter(f"{ATOM}entry"):
            assert entry.findtext(f"{ATOM}id")
            # no alternate link means the text is the content (RFC 4287)
            assert entry.find(f"{ATOM}link") is not None or entry.find(f"{ATOM}content") is not None
    _, out, _ = run_export(run_cli, db, "--what", "articles", "--format", "atom")
    links = [el.get("href") for el in ET.fromstring(out.encode()).iter(f"{ATOM}link")]
    assert links == ["https://valdora.example/barrier"]


def test_quotes_and_entities(run_cli: RunCli, db: Path) -> None:
    code, out, _ = run_export(run_cli, db, "--what", "quotes")
    assert code == 0
    quotes = [json.loads(x) for x in out.splitlines()]
    assert any("barrier did exactly" in q["text"] for q in quotes)
    code, out, _ = run_export(run_cli, db, "--what", "entities", "--format", "csv")
    assert code == 0 and out.splitlines()[0].startswith("id,name,label")
    code, _, err = run_export(run_cli, db, "--what", "entities", "--lang", "en")
    assert code == 2 and "--story" in err


def test_empty_database_gives_valid_empty_output(run_cli: RunCli, engine: Engine) -> None:
    engine.store.count_articles()  # creates the database
    db = Path(engine.settings.db)
    assert run_export(run_cli, db)[:2] == (0, "")
    code, out, _ = run_export(run_cli, db, "--format", "csv")
    assert code == 0 and list(csv.reader(io.StringIO(out))) == [list(exporting.COLUMNS["stories"])]
    code, out, _ = run_export(run_cli, db, "--format", "atom", "--what", "quotes")
    root = ET.fromstring(out.encode())
    assert root.tag == f"{ATOM}feed" and not list(root.iter(f"{ATOM}entry"))


def test_output_file_is_replaced_whole(run_cli: RunCli, db: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text("old\n", encoding="utf-8")
    code, out, _ = run_export(run_cli, db, "--what", "articles", "-o", str(target))
    assert code == 0 and out == ""
    assert len(target.read_text(encoding="utf-8").splitlines()) == 3
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_bad_options(run_cli: RunCli, db: Path) -> None:
    assert run_export(run_cli, db, "--format", "xml")[0] == 2
    assert run_export(run_cli, db, "--what", "people")[0] == 2
    assert run_export(run_cli, db, "--since", "someday")[0] == 2


def test_pages_through_the_store(db: Path, monkeypatch: pytest.MonkeyPatch, engine: Engine) -> None:
    """Rows are read a page at a time: a page of one still yields everything, once."""
    monkeypatch.setattr(exporting, "PAGE_SIZE", 1)
    store: Store = engine.store
    sink = io.StringIO()
    count = exporting.write_export(sink, store, "articles", "jsonl", exporting.ExportFilter())
    assert count == 3
    assert sorted(json.loads(x)["id"] for x in sink.getvalue().splitlines()) == ["fire-1", "wire-1", "wire-2"]


def test_atom_drops_what_xml_cannot_hold() -> None:
    sink = io.StringIO()
    feed = exporting.AtomStream(sink, "urn:x", "t\x00itle")
    feed.entry(exporting.AtomEntry("urn:y", "bad \x01 <b>", None, "a & b \x1f"))
    feed.close()
    root = ET.fromstring(sink.getvalue().encode())
    assert root.findtext(f"{ATOM}title") == "title"
    assert root.find(f"{ATOM}entry/{ATOM}title").text == "bad  <b>"  # type: ignore[union-attr]


def test_an_undated_item_in_an_atom_export_is_dated_by_the_export() -> None:
    import io
    from datetime import UTC, datetime

    from babelwire.export import AtomEntry, AtomStream

    sink = io.StringIO()
    now = datetime(2026, 11, 2, 8, 30, tzinfo=UTC)
    stream = AtomStream(sink, "urn:babelwire:test", "test", now=now)
    stream.entry(AtomEntry(id="urn:babelwire:a", title="Ferry aground", link=None, updated=None, text="x"))
    stream.close()
    assert "1970" not in sink.getvalue() and sink.getvalue().count("2026-11-02T08:30:00Z") == 2

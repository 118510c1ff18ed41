"""``babelwire search`` and ``Engine.search``: full text and meaning, grouped by story."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from babelwire.engine import Engine
from babelwire.search import SearchResult
from tests.conftest import RunCli
from tests.corpus import DE_TEXT, OTHER_WIRE, WIRE, WIRE_COPY
from tests.helpers import write_jsonl


@pytest.fixture
def db(engine: Engine, tmp_path: Path) -> Path:
    """Two reports of the Valdora barrier, a fire in Castrena and a German report."""
    news = write_jsonl(
        tmp_path / "news.jsonl",
        [
            {"id": "wire-1", "text": WIRE, "source": "Valdora Post", "published": "2026-03-05T08:00:00Z"},
            {"id": "wire-2", "text": WIRE_COPY, "source": "Coast Daily", "published": "2026-03-05T10:00:00Z"},
            {"id": "fire-1", "text": OTHER_WIRE, "source": "Hill News", "published": "2026-03-01T09:00:00Z"},
            {"id": "de-1", "text": DE_TEXT, "source": "Kassel Kurier", "published": "2026-03-02T09:00:00Z"},
        ],
    )
    engine.ingest([str(news)])
    return Path(engine.settings.db)


def run_search(run_cli: RunCli, db: Path, *args: str) -> tuple[int, str, str]:
    result = run_cli("search", "--db", str(db), *args)
    return result.exit_code, result.stdout, result.stderr


def hit_ids(out: str) -> list[str]:
    data = json.loads(out)
    return [h["article"]["id"] for g in data["groups"] for h in g["hits"]]


def test_text_search_as_json(run_cli: RunCli, db: Path) -> None:
    code, out, err = run_search(run_cli, db, "Castrena", "--mode", "text", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["mode"] == "text" and data["note"] is None and data["has_more"] is False
    assert hit_ids(out) == ["fire-1"]
    (group,) = data["groups"]
    assert group["story"]["id"] and group["hits"][0]["via"] == ["text"]


def test_hybrid_search_groups_by_story(run_cli: RunCli, db: Path) -> None:
    code, out, err = run_search(run_cli, db, "Valdora barrier", "--json")
    assert code == 0, err
    ids = hit_ids(out)
    assert ids[0] == "wire-1" and "wire-2" not in ids  # a copy: its original stands for it
    assert len(ids) == len(set(ids))
    code, out, _ = run_search(run_cli, db, "Valdora barrier")
    assert code == 0 and "wire-1" in out and "stor" in out


def test_semantic_mode_and_language_filter(run_cli: RunCli, db: Path) -> None:
    code, out, err = run_search(run_cli, db, "Straßenbahn Kassel", "--mode", "semantic", "--json")
    assert code == 0, err
    assert all(h["via"] == ["semantic"] for g in json.loads(out)["groups"] for h in g["hits"])
    code, out, _ = run_search(run_cli, db, "Valdora", "--lang", "de", "--json", "--mode", "text")
    assert code == 0 and hit_ids(out) == []


def test_invalid_fts_syntax_is_noted_on_stderr(run_cli: RunCli, db: Path) -> None:
    code, out, err = run_search(run_cli, db, '"Castrena', "--mode", "text", "--json")
    assert code == 0
    assert "not valid full-text" in " ".join(err.split())
    assert hit_ids(out) == ["fire-1"]  # stdout stays valid JSON


def test_bad_options_and_missing_database(run_cli: RunCli, db: Path, tmp_path: Path) -> None:
    assert run_search(run_cli, db, "x", "--mode", "fuzzy")[0] == 2
    assert run_search(run_cli, db, "x", "--lang", "english")[0] == 2
    assert run_search(run_cli, tmp_path / "none.db", "x")[0] == 3


def test_limit_pages_over_stories(run_cli: RunCli, db: Path) -> None:
    code, out, _ = run_search(run_cli, db, "Thursday", "--mode", "text", "--limit", "1", "--json")
    data = json.loads(out)
    assert code == 0 and len(data["groups"]) == 1 and data["has_more"] is True


def test_engine_search(engine: Engine, db: Path) -> None:
    result = engine.search("Castrena", mode="text")
    assert isinstance(result, SearchResult)
    assert [h.article_id for g in result.groups for h in g.hits] == ["fire-1"]
    assert engine.search("Castrena", mode="hybrid", limit=5).groups
    assert engine.search("   ").groups == []
    with pytest.raises(ValueError):
        engine.search("x", mode="fuzzy")

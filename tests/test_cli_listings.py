"""Listings on odd requests: ids the database does not hold, bad filters, pages, empty lists."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import RunCli
from tests.corpus import DA_TEXT, SV_TEXT, SV_TITLE, WIRE, WIRE_COPY
from tests.helpers import write_jsonl


def flat(text: str) -> str:
    """Output with rich's line wrapping and the box of a usage error undone."""
    return " ".join(text.replace("│", " ").split())


@pytest.fixture
def db(run_cli: RunCli, tmp_path: Path) -> str:
    """A database with a wire story (a report and its copy) and two other reports."""
    news = write_jsonl(
        tmp_path / "news.jsonl",
        [
            {
                "id": "sv-1",
                "source": "Kustbladet",
                "published": "2026-11-18T21:40:00Z",
                "title": SV_TITLE,
                "text": SV_TEXT,
            },
            {"id": "da-1", "source": "Havnebladet", "published": "2026-07-02", "text": DA_TEXT},
            {"id": "wire-1", "source": "Meridian Wire", "published": "2026-03-05T09:00:00Z", "text": WIRE},
            {
                "id": "copy-1",
                "source": "Northwind Post",
                "published": "2026-03-05T11:00:00Z",
                "text": WIRE_COPY,
            },
        ],
    )
    path = str(tmp_path / "listings.db")
    assert run_cli("ingest", str(news), "--db", path).exit_code == 0
    return path


# -- ids the database does not hold -------------------------------------------------------------


@pytest.mark.parametrize("command", ["quotes", "entities"])
def test_a_story_the_database_does_not_hold_exits_5(run_cli: RunCli, db: str, command: str) -> None:
    result = run_cli(command, "--story", "nope", "--db", db)
    assert result.exit_code == 5, result.stdout
    assert "no story with id 'nope'; list ids with `babelwire stories`" in flat(result.stderr)
    assert result.stdout == ""


@pytest.mark.parametrize("command", ["quotes", "entities"])
def test_a_stored_story_is_listed(run_cli: RunCli, db: str, command: str) -> None:
    story_id = json.loads(run_cli("article", "wire-1", "--json", "--db", db).stdout)["story_id"]
    result = run_cli(command, "--story", story_id, "--db", db, "--json")
    assert result.exit_code == 0 and isinstance(json.loads(result.stdout), list)


# -- filters ------------------------------------------------------------------------------------


def test_entities_type_is_checked(run_cli: RunCli, db: str) -> None:
    bogus = run_cli("entities", "--type", "BOGUS", "--db", db)
    assert bogus.exit_code == 2
    assert "'BOGUS' is not an entity type; use PER, ORG, LOC, MISC" in flat(bogus.stderr)
    every = json.loads(run_cli("entities", "--db", db, "--json").stdout)
    places = json.loads(run_cli("entities", "--type", "loc", "--db", db, "--json").stdout)
    assert places and all(e["type"] == "LOC" for e in places)
    assert {e["id"] for e in places} == {e["id"] for e in every if e["type"] == "LOC"}


@pytest.mark.parametrize("command", ["stories", "articles"])
def test_a_reversed_date_range_is_a_usage_error(run_cli: RunCli, db: str, command: str) -> None:
    result = run_cli(command, "--since", "2026-10-31", "--until", "2026-10-30", "--db", db)
    assert result.exit_code == 2, result.stdout
    assert "--since 2026-10-31 is after --until 2026-10-30" in flat(result.stderr)
    fine = run_cli(command, "--since", "2026-03-01", "--until", "2026-03-06", "--db", db, "--json")
    assert fine.exit_code == 0 and json.loads(fine.stdout)


def test_one_date_for_both_ends(run_cli: RunCli, db: str) -> None:
    """--until is left out: articles of no day match, a story running over the date still does."""
    same = run_cli("articles", "--since", "2026-03-05", "--until", "2026-03-05", "--db", db)
    assert same.exit_code == 2 and "is the same as --until" in flat(same.stderr)
    stories = run_cli("stories", "--since", "2026-03-05", "--until", "2026-03-05", "--db", db)
    assert stories.exit_code == 0


# -- pages --------------------------------------------------------------------------------------


def test_a_full_page_does_not_claim_to_be_the_total(run_cli: RunCli, db: str) -> None:
    first = run_cli("articles", "--limit", "3", "--db", db)
    assert first.stdout.strip().splitlines()[-1] == "first 3 articles (more with --offset 3)"
    rest = run_cli("articles", "--limit", "3", "--offset", "3", "--db", db)
    assert rest.stdout.strip().splitlines()[-1] == "1 article from 4"
    whole = run_cli("articles", "--limit", "4", "--db", db)
    assert whole.stdout.strip().splitlines()[-1] == "4 articles"
    stories = run_cli("stories", "--limit", "1", "--db", db)
    assert stories.stdout.strip().splitlines()[-1] == "first 1 story (more with --offset 1)"
    entities = json.loads(run_cli("entities", "--db", db, "--json").stdout)
    assert len(entities) > 1
    page = run_cli("entities", "--limit", "1", "--db", db)
    assert page.stdout.strip().splitlines()[-1] == "first 1 entity (more with --offset 1)"
    last = run_cli("entities", "--limit", "1", "--offset", str(len(entities) - 1), "--db", db)
    assert last.stdout.strip().splitlines()[-1] == f"1 entity from {len(entities)}"
    assert len(json.loads(run_cli("entities", "--limit", "1", "--db", db, "--json").stdout)) == 1


def test_a_full_page_of_quotes_says_there_are_more(run_cli: RunCli, db: str) -> None:
    quotes = json.loads(run_cli("quotes", "--db", db, "--json").stdout)
    if len(quotes) < 2:
        pytest.skip("the test reports hold fewer than two quotes")
    page = run_cli("quotes", "--limit", "1", "--db", db)
    assert page.stdout.strip().splitlines()[-1] == "first 1 quote (more with --offset 1)"
    assert len(json.loads(run_cli("quotes", "--limit", "1", "--db", db, "--json").stdout)) == 1


# -- empty listings -----------------------------------------------------------------------------


def test_no_rejections_says_so(run_cli: RunCli, db: str) -> None:
    result = run_cli("rejections", "--db", db)
    assert result.exit_code == 0 and result.stdout.strip() == "0 rejections"
    assert json.loads(run_cli("rejections", "--db", db, "--json").stdout) == []


# -- story --json -------------------------------------------------------------------------------


def test_story_json_lists_reports_and_counts_them_as_stories_json_does(run_cli: RunCli, db: str) -> None:
    listed = json.loads(run_cli("stories", "--db", db, "--json").stdout)
    wire = next(s for s in listed if s["size"] == 2)
    shown = json.loads(run_cli("story", wire["id"], "--db", db, "--json").stdout)
    assert shown["report_count"] == wire["reports"] == 1
    assert [a["id"] for a in shown["reports"]] == ["wire-1", "copy-1"]  # the list, as it always was
    assert {k: shown[k] for k in wire if k != "reports"} == {k: v for k, v in wire.items() if k != "reports"}


# -- control characters -------------------------------------------------------------------------


def test_control_characters_never_reach_the_terminal(run_cli: RunCli, tmp_path: Path) -> None:
    """A source and URL are cleaned at ingest; an id (kept as given) is shown escaped."""
    news = write_jsonl(
        tmp_path / "odd.jsonl",
        [
            {
                "id": "odd\u001b[2J",
                "source": "Ctrl \u001b Times\u0007",
                "url": "https://example.invalid/odd\u001b]0;title\u0007",
                "title": "A [/bold] title with [brackets]",
                "text": SV_TEXT,
            }
        ],
    )
    db = str(tmp_path / "odd.db")
    assert run_cli("ingest", str(news), "--db", db).exit_code == 0
    (stored,) = json.loads(run_cli("articles", "--json", "--db", db).stdout)
    assert stored["source"] == "Ctrl Times"
    assert stored["url"] == "https://example.invalid/odd]0;title"
    assert stored["id"] == "odd\u001b[2J"  # an id is the user's key: kept, and escaped when shown
    for command in (["articles"], ["article", "odd\u001b[2J"], ["stories"], ["entities"], ["quotes"]):
        result = run_cli(*command, "--db", db)
        assert result.exit_code == 0, (command, result.stderr)
        assert "\u001b" not in result.stdout and "\u0007" not in result.stdout, command
    shown = run_cli("article", "odd\u001b[2J", "--db", db).stdout
    assert "odd\\x1b[2J" in shown and "Ctrl Times" in shown
    assert "A [/bold] title with [brackets]" in shown
    missing = run_cli("article", "gone\u001b[2J", "--db", db)
    assert missing.exit_code == 5 and "\u001b" not in missing.stderr and "gone\\x1b[2J" in missing.stderr


def test_visible_writes_out_control_characters() -> None:
    from babelwire.cli.common import visible

    assert visible("a\u001b[31mb\tc\nd\u007f\u009b") == "a\\x1b[31mb\tc\nd\\x7f\\x9b"
    assert visible("Kustbladet – «nytt»") == "Kustbladet – «nytt»"

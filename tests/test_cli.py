"""The command line: ingest, articles, article, process, rejections, demo; --db, --json, exit codes."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from rich.console import Console

from babelwire import cli
from babelwire.cli import articles as cli_articles
from babelwire.engine import Engine
from babelwire.errors import PipelineError
from tests.conftest import RunCli
from tests.corpus import DA_TEXT, DE_TEXT, ES_TEXT, NO_TEXT, SV_TEXT, SV_TITLE, WIRE, WIRE_COPY
from tests.helpers import LocalServer, Route, write_jsonl

SUMMARY = "added {}, duplicates {}, near-duplicates {}, rejected {}"


@pytest.fixture
def news(tmp_path: Path) -> Path:
    """A JSONL file with three reports, a wire copy and one bad line."""
    path = tmp_path / "news.jsonl"
    records = [
        {
            "id": "sv-1",
            "source": "Kustbladet",
            "published": "2026-11-18T21:40:00Z",
            "title": SV_TITLE,
            "text": SV_TEXT,
        },
        {"id": "da-1", "source": "Havnebladet", "published": "2026-07-02", "text": DA_TEXT},
        {"id": "wire-1", "source": "Meridian Wire", "published": "2026-03-05T09:00:00Z", "text": WIRE},
        {"id": "copy-1", "source": "Northwind Post", "published": "2026-03-05T11:00:00Z", "text": WIRE_COPY},
    ]
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    lines.insert(2, '{"id": "broken", "text": ')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def summary_line(stdout: str) -> str:
    lines = [line for line in stdout.splitlines() if line.startswith("added ")]
    assert len(lines) == 1, stdout
    return lines[0]


# -- ingest -------------------------------------------------------------------------------------


def test_ingest_summary_rejections_and_exit_code(run_cli: RunCli, news: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    result = run_cli("ingest", str(news), "--db", db)
    assert result.exit_code == 1  # one line was rejected, everything else is stored
    assert summary_line(result.stdout) == SUMMARY.format(3, 0, 1, 1)
    assert f"{news}:3" in result.stderr and "malformed JSON" in result.stderr
    again = run_cli("ingest", str(news), "--db", db)
    assert summary_line(again.stdout) == SUMMARY.format(0, 0, 0, 1) + ", already stored 4"
    # the bad line, rejected twice for one reason, is listed once
    listed = json.loads(run_cli("rejections", "--json", "--db", db).stdout)
    assert [r["origin"] for r in listed] == [f"{news}:3"]


def test_ingest_clean_input_exits_zero(run_cli: RunCli, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "ok.jsonl", [{"id": "de", "text": DE_TEXT}])
    result = run_cli("ingest", str(path), "--db", str(tmp_path / "x.db"))
    assert result.exit_code == 0
    assert summary_line(result.stdout) == SUMMARY.format(1, 0, 0, 0)
    assert result.stderr == ""


def test_ingest_overrides(run_cli: RunCli, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "in.jsonl", [{"id": "o", "text": NO_TEXT, "source": "X", "lang": "da"}])
    db = str(tmp_path / "x.db")
    result = run_cli(
        "ingest", str(path), "--db", db, "--source", "Nordlys", "--lang", "NO", "--published", "2026-11-20"
    )
    assert result.exit_code == 0, result.stderr
    shown = json.loads(run_cli("article", "o", "--db", db, "--json").stdout)
    assert (shown["source"], shown["lang"], shown["published"]) == (
        "Nordlys",
        "no",
        "2026-11-20T00:00:00+00:00",
    )


def test_ingest_bad_published_option_is_a_usage_error(run_cli: RunCli, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "in.jsonl", [{"text": SV_TEXT}])
    result = run_cli("ingest", str(path), "--db", str(tmp_path / "x.db"), "--published", "när som helst")
    assert result.exit_code == 2
    assert "cannot read" in result.stderr


def test_usage_errors_exit_two(run_cli: RunCli) -> None:
    assert run_cli("ingest").exit_code == 2  # no input
    assert run_cli("ingest", "x.txt", "--no-such-option").exit_code == 2
    assert run_cli("articles", "--limit", "many").exit_code == 2
    assert run_cli("no-such-command").exit_code == 2


def test_ingest_size_limit_and_near_threshold_options(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text(SV_TEXT * 5, encoding="utf-8")
    db = str(tmp_path / "x.db")
    result = run_cli("ingest", str(tmp_path / "big.txt"), "--db", db, "--max-bytes", "1000")
    assert result.exit_code == 1 and "1,000-byte limit" in result.stderr
    path = write_jsonl(tmp_path / "w.jsonl", [{"id": "w", "text": WIRE}, {"id": "c", "text": WIRE_COPY}])
    strict = run_cli("ingest", str(path), "--db", str(tmp_path / "y.db"), "--near-threshold", "0.99")
    assert summary_line(strict.stdout) == SUMMARY.format(2, 0, 0, 0)
    env = run_cli(
        "ingest",
        str(path),
        "--db",
        str(tmp_path / "z.db"),
        env={"BABELWIRE_NEAR_DUPLICATE_THRESHOLD": "0.99"},
    )
    assert summary_line(env.stdout) == SUMMARY.format(2, 0, 0, 0)


@pytest.mark.parametrize(
    ("option", "value", "says"),
    [
        ("--max-bytes", "-5", "--max-bytes"),
        ("--max-bytes", "0", "--max-bytes"),
        ("--timeout", "-1", "not a number of seconds above 0"),
        ("--timeout", "0", "not a number of seconds above 0"),
        ("--timeout", "nan", "not a number of seconds above 0"),
        ("--lang", "xx", "'xx' is not a language code"),
        ("--lang", "ja", "'ja' is not one of the languages babelwire works with"),
    ],
)
def test_ingest_refuses_option_values_that_would_do_nothing_or_everything(
    run_cli: RunCli, news: Path, tmp_path: Path, option: str, value: str, says: str
) -> None:
    db = tmp_path / "x.db"
    result = run_cli("ingest", str(news), "--db", str(db), option, value)
    assert result.exit_code == 2 and says in " ".join(result.stderr.replace("│", " ").split())
    assert not db.exists()


def test_ingest_lang_takes_a_tag_and_a_language_of_babelwire_languages(
    run_cli: RunCli, tmp_path: Path
) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", [{"id": "a", "text": SV_TEXT}])
    db = str(tmp_path / "x.db")
    assert run_cli("ingest", str(path), "--db", db, "--lang", "sv-SE").exit_code == 0
    assert json.loads(run_cli("article", "a", "--db", db, "--json").stdout)["lang"] == "sv"
    refused = run_cli("ingest", str(path), "--db", db, "--lang", "da", env={"BABELWIRE_LANGUAGES": "sv,en"})
    assert refused.exit_code == 2 and "sv, en" in refused.stderr


def test_ingest_from_stdin_jsonl_text_and_feed(run_cli: RunCli, tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    jsonl = (
        json.dumps({"id": "in-1", "text": ES_TEXT})
        + "\n"
        + json.dumps({"id": "in-2", "text": DA_TEXT})
        + "\n"
    )
    result = run_cli("ingest", "-", "--db", db, input=jsonl)
    assert result.exit_code == 0 and summary_line(result.stdout) == SUMMARY.format(2, 0, 0, 0)
    text = run_cli("ingest", "-", "--db", db, "--source", "Kustbladet", input=f"{SV_TITLE}\n\n{SV_TEXT}\n")
    assert summary_line(text.stdout) == SUMMARY.format(1, 0, 0, 0)
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Nordlys</title>'
        "<item><title>Skred</title><link>https://nordlys.example/9</link>"
        f"<description>{NO_TEXT.replace(chr(10), ' ')}</description></item></channel></rss>"
    )
    assert summary_line(run_cli("ingest", "-", "--db", db, input=feed).stdout) == SUMMARY.format(1, 0, 0, 0)
    rows = json.loads(run_cli("articles", "--db", db, "--json").stdout)
    assert {r["source"] for r in rows} >= {"Kustbladet", "Nordlys"}
    assert {r["lang"] for r in rows} == {"es", "da", "sv", "no"}


def test_ingest_empty_and_binary_stdin(run_cli: RunCli, tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    empty = run_cli("ingest", "-", "--db", db, input="  \n")
    assert empty.exit_code == 1 and "-: standard input is empty" in empty.stderr
    binary = run_cli("ingest", "-", "--db", db, input=bytes(range(256)) * 4)
    assert binary.exit_code == 1 and "binary" in binary.stderr


def test_ingest_url_feed_and_timeout(run_cli: RunCli, tmp_path: Path, http_server: LocalServer) -> None:
    page = (
        f"<html><head><title>{SV_TITLE}</title></head><body><article><h1>{SV_TITLE}</h1>"
        + "".join(f"<p>{p}</p>" for p in SV_TEXT.split("\n\n"))
        + "</article></body></html>"
    )
    http_server.routes["/a"] = Route(page)
    http_server.routes["/slow"] = Route(page, delay=2.0)
    db = str(tmp_path / "x.db")
    result = run_cli(
        "ingest", http_server.url("/a"), http_server.url("/slow"), "--db", db, "--timeout", "0.3"
    )
    assert result.exit_code == 1
    assert summary_line(result.stdout) == SUMMARY.format(1, 0, 0, 1)
    assert f"{http_server.url('/slow')}: timed out after 0.3 s" in result.stderr.replace("\n", "")


def test_progress_bar_on_a_terminal(
    run_cli: RunCli, news: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    screen = io.StringIO()
    monkeypatch.setattr(cli_articles, "err", Console(file=screen, force_terminal=True, width=100))
    result = run_cli("ingest", str(news), "--db", str(tmp_path / "x.db"))
    assert result.exit_code == 1
    assert "ingest" in screen.getvalue()  # the bar was drawn (then cleared)
    assert "rejected" in screen.getvalue()
    assert summary_line(result.stdout) == SUMMARY.format(3, 0, 1, 1)


def test_estimate_total_counts_records(news: Path, tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "a.txt").write_text("x", encoding="utf-8")
    assert cli_articles._estimate_total([str(news), str(tmp_path / "folder")]) == 6
    assert cli_articles._estimate_total(["-"]) is None


def test_estimate_total_survives_an_input_that_cannot_be_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = tmp_path / "locked"
    real_stat = Path.stat

    def stat(self: Path, **kwargs: bool) -> object:
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return real_stat(self, **kwargs)

    monkeypatch.setattr(Path, "stat", stat)
    assert cli_articles._estimate_total([str(locked)]) == 1


def test_interrupt_exits_130(
    run_cli: RunCli, news: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(Engine, "ingest", interrupted)
    result = run_cli("ingest", str(news), "--db", str(tmp_path / "x.db"))
    assert result.exit_code == 130 and "interrupted" in result.stderr


def test_interrupt_says_how_many_articles_were_stored(
    run_cli: RunCli, news: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    db = str(tmp_path / "x.db")
    monkeypatch.setattr(Engine, "update_stories", interrupted)  # after the batch is stored
    result = run_cli("ingest", str(news), "--db", db)
    assert result.exit_code == 130
    assert result.stderr.strip() == "interrupted after storing 4 articles; they are kept"
    monkeypatch.undo()
    assert len(json.loads(run_cli("articles", "--json", "--db", db).stdout)) == 4
    monkeypatch.setattr(Engine, "ingest_items", interrupted)
    again = run_cli("ingest", str(news), "--db", str(tmp_path / "y.db"))
    assert again.exit_code == 130
    assert again.stderr.strip() == "interrupted before any article was stored"


def test_an_interrupted_program_ends_at_once_with_130(
    news: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run as a program, the app ends the process after the message (native threads may be alive)."""
    from babelwire.cli import common

    class Ended(Exception):
        pass

    codes: list[int] = []

    def end(code: int) -> None:
        codes.append(code)
        raise Ended

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(Engine, "ingest", interrupted)
    monkeypatch.setattr(common.os, "_exit", end)
    monkeypatch.setenv("BABELWIRE_ENCODER", "hash")
    with pytest.raises(Ended):
        cli.app(["ingest", str(news), "--db", str(tmp_path / "x.db")], prog_name="babelwire")
    assert codes == [130]
    # any other exit is the usual one
    with pytest.raises(SystemExit) as usual:
        cli.app(["rejections", "--db", str(tmp_path / "none.db")], prog_name="babelwire")
    assert usual.value.code == 3 and codes == [130]


def test_an_interrupted_program_does_not_wait_for_running_threads(news: Path, tmp_path: Path) -> None:
    """A thread still running at Ctrl-C (as an encoder's native ones) does not hold or abort the exit."""
    import subprocess
    import sys

    script = (
        "import threading, time\n"
        "from babelwire.engine import Engine\n"
        "from babelwire.cli import app\n"
        "def interrupted(*args, **kwargs):\n"
        "    threading.Thread(target=time.sleep, args=(600,)).start()\n"
        "    raise KeyboardInterrupt\n"
        "Engine.ingest = interrupted\n"
        "app(prog_name='babelwire')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, "ingest", str(news), "--db", str(tmp_path / "x.db")],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "BABELWIRE_ENCODER": "hash"},
    )
    assert done.returncode == 130, done.stderr
    assert done.stderr.strip() == "interrupted before any article was stored"


def test_misconfigured_pipeline_exits_4(
    run_cli: RunCli, news: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def misconfigured(*args: object, **kwargs: object) -> None:
        raise PipelineError("stage segment@1 requires lang, which no earlier stage provides")

    monkeypatch.setattr(Engine, "ingest", misconfigured)
    result = run_cli("ingest", str(news), "--db", str(tmp_path / "x.db"))
    assert result.exit_code == 4 and "requires lang" in result.stderr


# -- the database option ------------------------------------------------------------------------


def test_default_database_is_in_the_working_folder(run_cli: RunCli, news: Path, tmp_path: Path) -> None:
    run_cli("ingest", str(news))  # the test runs in tmp_path
    assert (tmp_path / "babelwire.db").exists()
    assert len(json.loads(run_cli("articles", "--json").stdout)) == 4


def test_babelwire_db_environment_and_db_option(run_cli: RunCli, news: Path, tmp_path: Path) -> None:
    env_db = tmp_path / "env.db"
    run_cli("ingest", str(news), env={"BABELWIRE_DB": str(env_db)})
    assert env_db.exists() and not (tmp_path / "babelwire.db").exists()
    env = {"BABELWIRE_DB": str(env_db)}
    assert len(json.loads(run_cli("articles", "--json", env=env).stdout)) == 4
    assert json.loads(run_cli("article", "sv-1", "--json", env=env).stdout)["id"] == "sv-1"
    assert json.loads(run_cli("rejections", "--json", env=env).stdout)[0]["origin"] == f"{news}:3"
    # --db wins over the environment; a command that only reads does not create a database
    other = tmp_path / "other.db"
    result = run_cli("articles", "--json", "--db", str(other), env=env)
    assert result.exit_code == 3 and "no database at" in result.stderr
    assert not other.exists()


@pytest.mark.parametrize(
    "command",
    [["articles"], ["article", "x"], ["rejections"], ["stories"], ["story", "1"], ["entities"], ["quotes"]],
)
def test_reading_a_database_that_does_not_exist_says_so(
    run_cli: RunCli, tmp_path: Path, command: list[str]
) -> None:
    typo = tmp_path / "babelwrie.db"
    result = run_cli(*command, "--db", str(typo))
    assert result.exit_code == 3, result.stdout + result.stderr
    assert f"no database at {typo}" in " ".join(result.stderr.split())
    assert not typo.exists()


@pytest.mark.parametrize("command", [["articles"], ["article", "x"], ["rejections"], ["ingest", "-"]])
def test_database_errors_exit_3(run_cli: RunCli, tmp_path: Path, command: list[str]) -> None:
    bad = tmp_path / "notes.db"
    bad.write_text("not a database\n" * 200, encoding="utf-8")
    result = run_cli(*command, "--db", str(bad), input=SV_TEXT)
    assert result.exit_code == 3, result.stdout + result.stderr
    assert "cannot open database" in result.stderr
    missing = run_cli(*command, "--db", str(tmp_path / "no" / "such" / "x.db"), input=SV_TEXT)
    assert missing.exit_code == 3


# -- articles and article -----------------------------------------------------------------------


@pytest.fixture
def filled_db(run_cli: RunCli, news: Path, tmp_path: Path) -> str:
    db = str(tmp_path / "filled.db")
    run_cli("ingest", str(news), "--db", db)
    return db


def test_articles_json_and_filters(run_cli: RunCli, filled_db: str) -> None:
    def listed(*args: str) -> list[str]:
        result = run_cli("articles", "--db", filled_db, "--json", *args)
        assert result.exit_code == 0, result.stderr
        return [row["id"] for row in json.loads(result.stdout)]

    assert listed() == ["sv-1", "da-1", "copy-1", "wire-1"]  # newest first
    assert listed("--lang", "sv") == ["sv-1"]
    assert listed("--source", "northwind post") == ["copy-1"]
    assert listed("--since", "2026-07-01") == ["sv-1", "da-1"]
    assert listed("--until", "2026-07-01") == ["copy-1", "wire-1"]
    assert listed("--originals") == ["sv-1", "da-1", "wire-1"]
    assert listed("--limit", "1", "--offset", "1") == ["da-1"]
    assert listed("isbrytaren") == ["sv-1"]
    assert sorted(listed("barrier")) == ["copy-1", "wire-1"]
    assert listed("barrier", "--originals") == ["wire-1"]
    assert listed('"unbalanced') == []
    row = json.loads(run_cli("articles", "--db", filled_db, "--json", "--lang", "sv").stdout)[0]
    assert set(row) >= {
        "id",
        "title",
        "source",
        "lang",
        "published",
        "url",
        "duplicate_of",
        "sentences",
        "error",
    }


def test_articles_says_when_a_query_is_not_full_text_syntax(run_cli: RunCli, filled_db: str) -> None:
    # the words are still searched, the user is told so on stderr, and stdout stays the JSON list
    result = run_cli("articles", '"isbrytaren', "--db", filled_db, "--json")
    assert result.exit_code == 0
    assert [row["id"] for row in json.loads(result.stdout)] == ["sv-1"]
    note = " ".join(result.stderr.split())
    assert note.startswith("note:") and '"isbrytaren' in note
    assert "not valid full-text (FTS5) syntax" in note and "searched as typed: isbrytaren" in note
    assert len(result.stderr.strip().splitlines()) == 1
    table = run_cli("articles", "isbrytaren)", "--db", filled_db)
    assert "sv-1" in table.stdout and "searched as typed: isbrytaren" in " ".join(table.stderr.split())
    valid = run_cli("articles", "isbrytaren", "--db", filled_db, "--json")
    assert json.loads(valid.stdout) and valid.stderr == ""


def test_articles_bad_date_is_a_usage_error(run_cli: RunCli, filled_db: str) -> None:
    result = run_cli("articles", "--db", filled_db, "--since", "snart")
    assert result.exit_code == 2


def test_articles_table(run_cli: RunCli, filled_db: str) -> None:
    result = run_cli("articles", "--db", filled_db)
    assert result.exit_code == 0
    assert "4 articles" in result.stdout


def test_articles_table_shows_whole_ids_and_titles(run_cli: RunCli, tmp_path: Path) -> None:
    # the id is what `babelwire article ID` needs: it is never cut; a title too long for what the id
    # leaves on the row goes on lines of its own (see test_cli_render for both layouts)
    article_id = "valdora-tidal-barrier-report-from-the-harbour-desk-1"
    title = "Tidal barrier " * 12
    path = write_jsonl(tmp_path / "long.jsonl", [{"id": article_id, "title": title, "text": WIRE}])
    db = str(tmp_path / "x.db")
    assert run_cli("ingest", str(path), "--db", db).exit_code == 0
    result = run_cli("articles", "--db", db)
    assert article_id in result.stdout and "Tidal barrier" in result.stdout
    assert "1 article" in result.stdout and "1 articles" not in result.stdout


def test_article_json_metadata_sentences_duplicates(run_cli: RunCli, filled_db: str) -> None:
    data = json.loads(run_cli("article", "wire-1", "--db", filled_db, "--json").stdout)
    assert data["source"] == "Meridian Wire" and data["lang"] == "en"
    assert data["published"] == "2026-03-05T09:00:00+00:00"
    assert data["duplicates"] == [{"id": "copy-1", "source": "Northwind Post", "kind": "near", "url": None}]
    assert {"normalize", "dedupe", "language", "segment"} <= set(data["stages"])
    for s in data["sentences"]:
        assert data["text"][s["start"] : s["end"]] == s["text"]
    copy = json.loads(run_cli("article", "copy-1", "--db", filled_db, "--json").stdout)
    assert (copy["duplicate_of"], copy["duplicate_kind"]) == ("wire-1", "near")


def test_article_text_view(run_cli: RunCli, filled_db: str) -> None:
    result = run_cli("article", "wire-1", "--db", filled_db)
    assert result.exit_code == 0
    assert "Sentences" in result.stdout and "Carried also by" in result.stdout and "copy-1" in result.stdout


def test_unknown_article_exits_5(run_cli: RunCli, filled_db: str) -> None:
    result = run_cli("article", "nope", "--db", filled_db)
    assert result.exit_code == 5
    assert "no article with id 'nope'" in result.stderr


def test_rejections(run_cli: RunCli, filled_db: str, news: Path) -> None:
    rows = json.loads(run_cli("rejections", "--db", filled_db, "--json").stdout)
    assert len(rows) == 1
    assert rows[0]["origin"] == f"{news}:3" and rows[0]["reason"].startswith("malformed JSON")
    text = run_cli("rejections", "--db", filled_db)
    assert f"{news}:3: malformed JSON" in text.stdout.replace("\n", "")
    # exactly as many as the limit: nothing more follows, and the footer does not say so
    footer = run_cli("rejections", "--db", filled_db, "--limit", "1").stdout.strip().splitlines()[-1]
    assert footer == "1 rejection"


# -- process ------------------------------------------------------------------------------------


def test_process_file_to_file(run_cli: RunCli, news: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = run_cli("process", str(news), "-o", str(out))
    assert result.exit_code == 1  # one line is an error line
    assert "processed 5 lines: 1 with errors, 1 duplicates" in result.stderr
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines] == ["sv-1", "da-1", None, "wire-1", "copy-1"]
    assert lines[2]["line"] == 3 and lines[2]["error"].startswith("malformed JSON")
    assert lines[4]["duplicate_of"] == "wire-1"
    assert not (tmp_path / "babelwire.db").exists()  # no database


def test_process_stdin_to_stdout(run_cli: RunCli) -> None:
    data = json.dumps({"id": "p1", "text": DE_TEXT}) + "\n"
    result = run_cli("process", "-", input=data)
    assert result.exit_code == 0
    (line,) = [json.loads(x) for x in result.stdout.splitlines()]
    assert line["id"] == "p1" and line["lang"] == "de" and line["error"] is None


def test_process_stdin_with_bytes_that_are_not_utf8(run_cli: RunCli) -> None:
    data = b'{"id": "a", "text": "F\xe4rjan fastnade i isen."}\n{"id": "b", "title": "R\xe4ttelse"}\n'
    result = run_cli("process", "-", input=data)
    assert result.exit_code == 1  # line 2 has no text
    first, second = (json.loads(x) for x in result.stdout.splitlines())
    assert first["text"] == "F\ufffdrjan fastnade i isen." and first["error"] is None
    assert second["title"] == "R\ufffdttelse" and second["line"] == 2


def test_process_unreadable_input_and_unwritable_output(run_cli: RunCli, news: Path, tmp_path: Path) -> None:
    assert run_cli("process", str(tmp_path / "missing.jsonl")).exit_code == 2
    result = run_cli("process", str(news), "-o", str(tmp_path / "no" / "dir" / "out.jsonl"))
    assert result.exit_code == 2 and "cannot write" in result.stderr


def test_process_reads_past_a_byte_order_mark_and_crlf(run_cli: RunCli, tmp_path: Path) -> None:
    """A file saved by a Windows editor: UTF-8 with a BOM and CRLF line ends; its first line counts."""
    path = tmp_path / "bom.jsonl"
    lines = [json.dumps({"id": "a", "text": DE_TEXT}), json.dumps({"id": "b", "text": SV_TEXT})]
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode("utf-8") + b"\r\n")
    result = run_cli("process", str(path))
    assert result.exit_code == 0, result.stderr
    first, second = (json.loads(x) for x in result.stdout.splitlines())
    assert (first["id"], first["error"], second["id"]) == ("a", None, "b")


def test_process_reads_utf16_with_a_byte_order_mark(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "utf16.jsonl"
    path.write_text(json.dumps({"id": "a", "text": SV_TEXT}, ensure_ascii=False) + "\n", encoding="utf-16")
    result = run_cli("process", str(path))
    assert result.exit_code == 0, result.stderr
    (line,) = [json.loads(x) for x in result.stdout.splitlines()]
    assert line["id"] == "a" and line["lang"] == "sv" and "\ufffd" not in line["text"]


def test_process_warns_about_bytes_that_are_not_utf8(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(b'{"id": "a", "text": "Ok."}\n{"id": "b", "text": "F\xe4rjan fastnade i isen."}\n')
    result = run_cli("process", str(path))
    assert result.exit_code == 0
    message = " ".join(result.stderr.split())  # rich wraps long lines
    assert "latin1.jsonl: not valid UTF-8 (first bad byte on line 2)" in message
    assert json.loads(result.stdout.splitlines()[1])["text"] == "F\ufffdrjan fastnade i isen."


def test_process_binary_input_is_an_input_error(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "image.jsonl"
    path.write_bytes(bytes(range(256)) * 8)
    result = run_cli("process", str(path))
    assert result.exit_code == 2 and "image.jsonl" in result.stderr and "binary" in result.stderr
    assert result.stdout == ""


def test_process_output_over_its_own_input_keeps_the_lines(run_cli: RunCli, tmp_path: Path) -> None:
    """`-o` naming the input file: the input is read before the output replaces it."""
    path = tmp_path / "same.jsonl"
    path.write_text(json.dumps({"id": "a", "text": DE_TEXT}) + "\n", encoding="utf-8")
    result = run_cli("process", str(path), "-o", str(path))
    assert result.exit_code == 0, result.stderr
    (line,) = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
    assert line["id"] == "a" and line["lang"] == "de"


@pytest.mark.parametrize("failure", [KeyboardInterrupt, RuntimeError])
def test_process_keeps_an_earlier_output_when_interrupted_or_failing(
    run_cli: RunCli, news: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: type[BaseException]
) -> None:
    """The output is written to a temporary file that replaces OUT only when every line is written."""
    import babelwire.batch

    out = tmp_path / "out.jsonl"
    out.write_text('{"id": "earlier"}\n', encoding="utf-8")

    def stop(engine: Engine, source: object, sink: io.TextIOBase, name: str) -> dict[str, int]:
        sink.write('{"id": "half"}\n')
        raise failure("stop")

    monkeypatch.setattr(babelwire.batch, "process_stream", stop)
    if failure is KeyboardInterrupt:
        result = run_cli("process", str(news), "-o", str(out))
        assert result.exit_code == 130
        message = " ".join(result.stderr.split())
        assert f"interrupted; no output written ({out} is unchanged)" in message
        assert "stored" not in message
    else:
        with pytest.raises(RuntimeError):
            run_cli("process", str(news), "-o", str(out))
    assert out.read_text(encoding="utf-8") == '{"id": "earlier"}\n'
    assert sorted(p.name for p in tmp_path.iterdir() if "out.jsonl" in p.name) == ["out.jsonl"]


def test_process_interrupted_before_a_new_output_creates_nothing(
    run_cli: RunCli, news: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import babelwire.batch

    def stop(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(babelwire.batch, "process_stream", stop)
    out = tmp_path / "new.jsonl"
    result = run_cli("process", str(news), "-o", str(out))
    assert result.exit_code == 130 and "was not created" in result.stderr
    assert list(tmp_path.glob("*new.jsonl*")) == []


def test_process_replaces_an_earlier_output_and_keeps_its_mode(
    run_cli: RunCli, news: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text("old\n", encoding="utf-8")
    out.chmod(0o640)
    result = run_cli("process", str(news), "-o", str(out))
    assert result.exit_code == 1, result.stderr  # the news file has one malformed line
    assert len(out.read_text(encoding="utf-8").splitlines()) == 5
    assert out.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir() if "out.jsonl" in p.name] == ["out.jsonl"]


def test_process_writes_in_place_when_no_temporary_file_can_be_made(
    run_cli: RunCli, news: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writable file in a folder that takes no new file is written as before, not refused."""
    import tempfile

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    out = tmp_path / "out.jsonl"
    out.write_text("old\n", encoding="utf-8")
    assert run_cli("process", str(news), "-o", str(out)).exit_code == 1  # one malformed line
    assert len(out.read_text(encoding="utf-8").splitlines()) == 5
    result = run_cli("process", str(news), "-o", str(tmp_path / "new.jsonl"))
    assert result.exit_code == 2 and "cannot write (Permission denied)" in result.stderr


def test_process_bad_output_path_fails_before_the_input_is_read(run_cli: RunCli, tmp_path: Path) -> None:
    """A missing input and a bad output: the output is named, nothing is read first."""
    result = run_cli("process", str(tmp_path / "missing.jsonl"), "-o", str(tmp_path / "no" / "out.jsonl"))
    assert result.exit_code == 2 and "cannot write" in result.stderr and "missing.jsonl" not in result.stderr
    result = run_cli("process", str(tmp_path / "missing.jsonl"), "-o", str(tmp_path))
    assert result.exit_code == 2 and "cannot write" in result.stderr
    result = run_cli("process", str(tmp_path / "missing.jsonl"), "-o", str(tmp_path / "out.jsonl"))
    assert result.exit_code == 2 and "missing.jsonl" in result.stderr
    assert list(tmp_path.iterdir()) == []  # neither the output nor its temporary file


# -- demo and version ---------------------------------------------------------------------------


def test_demo(run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo flow on a small corpus (the bundled one is exercised by the slow test below)."""
    import babelwire.data

    corpus = write_jsonl(
        tmp_path / "sample.jsonl",
        [
            {"id": "d-sv", "source": "Kustbladet", "published": "2026-11-18", "text": SV_TEXT},
            {"id": "d-de", "source": "Alpenblatt", "published": "2026-09-28", "text": DE_TEXT},
            {"id": "d-w1", "source": "Meridian Wire", "published": "2026-03-05", "text": WIRE},
            {"id": "d-w2", "source": "Northwind Post", "published": "2026-03-05", "text": WIRE_COPY},
        ],
    )
    monkeypatch.setattr(babelwire.data, "sample_articles_path", lambda: corpus)
    db = str(tmp_path / "demo.db")
    result = run_cli("demo", "--db", db)
    assert result.exit_code == 0, result.stderr
    assert "4 articles stored" in result.stdout
    assert SUMMARY.format(3, 0, 1, 0) in result.stdout
    again = run_cli("demo", "--db", db)  # idempotent: nothing new the second time
    assert again.exit_code == 0 and SUMMARY.format(0, 0, 0, 0) in again.stdout


@pytest.mark.slow
def test_demo_on_the_bundled_sample(run_cli: RunCli, tmp_path: Path) -> None:
    from babelwire.data import sample_articles_path

    if not sample_articles_path().exists():
        pytest.skip("sample corpus not built")
    db = str(tmp_path / "demo.db")
    result = run_cli("demo", "--db", db)
    assert result.exit_code == 0, result.stderr
    assert "articles stored" in result.stdout
    assert len(json.loads(run_cli("articles", "--db", db, "--json", "--limit", "1000").stdout)) > 0


def test_version(run_cli: RunCli) -> None:
    from babelwire import __version__

    result = run_cli("--version")
    assert result.exit_code == 0 and __version__ in result.stdout


def test_every_database_command_takes_db() -> None:
    """Each command that opens the database accepts --db (and so BABELWIRE_DB)."""
    import typer.main

    command = typer.main.get_command(cli.app)
    for name in ("ingest", "articles", "article", "rejections", "demo"):
        sub = command.commands[name]  # type: ignore[attr-defined]
        options = {opt for p in sub.params for opt in getattr(p, "opts", [])}
        assert "--db" in options, name
        db_param = next(p for p in sub.params if "--db" in getattr(p, "opts", []))
        assert db_param.envvar == "BABELWIRE_DB"


def test_json_on_standard_output_is_utf8_whatever_the_locale(tmp_path: Path) -> None:
    """A console or locale that is not UTF-8 (Windows cp1252, PYTHONIOENCODING=ascii) crashed the writer."""
    import os
    import subprocess
    import sys

    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": "a", "text": SV_TEXT}, ensure_ascii=False) + "\n", encoding="utf-8")
    code = "import sys; from babelwire.cli import app; sys.argv[0] = 'babelwire'; app()"
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "BABELWIRE_ENCODER": "hash"}
    env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).parents[1] / "src"), env.get("PYTHONPATH", "")])
    done = subprocess.run(
        [sys.executable, "-c", code, "process", str(path)], capture_output=True, env=env, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    (line,) = [json.loads(x) for x in done.stdout.decode("utf-8").splitlines()]
    assert line["text"].startswith("Färjan")

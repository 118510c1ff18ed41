"""``babelwire watch``: poll feeds, one line per poll; updated entries are no failure."""

from __future__ import annotations

from pathlib import Path

import pytest

from babelwire.cli import watch as watching
from babelwire.engine import Engine
from tests.conftest import RunCli
from tests.corpus import DE_TEXT, OTHER_WIRE, WIRE


def feed(*entries: tuple[str, str]) -> str:
    items = "".join(
        f'<item><title>Report {guid}</title><guid isPermaLink="false">{guid}</guid>'
        f"<description>{text}</description></item>"
        for guid, text in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Harbour Wire</title>'
        f"<link>https://harbour.example/</link>{items}</channel></rss>"
    )


@pytest.fixture
def rss(tmp_path: Path) -> Path:
    path = tmp_path / "harbour.rss"
    path.write_text(feed(("1", WIRE)), encoding="utf-8")
    return path


def run_watch(run_cli: RunCli, db: Path, *args: str) -> tuple[int, str, str]:
    result = run_cli("watch", "--db", str(db), *args)
    return result.exit_code, result.stdout, " ".join(result.stderr.split())


def test_once_polls_once_and_is_idempotent(run_cli: RunCli, rss: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    code, out, err = run_watch(run_cli, db, str(rss), "--once")
    assert code == 0, err
    (line,) = out.splitlines()
    assert "added 1, duplicates 0, rejected 0, updated (kept first version) 0" in line
    assert line[:4].isdigit() and "Z " in line
    code, out, _ = run_watch(run_cli, db, str(rss), "--once")
    assert code == 0 and "added 0, duplicates 0, rejected 0" in out


def test_an_updated_entry_is_counted_not_a_failure(run_cli: RunCli, rss: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    assert run_watch(run_cli, db, str(rss), "--once")[0] == 0
    rss.write_text(feed(("1", WIRE + " Officials later revised the figures."), ("2", OTHER_WIRE)), "utf-8")
    code, out, err = run_watch(run_cli, db, str(rss), "--once")
    assert code == 0, err
    assert "added 1, duplicates 0, rejected 0, updated (kept first version) 1" in out
    assert "rejected" not in err


def test_a_real_rejection_is_said_and_exits_1(run_cli: RunCli, tmp_path: Path) -> None:
    code, out, err = run_watch(run_cli, tmp_path / "w.db", str(tmp_path / "missing.rss"), "--once")
    assert code == 1
    assert "rejected 1" in out and "missing.rss" in err


def test_polls_until_ctrl_c(
    run_cli: RunCli, rss: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, models: object
) -> None:
    """Every poll prints its line; a rejection that lasts is said once; Ctrl-C exits with 130."""
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        if len(sleeps) == 1:
            rss.write_text(feed(("1", WIRE), ("3", DE_TEXT)), encoding="utf-8")
        if len(sleeps) == 3:
            raise KeyboardInterrupt

    monkeypatch.setattr(watching.time, "sleep", sleep)
    missing = str(tmp_path / "gone.rss")
    code, out, err = run_watch(run_cli, tmp_path / "w.db", str(rss), missing, "--interval", "10")
    assert code == 130 and sleeps == [10, 10, 10]
    lines = out.splitlines()
    assert len(lines) == 3
    assert "added 1," in lines[0] and "added 1," in lines[1] and "added 0," in lines[2]
    assert err.count("gone.rss") == 1 and "stopped" in err
    assert Engine(db=str(tmp_path / "w.db")).store.count_articles() == 2


def test_interval_has_a_floor(run_cli: RunCli, rss: Path, tmp_path: Path) -> None:
    assert run_watch(run_cli, tmp_path / "w.db", str(rss), "--interval", "5")[0] == 2

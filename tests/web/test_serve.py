"""`babelwire serve` starts uvicorn on the app factory; the CLI and the web package stay apart."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import RunCli
from tests.web.conftest import SampleDb


def test_serve_runs_the_app_factory(
    run_cli: RunCli, sample_db: SampleDb, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    monkeypatch.setenv("BABELWIRE_DB", "unused.db")  # serve sets it for the factory; undone after the test
    calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: calls.append((a, k)))
    result = run_cli("serve", "--db", str(sample_db.path), "--port", "8123")
    assert result.exit_code == 0, result.stderr
    assert "http://127.0.0.1:8123/" in result.stdout and "HTTP ingest off" in result.stdout
    ((args, kwargs),) = calls
    assert args == ("babelwire.web:create_app",) and kwargs["factory"] is True
    assert kwargs["host"] == "127.0.0.1" and kwargs["port"] == 8123


def test_serve_reports_a_database_it_cannot_open(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("serve", "--db", str(tmp_path / "missing" / "x.db"))
    # the console wraps long paths, so the message is compared with its line breaks undone
    assert result.exit_code == 3 and "does not exist" in " ".join(result.stderr.split())


@pytest.mark.parametrize(
    ("module", "forbidden"), [("babelwire.cli", "babelwire.web"), ("babelwire.web", "babelwire.cli")]
)
def test_cli_and_web_do_not_import_each_other(module: str, forbidden: str) -> None:
    code = f"import sys, {module}; print({forbidden!r} in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"

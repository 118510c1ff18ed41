"""Web fixtures: the sample corpus (plus one hostile article) ingested once per session, an app over it."""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from babelwire.config import Settings
from babelwire.engine import Engine, Models
from babelwire.ingest.files import items_from_text
from babelwire.ingest.records import Overrides
from babelwire.web import WebSettings, create_app

TOKEN = "test-token-3f9a"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

#: An article written to attack the pages: every part of it must render as text.
HOSTILE: dict[str, Any] = {
    "id": "hostile-<script>-1",
    "url": "javascript:window.__pwned='url'",
    "source": "Evil <b>Outlet</b>",
    "lang": "en",
    "published": "2026-10-29T12:00:00Z",
    "title": (
        "<script>window.__pwned='title'</script>Storm <img src=x onerror=\"window.__pwned='img'\"> warning"
    ),
    "text": (
        "<script>window.__pwned='text'</script>\n\n"
        "Click <a href=\"javascript:window.__pwned='link'\">here</a> or "
        "<img src=x onerror=\"window.__pwned='onerror'\"> for the forecast.\n\n"
        "<div onmouseover=\"window.__pwned='hover'\">broken <b><i>markup</div> </textarea></title>"
        "<svg onload=\"window.__pwned='svg'\"><style>body{display:none}</style>\n\n"
        "The storm over Valderhavn is expected to weaken on Thursday, the weather office said."
    ),
}


@dataclass
class SampleDb:
    """The session's database and the engine models already loaded for it."""

    path: Path
    models: Models


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory, sample_corpus_db: Path) -> SampleDb:
    """A copy of the session's sample-corpus database with ``HOSTILE`` ingested into it."""
    path = tmp_path_factory.mktemp("web") / "sample.db"
    shutil.copyfile(sample_corpus_db, path)
    settings = Settings(db=str(path))
    with Engine(settings=settings) as engine:
        engine.ingest_items(items_from_text(json.dumps(HOSTILE), "hostile", "json", Overrides(), settings))
        return SampleDb(path, engine.models)


def make_app(db: SampleDb, token: str | None = TOKEN, path: Path | None = None) -> FastAPI:
    """An app over ``path`` (default: the session database) sharing the loaded models."""
    settings = WebSettings(engine=Settings(db=str(path or db.path)), token=token, max_body_bytes=200_000)
    return create_app(settings, models=db.models)


@pytest.fixture(scope="session")
def app(sample_db: SampleDb) -> FastAPI:
    return make_app(sample_db)


@pytest.fixture(scope="session")
def client(app: FastAPI) -> Iterator[TestClient]:
    """A test client (read-mostly: tests that write use ``write_client``)."""
    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="session")
def write_db(sample_db: SampleDb, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the session database that write tests may change."""
    target = tmp_path_factory.mktemp("web-write") / "write.db"
    shutil.copyfile(sample_db.path, target)
    return target


@pytest.fixture(scope="session")
def write_client(sample_db: SampleDb, write_db: Path) -> Iterator[TestClient]:
    with TestClient(make_app(sample_db, path=write_db)) as c:
        yield c


@dataclass
class LiveServer:
    url: str
    server: uvicorn.Server


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(app: FastAPI) -> Iterator[LiveServer]:
    """The session app served by uvicorn on 127.0.0.1 in a background thread."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start within 20 s")
        time.sleep(0.05)
    yield LiveServer(f"http://127.0.0.1:{port}", server)
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def largest_story(client: TestClient) -> dict[str, Any]:
    """The story with the most reports in the sample corpus."""
    items = client.get("/api/stories", params={"window": "all", "sort": "size", "per_page": 1}).json()[
        "items"
    ]
    assert items, "the sample corpus produced no story"
    story: dict[str, Any] = items[0]
    return story

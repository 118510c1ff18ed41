"""Helpers for tests: the shared-data location and a local HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from babelwire.model import Article, Mention

REPO = Path(__file__).resolve().parents[1]
#: Real third-party data for evaluation and benchmarks; never copied into the repository.
SHARED_DATA = REPO.parent / "shared" / "data"


def shared_file(relative: str) -> Path:
    """A file under ``../shared/data``, skipping the test when it is absent."""
    path = SHARED_DATA / relative
    if not path.exists():
        pytest.skip(f"{path} not found")
    return path


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    """Write records as JSON lines (UTF-8) and return the path."""
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


@dataclass
class Route:
    """What the local server answers on one path."""

    body: bytes | str
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    delay: float = 0.0  # seconds to sleep before answering (for time-outs)


@dataclass
class LocalServer:
    """An HTTP server on 127.0.0.1 (ephemeral port) serving ``routes``; records request headers."""

    port: int = 0
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def url(self, path: str) -> str:
        """The full URL of a path on this server."""
        return f"http://127.0.0.1:{self.port}{path}"


@contextmanager
def local_server() -> Iterator[LocalServer]:
    """Serve ``LocalServer.routes`` from a thread until the block ends; 404 for unknown paths."""
    state = LocalServer()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
            route = state.routes.get(self.path)
            if route is None:
                self.send_error(404, "Not Found")
                return
            if route.delay:
                time.sleep(route.delay)
            body = route.body.encode("utf-8") if isinstance(route.body, str) else route.body
            try:
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (time-out tests)

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    state.port = httpd.server_address[1]
    # a short poll interval: shutdown() waits up to one interval
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def article_with_mentions(aid: str, lang: str, mentions: list[tuple[str, str, str]]) -> Article:
    """An article whose mentions are given as (text, label, entity id), joined by spaces."""
    text = " ".join(t for t, _, _ in mentions)
    out, pos = [], 0
    for t, label, eid in mentions:
        out.append(Mention(text=t, start=pos, end=pos + len(t), label=label, entity_id=eid, lemma=t))
        pos += len(t) + 1
    return Article(id=aid, text=text, lang=lang, mentions=out)

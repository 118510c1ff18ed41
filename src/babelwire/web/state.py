"""What one app instance holds: per-thread read engines, one writer thread, the search index.

SQLite connections must not cross threads, so every worker thread gets its own ``Engine`` (and
so its own connection) the first time it reads; the heavy models are shared. Writes (HTTP
ingest) run one at a time on a dedicated thread that owns the only writing engine.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from babelwire.embed import Encoder
from babelwire.engine import Engine, Models
from babelwire.search import VectorIndex
from babelwire.web.settings import WebSettings

T = TypeVar("T")


class Readers:
    """One read engine per thread over the same database, sharing the models."""

    def __init__(self, settings: WebSettings, models: Models) -> None:
        self.settings = settings
        self.models = models
        self._local = threading.local()

    def engine(self) -> Engine:
        """The calling thread's engine (opened on first use)."""
        engine: Engine | None = getattr(self._local, "engine", None)
        if engine is None:
            engine = Engine(settings=self.settings.engine)
            engine.models = self.models
            self._local.engine = engine
        return engine


class Writer:
    """A single thread that owns the writing engine; jobs run one after another."""

    def __init__(self, settings: WebSettings, models: Models) -> None:
        self.settings = settings
        self.models = models
        self._pool: ThreadPoolExecutor | None = None
        self._engine: Engine | None = None
        self._lock = threading.Lock()

    def submit(self, job: Callable[[Engine], T]) -> Future[T]:
        """Run ``job(engine)`` on the writer thread."""
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="babelwire-writer")
            return self._pool.submit(self._run, job)

    def _run(self, job: Callable[[Engine], T]) -> T:
        if self._engine is None:
            self._engine = Engine(settings=self.settings.engine)
            self._engine.models = self.models
        return job(self._engine)

    def close(self) -> None:
        """Close the writing engine on its own thread and stop the thread."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.submit(self._close_engine).result()
            pool.shutdown(wait=True)

    def _close_engine(self) -> None:
        if self._engine is not None:
            self._engine.close()
            self._engine = None


class WebState:
    """Everything the routes share, kept on ``app.state.web`` (no module-level globals)."""

    def __init__(self, settings: WebSettings, models: Models | None = None) -> None:
        self.settings = settings
        self.models = models or Models(settings.engine)
        self.readers = Readers(settings, self.models)
        self.writer = Writer(settings, self.models)
        self.index = VectorIndex()

    @property
    def query_encoder(self) -> Encoder:
        """The encoder for search queries (in-memory cache: searching never writes to the database)."""
        return self.models.encoder

    def check_database(self) -> None:
        """Open (and migrate) the database once, so a bad path fails at start-up, not on a request."""
        with Engine(settings=self.settings.engine) as engine:
            engine.store.count_articles()

    def close(self) -> None:
        """Stop the writer; read connections close with their threads."""
        self.writer.close()

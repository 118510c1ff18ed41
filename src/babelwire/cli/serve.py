"""``babelwire serve``: start the web app (loaded by name, so the command line never imports it)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from babelwire.cli.common import (
    DbOption,
    _errors,
    app,
    console,
)
from babelwire.config import Settings
from babelwire.engine import Engine


@app.command()
def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on (the default, 127.0.0.1, is this machine only).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    db: DbOption = None,
) -> None:
    """Start the web app: story pages, the JSON API under /api (docs at /docs), Atom feeds under /feeds.

    Ingest over HTTP (POST /api/articles) is on only when BABELWIRE_API_TOKEN is set.
    """
    import os

    import uvicorn

    settings = Settings.from_env(db=db)
    fresh = not Path(settings.db).exists()
    with _errors(), Engine(settings=settings) as engine:
        stored = engine.store.count_articles()  # opens and migrates the database, or fails clearly here
    os.environ["BABELWIRE_DB"] = settings.db  # the app factory reads its settings from the environment
    # one OpenMP thread per query embedding: requests run in parallel anyway, and spinning worker
    # threads turn a 15 ms embedding into hundreds of milliseconds when the cores are busy
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    writes = "on (bearer token)" if os.environ.get("BABELWIRE_API_TOKEN") else "off (set BABELWIRE_API_TOKEN)"
    console.print(
        f"babelwire: {settings.db}{' (new, empty)' if fresh else ''} with {stored} article(s) at "
        f"http://{host}:{port}/ · API docs /docs · HTTP ingest {writes}",
        highlight=False,
    )
    # the app is loaded by name: the command line never imports the web package (nor it this one)
    uvicorn.run("babelwire.web:create_app", factory=True, host=host, port=port, log_level="warning")

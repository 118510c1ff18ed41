"""The ``watch`` command: poll feeds at an interval and ingest what is new."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.markup import escape

from babelwire.cli.common import (
    EXIT_PARTIAL,
    DbOption,
    _engine,
    _errors,
    app,
    console,
    err,
)
from babelwire.engine import IngestReport

#: What the engine says of a feed entry whose text changed since it was stored: the outlet updated
#: it, which is news to nobody; the first version is kept and nothing needs fixing.
UPDATED_ENTRY = "changed since it was stored (an updated entry)"

#: The shortest interval between two polls, in seconds (a feed is someone else's server).
MIN_INTERVAL = 10

STOPPED = "stopped; everything already stored is kept"


def poll_line(report: IngestReport, at: datetime) -> tuple[str, list[str]]:
    """The line printed for one poll, and the messages of its rejections that are not updated entries."""
    updated = sum(1 for m in report.messages if UPDATED_ENTRY in m)
    problems = [m for m in report.messages if UPDATED_ENTRY not in m]
    line = (
        f"{at.astimezone(UTC):%Y-%m-%d %H:%M:%S}Z  added {report.added}, "
        f"duplicates {report.duplicates + report.near_duplicates}, "
        f"rejected {max(report.rejected - updated, 0)}, updated (kept first version) {updated}"
    )
    return line, problems


@app.command()
def watch(
    feeds: Annotated[list[str], typer.Argument(metavar="FEED...", help="Feed URLs or files to poll.")],
    db: DbOption = None,
    interval: Annotated[
        int, typer.Option(min=MIN_INTERVAL, help="Seconds between two polls (at least 10).")
    ] = 300,
    once: Annotated[bool, typer.Option("--once", help="Poll once and stop.")] = False,
) -> None:
    """Poll feeds every --interval seconds and ingest new entries; one line per poll, Ctrl-C stops."""
    problems: list[str] = []
    with _errors(STOPPED), _engine(db) as engine:
        shown: set[str] = set()
        while True:
            report = engine.ingest(feeds)
            line, problems = poll_line(report, datetime.now(UTC))
            # a rejection is said once, not at every poll while it lasts (a feed that is down)
            for message in problems:
                if message not in shown:
                    err.print(f"[yellow]rejected[/yellow] {escape(message)}", highlight=False)
            shown = set(problems)
            console.print(line, markup=False, highlight=False, soft_wrap=True)
            if once:
                break
            time.sleep(interval)
    if problems:
        raise typer.Exit(EXIT_PARTIAL)

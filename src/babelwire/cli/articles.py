"""Commands for reading news in and looking at it: ingest, articles, article, process, rejections, demo."""

from __future__ import annotations

import io
import math
import textwrap
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from babelwire.cli.common import (
    EXIT_PARTIAL,
    DbOption,
    JsonOption,
    _article_row,
    _date_range,
    _dump_json,
    _engine,
    _errors,
    _interrupted_output,
    _output,
    _print_stories,
    _reader,
    app,
    console,
    err,
    filter_language,
    forced_language,
    interrupted_ingest,
    page_footer,
    plural,
)
from babelwire.cli.inputs import _read_input_text
from babelwire.config import Settings
from babelwire.engine import Engine, IngestReport
from babelwire.ingest.records import Overrides, parse_published
from babelwire.model import Article
from babelwire.store import ArticleFilter, StoryFilter
from babelwire.store.codec import iso_utc


def _estimate_total(inputs: list[str]) -> int | None:
    """Rough number of records, for the progress bar (None when inputs are streams or URLs)."""
    from babelwire.ingest.files import iter_folder

    total = 0
    for raw in inputs:
        if raw == "-" or raw.startswith(("http://", "https://")):
            return None
        path = Path(raw)
        try:
            files = list(iter_folder(path)) if path.is_dir() else [path] if path.exists() else []
        except OSError:  # ingest reports it
            files = [path]
        for file in files:
            if file.suffix.lower() in (".jsonl", ".ndjson", ".csv", ".tsv"):
                try:
                    with file.open("rb") as fh:
                        total += sum(1 for line in fh if line.strip())
                except OSError:
                    total += 1
            else:
                total += 1
    return total


def _print_report(report: IngestReport, quiet: bool) -> None:
    for message in report.messages:
        err.print(f"[yellow]rejected[/yellow] {message}", highlight=False)
    if not quiet:
        for warning in report.warnings:
            err.print(f"[dim]warning[/dim] {warning}", highlight=False)
    console.print(report.summary(), highlight=False)


def _seconds(value: float | None) -> float | None:
    """``--timeout``: a number of seconds above 0 (0, a negative number or nan would never fetch)."""
    if value is not None and not (math.isfinite(value) and value > 0):
        raise typer.BadParameter(f"{value} is not a number of seconds above 0 (the default is 15)")
    return value


@app.command()
def ingest(
    inputs: Annotated[list[str], typer.Argument(help="Files, folders, feed/page URLs, or - for stdin.")],
    db: DbOption = None,
    source: Annotated[str | None, typer.Option(help="Outlet name for every article read.")] = None,
    lang: Annotated[
        str | None, typer.Option(help="Language code for every article (skips detection).")
    ] = None,
    published: Annotated[str | None, typer.Option(help="Publication date for every article.")] = None,
    max_bytes: Annotated[
        int | None, typer.Option(min=1, help="Largest file or download accepted, in bytes.")
    ] = None,
    timeout: Annotated[
        float | None, typer.Option(callback=_seconds, help="Seconds before a URL fetch gives up.")
    ] = None,
    near_threshold: Annotated[
        float | None,
        typer.Option(min=0.01, max=1.0, help="MinHash Jaccard at or above which a text is a near-duplicate."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or warnings.")] = False,
) -> None:
    """Read news into the database: .txt/.md, .html, .json/.jsonl, .csv, feeds, OPML, URLs, stdin."""
    if published is not None and parse_published(published) is None:
        raise typer.BadParameter(f"cannot read {published!r} as a date", param_hint="--published")
    report = IngestReport()  # filled batch by batch: an interrupt can say what was stored
    with _errors(lambda: interrupted_ingest(report.stored)):
        if lang is not None:
            lang = forced_language(lang, Settings.from_env().languages)
        engine = _engine(
            db,
            max_file_bytes=max_bytes,
            max_fetch_bytes=max_bytes,
            fetch_timeout=timeout,
            near_duplicate_threshold=near_threshold,
        )
        overrides = Overrides(source=source, lang=lang, published=published)
        with engine:
            if quiet or not err.is_terminal:
                engine.ingest(inputs, overrides, report=report)
            else:
                with Progress(
                    TextColumn("ingest"),
                    BarColumn(),
                    MofNCompleteColumn(),
                    TimeElapsedColumn(),
                    console=err,
                    transient=True,
                ) as bar:
                    task = bar.add_task("ingest", total=_estimate_total(inputs))
                    engine.ingest(inputs, overrides, progress=lambda n: bar.advance(task, n), report=report)
        _print_report(report, quiet)
        if report.rejected:
            raise typer.Exit(EXIT_PARTIAL)


@app.command()
def articles(
    query: Annotated[str | None, typer.Argument(help="Full-text query (SQLite FTS5 syntax).")] = None,
    db: DbOption = None,
    lang: Annotated[str | None, typer.Option(callback=filter_language, help="Only this language.")] = None,
    source: Annotated[str | None, typer.Option(help="Only this outlet.")] = None,
    since: Annotated[str | None, typer.Option(help="Published on or after this date.")] = None,
    until: Annotated[str | None, typer.Option(help="Published before this date.")] = None,
    originals: Annotated[bool, typer.Option("--originals", help="Hide duplicate copies.")] = False,
    limit: Annotated[int, typer.Option(min=1, help="How many to show.")] = 50,
    offset: Annotated[int, typer.Option(min=0, help="Skip this many first.")] = 0,
    as_json: JsonOption = False,
) -> None:
    """List stored articles, newest first, with filters and full-text search."""
    start, end = _date_range(since, until)
    flt = ArticleFilter(
        lang=lang,
        source=source,
        since=start,
        until=end,
        query=query,
        include_duplicates=not originals,
        limit=limit + 1,  # one more than the page: whether --offset shows more
        offset=offset,
    )
    with _errors(), _reader(db) as engine:
        found = engine.articles(flt)
        note = engine.store.full_text_query(query).note if query else None
    more = len(found) > limit
    found = found[:limit]
    if note:  # on stderr: standard output stays the listing (valid JSON with --json)
        err.print(f"[yellow]note:[/yellow] {escape(note)}", highlight=False)
    if as_json:
        _dump_json([_article_row(a) for a in found])
        return
    _print_articles(found)
    console.print(page_footer(len(found), offset, more, "article"), style="dim", highlight=False)


#: The narrowest title column worth a table cell; with less room, each title gets its own line.
MIN_TITLE_WIDTH = 20

#: The widest an outlet or a "copy of" id gets in the listing before it ends in "…".
_NAME_WIDTH = 24


def _cut(text: str, width: int = _NAME_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _print_articles(found: list[Article]) -> None:
    """The articles as a table: whole ids (what ``babelwire article ID`` needs), and always a title.

    Ids and dates never wrap or shrink. The title takes the rest of the line, one line per
    article, and ends in "…" when it is longer; when that rest is narrower than
    ``MIN_TITLE_WIDTH`` (long URL ids on 80 columns leave none), each article's title goes whole
    on its own indented line under its row instead of disappearing.
    """
    copies = any(a.duplicate_of for a in found)
    names = ["id", "published", "lang", "source", *(["copy of"] if copies else [])]
    rows = []
    for a in found:
        row = [a.id, (iso_utc(a.published) or "undated")[:16], a.lang or "?", _cut(a.source or "unknown")]
        rows.append(row + ([_cut(a.duplicate_of or "")] if copies else []))
    widths = [max([len(name), *(len(r[i]) for r in rows)]) for i, name in enumerate(names)]
    # rich pads every cell with one space on each side
    room = console.width - sum(w + 2 for w in widths) - 2
    if room >= MIN_TITLE_WIDTH:
        table = Table(box=None, header_style="bold", expand=True)
        for name, width in zip(names[:4], widths, strict=False):
            table.add_column(name, no_wrap=True, min_width=width)
        table.add_column("title", no_wrap=True, overflow="ellipsis", ratio=1)
        if copies:
            table.add_column("copy of", no_wrap=True, min_width=widths[4])
        for row, a in zip(rows, found, strict=True):
            cells = [escape(cell) for cell in row]
            table.add_row(*cells[:4], escape(a.title or ""), *cells[4:])
        console.print(table, highlight=False)
        return
    header = "  ".join(name.ljust(width) for name, width in zip(names, widths, strict=True))
    console.print(f" {header.rstrip()}", style="bold", highlight=False, overflow="ignore", crop=False)
    for row, a in zip(rows, found, strict=True):
        line = "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        console.print(f" {line.rstrip()}", markup=False, highlight=False, overflow="ignore", crop=False)
        if a.title:
            title = textwrap.fill(
                a.title, width=max(console.width, 40), initial_indent="   ", subsequent_indent="   "
            )
            console.print(title, markup=False, highlight=False, soft_wrap=True)


@app.command()
def article(
    article_id: Annotated[str, typer.Argument(help="Article id (see `babelwire articles`).")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show one article: metadata, sentences and duplicates."""
    with _errors(), _reader(db) as engine:
        found = engine.article(article_id)
        copies = engine.duplicates(article_id)
    data = _article_row(found)
    data.update(
        {
            "lead": found.lead,
            "content_hash": found.content_hash,
            "origin": found.origin,
            "stages": found.stages,
            "text": found.text,
            "paragraphs": [{"start": p.start, "end": p.end} for p in found.paragraphs],
            "sentences": [
                {
                    "start": s.start,
                    "end": s.end,
                    "paragraph": s.paragraph,
                    "text": found.text[s.start : s.end],
                }
                for s in found.sentences
            ],
            "duplicates": [
                {"id": c.id, "source": c.source, "kind": c.duplicate_kind, "url": c.url} for c in copies
            ],
        }
    )
    if as_json:
        _dump_json(data)
        return
    # stored strings are no markup: a "[" in a title or a URL is shown as it is
    console.print(f"[bold]{escape(found.title)}[/bold]", highlight=False)
    for key in ("id", "source", "lang", "published", "url", "story_id", "content_hash", "origin"):
        console.print(f"  {key:13} {data[key] or '-'}", markup=False, highlight=False)
    if found.duplicate_of:
        copy = f"  {'copy of':13} {found.duplicate_of} ({found.duplicate_kind})"
        console.print(copy, markup=False, highlight=False)
    if found.error:
        console.print(f"  {'error':13} {found.error}", style="red", markup=False, highlight=False)
    console.print(
        f"  {'stages':13} {', '.join(f'{k}@{v}' for k, v in found.stages.items())}", highlight=False
    )
    console.print(f"\n[bold]Sentences[/bold] ({len(found.sentences)})")
    for i, s in enumerate(data["sentences"], start=1):
        console.print(f"  {i:3} [{s['start']}:{s['end']}] {s['text']}", markup=False, highlight=False)
    if copies:
        console.print(f"\n[bold]Carried also by[/bold] ({len(copies)})")
        for c in copies:
            console.print(f"  {c.id}  {c.source or '?'}  ({c.duplicate_kind})", markup=False, highlight=False)


@app.command()
def process(
    input_path: Annotated[
        str, typer.Argument(metavar="IN.jsonl", help="JSON lines to process, or - for stdin.")
    ],
    output: Annotated[
        str, typer.Option("--output", "-o", help="Where to write JSON lines (- for stdout).")
    ] = "-",
) -> None:
    """Run the pipeline without a database: one output line per input line (see docs/process.md)."""
    from babelwire.batch import process_stream

    # a bad output path fails first, before the input is read and the models load; the file is
    # replaced only when every line is written (an interrupt leaves an earlier one as it was)
    with _errors(_interrupted_output(output)), _output(output) as sink:
        engine = Engine(settings=Settings.from_env())
        # universal newlines, as a file opened in text mode: CRLF and CR end lines, U+2028 does not
        source = io.StringIO(_read_input_text(input_path), newline=None)
        counts = process_stream(engine, source, sink, input_path)
    err.print(
        f"processed {plural(counts['lines'], 'line')}: {counts['errors']} with errors, "
        f"{counts['duplicates']} duplicates",
        highlight=False,
    )
    if counts["errors"]:
        raise typer.Exit(EXIT_PARTIAL)


@app.command()
def rejections(
    db: DbOption = None,
    limit: Annotated[int, typer.Option(min=1, help="How many to show.")] = 50,
    as_json: JsonOption = False,
) -> None:
    """List inputs that could not be ingested, with the reason."""
    with _errors(), _reader(db) as engine:
        found = engine.store.rejections(limit + 1)  # one more tells whether more follow
    more = f" (the latest {limit}; more with --limit)" if len(found) > limit else ""
    found = found[:limit]
    if as_json:
        _dump_json([{"origin": r.origin, "reason": r.reason, "at": r.created_at} for r in found])
        return
    for r in found:
        console.print(f"{r.created_at}  {r.origin}: {r.reason}", markup=False, highlight=False)
    console.print(plural(len(found), "rejection") + more, style="dim", highlight=False)


@app.command()
def demo(db: DbOption = None) -> None:
    """Ingest the bundled sample corpus into the database and show what babelwire made of it."""
    from babelwire.data import sample_articles_path

    with _errors(), _engine(db) as engine:
        path = str(sample_articles_path())
        console.print(f"Ingesting the sample corpus ({path}) into {engine.settings.db}", highlight=False)
        report = engine.ingest([path], progress=None)
        _print_report(report, quiet=True)
        found = engine.articles(ArticleFilter(limit=10_000))
        by_lang: dict[str, int] = {}
        for a in found:
            by_lang[a.lang or "?"] = by_lang.get(a.lang or "?", 0) + 1
        console.print(
            f"{len(found)} articles stored: "
            + ", ".join(f"{lang} {n}" for lang, n in sorted(by_lang.items(), key=lambda x: -x[1])),
            highlight=False,
        )
        _demo_stories(engine)


def _demo_stories(engine: Engine) -> None:
    """Print the stories of the database, largest first."""
    _print_stories(engine.stories(StoryFilter(limit=30, sort="languages")))
    console.print(
        "Next: `babelwire story ID` for one story, `babelwire articles` for the articles.", style="dim"
    )

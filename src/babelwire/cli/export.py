"""The ``export`` command: stories, articles, entities or quotes as JSON lines, CSV or Atom."""

from __future__ import annotations

from typing import Annotated

import typer

from babelwire.cli.common import (
    DbOption,
    _date_option,
    _errors,
    _interrupted_output,
    _output,
    _reader,
    app,
    err,
    filter_language,
    plural,
)
from babelwire.errors import NotFoundError
from babelwire.export import FORMATS, KINDS, ExportFilter, write_export

_SINGULAR = {"stories": ("story", "stories"), "articles": ("article", "articles")}
_SINGULAR.update({"entities": ("entity", "entities"), "quotes": ("quote", "quotes")})


@app.command()
def export(
    db: DbOption = None,
    what: Annotated[str, typer.Option("--what", help="stories, articles, entities or quotes.")] = "stories",
    fmt: Annotated[str, typer.Option("--format", help="jsonl, csv or atom.")] = "jsonl",
    output: Annotated[str, typer.Option("--output", "-o", help="Where to write (- for stdout).")] = "-",
    since: Annotated[
        str | None, typer.Option(help="On or after this date (stories: last report; others: published).")
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="Before this date (stories: first report; others: published).")
    ] = None,
    lang: Annotated[
        str | None, typer.Option(callback=filter_language, help="Only this language (not for entities).")
    ] = None,
    source: Annotated[str | None, typer.Option(help="Only this outlet (not for entities).")] = None,
    story: Annotated[str | None, typer.Option("--story", help="Only this story.")] = None,
) -> None:
    """Export stories, articles, entities or quotes as JSON lines, CSV or Atom, read page by page."""
    if what not in KINDS:
        raise typer.BadParameter(f"use {', '.join(KINDS)}", param_hint="--what")
    if fmt not in FORMATS:
        raise typer.BadParameter(f"use {', '.join(FORMATS)}", param_hint="--format")
    if what == "entities":
        given = [name for name, v in (("--since", since), ("--until", until), ("--lang", lang)) if v]
        given += ["--source"] if source else []
        if given:
            raise typer.BadParameter(f"entities take only --story, not {', '.join(given)}")
    flt = ExportFilter(
        since=_date_option(since, "--since"),
        until=_date_option(until, "--until"),
        lang=lang,
        source=source,
        story_id=story,
    )
    with _errors(), _reader(db) as engine:
        if story is not None:
            found = engine.store.get_story(story)
            if found is None:
                raise NotFoundError(f"no story with id {story!r}; list ids with `babelwire stories`")
            flt = ExportFilter(flt.since, flt.until, flt.lang, flt.source, found.id)
        # the file is replaced only when everything is written: an interrupt leaves an earlier one
        with _errors(_interrupted_output(output)), _output(output) as sink:
            count = write_export(sink, engine.store, what, fmt, flt)
    one, many = _SINGULAR[what]
    err.print(f"exported {plural(count, one, many)}", highlight=False)

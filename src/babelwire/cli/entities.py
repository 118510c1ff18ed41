"""Commands for entities and quotes: entities, entity, quotes."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from babelwire.cli.common import (
    DbOption,
    JsonOption,
    _dump_json,
    _errors,
    _print_stories,
    _reader,
    _story_row,
    app,
    console,
    page_footer,
    plural,
    story_or_not_found,
)
from babelwire.errors import NotFoundError
from babelwire.store import EntityFilter, QuoteFilter
from babelwire.store.base import EntitySummary, QuoteRow
from babelwire.store.codec import iso_utc

# -- entities and quotes ---------------------------------------------------------------------
ENTITY_TYPES = ("PER", "ORG", "LOC", "MISC")


def _entity_type(value: str | None) -> str | None:
    """``--type``: one of ``ENTITY_TYPES`` in any case, so a typo is not "no entities"."""
    if value is None:
        return None
    if value.strip().upper() not in ENTITY_TYPES:
        raise typer.BadParameter(f"{value!r} is not an entity type; use {', '.join(ENTITY_TYPES)}")
    return value.strip().upper()


def _entity_row(e: EntitySummary) -> dict[str, Any]:
    return {
        "id": e.id,
        "name": e.name,
        "type": e.label,
        "names": e.names,
        "articles": e.articles,
        "stories": e.stories,
        "mentions": e.mentions,
    }


@app.command()
def entities(
    query: Annotated[str | None, typer.Argument(help="Part of a name or spelling, or an entity id.")] = None,
    db: DbOption = None,
    type_: Annotated[
        str | None, typer.Option("--type", callback=_entity_type, help="PER, ORG, LOC or MISC.")
    ] = None,
    story_id: Annotated[str | None, typer.Option("--story", help="Only entities of this story.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="How many to show.")] = 50,
    offset: Annotated[int, typer.Option(min=0, help="Skip this many first.")] = 0,
    as_json: JsonOption = False,
) -> None:
    """List entities: name, type, names seen per language, article and story counts."""
    with _errors(), _reader(db) as engine:
        if story_id is not None:
            story_id = story_or_not_found(engine, story_id).id
        # one more than the page: whether --offset shows more
        flt = EntityFilter(query=query, label=type_, story_id=story_id, limit=limit + 1, offset=offset)
        found = engine.store.list_entities(flt)
    more = len(found) > limit
    found = found[:limit]
    if as_json:
        _dump_json([_entity_row(e) for e in found])
        return
    table = Table(
        "id", "type", "name", "articles", "stories", "names per language", box=None, header_style="bold"
    )
    for e in found:
        names = "; ".join(f"{lang}: {', '.join(n[:3])}" for lang, n in sorted(e.names.items()))
        cells = (e.id, e.label, e.name, str(e.articles), str(e.stories), names[:80])
        table.add_row(*(escape(cell) for cell in cells))
    console.print(table)
    console.print(page_footer(len(found), offset, more, "entity", "entities"), style="dim", highlight=False)


def _quote_row(q: QuoteRow) -> dict[str, Any]:
    return {
        "article": q.article_id,
        "text": q.text,
        "start": q.start,
        "end": q.end,
        "cue": q.cue,
        "speaker": {"text": q.speaker_text, "entity_id": q.speaker_entity_id, "name": q.speaker_name}
        if q.speaker_text
        else None,
        "medium": q.medium,
        "partial": q.partial,
        "source": q.source,
        "lang": q.lang,
        "published": iso_utc(q.published),
        "story_id": q.story_id,
    }


def _print_quotes(found: list[QuoteRow]) -> None:
    for q in found:
        who = q.speaker_name or q.speaker_text or "unattributed"
        medium = f" (to {q.medium})" if q.medium else ""
        where = f"{q.cue or ''} — {q.source or '?'} {q.lang or ''} {q.article_id}"
        line = f"[bold]{escape(who)}[/bold]{escape(medium)} [dim]{escape(where)}[/dim]"
        console.print(line, highlight=False)
        console.print(f"  “{q.text}”", markup=False, highlight=False)


@app.command()
def entity(
    entity_id: Annotated[str, typer.Argument(help="Entity id (see `babelwire entities`).")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show one entity: names per language, mentions, stories and quotes."""
    with _errors(), _reader(db) as engine:
        found = engine.store.get_entity(entity_id)
        if found is None:
            raise NotFoundError(f"no entity with id {entity_id!r}; list ids with `babelwire entities`")
        mentions = engine.store.entity_mentions(entity_id)
        story_ids = engine.store.entity_story_ids(entity_id)
        story_rows = [s for s in (engine.store.get_story(i) for i in story_ids) if s is not None]
        quotes = engine.store.list_quotes(QuoteFilter(speaker=entity_id))
    if as_json:
        data = _entity_row(found)
        data["mentions"] = [
            {"article": a, "text": t, "start": s, "end": e, "lang": lang} for a, t, s, e, lang in mentions
        ]
        data["stories"] = [_story_row(s) for s in story_rows]
        data["quotes"] = [_quote_row(q) for q in quotes]
        _dump_json(data)
        return
    console.print(
        f"[bold]{escape(found.name)}[/bold] {escape(f'({found.label}) {found.id}')}", highlight=False
    )
    console.print(
        f"  in {plural(found.articles, 'article')}, {plural(found.stories, 'story', 'stories')}",
        highlight=False,
    )
    for lang, names in sorted(found.names.items()):
        console.print(f"  {lang}: {', '.join(names)}", markup=False, highlight=False)
    if story_rows:
        console.print("\n[bold]Stories[/bold]")
        _print_stories(story_rows)
    if quotes:
        console.print("\n[bold]Quotes[/bold]")
        _print_quotes(quotes)


@app.command()
def quotes(
    db: DbOption = None,
    speaker: Annotated[str | None, typer.Option(help="Speaker entity id or part of a name.")] = None,
    story_id: Annotated[str | None, typer.Option("--story", help="Only quotes of this story.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="How many to show.")] = 100,
    offset: Annotated[int, typer.Option(min=0, help="Skip this many first.")] = 0,
    as_json: JsonOption = False,
) -> None:
    """List quotes: who said what, to whom, in which report."""
    with _errors(), _reader(db) as engine:
        if story_id is not None:
            story_id = story_or_not_found(engine, story_id).id
        # one more than the page: whether --offset shows more
        found = engine.store.list_quotes(
            QuoteFilter(speaker=speaker, story_id=story_id, limit=limit + 1, offset=offset)
        )
    more = len(found) > limit
    found = found[:limit]
    if as_json:
        _dump_json([_quote_row(q) for q in found])
        return
    _print_quotes(found)
    console.print(page_footer(len(found), offset, more, "quote"), style="dim", highlight=False)

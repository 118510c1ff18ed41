"""The ``search`` command: full text and meaning, fused and grouped by story, as the web's search."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.markup import escape

from babelwire.cli.common import (
    DbOption,
    JsonOption,
    _article_row,
    _dump_json,
    _errors,
    _reader,
    _story_row,
    app,
    console,
    err,
    filter_language,
    plural,
)
from babelwire.model import Story
from babelwire.search import MODES, SearchResult
from babelwire.store.codec import iso_utc


@app.command("search")
def search_command(
    query: Annotated[str, typer.Argument(help="What to look for (words, or SQLite FTS5 syntax).")],
    db: DbOption = None,
    mode: Annotated[str, typer.Option(help="hybrid (both, fused), text (full text) or semantic.")] = "hybrid",
    lang: Annotated[str | None, typer.Option(callback=filter_language, help="Only this language.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=200, help="How many stories to show.")] = 10,
    as_json: JsonOption = False,
) -> None:
    """Search by full text and by meaning across languages; hits are grouped by story."""
    if mode not in MODES:
        raise typer.BadParameter(f"use {', '.join(MODES)}", param_hint="--mode")
    with _errors(), _reader(db) as engine:
        result = engine.search(query, mode=mode, lang=lang, limit=limit)
        stories = {g.story_id: engine.store.get_story(g.story_id) for g in result.groups if g.story_id}
    if result.note:  # on stderr: standard output stays the results (valid JSON with --json)
        err.print(f"[yellow]note:[/yellow] {escape(result.note)}", highlight=False)
    if as_json:
        _dump_json(_result_json(result, stories))
        return
    _print_result(result, stories)


def _result_json(result: SearchResult, stories: dict[str, Story | None]) -> dict[str, Any]:
    groups = []
    for group in result.groups:
        story = stories.get(group.story_id) if group.story_id else None
        hits = [
            {
                "article": _article_row(h.article),
                "score": round(h.score, 5),
                "similarity": None if h.similarity is None else round(h.similarity, 4),
                "text_rank": h.text_rank,
                "via": h.via,
            }
            for h in group.hits
            if h.article is not None
        ]
        groups.append({"story": _story_row(story) if story else None, "hits": hits})
    return {
        "query": result.query,
        "mode": result.mode,
        "note": result.note,
        "has_more": result.has_more,
        "groups": groups,
    }


def _print_result(result: SearchResult, stories: dict[str, Story | None]) -> None:
    for group in result.groups:
        story = stories.get(group.story_id) if group.story_id else None
        if story is not None:
            about = f"{plural(story.size, 'article')}, {','.join(story.languages) or '?'}"
            console.print(f"[bold]{escape(story.label)}[/bold]", highlight=False)
            console.print(f"  story {escape(story.id)} ({about})", style="dim", highlight=False)
        else:
            console.print("[bold](not in a story)[/bold]", highlight=False)
        for hit in group.hits:
            a = hit.article
            if a is None:
                continue
            date = (iso_utc(a.published) or "undated")[:10]
            line = f"  {a.id}  {date}  {a.lang or '?'}  {a.source or 'unknown'}  [{'+'.join(hit.via)}]"
            console.print(line, markup=False, highlight=False)
            if a.title:
                console.print(f"    {a.title}", markup=False, highlight=False)
    more = " (more with a higher --limit)" if result.has_more else ""
    console.print(f"{plural(len(result.groups), 'story', 'stories')}{more}", style="dim", highlight=False)

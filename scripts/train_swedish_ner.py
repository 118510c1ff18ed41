"""Train the small Swedish named-entity recogniser shipped in ``babelwire.models.sv_ner``.

The corpus is the "Swedish NER corpus, Webbnyheter 2012" (CC BY 4.0): one ``token<TAB>label``
per line (some lines use runs of spaces instead of a tab), a blank line between sentences.
Labels are bare entity types (``PER``, ``ORG``, ``LOC``, ``MISC``) or ``0`` for outside, not
IOB, so consecutive tokens with the same type are read as one entity.

Split rule (deterministic, independent of ``--seed``): sentences are numbered from 0 in file
order; sentence ``i`` is held out when ``i % 5 == 4`` (20 %), the rest is the train part.
Inside the train part, every 10th sentence (``j % 10 == 9``, ``j`` counting train sentences)
is the dev slice used for early stopping and model selection; the held-out 20 % is only
scored once, at the end, with the selected model.

Soft hyphens (U+00AD) are removed from every token before training and evaluation; callers of
the model must strip them from text too.

The pipeline is a blank spaCy ``sv`` pipeline with a CNN ``tok2vec`` (hash embeddings of NORM,
PREFIX, SUFFIX and SHAPE; no static vectors) and an ``ner`` component listening to it. It is
built from a spaCy config and trained with a small explicit loop (so that a wall-time budget
can be enforced); the best model by dev-slice F1 is saved with ``nlp.to_disk``.

Example::

    OMP_NUM_THREADS=1 .venv/bin/python scripts/train_swedish_ner.py \\
        --heldout-out out/sv_ner_heldout.conll
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.schemas import ConfigSchemaTraining
from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.util import fix_random_seed, load_model_from_config, registry
from thinc.api import Config

LOG = logging.getLogger("train_swedish_ner")

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data" / "swedish_ner" / "train_corpus.txt"
DEFAULT_OUT = REPO_ROOT / "src" / "babelwire" / "models" / "sv_ner"

ENTITY_TYPES: tuple[str, ...] = ("PER", "ORG", "LOC", "MISC")
OUTSIDE = "0"
SOFT_HYPHEN = "\u00ad"
HELDOUT_EVERY = 5  # sentence i is held out when i % 5 == 4
DEV_EVERY = 10  # train-part sentence j is in the dev slice when j % 10 == 9

# Files ``nlp.to_disk`` may write that inference does not need: the pipeline has no lookup
# tables, and without ``--vectors`` the vector files are empty placeholders.
UNNEEDED_FILES: tuple[str, ...] = ("vocab/lookups.bin",)
VECTOR_FILES: tuple[str, ...] = ("vocab/vectors", "vocab/vectors.cfg")

CONFIG_TEMPLATE = """
[paths]
train = null
dev = null
vectors = null
init_tok2vec = null

[system]
gpu_allocator = null
seed = 0

[nlp]
lang = "sv"
pipeline = ["tok2vec","ner"]
batch_size = 256
disabled = []
before_creation = null
after_creation = null
after_pipeline_creation = null
tokenizer = {"@tokenizers":"spacy.Tokenizer.v1"}

[components]

[components.tok2vec]
factory = "tok2vec"

[components.tok2vec.model]
@architectures = "spacy.Tok2Vec.v2"

[components.tok2vec.model.embed]
@architectures = "spacy.MultiHashEmbed.v2"
width = ${components.tok2vec.model.encode.width}
attrs = ["NORM","PREFIX","SUFFIX","SHAPE"]
rows = [5000,2500,2500,500]
include_static_vectors = false

[components.tok2vec.model.encode]
@architectures = "spacy.MaxoutWindowEncoder.v2"
width = 128
depth = 4
window_size = 1
maxout_pieces = 3

[components.ner]
factory = "ner"
incorrect_spans_key = null
moves = null
scorer = {"@scorers":"spacy.ner_scorer.v1"}
update_with_oracle_cut_size = 100

[components.ner.model]
@architectures = "spacy.TransitionBasedParser.v2"
state_type = "ner"
extra_state_tokens = false
hidden_width = 64
maxout_pieces = 2
use_upper = true
nO = null

[components.ner.model.tok2vec]
@architectures = "spacy.Tok2VecListener.v1"
width = ${components.tok2vec.model.encode.width}
upstream = "*"

[corpora]

[training]
seed = ${system.seed}
gpu_allocator = ${system.gpu_allocator}
dropout = 0.15
accumulate_gradient = 1
patience = 1200
max_epochs = 60
max_steps = 0
eval_frequency = 200
frozen_components = []
annotating_components = []
before_to_disk = null
before_update = null
dev_corpus = "corpora.dev"
train_corpus = "corpora.train"

[training.batcher]
@batchers = "spacy.batch_by_words.v1"
discard_oversize = false
tolerance = 0.2
get_length = null

[training.batcher.size]
@schedules = "compounding.v1"
start = 100
stop = 1000
compound = 1.001
t = 0.0

[training.logger]
@loggers = "spacy.ConsoleLogger.v1"
progress_bar = false

[training.optimizer]
@optimizers = "Adam.v1"
beta1 = 0.9
beta2 = 0.999
L2_is_weight_decay = true
L2 = 0.01
grad_clip = 1.0
use_averages = true
eps = 0.00000001
learn_rate = 0.001

[training.score_weights]
ents_f = 1.0
ents_p = 0.0
ents_r = 0.0
ents_per_type = null

[pretraining]

[initialize]
vectors = ${paths.vectors}
init_tok2vec = ${paths.init_tok2vec}
vocab_data = null
lookups = null
before_init = null
after_init = null

[initialize.components]

[initialize.tokenizer]
"""


# --------------------------------------------------------------------------------------------
# Corpus


Entity = tuple[int, int, str]
"""An entity as (first token, end token exclusive, type)."""


@dataclass(frozen=True)
class Sentence:
    """One corpus sentence: its tokens as written, their bare labels, and its entity spans."""

    tokens: tuple[str, ...]
    labels: tuple[str, ...]

    @property
    def words(self) -> list[str]:
        """Tokens normalised for the model (soft hyphens removed)."""
        return [normalise_token(token) for token in self.tokens]

    @property
    def entities(self) -> list[Entity]:
        """Entity spans: maximal runs of tokens sharing one (non-outside) type."""
        return labels_to_entities(self.labels)


def normalise_token(token: str) -> str:
    """Remove soft hyphens (U+00AD), which the corpus has in a few dozen tokens."""
    return token.replace(SOFT_HYPHEN, "")


def labels_to_entities(labels: Sequence[str]) -> list[Entity]:
    """Turn bare per-token types into spans; consecutive tokens of one type form one entity."""
    entities: list[Entity] = []
    start = 0
    for i in range(1, len(labels) + 1):
        if i == len(labels) or labels[i] != labels[start]:
            if labels[start] != OUTSIDE:
                entities.append((start, i, labels[start]))
            start = i
    return entities


def read_corpus(path: Path) -> list[Sentence]:
    """Read the token/label corpus; a token's label is the last whitespace-separated field."""
    sentences: list[Sentence] = []
    tokens: list[str] = []
    labels: list[str] = []
    odd_lines = 0

    def flush() -> None:
        if tokens:
            sentences.append(Sentence(tuple(tokens), tuple(labels)))
            tokens.clear()
            labels.clear()

    with path.open(encoding="utf-8") as handle:
        for line_no, raw in enumerate(handle, start=1):
            fields = raw.split()
            if not fields:
                flush()
                continue
            if len(fields) == 2 and fields[1] in (OUTSIDE, *ENTITY_TYPES):
                token, label = fields
            else:
                # One known line holds a lone token without a label; keep it as outside.
                odd_lines += 1
                LOG.warning("line %d: unexpected %r, read as an outside token", line_no, raw)
                token, label = " ".join(fields), OUTSIDE
            tokens.append(token)
            labels.append(label)
    flush()
    if odd_lines:
        LOG.warning("%d malformed line(s) read as outside tokens", odd_lines)
    return sentences


def split_heldout(sentences: Sequence[Sentence]) -> tuple[list[Sentence], list[Sentence]]:
    """Split by sentence: index ``i % 5 == 4`` is held out (20 %), the rest is the train part."""
    train = [s for i, s in enumerate(sentences) if i % HELDOUT_EVERY != HELDOUT_EVERY - 1]
    heldout = [s for i, s in enumerate(sentences) if i % HELDOUT_EVERY == HELDOUT_EVERY - 1]
    return train, heldout


def split_dev(train: Sequence[Sentence]) -> tuple[list[Sentence], list[Sentence]]:
    """Carve the dev slice out of the train part: train index ``j % 10 == 9`` is dev."""
    fit = [s for j, s in enumerate(train) if j % DEV_EVERY != DEV_EVERY - 1]
    dev = [s for j, s in enumerate(train) if j % DEV_EVERY == DEV_EVERY - 1]
    return fit, dev


def write_conll(sentences: Iterable[Sentence], path: Path) -> None:
    """Write sentences in the corpus format (``token<TAB>label``, tokens verbatim)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for sentence in sentences:
            for token, label in zip(sentence.tokens, sentence.labels, strict=True):
                handle.write(f"{token}\t{label}\n")
            handle.write("\n")


# --------------------------------------------------------------------------------------------
# Model


@dataclass(frozen=True)
class Hyper:
    """Hyper-parameters written into the spaCy config."""

    seed: int
    embed: str
    width: int
    depth: int
    rows: tuple[int, int, int, int]
    window: int
    char_dims: int
    char_count: int
    hidden: int
    dropout: float
    learn_rate: float
    vectors: str | None = None


def build_config(hyper: Hyper) -> Config:
    """Fill the config template with the chosen hyper-parameters."""
    config = Config().from_str(CONFIG_TEMPLATE, interpolate=False)
    config["system"]["seed"] = hyper.seed
    encode = config["components"]["tok2vec"]["model"]["encode"]
    encode["width"] = hyper.width
    encode["depth"] = hyper.depth
    encode["window_size"] = hyper.window
    if hyper.embed == "hash":
        config["components"]["tok2vec"]["model"]["embed"]["rows"] = list(hyper.rows)
    else:
        # Character embedding: the first and last char_count/2 characters plus NORM.
        config["components"]["tok2vec"]["model"]["embed"] = {
            "@architectures": "spacy.CharacterEmbed.v2",
            "width": hyper.width,
            "rows": hyper.rows[0],
            "nM": hyper.char_dims,
            "nC": hyper.char_count,
            "include_static_vectors": False,
            "feature": "NORM",
        }
    if hyper.vectors is not None:
        config["paths"]["vectors"] = hyper.vectors
        config["components"]["tok2vec"]["model"]["embed"]["include_static_vectors"] = True
    config["components"]["ner"]["model"]["hidden_width"] = hyper.hidden
    config["training"]["dropout"] = hyper.dropout
    config["training"]["optimizer"]["learn_rate"] = hyper.learn_rate
    return config


def make_doc(nlp: Language, sentence: Sentence, *, with_entities: bool) -> Doc:
    """A Doc over the sentence's (normalised) gold tokens, optionally with gold entities."""
    doc = Doc(nlp.vocab, words=sentence.words)
    if with_entities:
        doc.ents = [Span(doc, start, end, label) for start, end, label in sentence.entities]
    return doc


def make_examples(nlp: Language, sentences: Iterable[Sentence]) -> list[Example]:
    """Training examples whose predicted side uses the gold tokenisation."""
    return [
        Example(make_doc(nlp, s, with_entities=False), make_doc(nlp, s, with_entities=True))
        for s in sentences
    ]


def mention_pool(sentences: Iterable[Sentence]) -> dict[str, list[tuple[str, ...]]]:
    """Distinct entity mentions (as normalised words) per type, in first-seen order."""
    pool: dict[str, dict[tuple[str, ...], None]] = {label: {} for label in ENTITY_TYPES}
    for sentence in sentences:
        words = sentence.words
        for start, end, label in sentence.entities:
            pool[label][tuple(words[start:end])] = None
    return {label: list(mentions) for label, mentions in pool.items()}


def replace_mentions(
    sentence: Sentence, pool: dict[str, list[tuple[str, ...]]], rng: random.Random
) -> Sentence:
    """A copy of ``sentence`` with every entity swapped for a random mention of the same type.

    Mention replacement is a cheap augmentation for small NER corpora: it shows the model
    the same contexts with other names, so it leans less on memorised spellings.
    """
    tokens: list[str] = []
    labels: list[str] = []
    words = sentence.words
    cursor = 0
    for start, end, label in sentence.entities:
        tokens.extend(words[cursor:start])
        labels.extend(sentence.labels[cursor:start])
        mention = rng.choice(pool[label])
        tokens.extend(mention)
        labels.extend([label] * len(mention))
        cursor = end
    tokens.extend(words[cursor:])
    labels.extend(sentence.labels[cursor:])
    return Sentence(tuple(tokens), tuple(labels))


# --------------------------------------------------------------------------------------------
# Evaluation


@dataclass
class Counts:
    """True positives, predicted and gold entity counts."""

    tp: int = 0
    pred: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        """tp / predicted."""
        return self.tp / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        """tp / gold."""
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        """Scores and counts, rounded for reports."""
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "pred": self.pred,
            "gold": self.gold,
        }


def predicted_entities(doc: Doc) -> list[Entity]:
    """Model entities in the corpus' bare-label representation.

    Bare labels cannot express two adjacent entities of one type, so predictions are mapped to
    per-token types and back, merging such neighbours exactly as the gold data does.
    """
    labels = [token.ent_type_ or OUTSIDE for token in doc]
    return labels_to_entities(labels)


def evaluate(nlp: Language, sentences: Sequence[Sentence]) -> dict[str, Counts]:
    """Entity-level exact-match counts, overall (key ``ALL``) and per type, on gold tokens."""
    counts = {key: Counts() for key in ("ALL", *ENTITY_TYPES)}
    docs = (make_doc(nlp, s, with_entities=False) for s in sentences)
    for sentence, doc in zip(sentences, nlp.pipe(docs, batch_size=256), strict=True):
        gold = set(sentence.entities)
        pred = set(predicted_entities(doc))
        for key in ("ALL", *ENTITY_TYPES):
            gold_k = gold if key == "ALL" else {e for e in gold if e[2] == key}
            pred_k = pred if key == "ALL" else {e for e in pred if e[2] == key}
            counts[key].tp += len(gold_k & pred_k)
            counts[key].pred += len(pred_k)
            counts[key].gold += len(gold_k)
    return counts


def format_scores(counts: dict[str, Counts]) -> str:
    """A small fixed-width table of precision/recall/F1 per type."""
    lines = [f"{'type':<5} {'P':>7} {'R':>7} {'F1':>7} {'gold':>6} {'pred':>6}"]
    for key, c in counts.items():
        lines.append(f"{key:<5} {c.precision:7.4f} {c.recall:7.4f} {c.f1:7.4f} {c.gold:6d} {c.pred:6d}")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Training


@dataclass(frozen=True)
class TrainResult:
    """What the training loop reports."""

    best_dev_f1: float
    best_step: int
    best_epoch: int
    steps: int
    epochs: int
    seconds: float
    stop_reason: str


def train(
    nlp: Language,
    fit: Sequence[Sentence],
    dev: Sequence[Sentence],
    best_dir: Path,
    *,
    seed: int,
    max_epochs: int,
    patience: int,
    eval_every: int,
    max_seconds: float,
    augment: float,
) -> TrainResult:
    """Train until patience, epoch or time budget runs out; keep the best model in ``best_dir``.

    Model selection uses exact-match entity F1 on the dev slice (part of the train part), with
    the optimizer's parameter averages, as ``spacy train`` does. Each epoch, a share
    ``augment`` of the entity-bearing fit sentences is added again with its mentions replaced
    (see :func:`replace_mentions`).
    """
    config = nlp.config.interpolate()
    settings = registry.resolve(config["training"], schema=ConfigSchemaTraining)
    batcher = settings["batcher"]
    dropout = float(settings["dropout"])

    base_examples = make_examples(nlp, fit)
    optimizer = nlp.initialize(lambda: base_examples)
    rng = random.Random(seed)
    pool = mention_pool(fit)
    with_entities = [s for s in fit if s.entities]

    started = time.monotonic()
    best_f1, best_step, best_epoch = -1.0, 0, 0
    step = epoch = 0
    stop_reason = "max epochs"
    stop = False
    while not stop and epoch < max_epochs:
        epoch += 1
        extra = [replace_mentions(s, pool, rng) for s in with_entities if rng.random() < augment]
        examples = base_examples + make_examples(nlp, extra)
        rng.shuffle(examples)
        losses: dict[str, float] = {}
        for batch in batcher(examples):
            nlp.update(batch, drop=dropout, sgd=optimizer, losses=losses)
            optimizer.step_schedules()
            step += 1
            if step % eval_every == 0:
                with nlp.use_params(optimizer.averages):
                    f1 = evaluate(nlp, dev)["ALL"].f1
                    improved = f1 > best_f1
                    if improved:
                        best_f1, best_step, best_epoch = f1, step, epoch
                        nlp.to_disk(best_dir)
                LOG.info(
                    "epoch %3d step %6d  ner loss %9.2f  dev F1 %.4f%s  (%.0fs)",
                    epoch,
                    step,
                    losses.get("ner", 0.0),
                    f1,
                    " *" if improved else "",
                    time.monotonic() - started,
                )
                if step - best_step >= patience:
                    stop, stop_reason = True, f"no dev improvement for {patience} steps"
                    break
            if time.monotonic() - started > max_seconds:
                stop, stop_reason = True, "time budget"
                break
    return TrainResult(
        best_dev_f1=best_f1,
        best_step=best_step,
        best_epoch=best_epoch,
        steps=step,
        epochs=epoch,
        seconds=time.monotonic() - started,
        stop_reason=stop_reason,
    )


def finalise_model(best_dir: Path, out: Path, meta: dict[str, Any]) -> None:
    """Copy the selected model to ``out``, drop what inference does not need, update meta.

    The string table is cut down to the entity labels: every other string (token texts and
    their NORM/PREFIX/SUFFIX/SHAPE values) is only a cache that spaCy re-creates from the input
    text, since the embeddings hash the strings themselves. This keeps a word list of the
    corpus out of the shipped model.
    """
    if out.exists():
        # Keep a hand-written README (or other docs) that live beside the model files.
        for child in out.iterdir():
            if child.name == "README.md":
                continue
            if child.is_dir():
                shutil.rmtree(child)
            else:
                child.unlink()
    shutil.copytree(best_dir, out, dirs_exist_ok=True)
    meta_path = out / "meta.json"
    merged = json.loads(meta_path.read_text(encoding="utf-8"))
    has_vectors = bool(merged.get("vectors", {}).get("width"))
    for name in UNNEEDED_FILES + (() if has_vectors else VECTOR_FILES):
        (out / name).unlink(missing_ok=True)
    merged.update(meta)
    meta_path.write_text(json.dumps(merged, indent=2, ensure_ascii=False) + "\n", "utf-8")
    labels = sorted(merged["labels"]["ner"])
    (out / "vocab" / "strings.json").write_text(json.dumps(labels) + "\n", "utf-8")


def recorded_command(argv: Sequence[str]) -> str:
    """The training command for ``meta.json``, without ``--out`` (it does not change the model)."""
    kept: list[str] = []
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--out":
            skip = True
        elif not arg.startswith("--out="):
            kept.append(arg)
    return " ".join(["scripts/train_swedish_ner.py", *kept])


def directory_size(path: Path) -> int:
    """Total size in bytes of the files under ``path``."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# --------------------------------------------------------------------------------------------
# CLI


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="corpus file")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="model directory")
    parser.add_argument("--heldout-out", type=Path, default=None, help="write the held-out 20%% here (CoNLL)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--max-minutes", type=float, default=20.0, help="training time budget")
    parser.add_argument("--max-epochs", type=int, default=60)
    parser.add_argument("--patience", type=int, default=1200, help="steps without dev gain")
    parser.add_argument("--eval-every", type=int, default=200, help="steps between dev scores")
    parser.add_argument(
        "--embed",
        choices=("hash", "char"),
        default="hash",
        help="hash: MultiHashEmbed of NORM/PREFIX/SUFFIX/SHAPE; char: CharacterEmbed + NORM",
    )
    parser.add_argument("--width", type=int, default=128, help="tok2vec width")
    parser.add_argument("--depth", type=int, default=4, help="CNN layers")
    parser.add_argument("--window", type=int, default=1, help="CNN window size")
    parser.add_argument(
        "--rows",
        type=int,
        nargs=4,
        default=(5000, 2500, 2500, 500),
        metavar=("NORM", "PREFIX", "SUFFIX", "SHAPE"),
        help="hash-embedding rows per attribute",
    )
    parser.add_argument("--char-dims", type=int, default=32, help="char embedding width (char)")
    parser.add_argument("--char-count", type=int, default=8, help="characters per word (char)")
    parser.add_argument("--hidden", type=int, default=64, help="NER hidden width")
    parser.add_argument("--dropout", type=float, default=0.15)
    parser.add_argument("--learn-rate", type=float, default=0.001)
    parser.add_argument(
        "--vectors",
        type=Path,
        default=None,
        help="spaCy pipeline whose (floret) vectors are used as static features (build_sv_vectors.py)",
    )
    parser.add_argument(
        "--augment",
        type=float,
        default=0.0,
        help="share of entity sentences re-added per epoch with mentions replaced",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Read, split, train, select, score on the held-out 20 % and save."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    args = parse_args(argv)

    sentences = read_corpus(args.data)
    train_part, heldout = split_heldout(sentences)
    fit, dev = split_dev(train_part)
    LOG.info(
        "%d sentences: %d train (%d fit + %d dev), %d held out",
        len(sentences),
        len(train_part),
        len(fit),
        len(dev),
        len(heldout),
    )
    if args.heldout_out is not None:
        write_conll(heldout, args.heldout_out)
        LOG.info("held-out split written to %s", args.heldout_out)

    hyper = Hyper(
        seed=args.seed,
        embed=args.embed,
        width=args.width,
        depth=args.depth,
        rows=tuple(args.rows),
        window=args.window,
        char_dims=args.char_dims,
        char_count=args.char_count,
        hidden=args.hidden,
        dropout=args.dropout,
        learn_rate=args.learn_rate,
        vectors=str(args.vectors) if args.vectors is not None else None,
    )
    LOG.info("hyper-parameters: %s", hyper)
    fix_random_seed(args.seed)
    nlp = load_model_from_config(build_config(hyper), auto_fill=True, validate=True)

    with tempfile.TemporaryDirectory(prefix="sv_ner_") as tmp:
        best_dir = Path(tmp) / "best"
        result = train(
            nlp,
            fit,
            dev,
            best_dir,
            seed=args.seed,
            max_epochs=args.max_epochs,
            patience=args.patience,
            eval_every=args.eval_every,
            max_seconds=args.max_minutes * 60,
            augment=args.augment,
        )
        LOG.info("training stopped (%s): %s", result.stop_reason, result)

        best = spacy.load(best_dir)
        dev_counts = evaluate(best, dev)
        heldout_counts = evaluate(best, heldout)
        print("\nDev slice (part of train; used for model selection):")
        print(format_scores(dev_counts))
        print("\nHeld-out 20% (i % 5 == 4), exact span + type match on gold tokens:")
        print(format_scores(heldout_counts))

        sources: list[dict[str, str]] = [
            {
                "name": "Swedish NER corpus, Webbnyheter 2012",
                "license": "CC BY 4.0",
                "url": "https://creativecommons.org/licenses/by/4.0/",
            }
        ]
        if args.vectors is not None:
            vectors_meta = json.loads((args.vectors / "meta.json").read_text(encoding="utf-8"))
            sources.extend(vectors_meta.get("sources", []))
        meta = {
            "name": "ner",
            "version": "0.2.0" if args.vectors is not None else "0.1.0",
            "description": (
                "Small Swedish NER (PER, ORG, LOC, MISC): CNN tok2vec"
                + (" with static floret vectors" if args.vectors is not None else "")
                + " + transition-based ner, trained on the Swedish NER corpus, Webbnyheter 2012."
                " Strip U+00AD from text before use."
            ),
            "license": "CC BY 4.0 (training data)",
            "sources": sources,
            "performance": {
                "heldout": {k: c.as_dict() for k, c in heldout_counts.items()},
                "dev": {k: c.as_dict() for k, c in dev_counts.items()},
            },
            "training": {
                "best_step": result.best_step,
                "best_epoch": result.best_epoch,
                "steps": result.steps,
                "epochs": result.epochs,
                "seconds": round(result.seconds),
                "stop_reason": result.stop_reason,
                "command": recorded_command(argv if argv is not None else sys.argv[1:]),
            },
        }
        finalise_model(best_dir, args.out, meta)

    # The shipped directory must score exactly like the selected model did.
    reloaded = evaluate(spacy.load(args.out), heldout)["ALL"]
    if reloaded.as_dict() != heldout_counts["ALL"].as_dict():
        LOG.error("saved model scores differently: %s", reloaded.as_dict())
        return 1

    LOG.info("model saved to %s (%.2f MB)", args.out, directory_size(args.out) / 1e6)
    return 0


if __name__ == "__main__":
    sys.exit(main())

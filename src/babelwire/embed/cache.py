"""Embedding caches (in memory, or a folder of ``.npz`` files) and the encoder wrapper that uses them."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from babelwire.embed.base import EmbeddingCache, Encoder, check_kind


def text_key(text: str, kind: str) -> str:
    """The cache key of a text: sha1 of the kind and the text."""
    return hashlib.sha1(f"{kind}\x1f{text}".encode("utf-8", "surrogatepass")).hexdigest()


class MemoryEmbeddingCache:
    """An in-process dict cache (the default when no store is given)."""

    def __init__(self) -> None:
        self._data: dict[tuple[str, str], np.ndarray] = {}

    def get_embeddings(self, keys: Sequence[str], model: str) -> dict[str, np.ndarray]:
        """Return the cached embeddings among ``keys``."""
        found: dict[str, np.ndarray] = {}
        for key in keys:
            vec = self._data.get((model, key))
            if vec is not None:
                found[key] = vec
        return found

    def put_embeddings(self, items: Mapping[str, np.ndarray], model: str) -> None:
        """Remember embeddings under ``model``."""
        for key, vec in items.items():
            self._data[(model, key)] = np.asarray(vec, dtype=np.float32)

    def __len__(self) -> int:
        return len(self._data)


class NpzEmbeddingCache:
    """A folder with one ``.npz`` per model, for scripts and benchmarks (``flush`` writes it)."""

    def __init__(self, folder: str | os.PathLike[str], autosave_every: int = 512) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.autosave_every = autosave_every
        self._models: dict[str, dict[str, np.ndarray]] = {}
        self._dirty: dict[str, int] = {}

    def _path(self, model: str) -> Path:
        return self.folder / (re.sub(r"[^A-Za-z0-9_.-]+", "_", model) + ".npz")

    def _load(self, model: str) -> dict[str, np.ndarray]:
        if model not in self._models:
            data: dict[str, np.ndarray] = {}
            path = self._path(model)
            if path.exists():
                with np.load(path) as npz:
                    keys, vecs = npz["keys"], npz["vecs"]
                    data = {str(k): vecs[i] for i, k in enumerate(keys)}
            self._models[model] = data
        return self._models[model]

    def get_embeddings(self, keys: Sequence[str], model: str) -> dict[str, np.ndarray]:
        """Return the cached embeddings among ``keys``."""
        data = self._load(model)
        return {k: data[k] for k in keys if k in data}

    def put_embeddings(self, items: Mapping[str, np.ndarray], model: str) -> None:
        """Add embeddings; the file is rewritten every ``autosave_every`` new items and on ``flush``."""
        data = self._load(model)
        for key, vec in items.items():
            data[key] = np.asarray(vec, dtype=np.float32)
        self._dirty[model] = self._dirty.get(model, 0) + len(items)
        if self._dirty[model] >= self.autosave_every:
            self.flush()

    def flush(self) -> None:
        """Write every model with unsaved embeddings (atomically, via a temporary file)."""
        for model, count in list(self._dirty.items()):
            if not count:
                continue
            data = self._models[model]
            keys = np.array(sorted(data))
            vecs = np.stack([data[k] for k in keys]) if len(keys) else np.zeros((0, 0), np.float32)
            fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".npz")
            os.close(fd)
            np.savez(tmp, keys=keys, vecs=vecs)
            os.replace(tmp, self._path(model))
            self._dirty[model] = 0


class CachedEncoder:
    """An ``Encoder`` that looks texts up in an ``EmbeddingCache`` and encodes only the misses."""

    def __init__(self, inner: Encoder, cache: EmbeddingCache | None = None) -> None:
        self.inner = inner
        self.cache: EmbeddingCache = cache if cache is not None else MemoryEmbeddingCache()
        self.name = inner.name
        self.dim = inner.dim
        self.hits = 0
        self.misses = 0

    def encode(self, texts: Sequence[str], kind: str = "passage") -> np.ndarray:
        """Embed texts, reusing cached vectors; duplicates within one call are encoded once."""
        check_kind(kind)
        keys = [text_key(t, kind) for t in texts]
        found = self.cache.get_embeddings(list(dict.fromkeys(keys)), self.name)
        missing: dict[str, str] = {}
        for key, text in zip(keys, texts, strict=True):
            if key not in found and key not in missing:
                missing[key] = text
        if missing:
            vecs = self.inner.encode(list(missing.values()), kind)
            fresh = dict(zip(missing.keys(), vecs, strict=True))
            self.cache.put_embeddings(fresh, self.name)
            found.update(fresh)
        self.hits += len(keys) - len(missing)
        self.misses += len(missing)
        out = np.zeros((len(keys), self.dim), dtype=np.float32)
        for i, key in enumerate(keys):
            out[i] = found[key]
        return out

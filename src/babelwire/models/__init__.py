"""Locate the trained models bundled with babelwire (currently the Swedish NER pipeline).

The models are plain spaCy pipeline directories shipped as package data, so they load with
``spacy.load(sv_ner_path())`` and need no network access.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["SV_NER_DIRNAME", "sv_ner_path"]

SV_NER_DIRNAME = "sv_ner"


def sv_ner_path() -> Path:
    """Return the directory of the bundled Swedish NER spaCy pipeline (``models/sv_ner``).

    The pipeline was trained on text with soft hyphens (U+00AD) removed; strip them from the
    input before calling it. See ``models/sv_ner/README.md`` for data, scores and licence.
    """
    return Path(__file__).resolve().parent / SV_NER_DIRNAME

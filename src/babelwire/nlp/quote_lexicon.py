"""Per-language quotation cues, pronouns, roles and medium patterns, loaded from ``resources/quotes.json``."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

#: A capitalised name as used inside medium patterns (``NAME`` in the resource file).
NAME_PATTERN = r"(?P<medium>[A-ZÀ-ÖØ-ÞĀ-Ž][\w&’'.-]*+(?:\s+[A-ZÀ-ÖØ-ÞĀ-Ž0-9][\w&’'.-]*+)*+)"


def _alternation(words: list[str]) -> str:
    """A regex alternation of literal phrases, longest first, with flexible inner spaces."""
    parts = sorted({w.strip() for w in words if w.strip()}, key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in parts)


@dataclass(frozen=True, slots=True)
class QuoteLexicon:
    """Everything language-specific the quotation finder needs."""

    lang: str
    cue: re.Pattern[str]
    source_cue: re.Pattern[str] | None
    medium: tuple[re.Pattern[str], ...]
    pronouns: dict[str, str]
    gender: dict[str, str]
    roles: frozenset[str]
    role_suffixes: tuple[str, ...]
    titles: frozenset[str]
    determiners: frozenset[str]
    stop: frozenset[str]
    prepositions: frozenset[str]
    self_medium: frozenset[str]
    medium_max_gap: int
    org_words: frozenset[str]
    min_words_unattributed: int


@lru_cache(maxsize=1)
def _raw() -> dict[str, dict[str, object]]:
    text = resources.files("babelwire.nlp").joinpath("resources/quotes.json").read_text(encoding="utf-8")
    data: dict[str, dict[str, object]] = json.loads(text)
    return data


def supported_languages() -> list[str]:
    """Languages with their own quotation cues."""
    return sorted(k for k in _raw() if k not in {"common", "_doc"})


def _merge(lang: str) -> dict[str, object]:
    """One language's entries; an unknown language gets the cues of every language together."""
    raw = _raw()
    if lang in raw and lang not in {"common", "_doc"}:
        return dict(raw[lang])
    merged: dict[str, object] = {}
    for code in supported_languages():
        for key, value in raw[code].items():
            if isinstance(value, list):
                merged.setdefault(key, [])
                merged[key] = [*merged[key], *value]  # type: ignore[misc]
            elif isinstance(value, dict):
                merged.setdefault(key, {})
                merged[key] = {**merged[key], **value}  # type: ignore[dict-item]
    return merged


def _strings(entry: dict[str, object], key: str) -> list[str]:
    value = entry.get(key, [])
    return [str(v) for v in value] if isinstance(value, list) else []


@lru_cache(maxsize=32)
def lexicon_for(lang: str | None) -> QuoteLexicon:
    """The lexicon of ``lang`` (cached); ``None`` or an unknown code merges all languages."""
    code = (lang or "").lower()
    entry = _merge(code)
    common = _raw()["common"]
    aux = _alternation(_strings(entry, "aux"))
    cues = _alternation(_strings(entry, "cues"))
    suffixes = _alternation(_strings(entry, "cue_suffixes"))
    aux_part = rf"(?:(?:{aux})\s+(?:\w+\s+)?)?" if aux else ""
    suffix_part = rf"(?:\s+(?:{suffixes}))?" if suffixes else ""
    cue = re.compile(rf"(?<![\w-])({aux_part}(?:{cues}){suffix_part})(?![\w-])", re.IGNORECASE)
    source = _alternation(_strings(entry, "source_cues"))
    source_cue = re.compile(rf"(?<![\w-])(?:{source})(?![\w-])", re.IGNORECASE) if source else None
    medium = tuple(
        re.compile(p.replace("NAME", NAME_PATTERN) if "(?P<medium>" not in p else p)
        for p in _strings(entry, "medium")
    )
    pronouns_raw = entry.get("pronouns", {})
    pronouns = (
        {str(k).lower(): str(v) for k, v in pronouns_raw.items()} if isinstance(pronouns_raw, dict) else {}
    )
    gender_raw = entry.get("gender", {})
    min_words = common.get("quote_min_words_unattributed", 5)
    return QuoteLexicon(
        lang=code,
        cue=cue,
        source_cue=source_cue,
        medium=medium,
        pronouns=pronouns,
        gender={str(k).lower(): str(v) for k, v in gender_raw.items()}
        if isinstance(gender_raw, dict)
        else {},
        roles=frozenset(w.lower() for w in _strings(entry, "roles")),
        role_suffixes=tuple(w.lower() for w in _strings(entry, "role_suffixes")),
        titles=frozenset(w.lower() for w in _strings(entry, "titles")),
        determiners=frozenset(w.lower() for w in _strings(entry, "determiners")),
        stop=frozenset(w.lower() for w in _strings(entry, "stop")),
        prepositions=frozenset(w.lower() for w in _strings(entry, "prepositions")),
        self_medium=frozenset(w.lower() for w in _strings(entry, "self_medium")),
        medium_max_gap=int(str(entry.get("medium_max_gap_words", 99))),
        org_words=frozenset(w.lower() for w in _strings(common, "org_words")),
        min_words_unattributed=int(min_words) if isinstance(min_words, int | str) else 5,
    )

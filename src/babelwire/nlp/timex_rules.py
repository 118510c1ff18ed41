"""Per-language time-expression patterns (``resources/timex_<lang>.json``) and their normalisers.

A language file holds word tables (months, weekdays, parts of the day, units, number words,
modifiers such as "last"/"förra"/"letzten", vague references) and a list of patterns. A pattern is
a regex whose ``{PLACEHOLDERS}`` expand to the word tables and whose named groups (``wd``,
``part``, ``mod``, ``unit``, ``num``, ``month``, ``day``, ``year``, ...) carry the meaning; its
``kind`` names the normaliser below that turns a match into a TIMEX3 type and value. Adding a
language means writing its JSON file; the algorithm does not change.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from typing import Any

_PLACEHOLDER = re.compile(r"\{([A-Z]+)\}")
_TIME_UNITS = {"H", "MIN", "S"}


@dataclass(frozen=True, slots=True)
class Pattern:
    kind: str
    regex: re.Pattern[str]
    options: dict[str, Any]


@dataclass(frozen=True, slots=True)
class TimexLexicon:
    """One language's tables and compiled patterns."""

    lang: str
    tables: dict[str, Any]
    patterns: tuple[Pattern, ...]
    future: re.Pattern[str] | None
    past: re.Pattern[str] | None
    capitalised_only: frozenset[str]
    generic: re.Pattern[str] | None = None

    def table(self, name: str) -> dict[str, Any]:
        value = self.tables.get(name, {})
        return value if isinstance(value, dict) else {}

    def words(self, name: str) -> list[str]:
        value = self.tables.get(name, [])
        return [str(v) for v in value] if isinstance(value, list) else []


def _alternation(words: list[str]) -> str:
    parts = sorted({w for w in words if w}, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in parts) + ")"


def available_languages() -> list[str]:
    """Languages with a ``timex_<lang>.json`` file."""
    folder = resources.files("babelwire.nlp").joinpath("resources")
    return sorted(
        p.name[6:-5] for p in folder.iterdir() if p.name.startswith("timex_") and p.name.endswith(".json")
    )


@lru_cache(maxsize=32)
def lexicon_for(lang: str | None) -> TimexLexicon:
    """The compiled lexicon of ``lang``; an unknown language falls back to English."""
    code = (lang or "en").lower()
    if code not in available_languages():
        code = "en"
    raw = (
        resources.files("babelwire.nlp").joinpath(f"resources/timex_{code}.json").read_text(encoding="utf-8")
    )
    tables: dict[str, Any] = json.loads(raw)
    expansions = {
        "MONTH": _alternation(list(tables.get("months", {}))),
        "WD": _alternation(list(tables.get("weekdays", {}))),
        "WDSTEM": _alternation(list(tables.get("weekday_stems", {})) or ["\x00"]),
        "CPART": _alternation(list(tables.get("compound_parts", {})) or ["\x00"]),
        "PART": _alternation(list(tables.get("parts", {}))),
        "SEASON": _alternation(list(tables.get("seasons", {}))),
        "UNIT": _alternation(list(tables.get("units", {}))),
        "NUM": _alternation(list(tables.get("numbers", {}))),
        "FUZZY": _alternation(list(tables.get("fuzzy", []))),
        "ORD": _alternation(list(tables.get("ordinals", {}))),
        "REL": _alternation(list(tables.get("rel_days", {}))),
        "LAST": _alternation(list(tables.get("last", []))),
        "NEXT": _alternation(list(tables.get("next", []))),
        "THIS": _alternation(list(tables.get("this", []))),
        "VAGUE": _alternation(list(tables.get("vague", {}))),
    }
    patterns = []
    for entry in tables.get("patterns", []):
        body = _PLACEHOLDER.sub(lambda m: expansions[m.group(1)], entry["re"])
        # not inside a word, nor after a decimal point ("magnitud 7,8 de abril": no 8 April)
        regex = re.compile(rf"(?<![\w-])(?<!\d[.,]){body}(?![\w]|-\w)", re.IGNORECASE)
        options = {k: v for k, v in entry.items() if k not in {"kind", "re"}}
        patterns.append(Pattern(entry["kind"], regex, options))
    future, past, generic = tables.get("future"), tables.get("past"), tables.get("generic")
    return TimexLexicon(
        lang=code,
        tables=tables,
        patterns=tuple(patterns),
        future=re.compile(future, re.IGNORECASE) if future else None,
        past=re.compile(past, re.IGNORECASE) if past else None,
        capitalised_only=frozenset(tables.get("capitalised_only", [])),
        generic=re.compile(generic, re.IGNORECASE) if generic else None,
    )


# ------------------------------------------------------------------------------ calendar helpers


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def weekday_date(anchor: date, weekday: int, offset: int | None, future: bool, past: bool = False) -> date:
    """The date of ``weekday`` near ``anchor``: last/next with an offset, else by tense, else nearest."""
    diff = weekday - anchor.weekday()
    if offset == -1:
        return anchor + timedelta(days=diff - 7 if diff >= 0 else diff)
    if offset == 1:
        return anchor + timedelta(days=diff + 7 if diff <= 0 else diff)
    if diff == 0:
        return anchor
    ahead, back = diff % 7, (-diff) % 7
    if future or (
        ahead < back and not past
    ):  # "on Monday" in a Friday report is next Monday, in a Tuesday one last
        return anchor + timedelta(days=ahead)
    return anchor - timedelta(days=back)


def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


def number_value(text: str, lex: TimexLexicon) -> float | None:
    """A number written in digits ("18", "2,5") or words ("two", "anderthalb")."""
    clean = re.sub(r"\s+", " ", text.strip().lower())
    numbers = lex.table("numbers")
    if clean in numbers:
        return float(numbers[clean])
    try:
        return float(clean.replace(",", "."))
    except ValueError:
        return None


def duration_value(amount: float | None, unit: str) -> str:
    """TIMEX3 duration: ``P18M``, ``PT68S``, ``PT1H30M``, ``PXW`` (amount unknown)."""
    if unit == "2W":
        unit, amount = "W", (amount or 1) * 2
    if unit == "DE":
        if amount is None:
            return "PXDE"
        unit, amount = "Y", amount * 10
    elif unit == "CE":
        unit, amount = "Y", None if amount is None else amount * 100
    elif unit == "WE":
        unit = "WE"
    letter = "M" if unit == "MIN" else unit
    prefix = "PT" if unit in _TIME_UNITS else "P"
    if amount is None:
        return f"{prefix}X{letter}"
    if amount != int(amount):
        if unit == "H":
            return f"PT{int(amount)}H{round((amount - int(amount)) * 60)}M"
        if unit == "Y" and amount * 12 == int(amount * 12):
            return f"P{int(amount * 12)}M"
        if unit == "D":
            return f"PT{int(amount * 24)}H"
        if unit == "MIN":
            return f"PT{int(amount * 60)}S"
        return f"{prefix}{amount:g}{letter}"
    return f"{prefix}{int(amount)}{letter}"

"""Find time expressions and normalise them to TIMEX3 against the publication date.

Per-language patterns (``resources/timex_<lang>.json``, compiled by ``timex_rules``) find the
candidates; overlapping candidates keep the longest; a time of day followed by its day ("0047 GMT
on Tuesday", "a las 03:20 de este martes") is merged into one expression; each expression is then
normalised by its kind, in text order, so that "the night" or "at 4:17 a.m." take the day named
last before them (the *reference date*, initially the publication date).

Why not dateparser alone: it misses Swedish and German compounds ("tisdagseftermiddagen",
"Montagabend") and part-of-day forms, and it turns phrases such as "a quarter of a century" or
"in the 18 months" into calendar dates. The rules here produce durations for those, and the
false positives are covered by tests.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from babelwire.model import Article, TimeExpr
from babelwire.nlp.timex_rules import (
    Pattern,
    TimexLexicon,
    duration_value,
    iso_week,
    lexicon_for,
    number_value,
    quarter_of,
    shift_month,
    weekday_date,
)

_JOINER = re.compile(r"\s*(?:on|de|del|am|le|,|på|the)?\s*", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)|\n")
_DAY_VALUE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_QUOTE_MARK = re.compile(r"[\"“”„«»‹›「」]")
_CLOCK = re.compile(r"T(\d{2}):(\d{2})$")
#: The hour a part of the day begins, to tell whether it can already have happened at publication.
_PART_START = {"MO": 4, "MI": 11, "AF": 12, "EV": 17, "NI": 20}
#: Before this hour a moment still belongs to the night of the day before ("0047 GMT" → last night).
_SMALL_HOURS = 6


@dataclass(slots=True)
class _Candidate:
    start: int
    end: int
    pattern: Pattern
    match: re.Match[str]
    day: _Candidate | None = None  # the day a time of day belongs to ("... on Tuesday")


def _group(m: re.Match[str], name: str) -> str | None:
    try:
        value = m.group(name)
    except IndexError:
        return None
    return value.lower() if value else None


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = max((m.end() for m in _SENTENCE_END.finditer(text, max(0, start - 300), start)), default=0)
    right = _SENTENCE_END.search(text, end)
    return left, right.start() if right else len(text)


class _Normaliser:
    """Turns candidates into TIMEX3 values, keeping the reference date as it goes."""

    def __init__(self, text: str, lex: TimexLexicon, published: datetime | None) -> None:
        self.text = text
        self.lex = lex
        self.anchor = published.date() if published is not None else None
        # the publication moment, when it has a time of day (a bare date parses as midnight)
        self.published = (
            published.replace(tzinfo=None) if published is not None and published.time() != time() else None
        )
        self.ref = self.anchor
        self.ref_time: str | None = None  # what follows "T" in the value that set ``ref`` ("NI", "00:47")
        self.named: list[date] = []  # every day named so far, in text order

    def _clause(self, cand: _Candidate) -> str:
        left, right = _sentence_bounds(self.text, cand.start, cand.end)
        left, right = max(left, cand.start - 50), min(right, cand.end + 30)  # the expression's own clause
        before, after = self.text[left : cand.start], self.text[cand.end : right]
        # a quotation mark separates the speaker's words from the reporter's: "…on Monday," he told
        marks = list(_QUOTE_MARK.finditer(before))
        if marks:
            before = before[marks[-1].end() :]
        mark = _QUOTE_MARK.search(after)
        if mark:
            after = after[: mark.start()]
        return before + " " + after

    def future(self, cand: _Candidate) -> bool:
        """Whether the clause around the expression speaks of the future ("will", "ska", "wird")."""
        return self.lex.future is not None and bool(self.lex.future.search(self._clause(cand)))

    def past(self, cand: _Candidate) -> bool:
        """Whether the clause is in a past tense (languages with a ``past`` pattern only)."""
        return self.lex.past is not None and bool(self.lex.past.search(self._clause(cand)))

    def offset(self, word: str | None) -> int | None:
        if word is None:
            return None
        word = re.sub(r"\s+", " ", word.strip().lower())
        if word in {w.lower() for w in self.lex.words("last")}:
            return -1
        if word in {w.lower() for w in self.lex.words("next")}:
            return 1
        return 0

    def weekday_and_part(self, word: str) -> tuple[int | None, str | None]:
        weekdays = self.lex.table("weekdays")
        if word in weekdays:
            return int(weekdays[word]), None
        for stem, index in sorted(self.lex.table("weekday_stems").items(), key=lambda kv: -len(kv[0])):
            if word.startswith(stem):
                rest = word[len(stem) :]
                parts = self.lex.table("compound_parts")
                for link in ("", "s"):
                    if rest.startswith(link) and rest[len(link) :] in parts:
                        part = parts[rest[len(link) :]]
                        return int(index), part or None
        return None, None

    def normalise(self, cand: _Candidate) -> tuple[str, str] | None:
        handler = getattr(self, f"_{cand.pattern.kind}", None)
        if handler is None:
            return None
        result: tuple[str, str] | None = handler(cand, cand.match, cand.pattern.options)
        if result is not None:
            day = _DAY_VALUE.match(result[1])
            if day and result[0] in {"DATE", "TIME"}:
                self.ref = date(int(day.group(1)), int(day.group(2)), int(day.group(3)))
                self.ref_time = result[1][11:] or None
                self.named.append(self.ref)
        return result

    def _started_by(self, day: date, hour: int, minute: int = 0) -> bool:
        """Whether ``hour:minute`` on ``day`` is not after the publication moment (true when unknown)."""
        return self.published is None or datetime.combine(day, time(hour, minute)) <= self.published

    def _happened(self, cand: _Candidate, day: date, hour: int, minute: int = 0) -> date:
        """``day``, or an earlier one when the moment would come after publication in a clause that
        does not speak of the future: a report out at 09:00 saying crews arrived "in the night" or
        "at eleven at night" means a night already over.

        The publication day is tried first (a later day named before is a plan, not the scene),
        then the last day named before the publication day, then the day before publication.
        """
        if self.anchor is None or self._started_by(day, hour, minute) or self.future(cand):
            return day
        if day > self.anchor and self._started_by(self.anchor, hour, minute):
            return self.anchor
        earlier = [d for d in self.named if d < self.anchor]
        return earlier[-1] if earlier else self.anchor - timedelta(days=1)

    def _night_owner(self) -> int:
        """-1 when the reference moment lies in the small hours, so "the night" began the day before."""
        clock = _CLOCK.search("T" + (self.ref_time or ""))
        if clock and int(clock.group(1)) < _SMALL_HOURS:
            return -1
        return 0

    # -- kinds ---------------------------------------------------------------------------------

    def _with_part(self, day: date | None, part: str | None, weekday: int | None = None) -> tuple[str, str]:
        value = day.isoformat() if day else f"XXXX-WXX-{weekday + 1}" if weekday is not None else "XXXX-XX-XX"
        return ("TIME", f"{value}T{part}") if part else ("DATE", value)

    def _weekday(self, cand: _Candidate, m: re.Match[str], opts: dict[str, Any]) -> tuple[str, str] | None:
        weekday, part = self.weekday_and_part(_group(m, "wd") or "")
        if weekday is None:
            return None
        part_word = _group(m, "part")
        if part_word:
            part = self.lex.table("parts").get(part_word, part)
        if part is None and _group(m, "early") in set(self.lex.words("early_morning")):
            part = "MO"  # "Freitag früh" is Friday morning; "early on Friday" stays the day (TimeBank)
        if part is None and opts.get("part"):
            part = str(opts["part"])
        offset = self.offset(_group(m, "mod") or _group(m, "modpost") or opts.get("mod"))
        if opts.get("night_before"):
            part = "NI"  # "in der Nacht zu Dienstag": Monday's night, as "Monday night" is
        if self.anchor is None:
            return self._with_part(None, part, (weekday - 1) % 7 if opts.get("night_before") else weekday)
        future = self.future(cand)
        day = weekday_date(self.anchor, weekday, offset, future, not future and self.past(cand))
        if opts.get("night_before"):
            day -= timedelta(days=1)
        return self._with_part(day, part)

    def _relday(self, cand: _Candidate, m: re.Match[str], opts: dict[str, Any]) -> tuple[str, str] | None:
        word = re.sub(r"\s+", " ", _group(m, "rel") or "")
        entry = self.lex.table("rel_days").get(word)
        if entry is None:
            return None
        if word in self.lex.words("lowercase_only") and not m.group("rel")[:1].islower():
            return None  # German "Morgen" is the morning, "morgen" tomorrow
        days, part = (entry[0], entry[1]) if isinstance(entry, list) else (entry, None)
        part_word = _group(m, "part")
        if part_word:
            part = self.lex.table("parts").get(part_word, part)
        if self.anchor is None:
            return (
                ("TIME", f"XXXX-XX-XXT{part}")
                if part
                else ("DATE", "PRESENT_REF" if days == 0 else "XXXX-XX-XX")
            )
        return self._with_part(self.anchor + timedelta(days=int(days)), part)

    def _part(self, cand: _Candidate, m: re.Match[str], opts: dict[str, Any]) -> tuple[str, str] | None:
        part = opts.get("part") or self.lex.table("parts").get(_group(m, "part") or "")
        if not part:
            return None
        if opts.get("anchor") == "dct" or self.ref is None:
            return self._with_part(self.anchor, str(part))
        day = self.ref
        if part == "MO" and self.ref_time == "NI":
            day += timedelta(days=1)  # the morning after the night just named
        elif part == "NI":
            day += timedelta(days=self._night_owner())
        return self._with_part(self._happened(cand, day, _PART_START.get(str(part), 0)), str(part))

    def _fixed(self, cand: _Candidate, m: re.Match[str], opts: dict[str, Any]) -> tuple[str, str] | None:
        value = str(opts["value"])
        if "{" in value:
            if self.anchor is None or self.ref is None:
                return None
            ref = self._happened(cand, self.ref, 0) if "{R}" in value else self.ref
            value = (
                value.replace("{Y}", str(self.anchor.year))
                .replace("{A}", self.anchor.isoformat())
                .replace("{R+1}", (self.ref + timedelta(days=1)).isoformat())
                .replace("{R}", ref.isoformat())
            )
        return str(opts.get("type", "DATE")), value

    def _unit_value(self, unit: str, day: date) -> str | None:
        if unit == "Y":
            return str(day.year)
        if unit == "M":
            return f"{day.year}-{day.month:02d}"
        if unit == "W":
            return iso_week(day)
        if unit == "WE":
            return f"{iso_week(day)}-WE"
        if unit == "D":
            return day.isoformat()
        if unit == "Q":
            return f"{day.year}-Q{quarter_of(day)}"
        if unit == "DE":
            return str(day.year)[:3]
        if unit == "CE":
            return str(day.year)[:2]
        return None

    def _ago(self, cand: _Candidate, m: re.Match[str], opts: dict[str, Any]) -> tuple[str, str] | None:
        unit = self.lex.table("units").get(_group(m, "unit") or "")
        amount = opts.get("num") or number_value(_group(m, "num") or "", self.lex)
        if not unit or not amount or self.anchor is None:
            return None
        sign = int(opts.get("sign", 1 if _group(m, "ago") in set(self.lex.words("later_words")) else -1))
        n = int(amount) * sign
        if unit == "Y" and re.search(
            self.lex.tables.get("quarter_context", r"(?!)"), self._clause(cand) + m.group()
        ):
            y, mo = shift_month(self.anchor.year, self.anchor.month, -3)  # "a year earlier" of a quarter
            return "DATE", f"{y + n}-Q{(mo - 1) // 3 + 1}"
        if unit == "Y":
            day = self.anchor.replace(year=self.anchor.year + n, day=min(self.anchor.day, 28))
        elif unit == "M":
            y, mo = shift_month(self.anchor.year, self.anchor.month, n)
            day = date(y, mo, 1)
        elif unit in {"W", "D"}:
            day = self.anchor + timedelta(days=n * (7 if unit == "W" else 1))
        else:
            return None
        value = self._unit_value(str(opts.get("granularity", unit)), day)
        return ("DATE", value) if value else None

    def _half(self, cand: _Candidate, m: re.Match[str], opts: dict[str, Any]) -> tuple[str, str] | None:
        half = self.lex.table("ordinals").get(_group(m, "ord") or "")
        if half not in {1, 2}:
            return None
        if _group(m, "year"):
            return "DATE", f"{m.group('year')}-H{half}"
        if self.anchor is None:
            return "DATE", f"XXXX-H{half}"
        offset = self.offset(_group(m, "mod")) or 0
        return "DATE", f"{self.anchor.year + offset}-H{half}"

    def _relunit(self, cand: _Candidate, m: re.Match[str], opts: dict[str, Any]) -> tuple[str, str] | None:
        word = _group(m, "unit") or str(opts.get("unit", ""))
        seasons = self.lex.table("seasons")
        offset = self.offset(_group(m, "mod") or _group(m, "modpost") or opts.get("mod"))
        offset = 0 if offset is None else offset
        if self.anchor is None:
            return ("DATE", "XXXX") if word not in seasons else ("DATE", f"XXXX-{seasons[word]}")
        if word in seasons:
            season = str(seasons[word])
            year = self.anchor.year + offset
            ends = {"SP": 5, "SU": 8, "FA": 11}
            if offset == -1 and season in ends and self.anchor.month > ends[season]:
                year += 1  # "last summer" said in October: this year's summer
            return "DATE", f"{year}-{season}"
        unit = self.lex.table("units").get(word, "")
        if unit == "Y":
            day = self.anchor.replace(year=self.anchor.year + offset, day=min(self.anchor.day, 28))
        elif unit == "M":
            y, mo = shift_month(self.anchor.year, self.anchor.month, offset)
            day = date(y, mo, 1)
        elif unit in {"W", "WE"}:
            day = self.anchor + timedelta(days=7 * offset)
        elif unit == "Q":
            y, mo = shift_month(self.anchor.year, self.anchor.month, 3 * offset)
            day = date(y, mo, 1)
        elif unit == "DE":
            day = self.anchor.replace(year=self.anchor.year + 10 * offset, day=1)
        elif unit == "D":
            day = self.anchor + timedelta(days=offset)
        else:
            return None
        value = self._unit_value(unit, day)
        return ("DATE", value) if value else None

    def _quarter(self, cand: _Candidate, m: re.Match[str], opts: dict[str, Any]) -> tuple[str, str] | None:
        q = self.lex.table("ordinals").get(_group(m, "ord") or "")
        if not q or not 1 <= int(q) <= 4:
            return None
        year_text = _group(m, "year")
        if year_text:
            return "DATE", f"{year_text}-Q{q}"
        if self.anchor is None:
            return "DATE", f"XXXX-Q{q}"
        year = self.anchor.year
        if int(q) > quarter_of(self.anchor) and not self.future(cand):
            year -= 1
        return "DATE", f"{year}-Q{q}"

    def _quarter_prev(
        self, cand: _Candidate, m: re.Match[str], opts: dict[str, Any]
    ) -> tuple[str, str] | None:
        if self.anchor is None:
            return None
        y, mo = shift_month(self.anchor.year, self.anchor.month, -3)
        if _group(m, "ago"):
            y -= 1
        return "DATE", f"{y}-Q{(mo - 1) // 3 + 1}"

    def _month(self, cand: _Candidate, m: re.Match[str], opts: dict[str, Any]) -> tuple[str, str] | None:
        word = _group(m, "month") or ""
        month = self.lex.table("months").get(word)
        if month is None:
            return None
        raw = m.group("month")
        if word.rstrip(".") in self.lex.capitalised_only and not raw[:1].isupper():
            return None
        if self.lex.tables.get("months_lowercase") and raw[:1].isupper():
            before = self.text[max(0, m.start("month") - 3) : m.start("month")]
            if m.start("month") > 0 and not re.search(r"(?:^|[.!?:\n]\s*)$", before):
                return None  # "Le Mars Café": French, Spanish and Swedish months are written in lower case
        day_text, year_text = _group(m, "day"), _group(m, "year")
        abbreviated = any(k != word and k.startswith(word) for k in self.lex.table("months"))
        if abbreviated and not word.endswith(".") and not (day_text or year_text):
            return None  # "Jan" alone is a name; "Oct 27" is a date
        day = int(day_text) if day_text and 1 <= int(day_text) <= 31 else None
        if year_text:
            year: int | None = int(year_text)
        elif self.anchor is None:
            year = None
        else:
            year = self.anchor.year
            offset = self.offset(_group(m, "mod"))
            if offset == -1 and month >= self.anchor.month:
                year -= 1
            elif offset == 1 and month <= self.anchor.month:
                year += 1
            elif offset is None and month > self.anchor.month + 2 and not self.future(cand):
                year -= 1
            elif offset is None and month < self.anchor.month - 1 and self.future(cand):
                year += 1
        if (
            self.anchor is not None
            and (year, month) == (self.anchor.year, self.anchor.month)
            and not (day_text or year_text or _group(m, "mod"))
            and self.lex.generic is not None
            and self.lex.generic.search(self._clause(cand))
        ):
            year = None  # "In October we should be talking about mushrooms", said in October: any October
        head = f"{year}-{month:02d}" if year else f"XXXX-{month:02d}"
        if day:
            try:
                date(year or 2000, month, day)
            except ValueError:
                return "DATE", head
            return "DATE", f"{head}-{day:02d}"
        return "DATE", head

    def _date(self, cand: _Candidate, m: re.Match[str], opts: dict[str, Any]) -> tuple[str, str] | None:
        try:
            return "DATE", date(int(m.group("year")), int(m.group("mon")), int(m.group("day"))).isoformat()
        except ValueError:
            return None

    def _season_year(
        self, cand: _Candidate, m: re.Match[str], opts: dict[str, Any]
    ) -> tuple[str, str] | None:
        season = self.lex.table("seasons").get(_group(m, "season") or "")
        return ("DATE", f"{m.group('year')}-{season}") if season else None

    def _year(self, cand: _Candidate, m: re.Match[str], opts: dict[str, Any]) -> tuple[str, str] | None:
        return "DATE", m.group("year")

    def _decade(self, cand: _Candidate, m: re.Match[str], opts: dict[str, Any]) -> tuple[str, str] | None:
        return "DATE", m.group("decade")

    def _duration(self, cand: _Candidate, m: re.Match[str], opts: dict[str, Any]) -> tuple[str, str] | None:
        units = self.lex.table("units")
        fuzzy_unit = _group(m, "fuzzy_unit")
        if fuzzy_unit:
            return "DURATION", duration_value(None, units.get(fuzzy_unit, ""))
        word = _group(m, "unit") or ""
        if opts.get("fraction"):
            whole = units.get(_group(m, "unit2") or "")
            fraction = {"quarter": 0.25, "half": 0.5}.get(word, 1.0)
            scale = {"CE": (100, "Y"), "DE": (10, "Y"), "Y": (1, "Y"), "D": (24, "H"), "H": (60, "MIN")}
            if whole not in scale:
                return None
            factor, base = scale[whole]
            return "DURATION", duration_value(fraction * factor, base)
        unit = units.get(word)
        if not unit:
            return None
        if _group(m, "fuzzy"):
            return "DURATION", duration_value(None, unit)
        amount = number_value(_group(m, "num") or "", self.lex)
        if amount is None or amount > 1000:
            return None
        if unit == "Q":
            return "DURATION", f"P{amount:g}Q"
        return "DURATION", duration_value(amount, unit)

    def _set(self, cand: _Candidate, m: re.Match[str], opts: dict[str, Any]) -> tuple[str, str] | None:
        adverb = _group(m, "adverb")
        units = self.lex.table("units")
        if adverb:
            unit = self.lex.table("set_adverbs").get(adverb)
            return ("SET", f"P1{unit}") if unit else None
        word = _group(m, "unit") or ""
        seasons, parts, weekdays = (
            self.lex.table("seasons"),
            self.lex.table("parts"),
            self.lex.table("weekdays"),
        )
        if word in seasons:
            return "SET", f"XXXX-{seasons[word]}"
        if word in parts:
            return "SET", f"XXXX-XX-XXT{parts[word]}"
        if word in weekdays:
            return "SET", f"XXXX-WXX-{int(weekdays[word]) + 1}"
        unit = units.get(word)
        return ("SET", duration_value(1, unit)) if unit else None

    def _vague(self, cand: _Candidate, m: re.Match[str], opts: dict[str, Any]) -> tuple[str, str] | None:
        value = self.lex.table("vague").get(re.sub(r"\s+", " ", _group(m, "vague") or ""))
        return ("DATE", str(value)) if value else None

    def _time(self, cand: _Candidate, m: re.Match[str], opts: dict[str, Any]) -> tuple[str, str] | None:
        noon = _group(m, "noon")
        day = self.ref
        if noon:
            hour, minute = (12, 0) if noon in set(self.lex.words("noon_words")) or noon == "noon" else (0, 0)
            if (hour, minute) == (0, 0) and day is not None:
                day += timedelta(days=1)  # midnight ends the day named before
        else:
            hour_value = number_value(_group(m, "hour") or "", self.lex)
            if hour_value is None or hour_value != int(hour_value):
                return None
            hour, minute = int(hour_value), int(_group(m, "minute") or 0)
            ampm = re.sub(r"\s+", " ", _group(m, "ampm") or "").replace(".", "")
            if ampm == "pm" and hour < 12:
                hour += 12
            elif ampm == "am" and hour == 12:
                hour = 0
            elif ampm in set(self.lex.words("pm_parts")) and 1 <= hour < 12:
                hour += 12  # "las once de la noche"
        if hour > 24 or minute > 59:
            return None
        if cand.day is not None:
            result = self.normalise(cand.day)
            if result is not None and _DAY_VALUE.match(result[1]):
                day = self.ref
        elif day is not None and not noon and hour < 24:
            day = self._happened(cand, day, hour, minute)
        head = day.isoformat() if day else "XXXX-XX-XX"
        return "TIME", f"{head}T{hour:02d}:{minute:02d}"


def _candidates(text: str, lex: TimexLexicon) -> list[_Candidate]:
    found: list[_Candidate] = []
    for pattern in lex.patterns:
        for m in pattern.regex.finditer(text):
            if m.end() > m.start() and _plausible(text, m, pattern, lex):
                found.append(_Candidate(m.start(), m.end(), pattern, m))
    found.sort(key=lambda c: (-(c.end - c.start), c.start))
    chosen: list[_Candidate] = []
    taken = bytearray(len(text) + 1)
    for cand in found:
        if any(taken[cand.start : cand.end]):
            continue
        taken[cand.start : cand.end] = b"\x01" * (cand.end - cand.start)
        chosen.append(cand)
    chosen.sort(key=lambda c: c.start)
    merged: list[_Candidate] = []
    for cand in chosen:
        prev = merged[-1] if merged else None
        if (
            prev is not None
            and prev.pattern.kind == "time"
            and prev.day is None
            and cand.pattern.kind in {"weekday", "relday"}
            and _JOINER.fullmatch(text, prev.end, cand.start)
        ):
            prev.day, prev.end = cand, cand.end
            continue
        merged.append(cand)
    return merged


def _plausible(text: str, m: re.Match[str], pattern: Pattern, lex: TimexLexicon) -> bool:
    """Filters against false positives: "Natura 2000", bare small numbers, model names."""
    if pattern.kind == "year" and m.group("year") == m.group(0):
        before = text[max(0, m.start() - 30) : m.start()]
        word = re.search(r"(\S+)\s*$", before)
        capital_ok = bool(lex.tables.get("year_after_capital"))  # German nouns are capitalised
        if (
            word
            and not capital_ok
            and word.group(1)[:1].isupper()
            and not re.search(r"[.!?:]\s*\S+\s*$", before)
        ):
            return False  # "Natura 2000", "Agenda 2030": part of a name
        if word and re.fullmatch(r"[\d.,]+|[$€£]|nr|no\.|nummer|numéro|número", word.group(1).lower()):
            return False
        after = text[m.end() : m.end() + 14].lower()
        if re.match(
            r"\s*(?:%|m\b|km\b|kg\b|mw\b|tonnes|tons|people|personer|menschen|euros?|dollars?|kronor)", after
        ):
            return False
    return True


def find_timexes(text: str, lang: str | None, anchor: datetime | None) -> list[TimeExpr]:
    """Time expressions in ``text``, normalised against ``anchor`` (the publication date) when known."""
    lex = lexicon_for(lang)
    normaliser = _Normaliser(text, lex, anchor)
    out: list[TimeExpr] = []
    for cand in _candidates(text, lex):
        try:
            result = normaliser.normalise(cand)
        except (OverflowError, ValueError):  # date arithmetic past year 1 or 9999 (an extreme anchor)
            continue
        if result is None:
            continue
        kind, value = result
        out.append(TimeExpr(text[cand.start : cand.end], cand.start, cand.end, kind, value))
    return out


def event_date(timexes: list[TimeExpr], anchor: datetime | None, text_length: int = 0) -> str | None:
    """The day the reported event most likely happened: the day-level date named most, early first.

    Dates in the first fifth of the article count double; dates more than a day after publication
    are plans, not the event. Without any, the publication day.
    """
    scores: Counter[str] = Counter()
    first_at: dict[str, int] = {}
    limit: date | None = None
    if anchor is not None:
        try:
            limit = anchor.date() + timedelta(days=1)
        except OverflowError:  # published on the last day datetime knows: nothing lies after it
            limit = None
    for t in timexes:
        day = _DAY_VALUE.match(t.value)
        if not day or t.type not in {"DATE", "TIME"}:
            continue
        value = day.group(0)
        if limit is not None and date.fromisoformat(value) > limit:
            continue
        early = text_length and t.start < text_length / 5
        scores[value] += 2 if early else 1
        first_at.setdefault(value, t.start)
    if scores:
        return max(scores, key=lambda v: (scores[v], -first_at[v]))
    return anchor.date().isoformat() if anchor else None


class TimeStage:
    """Attach time expressions (``article.timexes``) and the event date estimate (``article.event_date``)."""

    name = "time"
    version = "1"
    requires: tuple[str, ...] = ("text", "lang", "sentences")
    provides: tuple[str, ...] = ("timexes", "event_date")
    skip_duplicates = False

    def run(self, articles: list[Article]) -> None:
        """Find and normalise the time expressions of each article in place."""
        for article in articles:
            article.timexes = find_timexes(article.text, article.lang, article.published)
            article.event_date = event_date(article.timexes, article.published, len(article.text))

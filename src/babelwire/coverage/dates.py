"""Dates and clock times in a sentence: from the time stage's TIMEX3 values, or a light fallback."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from babelwire.model import TimeExpr
from babelwire.stories.features import fold

_MONTHS: dict[str, int] = {}
for _names in (
    "january february march april may june july august september october november december",
    "januari februari mars april maj juni juli augusti september oktober november december",
    "januar februar marz april mai juni juli august september oktober november dezember",
    "janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre",
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
):
    for _number, _name in enumerate(_names.split(), start=1):
        _MONTHS[_name] = _number
for _abbr, _number in {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
                       "sept": 9, "oct": 10, "okt": 10, "nov": 11, "dec": 12, "dez": 12}.items():  # fmt: skip
    _MONTHS.setdefault(_abbr, _number)
_MONTHS.pop("may", None)  # the English modal verb; "May 3" is still read by the day-month pattern below
_MONTH_ALT = "|".join(sorted([*_MONTHS, "may"], key=len, reverse=True))

_WEEKDAYS: dict[str, int] = {}
for _names in (
    "monday tuesday wednesday thursday friday saturday sunday",
    "mandag tisdag onsdag torsdag fredag lordag sondag",
    "montag dienstag mittwoch donnerstag freitag samstag sonntag",
    "lundi mardi mercredi jeudi vendredi samedi dimanche",
    "lunes martes miercoles jueves viernes sabado domingo",
):
    for _number, _name in enumerate(_names.split()):
        _WEEKDAYS[_name] = _number
_WEEKDAY_RE = re.compile(r"(?<!\w)(" + "|".join(_WEEKDAYS) + r")(?:s|en|s?morgen|s?abend|s?kvallen|"
                         r"s?morgonen|s?eftermiddagen|en)?(?!\w)")  # fmt: skip
_DAY_MONTH = re.compile(rf"(?<!\w)(\d{{1,2}})\.?\s*(?:de\s+)?({_MONTH_ALT})\b\.?(?:\s+(?:de\s+)?(\d{{4}}))?")
_MONTH_DAY = re.compile(rf"(?<!\w)({_MONTH_ALT})\.?\s+(\d{{1,2}})(?!\d)(?:,?\s+(\d{{4}}))?")
_MONTH_YEAR = re.compile(rf"(?<!\w)({_MONTH_ALT})\s+(?:de\s+)?(\d{{4}})(?!\d)")
_YEAR = re.compile(r"(?<![\w.,])(19\d\d|20\d\d)(?![\w.,]\d)")
_CLOCK = re.compile(
    r"(?<![\w.:])(\d{1,2})[:.](\d{2})(?![\d])(\s*(?:a\.m\.|p\.m\.|am\b|pm\b))?(\s*(?:uhr|h\b|hora|heures)?)"
    r"(\s*\(?(?:gmt|utc))?"
)
_CLOCK_CUE = re.compile(r"(?:kl\.?|klockan|um|at|a las|à|vers|gegen|around)\s*$")
_FUTURE = re.compile(
    r"\b(will|expected|expects|hoped|hopes|plans?|should|next|scheduled|ska|skall|väntas|kommer att|nästa|"
    r"soll|sollen|wird|werden|nächste|kommende|prevé|espera|próxim|va a|doit|devrait|prochain|espère|by|"
    r"until|bis|till|hasta|jusqu)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class DateValue:
    """A normalised date or time in a sentence: TIMEX3-like ``value`` and its ``grain``."""

    value: str  # "2026-10-27", "2026-10", "2032", "T19:42", "T18:45Z"
    grain: str  # day | month | year | time
    start: int  # offsets relative to the sentence
    end: int
    approx: bool = False  # a clock time told loosely: on the full hour, or "around", "shortly after"

    @property
    def display(self) -> str:
        """The value shown to readers."""
        return self.value.lstrip("T") if self.grain == "time" else self.value


#: Words before a clock time that say it is approximate ("around 11 pm", "strax efter klockan 19").
_LOOSE = re.compile(
    r"(?:around|about|shortly (?:after|before)|just (?:after|before)|some time after|"
    r"gegen|etwa|kurz (?:nach|vor)|vers|environ|peu (?:après|avant)|"
    r"hacia|sobre|alrededor de|poco (?:después|antes) de|cerca de|"
    r"omkring|ungefär|runt|strax (?:efter|före)|vid)\W*(?:(?:kl\.?|klockan|um|at|à|a las|las)\s*)?$",
    re.IGNORECASE,
)


def loose_time(sentence: str, start: int, minute: int, end: int | None = None) -> bool:
    """True when a clock time is approximate: on the full hour, or after a word such as "around".

    Reports round times: "shortly after 7 pm" and "at 19:10" tell the same moment, so a time on
    the full hour, or one that a report hedges, agrees with another that is close to it.
    """
    after = sentence[end : end + 8].lower() if end is not None else ""
    return minute == 0 or bool(_LOOSE.search(sentence[max(0, start - 40) : start])) or "-tiden" in after


def from_timexes(
    timexes: list[TimeExpr], start: int, end: int, sentence: str | None = None
) -> list[DateValue]:
    """The DATE/TIME expressions of the time stage that fall inside ``[start, end)`` of the article.

    ``sentence`` (the text of ``[start, end)``) lets a clock time be marked approximate.
    """
    out: list[DateValue] = []
    for tx in timexes:
        if tx.start < start or tx.end > end or tx.type not in ("DATE", "TIME"):
            continue
        value = tx.value
        if m := re.fullmatch(r"(\d{4}-\d\d-\d\d)T(\d\d:\d\d)(.*)", value):
            zone = "Z" if m.group(3) in ("Z", "+00:00") else ""
            loose = loose_time(sentence or "", tx.start - start, int(m.group(2)[3:]), tx.end - start)
            out.append(DateValue(f"T{m.group(2)}{zone}", "time", tx.start - start, tx.end - start, loose))
            out.append(DateValue(m.group(1), "day", tx.start - start, tx.end - start))
        elif re.fullmatch(r"\d{4}-\d\d-\d\d", value):
            out.append(DateValue(value, "day", tx.start - start, tx.end - start))
        elif re.fullmatch(r"\d{4}-\d\d", value):
            out.append(DateValue(value, "month", tx.start - start, tx.end - start))
        elif re.fullmatch(r"\d{4}", value):
            out.append(DateValue(value, "year", tx.start - start, tx.end - start))
    return out


def _resolve_weekday(weekday: int, sentence: str, published: datetime | None) -> str | None:
    if published is None:
        return None
    base = published.date()
    delta = weekday - base.weekday()
    if delta == 0:
        return base.isoformat()
    forward = _FUTURE.search(sentence) is not None
    day: date = base + timedelta(days=delta % 7) if forward else base - timedelta(days=(-delta) % 7)
    return day.isoformat()


def extract_dates(sentence: str, published: datetime | None) -> list[DateValue]:
    """Dates, months, years, weekdays (resolved against ``published``) and clock times in a sentence."""
    folded = fold(sentence)  # same length as the sentence for the scripts we read
    if len(folded) != len(sentence):
        folded = sentence.lower()
    year = published.year if published else None
    out: list[DateValue] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return not any(s < te and ts < e for ts, te in taken)

    def add(value: str, grain: str, s: int, e: int) -> None:
        out.append(DateValue(value, grain, s, e))
        taken.append((s, e))

    for m in _DAY_MONTH.finditer(folded):
        day, month = int(m.group(1)), _MONTHS.get(m.group(2), 5)
        y = int(m.group(3)) if m.group(3) else year
        if 1 <= day <= 31 and y:
            add(f"{y:04d}-{month:02d}-{day:02d}", "day", m.start(), m.end())
    for m in _MONTH_DAY.finditer(folded):
        if m.group(1) == "may" and not sentence[m.start()].isupper():
            continue
        day, month = int(m.group(2)), _MONTHS.get(m.group(1), 5)
        y = int(m.group(3)) if m.group(3) else year
        if 1 <= day <= 31 and y and free(m.start(), m.end()):
            add(f"{y:04d}-{month:02d}-{day:02d}", "day", m.start(), m.end())
    for m in _MONTH_YEAR.finditer(folded):
        if free(m.start(), m.end()) and m.group(1) != "may":
            add(f"{int(m.group(2)):04d}-{_MONTHS[m.group(1)]:02d}", "month", m.start(), m.end())
    for m in _CLOCK.finditer(folded):
        ampm, unit, zone = m.group(3), m.group(4), m.group(5)
        cue = _CLOCK_CUE.search(folded[: m.start()]) is not None
        if not (
            ampm or (unit and unit.strip()) or zone or cue or sentence[m.start() + len(m.group(1))] == ":"
        ):
            continue
        hour, minute = int(m.group(1)), int(m.group(2))
        if ampm and "p" in ampm and hour < 12:
            hour += 12
        if hour < 24 and minute < 60 and free(m.start(), m.end()):
            add(f"T{hour:02d}:{minute:02d}{'Z' if zone else ''}", "time", m.start(), m.end())
            if loose_time(sentence, m.start(), minute, m.end()):
                out[-1] = DateValue(out[-1].value, "time", m.start(), m.end(), approx=True)
    for m in _YEAR.finditer(folded):
        if free(m.start(), m.end()):
            add(m.group(1), "year", m.start(), m.end())
    for m in _WEEKDAY_RE.finditer(folded):
        value = _resolve_weekday(_WEEKDAYS[m.group(1)], sentence, published)
        if value and free(m.start(), m.end()):
            add(value, "day", m.start(), m.end())
    return out


#: An approximate clock time agrees with another this many minutes from it.
LOOSE_MINUTES = 20


def dates_differ(a: DateValue, b: DateValue) -> bool:
    """Two values of the same grain that name different moments (clock times across zones compare minutes).

    A clock time told loosely (:func:`loose_time`) does not differ from one within
    ``LOOSE_MINUTES`` of it.
    """
    if a.grain != b.grain or a.value == b.value:
        return False
    if a.grain == "time" and (a.approx or b.approx) and a.value.endswith("Z") == b.value.endswith("Z"):
        return date_distance(a, b) > LOOSE_MINUTES
    if a.grain == "time" and a.value.endswith("Z") != b.value.endswith("Z"):
        return a.value[4:6] != b.value[4:6]  # an unknown zone offset hides the hour, not the minutes
    return True


def date_distance(a: DateValue, b: DateValue) -> float:
    """How far apart two values of one grain are (days, months, years or minutes); smaller pairs first."""
    try:
        if a.grain == "day":
            return abs((date.fromisoformat(a.value) - date.fromisoformat(b.value)).days)
        if a.grain == "month":
            ya, ma = map(int, a.value.split("-"))
            yb, mb = map(int, b.value.split("-"))
            return abs((ya * 12 + ma) - (yb * 12 + mb))
        if a.grain == "year":
            return abs(int(a.value) - int(b.value))
        ha, mi_a = int(a.value[1:3]), int(a.value[4:6])
        hb, mi_b = int(b.value[1:3]), int(b.value[4:6])
        return abs((ha * 60 + mi_a) - (hb * 60 + mi_b))
    except ValueError:
        return float("inf")

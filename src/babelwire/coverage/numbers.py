"""Quantities in a sentence: digits and number words (en/sv/de/fr/es), scale words, units and hedges."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from babelwire.stories.features import fold

#: Number words by language (folded); a compound like "vingt-trois" is summed part by part.
_UNITS_TENS = [
    0,
    2,
    3,
    4,
    5,
    6,
    7,
    8,
    9,
    10,
    11,
    12,
    13,
    14,
    15,
    16,
    17,
    18,
    19,
    20,
    30,
    40,
    50,
    60,
    70,
    80,
    90,
]


def _table(words: str, values: list[int] = _UNITS_TENS) -> dict[str, float]:
    """Number words (space-separated, folded) paired with their values."""
    return {word: float(value) for word, value in zip(words.split(), values, strict=True)}


_WORDS: dict[str, dict[str, float]] = {
    "en": _table(
        "zero two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety"
    ),
    "sv": _table(
        "noll tva tre fyra fem sex sju atta nio tio elva tolv tretton fjorton femton sexton sjutton arton "
        "nitton tjugo trettio fyrtio femtio sextio sjuttio attio nittio"
    ),
    "de": _table(
        "null zwei drei vier funf sechs sieben acht neun zehn elf zwolf dreizehn vierzehn funfzehn "
        "sechzehn siebzehn achtzehn neunzehn zwanzig dreissig vierzig funfzig sechzig siebzig achtzig neunzig"
    ),
    "fr": _table(
        "zero deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize "
        "vingt trente quarante cinquante soixante",
        [0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 20, 30, 40, 50, 60],
    ),
    "es": _table(
        "cero dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince dieciseis "
        "diecisiete dieciocho diecinueve veinte treinta cuarenta cincuenta sesenta setenta ochenta noventa"
    ),
}
_ALL_WORDS: dict[str, float] = {w: v for table in _WORDS.values() for w, v in table.items()}
#: Words that are number words in one language and ordinary words in another ("sex", "once", "elf").
_CLASHES = frozenset({"sex", "once", "elf", "tre", "null", "six", "acht", "sept", "huit"})

#: Scale words (folded) that multiply the number before them.
_SCALES: dict[str, float] = {
    "thousand": 1e3, "tusen": 1e3, "tausend": 1e3, "mille": 1e3, "mil": 1e3,
    "million": 1e6, "millions": 1e6, "miljon": 1e6, "miljoner": 1e6, "millionen": 1e6, "mio": 1e6,
    "millones": 1e6, "millon": 1e6, "billion": 1e9, "billions": 1e9, "miljard": 1e9, "miljarder": 1e9,
    "milliarde": 1e9, "milliarden": 1e9, "mrd": 1e9, "milliard": 1e9, "milliards": 1e9,
}  # fmt: skip
#: Vague quantities: "dozens", "hundreds", "thousands" in each language (compared only with each other).
_VAGUE: dict[str, float] = {
    "dozens": 12, "dutzende": 12, "decenas": 10, "dizaines": 10, "tiotals": 10,
    "hundreds": 100, "hunderte": 100, "cientos": 100, "centenares": 100, "centaines": 100, "hundratals": 100,
    "thousands": 1e3, "tausende": 1e3, "miles": 1e3, "milliers": 1e3, "tusentals": 1e3,
    "millions": 1e6,
}  # fmt: skip
#: Approximate round numbers: "ett sextiotal", "une vingtaine", "una treintena".
_APPROX_WORDS: dict[str, float] = {
    "tiotal": 10, "tjugotal": 20, "trettiotal": 30, "fyrtiotal": 40, "femtiotal": 50, "sextiotal": 60,
    "sjuttiotal": 70, "attiotal": 80, "hundratal": 100, "dizaine": 10, "douzaine": 12, "quinzaine": 15,
    "vingtaine": 20, "trentaine": 30, "quarantaine": 40, "cinquantaine": 50, "soixantaine": 60,
    "centaine": 100, "decena": 10, "docena": 12, "veintena": 20, "treintena": 30, "cuarentena": 40,
    "cincuentena": 50, "centenar": 100,
}  # fmt: skip
#: Units (folded word -> canonical unit); a currency unit is also recognised before the number.
_UNITS: dict[str, str] = {
    "km": "km", "kilometre": "km", "kilometres": "km", "kilometer": "km", "kilometers": "km",
    "kilometern": "km", "kilometro": "km", "kilometros": "km", "kilometres-": "km",
    "mile": "mi", "miles": "mi", "millas": "mi", "meilen": "mi",  # after a number; "miles de" is vague
    "m": "m", "metre": "m", "metres": "m", "meter": "m", "meters": "m", "metern": "m", "metros": "m",
    "ha": "ha", "hectare": "ha", "hectares": "ha", "hektar": "ha", "hectareas": "ha",
    "%": "%", "percent": "%", "procent": "%", "procents": "%", "prozent": "%", "pourcent": "%",
    "eur": "EUR", "euro": "EUR", "euros": "EUR", "€": "EUR", "usd": "USD", "dollars": "USD", "$": "USD",
    "dollar": "USD", "dolares": "USD", "sek": "SEK", "kronor": "SEK", "kr": "SEK",
    "magnitude": "mag", "magnitud": "mag", "magnituden": "mag", "starke": "mag",
    "grad": "deg", "degrees": "deg", "grados": "deg", "degres": "deg",
    "tonnes": "t", "tons": "t", "tonnen": "t", "ton": "t", "toneladas": "t",
    "hours": "h", "stunden": "h", "timmar": "h", "heures": "h", "horas": "h",
    "minutes": "min", "minuten": "min", "minuter": "min", "minutos": "min",
    "seconds": "s", "sekunden": "s", "sekunder": "s", "secondes": "s", "segundos": "s",
    "days": "d", "day": "d", "tage": "d", "tagen": "d", "dagar": "d", "dagars": "d", "dygn": "d",
    "jours": "d", "dias": "d", "weeks": "wk", "week": "wk", "wochen": "wk", "veckor": "wk",
    "semaines": "wk", "semanas": "wk", "months": "mo", "month": "mo", "monate": "mo", "monaten": "mo",
    "manader": "mo", "mois": "mo", "meses": "mo",
    "years": "y", "jahre": "y", "jahren": "y", "ar": "y", "ans": "y", "anos": "y",
}  # fmt: skip
#: The units that are sums of money.
CURRENCIES = frozenset({"EUR", "USD", "SEK"})
#: Letters right after digits that make an ordinal ("17th-century", "le 19e siècle"): not a quantity.
_ORDINAL_SUFFIXES = frozenset({"st", "nd", "rd", "th", "e", "er", "ere", "eme", "o", "a"})
#: Words before a number that name the unit ("magnitude 6.1", "SEK 298", "€40 million").
_PREFIX_UNITS: dict[str, str] = {
    "magnitude": "mag", "magnitud": "mag", "magnituden": "mag", "starke": "mag", "sek": "SEK",
    "eur": "EUR", "€": "EUR", "$": "USD", "usd": "USD",
}  # fmt: skip
#: Hedges before a number (folded, as word sequences) and the sign they give the value.
_HEDGES: list[tuple[tuple[str, ...], str]] = [
    (tuple(h.split()), sign)
    for sign, words in {
        ">": "at least|more than|over|mindestens|mehr als|uber|minst|mer an|over|au moins|plus de|"
        "al menos|mas de|por lo menos|upwards of",
        "~": "about|around|some|roughly|approximately|nearly|almost|rund|etwa|ungefahr|knapp|fast|"
        "omkring|cirka|ungefar|runt|nastan|environ|quelque|pres de|presque|unos|unas|alrededor de|"
        "cerca de|casi|aproximadamente",
        "<": "less than|fewer than|under|weniger als|unter|mindre an|under|moins de|menos de",
    }.items()
    for h in words.split("|")
]
#: What a count is of, from nearby words (folded stems): numbers with different roles never conflict.
_ROLES: dict[str, tuple[str, ...]] = {
    "dead": ("kill", "dead", "death", "died", "die ", "toll", "tote", "toten", "todes", "ums leben",
             "starb", "gestorb", "dod", "omkom", "doda", "muert", "fallec", "victim", "mort", "deces", "tue"),
    "injured": ("injur", "hurt", "wound", "verletz", "skada", "skadats", "skador", "herid", "bless",
                "hospital", "lesion"),
    "missing": ("missing", "vermisst", "saknade", "saknas", "desaparec", "disparu"),
    "evacuated": ("evacu", "desaloj", "evakuer", "verlassen", "abandonar"),
}  # fmt: skip
#: Who the people counted are rather than what befell them: read only when no role above is near
#: ("14 passengers were injured" counts the injured), and the nearest cue decides between the two
#: ("146 Passagiere und 41 Besatzungsmitglieder"). Folded stems, matched at the start of a word.
_PRESENT_ROLES: dict[str, tuple[str, ...]] = {
    "on board": ("on board", "aboard", "passenger", "ombord", "passagerar", "an bord", "passagier",
                 "a bord", "passager", "a bordo", "pasajer"),
    "crew": ("crew", "besattning", "besatzung", "equipage", "tripula"),
}  # fmt: skip
#: The role's cues are looked for this far after the number ("23 svenskar från en resegrupp i
#: Västerås fanns ombord"): the people are named first, where they were last.
_PRESENT_AFTER = 60
#: A cue this close to the number (characters) names what it counts.
_NEAR = 25
#: How badly the injured were hurt, from words after the number (folded, matched at the start of a
#: word): "two seriously injured" and "two with minor injuries" count different people.
_SEVERITY: dict[str, re.Pattern[str]] = {
    "serious": re.compile(
        r"\b(?:serious|critical|severe|schwer|lebensgefahrlich|allvarlig|svart skad|grave\b|graves\b|"
        r"gravement|grievement|critique|critic|kritisk)"
    ),
    "minor": re.compile(
        r"\b(?:minor\b|lightly|light injur|slight|leicht|lindrig|latt skad|lattare skad|leger|leve\b|"
        r"leves\b|superficial|superficiel)"
    ),
}
#: The severity is read after the number up to the next quantity, within this many characters, and
#: not past a word that turns to a share of the count ("nine injured, two of them seriously", "14
#: verletzt, die meisten leicht", "ett sextiotal skadade, flera av dem allvarligt", "one critically").
_SEVERITY_AFTER = 45
_SHARE = re.compile(
    r"\b(?:of them|of whom|including|among|most|majority|several|many|some|one|varav|bland|flesta|"
    r"flertalet|flera|manga|nagra|en|ett|darunter|davon|meisten|mehrheit|mehrere|viele|einige|ein|eine|"
    r"einer|dont|parmi|plupart|plusieurs|certains|quelques|un|une|de ellos|entre|incluid|mayoria|varios|"
    r"varias|muchos|algunos|uno|una)\b"
)
#: Labels of the units in ``Quantity.what`` (the others are shown as they are: "km", "%", "ha").
_UNIT_LABELS = {"mag": "magnitude", "deg": "degrees", "t": "tonnes", "mi": "miles"}

_TOKEN = re.compile(r"[$€]|\d+(?:[.,\u00a0\u202f ]\d+)*(?:-\w+)?|[^\W\d_]+(?:-[^\W\d_]+)*|%")
_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}\b")


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number in a sentence: its value, unit, hedge (``>``, ``~``, ``<`` or empty), role and severity.

    ``role`` says what a count is of (dead, injured, missing, evacuated, on board, crew; "" when
    unknown); ``severity`` how badly the injured were hurt (serious, minor or "").
    """

    value: float
    unit: str  # canonical unit, "" for a plain count, "vague" for "hundreds"/"thousands"
    start: int  # offsets relative to the sentence
    end: int
    hedge: str = ""
    role: str = ""
    severity: str = ""

    @property
    def display(self) -> str:
        """The value as shown to a reader: ``~60``, ``>80``, ``18 km``, ``EUR 2.4 billion``."""
        value = self.value
        scale = ""
        for size, word in ((1e9, "billion"), (1e6, "million")):
            if value >= size and self.unit != "vague":
                value, scale = value / size, f" {word}"
                break
        number = f"{value:,.6g}".replace(",", "") + scale
        if self.unit == "vague":
            return f"{self.hedge}{number} (vague)"
        if self.unit in CURRENCIES:
            return f"{self.hedge}{self.unit} {number}"
        if self.unit in ("", "mag"):
            return f"{self.hedge}{number}"
        sep = "" if self.unit == "%" else " "
        return f"{self.hedge}{number}{sep}{self.unit}"

    @property
    def kind(self) -> str:
        """The comparison class: plain counts, vague counts, money, or the unit itself."""
        if self.unit in CURRENCIES:
            return "money"
        return self.unit

    @property
    def what(self) -> str:
        """What is counted or measured, for a reader: "dead", "injured (serious)", "money", "km" or "".

        A unit says it first (hectares near "evacuated" are an area); a count says it by its role.
        """
        if self.unit not in ("", "vague"):
            return _UNIT_LABELS.get(self.unit, self.kind)
        if self.role:
            return f"{self.role} ({self.severity})" if self.severity else self.role
        return ""


def _parse_digits(raw: str, lang: str | None) -> float | None:
    """Read a digit string with the language's separators: ``1,500`` (en) and ``1.500``/``1 500``."""
    raw = raw.replace("\u00a0", " ").replace("\u202f", " ")
    if re.fullmatch(r"\d{1,3}( \d{3})+", raw):
        return float(raw.replace(" ", ""))
    if " " in raw:
        return None
    comma_decimal = lang not in (None, "en")
    if re.fullmatch(r"\d{1,3}(,\d{3})+", raw) and not comma_decimal:
        return float(raw.replace(",", ""))
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", raw) and comma_decimal:
        return float(raw.replace(".", ""))
    if re.fullmatch(r"\d+[.,]\d+", raw):
        return float(raw.replace(",", "."))
    if raw.isdigit():
        return float(raw)
    return None


def _hedge_before(words: list[str]) -> str:
    for phrase, sign in _HEDGES:
        if len(words) >= len(phrase) and tuple(words[-len(phrase) :]) == phrase:
            return sign
    return ""


_PRESENT_CUES = {
    role: re.compile(r"\b(?:" + "|".join(re.escape(stem) for stem in stems) + ")")
    for role, stems in _PRESENT_ROLES.items()
}


#: Words that hold a role's stem without being about it: a still life ("nature morte") is no death.
_NOT_ROLES = re.compile(r"natures? mortes?")


def _role(text: str, start: int, end: int, lang: str | None = None) -> str:
    window = _NOT_ROLES.sub(" ", " " + fold(text[max(0, start - 25) : end + 45]) + " ")
    found = [
        role
        for role, stems in _ROLES.items()
        if any(stem in window for stem in stems if not (stem == "die " and lang == "de"))  # the article
    ]
    if len(found) > 1:
        return _nearest_role(text, start, end, lang)
    if found:
        return found[0]
    return _present_role(text, start, end)


def _nearest_role(text: str, start: int, end: int, lang: str | None) -> str:
    """The role whose word sits closest to the number, between it and the numbers on either side.

    "Drei Tote und 12 Verletzte", "the quake killed 12 people and injured 30": a sentence with two
    counts gives each its own noun or verb, the one next to it.
    """
    after = fold(text[end : end + 25])
    if (digit := re.search(r"\d", after)) is not None:
        after = after[: digit.start()]
    before = fold(text[max(0, start - 25) : start])
    if digits := list(re.finditer(r"\d", before)):
        before = before[digits[-1].end() :]
    after, before = _NOT_ROLES.sub(" ", f" {after} "), _NOT_ROLES.sub(" ", f" {before} ")
    gaps: dict[str, int] = {}
    for role, stems in _ROLES.items():
        for stem in stems:
            if stem == "die " and lang == "de":
                continue  # the article
            if (at := after.find(stem)) >= 0:
                gaps[role] = min(gaps.get(role, at), at)
            if (at := before.rfind(stem)) >= 0:
                gap = len(before) - (at + len(stem))
                gaps[role] = min(gaps.get(role, gap), gap)
    if not gaps:
        return ""
    best = min(gaps.values())
    roles = [role for role, gap in gaps.items() if gap == best]
    return roles[0] if len(roles) == 1 else ""


def _present_role(text: str, start: int, end: int) -> str:
    """Who the people counted are ("passengers", "ombord", "Besatzung"), from the nearest cue.

    The noun after a number says what it counts ("410 passagers et 35 membres d'équipage"), so a
    cue close after the number comes first, then one close before it ("an Bord waren 19"), then
    one further after it ("23 svenskar från en resegrupp i Västerås fanns ombord").
    """
    before = fold(text[max(0, start - _NEAR) : start])
    after = fold(text[end : end + _PRESENT_AFTER])
    for gaps_of in (
        lambda cue: [m.start() for m in cue.finditer(after) if m.start() <= _NEAR],
        lambda cue: [len(before) - m.end() for m in cue.finditer(before)],
        lambda cue: [m.start() for m in cue.finditer(after)],
    ):
        nearest = {role: min(gaps) for role, cue in _PRESENT_CUES.items() if (gaps := gaps_of(cue))}
        if nearest:
            best = min(nearest.values())
            roles = [role for role, gap in nearest.items() if gap == best]
            return roles[0] if len(roles) == 1 else ""
    return ""


def _severity(text: str, end: int, stop: int) -> str:
    """How badly the injured counted were hurt, from the words after the number up to ``stop``."""
    after = fold(text[end : min(stop, end + _SEVERITY_AFTER)])
    # a share right after the number is its own ("two of them seriously"), a later one another count's
    share = next((m for m in _SHARE.finditer(after) if after[: m.start()].strip()), None)
    if share is not None:
        after = after[: share.start()]
    found = [label for label, cue in _SEVERITY.items() if cue.search(after)]
    return found[0] if len(found) == 1 else ""


def _ordinal(tokens: list[tuple[str, int, int]], i: int) -> bool:
    """Digits written together with an ordinal ending: "17th", "19e", "3rd"."""
    raw, _, end = tokens[i]
    if not raw[0].isdigit() or i + 1 >= len(tokens):
        return False
    nxt, start, _ = tokens[i + 1]
    return start == end and fold(nxt).split("-")[0] in _ORDINAL_SUFFIXES


def extract_quantities(
    text: str, lang: str | None, skip: list[tuple[int, int]] | None = None
) -> list[Quantity]:
    """Every quantity in ``text`` that is not a year, a clock time or inside a ``skip`` span (dates)."""
    skip = list(skip or [])
    skip.extend((m.start(), m.end()) for m in _TIME.finditer(text))
    tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    folded = [fold(t) for t, _, _ in tokens]
    words = set(_WORDS.get(lang or "", {})) if lang in _WORDS else set(_ALL_WORDS) - _CLASHES
    table = _WORDS.get(lang or "", _ALL_WORDS)
    out: list[Quantity] = []
    i = 0
    while i < len(tokens):
        raw, start, end = tokens[i]
        key = folded[i]
        value: float | None = None
        unit = ""
        suffix = ""
        if raw[0].isdigit():
            number, _, suffix = raw.partition("-")
            value = _parse_digits(number, lang)
            if value is not None and suffix.lower() == "tal":
                out.append(Quantity(value, "", start, end, "~", _role(text, start, end, lang)))
                i += 1
                continue
        elif key in _APPROX_WORDS:
            value = _APPROX_WORDS[key]
            out.append(Quantity(value, "", start, end, "~", _role(text, start, end, lang)))
            i += 1
            continue
        elif key in _VAGUE and not (i > 0 and tokens[i - 1][0][0].isdigit()):
            out.append(Quantity(_VAGUE[key], "vague", start, end, "", _role(text, start, end, lang)))
            i += 1
            continue
        elif key in words or all(part in words for part in key.split("-")):
            value = float(sum(table.get(part, 0) for part in key.split("-")))
        if value is None or any(s <= start < e for s, e in skip) or _ordinal(tokens, i):
            i += 1
            continue
        j = i + 1
        if j < len(tokens) and folded[j] in _SCALES:
            value *= _SCALES[folded[j]]
            end = tokens[j][2]
            j += 1
        if j < len(tokens) and folded[j] in ("de", "d") and j + 1 < len(tokens) and folded[j + 1] in _UNITS:
            end = tokens[j][2]  # "millions d'euros", "millones de euros": the unit follows "de"
            j += 1
        if suffix and fold(suffix) in _UNITS:
            unit = _UNITS[fold(suffix)]
        elif j < len(tokens) and folded[j] in _UNITS and tokens[j][1] - end <= 2:
            unit = _UNITS[folded[j]]
            end = tokens[j][2]
            j += 1
        elif (
            j + 1 < len(tokens)
            and folded[j] in ("por", "pour", "per")
            and folded[j + 1] in ("ciento", "cent")
        ):
            unit, end, j = "%", tokens[j + 1][2], j + 2
        prefix = folded[i - 1] if i > 0 else ""
        if not unit and prefix in _PREFIX_UNITS:
            unit = _PREFIX_UNITS[prefix]
        if not unit and i > 1 and folded[i - 2] in ("magnitude", "magnitud", "starke") and prefix == "de":
            unit = "mag"
        is_year = not unit and value == int(value) and 1900 <= value <= 2100 and raw.isdigit()
        if not is_year and not (unit == "" and 0 <= value < 2 and raw[0].isdigit() and "." not in raw):
            hedge = _hedge_before(folded[max(0, i - 3) : i])
            # a role says what is counted: a sum or a length is no count of people ("Skadan
            # uppskattas till 12 miljoner kronor": the damage, not the injured)
            role = _role(text, start, end, lang) if unit == "" else ""
            out.append(Quantity(value, unit, start, end, hedge, role))
        i = j
    return [
        _with_severity(text, q, out[k + 1].start if k + 1 < len(out) else len(text))
        for k, q in enumerate(out)
    ]


def _with_severity(text: str, q: Quantity, stop: int) -> Quantity:
    """A count of injured with how badly they were hurt; a count with no role followed by a severity
    ("varav två allvarligt") counts injured when the sentence speaks of injuries."""
    if q.role not in ("", "injured") or q.unit:
        return q
    severity = _severity(text, q.end, stop)
    if not severity:
        return q
    if not q.role:
        folded = fold(text)
        if not any(stem in folded for stem in _ROLES["injured"]):
            return q
    return replace(q, role="injured", severity=severity)


def comparable(a: Quantity, b: Quantity) -> bool:
    """Two quantities can agree or disagree: the same kind of unit, no different roles or severities.

    An unknown role or severity ("") is comparable with any: "nine injured" and "9 verletzte, zwei
    schwer" may count the same people; "two seriously injured" and "two with minor injuries" do not.
    """
    if a.kind != b.kind:
        return False
    return qualifiers_compatible(a.role, a.severity, b.role, b.severity)


def qualifiers_compatible(role_a: str, severity_a: str, role_b: str, severity_b: str) -> bool:
    """No different known roles, and no different known severities."""
    if role_a and role_b and role_a != role_b:
        return False
    return not (severity_a and severity_b and severity_a != severity_b)


def distance(a: Quantity, b: Quantity) -> float:
    """How far apart two comparable values are (absolute log ratio; 0 when equal)."""
    if a.value == b.value:
        return 0.0
    if a.value <= 0 or b.value <= 0:
        return math.inf
    return abs(math.log(a.value / b.value))


def same_value(a: Quantity, b: Quantity) -> bool:
    """The same amount (the unit of money included: €12m and $12m differ)."""
    return a.value == b.value and a.unit == b.unit

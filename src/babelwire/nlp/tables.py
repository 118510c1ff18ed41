"""Names in sports result tables: lines of names and numbers that a recogniser trained on prose misreads.

Wire services file results as lines such as ``Kalevi Tallinn 2 Narva Sadam 1`` (a score),
``Kalevi Tallinn 6 5 1 0 14 3 16`` (a standings row), ``1 - Tomas Vranek ( Czech Republic ) beat
Ilya Sorokin ( Russia ) 6-3 6-4`` (players with their country) or ``Scorers : Rasmus Kask ( 12th )``.
A model that reads prose sees a club named after a town as a place or a person and runs names into
the numbers beside them ("Narva Sadam 6 2"). The shape of the line says what its names are:

- a name followed by a bracketed country or city is a person, the bracketed name a place
  (``Amara Kipsang ( Kenya ) 13:02.45``); a name before bracketed numbers or ordinals is a person
  (a scorer, a batsman with his runs);
- a name that starts a score or standings row, or follows the other side's score or ``v``, is a
  team: a place when it is a country (national teams are places, as in CoNLL-2003), otherwise an
  organisation (``ATLANTA 108 Portland 101``);
- a line of ranks and names separated by commas lists people (``67 Oliver Pratt , Jamie Whitlock``).

A line is a table row only when it holds two numbers or more (or starts with one and names a
person with a bracketed country), every lower-case word is a table word (``beat``, ``v``,
``halftime``) or a name particle between capitalised words, and not most of its names are
common words written with a capital (a headline in title case: "Apple Sells 3 Million Phones").
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from babelwire.nlp.gazetteer import GazEntry, Gazetteer
from babelwire.nlp.retype import person_words
from babelwire.nlp.spans import RawSpan
from babelwire.nlp.timex_rules import lexicon_for

#: a score, a standing, a time or a rank: "2", "6-3", "312-7", ".556", "13:02.45", "+0:04", "1.", "12th"
_NUMBER = re.compile(r"^[+\-]?(?:\d[\d.,:/\-]*|\.\d+)(?:st|nd|rd|th)?\.?$")
#: lower-case words a results line may hold besides names and numbers
TABLE_WORDS = frozenset(
    {
        "v",
        "vs",
        "vs.",
        "beat",
        "bt",
        "halftime",
        "half-time",
        "ht",
        "pen",
        "pens",
        "aet",
        "og",
        "same",
        "time",
    }
)
#: lower-case particles inside a name ("Pieter de Vries", "Sporting de Gijon", "Tour of Norway")
PARTICLES = frozenset(
    {"de", "van", "der", "den", "von", "la", "le", "di", "da", "du", "dos", "del", "of", "bin", "al"}
)
_PUNCT = frozenset({"(", ")", ",", ";", ":", "-", "–", "—", "/", "*"})


@dataclass(slots=True)
class _Token:
    text: str
    start: int
    end: int
    kind: str  # "num", "punct", "word" (a table word), "cap", "particle"


def _classify(word: str) -> str | None:
    if word in _PUNCT:
        return "punct"
    if _NUMBER.match(word):
        return "num"
    if word.casefold() in TABLE_WORDS and not word[:1].isupper():
        return "word"
    if word[:1].isupper():
        return "cap"
    if word in PARTICLES:
        return "particle"
    return None


def _groups(tokens: list[_Token]) -> list[tuple[int, int]]:
    """Maximal runs of capitalised words (particles allowed between them), as token index ranges."""
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(tokens):
        if tokens[i].kind != "cap":
            i += 1
            continue
        j = i + 1
        while j < len(tokens):
            if tokens[j].kind == "cap":
                j += 1
            elif tokens[j].kind == "particle" and j + 1 < len(tokens) and tokens[j + 1].kind == "cap":
                j += 2
            else:
                break
        out.append((i, j))
        i = j
    return out


#: clock and time-zone words, and the words of a web page's date line ("Updated: May 2, 2013 1:32 PM")
_CLOCK_WORDS = frozenset(
    {"am", "pm", "a.m.", "p.m.", "gmt", "utc", "est", "edt", "cst", "cdt", "pst", "pdt", "cet", "cest", "bst"}
    | {"ist", "published", "updated", "posted", "last", "modified"}
)
#: a bracket, or a word with its trailing comma, semicolon or colon split off ("Hove:" → "Hove", ":")
_TOKEN = re.compile(r"[()]|[^\s(),;:]+(?::[^\s(),;:]+)*|[,;:]")


@lru_cache(maxsize=32)
def _date_words(lang: str | None) -> frozenset[str]:
    """Month and weekday names (with their abbreviations) of ``lang`` and of English."""
    words: set[str] = set(_CLOCK_WORDS)
    for code in {lang or "en", "en"}:
        lex = lexicon_for(code)
        for name in ("months", "weekdays"):
            for word in lex.table(name):
                words.add(word.casefold().rstrip("."))
    words |= {w[:3] for w in words if len(w) > 3} - {"mar", "may", "sun"}  # "Mon", "Thu"; "Mar" is a name
    return frozenset(words)


def table_row_spans(
    text: str,
    gazetteer: Gazetteer,
    common: Callable[[str], bool] | None = None,
    lang: str | None = None,
) -> list[RawSpan]:
    """Typed names of every results-table line of ``text`` (see the module docstring)."""
    out: list[RawSpan] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        if len(line) < 300 and any(c.isdigit() for c in line):
            out.extend(_row_spans(text, pos, line, gazetteer, common, _date_words(lang)))
        pos += len(line)
    return out


def _row_spans(
    text: str,
    offset: int,
    line: str,
    gazetteer: Gazetteer,
    common: Callable[[str], bool] | None,
    dates: frozenset[str],
) -> list[RawSpan]:
    tokens: list[_Token] = []
    for match in _TOKEN.finditer(line):
        word = match.group()
        kind = _classify(word)
        if kind is None:
            return []  # a lower-case word of prose: not a table
        tokens.append(_Token(word, offset + match.start(), offset + match.end(), kind))
    if not tokens:
        return []
    for i, token in enumerate(tokens):
        # a month, weekday or clock word next to a number: a date line ("December 11, 2008",
        # "1:32 PM"), not a table ("Jan Novak ( Czech Republic )" is a table row)
        if token.kind == "cap" and token.text.casefold().rstrip(".") in dates:
            near = tokens[max(0, i - 1) : i + 2]
            if any(t.kind == "num" for t in near):
                return []
    numbers = sum(t.kind == "num" for t in tokens)
    groups = _groups(tokens)
    if not groups:
        return []
    # "Scorers :", "Attendance :": a label that opens the line is not a name
    if groups[0][0] == 0 and groups[0][1] < len(tokens) and tokens[groups[0][1]].text == ":":
        groups = groups[1:]
    if not groups:
        return []

    def surface(group: tuple[int, int]) -> str:
        return text[tokens[group[0]].start : tokens[group[1] - 1].end]

    def bracketed_after(group: tuple[int, int]) -> tuple[int, int] | None:
        """The name group in brackets right after ``group`` ("Vranek ( Czech Republic )")."""
        a, b = group[1], group[1] + 1
        if b >= len(tokens) or tokens[a].text != "(":
            return None
        for other in groups:
            if other[0] == b and other[1] < len(tokens) and tokens[other[1]].text == ")":
                return other
        return None

    def lookup(group: tuple[int, int]) -> GazEntry | None:
        return gazetteer.lookup(surface(group), cities=True)

    def place(group: tuple[int, int]) -> str | None:
        entry = lookup(group)
        if surface(group).casefold() in HOME_NATIONS:
            return "country"
        return entry.kind if entry is not None and entry.kind in ("country", "city", "place") else None

    countried = [g for g in groups if (inner := bracketed_after(g)) is not None and place(inner) is not None]
    starts_with_number = tokens[0].kind == "num"
    # "67 Oliver Pratt , Jamie Whitlock": a score, then names of two or three words between commas
    leaderboard = (
        starts_with_number
        and numbers == 1
        and len(groups) >= 2
        and all(2 <= b - a <= 3 for a, b in groups)
        and all(t.kind == "cap" or t.text == "," for t in tokens[1:] if t.kind != "particle")
    )
    if numbers < 2 and not (starts_with_number and numbers == 1 and (countried or leaderboard)):
        return []
    if common is not None:
        plain = sum(
            all(common(tokens[k].text.lower()) for k in range(a, b) if tokens[k].kind == "cap")
            for a, b in groups
        )
        if plain * 2 > len(groups):
            return []  # a headline in title case, not a table
    labels: dict[tuple[int, int], str] = {}
    for group in countried:
        inner = bracketed_after(group)
        assert inner is not None
        labels[group] = "PER"
        labels[inner] = "LOC"
    sides: list[tuple[int, int]] = []  # the teams of a score line ("ATLANTA 108 Portland 101")
    for group in groups:
        if group in labels:
            continue
        a, b = group
        after = tokens[b] if b < len(tokens) else None
        before = tokens[a - 1] if a > 0 else None
        following = list(itertools.takewhile(lambda t: t.kind != "cap", tokens[b:]))
        if after is not None and after.text == "(" and b + 1 < len(tokens) and tokens[b + 1].kind == "num":
            labels[group] = "PER"  # "Rasmus Kask ( 12th , 78th )": a scorer and his minutes
        elif before is not None and before.text == "(" and after is not None and after.kind == "num":
            labels[group] = "PER"  # "( Aaron Fielding 104 )": a batsman and his runs
        elif leaderboard:
            labels[group] = "PER"
        elif (before is None or (a == 1 and starts_with_number)) and sum(
            t.kind == "num" for t in following
        ) >= 4:
            labels[group] = _team(
                surface(group), lookup(group)
            )  # a standings row: "Kalevi Tallinn 6 5 1 0 14 3 16"
        elif (
            a == 1
            and starts_with_number
            and b - a >= 2
            and b < len(tokens)
            and all(t.kind in ("num", "word") for t in tokens[b:])
            and sum(t.kind == "num" for t in tokens[b:]) == 1
        ):
            labels[group] = "PER"  # "1. Erik Lund 4:12:33": a rank, a name and a result
        elif (
            after is not None
            and after.kind == "num"
            and (before is None or before.kind == "num" or before.text in _SIDE)
        ) or (before is not None and before.text in ("v", "vs", "vs.")):
            sides.append(group)
    if len(sides) >= 2:  # one name and a number is no score ("Joe Louis 26 - 1" is a boxer's record)
        for group in sides:
            labels[group] = _team(surface(group), lookup(group))
    return [RawSpan(tokens[a].start, tokens[b - 1].end, label) for (a, b), label in labels.items()]


#: what may come before a side of a score line: "v Durham", "At Hove : Sussex 312-7"
_SIDE = frozenset({"v", "vs", "vs.", ":"})


#: national sides that are no country of their own in the gazetteer's sense
HOME_NATIONS = frozenset({"england", "scotland", "wales", "northern ireland"})


def _team(name: str, entry: GazEntry | None) -> str:
    """A team's type: national teams are their country (a place), clubs organisations.

    A county or region that the gazetteer reads as another name of a country ("Sussex") is a
    club: a side is a country only under its own name, one of its short names, or as a home
    nation ("England").
    """
    folded = name.casefold()
    if folded in HOME_NATIONS:
        return "LOC"
    if entry is None or entry.kind != "country":
        return "ORG"
    return "LOC" if folded in country_names(entry.entity_id) else "ORG"


@lru_cache(maxsize=512)
def country_names(entity_id: str) -> frozenset[str]:
    """The names pycountry gives a country id (``LOC:country:IT``): name, official and common name, codes."""
    import pycountry

    code = entity_id.rsplit(":", 1)[-1]
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return frozenset()
    names = {code, country.alpha_3}
    names.update(str(getattr(country, f, "") or "") for f in ("name", "official_name", "common_name"))
    names.update(n.removeprefix("the ").removeprefix("The ") for n in list(names))
    return frozenset(n.casefold() for n in names if n)


#: verbs of a result that follow the winning (or losing) side: "Kent beat Surrey", "Leeds drew"
SIDE_VERBS = frozenset(
    {"beat", "beats", "defeated", "drew", "draw", "lost", "won", "thrashed", "edged", "crushed", "routed"}
    | {"hammered", "trounced", "overcame", "downed", "upset", "outplayed"}
)
#: words before the other side: "beat Surrey", "against Essex", "lost to Leeds"
SIDE_BEFORE = frozenset(
    {"beat", "beating", "defeated", "against", "v", "vs", "vs.", "thrashed", "edged", "over"}
)
#: a sentence about a match: a score, or one of these words
_MATCH = re.compile(
    r"\b\d{1,3}-\d{1,3}\b|\b(?:match|matches|league|innings|wickets?|goals?|halftime|half-time|points|runs|"
    r"championship|cup|final|semi-finals?|quarter-finals?|fixture|derby|season|title|victory|defeat)\b",
    re.IGNORECASE,
)


def sports_side_spans(text: str, spans: Sequence[RawSpan], gazetteer: Gazetteer) -> list[RawSpan]:
    """Places that are sides of a match in prose ("Kent beat Surrey by four wickets"): clubs, ORG.

    A place the recogniser found (a city or region, not a country: national sides are places) is
    a club when a result verb follows it or a word for the other side comes before it, in a
    sentence that is about a match (a score such as "2-1", or "wickets", "league", "cup").
    Returns the re-typed spans only.
    """
    out: list[RawSpan] = []
    for span in spans:
        if span.label != "LOC":
            continue
        name = text[span.start : span.end]
        if name.casefold() in HOME_NATIONS:
            continue
        entry = gazetteer.lookup(name, cities=True)
        if (
            entry is not None
            and entry.kind == "country"
            and name.casefold() in country_names(entry.entity_id)
        ):
            continue
        line_start = text.rfind("\n", 0, span.start) + 1
        line_end = text.find("\n", span.end)
        line = text[line_start : line_end if line_end >= 0 else len(text)]
        after = re.match(r"\s+(\w+)", text[span.end : span.end + 20])
        before = re.search(r"(\S+)\s+$", text[max(line_start, span.start - 20) : span.start])
        if not (
            (after is not None and after.group(1).casefold() in SIDE_VERBS)
            or (before is not None and before.group(1).casefold() in SIDE_BEFORE)
        ):
            continue
        if _MATCH.search(line):
            out.append(RawSpan(span.start, span.end, "ORG", span.role))
    persons = person_words(text, spans)
    out += _clubs_played_for(text, spans, persons)
    # the same one-word club elsewhere in the text, where the model took it for a person or place
    clubs = {text[s.start : s.end] for s in out if " " not in text[s.start : s.end]}
    if clubs:
        taken = {(s.start, s.end) for s in out}
        for span in spans:
            name = text[span.start : span.end]
            if (
                name in clubs
                and span.label in ("PER", "LOC")
                and (span.start, span.end) not in taken
                and name not in persons
            ):
                out.append(RawSpan(span.start, span.end, "ORG", span.role))
    return out


#: "scored twice for Riverton", "has impressed for Leinster", "signed for Keston": a player's club
_PLAYED_FOR = re.compile(
    r"\b(?:scored|scores|scoring|played|plays|playing|signed|signs|impressed|appeared|starred|debut|goals?)"
    r"(?:\s+\w+){0,2}\s+for\s+$",
    re.IGNORECASE,
)


def _clubs_played_for(text: str, spans: Sequence[RawSpan], persons: set[str]) -> list[RawSpan]:
    """A one-word name a player scored, played or signed for: a club, not a person or a place
    (unless it is a word of a person the text names in full, ``persons``)."""
    out: list[RawSpan] = []
    for span in spans:
        name = text[span.start : span.end]
        if span.label not in ("PER", "LOC") or " " in name or name in persons:
            continue
        line_start = text.rfind("\n", 0, span.start) + 1
        if _PLAYED_FOR.search(text[max(line_start, span.start - 60) : span.start]):
            out.append(RawSpan(span.start, span.end, "ORG", span.role))
    return out


_LOCATIVE = frozenset({"in", "at", "near", "from", "to", "outside", "around"})
#: last words of a club's name, after the town it is named for ("Brackwell Town", "Keston United")
CLUB_WORDS = frozenset(
    {"town", "city", "united", "rovers", "athletic", "wanderers", "albion", "county", "fc", "rangers"}
    | {"athletico", "olympic", "sporting", "hotspur", "dynamo", "academicals", "thistle", "harriers"}
)


def club_name_spans(
    text: str, spans: Sequence[RawSpan], rows: Sequence[RawSpan], gazetteer: Gazetteer
) -> list[RawSpan]:
    """Other mentions of the clubs that results-table rows name ("Brackwell Town"), re-typed.

    The rows give a club's full name as an organisation; in the report above them the model
    often reads the town in it as a place ("win over league leaders Brackwell Town": "Brackwell"
    LOC) or the short form on its own ("Brackwell had led"). Each mention of the full name, and
    each mention of the short form that the recogniser found, becomes the club, unless the short
    form is a country or follows a locative word ("in Brackwell" is the town). ``rows`` are the
    spans :func:`table_row_spans` found.
    """
    clubs: dict[str, str] = {}  # short form -> full name
    for span in rows:
        words = text[span.start : span.end].split()
        if span.label == "ORG" and len(words) >= 2 and words[-1].casefold() in CLUB_WORDS:
            short = " ".join(words[:-1])
            entry = gazetteer.lookup(short, cities=False)
            if entry is None or entry.kind != "country":
                clubs.setdefault(short, " ".join(words))
    if not clubs:
        return []
    out: list[RawSpan] = []
    for full in set(clubs.values()):
        for match in re.finditer(rf"(?<![\w-]){re.escape(full)}(?![\w-])", text):
            covering = [s for s in spans if s.start < match.end() and match.start() < s.end]
            if not any(
                s.label == "ORG" and s.start == match.start() and s.end == match.end() for s in covering
            ):
                out.append(RawSpan(match.start(), match.end(), "ORG"))
    taken = [(s.start, s.end) for s in out]
    for span in spans:
        name = text[span.start : span.end]
        if name not in clubs or span.label == "ORG" or any(a < span.end and span.start < b for a, b in taken):
            continue
        before = re.search(r"(\w+)\s+$", text[max(0, span.start - 12) : span.start])
        if before is None or before.group(1).casefold() not in _LOCATIVE:
            out.append(RawSpan(span.start, span.end, "ORG", span.role))
    return out

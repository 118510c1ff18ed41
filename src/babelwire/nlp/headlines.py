"""Names in headlines written in capitals, typed by the article below them.

A wire headline in capitals ("ATHLETICS - OYELARAN BREAKS AFRICAN 200 METRES RECORD") is recased
before the model reads it, but a one-word name in it is still a guess: the model has no first
name, no title and no context. The article below usually names the same person, club or place
in full ("Nigerian sprinter Folake Oyelaran"). So a word or run of words of a line in capitals
that the rest of the text names (a whole name, or a person's surname) takes that name's type,
whatever the model made of it; and the section word that opens such a line ("ATHLETICS -",
"SOCCER -") is no name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from babelwire.nlp.spans import RawSpan, _shouted

#: section words of wire sports headlines ("SOCCER - NORWAY HOLD PORTUGAL"), English
SECTIONS = frozenset(
    {
        "soccer", "football", "tennis", "cricket", "golf", "athletics", "rugby", "rugby union",
        "rugby league", "basketball", "baseball", "ice hockey", "hockey", "cycling", "boxing",
        "motor racing", "motorcycling", "skiing", "alpine skiing", "swimming", "sailing", "rowing",
        "horse racing", "badminton", "volleyball", "handball", "squash", "snooker", "chess",
        "judo", "wrestling", "gymnastics", "triathlon", "sport", "sports", "olympics",
    }
)  # fmt: skip
_SECTION = re.compile(r"^[ \t]*([A-Z][A-Z ]{1,30}?)[ \t]+[-–—:][ \t]", re.MULTILINE)


def _shouted_lines(text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        words = line.split()
        if words and _shouted(words):
            out.append((pos, pos + len(line.rstrip("\r\n"))))
        pos += len(line)
    return out


def headline_spans(
    text: str, spans: Sequence[RawSpan], common: Callable[[str], bool] | None = None
) -> tuple[list[RawSpan], list[RawSpan]]:
    """Spans to impose on the lines in capitals of ``text``, and spans to drop (section words).

    ``spans`` are the article's spans so far; names outside the lines in capitals give the types.
    A surname that is also a common word (``common``, given the word in lower case: "Brown",
    "May") is not looked for on its own.
    """
    lines = _shouted_lines(text)
    if not lines:
        return [], []

    def in_lines(start: int, end: int) -> bool:
        return any(a <= start and end <= b for a, b in lines)

    drop: list[RawSpan] = []
    for a, b in lines:
        match = _SECTION.match(text, a, b)
        if match is not None and match.group(1).strip().casefold() in SECTIONS:
            s, e = match.start(1), match.end(1)
            drop.extend(span for span in spans if s <= span.start and span.end <= e)
    names: dict[str, str] = {}
    for span in spans:
        if span.label == "MISC" or in_lines(span.start, span.end):
            continue
        surface = text[span.start : span.end]
        words = surface.split()
        if len(surface) >= 3:
            names.setdefault(surface.casefold(), span.label)
        last = words[-1] if words else ""
        if (
            span.label == "PER"
            and len(words) > 1
            and len(last) >= 3
            and not (common and common(last.lower()))
        ):
            names.setdefault(words[-1].casefold(), "PER")  # "OYELARAN" after "Folake Oyelaran"
    if not names:
        return [], drop
    pattern = re.compile(
        r"(?<![\w-])(" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")(?![\w-])",
        re.IGNORECASE,
    )
    imposed: list[RawSpan] = []
    for a, b in lines:
        for match in pattern.finditer(text, a, b):
            imposed.append(RawSpan(match.start(), match.end(), names[match.group().casefold()]))
    return imposed, drop

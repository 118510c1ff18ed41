"""Types settled over a whole text, after the clean-up of one recogniser's spans (:func:`refine`).

A model types each mention on its own; what the rest of the text shows often says better:

- a line of a results table types its names by its shape, and the report above takes the clubs
  it names (:mod:`babelwire.nlp.tables`);
- in English, places that play a match are clubs, and a person announced by a nationality is a
  person (:mod:`babelwire.nlp.nationality_names`);
- a name in a headline in capitals takes the type the article gives it
  (:mod:`babelwire.nlp.headlines`);
- a name between an article and a place noun, or after "near", is a place
  (:func:`place_noun_after`);
- the mentions of one name take the type their own context gives (:func:`vote_types`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from babelwire.nlp.gazetteer import Gazetteer
from babelwire.nlp.headlines import headline_spans
from babelwire.nlp.langdata import LanguageData
from babelwire.nlp.nationality_names import nationality_person_spans
from babelwire.nlp.retype import cue_label, descriptor_before
from babelwire.nlp.spans import RawSpan, impose
from babelwire.nlp.tables import club_name_spans, sports_side_spans, table_row_spans


def settle_types(
    text: str,
    spans: Sequence[RawSpan],
    lang: LanguageData,
    gazetteer: Gazetteer,
    common: Callable[[str], bool],
) -> list[RawSpan]:
    """The spans of one text with the whole-text passes above applied (cased languages only)."""
    out = list(spans)
    if lang.caseless:
        return out
    # results tables: the shape of the line types its names ("ATLANTA 108 Portland 101")
    rows = table_row_spans(text, gazetteer, common, lang.code)
    out = impose(out, rows)
    out = impose(out, club_name_spans(text, out, rows, gazetteer))
    if lang.code == "en":
        out = impose(out, sports_side_spans(text, out, gazetteer))
        # "Belgian Wout Verhaegen", "Italy's Alessia Fontana": a person announced by a nationality
        out = impose(out, nationality_person_spans(text, out, lang, gazetteer, common))
    # a headline in capitals: its names take the types the article gives them
    imposed, drop = headline_spans(text, out, common)
    out = impose([s for s in out if s not in drop], imposed)
    return vote_types(text, place_noun_after(text, out, lang), lang)


def vote_types(text: str, spans: Sequence[RawSpan], lang: LanguageData) -> list[RawSpan]:
    """One type for every mention of a name in one text, where some mention's context says which.

    A model types each mention of an unknown name on its own, and often differently ("Austrian
    engineering group Varnex" ORG, "Varnex beat French rival Signalis" PER). When the mentions of
    one name (the same words) disagree and the ones with evidence of their own agree on a type
    (the noun before the name: "group", "agency", "minister"; or the name's own words: "Bank",
    "Rovers"), every mention of the name takes that type ("one sense per discourse"). Persons with
    a role are such evidence too. Names whose mentions agree, or whose evidence disagrees, are
    left as they are.
    """
    groups: dict[str, list[int]] = {}
    for index, span in enumerate(spans):
        if span.label in ("PER", "ORG", "LOC"):
            groups.setdefault(text[span.start : span.end], []).append(index)
    out = list(spans)
    for name, members in groups.items():
        if len(members) < 2 or len({spans[i].label for i in members}) < 2:
            continue
        evidence: set[str] = set()
        for i in members:
            span = spans[i]
            hint = cue_label(name.split(), lang) or descriptor_before(text, span.start, lang)
            if hint is None and span.label == "PER" and span.role:
                hint = "PER"
            if hint in ("PER", "ORG", "LOC"):
                evidence.add(hint)
        if len(evidence) != 1:
            continue
        (label,) = evidence
        for i in members:
            if out[i].label != label:
                out[i] = RawSpan(out[i].start, out[i].end, label, out[i].role)
    return out


def place_noun_after(text: str, spans: Sequence[RawSpan], lang: LanguageData) -> list[RawSpan]:
    """A name between an article and a place noun is a place ("the Douro valley", "the Ruhr
    area"), and in English so is one after "near" or "north of", whatever the model said, unless
    the name's own words say otherwise ("the Apple Bank area")."""
    out = list(spans)
    for index, span in enumerate(spans):
        if span.label not in ("ORG", "PER"):
            continue
        before = re.search(r"(\w+)\s+$", text[max(0, span.start - 12) : span.start])
        after = re.match(r" ([a-zà-ÿ]+)\b", text[span.end : span.end + 20])
        if before is None or after is None or before.group(1).casefold() not in lang.articles:
            continue
        name = text[span.start : span.end]
        if lang.descriptor(after.group(1)) == "LOC" and cue_label(name.split(), lang) is None:
            out[index] = RawSpan(span.start, span.end, "LOC", span.role)
    if lang.code == "en":
        for index, span in enumerate(out):
            near = _NEAR.search(text[max(0, span.start - 16) : span.start])
            name = text[span.start : span.end]
            if span.label in ("ORG", "PER") and near and cue_label(name.split(), lang) is None:
                out[index] = RawSpan(span.start, span.end, "LOC", span.role)  # "villages near Peso da Regua"
    return out


#: words after which a name is a place in English ("near Huancayo", "north of Kyiv")
_NEAR = re.compile(r"(?:\bnear|\b(?:north|south|east|west)(?:-?(?:east|west))? of)\s+$", re.IGNORECASE)

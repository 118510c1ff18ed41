"""Type correction and extra spans shared by every recogniser (spaCy models and rules alike).

``retype_spans`` corrects the type of a recogniser's spans from evidence the model does not use:
the words of the name and their endings (organisation, place and event words kept per language in
``resources/lang_XX.json``), the noun written before it ("the company X", "Stadt X"), a definite
article before a person-typed name in the Romance languages, product codes ("NB-204"), GeoNames
cities after a locative preposition, lists of places, wire datelines, the employer before a job
title and the place after a place's title. The spans a model missed by their shape (datelines,
codes, cities after a locative preposition) are in :mod:`babelwire.nlp.extra_spans`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from babelwire.nlp.context_names import apposition, employer_label, person_after_body, title_between
from babelwire.nlp.extra_spans import CODE_SHAPE, dateline_spans
from babelwire.nlp.gazetteer import Gazetteer
from babelwire.nlp.institutions import institution_spans
from babelwire.nlp.langdata import LanguageData
from babelwire.nlp.rules import place_prefix
from babelwire.nlp.spans import (
    NAME_PARTICLES,
    RawSpan,
    Token,
    is_capitalised,
    tokenize,
)

_LEGAL_FORMS = frozenset({"inc", "ltd", "plc", "llc", "cie", "corp", "co"})
_POSSESSIVE_END = re.compile(r"(?:['’]s|['’]|:s|:n)$")
#: words that may stand between a descriptor and the name ("city of Kalamata", "ville d'Esmeraldas")
_LINKS = frozenset(
    {"of", "de", "del", "d", "the", "le", "la", "el", "l", "der", "die", "das", "dem", "den", "des"}
)


#: street and square words that start a place's name before a particle ("Rue de Rivoli"); not on
#: their own, since "Calle" is also a Swedish first name
_STREETS = frozenset({"place", "rue", "quai", "plaza", "calle", "paseo", "avenida", "piazza", "via"})


_YEAR = re.compile(r"(?:19|20)\d\d")


def _bare(word: str) -> str:
    return _POSSESSIVE_END.sub("", word)


def cue_label(words: Sequence[str], lang: LanguageData) -> str | None:
    """The type the words of a name announce, or None.

    A code shape is MISC; a place word first ("Lake …", "Costa …", "Place des …") is LOC; an event
    or agreement word in a longer name ("Declaración de Valencia", "… Summit") is MISC; an
    organisation word anywhere in a name of two or more words ("Helvetia Pharma", "Banco de España",
    "Kvarken Invest"; legal forms such as "AB" only last and written as such) or an organisation
    ending of the last word ("Havariekommission", "Trafikverket") is ORG; a place word last or a
    place ending ("Margaret Bridge", "Torneälven", "Malmbanan") is LOC.
    """
    if not words:
        return None
    if len(words) == 1 and CODE_SHAPE.fullmatch(words[0]):
        return "MISC"
    low = [_bare(w).casefold() for w in words]
    if len(low) > 1 and low[0] in lang.loc_words:
        return "LOC"
    if len(low) > 2 and low[0] in _STREETS and low[1] in NAME_PARTICLES:
        return "LOC"  # "Place des Terreaux", "Calle de Alcalá" in any language's text
    if len(low) > 1:
        for i, (word, raw) in enumerate(zip(low, words, strict=True)):
            if word not in lang.org_words:
                continue
            if len(word) > 3 or (i == len(low) - 1 and i > 0 and (raw.isupper() or word in _LEGAL_FORMS)):
                return "ORG"
    if len(low) > 1 and any(w in lang.misc_words for w in low):
        return "MISC"  # "Declaración de Valencia", "Cumbre Mediterránea del Agua"
    if len(low) > 1 and _YEAR.fullmatch(low[-1]):
        return "MISC"  # "Natura 2000", "Agenda 2030": a programme, network or event named by a year
    last = low[-1]
    # "Trafikverket"; in the genitive too where it is a bare -s ("EU-kommissionens", "Miljöpartiets")
    lasts = [last, *(last[: -len(g)] for g in lang.genitive if g.isalpha() and last.endswith(g))]
    if any(lang.org_suffixed(form) for form in lasts):
        return "ORG"
    if len(low) > 1 and (last in lang.loc_words or " ".join(low[-2:]) in lang.loc_words):
        return "LOC"  # "Margaret Bridge", "Esrange Space Center"
    if any(last.endswith(s) and len(last) >= len(s) + 3 for s in lang.loc_suffixes):
        return "LOC"  # "Torneälven", "Stora Rensjön"
    alone = lang.loc_suffixes_one_word
    if len(low) == 1 and any(last.endswith(s) and len(last) >= len(s) + 3 for s in alone):
        return "LOC"  # "Kiirunavaara"; not "Anna Luossavaara", a person named after a place
    return None


def descriptor_before(text: str, start: int, lang: LanguageData) -> str | None:
    """The type announced by the common noun right before a name ("the company …", "Stadt …")."""
    tokens = tokenize(text, max(0, start - 60), start)
    end = start
    skipped = 0
    while tokens:
        tok = tokens.pop()
        gap = text[tok.end : end]
        if gap.strip(" \u00a0'’"):
            return None
        low = tok.text.casefold().rstrip("'’")
        if low in _LINKS and skipped < 2:
            skipped += 1
            end = tok.start
            continue
        if low.endswith(("'", "’")) or not tok.text[:1].isalpha():
            return None
        return lang.descriptor(tok.text)
    return None


def _surname_like(tokens: Sequence[Token], lang: LanguageData) -> bool:
    """True when the only organisation words of a name are ones that are also surnames ("Post")."""
    words = [_bare(t.text).casefold() for t in tokens]
    org = [w for w in words if w in lang.org_words]
    suffixed = lang.org_suffixed(words[-1])
    return bool(org) and not suffixed and all(w in lang.person_name_org_words for w in org)


def person_words(text: str, spans: Sequence[RawSpan]) -> set[str]:
    """Words of the multi-word person names of a text ("Sofia" and "Hedlund" of "Sofia Hedlund")."""
    words: set[str] = set()
    for span in spans:
        if span.label == "PER":
            parts = text[span.start : span.end].split()
            if len(parts) > 1:
                words.update(_bare(p) for p in parts)
    return words


def retype_spans(
    text: str, spans: Sequence[RawSpan], lang: LanguageData, gazetteer: Gazetteer
) -> list[RawSpan]:
    """Correct the types (and leading descriptor nouns) of any recogniser's spans.

    In order: a leading descriptor noun is cut off and gives its type ("Reederei Dreiflüsse
    Cruises" → ORG "Dreiflüsse Cruises", "Stadt Figueres" → LOC "Figueres"); an organisation,
    country or named place of the gazetteer keeps its type; the words of the name
    (:func:`cue_label`); the noun before the name ("the company Orbiscope", "ciudad de
    Esmeraldas"); a GeoNames city that is not part of a person's name written in the text. A
    person with a title is left alone.
    """
    persons = person_words(text, spans)
    dateline = dateline_spans(text)
    spans = [s for s in spans if all(s.end <= d.start or s.start >= d.end for d in dateline)]
    out: list[RawSpan] = list(dateline)
    decided: set[int] = set()  # ids of spans typed by their own evidence
    for span in spans:
        tokens = tokenize(text, span.start, span.end)
        hint: str | None = None
        if not tokens:
            out.append(span)
            continue
        place = place_prefix(tokens[0], lang, gazetteer)
        if place is not None:
            out.append(place)  # "Umeåföretaget Norrland Biotech": the place Umeå, then the company
            if len(tokens) == 1:
                continue
        # "Reederei Dreiflüsse Cruises": only where nouns are capitalised is a descriptor inside a
        # span; elsewhere a capitalised head is part of the name ("Banco Europeo de Inversiones")
        glued = lang.capitalises_nouns or place is not None  # "Umeåföretaget Norrland Biotech"
        if len(tokens) > 1 and glued and not lang.is_title(tokens[0].text):
            lead = lang.descriptor(tokens[0].text)
            if lead is not None and all(is_capitalised(t.text) for t in tokens[1:2]):
                hint = lead
                span = RawSpan(tokens[1].start, span.end, span.label, span.role)
                tokens = tokens[1:]
        if span.role is not None and span.label == "PER":
            out.append(span)
            continue
        split = person_after_body(text, span, tokens, lang)
        if split is not None:
            out.extend(split)  # "dijo a la Cadena Levante Vicente Marhuenda, portavoz de …"
            continue
        surface = text[span.start : span.end]
        entry = gazetteer.lookup(surface, cities=True) or gazetteer.lookup(_bare(surface), cities=True)
        if entry is None and " " not in surface:
            entry = gazetteer.org_in_genitive(surface, lang.genitive)  # "FN:s", "Uneps"
        label = span.label
        cue = cue_label([t.text for t in tokens], lang)
        if cue == "ORG" and label == "PER" and _surname_like(tokens, lang):
            cue = None  # "Emily Post", "Anna Bank": an organisation word that is also a surname
        hint = hint or descriptor_before(text, span.start, lang)
        if hint is None and _place_title_before(text, span.start, lang):
            hint = "LOC"  # "the mayor of Vigevano", "alcalde de Figueres"
        if hint is None and label != "PER" and not lang.capitalises_nouns:
            # "du Hableány, un petit bateau touristique": an apposition names what it is
            announced = apposition(text, span.end, lang)
            hint = announced[0] if announced is not None and announced[0] != "PER" else None
        known_type = entry is not None and (
            (entry.kind in ("org", "place") and label != "MISC")
            or (entry.kind == "country" and label in ("PER", "ORG"))
            # a country by its own name is a place; "German", "Cypriot" (MISC) map to it too
            or (entry.kind == "country" and label == "MISC" and surface.casefold() == entry.name.casefold())
        )
        evidence = True
        if entry is not None and known_type:
            label = entry.label
        elif cue is not None:
            label = cue
        elif hint is not None:
            label = hint
        elif label == "PER" and article_before(text, span.start, lang):
            label = "LOC"  # "el Alt Empordà", "l'Empordà": a person takes no article
        elif (
            label in ("ORG", "LOC")
            and entry is None
            and len(tokens) <= 3
            and all(is_capitalised(t.text) for t in tokens)
            and (role := title_before(text, span.start, lang)) is not None
        ):
            label = "PER"  # "Chief executive Marit Engebretsen", "coach Fergal Costigan"
            span = RawSpan(span.start, span.end, label, role)
        elif (
            label in ("ORG", "LOC")
            and entry is None
            and 2 <= len(tokens) <= 3
            and all(is_capitalised(t.text) for t in tokens)
            and not lang.capitalises_nouns
            and (announced := apposition(text, span.end, lang)) is not None
            and announced[0] == "PER"
        ):
            label = "PER"  # "Marta Ibáñez, president of …", "Jan Berg, a spokesman for …"
            span = RawSpan(span.start, span.end, label, announced[1])
        elif (
            entry is not None
            and entry.kind in ("city", "place")
            and label != "LOC"
            and not any(_bare(t.text) in persons for t in tokens)
            # a first name or surname that is also a town ("Anna", "Borg") and a club or company
            # named after a city ("Barcelona", "Nokia") keep their type, unless a locative
            # preposition comes first ("i Fuengirola"); a person-typed big city is the city
            and (
                _after_loc_cue(text, span.start, lang)
                or entry.kind == "place"
                or (label != "ORG" and entry.population >= 100_000)
            )
        ):
            label = "LOC"
        else:
            evidence = entry is not None
        new = RawSpan(span.start, span.end, label, span.role)
        if evidence:
            decided.add(id(new))
        out.append(new)
    out = _coordinated_places(text, sorted(out, key=lambda s: s.start), decided)
    out = sorted(out + _coordinated_cities(text, out, gazetteer), key=lambda s: s.start)
    out = _short_forms(text, out, lang, gazetteer)
    out = _employers(text, out, lang, gazetteer)
    out = sorted(out + _glued_places(text, out, lang, gazetteer), key=lambda s: s.start)
    return out + institution_spans(text, out, lang)


def _glued_places(
    text: str, spans: Sequence[RawSpan], lang: LanguageData, gazetteer: Gazetteer
) -> list[RawSpan]:
    """Places glued to a descriptor in a capitalised word no span covers ("Umeåföretaget Norrland Biotech").

    A recogniser that tags the company but not the compound before it would otherwise lose the
    place; the compound inside a span is handled where the span is retyped.
    """
    if not lang.compounds:
        return []
    out = []
    for tok in tokenize(text, 0, len(text)):
        if not is_capitalised(tok.text) or lang.glued_head(tok.text) is None:
            continue  # (the cheap tests first: most words end in no descriptor)
        if any(s.start < tok.end and tok.start < s.end for s in spans):
            continue
        place = place_prefix(tok, lang, gazetteer)
        if place is not None:
            out.append(place)
    return out


def _place_title_before(text: str, start: int, lang: LanguageData) -> bool:
    """True after a title that belongs to a place and its preposition ("mayor of", "maire de")."""
    if not lang.place_titles:
        return False
    tokens = tokenize(text, max(0, start - 40), start)
    if (
        len(tokens) < 2
        or text[tokens[-1].end : start] != " "
        or text[tokens[-2].end : tokens[-1].start] != " "
    ):
        return False
    link = tokens[-1].text.casefold()
    return link in _PLACE_LINKS and tokens[-2].text.casefold() in lang.place_titles


_PLACE_LINKS = frozenset({"of", "de", "d", "del", "von", "in", "i", "för", "w", "di"})


def _employers(text: str, spans: list[RawSpan], lang: LanguageData, gazetteer: Gazetteer) -> list[RawSpan]:
    """ "Riverton manager Gareth Lloyd", "Halvorsen chief financial officer Trude Aasland": a name
    taken for a person right before a job title and a person is the person's club or employer
    (ORG), or a place when the gazetteer knows it ("Norway coach …")."""
    out = list(spans)
    for k in range(len(out) - 1):
        first, person = out[k], out[k + 1]
        if first.label != "PER" or first.role is not None or person.label != "PER":
            continue
        if not title_between(text[first.end : person.start], lang):
            continue
        surface = text[first.start : first.end]
        if len(surface.split()) > 2:
            continue
        title = text[first.end : person.start].strip()
        out[k] = RawSpan(first.start, first.end, employer_label(surface, title, lang, gazetteer), first.role)
    return out


def _short_forms(text: str, spans: list[RawSpan], lang: LanguageData, gazetteer: Gazetteer) -> list[RawSpan]:
    """A lone name that the text also writes in full takes the full name's type.

    "Helvetia" (a Latin name of Switzerland) after "Helvetia Pharma" is the company; "Cienfuegos"
    (a Cuban city) after "Álvaro Cienfuegos" is the person; "Keston", taken for a person, is the
    club "Keston United" unless a person of the text has that surname, the full name ends in a
    word the text also calls a person ("Kimani (Kiki) Gray" typed ORG beside "Gray" PER) or the
    word is a known place. A country's own name ("China" beside "China Daily"), a big city, and a
    name after a locative preposition ("in Norrland") keep their place type.
    """
    heads: dict[str, str] = {}
    person_heads: set[str] = set()  # heads of full names that may be persons after all
    surnames: set[str] = set()
    persons = {_bare(text[s.start : s.end]) for s in spans if s.label == "PER"}
    for span in spans:
        words = text[span.start : span.end].split()
        if len(words) > 1 and span.label == "ORG":
            heads.setdefault(words[0], "ORG")
            if _bare(words[-1]) in persons or not words[-1][:1].isalnum():
                person_heads.add(words[0])
        if len(words) > 1 and span.label == "PER":
            surnames.add(_bare(words[-1]))
    if not heads and not surnames:
        return spans
    out = []
    for span in spans:
        surface = _bare(text[span.start : span.end])
        if span.label == "LOC" and (surface in heads or surface in surnames):
            entry = gazetteer.lookup(surface, cities=True)
            before = tokenize(text, max(0, span.start - 20), span.start)
            located = bool(before) and before[-1].text.casefold() in lang.loc_cues
            own_name = (
                entry is not None and entry.kind == "country" and entry.name.casefold() == surface.casefold()
            )
            big = entry is not None and entry.kind == "city" and entry.population >= 1_000_000
            if not (located or own_name or big):
                span = RawSpan(
                    span.start, span.end, "PER" if surface in surnames else heads[surface], span.role
                )
        elif (
            span.label == "PER"
            and span.role is None
            and surface in heads
            and surface not in surnames
            and surface not in person_heads
            and gazetteer.lookup(surface, cities=True) is None  # "Wasilla" of "Wasilla Bible Church"
        ):
            span = RawSpan(span.start, span.end, heads[surface])  # "Keston" after "Keston United"
        out.append(span)
    return out


def _after_loc_cue(text: str, start: int, lang: LanguageData) -> bool:
    tokens = tokenize(text, max(0, start - 12), start)
    return (
        bool(tokens) and text[tokens[-1].end : start] == " " and tokens[-1].text.casefold() in lang.loc_cues
    )


def title_before(text: str, start: int, lang: LanguageData) -> str | None:
    """A title of the language written right before ``start`` ("Chief executive", "minister")."""
    before = text[max(0, start - 40) : start]
    if not before.endswith((" ", "\u00a0")):
        return None
    words = before.split()
    for n in (3, 2, 1):
        if len(words) < n:
            continue
        candidate = " ".join(words[-n:])
        if candidate.endswith(".") and candidate.casefold() not in lang.titles:
            return None  # "enligt vd:n. Assa Abloy": a sentence ends there; "Dr." is a title
        if candidate.casefold() in lang.titles or (n == 1 and lang.is_title(candidate)):
            return candidate
    return None


def article_before(text: str, start: int, lang: LanguageData) -> bool:
    """True when a definite article stands right before the name ("el Alt Empordà", "l'Empordà")."""
    tokens = tokenize(text, max(0, start - 12), start)
    if not tokens or text[tokens[-1].end : start] not in (" ", "'", "’"):
        return False
    return tokens[-1].text.casefold().rstrip("'’") in lang.place_articles


_AND = re.compile(r"\s*(?:,|,?\s+(?:and|y|e|et|och|und|og|en)\s+|,\s+(?:and|y|e|et|och|und|og|en)\s+)\s*")


def _coordinated_places(text: str, spans: list[RawSpan], decided: set[int]) -> list[RawSpan]:
    """ "Cistella, Vilanant, Avinyonet de Puigventós y Navata": in a list of three or more names of
    which at least two are places, a name without evidence of its own is a place too."""
    out = list(spans)
    i = 0
    while i < len(out):
        j = i
        while j + 1 < len(out) and _AND.fullmatch(text[out[j].end : out[j + 1].start]):
            j += 1
        group = out[i : j + 1]
        if len(group) >= 3 and sum(s.label == "LOC" for s in group) >= 2:
            for k in range(i, j + 1):
                span = out[k]
                shaped = (
                    span.label != "ORG"
                    or any(  # an ORG only from the shape "X de Y"
                        w.casefold() in _LINKS for w in text[span.start : span.end].split()[1:-1]
                    )
                )
                if span.label != "LOC" and id(span) not in decided and span.role is None and shaped:
                    out[k] = RawSpan(span.start, span.end, "LOC", span.role)
        i = j + 1
    return out


_OR_AND = re.compile(r"(?:,| (?:and|or|y|o|e|et|ou|och|eller|und|oder|og)) ")


def _coordinated_cities(text: str, spans: list[RawSpan], gazetteer: Gazetteer) -> list[RawSpan]:
    """ "Rotterdam, Antwerp or Bremerhaven": a GeoNames city the recogniser missed, joined by a
    comma or a conjunction to a place it found."""
    out: list[RawSpan] = []
    taken = [(s.start, s.end) for s in spans]
    for span in spans:
        if span.label != "LOC":
            continue
        match = _OR_AND.match(text, span.end)
        if match is None:
            continue
        nxt = tokenize(text, match.end(), min(len(text), match.end() + 40))[:1]
        if not nxt or nxt[0].start != match.end() or not is_capitalised(nxt[0].text):
            continue
        tok = nxt[0]
        if any(a < tok.end and tok.start < b for a, b in taken):
            continue
        entry = gazetteer.lookup(tok.text, cities=True)
        after = text[tok.end : tok.end + 2]
        if entry is not None and entry.kind == "city" and not (after[:1] == " " and after[1:2].isupper()):
            out.append(RawSpan(tok.start, tok.end, "LOC"))
            taken.append((tok.start, tok.end))
    return out

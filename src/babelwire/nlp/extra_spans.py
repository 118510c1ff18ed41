"""Spans any recogniser may miss, added or imposed by their shape: wire datelines, product codes,
GeoNames cities right after a locative preposition, known names written in small letters and
employers joined by a hyphen to a role ("Nordvik-Chefin").

:func:`dateline_spans` is also applied first by the type correction (:mod:`babelwire.nlp.retype`),
so that a dateline's places and agency win over what a model makes of a line in capitals.
"""

from __future__ import annotations

import re

from babelwire.nlp.gazetteer import Gazetteer
from babelwire.nlp.langdata import LanguageData
from babelwire.nlp.rules import known_word, next_to_name, sentence_initial
from babelwire.nlp.spans import SENTENCE_END, RawSpan, is_capitalised, tokenize

#: a product, vessel or drug code: letters, a hyphen, digits ("NB-204", "Skua-1", "MiG-29")
CODE_SHAPE = re.compile(r"(?<![\w-])[A-Z][A-Za-z]{1,9}-\d{1,5}(?![\w-])")

_CAPS = r"[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’.\- ]{1,30}[A-ZÀ-ÖØ-Þ]"
_DATELINE = re.compile(
    rf"(?P<places>{_CAPS}(?:/{_CAPS})*)\s?,\s+(?:(?P<country>[A-Z][\w.]+(?: [A-Z][\w.]+)?)\s?,\s+)?"
    r"[A-Z][a-z]{2,8}\.? \d{1,2}(?:\s?, \d{4})?(?:\s+\(\s?(?P<agency>[A-Z][^()\n]{0,40}?[\w.])\s?\))?\s+[-–—]"
)


# A dateline on a line of its own: "OSLO 2026-03-14", "BERGEN , Norway 2026-03-13", "NEW DELHI 9/3/2026"
_DATELINE_LINE = re.compile(
    rf"^[ \t]*(?P<places>{_CAPS}(?:/{_CAPS})*)(?:[ \t]*,[ \t]*(?P<country>[A-Z][\w.]+(?: [A-Z][\w.]+)?))?"
    r"[ \t]+(?:\d{4}-\d{2}-\d{2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4})[ \t]*$",
    re.MULTILINE,
)


def dateline_spans(text: str) -> list[RawSpan]:
    """The places and the agency of a wire dateline.

    "ZURICH/STOCKHOLM, Oct 22 (Meridian Wire) - …", "KIRUNA, Sweden, Oct 27 (Meridian Wire) - …"
    at the start of a text or of its second or third line (after a headline), also with spaces
    around the punctuation as in tokenised text ("OSLO , Sept 30 ( Meridian Wire ) -"), and a
    line holding only places and a numeric date ("OSLO 2026-03-14", "BERGEN , Norway 2026-03-13")
    anywhere: the capitalised places and the country are places,
    the name in brackets is the agency.
    """
    match = _DATELINE.match(text.lstrip())
    offset = len(text) - len(text.lstrip())
    if match is None:  # after a headline: at the start of the second or third line
        for line_start in [m.end() for m in re.finditer(r"\n\s*", text[:600])][:2]:
            match = _DATELINE.match(text, line_start)
            if match is not None:
                offset = 0
                break
    if match is None:
        out = []
        for line in _DATELINE_LINE.finditer(text):
            pos = line.start("places")
            for place in line.group("places").split("/"):
                out.append(RawSpan(pos, pos + len(place), "LOC"))
                pos += len(place) + 1
            if line.group("country"):
                out.append(RawSpan(line.start("country"), line.end("country"), "LOC"))
        return out
    out = []
    pos = offset + match.start("places")
    for place in match.group("places").split("/"):
        out.append(RawSpan(pos, pos + len(place), "LOC"))
        pos += len(place) + 1
    if match.group("country"):
        out.append(RawSpan(offset + match.start("country"), offset + match.end("country"), "LOC"))
    if match.group("agency"):
        out.append(RawSpan(offset + match.start("agency"), offset + match.end("agency"), "ORG"))
    return out


def located_city_spans(text: str, lang: LanguageData, gazetteer: Gazetteer) -> list[RawSpan]:
    """GeoNames cities right after a locative preposition ("i Fuengirola", "in Passau")."""
    tokens = tokenize(text)
    out = []
    for i in range(1, len(tokens)):
        prev, tok = tokens[i - 1], tokens[i]
        if prev.text.casefold() not in lang.loc_cues or text[prev.end : tok.start] != " ":
            continue
        if not is_capitalised(tok.text) or sentence_initial(text, tokens, i):
            continue
        for n in range(min(3, len(tokens) - i), 0, -1):
            last = tokens[i + n - 1]
            surface = text[tok.start : last.end]
            if n > 1 and SENTENCE_END.search(surface):
                continue
            entry = gazetteer.lookup(surface, cities=True)
            if entry is not None and entry.kind == "city":
                if n == 1 and tok.text.casefold() in lang.stopwords:
                    break  # "in March 2023", "in May": the month, not the town of March
                if not next_to_name(text, tokens, i, i + n - 1, lang):
                    out.append(RawSpan(tok.start, last.end, "LOC"))
                break
    return out


def extra_spans(text: str, lang: LanguageData, gazetteer: Gazetteer) -> list[RawSpan]:
    """Spans any recogniser may miss: product codes, cities after a locative preposition and
    known organisations whose name starts with a small letter."""
    return [
        *code_spans(text),
        *located_city_spans(text, lang, gazetteer),
        *lower_case_spans(text, gazetteer),
        *employer_prefix_spans(text, lang, gazetteer),
    ]


#: "Nordvik-Chefin", "SPD-Chef": a name joined by a hyphen to a role word
_ROLE_COMPOUND = re.compile(r"(?<![\w-])([A-ZÀ-ÖØ-Þ][\w.&]*?)-([^\W\d_]{3,})(?![\w-])")


def employer_prefix_spans(text: str, lang: LanguageData, gazetteer: Gazetteer) -> list[RawSpan]:
    """The employer in a role written as one hyphenated word ("Nordvik-Chefin Linnea Åkesson"):
    an organisation, or the gazetteer's type when the name is known.

    Only where nouns are capitalised: the Swedish corpus marks no name inside a word such as
    "CiU-ledaren", and annotated English or French rarely writes a role so.
    """
    if not lang.capitalises_nouns:
        return []
    out = []
    for match in _ROLE_COMPOUND.finditer(text):
        name, role = match.group(1), match.group(2)
        if len(name) < 2 or not (lang.is_title(role) or role.casefold() in lang.role_suffixes):
            continue
        entry = gazetteer.lookup(name, cities=False)
        # "Vize-Chef", "Ex-Chefin": a word, not a name
        common = known_word(name, lang.code) and not name.isupper()
        if entry is None and (lang.is_title(name) or common):
            continue
        out.append(RawSpan(match.start(1), match.end(1), entry.label if entry else "ORG"))
    return out


#: "IgA nephropathy", "Crohn's disease", "Tourette syndrome": names, then an English disease word
_DISEASE = re.compile(
    r"(?<![\w-])((?:[A-Z][\w-]*(?:['’]s)?\s+){1,3})"
    r"(disease|syndrome|disorder|[a-z]{3,}(?:pathy|itis|osis|emia|aemia))(?![\w-])"
)
#: Words with a disease ending that name no disease.
_NOT_DISEASES = frozenset({
    "diagnosis", "prognosis", "hypnosis", "osmosis", "symbiosis", "metamorphosis", "apotheosis",
    "sympathy", "empathy", "apathy", "antipathy", "telepathy", "homeopathy", "naturopathy",
    "osteopathy", "academia",
})  # fmt: skip
#: Heads that follow a possessive name ("Crohn's disease"); "Merkel's prognosis" is no disease.
_POSSESSIVE_HEADS = frozenset({"disease", "syndrome", "disorder"})
_POSSESSIVE = re.compile(r"['’]s$")


def disease_spans(text: str, lang: LanguageData) -> list[RawSpan]:
    """Diseases named after a name, as MISC spans over the name and the disease word.

    English, and in languages that list ``hyphen_diseases`` (Swedish) a name joined to the disease
    word by a hyphen ("IgA-nefropati"); other languages put the disease word first ("maladie de
    Crohn"), where the name alone is what their corpora mark. In English the name is the
    capitalised words right before the disease word, without common words at its left ("In",
    "The") and without a possessive before its last word ("Sweden's Tourette syndrome" →
    "Tourette syndrome"); a possessive name goes only with "disease", "syndrome" or "disorder".
    """
    if lang.hyphen_diseases:
        return _hyphen_diseases(text, lang)
    if lang.code != "en":
        return []
    out = []
    for match in _DISEASE.finditer(text):
        head = match.group(2)
        if head in _NOT_DISEASES:
            continue
        words = list(re.finditer(r"\S+", match.group(1)))
        keep = len(words)
        while keep > 0:
            word = words[keep - 1].group()
            bare = _POSSESSIVE.sub("", word)
            if (bare != word and keep < len(words)) or (known_word(bare, lang.code) and not bare.isupper()):
                break
            keep -= 1
        name = words[keep:]
        if not name or (_POSSESSIVE.search(name[-1].group()) and head not in _POSSESSIVE_HEADS):
            continue
        out.append(RawSpan(match.start(1) + name[0].start(), match.end(2), "MISC"))
    return out


def _hyphen_diseases(text: str, lang: LanguageData) -> list[RawSpan]:
    """One-word diseases named after a name with a hyphen ("IgA-nefropati", "Tourette-syndromet")."""
    words = "|".join(re.escape(w) for w in sorted(lang.hyphen_diseases, key=len, reverse=True))
    pattern = rf"(?<![\w-])[A-ZÅÄÖÜÉ]\w*-(?i:{words})(?![\w-])"
    return [RawSpan(m.start(), m.end(), "MISC") for m in re.finditer(pattern, text)]


def lower_case_spans(text: str, gazetteer: Gazetteer) -> list[RawSpan]:
    """Known organisations named with a small first letter ("ver.di"), written exactly so."""
    out = []
    for name, entry in gazetteer.lower_case_names.items():
        for match in re.finditer(rf"(?<![\w.@/-]){re.escape(name)}(?![\w@/-]|\.\w)", text):
            out.append(RawSpan(match.start(), match.end(), entry.label))
    return out


def code_spans(text: str) -> list[RawSpan]:
    """Product, vessel and drug codes ("NB-204", "Skua-1") as MISC spans."""
    return [RawSpan(m.start(), m.end(), "MISC") for m in CODE_SHAPE.finditer(text)]

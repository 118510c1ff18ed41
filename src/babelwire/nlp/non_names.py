"""Spans that are never names, whatever recognised them: centuries, function words, time zones.

Every recogniser's spans pass :func:`drop_non_names` at the end of the clean-up. Each rule is a
shape no entity has, in any language:

- a roman numeral of a century ("XIXe siècle", "siglo XIX", "s. XIX", "XX. Jahrhundert"), which
  GeoNames lists as another name of a city district (Paris 19);
- a function word alone at the start of a sentence ("Es un día…", "El fuego…", "Der Sturm…");
- a time zone ("0400 GMT", "13 Uhr MEZ"), alone or with the hour word before it;
- in German, a person made of an inflected adjective before a noun ("Starke Tramontana-Winde"):
  a description;
- in German, "Ende", "Anfang" or "Mitte" before a month or a year, and a month after them
  ("bis Ende März", "Mitte Mai"): a time, not the towns Ende or Mai;
- a month's name alone after a word of time ("reopen in May.", "depuis mars", "hasta mayo") that
  a model took for a place or an organisation (GeoNames has towns called May and March); a person
  keeps it ("Theresa May", or "May said");
- in German, a point of the compass alone ("nach Norden", "im Süden"): a direction, not the town
  of Norden; "im Nahen Osten" is a longer name and stays.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import simplemma

from babelwire.nlp.langdata import LanguageData
from babelwire.nlp.spans import RawSpan

#: a roman numeral of up to 39 (centuries), written as a word of its own
_ROMAN = re.compile(r"X{0,3}(?:IX|IV|V?I{0,3})")
#: an ordinal ending after a roman numeral: "XIXe", "XXème", "Ier", "XIXº"
_ROMAN_ORDINAL = re.compile(r"(?:e|ème|eme|er|re|º|°|\.)?")
#: "siglo", "s." and the other words written before or after a century's numeral
_CENTURY_WORDS = frozenset(
    {"siècle", "siècles", "siglo", "siglos", "s.", "secolo", "século", "jahrhundert", "jahrhunderts",
     "century", "århundradet", "århundrede", "eeuw", "wieku", "wiek", "yüzyıl", "vuosisadalla"}
)  # fmt: skip
#: function words (articles, pronouns, copulas, conjunctions) that models read as a name when they
#: open a sentence, in the languages with recognisers; compared in lower case
FUNCTION_WORDS = frozenset(
    {"es", "el", "la", "le", "les", "los", "las", "lo", "un", "une", "una", "uno", "unos", "unas",
     "der", "die", "das", "dem", "den", "des", "ein", "eine", "einen", "einem", "einer", "eines",
     "det", "de", "en", "ett", "et", "il", "het", "een", "o", "os", "as", "um", "uma", "y", "und",
     "och", "og", "ce", "cette", "ces", "este", "esta", "esto", "ese", "esa", "eso", "ist", "est",
     "sind", "är", "fue", "c'est", "hay"}
)  # fmt: skip
#: time zones written as abbreviations ("0400 GMT", "7 a.m. EST", "13 Uhr MEZ")
TIME_ZONES = frozenset(
    {"GMT", "UTC", "CET", "CEST", "EET", "EEST", "WET", "WEST", "BST", "EST", "EDT", "CST", "CDT",
     "MST", "MDT", "PST", "PDT", "AKST", "HST", "JST", "KST", "AEST", "AEDT", "ACST", "AWST", "NZST",
     "NZDT", "MSK", "MEZ", "MESZ", "OEZ", "WEZ", "SAST", "CAT", "EAT", "WAT", "ART", "BRT"}
)  # fmt: skip
#: words for the hour written next to a time zone ("13 Uhr GMT")
_HOUR_WORDS = frozenset(
    {"uhr", "h", "hrs", "hours", "heure", "heures", "hora", "horas", "kl", "klockan", "ora"}
)
_GERMAN_MONTHS = frozenset(
    {"januar", "jänner", "februar", "märz", "april", "mai", "juni", "juli", "august", "september",
     "oktober", "november", "dezember"}
)  # fmt: skip
_PART_OF_TIME = frozenset({"ende", "anfang", "mitte"})


def _month_names() -> frozenset[str]:
    import json
    from importlib import resources

    names: set[str] = set()
    for lang in ("en", "de", "fr", "es", "sv"):
        path = resources.files("babelwire.nlp.resources") / f"timex_{lang}.json"
        try:
            months = json.loads(path.read_text(encoding="utf-8")).get("months", {})
        except (OSError, ValueError):
            continue
        names.update(k for k in months if "." not in k and len(k) >= 3)
    return frozenset(names)


#: German points of the compass, capitalised as nouns ("nach Norden" is no town)
_GERMAN_COMPASS = frozenset(
    {"norden", "süden", "osten", "westen", "nordosten", "nordwesten", "südosten", "südwesten"}
)
#: full month names in the languages with time rules ("may", "mars", "mayo", "maj", "mai")
MONTHS = _month_names()
#: words after which a month's name is a time ("in May", "seit Mai", "hasta mayo", "sedan maj")
_TIME_WORDS = frozenset(
    {"in", "by", "until", "till", "since", "from", "early", "late", "mid", "next", "last", "this",
     "during", "before", "after", "of", "en", "à", "début", "fin", "mi", "depuis", "dès", "a",
     "hasta", "desde", "de", "durante", "principios", "finales", "mediados", "i", "från",
     "sedan", "under", "före", "efter", "im", "bis", "seit", "ab", "vom", "zum", "nach", "vor"}
)  # fmt: skip
_OPENING = "\"'“”„«»‹›‚‘’([¿¡–—- \t"
_ADJECTIVE_ENDINGS = ("e", "en", "er", "es", "em")
_NEXT_WORD = re.compile(r"\s*([^\W_]\w*)")
_PREVIOUS_WORD = re.compile(r"([^\W_]\w*)\W*$")


def _sentence_initial(text: str, start: int) -> bool:
    """True when only opening quotes or brackets stand between ``start`` and a sentence's start."""
    before = text[:start].rstrip(_OPENING)
    return not before or before[-1] in ".!?…:;\n"


def _century(text: str, span: RawSpan) -> bool:
    """A roman numeral of a century, with its ordinal ending or a century word next to it."""
    words = text[span.start : span.end].split()
    if len(words) == 2 and words[0].casefold() in _CENTURY_WORDS | {"s"}:
        words = words[1:]  # "s. XIX", "siglo XIX" as one span
    elif len(words) == 2 and words[1].casefold().rstrip(".,;:") in _CENTURY_WORDS:
        words = words[:1]  # "XXe siècle" as one span
    if len(words) != 1:
        return False
    word = words[0]
    numeral = re.match(r"[IVX]+", word)
    if numeral is None or not _ROMAN.fullmatch(numeral.group()):
        return False
    if not _ROMAN_ORDINAL.fullmatch(word[numeral.end() :]):
        return False
    following = _NEXT_WORD.match(text, span.end)
    preceding = _PREVIOUS_WORD.search(text, 0, span.start)
    near_century_word = any(
        m is not None and m.group(1).casefold() in _CENTURY_WORDS | {"s"} for m in (following, preceding)
    )
    # "XIX", "XXe": two letters or more; a single letter ("X", "I") only beside a century word
    return len(numeral.group()) >= 2 or near_century_word


def _time_zone(text: str, span: RawSpan) -> bool:
    """A time zone, alone or with the hour word before it ("GMT", "Uhr GMT")."""
    words = text[span.start : span.end].split()
    if not words or words[-1].strip(".,;:()") not in TIME_ZONES:
        return False
    return all(w.casefold().strip(".") in _HOUR_WORDS for w in words[:-1])


def _german_adjective(word: str) -> bool:
    """An inflected German adjective ("starke" of "stark", "große" of "groß"), in any case."""
    low = word.casefold()
    if not low.endswith(_ADJECTIVE_ENDINGS) or not low.isalpha():
        return False
    lemma = simplemma.lemmatize(low, lang="de")
    return lemma != low and lemma[:1].islower() and low.startswith(lemma[: max(1, len(lemma) - 1)])


def _german_noun(word: str) -> bool:
    """A German common noun the lemma dictionary knows ("Winde", "Tramontana-Winde" by its head)."""
    head = word.rsplit("-", 1)[-1]
    if not head[:1].isupper() or not simplemma.is_known(head.casefold(), lang="de"):
        return False
    return simplemma.lemmatize(head, lang="de")[:1].isupper()


def _described_thing(text: str, span: RawSpan) -> bool:
    """German: an inflected adjective (lower case, or opening the sentence) before a noun."""
    words = text[span.start : span.end].split()
    if len(words) < 2:
        return False
    for i, word in enumerate(words[:-1]):
        at = span.start + text[span.start : span.end].find(word)
        written_lower = word[:1].islower()
        opening = i == 0 and _sentence_initial(text, at)
        if (written_lower or opening) and _german_adjective(word) and _german_noun(words[i + 1]):
            return True
    return False


def _part_of_time(text: str, span: RawSpan) -> bool:
    """German: "Ende" / "Anfang" / "Mitte" before a month or a year, or a month after them."""
    surface = text[span.start : span.end]
    low = surface.casefold()
    if low in _PART_OF_TIME:
        following = _NEXT_WORD.match(text, span.end)
        return following is not None and (
            following.group(1).casefold() in _GERMAN_MONTHS or following.group(1)[:4].isdigit()
        )
    if low in _GERMAN_MONTHS:
        preceding = _PREVIOUS_WORD.search(text, 0, span.start)
        return preceding is not None and preceding.group(1).casefold() in _PART_OF_TIME
    return False


def non_name(text: str, span: RawSpan, lang: LanguageData) -> bool:
    """True when the span has a shape no name has (see the module's rules)."""
    surface = text[span.start : span.end]
    if _century(text, span) or _time_zone(text, span):
        return True
    low = surface.casefold()
    # written as a word ("Es", "La"), not as an acronym ("UN", "EL")
    word_case = " " not in surface and not (len(surface) > 1 and surface.isupper())
    if word_case and (low in FUNCTION_WORDS or low in lang.articles) and _sentence_initial(text, span.start):
        return True
    if lang.code == "de" and span.label == "PER" and _described_thing(text, span):
        return True
    if span.label != "PER" and " " not in surface.strip() and low.rstrip(".") in MONTHS:
        preceding = _PREVIOUS_WORD.search(text, 0, span.start)
        if preceding is not None and preceding.group(1).casefold() in _TIME_WORDS:
            return True
    if lang.code == "de" and span.label != "PER" and low in _GERMAN_COMPASS:
        return True
    return lang.code == "de" and _part_of_time(text, span)


def drop_non_names(text: str, spans: Sequence[RawSpan], lang: LanguageData) -> list[RawSpan]:
    """``spans`` without those that are never names (:func:`non_name`)."""
    return [span for span in spans if not non_name(text, span, lang)]

"""Names of bodies that capitalisation hides: German adjectives and French lower-case words.

**A name defined by an acronym** in brackets may hold lower-case words in any language: "l'Office
central de lutte contre le trafic des biens culturels (OCBC)". The name starts at the nearest
capitalised word before the brackets that starts with the acronym's first letter (at most 12
words back, no punctuation in between), when the letters of the acronym are, in order, among the
initials of the name's words. Its type is the one its words announce ("Office"), else the
gazetteer's type of the acronym, else MISC where the recogniser found a MISC span at its start (a
programme: "Mécanisme pour l'interconnexion en Europe (MIE)"), else ORG; the acronym gets the
same type. A span that runs on into the defined name from before it ends before
it ("Plan d'action pour la Méditerranée du Programme … (PNUE)").

**German**

German writes every noun with a capital, so a run of capitalised words says little about names,
and the rule recogniser keeps only the words its dictionary does not know. An adjective, though,
is written small unless it is part of a name: "vom Nationalen Institut für Cybersicherheit", "des
Geodynamischen Instituts", "die Europäische Zentralbank". So a capitalised adjective that does not
start its sentence, right before an organisation's head noun (``org_words`` or an organisation
ending such as "-kammer" or "-bank"), starts a body's name. The name runs on over

- "für" and one or two capitalised nouns joined by "und" ("Institut für Cybersicherheit",
  "Handelskammer für München und Oberbayern"), and
- a known place written right after the head ("Nationalen Observatorium Athen"; not "… Instituts
  in Athen", where the place is where the body is, not part of its name).

A truncated compound joined by "und" or "oder" before such a head ("Industrie- und
Handelskammer") starts the name too. Not a body's name: an adjective at the start of a line (a
headline without a full stop), a possessive pronoun of polite address ("in Ihrer Tageszeitung"),
and an adjective and head followed by an unknown name, which they describe ("die Schweizer Bank
Credit Suisse").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from babelwire.nlp.gazetteer import Gazetteer
from babelwire.nlp.langdata import LanguageData
from babelwire.nlp.retype import cue_label
from babelwire.nlp.rules import known_word, sentence_initial
from babelwire.nlp.spans import ELISION, RawSpan, Token, is_acronym, is_capitalised, tokenize

#: inflected adjective endings ("Nationalen", "Europäische", "Geodynamischer")
_INFLECTED = re.compile(r"(?:e|en|er|es|em)$")
#: adjective-forming endings, for adjectives the dictionary does not know ("Geodynamischen")
_ADJECTIVE_STEM = re.compile(r"(?:isch|al|är|ell|iv|lich|ig|an)(?:e|en|er|es|em)$")
_AND = frozenset({"und", "oder"})
#: possessive pronouns, capitalised in polite address ("in Ihrer Tageszeitung")
_PRONOUN = re.compile(r"(?:ihr|sein|unser|euer|mein|dein)(?:e|er|em|en|es)?")
#: the preposition that joins a body to its field ("Institut für Cybersicherheit")
_FOR = frozenset({"für"})


def _adjective(text: str, tokens: list[Token], i: int, lang: LanguageData) -> bool:
    """A capitalised adjective in the middle of a sentence (the start of a name in German)."""
    word = tokens[i].text
    if not is_capitalised(word) or word.isupper() or sentence_initial(text, tokens, i):
        return False
    before = text[max(0, tokens[i].start - 2) : tokens[i].start]
    if before == "  " or "\n" in before:
        return False  # the start of a line, as after a headline without a full stop
    low = word.casefold()
    if (
        low in lang.stopwords
        or low in lang.determiners
        or _PRONOUN.fullmatch(low)
        or not _INFLECTED.search(low)
    ):
        return False
    return bool(_ADJECTIVE_STEM.search(low)) or known_word(low, lang.code)


def _head(word: str, lang: LanguageData) -> bool:
    """An organisation's head noun ("Institut", "Instituts", "Observatorium", "Handelskammer")."""
    low = word.casefold()
    return is_capitalised(word) and (low in lang.org_words or lang.org_suffixed(low))


def _spaced(text: str, a: Token, b: Token) -> bool:
    return text[a.end : b.start] == " "


def _truncated(text: str, tokens: Sequence[Token], i: int) -> int | None:
    """Index of the first token of "Industrie- und Handelskammer" when token ``i`` is its head."""
    if i < 2 or tokens[i - 1].text.casefold() not in _AND:
        return None
    before = tokens[i - 2]
    if text[before.end : tokens[i - 1].start] != "- " or not is_capitalised(before.text):
        return None
    return i - 2


def _run_on(text: str, tokens: Sequence[Token], j: int, gazetteer: Gazetteer) -> int:
    """The last token of the name whose head is token ``j``: its field and place, if written."""
    last = j
    k = j + 1
    if (
        k + 1 < len(tokens)
        and tokens[k].text.casefold() in _FOR
        and _spaced(text, tokens[j], tokens[k])
        and _spaced(text, tokens[k], tokens[k + 1])
        and is_capitalised(tokens[k + 1].text)
    ):
        last = k + 1
        if (
            k + 3 < len(tokens)
            and tokens[k + 2].text.casefold() in _AND
            and _spaced(text, tokens[k + 1], tokens[k + 2])
            and _spaced(text, tokens[k + 2], tokens[k + 3])
            and is_capitalised(tokens[k + 3].text)
        ):
            last = k + 3
        return last
    if k < len(tokens) and _spaced(text, tokens[j], tokens[k]) and is_capitalised(tokens[k].text):
        entry = gazetteer.lookup(tokens[k].text, cities=True)
        if entry is not None and entry.kind != "org":
            last = k
    return last


def _names_follow(text: str, tokens: Sequence[Token], j: int, gazetteer: Gazetteer) -> bool:
    """True when an unknown capitalised word follows the head ``j`` (a name the words describe)."""
    k = j + 1
    if k >= len(tokens) or not _spaced(text, tokens[j], tokens[k]):
        return False
    word = tokens[k].text
    return (
        is_capitalised(word) and word.casefold() not in _FOR and gazetteer.lookup(word, cities=True) is None
    )


def body_spans(text: str, lang: LanguageData, gazetteer: Gazetteer) -> list[RawSpan]:
    """ORG spans of bodies named with a capitalised adjective or a truncated compound (German)."""
    if not lang.capitalises_nouns:
        return []
    tokens = tokenize(text)
    out: list[RawSpan] = []
    i = 0
    while i < len(tokens):
        first = i
        while i < len(tokens) and not _head(tokens[i].text, lang) and _adjective(text, tokens, i, lang):
            if i + 1 < len(tokens) and not _spaced(text, tokens[i], tokens[i + 1]):
                break
            i += 1
        start = first if i > first else None
        if i < len(tokens) and _head(tokens[i].text, lang):
            if start is None:
                start = _truncated(text, tokens, i)
            if start is not None and _names_follow(text, tokens, i, gazetteer):
                i += 1  # "die Schweizer Bank Credit Suisse": a description before the name
                continue
            if start is not None:
                last = _run_on(text, tokens, i, gazetteer)
                out.append(RawSpan(tokens[start].start, tokens[last].end, "ORG"))
                i = last + 1
                continue
        i = max(i, first + 1)
    return out


#: an acronym in brackets: "(OCBC)", "(MIE)"
_DEFINED = re.compile(r"\(([A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þa-z]{1,7})\)")
#: the most words a name defined by an acronym may have
_MAX_DEFINED_WORDS = 12


def _unelided(tok: Token) -> tuple[str, int]:
    """A word without an elided article ("l'Office" → "Office") and the offset where it starts."""
    match = ELISION.match(tok.text)
    return (tok.text[match.end() :], tok.start + match.end()) if match else (tok.text, tok.start)


def _initial(word: str) -> str:
    """The first letter, small and without accents ("îles" → "i")."""
    return unicodedata.normalize("NFD", word[:1].casefold())[:1]


def _subsequence(letters: str, initials: str) -> bool:
    """True when ``letters`` appear in ``initials`` in order ("ocbc" in "oclctdbc")."""
    pos = iter(initials)
    return all(c in pos for c in letters)


def defined_name_spans(
    text: str, spans: Sequence[RawSpan], lang: LanguageData, gazetteer: Gazetteer
) -> list[RawSpan]:
    """Names with lower-case words, defined by the acronym in brackets after them (see module),
    and the acronyms, with the name's type."""
    out: list[RawSpan] = []
    for match in _DEFINED.finditer(text):
        acronym = match.group(1)
        if not is_acronym(acronym) or text[max(0, match.start() - 1) : match.start()] != " ":
            continue
        tokens = tokenize(text, max(0, match.start() - 160), match.start() - 1)
        if len(tokens) < 2 or tokens[-1].end != match.start() - 1:
            continue
        letters = acronym.casefold()
        words = [_unelided(t) for t in tokens]
        first = None
        for k in range(len(tokens) - 2, max(-1, len(tokens) - 1 - _MAX_DEFINED_WORDS), -1):
            if text[tokens[k].end : tokens[k + 1].start] != " ":
                break
            word = words[k][0]
            if is_capitalised(word) and word[:1].casefold() == letters[0]:
                first = k
                break
        if first is None or not _subsequence(letters, "".join(_initial(w) for w, _ in words[first:])):
            continue
        start, end = words[first][1], tokens[-1].end
        if any(s.start == start and s.end == end for s in spans):
            continue  # the recogniser found the name as it is
        found = next((s for s in spans if s.start in (start, tokens[first].start)), None)
        entry = gazetteer.lookup(acronym, cities=False)
        label = cue_label([w for w, _ in words[first:]], lang) or (entry.label if entry is not None else None)
        if label is None:
            label = "MISC" if found is not None and found.label == "MISC" else "ORG"
        out.append(RawSpan(start, end, label))
        out.append(RawSpan(match.start(1), match.end(1), label))  # the acronym names the same body
    return out


def cut_before_defined(
    text: str, spans: Sequence[RawSpan], defined: Sequence[RawSpan], lang: LanguageData
) -> list[RawSpan]:
    """Spans that run on into a name an acronym defines end before it: "Plan d'action pour la
    Méditerranée du [Programme des Nations unies pour l'environnement] (PNUE)" is two names, the
    second defined by the acronym."""
    out = []
    for span in spans:
        cut = next((d for d in defined if span.start < d.start < span.end <= d.end), None)
        if cut is not None:
            words = tokenize(text, span.start, cut.start)
            while words and (
                words[-1].text.casefold() in lang.connectors or words[-1].text.casefold() in lang.articles
            ):
                words.pop()  # "… Méditerranée du"
            if not words:
                continue
            span = RawSpan(span.start, words[-1].end, span.label, span.role)
        out.append(span)
    return out

"""Names that the words around them announce, where the recogniser found nothing.

A statistical model misses rare names in plain sight ("French company Orbiscope", "Jan-Hendrik
Vollmer, a spokesman for …", "between Kiruna and Riksgränsen"). The words next to such a name say
what it is, in any language that has the word lists:

- a descriptor noun right before it ("company", "operator", "village"; ``descriptors`` in
  ``resources/lang_XX.json``) gives the descriptor's type;
- an apposition right after it: ", the mining company that …" gives the descriptor's type, ", a
  spokesman for …" / ", president of …" (a title of ``titles``) makes a name of two or three words
  a person;
- a job title and a person right after it ("Riverton manager Gareth Lloyd") make it the person's
  club or employer;
- an article before it and a place noun after it ("the Empordà area") make it a place;
- "between X and Y" (``between``) where the recogniser found one side: the other side gets its type;
- a name in quotation marks after an article or a descriptor ("die „Wachau Serenade“", 'the ship
  "Nordic Star"') is the name of a ship, a work or a product (MISC), in every language.

Only capitalised words that no span covers are added, never a word the language's lemma dictionary
knows as a common word ("However, the company …", "Monday"), and nothing in languages that
capitalise their nouns, where capitalisation says nothing about names.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from babelwire.nlp.gazetteer import Gazetteer
from babelwire.nlp.langdata import LanguageData
from babelwire.nlp.rules import known_word, sentence_initial
from babelwire.nlp.spans import RawSpan, Token, is_acronym, is_capitalised, tokenize

#: the most words a name found this way may have
MAX_WORDS = 3
#: the most words between the comma of an apposition and its descriptor or title
_APPOSITION_WORDS = 4
_OWN_WORD = re.compile(r"[\w'’-]+")
#: "CEOs", "NGOs": a plural of a common acronym, not a name
_PLURAL_ACRONYM = re.compile(r"[A-Z]{2,}s")


def _name_word(word: str, lang: LanguageData) -> bool:
    """A capitalised word that may be part of a name (not a stop word or a title)."""
    if (
        not is_capitalised(word)
        or len(word) < 2
        or not _OWN_WORD.fullmatch(word)
        or _PLURAL_ACRONYM.fullmatch(word)
    ):
        return False
    low = word.casefold()
    return low not in lang.stopwords and low not in lang.articles and not lang.is_title(word)


class _Covered:
    """Which characters of a text some span covers (overlap tests in time linear in the span)."""

    def __init__(self, text: str, spans: Sequence[RawSpan]) -> None:
        self.marks = bytearray(len(text) + 1)
        for span in spans:
            self.add(span.start, span.end)

    def add(self, start: int, end: int) -> None:
        self.marks[start:end] = b"\x01" * (end - start)

    def overlaps(self, start: int, end: int) -> bool:
        return any(self.marks[start:end])


class _SpanIndex:
    """The recogniser's spans by start and end offset, and its persons in text order."""

    def __init__(self, spans: Sequence[RawSpan]) -> None:
        self.by_start = {s.start: s for s in spans}
        self.by_end = {s.end: s for s in spans}
        self.persons = sorted((s for s in spans if s.label == "PER"), key=lambda s: s.start)
        self.person_starts = [s.start for s in self.persons]
        self._token_starts: dict[int, int] | None = None

    def starting_at(self, start: int) -> RawSpan | None:
        return self.by_start.get(start)

    def ending_at(self, end: int) -> RawSpan | None:
        return self.by_end.get(end)

    def next_person(self, after: int) -> RawSpan | None:
        k = bisect.bisect_right(self.person_starts, after)
        return self.persons[k] if k < len(self.persons) else None

    def token_at(self, tokens: Sequence[Token], start: int) -> int | None:
        if self._token_starts is None:
            self._token_starts = {t.start: n for n, t in enumerate(tokens)}
        return self._token_starts.get(start)


def _runs(text: str, tokens: Sequence[Token], lang: LanguageData) -> list[tuple[int, int]]:
    """Maximal runs (first, last token index) of capitalised words separated by one space."""
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(tokens):
        if not _name_word(tokens[i].text, lang):
            i += 1
            continue
        j = i
        while (
            j + 1 < len(tokens)
            and text[tokens[j].end : tokens[j + 1].start] == " "
            and _name_word(tokens[j + 1].text, lang)
        ):
            j += 1
        runs.append((i, j))
        i = j + 1
    return runs


def apposition(text: str, end: int, lang: LanguageData) -> tuple[str, str] | None:
    """What an apposition after ``end`` announces: ("ORG", "company") or ("PER", "spokesman")."""
    if not text.startswith(", ", end):
        return None
    words = tokenize(text, end + 2, min(len(text), end + 90))
    previous = end + 1
    for k, tok in enumerate(words[:_APPOSITION_WORDS]):
        if text[previous : tok.start].strip() or not tok.text[:1].islower():
            return None  # punctuation or a capitalised word before the descriptor: not an apposition
        previous = tok.end
        low = tok.text.casefold()
        opening = low in lang.determiners or low in lang.articles
        if k == 0 and not opening and not lang.is_title(tok.text) and lang.descriptor(tok.text) is None:
            return None  # ", a spokesman", ", the mining company", ", president of"; not ", she said"
        bare = re.sub(r"['’]s$", "", tok.text)
        if bare != tok.text:
            continue  # "the company's chief executive": the owner, then the title
        if k + 1 < len(words) and f"{tok.text} {words[k + 1].text}".casefold() in lang.titles:
            return "PER", f"{tok.text} {words[k + 1].text}"  # "chief executive"
        if lang.is_title(tok.text):
            return "PER", tok.text
        label = lang.descriptor(tok.text)
        if label is not None:
            if k + 1 < len(words) and lang.is_title(words[k + 1].text):
                return "PER", words[k + 1].text  # ", a company director": the title decides
            return label, tok.text
    return None


def person_after_body(
    text: str, span: RawSpan, tokens: Sequence[Token], lang: LanguageData
) -> list[RawSpan] | None:
    """A body's name and a person run together ("Cadena Levante Vicente Marhuenda, portavoz de
    …"): a span of four or more capitalised words that an apposition calls a person is the body,
    then the person in its last two words."""
    if (
        span.label == "PER"
        or len(tokens) < 4
        or lang.capitalises_nouns
        or not all(is_capitalised(t.text) for t in tokens[-3:])
        or text[tokens[-3].end : tokens[-2].start] != " "
    ):
        return None
    announced = apposition(text, span.end, lang)
    if announced is None or announced[0] != "PER":
        return None
    body = RawSpan(span.start, tokens[-3].end, "ORG")
    return [body, RawSpan(tokens[-2].start, span.end, "PER", announced[1])]


def context_spans(
    text: str, spans: Sequence[RawSpan], lang: LanguageData, gazetteer: Gazetteer
) -> list[RawSpan]:
    """Names the recogniser missed whose type the neighbouring words give (see the module)."""
    if lang.caseless:
        return []
    out = quoted_names(text, spans, lang)
    if lang.capitalises_nouns:
        return out
    tokens = tokenize(text)
    taken = _Covered(text, [*spans, *out])
    index = _SpanIndex(spans)
    for first, last in _runs(text, tokens, lang):
        if last - first + 1 > MAX_WORDS:
            continue
        start, end = tokens[first].start, tokens[last].end
        if taken.overlaps(start, end):
            continue
        words = [t.text for t in tokens[first : last + 1]]
        initial = sentence_initial(text, tokens, first)
        common = known_word(words[0], lang.code) and not is_acronym(words[0])
        if initial and common:
            continue  # "However, the company", "Yesterday, a spokesman"
        employer = None if len(words) == 1 and common else _employer(text, end, index, lang, gazetteer, words)
        if employer is not None:
            out.append(RawSpan(start, end, employer))
            taken.add(start, end)
            continue
        if len(words) == 1 and gazetteer.lookup(words[0], cities=True) is not None:
            continue  # a known name is the gazetteer's to add, with its own type
        label: str | None = None
        announced: tuple[str, str] | None = None
        if not (len(words) == 1 and common):  # "Monday", "Earth-observation"
            if not initial:
                before = tokens[first - 1]
                if text[before.end : start] == " " and before.text[:1].islower():
                    label = lang.descriptor(before.text)
            if label is None:
                announced = apposition(text, end, lang)
                if announced is not None and (announced[0] != "PER" or len(words) > 1):
                    label = announced[0]
        if label is None:
            # a capitalised common word is a name when the other side of "between" is one
            # ("mellan Kiruna och Riksgränsen": "riksgränsen" is also "the national border")
            label = _between(text, tokens, first, last, index, lang)
        if label is None and not initial:
            label = _place_noun_after(text, tokens, first, last, lang)
        if label is not None:
            role = announced[1] if label == "PER" and announced is not None else None
            out.append(RawSpan(start, end, label, role))
            taken.add(start, end)
    return out


def _place_noun_after(
    text: str, tokens: Sequence[Token], first: int, last: int, lang: LanguageData
) -> str | None:
    """LOC for "the Empordà area", "the Ruhr valley": an article, the name, a place noun."""
    if first == 0 or last + 1 >= len(tokens) or tokens[first - 1].text.casefold() not in lang.articles:
        return None
    after = tokens[last + 1]
    if text[tokens[last].end : after.start] != " " or not after.text[:1].islower():
        return None
    return "LOC" if lang.descriptor(after.text) == "LOC" else None


_AND = frozenset({"and", "och", "und", "et", "y", "e", "en", "og", "i", "ja", "ve", "и"})


def _between(
    text: str, tokens: Sequence[Token], first: int, last: int, index: _SpanIndex, lang: LanguageData
) -> str | None:
    """The type of the other side of "between X and Y", when the recogniser found it."""
    if not lang.between:
        return None
    # "between Kiruna and [Riksgränsen]": the word before the name is "and"
    if first >= 3 and tokens[first - 1].text.casefold() in _AND:
        other = index.ending_at(tokens[first - 2].end)
        if other is not None and text[other.end : tokens[first - 1].start] == " ":
            k = index.token_at(tokens, other.start)
            if k and tokens[k - 1].text.casefold() in lang.between and other.label != "MISC":
                return other.label
    # "between [Riksgränsen] and Kiruna": the word before the name is "between"
    if first >= 1 and tokens[first - 1].text.casefold() in lang.between and last + 2 < len(tokens):
        conj = tokens[last + 1]
        if conj.text.casefold() in _AND and text[tokens[last].end : conj.start] == " ":
            other = index.starting_at(tokens[last + 2].start)
            if other is not None and other.label != "MISC":
                return other.label
    return None


#: a quoted run of one to four capitalised words: „…“ “…” "…" «…» ”…”
_QUOTED = re.compile(r"([„“”\"«»‚])([^\W\d_][\w'’.-]*(?: [^\W\d_][\w'’.-]*){0,3})([“”\"«»‘])")
_PAIRS = {"„": "“", "“": "”", "”": "”", '"': '"', "«": "»", "»": "«", "‚": "‘"}


def quoted_names(text: str, spans: Sequence[RawSpan], lang: LanguageData) -> list[RawSpan]:
    """A quoted name after an article or a descriptor ("die „Wachau Serenade“") as MISC.

    Every word is capitalised and at least one is not a common word of the language, so quoted
    common words ('the "Big Four"') are left alone; where nouns are capitalised, a name of two
    words or more is needed ("der „Durchbruch“" is a noun).
    """
    out: list[RawSpan] = []
    taken = _Covered(text, spans)
    for match in _QUOTED.finditer(text):
        if _PAIRS.get(match.group(1)) != match.group(3):
            continue
        start, end = match.start(2), match.end(2)
        words = match.group(2).split()
        if not all(is_capitalised(w) for w in words) or taken.overlaps(start, end):
            continue
        # where nouns are capitalised, one quoted word says nothing ("der „Durchbruch“"); the
        # dictionary knows names too ("Wachau"), so two capitalised words are taken as a name
        if lang.capitalises_nouns:
            if len(words) == 1:
                continue
        elif all(known_word(w.rstrip("."), lang.code) for w in words):
            continue
        before = tokenize(text, max(0, match.start() - 30), match.start())[-1:]
        if not before or text[before[0].end : match.start()].strip():
            continue
        word = before[0].text
        if word.casefold() in lang.articles or word.casefold() in lang.determiners or lang.descriptor(word):
            out.append(RawSpan(start, end, "MISC"))
    return out


def _employer(
    text: str, end: int, index: _SpanIndex, lang: LanguageData, gazetteer: Gazetteer, words: list[str]
) -> str | None:
    """ "Riverton manager Gareth Lloyd": a name before a job title and a person is the person's
    club or employer (ORG), or its country ("Norway coach …"); a town's name there is a club
    ("Barcelona coach …"), unless the title belongs to a place ("Vigevano mayor …")."""
    person = index.next_person(end)
    if person is None or not title_between(text[end : person.start], lang):
        return None
    return employer_label(" ".join(words), text[end : person.start].strip(), lang, gazetteer)


def title_between(between: str, lang: LanguageData) -> bool:
    """True for " manager ", " chief financial officer ": one to three lower-case words ending a title."""
    words = between.split()
    if not (1 <= len(words) <= 3) or between != " " + " ".join(words) + " ":
        return False
    if not all(w.isalpha() and w.islower() and w not in lang.stopwords for w in words):
        return False  # not " and General Manager ", " far, Prime Minister "
    return lang.is_title(words[-1]) or " ".join(words).casefold() in lang.titles


def employer_label(surface: str, title: str, lang: LanguageData, gazetteer: Gazetteer) -> str:
    """The type of a name before a job title: a country, or any name before a title that belongs
    to a place ("Vigevano mayor …", ``place_titles``), is a place; anything else a club or firm."""
    if title.casefold() in lang.place_titles or title.split()[-1].casefold() in lang.place_titles:
        return "LOC"
    entry = gazetteer.lookup(surface)
    return "LOC" if entry is not None and entry.kind == "country" else "ORG"

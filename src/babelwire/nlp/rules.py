"""The rule-and-gazetteer recogniser for languages without a packaged model.

1. Known names (countries, places, international bodies, and cities where the capitalisation allows)
   are found by looking up word n-grams in the gazetteer.
2. The remaining runs of capitalised words (joined by connectors such as "de", "von", "och") are
   candidates; sentence-initial common words, stop words and, in German, known common nouns are
   dropped, and titles become the role of the name that follows.
3. Each candidate is typed by cues: a title before it (PER), an organisation or place word inside
   it, a locative preposition before it, its shape (an acronym is ORG, two or three names are PER).
"""

from __future__ import annotations

from functools import cache, lru_cache
from itertools import pairwise
from typing import Any

import simplemma

from babelwire.nlp.gazetteer import GazEntry, Gazetteer, name_key
from babelwire.nlp.langdata import LanguageData
from babelwire.nlp.spans import (
    SENTENCE_END,
    RawSpan,
    Token,
    is_acronym,
    is_capitalised,
    resolve_overlaps,
    tokenize,
)

MAX_NGRAM = 6


@cache
def lemma_dictionary(code: str) -> Any:
    """simplemma's lemma dictionary of a language (word → lemma), empty when it has none."""
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    try:
        return DefaultDictionaryFactory().get_dictionary(code)
    except (ValueError, KeyError, OSError):
        return {}


@lru_cache(maxsize=200_000)
def known_word(word: str, lang: str) -> bool:
    """True when simplemma knows the lower-cased word as a common word of the language."""
    try:
        return bool(simplemma.is_known(word.casefold(), lang=lang))
    except (ValueError, KeyError):
        return False


def sentence_initial(text: str, tokens: list[Token], i: int) -> bool:
    if i == 0:
        return True
    gap = text[tokens[i - 1].end : tokens[i].start]
    return bool(SENTENCE_END.search(gap)) or tokens[i - 1].text.endswith(".")


def gazetteer_spans(
    text: str, tokens: list[Token], lang: LanguageData, gazetteer: Gazetteer, *, cities: bool
) -> list[RawSpan]:
    """Longest known names in the text (first word capitalised unless the script has no case)."""
    found: list[RawSpan] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if not lang.caseless and not (is_capitalised(tok.text) or tok.text[:1].isdigit()):
            i += 1
            continue
        initial = sentence_initial(text, tokens, i)
        match = None
        for n in range(min(MAX_NGRAM, len(tokens) - i), 0, -1):
            last = tokens[i + n - 1]
            gaps = text[tok.start : last.end]
            if n > 1 and SENTENCE_END.search(gaps.replace(".", "")):
                continue
            surface = text[tok.start : last.end]
            after_determiner = _after_determiner(tokens, i, lang)
            common = n == 1 and (initial or after_determiner) and known_word(tok.text, lang.code)
            # "Die Kosten", "den Rest", "im Mai": German nouns; "Banco", "Port": a body's or place's word
            common = common or (n == 1 and _type_word(tok.text, lang))
            # "Die Kosten" (an alternate city name) is a determiner and a noun
            common = common or (
                n == 2
                and tok.text.casefold() in lang.determiners
                and known_word(tokens[i + 1].text, lang.code)
            )
            use_cities = cities and not common
            entry = gazetteer.lookup(surface, cities=use_cities)
            if entry is None and n == 1:
                for suffix in lang.genitive:
                    if surface.endswith(suffix) and len(surface) > len(suffix) + 2:
                        entry = gazetteer.lookup(surface[: -len(suffix)], cities=use_cities)
                        if entry is not None:
                            break
            if entry is not None:
                if n == 1 and entry.kind != "org" and initial and tok.text.casefold() in lang.stopwords:
                    break
                if n == 1 and entry.kind == "city" and tok.text.casefold() in lang.stopwords:
                    break  # "in March 2023": the month, not the town of March
                if entry.kind == "city" and next_to_name(text, tokens, i, i + n - 1, lang):
                    continue  # "Sofia Hedlund", "Lena Holmberg": a first name, not the city
                if n == 1 and _noun_as_foreign_town(tokens, i, entry, lang):
                    break  # "mit Kies", "sechs Busse": a German noun, not Cēsis or Boussé
                if not (entry.kind == "org" and len(tok.text) <= 2 and not tok.text.isupper()):
                    match = RawSpan(tok.start, last.end, entry.label), n
                break
        if match is None and "-" in tok.text:
            match = _hyphen_prefix(tok, lang, gazetteer)
        if match is None:
            i += 1
        else:
            found.append(match[0])
            i += match[1]
    return found


def _after_determiner(tokens: list[Token], i: int, lang: LanguageData) -> bool:
    """A determiner before token ``i``, also with up to two lower-case words (adjectives) between
    them: "die Kosten", "das wichtigste Tor" (a German noun, not Slovyansk by its old name Tor)."""
    j = i - 1
    while (
        j >= 0
        and i - j <= 3
        and tokens[j].text[:1].islower()
        and tokens[j].text.casefold() not in lang.determiners
    ):
        j -= 1
    return j >= 0 and tokens[j].text.casefold() in lang.determiners and (j == i - 1 or lang.capitalises_nouns)


#: a town smaller than this, matched by one of its other names only, needs a locative before it
#: when that name is also a common word of a language that capitalises nouns
SMALL_TOWN = 100_000


def _noun_as_foreign_town(tokens: list[Token], i: int, entry: GazEntry, lang: LanguageData) -> bool:
    """True for one known word of a noun-capitalising language that names a small town only through
    one of the town's other names, with no locative preposition before it: "Kies" (Cēsis), "Busse"
    (Boussé), "Kosten" (Kościan) in "mit Kies beladen", "sechs Busse", "alle Kosten". A town's own
    name ("Passau", "Hof", "Hanau" for "Hanau am Main") and a large city's other name ("Wien") are
    read as before, and so is "in Kosten"."""
    if not lang.capitalises_nouns or entry.kind != "city" or entry.population >= SMALL_TOWN:
        return False
    word = tokens[i].text
    own = name_key(entry.name)
    # "Hanau" for "Hanau am Main" is the town's own name, shortened
    if name_key(word) in (own, own.split(" ")[0]) or not known_word(word, lang.code):
        return False
    return not (i > 0 and tokens[i - 1].text.casefold() in lang.loc_cues)


def _type_word(word: str, lang: LanguageData) -> bool:
    """A word that marks a type (organisation or place word, descriptor noun), not a name itself."""
    low = word.casefold()
    return low in lang.org_words or low in lang.loc_words or lang.descriptor(word) is not None


def _hyphen_prefix(tok: Token, lang: LanguageData, gazetteer: Gazetteer) -> tuple[RawSpan, int] | None:
    """ "EU-Programm", "Nato-Gipfel": a known name joined by a hyphen to a common word."""
    head, _, rest = tok.text.partition("-")
    if len(rest) < 4 or not (known_word(rest, lang.code) or _is_compound_noun(rest, lang.code)):
        return None
    entry = gazetteer.lookup(head, cities=False)
    if entry is None:
        return None
    return RawSpan(tok.start, tok.start + len(head), entry.label), 1


def next_to_name(text: str, tokens: list[Token], first: int, last: int, lang: LanguageData) -> bool:
    """True when a capitalised word touches tokens ``first..last`` (same sentence, only a space between).

    In a language that capitalises nouns, a known common noun ("Hauptstadt Tallinn", "Provinz
    Esmeraldas") is not a name.
    """

    def name_like(word: str) -> bool:
        if not is_capitalised(word):
            return False
        return not (lang.capitalises_nouns and (known_word(word, lang.code) or lang.descriptor(word)))

    if last + 1 < len(tokens):
        nxt = tokens[last + 1]
        if text[tokens[last].end : nxt.start] == " " and name_like(nxt.text):
            return True
    if first > 0 and not sentence_initial(text, tokens, first):
        prev = tokens[first - 1]
        if (
            text[prev.end : tokens[first].start] == " "
            and name_like(prev.text)
            and not sentence_initial(text, tokens, first - 1)
        ):
            return True
    return False


def _ends_sentence(word: str) -> bool:
    """ "ERT." before "Theodorakis": an acronym with a final dot ends its sentence ("U.S." does not)."""
    return word.endswith(".") and "." not in word[:-1] and len(word) > 2 and word[:-1].isupper()


def _is_compound_noun(word: str, lang: str) -> bool:
    """ "Hafenstadt", "Pharmakonzern", "Umeåföretaget": ends in a known common word of 5+ letters."""
    low = word.casefold()
    return len(low) >= 8 and any(known_word(low[k:], lang) for k in range(3, len(low) - 4))


class RuleRecognizer:
    """Capitalised spans typed by cues and the gazetteer, for one language."""

    def __init__(self, lang: LanguageData, gazetteer: Gazetteer) -> None:
        self.lang = lang
        self.gazetteer = gazetteer

    def find(self, text: str) -> list[RawSpan]:
        """Entity spans of one text."""
        tokens = tokenize(text)
        known = gazetteer_spans(text, tokens, self.lang, self.gazetteer, cities=True)
        if self.lang.caseless:
            return known
        if self.lang.capitalises_nouns:
            known = resolve_overlaps(known + place_adjective_spans(text, tokens, self.lang, self.gazetteer))
        covered = {i for i, t in enumerate(tokens) for s in known if s.start <= t.start < s.end}
        spans = list(known)
        candidates = [c for c in self._candidates(text, tokens, covered) if c]
        person_words: set[str] = set()
        typed: list[tuple[list[Token], str | None, str | None]] = []
        for group, role in candidates:
            label = self._type(text, tokens, group, role)
            typed.append((group, label, role))
            if label == "PER":
                person_words.update(t.text for t in group)
        for group, label, role in typed:
            if label is None:
                label = "PER" if group[-1].text in person_words else self._default(text, tokens, group)
            spans.append(RawSpan(group[0].start, group[-1].end, label, role))
        return resolve_overlaps(spans)

    def _is_name_word(self, text: str, tokens: list[Token], i: int) -> bool:
        tok = tokens[i]
        word = tok.text
        if not is_capitalised(word) or self.lang.is_title(word):
            return False
        low = word.casefold()
        if low in self.lang.stopwords and (sentence_initial(text, tokens, i) or len(word) <= 3):
            return False
        if is_acronym(word):
            return True
        if self.lang.capitalises_nouns and self.lang.has_common_head(word):
            return False  # "Flusskreuzfahrtschiff", "Ausflugsboot": a compound common noun, no name
        if self.lang.capitalises_nouns or sentence_initial(text, tokens, i):
            if not known_word(word, self.lang.code):
                return True
            # "Vladimir Putin har …", "Erik Sandström säger": a known word starting a longer name
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            return (
                nxt is not None
                and not text[tok.end : nxt.start].strip()
                and is_capitalised(nxt.text)
                and not known_word(nxt.text, self.lang.code)
            )
        return True

    def _candidates(
        self, text: str, tokens: list[Token], covered: set[int]
    ) -> list[tuple[list[Token], str | None]]:
        """Runs of name words (with connectors inside), each with the title right before it."""
        out: list[tuple[list[Token], str | None]] = []
        i = 0
        while i < len(tokens):
            titled = self._titled_name(text, tokens, i, covered)
            if titled:
                out.append((titled, self._role(text, tokens, i)))
                i += len(titled)
                continue
            if i in covered or not self._is_name_word(text, tokens, i):
                i += 1
                continue
            group = [tokens[i]]
            j = i + 1
            while j < len(tokens) and j not in covered:
                gap = text[tokens[j - 1].end : tokens[j].start]
                if gap.strip(" &") or "\n" in gap or _ends_sentence(tokens[j - 1].text):
                    break
                if self._is_name_word(text, tokens, j) or (
                    not self.lang.capitalises_nouns and is_capitalised(tokens[j].text)
                ):
                    group.append(tokens[j])
                    j += 1
                    continue
                if self._coordinated(text, tokens, group, j, covered):
                    group.extend(tokens[j : j + 2])  # "Instituto Oceanográfico y Antártico de la Armada"
                    j += 2
                    continue
                # a connector joins two name words: "Bombers de la Generalitat", "Museo de Bellas Artes"
                k = j
                while k < len(tokens) and k - j < 3 and self._connector(tokens[k].text, after=k > j):
                    k += 1
                if k > j and k < len(tokens) and k in covered and self._has_org_word(group):
                    # "Banco de España", "Observatorio Nacional de Atenas": a known place inside a body's name
                    place = k
                    while (
                        k + 1 < len(tokens)
                        and k + 1 in covered
                        and text[tokens[k].end : tokens[k + 1].start] == " "
                    ):
                        k += 1
                    if self._country_body(text, tokens, group, place, k):
                        break  # "Fiscalía de Hungría": Hungary's prosecution service, the name is the country
                    group.extend(tokens[j : k + 1])
                    j = k + 1
                    break
                if (
                    k > j
                    and k < len(tokens)
                    and k not in covered
                    and is_capitalised(tokens[k].text)
                    # "Tobias Wendler am Telefon": in German a capitalised common noun is no name
                    and (not self.lang.capitalises_nouns or self._is_name_word(text, tokens, k))
                ):
                    group.extend(tokens[j : k + 1])
                    j = k + 1
                    continue
                break
            while (
                len(group) > 1
                and (self.lang.compounds or self.lang.capitalises_nouns)
                and _is_compound_noun(group[0].text, self.lang.code)
                and not is_acronym(group[0].text)
            ):
                group = group[1:]  # "Hafenstadt Paldiski": the common noun is a description, not the name
            out.append((group, self._role(text, tokens, tokens.index(group[0]))))
            i = j
        return out

    def _country_body(
        self, text: str, tokens: list[Token], group: list[Token], first: int, last: int
    ) -> bool:
        """True when a state function alone ("Fiscalía", "Policía") comes before a country and the name
        ends there: the words describe that country's body ("the prosecution service of Hungary", as
        "Hungarian police" does), and the country is the name; "Banco de España" and "Embajada de
        España en Budapest" are names."""
        if len(group) != 1 or group[0].text.casefold() not in self.lang.country_bodies:
            return False
        if last + 1 < len(tokens) and tokens[last + 1].text.casefold() in self.lang.connectors:
            return False
        entry = self.gazetteer.lookup(text[tokens[first].start : tokens[last].end])
        return entry is not None and entry.kind == "country"

    def _connector(self, word: str, after: bool) -> bool:
        """A connector, or an article right after one ("para el": "Plan de Acción para el Mediterráneo");
        not where nouns are capitalised ("Wahlzuckerl für die Wirtschaftskammer-Wahl")."""
        low = word.casefold()
        return low in self.lang.connectors or (
            after and not self.lang.capitalises_nouns and low in self.lang.articles
        )

    def _has_org_word(self, group: list[Token]) -> bool:
        """An organisation, event or programme head word ("Banco", "Declaración", "Plan"): the name may
        run over a place."""
        words = [t.text.casefold() for t in group]
        return any(
            (w in self.lang.org_words and len(w) > 3)
            or w in self.lang.misc_words
            or w in self.lang.programme_words
            for w in words
        )

    def _titled_name(self, text: str, tokens: list[Token], i: int, covered: set[int]) -> list[Token]:
        """Up to three capitalised words right after a title ("Geschäftsführer Henrik Brandes"), even
        when the dictionary knows them as words; empty when token ``i`` does not follow a title."""
        if i == 0 or i in covered or not self.lang.is_title(tokens[i - 1].text):
            return []
        group: list[Token] = []
        j = i
        while j < len(tokens) and len(group) < 3 and j not in covered:
            word = tokens[j].text
            if (
                text[tokens[j - 1].end : tokens[j].start] != " "
                or not is_capitalised(word)
                or word.casefold() in self.lang.stopwords
                or self.lang.is_title(word)
                or is_acronym(word)
                or _ends_sentence(word)
            ):
                break
            group.append(tokens[j])
            j += 1
        return group

    def _role(self, text: str, tokens: list[Token], i: int) -> str | None:
        """Title words right before token ``i`` ("Dr.", "Energieminister", "presidente")."""
        j = i - 1
        while (
            j >= 0
            and self.lang.is_title(tokens[j].text)
            and not text[tokens[j].end : tokens[j + 1].start].strip()
        ):
            j -= 1
        if j == i - 1:
            return None
        return text[tokens[j + 1].start : tokens[i - 1].end]

    def _type(self, text: str, tokens: list[Token], group: list[Token], role: str | None) -> str | None:
        """PER/ORG/LOC from cues, or None when only the shape can decide."""
        words = [t.text.casefold() for t in group]
        if len(group) > 1 and any(w in self.lang.misc_words for w in words):
            return "MISC"
        if any(w in self.lang.org_words for w in words) or (len(group) == 1 and is_acronym(group[0].text)):
            return "ORG"
        if words[-1] in self.lang.loc_words or words[0] in self.lang.loc_words:
            return "LOC"
        if role is not None:
            return "PER"
        entry = self.gazetteer.lookup(text[group[0].start : group[-1].end])
        if entry is not None:
            return entry.label
        index = tokens.index(group[0])
        connected = any(t.text.casefold() in self.lang.connectors for t in group[1:-1])
        if (
            index > 0
            and tokens[index - 1].text.casefold() in self.lang.loc_cues
            and (len(group) == 1 or connected)
        ):
            return "LOC"  # "en Avinyonet de Puigventós": a place name with a connector after a locative
        if index > 0 and tokens[index - 1].text.casefold() in self.lang.per_cues:
            return "PER"
        return None

    def _default(self, text: str, tokens: list[Token], group: list[Token]) -> str:
        connectors = any(t.text.casefold() in self.lang.connectors for t in group)
        if 2 <= len(group) <= 3 and not connectors and all(len(t.text) > 1 for t in group):
            # "Medicina Legal", "Protección Civil": ordinary words written as a name name a body
            return (
                "ORG"
                if self._common_words_only(group) and not self._after_article(text, tokens, group)
                else "PER"
            )
        if len(group) >= 3 or connectors:
            return "ORG"
        return "LOC" if len(group) == 1 else "MISC"

    def _coordinated(
        self, text: str, tokens: list[Token], group: list[Token], j: int, covered: set[int]
    ) -> bool:
        """True when token ``j`` ("y") joins two words of one body's name: the run has an organisation
        word, and the words on both sides are ordinary common words, no organisation words, with the
        same ending ("Instituto Oceanográfico y Antártico", "Ministerio de Agricultura y Pesca"; not
        "Policía Nacional y Guardia Civil", "Banco de España y Hacienda")."""
        if (
            not self.lang.coordinators
            or tokens[j].text not in self.lang.coordinators
            or j + 1 >= len(tokens)
            or j + 1 in covered
            or text[tokens[j - 1].end : tokens[j].start] != " "
            or text[tokens[j].end : tokens[j + 1].start] != " "
            or not is_capitalised(tokens[j + 1].text)
            or not any(t.text.casefold() in self.lang.org_words and len(t.text) > 3 for t in group)
        ):
            return False
        before, after = group[-1].text, tokens[j + 1].text
        if before[-1:] != after[-1:] or before.casefold() in self.lang.org_words:
            return False
        words = lemma_dictionary(self.lang.code)
        return all(
            w.casefold() not in self.lang.org_words and w not in words and w.casefold() in words
            for w in (before, after)
        )

    def _after_article(self, text: str, tokens: list[Token], group: list[Token]) -> bool:
        """True after a definite article ("el Estadio Azteca"), which the type correction reads as a place."""
        i = tokens.index(group[0])
        return (
            i > 0
            and tokens[i - 1].text.casefold() in self.lang.place_articles
            and text[tokens[i - 1].end : group[0].start] == " "
        )

    def _common_words_only(self, group: list[Token]) -> bool:
        """True when every word is one the lemma dictionary knows only as a common word (in lower case,
        not as a proper noun: "Medicina Legal", not "Pedro Blanco") and the first is no given name
        ("Paloma Calvo"); only in languages that list their given names that are also common words."""
        if not self.lang.given_names or group[0].text.casefold() in self.lang.given_names:
            return False
        words = lemma_dictionary(self.lang.code)
        return all(
            not is_acronym(t.text) and t.text not in words and t.text.casefold() in words for t in group
        )


def place_prefix(tok: Token, lang: LanguageData, gazetteer: Gazetteer) -> RawSpan | None:
    """ "Umeåföretaget", "Umeåbolaget": a known place glued to a descriptor noun (compounding languages)."""
    if not lang.compounds:
        return None
    cut = lang.glued_head(tok.text)
    if cut is None:
        return None
    entry = gazetteer.lookup(tok.text[:cut], cities=True)
    # "Centerpartiet" is no place called Center: a small town is no prefix
    if entry is not None and entry.label == "LOC" and (entry.kind != "city" or entry.population >= 50_000):
        return RawSpan(tok.start, tok.start + cut, "LOC")
    return None


def place_adjective_spans(
    text: str, tokens: list[Token], lang: LanguageData, gazetteer: Gazetteer
) -> list[RawSpan]:
    """ "Hamburger Hafen", "Wiener Straße": a place adjective in -er before a place word is a place name."""
    out = []
    for a, b in pairwise(tokens):
        if (
            len(a.text) > 5
            and a.text.endswith("er")
            and is_capitalised(a.text)
            and text[a.end : b.start] == " "
            and b.text.casefold() in lang.loc_words
        ):
            entry = gazetteer.lookup(a.text[:-2], cities=True)
            if entry is not None and entry.label == "LOC":
                out.append(RawSpan(a.start, b.end, "LOC"))
    return out

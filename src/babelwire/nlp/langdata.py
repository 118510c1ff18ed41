"""Per-language word lists for recognition and title stripping, read from ``resources/lang_XX.json``.

Adding a language means adding one JSON file: which recogniser it uses (``spacy:PACKAGE``,
``sv_ner`` or ``rules``), whether it capitalises common nouns, its genitive endings, the
connectors allowed inside names ("de", "von"), titles and role endings, capitalised words that
start sentences but are not names, words that mark organisations and places (whole words and word
endings), and common nouns that announce the type of the name after them ("Reederei", "city of").
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import TypeVar

_T = TypeVar("_T")
_UNSEEN = object()
_MEMO_SIZE = 100_000


@dataclass(frozen=True)
class LanguageData:
    """What the recognisers and the linker know about one language."""

    code: str
    recognizer: str = "rules"
    capitalises_nouns: bool = False
    caseless: bool = False
    genitive: tuple[str, ...] = ()
    connectors: frozenset[str] = field(default_factory=frozenset)
    articles: frozenset[str] = field(default_factory=frozenset)
    titles: frozenset[str] = field(default_factory=frozenset)
    role_suffixes: tuple[str, ...] = ()
    stopwords: frozenset[str] = field(default_factory=frozenset)
    org_words: frozenset[str] = field(default_factory=frozenset)
    loc_words: frozenset[str] = field(default_factory=frozenset)
    per_cues: frozenset[str] = field(default_factory=frozenset)
    loc_cues: frozenset[str] = field(default_factory=frozenset)
    org_suffixes: tuple[str, ...] = ()
    loc_suffixes: tuple[str, ...] = ()
    # place endings that type a name of one word only: "Kiirunavaara", not "Anna Luossavaara"
    loc_suffixes_one_word: tuple[str, ...] = ()
    #: disease words that follow a name joined by a hyphen ("IgA-nefropati", "Tourette-syndrom")
    hyphen_diseases: tuple[str, ...] = ()
    descriptors: tuple[tuple[str, str], ...] = ()
    compounds: bool = False
    determiners: frozenset[str] = field(default_factory=frozenset)
    person_name_org_words: frozenset[str] = field(default_factory=frozenset)
    place_articles: frozenset[str] = field(default_factory=frozenset)
    org_heads: frozenset[str] = field(default_factory=frozenset)
    misc_words: frozenset[str] = field(default_factory=frozenset)
    between: frozenset[str] = field(default_factory=frozenset)
    place_titles: frozenset[str] = field(default_factory=frozenset)
    #: given names that the lemma dictionary knows only as common words ("Paloma", "Domingo"); a
    #: language with this list lets ordinary common words make a name that is no person
    given_names: frozenset[str] = field(default_factory=frozenset)
    #: heads of plans and programmes, whose names may run over a place ("Plan de Acción para el
    #: Mediterráneo"); they give no type
    programme_words: frozenset[str] = field(default_factory=frozenset)
    #: state functions that, alone before "de" and a country, describe that country's body rather
    #: than name one ("Fiscalía de Hungría" → the place "Hungría"; "Banco de España" is a name)
    country_bodies: frozenset[str] = field(default_factory=frozenset)
    #: words that join two adjectives or nouns inside a body's name ("Oceanográfico y Antártico")
    coordinators: frozenset[str] = field(default_factory=frozenset)
    #: sentence openers that are never names ("but", "the", "however"): a sentence opening with one
    #: and holding no other capital needs no model (:mod:`babelwire.nlp.sentence_gate`)
    name_free_openers: frozenset[str] = field(default_factory=frozenset)
    #: common nouns of facilities named after their place, each with its concept ("hamn" → port,
    #: "refinería" → refinery): "Hamburgs hamn", "the Esmeraldas refinery", "port de Hambourg"
    facility_heads: tuple[tuple[str, str], ...] = ()
    #: prepositions between a facility noun and its place ("port de Hambourg", "hamnen i Göteborg")
    facility_links: tuple[str, ...] = ()
    #: nouns of things (vessels, vehicles, craft) that end compound common nouns and no name, in a
    #: language that writes compounds as one capitalised word: "Flusskreuzfahrtschiff",
    #: "Ausflugsboot", "Güterzug" are no names (a name written with one is hyphenated: "Ariane-Rakete")
    common_heads: tuple[str, ...] = ()
    #: answers of :meth:`descriptor`, :meth:`glued_head` and :meth:`is_title` per word (the rules
    #: ask about the same words thousands of times per article; each answer scans word endings)
    _memo: dict[tuple[str, str], object] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    def _answer(self, kind: str, token: str, compute: Callable[[str], _T]) -> _T:
        """``compute(token)``, remembered per kind and word (the memo is emptied when full)."""
        known = self._memo.get((kind, token), _UNSEEN)
        if known is _UNSEEN:
            if len(self._memo) >= _MEMO_SIZE:
                self._memo.clear()
            known = self._memo[kind, token] = compute(token)
        return known  # type: ignore[return-value]

    def descriptor(self, token: str) -> str | None:
        """The type a common noun announces for the name after it ("company" → ORG, "Stadt" → LOC).

        In a compounding language the noun may end a longer word ("gruvbolaget", "Hackergruppe").
        """
        return self._answer("descriptor", token, self._descriptor)

    def _descriptor(self, token: str) -> str | None:
        low = token.casefold()
        for word, label in self.descriptors:
            if low == word or (self.compounds and len(low) > len(word) + 2 and low.endswith(word)):
                return label
        return None

    def glued_head(self, token: str) -> int | None:
        """The length of the word before a non-place descriptor glued to its end ("Umeå" in
        "Umeåföretaget"), when at least three characters remain; None for no such descriptor."""
        return self._answer("glued", token, self._glued_head)

    def _glued_head(self, token: str) -> int | None:
        low = token.casefold()
        for word, label in self.descriptors:
            cut = len(token) - len(word)
            if label != "LOC" and cut >= 3 and low.endswith(word):  # "Rensjön" is a lake, not Ren
                return cut
        return None

    def has_common_head(self, token: str) -> bool:
        """True for one compound word that ends in a noun of ``common_heads``, perhaps inflected, after
        at least three letters ("Flusskreuzfahrtschiffs", "Ausflugsboote"); never for a word with a
        hyphen ("Ariane-Rakete" holds a name) nor for the bare noun ("Zug" is also a Swiss town)."""
        return self._answer("common_head", token, self._has_common_head)

    def _has_common_head(self, token: str) -> bool:
        if not self.common_heads or "-" in token:
            return False
        low = token.casefold()
        for head in self.common_heads:
            for ending in _NOUN_ENDINGS:
                form = head + ending
                if low.endswith(form) and len(low) - len(form) >= 3:
                    return True
        return False

    def org_suffixed(self, word: str) -> bool:
        """True for a word that ends like an organisation's name ("Trafikverket", "Miljödepartementet")."""
        form = word.casefold()
        return any(form.endswith(s) and len(form) >= len(s) + 3 for s in self.org_suffixes)

    def is_title(self, token: str) -> bool:
        """True for a title or role word ("minister", "Dr.", "Mongolietchef", "Energieminister")."""
        return self._answer("title", token, self._is_title)

    def is_role_compound(self, token: str) -> bool:
        """True for a role written as one compound word ("Mongolietchef"), not a bare title ("chef")."""
        low = token.casefold()
        return low not in self.titles and any(
            low.endswith(suffix) and len(low) > len(suffix) + 2 for suffix in self.role_suffixes
        )

    def _is_title(self, token: str) -> bool:
        low = token.casefold()
        return (
            low in self.titles
            or low.rstrip(".") in self.titles
            or any(low.endswith(suffix) and len(low) > len(suffix) + 2 for suffix in self.role_suffixes)
        )


#: endings of a noun's case and plural forms ("Schiffs", "Schiffe", "Booten", "Fähren")
_NOUN_ENDINGS = ("", "s", "es", "e", "en", "n")


def _frozen(values: list[str]) -> frozenset[str]:
    return frozenset(v.casefold() for v in values)


@cache
def available_languages() -> tuple[str, ...]:
    """Languages that have a ``lang_XX.json`` file (``common.json`` adds words for every language)."""
    folder = resources.files("babelwire.nlp").joinpath("resources")
    names = [p.name for p in folder.iterdir() if p.name.startswith("lang_") and p.name.endswith(".json")]
    return tuple(sorted(n[5:-5] for n in names))


@cache
def language_data(lang: str | None) -> LanguageData:
    """The word lists of ``lang``; a language without a file gets empty lists and the rule recogniser."""
    code = (lang or "").split("-")[0].lower()
    if code == "nb" or code == "nn":
        code = "no"
    if code not in available_languages():
        code = code or "xx"
        path = None
    else:
        path = resources.files("babelwire.nlp").joinpath("resources", f"lang_{code}.json")
    raw = json.loads(path.read_text("utf-8")) if path is not None else {}
    common = json.loads(
        resources.files("babelwire.nlp").joinpath("resources", "common.json").read_text("utf-8")
    )
    raw["org_words"] = [*raw.get("org_words", []), *common["org_words"]]
    raw["loc_words"] = [*raw.get("loc_words", []), *common["loc_words"]]
    return LanguageData(
        code=code,
        recognizer=raw.get("recognizer", "rules"),
        capitalises_nouns=bool(raw.get("capitalises_nouns", False)),
        caseless=bool(raw.get("caseless", False)),
        genitive=tuple(raw.get("genitive", [])),
        connectors=_frozen(raw.get("connectors", [])),
        articles=_frozen(raw.get("articles", [])),
        titles=_frozen(raw.get("titles", [])),
        role_suffixes=tuple(s.casefold() for s in raw.get("role_suffixes", [])),
        stopwords=_frozen(raw.get("stopwords", [])),
        org_words=_frozen(raw.get("org_words", [])),
        loc_words=_frozen(raw.get("loc_words", [])),
        per_cues=_frozen(raw.get("per_cues", [])),
        loc_cues=_frozen(raw.get("loc_cues", [])),
        org_suffixes=tuple(s.casefold() for s in [*raw.get("org_suffixes", []), *common["org_suffixes"]]),
        loc_suffixes=tuple(s.casefold() for s in raw.get("loc_suffixes", [])),
        loc_suffixes_one_word=tuple(s.casefold() for s in raw.get("loc_suffixes_one_word", [])),
        hyphen_diseases=tuple(s.casefold() for s in raw.get("hyphen_diseases", [])),
        descriptors=tuple(
            sorted(
                ((w.casefold(), label) for label, words in raw.get("descriptors", {}).items() for w in words),
                key=lambda pair: -len(pair[0]),
            )
        ),
        compounds=bool(raw.get("compounds", False)),
        determiners=_frozen(raw.get("determiners", [])),
        person_name_org_words=_frozen(common.get("person_name_org_words", [])),
        place_articles=_frozen(raw.get("place_articles", [])),
        org_heads=_frozen(raw.get("org_heads", [])),
        misc_words=_frozen([*raw.get("misc_words", []), *common.get("misc_words", [])]),
        between=_frozen(raw.get("between", [])),
        place_titles=_frozen(raw.get("place_titles", [])),
        given_names=_frozen(raw.get("given_names", [])),
        coordinators=_frozen(raw.get("coordinators", [])),
        country_bodies=_frozen(raw.get("country_bodies", [])),
        programme_words=_frozen([*raw.get("programme_words", []), *common.get("programme_words", [])]),
        name_free_openers=_frozen(raw.get("name_free_openers", [])),
        facility_heads=tuple(
            (w.casefold(), concept) for concept, words in raw.get("facility_heads", {}).items() for w in words
        ),
        facility_links=tuple(w.casefold() for w in raw.get("facility_links", [])),
        common_heads=tuple(w.casefold() for w in raw.get("common_heads", [])),
    )

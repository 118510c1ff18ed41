"""The entities stage: recognise person, organisation, place and other names and link them to ids.

Recognition is per language (:mod:`babelwire.nlp.recognizers`): spaCy for English and French, the
shipped Swedish model, the rule-and-gazetteer recogniser for every other language. Linking
(:mod:`babelwire.nlp.linking`) gives each mention a language-independent entity id; call
:func:`link_across` on the articles of one story to unify ids between them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from babelwire.model import Article, Mention
from babelwire.nlp.linking import EntityLinker, entity_display_name
from babelwire.nlp.recognizers import recognize_each
from babelwire.nlp.spans import RawSpan, is_acronym, overlaps_any, resolve_overlaps
from babelwire.nlp.story_linking import link_across

__all__ = ["EntitiesStage", "EntityLinker", "entity_display_name", "find_mentions", "link_across"]

_PAREN = re.compile(r"\s*\(\s*([^()\n]{2,90}?)\s*\)")


def _defined_acronyms(text: str, spans: list[RawSpan]) -> list[RawSpan]:
    """Add the other half of "ACR (Long Name)" / "Long Name (ACR)" when the recogniser missed it."""
    added: list[RawSpan] = []
    for span in spans:
        match = _PAREN.match(text, span.end)
        if not match:
            continue
        inner_start, inner_end = match.start(1), match.end(1)
        inner = match.group(1)
        # a span covering only part of the definition ("Internationella" of "Internationella
        # brottmålsdomstolen") does not count: the whole definition is added and wins as the longer
        covered = any(s.start <= inner_start and s.end >= inner_end for s in spans)
        crossing = any(s.start < inner_start < s.end or s.start < inner_end < s.end for s in spans)
        if covered or crossing:
            continue
        surface = text[span.start : span.end]
        long_after_acronym = is_acronym(surface) and inner[:1].isupper() and len(inner.split()) <= 8
        acronym_after_long = is_acronym(inner) and " " not in inner and len(inner) <= 10
        if long_after_acronym or acronym_after_long:
            added.append(RawSpan(inner_start, inner_end, span.label))
    return added


def _repeated_names(text: str, spans: list[RawSpan]) -> list[RawSpan]:
    """Later uncovered occurrences of names already found ("Wexler said …" after "Jonas Wexler").

    ``spans`` are sorted and do not overlap (:func:`resolve_overlaps`).
    """
    names: dict[str, str] = {}
    for span in spans:
        surface = text[span.start : span.end]
        if len(surface) >= 3 and span.label != "MISC":
            names.setdefault(surface, span.label)
        words = surface.split()
        if span.label == "PER" and len(words) > 1 and len(words[-1]) >= 3 and words[-1][:1].isupper():
            names.setdefault(words[-1], "PER")
    if not names:
        return []
    pattern = re.compile(
        r"(?<![\w-])(" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")(?![\w-])"
    )
    added = []
    for match in pattern.finditer(text):
        if not overlaps_any(spans, match.start(), match.end()):
            added.append(RawSpan(match.start(), match.end(), names[match.group()]))
    return added


class EntitiesStage:
    """Attach ``mentions`` (sorted, non-overlapping, each with label and entity id) to articles."""

    name = "entities"
    version = "2"
    requires: tuple[str, ...] = ("text", "lang", "sentences")
    provides: tuple[str, ...] = ("mentions",)
    skip_duplicates = False

    def __init__(self, linker: EntityLinker | None = None) -> None:
        self.linker = linker or EntityLinker()

    def run(self, articles: list[Article]) -> None:
        """Recognise and link the mentions of every article, one model call per language."""
        by_lang: dict[str | None, list[Article]] = defaultdict(list)
        for article in articles:
            by_lang[article.lang].append(article)
        for lang, group in by_lang.items():
            texts = [a.text for a in group]
            outlets = [a.source for a in group]
            found = find_mentions(texts, lang, self.linker, outlets=outlets)
            for article, mentions in zip(group, found, strict=True):
                article.mentions = mentions


def find_mentions(
    texts: list[str],
    lang: str | None,
    linker: EntityLinker | None = None,
    outlets: Sequence[str | None] | None = None,
) -> list[list[Mention]]:
    """Linked mentions of texts in one language (the stage without articles).

    ``outlets`` gives each text's outlet (the article's ``source``), if known: a mention of it in
    its own text is that outlet, an organisation (:func:`outlet_as_organisation`).
    """
    linker = linker or EntityLinker()
    out: list[list[Mention]] = [[] for _ in texts]
    # each text is linked as soon as it is recognised, while worker processes go on with others
    for index, spans in recognize_each(texts, lang):
        found = document_spans(texts[index], spans)
        if outlets is not None:
            found = outlet_as_organisation(texts[index], found, outlets[index])
        out[index] = linker.link(texts[index], found, lang)
    return out


def outlet_as_organisation(text: str, spans: list[RawSpan], outlet: str | None) -> list[RawSpan]:
    """Type a name that is the article's own outlet as ORG.

    A report names its outlet ("sagte Kapitän Tobias Wendler dem Hansekurier", "told Meridian
    Wire"), and a recogniser that does not know the name types it by its shape: one invented word
    becomes a place, two a person. The article's ``source`` says what it is. Only spans the
    recogniser found are retyped (also with a genitive "s" or "'s"); the outlet's name is matched
    exactly, so a source taken from a URL ("hansekurier.example") matches nothing.
    """
    name = " ".join((outlet or "").split())
    if len(name) < 3 or not any(c.isupper() for c in name):
        return spans
    forms = {name, name + "s", name + "'s", name + "’s"}
    out = []
    for span in spans:
        if span.label != "ORG" and text[span.start : span.end] in forms:
            span = RawSpan(span.start, span.end, "ORG", span.role)
        out.append(span)
    return out


def document_spans(text: str, spans: list[RawSpan]) -> list[RawSpan]:
    """A recogniser's spans of one article plus what the article as a whole shows.

    The other half of a defined acronym ("ICC (International Criminal Court)") and later
    occurrences of names already found ("Wexler said …" after "Jonas Wexler").
    """
    spans = resolve_overlaps(spans + _defined_acronyms(text, spans))
    return _surnames_as_persons(text, resolve_overlaps(spans + _repeated_names(text, spans)))


def _surnames_as_persons(text: str, spans: list[RawSpan]) -> list[RawSpan]:
    """A one-word name that is the surname of a person named in full earlier is that person.

    "Wierzbicki said …" after "Prime Minister Tomasz Wierzbicki": a recogniser that sees the
    surname alone often types it as an organisation or a place.
    """
    surnames: dict[str, int] = {}
    for span in spans:
        words = text[span.start : span.end].split()
        if span.label == "PER" and len(words) > 1 and len(words[-1]) >= 3 and words[-1][:1].isupper():
            surnames.setdefault(words[-1], span.end)
    if not surnames:
        return spans
    out = []
    for span in spans:
        surface = text[span.start : span.end]
        first = surnames.get(surface)
        if span.label != "PER" and first is not None and first <= span.start:
            span = RawSpan(span.start, span.end, "PER", span.role)
        out.append(span)
    return out

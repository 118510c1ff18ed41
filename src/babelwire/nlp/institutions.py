"""Bodies named by a lower-case head word next to a place or name: "Umeå universitet", "parquet
de Lyon", "musée des Beaux-Arts de Lyon". The type correction (:mod:`babelwire.nlp.retype`) adds
them after the recogniser's own spans.
"""

from __future__ import annotations

from collections.abc import Sequence

from babelwire.nlp.langdata import LanguageData
from babelwire.nlp.spans import RawSpan, tokenize


def _institution(text: str, span: RawSpan, lang: LanguageData) -> RawSpan | None:
    """A place or name inside a body's name written with a lower-case head word.

    After the name, a head of ``org_heads``: "Umeå universitet", "Luleå tekniska universitet" (at
    most one lower-case word between; "Kiruna kommun" is left to the recogniser). Before it, with
    a connector: "musée des Beaux-Arts de Lyon", "parquet de Lyon",
    "fiscalía de Lyon".
    """
    after = tokenize(text, span.end, min(len(text), span.end + 40))[:2]
    end = span.end
    for n, tok in enumerate(after):
        if text[end : tok.start] != " " or not tok.text.islower():
            break
        if tok.text.casefold() in lang.org_heads:
            return RawSpan(span.start, tok.end, "ORG")
        if n == 0 and (tok.text.casefold() in lang.stopwords or tok.text.casefold() in lang.connectors):
            break
        end = tok.end
    before = tokenize(text, max(0, span.start - 40), span.start)
    start = span.start
    links = 0
    while before:
        tok = before.pop()
        gap = text[tok.end : start]
        if gap not in (" ", "") or (gap == "" and not tok.text.endswith(("'", "’"))):
            break
        low = tok.text.casefold().rstrip("'’")
        if low in lang.connectors or low in lang.articles or low in ("d", "l"):
            links += 1
            start = tok.start
            if links > 2:
                break
            continue
        # "le port du Havre", "la base d'Esrange": a place noun describes the place, not a body
        place_noun = lang.descriptor(low) == "LOC"
        if links and tok.text.islower() and low in lang.org_words and len(low) > 3 and not place_noun:
            prev = tokenize(text, max(0, tok.start - 8), tok.start)
            determined = bool(prev) and prev[-1].text.casefold().rstrip("'’") in lang.determiners
            elided = text[max(0, tok.start - 2) : tok.start].casefold() in ("l'", "l’")
            if determined or elided:
                return RawSpan(tok.start, span.end, "ORG")
        break
    return None


def institution_spans(text: str, spans: Sequence[RawSpan], lang: LanguageData) -> list[RawSpan]:
    """Organisation spans around place and other names (see :func:`_institution`)."""
    out = []
    for span in spans:
        if span.label in ("LOC", "ORG", "MISC"):
            found = _institution(text, span, lang)
            if found is not None:
                out.append(found)
    return out

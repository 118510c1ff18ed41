"""Alignment units: one per sentence, with names, quantities, dates and quote speaker attached."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from babelwire.coverage.dates import DateValue, extract_dates, from_timexes
from babelwire.coverage.numbers import Quantity, extract_quantities
from babelwire.ingest.notices import has_notice_cue, is_notice
from babelwire.model import Article, Quote
from babelwire.stories.features import extract_names, fold, name_key

#: Sentences this short without final punctuation (headings like "Beroende av Ryssland") are not claims.
MIN_WORDS = 4
#: A sentence is a quote unit when quoted words make up at least this share of it.
QUOTE_SHARE = 0.5

_QUOTED = re.compile(r"[\"“”„«‹](?P<q>[^\"“”„«»‹›]{3,}?)[\"“”»›]")
_DASH_QUOTE = re.compile(r"^\s*[–—-]\s+")
_NAME_SEQ = re.compile(r"(?<![\w])((?:[A-ZÀ-ÖØ-Þ][\w'’\-]+\s+){1,3}[A-ZÀ-ÖØ-Þ][\w'’\-]+)")
_PRONOUN_CUE = re.compile(
    r"\b(he|she|han|hon|er|sie|il|elle|ella|él)\b|a-t-(il|elle)|\b(señaló|afirmó|añadió|dijo|explicó)\b",
    re.IGNORECASE,
)
#: Verbs of saying that introduce reported speech (en, sv, de, fr, es).
_SAY = (
    "said|says|told|added|warned|promised|assured|recalled|insisted|stressed|"
    "sade|säger|sa|uppger|uppgav|lovade|lovat|berättade|betonade|menar|"
    "sagte|erklärte|betonte|versicherte|"
    "dit|assuré|affirmé|déclaré|expliqué|rappelé|souligné|précisé|"
    "dijo|aseguró|afirmó|recordó|explicó|asegurado|señaló|advirtió"
)
#: Reported speech: a verb of saying, at most six words, then "that" ("the bank said on Monday that
#: ...", "Albiol recordó que ...", "X uppgav att ..."), or "said it/he/she/they ...". What follows
#: is what was said: such a sentence may paraphrase another report's quote.
_REPORTED = re.compile(
    rf"\b(?:{_SAY})\b(?:\W+\w+){{0,6}}?\W+(?:that|att|dass|que|qu')\s*"
    r"|\b(?:said|says)\s+(?=(?:it|he|she|they)\b)",
    re.IGNORECASE,
)
_WORDS = re.compile(r"\w+")
_END = re.compile(r"[.!?…]\W*$")
#: Words that start a capitalised run but are not part of a name ("Civil Protection Minister ...").
_TITLE_WORDS = frozenset(
    re.findall(
        r"\S+",
        "the president minister prime chief executive director captain mayor spokesman spokeswoman "
        "le la el los las der die das den det kapitän kapitan ministre ministro seismologin seismologen "
        "said says sagte säger dijo a-t-il",
    )
)


@dataclass(slots=True)
class Unit:
    """One sentence of one article, as the aligner sees it."""

    index: int  # position in the story's unit list
    article: str
    position: int  # sentence number within the article
    start: int
    end: int
    text: str
    lang: str | None
    source: str | None
    names: frozenset[str] = frozenset()
    quantities: list[Quantity] = field(default_factory=list)
    dates: list[DateValue] = field(default_factory=list)
    quote: bool = False
    reported: bool = False  # not a quote, but reports what someone said ("X said that ...")
    reported_text: str | None = None  # what was said: the words after "said that"
    quote_text: str | None = None
    speaker: str | None = None  # display name of the speaker
    speaker_key: str | None = None  # entity id, or the folded surname
    speaker_linked: bool = False  # the quotes stage attributed the quote (not the fallback guess)
    speaker_alt_key: str | None = None  # the fallback's surname key, also when the quotes stage named one
    minor: bool = False  # too short to be a claim (a heading), or an access notice
    entities: dict[str, str] = field(default_factory=dict)  # linked entity id -> label (PER/ORG/LOC/MISC)
    entity_text: dict[str, str] = field(default_factory=dict)  # linked entity id -> mention as written
    place: float = 0.0  # relative position in the article: 0 for the first sentence, 1 for the last

    @property
    def numbers_key(self) -> frozenset[str]:
        """The exact values in the sentence with their role and severity, for the alignment score.

        ``7||dead|``, ``2||injured|serious``, ``20|km||``: value, kind, role, severity.
        """
        return frozenset(f"{q.value:g}|{q.kind}|{q.role}|{q.severity}" for q in self.quantities)

    @property
    def dates_key(self) -> frozenset[str]:
        """The date values in the sentence."""
        return frozenset(d.value for d in self.dates)


def _speaker_from_text(text: str) -> str | None:
    """The first run of capitalised words outside the quote that looks like a person's name.

    For a dash quote ("– ..., säger X till Y.") only the attribution after the last comma is read.
    """
    outside = _QUOTED.sub(" ", text)
    if _DASH_QUOTE.match(text):
        outside = outside.rsplit(",", 1)[-1]
    for m in _NAME_SEQ.finditer(outside):
        words = [w for w in m.group(1).split() if fold(w) not in _TITLE_WORDS]
        if len(words) >= 2:
            return " ".join(words[:2]) if len(words) == 2 else " ".join(words[-2:])
    return None


def _speaker_key(name: str) -> str:
    return name_key(name.split()[-1])


def _quote_overlapping(quotes: Sequence[Quote], start: int, end: int) -> Quote | None:
    for quote in quotes:
        if quote.start < end and start < quote.end:
            return quote
    return None


def _mark_quote(unit: Unit, article: Article, last_speaker: tuple[str, str] | None) -> None:
    """Decide whether a unit is a quote and who said it (quotes stage first, then the fallback)."""
    text = unit.text
    quote = _quote_overlapping(article.quotes, unit.start, unit.end)
    if quote is not None:
        covered = min(quote.end, unit.end) - max(quote.start, unit.start)
        unit.quote = covered >= QUOTE_SHARE * len(text) or (
            quote.partial is False and covered > 0.3 * len(text)
        )
        unit.quote_text = quote.text
        if quote.speaker is not None:
            unit.speaker = quote.speaker.text
            unit.speaker_key = quote.speaker.entity_id or _speaker_key(quote.speaker.text)
            unit.speaker_linked = True
            # the stage may name an organisation ("Amnestys") where the text also names the person
            name = _speaker_from_text(text)
            unit.speaker_alt_key = _speaker_key(name) if name else None
            return
    else:
        quoted = [m.group("q") for m in _QUOTED.finditer(text)]
        dash = _DASH_QUOTE.match(text) is not None
        share = sum(len(q) for q in quoted) / max(1, len(text))
        unit.quote = dash or share >= QUOTE_SHARE
        if unit.quote or share >= QUOTE_SHARE / 2:
            unit.quote_text = _DASH_QUOTE.sub("", text) if dash and not quoted else max(quoted, key=len)
    if unit.quote_text is None:
        return
    name = _speaker_from_text(text)
    if name is not None:
        unit.speaker, unit.speaker_key = name, _speaker_key(name)
    elif last_speaker is not None and (_PRONOUN_CUE.search(_QUOTED.sub(" ", text)) or unit.quote):
        # "he said", or a quote paragraph with no attribution: the last person named speaks
        unit.speaker, unit.speaker_key = last_speaker


def speaker_ids(unit: Unit) -> set[str]:
    """Every key a unit's speaker is known by: entity id (without its type), surname keys."""
    keys = {k.split(":", 1)[-1] for k in (unit.speaker_key, unit.speaker_alt_key) if k}
    if unit.speaker and unit.speaker[:1].isupper():
        keys.add(_speaker_key(unit.speaker))
    return keys


def _line_of(text: str, start: int, end: int) -> str:
    """The line (paragraph) of ``text`` that holds ``text[start:end]``."""
    stop = text.find("\n", end)
    return text[text.rfind("\n", 0, start) + 1 : len(text) if stop < 0 else stop]


def article_units(article: Article, first_index: int = 0) -> list[Unit]:
    """The units of one analysed article, in sentence order."""
    units: list[Unit] = []
    linked = [m for m in article.mentions if m.entity_id]
    last_speaker: tuple[str, str] | None = None
    cued = has_notice_cue(article.text)  # one scan; lines are looked at only when a cue occurs
    for position, sent in enumerate(article.sentences):
        text = article.text[sent.start : sent.end]
        unit = Unit(
            index=first_index + len(units),
            article=article.id,
            position=position,
            start=sent.start,
            end=sent.end,
            text=text,
            lang=article.lang,
            source=article.source,
            place=position / max(1, len(article.sentences) - 1),
        )
        names = set(extract_names(text, (0,)))
        for mention in linked:
            if sent.start <= mention.start < sent.end and mention.entity_id:
                names.add(f"e:{mention.entity_id}")
                unit.entities.setdefault(mention.entity_id, mention.label)
                unit.entity_text.setdefault(mention.entity_id, mention.text)
        unit.names = frozenset(names)
        if article.timexes:
            unit.dates = from_timexes(article.timexes, sent.start, sent.end, text)
        else:
            unit.dates = extract_dates(text, article.published)
        unit.quantities = extract_quantities(text, article.lang, [(d.start, d.end) for d in unit.dates])
        _mark_quote(unit, article, last_speaker)
        said = None if unit.quote else _REPORTED.search(text)
        unit.reported = said is not None
        unit.reported_text = text[said.end() :].strip() if said is not None else None
        if unit.quote_text and unit.speaker and unit.speaker_key:
            last_speaker = (unit.speaker, unit.speaker_key)
        else:
            name = _speaker_from_text(text)
            if name is not None:
                last_speaker = (name, _speaker_key(name))
        words = len(_WORDS.findall(text))
        # a heading, or a site's notice ("Sign up for breaking news alerts!") is no claim of the
        # report; a notice is judged by the whole line the sentence sits in, as clustering does
        unit.minor = (
            words < 2
            or (words < MIN_WORDS and not _END.search(text))
            or (cued and is_notice(_line_of(article.text, sent.start, sent.end)))
        )
        units.append(unit)
    return units

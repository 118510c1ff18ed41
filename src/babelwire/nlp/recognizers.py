"""Named-entity recognisers: spaCy where a model ships, capitalisation rules and the gazetteer elsewhere.

Every recogniser returns, per text, :class:`RawSpan` objects with PER/ORG/LOC/MISC labels. spaCy's
OntoNotes labels are mapped (PERSON→PER, GPE/LOC/FAC→LOC, NORP/EVENT/…→MISC) and numeric types
dropped. Spans are then cleaned the same way for every language: articles trimmed, titles moved
into ``role``, known names added where the model missed them.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from threadpoolctl import threadpool_limits

from babelwire.config import count_from_env
from babelwire.nlp import sentence_gate
from babelwire.nlp.body_names import body_spans, cut_before_defined, defined_name_spans
from babelwire.nlp.context_names import context_spans
from babelwire.nlp.document_types import settle_types
from babelwire.nlp.extra_spans import disease_spans, extra_spans
from babelwire.nlp.gazetteer import Gazetteer, default_gazetteer
from babelwire.nlp.langdata import LanguageData, language_data
from babelwire.nlp.non_names import drop_non_names
from babelwire.nlp.retype import cue_label, retype_spans
from babelwire.nlp.rules import RuleRecognizer, gazetteer_spans, lemma_dictionary
from babelwire.nlp.segment import sentence_spans
from babelwire.nlp.spans import (
    NAME_PARTICLES,
    RawSpan,
    recase_shouting,
    resolve_overlaps,
    role_before,
    strip_title,
    text_pieces,
    tokenize,
    trim_span,
)
from babelwire.nlp.swedish import drop_common_words, may_hold_names

LOG = logging.getLogger(__name__)

#: spaCy / OntoNotes label → babelwire type (None = not an entity for babelwire).
LABEL_MAP: dict[str, str | None] = {
    "PERSON": "PER", "PER": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC",
    "NORP": "MISC", "EVENT": "MISC", "WORK_OF_ART": "MISC", "LAW": "MISC", "PRODUCT": "MISC",
    "LANGUAGE": "MISC", "MISC": "MISC", "DATE": None, "TIME": None, "MONEY": None, "QUANTITY": None,
    "PERCENT": None, "CARDINAL": None, "ORDINAL": None,
}  # fmt: skip
_SOFT_HYPHEN = "\u00ad"


class Recognizer(Protocol):
    """Finds entity spans in texts of one language."""

    lang: LanguageData
    parallel: bool  # worth sharing a large batch with worker processes

    def spans(self, texts: Sequence[str]) -> list[list[RawSpan]]:
        """Raw spans per text (before clean-up)."""
        ...

    def spans_for_words(self, sentences: Sequence[Sequence[str]]) -> list[list[RawSpan]]:
        """Raw spans per pre-tokenised sentence, with offsets into ``" ".join(words)``."""
        ...


class SpacyRecognizer:
    """A spaCy pipeline run with only the components its ``ner`` needs.

    Where the language lists openers that are never names (English), sentences that cannot hold a
    name are blanked before the model reads the text (:mod:`babelwire.nlp.sentence_gate`), keeping
    :data:`GATE_CONTEXT` words next to the sentences it reads; ``gate=False`` (or
    ``BABELWIRE_SENTENCE_GATE=0``) reads everything.
    """

    parallel = True  # costly enough per text to share large batches with a worker process

    #: words of a skipped stretch kept next to a sentence that is read: the ``ner`` model's token
    #: vectors see four tokens on each side and its next move the token before, so five words keep
    #: what the model sees of the sentences it reads (measured: the same spans after the clean-up
    #: on 708 English articles, docs/entities.md)
    GATE_CONTEXT = 5

    def __init__(
        self, model: str | Path, lang: LanguageData, batch_size: int = 16, gate: bool | None = None
    ) -> None:
        import spacy

        self.lang = lang
        self.batch_size = batch_size
        gate = sentence_gate.sentence_gate_on() if gate is None else gate
        self.gate = gate and bool(lang.name_free_openers)
        self.nlp = spacy.load(model)
        keep = {"ner"}
        if "tok2vec" in self.nlp.pipe_names and "ner" in getattr(
            self.nlp.get_pipe("tok2vec"), "listening_components", []
        ):
            keep.add("tok2vec")
        self.nlp.select_pipes(enable=[n for n in self.nlp.pipe_names if n in keep])

    def _doc_spans(self, doc: Any) -> list[RawSpan]:
        out = []
        for ent in doc.ents:
            label = LABEL_MAP.get(ent.label_, "MISC")
            if label is not None:
                out.append(RawSpan(ent.start_char, ent.end_char, label))
        return out

    def spans(self, texts: Sequence[str]) -> list[list[RawSpan]]:
        """Run the pipeline over the texts in batches (soft hyphens removed, offsets mapped back)."""
        maps: list[list[int] | None] = []
        clean: list[str] = []
        for text in texts:
            if _SOFT_HYPHEN in text:
                keep = [i for i, c in enumerate(text) if c != _SOFT_HYPHEN]
                clean.append("".join(text[i] for i in keep))
                maps.append([*keep, len(text)])
            else:
                clean.append(text)
                maps.append(None)
        code = self.lang.code
        clean = [recase_shouting(t, self.lang, _known_name(code), _common_word(code)) for t in clean]
        if self.gate:
            openers = self.lang.name_free_openers
            clean = [sentence_gate.blank_name_free(t, openers, self.GATE_CONTEXT)[0] for t in clean]
        out = []
        for spans, index in zip(self._pipe_spans(clean), maps, strict=True):
            if index is not None:
                spans = [RawSpan(index[s.start], index[s.end - 1] + 1, s.label) for s in spans]
            out.append(spans)
        return out

    #: Longest piece given to spaCy at once (it refuses texts over ``nlp.max_length``, 1,000,000).
    MAX_PIECE = 100_000

    def _pipe_spans(self, texts: Sequence[str]) -> list[list[RawSpan]]:
        """The model's spans per text; a text too long for spaCy is read in pieces cut at line breaks."""
        limit = max(1, min(self.MAX_PIECE, self.nlp.max_length))
        pieces: list[str] = []
        owners: list[tuple[int, int]] = []  # (text, offset of the piece in it)
        for i, text in enumerate(texts):
            for start, end in text_pieces(text, limit):
                pieces.append(text[start:end])
                owners.append((i, start))
        out: list[list[RawSpan]] = [[] for _ in texts]
        docs = (self._bounded_doc(piece) for piece in pieces)
        for (i, offset), doc in zip(owners, self.nlp.pipe(docs, batch_size=self.batch_size), strict=True):
            out[i].extend(RawSpan(s.start + offset, s.end + offset, s.label) for s in self._doc_spans(doc))
        return out

    def _bounded_doc(self, text: str) -> Any:
        """The tokens of ``text`` with a sentence start after every line break and at every sentence.

        spaCy's ``ner`` never continues an entity into a token that starts a sentence, so a name
        cannot run from a headline into the first line of the body ("… Floating School\nThe Port
        Wenlow") or from one sentence into the next. Sentences are :func:`sentence_spans`' (which
        knows abbreviations: "U.S. Coast Guard" stays one name); a line break token starts a
        sentence too, so that no entity ends on it.
        """
        doc = self.nlp.make_doc(text)
        starts = boundary_starts(text, self.lang.code)
        after_break = False
        for token in doc[1:]:
            if token.is_space and "\n" in token.text:
                token.is_sent_start = True
                after_break = True
            elif after_break or token.idx in starts:
                token.is_sent_start = True
                after_break = False
        return doc

    def spans_for_words(self, sentences: Sequence[Sequence[str]]) -> list[list[RawSpan]]:
        """Run the pipeline over Docs built from the given words (the gold tokenisation)."""
        from spacy.tokens import Doc

        words = [_recased_words(ws, self.lang) for ws in sentences]
        # each sentence is a Doc of its own, so one the gate rules out is simply not read
        read = [
            i
            for i, ws in enumerate(words)
            if not self.gate or sentence_gate.may_hold_names(" ".join(ws), self.lang.name_free_openers)
        ]
        docs = [Doc(self.nlp.vocab, words=words[i]) for i in read]
        out: list[list[RawSpan]] = [[] for _ in sentences]
        for i, doc in zip(read, self.nlp.pipe(docs, batch_size=self.batch_size), strict=True):
            out[i] = self._doc_spans(doc)
        return out


@cache
def _known_name(code: str) -> Callable[[str], bool]:
    """A predicate: a word in capitals that names a country, organisation, region or big city.

    "UN", "NORWAY", "MIAMI"; not a common word of the language that is also some small place's
    or region's name ("NAME", "TOUR").
    """
    common = _common_word(code)

    def known(word: str) -> bool:
        gazetteer = default_gazetteer()
        entry = gazetteer.lookup(word) or gazetteer.lookup(word[0] + word[1:].lower(), cities=True)
        if entry is None or (entry.kind == "city" and entry.population < 100_000):
            return False
        return entry.kind in ("country", "org") or not common(word.lower())

    return known


@cache
def _common_word(code: str) -> Callable[[str], bool]:
    """A predicate: a lower-case word the language's lemma dictionary knows as a common word."""
    words = lemma_dictionary(code)

    def common(lower: str) -> bool:
        lemma = words.get(lower)
        return lemma is not None and not str(lemma)[:1].isupper()

    return common


def _recased_words(words: Sequence[str], lang: LanguageData) -> list[str]:
    """Gold words for a Doc: soft hyphens removed, a sentence in capitals recased."""
    clean = [w.replace(_SOFT_HYPHEN, "") or "-" for w in words]
    joined = " ".join(clean)
    recased = recase_shouting(joined, lang, _known_name(lang.code), _common_word(lang.code))
    if recased == joined:
        return clean
    out, pos = [], 0
    for word in clean:
        out.append(recased[pos : pos + len(word)])
        pos += len(word) + 1
    return out


class SwedishRecognizer(SpacyRecognizer):
    """The shipped Swedish model, with common words taken off the front of its spans.

    Swedish capitalises only names and the first word of a sentence, so a capitalised word that
    simplemma's Swedish dictionary knows only in lower case ("Man", "Mamman", "Herr") is a
    common word. The model sometimes tags such a word at the start of a sentence, alone or glued
    to the name after it ("Hos Mo Yan"), and sometimes glues an inflected common noun to a name
    ("Nyhetsbyrån Reuters"). :func:`drop_common_words` removes those words.
    """

    def spans(self, texts: Sequence[str]) -> list[list[RawSpan]]:
        return [drop_common_words(t, s) for t, s in zip(texts, super().spans(texts), strict=True)]

    def spans_for_words(self, sentences: Sequence[Sequence[str]]) -> list[list[RawSpan]]:
        raw = super().spans_for_words(sentences)
        return [drop_common_words(" ".join(ws), s) for ws, s in zip(sentences, raw, strict=True)]


class SwedishTaggerRecognizer:
    """The shipped Swedish tagger (fine-tuned multilingual-e5-small, :mod:`babelwire.nlp.sv_tagger`).

    Common words are taken off the front of its spans as for the spaCy model
    (:func:`drop_common_words`).
    """

    parallel = True

    def __init__(self, path: Path | None = None) -> None:
        from babelwire.nlp.sv_tagger import SwedishTagger

        self.tagger = SwedishTagger(path, gate=may_hold_names)
        self.lang = self.tagger.lang

    def spans(self, texts: Sequence[str]) -> list[list[RawSpan]]:
        raw = self.tagger.spans(texts)
        return [drop_common_words(t, s) for t, s in zip(texts, raw, strict=True)]

    def spans_for_words(self, sentences: Sequence[Sequence[str]]) -> list[list[RawSpan]]:
        raw = self.tagger.spans_for_words(sentences)
        return [drop_common_words(" ".join(ws), s) for ws, s in zip(sentences, raw, strict=True)]


class _RuleAdapter:
    """The rule recogniser behind the :class:`Recognizer` protocol."""

    parallel = True  # about as costly per text as the spaCy languages' clean-up alone

    def __init__(self, lang: LanguageData, gazetteer: Gazetteer) -> None:
        self.lang = lang
        self.rules = RuleRecognizer(lang, gazetteer)

    def spans(self, texts: Sequence[str]) -> list[list[RawSpan]]:
        return [self.rules.find(t) for t in texts]

    def spans_for_words(self, sentences: Sequence[Sequence[str]]) -> list[list[RawSpan]]:
        return [self.rules.find(" ".join(ws)) for ws in sentences]


def swedish_tagger_path() -> Path | None:
    """The shipped Swedish tagger file, or None while it is not there."""
    from babelwire.nlp.sv_tagger import default_model_path

    path = default_model_path()
    return path if path.is_file() else None


def swedish_model_path() -> Path | None:
    """The shipped Swedish NER model folder, or None while it is not there."""
    try:
        from babelwire.models import sv_ner_path  # type: ignore[attr-defined,unused-ignore]
    except ImportError:
        return None
    try:
        path = Path(sv_ner_path())
    except (OSError, ValueError, RuntimeError):
        return None
    return path if (path / "config.cfg").is_file() else None


@cache
def recognizer_for(lang: str | None) -> Recognizer:
    """The recogniser for a language, built once per process (the model loads once)."""
    data = language_data(lang)
    kind = data.recognizer
    try:
        if kind.startswith("spacy:"):
            return SpacyRecognizer(kind.split(":", 1)[1], data)
        if kind == "sv_ner":
            choice = os.environ.get("BABELWIRE_SV_NER", "tagger").strip().lower() or "tagger"
            if choice not in ("tagger", "spacy"):
                LOG.warning("BABELWIRE_SV_NER=%s is neither 'tagger' nor 'spacy'; using the tagger", choice)
            tagger = swedish_tagger_path()
            if tagger is not None and choice != "spacy":
                return SwedishTaggerRecognizer(tagger)
            path = swedish_model_path()
            if path is not None:
                return SwedishRecognizer(path, data)
            LOG.warning("the Swedish NER model is not installed; using the rule recogniser for Swedish")
    except OSError as exc:  # a missing spaCy package: the rules still give entities
        LOG.warning("cannot load %s (%s); using the rule recogniser for %s", kind, exc, data.code)
    return _RuleAdapter(data, default_gazetteer())


#: end punctuation followed by a blank: a span holding one may cross a sentence boundary
_SENTENCE_END_INSIDE = re.compile(r"[.!?…][\"'”’»)\]]*\s")
#: a line break and the blanks after it: the next line starts where it ends
_LINE_START = re.compile(r"\n\s*")
_GLUED_LOWER = re.compile(r"-[^\W\d_]*[a-zåäöéü]")
_WEB_ADDRESS = re.compile(
    r"[\w-]+(?:\.[\w-]+)*\.(?:se|com|nu|net|org|eu|no|dk|fi|de|fr|uk|es|it|info)(?:/\S*)?", re.I
)


#: a lower-case noun, a connector and a capitalised name in one span ("base d'Esrange")
_LOWER_DESCRIPTOR = re.compile(
    r"([^\W\d_A-ZÀ-ÖØ-Þ][\w-]*)(?:\s+(?:de|of|du|del|von)\s+|\s+[dD]['’]|\s+)(?=[A-ZÀ-ÖØ-Þ])"
)


def boundary_starts(text: str, lang: str | None) -> set[int]:
    """Offsets of the first character of each sentence but the first, and of each line after a break.

    No entity span crosses one of them (:func:`cut_at_boundaries`).
    """
    starts = {s.start for s in sentence_spans(text, lang)[1:]}
    for match in _LINE_START.finditer(text):
        starts.add(match.end())
    starts.discard(len(text))
    return starts


def _website(surface: str) -> bool:
    """A web address ("svd.se", "DN.se")."""
    return bool(_WEB_ADDRESS.fullmatch(surface))


def _lower_case_name(surface: str) -> bool:
    """A name written without capitals: a web address, also split by the tokeniser ("svd.se /
    naringsliv"), or a title that starts with a digit ("13dagsafton")."""
    return _website(surface.replace(" ", "")) or (surface[:1].isdigit() and any(c.isalpha() for c in surface))


def cut_at_boundaries(
    text: str, spans: Sequence[RawSpan], lang: LanguageData, gazetteer: Gazetteer
) -> list[RawSpan]:
    """Spans that cross a line break or a sentence boundary, cut there; other spans as they are.

    A name never runs from a headline into the body or from one sentence into the next
    ("Harbor Council Approves Floating School\nThe Port Wenlow"). Of a crossing span, each part
    whose own words or the gazetteer give the recogniser's type is kept ("… Council" as ORG);
    the others are dropped, as the type was given to the whole.
    """
    crossing = [s for s in spans if "\n" in text[s.start : s.end]]
    if not crossing and not any(_SENTENCE_END_INSIDE.search(text, s.start, s.end) for s in spans):
        return list(spans)
    starts = sorted(boundary_starts(text, lang.code))
    out: list[RawSpan] = []
    for span in spans:
        inside = [b for b in starts if span.start < b < span.end]
        if not inside:
            out.append(span)
            continue
        for a, b in zip([span.start, *inside], [*inside, span.end], strict=True):
            a, b = trim_span(text, a, b, lang, person=span.label == "PER")
            if b <= a:
                continue
            entry = gazetteer.lookup(text[a:b], cities=True)
            fits = cue_label(text[a:b].split(), lang) == span.label or (
                entry is not None and entry.label == span.label
            )
            if fits:
                out.append(RawSpan(a, b, span.label, span.role))
    return out


def _headline_name(text: str, span: RawSpan, lang: LanguageData, gazetteer: Gazetteer) -> RawSpan:
    """A span that is a whole headline in title case above a body, cut to the name it opens with.

    "Harbor Council Approves Floating School" above its article is a headline, not a body's name:
    the model reads a line of capitalised words as one name. Where the language capitalises only
    names (a title-case line is a headline style), a line of four words or more that the span
    covers whole and the gazetteer does not know is cut to its shortest opening of two words or
    more whose words give the span's type ("Harbor Council", ORG) and that a capitalised word
    other than a connector follows ("Harbor Council of Port Wenlow" stays whole). Without such an
    opening the span is left as it is.
    """
    if lang.capitalises_nouns or lang.caseless:
        return span
    line_start = text.rfind("\n", 0, span.start) + 1
    line_end = text.find("\n", span.end)
    if line_end < 0 or not text[line_end:].strip():
        return span  # no body below
    line = text[line_start:line_end].strip().rstrip(".:!?")
    words = text[span.start : span.end].split()
    if line != text[span.start : span.end] or len(words) < 4:
        return span
    if gazetteer.lookup(line, cities=False) is not None:
        return span
    for n in range(2, len(words)):
        nxt = words[n]
        if not words[n - 1][:1].isupper():
            break  # a lower-case word ("of", "to"): the opening would not be a run of names
        opening = cue_label(words[:n], lang) == span.label
        if opening and nxt[:1].isupper() and nxt.casefold() not in lang.connectors:
            if " ".join(words) != line:
                return span  # spaced irregularly: offsets of the words unknown here
            return RawSpan(span.start, span.start + len(" ".join(words[:n])), span.label, span.role)
    return span


def refine(text: str, spans: Sequence[RawSpan], lang: LanguageData, gazetteer: Gazetteer) -> list[RawSpan]:
    """Clean recogniser spans: trim, move titles into roles, correct types, add missed known names."""
    out: list[RawSpan] = []
    for raw in cut_at_boundaries(text, spans, lang, gazetteer):
        raw = _headline_name(text, raw, lang, gazetteer)
        start, end = trim_span(text, raw.start, raw.end, lang, person=raw.label == "PER")
        if end <= start or not any(c.isalpha() for c in text[start:end]):
            continue
        surface = text[start:end]
        if not lang.caseless and not any(c.isupper() for c in surface) and not _lower_case_name(surface):
            continue  # "international justice council": a description, not a name
        label = "MISC" if _website(surface) else raw.label  # a website: "gp.se", "DN.se"
        lead = _LOWER_DESCRIPTOR.match(surface)
        if lead and not lang.capitalises_nouns and (announced := lang.descriptor(lead.group(1))):
            start, label = start + lead.end(), announced  # "base d'Esrange", "ville de Lyon"
        span, leftovers = strip_title(text, RawSpan(start, end, label, raw.role), lang)
        if span.label != "PER" and not leftovers:
            span, leftovers = _split_run_on(text, span, lang, gazetteer)
        if span.role is None and span.label == "PER":
            span.role = role_before(text, span.start, lang)
        out.append(span)
        for extra in leftovers:
            entry = _lookup_inflected(text[extra.start : extra.end], lang, gazetteer)
            if entry is not None:
                out.append(RawSpan(extra.start, extra.end, entry))
    out = retype_spans(text, out, lang, gazetteer)
    # a known name glued to a common word ("USA-tillverkade", "EU-området") is part of a word
    # that names no entity; the recogniser's own spans ("EU-kommissionen") are kept
    known = [
        RawSpan(*trim_span(text, s.start, s.end, lang), s.label)  # "Los Mossos d'Esquadra"
        for s in gazetteer_spans(text, tokenize(text), lang, gazetteer, cities=False)
        if not _GLUED_LOWER.match(text, s.end)
    ]
    for span in known:
        inside = [s for s in out if s.start < span.end and span.start < s.end]
        words = len(text[span.start : span.end].split())
        # more words only: "India's" (the gazetteer reads a genitive) does not replace "India"
        longer = all(
            span.start <= s.start and s.end <= span.end and len(text[s.start : s.end].split()) < words
            for s in inside
        )
        if longer:
            # "Svenska kraftnät" where the model found "Svenska": the known longer name wins
            out = [s for s in out if s not in inside] + [span]
    taken = [(s.start, s.end) for s in out]
    for span in extra_spans(text, lang, gazetteer):
        if all(span.end <= a or span.start >= b for a, b in taken):
            out.append(span)
    defined = defined_name_spans(text, out, lang, gazetteer)
    out = cut_before_defined(text, out, defined, lang)
    added = [
        *context_spans(text, out, lang, gazetteer),
        *body_spans(text, lang, gazetteer),
        *defined,
        *disease_spans(text, lang),
    ]
    out = resolve_overlaps(added + out)  # where two spans are the same, the added one's type wins
    return drop_non_names(text, settle_types(text, out, lang, gazetteer, _common_word(lang.code)), lang)


def _split_run_on(
    text: str, span: RawSpan, lang: LanguageData, gazetteer: Gazetteer
) -> tuple[RawSpan, list[RawSpan]]:
    """ "Mongolia marks Putin's" tagged as one name: a known place, lower-case words, another name."""
    tokens = tokenize(text, span.start, span.end)
    lower = [
        i
        for i, t in enumerate(tokens)
        if not t.text[:1].isupper() and t.text.casefold() not in lang.connectors | NAME_PARTICLES
    ]
    if not lower or lower[-1] >= len(tokens) - 1 or lower[0] == 0:
        return span, []
    head = text[tokens[0].start : tokens[lower[0] - 1].end]
    entry = gazetteer.lookup(head, cities=True)
    if entry is None or entry.kind == "org":
        return span, []
    tail = tokens[lower[-1] + 1 :]
    return RawSpan(tail[0].start, tail[-1].end, span.label), [
        RawSpan(tokens[0].start, tokens[lower[0] - 1].end, "MISC")
    ]


def _lookup_inflected(surface: str, lang: LanguageData, gazetteer: Gazetteer) -> str | None:
    """The gazetteer label of a name or its genitive ("Amnestys" → ORG), if known."""
    for form in (surface, *(surface[: -len(g)] for g in lang.genitive if surface.endswith(g))):
        entry = gazetteer.lookup(form, cities=False)
        if entry is not None:
            return entry.label
    return None


#: A batch of one language is shared with worker processes from this many characters on
#: (about 25 articles of 600 words): below it, starting a worker costs more than it saves.
PARALLEL_MIN_CHARS = 100_000


def ner_workers() -> int:
    """Processes that recognise entities in large batches: ``BABELWIRE_NER_WORKERS``, else up to 2.

    The main process is one of them, so 2 means one extra process
    (:mod:`babelwire.nlp.ner_worker`). Each extra process loads its own copy of the models
    (about 300 MB for English).
    """
    count = count_from_env("BABELWIRE_NER_WORKERS")
    return count if count is not None else max(1, min(2, os.cpu_count() or 1))


def recognize_here(texts: Sequence[str], lang: str | None) -> list[list[RawSpan]]:
    """Recognise and clean spans in this process."""
    recognizer = recognizer_for(lang)
    gazetteer = default_gazetteer()
    raw = recognizer.spans(texts)
    return [refine(text, spans, recognizer.lang, gazetteer) for text, spans in zip(texts, raw, strict=True)]


def recognize(texts: Sequence[str], lang: str | None) -> list[list[RawSpan]]:
    """Recognise and clean entity spans in texts of one language (see :func:`recognize_each`)."""
    out: list[list[RawSpan]] = [[] for _ in texts]
    for index, spans in recognize_each(texts, lang):
        out[index] = spans
    return out


def recognize_each(texts: Sequence[str], lang: str | None) -> Iterator[tuple[int, list[RawSpan]]]:
    """``(index, spans)`` for every text, in the order they are ready.

    A batch of at least :data:`PARALLEL_MIN_CHARS` is shared between this process and
    :func:`ner_workers` − 1 worker processes (:func:`babelwire.nlp.ner_worker.share`). The spans
    do not depend on the sharing, since every text is recognised on its own. If a worker fails,
    its texts are done here.
    """
    from babelwire.nlp import ner_worker

    count = ner_workers()
    if count < 2 or not recognizer_for(lang).parallel or sum(len(t) for t in texts) < PARALLEL_MIN_CHARS:
        yield from enumerate(recognize_here(texts, lang))
        return
    try:
        helpers = ner_worker.workers(count - 1)
    except OSError as exc:
        LOG.warning("cannot start entity worker processes (%s); recognising in one process", exc)
        yield from enumerate(recognize_here(texts, lang))
        return
    # while workers run, this process's matrix products use one thread too (see ner_worker.ONE_THREAD);
    # recognize_here is looked up at each call, so a test can replace it
    with threadpool_limits(1):
        yield from ner_worker.share(texts, lang, lambda part, code: recognize_here(part, code), helpers)


def recognize_words(sentences: Sequence[Sequence[str]], lang: str | None) -> list[list[RawSpan]]:
    """Recognise and clean spans in pre-tokenised sentences (offsets into the space-joined words)."""
    raw = recognize_words_raw(sentences, lang)
    texts = [" ".join(ws) for ws in sentences]
    return [refine_spans(text, spans, lang) for text, spans in zip(texts, raw, strict=True)]


def recognize_words_raw(sentences: Sequence[Sequence[str]], lang: str | None) -> list[list[RawSpan]]:
    """The recogniser's own spans in pre-tokenised sentences, before :func:`refine`."""
    return recognizer_for(lang).spans_for_words(sentences)


def refine_spans(text: str, spans: Sequence[RawSpan], lang: str | None) -> list[RawSpan]:
    """:func:`refine` with the word lists of ``lang``'s recogniser and the default gazetteer."""
    return refine(text, spans, recognizer_for(lang).lang, default_gazetteer())

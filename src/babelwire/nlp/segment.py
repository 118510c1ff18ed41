"""Split text into paragraphs and sentences with character offsets, respecting abbreviations."""

from __future__ import annotations

import re

from babelwire.model import Article, Sentence, Span
from babelwire.nlp.abbreviations import (
    ORDINAL_DOT_LANGS,
    ORDINAL_FOLLOWERS,
    TITLES,
    abbreviations_for,
    sentence_openers,
)

_BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")
# end punctuation, optionally followed by closing quotes/brackets, then whitespace
_CLOSERS = "\"”“»›’')]"
_BOUNDARY = re.compile(
    r"(?:\.{3}|…|[.!?؟]+)(?:\s?[\"”“»›’'\)\]])*(?=\s|$)"
    # a period with no space after it between two words ("coronavirus.Si bien"), common in
    # scraped text; not inside dotted names (the word after it must be a plain capitalised word)
    r"|(?<=[^\W\d_]{2})\.(?=[^\W\d_a-zß-ÿ][a-zß-ÿ]+[\s,;:])"
)
_OPENERS = "\"'“„«‹‚‘(¿¡[–—-"
_TERMINAL = ".!?…:;\"”»’'"
_TOKEN_BEFORE = re.compile(r"(\S+)$")
_LOOKBACK = 80  # characters: longer than any abbreviation or dotted acronym
_NEXT_WORD = re.compile(r"\s*([^\s]+)")
_LEADING_WORD = re.compile(r"[^\W\d_]+")


def paragraph_spans(text: str) -> list[Span]:
    """Blocks separated by blank lines; when a text has no blank line, each line is a paragraph."""
    spans: list[Span] = []
    pos = 0
    blocks = list(_BLANK_LINE.finditer(text))
    if not blocks:
        return [_trim(text, m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if m.group().strip()]
    for sep in blocks:
        if text[pos : sep.start()].strip():
            spans.append(_trim(text, pos, sep.start()))
        pos = sep.end()
    if text[pos:].strip():
        spans.append(_trim(text, pos, len(text)))
    return spans


def _trim(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)


def _line_segments(text: str, span: Span) -> list[Span]:
    """Split a paragraph at newlines that end a line of its own (headline, dash quote, list item).

    A newline inside running text (hard-wrapped lines: no end punctuation before it and a
    lower-case letter after it) does not split.
    """
    segments: list[Span] = []
    start = span.start
    for match in re.finditer(r"\n", text[span.start : span.end]):
        nl = span.start + match.start()
        before = text[start:nl].rstrip()
        after = text[nl + 1 : span.end].lstrip()
        wrapped = bool(before) and before[-1] not in _TERMINAL and bool(after) and after[0].islower()
        if not wrapped:
            if before.strip():
                segments.append(_trim(text, start, nl))
            start = nl + 1
    if text[start : span.end].strip():
        segments.append(_trim(text, start, span.end))
    return segments


def _is_boundary(text: str, end: int, punct: str, limit: int, lang: str | None) -> bool:
    """Decide whether the punctuation ending at ``end`` ends a sentence."""
    nxt = _NEXT_WORD.match(text, end, limit)
    if not nxt:
        return False
    next_word = nxt.group(1)
    first = next_word[0]
    if first.islower():
        return False
    caseless = first.isalpha() and not first.isupper()  # Arabic and other scripts without case
    if not (first.isupper() or caseless or first.isdigit() or first in _OPENERS):
        return False
    if not punct.startswith(".") or punct.startswith("..."):
        return True
    stop = end - len(punct)
    # look back a bounded window: searching from 0 made every boundary cost O(len(text))
    before = _TOKEN_BEFORE.search(text, max(0, stop - _LOOKBACK), stop)
    if not before:
        return True
    token = before.group(1).lstrip(_OPENERS)
    low = token.lower()
    if low in abbreviations_for(lang) or re.fullmatch(r"(?:[A-Za-zÀ-ÿ]\.)+[A-Za-zÀ-ÿ]", token):
        # "Dr. Lindner", "U.S. Coast Guard", "t.ex. lastbilar"; but an abbreviation that can end a
        # sentence ends one when a typical sentence opener follows ("in the U.S. The company")
        return low not in TITLES and next_word.strip("\"'“„«(").lower() in sentence_openers(lang)
    if len(token) == 1 and token.isalpha() and token.isupper():
        return False  # an initial: "J. Smith", "M. Girard"
    if token.isdigit() and len(token) <= 2 and (lang in ORDINAL_DOT_LANGS or lang is None):
        word = _LEADING_WORD.match(next_word)  # "Februar)" in "(15. Februar)"
        if word and word.group().lower() in ORDINAL_FOLLOWERS:
            return False
    return True


def sentence_spans(text: str, lang: str | None = None) -> list[Sentence]:
    """Sentences of the whole text, each tagged with its paragraph index."""
    sentences: list[Sentence] = []
    for p_index, paragraph in enumerate(paragraph_spans(text)):
        for segment in _line_segments(text, paragraph):
            start = segment.start
            for match in _BOUNDARY.finditer(text, segment.start, segment.end):
                end = match.end()
                if _is_boundary(text, end, match.group().rstrip(_CLOSERS + " "), segment.end, lang):
                    span = _trim(text, start, end)
                    if span.end > span.start:
                        sentences.append(Sentence(span.start, span.end, p_index))
                    start = end
            span = _trim(text, start, segment.end)
            if span.end > span.start:
                sentences.append(Sentence(span.start, span.end, p_index))
    return sentences


class SegmentStage:
    """Attach paragraphs and sentences (character offsets into ``article.text``)."""

    name = "segment"
    version = "2"  # 2: per-language abbreviations, caseless scripts, missing spaces
    requires: tuple[str, ...] = ("text", "lang")
    provides: tuple[str, ...] = ("paragraphs", "sentences")
    skip_duplicates = False

    def run(self, articles: list[Article]) -> None:
        """Segment each article in place."""
        for article in articles:
            article.paragraphs = paragraph_spans(article.text)
            article.sentences = sentence_spans(article.text, article.lang)

"""Quote spans: paired quotation marks in every style, quotes over several paragraphs, dash quotes."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# opening mark -> the closing marks it accepts
_PAIRS: dict[str, str] = {
    "“": "”“",
    "„": "“”",
    "«": "»",
    "»": "«»",
    "‹": "›",
    "‚": "‘’",
    "「": "」",
    '"': '"',
    "”": "”",
    "‘": "’",
}
_DASH_LINE = re.compile(r"^[ \t]*([–—])[ \t]+(?=\S)", re.MULTILINE)
_WORDS = re.compile(r"\w+")


@dataclass(slots=True)
class _Span:
    """A quote found by the span step: its content range and how it was marked."""

    start: int
    end: int
    open_at: int  # position of the opening mark (or dash)
    close_at: int  # position just after the closing mark (content end for dash quotes)
    dash: bool = False


def _paragraph_end(text: str, pos: int) -> int:
    """The end of the paragraph that holds ``pos`` (a blank line or the end of the text)."""
    found = text.find("\n\n", pos)
    return len(text) if found < 0 else found


def _opens_at(text: str, i: int) -> bool:
    """A mark opens a quote when it is not inside a word; an ambiguous one must touch the next word."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if text[i] in "«‹「„":
        return not before.isalnum()
    return not before.isalnum() and not after.isspace()


def _closes_at(text: str, i: int) -> bool:
    """A closing mark must not sit inside a word (``Clinton’s``)."""
    after = text[i + 1] if i + 1 < len(text) else " "
    return not after.isalnum()


def mark_spans(text: str) -> list[_Span]:
    """Quotes delimited by quotation marks, including those running over several paragraphs."""
    spans: list[_Span] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch not in _PAIRS or not _opens_at(text, i):
            i += 1
            continue
        closers = _PAIRS[ch]
        j = i + 1
        found = -1
        while j < n:
            c = text[j]
            if (c == "\n" and text.startswith("\n\n", j)) or (c == "\n" and j + 1 < n and text[j + 1] == ch):
                # paragraph break: go on only when the next paragraph repeats the opening mark
                k = j
                while k < n and text[k].isspace():
                    k += 1
                if k < n and text[k] == ch and closers != ch:
                    j = k + 1
                    continue
                if k < n and text[k] == ch and _opens_at(text, k) and text[j - 1] not in closers:
                    j = k + 1
                    continue
                break
            if c in closers and j > i + 1 and (ch in "“„«»‹‚「" or _closes_at(text, j)):
                if ch == "‘" and not _closes_at(text, j):
                    j += 1
                    continue
                found = j
                break
            j += 1
        if found < 0:
            i += 1
            continue
        start, end = i + 1, found
        while start < end and text[start].isspace():
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
            end -= 1
        if end > start:
            spans.append(_Span(start, end, i, found + 1))
        i = found + 1
    return spans


def dash_lines(text: str, taken: Sequence[_Span]) -> list[tuple[int, int]]:
    """Lines that start with a dash (Scandinavian quote style), as (content start, line end)."""
    lines: list[tuple[int, int]] = []
    for match in _DASH_LINE.finditer(text):
        start = match.end()
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if any(s.open_at <= start < s.close_at for s in taken):
            continue
        if len(_WORDS.findall(text[start:end])) >= 3:
            lines.append((start, end))
    return lines

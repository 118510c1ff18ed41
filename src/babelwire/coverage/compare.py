"""Compare the reports of one story: align their sentences into facts, find unique claims and conflicts."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from babelwire.coverage.align import (
    DEFAULT_PARAMS,
    AlignParams,
    SignalMatrices,
    UnitFeatures,
    anchor_places,
    group_units,
    signal_matrices,
    split_links,
)
from babelwire.coverage.conflicts import MIN_QUOTE_WORDS, RawConflict, compares_quoted_words, find_conflicts
from babelwire.coverage.result import Conflict, ConflictSide, Coverage, FactGroup, SentenceRef, SpeakerQuotes
from babelwire.coverage.summary import headline, summarise
from babelwire.coverage.units import Unit, article_units
from babelwire.embed import Encoder
from babelwire.model import Article

#: Bumped whenever the output of ``compare`` changes for the same input (part of the cache key).
COVERAGE_VERSION = "14"  # 14: two counts in a sentence take the role next to each; sums take no role
#: The e5 input kind used for sentences: symmetric similarity uses ``query`` on both sides.
EMBED_KIND = "query"
#: A name in more than this share of a story's reports is not used as an alignment signal.
COMMON_NAME_SHARE = 0.5


@dataclass(slots=True)
class Prepared:
    """Everything computed before grouping: units, vectors and signal matrices (reused by calibration)."""

    originals: list[Article]
    units: list[Unit]
    vectors: np.ndarray
    signals: SignalMatrices
    copies: dict[str, list[str]] = field(default_factory=dict)  # original id -> outlets of its copies
    quote_vectors: np.ndarray | None = None  # each unit's quoted words (zero rows without a quote)


def coverage_key(articles: Sequence[Article], reader_lang: str = "en") -> str:
    """A key that changes when the story's articles, their analysis or this module's output changes."""
    digest = hashlib.sha1(f"{COVERAGE_VERSION}|{reader_lang}".encode())
    for a in sorted(articles, key=lambda a: a.id):
        stages = ",".join(f"{k}@{v}" for k, v in sorted(a.stages.items()))
        text_hash = a.content_hash or hashlib.sha1(a.text.encode("utf-8", "surrogatepass")).hexdigest()
        digest.update(f"|{a.id}:{text_hash}:{a.duplicate_of}:{stages}".encode())
    return digest.hexdigest()


def prepare(articles: Sequence[Article], encoder: Encoder, params: AlignParams = DEFAULT_PARAMS) -> Prepared:
    """Build the units of every original report, embed them (cached by the encoder) and score them."""
    originals = [a for a in articles if a.ok and a.duplicate_of is None and a.sentences]
    known = {a.id for a in originals}
    copies: dict[str, list[str]] = {}
    for a in articles:
        if a.duplicate_of is not None and a.duplicate_of in known and a.source:
            copies.setdefault(a.duplicate_of, []).append(a.source)
    units: list[Unit] = []
    for article in originals:
        units.extend(article_units(article, len(units)))
    said = reported_units(units)
    partial = partial_quote_units(units)
    # one call for every text: the encoder shares a large call among its threads, and three calls
    # would leave cores idle at the end of each (and between them)
    texts = [embedding_text(u) for u in units]
    texts += [u.reported_text or "" for u in said]
    texts += [u.quote_text or "" for u in partial]
    dim = getattr(encoder, "dim", 0)
    embedded = encoder.encode(texts, kind=EMBED_KIND) if texts else np.zeros((0, dim), np.float32)
    vectors = embedded[: len(units)]
    said_vectors = embedded[len(units) : len(units) + len(said)]
    docs = [u.article for u in units]
    common = common_names(units, len(originals))
    feats = [UnitFeatures.of(u, common=common) for u in units]
    signals = signal_matrices(vectors, vectors, feats, feats, docs_a=docs, docs_b=docs, knn=params.knn)
    paraphrase_cosines(units, vectors, said_vectors, signals)
    signals.places = anchor_places(units, signals, params)
    quotes = quote_vectors(units, vectors, embedded[len(units) + len(said) :])
    return Prepared(originals, units, vectors, signals, copies, quotes)


def reported_units(units: Sequence[Unit]) -> list[Unit]:
    """Sentences reporting speech whose said words are embedded on their own (when the story has quotes)."""
    if not any(u.quote for u in units):
        return []
    return [u for u in units if u.reported_text and len(u.reported_text.split()) >= MIN_QUOTE_WORDS]


def partial_quote_units(units: Sequence[Unit]) -> list[Unit]:
    """Units whose quoted words are embedded apart from the sentence (partial quotes in a sentence).

    Only quotes that attribution conflicts compare: the vectors of the others would not be read.
    """
    return [u for u in units if compares_quoted_words(u) and embedding_text(u) != u.quote_text]


def paraphrase_cosines(
    units: Sequence[Unit], vectors: np.ndarray, said_vectors: np.ndarray, signals: SignalMatrices
) -> None:
    """Compare a quote with reported speech by what was said (the words after "said that").

    A quote is embedded by its own words; a sentence reporting speech ("the bank said it would not
    pay") carries its attribution, which the quote lacks. For these pairs only, the cosine in
    ``signals`` becomes that of the quote's vector and the reported words' vector (``said_vectors``,
    one row per ``reported_units(units)``); the margin baselines stay those of the whole sentences.
    """
    said = reported_units(units)
    quotes = [u.index for u in units if u.quote]
    if not said or not quotes:
        return
    cos = vectors[quotes] @ said_vectors.T
    for k, u in enumerate(said):
        keep = np.isfinite(signals.cos[quotes, u.index])  # -inf within one article stays
        column = np.where(keep, cos[:, k], signals.cos[quotes, u.index]).astype(np.float32)
        signals.cos[quotes, u.index] = column
        signals.cos[u.index, quotes] = column


def quote_vectors(units: Sequence[Unit], vectors: np.ndarray, partial_vectors: np.ndarray) -> np.ndarray:
    """The vectors of units' quoted words (the sentence vector where that is what was embedded).

    ``partial_vectors`` has one row per ``partial_quote_units(units)``; a partial quote that
    attribution conflicts do not compare keeps a zero row.
    """
    out = np.zeros_like(vectors)
    for u in units:
        if u.quote_text and embedding_text(u) == u.quote_text:
            out[u.index] = vectors[u.index]
    partial = partial_quote_units(units)
    if partial:
        out[[u.index for u in partial]] = partial_vectors
    return out


def common_names(units: Sequence[Unit], reports: int) -> frozenset[str]:
    """Names most reports mention (the place, the main actor): they say nothing about which fact."""
    if reports < 3:
        return frozenset()
    seen: dict[str, set[str]] = {}
    for u in units:
        for name in u.names:
            seen.setdefault(name, set()).add(u.article)
    return frozenset(n for n, arts in seen.items() if len(arts) > COMMON_NAME_SHARE * reports)


def embedding_text(unit: Unit) -> str:
    """What is embedded for a unit: a quote's own words (not its attribution), else the sentence."""
    if unit.quote and unit.quote_text and len(unit.quote_text.split()) >= 3:
        return unit.quote_text
    return unit.text


def _ref(unit: Unit) -> SentenceRef:
    return SentenceRef(unit.article, unit.start, unit.end, unit.text, unit.lang, unit.source)


def _fact(ids: list[int], prep: Prepared, scores: np.ndarray) -> FactGroup:
    units = prep.units
    articles = list(dict.fromkeys(units[i].article for i in ids))
    sources: list[str] = []
    for i in ids:
        for source in [units[i].source, *prep.copies.get(units[i].article, [])]:
            if source and source not in sources:
                sources.append(source)
    langs = list(dict.fromkeys(lang for i in ids if (lang := units[i].lang)))
    block = scores[ids][:, ids]
    arts = np.array([hash(units[i].article) for i in ids])
    cross = block[arts[:, None] != arts[None, :]]
    kind = "quote" if all(units[i].quote for i in ids) else "fact"
    return FactGroup([_ref(units[i]) for i in ids], kind, articles, sources, langs, float(np.mean(cross)))


def _conflict(raw: RawConflict, units: Sequence[Unit], fact_of: dict[int, int]) -> Conflict:
    sides = [
        ConflictSide(
            units[s.unit].article,
            units[s.unit].start,
            units[s.unit].end,
            units[s.unit].text,
            s.value,
            units[s.unit].source,
            units[s.unit].lang,
        )
        for s in raw.sides
    ]
    facts = Counter(fact_of[s.unit] for s in raw.sides if s.unit in fact_of)
    return Conflict(raw.kind, sides, facts.most_common(1)[0][0] if facts else None, raw.what)


def _speakers(units: Sequence[Unit], fact_of: dict[int, int]) -> list[SpeakerQuotes]:
    """Speakers quoted in two or more reports with words that were not aligned as one fact.

    Quotes are joined when they share a speaker key: the quotes stage's entity, or the surname
    the fallback reads in the attribution.
    """
    quoted = [u for u in units if u.quote_text and u.speaker_key]
    owner: dict[str, int] = {}
    parent = {u.index: u.index for u in quoted}

    def find(x: int) -> int:
        while parent[x] != x:
            x = parent[x]
        return x

    for u in quoted:
        for key in (u.speaker_key, u.speaker_alt_key):
            if key is None:
                continue
            if key in owner:
                parent[find(u.index)] = find(owner[key])
            else:
                owner[key] = u.index
    groups: dict[int, list[Unit]] = {}
    for u in quoted:
        groups.setdefault(find(u.index), []).append(u)
    out: list[SpeakerQuotes] = []
    for members in groups.values():
        if len({u.article for u in members}) < 2:
            continue
        if len({fact_of.get(u.index, -1 - u.index) for u in members}) > 1:
            names = [u.speaker or "" for u in members if u.speaker and u.speaker[:1].isupper()]
            name = max(names, key=lambda n: (len(n.split()) > 1, len(n))) if names else ""
            out.append(SpeakerQuotes(name, [_ref(u) for u in members]))
    return out


def coverage_from(
    prep: Prepared, params: AlignParams = DEFAULT_PARAMS, reader_lang: str = "en", conflicts: bool = True
) -> Coverage:
    """Group prepared units into facts and derive unique claims, conflicts, headline and summary."""
    units = prep.units
    scores = prep.signals.score(params)
    groups = group_units(units, scores, params) if len(prep.originals) > 1 else []
    if groups:
        # a report may tell one half of a split sentence anywhere (background often comes last)
        anywhere = prep.signals.score(replace(params, w_position=0.0)) if params.w_position else scores
        groups += split_links(units, anywhere, groups, params)
    facts = [_fact(ids, prep, scores) for ids in groups]
    order = sorted(range(len(facts)), key=lambda i: (-facts[i].support, -facts[i].score))
    facts = [facts[i] for i in order]
    groups = [groups[i] for i in order]
    fact_of = {u: index for index, ids in enumerate(groups) for u in ids}
    aligned = [
        (i, j) for ids in groups for i in ids for j in ids if i < j and units[i].article != units[j].article
    ]
    unique = [_ref(u) for u in units if u.index not in fact_of and not u.minor]
    raw_conflicts = (
        find_conflicts(units, scores, params, aligned, prep.vectors, prep.quote_vectors)
        if conflicts and len(prep.originals) > 1
        else []
    )
    found = [_conflict(raw, units, fact_of) for raw in raw_conflicts]
    support: dict[str, float] = {}
    for fact in facts:
        for article in fact.articles:
            support[article] = support.get(article, 0.0) + fact.support
    title, title_lang = headline(prep.originals, support, reader_lang)
    # lead sentences not already in a fact, in the reader's language when a report has it
    lead_pool = [u for u in units if u.position < 3 and u.index not in fact_of]
    if any(u.lang == reader_lang for u in lead_pool):
        lead_pool = [u for u in lead_pool if u.lang == reader_lang]
    lead_pool.sort(key=lambda u: (-support.get(u.article, 0.0), u.position))
    sources = list(
        dict.fromkeys(s for a in prep.originals for s in [a.source, *prep.copies.get(a.id, [])] if s)
    )
    return Coverage(
        facts=facts,
        unique=unique,
        conflicts=found,
        headline=title,
        headline_lang=title_lang,
        summary=summarise(facts, groups, units, scores, reader_lang, lead_pool, title),
        languages=sorted({a.lang for a in prep.originals if a.lang}),
        sources=sources,
        speakers=_speakers(units, fact_of),
        reader_lang=reader_lang,
    )


def compare(
    articles: Sequence[Article],
    encoder: Encoder,
    reader_lang: str = "en",
    params: AlignParams = DEFAULT_PARAMS,
) -> Coverage:
    """Compare the analysed reports of one story (copies count as outlets of their originals)."""
    return coverage_from(prepare(articles, encoder, params), params, reader_lang)

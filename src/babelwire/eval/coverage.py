"""Score coverage against gold: fact pairs and conflicts (sample corpus), bitext top-1 (Tatoeba)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np

from babelwire.coverage.align import DEFAULT_PARAMS, AlignParams, UnitFeatures, signal_matrices
from babelwire.coverage.compare import EMBED_KIND, Prepared, coverage_from, prepare
from babelwire.coverage.numbers import extract_quantities
from babelwire.coverage.result import Coverage
from babelwire.embed import Encoder
from babelwire.ingest.normalize import clean_text
from babelwire.model import Article
from babelwire.stories.features import extract_names

GoldKey = tuple[str, int, int]  # article id, start, end


@dataclass(slots=True)
class GoldEvent:
    """One sample-corpus event: its analysed articles and gold facts, unique sentences and conflicts."""

    name: str
    articles: list[Article]
    facts: list[list[GoldKey]]
    unique: list[GoldKey]
    conflicts: list[tuple[str, list[tuple[GoldKey, str]]]]  # kind, sides with values
    prepared: Prepared | None = None

    @property
    def annotated(self) -> set[GoldKey]:
        """Every sentence the gold says something about."""
        keys = {k for fact in self.facts for k in fact} | set(self.unique)
        keys.update(k for _, sides in self.conflicts for k, _ in sides)
        return keys


@dataclass(slots=True)
class Counts:
    """Pairwise and conflict counts, summed over events."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    conflicts_gold: int = 0
    conflicts_found: int = 0
    conflicts_false: int = 0
    stories: int = 0
    missed: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)

    def add(self, other: Counts) -> None:
        """Add another event's counts."""
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.conflicts_gold += other.conflicts_gold
        self.conflicts_found += other.conflicts_found
        self.conflicts_false += other.conflicts_false
        self.stories += other.stories
        self.missed += other.missed
        self.false += other.false

    def metrics(self) -> dict[str, Any]:
        """Precision, recall, F1, conflict recall and false conflicts per story."""
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        return {
            "pairs_precision": round(p, 4),
            "pairs_recall": round(r, 4),
            "pairs_f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            "gold_pairs": self.tp + self.fn,
            "conflict_recall": round(self.conflicts_found / self.conflicts_gold, 4)
            if self.conflicts_gold
            else 1.0,
            "conflicts_gold": self.conflicts_gold,
            "false_conflicts": self.conflicts_false,
            "false_conflicts_per_story": round(self.conflicts_false / max(1, self.stories), 3),
            "stories": self.stories,
            "missed_conflicts": self.missed,
            "false_conflict_examples": self.false[:20],
        }


def load_events(events_dir: str | Path, analyse: bool = True) -> list[GoldEvent]:
    """Read every ``*.json`` event file and (by default) run the analysis pipeline over its articles."""
    from babelwire.config import Settings
    from babelwire.engine import Models, build_pipeline
    from babelwire.ingest.records import Overrides, article_from_record

    pipeline = build_pipeline(Models(Settings()), None) if analyse else None
    events: list[GoldEvent] = []
    for path in sorted(Path(events_dir).glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        articles: list[Article] = []
        for record in data["articles"]:
            item = article_from_record(record, str(path), Overrides())
            if isinstance(item, Article):
                item.duplicate_of = record.get("duplicate_of")
                articles.append(item)
        if pipeline is not None:
            pipeline.run(articles)
        texts = {a.id: a.text for a in articles}

        def key(item: dict[str, Any], texts: dict[str, str] = texts, name: str = path.name) -> GoldKey:
            # the normalize stage rewrites the text (curly quotes become straight ones): so must the gold
            needle = clean_text(item["text"]) if analyse else item["text"]
            start = texts[item["article"]].find(needle)
            if start < 0:
                raise ValueError(f"{name}: gold text not in {item['article']}: {item['text'][:60]!r}")
            return (item["article"], start, start + len(needle))

        events.append(
            GoldEvent(
                name=data["event"],
                articles=articles,
                facts=[[key(s) for s in f["sentences"]] for f in data.get("facts", [])],
                unique=[key(u) for u in data.get("unique", [])],
                conflicts=[
                    (c["kind"], [(key(s), str(s["value"])) for s in c["sides"]])
                    for c in data.get("conflicts", [])
                ],
            )
        )
    return events


def _overlaps(a: tuple[str, int, int], b: tuple[str, int, int]) -> bool:
    return a[0] == b[0] and a[1] < b[2] and b[1] < a[2]


def score_event(event: GoldEvent, coverage: Coverage) -> Counts:
    """Pairwise precision/recall counts over annotated sentences, and conflict matches, for one event."""
    counts = Counts(stories=1)
    annotated = event.annotated
    by_article: dict[str, list[GoldKey]] = {}
    for key in annotated:
        by_article.setdefault(key[0], []).append(key)
    copies: dict[str, list[Article]] = {}
    for article in event.articles:
        if article.duplicate_of:
            copies.setdefault(article.duplicate_of, []).append(article)

    def spans(article: str, start: int, end: int, text: str) -> list[GoldKey]:
        # a copy carries its original's sentences: where the copy has the same words, it says the same
        out = [(article, start, end)]
        for copy in copies.get(article, []):
            at = copy.text.find(text)
            if at >= 0:
                out.append((copy.id, at, at + len(text)))
        return out

    fact_of: dict[GoldKey, set[int]] = {}
    for index, fact in enumerate(coverage.facts):
        for ref in fact.sentences:
            for span in spans(ref.article, ref.start, ref.end, ref.text):
                for key in by_article.get(span[0], []):
                    if _overlaps(key, span):
                        fact_of.setdefault(key, set()).add(index)
    positive = {frozenset(p) for fact in event.facts for p in combinations(fact, 2) if p[0][0] != p[1][0]}
    ignored = {frozenset((a, b)) for _, sides in event.conflicts for (a, _), (b, _) in combinations(sides, 2)}
    for a, b in combinations(sorted(annotated), 2):
        if a[0] == b[0]:
            continue
        pair = frozenset((a, b))
        predicted = bool(fact_of.get(a, set()) & fact_of.get(b, set()))
        if pair in positive:
            counts.tp += predicted
            counts.fn += not predicted
        elif predicted and pair not in ignored:
            counts.fp += 1
    matched_pred: set[int] = set()
    for kind, sides in event.conflicts:
        counts.conflicts_gold += 1
        found = False
        for index, conflict in enumerate(coverage.conflicts):
            hits = {
                value
                for key, value in sides
                for side in conflict.sides
                for span in spans(side.article, side.start, side.end, side.text)
                if _overlaps(key, span)
            }
            if len(hits) > 1:
                matched_pred.add(index)
                found = found or conflict.kind == kind
        counts.conflicts_found += found
        if not found:
            counts.missed.append(f"{event.name}: {kind} {[v for _, v in sides]}")
    for index, conflict in enumerate(coverage.conflicts):
        if index not in matched_pred:
            counts.conflicts_false += 1
            counts.false.append(f"{event.name}: {conflict.kind} {[s.value for s in conflict.sides]}")
    return counts


def evaluate_events(
    events: Sequence[GoldEvent], encoder: Encoder, params: AlignParams = DEFAULT_PARAMS
) -> dict[str, Any]:
    """Compare each event's reports and score them against its gold (preparation is cached on the event)."""
    total = Counts()
    for event in events:
        if event.prepared is None:
            event.prepared = prepare(event.articles, encoder, params)
        total.add(score_event(event, coverage_from(event.prepared, params)))
    return total.metrics()


def evaluate_alignment(
    events_dir: str, encoder: Encoder, params: AlignParams = DEFAULT_PARAMS
) -> dict[str, Any]:
    """Pairwise P/R/F1 over gold fact pairs, conflict recall and false conflicts per story."""
    return evaluate_events(load_events(events_dir), encoder, params)


def _features(texts: Sequence[str], lang: str) -> list[UnitFeatures]:
    out = []
    for text in texts:
        numbers = frozenset(
            f"{q.value:g}|{q.kind}|{q.role}|{q.severity}" for q in extract_quantities(text, lang)
        )
        out.append(UnitFeatures(names=extract_names(text, (0,)), numbers=numbers))
    return out


_TATOEBA_LANGS = {"deu": "de", "fra": "fr", "spa": "es", "rus": "ru", "eng": "en"}


def evaluate_tatoeba(
    data_dir: str, encoder: Encoder, limit: int | None = None, params: AlignParams = DEFAULT_PARAMS
) -> dict[str, Any]:
    """Top-1 accuracy of finding each sentence's translation among all candidates, per language pair.

    Reports the raw cosine and the alignment scorer, in both directions (xx->eng and eng->xx).
    """
    out: dict[str, Any] = {}
    for code in ("deu", "fra", "spa", "rus"):
        base = Path(data_dir) / f"tatoeba.{code}-eng"
        src_path, eng_path = Path(f"{base}.{code}"), Path(f"{base}.eng")
        if not src_path.exists() or not eng_path.exists():
            continue
        src = src_path.read_text(encoding="utf-8").splitlines()[:limit]
        eng = eng_path.read_text(encoding="utf-8").splitlines()[:limit]
        n = min(len(src), len(eng))
        src, eng = src[:n], eng[:n]
        vs = encoder.encode(src, kind=EMBED_KIND)
        ve = encoder.encode(eng, kind=EMBED_KIND)
        fs, fe = _features(src, _TATOEBA_LANGS[code]), _features(eng, "en")
        signals = signal_matrices(vs, ve, fs, fe, knn=params.knn)
        scored = signals.score(params)
        truth = np.arange(n)
        raw = signals.cos
        out[f"{code}-eng"] = {
            "n": n,
            "raw_top1": round(
                float(((raw.argmax(1) == truth).mean() + (raw.argmax(0) == truth).mean()) / 2), 4
            ),
            "top1": round(
                float(((scored.argmax(1) == truth).mean() + (scored.argmax(0) == truth).mean()) / 2), 4
            ),
        }
    if out:
        out["mean_top1"] = round(float(np.mean([v["top1"] for v in out.values()])), 4)
        out["mean_raw_top1"] = round(
            float(np.mean([v["raw_top1"] for k, v in out.items() if k != "mean_top1"])), 4
        )
    return out

"""Score quotation finding against brat attribution files (PolNeAR layout).

A gold folder holds ``text/NAME.txt`` and ``attributions/NAME[_ANNOTATOR].ann``; each ``.ann`` has
``Source``, ``Cue`` and ``Content`` text-bound spans (discontinuous spans joined by ``;``) linked by
``Attribution`` events. Every ``.ann`` file is scored as one document (a text annotated twice
counts twice).

- **content**: a predicted quote matches a gold attribution when their character ranges overlap.
  Precision is over predicted quotes, recall over gold attributions.
- **source**: a gold attribution with a source is found when a matching predicted quote names a
  speaker that overlaps the gold source, or has the same last word (``Trump`` for ``Donald
  Trump``). When the gold source is a pronoun, the gold names no antecedent, so the nearest earlier
  named gold source of the document stands in for it. ``source_strict`` counts overlaps only.
  A gold source annotated on the cue or on a bare speech verb (``said``) is an annotation slip:
  that attribution is left out of the source scores.
- **subsets**: ``all`` attributions, and ``quoted``: those whose content starts and ends with a
  quotation mark. Predictions matching only gold attributions outside a subset are left out of it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from babelwire.errors import InputError
from babelwire.eval.metrics import prf
from babelwire.ingest.decode import read_gold_text
from babelwire.model import Quote
from babelwire.nlp.quotes import find_quotes
from babelwire.nlp.segment import sentence_spans

_OPEN = "\"“«„'‘"
_CLOSE = "\"”»“'’"
_PRONOUNS = frozenset(
    re.findall(
        r"\w+",
        "he she they it we i him her them his its their who which that someone "
        "han hon de den det er sie es il elle ils elles",
    )
)
_ANNOTATOR = re.compile(r"_[0-9a-f]{4}$")

Finder = Callable[[str], Sequence[Quote]]


@dataclass(slots=True)
class GoldAttribution:
    """One gold attribution: content, source and cue ranges (source may be absent)."""

    content: list[tuple[int, int]]
    source: list[tuple[int, int]] = field(default_factory=list)
    source_text: str = ""
    antecedent: str = ""  # nearest earlier named source when ``source_text`` is a pronoun
    quoted: bool = False
    source_broken: bool = False  # the annotated source is the cue itself: an annotation slip


def _spans(field_text: str) -> list[tuple[int, int]]:
    out = []
    for part in field_text.split(";"):
        start, end = part.split()
        out.append((int(start), int(end)))
    return out


def read_ann(path: Path, text: str) -> list[GoldAttribution]:
    """The attributions of one brat ``.ann`` file over ``text``."""
    bounds: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    events: list[dict[str, str]] = []
    for number, line in enumerate(read_gold_text(path).splitlines(), start=1):
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            label, _, ranges = parts[1].partition(" ")
            try:
                bounds[parts[0]] = (label, _spans(ranges))
            except ValueError as exc:
                raise InputError(f"{path}:{number}", f"span {ranges!r} is not 'START END'") from exc
        elif line.startswith("E") and len(parts) >= 2:
            events.append(dict(arg.split(":", 1) for arg in parts[1].split() if ":" in arg))
    gold: list[GoldAttribution] = []
    for args in events:
        if "Content" not in args or args["Content"] not in bounds:
            continue
        content = bounds[args["Content"]][1]
        source = bounds[args["Source"]][1] if args.get("Source") in bounds else []
        cue = bounds[args["Cue"]][1] if args.get("Cue") in bounds else []
        said = " ".join(text[s:e] for s, e in source).strip().lower() in {
            "said",
            "says",
            "say",
            "told",
            "tells",
        }
        broken = bool(source) and (source == cue or said)
        if broken:
            source = []
        source_text = " ".join(text[s:e] for s, e in source)
        body = text[content[0][0] : content[-1][1]].strip()
        quoted = len(body) > 2 and body[0] in _OPEN and body.rstrip(".,;:")[-1] in _CLOSE
        gold.append(GoldAttribution(content, source, source_text, quoted=quoted, source_broken=broken))
    named = sorted(
        (
            g
            for g in gold
            if g.source and not _is_pronoun(g.source_text) and re.search(r"\b[A-Z]", g.source_text)
        ),
        key=lambda g: g.source[0][0],
    )
    for g in gold:
        if g.source and _is_pronoun(g.source_text):
            earlier = [n for n in named if n.source[0][0] < g.source[0][0]]
            g.antecedent = earlier[-1].source_text if earlier else ""
    return gold


def _is_pronoun(text: str) -> bool:
    return text.strip().lower() in _PRONOUNS


def _overlaps(a: tuple[int, int], spans: Sequence[tuple[int, int]]) -> bool:
    return any(a[0] < e and s < a[1] for s, e in spans)


def _head(text: str) -> str:
    words = re.findall(r"\w+", text.lower().replace("’s", "").replace("'s", ""))
    return words[-1] if words else ""


def source_matches(quote: Quote, gold: GoldAttribution, strict: bool = False) -> bool:
    """Whether the quote's speaker is the gold attribution's source (see the module docstring)."""
    if quote.speaker is None or not gold.source:
        return False
    if _overlaps((quote.speaker.start, quote.speaker.end), gold.source):
        return True
    if strict:
        return False
    head = _head(quote.speaker.text)
    reference = gold.antecedent if _is_pronoun(gold.source_text) else gold.source_text
    return bool(head) and head in re.findall(r"\w+", reference.lower())


@dataclass(slots=True)
class _Counts:
    pred: int = 0
    pred_content_ok: int = 0
    gold: int = 0
    gold_found: int = 0
    pred_speaker: int = 0
    pred_speaker_ok: int = 0
    pred_speaker_ok_strict: int = 0
    gold_source: int = 0
    gold_source_ok: int = 0
    gold_source_ok_strict: int = 0

    def report(self) -> dict[str, object]:
        return {
            "gold": self.gold,
            "predicted": self.pred,
            "content": prf(self.pred_content_ok, self.pred, self.gold_found, self.gold),
            "source": prf(self.pred_speaker_ok, self.pred_speaker, self.gold_source_ok, self.gold_source),
            "source_strict": prf(
                self.pred_speaker_ok_strict, self.pred_speaker, self.gold_source_ok_strict, self.gold_source
            ),
        }


def _score_document(
    quotes: Sequence[Quote], gold: Sequence[GoldAttribution], counts: dict[str, _Counts]
) -> None:
    for subset, keep in (("all", lambda g: True), ("quoted", lambda g: g.quoted)):
        c = counts[subset]
        inside = [g for g in gold if keep(g)]
        for quote in quotes:
            span = (quote.start, quote.end)
            matched = [g for g in gold if _overlaps(span, g.content)]
            if matched and not any(keep(g) for g in matched):
                continue  # belongs to attributions outside this subset
            matched = [g for g in matched if keep(g)]
            c.pred += 1
            c.pred_content_ok += bool(matched)
            if quote.speaker is not None and not (matched and all(g.source_broken for g in matched)):
                c.pred_speaker += 1
                c.pred_speaker_ok += any(source_matches(quote, g) for g in matched)
                c.pred_speaker_ok_strict += any(source_matches(quote, g, strict=True) for g in matched)
        for g in inside:
            hits = [q for q in quotes if _overlaps((q.start, q.end), g.content)]
            c.gold += 1
            c.gold_found += bool(hits)
            if g.source:
                c.gold_source += 1
                c.gold_source_ok += any(source_matches(q, g) for q in hits)
                c.gold_source_ok_strict += any(source_matches(q, g, strict=True) for q in hits)


def _default_finder(text: str) -> Sequence[Quote]:
    return find_quotes(text, "en", sentence_spans(text, "en"))


def evaluate_quotes(gold_dir: str, finder: Finder | None = None) -> dict:
    """Content and source precision/recall/F1 for ``all`` and ``quoted`` attributions in ``gold_dir``."""
    root = Path(gold_dir)
    ann_dir, text_dir = root / "attributions", root / "text"
    if not ann_dir.is_dir() or not text_dir.is_dir():
        raise InputError(
            gold_dir, "not a brat attribution folder: it needs text/*.txt and attributions/*.ann"
        )
    find = finder or _default_finder
    counts = {"all": _Counts(), "quoted": _Counts()}
    documents = 0
    cache: dict[str, Sequence[Quote]] = {}
    for ann in sorted(ann_dir.glob("*.ann")):
        stem = ann.stem
        txt = text_dir / f"{stem}.txt"
        if not txt.exists():
            txt = text_dir / f"{_ANNOTATOR.sub('', stem)}.txt"
        if not txt.exists():
            continue
        text = read_gold_text(txt)
        if txt.name not in cache:
            cache[txt.name] = find(text)
        _score_document(cache[txt.name], read_ann(ann, text), counts)
        documents += 1
    return {"documents": documents, **{name: c.report() for name, c in counts.items()}}

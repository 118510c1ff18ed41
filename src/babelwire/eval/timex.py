"""Score time expressions against TimeBank-style token files.

The file has one token per line: ``token<TAB>BIO-type<TAB>value`` (``O`` and ``-`` outside an
expression), blank lines between sentences, and a ``*!-DCTVALUE="1989-10-30"-!*`` line opening each
document with its creation time. Tokens are joined with single spaces to make the text the finder
sees, and predicted character spans are mapped back to tokens.

- **strict**: a predicted expression covers exactly the gold tokens.
- **relaxed**: a predicted expression shares at least one token with a gold one (each prediction
  and each gold expression counted once).
- **value accuracy**: over gold expressions found (relaxed), the share whose predicted TIMEX3 value
  equals the gold value; **type accuracy** likewise for the type.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from babelwire.errors import InputError
from babelwire.eval.metrics import prf
from babelwire.ingest.decode import read_gold_text
from babelwire.model import TimeExpr
from babelwire.nlp.timex import find_timexes

_DCT = re.compile(r'DCTVALUE="([^"]+)"')

Finder = Callable[[str, datetime | None], Sequence[TimeExpr]]


@dataclass(slots=True)
class GoldDocument:
    """One document: its tokens, creation time and gold expressions as token ranges."""

    dct: datetime | None
    tokens: list[str] = field(default_factory=list)
    gold: list[tuple[int, int, str, str]] = field(default_factory=list)  # (first, last+1, type, value)

    def text_and_offsets(self) -> tuple[str, list[tuple[int, int]]]:
        offsets, pos = [], 0
        for tok in self.tokens:
            offsets.append((pos, pos + len(tok)))
            pos += len(tok) + 1
        return " ".join(self.tokens), offsets


def _parse_dct(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value[:19])
    except ValueError:
        try:
            return datetime.fromisoformat(value[:10])
        except ValueError:
            return None


def read_timebank(path: str | Path) -> list[GoldDocument]:
    """The documents of a TimeBank-style TSV file."""
    docs: list[GoldDocument] = []
    doc: GoldDocument | None = None
    open_span: list[object] | None = None

    def close() -> None:
        nonlocal open_span
        if open_span is not None and doc is not None:
            first, typ, value = open_span
            doc.gold.append((int(str(first)), len(doc.tokens), str(typ), str(value)))
        open_span = None

    for line in read_gold_text(path).splitlines():
        dct = _DCT.search(line)
        if dct:
            close()
            doc = GoldDocument(_parse_dct(dct.group(1)))
            docs.append(doc)
            continue
        if doc is None or not line.strip():
            close()
            continue
        parts = line.split("\t")
        token, tag = parts[0], parts[1] if len(parts) > 1 else "O"
        value = parts[2] if len(parts) > 2 else "-"
        if tag.startswith("B-") or (tag.startswith("I-") and open_span is None):
            close()
            open_span = [len(doc.tokens), tag[2:], value]
        elif not tag.startswith("I-"):
            close()
        doc.tokens.append(token)
    close()
    return docs


def _to_tokens(expr: TimeExpr, offsets: Sequence[tuple[int, int]]) -> tuple[int, int] | None:
    inside = [i for i, (s, e) in enumerate(offsets) if s < expr.end and expr.start < e]
    return (inside[0], inside[-1] + 1) if inside else None


def _default_finder(text: str, dct: datetime | None) -> Sequence[TimeExpr]:
    return find_timexes(text, "en", dct)


def evaluate_timex(gold_tsv: str, finder: Finder | None = None) -> dict:
    """Strict and relaxed span P/R/F1, value and type accuracy on the expressions found."""
    path = Path(gold_tsv)
    if not path.is_file():
        raise InputError(gold_tsv, "not found: give a TimeBank-style TSV file (token, BIO type, value)")
    find = finder or _default_finder
    n_pred = n_gold = strict_p = strict_g = relaxed_p = relaxed_g = value_ok = type_ok = 0
    docs = read_timebank(path)
    if not docs:
        raise InputError(gold_tsv, 'no documents: each starts with a DCTVALUE="YYYY-MM-DD" line')
    for doc in docs:
        text, offsets = doc.text_and_offsets()
        predicted = []
        for expr in find(text, doc.dct):
            span = _to_tokens(expr, offsets)
            if span is not None:
                predicted.append((span[0], span[1], expr.type, expr.value))
        n_pred += len(predicted)
        n_gold += len(doc.gold)
        gold_spans = {(g[0], g[1]) for g in doc.gold}
        pred_spans = {(p[0], p[1]) for p in predicted}
        strict_p += sum(1 for p in predicted if (p[0], p[1]) in gold_spans)
        strict_g += sum(1 for g in doc.gold if (g[0], g[1]) in pred_spans)
        relaxed_p += sum(1 for p in predicted if any(p[0] < g[1] and g[0] < p[1] for g in doc.gold))
        for g in doc.gold:
            hits = [p for p in predicted if p[0] < g[1] and g[0] < p[1]]
            if hits:
                relaxed_g += 1
                best = max(hits, key=lambda p: min(p[1], g[1]) - max(p[0], g[0]))
                value_ok += best[3] == g[3]
                type_ok += best[2] == g[2]
    return {
        "documents": len(docs),
        "gold": n_gold,
        "predicted": n_pred,
        "strict": prf(strict_p, n_pred, strict_g, n_gold),
        "relaxed": prf(relaxed_p, n_pred, relaxed_g, n_gold),
        "value_accuracy": round(value_ok / relaxed_g, 4) if relaxed_g else 0.0,
        "type_accuracy": round(type_ok / relaxed_g, 4) if relaxed_g else 0.0,
    }

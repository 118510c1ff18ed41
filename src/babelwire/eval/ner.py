"""Score the named-entity recognisers against token-per-line (CoNLL-style) gold files.

A gold file has one ``token label`` per line (tab or spaces; extra middle columns as in CoNLL-2003
are ignored, the label is the last column), a blank line between sentences, and ``-DOCSTART-``
lines that are skipped. Labels may be IOB1/IOB2/BIOES (``B-PER``, ``I-ORG``, ``S-LOC``) or bare
types (``PER``), with ``O`` or ``0`` for outside; with bare types, consecutive tokens of one type
are one entity. OntoNotes types are mapped to PER/ORG/LOC/MISC like the spaCy recognisers' output.
Scores are exact span-and-type matches.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from babelwire.errors import InputError
from babelwire.ingest.decode import read_gold_text
from babelwire.nlp.recognizers import LABEL_MAP, recognize_words, recognize_words_raw, refine_spans
from babelwire.nlp.spans import RawSpan

OUTSIDE = "O"
Entity = tuple[int, int, int, str]  # sentence, first token, end token (exclusive), type


def normalise_label(label: str) -> str:
    """``B-PER`` → ``B-PER``; ``PER`` → ``PER``; ``0``/``O``/``-`` → ``O``; OntoNotes types mapped."""
    label = label.strip()
    if label in ("0", "O", "o", "-", "_", ""):
        return OUTSIDE
    prefix, _, kind = (
        label.partition("-") if label[:2] in ("B-", "I-", "E-", "S-", "L-", "U-") else ("", "", label)
    )
    mapped = LABEL_MAP.get(kind.upper(), kind.upper())
    if mapped is None:
        return OUTSIDE
    return f"{prefix}-{mapped}" if prefix else mapped


def read_conll(path: str | Path) -> list[list[tuple[str, str]]]:
    """Sentences of ``(token, label)``, labels normalised to ``B-T``/``I-T``/bare ``T`` or ``O``."""
    return read_conll_documents(path)[0]


def read_conll_documents(path: str | Path) -> tuple[list[list[tuple[str, str]]], list[int]]:
    """Sentences as :func:`read_conll`, and the document number of each sentence.

    Documents are separated by ``-DOCSTART-`` lines; in a file without them every sentence is a
    document of its own (a corpus of shuffled sentences must not share names between them).
    """
    sentences: list[list[tuple[str, str]]] = []
    documents: list[int] = []
    current: list[tuple[str, str]] = []
    marked = False
    document = 0
    for line in read_gold_text(path).split("\n"):
        parts = line.split()
        if not parts:
            if current:
                sentences.append(current)
                documents.append(document if marked else len(sentences))
                current = []
            continue
        if parts[0] == "-DOCSTART-":
            if current:
                sentences.append(current)
                documents.append(document if marked else len(sentences))
                current = []
            marked = True
            document += 1
            continue
        token = parts[0].replace("\u00ad", "")
        label = parts[-1] if len(parts) > 1 else OUTSIDE
        current.append((token or parts[0], normalise_label(label)))
    if current:
        sentences.append(current)
        documents.append(document if marked else len(sentences))
    return sentences, documents


def entities_from_labels(labels: Sequence[str], sentence: int = 0) -> list[Entity]:
    """Entity spans of one sentence's labels (IOB1, IOB2, BIOES or bare types)."""
    out: list[Entity] = []
    start: int | None = None
    kind: str | None = None
    for i, label in enumerate([*labels, OUTSIDE]):
        prefix, _, typ = label.partition("-") if "-" in label else ("", "", label)
        begins = label == OUTSIDE or typ != kind or prefix in ("B", "S", "U")
        if begins and start is not None and kind is not None:
            out.append((sentence, start, i, kind))
            start, kind = None, None
        if label != OUTSIDE:
            if start is None:
                start, kind = i, typ
            if prefix in ("E", "L", "S", "U"):
                out.append((sentence, start, i + 1, typ))
                start, kind = None, None
    return out


def _char_to_tokens(words: Sequence[str]) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for word in words:
        spans.append((pos, pos + len(word)))
        pos += len(word) + 1
    return spans


def _document_spans(
    sentences: Sequence[Sequence[str]], spans: list[list[RawSpan]], documents: Sequence[int], lang: str | None
) -> list[list[RawSpan]]:
    """Spans per sentence after the clean-up and the article-level passes of the entities stage.

    The sentences of one document are joined with line breaks into one text, as an article is.
    The recogniser's spans (``spans``, per sentence) are cleaned on that text, as in production,
    where :func:`babelwire.nlp.recognizers.refine` sees the whole article ("Keston" after "Keston
    United"), then get what :func:`babelwire.nlp.entities.find_mentions` adds: the other half of a
    defined acronym and later occurrences of names found ("Okafor said" after "Chinedu Okafor").
    A document of one sentence is cleaned exactly as :func:`recognize_words` cleans it.
    """
    from babelwire.nlp.entities import document_spans

    out: list[list[RawSpan]] = [list(s) for s in spans]
    by_doc: dict[int, list[int]] = {}
    for index, doc in enumerate(documents):
        by_doc.setdefault(doc, []).append(index)
    for members in by_doc.values():
        starts, parts, pos = [], [], 0
        for i in members:
            text = " ".join(sentences[i])
            starts.append(pos)
            parts.append(text)
            pos += len(text) + 1
        joined = "\n".join(parts)
        shifted = [
            RawSpan(s.start + a, s.end + a, s.label, s.role)
            for a, i in zip(starts, members, strict=True)
            for s in spans[i]
        ]
        found = document_spans(joined, refine_spans(joined, shifted, lang))
        for k, i in enumerate(members):
            a, b = starts[k], starts[k] + len(parts[k])
            out[i] = [
                RawSpan(s.start - a, s.end - a, s.label, s.role) for s in found if a <= s.start and s.end <= b
            ]
    return out


def predict(
    sentences: Sequence[Sequence[str]], lang: str | None, documents: Sequence[int] | None = None
) -> list[Entity]:
    """Predicted entity spans, in token indices, for pre-tokenised sentences.

    With ``documents`` (a document number per sentence), the sentences of a document also get the
    article-level passes of the entities stage (see :func:`_document_spans`).
    """
    out: list[Entity] = []
    if documents is None:
        recognised = recognize_words(sentences, lang)
    else:
        recognised = _document_spans(sentences, recognize_words_raw(sentences, lang), documents, lang)
    for index, (words, spans) in enumerate(zip(sentences, recognised, strict=True)):
        offsets = _char_to_tokens(words)
        for span in spans:
            inside = [i for i, (a, b) in enumerate(offsets) if a < span.end and span.start < b]
            if inside:
                out.append((index, inside[0], inside[-1] + 1, span.label))
    return out


def score(
    gold: Iterable[Entity], pred: Iterable[Entity], types: Sequence[str] | None = None
) -> dict[str, Any]:
    """Precision, recall, F1 and support overall and per type (exact span and type)."""
    gold_set = {e for e in gold if types is None or e[3] in types}
    pred_set = {e for e in pred if types is None or e[3] in types}
    kinds = sorted({e[3] for e in gold_set | pred_set})

    def prf(g: set[Entity], p: set[Entity]) -> dict[str, float | int]:
        tp = len(g & p)
        precision = tp / len(p) if p else 0.0
        recall = tp / len(g) if g else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": len(g),
        }

    per_type = {k: prf({e for e in gold_set if e[3] == k}, {e for e in pred_set if e[3] == k}) for k in kinds}
    return {"overall": prf(gold_set, pred_set), "per_type": per_type}


def evaluate_ner(
    path: str | Path, lang: str | None = None, types: Sequence[str] | None = None, limit: int | None = None
) -> dict[str, Any]:
    """Run babelwire's recogniser for ``lang`` on the gold tokens of ``path`` and score it.

    ``lang`` defaults to ``en``; ``types`` restricts scoring to some types (e.g. PER, ORG, LOC);
    ``limit`` scores only the first sentences. The result also holds the number of sentences and
    the language used.
    """
    sentences, documents = read_conll_documents(path)
    if not sentences:
        raise InputError(str(path), "no `token label` lines to score")
    if limit is not None:
        sentences, documents = sentences[:limit], documents[:limit]
    lang = lang or "en"
    words = [[tok for tok, _ in sent] for sent in sentences]
    gold = [e for i, sent in enumerate(sentences) for e in entities_from_labels([lab for _, lab in sent], i)]
    result = score(gold, predict(words, lang, documents), types)
    result["sentences"] = len(sentences)
    result["lang"] = lang
    result["gold_types"] = dict(Counter(e[3] for e in gold))
    return result


def format_report(result: dict[str, Any]) -> str:
    """A small plain-text table of an :func:`evaluate_ner` result."""
    lines = [f"{'type':<8}{'P':>8}{'R':>8}{'F1':>8}{'support':>9}"]
    rows = [*sorted(result["per_type"].items()), ("overall", result["overall"])]
    for name, s in rows:
        lines.append(f"{name:<8}{s['precision']:>8.3f}{s['recall']:>8.3f}{s['f1']:>8.3f}{s['support']:>9}")
    return "\n".join(lines)


def _gold_offsets(event: dict[str, Any], texts: dict[str, str]) -> dict[tuple[str, str], tuple[int, int]]:
    """Where each gold spelling of an article is scored.

    The gold lists a spelling once per article, so it stands for the name wherever it is written:
    the first whole-word occurrence ("Passau", not the start of "Passauer") that is not inside a
    longer gold spelling of the same article ("Umeå" after "Umeå universitet"), else the first
    whole-word occurrence, else the first occurrence.
    """
    spellings: dict[str, set[str]] = {}
    for entity in event.get("entities", []):
        for mention in entity["mentions"]:
            spellings.setdefault(mention["article"], set()).add(mention["text"])
    out: dict[tuple[str, str], tuple[int, int]] = {}
    for article_id, names in spellings.items():
        text = texts[article_id]
        taken: list[tuple[int, int]] = []
        for name in sorted(names, key=lambda n: (-len(n), n)):
            words = [
                (m.start(), m.end()) for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text)
            ]
            free = [w for w in words if not any(a <= w[0] and w[1] <= b for a, b in taken)]
            first = text.find(name)
            chosen = free[0] if free else words[0] if words else (first, first + len(name))
            out[(article_id, name)] = chosen
            taken.append(chosen)
    return out


def evaluate_gold_mentions(events_dir: str | Path) -> dict[str, Any]:
    """Recall of the sample corpus's gold entity mentions, per language, and id consistency.

    For every event file, the engine's pipeline runs on its articles up to the entities stage
    (normalise, language, segment, entities, as in production) and :func:`link_across` on the
    story; a gold mention is *found* when a predicted mention of the same type overlaps it
    (*exact* when the offsets are equal). An entity is *linked* when all its found mentions, in
    all articles, carry one entity id. The gold lists name each entity's spelling once per article,
    so precision cannot be measured this way.
    """
    import json

    from babelwire.config import Settings
    from babelwire.engine import Models
    from babelwire.ingest.normalize import NormalizeStage
    from babelwire.ingest.records import Overrides, Rejection, article_from_record
    from babelwire.nlp.entities import link_across
    from babelwire.nlp.language import LanguageStage
    from babelwire.nlp.segment import SegmentStage
    from babelwire.pipeline import Pipeline

    models = Models(Settings(encoder="hash"))
    pipeline = Pipeline(
        [NormalizeStage(), LanguageStage(models.language_detector), SegmentStage(), models.entities_stage]
    )
    found: Counter[str] = Counter()
    exact: Counter[str] = Counter()
    total: Counter[str] = Counter()
    linked = entities = 0
    missed: list[dict[str, str]] = []
    split: list[dict[str, Any]] = []
    for path in sorted(Path(events_dir).glob("*.json")):
        event = json.loads(path.read_text(encoding="utf-8"))
        articles = {}
        for record in event["articles"]:
            article = article_from_record(dict(record), path.name, Overrides())
            if isinstance(article, Rejection):
                raise ValueError(f"{path.name}: {article}")
            articles[article.id] = article
        pipeline.run(list(articles.values()))
        link_across(list(articles.values()))
        places = _gold_offsets(event, {a.id: a.text for a in articles.values()})
        for entity in event.get("entities", []):
            entities += 1
            ids: dict[str | None, list[str]] = {}
            for mention in entity["mentions"]:
                article = articles[mention["article"]]
                start, end = places[(article.id, mention["text"])]
                lang = article.lang or "?"
                total[lang] += 1
                hits = [
                    m
                    for m in article.mentions
                    if m.start < end and start < m.end and m.label == entity["type"]
                ]
                if not hits:
                    predicted = [
                        f"{m.text}/{m.label}" for m in article.mentions if m.start < end and start < m.end
                    ]
                    missed.append(
                        {
                            "article": article.id,
                            "text": mention["text"],
                            "type": entity["type"],
                            "predicted": ", ".join(predicted),
                        }
                    )
                    continue
                found[lang] += 1
                exact[lang] += any(m.start == start and m.end == end for m in hits)
                ids.setdefault(hits[0].entity_id, []).append(f"{article.id}: {hits[0].text}")
            if len(ids) <= 1:
                linked += 1
            else:
                split.append(
                    {
                        "entity": entity["name"],
                        "ids": sorted(i or "" for i in ids),
                        "mentions": {i or "": found_as for i, found_as in sorted(ids.items(), key=str)},
                    }
                )
    all_total = sum(total.values()) or 1
    return {
        "recall": round(sum(found.values()) / all_total, 4),
        "exact_recall": round(sum(exact.values()) / all_total, 4),
        "per_lang": {
            lang: {
                "recall": round(found[lang] / n, 4),
                "exact_recall": round(exact[lang] / n, 4),
                "mentions": n,
            }
            for lang, n in sorted(total.items())
        },
        "mentions": sum(total.values()),
        "entities": entities,
        "entities_one_id": linked,
        "missed": missed,
        "split": split,
    }

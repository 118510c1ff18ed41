"""Entities on real data in ../shared/data (skipped when absent) and on the bundled sample corpus."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from babelwire.model import Article, Mention
from babelwire.nlp.entities import EntitiesStage, link_across
from babelwire.nlp.recognizers import swedish_model_path, swedish_tagger_path
from tests.helpers import REPO, SHARED_DATA

SEEDS = SHARED_DATA / "seeds"
SAMPLE_EVENTS = REPO / "src" / "babelwire" / "data" / "sample" / "events"

#: (English spellings, Swedish spellings) that must share one entity id across the two seed reports.
SAME_ENTITY = [
    (["Putin", "Vladimir Putin"], ["Putin", "Putins"]),
    (["Mongolia"], ["Mongoliet"]),
    (["Ulaanbaatar"], ["Ulan Bator"]),
    (["ICC", "International Criminal Court"], ["ICC", "Internationella brottmålsdomstolen"]),
    (["Amnesty International"], ["Amnesty", "Amnestys"]),
    (["Altantuya Batdorj"], ["Altantuya Batdorj"]),
    (["Russia"], ["Ryssland"]),
    (["Ukraine"], ["Ukraina"]),
    (["China"], ["Kina"]),
    (["Kyiv"], []),
]


def _ids(article: Article, spellings: list[str]) -> set[str]:
    """Ids of the mentions written exactly as one of the spellings (each spelling in the text is found)."""
    ids: set[str] = set()
    for spelling in spellings:
        if not re.search(rf"(?<!\w){re.escape(spelling)}(?!\w)", article.text):
            continue
        hits: list[Mention] = [m for m in article.mentions if m.text == spelling]
        assert hits, f"{spelling!r} not found in the {article.lang} report"
        ids.update(m.entity_id or "" for m in hits)
    return ids


def test_seed_reports_share_entity_ids() -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"{SEEDS} not found")
    en_path, sv_path = sorted(SEEDS.glob("*.txt"))
    en = Article(id="en", text=en_path.read_text(encoding="utf-8"), lang="en")
    sv = Article(id="sv", text=sv_path.read_text(encoding="utf-8"), lang="sv")
    EntitiesStage().run([en, sv])
    link_across([en, sv])
    for en_names, sv_names in SAME_ENTITY:
        ids = _ids(en, en_names) | _ids(sv, sv_names)
        assert len(ids) == 1, f"{en_names} / {sv_names}: {sorted(ids)}"
    khurelsukh = [m for m in sv.mentions if "Khurelsukh" in m.text and "Ukhnaa" in m.text]
    assert khurelsukh and khurelsukh[0].label == "PER"
    batdorj = next(m for m in sv.mentions if m.text == "Altantuya Batdorj")
    assert batdorj.role and "chef" in batdorj.role


#: Recall floors of the sample gold mentions per language, a little under the measured values
#: (docs/entities.md, "Sample corpus").
SAMPLE_RECALL_FLOORS = {"de": 0.99, "en": 0.99, "es": 0.99, "fr": 0.99, "sv": 0.99}


def test_sample_corpus_gold_entities_found_and_linked() -> None:
    from babelwire.eval.ner import evaluate_gold_mentions

    # the production pipeline up to entities (hash encoder, no store), then link_across per story
    result = evaluate_gold_mentions(SAMPLE_EVENTS)
    for lang, floor in SAMPLE_RECALL_FLOORS.items():
        assert result["per_lang"][lang]["recall"] >= floor, (lang, result["per_lang"])
    assert result["recall"] >= 0.995, result["per_lang"]  # measured 1.000
    assert result["entities_one_id"] / result["entities"] >= 0.995  # measured 287 of 287


@pytest.mark.slow
def test_swedish_heldout_f1(tmp_path: Path) -> None:
    if swedish_tagger_path() is None and swedish_model_path() is None:
        pytest.skip("no Swedish NER model in src/babelwire/models")
    corpus = SHARED_DATA / "swedish_ner" / "train_corpus.txt"
    if not corpus.is_file():
        pytest.skip(f"{corpus} not found")
    heldout = tmp_path / "heldout.conll"
    lines = corpus.read_text(encoding="utf-8").split("\n\n")
    heldout.write_text("\n\n".join(s for i, s in enumerate(lines) if i % 5 == 4) + "\n", encoding="utf-8")
    from babelwire.eval.ner import evaluate_ner

    # frozen floor just under the shipped tagger's score through the full clean-up (0.846 for the
    # 4-epoch tagger; the spaCy model scored 0.755); the project's target is 0.85 (docs/entities.md)
    assert evaluate_ner(heldout, "sv")["overall"]["f1"] >= 0.83

"""English recognition on news written like CoNLL-2003: headlines in capitals, datelines, tables.

The gold files in ``tests/nlp/data`` are invented news (people, companies and events are
fictional; countries, cities and international bodies are real places and names) labelled in the
CoNLL-2003 conventions: national teams and countries are LOC, nationalities MISC, a person's
title outside the name. ``en_news_ner_dev.conll`` was used to develop the rules tested here;
``en_news_ner_check.conll`` was written after them and scored once before being added;
``en_news_ner_check2.conll`` was written later the same way (scored once at 0.777, then used to
find the rules for employers, place titles, club short forms and spaced datelines);
``en_news_ner_check3.conll`` was written after those and scored once (0.872); its errors were
looked at only after the wire-copy rules of a later round. ``en_news_ner_check4.conll`` was written
after those rules and scored once (0.774), then used to find the type vote;
``en_news_ner_check5.conll`` was written after every rule of that round and scored once (0.930);
its errors were not looked at.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from babelwire.eval.ner import evaluate_ner, read_conll_documents
from babelwire.nlp.entities import document_spans, find_mentions
from babelwire.nlp.extra_spans import dateline_spans
from babelwire.nlp.gazetteer import default_gazetteer
from babelwire.nlp.langdata import language_data
from babelwire.nlp.recognizers import _common_word, _known_name, recognize
from babelwire.nlp.retype import retype_spans
from babelwire.nlp.spans import RawSpan, recase_shouting, trim_span

DATA = Path(__file__).parent / "data"
EN = language_data("en")


def recase(text: str) -> str:
    return recase_shouting(text, EN, _known_name("en"), _common_word("en"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "TENNIS - KOVACEVIC BEATS DELAUNAY TO REACH MIAMI QUARTERS .",
            "Tennis - Kovacevic beats Delaunay to reach Miami quarters .",
        ),
        ("UN ENVOY URGES CALM IN U.S.-LED TALKS", "UN envoy urges calm in U.S.-led talks"),
        ("OSLO 2026-03-14", "Oslo 2026-03-14"),
        ("RUGBY UNION - IRELAND NAME UNCAPPED DOYLE", "Rugby union - Ireland name uncapped Doyle"),
    ],
)
def test_lines_in_capitals_are_recased_like_prose(text: str, expected: str) -> None:
    assert recase(text) == expected


def test_recasing_keeps_length_and_leaves_ordinary_lines_alone() -> None:
    text = "The EU and NATO met in Oslo.\nSOCCER - NORWAY HOLD PORTUGAL\nBERGEN , Norway 2026-03-13"
    out = recase(text)
    assert len(out) == len(text)
    first, second, third = out.split("\n")
    assert first == "The EU and NATO met in Oslo."
    assert second == "Soccer - Norway hold Portugal"
    assert third == "BERGEN , Norway 2026-03-13"  # a mixed line is prose already


def test_headline_in_capitals_gets_its_names() -> None:
    text = "TENNIS - KOVACEVIC BEATS DELAUNAY TO REACH MIAMI QUARTERS ."
    found = {(text[s.start : s.end], s.label) for s in recognize([text], "en")[0]}
    assert ("MIAMI", "LOC") in found
    assert not any(name.startswith("REACH") for name, _ in found)


def test_dateline_on_a_line_of_its_own() -> None:
    for text, places in [
        ("OSLO 2026-03-14", ["OSLO"]),
        ("BERGEN , Norway 2026-03-13", ["BERGEN", "Norway"]),
        ("Results came in.\nNEW DELHI 9/3/2026\nMore text.", ["NEW DELHI"]),
    ]:
        spans = dateline_spans(text)
        assert [text[s.start : s.end] for s in spans] == places
        assert {s.label for s in spans} == {"LOC"}
    assert dateline_spans("He said OSLO 2026 was a good year") == []


def test_possessive_token_is_not_part_of_the_name() -> None:
    text = "The European Union 's foreign policy chief"
    start, end = trim_span(text, 4, 22, EN)
    assert text[start:end] == "European Union"
    glued = "The European Union's envoy"
    start, end = trim_span(glued, 4, 20, EN)
    assert glued[start:end] == "European Union"
    brand = "McDonald's opened"
    assert trim_span(brand, 0, 10, EN) == (0, 10)  # a one-word name keeps its "'s"


def test_country_by_its_own_name_is_a_place_and_a_nationality_is_not() -> None:
    text = "Norway next face Cyprus while German fans wait"
    spans = [RawSpan(17, 23, "MISC"), RawSpan(30, 36, "MISC")]
    out = {text[s.start : s.end]: s.label for s in retype_spans(text, spans, EN, default_gazetteer())}
    assert out == {"Cyprus": "LOC", "German": "MISC"}


def test_surname_alone_is_the_person_named_earlier() -> None:
    text = "Prime Minister Tomasz Wierzbicki spoke. Wierzbicki said the link mattered."
    spans = [RawSpan(15, 32, "PER"), RawSpan(40, 50, "ORG")]
    out = {(text[s.start : s.end], s.label) for s in document_spans(text, spans)}
    assert ("Wierzbicki", "PER") in out
    before = "Wierzbicki Holdings grew. Later Tomasz Wierzbicki joined."
    spans = [RawSpan(0, 19, "ORG"), RawSpan(32, 49, "PER")]
    out = {(before[s.start : s.end], s.label) for s in document_spans(before, spans)}
    assert ("Wierzbicki Holdings", "ORG") in out  # only a later, one-word mention changes


def test_surname_mentions_link_to_the_person() -> None:
    text = (
        "Finance minister Tomasz Wierzbicki said on Friday that the deal was done. "
        "Wierzbicki told reporters in Warsaw that gas prices would fall."
    )
    mentions = find_mentions([text], "en")[0]
    ids = {m.entity_id for m in mentions if m.text in ("Tomasz Wierzbicki", "Wierzbicki")}
    labels = {m.label for m in mentions if m.text in ("Tomasz Wierzbicki", "Wierzbicki")}
    assert len(ids) == 1 and labels == {"PER"}


def test_documents_of_a_conll_file(tmp_path: Path) -> None:
    path = tmp_path / "docs.conll"
    path.write_text("-DOCSTART- O\n\nA O\n\nB O\n\n-DOCSTART- O\n\nC O\n", encoding="utf-8")
    sentences, documents = read_conll_documents(path)
    assert [s[0][0] for s in sentences] == ["A", "B", "C"]
    assert documents == [1, 1, 2]
    plain = tmp_path / "plain.conll"
    plain.write_text("A O\n\nB O\n\nC O\n", encoding="utf-8")
    assert read_conll_documents(plain)[1] == [1, 2, 3]  # shuffled sentences share nothing


@pytest.mark.parametrize(
    ("name", "floor"),
    [
        ("dev", 0.89),
        ("check", 0.85),
        ("check2", 0.86),
        ("check3", 0.85),
        ("check4", 0.80),
        ("check5", 0.88),
        ("tables_dev", 0.94),
        ("tables_check", 0.94),
    ],
)
def test_english_news_per_org_loc(name: str, floor: float) -> None:
    result = evaluate_ner(DATA / f"en_news_ner_{name}.conll", "en", types=["PER", "ORG", "LOC"])
    # measured: dev 0.932, check 0.988, check2 0.952, check3 0.911, check4 0.968 (0.774 when first
    # scored), check5 0.930 (its first and only score); result tables: dev 0.963, check 0.982
    # (0.580 and 0.471 before the table rules; docs/entities.md)
    assert result["overall"]["f1"] >= floor, result


def test_name_after_a_job_title_is_a_person() -> None:
    text = "Chief executive Marit Engebretsen told a news conference in Bergen"
    out = retype_spans(text, [RawSpan(16, 33, "ORG")], EN, default_gazetteer())
    assert [(text[s.start : s.end], s.label, s.role) for s in out] == [
        ("Marit Engebretsen", "PER", "Chief executive")
    ]
    end_of_sentence = "Growth was slow, said the director. Halden Grain kept its targets."
    out = retype_spans(end_of_sentence, [RawSpan(36, 48, "ORG")], EN, default_gazetteer())
    assert [s.label for s in out] == ["ORG"]


def test_name_before_a_job_title_and_a_person_is_the_employer() -> None:
    text = "Tarvaby manager Gareth Lundell said the team deserved it."
    found = {text[s.start : s.end]: s.label for s in recognize([text], "en")[0]}
    assert found.get("Tarvaby") == "ORG" and found.get("Gareth Lundell") == "PER"
    # a country before the title is the place; a conjunction is no part of a title
    text = "Norway coach Stale Holmvik named his squad."
    out = retype_spans(text, [RawSpan(0, 6, "PER"), RawSpan(13, 25, "PER")], EN, default_gazetteer())
    assert (text[out[0].start : out[0].end], out[0].label) == ("Norway", "LOC")
    text = "owner Jon Hemry, COO Larrin Lucco and general manager Theo Epsfeld offered more."
    spans = [RawSpan(text.index(n), text.index(n) + len(n), "PER") for n in ("Larrin Lucco", "Theo Epsfeld")]
    out = retype_spans(text, spans, EN, default_gazetteer())
    assert [s.label for s in out] == ["PER", "PER"]


def test_a_name_after_a_place_title_is_a_place() -> None:
    text = "The mayor of Vigerona, Carla Brenzi, closed all schools."
    start = text.index("Vigerona")
    out = retype_spans(text, [RawSpan(start, start + 8, "ORG")], EN, default_gazetteer())
    assert [(text[s.start : s.end], s.label) for s in out] == [("Vigerona", "LOC")]


def test_club_short_form_after_its_full_name() -> None:
    text = "Riverby beat Keston United 2-1. Keston scored late through Kwame Asante."
    spans = [RawSpan(13, 26, "ORG"), RawSpan(32, 38, "PER"), RawSpan(60, 72, "PER")]
    out = retype_spans(text, spans, EN, default_gazetteer())
    assert {text[s.start : s.end]: s.label for s in out}["Keston"] == "ORG"
    # unless the full name ends in a word the text also calls a person
    text = "slain Kimoni (Kiki) Groy was unarmed. Kimoni started backing up, Groy said."
    spans = [RawSpan(6, 24, "ORG"), RawSpan(38, 44, "PER"), RawSpan(65, 69, "PER")]
    out = retype_spans(text, spans, EN, default_gazetteer())
    assert {text[s.start : s.end]: s.label for s in out}["Kimoni"] == "PER"


def test_dateline_after_a_headline_with_spaced_punctuation() -> None:
    text = "Halvby Foods buys Nordkyst\nOSLO , Sept 30 ( Meridian Wire ) - Halvby Foods agreed to buy"
    found = [(text[s.start : s.end], s.label) for s in dateline_spans(text)]
    assert found == [("OSLO", "LOC"), ("Meridian Wire", "ORG")]


def test_a_text_longer_than_spacy_accepts_is_read_in_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    """spaCy refuses a text over ``nlp.max_length`` (E088): a huge article lost all its entities."""
    from babelwire.nlp.recognizers import recognizer_for

    recognizer = recognizer_for("en")
    paragraph = "Mayor Linda Okafor opened the new bridge in Leeds on Monday, the council said."
    text = "\n\n".join([paragraph] * 12)
    expected = recognizer.spans([paragraph])[0]
    assert expected
    monkeypatch.setattr(recognizer.nlp, "max_length", 300)
    (spans,) = recognizer.spans([text])
    step = len(paragraph) + 2
    found = {(s.start % step, s.end % step, s.label) for s in spans}
    assert found == {(s.start, s.end, s.label) for s in expected}
    assert {s.start // step for s in spans} == set(range(12))  # every paragraph, offsets into the whole


def test_mentions_of_one_name_take_the_type_their_context_gives() -> None:
    text = (
        "Varnex wins rail contract\n"
        "Austrian engineering group Varnex has won the contract, the agency said.\n"
        "Varnex beat a French rival."
    )
    labels = {s.label for s in recognize([text], "en")[0] if text[s.start : s.end] == "Varnex"}
    assert labels == {"ORG"}


def test_a_name_between_an_article_and_a_place_noun_is_a_place() -> None:
    text = "Heavy rain flooded the Douro valley on Monday."
    found = {(text[s.start : s.end], s.label) for s in recognize([text], "en")[0]}
    assert ("Douro", "LOC") in found


def test_a_name_after_near_is_a_place() -> None:
    text = "The bus plunged into a ravine near Huancayo on Wednesday."
    found = {(text[s.start : s.end], s.label) for s in recognize([text], "en")[0]}
    assert ("Huancayo", "LOC") in found


HEADLINED = (
    "Harbor Council Approves Floating School\n"
    "The Port Wenlow council voted on Tuesday to moor a floating school in the old harbor, "
    "the Wenlow Gazette reported. Mayor Ilse Tarrow said the barge would open next spring.\n"
)


def _crosses_a_boundary(text: str, start: int, end: int) -> bool:
    from babelwire.nlp.recognizers import boundary_starts

    return "\n" in text[start:end] or any(start < b < end for b in boundary_starts(text, "en"))


def test_no_name_runs_from_a_headline_into_the_body() -> None:
    spans = recognize([HEADLINED], "en")[0]
    assert not [HEADLINED[s.start : s.end] for s in spans if _crosses_a_boundary(HEADLINED, s.start, s.end)]
    mentions = find_mentions([HEADLINED], "en")[0]
    assert not [m.text for m in mentions if "\n" in m.text or "Wenlow council" in m.text]


def test_a_span_across_a_line_break_is_cut_to_the_part_its_type_fits() -> None:
    from babelwire.nlp.recognizers import refine

    text = "Tarrow Visits Old Docks\nHarbor Council members met in Port Wenlow on Monday."
    crossing = RawSpan(0, text.index(" members"), "ORG")  # "Tarrow Visits Old Docks\nHarbor Council"
    found = refine(text, [crossing], EN, default_gazetteer())
    assert [(text[s.start : s.end], s.label) for s in found if s.start < text.index(" members")] == [
        ("Harbor Council", "ORG")
    ]
    across_sentences = "Tarrow spoke to the Harbor Council. Members met in Port Wenlow."
    crossing = RawSpan(across_sentences.index("Harbor"), across_sentences.index(" met"), "ORG")
    found = refine(across_sentences, [crossing], EN, default_gazetteer())
    assert [s for s in found if ". " in across_sentences[s.start : s.end]] == []
    assert ("Harbor Council", "ORG") in [(across_sentences[s.start : s.end], s.label) for s in found]


def test_a_newspaper_is_an_organisation() -> None:
    mentions = find_mentions([HEADLINED], "en")[0]
    assert ("Wenlow Gazette", "ORG") in [(m.text, m.label) for m in mentions]


def test_a_title_case_headline_is_cut_to_the_name_it_opens_with() -> None:
    found = [(m.text, m.label) for m in find_mentions([HEADLINED], "en")[0]]
    assert "Harbor Council Approves Floating School" not in [t for t, _ in found]
    assert ("Harbor Council", "ORG") in found
    # a whole line that is one name with a connector stays whole
    text = "Harbor Council of Port Wenlow\nThe council met on Tuesday.\n"
    spans = [RawSpan(0, text.index("\n"), "ORG")]
    from babelwire.nlp.recognizers import refine

    assert [text[s.start : s.end] for s in refine(text, spans, EN, default_gazetteer())][:1] == [
        "Harbor Council of Port Wenlow"
    ]

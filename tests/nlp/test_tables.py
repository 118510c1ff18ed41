"""Results tables: the shape of a line of names and numbers types its names (babelwire.nlp.tables)."""

from __future__ import annotations

import pytest

from babelwire.nlp.gazetteer import default_gazetteer
from babelwire.nlp.recognizers import _common_word, recognize
from babelwire.nlp.spans import RawSpan, impose
from babelwire.nlp.tables import table_row_spans


def rows(text: str, lang: str = "en") -> list[tuple[str, str]]:
    spans = table_row_spans(text, default_gazetteer(), _common_word(lang), lang)
    return sorted((text[s.start : s.end], s.label) for s in spans)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Kalevi Tallinn 2 Narva Sadam 1", [("Kalevi Tallinn", "ORG"), ("Narva Sadam", "ORG")]),
        ("ATLANTA 108 Portland 101", [("ATLANTA", "ORG"), ("Portland", "ORG")]),
        ("Iceland 2 Faroe Islands 0 ( halftime 1-0 )", [("Faroe Islands", "LOC"), ("Iceland", "LOC")]),
        ("Wales 1 Kalevi Tallinn 3", [("Kalevi Tallinn", "ORG"), ("Wales", "LOC")]),
        ("Viljandi Mets 6 4 1 1 11 6 13", [("Viljandi Mets", "ORG")]),
        (
            "1 - Tomas Vranek ( Czech Republic ) beat Ilya Sorokin ( Russia ) 6-3 6-4",
            [("Czech Republic", "LOC"), ("Ilya Sorokin", "PER"), ("Russia", "LOC"), ("Tomas Vranek", "PER")],
        ),
        ("1. Amara Kipsang (Kenya) 13:02.45", [("Amara Kipsang", "PER"), ("Kenya", "LOC")]),
        ("3. Pieter de Vries ( Netherlands ) +0:04", [("Netherlands", "LOC"), ("Pieter de Vries", "PER")]),
        ("1. Erik Lund 4:12:33", [("Erik Lund", "PER")]),
        ("67 Oliver Pratt , Jamie Whitlock", [("Jamie Whitlock", "PER"), ("Oliver Pratt", "PER")]),
        (
            "Scorers : Rasmus Kask ( 12th , 78th ) , Igor Volkov ( 55th )",
            [("Igor Volkov", "PER"), ("Rasmus Kask", "PER")],
        ),
        (
            # a county the gazetteer files under its country is a club here
            "At Hove : Sussex 312-7 ( Aaron Fielding 104 ) v Durham",
            [("Aaron Fielding", "PER"), ("Durham", "ORG"), ("Sussex", "ORG")],
        ),
    ],
)
def test_result_lines_type_their_names(line: str, expected: list[tuple[str, str]]) -> None:
    assert rows(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "Thursday, December 11, 2008",  # a web page's date line
        "Updated: November 11, 2011 20:09 IST",
        "PUBLISHED: THURSDAY, MAY 2, 2013, 1:32 PM",
        "Apple Sells 3 Million Phones In 2 Days",  # a headline in title case
        "5. 9 Earthquake Jolts Iran",
        "Joe Louis 26 - 1",  # a boxer's record: one name and a number is no score
        "Kalevi Tallinn won 2-1 at home on Sunday before 3,000 fans.",  # prose
        "Standings ( played , won , drawn , lost , points ) :",
    ],
)
def test_lines_that_are_not_tables_are_left_alone(line: str) -> None:
    assert rows(line) == []


def test_table_lines_inside_an_article_keep_their_offsets() -> None:
    text = (
        "Results of Estonian league matches on Sunday:\n"
        "Kalevi Tallinn 2 Narva Sadam 1\n"
        "Tartu Ülikool 0 Pärnu Rand 0\n"
        "The league resumes on May 3."
    )
    found = rows(text)
    assert ("Narva Sadam", "ORG") in found and ("Pärnu Rand", "ORG") in found
    assert len(found) == 4


def test_imposed_spans_replace_what_they_overlap() -> None:
    spans = [RawSpan(0, 20, "ORG"), RawSpan(30, 35, "PER")]
    out = impose(spans, [RawSpan(0, 14, "ORG"), RawSpan(17, 28, "ORG")])
    assert [(s.start, s.end) for s in out] == [(0, 14), (17, 28), (30, 35)]


def test_the_recogniser_applies_the_table_rules() -> None:
    text = "SOCCER - ESTONIAN LEAGUE RESULTS .\nKalevi Tallinn 2 Narva Sadam 1\nDENVER 120 Memphis 111"
    found = {(text[s.start : s.end], s.label) for s in recognize([text], "en")[0]}
    assert {("Kalevi Tallinn", "ORG"), ("Narva Sadam", "ORG"), ("DENVER", "ORG"), ("Memphis", "ORG")} <= found
    assert not any(name.startswith("Narva Sadam ") for name, _ in found)  # no number run into a name


@pytest.mark.parametrize(
    ("text", "club"),
    [
        ("Kent beat Surrey by four wickets at The Oval on Wednesday .", "Surrey"),
        ("Portland won 2-1 at home on Sunday.", "Portland"),
        ("The champions drew 1-1 against Denver in the league on Saturday.", "Denver"),
    ],
)
def test_places_that_play_a_match_are_clubs(text: str, club: str) -> None:
    found = {(text[s.start : s.end], s.label) for s in recognize([text], "en")[0]}
    assert (club, "ORG") in found


@pytest.mark.parametrize(
    "text",
    [
        "Iceland beat Norway 2-0 in the qualifier.",  # national sides stay places
        "Portland won the right to host the summit, the mayor said.",  # no match in the sentence
        "The team flew to Denver for the cup final.",  # a destination, not a side
    ],
)
def test_other_places_stay_places(text: str) -> None:
    found = {(text[s.start : s.end], s.label) for s in recognize([text], "en")[0]}
    assert all(label != "ORG" for _, label in found), found


def test_a_name_in_a_headline_in_capitals_takes_its_type_from_the_article() -> None:
    text = (
        "ATHLETICS - OYELARAN BREAKS RECORD IN ROME .\n"
        "Nigerian sprinter Folake Oyelaran broke the record at a meeting in Rome on Thursday ."
    )
    found = {(text[s.start : s.end], s.label) for s in recognize([text], "en")[0]}
    assert ("OYELARAN", "PER") in found
    assert not any(name == "ATHLETICS" for name, _ in found)  # a section word, not a name


def test_a_club_a_player_scored_for_is_an_organisation_throughout() -> None:
    text = (
        "Riverton beat Keston United 2-1 on Saturday .\n"
        "Striker Tomasz Wielgosz scored twice for Riverton before the break ."
    )
    found = {(text[s.start : s.end], s.start, s.label) for s in recognize([text], "en")[0]}
    assert {label for name, _, label in found if name == "Riverton"} == {"ORG"}
    assert ("Tomasz Wielgosz", text.index("Tomasz"), "PER") in found


def test_a_person_named_in_full_is_not_taken_for_a_club() -> None:
    text = "Cathal Doyle signed for Leinster in May .\nDoyle said he was happy ."
    found = {(text[s.start : s.end], s.label) for s in recognize([text], "en")[0]}
    assert ("Doyle", "PER") in found
    assert ("Leinster", "ORG") in found


def test_a_club_named_in_a_results_table_is_the_club_in_the_report_above() -> None:
    text = (
        "Alderton beat league leaders Brackwell Town on Saturday .\n"
        "Brackwell had led through a penalty .\n"
        "Fans in Brackwell were stunned .\n"
        "Results of second division matches on Saturday :\n"
        "Alderton 2 Brackwell Town 1"
    )
    found = [(text[s.start : s.end], s.start, s.label) for s in recognize([text], "en")[0]]
    brackwell = [(name, label) for name, start, label in found if name.startswith("Brackwell")]
    assert brackwell.count(("Brackwell Town", "ORG")) == 2
    assert ("Brackwell", "ORG") in brackwell  # the short form in the report
    assert ("Brackwell", "ORG") not in [
        (n, lab) for n, st, lab in found if st == text.index("Brackwell were")
    ]

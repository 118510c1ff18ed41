"""The story commands on odd input: similarity, compare and eval (stories, pairs, ner)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import RunCli
from tests.corpus import (
    DE_TEXT,
    EN_TEXT,
    OTHER_WIRE,
    PRESS_ACCIDENT,
    PRESS_BURGLARY,
    SV_TEXT,
    WIRE,
    WIRE_COPY,
)
from tests.helpers import write_jsonl


def flat(text: str) -> str:
    """Standard error with rich's line wrapping undone."""
    return " ".join(text.split())


# -- similarity ---------------------------------------------------------------------------------


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    """Articles with an int id, string ids, and one line without usable text."""
    return write_jsonl(
        tmp_path / "articles.jsonl",
        [
            {"id": 1, "text": WIRE},
            {"id": "2", "text": WIRE_COPY},
            {"id": "3", "text": OTHER_WIRE},
            {"id": "4", "text": "   "},
        ],
    )


def similarity(run_cli: RunCli, pairs: Path, articles: Path) -> tuple[int, list[dict[str, object]], str]:
    result = run_cli("similarity", "--pairs", str(pairs), "--articles", str(articles))
    return result.exit_code, [json.loads(x) for x in result.stdout.splitlines()], flat(result.stderr)


def test_similarity_echoes_ids_as_given(run_cli: RunCli, articles: Path, tmp_path: Path) -> None:
    pairs = write_jsonl(tmp_path / "pairs.jsonl", [{"id1": 1, "id2": 2}, {"id1": "1", "id2": "3"}])
    code, rows, _ = similarity(run_cli, pairs, articles)
    assert code == 0
    assert [(r["id1"], r["id2"]) for r in rows] == [(1, 2), ("1", "3")]
    assert rows[0]["score"] > rows[1]["score"] and rows[0]["same_story"] is True


def test_similarity_duplicate_pairs_get_the_same_score(
    run_cli: RunCli, articles: Path, tmp_path: Path
) -> None:
    pairs = write_jsonl(tmp_path / "pairs.jsonl", [{"id1": "1", "id2": "2"}] * 2 + [{"id1": "2", "id2": "1"}])
    code, rows, _ = similarity(run_cli, pairs, articles)
    assert code == 0 and len({r["score"] for r in rows}) == 1


def test_similarity_reads_a_semeval_pair_id(run_cli: RunCli, articles: Path, tmp_path: Path) -> None:
    """SemEval-2022 task 8 names a pair `ID1_ID2` in `pair_id`; without id1/id2 that is used."""
    pairs = write_jsonl(tmp_path / "pairs.jsonl", [{"pair_id": "1_2", "overall": 1.0}])
    code, (row,), _ = similarity(run_cli, pairs, articles)
    assert code == 0
    assert (row["pair_id"], row["id1"], row["id2"], row["overall"]) == ("1_2", "1", "2", 1.0)
    assert row["score"] is not None and "error" not in row


def test_similarity_says_why_a_pair_cannot_be_scored(run_cli: RunCli, articles: Path, tmp_path: Path) -> None:
    pairs = write_jsonl(
        tmp_path / "pairs.jsonl",
        [
            {"id1": "1", "id2": "2"},
            {"id1": "1", "id2": "99"},
            {"id1": "1"},
            {"id1": ["1"], "id2": "2"},
            {"id1": "1", "id2": "4"},
            {"id1": "98", "id2": "99"},
        ],
    )
    code, rows, stderr = similarity(run_cli, pairs, articles)
    assert code == 1  # finished, but some pairs have no score
    assert [r["score"] is None for r in rows] == [False, True, True, True, True, True]
    assert all(r["same_story"] is None for r in rows[1:])
    assert rows[1]["error"] == "no article with id 99 in the articles file"
    assert rows[2]["error"] == "no 'id2' field" and rows[2]["id2"] is None
    assert rows[3]["error"] == "'id1' must be a string or a number"
    assert "4" in rows[4]["error"] and "empty 'text'" in rows[4]["error"]
    assert rows[5]["error"] == "no article with ids 98, 99 in the articles file"
    assert "scored 1 of 6 pairs; 5 could not be scored" in stderr


def test_similarity_answers_every_line_of_the_pairs_file(
    run_cli: RunCli, articles: Path, tmp_path: Path
) -> None:
    """Output line k answers the k-th non-blank pairs line: a malformed one gets an error line."""
    pairs = tmp_path / "pairs.jsonl"
    lines = [json.dumps({"id1": "1", "id2": "2"}), '{"id1": "1", "id2": ', "", "[1, 2]"]
    lines.append(json.dumps({"id1": "2", "id2": "3", "note": "last"}))
    pairs.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, rows, stderr = similarity(run_cli, pairs, articles)
    assert code == 1 and len(rows) == 4
    assert rows[0]["score"] is not None and "line" not in rows[0]
    assert rows[1] == {
        "line": 2,
        "id1": None,
        "id2": None,
        "score": None,
        "same_story": None,
        "error": "malformed JSON (Expecting value at column 21)",
    }
    assert rows[2]["line"] == 4 and rows[2]["error"] == "expected a JSON object"
    assert rows[3]["note"] == "last" and rows[3]["score"] is not None
    assert "scored 2 of 4 pairs; 2 could not be scored" in stderr


def test_similarity_of_an_article_with_itself_is_one(run_cli: RunCli, articles: Path, tmp_path: Path) -> None:
    pairs = write_jsonl(
        tmp_path / "pairs.jsonl", [{"id1": "3", "id2": "3"}, {"id1": 1, "id2": "1"}, {"id1": "4", "id2": "4"}]
    )
    code, rows, _ = similarity(run_cli, pairs, articles)
    assert [(r["score"], r["same_story"]) for r in rows[:2]] == [(1.0, True), (1.0, True)]
    assert code == 1 and rows[2]["score"] is None and "empty 'text'" in rows[2]["error"]  # no text: no story


@pytest.mark.parametrize("value", [None, "", "  "])
def test_similarity_an_empty_id_is_named_as_such(
    run_cli: RunCli, articles: Path, tmp_path: Path, value: str | None
) -> None:
    pairs = write_jsonl(tmp_path / "pairs.jsonl", [{"id1": value, "id2": "1"}, {"id1": "1"}])
    code, rows, _ = similarity(run_cli, pairs, articles)
    assert code == 1
    assert rows[0]["error"] == "'id1' is empty" and rows[1]["error"] == "no 'id2' field"


def test_similarity_names_the_column_of_a_malformed_article_line(run_cli: RunCli, tmp_path: Path) -> None:
    arts = tmp_path / "articles.jsonl"
    arts.write_text(
        json.dumps({"id": "a", "text": SV_TEXT}) + '\n{"id": "b", "text": "x\ty"}\n', encoding="utf-8"
    )
    pairs = write_jsonl(tmp_path / "pairs.jsonl", [{"id1": "a", "id2": "b"}])
    _, _, stderr = similarity(run_cli, pairs, arts)
    assert "articles.jsonl:2: malformed JSON (Invalid control character at column 23)" in stderr


def test_similarity_on_empty_files(run_cli: RunCli, tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    code, rows, stderr = similarity(run_cli, empty, empty)
    assert (code, rows) == (0, []) and "scored 0 of 0 pairs" in stderr


def test_similarity_reads_byte_order_marks_and_other_encodings(run_cli: RunCli, tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_bytes(b'\xef\xbb\xbf{"id1": "a", "id2": "b"}\r\n')
    arts = tmp_path / "articles.jsonl"
    arts.write_bytes(
        (json.dumps({"id": "a", "text": SV_TEXT}) + "\n").encode("utf-8")
        + b'{"id": "b", "text": "F\xe4rjan Bottenvik fastnade i packis utanf\xf6r Holmsund."}\n'
    )
    code, (row,), stderr = similarity(run_cli, pairs, arts)
    assert code == 0 and row["score"] is not None
    assert "articles.jsonl: not valid UTF-8 (first bad byte on line 2)" in stderr


def test_similarity_missing_file(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("similarity", "--pairs", str(tmp_path / "nope.jsonl"), "--articles", str(tmp_path))
    assert result.exit_code == 2 and "nope.jsonl: cannot open" in flat(result.stderr)


def test_similarity_keeps_an_earlier_output_when_interrupted(
    run_cli: RunCli, articles: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from babelwire.engine import Engine

    def stop(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(Engine, "similarity", stop)
    pairs = write_jsonl(tmp_path / "pairs.jsonl", [{"id1": "1", "id2": "2"}])
    out = tmp_path / "out.jsonl"
    out.write_text("earlier\n", encoding="utf-8")
    result = run_cli("similarity", "--pairs", str(pairs), "--articles", str(articles), "-o", str(out))
    assert result.exit_code == 130 and f"no output written ({out} is unchanged)" in flat(result.stderr)
    assert out.read_text(encoding="utf-8") == "earlier\n"
    assert [p.name for p in tmp_path.iterdir() if "out.jsonl" in p.name] == ["out.jsonl"]


def test_similarity_bad_output_path_fails_before_the_inputs_are_read(run_cli: RunCli, tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.jsonl")
    result = run_cli(
        "similarity", "--pairs", missing, "--articles", missing, "-o", str(tmp_path / "no" / "o")
    )
    assert result.exit_code == 2 and "cannot write" in result.stderr and "nope" not in result.stderr


# -- eval ---------------------------------------------------------------------------------------


def test_eval_pairs_skips_pairs_it_cannot_read(run_cli: RunCli, articles: Path, tmp_path: Path) -> None:
    pairs = write_jsonl(
        tmp_path / "pairs.jsonl",
        [
            {"id1": 1, "id2": 2, "overall": 1},
            {"id1": "1", "id2": "3", "overall": "4"},
            {"id1": "1", "id2": "3", "overall": "n/a"},
            {"id1": "2", "overall": 2},
        ],
    )
    result = run_cli("eval", "pairs", str(pairs), str(articles), "--json")
    assert result.exit_code == 0, result.stderr
    metrics = json.loads(result.stdout)
    assert (metrics["pairs"], metrics["skipped"]) == (2, 2)
    stderr = flat(result.stderr)
    assert "pairs.jsonl:3: 'overall' is not a number" in stderr and "pairs.jsonl:4: no 'id2' field" in stderr


def test_eval_stories_reports_a_bad_line_once(run_cli: RunCli, tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    lines = [
        json.dumps({"id": 1, "cluster_id": "a", "text": WIRE}),
        json.dumps({"id": "2", "cluster_id": "a", "text": WIRE_COPY}),
        json.dumps({"id": "3", "cluster_id": 7, "text": DE_TEXT}),
        "{oops",
        json.dumps({"id": "5", "cluster_id": "b", "text": EN_TEXT}),
    ]
    gold.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode("utf-8"))
    result = run_cli("eval", "stories", str(gold), "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["articles"] == 4
    assert flat(result.stderr).count("gold.jsonl:4: malformed JSON") == 1


# -- compare ------------------------------------------------------------------------------------


def test_compare_an_article_with_itself_is_a_usage_error(run_cli: RunCli, tmp_path: Path) -> None:
    """Both sides would share one id, so every sentence came out "unique" to one article."""
    path = tmp_path / "a.txt"
    path.write_text(WIRE, encoding="utf-8")
    result = run_cli("compare", str(path), str(path), "--json", "--db", str(tmp_path / "x.db"))
    assert result.exit_code == 2 and result.stdout == ""
    assert "same article" in flat(result.stderr)


def test_compare_a_file_that_does_not_exist_says_so(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(WIRE, encoding="utf-8")
    missing = tmp_path / "missing.txt"
    result = run_cli("compare", str(path), str(missing), "--db", str(tmp_path / "x.db"))
    assert result.exit_code == 5 and f"{missing}: no such file" in flat(result.stderr)
    # a bare word is still taken for an id
    result = run_cli("compare", str(path), "nope", "--db", str(tmp_path / "x.db"))
    assert result.exit_code == 5 and "no article with id 'nope'" in flat(result.stderr)


@pytest.mark.parametrize("command", ["ner", "timex"])
def test_eval_gold_file_that_is_not_utf8(run_cli: RunCli, tmp_path: Path, command: str) -> None:
    path = tmp_path / "gold.txt"
    path.write_bytes("Malmö\tB-LOC\n".encode("latin-1"))
    result = run_cli("eval", command, str(path))
    assert result.exit_code == 2
    assert "gold.txt: not valid UTF-8 (first bad byte on line 1)" in flat(result.stderr)


@pytest.mark.parametrize("command", ["ner", "timex"])
def test_eval_empty_gold_file(run_cli: RunCli, tmp_path: Path, command: str) -> None:
    path = tmp_path / "gold.txt"
    path.write_bytes(b"\r\n\r\n")
    result = run_cli("eval", command, str(path))
    assert result.exit_code == 2 and "gold.txt" in flat(result.stderr) and "no " in flat(result.stderr)


def test_eval_missing_gold_exits_two(run_cli: RunCli, tmp_path: Path) -> None:
    assert run_cli("eval", "timex", str(tmp_path / "absent.tsv")).exit_code == 2
    assert run_cli("eval", "quotes", str(tmp_path / "absent")).exit_code == 2
    assert run_cli("eval", "ner", str(tmp_path / "absent.conll")).exit_code == 2


def test_compare_uses_the_first_article_of_a_file_after_bad_lines(run_cli: RunCli, tmp_path: Path) -> None:
    first = tmp_path / "a.jsonl"
    first.write_text('{"id": "broken", \n' + json.dumps({"id": "a1", "text": WIRE}) + "\n", encoding="utf-8")
    second = tmp_path / "b.txt"
    second.write_text(WIRE_COPY, encoding="utf-8")
    result = run_cli("compare", str(first), str(second), "--json", "--db", str(tmp_path / "x.db"))
    assert result.exit_code == 0, result.stderr
    assert "a.jsonl:1: malformed JSON" in flat(result.stderr)
    compared = json.loads(result.stdout)
    assert {s["article"] for f in compared["facts"] for s in f["sentences"]} == {str(first), str(second)}


def test_compare_stdin_twice_is_a_usage_error(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("compare", "-", "-", "--db", str(tmp_path / "x.db"), input=WIRE)
    assert result.exit_code == 2 and "same article" in flat(result.stderr)


def test_eval_stories_leaves_out_null_clusters_and_repeated_ids(run_cli: RunCli, tmp_path: Path) -> None:
    gold = write_jsonl(
        tmp_path / "gold.jsonl",
        [
            {"id": "a", "cluster_id": "x", "text": WIRE},
            {"id": "a", "cluster_id": "y", "text": OTHER_WIRE},
            {"id": "b", "cluster_id": "x", "text": WIRE_COPY},
            {"id": "c", "cluster_id": None, "text": DE_TEXT},
            {"id": "d", "cluster_id": "", "text": SV_TEXT},
            {"id": "e", "cluster_id": "z", "text": EN_TEXT},
        ],
    )
    result = run_cli("eval", "stories", str(gold), "--json")
    assert result.exit_code == 0, result.stderr
    metrics = json.loads(result.stdout)
    assert (metrics["articles"], metrics["gold_stories"]) == (3, 2)  # a (line 1), b, e
    assert "gold.jsonl:2: id 'a' repeats line 1" in flat(result.stderr)


def test_similarity_repeated_article_id_keeps_the_first(run_cli: RunCli, tmp_path: Path) -> None:
    arts = write_jsonl(
        tmp_path / "articles.jsonl",
        [{"id": "a", "text": WIRE}, {"id": "b", "text": WIRE_COPY}, {"id": "a", "text": DE_TEXT}],
    )
    pairs = write_jsonl(tmp_path / "pairs.jsonl", [{"id1": "a", "id2": "b"}])
    code, (row,), stderr = similarity(run_cli, pairs, arts)
    assert code == 0 and row["same_story"] is True
    assert "articles.jsonl:3: id 'a' repeats articles.jsonl:1" in stderr.replace(str(tmp_path) + "/", "")


def test_eval_ner_types_are_case_blind_and_checked(run_cli: RunCli, tmp_path: Path) -> None:
    gold = tmp_path / "gold.conll"
    gold.write_text("Ingrid\tB-PER\nSolvang\tI-PER\nbor\tO\ni\tO\nBergen\tB-LOC\n.\tO\n", encoding="utf-8")
    upper = json.loads(run_cli("eval", "ner", str(gold), "--types", "PER,LOC", "--json").stdout)
    lower = json.loads(run_cli("eval", "ner", str(gold), "--types", "per, loc", "--json").stdout)
    assert lower["overall"]["support"] == upper["overall"]["support"] == 2
    result = run_cli("eval", "ner", str(gold), "--types", "PER,FOO")
    assert result.exit_code == 2 and "FOO" in flat(result.stderr)


def test_eval_pairs_repeated_article_id_keeps_the_first(run_cli: RunCli, tmp_path: Path) -> None:
    arts = write_jsonl(
        tmp_path / "articles.jsonl",
        [
            {"id": "a", "text": WIRE},
            {"id": "b", "text": WIRE_COPY},
            {"id": "c", "text": DE_TEXT},
            {"id": "a", "text": DE_TEXT},
        ],
    )
    pairs = write_jsonl(
        tmp_path / "pairs.jsonl",
        [{"id1": "a", "id2": "b", "overall": 1.0}, {"id1": "a", "id2": "c", "overall": 4.0}],
    )
    result = run_cli("eval", "pairs", str(pairs), str(arts), "--json")
    assert result.exit_code == 0, result.stderr
    assert "articles.jsonl:4: id 'a' repeats" in flat(result.stderr).replace(str(tmp_path) + "/", "")
    assert json.loads(result.stdout)["pairs"] == 2


def test_similarity_does_not_count_what_one_sender_shares(run_cli: RunCli, tmp_path: Path) -> None:
    # the same two press releases, once from two outlets and once from one: the names and numbers
    # they share (the press office's template) are evidence only in the first case
    rows = [
        {"id": "a", "text": PRESS_BURGLARY, "url": "https://www.presse-nordhafen.example/1"},
        {"id": "b", "text": PRESS_ACCIDENT, "url": "https://kurier.example/2"},
        {"id": "c", "text": PRESS_BURGLARY, "url": "https://presse-nordhafen.example/3"},
        {"id": "d", "text": PRESS_ACCIDENT, "source": "presse-nordhafen.example"},
    ]
    arts = write_jsonl(tmp_path / "articles.jsonl", rows)
    pairs = write_jsonl(tmp_path / "pairs.jsonl", [{"id1": "a", "id2": "b"}, {"id1": "c", "id2": "d"}])
    code, (two, one), _ = similarity(run_cli, pairs, arts)
    assert code == 0
    assert isinstance(two["score"], float) and isinstance(one["score"], float)
    assert one["score"] < two["score"]


def test_reader_language_must_be_a_language_code(run_cli: RunCli, tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(WIRE, encoding="utf-8")
    b.write_text(OTHER_WIRE, encoding="utf-8")
    result = run_cli("compare", str(a), str(b), "--lang", "xx", "--db", str(tmp_path / "x.db"))
    assert result.exit_code == 2 and "not a two-letter language code" in flat(result.stderr)
    result = run_cli("stories", "--limit", "0", "--db", str(tmp_path / "x.db"))
    assert result.exit_code == 2
    # a language filter with a typo is an error, not an empty list
    for command in ("stories", "articles"):
        result = run_cli(command, "--lang", "english", "--db", str(tmp_path / "x.db"))
        assert result.exit_code == 2 and "not a two-letter language code" in flat(result.stderr), command


def test_compare_text_names_each_article_once_and_gives_headline_and_summary(
    run_cli: RunCli, tmp_path: Path
) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(WIRE, encoding="utf-8")
    b.write_text(WIRE_COPY, encoding="utf-8")
    result = run_cli("compare", str(a), str(b), "--db", str(tmp_path / "x.db"))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"A = {a} (en)" and lines[1] == f"B = {b} (en)"
    assert "Shared facts" in result.stdout and "Unique claims" in result.stdout
    # after the legend the paths are not repeated: lines say A or B
    assert all(str(a) not in line and str(b) not in line for line in lines[2:])
    shown = json.loads(run_cli("compare", str(a), str(b), "--db", str(tmp_path / "x.db"), "--json").stdout)
    assert shown["headline"] and shown["headline"] in " ".join(result.stdout.split())  # wrapped at 80


LANDSLIDE = (
    "A landslide set off by days of rain buried part of the hill village of Norvik on Sunday, killing {dead} "
    "people, the regional governor said.\n\n{rest}"
)


def test_compare_text_says_what_a_number_conflict_is_about(run_cli: RunCli, tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(LANDSLIDE.format(dead=12, rest="Rescue teams searched the mud all night."), encoding="utf-8")
    b.write_text(
        LANDSLIDE.format(dead=14, rest="Schools in the valley stay shut until Wednesday."), encoding="utf-8"
    )
    result = run_cli("compare", str(a), str(b), "--db", str(tmp_path / "x.db"))
    assert result.exit_code == 0
    assert "Conflicts (1)\n  number: dead\n" in result.stdout
    shown = json.loads(run_cli("compare", str(a), str(b), "--db", str(tmp_path / "x.db"), "--json").stdout)
    (conflict,) = shown["conflicts"]
    assert conflict["kind"] == "number" and conflict["what"] == "dead"
    assert {s["value"] for s in conflict["sides"]} == {"12", "14"}
    assert all({"article", "start", "end", "text", "value"} <= set(s) for s in conflict["sides"])

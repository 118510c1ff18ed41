"""Bad input never stops a batch: each bad input is reported with its name and reason, the rest is stored."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import pytest

from babelwire.config import Settings
from babelwire.engine import Engine
from babelwire.ingest.decode import NotText, decode_bytes
from babelwire.ingest.files import iter_items
from babelwire.ingest.records import Overrides, Rejection
from babelwire.model import Article
from tests.corpus import DA_TEXT, DE_TEXT, ES_TEXT, FR_TEXT, NO_TEXT, SV_TEXT, SV_TITLE
from tests.helpers import write_jsonl


def rejections(items: list[Article | Rejection]) -> dict[str, str]:
    return {i.origin: i.reason for i in items if isinstance(i, Rejection)}


def read(*inputs: Path, settings: Settings | None = None) -> list[Article | Rejection]:
    return list(iter_items([str(i) for i in inputs], Overrides(), settings or Settings()))


# -- each bad input alone -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["empty.txt", "empty.jsonl", "empty.html", "empty.csv", "empty.rss"])
def test_empty_file(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(b"")
    assert rejections(read(tmp_path / name)) == {str(tmp_path / name): "empty file"}


def test_whitespace_only_file_is_empty(tmp_path: Path) -> None:
    (tmp_path / "blank.jsonl").write_text("\n   \n\t\n", encoding="utf-8")
    assert rejections(read(tmp_path / "blank.jsonl")) == {str(tmp_path / "blank.jsonl"): "empty file"}


@pytest.mark.parametrize("name", ["photo.txt", "photo.html", "photo.jsonl", "photo.md"])
def test_binary_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    reason = rejections(read(path))[str(path)]
    assert "binary" in reason


def test_random_bytes_are_binary() -> None:
    with pytest.raises(NotText, match="binary"):
        decode_bytes(bytes(range(256)) * 4)


def test_latin1_file_is_decoded_with_a_warning(tmp_path: Path, engine: Engine) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes(f"{SV_TITLE}\n\n{SV_TEXT}".replace("–", "-").encode("latin-1"))
    (article,) = read(path)
    assert isinstance(article, Article)
    assert article.title == SV_TITLE and "Färjan" in article.text
    assert "invalid UTF-8" in article.extra["warning"]
    report = engine.ingest([str(path)])
    assert report.added == 1
    assert any(w.startswith(f"{path}: invalid UTF-8") for w in report.warnings)


def test_cp1252_punctuation_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "cp1252.txt"
    text = "Le président a déclaré qu’il était prêt – « enfin » – à négocier dès lundi."
    path.write_bytes(text.encode("cp1252"))
    (article,) = read(path)
    assert isinstance(article, Article) and article.text == text


PL_TEXT = (
    "Rada fikcyjnej gminy Łąkowo ogłosiła w środę, że nowa szkoła zostanie otwarta we wrześniu. "
    "Budowa kosztowała dwanaście milionów złotych, a mieszkańcy czekali na nią od lat."
)


def _page(text: str, head: str) -> str:
    return f"<html><head>{head}<title>Page</title></head><body><article><p>{text}</p></article></body></html>"


@pytest.mark.parametrize(
    "head",
    [
        '<meta charset="iso-8859-2">',
        "<meta http-equiv='Content-Type' content='text/html; charset=ISO-8859-2'>",
    ],
)
def test_html_meta_charset_is_used(tmp_path: Path, head: str) -> None:
    path = tmp_path / "pl.html"
    path.write_bytes(_page(PL_TEXT, head).encode("iso-8859-2"))
    (article,) = read(path)
    assert isinstance(article, Article)
    assert "ogłosiła w środę" in article.text and "złotych" in article.text
    assert "declared charset iso-8859-2" in article.extra["warning"]


def test_feed_xml_declaration_encoding_is_used(tmp_path: Path) -> None:
    path = tmp_path / "pl.rss"
    feed = (
        '<?xml version="1.0" encoding="ISO-8859-2"?><rss version="2.0"><channel><title>Łąkowo</title>'
        f"<link>https://lakowo.example/</link><item><guid>1</guid><description>{PL_TEXT}</description>"
        "</item></channel></rss>"
    )
    path.write_bytes(feed.encode("iso-8859-2"))
    (article,) = read(path)
    assert isinstance(article, Article) and "ogłosiła w środę" in article.text


@pytest.mark.parametrize(
    ("text", "encoding", "declared"),
    [
        (
            "La fête du village a réuni samedi trois mille visiteurs, les élus ont salué l’été.",
            "cp1252",
            "utf-8",
        ),
        (
            "La fête du village a réuni samedi trois mille visiteurs, les élus ont salué l’été.",
            "cp1252",
            "windows-1251",
        ),
        ("Snöovädret stängde på måndagen vägen mellan Lillbro och Storvik.", "utf-8", "iso-8859-1"),
    ],
)
def test_a_lying_charset_declaration_is_caught(
    tmp_path: Path, text: str, encoding: str, declared: str
) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(_page(text, f'<meta charset="{declared}">').encode(encoding))
    (article,) = read(path)
    assert isinstance(article, Article) and text in article.text


def test_utf8_with_one_stray_byte_keeps_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "spliced.txt"
    path.write_bytes(SV_TEXT.encode("utf-8") + b"\xff\xfe trailer " + DA_TEXT.encode("utf-8"))
    (article,) = read(path)
    assert isinstance(article, Article)
    assert SV_TEXT in article.text and DA_TEXT in article.text
    assert "replaced" in article.extra["warning"]


def test_utf16_with_bom_and_utf8_bom(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(SV_TEXT.encode("utf-16"))
    (tmp_path / "b.txt").write_bytes(b"\xef\xbb\xbf" + NO_TEXT.encode("utf-8"))
    first, second = read(tmp_path / "a.txt", tmp_path / "b.txt")
    assert isinstance(first, Article) and first.text == SV_TEXT
    assert isinstance(second, Article) and second.text == NO_TEXT


def test_malformed_json_line_names_the_line_and_keeps_the_others(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    lines = [
        json.dumps({"id": "a", "text": DE_TEXT}),
        '{"id": "b", "text": "unterminated',
        "[1, 2, 3]",
        json.dumps({"id": "d", "title": "no text here"}),
        json.dumps({"id": "e", "text": "   "}),
        json.dumps({"id": "f", "text": ES_TEXT}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = read(path)
    assert [i.id for i in items if isinstance(i, Article)] == ["a", "f"]
    bad = rejections(items)
    assert set(bad) == {f"{path}:2", f"{path}:3", f"{path}:4", f"{path}:5"}
    assert bad[f"{path}:2"].startswith("malformed JSON")
    assert "object" in bad[f"{path}:3"]
    assert "text" in bad[f"{path}:4"]
    assert "empty" in bad[f"{path}:5"]


def test_unicode_line_separators_inside_json_strings_do_not_split_lines(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    text = "Första raden om skogen.\u2028Andra raden om sjön\u0085 och fåglarna.\u2029Slut."
    path.write_text(json.dumps({"id": "u", "text": text}, ensure_ascii=False) + "\n", encoding="utf-8")
    (article,) = read(path)
    assert isinstance(article, Article) and article.id == "u"


def test_lone_surrogates_in_json_do_not_sink_the_batch(tmp_path: Path, engine: Engine) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(
        '{"id": "s1", "source": "Kust\\udc80bladet", "title": "Rubrik \\ud800", '
        '"text": "Text om isen \\ud800 i viken."}\n' + json.dumps({"id": "s2", "text": SV_TEXT}) + "\n",
        encoding="utf-8",
    )
    report = engine.ingest([str(path)])
    assert report.added == 2 and report.rejected == 0
    stored = engine.article("s1")
    assert stored.source == "Kust\ufffdbladet" and "\ufffd" in stored.text


def test_a_malformed_url_does_not_sink_the_batch(tmp_path: Path, engine: Engine) -> None:
    path = tmp_path / "in.jsonl"
    records = [{"id": "u1", "url": "http://[::1", "text": SV_TEXT}, {"id": "u2", "text": SV_TEXT + " Mer."}]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    report = engine.ingest([str(path)])
    assert report.rejected == 0 and report.added + report.near_duplicates == 2
    stored = engine.article("u1")
    assert stored.url == "http://[::1" and stored.source is None


def test_html_with_no_main_text(tmp_path: Path) -> None:
    path = tmp_path / "nav.html"
    path.write_text(
        "<html><head><title>Start</title></head><body><nav><a href='/'>Hem</a> "
        "<a href='/sport'>Sport</a></nav><footer>© Kustbladet</footer></body></html>",
        encoding="utf-8",
    )
    reason = rejections(read(path))[str(path)]
    assert reason.startswith("HTML has no main text")


def test_unreadable_feed_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.rss"
    path.write_text("<rss><channel><title>Tomt</title></channel></rss>", encoding="utf-8")
    reason = rejections(read(path))[str(path)]
    assert "no entries" in reason or "not a readable feed" in reason


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text(SV_TEXT * 10, encoding="utf-8")
    small = tmp_path / "small.txt"
    small.write_text(DA_TEXT[:200], encoding="utf-8")
    settings = replace(Settings(), max_file_bytes=500)
    items = read(big, small, settings=settings)
    assert "over the 500-byte limit" in rejections(items)[str(big)]
    assert [i.origin for i in items if isinstance(i, Article)] == [str(small)]


def test_csv_field_longer_than_the_csv_module_default(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    long_text = (FR_TEXT + "\n\n") * 400  # over the csv module's default 131,072-character field limit
    assert len(long_text) > 131_072
    path.write_text(
        'id,text\nlong,"' + long_text.replace('"', '""') + '"\nshort,"' + ES_TEXT + '"\n', "utf-8"
    )
    items = read(path)
    assert [i.id for i in items if isinstance(i, Article)] == ["long", "short"]


def test_file_name_that_is_not_utf8(tmp_path: Path, engine: Engine) -> None:
    name = os.fsdecode(b"r\xe4ksm\xf6rg\xe5s.txt")  # Latin-1 bytes: surrogate escapes in Python
    bad_name = tmp_path / name
    try:
        bad_name.write_text(SV_TEXT, encoding="utf-8")
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system does not accept non-UTF-8 names")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    report = engine.ingest([str(tmp_path)])
    assert report.added == 1 and report.rejected == 1


# -- a mixed batch through the engine -----------------------------------------------------------


def test_mixed_bad_batch_reports_everything_and_stores_the_rest(tmp_path: Path, engine: Engine) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a_good.txt").write_text(f"{SV_TITLE}\n\n{SV_TEXT}", encoding="utf-8")
    (folder / "b_empty.txt").write_text("", encoding="utf-8")
    (folder / "c_binary.txt").write_bytes(bytes(range(256)) * 4)
    (folder / "d_nav.html").write_text("<html><body><nav>Hem</nav></body></html>", encoding="utf-8")
    (folder / "e_lines.jsonl").write_text(
        json.dumps({"id": "e1", "text": DE_TEXT})
        + "\n{broken\n"
        + json.dumps({"id": "e3", "text": NO_TEXT})
        + "\n",
        encoding="utf-8",
    )
    (folder / "f_big.txt").write_text("x " * 2000, encoding="utf-8")
    engine.settings = replace(engine.settings, max_file_bytes=3000)
    report = engine.ingest([str(folder), str(tmp_path / "missing.txt")])
    assert report.added == 3, report.messages
    assert report.rejected == 6
    origins = sorted(m.split(": ", 1)[0] for m in report.messages)
    assert origins == sorted(
        [
            str(folder / "b_empty.txt"),
            str(folder / "c_binary.txt"),
            str(folder / "d_nav.html"),
            f"{folder / 'e_lines.jsonl'}:2",
            str(folder / "f_big.txt"),
            str(tmp_path / "missing.txt"),
        ]
    )
    stored = {r.origin: r.reason for r in engine.store.rejections(100)}
    assert set(stored) == set(origins)
    assert {a.id for a in engine.articles()} >= {"e1", "e3"}


def test_bad_input_never_loses_what_is_stored(tmp_path: Path, engine: Engine) -> None:
    good = write_jsonl(
        tmp_path / "good.jsonl", [{"id": "g1", "text": SV_TEXT}, {"id": "g2", "text": DA_TEXT}]
    )
    engine.ingest([str(good)])
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "g1", "text": 5}\n{oops\n', encoding="utf-8")
    report = engine.ingest([str(bad)])
    assert report.rejected == 2
    assert {a.id for a in engine.articles()} == {"g1", "g2"}
    assert engine.article("g1").text == SV_TEXT


def test_a_stage_crash_on_one_article_is_isolated(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    from babelwire.nlp import segment

    original = segment.sentence_spans

    def flaky(text: str, lang: str | None = None) -> list:  # type: ignore[type-arg]
        if "BOOM" in text:
            raise RuntimeError("simulated bug")
        return original(text, lang)

    monkeypatch.setattr(segment, "sentence_spans", flaky)
    items: list[Article | Rejection] = [
        Article(id="ok1", text=SV_TEXT),
        Article(id="bad", text="BOOM " + DE_TEXT),
        Article(id="ok2", text=ES_TEXT),
    ]
    report = engine.ingest_items(items)
    assert report.added == 2 and report.rejected == 1
    assert f"segment@{segment.SegmentStage.version} failed: RuntimeError: simulated bug" in report.messages[0]
    assert engine.article("ok2").sentences
    assert engine.article("bad").error is not None


# -- dates at the edges of what a datetime can hold ---------------------------------------------


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("9999-12-31T23:59:59-12:00", "cannot be converted to UTC (past the range of dates)"),
        ("0001-01-01T00:00:00+05:00", "cannot be converted to UTC (past the range of dates)"),
        ("9999-12-31", "is before 1800 or more than 5 years in the future"),
        ("1066-10-14", "is before 1800 or more than 5 years in the future"),
    ],
)
def test_a_date_out_of_range_is_unknown_with_a_warning(
    tmp_path: Path, engine: Engine, value: str, why: str
) -> None:
    path = write_jsonl(
        tmp_path / "d.jsonl",
        [{"id": "edge", "published": value, "text": SV_TEXT}, {"id": "ok", "text": DA_TEXT}],
    )
    report = engine.ingest([str(path)])
    assert report.added == 2 and report.rejected == 0, report.messages
    assert report.warnings == [f"{path}:1: publication date {value!r} {why}; left unknown"]
    assert engine.article("edge").published is None


def test_time_expressions_with_an_extreme_anchor() -> None:
    from datetime import UTC, datetime

    from babelwire.nlp.timex import event_date, find_timexes

    text = "The ferry sails tomorrow, and the bridge opens next year, on 3 March."
    for anchor in (datetime(9999, 12, 31, 23, 0, tzinfo=UTC), datetime(1, 1, 1, tzinfo=UTC)):
        found = find_timexes(text, "en", anchor)
        event_date(found, anchor, len(text))


def test_an_article_the_store_cannot_hold_is_rejected_and_the_rest_kept(engine: Engine) -> None:
    from datetime import datetime, timedelta, timezone

    # past the last moment in UTC: only an article built in code (not a parsed date) gets here
    extreme = datetime(9999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-12)))
    items: list[Article | Rejection] = [
        Article(id="ok1", text=SV_TEXT, origin="a"),
        Article(id="bad", text=DE_TEXT, published=extreme, origin="b"),
        Article(id="ok2", text=ES_TEXT, origin="c"),
    ]
    report = engine.ingest_items(items)
    assert report.added == 2 and report.rejected == 1, report.messages
    assert report.messages[0].startswith("b: could not be stored (OverflowError")
    assert {a.id for a in engine.articles()} == {"ok1", "ok2"}
    assert [r.origin for r in engine.store.rejections()] == ["b"]


def test_a_rejection_is_forgotten_once_its_input_is_read(tmp_path: Path, engine: Engine) -> None:
    whole = tmp_path / "one.json"
    whole.write_text('{"id": "w", "text": "cut off', encoding="utf-8")
    lines = tmp_path / "lines.jsonl"
    lines.write_text(json.dumps({"id": "a", "text": SV_TEXT}) + "\n{oops\n", encoding="utf-8")
    other = tmp_path / "empty.txt"
    other.write_text("", encoding="utf-8")
    engine.ingest([str(whole), str(lines), str(other)])
    assert {r.origin for r in engine.store.rejections()} == {str(whole), f"{lines}:2", str(other)}
    whole.write_text(json.dumps({"id": "w", "text": DA_TEXT}), encoding="utf-8")
    lines.write_text(
        json.dumps({"id": "a", "text": SV_TEXT}) + "\n" + json.dumps({"id": "b", "text": DE_TEXT})
    )
    report = engine.ingest([str(whole), str(lines), str(other)])
    assert report.added == 2 and report.already_stored == 1 and report.rejected == 1, report
    assert {r.origin for r in engine.store.rejections()} == {str(other)}


# -- entries that cannot be looked at -----------------------------------------------------------


def _locked(monkeypatch: pytest.MonkeyPatch, *locked: Path) -> None:
    """``stat`` of these paths fails as a link into a place the user may not read does."""
    real_stat = Path.stat

    def stat(self: Path, **kwargs: bool) -> os.stat_result:
        if self in locked:
            raise PermissionError(13, "Permission denied", str(self))
        return real_stat(self, **kwargs)

    monkeypatch.setattr(Path, "stat", stat)


def test_an_entry_that_cannot_be_read_does_not_stop_the_folder(
    tmp_path: Path, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(f"{SV_TITLE}\n\n{SV_TEXT}", encoding="utf-8")
    (folder / "link").symlink_to(tmp_path / "elsewhere")
    (folder / "z.txt").write_text(DE_TEXT, encoding="utf-8")
    _locked(monkeypatch, folder / "link")
    report = engine.ingest(folder)
    assert report.added == 2, report.messages
    assert report.messages == [f"{folder / 'link'}: cannot read (Permission denied)"]
    assert {r.origin for r in engine.store.rejections(10)} == {str(folder / "link")}


def test_an_input_that_cannot_be_read_is_a_rejection(
    tmp_path: Path, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = tmp_path / "good.txt"
    good.write_text(SV_TEXT, encoding="utf-8")
    locked = tmp_path / "locked"
    _locked(monkeypatch, locked)
    report = engine.ingest([str(locked), str(good), str(tmp_path / "missing.txt")])
    assert report.added == 1
    assert report.messages == [
        f"{locked}: cannot read (Permission denied)",
        f"{tmp_path / 'missing.txt'}: no such file or folder",
    ]


def test_a_folder_that_cannot_be_listed_is_a_rejection(
    tmp_path: Path, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    (folder / "closed").mkdir(parents=True)
    (folder / "closed" / "b.txt").write_text(DE_TEXT, encoding="utf-8")
    (folder / "open.txt").write_text(SV_TEXT, encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path: os.PathLike[str]) -> object:
        if Path(path) == folder / "closed":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    report = engine.ingest(folder)
    assert report.added == 1
    assert report.messages == [f"{folder / 'closed'}: cannot read folder (Permission denied)"]


def test_a_link_back_up_is_read_once(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "a.txt").write_text(SV_TEXT, encoding="utf-8")
    (folder / "sub" / "up").symlink_to(folder)
    assert [i.origin for i in read(folder)] == [str(folder / "sub" / "a.txt")]

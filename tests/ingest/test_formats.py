"""Every input format `babelwire ingest` reads: text, Markdown, HTML, JSON, JSONL, CSV, feeds, folders."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from babelwire.config import Settings
from babelwire.engine import Engine
from babelwire.ingest.feeds import entry_id
from babelwire.ingest.files import iter_items, sniff_kind
from babelwire.ingest.records import Overrides, Rejection
from babelwire.model import Article
from tests.corpus import DA_TEXT, DA_TITLE, DE_TEXT, DE_TITLE, ES_TEXT, ES_TITLE, SV_TEXT, SV_TITLE
from tests.helpers import write_jsonl

SETTINGS = Settings()


def read(*inputs: Path | str, overrides: Overrides | None = None) -> list[Article | Rejection]:
    return list(iter_items([str(i) for i in inputs], overrides or Overrides(), SETTINGS))


def only_article(items: list[Article | Rejection]) -> Article:
    assert len(items) == 1, items
    assert isinstance(items[0], Article), items[0]
    return items[0]


SV_HTML = f"""<!DOCTYPE html>
<html lang="sv">
<head>
<meta charset="utf-8">
<title>{SV_TITLE} | Kustbladet</title>
<meta property="og:title" content="{SV_TITLE}">
<meta property="og:site_name" content="Kustbladet">
<meta property="article:published_time" content="2026-11-18T21:40:00+01:00">
</head>
<body>
<nav><ul><li><a href="/">Start</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<header><p>Prenumerera idag – första månaden gratis!</p></header>
<article>
<h1>{SV_TITLE}</h1>
{"".join(f"<p>{p}</p>" for p in SV_TEXT.split(chr(10) + chr(10)))}
</article>
<footer><p>© Kustbladet. Alla rättigheter förbehållna.</p></footer>
</body></html>
"""

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
<title>Nordlys Nyheter</title><link>https://nordlys.example/</link>
<item><title>Jordskred stengte fylkesveien</title><link>https://nordlys.example/a/1</link>
<guid>nordlys-1</guid><pubDate>Fri, 20 Nov 2026 06:15:00 +0100</pubDate>
<description>&lt;p&gt;Et jordskred stengte fylkesvei 13 ved Brekke natt til fredag. Fire bolighus ble
evakuert.&lt;/p&gt;</description></item>
<item><title>Ny skole åpnet i Florø</title><link>https://nordlys.example/a/2</link>
<guid>nordlys-2</guid><pubDate>Sat, 21 Nov 2026 09:00:00 +0100</pubDate>
<description>Den nye barneskolen i Florø tok imot de første elevene lørdag morgen.</description></item>
</channel></rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>Alpenblatt</title><id>urn:alpenblatt</id><updated>2026-10-01T08:00:00Z</updated>
<entry><title>Stromausfall in Kassel</title><id>urn:alpenblatt:1</id>
<link href="https://alpenblatt.example/kassel"/>
<updated>2026-10-01T08:00:00Z</updated>
<content type="html">&lt;p&gt;Die Verkehrsbetriebe in Kassel haben am Montag den Straßenbahnverkehr
eingestellt.&lt;/p&gt;</content></entry>
</feed>
"""


# -- text and Markdown --------------------------------------------------------------------------


def test_txt_first_line_is_title_and_whole_file_is_text(tmp_path: Path) -> None:
    path = tmp_path / "fargan.txt"
    path.write_text(f"{SV_TITLE}\n\n{SV_TEXT}\n", encoding="utf-8")
    article = only_article(read(path))
    assert article.title == SV_TITLE
    assert SV_TEXT in article.text
    assert article.text.startswith(SV_TITLE)
    assert article.origin == str(path)


def test_a_long_first_line_is_capped_as_a_title(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    first = " ".join(["word"] * 100)  # 499 characters
    path.write_text(f"{first}\n\n{SV_TEXT}\n", encoding="utf-8")
    article = only_article(read(path))
    assert len(article.title) <= 200 and article.title.endswith("word…")
    assert article.text.startswith(first)
    unbroken = tmp_path / "unbroken.txt"
    unbroken.write_text("x" * 300 + "\n", encoding="utf-8")
    assert only_article(read(unbroken)).title == "x" * 199 + "…"


def test_md_heading_marker_is_stripped_from_title(tmp_path: Path) -> None:
    path = tmp_path / "havnebad.md"
    path.write_text(f"# {DA_TITLE}\n\n{DA_TEXT}\n", encoding="utf-8")
    assert only_article(read(path)).title == DA_TITLE


def test_txt_with_leading_blank_lines_uses_first_non_empty_line(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(f"\n\n  {ES_TITLE}\n{ES_TEXT}", encoding="utf-8")
    assert only_article(read(path)).title == ES_TITLE


# -- HTML ---------------------------------------------------------------------------------------


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(SV_HTML, encoding="utf-8")
    article = only_article(read(path))
    assert article.title == SV_TITLE
    assert article.source == "Kustbladet"
    assert article.published == datetime(2026, 11, 18, 20, 40, tzinfo=UTC)  # time and offset kept
    assert "isbrytaren Frej" in article.text
    # boilerplate is left out, and the <h1> is not repeated as the first line
    assert "Prenumerera" not in article.text
    assert "rättigheter" not in article.text
    assert not article.text.startswith(SV_TITLE)


def test_htm_suffix_is_html(tmp_path: Path) -> None:
    path = tmp_path / "page.htm"
    path.write_text(SV_HTML, encoding="utf-8")
    assert only_article(read(path)).source == "Kustbladet"


# -- JSON and JSONL -----------------------------------------------------------------------------


def test_jsonl_all_fields(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "in.jsonl",
        [
            {
                "id": "kassel-1",
                "url": "https://www.alpenblatt.example/kassel",
                "source": "Alpenblatt",
                "title": DE_TITLE,
                "text": DE_TEXT,
                "published": "2026-09-28T07:30:00+02:00",
                "lang": "DE",
            }
        ],
    )
    article = only_article(read(path))
    assert article.id == "kassel-1"
    assert article.url == "https://www.alpenblatt.example/kassel"
    assert article.source == "Alpenblatt"
    assert article.title == DE_TITLE
    assert article.text == DE_TEXT
    assert article.published == datetime(2026, 9, 28, 5, 30, tzinfo=UTC)
    assert article.lang == "de" and article.lang_given
    assert article.origin == f"{path}:1"


def test_jsonl_only_text_is_required(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "in.jsonl", [{"text": ES_TEXT}])
    article = only_article(read(path))
    assert article.text == ES_TEXT
    assert article.id  # a stable id is derived
    assert article.url is None and article.source is None and article.published is None
    assert article.lang is None and not article.lang_given
    assert only_article(read(path)).id == article.id


def test_source_defaults_to_url_domain(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "in.jsonl", [{"text": ES_TEXT, "url": "https://www.diario-turia.example/x"}]
    )
    assert only_article(read(path)).source == "diario-turia.example"


def test_jsonl_numbers_each_line(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(
        json.dumps({"id": "a", "text": DE_TEXT}) + "\n\n" + json.dumps({"id": "b", "text": ES_TEXT}) + "\n",
        encoding="utf-8",
    )
    items = read(path)
    assert [i.origin for i in items] == [f"{path}:1", f"{path}:3"]


def test_concatenated_jsonl_files_with_a_bom_each(tmp_path: Path) -> None:
    path = tmp_path / "all.jsonl"
    first = b"\xef\xbb\xbf" + json.dumps({"id": "a", "text": SV_TEXT}).encode() + b"\n"
    second = b"\xef\xbb\xbf" + json.dumps({"id": "b", "text": DA_TEXT}).encode() + b"\r\n"
    path.write_bytes(first + second + b"\xef\xbb\xbf\n")
    items = read(path)
    assert [i.id for i in items if isinstance(i, Article)] == ["a", "b"], items


def test_json_one_object_a_list_or_articles_key(tmp_path: Path) -> None:
    one = tmp_path / "one.json"
    one.write_text(json.dumps({"id": "x", "text": SV_TEXT}), encoding="utf-8")
    many = tmp_path / "many.json"
    many.write_text(
        json.dumps([{"id": "y", "text": DA_TEXT}, {"id": "z", "text": DE_TEXT}]), encoding="utf-8"
    )
    wrapped = tmp_path / "wrapped.json"
    wrapped.write_text(json.dumps({"articles": [{"id": "w", "text": ES_TEXT}]}), encoding="utf-8")
    assert [a.id for a in read(one)] == ["x"]
    assert [a.id for a in read(many)] == ["y", "z"]
    assert [a.id for a in read(wrapped)] == ["w"]


def test_json_pretty_printed_object(tmp_path: Path) -> None:
    path = tmp_path / "pretty.json"
    path.write_text(json.dumps({"id": "p", "text": SV_TEXT}, indent=2), encoding="utf-8")
    assert only_article(read(path)).id == "p"


def test_broken_pretty_printed_json_is_one_rejection_with_its_position(tmp_path: Path) -> None:
    # not JSON lines: its first line is no object by itself, so the file is not re-read per line
    path = tmp_path / "pretty.json"
    path.write_text(json.dumps({"id": "p", "text": SV_TEXT}, indent=2) + "\nx\n", encoding="utf-8")
    items = read(path)
    assert len(items) == 1 and isinstance(items[0], Rejection), items
    assert items[0].origin == str(path)
    assert items[0].reason == "malformed JSON (Extra data at line 5 column 1)"


def test_json_lines_saved_as_json_are_read_per_line(tmp_path: Path) -> None:
    path = tmp_path / "lines.json"
    path.write_text(
        json.dumps({"id": "a", "text": SV_TEXT}) + "\n{broken\n" + json.dumps({"id": "b", "text": DA_TEXT}),
        encoding="utf-8",
    )
    items = read(path)
    assert [i.origin for i in items] == [f"{path}:1", f"{path}:2", f"{path}:3"]
    assert isinstance(items[1], Rejection) and isinstance(items[2], Article)


def test_unterminated_string_message_reads_well(tmp_path: Path) -> None:
    path = tmp_path / "cut.json"
    path.write_text('{"id": "x", "text": "cut off', encoding="utf-8")
    lines = tmp_path / "cut.jsonl"
    lines.write_text('{"id": "x", "text": "cut off\n', encoding="utf-8")
    (whole,) = read(path)
    (line,) = read(lines)
    assert isinstance(whole, Rejection) and isinstance(line, Rejection)
    assert whole.reason == "malformed JSON (Unterminated string starting at line 1 column 21)"
    assert line.reason == "malformed JSON (Unterminated string starting at column 21)"


def test_json_record_without_text_is_rejected_with_its_position(tmp_path: Path) -> None:
    path = tmp_path / "many.json"
    path.write_text(
        json.dumps([{"id": "y", "title": "no body"}, {"id": "z", "text": DE_TEXT}]), encoding="utf-8"
    )
    items = read(path)
    assert isinstance(items[0], Rejection)
    assert items[0].origin == f"{path}[1]" and "text" in items[0].reason
    assert isinstance(items[1], Article)


# -- CSV ----------------------------------------------------------------------------------------


def test_csv_same_columns_with_multiline_text(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "url", "source", "title", "text", "published", "lang"])
        writer.writerow(
            ["s1", "https://kustbladet.example/1", "Kustbladet", SV_TITLE, SV_TEXT, "2026-11-18", "sv"]
        )
        writer.writerow(["d1", "", "", DA_TITLE, DA_TEXT, "", ""])
    first, second = read(path)
    assert isinstance(first, Article) and isinstance(second, Article)
    assert (first.id, first.source, first.lang, first.title) == ("s1", "Kustbladet", "sv", SV_TITLE)
    assert first.text == SV_TEXT
    assert first.published == datetime(2026, 11, 18, tzinfo=UTC)
    assert second.text == DA_TEXT and second.source is None and second.lang is None
    assert first.origin.startswith(f"{path}:")


def test_csv_header_is_case_insensitive_and_only_text_required(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text(f'Text,Title\n"{ES_TEXT}",{ES_TITLE}\n', encoding="utf-8")
    article = only_article(read(path))
    assert article.title == ES_TITLE and article.text == ES_TEXT


def test_tsv(tmp_path: Path) -> None:
    path = tmp_path / "in.tsv"
    path.write_text("id\ttext\nt1\tEn kort svensk text om vädret i Kiruna.\n", encoding="utf-8")
    assert only_article(read(path)).id == "t1"


def test_csv_without_text_column_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text("id,body_html\n1,<p>x</p>\n", encoding="utf-8")
    (item,) = read(path)
    assert isinstance(item, Rejection) and "'text' column" in item.reason


def test_csv_row_without_text_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(
            [["id", "text"], ["a", DE_TEXT], ["b", ""], ["c", ES_TEXT]]
        )
    items = read(path)
    assert [type(i).__name__ for i in items] == ["Article", "Rejection", "Article"]
    rejected = items[1]
    assert isinstance(rejected, Rejection)
    assert rejected.origin.startswith(f"{path}:")
    line = int(rejected.origin.rsplit(":", 1)[1])
    assert path.read_text(encoding="utf-8").splitlines()[line - 1] == "b,"


# -- feeds and folders --------------------------------------------------------------------------


def test_rss_file_one_article_per_entry(tmp_path: Path) -> None:
    path = tmp_path / "nordlys.rss"
    path.write_text(RSS, encoding="utf-8")
    first, second = read(path)
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.id == entry_id("nordlys-1", None, "https://nordlys.example/")
    assert first.url == "https://nordlys.example/a/1"
    assert first.title == "Jordskred stengte fylkesveien"
    assert first.source == "Nordlys Nyheter"
    assert first.published == datetime(2026, 11, 20, 5, 15, tzinfo=UTC)
    assert "<p>" not in first.text and "fylkesvei 13" in first.text
    assert first.origin == f"{path}#1" and second.origin == f"{path}#2"


def test_an_aggregator_entry_keeps_its_own_outlet(tmp_path: Path) -> None:
    # an aggregator's feed names the outlet of each entry: that outlet is the sender, not the feed
    feed = RSS.replace(
        "<guid>nordlys-1</guid>",
        '<guid>nordlys-1</guid><source url="https://fjord.example/rss">Fjordposten</source>',
    )
    path = tmp_path / "aggregator.rss"
    path.write_text(feed, encoding="utf-8")
    first, second = read(path)
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.source == "Fjordposten" and second.source == "Nordlys Nyheter"


def _feed(channel_link: str, items: str, title: str = "Outlet") -> str:
    link = f"<link>{channel_link}</link>" if channel_link else ""
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
        f"{link}{items}</channel></rss>"
    )


def _item(guid: str, text: str, link: str = "", permalink: bool = False) -> str:
    guid_tag = f'<guid isPermaLink="{str(permalink).lower()}">{guid}</guid>' if guid else ""
    link_tag = f"<link>{link}</link>" if link else ""
    return f"<item><title>{text[:20]}</title>{guid_tag}{link_tag}<description>{text}</description></item>"


def test_same_guid_in_two_feeds_gives_two_articles(tmp_path: Path, engine: Engine) -> None:
    # a guid like "42" is only unique within its feed: two feeds' entries 42 are two reports
    one = tmp_path / "one.rss"
    two = tmp_path / "two.rss"
    one.write_text(_feed("https://one.example/", _item("42", ES_TEXT, "https://one.example/a")), "utf-8")
    two.write_text(_feed("https://two.example/", _item("42", DE_TEXT, "https://two.example/b")), "utf-8")
    first = only_article(read(one))
    second = only_article(read(two))
    assert first.id != second.id
    report = engine.ingest([str(one), str(two)])
    assert report.added == 2 and report.already_stored == 0, report
    # the ids are stable: the same feeds again add nothing
    again = engine.ingest([str(one), str(two)])
    assert again.added == 0 and again.already_stored == 2 and again.rejected == 0, again


def test_feed_without_channel_link_scopes_guids_by_file(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for folder, text in (("a", ES_TEXT), ("b", DE_TEXT)):
        (tmp_path / folder / "feed.rss").write_text(_feed("", _item("7", text)), encoding="utf-8")
    first = only_article(read(tmp_path / "a" / "feed.rss"))
    second = only_article(read(tmp_path / "b" / "feed.rss"))
    assert first.id != second.id
    assert first.id == only_article(read(tmp_path / "a" / "feed.rss")).id
    assert first.url is None  # a bare guid is no address


def test_a_guid_that_is_a_url_is_the_id(tmp_path: Path) -> None:
    path = tmp_path / "f.rss"
    url = "https://one.example/news/3"
    path.write_text(_feed("https://one.example/", _item(url, ES_TEXT, permalink=True)), "utf-8")
    article = only_article(read(path))
    assert article.id == url and article.url == url and article.source == "Outlet"


def test_relative_entry_links_are_resolved_against_the_channel_link(tmp_path: Path) -> None:
    path = tmp_path / "f.rss"
    feed = _feed("https://lokal.example/news/", _item("9", ES_TEXT, "/local/library-fire"), title="")
    path.write_text(feed.replace("<title></title>", ""), encoding="utf-8")
    article = only_article(read(path))
    assert article.url == "https://lokal.example/local/library-fire"
    assert article.source == "lokal.example"


def test_relative_entry_link_without_a_base_is_no_url(tmp_path: Path) -> None:
    path = tmp_path / "f.rss"
    path.write_text(_feed("", _item("9", ES_TEXT, "/local/library-fire")), encoding="utf-8")
    article = only_article(read(path))
    assert article.url is None and article.source == "Outlet"


def test_an_atom_urn_id_is_not_a_url(tmp_path: Path) -> None:
    path = tmp_path / "f.atom"
    path.write_text(ATOM.replace('<link href="https://alpenblatt.example/kassel"/>', ""), "utf-8")
    article = only_article(read(path))
    assert article.url is None
    assert article.id == entry_id("urn:alpenblatt:1", None, str(path.resolve()))


@pytest.mark.parametrize(
    "teaser",
    ["Read more...", "Continue reading →", "[Lire la suite]", "Weiterlesen »", "Läs mer", "Leer más"],
)
def test_a_teaser_only_feed_entry_is_rejected(tmp_path: Path, teaser: str) -> None:
    path = tmp_path / "f.rss"
    title = "Ferry timetable doubles"
    entries = (
        f"<item><title>{title}</title><link>https://one.example/ferry</link>"
        f"<description>{title}. {teaser}</description></item>"
        f"<item><title>Other</title><link>https://one.example/o</link><description>{ES_TEXT}</description></item>"
    )
    path.write_text(_feed("https://one.example/", entries), encoding="utf-8")
    rejected, kept = read(path)
    assert isinstance(rejected, Rejection) and isinstance(kept, Article)
    assert rejected.origin == f"{path}#1"
    assert rejected.reason == (
        f"feed entry has only a teaser ({teaser.strip('[]')!r}); ingest the article's page "
        "(https://one.example/ferry) to get the text"
    )


def test_feed_html_inline_tags_leave_no_space_before_punctuation(tmp_path: Path) -> None:
    path = tmp_path / "f.rss"
    html = (
        "&lt;p&gt;The ferry was stuck for &lt;i&gt;five hours&lt;/i&gt;. The &lt;a href='/x'&gt;operator"
        "&lt;/a&gt;, &lt;b&gt;Harlow Lines&lt;/b&gt;, apologised.&lt;/p&gt;"
        "&lt;p&gt;Next&lt;br/&gt;line&lt;/p&gt;"
    )
    path.write_text(_feed("https://one.example/", _item("1", html)), encoding="utf-8")
    article = only_article(read(path))
    assert (
        article.text
        == "The ferry was stuck for five hours. The operator, Harlow Lines, apologised. Next line"
    )


def test_a_teaser_link_after_real_text_is_cut(tmp_path: Path) -> None:
    path = tmp_path / "f.rss"
    path.write_text(_feed("https://one.example/", _item("1", f"{ES_TEXT} Continue reading →")), "utf-8")
    article = only_article(read(path))
    assert article.text == ES_TEXT


def test_atom_file_and_xml_suffix(tmp_path: Path) -> None:
    path = tmp_path / "alpen.xml"
    path.write_text(ATOM, encoding="utf-8")
    article = only_article(read(path))
    assert article.source == "Alpenblatt"
    assert article.url == "https://alpenblatt.example/kassel"
    assert article.published == datetime(2026, 10, 1, 8, 0, tzinfo=UTC)
    assert "Straßenbahnverkehr" in article.text


def test_folder_is_read_recursively_skipping_hidden_and_unknown_files(tmp_path: Path) -> None:
    root = tmp_path / "news"
    (root / "2026" / "11").mkdir(parents=True)
    (root / ".cache").mkdir()
    (root / "a.txt").write_text(f"{SV_TITLE}\n{SV_TEXT}", encoding="utf-8")
    (root / "2026" / "11" / "b.md").write_text(f"# {DA_TITLE}\n{DA_TEXT}", encoding="utf-8")
    write_jsonl(root / "2026" / "c.jsonl", [{"id": "c1", "text": DE_TEXT}, {"id": "c2", "text": ES_TEXT}])
    (root / ".cache" / "d.txt").write_text("hidden", encoding="utf-8")
    (root / "e.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    items = read(root)
    assert all(isinstance(i, Article) for i in items), items
    assert sorted(i.origin or "" for i in items) == sorted(
        [
            str(root / "a.txt"),
            str(root / "2026" / "11" / "b.md"),
            f"{root / '2026' / 'c.jsonl'}:1",
            f"{root / '2026' / 'c.jsonl'}:2",
        ]
    )


def test_folder_without_supported_files_is_reported(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (item,) = read(tmp_path / "empty")
    assert isinstance(item, Rejection) and "no supported files" in item.reason


def test_missing_path_is_reported(tmp_path: Path) -> None:
    (item,) = read(tmp_path / "nope.txt")
    assert isinstance(item, Rejection) and item.origin.endswith("nope.txt")


# -- overrides ----------------------------------------------------------------------------------


def test_overrides_replace_what_the_input_says(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "in.jsonl",
        [{"id": "o1", "text": DE_TEXT, "source": "Alpenblatt", "lang": "en", "published": "2026-01-01"}],
    )
    overrides = Overrides(source="Hansekurier", lang="de", published="2026-10-05T12:00:00Z")
    article = only_article(read(path, overrides=overrides))
    assert article.source == "Hansekurier"
    assert article.lang == "de" and article.lang_given
    assert article.published == datetime(2026, 10, 5, 12, 0, tzinfo=UTC)


def test_overrides_apply_to_text_html_and_feeds(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(f"{SV_TITLE}\n{SV_TEXT}", encoding="utf-8")
    (tmp_path / "b.html").write_text(SV_HTML, encoding="utf-8")
    (tmp_path / "c.rss").write_text(RSS, encoding="utf-8")
    overrides = Overrides(source="Egen källa", lang="sv", published="2026-12-24")
    items = read(tmp_path, overrides=overrides)
    assert len(items) == 4
    for item in items:
        assert isinstance(item, Article)
        assert (item.source, item.lang) == ("Egen källa", "sv")
        assert item.published == datetime(2026, 12, 24, tzinfo=UTC)


# -- sniffing (stdin and URLs without a telling type) -------------------------------------------


def test_sniff_kind() -> None:
    assert sniff_kind('{"text": "a"}\n{"text": "b"}\n') == "jsonl"
    assert sniff_kind('{"text": "a"}') == "json"
    assert sniff_kind('{\n  "text": "a"\n}') == "json"
    assert sniff_kind('[{"text": "a"}]') == "json"
    assert sniff_kind(RSS) == "feed"
    assert sniff_kind(ATOM) == "feed"
    assert sniff_kind('<?xml version="1.0"?><opml version="2.0"><body/></opml>') == "opml"
    assert sniff_kind(SV_HTML) == "html"
    assert sniff_kind(SV_TEXT) == "text"


# -- end to end through the engine --------------------------------------------------------------


def test_engine_ingests_every_format_in_one_run(tmp_path: Path, engine: Engine) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(f"{SV_TITLE}\n\n{SV_TEXT}", encoding="utf-8")
    (tmp_path / "in" / "b.html").write_text(SV_HTML.replace("Holmsund", "Skellefteå"), encoding="utf-8")
    write_jsonl(tmp_path / "in" / "c.jsonl", [{"id": "c1", "text": DE_TEXT}])
    (tmp_path / "in" / "d.csv").write_text(f'id,text\nd1,"{ES_TEXT}"\n', encoding="utf-8")
    (tmp_path / "in" / "e.rss").write_text(RSS, encoding="utf-8")
    (tmp_path / "in" / "f.md").write_text(f"# {DA_TITLE}\n\n{DA_TEXT}", encoding="utf-8")
    report = engine.ingest([str(tmp_path / "in")])
    assert report.rejected == 0, report.messages
    assert report.added + report.duplicates + report.near_duplicates == 7
    langs = {a.id: a.lang for a in engine.articles()}
    nordlys_1 = entry_id("nordlys-1", None, "https://nordlys.example/")
    assert langs["c1"] == "de" and langs["d1"] == "es" and langs[nordlys_1] == "no"

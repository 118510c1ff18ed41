"""Language identification: restricted to the configured set, Swedish kept apart from Danish and Norwegian."""

from __future__ import annotations

from pathlib import Path

import pytest

from babelwire.config import DEFAULT_LANGUAGES, Settings
from babelwire.engine import Models
from babelwire.model import Article
from babelwire.nlp.language import LanguageDetector, LanguageStage, normalize_code
from tests.corpus import REPORTS, WIRE
from tests.helpers import SHARED_DATA, shared_file


@pytest.fixture(scope="module")
def detector() -> LanguageDetector:
    return LanguageDetector(DEFAULT_LANGUAGES)


def test_default_set_covers_the_required_languages() -> None:
    required = {"en", "sv", "no", "da", "de", "fr", "es", "it", "nl", "pl", "pt", "ru", "fi", "tr", "ar"}
    assert required <= set(DEFAULT_LANGUAGES)
    assert set(Settings().languages) == set(DEFAULT_LANGUAGES)


@pytest.mark.parametrize(("lang", "title", "text"), REPORTS, ids=[r[0] for r in REPORTS])
def test_invented_reports(detector: LanguageDetector, lang: str, title: str, text: str) -> None:
    assert detector.detect(text) == lang
    assert detector.detect(f"{title}\n{text}") == lang


@pytest.mark.parametrize(("lang", "title", "text"), [r for r in REPORTS if r[0] in ("sv", "da", "no")])
def test_nordic_paragraphs_and_titles_are_told_apart(
    detector: LanguageDetector, lang: str, title: str, text: str
) -> None:
    for paragraph in text.split("\n\n"):
        assert detector.detect(paragraph) == lang, paragraph
    if lang == "sv":  # a Danish and a Norwegian headline can be word for word the same
        assert detector.detect(title) == lang


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Tack för hjälpen i går kväll.", "sv"),
        ("Jag kommer hem i morgon bitti.", "sv"),
        ("Det var en bra dag i Stockholm och solen sken hela tiden.", "sv"),  # no å, ä or ö
        ("Tak for hjælpen i går aftes.", "da"),
        ("Takk for hjelpen i går kveld.", "no"),
        ("Eg kjem heim i morgon tidleg.", "no"),  # Nynorsk counts as Norwegian
    ],
)
def test_short_nordic_sentences(detector: LanguageDetector, text: str, lang: str) -> None:
    assert detector.detect(text) == lang


def test_swedish_seed_is_swedish(detector: LanguageDetector) -> None:
    seeds = shared_file("seeds")
    found = sorted(seeds.glob("003_*.txt"))
    if not found:
        pytest.skip("Swedish seed 003_*.txt not found")
    text = found[0].read_text(encoding="utf-8")
    assert detector.detect(text) == "sv"
    # each paragraph of some length, too: none may be taken for Norwegian or Danish
    for line in text.splitlines():
        if len(line) > 80:
            assert detector.detect(line) == "sv", line


def test_english_seed_is_english(detector: LanguageDetector) -> None:
    found = sorted(shared_file("seeds").glob("000_*.txt"))
    if not found:
        pytest.skip("English seed 000_*.txt not found")
    assert detector.detect(found[0].read_text(encoding="utf-8")) == "en"


@pytest.mark.parametrize("text", ["", "   ", "\n\n", "a", "ok", "12345", "!!! ???", "🙂🙂🙂", "— –", "x1"])
def test_very_short_texts_do_not_crash_and_get_no_language(detector: LanguageDetector, text: str) -> None:
    assert detector.detect(text) is None


@pytest.mark.parametrize("text", ["Hej", "Oui", "Ja!", "Nej.", "USA", "OK OK OK", "Mmm"])
def test_three_letter_texts_do_not_crash(detector: LanguageDetector, text: str) -> None:
    assert detector.detect(text) in (None, *DEFAULT_LANGUAGES)


def test_detection_is_restricted_to_the_configured_set() -> None:
    narrow = LanguageDetector(["en", "de"])
    for _, _, text in REPORTS:
        assert narrow.detect(text) in ("en", "de", None)
    assert narrow.detect(WIRE) == "en"


def test_nordic_set_without_swedish() -> None:
    detector = LanguageDetector(["da", "no", "en"])
    for lang, _, text in REPORTS:
        if lang == "sv":
            assert detector.detect(text) in ("da", "no")


def test_norwegian_aliases() -> None:
    assert LanguageDetector(["nb", "nn", "sv"]).languages == ("no", "sv")
    assert normalize_code("nb") == "no"
    assert normalize_code("nn-NO") == "no"
    assert normalize_code("sv-SE") == "sv"
    assert normalize_code("pt_BR") == "pt"
    assert normalize_code(" EN ") == "en"


def test_stage_keeps_a_given_language_and_normalises_its_tag(models: Models) -> None:
    stage = LanguageStage(models.language_detector)
    sv_text = REPORTS[0][2]
    articles = [
        Article(id="a", text=sv_text, lang="sv-se", lang_given=True),
        Article(id="b", text=sv_text, lang="nb", lang_given=True),  # wrong but given: kept
        Article(id="c", text=sv_text, lang="zh", lang_given=True),  # not configured: detected
        Article(id="d", text=sv_text),
        Article(id="e", text="?!"),
    ]
    stage.run(articles)
    assert [a.lang for a in articles] == ["sv", "no", "sv", "sv", None]
    assert articles[2].extra["lang_given"] == "zh" and not articles[2].lang_given


def test_stage_uses_the_title_too(models: Models) -> None:
    stage = LanguageStage(models.language_detector)
    article = Article(
        id="t", title="Färja fast i packisen utanför Holmsund", text="Bottenvik, Holmsund: 212."
    )
    stage.run([article])
    assert article.lang == "sv"


def test_languages_setting_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BABELWIRE_LANGUAGES", "sv, en ,de")
    assert Settings.from_env().languages == ("sv", "en", "de")


@pytest.mark.parametrize(
    ("name", "lang"),
    [
        ("deu-eng.deu", "de"),
        ("fra-eng.fra", "fr"),
        ("spa-eng.spa", "es"),
        ("rus-eng.rus", "ru"),
        ("deu-eng.eng", "en"),
    ],
)
def test_tatoeba_sentences(detector: LanguageDetector, name: str, lang: str) -> None:
    path = shared_file(f"tatoeba/tatoeba.{name}")
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()][:200]
    correct = sum(detector.detect(line) == lang for line in lines)
    assert correct / len(lines) >= 0.95


def test_shared_data_location_is_next_to_the_repository() -> None:
    assert Path(__file__).resolve().parents[3] / "shared" / "data" == SHARED_DATA

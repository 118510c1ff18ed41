"""Paragraphs and sentences with character offsets: abbreviations per language, dash quotes, headlines."""

from __future__ import annotations

import itertools
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from babelwire.ingest.normalize import clean_text
from babelwire.model import Article
from babelwire.nlp.segment import SegmentStage, paragraph_spans, sentence_spans
from tests.corpus import DE_TEXT, EN_TEXT, REPORTS, SV_TEXT
from tests.helpers import shared_file


def split(text: str, lang: str | None) -> list[str]:
    return [text[s.start : s.end] for s in sentence_spans(text, lang)]


# -- abbreviations, per language ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        # Swedish
        (
            "sv",
            "Det gäller bl.a. färjorna. T.ex. Bottenvik ligger still.",
            ["Det gäller bl.a. färjorna.", "T.ex. Bottenvik ligger still."],
        ),
        (
            "sv",
            "Hon kom t.ex. Vasa i tid. Sedan regnade det.",
            ["Hon kom t.ex. Vasa i tid.", "Sedan regnade det."],
        ),
        (
            "sv",
            "Färjan avgår kl. 9 i morgon. Biljetterna kostar ca. 300 kronor.",
            ["Färjan avgår kl. 9 i morgon.", "Biljetterna kostar ca. 300 kronor."],
        ),
        (
            "sv",
            "– Det var bra, säger hon. Polisen kom sedan.",
            ["– Det var bra, säger hon.", "Polisen kom sedan."],
        ),
        ("sv", "Vi köpte äpplen, päron osv. Det var gott.", ["Vi köpte äpplen, päron osv.", "Det var gott."]),
        # German
        (
            "de",
            "Am 3. Oktober ist Feiertag. Die Geschäfte bleiben zu.",
            ["Am 3. Oktober ist Feiertag.", "Die Geschäfte bleiben zu."],
        ),
        (
            "de",
            "Dr. Lindner sprach u.a. über Busse. Sie kam z.B. pünktlich.",
            ["Dr. Lindner sprach u.a. über Busse.", "Sie kam z.B. pünktlich."],
        ),
        (
            "de",
            "Sie moderieren am Samstag (15. Februar) die Wahl. Danach feiern sie.",
            ["Sie moderieren am Samstag (15. Februar) die Wahl.", "Danach feiern sie."],
        ),
        (
            "de",
            "Der 1. FC Kassel verlor 0:3. Das Spiel war kurz.",
            ["Der 1. FC Kassel verlor 0:3.", "Das Spiel war kurz."],
        ),
        (
            "de",
            "Er wurde Dritter im Rennen und lief als 3. Dann kam der Regen.",
            ["Er wurde Dritter im Rennen und lief als 3.", "Dann kam der Regen."],
        ),
        # English
        (
            "en",
            "The U.S. Coast Guard said so. Then it left.",
            ["The U.S. Coast Guard said so.", "Then it left."],
        ),
        (
            "en",
            "He moved to the U.S. The company followed.",
            ["He moved to the U.S.", "The company followed."],
        ),
        (
            "en",
            "Lt. Andrea Wills and Dr. J. R. Okafor spoke at 5 p.m. on Monday.",
            ["Lt. Andrea Wills and Dr. J. R. Okafor spoke at 5 p.m. on Monday."],
        ),
        (
            "en",
            "VALDORA, Calif. (Wire) - The barrier held. Shops opened.",
            ["VALDORA, Calif. (Wire) - The barrier held.", "Shops opened."],
        ),
        ("en", "Mr. Arvelo spoke. Gov. Lane did not.", ["Mr. Arvelo spoke.", "Gov. Lane did not."]),
        ("en", "Is it over? Yes! It is... Now we wait.", ["Is it over?", "Yes!", "It is...", "Now we wait."]),
        ("en", 'He said: "It is fine." Then he left.', ['He said: "It is fine."', "Then he left."]),
        # French
        ("fr", "M. Girard a parlé. Mme Durand aussi.", ["M. Girard a parlé.", "Mme Durand aussi."]),
        ("fr", "« C'est fini. » Les pompiers sont partis.", ["« C'est fini. »", "Les pompiers sont partis."]),
        # Spanish
        ("es", "Dijo que no. Luego se fue.", ["Dijo que no.", "Luego se fue."]),
        (
            "es",
            "El Sr. Ortega viajó a EE.UU. ayer. ¿Volverá pronto?",
            ["El Sr. Ortega viajó a EE.UU. ayer.", "¿Volverá pronto?"],
        ),
        # Danish and Norwegian
        (
            "da",
            "Den 5. december åbnede badet. Det var f.eks. koldt.",
            ["Den 5. december åbnede badet.", "Det var f.eks. koldt."],
        ),
        (
            "no",
            "Veien åpner 3. desember. Det sier bl.a. kommunen.",
            ["Veien åpner 3. desember.", "Det sier bl.a. kommunen."],
        ),
        # Arabic has no capital letters
        (
            "ar",
            "أعلنت البلدية إغلاق الجسر. وقال المتحدث إن الأعمال ستستمر؟ نعم.",
            ["أعلنت البلدية إغلاق الجسر.", "وقال المتحدث إن الأعمال ستستمر؟", "نعم."],
        ),
    ],
)
def test_abbreviations_and_boundaries(lang: str, text: str, expected: list[str]) -> None:
    assert split(text, lang) == expected


def test_missing_space_after_a_period_still_splits() -> None:
    text = "Los controles están reforzados en la ciudad.Si bien nadie protestó, hubo colas."
    assert split(text, "es") == [
        "Los controles están reforzados en la ciudad.",
        "Si bien nadie protestó, hubo colas.",
    ]
    # but not inside addresses and dotted names
    assert len(split("Skriv till pressestelle.Lippe@kassel.example eller ring.", "sv")) == 1
    assert len(split("Mr.Arvelo spoke at St.Mary Church today.", "en")) == 1


def test_swedish_abbreviation_lists_are_not_applied_to_english() -> None:
    # "hon" is an English abbreviation (Hon.) but a Swedish word (she)
    assert split("Det sa hon. Sedan gick hon hem.", "sv") == ["Det sa hon.", "Sedan gick hon hem."]
    assert split("The Hon. Member spoke.", "en") == ["The Hon. Member spoke."]


# -- lines: dash quotes, headlines, wrapped text ------------------------------------------------


def test_dash_led_quote_lines_are_sentences_of_their_own() -> None:
    text = (
        "Färjan fastnade i isen\n"
        "– Vi har aldrig sett något liknande, säger hamnkaptenen.\n"
        "— Det tar tid, säger en passagerare\n"
        "Rederiet ställer in turerna."
    )
    assert split(text, "sv") == [
        "Färjan fastnade i isen",
        "– Vi har aldrig sett något liknande, säger hamnkaptenen.",
        "— Det tar tid, säger en passagerare",
        "Rederiet ställer in turerna.",
    ]


def test_inline_dash_quote_starts_a_sentence() -> None:
    text = "Isen packades snabbt. – Vi har aldrig sett det, säger Sjöberg."
    assert split(text, "sv") == ["Isen packades snabbt.", "– Vi har aldrig sett det, säger Sjöberg."]


def test_headline_on_its_own_line() -> None:
    text = (
        "Stromausfall in Kassel\nDie Straßenbahnen standen still. Busse fuhren.\n\n"
        "Zwischentitel ohne Punkt\nWeiter geht es."
    )
    assert split(text, "de") == [
        "Stromausfall in Kassel",
        "Die Straßenbahnen standen still.",
        "Busse fuhren.",
        "Zwischentitel ohne Punkt",
        "Weiter geht es.",
    ]


def test_hard_wrapped_lines_do_not_split_a_sentence() -> None:
    # (in a text with blank lines between paragraphs; without any, each line is a paragraph)
    text = "The barrier held back a storm surge of\nnearly three metres on Thursday. Shops opened.\n\nMore."
    assert split(text, "en") == [
        "The barrier held back a storm surge of\nnearly three metres on Thursday.",
        "Shops opened.",
        "More.",
    ]


def test_paragraph_indices_and_spans() -> None:
    article = Article(id="sv", text=SV_TEXT, lang="sv")
    SegmentStage().run([article])
    assert [SV_TEXT[p.start : p.end] for p in article.paragraphs] == SV_TEXT.split("\n\n")
    assert [s.paragraph for s in article.sentences] == [0, 0, 1, 1, 2, 3, 3]
    assert article.sentence_texts()[4].startswith("– Vi har aldrig sett isen")


def test_text_without_blank_lines_has_one_paragraph_per_line() -> None:
    text = "  Rubrik  \nFörsta stycket.\n\nAndra."
    assert [text[p.start : p.end] for p in paragraph_spans("  Rubrik  \nFörsta stycket.")] == [
        "Rubrik",
        "Första stycket.",
    ]
    assert [text[p.start : p.end] for p in paragraph_spans(text)] == ["Rubrik  \nFörsta stycket.", "Andra."]


@pytest.mark.parametrize(("lang", "title", "text"), REPORTS, ids=[r[0] for r in REPORTS])
def test_invented_reports_split_at_every_period(lang: str, title: str, text: str) -> None:
    sentences = split(text, lang)
    assert all(s[-1] in '.!?"”»' for s in sentences), sentences
    assert len(sentences) == {"sv": 7, "da": 6, "no": 6, "de": 6, "fr": 6, "es": 5, "en": 5}[lang]


def test_known_sentences_of_invented_reports() -> None:
    assert (
        "Nach Angaben von Dr. Petra Lindner, der Sprecherin des Unternehmens, "
        "waren rund 40.000 Fahrgäste betroffen." in split(DE_TEXT, "de")
    )
    assert "Die Störung soll bis zum 3. Oktober vollständig behoben sein." in split(DE_TEXT, "de")
    assert split(EN_TEXT, "en")[0].endswith("the U.S. Coast Guard said.")
    assert split(SV_TEXT, "sv")[-1].startswith("Bl.a. påverkas godstrafiken")


def test_empty_and_blank_texts() -> None:
    assert sentence_spans("") == []
    assert sentence_spans(" \n\n \t ") == []
    assert paragraph_spans("") == []
    assert split("Ja", None) == ["Ja"]


# -- invariants (hypothesis) --------------------------------------------------------------------

_ALPHABET = "abcdeåäöøæüßABCDÅÄÖØÆÉ0123456789 .,!?…:;\"'«»„“”()–—-\n\t" + "عربي"
_TOKENS = st.sampled_from(
    [
        "Det",
        "bl.a.",
        "t.ex.",
        "U.S.",
        "Dr.",
        "3.",
        "Oktober",
        "M.",
        "säger",
        "hon.",
        "–",
        "—",
        "\n",
        "\n\n",
        "...",
        "…",
        "?",
        "!",
        "«",
        "»",
        '"',
        "(15.",
        "Februar)",
        "ord",
        "Word.",
        "ok",
        "x.Y",
        "EE.UU.",
        "kl.",
        " ",
        "\t",
        "وقال",
        "الجسر.",
        "A",
        "a.",
        "1.",
        "fc",
        "FC",
    ]
)
_LANGS = st.sampled_from([None, "en", "sv", "da", "no", "de", "fr", "es", "ar", "xx"])


def _check_invariants(text: str, lang: str | None) -> None:
    paragraphs = paragraph_spans(text)
    sentences = sentence_spans(text, lang)
    for spans in (paragraphs, sentences):
        previous_end = 0
        for span in spans:
            assert 0 <= previous_end <= span.start < span.end <= len(text)
            piece = text[span.start : span.end]
            assert piece == piece.strip() and piece
            previous_end = span.end
    # every sentence lies inside the paragraph it names, and indices never go back
    indices = [s.paragraph for s in sentences]
    assert indices == sorted(indices)
    for s in sentences:
        p = paragraphs[s.paragraph]
        assert p.start <= s.start and s.end <= p.end
    # nothing is lost: every non-space character belongs to some sentence
    covered = sum(s.end - s.start for s in sentences)
    gaps = "".join(text[a.end : b.start] for a, b in itertools.pairwise(sentences))
    assert not gaps.strip()
    assert covered + len(gaps) + (sentences[0].start if sentences else 0) <= len(text)
    if sentences:
        assert not text[: sentences[0].start].strip() and not text[sentences[-1].end :].strip()
    else:
        assert not text.strip()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(alphabet=_ALPHABET, max_size=300), lang=_LANGS)
def test_invariants_on_random_characters(text: str, lang: str | None) -> None:
    _check_invariants(text, lang)


@settings(max_examples=300, deadline=None)
@given(tokens=st.lists(_TOKENS, max_size=60), lang=_LANGS)
def test_invariants_on_random_tokens(tokens: list[str], lang: str | None) -> None:
    _check_invariants(" ".join(tokens), lang)


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=200), lang=_LANGS)
def test_invariants_on_any_unicode(text: str, lang: str | None) -> None:
    _check_invariants(text, lang)
    _check_invariants(clean_text(text), lang)


# -- real text from ../shared/data (skipped when absent) ----------------------------------------


def test_swedish_seed_sentences() -> None:
    found = sorted(shared_file("seeds").glob("003_*.txt"))
    if not found:
        pytest.skip("Swedish seed not found")
    text = clean_text(found[0].read_text(encoding="utf-8"))
    sentences = split(text, "sv")
    assert "Beroende av Ryssland" in sentences  # a headline on its own line
    assert any(
        s.startswith("– Om Mongoliet förser Putin") and s.endswith("till Politico.") for s in sentences
    )
    assert "Men som väntat lämnade Putin landet på fri fot under tisdagseftermiddagen." in sentences


@pytest.mark.parametrize("relative", ["ecbplus/dev.jsonl", "semeval2022_t8/dev_articles.jsonl"])
def test_real_corpora_keep_the_invariants(relative: str) -> None:
    path = shared_file(relative)
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()[:150]]
    lengths: list[int] = []
    for row in rows:
        text = clean_text(row["text"])
        _check_invariants(text, row.get("lang"))
        lengths.extend(len(s) for s in split(text, row.get("lang")))
    # no gross errors: sentences neither swallow whole paragraphs nor shatter into fragments
    lengths.sort()
    assert 40 <= lengths[len(lengths) // 2] <= 250
    assert sum(n > 600 for n in lengths) / len(lengths) < 0.02
    assert sum(n < 4 for n in lengths) / len(lengths) < 0.01

"""Direct quotations: marks, dash quotes, speakers, cues, media, and the sample-corpus gold."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import pytest

from babelwire.model import Article, Mention, Quote
from babelwire.nlp.quotes import QuotesStage, find_quotes
from babelwire.nlp.segment import sentence_spans
from tests.helpers import REPO, shared_file

EVENTS = REPO / "src" / "babelwire" / "data" / "sample" / "events"


def quotes_of(text: str, lang: str, mentions: list[Mention] | None = None) -> list[Quote]:
    return find_quotes(text, lang, sentence_spans(text, lang), mentions or [])


def only(text: str, lang: str) -> Quote:
    found = quotes_of(text, lang)
    assert len(found) == 1, found
    return found[0]


def speaker_text(q: Quote) -> str | None:
    return q.speaker.text if q.speaker else None


# ------------------------------------------------------------------------------------------ marks


@pytest.mark.parametrize(
    ("text", "lang", "words", "speaker", "cue"),
    [
        (
            '"The bridge will reopen in May," said Tomas Verhoeven.',
            "en",
            "The bridge will reopen in May",
            "Tomas Verhoeven",
            "said",
        ),
        (
            "“We expect calm seas,” the harbour master Ines Kallio told reporters.",
            "en",
            "We expect calm seas",
            "Ines Kallio",
            "told",
        ),
        (
            "„Wir bleiben wachsam“, sagte Polizeisprecherin Anja Brückner.",
            "de",
            "Wir bleiben wachsam",
            "Anja Brückner",
            "sagte",
        ),
        (
            "« Le musée rouvrira lundi », a déclaré la directrice, Mme Claire Dubreuil.",
            "fr",
            "Le musée rouvrira lundi",
            "Claire Dubreuil",
            "a déclaré",
        ),
        (
            "«Seguimos buscando a los desaparecidos», dijo el alcalde, Andrés Ocaña.",
            "es",
            "Seguimos buscando a los desaparecidos",
            "Andrés Ocaña",
            "dijo",
        ),
        (
            "”Vi har inga fler rum”, säger hotellchefen Maja Lindgren.",
            "sv",
            "Vi har inga fler rum",
            "Maja Lindgren",
            "säger",
        ),
        (
            "»Vi har inga fler rum», säger hotellchefen Maja Lindgren.",
            "sv",
            "Vi har inga fler rum",
            "Maja Lindgren",
            "säger",
        ),
        ("‹Nous verrons demain›, a dit M. Paul Ferrat.", "fr", "Nous verrons demain", "Paul Ferrat", "a dit"),
        ("‚Das reicht nicht‘, sagte Jonas Albers.", "de", "Das reicht nicht", "Jonas Albers", "sagte"),
        ("「We are ready」, said Kenji Aoyama.", "en", "We are ready", "Kenji Aoyama", "said"),
    ],
)
def test_quotation_marks_of_every_style(text: str, lang: str, words: str, speaker: str, cue: str) -> None:
    q = only(text, lang)
    assert q.text == words
    assert text[q.start : q.end] == words
    assert speaker_text(q) == speaker
    assert q.cue == cue
    assert q.speaker is not None and text[q.speaker.start : q.speaker.end] == speaker


def test_swedish_dash_quote_with_medium() -> None:
    text = (
        "Hamnen i Luleå stängdes på tisdagen.\n\n"
        "– Isen kom tidigare än någon trodde, säger hamnchefen Oskar Nilsson till Norrbottens-Kuriren.\n\n"
        "Färjorna står still."
    )
    q = only(text, "sv")
    assert q.text == "Isen kom tidigare än någon trodde"
    assert speaker_text(q) == "Oskar Nilsson"
    assert (q.cue, q.medium) == ("säger", "Norrbottens-Kuriren")
    assert not q.partial


def test_dash_quote_over_several_sentences_and_a_continuation() -> None:
    text = (
        "– Först hördes en smäll. Sedan blev det tyst, säger Karin Ek.\n\n"
        "– Vi sprang ut på gården direkt.\n\n"
        "Polisen kom efter tio minuter."
    )
    first, second = quotes_of(text, "sv")
    assert first.text == "Först hördes en smäll. Sedan blev det tyst"
    assert speaker_text(first) == speaker_text(second) == "Karin Ek"


def test_quote_running_over_paragraphs() -> None:
    text = (
        'Mayor Lena Hartmann said: "The flood barrier held for three days.\n\n'
        '"Without it, the old town would be under water." The council meets on Friday.'
    )
    q = only(text, "en")
    assert q.text.startswith("The flood barrier held") and q.text.endswith("under water.")
    assert speaker_text(q) == "Lena Hartmann"


def test_speaker_before_the_quote_and_partial_quote() -> None:
    text = "The regulator described the merger as “a step too far” in a letter to the company."
    q = only(text, "en")
    assert q.partial
    assert q.cue == "described"
    assert speaker_text(q) == "The regulator"


def test_pronoun_goes_to_the_last_named_person() -> None:
    text = (
        "Fire chief Marta Solberg said crews had worked through the night. “We saved the church,” she said."
    )
    q = only(text, "en")
    assert speaker_text(q) == "Marta Solberg"
    assert not q.partial


def test_pronoun_agrees_in_gender_with_a_title() -> None:
    text = (
        "Mr. Anton Berg, the ferry operator, and Ms. Hanna Lind, the mayor, met on Monday. "
        "Lind called the meeting useful. “We agreed on a timetable,” she said."
    )
    assert speaker_text(only(text, "en")) == "Hanna Lind"


def test_speaker_in_the_next_sentence() -> None:
    text = "The minister spoke for an hour. “Nothing is decided yet.” Said Rolf Andersen."
    q = only(text, "en")
    assert speaker_text(q) == "Rolf Andersen"


def test_organisation_as_speaker_and_it() -> None:
    text = (
        'The Kremlin said it was "not concerned" about the warrant. '
        "The Tribunal issued its ruling in May. "
        'It said there were "serious reasons to doubt" the account.'
    )
    first, second = quotes_of(text, "en")
    assert speaker_text(first) == "Kremlin"
    assert speaker_text(second) == "Tribunal"


def test_role_before_the_name_is_cut_off() -> None:
    text = "“Vi ger inte upp”, säger Röda korsets Sverigechef Lisa Berglund till Sveriges Radio."
    q = only(text, "sv")
    assert speaker_text(q) == "Lisa Berglund"
    assert q.medium == "Sveriges Radio"


def test_said_in_a_statement_and_told_medium() -> None:
    text = (
        '"The strike is over," Janek Wolski, head of the dockers\' union, said in a statement.\n\n'
        '"We won," he told Baltic Wire.'
    )
    first, second = quotes_of(text, "en")
    assert (speaker_text(first), first.cue) == ("Janek Wolski", "said in a statement")
    assert (speaker_text(second), second.medium) == ("Janek Wolski", "Baltic Wire")


def test_german_medium_in_the_dative() -> None:
    text = "„Die Schleuse bleibt zu“, sagte Hafenmeister Uwe Krämer am Montag dem Weserboten."
    q = only(text, "de")
    assert (speaker_text(q), q.medium) == ("Uwe Krämer", "Weserboten")


def test_spanish_subjectless_cue_takes_the_last_person() -> None:
    text = 'La alcaldesa, Rosa Quintero, visitó la zona. "Nadie se quedará sin casa", afirmó.'
    assert speaker_text(only(text, "es")) == "Rosa Quintero"


def test_french_inverted_pronoun() -> None:
    text = "Le préfet, Jean Moreau, était sur place. « La route restera fermée », a-t-il affirmé."
    q = only(text, "fr")
    assert (speaker_text(q), q.cue) == ("Jean Moreau", "a-t-il affirmé")


def test_mention_gives_the_entity_id() -> None:
    text = '"We will rebuild," said Aino Virtanen.'
    start = text.index("Aino")
    mention = Mention("Aino Virtanen", start, start + len("Aino Virtanen"), "PER", entity_id="Q-aino")
    q = quotes_of(text, "en", [mention])[0]
    assert q.speaker is not None and q.speaker.entity_id == "Q-aino"


def test_titles_and_scare_quotes_without_a_cue_are_not_quotes() -> None:
    text = (
        "He appeared on “Morning Report” and the film “The Long Night” was shown. "
        'Critics called it “brave”. The word "hope" was painted on the wall.'
    )
    found = quotes_of(text, "en")
    assert [q.text for q in found] == ["brave"]  # the only one with a cue ("called")


def test_apostrophes_are_not_quotes() -> None:
    assert quotes_of("Clinton’s team and the voters’ choice were in the town’s paper.", "en") == []


def test_stage_fills_article_quotes_and_uses_source_for_self_medium() -> None:
    text = "«No hay heridos», dijo a este diario el capitán Luis Peña."
    article = Article(id="a", text=text, lang="es", source="El Faro Diario")
    article.sentences = sentence_spans(text, "es")
    stage = QuotesStage()
    assert (stage.name, stage.provides) == ("quotes", ("quotes",))
    stage.run([article])
    assert article.quotes[0].medium == "El Faro Diario"
    assert speaker_text(article.quotes[0]) == "Luis Peña"


# ------------------------------------------------------------------------------- sample and seeds


def _normalise(name: str) -> str:
    return re.sub(r"^(dr\.?|mme|m\.|mr\.?|mrs\.?|ms\.?|le|la|el|the)\s+", "", name.lower().strip())


def speaker_right(predicted: str, gold_name: str, gold_text: str) -> bool:
    """Same mention text, a part of the canonical name ("Ferrer"), or its acronym ("ESA")."""
    pred = _normalise(predicted)
    tokens = set(pred.split())
    canonical = _normalise(gold_name)
    acronym = "".join(w[0] for w in gold_name.split() if w[0].isupper())
    return (
        pred == _normalise(gold_text)
        or (bool(tokens) and tokens <= set(canonical.split()))
        or pred == acronym.lower()
    )


def sample_quote_scores() -> tuple[int, int, int]:
    total = found = right = 0
    for path in sorted(EVENTS.glob("*.json")):
        event = json.loads(path.read_text(encoding="utf-8"))
        articles = {a["id"]: a for a in event["articles"]}
        cache: dict[str, list[Quote]] = {}
        for gold in event.get("quotes", []):
            art = articles[gold["article"]]
            if art["id"] not in cache:
                cache[art["id"]] = find_quotes(
                    art["text"], art["lang"], sentence_spans(art["text"], art["lang"]), source=art["source"]
                )
            start = art["text"].find(gold["text"])
            end = start + len(gold["text"])
            total += 1
            hits = [q for q in cache[art["id"]] if q.start < end and start < q.end]
            if hits:
                found += 1
                right += speaker_right(speaker_text(hits[0]) or "", gold["speaker"], gold["speaker_text"])
    return total, found, right


def test_sample_corpus_gold_quotes_are_found_with_their_speakers() -> None:
    total, found, right = sample_quote_scores()
    assert total > 50
    assert found == total, (found, total)  # every gold quote is found ...
    assert right == total, (right, total)  # ... and given to its gold speaker


def test_seeds_amnesty_quotes_in_both_languages() -> None:
    en_text = shared_file("seeds/000_e98fc41edf46a8cd.txt").read_text(encoding="utf-8")
    sv_text = shared_file("seeds/003_70a69d9f9cf78689.txt").read_text(encoding="utf-8")
    en = quotes_of(en_text, "en")
    sv = quotes_of(sv_text, "sv")

    def by_start(found: list[Quote], words: str) -> Quote:
        return next(q for q in found if q.text.startswith(words))

    assert speaker_text(by_start(en, "President Putin is a fugitive")) == "Altantuya Batdorj"
    assert speaker_text(by_start(en, "Any trip to an ICC member state")) == "Altantuya Batdorj"
    assert speaker_text(by_start(en, "Welcoming Putin, an ICC fugitive")) == "Maria Elena Vignoli"
    court = by_start(en, "reasonable grounds to believe")
    assert speaker_text(court) == "ICC" and court.partial
    swedish = by_start(sv, "Om Mongoliet förser Putin")
    assert (speaker_text(swedish), swedish.medium, swedish.cue) == ("Altantuya Batdorj", "Politico", "säger")


def test_quotes_stage_on_an_article_without_sentences() -> None:
    article = Article(id="x", text='"Fine," said Ola Nordmann.', lang="en", published=datetime(2024, 1, 1))
    QuotesStage().run([article])
    assert speaker_text(article.quotes[0]) == "Ola Nordmann"


def test_shared_path_helper_is_usable(tmp_path: Path) -> None:
    assert quotes_of("", "en") == []


def test_speakers_are_found_on_a_huge_single_line() -> None:
    """A huge text on one line (a PDF dump) took minutes: every name rescanned its line and all
    mentions. The bisection that replaced the rescans must find the same speakers: each quote of
    a long line is given to the name before it, with offsets into the text."""
    sentence = 'Mayor Linda Okafor of Leeds said: "The new bridge will open on Monday."'
    count = 300
    text = " ".join([sentence] * count)
    step = len(sentence) + 1
    mentions = [
        Mention(
            name, i * step + sentence.index(name), i * step + sentence.index(name) + len(name), label, eid
        )
        for i in range(count)
        for name, label, eid in (("Linda Okafor", "PER", "e-okafor"), ("Leeds", "LOC", "e-leeds"))
    ]
    quotes = find_quotes(text, "en", sentence_spans(text, "en"), mentions)
    assert len(quotes) == count
    for quote in quotes:
        assert quote.speaker is not None and quote.speaker.entity_id == "e-okafor"
        assert text[quote.speaker.start : quote.speaker.end] == "Linda Okafor"
        assert text[quote.start : quote.end].startswith("The new bridge")

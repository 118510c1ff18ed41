"""Time expressions: per-language normalisation, false positives, event date, sample-corpus gold."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from babelwire.model import Article, TimeExpr
from babelwire.nlp.timex import TimeStage, event_date, find_timexes
from babelwire.nlp.timex_rules import available_languages
from tests.helpers import REPO, shared_file

EVENTS = REPO / "src" / "babelwire" / "data" / "sample" / "events"
# a Tuesday: the reports below are published on 3 September 2024
TUESDAY = datetime(2024, 9, 3, 10, 0)


def one(text: str, lang: str, anchor: datetime | None = TUESDAY) -> TimeExpr:
    found = find_timexes(text, lang, anchor)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "lang", "span", "kind", "value"),
    [
        ("The ferry sank on Monday near the coast.", "en", "on Monday", "DATE", "2024-09-02"),
        ("Prices rose last year, the bank said.", "en", "last year", "DATE", "2023"),
        ("The warrant was issued in March 2023.", "en", "in March 2023", "DATE", "2023-03"),
        ("The talks lasted 18 months before collapsing.", "en", "18 months", "DURATION", "P18M"),
        ("The plant was shut on Monday evening.", "en", "on Monday evening", "TIME", "2024-09-02TEV"),
        ("The strike ended at 4:17 a.m. after a vote.", "en", "at 4:17 a.m.", "TIME", "2024-09-03T04:17"),
        ("Beslutet fattades i mars 2023 av styrelsen.", "sv", "i mars 2023", "DATE", "2023-03"),
        (
            "Presidenten landade på måndagskvällen i huvudstaden.",
            "sv",
            "på måndagskvällen",
            "TIME",
            "2024-09-02TEV",
        ),
        (
            "Han lämnade landet under tisdagseftermiddagen utan att gripas.",
            "sv",
            "under tisdagseftermiddagen",
            "TIME",
            "2024-09-03TAF",
        ),
        ("Bron byggdes om i fjol efter olyckan.", "sv", "i fjol", "DATE", "2023"),
        ("Avtalet skrevs under förra veckan i Visby.", "sv", "förra veckan", "DATE", "2024-W35"),
        ("Tåget stod still i sex timmar.", "sv", "i sex timmar", "DURATION", "PT6H"),
        ("Der Zug entgleiste am Montagabend bei Fulda.", "de", "am Montagabend", "TIME", "2024-09-02TEV"),
        ("Die Brücke wurde im vergangenen Jahr gesperrt.", "de", "im vergangenen Jahr", "DATE", "2023"),
        ("Die Sitzung begann um 9.30 Uhr im Rathaus.", "de", "um 9.30 Uhr", "TIME", "2024-09-03T09:30"),
        ("Le navire a coulé lundi soir au large de Brest.", "fr", "lundi soir", "TIME", "2024-09-02TEV"),
        ("Le musée a fermé l'an dernier pour travaux.", "fr", "l'an dernier", "DATE", "2023"),
        (
            "La tempête a duré près de trois jours sur la côte.",
            "fr",
            "près de trois jours",
            "DURATION",
            "P3D",
        ),
        ("El incendio empezó el pasado lunes en la sierra.", "es", "el pasado lunes", "DATE", "2024-09-02"),
        ("El puerto cerró en julio de 2012 por la huelga.", "es", "en julio de 2012", "DATE", "2012-07"),
        ("Los bomberos llegaron a las 09:47 al lugar.", "es", "a las 09:47", "TIME", "2024-09-03T09:47"),
    ],
)
def test_normalised_against_the_publication_date(
    text: str, lang: str, span: str, kind: str, value: str
) -> None:
    found = [t for t in find_timexes(text, lang, TUESDAY) if span in t.text]  # a preposition may lead
    assert found, find_timexes(text, lang, TUESDAY)
    assert (found[0].type, found[0].value) == (kind, value)
    assert text[found[0].start : found[0].end] == found[0].text


def test_every_issue_language_has_a_resource_file() -> None:
    assert {"en", "sv", "de", "fr", "es"} <= set(available_languages())


def test_weekday_in_a_friday_report_can_be_next_week() -> None:
    friday = datetime(2024, 9, 6)
    assert one("Talks resume on Monday, the union said it will attend.", "en", friday).value == "2024-09-09"
    assert one("Die Schleuse bleibt bis Mittwoch gesperrt.", "de", datetime(2024, 9, 3)).value == "2024-09-04"


def test_time_of_day_takes_the_day_that_follows_it() -> None:
    t = one("The quake struck at 0047 GMT on Wednesday.", "en")
    assert (t.text, t.value) == ("at 0047 GMT on Wednesday", "2024-09-04T00:47")


def test_time_of_day_takes_the_day_named_before_it() -> None:
    found = find_timexes("El fuego empezó el sábado por la tarde, hacia las 15:40.", "es", TUESDAY)
    assert [t.value for t in found] == ["2024-08-31TAF", "2024-08-31T15:40"]


def test_unknown_publication_date_still_finds_relative_expressions() -> None:
    found = find_timexes("The ship left on Monday and returned last year after 18 months.", "en", None)
    assert [(t.text, t.value) for t in found] == [
        ("on Monday", "XXXX-WXX-1"),
        ("last year", "XXXX"),
        ("after 18 months", "P18M"),
    ]


# ------------------------------------------------------------------- days around the publication time

SUNDAY_MORNING = datetime(2024, 9, 1, 8, 10)


def values(text: str, lang: str, anchor: datetime | None = TUESDAY) -> list[tuple[str, str]]:
    return [(t.text, t.value) for t in find_timexes(text, lang, anchor)]


def test_a_past_time_later_than_publication_is_an_earlier_day() -> None:
    # published Tuesday 10:00: firefighters who "arrived at 19:47" did so on an earlier day
    assert one("Los bomberos llegaron a las 19:47 al lugar.", "es").value == "2024-09-02T19:47"
    # ... but not when the clause speaks of the future, nor when the publication time is unknown
    assert one("Los bomberos llegarán a las 19:47 al lugar.", "es").value == "2024-09-03T19:47"
    assert one("Los bomberos llegaron a las 19:47.", "es", datetime(2024, 9, 3)).value == "2024-09-03T19:47"


def test_a_past_time_later_than_publication_goes_back_to_the_day_named_before() -> None:
    text = (
        "El choque del pasado jueves dejó doce heridos, según informó este sábado la prensa. "
        "El accidente ocurrió poco después de las once de la noche."
    )
    saturday = datetime(2024, 9, 7, 11, 0)
    assert values(text, "es", saturday)[-1] == ("poco después de las once de la noche", "2024-09-05T23:00")


def test_the_night_in_a_morning_report_is_the_night_before() -> None:
    assert one("Crews had spent the night defending houses.", "en").value == "2024-09-02TNI"
    evening = datetime(2024, 9, 3, 22, 30)
    assert one("Crews had spent the night defending houses.", "en", evening).value == "2024-09-03TNI"
    assert one("Crews will spend the night defending houses.", "en").value == "2024-09-03TNI"


def test_the_night_after_a_small_hours_time_began_the_day_before() -> None:
    found = values("The quake hit at 0047 GMT on Wednesday. The toll will rise during the night.", "en")
    assert found == [("at 0047 GMT on Wednesday", "2024-09-04T00:47"), ("during the night", "2024-09-03TNI")]


def test_the_morning_after_a_night_is_the_next_day() -> None:
    text = "Le feu a pris samedi soir. « La nuit a été difficile », a-t-il déclaré au petit matin."
    assert values(text, "fr", SUNDAY_MORNING) == [
        ("samedi soir", "2024-08-31TEV"),
        ("La nuit", "2024-08-31TNI"),
        ("au petit matin", "2024-09-01TMO"),
    ]
    # a morning after a day, not a night, stays on that day
    assert values("Le feu a pris samedi. Au petit matin, il a gagné la forêt.", "fr", SUNDAY_MORNING)[-1] == (
        "Au petit matin",
        "2024-08-31TMO",
    )


def test_a_planned_date_named_before_does_not_date_a_past_morning() -> None:
    friday = datetime(2026, 10, 16, 8, 15)
    text = (
        "Die nächste Runde ist für den 27. Oktober angesetzt. Bereits am frühen Morgen warteten 20 Schiffe."
    )
    assert values(text, "de", friday)[-1] == ("am frühen Morgen", "2026-10-16TMO")
    text = "Die nächste Runde ist für den 27. Oktober angesetzt. Am frühen Morgen wird weiter verhandelt."
    assert values(text, "de", friday)[-1] == ("Am frühen Morgen", "2026-10-27TMO")


@pytest.mark.parametrize(
    ("text", "lang", "value"),
    [
        ("Mehr als 40 Nachbeben gab es in der Nacht zu Dienstag.", "de", "2024-09-02TNI"),
        ("Passagerarna sov på hotell natten till tisdagen.", "sv", "2024-09-02TNI"),
        ("Los vecinos durmieron en la calle la madrugada del martes.", "es", "2024-09-03TMO"),
    ],
)
def test_a_night_belongs_to_the_day_it_begins_and_the_small_hours_are_morning(
    text: str, lang: str, value: str
) -> None:
    assert one(text, lang).value == value


def test_la_madrugada_after_a_night_is_the_next_morning() -> None:
    text = (
        "El sismo sacudió la noche del lunes la provincia; hasta la madrugada el balance era de 23 muertos."
    )
    assert values(text, "es")[-1] == ("la madrugada", "2024-09-03TMO")


def test_early_on_a_weekday_is_the_day_but_freitag_frueh_is_the_morning() -> None:
    friday = datetime(2024, 9, 6, 9, 0)
    t = one("Balogh told reporters early on Friday.", "en", friday)  # TimeBank: "early Tuesday" is the day
    assert (t.type, t.value) == ("DATE", "2024-09-06")
    assert one("Seit Freitag früh steht der Hafen still.", "de", friday).value == "2024-09-06TMO"


def test_last_night() -> None:
    assert one("The talks broke down last night.", "en").value == "2024-09-02TNI"


def test_the_tense_of_a_quote_is_not_the_reporting_verb_s() -> None:
    friday = datetime(2024, 9, 6, 14, 0)
    quoted = "\u201cIf everything goes to plan, trains can run again on Monday,\u201d he told the Post."
    assert one(quoted, "en", friday).value == "2024-09-09"
    assert one("The trains ran again on Monday, he told the Post.", "en", friday).value == "2024-09-02"


def test_spanish_hours_in_words() -> None:
    assert one("La réplica llegó a las cinco de la mañana.", "es").value == "2024-09-03T05:00"
    assert one("El pleno se reanudará a las seis de la tarde.", "es").value == "2024-09-03T18:00"


def test_a_number_after_a_decimal_point_is_not_a_day() -> None:
    t = one("Es el sismo más fuerte desde el terremoto de magnitud 7,8 de abril de 2016.", "es")
    assert (t.text, t.value) == ("abril de 2016", "2016-04")
    assert one("El terremoto del 8 de abril de 2016 causó daños.", "es").value == "2016-04-08"


def test_the_current_month_in_a_we_should_statement_is_any_such_month() -> None:
    october = datetime(2026, 10, 25, 13, 0)
    said = "\u201eIm Oktober sollten wir über Pilze reden, nicht über Waldbrände\u201c, sagte sie."
    assert one(said, "de", october).value == "XXXX-10"
    assert one("Im Oktober wurde das Werk geschlossen.", "de", october).value == "2026-10"
    assert one("Im Dezember sollten wir Ergebnisse haben.", "de", october).value == "2026-12"
    assert one("In October we should be picking mushrooms.", "en", october).value == "XXXX-10"


def test_swedish_i_dag_with_a_present_figure_is_present_ref() -> None:
    assert one("Bolaget har i dag omkring 240 anställda.", "sv").value == "PRESENT_REF"
    assert one("Regeringen har i dag beslutat om stödet.", "sv").value == "2024-09-03"
    assert one("Bolaget meddelade i dag 240 uppsägningar.", "sv").value == "2024-09-03"


# ---------------------------------------------------------------------------------- false positives


def test_quarter_of_a_century_is_a_duration_not_a_date() -> None:
    t = one("He has been in power for almost a quarter of a century.", "en")
    assert (t.type, t.value) == ("DURATION", "P25Y")


def test_in_the_18_months_is_a_duration_not_a_date() -> None:
    t = one("It is his first trip abroad in the 18 months since it was issued.", "en")
    assert (t.type, t.value) == ("DURATION", "P18M")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The route crosses a Natura 2000 area where seals breed.", "en"),
        ("Jan Berg and Maria Holm run the ferry company.", "en"),
        ("Officials may announce more aid, she said.", "en"),
        ("Protesters will march through the old town.", "en"),
        ("The museum is in a second-floor gallery.", "en"),
        ("The company sold 2000 tonnes of steel.", "en"),
        ("Die Morgenpost berichtete ausführlich.", "de"),
        ("Den svenska exporten ökade med 12 procent.", "sv"),
        ("Le Mars Café a fermé ses portes.", "fr"),
    ],
)
def test_no_time_expression_in_names_modals_and_quantities(text: str, lang: str) -> None:
    assert find_timexes(text, lang, TUESDAY) == []


def test_german_capitalised_morgen_is_the_morning_not_tomorrow() -> None:
    t = one("Am Morgen war die Straße noch gesperrt.", "de")
    assert t.type == "TIME" and t.value.endswith("TMO")


# ------------------------------------------------------------------------------------- event date


def test_event_date_prefers_the_day_named_most_and_early() -> None:
    text = "The bridge collapsed on Monday. On Monday evening divers searched. Repairs start next week."
    found = find_timexes(text, "en", TUESDAY)
    assert event_date(found, TUESDAY, len(text)) == "2024-09-02"
    assert event_date([], TUESDAY) == "2024-09-03"
    assert event_date([], None) is None


def test_time_stage_sets_timexes_and_event_date() -> None:
    article = Article(id="t", text="Die Fähre sank am Sonntagmorgen vor Rügen.", lang="de", published=TUESDAY)
    stage = TimeStage()
    assert (stage.name, stage.version, stage.provides) == ("time", "1", ("timexes", "event_date"))
    stage.run([article])
    assert [t.value for t in article.timexes] == ["2024-09-01TMO"]
    assert article.event_date == "2024-09-01"


# ------------------------------------------------------------------------------- sample and seeds


def sample_timex_scores() -> tuple[int, int, int]:
    total = found = right = 0
    for path in sorted(EVENTS.glob("*.json")):
        event = json.loads(path.read_text(encoding="utf-8"))
        articles = {a["id"]: a for a in event["articles"]}
        cache: dict[str, list[TimeExpr]] = {}
        for gold in event.get("timexes", []):
            art = articles[gold["article"]]
            if art["id"] not in cache:
                cache[art["id"]] = find_timexes(
                    art["text"], art["lang"], datetime.fromisoformat(art["published"])
                )
            start = art["text"].find(gold["text"])
            end = start + len(gold["text"])
            total += 1
            hits = [t for t in cache[art["id"]] if t.start < end and start < t.end]
            if hits:
                found += 1
                right += any(t.value == gold["value"] for t in hits)
    return total, found, right


def test_sample_corpus_gold_dates_are_found_with_their_values() -> None:
    total, found, right = sample_timex_scores()
    assert total > 100
    assert found == total, (found, total)  # measured: 381 of 381
    assert right == total, (right, total)  # measured: 381 of 381


def test_seeds_time_expressions() -> None:
    en_text = shared_file("seeds/000_e98fc41edf46a8cd.txt").read_text(encoding="utf-8")
    sv_text = shared_file("seeds/003_70a69d9f9cf78689.txt").read_text(encoding="utf-8")
    visit = datetime(2024, 9, 3)
    en = {t.text: t for t in find_timexes(en_text, "en", visit)}
    sv = {t.text: t for t in find_timexes(sv_text, "sv", visit)}
    assert en["on Monday"].value == "2024-09-02"
    assert en["in March 2023"].value == "2023-03"
    assert en["in the 18 months"].type == "DURATION"
    assert en["for almost a quarter of a century"].type == "DURATION"
    assert sv["på måndagskvällen"].value == "2024-09-02TEV"
    assert sv["under tisdagseftermiddagen"].value == "2024-09-03TAF"
    assert sv["i mars 2023"].value == "2023-03"

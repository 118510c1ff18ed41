"""Entity recognition and linking on invented texts (every name and event here is fictional)."""

from __future__ import annotations

import itertools

import pytest

from babelwire.model import Article, Mention
from babelwire.nlp.entities import EntitiesStage, entity_display_name, find_mentions, link_across
from babelwire.nlp.langdata import available_languages
from babelwire.pipeline.stage import Stage
from tests.helpers import article_with_mentions as _article

EN = (
    "Prime Minister Jonas Wexler of Norway met judges of the International Criminal Court (ICC) in Oslo "
    "on Tuesday. Wexler said the court had his full support. Amnesty International welcomed the visit."
)
SV = (
    "Amnestys Sverigechef Karin Wallin kritiserade på onsdagen beslutet. ICC:s åklagare har inte "
    "kommenterat saken, men ICC (Internationella brottmålsdomstolen) väntas svara i veckan, säger Wallin."
)
DE = (
    "Die Ministerpräsidentin Anke Vollrath besuchte am Montag Schweden. In Göteborg traf sie Vertreter "
    "der Europäischen Union, sagte ein Sprecher."
)
ES = "La alcaldesa Lucía Berrocal visitó Valencia el lunes con representantes de la Unión Europea."


def by_text(mentions: list[Mention]) -> dict[str, Mention]:
    return {m.text: m for m in mentions}


def test_stage_follows_the_protocol() -> None:
    stage = EntitiesStage()
    assert isinstance(stage, Stage)
    assert (stage.name, stage.requires, stage.provides) == (
        "entities",
        ("text", "lang", "sentences"),
        ("mentions",),
    )


def test_mentions_are_sorted_non_overlapping_and_typed() -> None:
    article = Article(id="a", text=EN, lang="en")
    EntitiesStage().run([article])
    spans = [(m.start, m.end) for m in article.mentions]
    assert spans == sorted(spans)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
    for m in article.mentions:
        assert EN[m.start : m.end] == m.text
        assert m.label in {"PER", "ORG", "LOC", "MISC"} and m.entity_id


def test_english_linking_titles_acronyms_and_short_forms() -> None:
    mentions = by_text(find_mentions([EN], "en")[0])
    assert mentions["Norway"].entity_id == "LOC:country:NO"
    assert mentions["ICC"].entity_id == mentions["International Criminal Court"].entity_id == "ORG:icc"
    assert mentions["Jonas Wexler"].label == "PER"
    assert mentions["Jonas Wexler"].role == "Prime Minister"
    assert mentions["Wexler"].entity_id == mentions["Jonas Wexler"].entity_id == "PER:jonas-wexler"
    assert mentions["Amnesty International"].entity_id == "ORG:amnesty-international"


def test_swedish_genitives_defined_acronyms_and_stripped_titles() -> None:
    mentions = by_text(find_mentions([SV], "sv")[0])
    assert mentions["Amnestys"].entity_id == "ORG:amnesty-international"
    genitive = [m for m in find_mentions([SV], "sv")[0] if m.start == SV.index("ICC:s")]
    assert genitive and genitive[0].entity_id == "ORG:icc"
    assert mentions["Internationella brottmålsdomstolen"].entity_id == "ORG:icc"
    wallin = mentions["Karin Wallin"]
    assert wallin.label == "PER" and (wallin.role or "").endswith("Sverigechef")
    assert mentions["Wallin"].entity_id == wallin.entity_id


def test_a_sentence_starting_with_the_pronoun_man_names_no_place() -> None:
    text = "Man räknar med fler resenärer i Malmö i år. Man bygger därför ut stationen."
    found = {(m.text, m.label) for m in find_mentions([text], "sv")[0]}
    assert not any(t == "Man" for t, _ in found)  # not the Isle of Man ("Man" in Norwegian)
    assert ("Malmö", "LOC") in found


def test_german_rules_find_titles_countries_cities_and_inflected_bodies() -> None:
    mentions = by_text(find_mentions([DE], "de")[0])
    assert mentions["Anke Vollrath"].label == "PER"
    assert mentions["Anke Vollrath"].role == "Ministerpräsidentin"
    assert mentions["Schweden"].entity_id == "LOC:country:SE"
    assert (mentions["Göteborg"].entity_id or "").startswith("LOC:geo:")
    assert mentions["Europäischen Union"].entity_id == "ORG:eu"
    assert "Montag" not in mentions and "Die" not in mentions


def test_spanish_rules() -> None:
    mentions = by_text(find_mentions([ES], "es")[0])
    assert mentions["Lucía Berrocal"].label == "PER"
    assert mentions["Valencia"].label == "LOC"
    assert mentions["Unión Europea"].entity_id == "ORG:eu"


@pytest.mark.slow  # loads every language's lemmatiser dictionary and the French model
@pytest.mark.parametrize(
    ("lang", "text", "country"),
    [
        ("da", "Statsministeren rejste mandag til Tyskland.", "LOC:country:DE"),
        ("no", "Regjeringen sendte hjelp til Tyskland i går.", "LOC:country:DE"),
        ("nl", "De minister reisde maandag naar Duitsland.", "LOC:country:DE"),
        ("it", "Il ministro è partito lunedì per la Germania.", "LOC:country:DE"),
        ("pt", "O ministro viajou na segunda-feira para a Alemanha.", "LOC:country:DE"),
        (
            "pl",
            "Minister poleciał w poniedziałek do Niemiec, a potem do Francji i Polska odpowiedziała.",
            None,
        ),
        ("fi", "Ministeri matkusti maanantaina Saksaan ja Ranska vastasi.", "LOC:country:FR"),
        ("tr", "Bakan pazartesi günü Almanya ziyaretine gitti.", "LOC:country:DE"),
        ("ru", "Министр в понедельник прилетел в Германия с визитом.", "LOC:country:DE"),
        ("ar", "زار الوزير مصر يوم الاثنين.", "LOC:country:EG"),
        ("fr", "Le ministre s'est rendu lundi en Allemagne.", "LOC:country:DE"),
    ],
)
def test_every_configured_language_gets_entities(lang: str, text: str, country: str | None) -> None:
    assert lang in available_languages()
    mentions = find_mentions([text], lang)[0]
    assert mentions, f"no entity found in {lang}"
    if country is not None:
        assert country in {m.entity_id for m in mentions}


def test_link_across_unifies_short_forms_transliterations_acronyms_and_types() -> None:
    en = _article("en", "en", [
        ("Ukhnaa Khurelsukh", "PER", "PER:ukhnaa-khurelsukh"),
        ("Tsakhiagiin Elbegdorj", "PER", "PER:tsakhiagiin-elbegdorj"),
        ("Orkhon Mining Authority", "ORG", "ORG:orkhon-mining-authority"),
        ("Daria Volkova", "MISC", "MISC:daria-volkova"),
        ("ICC", "ORG", "ORG:icc"),
    ])  # fmt: skip
    sv = _article("sv", "sv", [
        ("Khurelsukh", "PER", "PER:khurelsukh"),
        ("Tsachiagiin Elbegdorj", "PER", "PER:tsachiagiin-elbegdorj"),
        ("OMA", "ORG", "ORG:oma"),
        ("Daria Volkova", "PER", "PER:daria-volkova"),
        ("IMF", "ORG", "ORG:imf"),
    ])  # fmt: skip
    mapping = link_across([en, sv])
    ids = {m.text: m.entity_id for a in (en, sv) for m in a.mentions}
    assert ids["Khurelsukh"] == ids["Ukhnaa Khurelsukh"] == "PER:ukhnaa-khurelsukh"
    assert ids["Tsachiagiin Elbegdorj"] == ids["Tsakhiagiin Elbegdorj"]
    assert ids["OMA"] == "ORG:orkhon-mining-authority"
    assert ids["Daria Volkova"] == "PER:daria-volkova"
    assert all(m.label == "PER" for a in (en, sv) for m in a.mentions if m.text == "Daria Volkova")
    assert ids["ICC"] != ids["IMF"]  # two known bodies are never merged
    assert mapping["PER:khurelsukh"] == "PER:ukhnaa-khurelsukh"


def test_link_across_is_deterministic_under_article_order() -> None:
    def build() -> list[Article]:
        return [
            _article("a", "en", [("Kalamata", "LOC", "LOC:kalamata")]),
            _article("b", "sv", [("Kalamatas", "LOC", "LOC:kalamatas")]),
        ]

    first, second = build(), build()
    link_across(first)
    link_across(list(reversed(second)))
    assert [m.entity_id for a in first for m in a.mentions] == [
        m.entity_id for a in second for m in a.mentions
    ]
    assert first[0].mentions[0].entity_id == first[1].mentions[0].entity_id


def test_entity_display_name() -> None:
    assert entity_display_name("LOC:country:MN", ["Mongoliet"]) == "Mongolia"
    assert entity_display_name("ORG:icc", ["ICC"]) == "International Criminal Court"
    assert entity_display_name("PER:jonas-wexler", ["Wexler", "Jonas Wexler", "Wexler"]) == "Jonas Wexler"
    assert entity_display_name("PER:anna-berg", []) == "Anna Berg"


def test_country_names_with_or_without_accents_and_regions_are_not_countries() -> None:
    from babelwire.nlp.gazetteer import default_gazetteer

    gazetteer = default_gazetteer()
    for name in ("Túnez", "Tunez", "Tunisien", "Tunisia"):  # es (with and without accent), sv, en
        entry = gazetteer.lookup(name)
        assert entry is not None and entry.entity_id == "LOC:country:TN", name
    assert gazetteer.lookup("Tunis").kind == "city"  # type: ignore[union-attr]
    for region in ("Texas", "California"):  # countrynames lists them under the United States
        entry = gazetteer.lookup(region)
        assert entry is None or entry.entity_id != "LOC:country:US", region


def test_acronym_after_a_single_other_word_is_not_that_word() -> None:
    text = "Le projet sera financé par le Mécanisme pour l'interconnexion en Europe (MIE), a dit Paris."
    mentions = find_mentions([text], "fr")[0]
    ids = {m.text: m.entity_id for m in mentions}
    assert "MIE" in ids and ids["MIE"] != ids.get("Europe")
    text = "La Cour pénale internationale (CPI) a réagi."
    ids = {m.text: m.entity_id for m in find_mentions([text], "fr")[0]}
    assert ids["CPI"] == ids["Cour pénale internationale"]


def test_acronym_written_as_a_word_joins_the_body_that_defines_it() -> None:
    # es defines "Agencia Nacional de Ciberdefensa (ANCIDE)"; de writes "kurz ANCIDE" without a
    # definition the linker reads; sv writes the acronym as a word, "Ancide"
    es = _article(
        "es", "es", [("Agencia Nacional de Ciberdefensa", "ORG", "ORG:agencia-nacional-de-ciberdefensa")]
    )
    es.mentions.append(
        Mention(text="ANCIDE", start=0, end=6, label="ORG", entity_id="ORG:agencia-nacional-de-ciberdefensa",
                lemma="Agencia Nacional de Ciberdefensa")
    )  # fmt: skip
    de = _article("de", "de", [("ANCIDE", "ORG", "ORG:ancide")])
    sv = _article("sv", "sv", [("Ancide", "ORG", "ORG:ancide"), ("Tarvamalm", "ORG", "ORG:tarvamalm")])
    link_across([es, de, sv])
    ids = {m.text: m.entity_id for a in (es, de, sv) for m in a.mentions}
    assert ids["Ancide"] == ids["ANCIDE"] == "ORG:agencia-nacional-de-ciberdefensa"
    assert ids["Tarvamalm"] == "ORG:tarvamalm"


def test_regions_link_across_their_names_and_are_not_their_country() -> None:
    from babelwire.nlp.gazetteer import default_gazetteer

    gazetteer = default_gazetteer()
    ids = {gazetteer.lookup(n).entity_id for n in ("Andalusia", "Andalucía", "Andalusien", "Andalousie")}  # type: ignore[union-attr]
    assert ids == {"LOC:andalusia"}  # not Spain, not the small town Andalucía in Colombia
    assert gazetteer.lookup("Niedersachsen").entity_id == gazetteer.lookup("Lower Saxony").entity_id  # type: ignore[union-attr]
    assert gazetteer.lookup("Toscana").entity_id == "LOC:tuscany"  # type: ignore[union-attr]

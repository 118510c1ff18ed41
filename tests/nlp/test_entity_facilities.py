"""Facilities named after their place ("Göteborgs hamn", "port de Marseille") and cognate body names."""

from __future__ import annotations

import pytest

from babelwire.model import Article
from babelwire.nlp.entities import EntitiesStage, link_across
from babelwire.nlp.langdata import language_data
from babelwire.nlp.linking import facility_phrase
from babelwire.nlp.story_linking import translation_key
from tests.helpers import article_with_mentions as _article


def _phrase(text: str, place: str, lang: str) -> str | None:
    start = text.index(place)
    return facility_phrase(text, start, start + len(place), language_data(lang))


@pytest.mark.parametrize(
    ("text", "place", "lang", "expected"),
    [
        ("Fartygen väntar utanför Göteborgs hamn sedan i går.", "Göteborgs", "sv", "Göteborgs hamn"),
        ("Lastbilarna står stilla vid hamnen i Rotterdam.", "Rotterdam", "sv", "hamnen i Rotterdam"),
        ("Trucks queued outside the Gdansk refinery on Monday.", "Gdansk", "en", "Gdansk refinery"),
        ("Les grues du port de Marseille sont à l'arrêt.", "Marseille", "fr", "port de Marseille"),
        ("Les grues du port d'Anvers sont à l'arrêt.", "Anvers", "fr", "port d'Anvers"),
        ("Las grúas del puerto de Valencia siguen paradas.", "Valencia", "es", "puerto de Valencia"),
        # a place with no facility noun against it stays the place
        ("Trucks queued in the port city of Gdansk.", "Gdansk", "en", None),
        ("Les dockers de Marseille sont en grève.", "Marseille", "fr", None),
        ("Hamnarbetarna i Göteborg strejkar.", "Göteborg", "sv", None),
        ("Trucks queued at the Port of Rotterdam.", "Rotterdam", "en", "Port of Rotterdam"),
        # a capitalised noun after the place starts a name of its own
        ("The Rotterdam Port Authority said so.", "Rotterdam", "en", None),
    ],
)
def test_facility_noun_against_a_place(text: str, place: str, lang: str, expected: str | None) -> None:
    assert _phrase(text, place, lang) == expected


def test_facility_phrases_translate_to_one_key() -> None:
    keys = {translation_key(n) for n in ("Göteborgs hamn", "hamnen i Göteborg", "port de Göteborg")}
    assert len(keys) == 1 and None not in keys
    assert translation_key("Gdansk refinery") == translation_key("Refinería Gdansk")
    assert translation_key("Gdansk refinery") != translation_key("port de Gdansk")


def test_a_port_and_its_city_get_two_ids_that_each_language_shares() -> None:
    en = Article(
        id="en",
        lang="en",
        text="Dockers at the Port of Antwerp walked out on Monday. The mayor of Antwerp called for talks.",
    )
    fr = Article(
        id="fr",
        lang="fr",
        text="Les dockers du port d'Anvers ont cessé le travail. Le maire d'Anvers appelle au dialogue.",
    )
    sv = Article(
        id="sv",
        lang="sv",
        text="Hamnarbetarna vid Antwerpens hamn lade ner arbetet. Borgmästaren i Antwerpen vill förhandla.",
    )
    EntitiesStage().run([en, fr, sv])
    link_across([en, fr, sv])

    def id_at(article: Article, text: str) -> str | None:
        start = article.text.index(text)
        hits = [m for m in article.mentions if m.start < start + len(text) and start < m.end]
        assert hits, (article.lang, text, [m.text for m in article.mentions])
        return hits[0].entity_id

    port = {id_at(en, "Port of Antwerp"), id_at(fr, "Anvers ont"), id_at(sv, "Antwerpens hamn")}
    city = {id_at(en, "Antwerp called"), id_at(fr, "Anvers appelle"), id_at(sv, "Antwerpen vill")}
    assert len(port) == 1 and len(city) == 1
    assert port != city


def test_a_one_word_body_joins_the_longer_name_whose_word_is_its_cognate() -> None:
    sv = _article("sv", "sv", [
        ("Statens meteorologiinstitut", "ORG", "ORG:statens-meteorologiinstitut"),
        ("Anna Kristensen", "PER", "PER:anna-kristensen"),
        ("Statens transportkommission", "ORG", "ORG:statens-transportkommission"),
    ])  # fmt: skip
    de = _article("de", "de", [
        ("Meteorologieinstitut", "ORG", "ORG:meteorologieinstitut"),
        ("Kristiansen", "PER", "PER:kristiansen"),
        ("Telekommission", "ORG", "ORG:telekommission"),
    ])  # fmt: skip
    link_across([sv, de])
    ids = {m.text: m.entity_id for a in (sv, de) for m in a.mentions}
    assert ids["Meteorologieinstitut"] == ids["Statens meteorologiinstitut"]
    assert ids["Kristiansen"] != ids["Anna Kristensen"]  # surnames a letter apart are other people
    assert ids["Telekommission"] != ids["Statens transportkommission"]


def _story(societies: list[str], countries: list[str]) -> list[Article]:
    from babelwire.nlp.gazetteer import default_gazetteer, slug

    gazetteer = default_gazetteer()
    en = [(n, "ORG", f"ORG:{slug(n)}") for n in societies]
    en += [(c, "LOC", gazetteer.lookup(c).entity_id) for c in countries]  # type: ignore[union-attr]
    es = [("Cruz Roja", "ORG", gazetteer.lookup("Cruz Roja").entity_id)]  # type: ignore[union-attr]
    return [_article("en", "en", en), _article("es", "es", es)]


def test_the_bare_body_is_the_one_national_society_the_story_names() -> None:
    story = _story(["Chilean Red Cross"], ["Chile"])
    link_across(story)
    ids = {m.text: m.entity_id for a in story for m in a.mentions}
    assert ids["Cruz Roja"] == ids["Chilean Red Cross"] == "ORG:chilean-red-cross"
    # two societies, or none of the story's countries: the bare name stays the international body
    for societies, countries in ((["Chilean Red Cross", "Peruvian Red Cross"], ["Chile", "Peru"]),
                                 (["Chilean Red Cross"], ["Norway"]),
                                 (["Red Cross Hospital"], ["Chile"])):  # fmt: skip
        story = _story(societies, countries)
        link_across(story)
        ids = {m.text: m.entity_id for a in story for m in a.mentions}
        assert ids["Cruz Roja"] == "ORG:red-cross", (societies, countries)


def test_bodies_differing_by_one_word_each_join_when_one_word_is_the_story_country() -> None:
    from babelwire.nlp.gazetteer import default_gazetteer

    def story(es_name: str, fr_name: str, countries: list[str]) -> dict[str, str | None]:
        gazetteer = default_gazetteer()
        es = [(es_name, "ORG", "ORG:es-body")]
        es += [(c, "LOC", gazetteer.lookup(c).entity_id) for c in countries]  # type: ignore[union-attr]
        articles = [_article("es", "es", es), _article("fr", "fr", [(fr_name, "ORG", "ORG:fr-body")])]
        link_across(articles)
        return {m.text: m.entity_id for a in articles for m in a.mentions}

    spanish, french = (
        "Instituto Hidrográfico y Polar de la Marina",
        "Institut hydrographique de la marine péruvienne",
    )
    ids = story(spanish, french, ["Perú"])
    assert ids[spanish] == ids[french]
    assert (
        story(spanish, french, [])[spanish] != story(spanish, french, [])[french]
    )  # "péruvienne" is no country here
    # both words countries of the story: two bodies
    swedish, norwegian = "Swedish Hydrographic Navy Institute", "Norwegian Hydrographic Navy Institute"
    ids = story(swedish, norwegian, ["Sweden", "Norway"])
    assert ids[swedish] != ids[norwegian]

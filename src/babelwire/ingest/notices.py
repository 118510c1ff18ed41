"""Access notices in page text: bot walls, cookie and ad-blocker walls, log-in and newsletter prompts.

A crawler often gets a site's notice instead of its article ("Sorry, we have noticed a large
number of connections from your IP address", "Turn off your ad blocker to read our articles",
"We'll send breaking news alerts to you. Sign up!"), or the article's title followed by such a
notice. The notice says nothing about the event, yet every site of one publisher sends the same
one, so two notices look like one story. Clustering therefore embeds a text without its notice
paragraphs (``without_notices``); a text that is nothing but notices has no content to compare.

A paragraph is a notice when it is short (at most ``MAX_NOTICE_WORDS`` words) and holds one of the
cues below: phrases of these prompts in the languages babelwire reads. News prose that mentions
cookies or a newsletter in passing sits in longer paragraphs and is kept.
"""

from __future__ import annotations

import re

#: Longer paragraphs are prose, whatever words they use.
MAX_NOTICE_WORDS = 60

_CUES = [
    # bot walls: too many requests from your IP address, prove you are not a robot (the reader is
    # addressed: a report about stolen IP addresses is not a notice). "Ihre" only capitalised (the
    # polite "your", not "their"); Spanish "su" is also "his/her/their", so only "tu"
    r"\b(?:your|(?-i:Ihre)|deine|votre|din) IP[- ]?(?:address|Adresse|adresse|adress)\b",
    r"\b(?:votre|ton) adresse IP\b",
    r"\b(?:Twój|Twojego|tu|il tuo) (?:adres\w* IP|dirección IP|indirizzo IP)\b",
    r"\bfrom (?:your|this) IP\b",
    r"\badresu IP,? z którego\b",
    r"\bunusual traffic from\b",
    r"\b(?:solve|complete|enter|type) (?:the |this |a )?captcha\b",
    r"\b(?:you are|you['’]re|i am|i['’]m) not a robot\b",
    r"\b(?:Sie sind|du bist|ich bin) kein Roboter\b",
    r"\b(?:vous n'êtes|vous n’êtes|tu n'es|tu n’es|je ne suis) pas un robot\b",
    r"\b(?:no (?:eres|soy) un robot|(?:du är|jag är) inte en robot)\b",
    r"\b(?:nie jesteś robotem|nie jestem robotem|non sei un robot|robot olmadığınızı)\b",
    r"^\W*access (?:denied|to this page has been denied)\b",
    # scripts and cookies
    r"\b(?:enable|activate|aktivieren Sie|activez|activa|habilita|aktivera|włącz) (?:the )?JavaScript\b",
    r"\bJavaScript (?:is )?(?:disabled|deaktiviert)\b",
    r"\bJavaScript (?:is )?required (?:to|for) (?:view|see|use|read|this)\b",
    r"\b(?:(?:site|website|page|Seite|Webseite|site web|sitio|sajten|webbplatsen|strona|serwis)"
    r" (?:uses|verwendet|nutzt|utilise|utiliza|usa|använder|używa|utilizza))"
    r" (?:\w+ ){0,2}(?:cookies?|kakor|ciasteczek)\b",
    r"\baccept(?: all)? cookies?\b",
    # consent banners: "we use cookies", "by continuing to use this site you agree" (the site speaks
    # to its reader; a report about cookies speaks of sites in the third person)
    r"\b(?:we use|wir (?:verwenden|nutzen|setzen)(?: auf unserer (?:Website|Webseite|Seite|Internetseite))?"
    r"|nous utilisons|(?:utilizamos|usamos)|vi använder|używamy)"
    r" (?:\w+ ){0,3}(?:cookies?|kakor|ciasteczek|plików cookies?)\b"
    # ... to do what, or on which site: "Vi använder hembakade kakor" is a café, not a banner
    r"(?:\s+(?:propias|propios|y de terceros|de terceros))*\s*(?:\(cookies\)\s*)?"
    r"(?:,|\s(?:to|on|for|and|und|um|auf|pour|et|sur|para|y|en|för|och|på|aby)\b)",
    r"\bby (?:continuing to (?:use|browse)|using) (?:this|our) (?:site|website)\b"
    r".{0,40}\byou (?:agree|consent)\b",
    r"\b(?:durch die weitere Nutzung|wenn Sie (?:diese|unsere) (?:Website|Webseite|Seite) weiter nutzen)"
    r"\b.{0,80}\b(?:einverstanden|zu)\b",
    r"\b(?:finden Sie in unserer|lesen Sie unsere) Datenschutzerklärung\b",
    r"\ben poursuivant (?:votre )?navigation\b|\bvous acceptez l['’]utilisation (?:des|de) cookies\b",
    r"\bal (?:continuar|seguir) navegando\b|\baceptas? (?:el uso de )?(?:las )?cookies\b",
    r"\bgenom att (?:fortsätta (?:använda|surfa)|använda (?:webbplatsen|sajten))\b.{0,40}\bgodkänner du\b",
    r"\bkorzystając (?:ze|z) (?:strony|serwisu)\b.{0,60}\bwyrażasz zgodę\b",
    r"\b(?:our|read the|see the) cookies? (?:policy|settings)\b",
    r"\bcookie[- ]?(?:informationen|einstellungen)\b",
    # ad blockers: the reader is asked to turn one off, or told they use one
    r"\b(?:your|turn off|disable|pause|whitelist|wyłącz|wyłączyć)\b.{0,25}"
    r"\b(?:u|ad)[- ]?block(?:er|ers|a|u|era)?\b",
    r"\b(?:Ihren|deinen|einen) Werbeblocker\b|\b(?:votre|un) bloqueur de pub\w*\b",
    r"\b(?:usas|tienes|desactiva|tu) (?:un |el )?bloqueador de anuncios\b",
    r"\b(?:din|stäng av|inaktivera) annonsblockerare\b|\bwyłącz\w* blokowani\w* reklam\b",
    r"\b(?:you are|you['’]re) blocking ads\b",
    # log-in, subscription and registration walls
    r"\bsubscribe (?:today|now)\b|\b(?:subscribe|subscription) to (?:continue|read|keep)\b",
    r"\balready (?:a )?subscriber\b|\balready registered\?",
    r"\b(?:log|sign) in to (?:continue|read|your)\b",
    r"\bonce registered, you can\b",
    r"\bfree articles?\b.{0,40}\b(?:month|limit)\b",
    r"\b(?:jetzt abonnieren|melden Sie sich an|Zugang zum Artikel|PLUS-Artikel|Abonnent(?:en)?-?Vorteil)\b",
    r"\b(?:abonnez-vous|déjà abonné ?\?|connectez-vous pour)",
    r"\b(?:suscríbete|ya eres suscriptor|inicia sesión para)\b",
    r"(?:^|[.!?]\s*)bli prenumerant\b|\bredan prenumerant\?|\blogga in för att\b",
    r"\b(?:zaloguj się|wykup (?:subskrypcję|prenumeratę))\b",
    # newsletter and alert prompts
    r"\bsign up(?: to| for)? (?:(?:our|free|the|daily|weekly) ){0,2}(?:newsletter|e-?mail|alerts)\b",
    r"\bsign up!",
    r"\b(?:get|receive|sign up for|turn on) (?:our |the |free )?(?:breaking )?news alerts\b",
    r"\bnews alerts to you\b|\bemail notifications are (?:only )?sent\b",
    r"\b(?:get|receive|turn on|enable) (?:our )?email notifications\b",
    r"\b(?:Newsletter abonnieren|inscrivez-vous à (?:notre|la) newsletter)\b",
    r"\b(?:suscríbete al boletín|prenumerera på (?:vårt )?nyhetsbrev)\b",
]
_CUE = re.compile("|".join(f"(?:{c})" for c in _CUES), re.IGNORECASE | re.MULTILINE)
_PARAGRAPH = re.compile(r"[^\n]+")
# a sentence ends at . ! ? before a capital, with or without a space ("połączeń.Zauważmy")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s*(?=[\"„«]?[^\W\d_](?<=[A-ZÀ-ÖØ-ÞĀ-Ž]))")


def is_notice(paragraph: str) -> bool:
    """Whether one paragraph (a line) is a site's access notice rather than part of a report.

    A short paragraph is a notice when it holds a cue; a longer one (notices glued into one
    line) when at least half of its sentences, and two or more, do.
    """
    if _CUE.search(paragraph) is None:
        return False
    if len(paragraph.split()) <= MAX_NOTICE_WORDS:
        return True
    sentences = [s for s in _SENTENCE_END.split(paragraph) if s.strip()]
    cued = sum(1 for s in sentences if _CUE.search(s))
    return cued >= 2 and 2 * cued >= len(sentences)


def has_notice_cue(text: str) -> bool:
    """Whether any notice cue occurs in ``text`` (one scan: most reports hold none)."""
    return _CUE.search(text) is not None


#: A line of at most this many words next to a notice is one of its buttons or links ("OK",
#: "Datenschutz", "Accept all"), not part of the report.
MAX_BUTTON_WORDS = 3


def notice_lines(lines: list[str]) -> list[bool]:
    """Which lines are notices, or a notice's buttons: short lines next to a notice (or its buttons).

    A consent banner comes with its buttons and links, each on a line of its own ("OK", "Accept",
    "Datenschutz"); left behind, every page of the site would still share them.
    """
    flags = [bool(line.strip()) and is_notice(line) for line in lines]
    if not any(flags):
        return flags
    filled = [i for i, line in enumerate(lines) if line.strip()]
    changed = True
    while changed:
        changed = False
        for k, i in enumerate(filled):
            if flags[i] or len(lines[i].split()) > MAX_BUTTON_WORDS:
                continue
            neighbours = [filled[j] for j in (k - 1, k + 1) if 0 <= j < len(filled)]
            if any(flags[j] for j in neighbours):
                flags[i] = changed = True
    return flags


def without_notices(text: str) -> str:
    """``text`` with its notice lines (and their buttons) removed; other lines and breaks as they were."""
    if not has_notice_cue(text):
        return text  # the common case: nothing to look at line by line
    lines = text.split("\n")
    kept = [line for line, notice in zip(lines, notice_lines(lines), strict=True) if not notice]
    return re.sub(r"\n(?:[ \t]*\n)+", "\n\n", "\n".join(kept)).strip("\n")


def blank_notices(text: str) -> str:
    """``text`` with its notice lines replaced by spaces: the same length, so offsets still hold."""
    if not has_notice_cue(text):
        return text
    lines = text.split("\n")
    return "\n".join(
        " " * len(line) if notice else line for line, notice in zip(lines, notice_lines(lines), strict=True)
    )


# -- teaser links ----------------------------------------------------------------------------------

#: The link text a feed entry (or a page's teaser) ends with when it carries only the start of an
#: article: "Read more...", "Continue reading →", "Lire la suite", "Weiterlesen", "Läs mer", ...
_TEASER_PHRASES = [
    r"read (?:more|the (?:full|whole|rest of the) (?:story|article|post))",
    r"continue reading(?: the (?:story|article|post))?",
    r"keep reading|full (?:story|article)|more\s*»",
    r"lire (?:la suite|plus|l['’]article)|en savoir plus",
    r"weiterlesen|mehr lesen|mehr erfahren|zum (?:ganzen |vollständigen )?artikel",
    r"läs (?:mer|hela (?:artikeln|texten))|fortsätt läsa",
    r"les (?:mer|hele saken)|læs (?:mere|hele artiklen)",
    r"leer (?:más|mas|la noticia)|(?:seguir|sigue|continuar) leyendo",
    r"continua a leggere|leggi (?:tutto|di più|l['’]articolo)",
    r"czytaj (?:więcej|dalej)|leia mais|continue lendo|ler mais",
]
_TEASER_LINK = re.compile(
    r"[\s\[(«‹<]*\b(?:" + "|".join(_TEASER_PHRASES) + r")(?:\s*[.…»›→>\])\-–—:!]+)*\s*$",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W_]+")
#: Fewer words than this besides the title's, once a teaser link is cut, is no report.
MIN_TEASER_WORDS = 3


def without_teaser_link(text: str) -> tuple[str, str | None]:
    """``text`` without the teaser link text it ends with, and that link text (None if none)."""
    found = _TEASER_LINK.search(text)
    if found is None or not found.group(0).strip():
        return text, None
    return text[: found.start()].rstrip(), found.group(0).strip(" \t\n[(«‹<])")


def is_teaser_only(text: str, title: str = "") -> bool:
    """Whether ``text``, its teaser link cut, has next to nothing besides the words of its title."""
    rest, link = without_teaser_link(text)
    if link is None:
        return False
    title_words = {w.casefold() for w in _WORD.findall(title)}
    words = [w for w in _WORD.findall(rest) if w.casefold() not in title_words]
    return len(words) < MIN_TEASER_WORDS

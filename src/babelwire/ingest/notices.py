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
    # addressed: a report about stolen IP addresses is not a notice)
    r"\b(?:your|Ihre|deine|votre|din) IP[- ]?(?:address|Adresse|adresse|adress)\b",
    r"\b(?:Twój|Twojego|tu|su|il tuo) (?:adres\w* IP|dirección IP|indirizzo IP)\b",
    r"\bfrom (?:your|this) IP\b",
    r"\badresu IP,? z którego\b",
    r"\bunusual traffic\b",
    r"\bcaptcha\b",
    r"\b(?:not a robot|kein Roboter|pas un robot|no (?:eres|soy) un robot|inte en robot)\b",
    r"\b(?:nie jesteś robotem|nie jestem robotem|non sei un robot|robot olmadığınızı)\b",
    r"\baccess (?:denied|to this page has been denied)\b",
    # scripts and cookies
    r"\b(?:enable|activate|aktivieren Sie|activez|activa|habilita|aktivera|włącz) (?:the )?JavaScript\b",
    r"\bJavaScript (?:is )?(?:disabled|required|deaktiviert)\b",
    r"\b(?:uses|use of|accept(?: all)?|verwendet|nutzt|utilise des|utiliza|usa) (?:\w+ ){0,2}cookies?\b",
    r"\b(?:använder|używa|utilizza) (?:\w+ ){0,2}(?:cookies?|kakor|ciasteczek)\b",
    r"\bcookies? (?:policy|settings|informationen|einstellungen)\b",
    # ad blockers
    r"\b(?:u|ad)[- ]?block(?:er|ers|a|u|era)?\b",
    r"\b(?:Werbeblocker|bloqueur de pub\w*|bloqueador de anuncios|annonsblockerare|blokowani\w* reklam)\b",
    r"\bblocking ads\b",
    # log-in, subscription and registration walls
    r"\b(?:subscribe|subscription) (?:today|now|to (?:continue|read|keep))\b",
    r"\balready (?:a )?(?:subscriber|registered)\b",
    r"\b(?:log|sign) in to (?:continue|read|your)\b",
    r"\bonce registered, you can\b",
    r"\bfree articles?\b.{0,40}\b(?:month|limit)\b",
    r"\b(?:jetzt abonnieren|melden Sie sich an|Zugang zum Artikel|PLUS-Artikel|Abonnent(?:en)?-?Vorteil)\b",
    r"\b(?:abonnez-vous|déjà abonné|connectez-vous pour)\b",
    r"\b(?:suscríbete|ya eres suscriptor|inicia sesión para)\b",
    r"\b(?:bli prenumerant|redan prenumerant|logga in för att)\b",
    r"\b(?:zaloguj się|wykup (?:subskrypcję|prenumeratę))\b",
    # newsletter and alert prompts
    r"\bsign up(?: to| for)? (?:(?:our|free|the) )?(?:newsletter|e-?mail|alerts)\b",
    r"\bsign up!",
    r"\b(?:breaking )?news alerts\b",
    r"\bemail notifications\b",
    r"\b(?:Newsletter abonnieren|inscrivez-vous à (?:notre|la) newsletter)\b",
    r"\b(?:suscríbete al boletín|prenumerera på (?:vårt )?nyhetsbrev)\b",
]
_CUE = re.compile("|".join(f"(?:{c})" for c in _CUES), re.IGNORECASE)
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


def without_notices(text: str) -> str:
    """``text`` with its notice lines removed (other lines and paragraph breaks as they were)."""
    if _CUE.search(text) is None:
        return text  # the common case: nothing to look at line by line
    kept = [m.group() for m in _PARAGRAPH.finditer(text) if not is_notice(m.group())]
    return "\n".join(kept)

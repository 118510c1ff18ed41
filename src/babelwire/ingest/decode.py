"""Decode bytes from files and the web into text, or say clearly why they are not text."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from babelwire.errors import InputError

_TEXT_CONTROLS = {9, 10, 12, 13}


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded text, plus a warning when it was not valid UTF-8 and a fallback was used."""

    text: str
    warning: str | None = None


class NotText(ValueError):
    """The bytes are binary or in no encoding we can recognise."""


def looks_binary(data: bytes) -> bool:
    """True for data with NUL bytes or many control characters (images, archives, executables)."""
    sample = data[:8192]
    if not sample:
        return False
    if b"\x00" in sample and not (sample.startswith((b"\xff\xfe", b"\xfe\xff"))):
        return True
    controls = sum(1 for b in sample if b < 32 and b not in _TEXT_CONTROLS)
    return controls / len(sample) > 0.05


def _by_byte_order_mark(data: bytes) -> tuple[bytes, Decoded | None]:
    """``data`` without a UTF-8 byte-order mark, and the text when a UTF-16 one says how to read it."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:], None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data, Decoded(data.decode("utf-16"))
        except UnicodeDecodeError as exc:
            raise NotText(f"invalid UTF-16: {exc.reason} at byte {exc.start}") from exc
    return data, None


def decode_bytes(data: bytes, declared: str | None = None) -> Decoded:
    """Decode as UTF-8 (with or without BOM), the declared charset, UTF-16 by BOM, or a detected one."""
    data, marked = _by_byte_order_mark(data)
    if marked is not None:
        return marked
    if looks_binary(data):
        raise NotText("binary content, not text (NUL or control bytes)")
    try:
        return Decoded(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        utf8_error = f"invalid UTF-8 at byte {exc.start}"
    if declared:
        text = _decode_declared(data, declared)
        if text is not None:
            return Decoded(text, f"{utf8_error}; decoded with the declared charset {declared}")
    # UTF-8 with a few stray bytes (a truncated or spliced file): valid multi-byte sequences
    # almost never occur by chance in legacy 8-bit text, so when they outnumber the bad bytes,
    # replacing the bad bytes loses far less than decoding everything in another charset
    lenient = data.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    valid_multibyte = sum(1 for ch in lenient if ord(ch) > 127) - lenient.count("\ufffd")
    if valid_multibyte >= bad:
        return Decoded(lenient, f"{utf8_error}; {bad} invalid byte sequence(s) replaced with U+FFFD")
    # Windows-1252 first: charset detectors often take short Western text for Central European
    # or other code pages ("på" read as "pĺ"); fall back to detection when it does not look right
    western = _as_western(data)
    if western is not None:
        return Decoded(western, f"{utf8_error}; decoded as cp1252")
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None or best.encoding is None:
        raise NotText(f"{utf8_error} and no other encoding fits")
    try:
        text = data.decode(best.encoding)
    except (LookupError, UnicodeDecodeError) as exc:
        raise NotText(f"{utf8_error} and no other encoding fits") from exc
    return Decoded(text, f"{utf8_error}; decoded as {best.encoding}")


#: How far into a document a ``<meta charset>`` or an XML declaration is looked for.
DECLARATION_BYTES = 4096
_XML_ENCODING = re.compile(rb"""<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9_.:-]+)["']""", re.IGNORECASE)
# <meta charset="iso-8859-2"> and <meta http-equiv="Content-Type" content="text/html; charset=...">
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# a word with Latin next to Cyrillic or Greek letters, or an 8-bit symbol inside a word: the
# marks of text decoded with the wrong single-byte charset ("йtй" for "été", "og³osi³")
_WRONG_CHARSET = re.compile(
    r"[A-Za-z][\u0370-\u03ff\u0400-\u04ff]|[\u0370-\u03ff\u0400-\u04ff][A-Za-z]"
    r"|(?<=[^\W\d_])[¹²³¿ªº¼½¾¦¨´¸¥¤](?=[^\W\d_])|[\x80-\x9f]"
)


def declared_charset(data: bytes) -> str | None:
    """The charset a document declares in its first bytes: an XML declaration's ``encoding`` or
    an HTML ``<meta charset>`` (also the ``http-equiv`` form); None when none or unknown."""
    head = data[:DECLARATION_BYTES]
    found = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    if found is None:
        return None
    name = found.group(1).decode("ascii").lower()
    try:
        codecs.lookup(name)
    except LookupError:
        return None
    return name


def _decode_declared(data: bytes, declared: str) -> str | None:
    """The bytes in the declared charset, or None when it cannot decode them or the result shows
    the declaration lies (a cp1252 page declaring windows-1251 decodes without error)."""
    try:
        name = codecs.lookup(declared).name
    except LookupError:
        return None
    # browsers read a page declared Latin-1 or ASCII as Windows-1252 (its curly quotes and dashes)
    names = ["cp1252", name] if name in ("latin-1", "iso8859-1", "ascii") else [name]
    for candidate in names:
        try:
            text = data.decode(candidate)
        except UnicodeDecodeError:
            continue
        if len(_WRONG_CHARSET.findall(text[:100_000])) <= 2:
            return text
        return None
    return None


def decode_lenient(data: bytes) -> Decoded:
    """Text for the line readers (``process``, ``similarity``, ``eval``): UTF-8, never guessed.

    A UTF-8 byte-order mark is dropped and UTF-16 with a byte-order mark is decoded; bytes that
    are not valid UTF-8 become U+FFFD and the warning says how many and on which line the first
    is. Raises ``NotText`` for binary data (including UTF-16 without a byte-order mark).
    """
    data, marked = _by_byte_order_mark(data)
    if marked is not None:
        return marked
    if looks_binary(data):
        raise NotText("binary content, not text (NUL or control bytes; UTF-16 needs a byte-order mark)")
    try:
        return Decoded(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    return Decoded(
        text,
        f"not valid UTF-8 (first bad byte on line {line}): {bad} invalid byte sequence(s) "
        "replaced with U+FFFD; save the file as UTF-8",
    )


def decode_strict(data: bytes) -> str:
    """UTF-8 (a byte-order mark is dropped) or UTF-16 by its byte-order mark, for gold files.

    Raises ``NotText`` naming the line of the first byte that is not UTF-8.
    """
    decoded = decode_lenient(data)
    if decoded.warning:
        raise NotText(decoded.warning.split(":")[0] + "; save the file as UTF-8")
    return decoded.text


def read_gold_text(path: str | Path) -> str:
    """The text of a gold file (:func:`decode_strict`, CRLF and CR read as LF), or ``InputError``."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read ({exc.strerror})") from exc
    try:
        text = decode_strict(data)
    except NotText as exc:
        raise InputError(str(path), str(exc)) from exc
    # line ends as a file opened in text mode reads them (gold offsets were counted that way)
    return text.replace("\r\n", "\n").replace("\r", "\n")


#: Letters Western European text does not use; common in Turkish (ı ş ğ) or Polish (ł ż ą)
#: text decoded as cp1252 by mistake.
_UNWESTERN = re.compile(r"[ýþðÝÞÐ]|(?<=[^\W\d_])[¹²³¿ªº¼½¾¦¨´¸¥](?=[^\W\d_])")


def _as_western(data: bytes) -> str | None:
    """The bytes as Windows-1252 when that reads like Western European text, else None."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    letters = [ch for ch in text[:100_000] if ch.isalpha()]
    if not letters:
        return text
    foreign = sum(1 for ch in letters if ord(ch) > 127)
    if foreign / len(letters) > 0.2 or len(_UNWESTERN.findall(text[:100_000])) > 2:
        return None  # mostly non-ASCII letters (Cyrillic, Greek, Arabic) or tell-tale symbols
    return text

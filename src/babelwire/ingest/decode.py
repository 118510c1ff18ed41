"""Decode bytes from files and the web into text, or say clearly why they are not text."""

from __future__ import annotations

from dataclasses import dataclass

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


def decode_bytes(data: bytes, declared: str | None = None) -> Decoded:
    """Decode as UTF-8 (with or without BOM), the declared charset, UTF-16 by BOM, or a detected one."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return Decoded(data.decode("utf-16"))
        except UnicodeDecodeError as exc:
            raise NotText(f"invalid UTF-16: {exc.reason} at byte {exc.start}") from exc
    if looks_binary(data):
        raise NotText("binary content, not text (NUL or control bytes)")
    try:
        return Decoded(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        utf8_error = f"invalid UTF-8 at byte {exc.start}"
    if declared:
        try:
            text = data.decode(declared)
            return Decoded(text, f"{utf8_error}; decoded with the declared charset {declared}")
        except (LookupError, UnicodeDecodeError):
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None or best.encoding is None:
        raise NotText(f"{utf8_error} and no other encoding fits")
    try:
        text = data.decode(best.encoding)
    except (LookupError, UnicodeDecodeError) as exc:
        raise NotText(f"{utf8_error} and no other encoding fits") from exc
    return Decoded(text, f"{utf8_error}; decoded as {best.encoding}")

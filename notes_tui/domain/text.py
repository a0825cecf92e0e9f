"""Validation and normalisation of what a therapist types.

One rule set for every entry path (app, CLI, import): what is stored is what was typed, after
NFC normalisation and line-break normalisation, with invisible and control characters that have no
place in clinical text removed. Display surfaces additionally strip terminal controls
(`display_text`). Every error is a `FieldError` whose message reads well next to the field.
"""

from __future__ import annotations

import re
import unicodedata

NAME_MAX = 200
SHORT_MAX = 500
TEXT_MAX = 20_000

# C0 controls except TAB and LF, DEL, C1 controls.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Invisible characters that hide inside names and break search: bidi embeddings, overrides and
# isolates, zero-width space, word joiner, BOM.
_INVISIBLE = re.compile("[\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff]")
# Terminal controls in stored text (ESC sequences keep their printable tail, as in "[2J").
_DISPLAY_STRIP = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b\ufeff]")


class FieldError(ValueError):
    """A value a field cannot take; `field` names it, the message says why in plain words."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def _no_surrogates(field: str, value: str) -> None:
    if any(0xD800 <= ord(c) <= 0xDFFF for c in value):
        raise FieldError(field, "contains an invalid character (a lone surrogate)")


def normalise_lines(value: str) -> str:
    return (
        value.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    )


def clean_multiline(field: str, value: str | None, *, max_length: int = TEXT_MAX) -> str:
    """Free text (complaint, summaries, advice): NFC, LF line breaks, NUL and invisibles removed.

    Escape sequences are kept as typed (they are inert in storage) and stripped on display.
    """
    if value is None:
        return ""
    if not isinstance(value, str):
        raise FieldError(field, "must be text")
    _no_surrogates(field, value)
    text = _INVISIBLE.sub("", normalise_lines(value).replace("\x00", ""))
    # NFC last: a removed character can leave a letter beside its accent ("e", ZWSP, U+0301),
    # and cleaning what was once cleaned must change nothing (a dump imports back unchanged)
    text = unicodedata.normalize("NFC", text)
    if len(text) > max_length:
        raise FieldError(
            field, f"is {len(text):,} characters; the limit is {max_length:,}. Shorten it or split it."
        )
    return text


def clean_line(field: str, value: str | None, *, max_length: int = SHORT_MAX,
               required: bool = False) -> str:
    """A single-line field: no line breaks, no control or invisible characters, trimmed."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise FieldError(field, "must be text")
    _no_surrogates(field, value)
    if any(c in value for c in "\n\r\u2028\u2029"):
        raise FieldError(field, "must be on one line")
    text = _INVISIBLE.sub("", _CONTROL.sub("", value.replace("\t", " "))).strip()
    text = unicodedata.normalize("NFC", text)  # last, as in clean_multiline
    if required and not text:
        raise FieldError(field, "is required")
    if len(text) > max_length:
        raise FieldError(field, f"is {len(text):,} characters; the limit is {max_length:,}")
    return text


def clean_name(value: str | None, field: str = "name") -> str:
    return clean_line(field, value, max_length=NAME_MAX, required=True)


def display_text(value: str | None) -> str:
    """Text for a terminal or PDF: control, bidi and zero-width characters removed."""
    if not value:
        return ""
    return _DISPLAY_STRIP.sub("", normalise_lines(value))


# letters with no Unicode decomposition, spelled out so a slug keeps them: Łódź -> lodz
_NO_DECOMPOSITION = str.maketrans({"Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "Đ": "D", "đ": "d",
                                   "ð": "d", "ß": "ss", "Æ": "AE", "æ": "ae", "Œ": "OE",
                                   "œ": "oe", "ı": "i"})
_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"] + [f"com{i}" for i in range(10)] + [f"lpt{i}" for i in range(10)]
)


def slug(value: str, max_bytes: int = 80) -> str:
    """A file-name-safe slug of any text: ASCII letters, digits and dashes, never empty, never a
    reserved device name, no separators or dots, at most `max_bytes` bytes."""
    folded = unicodedata.normalize("NFKD", value.translate(_NO_DECOMPOSITION))
    ascii_only = folded.encode("ascii", "ignore").decode("ascii").lower()
    s = re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-")
    s = s[:max_bytes].strip("-")
    if not s:
        return "client"
    return f"client-{s}"[:max_bytes] if s.split("-")[0] in _RESERVED else s


def like_pattern(value: str) -> str:
    """A LIKE pattern that matches `value` literally anywhere (escape character: backslash)."""
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def counted(n: int, word: str, plural: str | None = None) -> str:
    """`1 amendment`, `2 amendments`, `0 notes`: a count with its noun in the right number."""
    return f"{n} {word}" if n == 1 else f"{n} {plural or word + 's'}"

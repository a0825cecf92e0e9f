"""User text on its way into a PDF: cleaned, escaped, one Paragraph per line.

ReportLab's `Paragraph` is a markup parser, so every user string is passed through
`xml.sax.saxutils.escape` (never ReportLab's `escapeOnce`, which rewrites "&amp;" typed by a
therapist). Lines are split so that line breaks survive and no single paragraph is long enough
to hit ReportLab's super-linear wrapping cost. ReportLab itself is imported only by `paragraphs`.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any
from xml.sax.saxutils import escape

# C0 except TAB and LF, DEL, C1, bidi embeddings/overrides/isolates, zero-width space, BOM.
_STRIP = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b\ufeff]")
_SPACES = re.compile(r"\s+")

CHUNK = 3000  # the longest line given to one Paragraph
CELL_MAX = 300  # the longest text put in a table cell


def clean_text(s: str | None) -> str:
    """NFC, LF line breaks, control and invisible characters removed.

    A lone surrogate cannot be stored or drawn: it raises ValueError ("invalid character"). The
    message names the position only, never the text (exception messages end up in logs).
    """
    if not s:
        return ""
    for i, c in enumerate(s):
        if 0xD800 <= ord(c) <= 0xDFFF:
            raise ValueError(f"invalid character: lone surrogate U+{ord(c):04X} at position {i}")
    s = unicodedata.normalize("NFC", s)
    s = s.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    return _STRIP.sub("", s)


def one_line(s: str | None) -> str:
    """`clean_text` for single-line places (names, headers): all whitespace runs become a space."""
    return _SPACES.sub(" ", clean_text(s)).strip()


def shorten(s: str, limit: int) -> str:
    """At most `limit` characters, cut at a space when there is one nearby, with an ellipsis."""
    if len(s) <= limit:
        return s
    cut = s.rfind(" ", 0, limit - 1)
    if cut < limit // 2:
        cut = limit - 1
    return s[:cut].rstrip() + "\u2026"


def markup(s: str | None) -> str:
    """One line of user text made safe for a Paragraph (cleaned, whitespace-collapsed, escaped)."""
    return escape(one_line(s))


def split_line(line: str, chunk: int = CHUNK) -> list[str]:
    """Cut an over-long line at spaces (or hard, for a run without spaces) into pieces <= chunk."""
    out = []
    while len(line) > chunk:
        cut = line.rfind(" ", 0, chunk)
        cut = cut if cut > chunk // 2 else chunk
        out.append(line[:cut])
        line = line[cut:].lstrip(" ")
    out.append(line)
    return out


def paragraphs(text: str | None, style: Any, *, chunk: int = CHUNK, prefix: str = "") -> list:
    """Flowables for free text: one Paragraph per line, blank lines as Spacers.

    `prefix` is trusted markup (ours, never user text) put before the first line, e.g. a bold
    label. Leading and trailing blank lines are dropped.
    """
    from reportlab.platypus import Paragraph, Spacer

    lines = clean_text(text).split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    out: list = []
    blank = False
    for line in lines:
        if not line.strip():
            if not blank:  # several blank lines in a row make one gap
                out.append(Spacer(1, style.leading * 0.6))
            blank = True
            continue
        blank = False
        for piece in split_line(line, chunk):
            out.append(Paragraph(prefix + escape(piece), style))
            prefix = ""
    if prefix:  # a label with no text after it
        out.append(Paragraph(prefix, style))
    return out

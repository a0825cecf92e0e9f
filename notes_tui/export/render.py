"""The handout renderer's entry points: `render_handout`, `encrypt_pdf`, `missing_glyphs`.

Imported lazily by `notes_tui.export` (ReportLab and pypdf load only when a PDF is made).
"""

from __future__ import annotations

import io
import unicodedata
from datetime import date

from notes_tui.export.model import HandoutData
from notes_tui.export.pages import Furniture, build_pdf
from notes_tui.export.story import build_story, long_date
from notes_tui.export.styles import stylesheet
from notes_tui.export.text import clean_text, one_line

HANDOUT_TITLE = "Session handout"
HANDOUT_SUBJECT = "What we found and worked on, home care and when to get in touch"


def _made(d: date) -> str:
    return f"Made {long_date(d, weekday=False)}"


def render_handout(data: HandoutData, *, invariant: bool = False) -> bytes:
    """The client's handout as PDF bytes. `invariant=True`: the same input gives the same bytes.

    Raises ValueError ("invalid character ...") for text that cannot be drawn at all (a lone
    surrogate) and `RenderError` (a ValueError) when ReportLab cannot lay the page out; neither
    message contains the note's text.
    """
    styles = stylesheet(data.clinic)
    story = build_story(data, styles)
    name = one_line(data.client_name)
    furniture = Furniture(
        clinic=data.clinic,
        footer_left="Confidential - prepared for " + name if name else "Confidential",
        made_on=data.made_on,
        draft=data.draft,
    )
    return build_pdf(story, furniture, title=HANDOUT_TITLE, subject=HANDOUT_SUBJECT,
                     invariant=invariant, made_text=_made)


def encrypt_pdf(pdf_bytes: bytes, password: str) -> bytes:
    """`pdf_bytes` encrypted with AES-256 (PDF 2.0, revision 6) under `password`.

    ReportLab's own AES-256 writes revision 5, which pypdf cannot open; pypdf's R6 opens in both
    pypdf and qpdf. pypdf needs the `cryptography` package for AES.
    """
    if not password:
        raise ValueError("a password is needed to encrypt the PDF")
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import DependencyError

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes)))
    try:
        writer.encrypt(user_password=password, owner_password=None, algorithm="AES-256")
    except DependencyError as exc:
        raise RuntimeError(
            "PDF encryption needs the 'cryptography' package (pypdf[crypto]); install it "
            "or export without a password"
        ) from exc
    writer.pdf_header = "%PDF-2.0"  # AES-256 revision 6 is defined by PDF 2.0 (ISO 32000-2)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def missing_glyphs(text: str) -> set[str]:
    """Characters of `text` (after cleaning, whitespace ignored) the handout font cannot draw.

    They would print as empty boxes; callers warn and name them. Invisible format characters
    (joiners, variation selectors) are not reported: they have no glyph to miss.
    """
    from notes_tui.export.fonts import char_to_glyph

    cmap = char_to_glyph()
    out = set()
    for c in clean_text(text):
        if c.isspace() or ord(c) in cmap:
            continue
        if _invisible(c):
            continue
        out.add(c)
    return out


def _invisible(c: str) -> bool:
    cp = ord(c)
    return (
        unicodedata.category(c) == "Cf"
        or 0xFE00 <= cp <= 0xFE0F  # variation selectors
        or 0xE0100 <= cp <= 0xE01EF
        or cp == 0x034F  # combining grapheme joiner
    )

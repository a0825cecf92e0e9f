"""The body font: DejaVu Sans, shipped inside the package (see fonts/LICENSE-DejaVu.txt).

The 14 standard PDF fonts cover Latin-1 only and print anything else as black squares, so the
handout embeds a TrueType font with Latin, Greek and Cyrillic. Registration happens once per
process, on first use (never at import). Shaping (uharfbuzz) is not enabled.
"""

from __future__ import annotations

import threading
from pathlib import Path

FAMILY = "NotesSans"
REGULAR = "NotesSans"
BOLD = "NotesSans-Bold"

FONT_DIR = Path(__file__).resolve().parent / "fonts"
_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}

_lock = threading.Lock()
_registered = False


def font_path(name: str) -> Path:
    return FONT_DIR / _FILES[name]


def register_fonts() -> None:
    """Register NotesSans (regular, bold) and its family mapping; safe to call many times."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        for name, file in _FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
        # No oblique face is shipped: italic maps to the upright faces.
        pdfmetrics.registerFontFamily(
            FAMILY, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD
        )
        _registered = True


def char_to_glyph() -> dict[int, int]:
    """The body font's character map (code point -> glyph id)."""
    from reportlab.pdfbase import pdfmetrics

    register_fonts()
    return pdfmetrics.getFont(REGULAR).face.charToGlyph

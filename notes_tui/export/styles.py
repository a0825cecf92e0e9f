"""One StyleSheet1 per document, built from the clinic's accent colour and paper size.

Styles are parent-chained from "Base", so a change of font or size happens in one place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from notes_tui.export.fonts import BOLD, REGULAR, register_fonts
from notes_tui.export.model import Clinic

DEFAULT_ACCENT = "#2E6F95"
TEXT = "#222222"
MUTED = "#5F6B73"
RULE = "#C9D1D6"
_HEX = re.compile(r"#[0-9A-Fa-f]{6}")


def accent_hex(value: str | None) -> str:
    """The clinic's accent colour as "#RRGGBB"; anything else falls back to the default."""
    value = (value or "").strip()
    return value.upper() if _HEX.fullmatch(value) else DEFAULT_ACCENT


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    return tuple(int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]


def luminance(hex_colour: str) -> float:
    """Relative luminance (WCAG) of a "#RRGGBB" colour, 0 (black) .. 1 (white)."""

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(c) for c in _rgb(hex_colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def tint(hex_colour: str, amount: float) -> str:
    """Mix `hex_colour` with white: amount 0 = the colour, 1 = white."""
    r, g, b = (c + (1 - c) * amount for c in _rgb(hex_colour))
    return f"#{round(r * 255):02X}{round(g * 255):02X}{round(b * 255):02X}"


def shade(hex_colour: str, amount: float) -> str:
    """Mix `hex_colour` with black: amount 0 = the colour, 1 = black."""
    r, g, b = (c * (1 - amount) for c in _rgb(hex_colour))
    return f"#{round(r * 255):02X}{round(g * 255):02X}{round(b * 255):02X}"


@dataclass(frozen=True)
class Palette:
    accent: str  # markers, rules, table number column
    on_accent: str  # text drawn on the accent colour
    heading: str  # accent, darkened when too light to read on white
    tint: str  # light background (table header)
    text: str = TEXT
    muted: str = MUTED
    rule: str = RULE


def palette(clinic: Clinic) -> Palette:
    accent = accent_hex(clinic.accent_colour)
    lum = luminance(accent)
    heading = accent
    while luminance(heading) > 0.18:  # keep headings readable on white (contrast >= ~4.5)
        heading = shade(heading, 0.15)
    return Palette(
        accent=accent,
        on_accent="#FFFFFF" if lum < 0.45 else TEXT,
        heading=heading,
        tint=tint(accent, 0.86),
    )


def page_size(clinic: Clinic) -> tuple[float, float]:
    from reportlab.lib.pagesizes import A4, LETTER

    return LETTER if (clinic.paper_size or "").strip().lower() == "letter" else A4


# Page layout in points (1 mm = 2.8346 pt): side margins, and the bands kept for header/footer.
MARGIN_X = 18 * 2.8346
TOP = 28 * 2.8346
BOTTOM = 20 * 2.8346


def frame_width(clinic: Clinic) -> float:
    return page_size(clinic)[0] - 2 * MARGIN_X


def stylesheet(clinic: Clinic) -> Any:
    """The handout's StyleSheet1 (also used by the clinical record)."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_LEFT
    from reportlab.lib.styles import ParagraphStyle, StyleSheet1

    register_fonts()
    pal = palette(clinic)
    text, muted, heading = (colors.HexColor(c) for c in (pal.text, pal.muted, pal.heading))
    ss = StyleSheet1()
    ss.add(
        ParagraphStyle(
            "Base",
            fontName=REGULAR,
            fontSize=10,
            leading=13.5,
            textColor=text,
            alignment=TA_LEFT,
            splitLongWords=1,
            allowWidows=0,
            allowOrphans=0,
        )
    )
    ss.add(ParagraphStyle("Body", parent=ss["Base"], spaceAfter=2))
    ss.add(ParagraphStyle("Small", parent=ss["Base"], fontSize=8.5, leading=11, textColor=muted))
    ss.add(ParagraphStyle("Intro", parent=ss["Small"], spaceAfter=2, keepWithNext=1))
    ss.add(ParagraphStyle("Caption", parent=ss["Small"], spaceBefore=2, spaceAfter=4))
    ss.add(ParagraphStyle("CaptionCentre", parent=ss["Caption"], alignment=TA_CENTER))
    ss.add(
        ParagraphStyle(
            "Title",
            parent=ss["Base"],
            fontName=BOLD,
            fontSize=17,
            leading=21,
            textColor=heading,
            spaceAfter=3,
        )
    )
    ss.add(ParagraphStyle("Subtitle", parent=ss["Base"], textColor=muted, spaceAfter=4))
    ss.add(
        ParagraphStyle(
            "H2",
            parent=ss["Base"],
            fontName=BOLD,
            fontSize=12.5,
            leading=16,
            textColor=heading,
            spaceBefore=10,
            spaceAfter=4,
            keepWithNext=1,
        )
    )
    ss.add(
        ParagraphStyle(
            "H3",
            parent=ss["Base"],
            fontName=BOLD,
            fontSize=10.5,
            leading=14,
            spaceBefore=5,
            spaceAfter=1,
            keepWithNext=1,
        )
    )
    ss.add(ParagraphStyle("Dosage", parent=ss["Base"], textColor=heading, keepWithNext=1))
    ss.add(
        ParagraphStyle(
            "Bullet", parent=ss["Body"], leftIndent=12, bulletIndent=2, bulletFontName=REGULAR
        )
    )
    ss.add(ParagraphStyle("Indented", parent=ss["Body"], leftIndent=12))
    ss.add(ParagraphStyle("Cell", parent=ss["Base"], fontSize=9, leading=11.5))
    ss.add(ParagraphStyle("CellHead", parent=ss["Cell"], fontName=BOLD))
    ss.add(
        ParagraphStyle(
            "CellNumber",
            parent=ss["Cell"],
            fontName=BOLD,
            alignment=TA_CENTER,
            textColor=colors.HexColor(pal.on_accent),
        )
    )
    ss.add(ParagraphStyle("Label", parent=ss["Cell"], fontName=BOLD))
    return ss

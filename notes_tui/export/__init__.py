"""PDF export: plain data in (`HandoutData`, `RecordData`), PDF bytes out.

Importing this package is cheap: ReportLab and pypdf are imported by the wrappers below only when
a PDF is made. Nothing here queries the database; callers build the data.
"""

from __future__ import annotations

from notes_tui.export.model import (
    ChartPoint,
    Clinic,
    Dosage,
    HandoutData,
    PainPoint,
    Practice,
    RecordData,
    RecordNote,
    RecordSection,
    TreatedPoint,
)

__all__ = [
    "ChartPoint",
    "Clinic",
    "Dosage",
    "HandoutData",
    "PainPoint",
    "Practice",
    "RecordData",
    "RecordNote",
    "RecordSection",
    "TreatedPoint",
    "encrypt_pdf",
    "missing_glyphs",
    "render_handout",
    "render_record",
]


def render_handout(data: HandoutData, *, invariant: bool = False) -> bytes:
    """The client's handout as PDF bytes (see `notes_tui.export.render.render_handout`)."""
    from notes_tui.export.render import render_handout as _render

    return _render(data, invariant=invariant)


def render_record(data: RecordData, *, invariant: bool = False) -> bytes:
    """The full clinical record as PDF bytes (see `notes_tui.export.record.render_record`)."""
    from notes_tui.export.record import render_record as _render

    return _render(data, invariant=invariant)


def encrypt_pdf(pdf_bytes: bytes, password: str) -> bytes:
    """AES-256 (revision 6) encryption of finished PDF bytes, with pypdf."""
    from notes_tui.export.render import encrypt_pdf as _encrypt

    return _encrypt(pdf_bytes, password)


def missing_glyphs(text: str) -> set[str]:
    """Characters of `text` the handout font cannot draw (they would print as empty boxes)."""
    from notes_tui.export.render import missing_glyphs as _missing

    return _missing(text)

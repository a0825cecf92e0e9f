"""The full clinical record of one client: a plain multi-page document for the therapist or a
regulator. Same text rules as the handout: every value is cleaned and escaped, one Paragraph per
line, and a long value flows as paragraphs below its label instead of sitting in a table cell.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from notes_tui.export.model import RecordData, RecordSection
from notes_tui.export.pages import Furniture, build_pdf
from notes_tui.export.story import long_date
from notes_tui.export.styles import RULE, frame_width, palette, stylesheet
from notes_tui.export.text import clean_text, markup, one_line, paragraphs, shorten

RECORD_TITLE = "Clinical record"
RECORD_SUBJECT = "Confidential: session notes, amendments and audit trail"
SHORT_VALUE = 600  # characters; longer values leave the table
SHORT_LINES = 8
LABEL_MAX = 120


def _is_short(label: str, value: str) -> bool:
    text = clean_text(value)
    return (
        len(one_line(label)) <= LABEL_MAX
        and len(text) <= SHORT_VALUE
        and text.count("\n") < SHORT_LINES
    )


def pairs(
    lines: tuple[tuple[str, str], ...],
    styles: Any,
    width: float,
    label_width: float = 120.0,
    rule: str = RULE,
) -> list:
    """(label, value) rows: short ones in a two-column table, long ones as flowing paragraphs."""
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    out: list = []
    rows: list = []

    def flush() -> None:
        if not rows:
            return
        table = Table(list(rows), colWidths=[label_width, width - label_width], hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor(rule)),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        out.append(table)
        rows.clear()

    for label, value in lines:
        if _is_short(label, value):
            cell = paragraphs(value, styles["Cell"]) or [Paragraph("\u2014", styles["CellMuted"])]
            rows.append([Paragraph(markup(label), styles["Label"]), cell])
            continue
        flush()
        out += paragraphs(shorten(one_line(label), 2000), styles["LongLabel"])
        out += paragraphs(value, styles["Indented"]) or [Paragraph("\u2014", styles["Indented"])]
    flush()
    return out


def _section(section: RecordSection, styles: Any, width: float, heading_style: str) -> list:
    from reportlab.platypus import Paragraph

    out = [Paragraph(markup(section.heading) or "\u2014", styles[heading_style])]
    out += pairs(section.lines, styles, width)
    return out


def record_story(data: RecordData, styles: Any) -> list:
    from reportlab.platypus import CondPageBreak, Paragraph, Spacer

    width = frame_width(data.clinic)
    name = one_line(data.client_name)
    out: list = [
        Paragraph(RECORD_TITLE, styles["Title"]),
        Paragraph(f"<b>Client:</b> {escape(shorten(name, 2000))}", styles["Body"]),
        Paragraph(f"<b>Made:</b> {long_date(data.made_on, weekday=False)}", styles["Body"]),
        Paragraph(
            "This record contains health information. Keep it confidential.", styles["Small"]
        ),
    ]
    for section in data.client_sections:
        out += _section(section, styles, width, "H2")
    for note in data.notes:
        out += [CondPageBreak(120), Paragraph(markup(note.title) or "Session", styles["H1Note"])]
        for section in note.sections:
            out += _section(section, styles, width, "H3")
        for amendment in note.amendments:
            out += [Spacer(1, 4)]
            out += _section(amendment, styles, width, "H3Amend")
    if data.audit_summary:
        out += [CondPageBreak(120), Paragraph("Audit trail", styles["H2"])]
        out += pairs(data.audit_summary, styles, width, label_width=100.0)
    return out


def _record_styles(data: RecordData) -> Any:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle

    ss = stylesheet(data.clinic)
    pal = palette(data.clinic)
    ss.add(ParagraphStyle("H1Note", parent=ss["H2"], fontSize=13.5, leading=17, spaceBefore=16))
    ss.add(ParagraphStyle("H3Amend", parent=ss["H3"], textColor=colors.HexColor("#8A4B08")))
    ss.add(ParagraphStyle("LongLabel", parent=ss["Label"], spaceBefore=3, keepWithNext=1))
    ss.add(ParagraphStyle("CellMuted", parent=ss["Cell"], textColor=colors.HexColor(pal.muted)))
    return ss


def render_record(data: RecordData, *, invariant: bool = False) -> bytes:
    """The clinical record as PDF bytes (not encrypted; see `encrypt_pdf`)."""
    styles = _record_styles(data)
    story = record_story(data, styles)
    name = one_line(data.client_name)
    furniture = Furniture(
        clinic=data.clinic,
        footer_left="Confidential clinical record of " + name if name else "Confidential",
        made_on=data.made_on,
        header_right="Clinical record",
    )
    return build_pdf(
        story,
        furniture,
        title=RECORD_TITLE,
        subject=RECORD_SUBJECT,
        invariant=invariant,
        made_text=lambda d: f"Made {long_date(d, weekday=False)}",
    )

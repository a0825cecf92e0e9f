"""The handout's content as flowables: a pure function of `HandoutData` (no I/O).

Every user string is cleaned (`text.one_line`, `text.paragraphs`) and escaped before it reaches a
Paragraph; the only markup in the output is ours. Free text never sits in a table cell
beyond `CELL_MAX` characters: longer values are shortened in the table and printed in full below.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from xml.sax.saxutils import escape

from notes_tui.export.body_chart import body_chart, head_chart, split_head_and_neck
from notes_tui.export.model import HandoutData
from notes_tui.export.progress_chart import progress_chart
from notes_tui.export.sections import POINT_COLUMNS, Line, Section, client_sections, pain_line
from notes_tui.export.styles import Palette, frame_width, palette
from notes_tui.export.text import CELL_MAX, one_line, paragraphs, shorten, split_line

__all__ = ["build_story", "long_date", "pain_line"]  # pain_line: re-exported from sections

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# fmt: off
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")
# fmt: on


def long_date(d: date, weekday: bool = True) -> str:
    """The date as in "Tuesday 25 November 2026" (English, whatever the process locale)."""
    text = f"{d.day} {_MONTHS[d.month - 1]} {d.year}"
    return f"{_DAYS[d.weekday()]} {text}" if weekday else text


def build_story(data: HandoutData, styles: Any) -> list:
    """The session, then every client section (`sections.client_sections`) in order."""
    pal = palette(data.clinic)
    width = frame_width(data.clinic)
    story: list = _session(data, styles)
    for section in client_sections(data):
        if section.key == "worked_on":
            story += _worked_on(section, styles, pal, width)
        elif section.key == "progress":
            story += _progress(section, data, styles, pal, width)
        else:
            story += [_heading(section.heading, styles)]
            story += [f for line in section.lines for f in _line(line, styles)]
    if data.clinic.log_page:
        story += _log_page(data, styles, pal, width)
    return story


LOG_COLUMNS = ("Day", "Pain (0-10)", "Home care: what I did", "How I felt, anything to tell")


def _log_page(data: HandoutData, styles: Any, pal: Palette, width: float) -> list:
    """The last page: a table for the client to fill in each day until the next visit (the
    seed's log), the home care named above it, so the next visit starts from what they wrote."""
    from datetime import timedelta

    from reportlab.lib import colors
    from reportlab.platypus import PageBreak, Paragraph, Table, TableStyle

    first = data.session_date
    asked = ("Each day, write down your pain (0 is none, 10 the worst you can imagine), what "
             "you did of your home care, and how you felt. The first row is for how you felt "
             "after today's session. Bring this page to your next visit"
             + (f": {one_line(data.next_visit)}." if data.next_visit else "."))
    out = [PageBreak(), _heading("Your log until next time", styles),
           Paragraph(escape(asked), styles["Body"])]
    care = [one_line(h.title) + (f" ({one_line(h.dosage.text())})" if h.dosage.text() else "")
            for h in data.home_care if not h.to_confirm]
    if care:
        out.append(Paragraph("<b>Your home care:</b> " + escape("; ".join(care)),
                             styles["Body"]))
    out.append(_spacer(6))
    rows = [[Paragraph(escape(c), styles["CellHead"]) for c in LOG_COLUMNS]]
    for i in range(data.log_days + 1):
        day = first + timedelta(days=i)
        label = "Today, after the session" if i == 0 else (
            f"{_DAYS[day.weekday()][:3]} {day.day} {_MONTHS[day.month - 1][:3]}")
        rows.append([Paragraph(escape(label), styles["Cell"]), "", "", ""])
    table = Table(rows, colWidths=[width * 0.2, width * 0.13, width * 0.32, width * 0.35],
                  rowHeights=[None] + [30] * (len(rows) - 1), repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(pal.tint)),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor(pal.rule)),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
    ]))
    return [*out, table]


def _heading(text: str, styles: Any) -> Any:
    from reportlab.platypus import Paragraph

    return Paragraph(escape(text), styles["H2"])


def _session(data: HandoutData, styles: Any) -> list:
    from reportlab.platypus import Paragraph

    name = one_line(data.client_name)
    facts = [long_date(data.session_date)]
    time = one_line(data.session_time)
    if time:
        facts[0] += f" at {time}"
    if data.duration_minutes and data.duration_minutes > 0:
        facts.append(f"{data.duration_minutes} minutes")
    if one_line(data.technique):
        facts.append(one_line(data.technique))
    out = [Paragraph("Notes from your session", styles["Title"])]
    if name:
        out += _labelled("For", name, styles["Body"])
    session = "  \u00b7  ".join(facts)
    out += _labelled("Session", session, styles["Body"])
    if data.updated_on is not None:
        out += _labelled("Updated", f"{long_date(data.updated_on)}: this handout includes a "
                         "correction made after your session and replaces any earlier copy",
                         styles["Body"])
    return out


def _chunks(line: str) -> list[str]:
    """One line of already-cleaned text as escaped pieces short enough for one Paragraph each."""
    return [escape(piece) for piece in split_line(line)]


def _labelled(label: str, line: str, style: Any) -> list:
    """`line` (cleaned, one line) after a bold label of ours, in as many Paragraphs as needed."""
    from reportlab.platypus import Paragraph

    pieces = _chunks(line)
    return [Paragraph(f"<b>{escape(label)}:</b> {pieces[0]}", style)] + [
        Paragraph(p, style) for p in pieces[1:]
    ]


def _bullets(items: Any, styles: Any) -> list:
    from reportlab.platypus import Paragraph

    out = []
    for item in items:
        pieces = _chunks(one_line(item))
        if not pieces or not pieces[0]:
            continue
        out.append(Paragraph(pieces[0], styles["Bullet"], bulletText="\u2022"))
        out += [Paragraph(p, styles["Bullet"]) for p in pieces[1:]]
    return out


def _line(line: Line, styles: Any) -> list:
    """The flowables of one line of a section (every user string escaped)."""
    from reportlab.platypus import Paragraph

    kind = line.kind
    if kind == "para":
        return paragraphs(line.text, styles["Body"])
    if kind == "bullet":
        return _bullets((line.text,), styles)
    if kind == "labelled":
        return _labelled(line.label, line.text, styles["Body"])
    style = {"sub": "H3", "title": "H3", "dose": "Dosage", "intro": "Intro", "small": "Small",
             "caption": "CaptionCentre"}[kind]
    return [Paragraph(p, styles[style]) for p in _chunks(line.text)]


def _cell(text: str, style: Any, limit: int = CELL_MAX) -> Any:
    from reportlab.platypus import Paragraph

    return Paragraph(escape(shorten(one_line(text), limit)), style)


def _worked_on(section: Section, styles: Any, pal: Palette, width: float) -> list:
    from reportlab.lib import colors
    from reportlab.platypus import CondPageBreak, Paragraph, Table, TableStyle

    # the work by region first (bullets, then the points' sub-heading), in the section's order
    regions = [f for line in section.lines if line.kind in ("bullet", "sub")
               for f in _line(line, styles)]
    if not any(line.kind == "point" for line in section.lines):  # no trigger point this time
        return [CondPageBreak(80), _heading(section.heading, styles), *regions]
    rows = [[Paragraph(escape(c), styles["CellHead"]) for c in POINT_COLUMNS]]
    longer: list = []
    for line in section.lines:
        if line.kind != "point":
            continue
        number, *cells = line.cells
        rows.append([Paragraph(escape(number), styles["CellNumber"]),
                     *(_cell(c, styles["Cell"]) for c in cells)])
        for label, value in zip(POINT_COLUMNS[1:], cells, strict=True):
            if len(value) > CELL_MAX:
                prefix = f"<b>{escape(number)}. {escape(label)}:</b> "
                longer += paragraphs(value, styles["Body"], prefix=prefix)
    number_w = 24
    rest = width - number_w
    widths = [number_w, rest * 0.25, rest * 0.12, rest * 0.33, rest * 0.30]
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(pal.tint)),
                ("BACKGROUND", (0, 1), (0, -1), colors.HexColor(pal.accent)),
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.HexColor(pal.rule)),
                ("LINEABOVE", (0, 0), (-1, 0), 0.5, colors.HexColor(pal.rule)),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    said = [f for line in section.lines if line.kind == "small" for f in _line(line, styles)]
    out = [
        CondPageBreak(120),  # heading, header row and a few rows together; then the table splits
        _heading(section.heading, styles),
        *regions,
        *said,
        _spacer(2),
        table,
    ]
    if longer:
        out += [Paragraph("In full", styles["H3"]), *longer]
    for line in section.lines:
        if line.kind == "chart":
            # head, face, jaw and neck points get their own close-up (on the standing figure
            # they sit on top of each other); the body chart shows the rest, if any
            head, body = split_head_and_neck(section.points)
            if head:
                close = head_chart(head, min(width, 480.0), accent=pal.accent,
                                   on_accent=pal.on_accent)
                close.hAlign = "CENTER"
                out += [_spacer(8), close]
            if body:
                chart = body_chart(body, min(width, 300.0), figure_height=155.0,
                                   accent=pal.accent, on_accent=pal.on_accent)
                chart.hAlign = "CENTER"
                out += [_spacer(8), chart]
        elif line.kind == "caption":
            out += _line(line, styles)
    return out


def _spacer(h: float) -> Any:
    from reportlab.platypus import Spacer

    return Spacer(1, h)


def _progress(section: Section, data: HandoutData, styles: Any, pal: Palette,
              width: float) -> list:
    from reportlab.platypus import KeepTogether

    # the goals and the measures, each under its sub-heading, in the section's order
    measures = [f for line in section.lines if line.kind in ("bullet", "sub")
                for f in _line(line, styles)]
    said = [f for line in section.lines if line.kind == "small" for f in _line(line, styles)]
    if not any(line.kind == "chart" for line in section.lines):
        return [KeepTogether([_heading(section.heading, styles), *measures])]
    chart = progress_chart(data.progress, min(width, 420.0), 88.0, accent=pal.accent)
    chart.hAlign = "LEFT"
    return [KeepTogether([_heading(section.heading, styles), *measures, *said, _spacer(4),
                          chart])]

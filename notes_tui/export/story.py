"""The handout's content as flowables: a pure function of `HandoutData` (no I/O).

Every user string is cleaned (`text.one_line`, `text.paragraphs`) and escaped before it reaches a
Paragraph; the only markup in the output is ours. Free text never sits in a table cell
beyond `CELL_MAX` characters: longer values are shortened in the table and printed in full below.
"""

from __future__ import annotations

from datetime import date
from xml.sax.saxutils import escape

from notes_tui.export.body_chart import body_chart
from notes_tui.export.model import HandoutData, Practice, TreatedPoint
from notes_tui.export.progress_chart import has_chart, progress_chart
from notes_tui.export.styles import Palette, frame_width, palette
from notes_tui.export.text import CELL_MAX, one_line, paragraphs, shorten, split_line

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# fmt: off
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")
# fmt: on
SIDES = {"left": "Left", "right": "Right", "bilateral": "Both sides"}


def long_date(d: date, weekday: bool = True) -> str:
    """The date as in "Tuesday 25 November 2026" (English, whatever the process locale)."""
    text = f"{d.day} {_MONTHS[d.month - 1]} {d.year}"
    return f"{_DAYS[d.weekday()]} {text}" if weekday else text


def pain_line(before: int | None, after: int | None) -> str:
    """The pain scores as in "Pain before: 6/10 → after: 3/10"; one side when one is missing."""
    if before is not None and after is not None:
        return f"Pain before: {before}/10 \u2192 after: {after}/10"
    if before is not None:
        return f"Pain before: {before}/10"
    if after is not None:
        return f"Pain after: {after}/10"
    return ""


def build_story(data: HandoutData, styles) -> list:
    """All sections in order; a section with nothing to say is left out ("Your plan" stays)."""
    pal = palette(data.clinic)
    width = frame_width(data.clinic)
    story: list = []
    story += _session(data, styles)
    story += _found(data, styles)
    story += _worked_on(data.treated_points, styles, pal, width)
    story += _movements(data, styles)
    story += _plan(data, styles)
    story += _progress(data, styles, pal, width)
    return story


def _heading(text: str, styles):
    from reportlab.platypus import Paragraph

    return Paragraph(escape(text), styles["H2"])


def _session(data: HandoutData, styles) -> list:
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
    return out


def _chunks(line: str) -> list[str]:
    """One line of already-cleaned text as escaped pieces short enough for one Paragraph each."""
    return [escape(piece) for piece in split_line(line)]


def _labelled(label: str, line: str, style) -> list:
    """`line` (cleaned, one line) after a bold label of ours, in as many Paragraphs as needed."""
    from reportlab.platypus import Paragraph

    pieces = _chunks(line)
    return [Paragraph(f"<b>{escape(label)}:</b> {pieces[0]}", style)] + [
        Paragraph(p, style) for p in pieces[1:]
    ]


def _bullets(items, styles) -> list:
    from reportlab.platypus import Paragraph

    out = []
    for item in items:
        pieces = _chunks(one_line(item))
        if not pieces or not pieces[0]:
            continue
        out.append(Paragraph(pieces[0], styles["Bullet"], bulletText="\u2022"))
        out += [Paragraph(p, styles["Bullet"]) for p in pieces[1:]]
    return out


def _found(data: HandoutData, styles) -> list:
    from reportlab.platypus import Paragraph

    body = paragraphs(data.client_summary, styles["Body"])
    posture = _bullets(data.posture_findings, styles)
    pain = pain_line(data.pain_before, data.pain_after)
    if not (body or posture or pain):
        return []
    out = [_heading("What we found", styles), *body]
    if posture:
        out += [Paragraph("Your posture", styles["H3"]), *posture]
    if pain:
        out += [
            Paragraph(escape(pain), styles["H3"]),
            Paragraph("0 means no pain; 10 is the worst pain you can imagine.", styles["Small"]),
        ]
    return out


def _cell(text: str, style, limit: int = CELL_MAX):
    from reportlab.platypus import Paragraph

    return Paragraph(escape(shorten(one_line(text), limit)), style)


_COLUMNS = (
    ("Muscle", "muscle_plain"),
    ("May send pain to", "refers_to"),
    ("How it responded", "response"),
)


def _worked_on(points: tuple[TreatedPoint, ...], styles, pal: Palette, width: float) -> list:
    from reportlab.lib import colors
    from reportlab.platypus import CondPageBreak, Paragraph, Table, TableStyle

    if not points:
        return []
    head = [
        Paragraph("#", styles["CellHead"]),
        Paragraph("Muscle", styles["CellHead"]),
        Paragraph("Side", styles["CellHead"]),
        Paragraph("May send pain to", styles["CellHead"]),
        Paragraph("How it responded", styles["CellHead"]),
    ]
    rows = [head]
    longer: list = []
    for p in points:
        rows.append(
            [
                Paragraph(str(p.number), styles["CellNumber"]),
                _cell(p.muscle_plain, styles["Cell"]),
                Paragraph(SIDES.get(p.side, escape(one_line(p.side))), styles["Cell"]),
                _cell(p.refers_to, styles["Cell"]),
                _cell(p.response, styles["Cell"]),
            ]
        )
        for label, attr in _COLUMNS:
            value = getattr(p, attr)
            if len(one_line(value)) > CELL_MAX:
                prefix = f"<b>{p.number}. {escape(label)}:</b> "
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
    charted = any(p.charts for p in points)
    out = [
        CondPageBreak(120),  # heading, header row and a few rows together; then the table splits
        _heading("What we worked on", styles),
        *([Paragraph("The numbers match the markers on the body chart.", styles["Small"])]
          if charted else []),
        _spacer(2),
        table,
    ]
    if longer:
        out += [Paragraph("In full", styles["H3"]), *longer]
    if charted:
        chart_w = min(width, 300.0)
        chart = body_chart(
            points, chart_w, figure_height=155.0, accent=pal.accent, on_accent=pal.on_accent
        )
        chart.hAlign = "CENTER"
        out += [
            _spacer(8),
            chart,
            Paragraph("L is your left side and R is your right side.", styles["CaptionCentre"]),
        ]
    return out


def _spacer(h: float):
    from reportlab.platypus import Spacer

    return Spacer(1, h)


def _practice(item: Practice, styles) -> list:
    from reportlab.platypus import Paragraph

    out = []
    title = one_line(item.title)
    if title:
        out += [Paragraph(p, styles["H3"]) for p in _chunks(title)]
    dose = one_line(item.dosage.text())
    if dose:
        out += [Paragraph(p, styles["Dosage"]) for p in _chunks(dose)]
    out += paragraphs(item.instructions, styles["Body"])
    return out


def _movements(data: HandoutData, styles) -> list:
    from reportlab.platypus import Paragraph

    cues = [f for item in data.movement_cues for f in _practice(item, styles)]
    care = [f for item in data.home_care for f in _practice(item, styles)]
    # Two sections, each only when it has something: what we did together on the table (some
    # of it needs the therapist's hand, so it is not offered as homework), and what to do at
    # home. One heading over both left "Movements to practise" empty above "At home" when
    # there were no cues, and offered "push against my hand" as practice.
    out = []
    if cues:
        out += [
            _heading("Movements from your session", styles),
            Paragraph("We did these together on the table.", styles["Intro"]),
            *cues,
        ]
    if care:
        out += [
            _heading("At home", styles),
            Paragraph(
                "Go gently: a stretch should feel like a stretch, not pain.", styles["Intro"]
            ),
            *care,
        ]
    return out


def _plan(data: HandoutData, styles) -> list:
    from reportlab.platypus import Paragraph

    out = [_heading("Your plan", styles)]
    next_visit = one_line(data.next_visit)
    if next_visit:
        out += _labelled("Next visit", next_visit, styles["Body"])
    for title, value in (("Advice", data.advice), ("What to expect", data.what_to_expect)):
        body = paragraphs(value, styles["Body"])
        if body:
            out += [Paragraph(title, styles["H3"]), *body]
    contact = paragraphs(data.when_to_contact, styles["Body"])
    if not contact:
        how = " or ".join(
            x for x in (one_line(data.clinic.phone), one_line(data.clinic.email)) if x
        )
        default = "If anything worries you after this session, get in touch with us"
        contact = [Paragraph(escape(default + (f" ({how})." if how else ".")), styles["Body"])]
    out += [Paragraph("When to get in touch", styles["H3"]), *contact]
    referral = paragraphs(data.referral, styles["Body"])
    if referral:
        out += [Paragraph("Other care we suggest", styles["H3"]), *referral]
    return out


def _progress(data: HandoutData, styles, pal: Palette, width: float) -> list:
    from reportlab.platypus import KeepTogether, Paragraph

    if not has_chart(data.progress):
        return []
    chart = progress_chart(data.progress, min(width, 420.0), 88.0, accent=pal.accent)
    chart.hAlign = "LEFT"
    caption = "Your pain score (0 = no pain, 10 = the worst) before and after each session."
    return [
        KeepTogether(
            [
                _heading("Your progress", styles),
                Paragraph(caption, styles["Small"]),
                _spacer(4),
                chart,
            ]
        )
    ]

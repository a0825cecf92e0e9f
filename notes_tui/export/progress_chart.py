"""A small line chart of pain before and after each finalized session (0-10), drawn by hand.

Drawn with plain shapes rather than `LinePlot` so that a missing score simply breaks the line.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from notes_tui.export.model import PainPoint

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def short_date(d: date, with_year: bool) -> str:
    return f"{d.day} {_MONTHS[d.month - 1]}" + (f" {d.year}" if with_year else "")


def has_chart(progress: Sequence[PainPoint]) -> bool:
    """A chart needs two sessions or more and at least one score."""
    return len(progress) >= 2 and any(p.before is not None or p.after is not None for p in progress)


def _score(v: int | None) -> float | None:
    return None if v is None else float(min(max(v, 0), 10))


def progress_chart(
    progress: Sequence[PainPoint],
    width: float,
    height: float = 130.0,
    *,
    accent: str = "#2E6F95",
) -> Any:
    from reportlab.graphics.shapes import Circle, Line, PolyLine, String
    from reportlab.lib import colors
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from notes_tui.export.body_chart import role_drawing
    from notes_tui.export.fonts import REGULAR, register_fonts

    register_fonts()
    d = role_drawing(width, height, "progress-chart")
    left, right, bottom, top = 30.0, 10.0, 18.0, 18.0
    pw, ph = width - left - right, height - bottom - top
    grid, muted = colors.HexColor("#D5DBDF"), colors.HexColor("#5F6B73")
    before_c, after_c = colors.HexColor("#8E9AA3"), colors.HexColor(accent)

    def y_of(v: float) -> float:
        return bottom + ph * v / 10

    for v in (0, 5, 10):
        d.add(Line(left, y_of(v), left + pw, y_of(v), strokeColor=grid, strokeWidth=0.5))
        d.add(
            String(
                left - 5,
                y_of(v) - 2.5,
                str(v),
                fontName=REGULAR,
                fontSize=7,
                fillColor=muted,
                textAnchor="end",
            )
        )
    d.add(Line(left, bottom, left, bottom + ph, strokeColor=muted, strokeWidth=0.6))

    n = len(progress)
    inset = 14.0  # keeps the first and last points off the axis and the edge
    step = (pw - 2 * inset) / (n - 1) if n > 1 else 0.0
    xs = [left + inset + step * i for i in range(n)]
    with_year = len({p.when.year for p in progress}) > 1
    label_size = 7 if n <= 8 else 6
    every = 1 if step >= 34 else 2 if step >= 17 else 3
    for i, (x, p) in enumerate(zip(xs, progress, strict=True)):
        if i % every == 0 or i == n - 1:
            d.add(
                String(
                    x,
                    bottom - 11,
                    short_date(p.when, with_year),
                    fontName=REGULAR,
                    fontSize=label_size,
                    fillColor=muted,
                    textAnchor="middle",
                )
            )

    def series(values: list[float | None], colour: Any, dashed: bool, hollow: bool) -> None:
        run: list[float] = []
        for x, v in [*zip(xs, values, strict=True), (None, None)]:
            if v is None or x is None:
                if len(run) >= 4:
                    d.add(
                        PolyLine(
                            run,
                            strokeColor=colour,
                            strokeWidth=1.4,
                            strokeDashArray=(3, 2) if dashed else None,
                        )
                    )
                run = []
                continue
            run += [x, y_of(v)]
        for x, v in zip(xs, values, strict=True):
            if v is not None:
                d.add(
                    Circle(
                        x,
                        y_of(v),
                        2.6,
                        strokeColor=colour,
                        strokeWidth=1.2,
                        fillColor=colors.white if hollow else colour,
                    )
                )

    series([_score(p.before) for p in progress], before_c, dashed=True, hollow=True)
    series([_score(p.after) for p in progress], after_c, dashed=False, hollow=False)

    # Legend, above the plot.
    ly = height - 8
    lx = left
    for text, colour, dashed, hollow in (
        ("Before the session", before_c, True, True),
        ("After the session", after_c, False, False),
    ):
        d.add(
            Line(
                lx,
                ly + 2.5,
                lx + 18,
                ly + 2.5,
                strokeColor=colour,
                strokeWidth=1.4,
                strokeDashArray=(3, 2) if dashed else None,
            )
        )
        d.add(
            Circle(
                lx + 9,
                ly + 2.5,
                2.4,
                strokeColor=colour,
                strokeWidth=1.2,
                fillColor=colors.white if hollow else colour,
            )
        )
        d.add(String(lx + 23, ly, text, fontName=REGULAR, fontSize=7.5, fillColor=muted))
        lx += 23 + stringWidth(text, REGULAR, 7.5) + 16
    return d

"""Page furniture shared by the handout and the clinical record.

A `BaseDocTemplate` with one frame; `onPage` draws the clinic header, the footer and (for a draft)
a diagonal DRAFT mark; a numbering canvas adds "Page X of Y" once the page count is known. Text
drawn here goes through `canvas.drawString` (no markup) after `one_line` cleaning, and is
shortened to fit its slot so that a very long name cannot run off the page.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from notes_tui.export.fonts import BOLD, REGULAR
from notes_tui.export.model import Clinic
from notes_tui.export.styles import BOTTOM, MARGIN_X, TOP, Palette, page_size, palette
from notes_tui.export.text import one_line

# The document's natural language (/Lang): screen readers choose their voice from it. The text is
# Canadian English (the catalog, the wording library, "registered massage therapist").
LANG = "en-CA"

LOGO_MAX_BYTES = 5_000_000
LOGO_BOX = (38 * 2.8346, 15 * 2.8346)  # width, height in points


class RenderError(ValueError):
    """ReportLab could not lay the document out. The message never contains the user's text."""


def fit(text: str, font: str, size: float, width: float) -> str:
    """`text` shortened with an ellipsis so that it is at most `width` points wide."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(text, font, size) <= width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:  # the longest prefix that fits with the ellipsis
        mid = (lo + hi + 1) // 2
        if stringWidth(text[:mid].rstrip() + "\u2026", font, size) <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + "\u2026"


def load_logo(path: str | None) -> Any:
    """An ImageReader for the clinic's logo, or None when there is none or it cannot be read."""
    if not path:
        return None
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    try:
        p = Path(path).expanduser()
        if not p.is_file() or p.stat().st_size > LOGO_MAX_BYTES:
            return None
        image = ImageReader(io.BytesIO(p.read_bytes()))
        w, h = image.getSize()
        if not (0 < w <= 5000 and 0 < h <= 5000):
            return None
        image.getRGBData()  # decode now: a broken file fails here, not halfway through a page
        return image
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None  # a missing or broken logo never stops a handout


@dataclass(frozen=True)
class Furniture:
    clinic: Clinic
    footer_left: str  # e.g. "Confidential - prepared for Sam"
    made_on: date
    draft: bool = False
    header_right: str = ""  # e.g. "Clinical record"


def _header_lines(c: Clinic) -> list[tuple[str, str, float]]:
    """(text, font, size) lines of the header, empty ones left out."""
    name = one_line(c.name)
    therapist = one_line(c.therapist_name)
    reg = one_line(c.registration)
    who = (
        therapist + (f", registration no. {reg}" if reg else "")
        if therapist
        else (f"Registration no. {reg}" if reg else "")
    )
    contact = "  \u00b7  ".join(
        x for x in (one_line(c.phone), one_line(c.email), one_line(c.website)) if x
    )
    lines = [
        (name, BOLD, 12.0),
        (who, REGULAR, 8.5),
        (one_line(c.address), REGULAR, 8.5),
        (contact, REGULAR, 8.5),
    ]
    return [line for line in lines if line[0]]


class Decorator:
    """The `onPage` callback: header, footer text and the DRAFT mark."""

    def __init__(self, furniture: Furniture, made_text: str) -> None:
        self.f = furniture
        self.pal: Palette = palette(furniture.clinic)
        self.logo = load_logo(furniture.clinic.logo_path)
        self.made_text = made_text

    def __call__(self, canv: Any, doc: Any) -> None:
        from reportlab.lib import colors

        w, h = doc.pagesize
        canv.saveState()
        if self.f.draft:
            self._draft(canv, w, h)
        self._header(canv, w, h)
        muted = colors.HexColor(self.pal.muted)
        canv.setStrokeColor(colors.HexColor(self.pal.rule))
        canv.setLineWidth(0.5)
        canv.line(MARGIN_X, BOTTOM - 22, w - MARGIN_X, BOTTOM - 22)
        canv.setFillColor(muted)
        canv.setFont(REGULAR, 7.5)
        inner = w - 2 * MARGIN_X
        canv.drawString(MARGIN_X, BOTTOM - 32, fit(self.f.footer_left, REGULAR, 7.5, inner * 0.5))
        canv.drawCentredString(MARGIN_X + inner * 0.64, BOTTOM - 32, self.made_text)
        canv.restoreState()

    def _draft(self, canv: Any, w: float, h: float) -> None:
        from reportlab.lib import colors

        canv.saveState()
        canv.setFillColor(colors.HexColor("#E4E8EB"))
        canv.setFont(BOLD, 110)
        canv.translate(w / 2, h / 2)
        canv.rotate(52 if h > w else 38)
        canv.drawCentredString(0, -38, "DRAFT")
        canv.restoreState()

    def _header(self, canv: Any, w: float, h: float) -> None:
        from reportlab.lib import colors

        top = h - 28  # baseline of the first header line
        right_edge = w - MARGIN_X
        text_width = w - 2 * MARGIN_X
        if self.logo is not None:
            bw, bh = LOGO_BOX
            iw, ih = self.logo.getSize()
            scale = min(bw / iw, bh / ih)
            dw, dh = iw * scale, ih * scale
            canv.drawImage(self.logo, right_edge - dw, top + 11 - dh, dw, dh, mask="auto")
            text_width -= bw + 10
        elif self.f.header_right:
            canv.setFont(BOLD, 9)
            canv.setFillColor(colors.HexColor(self.pal.muted))
            canv.drawRightString(right_edge, top, self.f.header_right)
            text_width -= 110
        y = top
        for i, (text, font, size) in enumerate(_header_lines(self.f.clinic)):
            canv.setFont(font, size)
            canv.setFillColor(
                colors.HexColor(self.pal.heading if i == 0 and font == BOLD else self.pal.muted)
            )
            canv.drawString(MARGIN_X, y, fit(text, font, size, text_width))
            y -= size + (1.5 if font == BOLD else 2.0)
        canv.setStrokeColor(colors.HexColor(self.pal.accent))
        canv.setLineWidth(1.2)
        rule_y = h - TOP + 10
        canv.line(MARGIN_X, rule_y, w - MARGIN_X, rule_y)


def numbering_canvas(font: str = REGULAR, size: float = 7.5, colour: str = "#5F6B73") -> Any:
    """A Canvas class that keeps every page until the end, then writes "Page X of Y" on each."""
    from reportlab.lib import colors
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # ReportLab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                w, _h = self._pagesize
                self.saveState()
                self.setFont(font, size)
                self.setFillColor(colors.HexColor(colour))
                self.drawRightString(
                    w - MARGIN_X, BOTTOM - 32, f"Page {self._pageNumber} of {total}"
                )
                self.restoreState()
                super().showPage()
            super().save()

    return NumberedCanvas


def build_pdf(
    story: list,
    furniture: Furniture,
    *,
    title: str,
    subject: str = "",
    invariant: bool = False,
    made_text: Callable[[date], str] | None = None,
) -> bytes:
    """Lay `story` out on the clinic's paper with header and footer; return the PDF bytes.

    The metadata name the kind of document and the clinic, never the client: a viewer shows the
    title in its window and tab bar, the taskbar and recent-files lists show it, and it travels
    with the file wherever it is sent, all places seen without opening the document. Viewers are
    asked to show that title rather than the file name (/DisplayDocTitle), and /Lang is set."""
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate
    from reportlab.platypus.doctemplate import LayoutError

    clinic = furniture.clinic
    size = page_size(clinic)
    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf,
        pagesize=size,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=TOP,
        bottomMargin=BOTTOM,
        title=title,
        author=one_line(clinic.name),
        subject=subject,
        creator="notes-tui",
        lang=LANG,
        displayDocTitle=True,
        invariant=1 if invariant else 0,
    )
    frame = Frame(
        doc.leftMargin,
        doc.bottomMargin,
        doc.width,
        doc.height,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    text = made_text(furniture.made_on) if made_text else f"Made {furniture.made_on.isoformat()}"
    doc.addPageTemplates(
        [PageTemplate(id="page", frames=[frame], onPage=Decorator(furniture, text))]
    )
    try:
        doc.build(story, canvasmaker=numbering_canvas())
    except (LayoutError, ValueError) as exc:
        # ReportLab's messages quote the paragraph text: health information stays out of logs.
        raise RenderError(f"the PDF could not be laid out ({type(exc).__name__})") from None
    return buf.getvalue()

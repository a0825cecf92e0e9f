"""Front and back body outlines with a numbered marker at each treated point.

Left and right are the CLIENT's: on the front view the client faces the reader, so the client's
left is on the reader's right; on the back view the reader looks at the client's back, so the
client's left is on the reader's left. `marker_positions` holds that rule and is pure (no
ReportLab), so a test can check it without drawing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cache
from typing import Any

from notes_tui.export.model import TreatedPoint

# Shoulder width (outer edge to outer edge of the shoulders) as a fraction of the figure's height;
# a chart point's `lateral` is measured in shoulder widths from the midline (0.5 = shoulder edge).
SHOULDER = 0.26
# The figure's width (hand to hand) as a fraction of its height.
FIGURE_RATIO = 2 * 0.72 * SHOULDER
MIDLINE = 0.02  # a lateral below this is on the midline

# Half the silhouette (the reader's right half), from the top of the neck down the arm, back up
# to the armpit, down the torso and the leg to the crotch: (lateral, y), y = 0 top of head.
# fmt: off
_HALF = (
    (0.12, 0.118), (0.13, 0.152), (0.30, 0.178), (0.47, 0.186), (0.535, 0.205), (0.565, 0.24),
    (0.60, 0.32), (0.615, 0.37), (0.66, 0.43), (0.68, 0.495), (0.72, 0.54), (0.705, 0.58),
    (0.655, 0.592), (0.605, 0.553), (0.57, 0.505), (0.52, 0.44), (0.47, 0.378), (0.43, 0.30),
    (0.40, 0.262), (0.37, 0.27), (0.36, 0.32), (0.30, 0.39), (0.36, 0.455), (0.39, 0.50),
    (0.375, 0.58), (0.32, 0.68), (0.28, 0.735), (0.30, 0.80), (0.262, 0.88), (0.215, 0.945),
    (0.25, 0.982), (0.232, 1.0), (0.09, 1.0), (0.085, 0.945), (0.065, 0.85), (0.075, 0.74),
    (0.04, 0.62), (0.0, 0.532),
)
# fmt: on
_HEAD = (0.0, 0.064, 0.17, 0.064)  # centre lateral, centre y, radius (lateral units), radius (y)

FigureBox = tuple[float, float, float, float]  # x, y (bottom), width, height, y pointing up


@cache
def _role_drawing_class() -> Any:
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.attrmap import AttrMap, AttrMapValue

    class RoleDrawing(Drawing):
        """A Drawing that says what it shows ("body-chart", "progress-chart"), for tests."""

        _attrMap = AttrMap(BASE=Drawing, role=AttrMapValue(None, desc="what the drawing shows"))

    return RoleDrawing


def role_drawing(width: float, height: float, role: str) -> Any:
    d = _role_drawing_class()(width, height)
    d.role = role
    return d


def side_signs(side: str, view: str) -> tuple[int, ...]:
    """+1 = the reader's right of the midline, -1 = the reader's left, for each marker."""
    client_left = 1 if view == "front" else -1
    if side == "left":
        return (client_left,)
    if side == "right":
        return (-client_left,)
    return (client_left, -client_left)  # bilateral (and anything unknown): both sides


def marker_positions(
    points: Sequence[TreatedPoint],
    view: str,
    figure_box: FigureBox,
    spread: float = 0.0,
) -> list[tuple[int, float, float]]:
    """(number, x, y) of every marker on `view` ("front" or "back") inside `figure_box`.

    The figure's midline is the centre of the box; its height is the box height (0 = soles at
    the bottom). With `spread` (a marker radius), markers that would overlap are nudged apart,
    outward or up/down, never across the midline.
    """
    x0, y0, _w, h = figure_box
    mid = x0 + _w / 2
    shoulder = SHOULDER * h
    out: list[tuple[int, float, float]] = []
    for p in points:
        for cp in p.charts:
            if cp.view != view:
                continue
            lateral = min(max(cp.lateral, 0.0), 0.75)
            y = y0 + h * (1 - min(max(cp.y, 0.0), 1.0))
            # A point on the midline (the spine, the breastbone) has no side: one marker.
            signs = (0,) if lateral < MIDLINE else side_signs(p.side, view)
            for sign in signs:
                out.append((p.number, mid + sign * lateral * shoulder, y))
    return _spread(out, mid, spread) if spread else out


def _spread(
    markers: list[tuple[int, float, float]], mid: float, r: float
) -> list[tuple[int, float, float]]:
    step = 2.05 * r
    offsets = sorted(
        ((dx, dy) for dx in range(0, 4) for dy in range(-3, 4)),
        key=lambda o: (math.hypot(o[0], o[1]), abs(o[1]), -o[1]),
    )
    placed: list[tuple[int, float, float]] = []
    for number, x, y in markers:
        outward = 1 if x > mid else -1 if x < mid else 0
        chosen = (x, y)
        for dx, dy in offsets:
            if outward == 0 and dx:
                continue
            cx, cy = x + outward * dx * step, y + dy * step
            if all(math.hypot(cx - px, cy - py) >= step * 0.97 for _n, px, py in placed):
                chosen = (cx, cy)
                break
        placed.append((number, *chosen))
    return placed


def _silhouette(mid: float, y0: float, h: float) -> list[float]:
    s = SHOULDER * h
    right = [(mid + lat * s, y0 + h * (1 - y)) for lat, y in _HALF]
    left = [(mid - lat * s, y0 + h * (1 - y)) for lat, y in reversed(_HALF[:-1])]
    return [c for xy in right + left for c in xy]


def body_chart(
    points: Sequence[TreatedPoint],
    width: float,
    *,
    figure_height: float | None = None,
    accent: str = "#2E6F95",
    on_accent: str = "#FFFFFF",
) -> Any:
    """A Drawing `width` wide: "Front" and "Back" figures with numbered markers and L/R letters."""
    from notes_tui.export.fonts import register_fonts

    register_fonts()
    slot = width / 2
    fits = slot / (FIGURE_RATIO + 0.25)  # leaves room for the L/R letters
    h = min(figure_height or 200.0, fits)
    label_size = max(8.0, h / 22)
    bottom = 4.0
    d = role_drawing(width, h + label_size + 8 + bottom, "body-chart")
    radius = max(5.0, h / 34)
    for i, view in enumerate(("front", "back")):
        mid = slot * i + slot / 2
        _figure(d, view, mid, bottom, h, label_size)
        box = (mid - FIGURE_RATIO * h / 2, bottom, FIGURE_RATIO * h, h)
        for number, x, y in marker_positions(points, view, box, spread=radius):
            _marker(d, number, x, y, radius, accent, on_accent)
    return d


_FILL, _LINE, _MUTED = "#E8ECEF", "#9DA8B0", "#5F6B73"


def _figure(d: Any, view: str, mid: float, y0: float, h: float, label_size: float) -> None:
    """One outline with its "Front"/"Back" label and the client's L and R beside the head."""
    from reportlab.graphics.shapes import Ellipse, Line, Polygon, String
    from reportlab.lib.colors import HexColor

    from notes_tui.export.fonts import BOLD

    fill, line, muted = HexColor(_FILL), HexColor(_LINE), HexColor(_MUTED)
    s = SHOULDER * h
    outline = dict(fillColor=fill, strokeColor=line, strokeWidth=0.7)
    d.add(Polygon(_silhouette(mid, y0, h), strokeLineJoin=1, **outline))
    hl, hy, hrx, hry = _HEAD
    d.add(Ellipse(mid + hl * s, y0 + h * (1 - hy), hrx * s, hry * h, **outline))
    if view == "back":  # a faint spine tells the back from the front at a glance
        d.add(
            Line(mid, y0 + h * 0.835, mid, y0 + h * 0.53, strokeColor=line, strokeWidth=0.5,
                 strokeDashArray=(2, 2))
        )  # fmt: skip
    text = dict(fontName=BOLD, fontSize=label_size, fillColor=muted, textAnchor="middle")
    d.add(String(mid, y0 + h + 7, "Front" if view == "front" else "Back", **text))
    # The client's left: the reader's right on the front view, the reader's left on the back.
    left_sign = side_signs("left", view)[0]
    for letter, sign in (("L", left_sign), ("R", -left_sign)):
        d.add(String(mid + sign * 0.55 * s, y0 + h * 0.91, letter, **text))


def _marker(d: Any, number: int, x: float, y: float, r: float, accent: str, on_accent: str) -> None:
    from reportlab.graphics.shapes import Circle, String
    from reportlab.lib.colors import HexColor, white

    from notes_tui.export.fonts import BOLD

    d.add(Circle(x, y, r, fillColor=HexColor(accent), strokeColor=white, strokeWidth=0.8))
    label = str(number)
    size = r * (1.15 if len(label) == 1 else 0.95 if len(label) == 2 else 0.7)
    d.add(
        String(x, y - size * 0.36, label, fontName=BOLD, fontSize=size,
               fillColor=HexColor(on_accent), textAnchor="middle")
    )  # fmt: skip


# --- the head and neck, close up -------------------------------------------------------------
# Points on the head, face, jaw and neck sit within a few points of each other on the standing
# figure (twelve markers on top of each other and over the "R"). They get their own figure: the
# same outline from the top of the head to the top of the shoulders, drawn about four times
# larger, front and back, with the client's L and R below the shoulders, away from any marker.

HEAD_NECK_Y = 0.19  # a chart point above this (y down from the top of the head) is head or neck
_HEAD_BAND = 0.235  # how much of the figure the close-up shows (to the top of the shoulders)


HEAD_Y = 0.125  # above this: the head itself (temple, jaw, base of the skull)
CROWDED = 4  # head-and-neck markers in one view that the standing figure cannot keep apart


def split_head_and_neck(points: Sequence[TreatedPoint]
                        ) -> tuple[tuple[TreatedPoint, ...], tuple[TreatedPoint, ...]]:
    """(the points with their head-and-neck chart positions, the points with the rest): a point
    is in both when it is drawn in both places; one with no position left is in neither. The
    close-up is used only when it is needed: a point on the head, face or jaw, or more
    head-and-neck markers in one view than the standing figure keeps legible; otherwise every
    point stays on the standing figure (a handout stays short)."""
    from dataclasses import replace

    def markers(view: str) -> int:
        return sum(len(side_signs(p.side, view)) for p in points for c in p.charts
                   if c.view == view and c.y < HEAD_NECK_Y)

    on_head = any(c.y < HEAD_Y for p in points for c in p.charts if c.view != "side")
    if not on_head and max(markers("front"), markers("back")) < CROWDED:
        return (), tuple(points)
    head, body = [], []
    for p in points:
        up = tuple(c for c in p.charts if c.y < HEAD_NECK_Y)
        down = tuple(c for c in p.charts if c.y >= HEAD_NECK_Y and c.view != "side")
        if up:
            head.append(replace(p, charts=up))
        if down:
            body.append(replace(p, charts=down))
    return tuple(head), tuple(body)


def head_marker_positions(points: Sequence[TreatedPoint], view: str, box: FigureBox,
                          spread: float = 0.0) -> list[tuple[int, float, float]]:
    """Markers on the close-up: `box` is the visible band (top of the head to the shoulders)."""
    x0, y0, w, h = box
    scale = h / _HEAD_BAND  # the height the whole figure would have at this zoom
    full = (x0, y0 + h - scale, w, scale)  # the whole figure, its top at the top of the box
    return marker_positions(points, view, full, spread=spread)


_HEAD_DEPTH = 0.21  # the head's half-depth (front to back) on the profile, in lateral units


def _on_profile(points: Sequence[TreatedPoint], side: str) -> list[TreatedPoint]:
    return [p for p in points if p.side in (side, "bilateral")
            and any(c.view == "side" for c in p.charts)]


def profile_side(points: Sequence[TreatedPoint]) -> str:
    """Which side the profile shows: the client's side with more of its markers (right on a
    tie); the front and back views show both sides."""
    left, right = len(_on_profile(points, "left")), len(_on_profile(points, "right"))
    return "left" if left > right else "right"


def profile_positions(points: Sequence[TreatedPoint], side: str, box: FigureBox,
                      spread: float = 0.0) -> list[tuple[int, float, float]]:
    """Markers on the head-and-neck profile of the client's `side`, in `box` (the close-up's
    band, its top the top of the head), from the catalog's "side" chart positions (forward of
    the ear line). The face points to the reader's right on the right side's profile and to
    the left on the left side's. Points of the other side are not on it."""
    x0, y0, w, h = box
    scale = h / _HEAD_BAND
    s = SHOULDER * scale
    mid = x0 + w / 2
    face = 1 if side == "right" else -1
    out = [(p.number, mid + face * cp.lateral * s, y0 + h - cp.y * scale)
           for p in _on_profile(points, side) for cp in p.charts if cp.view == "side"]
    return _spread(out, mid, spread) if spread else out


def _profile(mid: float, top: float, scale: float, face: int) -> list[float]:
    """The outline of the neck and the top of the shoulder seen from the side, down to the cut."""
    s = SHOULDER * scale
    # (depth toward the face, y): the back of the neck, the top of the shoulder, the front
    half = ((-0.13, 0.11), (-0.13, 0.16), (-0.20, 0.205), (-0.22, _HEAD_BAND),
            (0.20, _HEAD_BAND), (0.17, 0.20), (0.10, 0.165), (0.09, 0.115))
    return [c for d, y in half for c in (mid + face * d * s, top - y * scale)]


def _neck_and_shoulders(mid: float, top: float, scale: float) -> list[float]:
    """The outline from the neck down to the cut at the top of the shoulders."""
    s = SHOULDER * scale
    half = [(lat, y) for lat, y in _HALF if y <= _HEAD_BAND] + [(0.575, _HEAD_BAND),
                                                                (0.0, _HEAD_BAND)]
    right = [(mid + lat * s, top - y * scale) for lat, y in half]
    left = [(mid - lat * s, top - y * scale) for lat, y in reversed(half[:-1])]
    return [c for xy in right + left for c in xy]


def head_chart(
    points: Sequence[TreatedPoint],
    width: float,
    *,
    band_height: float = 120.0,
    accent: str = "#2E6F95",
    on_accent: str = "#FFFFFF",
) -> Any:
    """A Drawing `width` wide: the head and neck from the front, the back and the side (the
    client's side with more markers), numbered markers."""
    from reportlab.graphics.shapes import Ellipse, Polygon, String
    from reportlab.lib.colors import HexColor

    from notes_tui.export.fonts import BOLD, register_fonts

    register_fonts()
    side = profile_side(points)
    views = ("front", "back", "side") if _on_profile(points, side) else ("front", "back")
    slot = width / len(views)
    scale = band_height / _HEAD_BAND
    # the widest part shown (the shoulders) must fit its half of the drawing, with a margin
    scale = min(scale, slot / (2 * 0.62 * SHOULDER))
    band = _HEAD_BAND * scale
    label_size = 9.0
    bottom = label_size + 6  # the L and R letters go under the shoulders
    d = role_drawing(width, bottom + band + label_size + 8, "head-chart")
    radius = 6.0
    fill, line, muted = HexColor(_FILL), HexColor(_LINE), HexColor(_MUTED)
    outline = dict(fillColor=fill, strokeColor=line, strokeWidth=0.7)
    text = dict(fontName=BOLD, fontSize=label_size, fillColor=muted, textAnchor="middle")
    top = bottom + band
    for i, view in enumerate(("front", "back")):
        mid = slot * i + slot / 2
        s = SHOULDER * scale
        d.add(Polygon(_neck_and_shoulders(mid, top, scale), strokeLineJoin=1, **outline))
        hl, hy, hrx, hry = _HEAD
        d.add(Ellipse(mid + hl * s, top - hy * scale, hrx * s, hry * scale, **outline))
        d.add(String(mid, top + 6, "Face and neck, front" if view == "front"
                     else "Head and neck, back", **text))
        left_sign = side_signs("left", view)[0]
        for letter, sign in (("L", left_sign), ("R", -left_sign)):
            d.add(String(mid + sign * 0.45 * s, 2, letter, **text))
        box = (mid - FIGURE_RATIO * scale / 2, bottom, FIGURE_RATIO * scale, band)
        for number, x, y in head_marker_positions(points, view, box, spread=radius):
            _marker(d, number, x, y, radius, accent, on_accent)
    if "side" not in views:
        return d
    mid, face = slot * 2 + slot / 2, 1 if side == "right" else -1
    s = SHOULDER * scale
    d.add(Polygon(_profile(mid, top, scale, face), strokeLineJoin=1, **outline))
    _hl, hy, _hrx, hry = _HEAD
    d.add(Ellipse(mid, top - hy * scale, _HEAD_DEPTH * s, hry * scale, **outline))
    # the nose and the chin: which way the face looks
    d.add(Polygon([mid + face * _HEAD_DEPTH * s * 0.96, top - 0.055 * scale,
                   mid + face * (_HEAD_DEPTH + 0.035) * s, top - 0.078 * scale,
                   mid + face * _HEAD_DEPTH * s * 0.97, top - 0.085 * scale],
                  strokeLineJoin=1, **outline))
    d.add(String(mid, top + 6, f"Head and neck, {side} side", **text))
    box = (mid - FIGURE_RATIO * scale / 2, bottom, FIGURE_RATIO * scale, band)
    for number, x, y in profile_positions(points, side, box, spread=radius):
        _marker(d, number, x, y, radius, accent, on_accent)
    return d

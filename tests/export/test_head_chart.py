"""Head, face, jaw and neck points on their own close-up: on the standing figure twelve of them
sat on top of each other and over the "R". Every marker and letter must be legible."""

from __future__ import annotations

import math

from notes_tui.export import render_handout
from notes_tui.export.body_chart import head_chart, split_head_and_neck
from notes_tui.export.model import ChartPoint, TreatedPoint
from tests.export.factories import make_handout, pdf_text, squash

# the catalog's chart positions of the head and neck muscles (templates/catalog/muscles.toml)
HEAD_AND_NECK = [("front", 0.08, 0.05), ("front", 0.08, 0.1), ("front", 0.06, 0.145),
                 ("front", 0.09, 0.15), ("front", 0.11, 0.155), ("back", 0.17, 0.172),
                 ("back", 0.13, 0.185), ("back", 0.08, 0.135), ("back", 0.05, 0.115)]


def _points(sides=("left", "right")) -> list[TreatedPoint]:
    out = []
    for side in sides:
        for view, lateral, y in HEAD_AND_NECK:
            out.append(TreatedPoint(len(out) + 1, "a muscle", side, "", "",
                                    charts=(ChartPoint(view, lateral, y),)))
    return out


def _circles_and_letters(drawing):
    from reportlab.graphics.shapes import Circle, String

    circles = [(c.cx, c.cy, c.r) for c in drawing.contents if isinstance(c, Circle)]
    letters = [(s.x, s.y) for s in drawing.contents if isinstance(s, String) and s.text in "LR"]
    return circles, letters


def test_eighteen_head_and_neck_markers_neither_overlap_nor_cover_a_letter():
    drawing = head_chart(_points(), 340)
    circles, letters = _circles_and_letters(drawing)
    assert len(circles) == 18 and len(letters) == 4
    for i, (x1, y1, r) in enumerate(circles):
        for x2, y2, _r in circles[i + 1:]:
            assert math.hypot(x1 - x2, y1 - y2) >= 2 * r * 0.97
        for lx, ly in letters:  # a letter is about 9 points tall, drawn up from its baseline
            assert not (abs(lx - x1) < r + 6 and ly - r < y1 < ly + 9 + r)


def test_two_neck_markers_stay_on_the_standing_figure():
    traps = [TreatedPoint(1, "upper trapezius", "bilateral", "", "",
                          charts=(ChartPoint("back", 0.17, 0.172),))]
    assert split_head_and_neck(traps) == ((), tuple(traps))


def test_the_close_up_takes_the_head_points_and_the_body_chart_the_rest():
    shoulder = TreatedPoint(99, "infraspinatus", "right", "", "",
                            charts=(ChartPoint("back", 0.27, 0.27),))
    head, body = split_head_and_neck([*_points(("left",)), shoulder])
    assert [p.number for p in head] == list(range(1, 10))
    assert [p.number for p in body] == [99]


def test_a_jaw_session_handout_has_the_close_up():
    data = make_handout(treated_points=tuple(_points(("left",))))
    text = squash(pdf_text(render_handout(data)))
    assert squash("Face and neck, front") in text and squash("Head and neck, back") in text
    assert squash("Front Back") not in text  # no point below the neck: no standing figure

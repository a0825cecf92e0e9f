"""Head, face, jaw and neck points on their own close-up (front, back and the side with more of
them): on the standing figure twelve of them sat on top of each other and over the "R". Every
marker and letter must be legible."""

from __future__ import annotations

import math

from notes_tui.export import render_handout
from notes_tui.export.body_chart import head_chart, split_head_and_neck
from notes_tui.export.model import ChartPoint, TreatedPoint
from tests.export.factories import make_handout, pdf_text, squash


def _catalog_head_and_neck() -> list[tuple[ChartPoint, ...]]:
    """The catalog's chart positions of its head and neck muscles (templates/catalog)."""
    from notes_tui.domain.catalog import load_catalog
    from notes_tui.domain.wording import load_wording
    from notes_tui.paths import templates_dir

    catalog = load_catalog(templates_dir() / "catalog", None, wording=load_wording(
        templates_dir() / "handout" / "wording.toml", None))
    return [tuple(ChartPoint(c.view, c.lateral, c.y) for c in m.charts)
            for m in catalog.muscles.values() if any(c.y < 0.19 for c in m.charts)]


HEAD_AND_NECK = _catalog_head_and_neck()


def _points(sides=("left", "right"), *, side_view=True) -> list[TreatedPoint]:
    out = []
    for side in sides:
        for charts in HEAD_AND_NECK:
            charts = tuple(c for c in charts if side_view or c.view != "side")
            out.append(TreatedPoint(len(out) + 1, "a muscle", side, "", "", charts=charts))
    return out


def _circles_and_letters(drawing):
    from reportlab.graphics.shapes import Circle, String

    circles = [(c.cx, c.cy, c.r) for c in drawing.contents if isinstance(c, Circle)]
    letters = [(s.x, s.y) for s in drawing.contents if isinstance(s, String) and s.text in "LR"]
    return circles, letters


def test_every_head_and_neck_marker_is_on_the_profile_too():
    assert len(HEAD_AND_NECK) == 9
    assert all({c.view for c in charts} == {"side", charts[0].view} for charts in HEAD_AND_NECK)


def test_eighteen_head_and_neck_markers_neither_overlap_nor_cover_a_letter():
    drawing = head_chart(_points(), 480)
    circles, letters = _circles_and_letters(drawing)
    # 18 on the front and back, the right side's 9 on its profile (the sides tie: right)
    assert len(circles) == 27 and len(letters) == 4
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


def test_the_profile_faces_the_way_the_clients_side_does():
    from reportlab.graphics.shapes import Circle

    def profile_xs(sides) -> list[float]:
        drawing = head_chart(_points(sides), 480)
        xs = [c.cx for c in drawing.contents if isinstance(c, Circle) and c.cx > 320]
        assert len(xs) == 9  # only the profile's own side
        return xs

    temple_is_forward = [c for c in HEAD_AND_NECK if any(
        p.view == "side" and p.lateral > 0.04 and p.y < 0.06 for p in c)]
    assert temple_is_forward  # the temporalis, in front of the ear
    left, right = profile_xs(("left",)), profile_xs(("right",))
    centre = 400.0  # the third slot's middle
    # the left side's face looks to the reader's left: its forward points are left of centre
    assert sorted(round(centre - x) for x in left) == sorted(round(x - centre) for x in right)
    assert min(left) < centre < max(right)


def test_without_profile_positions_the_close_up_keeps_two_views():
    drawing = head_chart(_points(side_view=False), 340)
    circles, _letters = _circles_and_letters(drawing)
    assert len(circles) == 18


def test_a_jaw_session_handout_has_the_close_up():
    data = make_handout(treated_points=tuple(_points(("left",))))
    text = squash(pdf_text(render_handout(data)))
    assert squash("Face and neck, front") in text and squash("Head and neck, back") in text
    assert squash("Head and neck, left side") in text
    assert squash("Front Back") not in text  # no point below the neck: no standing figure


def _catalog_point(muscle_id: str, number: int = 1, side: str = "bilateral") -> TreatedPoint:
    from notes_tui.domain.catalog import load_catalog
    from notes_tui.domain.wording import load_wording
    from notes_tui.paths import templates_dir

    catalog = load_catalog(templates_dir() / "catalog", None, wording=load_wording(
        templates_dir() / "handout" / "wording.toml", None))
    m = catalog.muscles[muscle_id]
    return TreatedPoint(number, m.name, side, "", "",
                        charts=tuple(ChartPoint(c.view, c.lateral, c.y) for c in m.charts))


def test_a_neck_point_with_a_profile_position_stays_on_the_two_figure_standing_chart():
    """The profile positions belong to the close-up only: an upper-trapezius session keeps the
    standing figure, both its figures at full width, its markers on the back."""
    from reportlab.graphics.shapes import Circle

    from notes_tui.export.body_chart import body_chart

    for muscle in ("upper_trapezius", "splenius_capitis"):  # splenius: on the neck, not the head
        point = _catalog_point(muscle)
        assert split_head_and_neck([point]) == ((), (point,)), muscle
    drawing = body_chart([_catalog_point("upper_trapezius")], 300.0, figure_height=155.0)
    xs = [c.cx for c in drawing.contents if isinstance(c, Circle)]
    assert len(xs) == 2 and all(150 < x < 300 for x in xs)  # the back figure: the right half
    assert abs((xs[0] + xs[1]) / 2 - 225) < 1  # about its midline, not squeezed to the left

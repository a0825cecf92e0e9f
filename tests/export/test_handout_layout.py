"""Long text, many points, left/right on the body chart, scripts and missing glyphs."""

from __future__ import annotations

import time

import pytest

from notes_tui.export import missing_glyphs, render_handout
from notes_tui.export.body_chart import FIGURE_RATIO, body_chart, marker_positions, side_signs
from notes_tui.export.model import ChartPoint, TreatedPoint
from tests.export.factories import body_text, make_handout, page_count, pdf_text, squash

BOX = (100.0, 0.0, FIGURE_RATIO * 200, 200.0)  # x, y, width, height
MID = BOX[0] + BOX[2] / 2


def words(n_chars: int) -> str:
    text = " ".join(f"word{i % 97}" for i in range(n_chars // 6 + 1))
    return text[:n_chars]


def test_a_10000_character_field_paginates():
    pdf = render_handout(make_handout(client_summary=words(10_000)))
    assert page_count(pdf) > page_count(render_handout(make_handout()))
    assert page_count(pdf) > 1


def test_a_20000_character_field_renders_quickly_and_completely():
    text = words(20_000)
    start = time.perf_counter()
    pdf = render_handout(make_handout(client_summary=text, advice=text))
    elapsed = time.perf_counter() - start
    assert elapsed < 10, f"{elapsed:.1f} s"
    assert page_count(pdf) >= 4
    assert squash(text) in squash(body_text(pdf))


def test_a_20000_character_word_and_many_lines_do_not_crash():
    pdf = render_handout(
        make_handout(client_summary="x" * 20_000, advice="line\n" * 2000, client_name="N" * 1000)
    )
    assert page_count(pdf) > 2
    assert squash("x" * 20_000) in squash(body_text(pdf))


def _points(n: int) -> tuple[TreatedPoint, ...]:
    sides = ("left", "right", "bilateral")
    return tuple(
        TreatedPoint(
            number=i,
            muscle_plain=f"Muscle number {i}",
            side=sides[i % 3],
            refers_to=f"area {i}",
            response="eased",
            charts=(
                ChartPoint("back" if i % 2 else "front", 0.05 + (i % 6) * 0.1, 0.1 + i * 0.028),
            ),
        )
        for i in range(1, n + 1)
    )


def test_thirty_treated_points_paginate_cleanly():
    pdf = render_handout(make_handout(treated_points=_points(30)))
    assert page_count(pdf) > page_count(render_handout(make_handout(treated_points=_points(3))))
    text = " ".join(pdf_text(pdf).split())
    missing = [i for i in range(1, 31) if f"Muscle number {i} " not in text + " "]
    assert not missing


def test_very_long_cell_values_are_shortened_in_the_table_and_printed_in_full():
    long_refers = "the back of your head " * 1000  # 22,000 characters
    point = TreatedPoint(1, "M" * 5000, "left", long_refers, "eased " * 3000, ())
    pdf = render_handout(make_handout(treated_points=(point,)))
    text = squash(body_text(pdf))
    assert "In full" in pdf_text(pdf)
    assert squash(long_refers) in text
    assert squash("M" * 5000) in text


# --- left and right on the body chart -------------------------------------------------------


def _point(side: str, view: str, lateral: float = 0.3) -> TreatedPoint:
    return TreatedPoint(1, "m", side, "", "", (ChartPoint(view, lateral, 0.2),))


def test_client_left_is_on_the_readers_right_on_the_front_view():
    ((_n, x, _y),) = marker_positions([_point("left", "front")], "front", BOX)
    assert x > MID
    ((_n, x, _y),) = marker_positions([_point("right", "front")], "front", BOX)
    assert x < MID


def test_client_left_is_on_the_readers_left_on_the_back_view():
    ((_n, x, _y),) = marker_positions([_point("left", "back")], "back", BOX)
    assert x < MID
    ((_n, x, _y),) = marker_positions([_point("right", "back")], "back", BOX)
    assert x > MID


@pytest.mark.parametrize("view", ["front", "back"])
def test_bilateral_gives_two_mirrored_markers(view):
    markers = marker_positions([_point("bilateral", view)], view, BOX)
    assert len(markers) == 2
    (_, x1, y1), (_, x2, y2) = markers
    assert y1 == y2
    assert x1 - MID == pytest.approx(MID - x2)
    assert x1 != x2


def test_markers_only_on_their_view_and_at_their_height():
    points = [_point("left", "back")]
    assert marker_positions(points, "front", BOX) == []
    ((_n, _x, y),) = marker_positions(points, "back", BOX)
    assert y == pytest.approx(BOX[1] + BOX[3] * 0.8)  # y = 0.2 from the top of the head


def test_spreading_keeps_markers_on_their_side():
    crowded = [
        TreatedPoint(i, "m", "left", "", "", (ChartPoint("front", 0.3, 0.2),)) for i in range(1, 8)
    ]
    markers = marker_positions(crowded, "front", BOX, spread=5.0)
    assert len(markers) == 7
    assert all(x > MID for _n, x, _y in markers)
    for i, (_, xa, ya) in enumerate(markers):
        for _, xb, yb in markers[i + 1 :]:
            assert (xa - xb) ** 2 + (ya - yb) ** 2 >= (2 * 5.0 * 0.97) ** 2


def test_side_signs():
    assert side_signs("left", "front") == (1,)
    assert side_signs("left", "back") == (-1,)
    assert side_signs("right", "front") == (-1,)
    assert sorted(side_signs("bilateral", "back")) == [-1, 1]


def test_the_chart_letters_say_which_side_is_which():
    from reportlab.graphics.shapes import String

    drawing = body_chart([], 300)
    letters = sorted(
        (s.x, s.text) for s in drawing.contents if isinstance(s, String) and s.text in "LR"
    )
    # Reading left to right: front R, front L, back L, back R.
    assert [t for _x, t in letters] == ["R", "L", "L", "R"]


# --- scripts and glyphs ---------------------------------------------------------------------


def test_latin_greek_and_cyrillic_come_back_verbatim():
    name = "Łódź Ģirts Zoë Δημήτρης Дмитрий"
    pdf = render_handout(make_handout(client_name=name, client_summary=name))
    text = " ".join(pdf_text(pdf).split())
    assert name in text
    assert f"Confidential - prepared for {name}" in text


def test_missing_glyphs_names_what_the_font_cannot_draw():
    assert missing_glyphs("李小龍 ok") == {"李", "小", "龍"}
    assert missing_glyphs("Łódź Ģirts Zoë Δημήτρης Дмитрий \u05e9\u05dc\u05d5\u05dd") == set()
    assert missing_glyphs("a\u200db\ufe0f\x00\u202e") == set()  # invisible or cleaned away


def test_a_point_on_the_midline_gets_one_marker():
    markers = marker_positions([_point("bilateral", "back", lateral=0.0)], "back", BOX)
    assert [(n, x) for n, x, _y in markers] == [(1, MID)]

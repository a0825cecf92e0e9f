"""Which trigger points keep coming back: the rule (active in 3 or more of the last 5 sessions),
the grid read from finalized notes on SQLite and PostgreSQL (drafts are not yet what happened,
an amendment's correction is), and the clinical record's section."""

from __future__ import annotations

from datetime import date, timedelta

from notes_tui.domain.enums import Side, TriggerPointResponse
from notes_tui.domain.enums import TriggerPointActivity as Act
from notes_tui.domain.recurrence import PointSeen, SessionPoints, recurrence, summary
from notes_tui.services import notes
from notes_tui.services.recurrence import client_recurrence
from tests.conftest import full_note, record_section

DAY = date(2026, 11, 2)


def _ut(activity=Act.ACTIVE, side=Side.RIGHT, pressure=6, response=None):
    return PointSeen("upper_trapezius", "Upper trapezius", side, activity, pressure, response)


def _sessions(*points_per_session):
    """Newest first: session i is i weeks before DAY."""
    return [SessionPoints(i, DAY - timedelta(weeks=i), tuple(points))
            for i, points in enumerate(points_per_session)]


def test_active_in_three_of_the_last_five_is_flagged_and_two_is_not():
    grid = recurrence(_sessions([_ut()], [], [_ut()], [_ut(Act.LATENT)], [_ut()], [_ut()]))
    [row] = grid.rows
    assert (row.active_recent, row.recent, row.flagged, row.treated) == (3, 5, True, 5)
    assert [c.short if c else None for c in row.cells] == ["A6", None, "A6", "L6", "A6", "A6"]
    # the same point active twice lately and three times before that: not recurring now
    old = recurrence(_sessions([_ut()], [], [], [_ut()], [], [_ut()], [_ut()], [_ut()]))
    assert (old.rows[0].active_recent, old.rows[0].flagged) == (2, False)
    # latent does not count; the other side is its own row
    grid = recurrence(_sessions([_ut(Act.LATENT)], [_ut(Act.LATENT)], [_ut(side=Side.LEFT)],
                                [_ut(side=Side.LEFT)], [_ut(side=Side.LEFT)]))
    assert [(r.side, r.flagged) for r in grid.rows] == [(Side.LEFT, True), (Side.RIGHT, False)]


def test_two_points_in_one_muscle_and_side_merge_and_order_is_flagged_first():
    two = [_ut(Act.LATENT, pressure=4), _ut(Act.ACTIVE, pressure=7,
                                           response=TriggerPointResponse.RELEASED)]
    levator = PointSeen("levator_scapulae", "Levator scapulae", Side.LEFT, Act.ACTIVE, 5,
                        TriggerPointResponse.REFERRAL_REPRODUCED)
    grid = recurrence(_sessions([levator, *two], [levator], two, two))
    first = grid.rows[0]
    assert first.name == "Upper trapezius, right" and first.flagged
    assert first.cells[0].short == "A7✓"  # active if either was, the firmest pressure
    assert grid.rows[1].name == "Levator scapulae, left" and not grid.rows[1].flagged
    line = summary(grid.rows[1], grid.sessions)
    assert line.startswith("active in 2 of the last 4 sessions; treated in 2 of 4: ")
    assert "2026-11-02 active, pressure 5/10, referral reproduced" in line
    # fewer than three sessions can flag nothing
    assert not recurrence(_sessions([_ut()], [_ut()])).flagged


def _finalized(ctx, cid, day: date, points: list[dict], *, final: bool = True) -> int:
    with ctx.write() as s:
        nid = notes.start_draft(cid, session=s, settings=ctx.settings,
                                content=full_note(trigger_points=points, cues=[]),
                                session_start=f"{day:%Y-%m-%d} 10:00").id
    if final:
        with ctx.write() as s:
            notes.finalize(nid, session=s, actor="Ana Lee")
    return nid


UT_R = {"muscle_id": "upper_trapezius", "side": "right", "pressure": 6, "response": "reduced"}
LS_L = {"muscle_id": "levator_scapulae", "side": "left", "pressure": 5, "activity": "latent"}


def test_the_grid_reads_finalized_sessions_and_the_record_lists_it(ctx, make_client, settings):
    cid = make_client()
    for weeks, points in ((5, [UT_R]), (4, [LS_L]), (3, [UT_R, LS_L]), (2, [LS_L]), (1, [UT_R])):
        _finalized(ctx, cid, DAY - timedelta(weeks=weeks), points)
    _finalized(ctx, cid, DAY, [UT_R, dict(UT_R, side="left")], final=False)  # a draft: left out
    with ctx.read() as s:
        grid = client_recurrence(cid, session=s, catalog=ctx.catalog)
    assert [s.day for s in grid.sessions] == [DAY - timedelta(weeks=w) for w in (1, 2, 3, 4, 5)]
    by_name = {r.name: r for r in grid.rows}
    assert set(by_name) == {"Upper trapezius, right", "Levator scapulae, left"}
    ut = by_name["Upper trapezius, right"]
    assert (ut.active_recent, ut.flagged) == (3, True)
    assert [c.short if c else "·" for c in ut.cells] == ["A6↓", "·", "A6↓", "·", "A6↓"]
    assert not by_name["Levator scapulae, left"].flagged  # treated 3 times, but latent
    with ctx.read() as s:
        limited = client_recurrence(cid, session=s, catalog=ctx.catalog, limit=2)
    assert len(limited.sessions) == 2
    section = record_section(ctx, cid, "Recurring trigger points")
    lines = dict(section.lines)
    assert lines["Sessions"].startswith("5 finalized") and lines["Sessions"].endswith(
        "last 5: Upper trapezius, right")
    assert lines["Upper trapezius, right"].startswith(
        "active in 3 of the last 5 sessions (recurring); treated in 3 of 5: "
        f"{DAY - timedelta(weeks=1):%Y-%m-%d} active, pressure 6/10, reduced")
    assert "Upper trapezius, left" not in lines  # only the draft had it


def test_an_amendment_that_corrects_the_side_moves_the_point(ctx, make_client):
    cid = make_client()
    nids = [_finalized(ctx, cid, DAY - timedelta(weeks=w), [UT_R]) for w in (3, 2, 1)]
    with ctx.write() as s:
        view = notes.get_note(nids[-1], session=s)
        corrected = view.content.model_copy(update={"trigger_points": [
            view.content.trigger_points[0].model_copy(update={"side": Side.LEFT})]})
        notes.amend(nids[-1], session=s, actor="Ana Lee", reason="wrong side",
                    content=corrected)
    with ctx.read() as s:
        grid = client_recurrence(cid, session=s, catalog=ctx.catalog)
    by_name = {r.name: r for r in grid.rows}
    assert by_name["Upper trapezius, right"].active_recent == 2
    assert not by_name["Upper trapezius, right"].flagged
    assert by_name["Upper trapezius, left"].cells[0] is not None

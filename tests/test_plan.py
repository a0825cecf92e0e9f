"""The plan of care: goals with a measure, a target and a status, how often and how many
sessions, re-assessment; edited in place, ended by a discharge, a new plan after it; kept in the
client's record (audited, dumped), in the clinical record, followed by the due list when a
session planned no next visit, and searchable with goal:; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from notes_tui.domain.plan import GoalStatus, plan_from_form, plan_to_form
from notes_tui.domain.text import FieldError
from notes_tui.services.api import Services
from notes_tui.services.due import due_list
from notes_tui.services.interchange import dump_document, import_document
from tests.conftest import record_section
from tests.test_search import _ids, _note

FORM = {
    "goal1_text": "Sit through a work meeting without pain", "goal1_term": "short",
    "goal1_measure": "PSFS: sitting", "goal1_target": "7 or more", "goal1_status": "not yet",
    "goal2_text": "Sleep through the night", "goal2_term": "long",
    "goal2_measure": "pain at night", "goal2_target": "below 3", "goal2_status": "not yet",
    "frequency": "weekly", "sessions": "6", "modalities": "NMT, trigger point release",
    "regions": "low back, hips", "reassess_on": "",
}


def test_the_form_is_read_as_typed_and_shown_back():
    today = datetime(2026, 10, 6).date()
    plan = plan_from_form(FORM, started_on=today)
    assert [g.text for g in plan.goals] == ["Sit through a work meeting without pain",
                                            "Sleep through the night"]
    assert plan.cadence == "weekly x 6" and plan.frequency_days == 7
    assert plan.goals[0].said == "Sit through a work meeting without pain (PSFS: sitting " \
                                 "target 7 or more)"
    back = plan_to_form(plan)
    assert plan_from_form(back, started_on=today) == plan
    for change, field, says in (
            ({"goal3_measure": "PSFS"}, "goal3_text", "is required when the goal has"),
            ({"sessions": "six"}, "sessions", "'six' is not a whole number"),
            ({"frequency": "daily"}, "frequency", "'daily' is not one of"),
            ({"reassess_on": "2026-02-30"}, "reassess on", "2026-02-30 is not a real date"),
            ({"goal1_text": "a\nb"}, "goal1_text", "must be on one line")):
        with pytest.raises(FieldError) as err:
            plan_from_form(FORM | change, started_on=today)
        assert err.value.field == field and says in err.value.message


def test_a_plan_is_followed_edited_discharged_and_a_new_one_started(ctx, make_client, settings,
                                                                    tmp_path):
    services = Services(ctx)
    cid = make_client("Óscar Núñez")
    today = datetime.now(ctx.settings.tz).date()
    started = services.clients.set_plan(cid, FORM).plan
    assert started is not None and started.started_on == today
    # moving a goal along edits the current plan; the day it started stays
    moved = services.clients.set_plan(cid, FORM | {"goal1_status": "partly"})
    assert len(moved.plans) == 1 and moved.plan.goals[0].status is GoalStatus.PARTLY
    assert moved.plan.started_on == today
    with pytest.raises(FieldError, match="is before the plan started"):
        services.clients.set_plan(cid, FORM | {"reassess_on": str(today - timedelta(days=1))})
    with pytest.raises(FieldError, match="choose where the goals ended"):
        services.clients.discharge(cid, {"on": str(today), "status": ""})
    ended = services.clients.discharge(cid, {
        "on": str(today), "status": "goals partly met", "reason": "moved away",
        "summary": "Six sessions; sitting much better.", "recommendations": "Keep stretching."})
    assert ended.plan is None and ended.plans[-1].discharge.reason == "moved away"
    with pytest.raises(FieldError, match="no current plan of care"):
        services.clients.discharge(cid, {"on": str(today), "status": "goals met"})
    again = services.clients.set_plan(cid, FORM | {"frequency": "every 2 weeks"}, new=True)
    assert len(again.plans) == 2 and again.plan.frequency_days == 14
    # the record lists both, newest first, with the discharge
    with ctx.read() as s:
        doc = dump_document(s)
    section = record_section(ctx, cid, "Plan of care")
    labels = [label for label, _ in section.lines]
    assert labels[0] == "Plan (current)" and "Discharged" in labels
    lines = dict(section.lines)
    assert lines["Discharged"] == f"{today:%Y-%m-%d}, goals partly met; moved away"
    goal_lines = [text for label, text in section.lines if label == "Short-term goal"]
    assert goal_lines == [  # the new plan's, then the discharged plan's, where it ended
        "Sit through a work meeting without pain (PSFS: sitting target 7 or more): not yet",
        "Sit through a work meeting without pain (PSFS: sitting target 7 or more): partly"]
    assert section.lines[0][1].startswith(f"since {today:%Y-%m-%d}, every 2 weeks x 6")
    # dumped and imported whole; verify holds
    from notes_tui.services.context import open_context
    from tests.test_audit_trail import _verify

    assert _verify(ctx).ok
    copy = open_context(f"sqlite:///{tmp_path / 'copy.sqlite3'}", settings)
    with copy.write() as s:
        import_document(doc, session=s, actor="Ana")
    with copy.read() as s:
        assert dump_document(s)["clients"] == doc["clients"]
    assert _verify(copy).ok
    copy.dispose()


def test_the_due_list_follows_the_plan_when_a_session_planned_no_next_visit(ctx, make_client):
    from notes_tui.domain.due import DueState

    services = Services(ctx)
    cid = make_client("Plan Only")
    today = datetime.now(ctx.settings.tz).date()
    _note(ctx, cid, start=f"{today - timedelta(days=10)} 10:00", next_visit_days=None)
    with ctx.read() as s:
        assert [d for d in due_list(s, today) if d.client_id == cid] == []  # nothing planned
    services.clients.set_plan(cid, FORM)  # weekly: due 3 days ago
    with ctx.read() as s:
        [d] = [d for d in due_list(s, today) if d.client_id == cid]
    assert (d.state, d.planned, d.said) == (DueState.OVERDUE, today - timedelta(days=3),
                                            "weekly x 6")
    assert d.plan == "the plan of care (weekly x 6)"
    assert _ids(ctx, "goal:meeting") == _ids(ctx, "goal:SLEEP") != []
    assert _ids(ctx, "goal:yoga") == []


def test_the_handout_shows_the_goals_of_the_plan_in_place_that_day(ctx, make_client, tmp_path):
    """"Your progress" tells the client their goals and where each stands, in plain words; a
    session before the plan started has none, and nothing therapist-only (modalities) is there."""
    from tests.ui.helpers import pdf_text

    services = Services(ctx)
    cid = make_client()
    today = datetime.now(ctx.settings.tz).date()
    before = _note(ctx, cid, start=f"{today - timedelta(days=20)} 10:00")
    services.clients.set_plan(cid, FORM)
    services.clients.set_plan(cid, FORM | {"goal1_status": "partly"})
    now = _note(ctx, cid, start=f"{today} 10:00")

    text = " ".join(pdf_text(services.handouts.export(now, out=tmp_path).path).split())
    assert "Your progress Your goals" in text
    assert ("Sit through a work meeting without pain (PSFS: sitting, aim: 7 or more): partly "
            "there") in text
    assert "Sleep through the night (pain at night, aim: below 3): working on it" in text
    assert "trigger point release" not in text
    earlier = " ".join(pdf_text(services.handouts.export(before, out=tmp_path).path).split())
    assert "Your goals" not in earlier and "Sit through a work meeting" not in earlier

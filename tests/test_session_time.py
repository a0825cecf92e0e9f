"""A session's day and start time typed apart (the editor's ctrl+t form) and the service verb that
moves a draft to them."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from notes_tui.domain.text import FieldError
from notes_tui.domain.values import session_start_from
from tests.conftest import full_note

TORONTO = ZoneInfo("America/Toronto")
MORNING = datetime(2026, 11, 3, 13, 30, tzinfo=UTC)  # 08:30 in Toronto, the next morning


def test_yesterday_today_and_a_date_in_the_clinics_zone():
    assert session_start_from("yesterday", "14:00", TORONTO, now=MORNING) == \
        datetime(2026, 11, 2, 14, 0, tzinfo=TORONTO)
    assert session_start_from("Today", "0745", TORONTO, now=MORNING) == \
        datetime(2026, 11, 3, 7, 45, tzinfo=TORONTO)
    assert session_start_from("2026-10-30", "9:05", TORONTO, now=MORNING) == \
        datetime(2026, 10, 30, 9, 5, tzinfo=TORONTO)
    # late at night in Toronto it is already tomorrow in UTC: "today" is the clinic's day
    late = datetime(2026, 11, 4, 3, 30, tzinfo=UTC)  # 22:30 on 3 November in Toronto
    assert session_start_from("today", "21:00", TORONTO, now=late).date().isoformat() == \
        "2026-11-03"


@pytest.mark.parametrize(("day", "clock", "field", "words"), [
    ("2026-02-30", "14:00", "date", "not a real date"),
    ("03/11/2026", "14:00", "date", "YYYY-MM-DD"),
    ("yesterday", "25:00", "start", "HH:MM"),
    ("yesterday", "2pm", "start", "HH:MM"),
    ("2026-03-08", "02:30", "start", "does not exist"),  # the clocks went forward
    ("2026-11-06", "10:00", "start", "in the future"),
])
def test_what_cannot_be_is_named_with_its_field(day, clock, field, words):
    with pytest.raises(FieldError) as err:
        session_start_from(day, clock, TORONTO, now=MORNING)
    assert err.value.field == field and words in err.value.message


def test_the_verb_moves_a_draft_once_audited_and_never_a_finalized_note(sctx):
    from notes_tui.services.api import Services
    from notes_tui.services.clients import create_client
    from notes_tui.services.errors import FinalizedNoteError
    from notes_tui.services.notes import finalize, start_draft

    with sctx.write() as s:
        cid = create_client({"name": "Jane Doe"}, session=s, actor="A").id
        nid = start_draft(cid, session=s, settings=sctx.settings, content=full_note()).id
    services = Services(sctx)
    view = services.notes.reschedule(nid, "yesterday", "14:00")
    assert view.local_start.hour == 14 and view.local_start.tzinfo.key == sctx.settings.timezone
    services.notes.reschedule(nid, "yesterday", "14:00")  # the same again: nothing recorded
    with sctx.read() as s:
        updates = s.execute(text("SELECT count(*) FROM audit_event WHERE action = 'update' "
                                 "AND entity_id = :n"), {"n": nid}).scalar_one()
    assert updates == 1
    with sctx.write() as s:
        finalize(nid, session=s, actor="A")
    with pytest.raises(FinalizedNoteError):
        services.notes.reschedule(nid, "today", "09:00")
    assert services.notes.get(nid).local_start == view.local_start

"""Who is due back: overdue, due within the week, lapsed; from each client's latest session and
the next visit it planned. The rule (domain), the query on SQLite and PostgreSQL, `notes-tui due
--json` and `--ics` on the sample data, and the calendar read back by a real iCalendar parser."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

from icalendar import Calendar

from notes_tui.domain.due import DueState, LastVisit, due_clients
from notes_tui.services import clients, notes
from notes_tui.services.api import Services
from notes_tui.services.due import due_calendar, due_list
from tests.conftest import full_note
from tests.test_cli import run

TODAY = date(2026, 12, 3)


def _visit(cid, day, *, days=None, on=None, name="Client"):
    return LastVisit(cid, f"uuid-{cid}", name, day, days, on)


def test_overdue_due_and_lapsed_are_told_apart_and_ordered():
    visits = [
        _visit(1, TODAY - timedelta(days=20), days=14, name="Ana"),    # planned 6 days ago
        _visit(2, TODAY - timedelta(days=10), days=14, name="Ben"),    # in 4 days
        _visit(3, TODAY - timedelta(days=200), days=14, name="Cy"),    # lapsed
        _visit(4, TODAY - timedelta(days=3), days=28, name="Di"),      # 25 days ahead: not listed
        _visit(5, TODAY - timedelta(days=15), days=14, name="Ed"),     # yesterday
        _visit(6, TODAY - timedelta(days=7), name="Flo"),              # planned nothing
        _visit(7, TODAY - timedelta(days=30), on=TODAY, name="Gus"),   # a date wins: today
        _visit(8, TODAY - timedelta(days=2), days=7, name="Hal"),      # in 5 days
    ]
    got = due_clients(visits, TODAY)
    assert [(d.name, d.state) for d in got] == [
        ("Ed", DueState.OVERDUE), ("Ana", DueState.OVERDUE),  # the most recently missed first
        ("Gus", DueState.DUE), ("Ben", DueState.DUE), ("Hal", DueState.DUE),  # soonest first
        ("Cy", DueState.LAPSED)]
    ed, ana, gus, ben = got[:4]
    assert (ed.when(TODAY), ana.when(TODAY), gus.when(TODAY), ben.when(TODAY)) == (
        "overdue by 1 day", "overdue by 6 days", "today", "in 4 days")
    assert (ana.plan, ana.said) == ("2 weeks after the last visit", "in 2 weeks")
    assert gus.plan == f"on {TODAY:%Y-%m-%d}"
    # a wider window takes in Di; a shorter lapse turns Ana lapsed too
    assert "Di" in [d.name for d in due_clients(visits, TODAY, window=30)]
    assert [d.name for d in due_clients(visits, TODAY, lapsed_after=5)
            if d.state is DueState.LAPSED] == ["Ana", "Cy"]


def _note(ctx, cid, start, **over):
    with ctx.write() as s:
        nid = notes.start_draft(cid, session=s, settings=ctx.settings,
                                content=full_note(**over), session_start=start).id
    return nid


def test_the_latest_session_sets_the_plan_and_archived_clients_are_left_out(ctx, make_client):
    overdue = make_client("Óscar Ñúñez")
    booked = make_client("Bea Booked")
    archived = make_client("Art Archived")
    never = make_client("Nell New")  # no session yet: nothing planned
    _note(ctx, overdue, "2026-11-01 10:00", next_visit_days=14)  # planned 11-15
    _note(ctx, booked, "2026-10-01 10:00", next_visit_days=14)  # would be lapsed, but...
    _note(ctx, booked, "2026-11-30 10:00", next_visit_days=7)  # ...she came: due 12-07 (a draft)
    _note(ctx, archived, "2026-11-01 10:00", next_visit_days=7)
    with ctx.write() as s:
        clients.archive_client(archived, session=s, actor="Ana")
    with ctx.read() as s:
        got = {d.client_id: d for d in due_list(s, TODAY)}
    assert set(got) == {overdue, booked}
    assert never not in got
    assert (got[overdue].state, got[overdue].planned, got[overdue].last_visit,
            got[overdue].visits) == (DueState.OVERDUE, date(2026, 11, 15), date(2026, 11, 1), 1)
    assert (got[booked].state, got[booked].planned, got[booked].visits) == (
        DueState.DUE, date(2026, 12, 7), 2)
    assert got[overdue].name == "Óscar Ñúñez"


def test_a_session_late_in_the_evening_counts_on_its_own_day(ctx, make_client):
    """23:30 in Toronto is already the next day in UTC: the plan counts from the session's day
    where it happened."""
    cid = make_client()
    _note(ctx, cid, "2026-11-19 23:30", next_visit_days=14)  # settings: America/Toronto
    with ctx.read() as s:
        [d] = due_list(s, TODAY)
    assert (d.last_visit, d.planned) == (date(2026, 11, 19), date(2026, 12, 3))
    assert d.when(TODAY) == "today"


HOSTILE_NAME = "Zoë [b]Sato[/b]\u202e;,\\ BEGIN:VEVENT"


def test_the_calendar_parses_holds_no_clinical_text_and_keeps_stable_uids(ctx, make_client):
    cid = make_client(HOSTILE_NAME, contraindications="Avoid deep pressure: DVT history")
    _note(ctx, cid, "2026-11-01 10:00", next_visit_days=14,
          complaint="Headaches at the temples after work")
    second = make_client("Ben Soon")
    _note(ctx, second, "2026-11-30 10:00", next_visit_days=7)
    lapsed = make_client("Lapsed Lu")
    _note(ctx, lapsed, "2026-01-01 10:00", next_visit_days=7)
    with ctx.read() as s:
        due = due_list(s, TODAY)
    data = due_calendar(due, TODAY, practice="Quiet Hands",
                        now=datetime(2026, 12, 3, 12, 0).astimezone())
    cal = Calendar.from_ical(data)
    events = list(cal.walk("VEVENT"))
    assert len(events) == 2  # the lapsed client is a list to go through, not a reminder
    by_summary = {str(e["SUMMARY"]): e for e in events}
    with ctx.read() as s:
        stored = clients.get_client(cid, session=s).name  # as the client list shows it
    assert stored.startswith("Zoë [b]Sato[/b]") and stored.endswith(";,\\ BEGIN:VEVENT")
    overdue = by_summary[f"Call to book: {stored}"]  # escaped, and read back whole
    assert overdue.decoded("DTSTART") == TODAY  # overdue: on today, not in the past
    assert overdue["SEQUENCE"] == 18  # moved each day since 2026-11-15: newer than before
    assert str(overdue["DESCRIPTION"]) == (
        "Next visit planned 2026-11-15 (2 weeks after the last visit); last visit 2026-11-01.")
    soon = by_summary["Due back: Ben Soon"]
    assert soon.decoded("DTSTART") == date(2026, 12, 7)
    assert soon.decoded("DTEND") == date(2026, 12, 8)
    text = data.decode("utf-8")
    for clinical in ("Headaches", "temples", "DVT", "pressure", "trigger", "upper_trapezius"):
        assert clinical not in text
    assert str(cal["X-WR-CALNAME"]) == "Due back: Quiet Hands"
    again = Calendar.from_ical(due_calendar(due, TODAY))
    assert sorted(str(e["UID"]) for e in again.walk("VEVENT")) == sorted(
        str(e["UID"]) for e in events)  # written again: the same entries, updated not doubled


def test_due_json_and_ics_on_the_sample_data(tmp_path):
    db = tmp_path / "notes.sqlite3"
    run("demo", "--clients", "12", "--notes", "60", db=db)
    doc = json.loads(run("due", "--json", db=db).stdout)
    states = [c["state"] for c in doc["clients"]]
    # the sample data has clients who come regularly, a few overdue and one lapsed
    assert states.count("overdue") >= 2 and states.count("lapsed") == 1
    assert states == sorted(states, key=["overdue", "due", "lapsed"].index)
    today = date.fromisoformat(doc["today"])
    for c in doc["clients"]:
        planned = date.fromisoformat(c["planned"])
        assert c["days_from_today"] == (planned - today).days
        if c["state"] == "overdue":
            assert planned < today and c["when"].startswith("overdue by ")
        assert date.fromisoformat(c["last_visit"]) < planned
    text = run("due", db=db).stdout
    assert f"{states.count('overdue')} clients overdue" in text
    out = tmp_path / "due.ics"
    proc = run("due", "--ics", str(out), db=db)
    assert proc.stderr.startswith(f"wrote {out}")
    events = list(Calendar.from_ical(out.read_bytes()).walk("VEVENT"))
    assert len(events) == len([c for c in doc["clients"] if c["state"] != "lapsed"])
    assert (out.stat().st_mode & 0o777) == 0o600  # the file names clients: private


def test_due_ics_that_cannot_be_written_is_one_line(tmp_path):
    db = tmp_path / "notes.sqlite3"
    run("demo", "--clients", "3", "--notes", "6", db=db)
    proc = run("due", "--ics", "/dev/full", db=db, check=False)  # a device: written in place
    assert proc.returncode != 0 and len(proc.stderr.strip().splitlines()) == 1
    assert "Traceback" not in proc.stderr
    (tmp_path / "a-file").write_text("kept", encoding="utf-8")
    proc = run("due", "--ics", str(tmp_path / "a-file" / "due.ics"), db=db, check=False)
    assert proc.returncode != 0 and len(proc.stderr.strip().splitlines()) == 1
    assert "a-file" in proc.stderr and "Traceback" not in proc.stderr
    assert (tmp_path / "a-file").read_text(encoding="utf-8") == "kept"


def test_the_service_writes_the_calendar_into_the_exports_folder(ctx, make_client, tmp_path,
                                                                 monkeypatch):
    from notes_tui.services.api import Due

    monkeypatch.setattr(Due, "today", lambda self: TODAY)
    cid = make_client()
    _note(ctx, cid, "2026-11-01 10:00", next_visit_days=14)
    path, entries = Services(ctx).due.write_calendar(out=tmp_path / "exports")
    assert path == tmp_path / "exports" / "due-back-2026-12-03.ics" and entries == 1
    [event] = Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Call to book: Jane Doe"


def test_search_due_filters_the_notes_of_clients_overdue_soon_or_lapsed(ctx, make_client):
    from notes_tui.domain.text import FieldError
    from tests.test_search import _ids

    today = datetime.now(ctx.settings.tz).date()
    late, soon, gone = make_client("Late Lou"), make_client("Soon Sue"), make_client("Gone Gil")
    late_id = _note(ctx, late, f"{today - timedelta(days=30)} 10:00", next_visit_days=14)
    soon_id = _note(ctx, soon, f"{today - timedelta(days=2)} 10:00", next_visit_days=7)
    gone_id = _note(ctx, gone, f"{today - timedelta(days=200)} 10:00", next_visit_days=7)
    assert _ids(ctx, "due:overdue") == [late_id]
    assert _ids(ctx, "due:soon") == [soon_id]
    assert _ids(ctx, "due:lapsed") == [gone_id]
    assert _ids(ctx, "due:overdue headaches") == [late_id]  # with words, ranked as ever
    try:
        _ids(ctx, "due:later")
    except FieldError as err:
        assert "'later' is not a due state" in err.message
    else:
        raise AssertionError("due:later was taken")


def test_a_blank_draft_does_not_take_a_client_off_the_list(ctx, make_client):
    """Opening a note by mistake (nothing typed) is no visit; a written draft is."""
    cid = make_client("Still Overdue")
    _note(ctx, cid, "2026-11-01 10:00", next_visit_days=14)
    with ctx.write() as s:
        notes.start_draft(cid, session=s, settings=ctx.settings)  # blank, now
    with ctx.read() as s:
        [d] = due_list(s, TODAY)
    assert (d.client_id, d.state, d.last_visit) == (cid, DueState.OVERDUE, date(2026, 11, 1))
    with ctx.write() as s:
        notes.start_draft(cid, session=s, settings=ctx.settings,
                          content={"complaint": "Came in today"},
                          session_start="2026-12-02 10:00")
    with ctx.read() as s:
        assert due_list(s, TODAY) == []  # she came; that draft planned nothing yet

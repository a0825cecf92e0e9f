"""Retention (CMTO): keep-until dates, pure and from a real database; the CLI lists them."""
import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime

import pytest

from notes_tui.domain.retention import add_years, keep_until
from notes_tui.domain.rotation import backups_to_keep


@pytest.mark.parametrize(("last", "born", "expected"), [
    (date(2020, 5, 1), date(1980, 1, 1), date(2030, 5, 1)),  # an adult: 10 years after
    (date(2020, 5, 1), None, date(2030, 5, 1)),  # no date of birth: 10 years after
    (None, date(1980, 1, 1), None),  # no visit: nothing clinical to keep
    (None, None, None),
    # under 18 at the last visit: 10 years after the 18th birthday (2032-03-10 -> 2042)
    (date(2025, 6, 1), date(2014, 3, 10), date(2042, 3, 10)),
    # 17 at the visit, 18 soon after: the birthday rule is still later
    (date(2020, 3, 9), date(2002, 3, 10), date(2030, 3, 10)),
    # 18 on the day of the visit: an adult, 10 years after the visit
    (date(2020, 3, 10), date(2002, 3, 10), date(2030, 3, 10)),
    # 17 at the visit, 18 five months later: the later birthday rule wins
    (date(2010, 1, 1), date(1992, 6, 1), date(2020, 6, 1)),
    # born February 29: 18 on 2022-03-01 (a common year), then + 10 years
    (date(2015, 1, 1), date(2004, 2, 29), date(2032, 3, 1)),
    # a last visit on February 29: 10 years later is a common year -> March 1
    (date(2024, 2, 29), date(1970, 1, 1), date(2034, 3, 1)),
    # a last visit on February 29, 2016: 2026 is a common year
    (date(2016, 2, 29), None, date(2026, 3, 1)),
])
def test_keep_until(last, born, expected):
    assert keep_until(last, born) == expected


def test_add_years_keeps_leap_days_when_it_can():
    assert add_years(date(2000, 2, 29), 4) == date(2004, 2, 29)
    assert add_years(date(2000, 2, 29), 1) == date(2001, 3, 1)
    assert add_years(date(2001, 3, 1), 10) == date(2011, 3, 1)


def test_a_minor_born_feb_29_turning_18_in_a_leap_year():
    # born 2008-02-29: 18 on 2026-03-01 (2026 is common); +10 -> 2036-03-01
    assert keep_until(date(2020, 1, 1), date(2008, 2, 29)) == date(2036, 3, 1)


def test_rotation_pure_edge_cases():
    assert backups_to_keep([]) == set()
    one = datetime(2026, 1, 1, tzinfo=UTC)
    assert backups_to_keep([one]) == {one}
    same_day = [datetime(2026, 1, 1, h, tzinfo=UTC) for h in range(10)]
    assert backups_to_keep(same_day) == {same_day[-1]}


def _note_at(ctx, cid, when):
    from notes_tui.services import notes

    with ctx.write() as s:
        return notes.start_draft(cid, session=s, settings=ctx.settings, session_start=when).id


def test_retention_report_past_and_kept(sctx):
    from notes_tui.services.clients import create_client
    from notes_tui.services.retention import retention_report

    with sctx.write() as s:
        old = create_client({"name": "Old Adult", "date_of_birth": "1950-01-01"},
                            session=s, actor="A").id
        minor = create_client({"name": "Was A Minor", "date_of_birth": "2005-07-01"},
                              session=s, actor="A").id
        recent = create_client({"name": "Recent"}, session=s, actor="A").id
        never = create_client({"name": "Never Came"}, session=s, actor="A").id
    _note_at(sctx, old, datetime(2012, 3, 1, 15, tzinfo=UTC))
    _note_at(sctx, old, datetime(2014, 6, 1, 15, tzinfo=UTC))
    _note_at(sctx, minor, datetime(2014, 6, 1, 15, tzinfo=UTC))  # aged 8
    _note_at(sctx, recent, datetime(2025, 6, 1, 15, tzinfo=UTC))
    with sctx.read() as s:
        report = retention_report(s, date(2026, 12, 2), tz=sctx.settings.tz)
    by_id = {c.client_id: c for c in report.clients}
    assert by_id[old].last_visit == date(2014, 6, 1)
    assert by_id[old].keep_until == date(2024, 6, 1)
    assert by_id[minor].keep_until == date(2033, 7, 1)  # 18 on 2023-07-01, + 10 years
    assert by_id[recent].keep_until == date(2035, 6, 1)
    assert by_id[never].keep_until is None and by_id[never].notes == 0
    assert [c.client_id for c in report.past] == [old]
    assert {c.client_id for c in report.kept} == {minor, recent}
    assert [c.client_id for c in report.no_visits] == [never]


def test_cli_retention_json_and_text(sctx):
    from notes_tui.services.clients import create_client

    with sctx.write() as s:
        old = create_client({"name": "Long Gone"}, session=s, actor="A").id
        kept = create_client({"name": "Still Here"}, session=s, actor="A").id
    _note_at(sctx, old, datetime(2001, 3, 1, 15, tzinfo=UTC))
    _note_at(sctx, kept, datetime(2026, 3, 1, 15, tzinfo=UTC))
    db = sctx.url.removeprefix("sqlite:///")
    cmd = [sys.executable, "-m", "notes_tui", "--db", db, "retention"]
    out = json.loads(subprocess.run([*cmd, "--json"], capture_output=True, text=True,
                                    env=os.environ.copy(), check=True).stdout)
    assert [(c["id"], c["keep_until"]) for c in out["past"]] == [(old, "2011-03-01")]
    assert [(c["id"], c["keep_until"]) for c in out["kept"]] == [(kept, "2036-03-01")]
    human = subprocess.run(cmd, capture_output=True, text=True, env=os.environ.copy(),
                           check=True).stdout
    assert "1 client past their keep-until date" in human
    assert "Long Gone" in human and "keep until 2011-03-01" in human
    assert "1 client must still be kept" in human and "keep until 2036-03-01" in human


def test_the_clinical_record_and_the_client_screen_data_show_keep_until(sctx, tmp_path):
    from notes_tui.services.api import Services
    from notes_tui.services.clients import create_client
    from tests.test_one_read_model import pdf_text

    with sctx.write() as s:
        cid = create_client({"name": "Was A Minor", "date_of_birth": "2005-07-01"},
                            session=s, actor="A").id
    _note_at(sctx, cid, datetime(2014, 6, 1, 15, tzinfo=UTC))
    services = Services(sctx)
    assert services.clients.history(cid).keep_until == date(2033, 7, 1)
    text = pdf_text(services.records.export(cid, out=tmp_path))
    assert "Keep records until 2033-07-01" in " ".join(text.split())


def _old_client_with_records(ctx, name="Old Timer"):
    from notes_tui.services import notes
    from notes_tui.services.clients import create_client
    from tests.conftest import full_note

    with ctx.write() as s:
        cid = create_client({"name": name, "consent_on_file": "2010-01-05"}, session=s,
                            actor="A").id
    ids = []
    for year in (2012, 2014):
        with ctx.write() as s:
            nid = notes.start_draft(cid, session=s, settings=ctx.settings, content=full_note(),
                                    session_start=datetime(year, 3, 1, 15, tzinfo=UTC)).id
        with ctx.write() as s:
            notes.finalize(nid, session=s, actor="A")
        with ctx.write() as s:
            notes.amend(nid, reason="typo", text="a correction", session=s, actor="A")
        ids.append(nid)
    return cid, ids


def test_retention_delete_refuses_before_and_deletes_audited_after(ctx):
    import sqlite3

    from sqlalchemy import text

    from notes_tui.db.backends import sqlite as backend
    from notes_tui.services.api import Services
    from notes_tui.services.audit import verify
    from notes_tui.services.errors import ServiceError
    from notes_tui.services.note_digests import sealed_notes

    cid, note_ids = _old_client_with_records(ctx)
    keep, _ = _old_client_with_records(ctx, "Other Client")
    services = Services(ctx)
    with pytest.raises(ServiceError, match="must be kept until 2024-03-01"):
        services.retention.delete(cid, today=date(2024, 3, 1))  # the last day: still kept
    deleted = services.retention.delete(cid, today=date(2024, 3, 2))
    assert (deleted.notes, deleted.finalized_notes, deleted.amendments) == (2, 2, 2)
    with ctx.read() as s:
        assert s.execute(text("SELECT count(*) FROM client WHERE id = :c"), {"c": cid}
                         ).scalar() == 0
        assert s.execute(text("SELECT count(*) FROM note WHERE client_id = :c"), {"c": cid}
                         ).scalar() == 0
        assert s.execute(text("SELECT count(*) FROM note")).scalar() == 2  # the other's
        events = s.execute(text("SELECT action, entity, entity_id, actor, digest FROM "
                                "audit_event ORDER BY seq DESC LIMIT 5")).all()
        assert [(e.action, e.entity) for e in events] == [
            ("delete", "client"), ("delete", "note"), ("delete", "note"),
            ("delete", "amendment"), ("delete", "amendment")]
        assert events[0].entity_id == cid and {e.entity_id for e in events[1:3]} == set(note_ids)
        assert all(e.actor == "Ana Lee" for e in events)
        report = verify(s, sealed_notes=sealed_notes)
        assert report.ok, report.problems
    # the lock triggers are back: raw SQL still cannot delete a finalized note
    from sqlalchemy.exc import DatabaseError

    with pytest.raises(DatabaseError, match="finalized"), ctx.engine.connect() as conn:
        conn.execute(text("DELETE FROM note WHERE client_id = :c"), {"c": keep})
    if ctx.dialect == "sqlite":  # exactly as the app makes them
        con = sqlite3.connect(ctx.url.removeprefix("sqlite:///"))
        triggers = {r[0] for r in con.execute(
            "SELECT sql FROM sqlite_master WHERE type='trigger'")}
        con.close()
        assert triggers == set(backend.lock_triggers_ddl())


def test_cli_retention_delete_needs_yes_without_a_terminal(sctx):
    cid, _ = _old_client_with_records(sctx)
    db = sctx.url.removeprefix("sqlite:///")
    cmd = [sys.executable, "-m", "notes_tui", "--db", db, "retention", "delete", str(cid)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=os.environ.copy(),
                          stdin=subprocess.DEVNULL)
    assert proc.returncode == 2 and "--yes" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    proc = subprocess.run([*cmd, "--yes"], capture_output=True, text=True,
                          env=os.environ.copy())
    assert proc.returncode == 0, proc.stderr
    assert f"deleted client {cid} (Old Timer): 2 notes (2 finalized), 2 amendments" in proc.stdout
    recent, _ = _old_client_with_records(sctx, "Recent")
    from notes_tui.services import notes

    with sctx.write() as s:
        notes.start_draft(recent, session=s, settings=sctx.settings)  # a visit today
    proc = subprocess.run([*cmd[:-1], str(recent), "--yes"], capture_output=True, text=True,
                          env=os.environ.copy())
    assert proc.returncode == 1 and "must be kept until" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1

"""CHECK constraints refuse bad rows even from raw SQL (table models do not validate)."""

import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from notes_tui.db.models import Client

NOW = "'2026-01-01 10:00:00'"


def _client(conn) -> int:
    conn.execute(text(f"INSERT INTO client (uuid, name, preferred_name, phone, email, "
                      f"health_history, contraindications, sensitive_area_consent, archived, "
                      f"created_at, updated_at) VALUES ('{uuid.uuid4()}', 'Jane', '', '', '', '',"
                      f" '', false, false, {NOW}, {NOW})"))
    return conn.execute(text("SELECT max(id) FROM client")).scalar()


NOTE_ROW = {
    "therapist_name": "''", "therapist_registration": "''", "session_start": NOW,
    "timezone": "'UTC'", "technique": "'neuromuscular'", "status": "'draft'", "complaint": "''",
    "therapist_summary": "''", "client_summary": "''", "advice": "''", "what_to_expect": "''",
    "when_to_contact": "''", "referral": "''", "created_at": NOW, "updated_at": NOW,
}


def _insert_note(conn, cid: int, **over) -> None:
    row = {"uuid": f"'{uuid.uuid4()}'", "client_id": str(cid), **NOTE_ROW, **{k: str(v) for k, v in over.items()}}
    conn.execute(text(f"INSERT INTO note ({', '.join(row)}) VALUES ({', '.join(row.values())})"))


def test_a_valid_raw_row_is_accepted(ctx):
    with ctx.engine.begin() as conn:
        _insert_note(conn, _client(conn), pain_before=10, duration_minutes=1)


@pytest.mark.parametrize("column,value", [("pain_before", 11), ("pain_before", -1),
                                          ("pain_after", 11), ("duration_minutes", 0),
                                          ("status", "'signed'"), ("technique", "'reiki'"),
                                          ("status", "'final'")])
def test_note_checks(ctx, column, value):
    with ctx.engine.begin() as conn:
        cid = _client(conn)
    with pytest.raises(IntegrityError), ctx.engine.begin() as conn:
        _insert_note(conn, cid, **{column: value})


@pytest.mark.parametrize("name", ["", "   "])
def test_client_name_check(ctx, name):
    with pytest.raises(IntegrityError), ctx.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO client (uuid, name, preferred_name, phone, email, health_history, "
            "contraindications, sensitive_area_consent, archived, created_at, updated_at) "
            f"VALUES ('{uuid.uuid4()}', :n, '', '', '', '', '', false, false, {NOW}, {NOW})"),
            {"n": name})


def test_table_model_does_not_validate_but_the_database_does(ctx):
    """SQLModel accepts Client(name='') in Python; the CHECK constraint stops it."""
    from datetime import UTC, datetime

    with pytest.raises(IntegrityError), ctx.write() as s:
        s.add(Client(name="", created_at=datetime.now(UTC), updated_at=datetime.now(UTC)))


def test_trigger_point_pressure_check(ctx, make_client):
    from notes_tui.services import notes

    cid = make_client()
    with ctx.write() as s:
        nid = notes.start_draft(cid, session=s, settings=ctx.settings).id
    with pytest.raises(IntegrityError), ctx.engine.begin() as conn:
        conn.execute(text("INSERT INTO note_trigger_point (note_id, position, muscle, side, label, "
                          "referred_pain, activity, technique, pressure, note, confirmed) VALUES "
                          f"({nid}, 1, 'Soleus', 'left', '', '', 'active', 'x', 11, '', true)"))

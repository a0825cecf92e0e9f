"""The practice's details (the first-run set-up, the palette's "Practice details") written into
settings.toml: every other line and comment kept, values cleaned like the app's fields, a bad
value named and the file left as it was; and the handout made right after shows them."""

from __future__ import annotations

import os
import stat

import pytest
from pypdf import PdfReader

from notes_tui.domain.text import FieldError
from notes_tui.services.identity import set_practice
from notes_tui.settings import load_settings
from tests.conftest import full_note, hostile

DETAILS = {"therapist_name": "Ana Lee", "registration_number": "RMT-1234",
           "clinic_name": "Harbour Street Massage", "clinic_phone": "416-555-0100",
           "clinic_email": "desk@harbour.example", "clinic_address": "12 Harbour St, Toronto",
           "clinic_website": "harbour.example", "timezone": "America/Toronto",
           "paper_size": "Letter"}


def test_written_with_the_files_comments_and_other_tables_kept(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text('# my settings\ntheme = "textual-light"  # kept\n\n[clinic]\n'
                    '# the clinic, as on the sign\nname = "Old name"\n\n[keymap]\n'
                    '"app.quit" = "ctrl+q"\n', encoding="utf-8")
    written = set_practice(DETAILS, path=path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith('# my settings\ntheme = "textual-light"  # kept\n')
    assert "# the clinic, as on the sign" in text and '"app.quit" = "ctrl+q"' in text
    assert text.count("[clinic]") == 1 and "Old name" not in text
    assert load_settings(path) == written
    assert written.clinic.phone == "416-555-0100" and written.paper_size == "Letter"
    assert written.theme == "textual-light" and written.keymap == {"app.quit": "ctrl+q"}
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


@pytest.mark.parametrize(("key", "value", "field"), [
    ("therapist_name", "", "therapist name"),
    ("timezone", "Mars/Olympus", "timezone"),
    ("clinic_email", "desk at harbour", "clinic_email"),
    ("paper_size", "B5", "paper_size"),
    ("clinic_phone", "x" * 101, "phone"),
])
def test_a_bad_value_is_named_and_the_file_left_as_it_was(tmp_path, key, value, field):
    path = tmp_path / "settings.toml"
    path.write_text('therapist_name = "Ana"\n', encoding="utf-8")
    with pytest.raises(FieldError) as err:
        set_practice({**DETAILS, key: value}, path=path)
    assert err.value.field == field
    assert path.read_text(encoding="utf-8") == 'therapist_name = "Ana"\n'


def test_an_empty_time_zone_is_this_computers(tmp_path, monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Paris")
    assert set_practice({**DETAILS, "timezone": ""}, path=tmp_path / "s.toml").timezone == \
        "Europe/Paris"


@pytest.mark.parametrize("entry", [e for e in hostile("name") if e["expect"] in
                                   ("reject-or-strip-bidi-controls", "reject-or-strip-invisible",
                                    "accept-verbatim")], ids=lambda e: e["id"])
def test_hostile_names_are_kept_clean_or_refused(tmp_path, entry):
    path = tmp_path / "settings.toml"
    try:
        written = set_practice({**DETAILS, "therapist_name": entry["value"],
                                "clinic_name": entry["value"]}, path=path)
    except FieldError:
        assert not path.exists()
        return
    for value in (written.therapist_name, written.clinic.name):
        assert not any(ch in value for ch in "\u202e\u202d\u200b\x1b\n")
    assert load_settings(path) == written


def test_the_handout_made_right_after_shows_the_clinics_phone_and_email(sctx, tmp_path):
    from notes_tui.services.api import Services
    from notes_tui.services.clients import create_client
    from notes_tui.services.notes import finalize, start_draft

    services = Services(sctx)
    services.identity.set_practice(DETAILS)
    with sctx.write() as s:
        cid = create_client({"name": "Jane Doe", "consent_on_file": "2026-01-05"}, session=s,
                            actor="A").id
        nid = start_draft(cid, session=s, settings=sctx.settings, content=full_note()).id
    with sctx.write() as s:
        finalize(nid, session=s, actor="Ana Lee")
    pdf = services.handouts.export(nid, out=tmp_path / "exports").path
    reader = PdfReader(str(pdf))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    for shown in ("416-555-0100", "desk@harbour.example", "Harbour Street Massage"):
        assert shown in text, shown
    width = float(reader.pages[0].mediabox.width)
    assert round(width) == 612  # Letter, as set (A4 is 595)


def test_an_email_needs_a_domain_with_a_dot(tmp_path):
    with pytest.raises(FieldError):
        set_practice({**DETAILS, "clinic_email": "front@example"}, path=tmp_path / "s.toml")


def test_a_first_start_closed_before_the_form_was_saved_asks_again(tmp_path, settings):
    """No settings yet and a database with no client (made by the first start) is still a
    first start; one with a client, or another program's answer, is not."""
    from notes_tui.cli import _no_clients_yet
    from notes_tui.services.clients import create_client
    from notes_tui.services.context import open_context

    db = tmp_path / "notes.sqlite3"
    url = f"sqlite:///{db}"
    assert _no_clients_yet(url)  # nothing there yet
    ctx = open_context(url, settings)  # the first start made it, then was closed
    assert _no_clients_yet(url)
    with ctx.write() as s:
        create_client({"name": "Jane Doe"}, session=s, actor="A")
    ctx.dispose()
    assert not _no_clients_yet(url)
    assert not _no_clients_yet("postgresql+psycopg://u@127.0.0.1/x")
    (tmp_path / "junk.sqlite3").write_bytes(b"not a database at all, just bytes")
    assert not _no_clients_yet(f"sqlite:///{tmp_path / 'junk.sqlite3'}")

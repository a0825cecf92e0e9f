"""The therapist's name and registration, set from the app into settings.toml: only those two
lines change, a bad value or a file that would stop loading is refused with nothing written,
and a draft started before the name was set takes it."""

import os
import stat

import pytest

from notes_tui.domain.text import FieldError
from notes_tui.services import clients, notes
from notes_tui.services.errors import FinalizedNoteError
from notes_tui.services.identity import set_identity
from notes_tui.settings import SettingsError, load_settings
from tests.conftest import full_note


def test_a_new_settings_file_gets_the_name_and_is_private(tmp_path):
    path = tmp_path / "config" / "settings.toml"
    got = set_identity("Ana Lee", "RMT-1234", path=path)
    assert (got.therapist_name, got.registration_number) == ("Ana Lee", "RMT-1234")
    assert load_settings(path).author == "Ana Lee"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_only_the_two_lines_change_in_an_existing_file(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text('# my clinic\ntimezone = "America/Toronto"\ntherapist_name = ""\n\n'
                    '[clinic]\nname = "Harbour Street"  # keep this comment\n', encoding="utf-8")
    set_identity('Zoë "Z" Ångström', "", path=path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith('# my clinic\ntimezone = "America/Toronto"\n')
    assert text.index("registration_number") < text.index("[clinic]")  # top level, not clinic's
    assert 'name = "Harbour Street"  # keep this comment' in text
    assert text.count("therapist_name") == 1
    s = load_settings(path)
    assert s.therapist_name == 'Zoë "Z" Ångström' and s.timezone == "America/Toronto"
    assert s.clinic.name == "Harbour Street"


def test_bad_values_and_a_file_that_would_break_are_refused_unchanged(tmp_path):
    path = tmp_path / "settings.toml"
    for name in ("", "   ", "two\nlines", "x" * 201):
        with pytest.raises(FieldError):
            set_identity(name, "", path=path)
    assert not path.exists()
    original = 'paper_size = "B5"  # a value the settings refuse\n'
    path.write_text(original, encoding="utf-8")
    with pytest.raises(SettingsError):
        set_identity("Ana Lee", "", path=path)
    assert path.read_text(encoding="utf-8") == original
    path.write_text('therapist_name = """Ana\nLee"""\n', encoding="utf-8")  # multi-line
    assert set_identity("Ana Lee", "", path=path).therapist_name == "Ana Lee"


def test_a_draft_started_without_a_name_is_signed_once(sctx):
    with sctx.write() as s:
        cid = clients.create_client({"name": "Jane Doe"}, session=s, actor="A").id
        nid = notes.start_draft(cid, session=s, settings=sctx.settings.__class__(),
                                content=full_note()).id
    with sctx.write() as s:
        assert notes.sign_draft(nid, name="Ana Lee", registration="RMT-1", session=s,
                                actor="Ana Lee")
    with sctx.write() as s:
        assert not notes.sign_draft(nid, name="Someone Else", registration="", session=s,
                                    actor="Someone Else")
        view = notes.get_note(nid, session=s)
    assert (view.therapist_name, view.therapist_registration) == ("Ana Lee", "RMT-1")
    with sctx.write() as s:
        notes.finalize(nid, session=s, actor="Ana Lee")
    with sctx.write() as s, pytest.raises(FinalizedNoteError):
        notes.sign_draft(nid, name="X", registration="", session=s, actor="X")

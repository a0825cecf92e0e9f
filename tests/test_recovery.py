"""Recovery files (services/recovery.py): private, atomic, one per note and editing session,
read back validated; a corrupt one is set aside, never a crash. And the plain words for why a
save failed: a therapist reads "the disk is full", never a class name."""

from __future__ import annotations

import errno
import sqlite3
import stat

import pytest

from notes_tui.domain.note import NoteContent
from notes_tui.services import recovery


def _keep(note_id=7, session="abc123", complaint="Sore neck", **kw):
    return recovery.keep(note_id=note_id, client_id=3, client_name="Jane Doe",
                         content=NoteContent(complaint=complaint).model_dump(mode="json"),
                         edit_session=session, reason="the disk is full", **kw)


def test_a_kept_file_is_private_and_reads_back_whole():
    from notes_tui.paths import recovery_dir

    path = _keep()
    assert path.parent == recovery_dir()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    found = recovery.scan()
    assert found.set_aside == []
    [kept] = found.kept
    assert (kept.note_id, kept.client_id, kept.client_name) == (7, 3, "Jane Doe")
    assert kept.content["complaint"] == "Sore neck" and kept.reason == "the disk is full"
    assert kept.kept_at.tzinfo is not None
    assert list(path.parent.iterdir()) == [path]  # no temporary file left behind


def test_one_file_per_editing_session_rewritten_in_place():
    first = _keep(complaint="Sore")
    again = _keep(complaint="Sore neck and shoulder")
    other = _keep(session="another")
    assert first == again and other != first
    by_session = {k.path: k.content["complaint"] for k in recovery.scan().kept}
    assert by_session[first] == "Sore neck and shoulder" and len(by_session) == 2


@pytest.mark.parametrize("text", ["{not json", '{"format": "something else"}',
                                  '{"format": "notes-tui-recovery", "client_id": 1, '
                                  '"kept_at": "2026-03-02T10:00:00+00:00", '
                                  '"content": {"pain_before": 99}}', ""])
def test_a_corrupt_file_is_set_aside_and_the_good_ones_still_read(text):
    good = _keep()
    bad = good.with_name("note-9-zzz.json")
    bad.write_text(text, encoding="utf-8")
    found = recovery.scan()
    assert [k.path for k in found.kept] == [good]
    assert found.set_aside == [bad.with_name("note-9-zzz.json.corrupt")]
    assert not bad.exists() and found.set_aside[0].read_text(encoding="utf-8") == text
    assert recovery.scan().set_aside == []  # told once


def test_no_folder_means_nothing_kept():
    assert recovery.scan() == recovery.Scan([], [])


def test_forget_removes_the_file():
    path = _keep()
    recovery.forget(path)
    assert recovery.scan().kept == [] and not path.exists()


# --- plain words --------------------------------------------------------------------------

def _wrapped(orig: BaseException) -> BaseException:
    """As SQLAlchemy raises it: a DBAPIError carrying the driver's error as .orig."""
    from sqlalchemy.exc import OperationalError

    return OperationalError("UPDATE note SET ...", {}, orig)


@pytest.mark.parametrize(("exc", "words"), [
    (OSError(errno.ENOSPC, "No space left on device"), "the disk is full"),
    (_wrapped(sqlite3.OperationalError("database or disk is full")), "the disk is full"),
    (_wrapped(sqlite3.OperationalError("attempt to write a readonly database")),
     "the database is read-only"),
    (OSError(errno.EROFS, "Read-only file system"), "the disk is read-only"),
    (_wrapped(sqlite3.OperationalError("database is locked")),
     "another program is writing to the database"),
    (_wrapped(sqlite3.OperationalError("database is busy")),
     "another program is writing to the database"),
    (_wrapped(Exception("deadlock detected\nDETAIL: Process 12 waits for ShareLock")),
     "another program is writing to the database"),
    (_wrapped(Exception("connection refused")), "the database server cannot be reached"),
    (TimeoutError("the database did not answer in time"), "the database did not answer in time"),
])
def test_plain_facts_get_plain_words(exc, words):
    assert recovery.plain_reason(exc) == words


def test_an_error_that_is_no_plain_fact_gets_none():
    assert recovery.plain_reason(ValueError("boom")) is None


def test_the_autosave_line_names_no_class():
    from notes_tui.ui.autosave import reason_for

    line = reason_for(_wrapped(sqlite3.OperationalError("database or disk is full")))
    assert line == "the disk is full"
    odd = reason_for(KeyError("note text"))
    assert "KeyError" not in odd and "note text" not in odd and "unexpected" in odd


def test_a_draft_gone_elsewhere_is_told_apart():
    from notes_tui.services.errors import FinalizedNoteError, NotFound

    assert recovery.is_gone(FinalizedNoteError("note 1 is finalized")) == "finalized"
    assert recovery.is_gone(NotFound("no note with id 1")) == "discarded"
    assert recovery.is_gone(OSError(errno.ENOSPC, "full")) is None

"""The handout and the clinical record, end to end: note in the database -> PDF on disk."""

import io
import os
import stat
import subprocess
import sys

import pytest
from pypdf import PdfReader

from notes_tui.paths import templates_dir
from notes_tui.services import clients, notes
from notes_tui.services.errors import ServiceError
from notes_tui.services.handouts import HandoutTemplateError, export_handout, load_handout_template
from notes_tui.services.records import export_record
from tests.conftest import full_note

TEMPLATE = templates_dir() / "handout" / "handout.toml"


def _text(path) -> str:
    return " ".join("\n".join(p.extract_text() for p in PdfReader(str(path)).pages).split())


@pytest.fixture
def therapist_only(sctx):
    """A finalized note whose therapist-only fields carry recognisable markers."""
    with sctx.write() as s:
        cid = clients.create_client({
            "name": "Jane Q. Doe", "preferred_name": "Jane", "consent_on_file": "2026-01-02",
            "health_history": "HISTORYMARKER asthma", "contraindications": "CONTRAMARKER"},
            session=s, actor="Ana").id
        nid = notes.start_draft(cid, session=s, settings=sctx.settings, content=full_note(
            therapist_summary="THERAPISTMARKER palpation note")).id
    with sctx.write() as s:
        notes.finalize(nid, session=s, actor="Ana Lee")
    with sctx.write() as s:
        notes.amend(nid, reason="REASONMARKER wrong side", text="AMENDTEXT right side",
                    session=s, actor="Ana Lee")
    return cid, nid


def _export(sctx, nid, tmp_path, **kw):
    return export_handout(sctx, nid, template=load_handout_template(TEMPLATE, None),
                          exports=tmp_path / "exports", **kw)


def test_handout_has_every_section_and_no_therapist_only_text(sctx, therapist_only, tmp_path):
    _, nid = therapist_only
    result = _export(sctx, nid, tmp_path)
    text = _text(result.path)
    for expected in ("Jane", "What we found", "What we worked on", "Upper trapezius",
                     "temple", "Heat", "15 minutes", "twice a day", "Your plan",
                     "Mild soreness", "Call if pain is severe", "RMT-1234",
                     "Confidential - prepared for Jane"):
        assert expected.lower() in text.lower(), expected
    for secret in ("HISTORYMARKER", "CONTRAMARKER", "THERAPISTMARKER", "REASONMARKER",
                   "AMENDTEXT", "Doe"):
        assert secret not in text
    assert result.pages <= 2 and result.bytes < 75_000


def test_handout_file_name_mode_and_folder(sctx, therapist_only, tmp_path):
    cid, nid = therapist_only
    path = _export(sctx, nid, tmp_path).path
    assert path.parent.name == f"jane-q-doe-{cid}"
    assert path.name.endswith(f"-{nid}.pdf") and path.name[:4].isdigit()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".tmp")]


def test_only_a_finalized_note_makes_a_handout(sctx, therapist_only, tmp_path):
    cid, _ = therapist_only
    with sctx.write() as s:
        draft = notes.start_draft(cid, session=s, settings=sctx.settings,
                                  content=full_note()).id
    with pytest.raises(ServiceError, match="draft"):
        _export(sctx, draft, tmp_path)
    preview = _export(sctx, draft, tmp_path, preview=True)
    assert preview.path.name.endswith("-DRAFT.pdf")
    reader = PdfReader(str(preview.path))
    assert all("DRAFT" in p.extract_text() for p in reader.pages)


def test_password_protected_handout(sctx, therapist_only, tmp_path):
    _, nid = therapist_only
    path = _export(sctx, nid, tmp_path, password="s3cret-pass").path
    raw = path.read_bytes()
    assert b"Jane" not in raw and b"temple" not in raw
    reader = PdfReader(io.BytesIO(raw))
    assert reader.is_encrypted and reader.decrypt("wrong") == 0
    assert reader.decrypt("s3cret-pass") != 0 and "Jane" in reader.pages[0].extract_text()


def test_export_is_audited(sctx, therapist_only, tmp_path):
    from sqlalchemy import text

    _, nid = therapist_only
    _export(sctx, nid, tmp_path)
    with sctx.read() as s:
        actions = [r[0] for r in s.execute(text("SELECT action FROM audit_event ORDER BY seq"))]
    assert actions[-1] == "export"


def test_clinical_record_has_everything(sctx, therapist_only, tmp_path):
    cid, nid = therapist_only
    path = export_record(sctx, cid, template=load_handout_template(TEMPLATE, None),
                         exports=tmp_path / "exports")
    text = _text(path)
    for expected in ("Jane Q. Doe", "HISTORYMARKER", "CONTRAMARKER", "THERAPISTMARKER",
                     "REASONMARKER", "AMENDTEXT", "Upper trapezius", "finalize", "amend"):
        assert expected in text, expected
    assert text.index("THERAPISTMARKER") < text.index("AMENDTEXT")  # amendment after original
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_the_record_says_when_no_pressure_was_recorded(sctx, tmp_path):
    """A point with no pressure reads "pressure not recorded", not "pressure -/10"."""
    with sctx.write() as s:
        cid = clients.create_client({"name": "Jane Doe"}, session=s, actor="Ana").id
        notes.start_draft(cid, session=s, settings=sctx.settings, content={
            "complaint": "Neck", "trigger_points": [
                {"muscle_id": "upper_trapezius", "side": "left", "pressure": 6},
                {"muscle_id": "levator_scapulae", "side": "right"}]})
    path = export_record(sctx, cid, template=load_handout_template(TEMPLATE, None),
                         exports=tmp_path / "exports")
    text = _text(path)
    assert "pressure 6/10" in text and "pressure not recorded" in text
    assert "-/10" not in text


def test_template_override_and_errors(tmp_path):
    user = tmp_path / "handout.toml"
    user.write_text('accent_colour = "#AA3300"\nclinic_name = "Harbour Street"\n')
    merged = load_handout_template(TEMPLATE, user)
    assert merged["accent_colour"] == "#AA3300" and merged["clinic_name"] == "Harbour Street"
    user.write_text('accent_colour = "red"\n')
    with pytest.raises(HandoutTemplateError, match="accent_colour"):
        load_handout_template(TEMPLATE, user)
    user.write_text('font = "Comic"\n')
    with pytest.raises(HandoutTemplateError, match="unknown key 'font'"):
        load_handout_template(TEMPLATE, user)


def test_cli_export_and_record(tmp_path):
    db = tmp_path / "a.sqlite3"
    cli = [sys.executable, "-m", "notes_tui", "--db", str(db)]
    subprocess.run(cli + ["demo", "--clients", "2", "--notes", "6"], check=True,
                   capture_output=True)
    out = subprocess.run(cli + ["export", "1", "--out", str(tmp_path / "o")], text=True,
                         capture_output=True)
    assert out.returncode == 0, out.stderr
    path = out.stdout.strip()
    assert path.endswith("-1.pdf") and os.path.exists(path)
    enc = subprocess.run(cli + ["export", "1", "--out", str(tmp_path / "e"), "--password"],
                         input="pass-word-1\n", text=True, capture_output=True)
    assert enc.returncode == 0 and PdfReader(enc.stdout.strip()).is_encrypted
    rec = subprocess.run(cli + ["record", "1", "--out", str(tmp_path / "o")], text=True,
                         capture_output=True)
    assert rec.returncode == 0 and "clinical-record" in rec.stdout
    bad = subprocess.run(cli + ["export", "999"], text=True, capture_output=True)
    assert bad.returncode == 1 and "no note with id 999" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_file_names_are_safe_for_any_client_name(tmp_path):
    from datetime import UTC, datetime

    from notes_tui.domain.note import NoteContent
    from notes_tui.services.handouts import handout_path
    from notes_tui.services.notes import NoteView
    from tests.conftest import hostile

    exports = (tmp_path / "exports").resolve()
    view = NoteView(id=7, client_id=3, client_name="x", therapist_name="", therapist_registration="",
                    session_start=datetime(2026, 1, 2, 15, tzinfo=UTC), timezone="UTC",
                    status="final", finalized_at=None, finalized_by=None, template_id=None,
                    content=NoteContent(), amendments=())
    reserved = {"con", "prn", "aux", "nul", "com1", "lpt1"}
    for e in hostile():
        path = handout_path(exports, 3, e["value"], view)
        assert path.resolve().is_relative_to(exports), e["id"]
        assert path.parent.parent == exports and path.name == "2026-01-02-7.pdf"
        folder = path.parent.name
        assert len(folder.encode()) <= 255 and folder.isascii() and folder.isprintable()
        assert folder.split("-")[0] not in reserved and not folder.startswith(("-", "."))


def test_the_log_page_is_off_by_default_and_on_from_handout_toml(sctx, therapist_only, tmp_path):
    """The seed's log: a last page with a row a day until the next visit (full_note plans it in
    14 days) for pain, the home care done and how the client felt."""
    _, nid = therapist_only
    plain = _export(sctx, nid, tmp_path)
    assert "Your log until next time" not in _text(plain.path)
    mine = tmp_path / "handout.toml"
    mine.write_text("log_page = true\n", encoding="utf-8")
    on = export_handout(sctx, nid, template=load_handout_template(TEMPLATE, mine),
                        exports=tmp_path / "with-log")
    reader = PdfReader(str(on.path))
    assert len(reader.pages) == on.pages == plain.pages + 1
    last = " ".join(reader.pages[-1].extract_text().split())
    assert "Your log until next time" in last
    for column in ("Day", "Pain (0-10)", "Home care: what I did", "How I felt, anything to tell"):
        assert column in last
    assert "Today, after the session" in last
    assert "Your home care: Heat" in last  # full_note's home care, named above the table
    from datetime import timedelta

    with sctx.read() as s:
        start = notes.get_note(nid, session=s).local_start.date()
    for i in (1, 14):  # one row a day up to the next visit, and no further
        day = start + timedelta(days=i)
        assert f"{day:%a} {day.day} {day:%b}" in last
    beyond = start + timedelta(days=15)
    assert f"{beyond:%a} {beyond.day} {beyond:%b}" not in last
    mine.write_text('log_page = "yes"\n', encoding="utf-8")
    with pytest.raises(HandoutTemplateError, match="log_page must be true or false"):
        load_handout_template(TEMPLATE, mine)

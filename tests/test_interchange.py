"""Full JSON export and import: round trips exactly, refuses all or nothing."""

import io
import json
from pathlib import Path

import jsonschema
import pytest

from notes_tui.domain.text import clean_multiline
from notes_tui.paths import schemas_dir
from notes_tui.services import clients, notes
from notes_tui.services.audit import verify
from notes_tui.services.context import open_context
from notes_tui.services.errors import FieldError, ImportRefused
from notes_tui.services.interchange import dump_document, import_document, json_schema
from tests.conftest import full_note, hostile

SCHEMA_FILE = schemas_dir() / "notes-tui-dump.schema.json"


def _dump(ctx) -> dict:
    with ctx.read() as s:
        return json.loads(json.dumps(dump_document(s), ensure_ascii=False))


def _fresh(tmp_path: Path, settings, name="b.sqlite3"):
    return open_context(f"sqlite:///{tmp_path / name}", settings)


def _populate_hostile(ctx) -> list[str]:
    """Every accepted hostile name and note string, stored through the services."""
    stored = []
    with ctx.write() as s:
        for e in hostile("name"):
            try:
                c = clients.create_client({"name": e["value"]}, session=s, actor="Ana")
            except FieldError:
                continue
            stored.append(c.name)
        cid = clients.create_client({"name": "Notes Holder", "consent_on_file": "2026-01-01"},
                                    session=s, actor="Ana").id
    for e in hostile("note"):
        with ctx.write() as s:
            try:
                n = notes.start_draft(cid, session=s, settings=ctx.settings,
                                      content=full_note(client_summary=e["value"],
                                                        advice=e["value"][:500] or "x"))
            except FieldError:
                continue
        with ctx.write() as s:
            notes.finalize(n.id, session=s, actor="Ana")
        stored.append(clean_multiline("note", e["value"]))
    return stored


def test_round_trip_is_exact(ctx, final_note, tmp_path, settings):
    cid, nid = final_note
    with ctx.write() as s:
        notes.amend(nid, reason="typo", text="pressure 5/10", session=s, actor="Ana")
        notes.start_draft(cid, session=s, settings=ctx.settings, content={"complaint": "draft"})
    a = _dump(ctx)
    b_ctx = _fresh(tmp_path, settings)
    with b_ctx.write() as s:
        result = import_document(a, session=s, actor="Ana")
    assert result.kept_ids and (result.clients, result.notes, result.amendments) == (1, 2, 1)
    assert _dump(b_ctx) == a
    with b_ctx.read() as s:
        assert verify(s, note_digest=notes.note_digest).ok
    # the imported finalized note is locked like any other
    with b_ctx.write() as s, pytest.raises(Exception, match="finalized"):
        notes.save_draft(nid, full_note(), session=s, actor="Ana")


def test_hostile_strings_survive_the_round_trip(ctx, tmp_path, settings):
    stored = _populate_hostile(ctx)
    assert len(stored) >= 32  # 13 names and 19 note texts are accepted; the rest are refused
    a = _dump(ctx)
    text = json.dumps(a, ensure_ascii=False)
    for value in stored:
        assert json.dumps(value, ensure_ascii=False)[1:-1] in text
    b_ctx = _fresh(tmp_path, settings)
    with b_ctx.write() as s:
        import_document(a, session=s, actor="Ana")
    assert _dump(b_ctx) == a


def test_dump_matches_the_committed_json_schema(ctx, final_note):
    committed = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert committed == json.loads(json.dumps(json_schema())), (
        "schema changed: regenerate schemas/notes-tui-dump.schema.json")
    jsonschema.validate(_dump(ctx), committed)


def test_import_into_a_database_with_data_assigns_new_ids(ctx, final_note, tmp_path, settings):
    a = _dump(ctx)
    b_ctx = _fresh(tmp_path, settings)
    with b_ctx.write() as s:
        clients.create_client({"name": "Already here"}, session=s, actor="Ana")
    with b_ctx.write() as s:
        result = import_document(a, session=s, actor="Ana")
    assert not result.kept_ids
    with b_ctx.read() as s:
        names = [c.name for c in clients.list_clients(session=s)]
        assert names == ["Already here", "Jane Doe"]
        assert verify(s, note_digest=notes.note_digest).ok


@pytest.mark.parametrize("mutate,message", [
    (lambda d: d["notes"][0]["content"].__setitem__("pain_before", 11),
     "notes[0] (id 1): content.pain_before: must be from 0 to 10"),
    (lambda d: d["clients"][0].__setitem__("name", " "), "clients[0] (id 1): name: is required"),
    (lambda d: d["notes"][0].__setitem__("client_id", 99), "client_id: names client 99"),
    (lambda d: d["notes"][0].__setitem__("session_start", "2026-01-01T10:00"),
     "session_start: has no UTC offset"),
    (lambda d: d.__setitem__("format_version", 9), "format_version 9 is not supported"),
    (lambda d: d["notes"][0]["content"]["trigger_points"][0].__setitem__("side", "up"),
     "content.trigger_points.0.side"),
    (lambda d: d["clients"][0].__setitem__("shoe_size", 9), "shoe_size: is not a field"),
    (lambda d: d["notes"][0]["content"].__setitem__("next_visit_date", "2020-01-01"),
     "notes[0] (id 1): content.next_visit_date: must be on or after the session"),
    (lambda d: d["notes"][0]["content"].__setitem__("next_visit_days", 731),
     "notes[0] (id 1): content.next_visit_days: must be from 1 day to 2 years"),
])
def test_bad_import_names_record_and_field_and_writes_nothing(ctx, final_note, tmp_path,
                                                              settings, mutate, message):
    doc = _dump(ctx)
    doc["clients"].append({**doc["clients"][0], "id": 2, "name": "Second",
                           "uuid": "00000000-0000-4000-8000-000000000002"})
    mutate(doc)
    b_ctx = _fresh(tmp_path, settings)
    with pytest.raises(ImportRefused) as err, b_ctx.write() as s:
        import_document(doc, session=s, actor="Ana")
    assert message in str(err.value)
    assert _dump(b_ctx) == {"format": "notes-tui", "format_version": 1, "clients": [],
                            "notes": []}


def test_not_a_dump_is_refused(ctx):
    for doc in ([], {"format": "other"}, {"format": "notes-tui", "format_version": 1,
                                          "clients": {}, "notes": []}):
        with pytest.raises(ImportRefused), ctx.write() as s:
            import_document(doc, session=s, actor="Ana")


def test_write_dump_is_json(ctx, final_note):
    from notes_tui.services.interchange import write_dump

    out = io.StringIO()
    with ctx.read() as s:
        write_dump(s, out)
    assert json.loads(out.getvalue())["notes"][0]["status"] == "final"


# --- stable uuids: importing what is already there adds nothing --------------------------------

def _second_database(db_url: str, tmp_path: Path, settings):
    if db_url.startswith("sqlite"):
        return _fresh(tmp_path, settings)
    from tests.conftest import _pg_database

    return open_context(_pg_database(), settings)


def test_every_client_note_and_amendment_carries_a_uuid(ctx, final_note):
    cid, nid = final_note
    with ctx.write() as s:
        notes.amend(nid, reason="typo", text="pressure 5/10", session=s, actor="Ana")
    doc = _dump(ctx)
    uuids = [doc["clients"][0]["uuid"], doc["notes"][0]["uuid"],
             doc["notes"][0]["amendments"][0]["uuid"]]
    assert all(len(u) == 36 for u in uuids) and len(set(uuids)) == 3
    assert _dump(ctx) == doc  # stable: the same on every dump


def test_import_twice_adds_nothing_the_second_time(ctx, final_note, db_url, tmp_path,
                                                   settings):
    cid, nid = final_note
    with ctx.write() as s:
        notes.amend(nid, reason="side", text="right, not left", session=s, actor="Ana")
        notes.start_draft(cid, session=s, settings=ctx.settings,
                          content={"complaint": "draft", "advice": "Rest.",
                                   "to_confirm": ["advice"]})
    a = _dump(ctx)
    b_ctx = _second_database(db_url, tmp_path, settings)
    try:
        with b_ctx.write() as s:
            first = import_document(a, session=s, actor="Ana")
        with b_ctx.write() as s:
            second = import_document(a, session=s, actor="Ana")
        assert (first.clients, first.notes, first.amendments) == (1, 2, 1)
        assert (second.clients, second.notes, second.amendments) == (0, 0, 0)
        assert (second.present_clients, second.present_notes) == (1, 2)
        assert second.summary() == "0 new, 1 client and 2 notes already present"
        assert _dump(b_ctx) == a  # nothing was added, the draft's "to confirm" kept
        assert a["notes"][1]["content"]["to_confirm"] == ["advice"]
        with b_ctx.read() as s:
            assert verify(s, note_digest=notes.note_digest).ok
    finally:
        b_ctx.dispose()


def test_same_uuid_with_different_content_is_refused_naming_id_and_field(ctx, final_note,
                                                                         db_url, tmp_path,
                                                                         settings):
    a = _dump(ctx)
    b_ctx = _second_database(db_url, tmp_path, settings)
    try:
        with b_ctx.write() as s:
            import_document(a, session=s, actor="Ana")
        changed = json.loads(json.dumps(a))
        changed["notes"][0]["content"]["complaint"] = "Something else"
        with pytest.raises(ImportRefused) as err, b_ctx.write() as s:
            import_document(changed, session=s, actor="Ana")
        assert str(err.value) == (
            f"notes[0] (id {a['notes'][0]['id']}): content.complaint: differs from note "
            f"{a['notes'][0]['id']} already here with the same uuid; nothing was imported")
        renamed = json.loads(json.dumps(a))
        renamed["clients"][0]["name"] = "Jane Other"
        with pytest.raises(ImportRefused, match=r"clients\[0\] \(id 1\): name: differs from "
                                                r"client 1"), b_ctx.write() as s:
            import_document(renamed, session=s, actor="Ana")
        assert _dump(b_ctx) == a
    finally:
        b_ctx.dispose()


def test_an_older_dump_without_uuids_still_imports(ctx, final_note, tmp_path, settings):
    a = _dump(ctx)
    for record in a["clients"] + a["notes"]:
        del record["uuid"]
    b_ctx = _fresh(tmp_path, settings)
    with b_ctx.write() as s:
        result = import_document(a, session=s, actor="Ana")
    assert (result.clients, result.notes) == (1, 1)
    made = _dump(b_ctx)
    assert made["clients"][0]["uuid"] and made["notes"][0]["uuid"]
    assert made["notes"][0]["content"] == a["notes"][0]["content"]


def test_a_uuid_that_is_not_one_is_refused(ctx, final_note, tmp_path, settings):
    a = _dump(ctx)
    a["notes"][0]["uuid"] = "not-a-uuid"
    with pytest.raises(ImportRefused, match=r"notes\[0\] \(id \d+\): uuid: 'not-a-uuid' is not "
                                            "a UUID"), _fresh(tmp_path, settings).write() as s:
        import_document(a, session=s, actor="Ana")

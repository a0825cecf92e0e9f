"""One writer: a note's columns are derived from the model, in one place."""

import inspect

import pytest

from notes_tui.db.models import Client, Note
from notes_tui.domain.note import NoteContent
from notes_tui.services import clients, demo, interchange, note_store, notes, templates
from notes_tui.services.clients import ClientFields


def test_every_scalar_of_the_content_is_a_column_of_the_note():
    columns = set(Note.__table__.columns.keys())
    assert set(note_store.SCALARS) <= columns
    assert set(note_store.SCALARS) | set(note_store.ROW_FIELDS) == set(NoteContent.model_fields)
    assert "to_confirm" in note_store.SCALARS  # the field the import's own list once lacked


def test_every_row_field_maps_onto_its_table():
    for m in note_store.ROW_MAPS:
        assert set(m.columns.values()) <= set(m.table.__table__.columns.keys()), m.field
        model = note_store.ROW_MODELS.get(m.field)
        if model is not None:  # every field of the row model is stored
            assert set(m.columns) == set(model.model_fields), m.field


def test_client_fields_are_columns_of_the_client():
    assert set(ClientFields.model_fields) <= set(Client.__table__.columns.keys())


@pytest.mark.parametrize("module", [notes, interchange, demo, templates, clients])
def test_no_other_module_writes_a_note_s_rows_or_lists_its_columns(module):
    source = inspect.getsource(module)
    for name in ("NoteFinding", "NoteTriggerPoint", "NoteCue", "NoteHomeCare", "insert(",
                 '"what_to_expect", "when_to_contact"'):
        assert name not in source, f"{module.__name__} uses {name}"


def test_a_discarded_draft_s_id_is_never_given_again(ctx, make_client):
    from tests.conftest import full_note

    cid = make_client()
    with ctx.write() as s:
        first = notes.start_draft(cid, session=s, settings=ctx.settings, content=full_note()).id
    with ctx.write() as s:
        notes.delete_draft(first, session=s, actor="Ana Lee")
    with ctx.write() as s:
        second = notes.start_draft(cid, session=s, settings=ctx.settings).id
    assert second > first


def test_an_import_writes_to_confirm_and_confirmed_flags_back(ctx, make_client, tmp_path,
                                                              settings):
    """The import once kept its own column list without `to_confirm`: an imported draft came
    back with its template suggestions silently confirmed."""
    from notes_tui.services.context import open_context
    from notes_tui.services.interchange import dump_document, import_document

    cid = make_client()
    content = {"advice": "Rest.", "next_visit_days": 14, "to_confirm": ["advice", "next_visit"],
               "cues": [{"text": "Turn slowly", "confirmed": False}],
               "trigger_points": [{"muscle_id": "upper_trapezius", "confirmed": False}],
               "home_care": [{"item_id": "heat", "confirmed": False}]}
    with ctx.write() as s:
        notes.start_draft(cid, session=s, settings=ctx.settings, content=content)
    with ctx.read() as s:
        doc = dump_document(s)
    other = open_context(f"sqlite:///{tmp_path / 'other.sqlite3'}", settings)
    try:
        with other.write() as s:
            import_document(doc, session=s, actor="Ana")
        with other.read() as s:
            c = notes.get_note(doc["notes"][0]["id"], session=s).content
    finally:
        other.dispose()
    assert c.to_confirm == ["advice", "next_visit"]
    assert not (c.cues[0].confirmed or c.trigger_points[0].confirmed
                or c.home_care[0].confirmed)

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

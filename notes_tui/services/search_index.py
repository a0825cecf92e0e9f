"""Keeping the full-text index in step with the notes, in the same transaction as their writes.

Each note has one index document (`note_search_doc`): its words as the therapist wrote them, with
the app's own wording (catalog referral text, stock follow-up sentences) in a column of its own
(domain/search_doc.py). The document is computed here from the note's rows; the backend's index
(FTS5 on SQLite, a tsvector on PostgreSQL) is made from the document. A save whose document is
unchanged (a pain number, a time, a tick) leaves the index alone.

Maintenance is by note: only the entries of the notes a transaction writes are touched (on
PostgreSQL a table-wide delete would wait on, and deadlock with, a therapist's autosave of another
note). The caller holds the note's row lock first (notes.get_note_row(for_update=True)): note,
rows, index, audit is the one lock order of every writer.

The stock to recognise comes from `session.info["search_stock"]` (set by Context.write from the
catalog and wording in use), or else the shipped catalog and wording.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, text

from notes_tui.db.backends import backend_module
from notes_tui.domain.search_doc import DOC_COLUMNS, NoteText, Stock, document, stock_texts

if TYPE_CHECKING:
    from types import ModuleType

    from sqlmodel import Session

    from notes_tui.domain.catalog import Catalog
    from notes_tui.domain.wording import Wording

STOCK_KEY = "search_stock"
BATCH = 500

_NOTE = ("complaint", "since_health", "therapist_summary", "client_summary", "positioning",
         "areas_avoided", "advice", "what_to_expect", "when_to_contact", "referral")
_ROWS = {  # key of NoteText: (table, columns, order)
    "findings": ("note_finding", ("ref_id", "text", "side", "finding", "note"), "position"),
    "work": ("note_work", ("region_id", "region", "modality", "side", "note"), "position"),
    "trigger_points": ("note_trigger_point", ("muscle_id", "muscle", "side", "referred_pain",
                                              "note"), "position"),
    "cues": ("note_cue", ("cue_id", "text", "response"), "position"),
    "home_care": ("note_home_care", ("item_id", "text"), "position"),
    "amendments": ("amendment", ("reason", "text"), "id"),
}


def stock_of(catalog: Catalog, wording: Wording) -> Stock:
    """The sentences a note can carry unchanged from this catalog and wording library."""
    referrals = [(m.referral_clinical, m.referral_client) for m in catalog.muscles.values()]
    snippets = [s.text for section in ("what_to_expect", "when_to_contact")
                for s in wording.snippets(section).values()]
    return stock_texts(referrals, snippets)


@lru_cache(maxsize=1)
def shipped_stock() -> Stock:
    from notes_tui.domain.catalog import load_catalog
    from notes_tui.domain.wording import load_wording
    from notes_tui.paths import templates_dir

    wording = load_wording(templates_dir() / "handout" / "wording.toml")
    return stock_of(load_catalog(templates_dir() / "catalog", wording=wording), wording)


def _stock(session: Session) -> Stock:
    provided: Callable[[], Stock] | None = session.info.get(STOCK_KEY)
    return provided() if provided is not None else shipped_stock()


def _backend(session: Session) -> ModuleType:
    return backend_module(session.get_bind().dialect.name)


def _rows_sql() -> str:
    """Every indexed row of the notes `:ids`, of all the row tables in one statement (one round
    trip, not six: a save runs it): (kind, note_id, order, up to five columns)."""
    parts = []
    for key, (table, cols, order) in _ROWS.items():
        padded = list(cols) + ["NULL"] * (5 - len(cols))
        parts.append(f"SELECT '{key}' AS k, note_id, {order} AS o, "
                     + ", ".join(f"{c} AS c{i}" for i, c in enumerate(padded))
                     + f" FROM {table} WHERE note_id IN :ids")
    return " UNION ALL ".join(parts) + " ORDER BY 2, 1, 3"


_ROWS_SQL = text(_rows_sql()).bindparams(bindparam("ids", expanding=True))
_NOTE_SQL = text(f"SELECT n.id, {', '.join('n.' + c for c in _NOTE)}, d.note_id, "
                 f"{', '.join('d.' + c for c in DOC_COLUMNS)} FROM note n "
                 "LEFT JOIN note_search_doc d ON d.note_id = n.id WHERE n.id IN :ids").bindparams(
    bindparam("ids", expanding=True))


def _texts(session: Session, ids: list[int]
           ) -> tuple[dict[int, NoteText], dict[int, dict[str, str]]]:
    """The indexed fields of these notes, and the documents stored for them (those that have
    one), read with two queries."""
    if not ids:
        return {}, {}
    conn = session.connection()
    found: dict[int, dict] = {}
    stored: dict[int, dict[str, str]] = {}
    width = len(_NOTE)
    for r in conn.execute(_NOTE_SQL, {"ids": ids}):
        found[r[0]] = dict(zip(_NOTE, r[1:1 + width], strict=True))
        if r[1 + width] is not None:
            stored[r[0]] = dict(zip(DOC_COLUMNS, r[2 + width:], strict=True))
    rows: dict[int, dict[str, list[dict]]] = {nid: {k: [] for k in _ROWS} for nid in found}
    for r in conn.execute(_ROWS_SQL, {"ids": ids}):
        if r[1] in rows:
            cols = _ROWS[r[0]][1]
            rows[r[1]][r[0]].append(dict(zip(cols, r[3:3 + len(cols)], strict=True)))
    return {nid: NoteText(note=note, **rows[nid]) for nid, note in found.items()}, stored


_UPSERT = text("INSERT INTO note_search_doc (note_id, " + ", ".join(DOC_COLUMNS)
               + ") VALUES (:note_id, " + ", ".join(f":{c}" for c in DOC_COLUMNS)
               + ") ON CONFLICT (note_id) DO UPDATE SET "
               + ", ".join(f"{c} = excluded.{c}" for c in DOC_COLUMNS))


def _write(session: Session, docs: dict[int, dict[str, str]], indexed: set[int]) -> None:
    """Store these documents and index them; `indexed` are those with an entry to replace."""
    backend = _backend(session)
    conn = session.connection()
    if backend.EXTERNAL_CONTENT:
        for nid in sorted(indexed):  # the FTS entry out with the text it was indexed with
            conn.execute(text(backend.unindex_sql()), {"id": nid})
    ids = sorted(docs)
    conn.execute(_UPSERT, [{"note_id": nid, **docs[nid]} for nid in ids])
    stmt = text(backend.index_many_sql()).bindparams(bindparam("ids", expanding=True))
    for i in range(0, len(ids), BATCH):
        conn.execute(stmt, {"ids": ids[i:i + BATCH]})


def index(session: Session, note_id: int) -> None:
    """The note's entry as its rows now stand (nothing is written when its words are as
    indexed)."""
    index_many(session, [note_id])


def index_many(session: Session, note_ids: Iterable[int], *, batch: int = BATCH) -> None:
    """These notes' entries as their rows now stand, `batch` at a time, in id order."""
    ids = sorted(set(note_ids))
    if not ids:
        return
    session.flush()
    stock = _stock(session)
    for i in range(0, len(ids), batch):
        part = ids[i:i + batch]
        texts, stored = _texts(session, part)
        docs = {nid: doc for nid, t in texts.items() if (doc := document(t, stock)) != stored.get(nid)}
        if docs:
            _write(session, docs, set(docs) & set(stored))


def unindex(session: Session, note_id: int) -> None:
    """The note out of the index, before the note itself is deleted."""
    session.flush()
    conn = session.connection()
    conn.execute(text(_backend(session).unindex_sql()), {"id": note_id})
    conn.execute(text("DELETE FROM note_search_doc WHERE note_id = :id"), {"id": note_id})


def rebuild(session: Session) -> None:
    """Every note's document again from its rows, with the catalog and wording in use, then the
    whole index from the documents (`db reindex`, and after the upgrade that made documents).
    On PostgreSQL every row is rewritten in place, in id order, rather than the table emptied."""
    session.flush()
    conn = session.connection()
    backend = _backend(session)
    stock = _stock(session)
    ids = [r[0] for r in conn.execute(text("SELECT id FROM note ORDER BY id"))]
    conn.execute(text("DELETE FROM note_search_doc WHERE note_id NOT IN (SELECT id FROM note)"))
    for i in range(0, len(ids), BATCH):
        texts, _ = _texts(session, ids[i:i + BATCH])
        conn.execute(_UPSERT, [{"note_id": nid, **document(t, stock)}
                              for nid, t in sorted(texts.items())])
    for statement in backend.rebuild_sql():
        conn.execute(text(statement))

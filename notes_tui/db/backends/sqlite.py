"""SQLite-only SQL: triggers that lock finalized notes and keep the audit trail append-only."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from notes_tui.domain.search_query import Query, Term

CHILD_TABLES = ("note_finding", "note_trigger_point", "note_cue", "note_home_care",
                "note_work")
_MSG = "note is finalized: add an amendment instead"


def lock_triggers_ddl() -> list[str]:
    """Today's lock triggers. Migration 0001 keeps its own frozen copy: changing this changes no
    database; a change to the triggers is a new migration with its own literal statements."""
    ddl = [
        f"""CREATE TRIGGER trg_note_final_update BEFORE UPDATE ON note
            WHEN OLD.status = 'final'
            BEGIN SELECT RAISE(ABORT, '{_MSG}'); END""",
        f"""CREATE TRIGGER trg_note_final_delete BEFORE DELETE ON note
            WHEN OLD.status = 'final'
            BEGIN SELECT RAISE(ABORT, '{_MSG}'); END""",
        """CREATE TRIGGER trg_amendment_update BEFORE UPDATE ON amendment
            BEGIN SELECT RAISE(ABORT, 'amendments cannot be changed'); END""",
        """CREATE TRIGGER trg_amendment_delete BEFORE DELETE ON amendment
            BEGIN SELECT RAISE(ABORT, 'amendments cannot be deleted'); END""",
        """CREATE TRIGGER trg_audit_update BEFORE UPDATE ON audit_event
            BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END""",
        """CREATE TRIGGER trg_audit_delete BEFORE DELETE ON audit_event
            BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END""",
    ]
    for table in CHILD_TABLES:
        for op, row in (("INSERT", "NEW"), ("UPDATE", "OLD"), ("DELETE", "OLD")):
            ddl.append(
                f"""CREATE TRIGGER trg_{table}_final_{op.lower()} BEFORE {op} ON {table}
                WHEN (SELECT status FROM note WHERE id = {row}.note_id) = 'final'
                BEGIN SELECT RAISE(ABORT, '{_MSG}'); END"""
            )
    return ddl


def drop_lock_triggers_ddl() -> list[str]:
    names = ["trg_note_final_update", "trg_note_final_delete", "trg_amendment_update",
             "trg_amendment_delete", "trg_audit_update", "trg_audit_delete"]
    names += [f"trg_{t}_final_{op}" for t in CHILD_TABLES for op in ("insert", "update", "delete")]
    return [f"DROP TRIGGER IF EXISTS {n}" for n in names]


def reset_sequences_sql() -> list:
    """SQLite INTEGER PRIMARY KEYs follow max(id) by themselves."""
    return []


# --- full-text search: FTS5 over the notes' index documents (external content) ---------------

SEARCH_COLUMNS = ("complaint", "summaries", "findings", "trigger_points", "cues", "advice",
                  "amendments")
DOC_COLUMNS = (*SEARCH_COLUMNS, "catalog")  # notes_tui.domain.search_doc.DOC_COLUMNS
# bm25 weights, in DOC_COLUMNS order: a treated trigger point outranks a passing mention, and
# the app's own wording (read only with include:catalog) ranks below everything the therapist wrote
WEIGHTS = (3.0, 1.0, 2.0, 4.0, 1.5, 1.0, 1.0, 0.5)
TOKENIZER = "porter unicode61 remove_diacritics 2"  # "headaches" finds "headache"

# Letters that have no Unicode decomposition, so unicode61's remove_diacritics keeps them:
# folded in the index's content view so that "lodz" finds "Łódź".
_FOLD = {"Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "Đ": "D", "đ": "d", "ß": "ss", "Æ": "AE",
         "æ": "ae", "Œ": "OE", "œ": "oe", "ı": "i", "Ħ": "H", "ħ": "h"}


def _folded(expr: str) -> str:
    for a, b in _FOLD.items():
        expr = f"replace({expr}, '{a}', '{b}')"
    return expr


# one row per note, written by services/search_index.py from the note's rows (the therapist's
# own words apart from the catalog's: domain/search_doc.py)
DOC_TABLE = ("CREATE TABLE note_search_doc (note_id INTEGER PRIMARY KEY REFERENCES note(id) "
             "ON DELETE CASCADE, "
             + ", ".join(f"{c} TEXT NOT NULL DEFAULT ''" for c in DOC_COLUMNS) + ")")
FTS_VIEW = ("CREATE VIEW note_fts_src AS SELECT note_id AS id, "
            + ", ".join(f"{_folded(c)} AS {c}" for c in DOC_COLUMNS)
            + " FROM note_search_doc")
# FTS5 with external content keeps no copy of the text: an entry is deleted with the text it was
# indexed with, before that text changes (services/search_index.py)
EXTERNAL_CONTENT = True
FTS_TABLE = (f"CREATE VIRTUAL TABLE note_fts USING fts5({', '.join(DOC_COLUMNS)}, "
             f"content='note_fts_src', content_rowid='id', tokenize='{TOKENIZER}')")


def upgrade_search_ddl() -> list[str]:
    """From 0006h's search objects to today's: the documents filled from the old view (every
    word as the therapist's until services/search_index.rebuild sorts out the catalog's).
    Migration 0007c holds this list frozen (see lock_triggers_ddl)."""
    cols = ", ".join(SEARCH_COLUMNS)
    return ["DROP TABLE IF EXISTS note_fts_vocab", "DROP TABLE IF EXISTS note_fts",
            "DROP VIEW IF EXISTS note_fts_src", DOC_TABLE,
            f"INSERT INTO note_search_doc (note_id, {cols}, catalog) SELECT id, {cols}, '' "
            "FROM note_search_src",
            "DROP VIEW IF EXISTS note_search_src", FTS_VIEW, FTS_TABLE,
            "INSERT INTO note_fts(note_fts) VALUES ('rebuild')",
            "CREATE VIRTUAL TABLE note_fts_vocab USING fts5vocab(note_fts, 'row')"]


def drop_search_ddl() -> list[str]:
    return ["DROP TABLE IF EXISTS note_fts_vocab", "DROP TABLE IF EXISTS note_fts",
            "DROP VIEW IF EXISTS note_fts_src", "DROP TABLE IF EXISTS note_search_doc"]


def unindex_sql() -> str:
    """The note's entry out of the FTS index, with the text it was indexed with (its document,
    still as it was: the caller changes the document after)."""
    cols = ", ".join(DOC_COLUMNS)
    return (f"INSERT INTO note_fts(note_fts, rowid, {cols}) SELECT 'delete', id, {cols} "
            "FROM note_fts_src WHERE id = :id")


def index_many_sql() -> str:
    cols = ", ".join(DOC_COLUMNS)
    return (f"INSERT INTO note_fts(rowid, {cols}) SELECT id, {cols} FROM note_fts_src "
            "WHERE id IN :ids")


def rebuild_sql() -> list[str]:
    """The FTS index again from every document (after the documents were rewritten)."""
    return ["INSERT INTO note_fts(note_fts) VALUES ('rebuild')",
            "INSERT INTO note_fts(note_fts) VALUES ('optimize')"]


def _fts_term(term: Term) -> str:
    phrase = _fold_text(" ".join(term.words)).replace('"', '""')
    return f'"{phrase}"' + ("*" if term.prefix else "")


def _fold_text(value: str) -> str:
    table: dict[str, str | int | None] = {k: v for k, v in _FOLD.items()}
    return value.translate(str.maketrans(table))


_OWN = "{" + " ".join(SEARCH_COLUMNS) + "}"


def _within(expr: str, catalog: bool) -> str:
    """`expr` over the therapist's columns, or over every column with include:catalog."""
    return expr if catalog or not expr else f"{_OWN} : ({expr})"


def match_expression(query: Query, *, catalog: bool = False) -> str:
    """An FTS5 MATCH string in which every user word is quoted: no user text is FTS syntax."""
    parts = []
    for group in query.groups:
        alts = [_fts_term(t) for t in group]
        parts.append(alts[0] if len(alts) == 1 else "(" + " OR ".join(alts) + ")")
    expr = " AND ".join(parts)
    for t in query.excluded:
        expr = f"{expr} NOT {_fts_term(t)}"
    return _within(expr, catalog)


def phrase_expression(words: list[str], prefix: bool, *, catalog: bool = False) -> str:
    return _within(_fts_term(type("T", (), {"words": tuple(words), "prefix": prefix})()), catalog)


def ranked_ids_sql(where: str, *, by_date: bool, phrase: bool = False) -> str:
    """Ids of one page. With `phrase`, notes holding the words as a phrase come first."""
    weights = ", ".join(str(w) for w in WEIGHTS)
    first = ("(note.id IN (SELECT rowid FROM note_fts WHERE note_fts MATCH :phrase)) DESC, "
             if phrase else "")
    if by_date:  # a very common term: newest first, the matching rowids read once
        return (f"SELECT note.id FROM note "
                f"WHERE note.id IN (SELECT rowid FROM note_fts WHERE note_fts MATCH :match) "
                f"AND {where} ORDER BY note.session_start DESC, note.id DESC "
                f"LIMIT :limit OFFSET :offset")
    return (f"SELECT note.id FROM note_fts JOIN note ON note.id = note_fts.rowid "
            f"WHERE note_fts MATCH :match AND {where} "
            f"ORDER BY {first}bm25(note_fts, {weights}), note.session_start DESC, note.id DESC "
            f"LIMIT :limit OFFSET :offset")


def excluded_sql() -> str:
    return "note.id NOT IN (SELECT rowid FROM note_fts WHERE note_fts MATCH :exclude)"


def document_frequency(conn: Connection, query: Query) -> int | None:
    """Notes matching the rarest required word (None when it cannot be told cheaply)."""
    from sqlalchemy import text

    counts = []
    for group in query.groups:
        if len(group) != 1 or len(group[0].words) != 1:
            return None
        word = _fold_text(group[0].words[0]).lower()
        if not group[0].prefix:
            from notes_tui.domain.search_query import stem

            word = stem(word)  # the index holds Porter stems, as note_fts's tokenizer makes them
        if group[0].prefix:
            row = conn.execute(text("SELECT sum(doc) FROM note_fts_vocab WHERE term >= :a "
                                    "AND term < :b"), {"a": word, "b": word + "\uffff"}).scalar()
        else:
            row = conn.execute(text("SELECT doc FROM note_fts_vocab WHERE term = :a"),
                               {"a": word}).scalar()
        counts.append(row or 0)
    return min(counts) if counts else None




"""PostgreSQL-only SQL: triggers that lock finalized notes and keep the audit trail append-only."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlalchemy.engine import Connection

    from notes_tui.domain.search_query import Query, Term

CHILD_TABLES = ("note_finding", "note_trigger_point", "note_cue", "note_home_care",
                "note_work")


def lock_triggers_ddl() -> list[str]:
    """Today's lock triggers. Migration 0001 keeps its own frozen copy: changing this changes no
    database; a change to the triggers is a new migration with its own literal statements."""
    ddl = [
        """CREATE OR REPLACE FUNCTION notes_tui_note_locked() RETURNS trigger AS $$
        BEGIN
            IF OLD.status = 'final' THEN
                RAISE EXCEPTION 'note is finalized: add an amendment instead';
            END IF;
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NEW;
        END $$ LANGUAGE plpgsql""",
        """CREATE OR REPLACE FUNCTION notes_tui_child_locked() RETURNS trigger AS $$
        DECLARE nid integer;
        BEGIN
            IF TG_OP = 'INSERT' THEN nid := NEW.note_id; ELSE nid := OLD.note_id; END IF;
            IF (SELECT status FROM note WHERE id = nid) = 'final' THEN
                RAISE EXCEPTION 'note is finalized: add an amendment instead';
            END IF;
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NEW;
        END $$ LANGUAGE plpgsql""",
        """CREATE OR REPLACE FUNCTION notes_tui_append_only() RETURNS trigger AS $$
        BEGIN
            RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
        END $$ LANGUAGE plpgsql""",
        """CREATE TRIGGER trg_note_locked BEFORE UPDATE OR DELETE ON note
            FOR EACH ROW EXECUTE FUNCTION notes_tui_note_locked()""",
        """CREATE TRIGGER trg_amendment_append_only BEFORE UPDATE OR DELETE ON amendment
            FOR EACH ROW EXECUTE FUNCTION notes_tui_append_only()""",
        """CREATE TRIGGER trg_audit_append_only BEFORE UPDATE OR DELETE ON audit_event
            FOR EACH ROW EXECUTE FUNCTION notes_tui_append_only()""",
    ]
    for table in CHILD_TABLES:
        ddl.append(
            f"""CREATE TRIGGER trg_{table}_locked BEFORE INSERT OR UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION notes_tui_child_locked()"""
        )
    return ddl


def drop_lock_triggers_ddl() -> list[str]:
    names = [("trg_note_locked", "note"), ("trg_amendment_append_only", "amendment"),
             ("trg_audit_append_only", "audit_event")]
    names += [(f"trg_{t}_locked", t) for t in CHILD_TABLES]
    ddl = [f"DROP TRIGGER IF EXISTS {n} ON {t}" for n, t in names]
    ddl += [f"DROP FUNCTION IF EXISTS {f}()" for f in
            ("notes_tui_note_locked", "notes_tui_child_locked", "notes_tui_append_only")]
    return ddl


def reset_sequences_sql() -> list:
    """After inserting explicit ids, move each serial sequence past max(id)."""
    from sqlalchemy import text

    tables = ("client", "note", "note_finding", "note_trigger_point", "note_cue",
              "note_home_care", "note_work", "amendment", "audit_event")
    return [text(f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), "
                 f"COALESCE((SELECT MAX(id) FROM {t}), 0) + 1, false)") for t in tables]


# --- full-text search: a tsvector per note with a GIN index -----------------------------------

SEARCH_COLUMNS = ("complaint", "summaries", "findings", "trigger_points", "cues", "advice",
                  "amendments")
DOC_COLUMNS = (*SEARCH_COLUMNS, "catalog")  # notes_tui.domain.search_doc.DOC_COLUMNS
# ts_rank weight letters per column: a treated trigger point outranks a passing mention, and the
# app's own wording (D) is read only with include:catalog
_WEIGHT = {"trigger_points": "A", "complaint": "B", "findings": "B", "cues": "C",
           "summaries": "C", "advice": "C", "amendments": "C", "catalog": "D"}
OWN_WEIGHTS = "ABC"
_FOLD_PAIRS = {
    **dict.fromkeys("áàâäãåāăą", "a"), **dict.fromkeys("çćč", "c"), **dict.fromkeys("ďđð", "d"),
    **dict.fromkeys("éèêëēėęě", "e"), "ğ": "g", **dict.fromkeys("íìîïīįı", "i"), "ł": "l",
    **dict.fromkeys("ńñň", "n"), **dict.fromkeys("óòôöõøōő", "o"), **dict.fromkeys("ŕř", "r"),
    **dict.fromkeys("śšş", "s"), "ť": "t", **dict.fromkeys("úùûüūůűų", "u"),
    **dict.fromkeys("ýÿ", "y"), **dict.fromkeys("źżž", "z"), "æ": "a", "œ": "o", "ß": "s",
}
# the same folding as notes_tui.domain.search_query.fold, as one SQL translate()
_FROM = "".join(_FOLD_PAIRS)
_TO = "".join(_FOLD_PAIRS.values())
# Porter stems, as SQLite's porter tokenizer makes them ("headaches" finds "headache"), with no
# stop words (a search for "in" or "off" is the therapist's to make): the simple configuration
# with its word tokens stemmed
CONFIG = "notes_search"
TEXT_CONFIG = [
    "CREATE TEXT SEARCH DICTIONARY notes_porter (TEMPLATE = snowball, LANGUAGE = porter)",
    f"CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = simple)",
    f"ALTER TEXT SEARCH CONFIGURATION {CONFIG} ALTER MAPPING FOR asciiword, asciihword, "
    "hword_asciipart, word, hword, hword_part WITH notes_porter",
]
DOC_TABLE = ("CREATE TABLE note_search_doc (note_id integer PRIMARY KEY REFERENCES note(id) "
             "ON DELETE CASCADE, "
             + ", ".join(f"{c} text NOT NULL DEFAULT ''" for c in DOC_COLUMNS) + ")")


def _tsv() -> str:
    parts = [f"setweight(to_tsvector('{CONFIG}', translate(lower(d.{c}), '{_FROM}', "
             f"'{_TO}')), '{_WEIGHT[c]}')" for c in DOC_COLUMNS]
    return " || ".join(parts)


# The session's time sits beside its words: a search orders the many notes of equal rank newest
# first without joining every match to note (a trigger keeps it when a draft's time moves)
EXTERNAL_CONTENT = False  # the tsvector is a copy: an upsert replaces it
_INDEX = ("INSERT INTO note_search (note_id, session_start, tsv) SELECT d.note_id, "
          "n.session_start, {tsv} FROM note_search_doc d JOIN note n ON n.id = d.note_id")
_UPSERT = (" ON CONFLICT (note_id) DO UPDATE SET tsv = EXCLUDED.tsv, "
           "session_start = EXCLUDED.session_start")
_TABLE = ("CREATE TABLE note_search (note_id integer PRIMARY KEY REFERENCES note(id) "
          "ON DELETE CASCADE, session_start timestamp with time zone NOT NULL, "
          "tsv tsvector NOT NULL)")
START_TRIGGER = [
    """CREATE OR REPLACE FUNCTION notes_tui_search_start() RETURNS trigger AS $$
        BEGIN
            UPDATE note_search SET session_start = NEW.session_start WHERE note_id = NEW.id;
            RETURN NEW;
        END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER trg_note_search_start AFTER UPDATE OF session_start ON note
            FOR EACH ROW WHEN (OLD.session_start IS DISTINCT FROM NEW.session_start)
            EXECUTE FUNCTION notes_tui_search_start()""",
]


def upgrade_search_ddl() -> list[str]:
    """From 0006h's search objects to today's: the documents filled from the old view (every
    word as the therapist's until services/search_index.rebuild sorts out the catalog's).
    Migration 0007c holds this list frozen (see lock_triggers_ddl)."""
    cols = ", ".join(SEARCH_COLUMNS)
    return ["DROP TABLE IF EXISTS note_search", DOC_TABLE,
            f"INSERT INTO note_search_doc (note_id, {cols}, catalog) SELECT id, {cols}, '' "
            "FROM note_search_src",
            "DROP VIEW IF EXISTS note_search_src", *TEXT_CONFIG, _TABLE,
            _INDEX.format(tsv=_tsv()) + " ORDER BY d.note_id",
            "CREATE INDEX ix_note_search_tsv ON note_search USING gin (tsv)", *START_TRIGGER]


def drop_search_ddl() -> list[str]:
    return ["DROP TRIGGER IF EXISTS trg_note_search_start ON note",
            "DROP FUNCTION IF EXISTS notes_tui_search_start()",
            "DROP TABLE IF EXISTS note_search", "DROP TABLE IF EXISTS note_search_doc",
            f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG}",
            "DROP TEXT SEARCH DICTIONARY IF EXISTS notes_porter"]


def unindex_sql() -> str:
    return "DELETE FROM note_search WHERE note_id = :id"


def index_many_sql() -> str:
    return _INDEX.format(tsv=_tsv()) + " WHERE d.note_id IN :ids ORDER BY d.note_id" + _UPSERT


def rebuild_sql() -> list[str]:
    """Every note's row rewritten in place, in id order: no table-wide DELETE, whose row locks
    would meet an autosave's in the other order (a deleted note's row goes with it: ON DELETE
    CASCADE)."""
    return [_INDEX.format(tsv=_tsv()) + " ORDER BY d.note_id" + _UPSERT]


def _pg_term(term: Term, fold: Callable[[str], str], weights: str) -> str:
    """One word or phrase; `weights` ('ABC': the therapist's own columns) limits where it may
    match. A weight on each lexeme of a phrase: to_tsquery keeps it through stemming."""
    words = [fold(w) for w in term.words]
    lexemes = [f"'{w}'" for w in words if w]
    if not lexemes:
        return ""
    tail = ":" + weights if weights else ""
    if term.prefix:
        lexemes[-1] += ":*" + weights if weights else ":*"
        lexemes[:-1] = [x + tail for x in lexemes[:-1]]
    else:
        lexemes = [x + tail for x in lexemes]
    expr = " <-> ".join(lexemes)
    return f"({expr})" if len(lexemes) > 1 else expr


def tsquery(query: Query, fold: Callable[[str], str], *, catalog: bool = False) -> str:
    """A to_tsquery string; words are \\w+ only (from the parser), so quoting is safe. Without
    `catalog` (include:catalog) only the therapist's own columns match."""
    weights = "" if catalog else OWN_WEIGHTS
    parts = []
    for group in query.groups:
        alts = [a for a in (_pg_term(t, fold, weights) for t in group) if a]
        if alts:
            parts.append(alts[0] if len(alts) == 1 else "(" + " | ".join(alts) + ")")
    for t in query.excluded:
        term = _pg_term(t, fold, weights)
        if term:
            parts.append(f"!{term}")
    return " & ".join(parts)


def phrase_expression(words: list[str], prefix: bool, fold: Callable[[str], str], *,
                      catalog: bool = False) -> str:
    from notes_tui.domain.search_query import Term

    return _pg_term(Term(tuple(words), prefix), fold, "" if catalog else OWN_WEIGHTS)


def ranked_ids_sql(where: str, *, by_date: bool, phrase: bool = False) -> str:
    """Ids of one page. With `phrase`, notes holding the words as a phrase come first. Without
    filters, the page is ranked on note_search alone (its session_start orders equal ranks); a
    filter joins note."""
    first = "(ns.tsv @@ to_tsquery('notes_search', :phrase)) DESC, " if phrase else ""
    order = ("ns.session_start DESC, ns.note_id DESC" if by_date else
             f"{first}ts_rank(ns.tsv, to_tsquery('notes_search', :match)) DESC, "
             "ns.session_start DESC, ns.note_id DESC")
    join = "" if where == "1 = 1" else " JOIN note ON note.id = ns.note_id"
    return (f"SELECT ns.note_id FROM note_search ns{join} "
            f"WHERE ns.tsv @@ to_tsquery('notes_search', :match) AND {where} "
            f"ORDER BY {order} LIMIT :limit OFFSET :offset")


def excluded_sql() -> str:
    return ("note.id NOT IN (SELECT note_id FROM note_search "
            "WHERE tsv @@ to_tsquery('notes_search', :exclude))")


def document_frequency(conn: Connection, query: Query) -> int | None:
    return None  # ts_rank on all matches is what the floor measures; no date fallback

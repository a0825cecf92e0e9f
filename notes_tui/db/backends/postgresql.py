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
# ts_rank weight letters per column: a treated trigger point outranks a passing mention
_WEIGHT = {"trigger_points": "A", "complaint": "B", "findings": "B", "cues": "C",
           "summaries": "D", "advice": "D", "amendments": "D"}
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


def _agg(expr: str, table: str, alias: str) -> str:
    return (f"coalesce((SELECT string_agg({expr}, ' ' ORDER BY {alias}.position) FROM {table} "
            f"{alias} WHERE {alias}.note_id = n.id), '')")


def _ident(column: str) -> str:
    return f"coalesce(replace({column}, '_', ' '), '')"


SEARCH_VIEW = f"""CREATE VIEW note_search_src AS SELECT
    n.id AS id,
    n.complaint || ' ' || n.since_health AS complaint,
    n.therapist_summary || ' ' || n.client_summary AS summaries,
    {_agg(f"{_ident('f.ref_id')} || ' ' || f.text || ' ' || coalesce(f.side, '') || ' ' || "
          f"{_ident('f.finding')} || ' ' || f.note", "note_finding", "f")} || ' ' ||
    {_agg(f"{_ident('w.region_id')} || ' ' || w.region || ' ' || {_ident('w.modality')} || ' ' "
          "|| coalesce(w.side, '') || ' ' || w.note", "note_work", "w")} || ' ' ||
    n.positioning || ' ' || n.areas_avoided AS findings,
    {_agg(f"{_ident('t.muscle_id')} || ' ' || t.muscle || ' ' || t.side || ' ' || "
          "t.referred_pain || ' ' || t.note", "note_trigger_point", "t")} AS trigger_points,
    {_agg(f"{_ident('c.cue_id')} || ' ' || c.text || ' ' || c.response", "note_cue", "c")} AS cues,
    n.advice || ' ' || n.what_to_expect || ' ' || n.when_to_contact || ' ' || n.referral || ' ' ||
    {_agg(f"{_ident('h.item_id')} || ' ' || h.text", "note_home_care", "h")} AS advice,
    coalesce((SELECT string_agg(a.reason || ' ' || a.text, ' ' ORDER BY a.id) FROM amendment a
              WHERE a.note_id = n.id), '') AS amendments
FROM note n"""


def _tsv() -> str:
    parts = [f"setweight(to_tsvector('simple', translate(lower(s.{c}), '{_FROM}', '{_TO}')), "
             f"'{_WEIGHT[c]}')" for c in SEARCH_COLUMNS]
    return " || ".join(parts)


def search_ddl() -> list[str]:
    """Today's search objects. Migration 0003 keeps its own frozen copy (see lock_triggers_ddl)."""
    return [
        SEARCH_VIEW,
        "CREATE TABLE note_search (note_id integer PRIMARY KEY REFERENCES note(id) "
        "ON DELETE CASCADE, tsv tsvector NOT NULL)",
        "CREATE INDEX ix_note_search_tsv ON note_search USING gin (tsv)",
        f"INSERT INTO note_search (note_id, tsv) SELECT s.id, {_tsv()} FROM note_search_src s",
    ]


def drop_search_ddl() -> list[str]:
    return ["DROP TABLE IF EXISTS note_search", "DROP VIEW IF EXISTS note_search_src"]


def unindex_sql() -> str:
    return "DELETE FROM note_search WHERE note_id = :id"


def index_sql() -> str:
    return (f"INSERT INTO note_search (note_id, tsv) SELECT s.id, {_tsv()} FROM note_search_src s "
            "WHERE s.id = :id ON CONFLICT (note_id) DO UPDATE SET tsv = EXCLUDED.tsv")


def index_many_sql() -> str:
    return (f"INSERT INTO note_search (note_id, tsv) SELECT s.id, {_tsv()} FROM note_search_src s "
            "WHERE s.id IN :ids ORDER BY s.id ON CONFLICT (note_id) DO UPDATE SET tsv = EXCLUDED.tsv")


def rebuild_sql() -> list[str]:
    """Every note's row rewritten in place, in id order: no table-wide DELETE, whose row locks
    would meet an autosave's in the other order (a deleted note's row goes with it: ON DELETE
    CASCADE)."""
    return [f"INSERT INTO note_search (note_id, tsv) SELECT s.id, {_tsv()} FROM note_search_src s "
            "ORDER BY s.id ON CONFLICT (note_id) DO UPDATE SET tsv = EXCLUDED.tsv"]


def _pg_term(term: Term, fold: Callable[[str], str]) -> str:
    words = [fold(w) for w in term.words]
    lexemes = [f"'{w}'" for w in words if w]
    if not lexemes:
        return ""
    expr = " <-> ".join(lexemes)
    if term.prefix:
        expr = expr[:-1] + "':*" if len(lexemes) == 1 else expr + ":*"
    return f"({expr})" if len(lexemes) > 1 else expr


def tsquery(query: Query, fold: Callable[[str], str]) -> str:
    """A to_tsquery string; words are \\w+ only (from the parser), so quoting is safe."""
    parts = []
    for group in query.groups:
        alts = [a for a in (_pg_term(t, fold) for t in group) if a]
        if alts:
            parts.append(alts[0] if len(alts) == 1 else "(" + " | ".join(alts) + ")")
    for t in query.excluded:
        term = _pg_term(t, fold)
        if term:
            parts.append(f"!{term}")
    return " & ".join(parts)


def phrase_expression(words: list[str], prefix: bool, fold: Callable[[str], str]) -> str:
    lexemes = [f"'{fold(w)}'" for w in words]
    return " <-> ".join(lexemes) + (":*" if prefix else "")


def ranked_ids_sql(where: str, *, by_date: bool, phrase: bool = False) -> str:
    """Ids of one page. With `phrase`, notes holding the words as a phrase come first."""
    first = "(ns.tsv @@ to_tsquery('simple', :phrase)) DESC, " if phrase else ""
    order = ("note.session_start DESC, note.id DESC" if by_date else
             f"{first}ts_rank(ns.tsv, to_tsquery('simple', :match)) DESC, note.session_start DESC")
    return ("SELECT note.id FROM note_search ns JOIN note ON note.id = ns.note_id "
            "JOIN client ON client.id = note.client_id "
            f"WHERE ns.tsv @@ to_tsquery('simple', :match) AND {where} "
            f"ORDER BY {order} LIMIT :limit OFFSET :offset")


def excluded_sql() -> str:
    return ("note.id NOT IN (SELECT note_id FROM note_search "
            "WHERE tsv @@ to_tsquery('simple', :exclude))")


def document_frequency(conn: Connection, query: Query) -> int | None:
    return None  # ts_rank on all matches is what the floor measures; no date fallback

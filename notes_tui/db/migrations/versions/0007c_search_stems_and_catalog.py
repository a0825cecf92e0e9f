"""search by stems, and the app's own wording apart: one index document per note
(note_search_doc) written by the app from the note's rows, with catalog referral text and stock
follow-up sentences in a column of their own that search reads only with include:catalog; words
indexed by their Porter stem on both backends ("headaches" finds "headache"); on PostgreSQL the
session's time beside each index entry (kept by a trigger), so equal ranks are ordered without
joining every match to note

Revision ID: 0007c
Revises: 0007b
Create Date: 2026-12-04

The documents are first filled from 0006h's view (every word counted as the therapist's); the
app then sorts out the catalog's wording with the catalog in use (services/context.py runs
services/search_index.rebuild after an upgrade that crossed this revision; `notes-tui db reindex`
does the same by hand). The statements are frozen here: the exact text
notes_tui.db.backends.{sqlite,postgresql}.upgrade_search_ddl returned when this revision shipped
(see 0003). The downgrade puts back 0006h's search objects (read from 0006h's own module through
alembic), so an older app finds its view again.
"""
from alembic import op

revision = "0007c"
down_revision = "0007b"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for statement in UPGRADE[_dialect()]:
        op.execute(statement)


def downgrade() -> None:
    dialect = _dialect()
    for statement in DROP[dialect]:
        op.execute(statement)
    from pathlib import Path

    from alembic.script import ScriptDirectory

    here = Path(__file__).resolve().parent.parent  # the migrations folder (env.py)
    old = ScriptDirectory(str(here)).get_revision("0006h").module
    for statement in old.SEARCH[dialect]:
        op.execute(statement)


def _dialect() -> str:
    name = op.get_bind().dialect.name
    if name not in UPGRADE:
        raise ValueError(f"unsupported database backend {name!r}")
    return name


# --- frozen DDL ---------------------------------------------------------------------------------

UPGRADE = {
    "sqlite": [   'DROP TABLE IF EXISTS note_fts_vocab',
    'DROP TABLE IF EXISTS note_fts',
    'DROP VIEW IF EXISTS note_fts_src',
    'CREATE TABLE note_search_doc (note_id INTEGER PRIMARY KEY REFERENCES note(id) ON DELETE '
    "CASCADE, complaint TEXT NOT NULL DEFAULT '', summaries TEXT NOT NULL DEFAULT '', findings "
    "TEXT NOT NULL DEFAULT '', trigger_points TEXT NOT NULL DEFAULT '', cues TEXT NOT NULL DEFAULT "
    "'', advice TEXT NOT NULL DEFAULT '', amendments TEXT NOT NULL DEFAULT '', catalog TEXT NOT "
    "NULL DEFAULT '')",
    'INSERT INTO note_search_doc (note_id, complaint, summaries, findings, trigger_points, cues, '
    'advice, amendments, catalog) SELECT id, complaint, summaries, findings, trigger_points, cues, '
    "advice, amendments, '' FROM note_search_src",
    'DROP VIEW IF EXISTS note_search_src',
    'CREATE VIEW note_fts_src AS SELECT note_id AS id, '
    'replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(complaint, '
    "'Ł', 'L'), 'ł', 'l'), 'Ø', 'O'), 'ø', 'o'), 'Đ', 'D'), 'đ', 'd'), 'ß', 'ss'), 'Æ', 'AE'), "
    "'æ', 'ae'), 'Œ', 'OE'), 'œ', 'oe'), 'ı', 'i'), 'Ħ', 'H'), 'ħ', 'h') AS complaint, "
    'replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(summaries, '
    "'Ł', 'L'), 'ł', 'l'), 'Ø', 'O'), 'ø', 'o'), 'Đ', 'D'), 'đ', 'd'), 'ß', 'ss'), 'Æ', 'AE'), "
    "'æ', 'ae'), 'Œ', 'OE'), 'œ', 'oe'), 'ı', 'i'), 'Ħ', 'H'), 'ħ', 'h') AS summaries, "
    'replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(findings, '
    "'Ł', 'L'), 'ł', 'l'), 'Ø', 'O'), 'ø', 'o'), 'Đ', 'D'), 'đ', 'd'), 'ß', 'ss'), 'Æ', 'AE'), "
    "'æ', 'ae'), 'Œ', 'OE'), 'œ', 'oe'), 'ı', 'i'), 'Ħ', 'H'), 'ħ', 'h') AS findings, "
    'replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(trigger_points, '
    "'Ł', 'L'), 'ł', 'l'), 'Ø', 'O'), 'ø', 'o'), 'Đ', 'D'), 'đ', 'd'), 'ß', 'ss'), 'Æ', 'AE'), "
    "'æ', 'ae'), 'Œ', 'OE'), 'œ', 'oe'), 'ı', 'i'), 'Ħ', 'H'), 'ħ', 'h') AS trigger_points, "
    'replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(cues, '
    "'Ł', 'L'), 'ł', 'l'), 'Ø', 'O'), 'ø', 'o'), 'Đ', 'D'), 'đ', 'd'), 'ß', 'ss'), 'Æ', 'AE'), "
    "'æ', 'ae'), 'Œ', 'OE'), 'œ', 'oe'), 'ı', 'i'), 'Ħ', 'H'), 'ħ', 'h') AS cues, "
    'replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(advice, '
    "'Ł', 'L'), 'ł', 'l'), 'Ø', 'O'), 'ø', 'o'), 'Đ', 'D'), 'đ', 'd'), 'ß', 'ss'), 'Æ', 'AE'), "
    "'æ', 'ae'), 'Œ', 'OE'), 'œ', 'oe'), 'ı', 'i'), 'Ħ', 'H'), 'ħ', 'h') AS advice, "
    'replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(amendments, '
    "'Ł', 'L'), 'ł', 'l'), 'Ø', 'O'), 'ø', 'o'), 'Đ', 'D'), 'đ', 'd'), 'ß', 'ss'), 'Æ', 'AE'), "
    "'æ', 'ae'), 'Œ', 'OE'), 'œ', 'oe'), 'ı', 'i'), 'Ħ', 'H'), 'ħ', 'h') AS amendments, "
    'replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(catalog, '
    "'Ł', 'L'), 'ł', 'l'), 'Ø', 'O'), 'ø', 'o'), 'Đ', 'D'), 'đ', 'd'), 'ß', 'ss'), 'Æ', 'AE'), "
    "'æ', 'ae'), 'Œ', 'OE'), 'œ', 'oe'), 'ı', 'i'), 'Ħ', 'H'), 'ħ', 'h') AS catalog FROM "
    'note_search_doc',
    'CREATE VIRTUAL TABLE note_fts USING fts5(complaint, summaries, findings, trigger_points, '
    "cues, advice, amendments, catalog, content='note_fts_src', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    "INSERT INTO note_fts(note_fts) VALUES ('rebuild')",
    "CREATE VIRTUAL TABLE note_fts_vocab USING fts5vocab(note_fts, 'row')"],
    "postgresql": [   'DROP TABLE IF EXISTS note_search',
    'CREATE TABLE note_search_doc (note_id integer PRIMARY KEY REFERENCES note(id) ON DELETE '
    "CASCADE, complaint text NOT NULL DEFAULT '', summaries text NOT NULL DEFAULT '', findings "
    "text NOT NULL DEFAULT '', trigger_points text NOT NULL DEFAULT '', cues text NOT NULL DEFAULT "
    "'', advice text NOT NULL DEFAULT '', amendments text NOT NULL DEFAULT '', catalog text NOT "
    "NULL DEFAULT '')",
    'INSERT INTO note_search_doc (note_id, complaint, summaries, findings, trigger_points, cues, '
    'advice, amendments, catalog) SELECT id, complaint, summaries, findings, trigger_points, cues, '
    "advice, amendments, '' FROM note_search_src",
    'DROP VIEW IF EXISTS note_search_src',
    'CREATE TEXT SEARCH DICTIONARY notes_porter (TEMPLATE = snowball, LANGUAGE = porter)',
    'CREATE TEXT SEARCH CONFIGURATION notes_search (COPY = simple)',
    'ALTER TEXT SEARCH CONFIGURATION notes_search ALTER MAPPING FOR asciiword, asciihword, '
    'hword_asciipart, word, hword, hword_part WITH notes_porter',
    'CREATE TABLE note_search (note_id integer PRIMARY KEY REFERENCES note(id) ON DELETE CASCADE, '
    'session_start timestamp with time zone NOT NULL, tsv tsvector NOT NULL)',
    'INSERT INTO note_search (note_id, session_start, tsv) SELECT d.note_id, n.session_start, '
    "setweight(to_tsvector('notes_search', translate(lower(d.complaint), "
    "'áàâäãåāăąçćčďđðéèêëēėęěğíìîïīįıłńñňóòôöõøōőŕřśšşťúùûüūůűųýÿźżžæœß', "
    "'aaaaaaaaacccdddeeeeeeeegiiiiiiilnnnoooooooorrssstuuuuuuuuyyzzzaos')), 'B') || "
    "setweight(to_tsvector('notes_search', translate(lower(d.summaries), "
    "'áàâäãåāăąçćčďđðéèêëēėęěğíìîïīįıłńñňóòôöõøōőŕřśšşťúùûüūůűųýÿźżžæœß', "
    "'aaaaaaaaacccdddeeeeeeeegiiiiiiilnnnoooooooorrssstuuuuuuuuyyzzzaos')), 'C') || "
    "setweight(to_tsvector('notes_search', translate(lower(d.findings), "
    "'áàâäãåāăąçćčďđðéèêëēėęěğíìîïīįıłńñňóòôöõøōőŕřśšşťúùûüūůűųýÿźżžæœß', "
    "'aaaaaaaaacccdddeeeeeeeegiiiiiiilnnnoooooooorrssstuuuuuuuuyyzzzaos')), 'B') || "
    "setweight(to_tsvector('notes_search', translate(lower(d.trigger_points), "
    "'áàâäãåāăąçćčďđðéèêëēėęěğíìîïīįıłńñňóòôöõøōőŕřśšşťúùûüūůűųýÿźżžæœß', "
    "'aaaaaaaaacccdddeeeeeeeegiiiiiiilnnnoooooooorrssstuuuuuuuuyyzzzaos')), 'A') || "
    "setweight(to_tsvector('notes_search', translate(lower(d.cues), "
    "'áàâäãåāăąçćčďđðéèêëēėęěğíìîïīįıłńñňóòôöõøōőŕřśšşťúùûüūůűųýÿźżžæœß', "
    "'aaaaaaaaacccdddeeeeeeeegiiiiiiilnnnoooooooorrssstuuuuuuuuyyzzzaos')), 'C') || "
    "setweight(to_tsvector('notes_search', translate(lower(d.advice), "
    "'áàâäãåāăąçćčďđðéèêëēėęěğíìîïīįıłńñňóòôöõøōőŕřśšşťúùûüūůűųýÿźżžæœß', "
    "'aaaaaaaaacccdddeeeeeeeegiiiiiiilnnnoooooooorrssstuuuuuuuuyyzzzaos')), 'C') || "
    "setweight(to_tsvector('notes_search', translate(lower(d.amendments), "
    "'áàâäãåāăąçćčďđðéèêëēėęěğíìîïīįıłńñňóòôöõøōőŕřśšşťúùûüūůűųýÿźżžæœß', "
    "'aaaaaaaaacccdddeeeeeeeegiiiiiiilnnnoooooooorrssstuuuuuuuuyyzzzaos')), 'C') || "
    "setweight(to_tsvector('notes_search', translate(lower(d.catalog), "
    "'áàâäãåāăąçćčďđðéèêëēėęěğíìîïīįıłńñňóòôöõøōőŕřśšşťúùûüūůűųýÿźżžæœß', "
    "'aaaaaaaaacccdddeeeeeeeegiiiiiiilnnnoooooooorrssstuuuuuuuuyyzzzaos')), 'D') FROM "
    'note_search_doc d JOIN note n ON n.id = d.note_id ORDER BY d.note_id',
    'CREATE INDEX ix_note_search_tsv ON note_search USING gin (tsv)',
    'CREATE OR REPLACE FUNCTION notes_tui_search_start() RETURNS trigger AS $$\n'
    '        BEGIN\n'
    '            UPDATE note_search SET session_start = NEW.session_start WHERE note_id = NEW.id;\n'
    '            RETURN NEW;\n'
    '        END $$ LANGUAGE plpgsql',
    'CREATE TRIGGER trg_note_search_start AFTER UPDATE OF session_start ON note\n'
    '            FOR EACH ROW WHEN (OLD.session_start IS DISTINCT FROM NEW.session_start)\n'
    '            EXECUTE FUNCTION notes_tui_search_start()'],
}
DROP = {
    "sqlite": [   'DROP TABLE IF EXISTS note_fts_vocab',
    'DROP TABLE IF EXISTS note_fts',
    'DROP VIEW IF EXISTS note_fts_src',
    'DROP TABLE IF EXISTS note_search_doc'],
    "postgresql": [   'DROP TRIGGER IF EXISTS trg_note_search_start ON note',
    'DROP FUNCTION IF EXISTS notes_tui_search_start()',
    'DROP TABLE IF EXISTS note_search',
    'DROP TABLE IF EXISTS note_search_doc',
    'DROP TEXT SEARCH CONFIGURATION IF EXISTS notes_search',
    'DROP TEXT SEARCH DICTIONARY IF EXISTS notes_porter'],
}

"""full-text search: FTS5 over a view (SQLite), tsvector + GIN (PostgreSQL)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25

The statements are frozen here: the exact text notes_tui.db.backends.{sqlite,postgresql}
.search_ddl() and drop_search_ddl() returned when this revision shipped. A migration never calls
today's code, so a later change to the backend modules cannot change what revision 0003 builds
(a change to the search objects is a new revision). tests/test_migrations.py checks a migrated
database holds exactly these statements and that no migration imports notes_tui.
"""
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for statement in _for_dialect(SEARCH):
        op.execute(statement)


def downgrade() -> None:
    for statement in _for_dialect(DROP_SEARCH):
        op.execute(statement)


def _for_dialect(statements: dict[str, list[str]]) -> list[str]:
    name = op.get_bind().dialect.name
    if name not in statements:
        raise ValueError(f"unsupported database backend {name!r}")
    return statements[name]


# --- frozen DDL ---------------------------------------------------------------------------------

SQLITE_SEARCH = [
    ('CREATE VIEW note_search_src AS SELECT\n'
     '    n.id AS id,\n'
     '    n.complaint AS complaint,\n'
     "    n.therapist_summary || ' ' || n.client_summary AS summaries,\n"
     "    coalesce((SELECT group_concat(coalesce(replace(f.ref_id, '_', ' '), '') || ' ' "
     "|| f.text || ' ' || coalesce(f.side, '') || ' ' || coalesce(replace(f.finding, '_', "
     "' '), '') || ' ' || f.note, ' ') FROM note_finding f WHERE f.note_id = n.id), '') "
     'AS findings,\n'
     "    coalesce((SELECT group_concat(coalesce(replace(t.muscle_id, '_', ' '), '') || ' "
     "' || t.muscle || ' ' || t.side || ' ' || t.referred_pain || ' ' || t.note, ' ') "
     "FROM note_trigger_point t WHERE t.note_id = n.id), '') AS trigger_points,\n"
     "    coalesce((SELECT group_concat(coalesce(replace(c.cue_id, '_', ' '), '') || ' ' "
     "|| c.text || ' ' || c.response, ' ') FROM note_cue c WHERE c.note_id = n.id), '') "
     'AS cues,\n'
     "    n.advice || ' ' || n.what_to_expect || ' ' || n.when_to_contact || ' ' || "
     "n.referral || ' ' ||\n"
     "    coalesce((SELECT group_concat(coalesce(replace(h.item_id, '_', ' '), '') || ' ' "
     "|| h.text, ' ') FROM note_home_care h WHERE h.note_id = n.id), '') AS advice,\n"
     "    coalesce((SELECT group_concat(a.reason || ' ' || a.text, ' ') FROM amendment a "
     "WHERE a.note_id = n.id), '') AS amendments\n"
     'FROM note n'),
    ('CREATE VIEW note_fts_src AS SELECT id, '
     'replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(repl'
     "ace(replace(replace(replace(complaint, 'Ł', 'L'), 'ł', 'l'), 'Ø', 'O'), 'ø', 'o'), "
     "'Đ', 'D'), 'đ', 'd'), 'ß', 'ss'), 'Æ', 'AE'), 'æ', 'ae'), 'Œ', 'OE'), 'œ', 'oe'), "
     "'ı', 'i'), 'Ħ', 'H'), 'ħ', 'h') AS complaint, "
     'replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(repl'
     "ace(replace(replace(replace(summaries, 'Ł', 'L'), 'ł', 'l'), 'Ø', 'O'), 'ø', 'o'), "
     "'Đ', 'D'), 'đ', 'd'), 'ß', 'ss'), 'Æ', 'AE'), 'æ', 'ae'), 'Œ', 'OE'), 'œ', 'oe'), "
     "'ı', 'i'), 'Ħ', 'H'), 'ħ', 'h') AS summaries, "
     'replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(repl'
     "ace(replace(replace(replace(findings, 'Ł', 'L'), 'ł', 'l'), 'Ø', 'O'), 'ø', 'o'), "
     "'Đ', 'D'), 'đ', 'd'), 'ß', 'ss'), 'Æ', 'AE'), 'æ', 'ae'), 'Œ', 'OE'), 'œ', 'oe'), "
     "'ı', 'i'), 'Ħ', 'H'), 'ħ', 'h') AS findings, "
     'replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(repl'
     "ace(replace(replace(replace(trigger_points, 'Ł', 'L'), 'ł', 'l'), 'Ø', 'O'), 'ø', "
     "'o'), 'Đ', 'D'), 'đ', 'd'), 'ß', 'ss'), 'Æ', 'AE'), 'æ', 'ae'), 'Œ', 'OE'), 'œ', "
     "'oe'), 'ı', 'i'), 'Ħ', 'H'), 'ħ', 'h') AS trigger_points, "
     'replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(repl'
     "ace(replace(replace(replace(cues, 'Ł', 'L'), 'ł', 'l'), 'Ø', 'O'), 'ø', 'o'), 'Đ', "
     "'D'), 'đ', 'd'), 'ß', 'ss'), 'Æ', 'AE'), 'æ', 'ae'), 'Œ', 'OE'), 'œ', 'oe'), 'ı', "
     "'i'), 'Ħ', 'H'), 'ħ', 'h') AS cues, "
     'replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(repl'
     "ace(replace(replace(replace(advice, 'Ł', 'L'), 'ł', 'l'), 'Ø', 'O'), 'ø', 'o'), "
     "'Đ', 'D'), 'đ', 'd'), 'ß', 'ss'), 'Æ', 'AE'), 'æ', 'ae'), 'Œ', 'OE'), 'œ', 'oe'), "
     "'ı', 'i'), 'Ħ', 'H'), 'ħ', 'h') AS advice, "
     'replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(repl'
     "ace(replace(replace(replace(amendments, 'Ł', 'L'), 'ł', 'l'), 'Ø', 'O'), 'ø', 'o'), "
     "'Đ', 'D'), 'đ', 'd'), 'ß', 'ss'), 'Æ', 'AE'), 'æ', 'ae'), 'Œ', 'OE'), 'œ', 'oe'), "
     "'ı', 'i'), 'Ħ', 'H'), 'ħ', 'h') AS amendments FROM note_search_src"),
    ('CREATE VIRTUAL TABLE note_fts USING fts5(complaint, summaries, findings, '
     "trigger_points, cues, advice, amendments, content='note_fts_src', "
     "content_rowid='id', tokenize='unicode61 remove_diacritics 2')"),
    """INSERT INTO note_fts(note_fts) VALUES ('rebuild')""",
    """CREATE VIRTUAL TABLE note_fts_vocab USING fts5vocab(note_fts, 'row')""",
]
SQLITE_DROP_SEARCH = [
    """DROP TABLE IF EXISTS note_fts_vocab""",
    """DROP TABLE IF EXISTS note_fts""",
    """DROP VIEW IF EXISTS note_fts_src""",
    """DROP VIEW IF EXISTS note_search_src""",
]
POSTGRESQL_SEARCH = [
    ('CREATE VIEW note_search_src AS SELECT\n'
     '    n.id AS id,\n'
     '    n.complaint AS complaint,\n'
     "    n.therapist_summary || ' ' || n.client_summary AS summaries,\n"
     "    coalesce((SELECT string_agg(coalesce(replace(f.ref_id, '_', ' '), '') || ' ' || "
     "f.text || ' ' || coalesce(f.side, '') || ' ' || coalesce(replace(f.finding, '_', ' "
     "'), '') || ' ' || f.note, ' ' ORDER BY f.position) FROM note_finding f WHERE "
     "f.note_id = n.id), '') AS findings,\n"
     "    coalesce((SELECT string_agg(coalesce(replace(t.muscle_id, '_', ' '), '') || ' ' "
     "|| t.muscle || ' ' || t.side || ' ' || t.referred_pain || ' ' || t.note, ' ' ORDER "
     "BY t.position) FROM note_trigger_point t WHERE t.note_id = n.id), '') AS "
     'trigger_points,\n'
     "    coalesce((SELECT string_agg(coalesce(replace(c.cue_id, '_', ' '), '') || ' ' || "
     "c.text || ' ' || c.response, ' ' ORDER BY c.position) FROM note_cue c WHERE "
     "c.note_id = n.id), '') AS cues,\n"
     "    n.advice || ' ' || n.what_to_expect || ' ' || n.when_to_contact || ' ' || "
     "n.referral || ' ' ||\n"
     "    coalesce((SELECT string_agg(coalesce(replace(h.item_id, '_', ' '), '') || ' ' "
     "|| h.text, ' ' ORDER BY h.position) FROM note_home_care h WHERE h.note_id = n.id), "
     "'') AS advice,\n"
     "    coalesce((SELECT string_agg(a.reason || ' ' || a.text, ' ' ORDER BY a.id) FROM "
     'amendment a\n'
     "              WHERE a.note_id = n.id), '') AS amendments\n"
     'FROM note n'),
    ('CREATE TABLE note_search (note_id integer PRIMARY KEY REFERENCES note(id) ON DELETE '
     'CASCADE, tsv tsvector NOT NULL)'),
    """CREATE INDEX ix_note_search_tsv ON note_search USING gin (tsv)""",
    ("INSERT INTO note_search (note_id, tsv) SELECT s.id, setweight(to_tsvector('simple', "
     "translate(lower(s.complaint), 'áàâäãåāăąçćčďđðéèêëēėęěğíìîïīįıłńñňóòôöõøōőŕřśšşťúùûü"
     "ūůűųýÿźżžæœß', 'aaaaaaaaacccdddeeeeeeeegiiiiiiilnnnoooooooorrssstuuuuuuuuyyzzzaos'))"
     ", 'B') || setweight(to_tsvector('simple', translate(lower(s.summaries), "
     "'áàâäãåāăąçćčďđðéèêëēėęěğíìîïīįıłńñňóòôöõøōőŕřśšşťúùûüūůűųýÿźżžæœß', "
     "'aaaaaaaaacccdddeeeeeeeegiiiiiiilnnnoooooooorrssstuuuuuuuuyyzzzaos')), 'D') || "
     "setweight(to_tsvector('simple', translate(lower(s.findings), "
     "'áàâäãåāăąçćčďđðéèêëēėęěğíìîïīįıłńñňóòôöõøōőŕřśšşťúùûüūůűųýÿźżžæœß', "
     "'aaaaaaaaacccdddeeeeeeeegiiiiiiilnnnoooooooorrssstuuuuuuuuyyzzzaos')), 'B') || "
     "setweight(to_tsvector('simple', translate(lower(s.trigger_points), "
     "'áàâäãåāăąçćčďđðéèêëēėęěğíìîïīįıłńñňóòôöõøōőŕřśšşťúùûüūůűųýÿźżžæœß', "
     "'aaaaaaaaacccdddeeeeeeeegiiiiiiilnnnoooooooorrssstuuuuuuuuyyzzzaos')), 'A') || "
     "setweight(to_tsvector('simple', translate(lower(s.cues), "
     "'áàâäãåāăąçćčďđðéèêëēėęěğíìîïīįıłńñňóòôöõøōőŕřśšşťúùûüūůűųýÿźżžæœß', "
     "'aaaaaaaaacccdddeeeeeeeegiiiiiiilnnnoooooooorrssstuuuuuuuuyyzzzaos')), 'C') || "
     "setweight(to_tsvector('simple', translate(lower(s.advice), "
     "'áàâäãåāăąçćčďđðéèêëēėęěğíìîïīįıłńñňóòôöõøōőŕřśšşťúùûüūůűųýÿźżžæœß', "
     "'aaaaaaaaacccdddeeeeeeeegiiiiiiilnnnoooooooorrssstuuuuuuuuyyzzzaos')), 'D') || "
     "setweight(to_tsvector('simple', translate(lower(s.amendments), "
     "'áàâäãåāăąçćčďđðéèêëēėęěğíìîïīįıłńñňóòôöõøōőŕřśšşťúùûüūůűųýÿźżžæœß', "
     "'aaaaaaaaacccdddeeeeeeeegiiiiiiilnnnoooooooorrssstuuuuuuuuyyzzzaos')), 'D') FROM "
     'note_search_src s'),
]
POSTGRESQL_DROP_SEARCH = [
    """DROP TABLE IF EXISTS note_search""",
    """DROP VIEW IF EXISTS note_search_src""",
]

SEARCH = {"sqlite": SQLITE_SEARCH, "postgresql": POSTGRESQL_SEARCH}
DROP_SEARCH = {"sqlite": SQLITE_DROP_SEARCH, "postgresql": POSTGRESQL_DROP_SEARCH}

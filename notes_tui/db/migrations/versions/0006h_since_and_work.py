"""since last visit and work done: how the client responded since the last visit, the work of
a session by region (note_work), positioning and areas avoided; the search view reads them

Revision ID: 0006h
Revises: 0006g
Create Date: 2026-12-03

Plain ADD COLUMNs on note (existing notes: nothing recorded since the last visit, no work rows,
no positioning), a new child table note_work with the same lock triggers as the other child
tables, and the search objects rebuilt over the new view. The statements are frozen here: the
exact text notes_tui.db.backends.{sqlite,postgresql} returned when this revision shipped (see 0003).
The downgrade puts back 0003's search objects (whose frozen statements it reads from 0003's own
module text, through alembic), so an older app finds its view again.
"""
import sqlalchemy as sa
from alembic import op

revision = "0006h"
down_revision = "0006g"
branch_labels = None
depends_on = None

_TEXTS = ("since_health", "positioning", "areas_avoided")


def upgrade() -> None:
    op.add_column("note", sa.Column("since_response", sa.Text(), nullable=True))
    op.add_column("note", sa.Column("since_sore_days", sa.Integer(), nullable=True))
    op.add_column("note", sa.Column("since_home_care", sa.Text(), nullable=True))
    for name in _TEXTS:
        op.add_column("note", sa.Column(name, sa.Text(), nullable=False, server_default=""))
    # a home-care item's side (existing rows: none given)
    op.add_column("note_home_care", sa.Column("side", sa.String(), nullable=True))
    # range of motion after treatment, and values as % of normal (existing rows: degrees)
    op.add_column("note_finding", sa.Column("degrees_after", sa.Integer(), nullable=True))
    op.add_column("note_finding", sa.Column("percent", sa.Boolean(), nullable=False,
                                            server_default=sa.false()))
    op.create_table(
        "note_work",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.String(), nullable=True),
        sa.Column("region", sa.Text(), nullable=False),
        sa.Column("modality", sa.Text(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=True),
        sa.Column("pressure", sa.String(), nullable=True),
        sa.Column("side", sa.String(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("confirmed", sa.Boolean(), nullable=False),
        sa.CheckConstraint("minutes IS NULL OR (minutes BETWEEN 1 AND 600)",
                           name=op.f("ck_note_work_minutes")),
        sa.ForeignKeyConstraint(["note_id"], ["note.id"], name=op.f("fk_note_work_note_id_note"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_note_work")),
    )
    op.create_index(op.f("ix_note_work_note_id"), "note_work", ["note_id"], unique=False)
    dialect = _dialect()
    for statement in (DROP_SEARCH[dialect] + LOCK_TRIGGERS[dialect] + SEARCH[dialect]):
        op.execute(statement)


def downgrade() -> None:
    dialect = _dialect()
    for statement in DROP_SEARCH[dialect] + DROP_LOCK_TRIGGERS[dialect]:
        op.execute(statement)
    op.drop_index(op.f("ix_note_work_note_id"), table_name="note_work")
    op.drop_table("note_work")
    op.drop_column("note_home_care", "side")
    op.drop_column("note_finding", "percent")
    op.drop_column("note_finding", "degrees_after")
    for name in reversed(_TEXTS):
        op.drop_column("note", name)
    for name in ("since_home_care", "since_sore_days", "since_response"):
        op.drop_column("note", name)
    from pathlib import Path

    from alembic.script import ScriptDirectory

    here = Path(__file__).resolve().parent.parent  # the migrations folder (env.py)
    old = ScriptDirectory(str(here)).get_revision("0003").module
    for statement in old.SEARCH[dialect]:
        op.execute(statement)


def _dialect() -> str:
    name = op.get_bind().dialect.name
    if name not in SEARCH:
        raise ValueError(f"unsupported database backend {name!r}")
    return name


# --- frozen DDL ---------------------------------------------------------------------------------

LOCK_TRIGGERS = {
    "sqlite": [   'CREATE TRIGGER trg_note_work_final_insert BEFORE INSERT ON note_work\n'
    "                WHEN (SELECT status FROM note WHERE id = NEW.note_id) = 'final'\n"
    "                BEGIN SELECT RAISE(ABORT, 'note is finalized: add an amendment instead'); "
    'END',
    'CREATE TRIGGER trg_note_work_final_update BEFORE UPDATE ON note_work\n'
    "                WHEN (SELECT status FROM note WHERE id = OLD.note_id) = 'final'\n"
    "                BEGIN SELECT RAISE(ABORT, 'note is finalized: add an amendment instead'); "
    'END',
    'CREATE TRIGGER trg_note_work_final_delete BEFORE DELETE ON note_work\n'
    "                WHEN (SELECT status FROM note WHERE id = OLD.note_id) = 'final'\n"
    "                BEGIN SELECT RAISE(ABORT, 'note is finalized: add an amendment instead'); "
    'END'],
    "postgresql": [   'CREATE TRIGGER trg_note_work_locked BEFORE INSERT OR UPDATE OR DELETE ON note_work\n'
    '            FOR EACH ROW EXECUTE FUNCTION notes_tui_child_locked()'],
}
DROP_LOCK_TRIGGERS = {
    "sqlite": [   'DROP TRIGGER IF EXISTS trg_note_work_final_insert',
    'DROP TRIGGER IF EXISTS trg_note_work_final_update',
    'DROP TRIGGER IF EXISTS trg_note_work_final_delete'],
    "postgresql": ['DROP TRIGGER IF EXISTS trg_note_work_locked ON note_work'],
}
SEARCH = {
    "sqlite": [   'CREATE VIEW note_search_src AS SELECT\n'
    '    n.id AS id,\n'
    "    n.complaint || ' ' || n.since_health AS complaint,\n"
    "    n.therapist_summary || ' ' || n.client_summary AS summaries,\n"
    "    coalesce((SELECT group_concat(coalesce(replace(f.ref_id, '_', ' '), '') || ' ' || "
    "f.text || ' ' || coalesce(f.side, '') || ' ' || coalesce(replace(f.finding, '_', ' '), "
    "'') || ' ' || f.note, ' ') FROM note_finding f WHERE f.note_id = n.id), '') || ' ' ||\n"
    "    coalesce((SELECT group_concat(coalesce(replace(w.region_id, '_', ' '), '') || ' ' || "
    "w.region || ' ' || coalesce(replace(w.modality, '_', ' '), '') || ' ' || coalesce(w.side, "
    "'') || ' ' || w.note, ' ') FROM note_work w WHERE w.note_id = n.id), '') || ' ' ||\n"
    "    n.positioning || ' ' || n.areas_avoided AS findings,\n"
    "    coalesce((SELECT group_concat(coalesce(replace(t.muscle_id, '_', ' '), '') || ' ' || "
    "t.muscle || ' ' || t.side || ' ' || t.referred_pain || ' ' || t.note, ' ') FROM "
    "note_trigger_point t WHERE t.note_id = n.id), '') AS trigger_points,\n"
    "    coalesce((SELECT group_concat(coalesce(replace(c.cue_id, '_', ' '), '') || ' ' || "
    "c.text || ' ' || c.response, ' ') FROM note_cue c WHERE c.note_id = n.id), '') AS cues,\n"
    "    n.advice || ' ' || n.what_to_expect || ' ' || n.when_to_contact || ' ' || n.referral "
    "|| ' ' ||\n"
    "    coalesce((SELECT group_concat(coalesce(replace(h.item_id, '_', ' '), '') || ' ' || "
    "h.text, ' ') FROM note_home_care h WHERE h.note_id = n.id), '') AS advice,\n"
    "    coalesce((SELECT group_concat(a.reason || ' ' || a.text, ' ') FROM amendment a WHERE "
    "a.note_id = n.id), '') AS amendments\n"
    'FROM note n',
    'CREATE VIEW note_fts_src AS SELECT id, '
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
    "'æ', 'ae'), 'Œ', 'OE'), 'œ', 'oe'), 'ı', 'i'), 'Ħ', 'H'), 'ħ', 'h') AS amendments FROM "
    'note_search_src',
    'CREATE VIRTUAL TABLE note_fts USING fts5(complaint, summaries, findings, trigger_points, '
    "cues, advice, amendments, content='note_fts_src', content_rowid='id', tokenize='unicode61 "
    "remove_diacritics 2')",
    "INSERT INTO note_fts(note_fts) VALUES ('rebuild')",
    "CREATE VIRTUAL TABLE note_fts_vocab USING fts5vocab(note_fts, 'row')"],
    "postgresql": [   'CREATE VIEW note_search_src AS SELECT\n'
    '    n.id AS id,\n'
    "    n.complaint || ' ' || n.since_health AS complaint,\n"
    "    n.therapist_summary || ' ' || n.client_summary AS summaries,\n"
    "    coalesce((SELECT string_agg(coalesce(replace(f.ref_id, '_', ' '), '') || ' ' || "
    "f.text || ' ' || coalesce(f.side, '') || ' ' || coalesce(replace(f.finding, '_', ' '), "
    "'') || ' ' || f.note, ' ' ORDER BY f.position) FROM note_finding f WHERE f.note_id = "
    "n.id), '') || ' ' ||\n"
    "    coalesce((SELECT string_agg(coalesce(replace(w.region_id, '_', ' '), '') || ' ' || "
    "w.region || ' ' || coalesce(replace(w.modality, '_', ' '), '') || ' ' || coalesce(w.side, "
    "'') || ' ' || w.note, ' ' ORDER BY w.position) FROM note_work w WHERE w.note_id = n.id), "
    "'') || ' ' ||\n"
    "    n.positioning || ' ' || n.areas_avoided AS findings,\n"
    "    coalesce((SELECT string_agg(coalesce(replace(t.muscle_id, '_', ' '), '') || ' ' || "
    "t.muscle || ' ' || t.side || ' ' || t.referred_pain || ' ' || t.note, ' ' ORDER BY "
    "t.position) FROM note_trigger_point t WHERE t.note_id = n.id), '') AS trigger_points,\n"
    "    coalesce((SELECT string_agg(coalesce(replace(c.cue_id, '_', ' '), '') || ' ' || "
    "c.text || ' ' || c.response, ' ' ORDER BY c.position) FROM note_cue c WHERE c.note_id = "
    "n.id), '') AS cues,\n"
    "    n.advice || ' ' || n.what_to_expect || ' ' || n.when_to_contact || ' ' || n.referral "
    "|| ' ' ||\n"
    "    coalesce((SELECT string_agg(coalesce(replace(h.item_id, '_', ' '), '') || ' ' || "
    "h.text, ' ' ORDER BY h.position) FROM note_home_care h WHERE h.note_id = n.id), '') AS "
    'advice,\n'
    "    coalesce((SELECT string_agg(a.reason || ' ' || a.text, ' ' ORDER BY a.id) FROM "
    'amendment a\n'
    "              WHERE a.note_id = n.id), '') AS amendments\n"
    'FROM note n',
    'CREATE TABLE note_search (note_id integer PRIMARY KEY REFERENCES note(id) ON DELETE '
    'CASCADE, tsv tsvector NOT NULL)',
    'CREATE INDEX ix_note_search_tsv ON note_search USING gin (tsv)',
    "INSERT INTO note_search (note_id, tsv) SELECT s.id, setweight(to_tsvector('simple', "
    'translate(lower(s.complaint), '
    "'áàâäãåāăąçćčďđðéèêëēėęěğíìîïīįıłńñňóòôöõøōőŕřśšşťúùûüūůűųýÿźżžæœß', "
    "'aaaaaaaaacccdddeeeeeeeegiiiiiiilnnnoooooooorrssstuuuuuuuuyyzzzaos')), 'B') || "
    "setweight(to_tsvector('simple', translate(lower(s.summaries), "
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
    'note_search_src s'],
}
DROP_SEARCH = {
    "sqlite": [   'DROP TABLE IF EXISTS note_fts_vocab',
    'DROP TABLE IF EXISTS note_fts',
    'DROP VIEW IF EXISTS note_fts_src',
    'DROP VIEW IF EXISTS note_search_src'],
    "postgresql": ['DROP TABLE IF EXISTS note_search', 'DROP VIEW IF EXISTS note_search_src'],
}

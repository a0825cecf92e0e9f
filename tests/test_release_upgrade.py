"""A database made by the release before this one (migration head 0005: 6 clients, 30 notes of
which 29 final, one amendment in words and one correcting the content) upgrades to the current
schema with every record carried forward unchanged: the same dump, and verify still ok (every
finalized note keeps the digest it was sealed with). The file and its dump were made with
`notes-tui demo --clients 6 --notes 30` plus two amendments, at the release's commit."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from notes_tui.db.migrate import head_revision

DATA = Path(__file__).parent / "data"


def _cli(db: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "notes_tui", "--db", str(db), *args],
                          capture_output=True, text=True, timeout=120)


def test_a_release_database_upgrades_with_every_record_unchanged(tmp_path):
    db = tmp_path / "release.sqlite"
    shutil.copyfile(DATA / "release-0005.sqlite", db)
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT version_num FROM alembic_version").fetchone() == ("0005",)

    checked = _cli(db, "verify")
    assert checked.returncode == 0, checked.stderr
    assert "29 finalized notes" in checked.stdout and "2 amendments" in checked.stdout

    dumped = _cli(db, "dump", "-")
    assert dumped.returncode == 0, dumped.stderr
    now, then = json.loads(dumped.stdout), json.loads((DATA / "release-0005.dump.json").read_text())
    assert now["clients"] == then["clients"]
    assert len(now["notes"]) == 30
    for after, before in zip(now["notes"], then["notes"], strict=True):
        assert after == before, f"note {before['id']} changed in the upgrade"

    with sqlite3.connect(db) as con:  # the commands upgraded it to this notes-tui's schema
        assert con.execute("SELECT version_num FROM alembic_version").fetchone() == (
            head_revision(),)

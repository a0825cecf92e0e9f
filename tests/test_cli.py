"""The CLI as a therapist (or a script) uses it: real processes, real database files."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("textual", "sqlalchemy", "reportlab")


def run(*args, db: Path | str | None = None, input: str | None = None, check=True,
        create=False):
    """`create`: --create, for a command other than demo or import on a new --db path."""
    cmd = [sys.executable, "-m", "notes_tui"]
    if db is not None:
        cmd += ["--db", str(db)]
    if create:
        cmd += ["--create"]
    proc = subprocess.run(cmd + list(args), capture_output=True, text=True, input=input,
                          env=os.environ.copy(), timeout=300)
    if check and proc.returncode != 0:
        raise AssertionError(f"{args} exited {proc.returncode}: {proc.stderr}")
    return proc


@pytest.mark.parametrize("flag", ["--help", "--version"])
def test_help_and_version_import_nothing_heavy(flag):
    code = (f"import sys\nfrom notes_tui.cli import main\n"
            f"try:\n    main([{flag!r}])\nexcept SystemExit:\n    pass\n"
            f"print('HEAVY=' + ','.join(m for m in {HEAVY!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip().splitlines()[-1] == "HEAVY="


def test_every_command_has_help():
    for cmd in ("locate", "demo", "clients", "notes", "dump", "import", "verify", "db"):
        assert "Usage:" in run(cmd, "--help").stdout


def test_locate_prints_paths(tmp_path):
    out = run("locate", db=tmp_path / "x.sqlite3").stdout
    assert "database" in out and str(tmp_path / "x.sqlite3") in out and "exports" in out


def test_demo_dump_import_dump_are_equal(tmp_path):
    a_db, b_db = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    assert "added 6 clients and 40 notes" in run("demo", "--clients", "6", "--notes", "40",
                                                  db=a_db).stdout
    a = run("dump", db=a_db).stdout
    (tmp_path / "a.json").write_text(a, encoding="utf-8")
    assert "imported 6 clients, 40 notes" in run("import", str(tmp_path / "a.json"),
                                                   db=b_db).stdout
    b = run("dump", db=b_db).stdout
    assert json.loads(a) == json.loads(b) and a == b
    assert run("verify", db=b_db).stdout.startswith("ok:")


def test_demo_is_seeded(tmp_path):
    run("demo", "--clients", "3", "--notes", "9", "--seed", "3", db=tmp_path / "1.sqlite3")
    run("demo", "--clients", "3", "--notes", "9", "--seed", "3", db=tmp_path / "2.sqlite3")
    one = json.loads(run("dump", db=tmp_path / "1.sqlite3").stdout)
    two = json.loads(run("dump", db=tmp_path / "2.sqlite3").stdout)
    strip = lambda d: [n["content"] for n in d["notes"]]  # noqa: E731
    assert strip(one) == strip(two)


def test_clients_and_notes_json(tmp_path):
    db = tmp_path / "a.sqlite3"
    run("demo", "--clients", "4", "--notes", "12", db=db)
    cl = json.loads(run("clients", "--json", db=db).stdout)
    assert len(cl) == 4 and sum(c["notes"] for c in cl) == 12
    ns = json.loads(run("notes", "--client", str(cl[0]["id"]), "--json", db=db).stdout)
    assert len(ns) == cl[0]["notes"] and all(n["client_id"] == cl[0]["id"] for n in ns)
    assert "last visit" in run("clients", db=db).stdout


def test_dump_to_file_is_private(tmp_path):
    db, out = tmp_path / "a.sqlite3", tmp_path / "out" / "all.json"
    run("demo", "--clients", "2", "--notes", "3", db=db)
    run("dump", str(out), db=db)
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    assert json.loads(out.read_text())["format"] == "notes-tui"


def test_verify_names_tampering_and_exits_non_zero(tmp_path):
    import sqlite3

    db = tmp_path / "a.sqlite3"
    run("demo", "--clients", "2", "--notes", "4", db=db)
    con = sqlite3.connect(db)
    con.executescript("DROP TRIGGER trg_note_final_update; "
                      "UPDATE note SET pain_before = 0 WHERE id = 1 AND status = 'final';")
    con.close()
    proc = run("verify", db=db, check=False)
    assert proc.returncode == 3
    assert "TAMPERED: note 1: content changed after it was finalized" in proc.stdout


def test_db_upgrade(tmp_path):
    from notes_tui.db.migrate import head_revision

    db = tmp_path / "new.sqlite3"
    assert f"upgraded empty database -> {head_revision()}" in \
        run("db", "upgrade", db=db, create=True).stdout
    assert f"already at {head_revision()}" in run("db", "upgrade", db=db).stdout


@pytest.mark.parametrize("args,content,needle", [
    (("import", "{f}"), "not json", "not valid JSON"),
    (("import", "{f}"), '{"format": "x"}', "not a notes-tui export"),
    (("import", "{f}"), b"\xff\xfe", "not UTF-8"),
    (("import", "{missing}"), None, "does not exist"),
    (("notes", "--client", "999"), None, "no client with id 999"),
    (("demo", "--clients", "0"), None, "0 is not in the range"),
    (("clients", "--bogus"), None, "No such option"),
])
def test_user_mistakes_give_one_line_and_non_zero_exit(tmp_path, args, content, needle):
    f = tmp_path / "in.json"
    if isinstance(content, bytes):
        f.write_bytes(content)
    elif content is not None:
        f.write_text(content)
    args = [a.format(f=f, missing=tmp_path / "missing.json") for a in args]
    proc = run(*args, db=tmp_path / "a.sqlite3", check=False, create=True)
    assert proc.returncode != 0
    assert needle in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


def test_bad_settings_file_is_one_line(tmp_path):
    cfg = Path(os.environ["NOTES_TUI_CONFIG_DIR"])
    cfg.mkdir(parents=True, exist_ok=True)
    (cfg / "settings.toml").write_text('paper_size = "A3"\n')
    proc = run("clients", db=tmp_path / "a.sqlite3", check=False)
    assert proc.returncode == 1 and "settings.toml: paper_size" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_unreachable_postgres_is_one_line(tmp_path):
    proc = run("clients", db="postgresql+psycopg://nobody@127.0.0.1:1/none", check=False)
    assert proc.returncode == 1 and proc.stderr.startswith("notes-tui: database error")
    assert "Traceback" not in proc.stderr


def test_templates_lists_where_each_comes_from_and_names_a_broken_file(tmp_path):
    folder = Path(os.environ["NOTES_TUI_CONFIG_DIR"]) / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "heel_pain.toml").write_text('name = "Heel my way"\n', encoding="utf-8")
    (folder / "broken.toml").write_text('name = "B"\n[[cue]]\ncue = "nope"\n', encoding="utf-8")
    proc = run("templates", db=tmp_path / "t.sqlite3")
    lines = proc.stdout.splitlines()
    assert len(lines) == 8
    assert any(line.startswith("tension_headache") and line.endswith("shipped") for line in lines)
    assert any("Heel my way" in line and "replaces the shipped one" in line for line in lines)
    [warning] = proc.stderr.splitlines()
    assert "broken.toml" in warning and "'cue[1].cue'" in warning and "Traceback" not in warning
    listed = json.loads(run("templates", "--json", db=tmp_path / "t.sqlite3").stdout)
    assert {t["source"] for t in listed} == {"shipped", "user"}


def test_importing_the_same_dump_twice_says_nothing_is_new(tmp_path):
    a_db, b_db, dump_file = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3", tmp_path / "a.json"
    run("demo", "--clients", "20", "--notes", "120", db=a_db)
    dump_file.write_text(run("dump", db=a_db).stdout, encoding="utf-8")
    assert "imported 20 clients, 120 notes" in run("import", str(dump_file), db=b_db).stdout
    again = run("import", str(dump_file), db=b_db).stdout
    assert again.strip() == "0 new, 20 clients and 120 notes already present"
    assert run("dump", db=b_db).stdout == dump_file.read_text(encoding="utf-8")


def test_clients_find_ignores_accents_and_case(tmp_path):
    db, doc = tmp_path / "a.sqlite3", tmp_path / "c.json"
    stamp = "2026-01-01T00:00:00+00:00"
    doc.write_text(json.dumps({"format": "notes-tui", "format_version": 1, "notes": [], "clients": [
        {"id": i, "name": name, "created_at": stamp, "updated_at": stamp}
        for i, name in enumerate(["Zoë García", "Ana Lopez", "GARCIA Luis"], start=1)]}),
        encoding="utf-8")
    run("import", str(doc), db=db)
    found = json.loads(run("clients", "--find", "garcia", "--json", db=db).stdout)
    assert [c["name"] for c in found] == ["GARCIA Luis", "Zoë García"]
    assert "Ana Lopez" not in run("clients", "--find", "garcía", db=db).stdout


# --- pipes, standard input and output, plain failures ------------------------------------------

def _demo(tmp_path, clients=4, notes=16) -> Path:
    db = tmp_path / "a.sqlite3"
    run("demo", "--clients", str(clients), "--notes", str(notes), db=db)
    return db


def _one_plain_line(proc) -> str:
    assert "Traceback" not in proc.stderr and "unexpected error" not in proc.stderr
    [line] = proc.stderr.strip().splitlines()
    return line


def test_a_closed_pipe_stops_quietly(tmp_path):
    """`notes-tui clients | head -1`: the reader left before the writer wrote; no message."""
    db = _demo(tmp_path)
    for args in (("clients",), ("dump",), ("dump", "-"), ("locate",), ("notes",),
                 ("search", "status:final"), ("clients", "--json")):
        proc = subprocess.Popen([sys.executable, "-m", "notes_tui", "--db", str(db), *args],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        proc.stdout.close()  # the reader is gone before the first line is written
        err = proc.stderr.read().decode()
        assert proc.wait(timeout=120) == 141, (args, err)
        assert err == "", (args, err)


def test_dump_and_import_use_standard_output_and_input(tmp_path):
    db, other = _demo(tmp_path), tmp_path / "b.sqlite3"
    dumped = run("dump", "-", db=db).stdout
    assert dumped == run("dump", db=db).stdout and json.loads(dumped)["format"] == "notes-tui"
    assert "imported 4 clients, 16 notes" in run("import", "-", db=other, input=dumped).stdout
    assert run("dump", db=other).stdout == dumped


def test_import_accepts_a_utf8_byte_order_mark(tmp_path):
    db, other, doc = _demo(tmp_path), tmp_path / "b.sqlite3", tmp_path / "bom.json"
    doc.write_bytes(b"\xef\xbb\xbf" + run("dump", db=db).stdout.encode("utf-8"))
    assert "imported 4 clients, 16 notes" in run("import", str(doc), db=other).stdout


def test_a_dump_to_a_pipe_or_device_writes_into_it_and_never_replaces_it(tmp_path):
    """`dump /dev/stdout > all.json` is standard output; a FIFO is written, not replaced."""
    db, fifo, out = _demo(tmp_path, 2, 3), tmp_path / "fifo", tmp_path / "all.json"
    with out.open("w") as f:
        subprocess.run([sys.executable, "-m", "notes_tui", "--db", str(db), "dump",
                        "/dev/stdout"], stdout=f, check=True, timeout=120)
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(run("dump", db=db).stdout)
    os.mkfifo(fifo)
    writer = subprocess.Popen([sys.executable, "-m", "notes_tui", "--db", str(db), "dump",
                               str(fifo)], stderr=subprocess.PIPE)
    with fifo.open(encoding="utf-8") as r:
        assert json.loads(r.read())["format"] == "notes-tui"
    assert writer.wait(timeout=120) == 0 and fifo.is_fifo()


def test_search_takes_words_that_start_with_a_dash(tmp_path):
    db = _demo(tmp_path, 6, 40)

    def ids(*query):
        proc = run("search", "--json", "--limit", "200", *query, db=db)
        return {h["note_id"] for h in json.loads(proc.stdout)["results"]}

    everything = ids("status:final")
    without = ids("status:final", "-ache")  # the README's own syntax: a word to leave out
    assert without and without < everything
    assert ids("--", "status:final", "-ache") == without
    assert "Usage:" in run("search", "-h", db=db).stdout  # a lone -h is still help
    assert run("search", "neck", "-hip", db=db).returncode == 0  # -hip is a word, not -h


@pytest.mark.parametrize("args", [
    ("export", str(2**63)), ("record", str(2**63)), ("notes", "--client", str(2**63)),
    ("export", "99999999999999999999999999"),
])
def test_an_id_past_64_bits_is_a_usage_mistake(tmp_path, args):
    proc = run(*args, db=tmp_path / "a.sqlite3", check=False)
    assert proc.returncode == 2
    assert "is not in the range 1<=x<=9223372036854775807" in _one_plain_line(proc)


def test_an_id_past_64_bits_in_an_import_is_refused_whole(tmp_path):
    db, doc = tmp_path / "a.sqlite3", tmp_path / "big.json"
    stamp = "2026-01-01T00:00:00+00:00"
    doc.write_text(json.dumps({"format": "notes-tui", "format_version": 1, "notes": [],
                               "clients": [{"id": 2**63, "name": "Big Id", "created_at": stamp,
                                            "updated_at": stamp}]}), encoding="utf-8")
    proc = run("import", str(doc), db=db, check=False)
    assert proc.returncode == 2 and "too large" in _one_plain_line(proc)
    assert json.loads(run("clients", "--json", db=db).stdout) == []


def test_json_nested_too_deeply_is_one_line(tmp_path):
    proc = run("import", "-", db=tmp_path / "a.sqlite3", input="[" * 200_000, check=False)
    assert proc.returncode == 2
    assert _one_plain_line(proc) == ("notes-tui: standard input: JSON nested too deeply to be a "
                                     "notes-tui dump")


def test_a_full_disk_is_one_line_and_exit_3(tmp_path):
    proc = run("dump", "/dev/full", db=_demo(tmp_path, 2, 3), check=False)
    assert proc.returncode == 3
    assert _one_plain_line(proc) == "notes-tui: /dev/full: no space left on the disk"
    assert Path("/dev/full").is_char_device()


@pytest.mark.parametrize("err,line", [
    (OSError(28, "No space left on device", "/media/usb/all.json"),
     "/media/usb/all.json: no space left on the disk"),
    (OSError(30, "Read-only file system", "/media/cd/all.json"),
     "/media/cd/all.json: the file system is read-only"),
    (PermissionError(13, "Permission denied", "/srv/notes"), "/srv/notes: permission denied"),
    (sqlite3.OperationalError("attempt to write a readonly database"),
     "database error: attempt to write a readonly database"),
    (sqlite3.OperationalError("database or disk is full"),
     "database error: database or disk is full"),
    (OverflowError("Python int too large to convert to SQLite INTEGER"),
     "a number is too large (ids and numbers stop at 2**63 - 1)"),
])
def test_what_the_machine_refuses_is_named_plainly(err, line):
    """Root ignores file modes, so these are checked on the errors Python and SQLite raise."""
    from notes_tui.cli import _plain

    failure = _plain(err)
    assert failure.format_message() == line
    assert failure.exit_code == (2 if isinstance(err, OverflowError) else 3)


def test_locate_and_verify_speak_json(tmp_path):
    db = _demo(tmp_path, 2, 6)
    where = json.loads(run("locate", "--json", db=db).stdout)
    assert where["database"].endswith("a.sqlite3") and {"config", "exports", "log"} <= set(where)
    report = json.loads(run("verify", "--json", db=db).stdout)
    assert report["ok"] is True and report["problems"] == [] and report["finalized_notes"] > 0
    assert set(report) == {"ok", "audit_events", "finalized_notes", "amendments", "problems",
                           "warnings"}
    con = sqlite3.connect(db)
    con.executescript("DROP TRIGGER trg_note_final_update; "
                      "UPDATE note SET pain_before = 0 WHERE id = 1 AND status = 'final';")
    con.close()
    proc = run("verify", "--json", db=db, check=False)
    report = json.loads(proc.stdout)
    assert proc.returncode == 3 and report["ok"] is False
    assert "note 1: content changed after it was finalized" in report["problems"]


def test_machine_output_is_never_cut_and_text_output_says_where_it_is(tmp_path):
    db = _demo(tmp_path, 3, 12)
    long_name = "Maximiliana Fernández-Castellanos de la Torre y Villalobos"
    complaint = "Stiff neck " * 30  # 330 characters
    con = sqlite3.connect(db)
    con.execute("UPDATE client SET name = ? WHERE id = 1", (long_name,))
    assert con.execute("UPDATE note SET complaint = ? WHERE id = (SELECT max(id) FROM note "
                       "WHERE status = 'draft')", (complaint,)).rowcount == 1
    con.commit()
    con.close()
    listed = json.loads(run("notes", "--json", db=db).stdout)
    assert complaint in [n["complaint"] for n in listed]
    assert long_name in [c["name"] for c in json.loads(run("clients", "--json", db=db).stdout)]
    line = next(x for x in run("clients", db=db).stdout.splitlines() if "Maximiliana" in x)
    assert long_name[:39] + "…" in line and long_name not in line


def test_counts_take_the_right_number(tmp_path):
    from notes_tui.domain.text import counted

    assert [counted(n, "amendment") for n in (0, 1, 2)] == [
        "0 amendments", "1 amendment", "2 amendments"]
    out = run("verify", db=tmp_path / "empty.sqlite3", create=True).stdout
    assert out.strip() == "ok: 0 audit events, 0 finalized notes, 0 amendments checked"


def test_shell_completion_as_the_readme_sets_it_up():
    # the installed `notes-tui` script: click names the variable after the program
    cmd = [sys.executable, "-c", "from notes_tui.cli import main; main(prog_name='notes-tui')"]
    env = {**os.environ, "_NOTES_TUI_COMPLETE": "bash_source"}
    script = subprocess.run(cmd, capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL,
                            timeout=60).stdout
    assert "_notes_tui_completion" in script and "complete " in script
    env = {**os.environ, "_NOTES_TUI_COMPLETE": "bash_complete", "COMP_WORDS": "notes-tui cl",
           "COMP_CWORD": "1"}
    words = subprocess.run(cmd, capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL,
                           timeout=60).stdout
    assert "plain,clients" in words.splitlines()


def test_search_for_an_unknown_muscle_is_a_usage_mistake(tmp_path):
    proc = run("search", "muscle:levater", db=_demo(tmp_path, 2, 3), check=False)
    assert proc.returncode == 2
    assert _one_plain_line(proc) == (
        "notes-tui: search: muscle: 'levater' is not a muscle in the catalog or in your notes; "
        "did you mean 'levator scapulae'?")

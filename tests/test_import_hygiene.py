"""The arrows point one way, and nothing heavy happens at import time."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _modules_after(statement: str) -> set[str]:
    code = f"import sys\n{statement}\nprint(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_import_linter_contracts_hold():
    exe = Path(sys.executable).with_name("lint-imports")
    proc = subprocess.run([str(exe)], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert " 0 broken" in proc.stdout


def test_services_load_no_textual():
    mods = _modules_after("import notes_tui.services.notes, notes_tui.services.interchange")
    assert "textual" not in mods and "rich" not in mods and "reportlab" not in mods


def test_ui_module_loads_neither_sqlalchemy_nor_reportlab():
    mods = _modules_after("import notes_tui.ui.app")
    assert "sqlalchemy" not in mods and "reportlab" not in mods


def test_package_import_has_no_side_effects(tmp_path):
    mods = _modules_after("import notes_tui, notes_tui.paths, notes_tui.settings")
    assert "sqlalchemy" not in mods and "platformdirs" not in mods


# --- the UI holds no database session (the import-linter contract covers its imports) --------

UI = ROOT / "notes_tui" / "ui"
TRANSACTION = re.compile(r"\.(?:write|read)\(\s*\)")  # with ctx.write() as s: / ctx.read()
SESSION_ARG = re.compile(r"(?<![\w.])session\s*=(?!=)")  # get_note(1, session=s)
CONTEXT = re.compile(r"\b(?:open_context|services\.context|make_session_factory)\b")


def _ui_lines_matching(*patterns: re.Pattern) -> list[str]:
    found = []
    for path in sorted(UI.rglob("*.py")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if any(p.search(line) for p in patterns):
                found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    return found


def test_the_patterns_catch_what_they_are_for():
    assert TRANSACTION.search("        with ctx.write() as s:")
    assert TRANSACTION.search("with self.app.open_services().read() as session:")
    assert SESSION_ARG.search("view = get_note(note_id, session=s)")
    assert SESSION_ARG.search("list_notes(session = s)")
    assert not SESSION_ARG.search("subprocess.Popen(args, start_new_session=True)")
    assert not TRANSACTION.search("content = self.form.read(self.rows.rows)")
    assert CONTEXT.search("from notes_tui.services.context import open_context")


def test_no_ui_module_opens_a_transaction_or_passes_a_session():
    """Transactions begin and end in services (services/api.py): a screen calls a verb."""
    found = _ui_lines_matching(TRANSACTION, SESSION_ARG)
    assert not found, "the UI opens a transaction; call a services verb instead:\n" + \
        "\n".join(found)


def test_only_the_app_builds_the_services():
    """The app makes the façade once (NotesApp.open_services); no screen builds a context."""
    found = [line for line in _ui_lines_matching(CONTEXT)
             if not line.startswith("notes_tui/ui/app.py:")]
    assert not found, "\n".join(found)

"""The arrows point one way, and nothing heavy happens at import time."""

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

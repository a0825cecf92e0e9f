"""The repository stands alone: no file reads outside it. A clone with nothing beside it (no
shared/ folder next to it, another machine's paths) must build, test and run the same."""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCANNED = ("notes_tui", "tests", "benchmarks", ".ci", "Makefile", "pyproject.toml", "alembic.ini")

# Spelled in pieces so that this file does not match itself.
MACHINE_PATHS = re.compile("|".join(re.escape(p) for p in ("/" + "work/", "/" + "root/")))
SHARED = re.compile(r"(?:\.\./|/)" "shared" r"\b|[\"']" "shared" r"[\"']\s*[/)]|/\s*[\"']"
                    "shared" r"[\"']")
# Path(__file__)[.resolve()|.absolute()] followed by .parent / .parents[N] steps
CLIMB = re.compile(r"Path\(__file__\)(?:\.resolve\(\)|\.absolute\(\))?"
                   r"((?:\.parents\[\d+\]|\.parent\b)+)")


def tracked_files() -> list[Path]:
    """The files git tracks under SCANNED (every file there when this is not a git checkout)."""
    proc = subprocess.run(["git", "ls-files", "-z", "--", *SCANNED], cwd=ROOT,
                          capture_output=True, check=False)
    if proc.returncode == 0 and proc.stdout:
        return [ROOT / p for p in proc.stdout.decode().split("\0") if p]
    found = []
    for name in SCANNED:
        p = ROOT / name
        found += [p] if p.is_file() else [f for f in p.rglob("*") if f.is_file()
                                          and "__pycache__" not in f.parts]
    return found


def levels_up(steps: str) -> int:
    """How many folders `.parent` / `.parents[N]` steps climb from a file."""
    return sum(int(n) + 1 for n in re.findall(r"\.parents\[(\d+)\]", steps)) + len(
        re.findall(r"\.parent\b(?!s)", steps))


def outside_reads(path: Path, text: str) -> list[str]:
    rel = path.relative_to(ROOT)
    problems = [f"{rel}: machine path {m.group(0)!r}" for m in MACHINE_PATHS.finditer(text)]
    problems += [f"{rel}: shared/ path {m.group(0)!r}" for m in SHARED.finditer(text)]
    depth = len(rel.parts)  # a file at the root climbs 1 to reach the root
    for m in CLIMB.finditer(text):
        if levels_up(m.group(1)) > depth:
            problems.append(f"{rel}: {m.group(0)} climbs above the repository")
    return problems


def test_the_scanner_catches_what_it_is_for():
    conftest = ROOT / "tests" / "conftest.py"
    assert levels_up(".parents[1].parent") == 3 and levels_up(".parent") == 1
    # the lines this file must catch, each spelled in two pieces so that it does not catch itself
    for bad in ("Path(__file__).resolve().parents[1]" '.parent / "sha' 'red" / "testing"',
                'open("../' 'shared/testing/hostile-inputs.json")',
                "X = '/" + "work/sha" "red/domain/NMT-REFERENCE.md'",
                "Path(__file__)" '.parent.parent.parent / "x"'):
        assert outside_reads(conftest, bad), bad
    for fine in ('Path(__file__).resolve().parents[1] / "notes_tui"',
                 'Path(__file__).resolve().parent / "data" / "hostile-inputs.json"',
                 '"""Shared fixtures: shared by the handout"""', "a / b / 'shared_x'"):
        assert outside_reads(conftest, fine) == [], fine


def test_no_file_reads_outside_the_repository():
    files = tracked_files()
    assert any(f.name == "conftest.py" for f in files) and len(files) > 100
    problems = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, IsADirectoryError):
            continue  # fonts, images: data, not code that opens paths
        problems += outside_reads(path, text)
    assert problems == []

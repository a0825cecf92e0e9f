"""Packaging: what a `pipx install` or `uv tool install` user gets is what the suite ran against.

The dependency policy (README, "Dependencies"): the application pins every package it imports to
the version in uv.lock. These tests fail when a module imports a package nobody declared, or when
a pin and the lock file disagree (the update routine was half done).
"""

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirements() -> dict[str, str]:
    """Runtime requirements (extras included) as {normalized name: specifier}."""
    project = _project()
    reqs = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        reqs += extra
    out = {}
    for req in reqs:
        m = re.fullmatch(r"([A-Za-z0-9_.-]+)(\[[^\]]*\])?\s*(.*)", req)
        assert m, req
        out[_norm(m.group(1))] = m.group(3)
    return out


def _locked() -> dict[str, str]:
    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    return {_norm(p["name"]): p["version"] for p in lock["package"] if "version" in p}


def _imported_top_level_modules() -> set[str]:
    names = set()
    for path in (ROOT / "notes_tui").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - {"notes_tui", "__future__"}


def test_every_imported_package_is_declared():
    dists = packages_distributions()
    declared = set(_requirements())
    missing = {}
    for module in _imported_top_level_modules():
        owners = {_norm(d) for d in dists.get(module, [module])}
        if not owners & declared:
            missing[module] = sorted(owners)
    assert not missing, f"imported but not in pyproject dependencies: {missing}"


def test_every_runtime_pin_is_exact_and_matches_uv_lock():
    locked = _locked()
    wrong = {}
    for name, spec in _requirements().items():
        m = re.fullmatch(r"==\s*([^,;\s]+)", spec)
        if not m or locked.get(name) != m.group(1):
            wrong[name] = (spec, locked.get(name))
    assert not wrong, f"pin (pyproject) vs uv.lock: {wrong}"


def test_the_license_is_declared_and_present():
    project = _project()
    assert project["license"] == "MIT" and project["license-files"] == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "the notes-tui authors" in text

"""The parts of Textual's internals the app uses (notes_tui/ui/textual_private.py) still exist,
and the list was checked against the Textual that is installed."""

import importlib

import textual

from notes_tui.ui import textual_private


def test_every_private_textual_name_the_app_uses_still_exists():
    import inspect

    for module, name, _where, why in textual_private.USES:
        target = importlib.import_module(module)
        *owners, last = name.split(".")
        for part in owners:
            target = getattr(target, part)
        # a method or class, or an attribute the class sets on its instances
        assert hasattr(target, last) or f"self.{last}" in inspect.getsource(target), \
            f"{module}.{name} is gone from Textual ({why})"


def test_the_list_was_checked_against_the_installed_textual():
    assert textual.__version__ == textual_private.CHECKED_WITH, (
        f"Textual {textual.__version__} is installed; notes_tui/ui/textual_private.py was "
        f"checked against {textual_private.CHECKED_WITH}: check each use there, then update it")


def test_no_other_module_reaches_into_textual_internals():
    from pathlib import Path

    root = Path(textual_private.__file__).parent
    offenders = [str(p.relative_to(root)) for p in root.rglob("*.py")
                 if p.name != "textual_private.py" and "textual.widgets._" in p.read_text()
                 or p.name != "textual_private.py" and "from textual._" in p.read_text()]
    assert offenders == []

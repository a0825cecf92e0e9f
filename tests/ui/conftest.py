"""UI tests: animations off for every app these tests build.

tests/conftest.py sets TEXTUAL_ANIMATIONS=none in the environment, but Textual reads that variable
once, when `textual.constants` is first imported (before any fixture runs), so the setting never
reached the apps. App.__init__ reads the constant at construction, so patching it here does. With
animations off the app also stops the text cursor blinking (NotesApp.on_descendant_focus): a
snapshot taken at a random point of the 0.5 s blink cycle was the main cause of flaky editor
pictures.
"""

import pytest


@pytest.fixture(autouse=True)
def _no_animations(monkeypatch):
    import textual.constants

    monkeypatch.setattr(textual.constants, "TEXTUAL_ANIMATIONS", "none")

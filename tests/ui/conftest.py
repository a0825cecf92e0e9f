"""UI tests share the root conftest's fixtures; animations are off for every app a test builds
(tests/conftest.py patches textual.constants.TEXTUAL_ANIMATIONS)."""

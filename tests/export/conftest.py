"""Fixtures for the PDF renderer tests (the data itself lives in factories.py)."""

from __future__ import annotations

import pytest

from tests.export.factories import make_handout, make_record


@pytest.fixture
def handout():
    return make_handout


@pytest.fixture
def record():
    return make_record

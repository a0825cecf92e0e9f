"""What the PDFs say about themselves: language, a title viewers show, metadata naming no client,
and the `pdfua` checker (the machine-checkable subset of PDF/UA-1) on what the renderer can pass.

ReportLab writes untagged PDFs: no structure tree, so no /MarkInfo /Marked true (claiming tags
that are not there would mislead a screen reader) and no PDF/UA identification in XMP (it would
claim a conformance the file does not have). Those three findings are expected and listed here,
so a change in either direction shows up.
"""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from notes_tui.export import encrypt_pdf, render_handout, render_record
from tests.export.factories import make_handout, make_record

UNTAGGED = {"UA-01-005", "UA-01-002", "UA-28-004"}  # StructTreeRoot, MarkInfo, XMP pdfuaid


def _documents() -> dict[str, tuple[bytes, str]]:
    handout = render_handout(make_handout())
    return {
        "handout": (handout, "Sam Rivera"),
        "record": (render_record(make_record()), "Samuel Rivera"),
        "handout with a password": (encrypt_pdf(handout, "correct horse"), "Sam Rivera"),
    }


@pytest.fixture(scope="module")
def documents():
    return _documents()


def _read(pdf: bytes) -> PdfReader:
    reader = PdfReader(io.BytesIO(pdf))
    if reader.is_encrypted:
        reader.decrypt("correct horse")
    return reader


@pytest.mark.parametrize("kind", ["handout", "record", "handout with a password"])
def test_a_pdf_says_its_language_and_shows_its_title(documents, kind):
    pdf, client = documents[kind]
    reader = _read(pdf)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-CA"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"]) is True  # a BooleanObject
    meta = reader.metadata
    assert meta.title == ("Clinical record" if kind == "record" else "Session handout")
    assert meta.author == "Harbour Street Massage Therapy" and meta.subject
    everything = " ".join(str(v) for v in meta.values())
    for part in client.split():  # the title bar, taskbar and recent-files lists name no client
        assert part not in everything


@pytest.mark.parametrize("kind", ["handout", "record"])
def test_the_pdfua_checker_passes_what_an_untagged_pdf_can(documents, kind, tmp_path):
    from pdfua import validate

    path = tmp_path / f"{kind}.pdf"
    path.write_bytes(documents[kind][0])
    report = validate(str(path))
    found = {f.rule_id for f in report.findings}
    assert "UA-06-001" not in found  # /Lang on the catalog
    assert "UA-07-002" not in found  # /ViewerPreferences /DisplayDocTitle true
    assert found == UNTAGGED, sorted(found)

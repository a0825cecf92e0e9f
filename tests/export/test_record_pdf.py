"""The full clinical record: everything in it is printed, amendments after their original,
long values flow as paragraphs, hostile text stays literal."""

from __future__ import annotations

import dataclasses
import time

from notes_tui.export import render_record
from notes_tui.export.model import RecordNote, RecordSection
from tests.export.factories import body_text, hostile, make_record, page_count, pdf_pages, squash


def flat(s: str) -> str:
    return " ".join(s.split())


def test_the_record_prints_everything_in_order():
    pdf = render_record(make_record())
    pages = pdf_pages(pdf)
    text = flat("\n".join(pages))
    for expected in (
        "Clinical record",
        "Client: Samuel Rivera",
        "Made: 27 November 2026",
        "Preferred name",
        "Session 2026-11-25 14:30 (final, note 12)",
        "RECORD-ONLY-HISTORY: mild asthma",
        "no surgery",
        "Active TrPs bilateral upper trapezius.",
        "Amendment 2026-11-26 09:10 UTC by Ana Lee",
        "typo in pressure",
        "Pressure was 6/10, not 8/10.",
        "Audit trail",
        "#1 finalize note 12 by Ana Lee",
        "Confidential clinical record of Samuel Rivera",
        "Made 27 November 2026",
    ):
        assert expected in text, expected
    assert text.index("Therapist summary") < text.index("Amendment 2026-11-26")
    assert text.index("Amendment 2026-11-26") < text.index("Audit trail")
    for i, page in enumerate(pages, start=1):
        assert f"Page {i} of {len(pages)}" in page


def test_record_metadata():
    import io

    from pypdf import PdfReader

    meta = PdfReader(io.BytesIO(render_record(make_record()))).metadata
    assert meta.title == "Clinical record"
    assert "Samuel" not in " ".join(str(v) for v in meta.values())


def test_long_values_flow_over_pages_without_crashing():
    long_value = "\n".join(f"Line {i}: " + "detail " * 40 for i in range(150))  # ~45 KB
    section = RecordSection(
        "Assessment",
        (
            ("Complaint", long_value),
            ("Word", "y" * 20_000),
            ("L" * 500, "label too long for the column"),
        ),
    )
    notes = tuple(RecordNote(f"Session {i}", (section,), (section,)) for i in range(2))
    start = time.perf_counter()
    pdf = render_record(make_record(notes=notes))
    assert time.perf_counter() - start < 20
    assert page_count(pdf) > 10
    text = squash(body_text(pdf))
    assert squash(long_value) in text
    assert squash("y" * 20_000) in text
    assert "labeltoolongforthecolumn" in text


def test_many_notes_paginate_and_repeat_the_footer():
    note = make_record().notes[0]
    pdf = render_record(make_record(notes=(note,) * 12))
    pages = pdf_pages(pdf)
    assert len(pages) > 2
    assert all("Confidential clinical record of Samuel Rivera" in p for p in pages)


def test_hostile_text_in_the_record_is_literal():
    values = [e["value"] for e in hostile("name", "note") if e["id"] not in {"H33", "H38", "H39"}]
    lines = tuple((f"Field {i}", v) for i, v in enumerate(values))
    data = make_record(
        client_name="<b>AT&T</b>",
        client_sections=(RecordSection("Client", lines),),
    )
    pdf = render_record(data)
    for token in (b"/URI", b"/JavaScript", b"/Launch", b"/EmbeddedFile", b"/Subtype /Image"):
        assert token not in pdf
    text = flat("\n".join(pdf_pages(pdf)))
    assert "Confidential clinical record of <b>AT&T</b>" in text
    assert '<a href="javascript:alert(1)">see chart</a>' in text


def test_empty_record():
    data = dataclasses.replace(make_record(), client_sections=(), notes=(), audit_summary=())
    assert "Clinical record" in pdf_pages(render_record(data))[0]


def test_record_invariant_output_is_byte_identical():
    data = make_record()
    assert render_record(data, invariant=True) == render_record(data, invariant=True)

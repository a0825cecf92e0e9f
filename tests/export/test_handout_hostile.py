"""Hostile names and notes: every one exports, prints literally, and adds nothing active."""

from __future__ import annotations

import io
import unicodedata

import pytest

from notes_tui.export import render_handout
from notes_tui.export.model import Clinic
from notes_tui.export.text import clean_text
from tests.export.factories import CLINIC, body_text, hostile, make_handout, pdf_text, squash

# H38 and H39 are 1 MB fields: the caller caps fields at 20,000 characters, so the layout tests
# use a 20,000-character field instead. H33 (a lone surrogate) is rejected, tested below.
SKIP = {"H33", "H38", "H39"}
ENTRIES = [e for e in hostile("name", "note") if e["id"] not in SKIP]
ACTIVE = (
    b"/URI",
    b"/JavaScript",
    b"/JS ",
    b"/Launch",
    b"/EmbeddedFile",
    b"/Annots",
    b"/OpenAction",
)


def image_xobjects(pdf: bytes) -> int:
    from pypdf import PdfReader

    count = 0
    for page in PdfReader(io.BytesIO(pdf)).pages:
        xobjects = page.get("/Resources", {}).get("/XObject", {})
        for ref in xobjects.values():
            if ref.get_object().get("/Subtype") == "/Image":
                count += 1
    return count


def latin_script(s: str) -> bool:
    """Only ASCII, Latin letters and combining marks: text the handout font maps one to one."""
    for c in s:
        if c.isspace() or ord(c) < 128 or unicodedata.category(c).startswith("M"):
            continue
        if not unicodedata.name(c, "").startswith("LATIN"):
            return False
    return True


def test_the_hostile_list_is_there():
    assert len(ENTRIES) >= 30


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["id"] for e in ENTRIES])
def test_hostile_text_exports_literally_and_inertly(entry):
    value = entry["value"]
    data = make_handout(client_name=value, client_summary=value, advice=value)
    pdf = render_handout(data)
    assert pdf.startswith(b"%PDF-")
    for token in ACTIVE:
        assert token not in pdf, token
    assert image_xobjects(pdf) == 0
    cleaned = clean_text(value)
    if cleaned.strip() and latin_script(cleaned):
        assert squash(cleaned) in squash(body_text(pdf))


@pytest.mark.parametrize(
    "text",
    [
        '<img src="/etc/hosts" width="9" height="9"/>',
        '<a href="javascript:alert(1)">see chart</a>',
        "AT&T R&D S&P",
        "&lt;b&gt; is literal text",
        "&amp; stays as typed",
        "<b>unclosed",
        "a<b",
    ],
)
def test_markup_prints_literally(text):
    pdf = render_handout(make_handout(client_summary=text, client_name=text))
    assert text in " ".join(pdf_text(pdf).split())
    for token in ACTIVE:
        assert token not in pdf


def test_a_lone_surrogate_is_rejected_with_a_clear_message():
    (entry,) = [e for e in hostile("note") if e["id"] == "H33"]
    with pytest.raises(ValueError, match="invalid character"):
        clean_text(entry["value"])
    for field in ("client_summary", "client_name", "advice"):
        with pytest.raises(ValueError, match="invalid character") as exc:
            render_handout(make_handout(**{field: "secret " + entry["value"]}))
        assert "secret" not in str(exc.value)


def test_a_logo_is_the_only_image(tmp_path):
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (240, 80), (46, 111, 149)).save(logo)
    clinic = Clinic(**{**CLINIC.__dict__, "logo_path": str(logo)})
    pdf = render_handout(make_handout(clinic=clinic))
    assert image_xobjects(pdf) >= 1
    assert b"/Subtype /Image" in pdf


@pytest.mark.parametrize("content", [b"", b"not an image at all", b"\x89PNG\r\n\x1a\n\x00\x00"])
def test_a_broken_or_missing_logo_is_ignored(tmp_path, content):
    bad = tmp_path / "logo.png"
    bad.write_bytes(content)
    for path in (str(bad), str(tmp_path / "missing.png"), str(tmp_path)):
        clinic = Clinic(**{**CLINIC.__dict__, "logo_path": path})
        pdf = render_handout(make_handout(clinic=clinic))
        assert image_xobjects(pdf) == 0


def test_hostile_clinic_details_are_drawn_as_plain_text():
    clinic = Clinic(
        name="<b>Clinic</b> & Co\x1b[2J",
        therapist_name="Jane\nDoe",
        registration="R&D-1",
        phone="\u202e123",
        accent_colour="javascript:alert(1)",
        paper_size="tabloid",
    )
    text = pdf_text(render_handout(make_handout(clinic=clinic)))
    assert "<b>Clinic</b> & Co[2J" in text
    assert "Jane Doe, registration no. R&D-1" in text

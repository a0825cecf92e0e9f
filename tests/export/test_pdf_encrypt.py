"""encrypt_pdf: AES-256 revision 6 that pypdf (and qpdf, when installed) open only with the
password, with no plaintext of the note left in the file."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest

from notes_tui.export import encrypt_pdf, render_handout, render_record
from tests.export.factories import make_handout, make_record, pdf_pages

MARKER = "ZQXSECRETNOTE"
PASSWORD = "correct horse battery"


def _needs_cryptography() -> None:
    try:
        import cryptography  # noqa: F401
    except ImportError:
        pytest.fail(
            "pypdf needs the 'cryptography' package for AES-256; add pypdf[crypto] (or "
            "cryptography) to the project's dependencies"
        )


@pytest.fixture(scope="module")
def encrypted() -> bytes:
    _needs_cryptography()
    pdf = render_handout(make_handout(client_name="Samantha Quill", client_summary=MARKER))
    return encrypt_pdf(pdf, PASSWORD)


def test_only_the_password_opens_it(encrypted):
    from pypdf import PasswordType, PdfReader

    reader = PdfReader(io.BytesIO(encrypted))
    assert reader.is_encrypted
    assert reader.decrypt("wrong password") == PasswordType.NOT_DECRYPTED
    with pytest.raises(Exception, match="(?i)decrypt|password"):
        _ = PdfReader(io.BytesIO(encrypted)).pages[0].extract_text()
    text = "\n".join(pdf_pages(encrypted, password=PASSWORD))
    assert MARKER in text and "Samantha Quill" in text


def test_it_is_aes_256_revision_6(encrypted):
    from pypdf import PdfReader

    enc = PdfReader(io.BytesIO(encrypted)).trailer["/Encrypt"].get_object()
    assert enc["/R"] == 6
    assert enc["/V"] == 5
    assert enc["/CF"]["/StdCF"]["/CFM"] == "/AESV3"


def test_no_plaintext_in_the_file(encrypted):
    for secret in (b"Samantha", b"Quill", MARKER.encode(), b"Harbour", b"Session handout"):
        assert secret not in encrypted


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf not installed (CI installs it)")
def test_qpdf_agrees(encrypted, tmp_path):
    path = tmp_path / "handout.pdf"
    path.write_bytes(encrypted)
    ok = subprocess.run(
        ["qpdf", f"--password={PASSWORD}", "--check", str(path)], capture_output=True, text=True
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "R = 6" in ok.stdout
    bad = subprocess.run(
        ["qpdf", "--password=wrong", "--check", str(path)], capture_output=True, text=True
    )
    assert bad.returncode != 0
    assert "password" in (bad.stdout + bad.stderr).lower()


def test_the_record_encrypts_too():
    _needs_cryptography()
    pdf = encrypt_pdf(render_record(make_record()), PASSWORD)
    assert b"RECORD-ONLY-HISTORY" not in pdf
    assert "RECORD-ONLY-HISTORY" in "\n".join(pdf_pages(pdf, password=PASSWORD))


def test_an_empty_password_is_refused():
    with pytest.raises(ValueError, match="password"):
        encrypt_pdf(render_handout(make_handout()), "")

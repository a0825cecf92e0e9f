"""User text on its way into a Paragraph: cleaning, escaping, line splitting; and the model."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from notes_tui.export.model import Dosage
from notes_tui.export.text import clean_text, one_line, paragraphs, shorten, split_line


def test_clean_text_normalises_and_strips():
    raw = "Zoe\u0308\r\nline\rtwo\u2028three\u2029four\x00\x1b[2J\x7f\x9b\u202eRTL\u2066\u200b\ufeff\tok"
    assert clean_text(raw) == "Zoë\nline\ntwo\nthree\nfour[2JRTL\tok"


def test_clean_text_rejects_a_lone_surrogate_without_quoting_the_text():
    with pytest.raises(ValueError, match="invalid character") as exc:
        clean_text("secret x\ud800y")
    assert "secret" not in str(exc.value)


@given(st.text())
def test_clean_text_leaves_no_controls_and_is_idempotent(s):
    s = "".join(c for c in s if not 0xD800 <= ord(c) <= 0xDFFF)
    out = clean_text(s)
    assert clean_text(out) == out
    assert "\r" not in out
    assert not any(ord(c) < 32 and c not in "\t\n" for c in out)
    assert not any(0x7F <= ord(c) <= 0x9F for c in out)


def test_one_line_and_shorten():
    assert one_line(" Jane \n\t Doe ") == "Jane Doe"
    assert shorten("word " * 100, 50).endswith("\u2026")
    assert len(shorten("word " * 100, 50)) <= 50
    assert shorten("x" * 400, 300) == "x" * 299 + "\u2026"
    assert shorten("short", 300) == "short"


def test_split_line_keeps_every_character():
    line = ("word " * 2000).strip()
    pieces = split_line(line, 3000)
    assert all(len(p) <= 3000 for p in pieces)
    assert " ".join(pieces) == line
    assert "".join(split_line("x" * 7000, 3000)) == "x" * 7000


def test_paragraphs_one_per_line_escaped_and_blank_lines_as_spacers():
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, Spacer

    style = ParagraphStyle("t")
    out = paragraphs("\n\nAT&T <b>x\n\n\n<img src='/etc/hosts'/>\n", style)
    assert [type(f) for f in out] == [Paragraph, Spacer, Paragraph]
    assert out[0].text == "AT&amp;T &lt;b&gt;x"
    assert out[2].text == "&lt;img src='/etc/hosts'/&gt;"
    assert "&amp;amp;" in paragraphs("&amp;", style)[0].text  # typed "&amp;" stays literal


def test_paragraphs_bound_the_length_of_each_paragraph():
    from reportlab.lib.styles import ParagraphStyle

    out = paragraphs("word " * 4000, ParagraphStyle("t"))
    assert len(out) >= 7
    assert all(len(p.text) <= 3000 for p in out)


def test_dosage_text():
    assert Dosage(2, 10, 30, None, "twice a day").text() == "2 sets of 10, hold 30 s, twice a day"
    assert Dosage(sets=1, reps=5).text() == "1 set of 5"
    assert Dosage(reps=10).text() == "10 times"
    assert Dosage(minutes=15, frequency="in the evening").text() == (
        "for 15 minutes, in the evening"
    )
    assert Dosage().text() == ""


def test_importing_the_package_loads_no_reportlab_or_pypdf():
    code = (
        "import sys, notes_tui.export, notes_tui.export.model\n"
        "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('reportlab', 'pypdf', 'PIL', 'textual', 'sqlalchemy', 'sqlmodel'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_export_imports_only_domain_from_the_project():
    import ast
    from pathlib import Path

    import notes_tui.export

    for path in Path(notes_tui.export.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")
                assert top[0] not in ("textual", "rich", "sqlalchemy", "sqlmodel"), path
                if top[0] == "notes_tui":
                    assert top[1] in ("export", "domain"), f"{path.name} imports {name}"

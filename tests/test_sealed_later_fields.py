"""A field added to the note after notes were sealed must not change an old note's digest."""

from __future__ import annotations

from typing import ClassVar

from notes_tui.domain.digest import digest
from notes_tui.domain.note import NoteContent


class _WithLater(NoteContent):
    LATER: ClassVar[frozenset[str]] = NoteContent.LATER | {"extra"}
    extra: str = ""


def test_a_later_field_at_its_default_leaves_the_json_form_and_the_digest_unchanged():
    old = NoteContent(complaint="Low back pain after gardening", pain_before=6)
    new = _WithLater(complaint="Low back pain after gardening", pain_before=6)
    assert new.model_dump(mode="json") == old.model_dump(mode="json")
    assert digest(new.model_dump(mode="json")) == digest(old.model_dump(mode="json"))
    # the Python form keeps every field (the editor's rows read them by name)
    assert new.model_dump()["extra"] == ""


def test_a_later_field_that_holds_something_is_sealed():
    new = _WithLater(complaint="Neck", extra="prone")
    assert new.model_dump(mode="json")["extra"] == "prone"
    assert digest(new.model_dump(mode="json")) != digest(NoteContent(complaint="Neck").model_dump(mode="json"))

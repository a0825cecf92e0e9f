"""The handout wording library (templates/handout/wording.toml plus the user's own wording.toml).

The plain-language sentences a client reads: one per home-care item and movement cue of the
catalog, and labelled snippets for "what to expect" and "when to get in touch" that templates and
the editor drop into a note. A user file only needs the keys it changes; its entries win.
Loading is all or nothing, like the catalog: the first problem raises `CatalogError` naming the
file, the entry and the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from notes_tui.domain.catalog import CatalogError, read_toml

SENTENCE_SECTIONS = ("home_care", "cues")
SNIPPET_SECTIONS = ("what_to_expect", "when_to_contact")


@dataclass(frozen=True)
class Snippet:
    id: str
    label: str  # what a picker shows
    text: str  # what the client reads


@dataclass(frozen=True)
class Wording:
    home_care: dict[str, str]
    cues: dict[str, str]
    what_to_expect: dict[str, Snippet]
    when_to_contact: dict[str, Snippet]

    def snippets(self, section: str) -> dict[str, Snippet]:
        return {"what_to_expect": self.what_to_expect, "when_to_contact": self.when_to_contact}[section]

    def sentences(self) -> list[tuple[str, str]]:
        """Every client-facing sentence as (where, text), for reviews and the banned-claims test."""
        out = [(f"{section}.{key}", text) for section in SENTENCE_SECTIONS
               for key, text in getattr(self, section).items()]
        out += [(f"{section}.{key}", s.text) for section in SNIPPET_SECTIONS
                for key, s in self.snippets(section).items()]
        return out


EMPTY = Wording({}, {}, {}, {})


def _text(path: Path, entry: str, field: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise CatalogError(path, entry, field, "must be a non-empty string")
    if len(value) > 2000:
        raise CatalogError(path, entry, field, "is longer than 2,000 characters")
    return " ".join(value.split())


def _merge(path: Path, doc: dict, into: dict[str, dict]) -> None:
    for section, table in doc.items():
        if section not in SENTENCE_SECTIONS + SNIPPET_SECTIONS:
            raise CatalogError(path, "(file)", section,
                               "unknown section; expected one of "
                               + ", ".join(SENTENCE_SECTIONS + SNIPPET_SECTIONS))
        if not isinstance(table, dict):
            raise CatalogError(path, "(file)", section, "must be a table")
        for key, value in table.items():
            entry = f"{section}.{key}"
            if section in SENTENCE_SECTIONS:
                into[section][key] = _text(path, entry, "text", value)
                continue
            if not isinstance(value, dict):
                raise CatalogError(path, entry, "(entry)", "must be a table with label and text")
            unknown = set(value) - {"label", "text"}
            if unknown:
                raise CatalogError(path, entry, sorted(unknown)[0], "unknown field")
            into[section][key] = Snippet(key, _text(path, entry, "label", value.get("label")),
                                         _text(path, entry, "text", value.get("text")))


def load_wording(shipped: Path, user: Path | None = None) -> Wording:
    """The shipped library, with the user's file (if there is one) layered on top."""
    parts: dict[str, dict] = {s: {} for s in SENTENCE_SECTIONS + SNIPPET_SECTIONS}
    if not shipped.is_file():
        raise CatalogError(shipped, "(file)", "(file)", "is missing")
    _merge(shipped, read_toml(shipped), parts)
    if user is not None and user.is_file():
        _merge(user, read_toml(user), parts)
    return Wording(**parts)


def next_visit_phrase(next_visit_date: date | None, next_visit_days: int | None,
                      session_day: date) -> str:
    """The next visit as the client reads it, in the handout and in the editor's review: "on
    Tuesday 8 December 2026" or "in 2 weeks (around 9 December 2026)"; "" when none."""
    if next_visit_date:
        return f"on {next_visit_date:%A} {next_visit_date.day} {next_visit_date:%B %Y}"
    if next_visit_days:
        d = next_visit_days
        when = session_day + timedelta(days=d)
        span = f"{d // 7} week{'s' if d // 7 > 1 else ''}" if d % 7 == 0 else f"{d} days"
        return f"in {span} (around {when.day} {when:%B %Y})"
    return ""


def with_own_words(catalog_text: str, own: str) -> str:
    """A catalog sentence, then the therapist's own words typed on that row: "Your head sits a
    little forward of your shoulders: more on the right when tired". The catalog's words come
    first (they are what the row is); nothing the therapist typed is dropped."""
    own = " ".join(own.split())
    if not own or own.casefold() == catalog_text.casefold():
        return catalog_text
    if not catalog_text:
        return own
    if catalog_text.rstrip()[-1:] in ".!?":  # a new sentence after the catalog's
        return f"{catalog_text} {own[0].upper()}{own[1:]}"
    return f"{catalog_text}: {own}"


def also_named(name: str, own: str) -> str:
    """A catalog name, with the therapist's own name for the row when it says something else:
    "Upper trapezius (right UT, anterior fibres)"."""
    own = " ".join(own.split())
    if not own or own.casefold() == name.casefold():
        return name
    return f"{name} ({own})" if name else own

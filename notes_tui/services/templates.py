"""Note templates as use cases: list them, start a note from one, save a note as one.

The shipped templates live in templates/notes/, the user's in <config dir>/templates/ (a file
with the same name replaces the shipped one). See notes_tui/domain/note_template.py for the format.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from notes_tui.domain.enums import Side
from notes_tui.domain.note_template import (
    NoteTemplate,
    TemplateError,
    TemplateSet,
    load_templates,
    parse_template,
    template_document,
)
from notes_tui.domain.text import clean_line, slug
from notes_tui.services.clients import get_client
from notes_tui.services.errors import FieldError, NotFound
from notes_tui.services.notes import get_note, start_draft

if TYPE_CHECKING:
    from notes_tui.services.context import Context



class Named(Protocol):
    """A client as a template's prompts name it: a Client row or the façade's ClientDetail."""

    @property
    def name(self) -> str: ...

    @property
    def preferred_name(self) -> str: ...

def template_dirs(ctx: Context) -> tuple[Path, Path]:
    from notes_tui.paths import templates_dir, user_templates_dir

    return templates_dir() / "notes", user_templates_dir()


def list_templates(ctx: Context) -> TemplateSet:
    """Every usable template, by name; broken files are in `.problems` (file and field)."""
    shipped, user = template_dirs(ctx)
    return load_templates(shipped, user, catalog=ctx.catalog, wording=ctx.wording)


def get_template(ctx: Context, template_id: str) -> NoteTemplate:
    found = list_templates(ctx).get(template_id)
    if found is None:
        raise NotFound(f"no note template {template_id!r} (notes-tui templates lists them)")
    return found


def _client_name(client: Named) -> str:
    return client.preferred_name or client.name


def start_from_template(ctx: Context, client_id: int, template_id: str, *, side: Side = Side.BILATERAL,
                        session_start: object = None) -> int:
    """A new draft for `client_id` pre-filled from the template; returns the note id."""
    template = get_template(ctx, template_id)
    with ctx.write() as s:
        client = get_client(client_id, session=s)
        content = template.apply(client=_client_name(client), catalog=ctx.catalog,
                                 therapist=ctx.settings.therapist_name, side=side)
        note = start_draft(client_id, session=s, settings=ctx.settings, content=content,
                           template_id=template.id, session_start=session_start)
        assert note.id is not None  # start_draft flushed it
        return note.id


def prompts_for_note(ctx: Context, note_id: int) -> dict[str, str]:
    """The prompts of the template a draft was started from ({} when none, or it is gone)."""
    with ctx.read() as s:
        view = get_note(note_id, session=s)
        client = get_client(view.client_id, session=s)
    return template_prompts(ctx, view.template_id, client)


def template_prompts(ctx: Context, template_id: str | None, client: Named) -> dict[str, str]:
    """The prompts of template `template_id` for `client` ({} when none, or it is gone), for a
    caller that has already read the note and its client."""
    template = list_templates(ctx).get(template_id) if template_id else None
    if template is None:
        return {}
    return template.prompts_for(client=_client_name(client),
                                therapist=ctx.settings.therapist_name)


def save_note_as_template(ctx: Context, note_id: int, name: str, *, overwrite: bool = False) -> Path:
    """Write the note's points, cues, home care and follow-up wording as a user template.
    Refuses to replace an existing user template unless `overwrite`."""
    import tomli_w

    from notes_tui.paths import ensure_private_dir
    from notes_tui.services.files import write_private_text

    name = clean_line("template name", name, max_length=80)
    if not name:
        raise FieldError("template name", "is empty")
    template_id = slug(name).replace("-", "_")[:64].strip("_") or "template"
    with ctx.read() as s:
        view = get_note(note_id, session=s)
        client = get_client(view.client_id, session=s)
    doc = template_document(view.current, name=name,  # an amendment's correction included
                            client_names=(client.name, client.preferred_name or ""))
    _, user = template_dirs(ctx)
    path = user / f"{template_id}.toml"
    if path.exists() and not overwrite:
        raise FieldError("template name", f"a template called {template_id!r} already exists")
    text = tomli_w.dumps(doc)
    try:  # a template that would be refused on loading is never written
        parse_template(path, tomllib.loads(text), catalog=ctx.catalog, wording=ctx.wording,
                       source="user")
    except TemplateError as exc:
        raise FieldError("template", f"{exc.field}: {exc.problem}") from None
    ensure_private_dir(user)
    return write_private_text(path, lambda out: out.write(
        f"# Saved from note {note_id} by notes-tui. Edit freely; see templates/notes/README.md.\n"
        + text))

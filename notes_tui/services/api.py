"""The services façade: the verbs the UI calls, each opening and closing its own transaction.

`Services(ctx)` is made once from the `Context` and shared by every screen; its parts name what
a therapist works on (`services.clients`, `.notes`, `.search`, `.handouts`, `.records`,
`.templates`, `.identity`, `.demo`). One calling convention throughout: ids are positional,
options are keywords, a verb returns plain values (frozen dataclasses and domain types, never a
database row that could be used once its session is gone) and refuses with the errors of
`services/errors.py` (a `FieldError` naming the field, a `ServiceError`).

The verbs wrap the use-case functions of the sibling modules, which keep taking a keyword-only
`session`: this module only decides where a transaction begins and ends (`ctx.read()`, a
read-only snapshot that never waits for a writer, for every verb that changes nothing;
`ctx.write()` for the others), and which settings (the one `Settings` object the app shows too:
`services.settings`) a verb acts with. The two exports are the exception: they take the context
and open their own transactions (read, render with none open, write the file, audit in a short
write: services/exporting.py).

Nothing heavy is imported here at import time: each verb imports its use case when called.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from notes_tui.db.models import Client
    from notes_tui.domain.catalog import Catalog
    from notes_tui.domain.checklist import ChecklistItem
    from notes_tui.domain.due import DueClient
    from notes_tui.domain.enums import Side
    from notes_tui.domain.intake import Intake
    from notes_tui.domain.measures import MeasureTaken
    from notes_tui.domain.note import NoteContent
    from notes_tui.domain.note_template import TemplateSet
    from notes_tui.domain.plan import Plan
    from notes_tui.domain.recurrence import Recurrence
    from notes_tui.domain.wording import Wording
    from notes_tui.services.backups import BackupEntry, BackupResult
    from notes_tui.services.clients import ClientSummary
    from notes_tui.services.context import Context
    from notes_tui.services.handouts import ExportResult
    from notes_tui.services.interchange import ImportResult
    from notes_tui.services.notes import AmendmentView, NoteSummary, NoteView
    from notes_tui.services.progress import Progress
    from notes_tui.services.retention import Deleted, RetentionReport
    from notes_tui.services.search import SearchPage
    from notes_tui.settings import Settings


# --- read models the use cases had no plain form of ---------------------------------------------

@dataclass(frozen=True)
class ClientDetail:
    """One client's own fields, copied out of the transaction that read them."""

    id: int
    name: str
    preferred_name: str
    date_of_birth: date | None
    phone: str
    email: str
    health_history: str
    contraindications: str
    consent_on_file: date | None
    sensitive_area_consent: bool
    archived: bool
    sensitive_area_consent_on: date | None = None  # the written sensitive-area consent, signed
    pressure_limit: int | None = None  # out of 10: the client asked not to go above it
    intake: Intake | None = None  # domain/intake.py; None: no intake taken
    measures: tuple[MeasureTaken, ...] = ()  # outcome measures answered, oldest first
    plans: tuple[Plan, ...] = ()  # plans of care, oldest first (domain/plan.py)

    @property
    def plan(self) -> Plan | None:
        """The current plan of care: the newest, unless it was discharged."""
        return self.plans[-1] if self.plans and self.plans[-1].current else None

    @property
    def display_name(self) -> str:
        return self.preferred_name or self.name


@dataclass(frozen=True)
class ClientHistory:
    """What the client screen shows: the client, a page of notes (newest first) and the last
    finalized note (None before the first one)."""

    client: ClientDetail
    notes: tuple[NoteSummary, ...]
    last_final: NoteView | None
    keep_until: date | None = None  # retention (services/retention.py); None: no visit yet


@dataclass(frozen=True)
class DraftOpened:
    """What the editor opens a note with, read in one transaction: the note, its client and
    the client's previous finalized note (None when there is none)."""

    note: NoteView
    client: ClientDetail
    previous: NoteView | None
    progress: tuple = ()  # the handout's progress-chart points (the review shows them too)
    clinic: object = None  # the handout's header (export.model.Clinic)


def client_detail(row: Client) -> ClientDetail:
    assert row.id is not None  # a row read from or flushed to the database
    return ClientDetail(
        id=row.id, name=row.name, preferred_name=row.preferred_name or "",
        date_of_birth=row.date_of_birth, phone=row.phone or "", email=row.email or "",
        health_history=row.health_history or "", contraindications=row.contraindications or "",
        consent_on_file=row.consent_on_file,
        sensitive_area_consent=bool(row.sensitive_area_consent), archived=bool(row.archived),
        sensitive_area_consent_on=row.sensitive_area_consent_on, pressure_limit=row.pressure_limit,
        intake=_intake_of(row), measures=_measures_of(row), plans=_plans_of(row))


def _plans_of(row: Client) -> tuple[Plan, ...]:
    from notes_tui.domain.plan import parse_plan

    return tuple(parse_plan(p) for p in row.plans or [])


def _measures_of(row: Client) -> tuple[MeasureTaken, ...]:
    if not row.measures:
        return ()
    from notes_tui.domain.measures import MeasureTaken

    return tuple(MeasureTaken.model_validate(m) for m in row.measures)


def _intake_of(row: Client) -> Intake | None:
    if not row.intake:
        return None
    from notes_tui.domain.intake import parse_intake

    return parse_intake(row.intake)


# --- the façade ---------------------------------------------------------------------------------

class Services:
    """Every verb the UI (and the CLI) calls, bound to one `Context`."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self.clients = Clients(ctx)
        self.notes = Notes(ctx)
        self.search = Search(ctx)
        self.handouts = Handouts(ctx)
        self.records = Records(ctx)
        self.templates = Templates(ctx)
        self.identity = Identity(ctx)
        self.demo = Demo(ctx)
        self.backups = Backups(ctx)
        self.retention = Retention(ctx)
        self.due = Due(ctx)

    @property
    def settings(self) -> Settings:
        """The one settings object of the running app; the identity form replaces it here."""
        return self._ctx.settings

    @property
    def read_only(self) -> bool:
        """The database file (or its folder) is read-only: reads work, every change is
        refused with ReadOnlyDatabase (one line naming the file)."""
        return self._ctx.read_only

    @property
    def catalog(self) -> Catalog:
        """The clinical catalog (domain `Catalog`): muscles, findings, home care, wording."""
        return self._ctx.catalog

    @property
    def wording(self) -> Wording:
        """The handout wording library (domain `Wording`)."""
        return self._ctx.wording

    def warm_up(self) -> None:
        """Parse the catalog now (off the UI thread), so the first screen that needs it does
        not wait for it; then move everything alive so far (modules, mappers, the catalog, the
        app's first screens) out of the garbage collector's reach.

        A full collection walks every tracked object with the GIL held: with the app's heap
        that is 100-350 ms during which the UI cannot draw, and an export's worker thread,
        which allocates fast, sets one off every time (benchmarks/bench_stall.py). Frozen
        objects are still freed when their last reference goes; only a reference cycle among
        them would now outlive its use (no `gc.collect()` first: that full collection would
        itself be the stall, right after the first frame)."""
        import gc

        self._ctx.catalog  # noqa: B018 - a cached property: reading it parses the catalog
        gc.freeze()

    def dispose(self) -> None:
        self._ctx.dispose()


class _Part:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def _today(self) -> date:
        """The clinic's today (its time zone, not UTC): what a date typed today is checked
        against."""
        return datetime.now(self._ctx.settings.tz).date()

    @property
    def _actor(self) -> str:
        return self._ctx.settings.author


class Clients(_Part):
    def list(self, *, query: str = "", include_archived: bool = False, limit: int = 50,
             after: tuple[str, int] | None = None) -> list[ClientSummary]:
        """A page of clients ordered by name (keyset `after` = (name, id) of the last row)."""
        from notes_tui.services.clients import list_clients

        with self._ctx.read() as s:
            return list_clients(session=s, query=query, include_archived=include_archived,
                                limit=limit, after=after)

    def find(self, query: str, *, include_archived: bool = False, limit: int = 50
             ) -> builtins.list[ClientSummary]:
        """The clients `query` finds among every client, best first (accents and case ignored)."""
        from notes_tui.services.clients import find_clients

        with self._ctx.read() as s:
            return find_clients(query, session=s, include_archived=include_archived, limit=limit)

    def get(self, client_id: int) -> ClientDetail:
        from notes_tui.services.clients import get_client

        with self._ctx.read() as s:
            return client_detail(get_client(client_id, session=s))

    def create(self, values: dict) -> ClientDetail:
        from notes_tui.services.clients import create_client

        with self._ctx.write() as s:
            return client_detail(create_client(values, session=s, actor=self._actor))

    def update(self, client_id: int, values: dict) -> ClientDetail:
        from notes_tui.services.clients import update_client

        with self._ctx.write() as s:
            return client_detail(update_client(client_id, values, session=s,
                                               actor=self._actor))

    def set_intake(self, client_id: int, form: dict[str, str]) -> ClientDetail:
        """The intake as its form gave it (lists one per line: domain/intake.py from_form);
        audited as an update of the client. An empty form removes the intake."""
        from notes_tui.domain.intake import from_form
        from notes_tui.services.clients import update_client

        intake = from_form(form)
        today = self._today()
        if intake.reviewed_on is not None and intake.reviewed_on > today:
            from notes_tui.domain.text import FieldError

            raise FieldError("reviewed on", f"{intake.reviewed_on:%Y-%m-%d} is in the future: "
                             "record the day you went over the intake with the client")
        with self._ctx.write() as s:
            return client_detail(update_client(
                client_id, {"intake": None if intake.is_empty else intake}, session=s,
                actor=self._actor))

    def add_measure(self, client_id: int, measure_id: str, *, taken_on: str,
                    items: str) -> ClientDetail:
        """An outcome measure the client answered: `items` one per line ('Climbing stairs:
        4'), each score checked against the measure's range; audited as an update of the
        client (the measures are part of the client's record)."""
        from notes_tui.domain.measures import taken_from_form
        from notes_tui.domain.text import FieldError
        from notes_tui.services.clients import get_client, update_client

        defn = self._ctx.catalog.measures.get(measure_id)
        if defn is None:
            raise FieldError("measure", f"{measure_id!r} is not a measure in the catalog")
        taken = taken_from_form(defn, taken_on, items)
        today = self._today()
        if taken.taken_on > today:
            raise FieldError("taken on", f"{taken.taken_on:%Y-%m-%d} is in the future")
        with self._ctx.write() as s:
            row = get_client(client_id, session=s)
            measures = [*(row.measures or []), taken.model_dump(mode="json")]
            return client_detail(update_client(client_id, {"measures": measures}, session=s,
                                               actor=self._actor))

    def set_plan(self, client_id: int, form: dict[str, str], *, new: bool = False
                 ) -> ClientDetail:
        """The plan of care as its form gave it (domain/plan.py plan_from_form): it replaces
        the current plan (keeping the day it started), or starts one today when there is none
        (or with `new`, after a discharge), on the form's start day if it gives one. Audited
        as an update of the client."""
        from notes_tui.domain.plan import plan_from_form
        from notes_tui.services.clients import get_client, update_client

        today = self._today()
        with self._ctx.write() as s:
            row = get_client(client_id, session=s)
            plans = list(row.plans or [])
            current = bool(plans) and not plans[-1].get("discharge") and not new
            started = date.fromisoformat(plans[-1]["started_on"]) if current else today
            plan = plan_from_form(form, started_on=started)
            from notes_tui.domain.text import FieldError

            if plan.started_on > today:
                raise FieldError("started on", f"{plan.started_on:%Y-%m-%d} is in the future")
            if plans and not current and plans[-1].get("discharge") and \
                    plan.started_on < date.fromisoformat(plans[-1]["discharge"]["on"]):
                raise FieldError("started on", "is before the last plan's discharge")
            if plan.reassess_on is not None and plan.reassess_on < plan.started_on:
                raise FieldError("reassess on", f"{plan.reassess_on:%Y-%m-%d} is before the "
                                 f"plan started ({plan.started_on:%Y-%m-%d})")
            from notes_tui.domain.plan import parse_plan, with_moves

            plan = with_moves(parse_plan(plans[-1]) if current else None, plan, today)
            plans = [*plans[:-1], plan.stored()] if current else [*plans, plan.stored()]
            return client_detail(update_client(client_id, {"plans": plans}, session=s,
                                               actor=self._actor))

    def discharge(self, client_id: int, form: dict[str, str]) -> ClientDetail:
        """End the current plan of care with a discharge note (domain/plan.py Discharge)."""
        from notes_tui.domain.plan import discharge_from_form, parse_plan
        from notes_tui.domain.text import FieldError
        from notes_tui.services.clients import get_client, update_client

        note = discharge_from_form(form)
        today = self._today()
        if note.on > today:
            raise FieldError("on", f"{note.on:%Y-%m-%d} is in the future")
        with self._ctx.write() as s:
            row = get_client(client_id, session=s)
            plans = [parse_plan(p) for p in row.plans or []]
            if not plans or not plans[-1].current:
                raise FieldError("plan", "there is no current plan of care to discharge")
            if note.on < plans[-1].started_on:
                raise FieldError("on", f"{note.on:%Y-%m-%d} is before the plan started "
                                 f"({plans[-1].started_on:%Y-%m-%d})")
            ended = plans[-1].model_copy(update={"discharge": note})
            stored = [p.stored() for p in plans[:-1]] + [ended.stored()]
            return client_detail(update_client(client_id, {"plans": stored}, session=s,
                                               actor=self._actor))

    def archive(self, client_id: int) -> ClientDetail:
        """Archive the client (their notes are kept)."""
        return self._set_archived(client_id, True)

    def restore(self, client_id: int) -> ClientDetail:
        return self._set_archived(client_id, False)

    def _set_archived(self, client_id: int, archived: bool) -> ClientDetail:
        from notes_tui.services.clients import archive_client

        with self._ctx.write() as s:
            return client_detail(archive_client(client_id, session=s, actor=self._actor,
                                                archived=archived))

    def history(self, client_id: int, *, limit: int = 50) -> ClientHistory:
        """The client, their latest `limit` notes and their last finalized note, read together."""
        from notes_tui.services.clients import get_client
        from notes_tui.services.notes import list_notes, previous_note
        from notes_tui.services.retention import client_retention

        with self._ctx.read() as s:
            client = client_detail(get_client(client_id, session=s))
            notes = tuple(list_notes(session=s, client_id=client_id, limit=limit))
            kept = client_retention(s, client_id, tz=self._ctx.settings.tz)
            return ClientHistory(client, notes, previous_note(client_id, session=s),
                                 kept.keep_until if kept is not None else None)


    def recurrence(self, client_id: int, *, sessions: int | None = None) -> Recurrence:
        """Which trigger points keep coming back (domain/recurrence.py): the client's newest
        `sessions` finalized sessions (all by default), as a grid by date."""
        from notes_tui.services.recurrence import client_recurrence

        with self._ctx.read() as s:
            return client_recurrence(client_id, session=s, catalog=self._ctx.catalog,
                                     limit=sessions)


class Notes(_Part):
    def get(self, note_id: int) -> NoteView:
        from notes_tui.services.notes import get_note

        with self._ctx.read() as s:
            return get_note(note_id, session=s)

    def list(self, *, client_id: int | None = None, status: str | None = None,
             limit: int = 50) -> list[NoteSummary]:
        """Newest first; the client is checked to exist when `client_id` is given."""
        from notes_tui.services.notes import list_notes

        with self._ctx.read() as s:
            if client_id is not None:
                from notes_tui.services.clients import get_client

                get_client(client_id, session=s)
            return list_notes(session=s, client_id=client_id, status=status, limit=limit)

    def open_draft(self, note_id: int) -> DraftOpened:
        """The note, its client and the client's previous finalized note, read together."""
        from notes_tui.services.clients import get_client
        from notes_tui.services.handouts import handout_clinic, progress_of
        from notes_tui.services.notes import get_note, previous_note

        with self._ctx.read() as s:
            view = get_note(note_id, session=s)
            client = client_detail(get_client(view.client_id, session=s))
            previous = previous_note(view.client_id, session=s, before_note_id=note_id)
            progress = progress_of(view, session=s)
        return DraftOpened(view, client, previous, progress, handout_clinic(self._ctx.settings))


    def start(self, client_id: int, *, same_as_last: bool = False,
              content: Any = None) -> int:
        """A new draft for the client, now; returns its id. `same_as_last` fills it from the
        client's last finalized note (everything copied marked "to confirm")."""
        from notes_tui.services.notes import same_as_last_time, start_draft

        with self._ctx.write() as s:
            if same_as_last:
                content = same_as_last_time(client_id, session=s)
            note = start_draft(client_id, session=s, settings=self._ctx.settings,
                               content=content)
            assert note.id is not None  # start_draft flushed it
            return note.id

    def save(self, note_id: int, content: NoteContent | dict, *, edit_session: str | None = None) -> bool:
        """Save the whole draft; False when nothing had changed. Saves with the same
        `edit_session` token (one editor open on the note) are audited once."""
        from notes_tui.services.notes import save_draft

        with self._ctx.write() as s:
            return save_draft(note_id, content, session=s, actor=self._actor,
                              edit_session=edit_session)

    def reschedule(self, note_id: int, day: str, clock: str) -> NoteView:
        """Set a draft's session date and start time as typed (day YYYY-MM-DD, "today" or
        "yesterday"; time HH:MM) in the note's time zone (the clinic's); returns the note as it
        now is. FieldError names "date" or "start"."""
        from zoneinfo import ZoneInfo

        from notes_tui.domain.values import session_start_from
        from notes_tui.services.notes import get_note, get_note_row, reschedule_draft

        with self._ctx.write() as s:
            note = get_note_row(note_id, session=s, for_update=True)
            start = session_start_from(day, clock, ZoneInfo(note.timezone))
            reschedule_draft(note_id, start, session=s, actor=self._actor)
            return get_note(note_id, session=s)

    def finalize(self, note_id: int) -> builtins.list[ChecklistItem]:
        """Lock the note; returns the checklist's warnings (FinalizeRefused names what
        blocks it)."""
        from notes_tui.services.notes import finalize

        with self._ctx.write() as s:
            _note, warnings = finalize(note_id, session=s, actor=self._actor)
        return warnings

    def amend(self, note_id: int, *, reason: str, text: str = "",
              content: Any = None) -> AmendmentView:
        """Add a dated correction to a finalized note; with `content`, a corrected revision of
        the note's content (the original stays as finalized). Returns the amendment as the
        note now lists it."""
        from notes_tui.services.notes import amend, get_note

        with self._ctx.write() as s:
            made = amend(note_id, reason=reason, text=text, content=content, session=s,
                         actor=self._actor)
            return next(a for a in get_note(note_id, session=s).amendments if a.id == made.id)

    def discard(self, note_id: int) -> None:
        """Delete a draft (a finalized note is never deleted)."""
        from notes_tui.services.notes import delete_draft

        with self._ctx.write() as s:
            delete_draft(note_id, session=s, actor=self._actor)

    def sign(self, note_id: int) -> bool:
        """Put the current therapist's name and registration on a draft started without them;
        False when it already had a name."""
        from notes_tui.services.notes import sign_draft

        settings = self._ctx.settings
        with self._ctx.write() as s:
            return sign_draft(note_id, name=settings.therapist_name,
                              registration=settings.registration_number, session=s,
                              actor=settings.author)


class Search(_Part):
    def notes(self, query: str, *, limit: int = 50, offset: int = 0, typing: bool = False,
              client_id: int | None = None) -> SearchPage:
        """One page of notes matching `query` (FieldError for a filter value it cannot use)."""
        from notes_tui.services.search import search

        with self._ctx.read() as s:
            return search(query, session=s, catalog=self._ctx.catalog,
                          tz=self._ctx.settings.tz, limit=limit, offset=offset, typing=typing,
                          client_id=client_id)

    def reindex(self) -> None:
        """Rebuild the full-text index from the notes."""
        from notes_tui.services.search import reindex

        with self._ctx.write() as s:
            reindex(session=s)


def _exports(out: str | Path | None, settings: Settings) -> Path:
    from notes_tui.paths import exports_dir

    return exports_dir(out, settings.exports_dir)


class Handouts(_Part):
    def export(self, note_id: int, *, preview: bool = False, out: str | Path | None = None,
               password: str | None = None) -> ExportResult:
        """Write the client handout PDF of a note (a draft only with `preview`, marked DRAFT)
        into the exports folder (or `out`); audited."""
        from notes_tui.services.handouts import export_handout, handout_template

        settings = self._ctx.settings
        return export_handout(self._ctx, note_id, template=handout_template(),
                              exports=_exports(out, settings), preview=preview,
                              password=password)


class Records(_Part):
    def export(self, client_id: int, *, out: str | Path | None = None,
               password: str | None = None, progress: Progress | None = None) -> Path:
        """Write the client's full clinical record PDF; audited. Returns its path.
        `progress(done, total)`: the notes, then laying out the PDF."""
        from notes_tui.services.handouts import handout_template
        from notes_tui.services.records import export_record

        settings = self._ctx.settings
        return export_record(self._ctx, client_id, template=handout_template(),
                             exports=_exports(out, settings), password=password,
                             progress=progress)


class Templates(_Part):
    def list(self) -> TemplateSet:
        """Every usable note template (domain `TemplateSet`; broken files in `.problems`)."""
        from notes_tui.services.templates import list_templates

        return list_templates(self._ctx)

    def start(self, client_id: int, template_id: str, *, side: Side | str = "bilateral") -> int:
        """A new draft for the client filled from the template; returns its id."""
        from notes_tui.domain.enums import Side
        from notes_tui.services.templates import start_from_template

        return start_from_template(self._ctx, client_id, template_id, side=Side(side))

    def prompts(self, template_id: str | None, client: ClientDetail) -> dict[str, str]:
        """The template's questions for the empty assessment fields ({} without a template)."""
        from notes_tui.services.templates import template_prompts

        return template_prompts(self._ctx, template_id, client)

    def save_from_note(self, note_id: int, name: str, *, overwrite: bool = False) -> Path:
        """Save the note's points, cues, home care and follow-up wording as a user template."""
        from notes_tui.services.templates import save_note_as_template

        return save_note_as_template(self._ctx, note_id, name, overwrite=overwrite)


class Identity(_Part):
    def set(self, name: str, registration: str, *, sign_note_id: int | None = None) -> Settings:
        """Write the therapist's name and registration number into settings.toml, make them
        the running app's settings, and sign draft `sign_note_id` if it has no name yet.
        A settings file that would no longer load is left as it was (a FieldError says why)."""
        from dataclasses import replace

        from notes_tui.services.errors import FieldError
        from notes_tui.services.identity import set_identity
        from notes_tui.settings import SettingsError

        try:
            written = set_identity(name, registration)
        except SettingsError as exc:  # the file would no longer load: it is left as it was
            raise FieldError("settings file", str(exc)) from None
        self._ctx.settings = replace(self._ctx.settings,
                                     therapist_name=written.therapist_name,
                                     registration_number=written.registration_number)
        if sign_note_id is not None:
            Notes(self._ctx).sign(sign_note_id)
        return self._ctx.settings

    def set_practice(self, values: dict[str, str]) -> Settings:
        """The first-run set-up (and the palette's "Practice details"): who signs, the clinic
        on the handout, the time zone and paper; written to settings.toml and made the running
        app's settings. A note already started keeps the time zone it was written in."""
        from dataclasses import replace

        from notes_tui.services.errors import FieldError
        from notes_tui.services.identity import set_practice
        from notes_tui.settings import SettingsError

        try:
            written = set_practice(values)
        except SettingsError as exc:
            raise FieldError("settings file", str(exc)) from None
        self._ctx.settings = replace(
            self._ctx.settings, therapist_name=written.therapist_name,
            registration_number=written.registration_number, clinic=written.clinic,
            timezone=written.timezone, paper_size=written.paper_size)
        return self._ctx.settings

    def set_theme(self, name: str) -> Settings:
        """Keep the app's theme in settings.toml (the next start opens in it)."""
        from dataclasses import replace

        from notes_tui.services.errors import FieldError
        from notes_tui.services.identity import set_theme
        from notes_tui.settings import SettingsError

        try:
            written = set_theme(name)
        except SettingsError as exc:
            raise FieldError("settings file", str(exc)) from None
        self._ctx.settings = replace(self._ctx.settings, theme=written.theme)
        return self._ctx.settings


class Demo(_Part):
    def load(self, *, clients: int = 12, notes: int = 60, seed: int = 7,
             progress: Progress | None = None) -> ImportResult:
        """Write seeded sample clients and notes, signed with the current settings;
        `progress(done, total)` counts the notes."""
        from notes_tui.services.demo import load_demo

        settings = self._ctx.settings
        with self._ctx.write() as s:
            return load_demo(self._ctx.catalog, session=s, clients=clients, notes=notes,
                             seed=seed, tz=settings.timezone, therapist=settings.therapist_name,
                             registration=settings.registration_number, progress=progress)


class Backups(_Part):
    """Verified backups of the SQLite file (services/backups.py), each recorded in the audit
    trail as a `backup` event whose digest is the file's sha256."""

    def folder(self, to: str | Path | None = None) -> Path:
        from notes_tui.services.backups import backup_folder

        return backup_folder(to, self._ctx.settings.backups.folder)

    def take(self, *, to: str | Path | None = None, reason: str = "manual") -> BackupResult:
        from notes_tui.services.backups import take_backup

        return take_backup(self._ctx.url, to, self._ctx.passphrase, reason,
                           configured=self._ctx.settings.backups.folder, record=self._record)

    def encrypt_all(self, passphrase: str) -> builtins.list[Path]:
        """After `db encrypt`: the plain backups in the folder encrypted with the same
        passphrase, so no plain copy of the records stays there."""
        from notes_tui.services.backups import encrypt_backups

        return encrypt_backups(self.folder(), passphrase)

    def _record(self, entry: BackupEntry) -> None:
        from notes_tui.domain.enums import AuditAction
        from notes_tui.services.audit import record

        with self._ctx.write() as s:
            record(s, actor=self._actor, action=AuditAction.BACKUP, entity="database",
                   entity_id=None, content_digest=entry.sha256)

    def list(self, *, to: str | Path | None = None) -> builtins.list[BackupEntry]:
        """The folder's backups, newest first."""
        from notes_tui.services.backups import read_manifest

        return sorted(read_manifest(self.folder(to)), key=lambda e: e.when, reverse=True)

    def due(self, *, on_quit: bool, now: datetime | None = None) -> bool:
        """Whether the app should take an automatic backup now: automatic backups are on, the
        database is an SQLite file, and either (on quit) something was recorded in the audit
        trail since the last good backup, or (while open) the last one is 24 hours old."""
        from notes_tui.db.engine import sqlite_path
        from notes_tui.services.backups import changed_since, last_good

        if not self._ctx.settings.backups.automatic or sqlite_path(self._ctx.url) is None:
            return False
        last = last_good(self.folder())
        if last is None:
            return True
        if on_quit:
            with self._ctx.read() as s:
                return changed_since(s, last.audit_seq)
        return (now or datetime.now(UTC)) - last.when >= timedelta(hours=24)


class Retention(_Part):
    def report(self, *, today: date | None = None) -> RetentionReport:
        """Every client's keep-until date (services/retention.py), today in the clinic's zone."""
        from notes_tui.services.retention import retention_report

        day = today or self._today()
        with self._ctx.read() as s:
            return retention_report(s, day, tz=self._ctx.settings.tz)

    def delete(self, client_id: int, *, today: date | None = None) -> Deleted:
        """Delete a client and all their records once past keep-until (refused before);
        audited without content (services/retention.py)."""
        from notes_tui.services.retention import delete_past_retention

        day = today or self._today()
        with self._ctx.write() as s:
            return delete_past_retention(client_id, session=s, today=day,
                                         tz=self._ctx.settings.tz, actor=self._actor)


class Due(_Part):
    """Who is due back (domain/due.py): overdue, due within the window, lapsed."""

    def today(self) -> date:
        """The clinic's today (its time zone, not UTC)."""
        return self._today()

    def list(self, *, today: date | None = None, window: int = 7) -> builtins.list[DueClient]:
        from notes_tui.services.due import due_list

        with self._ctx.read() as s:
            return due_list(s, today or self.today(), window=window)

    def calendar(self, due: builtins.list[DueClient], *, today: date | None = None) -> bytes:
        """The due list as an iCalendar file (names and dates only)."""
        from notes_tui.services.due import due_calendar

        return due_calendar(due, today or self.today(),
                            practice=self._ctx.settings.clinic.name)

    def write_calendar(self, *, today: date | None = None, window: int = 7,
                       out: str | Path | None = None) -> tuple[Path, int]:
        """The due list as `due-back-YYYY-MM-DD.ics` in the exports folder (or `out`), written
        whole or not at all; returns its path and how many entries it holds."""
        from notes_tui.domain.due import DueState
        from notes_tui.services.files import write_private_bytes

        day = today or self.today()
        due = self.list(today=day, window=window)
        path = _exports(out, self._ctx.settings) / f"due-back-{day:%Y-%m-%d}.ics"
        path.parent.mkdir(parents=True, exist_ok=True)
        write_private_bytes(path, self.calendar(due, today=day))
        return path, sum(d.state is not DueState.LAPSED for d in due)

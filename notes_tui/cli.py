"""The `notes-tui` command. With no sub-command it opens the app.

`--help` and `--version` import none of textual, sqlalchemy or reportlab: every heavy import
happens inside the command that needs it. A mistake gives one line on stderr and a non-zero exit,
never a traceback; an unexpected error is logged (0600, state dir, no note text) and named in
one line.

Exit status: 0 done; 1 a plain fact about the records or the settings ("no client with id 9", a
database that cannot be reached); 2 what was given cannot be used (a usage mistake, a file that is
not UTF-8 or not valid JSON or nested too deeply, an id out of range, a database from a newer
notes-tui, a search filter it cannot use); 3 the machine refused or the record failed its check
(disk full, read-only file or folder, permission denied; `verify` found tampering); 130 stopped
with ctrl+c; 141 the reader of standard output went away (`notes-tui clients | head -1`),
quietly, like other tools.
"""

from __future__ import annotations

import errno
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from notes_tui import __version__
from notes_tui.errorlog import log_unexpected


class Fail(click.ClickException):
    """One line on stderr, exit 1."""

    def show(self, file=None) -> None:
        click.echo(f"notes-tui: {self.format_message()}", err=True)


class BadInput(Fail):
    """What was given cannot be used: one line on stderr, exit 2."""

    exit_code = 2


class TooNew(BadInput):
    """The database belongs to a newer notes-tui: one line on stderr, exit 2."""


class Refused(Fail):
    """The machine refused (disk full, read-only, permission denied): one line, exit 3."""

    exit_code = 3


CLOSED_PIPE_EXIT = 141  # 128 + SIGPIPE: what a shell reports for a writer whose reader left


def _closed_pipe() -> None:
    """The reader of standard output went away: stop quietly, writing nothing more anywhere."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    raise SystemExit(CLOSED_PIPE_EXIT)


_OS_REASONS = {
    errno.ENOSPC: "no space left on the disk",
    errno.EDQUOT: "disk quota exceeded",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
}


def _os_message(exc: OSError) -> str:
    reason = _OS_REASONS.get(exc.errno or 0) or (exc.strerror or type(exc).__name__).lower()
    where = exc.filename
    return f"{where}: {reason}" if where else reason


# SQLite's words for a machine that refuses, as sqlite3 reports them
_SQLITE_REFUSALS = ("readonly database", "database or disk is full", "unable to open database",
                    "disk i/o error", "attempt to write a readonly")


def _known_errors() -> tuple[type[BaseException], ...]:
    from notes_tui.db.encryption import EncryptionError
    from notes_tui.db.engine import DatabaseUnavailable
    from notes_tui.domain.catalog import CatalogError
    from notes_tui.services.errors import FieldError, FinalizedNoteError, ServiceError
    from notes_tui.settings import SettingsError

    return (ServiceError, FieldError, FinalizedNoteError, SettingsError, CatalogError,
            DatabaseUnavailable, EncryptionError)


class Group(click.Group):
    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        """click's standalone mode, but a usage mistake is one line too, and a closed pipe quiet."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            try:
                code = super().main(args, prog_name, complete_var, False, **extra)
            finally:
                sys.stdout.flush()  # here, not at interpreter exit, so a closed pipe is caught
        except BrokenPipeError:
            _closed_pipe()
        except click.exceptions.NoArgsIsHelpError as exc:  # `notes-tui db`: its help
            exc.show()
            sys.exit(exc.exit_code)
        except click.UsageError as exc:
            where = exc.ctx.command_path if exc.ctx else "notes-tui"
            click.echo(f"{where}: {exc.format_message()} (see {where} --help)", err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click.Abort:  # ctrl+c (or end of input at a prompt): what was half done is undone
            click.echo("notes-tui: stopped", err=True)
            sys.exit(130)
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except BrokenPipeError:
            _closed_pipe()
        except Exception as exc:
            raise _plain(exc) from None


def _plain(exc: Exception) -> Fail:
    """The one line (and exit status) for an exception a command let through."""
    from notes_tui.db.sqlite_file import NoDatabase, NotOurs, ReadOnlyDatabase
    from notes_tui.services.errors import DatabaseTooNew, ImportRefused

    if isinstance(exc, DatabaseTooNew):
        return TooNew(str(exc))
    if isinstance(exc, NotOurs | NoDatabase | ReadOnlyDatabase):
        return BadInput(str(exc))
    if isinstance(exc, ImportRefused):
        return BadInput(str(exc))
    from notes_tui.services.backups import NotABackup, NotSQLite

    if isinstance(exc, NotABackup | NotSQLite):
        return BadInput(str(exc))
    if isinstance(exc, _known_errors()):
        return Fail(str(exc))
    if isinstance(exc, OSError) and exc.errno in _OS_REASONS:
        return Refused(_os_message(exc))
    if isinstance(exc, OverflowError):  # an id or number past what the database stores
        return BadInput("a number is too large (ids and numbers stop at 2**63 - 1)")
    if _is_db_error(exc):
        message = _db_message(exc)
        if any(words in message.lower() for words in _SQLITE_REFUSALS):
            return Refused(message)
        return Fail(message)
    if isinstance(exc, OSError):
        return Refused(_os_message(exc))
    path = log_unexpected(exc)
    return Fail(f"unexpected error ({type(exc).__name__}); details in {path}")


def _is_db_error(exc: BaseException) -> bool:
    mod = type(exc).__module__
    return mod.startswith("sqlalchemy") or mod.startswith("psycopg") or mod.startswith("sqlite3")


def _db_message(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    first = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    return f"database error: {first}"


class State:
    def __init__(self, db: str | None, create: bool = False) -> None:
        self.db = db
        self.create = create  # --create: a missing database file may be made
        self._ctx = None
        self._settings = None
        self._checked = False

    @property
    def settings(self):
        if self._settings is None:
            from notes_tui.settings import load_settings

            self._settings = load_settings()
        return self._settings

    @property
    def url(self) -> str:
        from notes_tui.paths import database_url

        return database_url(self.db)

    def check_file(self, create: bool = False) -> list[str]:
        """Before anything opens the SQLite file: refuse a path with no file unless a new
        database is meant (--create, a command that fills one: `create`, or the first run on
        the default path); the warnings to show (a file other users can read)."""
        from notes_tui.db.engine import sqlite_path
        from notes_tui.db.sqlite_file import NoDatabase, check_ours, shared_with_others
        from notes_tui.paths import default_db_path

        path = sqlite_path(self.url)
        if path is None or self._checked:
            return []
        self._checked = True
        if not path.exists():
            first_run = self.db is None and path == default_db_path().expanduser().resolve()
            if not (self.create or create or first_run):
                raise NoDatabase(path)
            return []
        check_ours(path)  # another program's file: refused before any warning about it
        if shared_with_others(path):
            return [f"warning: {path} can be read by other users of this computer "
                    f"(chmod 600 it to keep the notes private)"]
        return []

    def context(self, migrate: bool = True, create: bool = False):
        if self._ctx is None:
            from notes_tui.services.context import needs_passphrase, open_context

            settings = self.settings
            for warning in self.check_file(create):
                click.echo(f"notes-tui: {warning}", err=True)
            passphrase = _passphrase() if needs_passphrase(self.url) else None
            self._ctx = open_context(self.url, settings, migrate=migrate,
                                     passphrase=passphrase)
        return self._ctx

    def services(self, migrate: bool = True, create: bool = False):
        """The services façade (services/api.py): the verbs the app calls too."""
        from notes_tui.services.api import Services

        return Services(self.context(migrate=migrate, create=create))

    def writable(self, create: bool = False):
        """The context for a command that changes the database: a read-only file is refused
        in one line before anything is read."""
        ctx = self.context(create=create)
        if ctx.read_only:
            from notes_tui.db.engine import sqlite_path
            from notes_tui.db.sqlite_file import ReadOnlyDatabase

            raise ReadOnlyDatabase(sqlite_path(self.url) or self.url)
        return ctx


pass_state = click.make_pass_decorator(State)


def _passphrase(prompt: str = "Passphrase for the database", *, twice: bool = False) -> str:
    """From NOTES_TUI_PASSPHRASE_FILE, else one line of standard input, else asked without
    echo. Never stored."""
    from notes_tui.db.encryption import passphrase_from_env

    given = passphrase_from_env()
    if given is not None:
        return given
    if not sys.stdin.isatty():
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise Fail("no passphrase given on standard input")
        return line
    import getpass

    first = getpass.getpass(f"{prompt}: ")
    if twice:
        if getpass.getpass("Repeat it: ") != first:
            raise Fail("the two passphrases differ; nothing was changed")
        if len(first) < 8:
            raise Fail("use a passphrase of at least 8 characters")
    if not first:
        raise Fail("no passphrase given")
    return first

# Record ids are 64-bit signed integers in both databases: a larger one is a usage mistake.
ID = click.IntRange(1, 2**63 - 1)


def counted(n: int, word: str, plural: str | None = None) -> str:
    from notes_tui.domain.text import counted as _counted

    return _counted(n, word, plural)


def _fit(value: str, width: int) -> str:
    """`value` in exactly `width` terminal cells: cut with an ellipsis when longer, never silently."""
    from rich.cells import cell_len, set_cell_size

    from notes_tui.domain.text import display_text

    text = display_text(value).replace("\n", " ")
    if cell_len(text) > width:
        text = set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)


def _echo_json(value) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=1))


@contextmanager
def progress_shown(label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on standard error while the block runs, when standard error is a terminal;
    it goes away at the end, leaving the command's own line. In a pipe or a file: nothing at all
    (yields None). Yields the `progress(done, total)` callback the services take; a bar nobody
    feeds is a spinner with the time so far."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                   MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn(),
                   console=Console(stderr=True), transient=True,
                   redirect_stdout=False, redirect_stderr=False)
    task = bar.add_task(label, total=None)

    def update(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    with bar:
        yield update


@click.group(cls=Group, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", metavar="PATH_OR_URL", envvar="NOTES_TUI_DB",
              help="SQLite file or postgresql+psycopg:// URL (default: the data dir's file).")
@click.option("--create", is_flag=True,
              help="Start a new database at --db when there is no file there yet.")
@click.version_option(__version__, prog_name="notes-tui")
@click.pass_context
def main(ctx: click.Context, db: str | None, create: bool) -> None:
    """Session notes for neuromuscular massage therapy. With no command, opens the app."""
    ctx.obj = State(db, create)
    if ctx.invoked_subcommand is None:
        from notes_tui.paths import settings_file
        from notes_tui.ui.run import run_app

        url = ctx.obj.url
        first_run = not settings_file().exists() and _no_clients_yet(url)
        notices = tuple(ctx.obj.check_file())
        code = run_app(url, ctx.obj.settings, first_run=first_run, notices=notices)
        ctx.exit(code)


def _no_clients_yet(url: str) -> bool:
    """A first start, for the practice's details: an SQLite database that does not exist yet or
    holds no client (a first start closed before the form was saved asks again). Read-only,
    through the same sqlite3 the app uses; anything unexpected means no (the app opens as
    usual)."""
    if not url.startswith("sqlite:///"):
        return False
    path = Path(url.split(":///", 1)[1])
    if not path.exists() or path.stat().st_size == 0:
        return True
    import sqlite3

    from notes_tui.db.encryption import is_encrypted

    if is_encrypted(path):
        return False
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=1)
        try:
            return con.execute("SELECT 1 FROM client LIMIT 1").fetchone() is None
        finally:
            con.close()
    except sqlite3.Error:
        return False


@main.command()
@click.option("--json", "as_json", is_flag=True,
              help='Machine-readable output: {"database": PATH_OR_URL, "config": PATH, ...}.')
@pass_state
def locate(state: State, as_json: bool) -> None:
    """Print every path the app uses."""
    from notes_tui.paths import locate as _locate

    loc = _locate(state.db, state.settings.exports_dir)
    if state.settings.backups.folder:  # settings.toml `[backups] folder`
        from dataclasses import replace

        loc = replace(loc, backups=Path(state.settings.backups.folder).expanduser())
    if as_json:
        _echo_json({key: str(value) for key, value in loc.__dict__.items()})
        return
    for key, value in loc.__dict__.items():
        click.echo(f"{key:13} {value}")


@main.command()
@click.option("--clients", default=20, show_default=True, type=click.IntRange(1, 100_000))
@click.option("--notes", default=120, show_default=True, type=click.IntRange(0, 1_000_000))
@click.option("--seed", default=7, show_default=True, type=int)
@pass_state
def demo(state: State, clients: int, notes: int, seed: int) -> None:
    """Load seeded, realistic sample clients and notes (into a new database too)."""
    state.writable(create=True)
    services = state.services()
    with progress_shown("adding sample notes") as progress:
        result = services.demo.load(clients=clients, notes=notes, seed=seed, progress=progress)
    click.echo(f"added {result.clients} clients and {result.notes} notes")


@main.command("clients")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--archived", is_flag=True, help="Include archived clients.")
@click.option("--find", "find", default="", metavar="NAME",
              help="Only clients NAME finds, best first (case and accents ignored, as in the app).")
@pass_state
def clients_cmd(state: State, as_json: bool, archived: bool, find: str) -> None:
    """List clients with their last visit and open drafts."""
    services = state.services()
    rows, after = [], None
    while not find.strip():
        page = services.clients.list(include_archived=archived, limit=500, after=after)
        rows += page
        if len(page) < 500:
            break
        after = (page[-1].name, page[-1].id)
    if find.strip():
        rows = services.clients.find(find, include_archived=archived, limit=100)
    if as_json:
        _echo_json([{
            "id": r.id, "name": r.name, "preferred_name": r.preferred_name,
            "archived": r.archived, "notes": r.notes, "open_drafts": r.open_drafts,
            "last_visit": r.last_visit.isoformat() if r.last_visit else None} for r in rows])
        return
    for r in rows:
        last = r.last_visit.astimezone(state.settings.tz).strftime("%Y-%m-%d") if r.last_visit else "-"
        drafts = f"  {counted(r.open_drafts, 'draft')}" if r.open_drafts else ""
        click.echo(f"{r.id:6}  {_fit(r.name, 40)}  last visit {last}{drafts}")


@main.command("templates")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_state
def templates_cmd(state: State, as_json: bool) -> None:
    """List the note templates and where each comes from (shipped, or your config dir).

    A broken template file is named on stderr with its field; the others are still listed."""
    from notes_tui.domain.text import display_text

    loaded = state.services(migrate=False, create=True).templates.list()  # no database read
    for problem in loaded.problems:
        click.echo(f"notes-tui: skipped template {display_text(str(problem))}", err=True)
    if as_json:
        _echo_json([{
            "id": t.id, "name": t.name, "summary": t.summary, "source": t.source,
            "path": str(t.path), "overrides_shipped": t.overrides,
            "trigger_points": [p.muscle_id for p in t.trigger_points]}
            for t in loaded.templates.values()])
        return
    for t in loaded.templates.values():
        where = "shipped" if t.source == "shipped" else (
            f"yours, replaces the shipped one: {t.path}" if t.overrides else f"yours: {t.path}")
        click.echo(f"{t.id:22} {_fit(t.name, 40)} {where}")


@main.command("notes")
@click.option("--client", "client_id", type=ID, help="Only this client's notes.")
@click.option("--json", "as_json", is_flag=True)
@click.option("--limit", default=100, show_default=True, type=click.IntRange(1, 100_000))
@pass_state
def notes_cmd(state: State, client_id: int | None, as_json: bool, limit: int) -> None:
    """List notes, newest first."""
    from zoneinfo import ZoneInfo

    rows = state.services().notes.list(client_id=client_id, limit=limit)
    if as_json:
        _echo_json([{
            "id": r.id, "client_id": r.client_id, "client": r.client_name,
            "session_start": r.session_start.isoformat(), "status": r.status,
            "complaint": r.complaint_full, "pain_before": r.pain_before,
            "pain_after": r.pain_after,
            "technique": r.technique, "amendments": r.amendments} for r in rows])
        return
    for r in rows:
        pain = f"{_p(r.pain_before)}->{_p(r.pain_after)}"
        local = r.session_start.astimezone(ZoneInfo(r.timezone))  # the note's own zone
        click.echo(f"{r.id:6}  {local:%Y-%m-%d %H:%M}  "
                   f"{r.status:5}  {pain:6}  {_fit(r.client_name, 24)}  "
                   f"{_fit(r.complaint, 50).rstrip()}")


def _p(v: int | None) -> str:
    return "-" if v is None else str(v)


@main.command()
@click.argument("file", required=False,
                type=click.Path(dir_okay=False, writable=True, allow_dash=True))
@pass_state
def dump(state: State, file: str | None) -> None:
    """Write every client and note as one JSON document (to FILE, or standard output for - or
    no FILE)."""
    from notes_tui.services.interchange import write_dump

    ctx = state.context()
    with ctx.read() as session:
        if file in (None, "-", "/dev/stdout"):
            write_dump(session, sys.stdout)
            return
        try:
            if Path(file).exists() and not Path(file).resolve().is_file():
                # a device or a pipe (/dev/full, a FIFO): written as it is, never replaced
                with open(file, "w", encoding="utf-8") as out:
                    write_dump(session, out)
                return
            from notes_tui.services.files import write_private_text

            with progress_shown(f"writing {Path(file).name}") as progress:
                write_private_text(Path(file), lambda out: write_dump(session, out, progress))
        except OSError as exc:
            exc.filename = exc.filename or file  # "no space left" says where
            raise
    click.echo(f"wrote {file}", err=True)


def _read_document(file: str) -> object:
    """The JSON document in `file` (- for standard input); a UTF-8 byte-order mark is fine."""
    name = "standard input" if file == "-" else file
    raw = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise BadInput(f"{name}: not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise BadInput(f"{name}: not valid JSON (line {exc.lineno}, column {exc.colno})") from None
    except RecursionError:
        raise BadInput(f"{name}: JSON nested too deeply to be a notes-tui dump") from None


@main.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, readable=True,
                                        allow_dash=True))
@pass_state
def import_cmd(state: State, file: str) -> None:
    """Import a JSON document made by `dump` (FILE, or - for standard input): all or nothing."""
    from notes_tui.services.interchange import import_document

    doc = _read_document(file)
    ctx = state.writable(create=True)
    with progress_shown("importing notes") as progress, ctx.write() as session:
        result = import_document(doc, session=session, actor=state.settings.author,
                                 progress=progress)
    click.echo(result.summary())


@main.command()
@click.option("--json", "as_json", is_flag=True,
              help='Machine-readable output: {"ok", "audit_events", "finalized_notes", '
                   '"amendments", "problems", "warnings"}; exit 3 when not ok.')
@pass_state
def verify(state: State, as_json: bool) -> None:
    """Check the audit trail's hash chain and keyed seal, every finalized note and amendment
    against its digest, every client's record, that nothing the trail records was deleted, and
    that the database's locks on finalized notes are in place."""
    from functools import partial

    from notes_tui.services.audit import verify as _verify
    from notes_tui.services.note_digests import sealed_notes

    ctx = state.context()
    with progress_shown("checking finalized notes") as progress, ctx.read() as session:
        report = _verify(session, sealed_notes=partial(sealed_notes, progress=progress))
    if as_json:
        _echo_json({"ok": report.ok, "audit_events": report.events,
                    "finalized_notes": report.finalized_notes, "amendments": report.amendments,
                    "problems": [str(p) for p in report.problems],
                    "warnings": list(report.warnings)})
        if not report.ok:
            sys.exit(3)
        return
    for warning in report.warnings:
        click.echo(f"notes-tui: {warning}", err=True)
    for problem in report.problems:
        click.echo(f"TAMPERED: {problem}")
    summary = (f"{counted(report.events, 'audit event')}, "
               f"{counted(report.finalized_notes, 'finalized note')}, "
               f"{counted(report.amendments, 'amendment')} checked")
    if report.ok:
        click.echo(f"ok: {summary}")
    else:
        click.echo(f"FAILED: {len(report.problems)} problem(s); {summary}", err=True)
        sys.exit(3)


def _ask_password() -> str:
    if not sys.stdin.isatty():
        line = sys.stdin.readline().rstrip("\n")
        if not line:
            raise Fail("--password: no password given on standard input")
        return line
    first = click.prompt("Password for the PDF", hide_input=True)
    again = click.prompt("Repeat it", hide_input=True)
    if first != again:
        raise Fail("the two passwords differ; nothing was written")
    if len(first) < 6:
        raise Fail("use a password of at least 6 characters")
    return first


@main.command("export")
@click.argument("note_id", type=ID)
@click.option("--out", type=click.Path(file_okay=False), help="Folder for the PDF.")
@click.option("--password", "use_password", is_flag=True,
              help="Protect the PDF with a password (asked for, never on the command line).")
@click.option("--preview", is_flag=True, help="A draft's handout, marked DRAFT on every page.")
@pass_state
def export_cmd(state: State, note_id: int, out: str | None, use_password: bool,
               preview: bool) -> None:
    """Write the client handout PDF of a finalized note and print its path."""
    password = _ask_password() if use_password else None
    result = state.services().handouts.export(note_id, preview=preview, out=out,
                                              password=password)
    _unrecorded(state)
    if result.missing_glyphs:
        chars = " ".join(sorted(result.missing_glyphs))
        click.echo(f"warning: the handout font cannot show {chars}; they print as blanks",
                   err=True)
    click.echo(str(result.path))


@main.command("record")
@click.argument("client_id", type=ID)
@click.option("--out", type=click.Path(file_okay=False), help="Folder for the PDF.")
@click.option("--password", "use_password", is_flag=True,
              help="Protect the PDF with a password (asked for, never on the command line).")
@pass_state
def record_cmd(state: State, client_id: int, out: str | None, use_password: bool) -> None:
    """Write a client's full clinical record (every note, amendments, audit) as a PDF."""
    password = _ask_password() if use_password else None
    services = state.services()
    with progress_shown("writing the clinical record") as progress:
        path = services.records.export(client_id, out=out, password=password, progress=progress)
    _unrecorded(state)
    click.echo(str(path))


def _unrecorded(state: State) -> None:
    """An export from a read-only database is written, but its audit event cannot be."""
    if state.context().read_only:
        click.echo("notes-tui: warning: the database is read-only: this export is not recorded "
                   "in its audit trail", err=True)


class QueryCommand(click.Command):
    """A command whose words may start with - (`search neck -jaw`): only --options are options,
    `--` ends them, and a lone -h still asks for help."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args == ["-h"]:
            args = ["--help"]
        return super().parse_args(ctx, args)


@main.command("search", cls=QueryCommand,
              context_settings={"ignore_unknown_options": True, "help_option_names": ["--help"]})
@click.argument("query", nargs=-1, required=True, type=click.UNPROCESSED)
@click.option("--json", "as_json", is_flag=True)
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 200))
@click.option("--offset", default=0, type=click.IntRange(0, None), help="Skip this many results.")
@pass_state
def search_cmd(state: State, query: tuple[str, ...], as_json: bool, limit: int,
               offset: int) -> None:
    """Search every note: words, "phrases", -exclude, OR, and filters such as client:ana
    muscle:"upper trapezius" side:left technique:nmt status:draft since:2026-01-01 pain>=6
    after<=3. A word may start with - (`search neck -jaw`); after `--` every word is the query
    (`search -- --json`). Exit 0 with or without results; exit 2 for a filter value it cannot
    use."""
    from notes_tui.domain.text import FieldError, display_text

    services = state.services()
    try:
        page = services.search.notes(" ".join(query), limit=limit, offset=offset)
    except FieldError as exc:
        click.echo(f"notes-tui: search: {exc}", err=True)
        sys.exit(2)
    if as_json:
        _echo_json({"ordered_by": page.ordered_by, "offset": page.offset,
                    "catalog_matches": page.catalog_matches, "results": [{
            "note_id": h.note_id, "client_id": h.client_id, "client": h.client_name,
            "session_start": h.session_start.isoformat(), "status": h.status,
            "pain_before": h.pain_before, "pain_after": h.pain_after,
            "snippet": h.snippet.replace("\x02", "").replace("\x03", ""),
            "trigger_points": list(h.trigger_points)} for h in page.hits]})
        return
    if not page.hits:
        click.echo("no notes match in your own words; the catalog's wording does: add "
                   "include:catalog" if page.catalog_matches else "no notes match")
        return
    for h in page.hits:
        when = h.session_start.astimezone(state.settings.tz)
        snippet = display_text(h.snippet.replace("\x02", "«").replace("\x03", "»"))
        click.echo(f"note {h.note_id:<6} {when:%Y-%m-%d}  {_fit(h.client_name, 28)} "
                   f"{h.status:5}  {snippet}")


@main.group()
def db() -> None:
    """Database maintenance."""


@db.command()
@pass_state
def upgrade(state: State) -> None:
    """Bring the database schema up to date (an SQLite file is backed up first)."""
    ctx = state.context(migrate=False)
    with progress_shown("upgrading the database"):
        result = ctx.upgrade()
    if result.before == result.after:
        click.echo(f"already at {result.after}")
    else:
        click.echo(f"upgraded {result.before or 'empty database'} -> {result.after}")
        if result.backup:
            click.echo(f"backup: {result.backup}")


@db.command()
@pass_state
def reindex(state: State) -> None:
    """Rebuild the full-text search index from the notes (and sort out again which words are
    the catalog's and wording's, after you changed yours)."""
    state.writable()
    services = state.services()
    with progress_shown("rebuilding the search index"):  # one statement: a spinner, no count
        services.search.reindex()
    click.echo("search index rebuilt")


def _db_file(state: State) -> Path:
    from notes_tui.db.engine import sqlite_path

    path = sqlite_path(state.url)
    if path is None:
        raise Fail("encryption at rest is for the SQLite file; on PostgreSQL it is the "
                   "server's job (encrypted disk or tablespace)")
    if not path.is_file():
        raise Fail(f"{path}: no such database file")
    return path


def _checked(path: Path, passphrase: str | None) -> None:
    """The app's verify on the converted copy before it replaces the original."""
    from notes_tui.db.encryption import EncryptionError
    from notes_tui.services.audit import verify as _verify
    from notes_tui.services.context import Context
    from notes_tui.services.note_digests import sealed_notes

    ctx = Context(url=f"sqlite:///{path}", passphrase=passphrase)
    try:
        with ctx.read() as session:
            report = _verify(session, sealed_notes=sealed_notes)
    finally:
        ctx.dispose()
    if not report.ok:
        raise EncryptionError(f"the converted copy failed verify ({report.problems[0]}); "
                              "the database is unchanged")


@db.command()
@pass_state
def encrypt(state: State) -> None:
    """Encrypt the SQLite file in place with a passphrase (SQLCipher); asked twice."""
    from notes_tui.db import encryption

    path = _db_file(state)
    if encryption.is_encrypted(path):
        raise Fail(f"{path}: already encrypted")
    encryption.dbapi()
    state.writable()  # brought to the current schema first; a read-only file is refused
    passphrase = _passphrase("New passphrase", twice=True)
    services = state.services()
    with progress_shown("a verified backup first"):
        first = services.backups.take(reason="before encrypt")
    services.dispose()  # no connection stays open on the file while it is converted
    with progress_shown("encrypting the database"):
        encryption.encrypt_file(path, passphrase, check=_checked)
    click.echo(f"encrypted: {path}")
    with progress_shown("encrypting the backups"):
        done = services.backups.encrypt_all(passphrase)
    click.echo(f"backups: {len(done)} encrypted with it in {first.path.parent} (the backup taken "
               "first included): no plain copy is left among them")
    for aside in sorted(path.parent.glob(f"{path.name}.before-restore-*")):
        if aside.is_file() and not encryption.is_encrypted(aside):  # a restore's kept copy
            encryption.encrypt_file(aside, passphrase)
            click.echo(f"encrypted too: {aside} (kept aside by a restore)")
    click.echo("keep the passphrase safe: without it the notes cannot be read")


@db.command()
@pass_state
def decrypt(state: State) -> None:
    """Decrypt the SQLite file in place; the encrypted original is kept aside."""
    from notes_tui.db import encryption

    path = _db_file(state)
    if not encryption.is_encrypted(path):
        raise Fail(f"{path}: not encrypted")
    from notes_tui.db.sqlite_file import ReadOnlyDatabase, is_read_only

    if is_read_only(path):
        raise ReadOnlyDatabase(path)
    passphrase = _passphrase()
    with progress_shown("decrypting the database"):
        kept = encryption.decrypt_file(path, passphrase, check=_checked)
    click.echo(f"decrypted: {path}")
    click.echo(f"encrypted original kept: {kept}")


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} bytes"
    size = float(n)
    for unit in ("KiB", "MiB", "GiB"):
        size /= 1024
        if size < 1024 or unit == "GiB":
            break
    return f"{size:.1f} {unit}"


def _not_postgres(state: State) -> None:
    from notes_tui.db.engine import sqlite_path
    from notes_tui.services.backups import POSTGRES

    if sqlite_path(state.url) is None:
        raise BadInput(POSTGRES)


@main.command("backup")
@click.option("--to", "to", type=click.Path(file_okay=False), metavar="DIR",
              help="Folder for this backup (default: settings [backups] folder, else the data "
                   "dir's backups/).")
@pass_state
def backup_cmd(state: State, to: str | None) -> None:
    """Take a verified backup of the database now and print where it is."""
    _not_postgres(state)
    services = state.services()
    with progress_shown("taking a backup"):
        result = services.backups.take(to=to)
    e = result.entry
    click.echo(f"{result.path}  {_size(e.size)}  verified "
               f"({counted(e.clients, 'client')}, {counted(e.notes, 'note')})")
    if result.deleted:
        click.echo(f"rotation removed {counted(len(result.deleted), 'older backup')}", err=True)
    for warning in result.warnings:
        click.echo(f"notes-tui: warning: {warning}", err=True)


@main.command("backups")
@click.option("--to", "to", type=click.Path(file_okay=False), metavar="DIR",
              help="List this folder's backups instead.")
@click.option("--json", "as_json", is_flag=True,
              help='Machine-readable: [{"file", "path", "taken_at", "size", "status", ...}].')
@pass_state
def backups_cmd(state: State, to: str | None, as_json: bool) -> None:
    """List the backups, newest first, with their date, size and status."""
    from dataclasses import asdict

    from notes_tui.services.backups import backup_folder

    _not_postgres(state)
    folder = backup_folder(to, state.settings.backups.folder)
    from notes_tui.services.backups import read_manifest

    entries = sorted(read_manifest(folder), key=lambda e: e.when, reverse=True)
    if as_json:
        _echo_json([{**asdict(e), "path": str(folder / e.file),
                     "present": (folder / e.file).is_file()} for e in entries])
        return
    if not entries:
        click.echo(f"no backups in {folder}")
        return
    for e in entries:
        when = e.when.astimezone(state.settings.tz)
        status = e.status if e.status != "ok" or (folder / e.file).is_file() else "missing"
        click.echo(f"{when:%Y-%m-%d %H:%M}  {e.file:34} {_size(e.size):>10}  {status}"
                   + (f"  {e.error}" if e.error else ""))


@main.command("restore")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--yes", is_flag=True, help="Replace the database without asking (needed "
              "when standard input is not a terminal).")
@pass_state
def restore_cmd(state: State, file: str, yes: bool) -> None:
    """Replace the database with the backup FILE, after checking it; the current database is
    kept aside as <db>.before-restore-<time>."""
    from notes_tui.db.encryption import is_encrypted
    from notes_tui.services.backups import restore_backup, sqlite_file

    _not_postgres(state)
    db = sqlite_file(state.url)
    if not Path(file).is_file():
        raise BadInput(f"{file}: no such file")
    if not yes and db.exists() and not sys.stdin.isatty():
        raise BadInput("restore replaces the database: run it in a terminal to be asked, "
                       "or add --yes")
    size = Path(file).stat().st_size
    if is_encrypted(Path(file)) and (size < 512 or size % 512):  # SQLite's pages, even encrypted
        raise BadInput(f"{file}: not a SQLite database")
    passphrase = None
    if is_encrypted(Path(file)) or is_encrypted(db):
        try:
            passphrase = _passphrase()
        except Fail as exc:
            raise BadInput(f"{file}: encrypted (or not a database): {exc.format_message()}"
                           ) from None

    def confirm(facts) -> bool:
        if yes:
            return True
        return click.confirm(f"Replace {db} with {file} ({counted(facts.clients, 'client')}, "
                             f"{counted(facts.notes, 'note')})? The current database is kept "
                             "aside", default=False)

    from notes_tui.services.backups import RestoreCancelled

    try:
        result = restore_backup(Path(file), state.url, passphrase, confirm=confirm)
    except RestoreCancelled:
        click.echo("nothing was changed", err=True)
        sys.exit(1)
    f = result.facts
    click.echo(f"restored {file} -> {result.restored} "
               f"({counted(f.clients, 'client')}, {counted(f.notes, 'note')}, "
               + ("verified)" if f.verified else f"schema {f.schema_revision}: upgraded when "
                  "next opened)"))
    if result.kept_aside:
        click.echo(f"the database before the restore is kept: {result.kept_aside}")


@main.group("retention", invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True,
              help='Machine-readable: {"today", "past": [...], "kept": [...], '
                   '"no_visits": [...]}, each client with id, name, last_visit, '
                   'date_of_birth, keep_until.')
@click.pass_context
def retention_cmd(ctx: click.Context, as_json: bool) -> None:
    """List the clients whose records are past their keep-until date (10 years after the last
    visit; for a client under 18 then, 10 years after their 18th birthday) and those that must
    still be kept. Nothing is deleted (see `retention delete`)."""
    if ctx.invoked_subcommand is not None:
        return
    state = ctx.find_object(State)
    assert state is not None
    report = state.services().retention.report()

    def one(c) -> dict:
        return {"id": c.client_id, "name": c.name, "archived": c.archived, "notes": c.notes,
                "last_visit": _iso(c.last_visit), "date_of_birth": _iso(c.date_of_birth),
                "keep_until": _iso(c.keep_until)}

    if as_json:
        _echo_json({"today": report.today.isoformat(), "past": [one(c) for c in report.past],
                    "kept": [one(c) for c in report.kept],
                    "no_visits": [one(c) for c in report.no_visits]})
        return
    sections = (("past their keep-until date (may be deleted if you choose)", report.past),
                ("must still be kept", report.kept), ("no visit recorded", report.no_visits))
    for title, rows in sections:
        click.echo(f"{counted(len(rows), 'client')} {title}")
        for c in rows:
            until = f"keep until {c.keep_until}" if c.keep_until else "nothing to keep"
            click.echo(f"  {c.client_id:6}  {_fit(c.name, 32)}  last visit "
                       f"{_iso(c.last_visit) or '-':10}  {until}")


@main.command("due")
@click.option("--json", "as_json", is_flag=True,
              help='Machine-readable: {"today", "window_days", "clients": [...]}, each client '
                   'with client_id, name, state (overdue, due, lapsed), planned, '
                   'days_from_today, when, last_visit, plan, visits.')
@click.option("--days", default=7, show_default=True, type=click.IntRange(0, 366),
              help="Also list the clients due within this many days.")
@click.option("--ics", "ics", default=None, metavar="FILE",
              type=click.Path(dir_okay=False, writable=True, allow_dash=True),
              help="Write the list as an iCalendar file (names and dates only, no clinical "
                   "text) to FILE (- for standard output).")
@pass_state
def due_cmd(state: State, as_json: bool, days: int, ics: str | None) -> None:
    """Who is due back: clients whose planned next visit has passed with no session since
    (overdue; lapsed after 90 days), and those due within --days days. The plan is the next
    visit the client's latest session set (a date, or a number of days after it). Archived
    clients are not listed."""
    from notes_tui.domain.due import DueState

    services = state.services()
    today = services.due.today()
    due = services.due.list(today=today, window=days)
    if ics is not None:
        data = services.due.calendar(due, today=today)
        if ics.endswith(("/", os.sep)):
            raise BadInput(f"{ics}: a folder; give the calendar file's name (due.ics)")
        if ics == "-":
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
            return
        from notes_tui.services.files import write_private_bytes

        try:
            if Path(ics).exists() and not Path(ics).resolve().is_file():
                with open(ics, "wb") as out:  # a device or a pipe: written as it is
                    out.write(data)
            else:
                write_private_bytes(Path(ics), data)
        except OSError as exc:
            exc.filename = exc.filename or ics
            raise
        entries = sum(d.state is not DueState.LAPSED for d in due)
        click.echo(f"wrote {ics} ({counted(entries, 'calendar entry', 'calendar entries')}; "
                   "the lapsed are left out)", err=True)
        if not as_json:
            return
    if as_json:
        from notes_tui.services.due import due_json

        _echo_json(due_json(due, today, window=days))
        return
    titles = {DueState.OVERDUE: "overdue (the planned visit passed with no session since)",
              DueState.DUE: f"due within {counted(days, 'day')}",
              DueState.LAPSED: "lapsed (overdue by more than 90 days)"}
    for state_, title in titles.items():
        rows = [d for d in due if d.state is state_]
        click.echo(f"{counted(len(rows), 'client')} {title}")
        for d in rows:
            click.echo(f"  {d.client_id:6}  {_fit(d.name, 28)}  {d.planned:%Y-%m-%d} "
                       f"{d.when(today):20}  last visit {d.last_visit:%Y-%m-%d}")


def _iso(day) -> str | None:
    return day.isoformat() if day is not None else None


@retention_cmd.command("delete")
@click.argument("client_id", type=ID)
@click.option("--yes", is_flag=True, help="Delete without asking (needed when standard input "
              "is not a terminal).")
@pass_state
def retention_delete(state: State, client_id: int, yes: bool) -> None:
    """Delete CLIENT_ID and all their notes and amendments, once past their keep-until date
    (refused before). The deletion is recorded in the audit trail (ids and counts, by whom and
    when; never content)."""
    services = state.services()
    found = [c for c in services.retention.report().clients if c.client_id == client_id]
    if not found:
        raise Fail(f"no client with id {client_id}")
    c = found[0]
    today = services.retention.report().today
    if c.keep_until is not None and not c.past(today):
        raise Fail(f"client {client_id}: the records must be kept until {c.keep_until}; "
                   "nothing was deleted")
    if not yes:
        if not sys.stdin.isatty():
            raise BadInput("retention delete removes records for good: run it in a terminal "
                           "to be asked, or add --yes")
        until = f"kept until {c.keep_until}" if c.keep_until else "no visit recorded"
        if not click.confirm(f"Delete {c.name} (client {client_id}) and "
                             f"{counted(c.notes, 'note')} for good ({until})?", default=False):
            click.echo("nothing was deleted", err=True)
            sys.exit(1)
    d = services.retention.delete(client_id)
    click.echo(f"deleted client {d.client_id} ({d.name}): {counted(d.notes, 'note')} "
               f"({d.finalized_notes} finalized), {counted(d.amendments, 'amendment')}; "
               "recorded in the audit trail")

"""Search every past assessment: results update as you type, with a preview of the selected note.

Typing never waits: each change starts a debounced worker (exclusive, in a thread) and a result
that arrives after a newer query started is dropped. Only one page of results is ever held.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from notes_tui.ui.background import in_thread, report
from notes_tui.ui.text import pain, plain
from notes_tui.ui.widgets.footer import NotesFooter
from notes_tui.ui.widgets.inputs import LineInput

DEBOUNCE = 0.15


@dataclass
class NoteChosen(Message):
    """Enter on a search result: the app opens the note."""

    note_id: int
PAGE = 50


def snippet_text(parts: list[tuple[str, bool]]) -> Text:
    out = Text()
    for chunk, hot in parts:
        out.append(plain(chunk), style="bold reverse" if hot else "")
    return out


class SearchScreen(Screen):
    """Search notes across all clients and all time."""

    CSS_PATH = "search.tcss"
    HELP = """Type words to search every note. "quoted phrase", -exclude, a OR b;
filters: client:ana muscle:utr side:left technique:nmt status:draft
since:2026-01-01 until:2026-03-31 pain>=6 after<=3.
Up/down choose a result, Enter opens it, Esc goes back."""
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="search.back"),
        Binding("down", "move(1)", "Next result", id="search.next", show=False),
        Binding("up", "move(-1)", "Previous result", id="search.previous", show=False),
        Binding("enter", "open", "Open note", id="search.open"),
    ]

    def __init__(self, query: str = "", *, client_id: int | None = None,
                 client_name: str = "") -> None:
        super().__init__()
        self._initial = query
        self._client_id = client_id
        self._client_name = client_name
        self._generation = 0
        self._timer: Timer | None = None
        self._hits: dict[str, object] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield LineInput(value=self._initial, id="query", max_length=2000,
                    placeholder='Search notes: words, "phrase", client:ana muscle:utr pain>=6')
        yield Static("", id="search-message", markup=False)
        with Horizontal(id="search-body"):
            yield OptionList(id="results")
            with Vertical(id="preview-pane"):
                yield Static("", id="preview", markup=False)
        yield NotesFooter()

    def on_mount(self) -> None:
        query = self.query_one("#query", Input)
        query.focus()
        if self._client_id is not None:
            query.placeholder = f"Search {plain(self._client_name)}'s notes"
        if self._initial or self._client_id is not None:
            self._schedule(self._initial)

    def on_resize(self, event) -> None:
        self.set_class(event.size.width < 100, "-narrow")

    @on(Input.Changed, "#query")
    def _changed(self, event: Input.Changed) -> None:
        self._schedule(event.value)

    def _schedule(self, value: str) -> None:
        self._generation += 1
        generation = self._generation
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE, lambda: self.run_search(value, generation))

    def run_search(self, value: str, generation: int) -> None:
        from notes_tui.domain.text import FieldError

        client_id = self._client_id

        def failed(exc: BaseException) -> None:
            if isinstance(exc, FieldError):
                self._show_message(generation, str(exc))
            else:
                report(self, exc)

        in_thread(self, lambda services: services.search.notes(
            value, limit=PAGE, typing=True, client_id=client_id),
            lambda page: self._show(generation, value, page), failed=failed, group="search",
            exclusive=True)

    def _show_message(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self.query_one("#search-message", Static).update(Text(message, style="bold"))

    def _show(self, generation: int, value: str, page) -> None:
        if generation != self._generation:
            return  # a newer query is on its way: drop this stale page
        results = self.query_one("#results", OptionList)
        results.clear_options()
        self._hits = {}
        tz = self.app.settings.tz
        for hit in page.hits:
            key = str(hit.note_id)
            self._hits[key] = hit
            line = Text()
            line.append(f"{hit.session_start.astimezone(tz):%Y-%m-%d} ", style="dim")
            line.append(plain(hit.client_name)[:30], style="bold")
            if hit.status == "draft":
                line.append(" draft", style="italic")
            line.append("\n  ")
            line.append_text(snippet_text(hit.snippet_parts()))
            results.add_option(Option(line, id=key))
        count = len(page.hits)
        more = "+" if page.has_more else ""
        noun = "note" if count == 1 and not more else "notes"
        message = (f"{count}{more} {noun}" + (" (newest first)" if page.ordered_by == "date"
                                             else "")) if value.strip() else "Recent notes"
        none = ("None in your own words; the catalog's wording matches: add include:catalog"
                if page.catalog_matches else "No notes match.")
        self.query_one("#search-message", Static).update(Text(message if count else none))
        if count:
            results.highlighted = 0
        else:
            self.query_one("#preview", Static).update("")

    @on(OptionList.OptionHighlighted, "#results")
    def _preview(self, event: OptionList.OptionHighlighted) -> None:
        hit = self._hits.get(event.option.id or "")
        if hit is None:
            return
        tz = self.app.settings.tz
        text = Text()
        text.append(plain(hit.client_name) + "\n", style="bold")
        text.append(f"{hit.session_start.astimezone(tz):%A %d %B %Y %H:%M} · {hit.status}\n",
                    style="dim")
        text.append(f"Pain {pain(hit.pain_before)} → {pain(hit.pain_after)}\n\n")
        text.append(plain(hit.complaint) + "\n\n")
        text.append_text(snippet_text(hit.snippet_parts()))
        if hit.trigger_points:
            text.append("\n\nTrigger points: ", style="bold")
            text.append(plain(", ".join(hit.trigger_points)))
        self.query_one("#preview", Static).update(text)

    @on(OptionList.OptionSelected, "#results")
    def _open(self, event: OptionList.OptionSelected) -> None:
        self.post_message(NoteChosen(int(event.option.id)))

    def on_key(self, event) -> None:
        """Typing while the results have focus goes back to the query."""
        query = self.query_one("#query", Input)
        if event.is_printable and event.character and self.focused is not query:
            query.focus()
            query.insert_text_at_cursor(event.character)
            event.stop()

    def action_move(self, step: int) -> None:
        """Up and down choose a result while the cursor stays in the query."""
        results = self.query_one("#results", OptionList)
        if results.option_count:
            current = results.highlighted if results.highlighted is not None else -1
            results.highlighted = max(0, min(results.option_count - 1, current + step))

    def action_open(self) -> None:
        results = self.query_one("#results", OptionList)
        if results.highlighted is not None and results.option_count:
            option = results.get_option_at_index(results.highlighted)
            self.post_message(NoteChosen(int(option.id)))

    @on(Input.Submitted, "#query")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_open()


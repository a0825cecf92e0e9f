"""What the editor shows beside and after the steps: the note as the client will read it (with
what is still "to confirm" marked, so the therapist sees it before finalizing), and a compact
panel with this client's previous session."""

from __future__ import annotations

from rich.text import Text

from notes_tui.ui.text import pain, plain


def client_text(sections) -> Text:
    """The handout's client sections (`export.sections.client_sections`) as text: the same
    headings and sentences in the same order as the PDF, with what is still a suggestion marked
    "(to confirm)". User text is inert (never markup)."""
    out = Text()
    for section in sections:
        out.append(f"{section.heading}\n", style="bold underline")
        for line in section.lines:
            _line(out, line, section.key)
        out.append("\n")
    return out


def session_line(start, minutes: int | None) -> Text:
    """When the session was, as the handout's first lines say it (its date, start time, length),
    in the note's own time zone."""
    from notes_tui.export.story import long_date

    out = Text()
    out.append("Session: ", style="bold")
    out.append(f"{long_date(start.date())} at {start:%H:%M}")
    if minutes:
        out.append(f" · {minutes} minutes")
    out.append("\n\n")
    return out


def record_rom(pres) -> Text:
    """The range-of-motion rows as the clinical record words them (before, after, the change
    and the norm), for the review: they are not on the handout, and the therapist checks the
    change before signing."""
    out = Text()
    if not pres.rom:
        return out
    out.append("\nRange of motion (the record, not the handout)\n", style="bold")
    for line in pres.rom:
        out.append(f"  {plain(line)}\n")
    return out


_DIM = {"intro": "italic", "small": "dim", "caption": "dim", "dose": "italic"}
_CHART = {"worked_on": "(the body chart, with these numbers)",
          "progress": "(a chart of your pain before and after each session)"}


def _line(out: Text, line, key: str) -> None:
    kind = line.kind
    if kind == "para":
        for part in plain(line.text).strip().split("\n"):
            out.append(part + "\n")
        return
    if kind == "point":
        number, muscle, side, refers, response = (plain(c) for c in line.cells)
        out.append(f"{number}. {muscle} · {side}")
        _mark(out, line)
        for label, value in (("May send pain to", refers), ("How it responded", response)):
            if value:
                out.append(f"\n   {label}: ", style="dim")
                out.append(value)
        out.append("\n")
        return
    if kind == "chart":
        out.append(_CHART.get(key, "(a chart)") + "\n", style="dim")
        return
    if kind == "labelled":
        out.append(f"{line.label}: ", style="bold")
        out.append(plain(line.text))
    elif kind == "bullet":
        out.append("• " + plain(line.text))
    elif kind in ("sub", "title"):
        out.append(plain(line.text), style="bold")
    else:
        out.append(plain(line.text), style=_DIM.get(kind, ""))
    _mark(out, line)
    out.append("\n")


def _mark(out: Text, line) -> None:
    if line.to_confirm:
        out.append("  (to confirm)", style="italic")


def previous_text(pres) -> Text:
    """Last session (its presentation), compact: date, pain, treated points, cues, advice."""
    out = Text()
    out.append("Last time\n", style="bold")
    if pres is None:
        out.append("No earlier finalized session.", style="dim")
        return out
    out.append(f"{pres.meta.local_start:%Y-%m-%d}\n", style="dim")
    out.append(f"Pain {pain(pres.pain_before)} → {pain(pres.pain_after)}\n")
    if pres.complaint:
        out.append(plain(pres.complaint).split("\n")[0][:80] + "\n", style="italic")
    if pres.since:
        out.append("Since the visit before\n", style="bold")
        for label, value in pres.since:
            out.append(plain(f"{label}: {value}")[:120] + "\n")
    if pres.work:
        out.append("Work\n", style="bold")
        for w in pres.work:
            out.append(f"• {plain(w.therapist)}\n")
    if pres.points:
        out.append("Points\n", style="bold")
        for tp in pres.points:
            resp = f" {tp.response.label.lower()}" if tp.response else ""
            label = f" {tp.label}" if tp.label else ""
            out.append(plain(f"• {tp.muscle} {tp.side.value[0].upper()}{label}"
                             f" {pain(tp.pressure)}{resp}") + "\n")
            if tp.note:
                out.append(f"  {plain(tp.note)}\n", style="dim")
    if pres.cues:
        out.append("Cues\n", style="bold")
        for cue in pres.cues:
            out.append(f"• {plain(cue.therapist)}\n")
    if pres.advice.strip():
        out.append("Advice\n", style="bold")
        out.append(plain(pres.advice)[:200] + "\n")
    if pres.home_care:
        out.append("Home care\n", style="bold")
        for h in pres.home_care:
            out.append(f"• {plain(h.therapist)}\n")
    if pres.next_visit_record:
        out.append("Plan\n", style="bold")
        out.append(f"Next visit {plain(pres.next_visit_record)}\n")
    return out


MARKS = {"met": "✓", "partly": "◐", "not yet": "○"}


def plan_goals_text(plan) -> Text:
    """The follow-up step's view of the plan of care: its cadence, then each goal and where it
    stands."""
    out = Text()
    if plan is None or not plan.goals:
        return out
    out.append("Plan of care" + (f" ({plan.cadence})" if plan.cadence else "") + ": ",
               style="bold")
    out.append("; ".join(f"{MARKS[g.status.value]} {g.said}: {g.status.value}"
                         for g in plan.goals))
    return out


def plan_moves_text(plan, previous_day) -> Text:
    """The review's line on the plan: which goals moved since the last visit."""
    from notes_tui.domain.plan import moved_since

    out = Text()
    if plan is None or not plan.goals:
        return out
    moved = moved_since(plan, previous_day)
    out.append("\nPlan of care (the record, not the handout)\n", style="bold")
    if moved:
        out.append("Goals moved since the last visit: " + "; ".join(
            f"{MARKS[g.status.value]} {plain(g.text)}: {g.status.value} "
            f"({g.changed_on:%Y-%m-%d})" for g in moved) + "\n")
    else:
        out.append("No goal moved since the last visit (p on the client's screen moves "
                   "them).\n", style="dim")
    return out

"""What the editor shows beside and after the steps: the note as the client will read it (with
what is still "to confirm" marked, so the therapist sees it before finalizing), and a compact
panel with this client's previous session."""

from __future__ import annotations

from datetime import date

from rich.text import Text

from notes_tui.ui.text import pain, plain


def client_text(content, catalog, session_day=None) -> Text:
    """The client-facing parts of the note, in the client's words (user text inert)."""
    c = content
    out = Text()

    def head(title: str) -> None:
        out.append(f"{title}\n", style="bold underline")

    def para(value: str) -> None:
        if value and value.strip():
            out.append(plain(value).strip() + "\n\n")

    def to_confirm(row) -> None:
        if not row.confirmed:
            out.append("  (to confirm)", style="italic")

    if c.client_summary.strip():
        head("What we found")
        para(c.client_summary)
    if c.trigger_points:
        head("What we worked on")
        for tp in c.trigger_points:
            m = catalog.muscle(tp.muscle_id)
            name = m.plain_name if m else tp.muscle
            side = "" if tp.side.value == "bilateral" else f" ({tp.side.value})"
            line = f"• {plain(name)}{side}"
            if tp.response:
                line += f": {tp.response.client_wording}"
            out.append(line)
            to_confirm(tp)
            out.append("\n")
            if m and m.referral_client:
                out.append(f"  {plain(m.referral_client)}\n", style="dim")
        out.append("\n")
    if c.cues:
        head("Movements we used")
        for cue in c.cues:
            entry = catalog.cues.get(cue.cue_id or "")
            out.append(f"• {plain(entry.client_wording if entry else cue.text)}"
                       + (f" ({plain(cue.response)})" if cue.response else ""))
            to_confirm(cue)
            out.append("\n")
        out.append("\n")
    if c.pain_before is not None or c.pain_after is not None:
        head("Your pain (0-10)")
        out.append(f"Before: {pain(c.pain_before)}   After: {pain(c.pain_after)}\n\n")
    if c.home_care:
        head("At home")
        for h in c.home_care:
            item = catalog.home_care.get(h.item_id or "")
            dose = h.dosage.text()
            out.append(f"• {plain(item.name if item else h.text)}"
                       + (f" ({plain(dose)})" if dose else ""))
            to_confirm(h)
            out.append("\n")
            if item:
                out.append(f"  {plain(item.client_wording)}\n", style="dim")
        out.append("\n")
    pending = set(c.to_confirm)
    for key, title, value in (("advice", "Advice", c.advice),
                              ("what_to_expect", "What to expect", c.what_to_expect),
                              ("when_to_contact", "When to get in touch", c.when_to_contact)):
        if value.strip():
            head(title + (" (to confirm)" if key in pending else ""))
            para(value)
    if c.next_visit_days or c.next_visit_date:
        head("Next visit" + (" (to confirm)" if "next_visit" in pending else ""))
        from notes_tui.domain.wording import next_visit_phrase

        phrase = next_visit_phrase(c.next_visit_date, c.next_visit_days,
                                   session_day or date.today())
        out.append(phrase[0].upper() + phrase[1:] + ".\n")  # the handout's own words
    if not out.plain.strip():
        out.append("Nothing for the client yet.", style="dim")
    return out


def previous_text(view, catalog) -> Text:
    """Last session, compact: date, pain, treated points, cues, advice."""
    out = Text()
    out.append("Last time\n", style="bold")
    if view is None:
        out.append("No earlier finalized session.", style="dim")
        return out
    c = view.content
    out.append(f"{view.local_start:%Y-%m-%d}\n", style="dim")
    out.append(f"Pain {pain(c.pain_before)} → {pain(c.pain_after)}\n")
    if c.complaint:
        out.append(plain(c.complaint).split("\n")[0][:80] + "\n", style="italic")
    if c.trigger_points:
        out.append("Points\n", style="bold")
        for tp in c.trigger_points:
            m = catalog.muscle(tp.muscle_id)
            resp = f" {tp.response.label.lower()}" if tp.response else ""
            out.append(f"• {plain(m.name if m else tp.muscle)} {tp.side.value[0].upper()}"
                       f" {pain(tp.pressure)}{resp}\n")
    if c.cues:
        out.append("Cues\n", style="bold")
        for cue in c.cues:
            entry = catalog.cues.get(cue.cue_id or "")
            out.append(f"• {plain(entry.name if entry else cue.text)}\n")
    if c.advice.strip():
        out.append("Advice\n", style="bold")
        out.append(plain(c.advice)[:200] + "\n")
    if c.home_care:
        out.append("Home care\n", style="bold")
        for h in c.home_care:
            item = catalog.home_care.get(h.item_id or "")
            out.append(f"• {plain(item.name if item else h.text)}\n")
    return out

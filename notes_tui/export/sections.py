"""The client's sections of a handout as plain words: headings, sentences and items, in order.

One function, `client_sections(HandoutData)`, decides what a client reads: which sections there
are, their headings, every sentence and the order. The PDF (`story.build_story`) lays these out
with ReportLab; the editor's review step prints the same lines as text, marking the ones still
"to confirm". So the review is the handout, word for word. No ReportLab here.
"""

from __future__ import annotations

from dataclasses import dataclass

from notes_tui.export.model import HandoutData, Practice, TreatedPoint, WorkDone
from notes_tui.export.text import one_line

SIDES = {"left": "Left", "right": "Right", "bilateral": "Both sides"}

# Every heading a section may have, in the order they print.
SECTION_HEADINGS = ("What we found", "What we worked on", "Movements from your session",
                    "At home", "Your plan", "Your progress")
POINT_COLUMNS = ("#", "Muscle", "Side", "May send pain to", "How it responded")
PAIN_SCALE = "0 means no pain; 10 is the worst pain you can imagine."
POINTS_HEADING = "Tight spots we treated"
CHART_NOTE = "The numbers match the markers on the body chart."
CHART_CAPTION = "L is your left side and R is your right side."
CUES_INTRO = "We did these together on the table."
HOME_INTRO = "Go gently: a stretch should feel like a stretch, not pain."
PROGRESS_CAPTION = "Your pain score (0 = no pain, 10 = the worst) before and after each session."


@dataclass(frozen=True)
class Line:
    """One thing the client reads. `kind` says how it is laid out:

    "para" free text (one paragraph per line of it), "sub" a sub-heading, "bullet", "labelled"
    ("label: text"), "intro" and "small" our own sentences, "title" and "dose" of a practice,
    "point" a treated point (its `cells` are the table row), "chart" the body chart or the
    progress chart (no words), "caption".
    """

    kind: str
    text: str = ""
    label: str = ""
    cells: tuple[str, ...] = ()
    to_confirm: bool = False  # a suggestion the therapist has not confirmed (review only)


@dataclass(frozen=True)
class Section:
    key: str  # "found", "worked_on", "cues", "home", "plan", "progress"
    heading: str
    lines: tuple[Line, ...]
    points: tuple[TreatedPoint, ...] = ()  # "worked_on": what the body chart draws


def pain_line(before: int | None, after: int | None) -> str:
    """The pain scores as in "Pain before: 6/10 → after: 3/10"; one side when one is missing."""
    if before is not None and after is not None:
        return f"Pain before: {before}/10 \u2192 after: {after}/10"
    if before is not None:
        return f"Pain before: {before}/10"
    if after is not None:
        return f"Pain after: {after}/10"
    return ""


def _has_text(value: str) -> bool:
    return bool(one_line(value))


def _found(data: HandoutData) -> Section | None:
    lines: list[Line] = []
    if _has_text(data.client_summary):
        lines.append(Line("para", data.client_summary))
    posture = [Line("bullet", one_line(p)) for p in data.posture_findings if one_line(p)]
    if posture:
        lines += [Line("sub", "Your posture"), *posture]
    pain = pain_line(data.pain_before, data.pain_after)
    if pain:
        lines += [Line("sub", pain), Line("small", PAIN_SCALE)]
    return Section("found", "What we found", tuple(lines)) if lines else None


def _worked_on(points: tuple[TreatedPoint, ...], work: tuple[WorkDone, ...] = ()
               ) -> Section | None:
    regions = [Line("bullet", one_line(w.text), to_confirm=w.to_confirm) for w in work
               if one_line(w.text)]
    if not points:
        return Section("worked_on", "What we worked on", tuple(regions)) if regions else None
    if regions:
        regions.append(Line("sub", POINTS_HEADING))
    charted = any(p.charts for p in points)
    rows = [Line("point", cells=(str(p.number), one_line(p.muscle_plain),
                                 SIDES.get(p.side, one_line(p.side)), one_line(p.refers_to),
                                 one_line(p.response)), to_confirm=p.to_confirm)
            for p in points]
    lines = [*regions, *([Line("small", CHART_NOTE)] if charted else []), *rows]
    if charted:
        lines += [Line("chart"), Line("caption", CHART_CAPTION)]
    return Section("worked_on", "What we worked on", tuple(lines), points)


def _practice(item: Practice) -> list[Line]:
    out = []
    if one_line(item.title):
        out.append(Line("title", one_line(item.title), to_confirm=item.to_confirm))
    if one_line(item.dosage.text()):
        out.append(Line("dose", one_line(item.dosage.text())))
    if _has_text(item.instructions):
        out.append(Line("para", item.instructions))
    if one_line(item.response):
        out.append(Line("labelled", one_line(item.response), label="How it went"))
    return out


def _movements(data: HandoutData) -> list[Section]:
    # Two sections, each only when it has something: what we did together on the table (some
    # of it needs the therapist's hand, so it is not offered as homework), and what to do at
    # home.
    out = []
    cues = [line for item in data.movement_cues for line in _practice(item)]
    if cues:
        out.append(Section("cues", "Movements from your session",
                           (Line("intro", CUES_INTRO), *cues)))
    care = [line for item in data.home_care for line in _practice(item)]
    if care:
        out.append(Section("home", "At home", (Line("intro", HOME_INTRO), *care)))
    return out


def _plan(data: HandoutData) -> Section:
    pending = set(data.to_confirm)
    lines: list[Line] = []
    if one_line(data.next_visit):
        lines.append(Line("labelled", one_line(data.next_visit), label="Next visit",
                          to_confirm="next_visit" in pending))
    for key, title, value in (("advice", "Advice", data.advice),
                              ("what_to_expect", "What to expect", data.what_to_expect)):
        if _has_text(value):
            lines += [Line("sub", title, to_confirm=key in pending), Line("para", value)]
    if _has_text(data.when_to_contact):
        lines += [Line("sub", "When to get in touch", to_confirm="when_to_contact" in pending),
                  Line("para", data.when_to_contact)]
    else:
        how = " or ".join(x for x in (one_line(data.clinic.phone), one_line(data.clinic.email))
                          if x)
        default = "If anything worries you after this session, get in touch with us"
        lines += [Line("sub", "When to get in touch"),
                  Line("para", default + (f" ({how})." if how else "."))]
    if _has_text(data.referral):
        lines += [Line("sub", "Other care we suggest"), Line("para", data.referral)]
    return Section("plan", "Your plan", tuple(lines))


def _progress(data: HandoutData) -> Section | None:
    from notes_tui.export.progress_chart import has_chart

    chart = has_chart(data.progress)
    if not chart and not data.measures and not data.goals:
        return None
    lines = [Line("sub", "Your goals")] if data.goals else []
    lines += [Line("bullet", g) for g in data.goals]
    if data.goals and data.measures:
        lines.append(Line("sub", "How you answered"))
    lines += [Line("bullet", m) for m in data.measures]
    if chart:
        lines += [Line("small", PROGRESS_CAPTION), Line("chart")]
    return Section("progress", "Your progress", tuple(lines))


def client_sections(data: HandoutData) -> tuple[Section, ...]:
    """Every section the client reads, in order; one with nothing to say is left out ("Your
    plan" always stays: it says when to get in touch)."""
    found = _found(data)
    worked = _worked_on(data.treated_points, data.work)
    out = [s for s in (found, worked) if s is not None]
    out += _movements(data)
    out.append(_plan(data))
    progress = _progress(data)
    return tuple(out + ([progress] if progress else []))

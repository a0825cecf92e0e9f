"""A follow-up as a therapist charts it: how the client did since the last visit (one key each,
"s2" for sore two days), the session's work by region (not only trigger points), positioning and
areas avoided. Each is in the review, the note view, the clinical record (everything) and the
handout (the work in plain words, with no trigger points at all); a work row in a region the
contraindications name is a caution; "same as last time" brings last time's work to confirm and
never the answers about last time."""

from __future__ import annotations

from notes_tui.ui.app import make_app
from tests.conftest import full_note
from tests.ui.helpers import note_content, open_editor, pdf_text, settle, until


def _follow_up(ctx, contraindications: str = "") -> tuple[int, int]:
    """A client with one finalized session and a blank follow-up draft."""
    from notes_tui.services import clients, notes

    with ctx.write() as s:
        cid = clients.create_client({"name": "Jane Doe", "consent_on_file": "2025-01-05",
                                     "contraindications": contraindications},
                                    session=s, actor="A").id
        first = notes.start_draft(cid, session=s, settings=ctx.settings,
                                  content=full_note()).id
    with ctx.write() as s:
        notes.finalize(first, session=s, actor="A")
    with ctx.write() as s:
        nid = notes.start_draft(cid, session=s, settings=ctx.settings,
                                content=full_note(trigger_points=[], cues=[], posture=[])).id
    return cid, nid


async def test_since_last_visit_and_work_by_region_reach_every_view(ctx, settings, tmp_path):
    from notes_tui.services.api import Services
    from notes_tui.services.presentation import present_view
    from notes_tui.ui.screens.note_view import note_text

    cid, nid = _follow_up(ctx, contraindications="varicose veins: no deep work on the legs")
    app = make_app(ctx.url, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_editor(pilot, nid, cid)
        # a follow-up opens on "since the last visit"
        assert editor.query_one("#since").display
        assert app.focused is editor.query_one("#f-since_response")
        await pilot.press("s", "2", "tab", "p", "tab", *"started Naprosyn 500 mg")
        await until(pilot, lambda: note_content(ctx, nid).content.since_health
                    == "started Naprosyn 500 mg", what="since saved")
        assert "sore for 2 days" in str(editor.query_one("#m-since_response").render())
        await pilot.press("f3")  # the treatment step: trigger points, then the work
        await settle(pilot)
        editor.query_one("#t-work").focus()
        await pilot.press("a", *"low back", "enter")
        await until(pilot, lambda: len(editor.rows.rows["work"]) == 1, what="a region")
        await pilot.press("m", "m", "3", "b")  # NMT -> Swedish -> deep tissue; firm; both sides
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press(*"20", "ctrl+s")  # the row's form opens on its minutes
        await settle(pilot)
        await pilot.press("a", *"calf", "enter")  # found by a synonym; the same work as above
        await until(pilot, lambda: len(editor.rows.rows["work"]) == 2, what="a second region")
        await settle(pilot)
        # the legs are contraindicated: the row asks to be confirmed (checked with the client)
        assert not editor.rows.rows["work"][1].confirmed
        await pilot.press("y")
        await until(pilot, lambda: editor.rows.rows["work"][1].confirmed, what="confirmed")
        editor.query_one("#f-positioning").focus()
        await pilot.press(*"prone, then supine", "tab", *"left popliteal fossa")
        await until(pilot, lambda: note_content(ctx, nid).content.areas_avoided
                    == "left popliteal fossa", what="saved")
        await pilot.press("f6")
        await until(pilot, lambda: editor.checklist_items, what="the checklist")
        review = " ".join(str(editor.query_one("#review-text").content).split())
        assert "Deep massage on your lower back (both sides), about 20 minutes" in review
        assert any("Work 2, deep tissue on the lower leg (firm pressure): the contraindications"
                   in i.message for i in editor.checklist_items)  # a caution, not a refusal
        await pilot.press("f")
        await settle(pilot)
        await pilot.press("y")
        await until(pilot, lambda: note_content(ctx, nid).is_final, what="finalized")

    c = note_content(ctx, nid).content
    assert (c.since_response.value, c.since_sore_days, c.since_home_care.value) == \
        ("sore", 2, "partly")
    assert [(w.region_id, w.modality.value, w.minutes, w.pressure.value, w.side.value)
            for w in c.work] == [("low_back", "deep_tissue", 20, "firm", "bilateral"),
                                 ("leg", "deep_tissue", None, "firm", "bilateral")]
    services = Services(ctx)
    shown = note_text(present_view(services.notes.get(nid), ctx.catalog)).plain
    assert "Response to the last treatment: sore for 2 days" in shown
    assert "Home care done: partly" in shown and "started Naprosyn 500 mg" in shown
    assert "Work 1: Low back (bilateral): Deep tissue, 20 min, firm pressure" in shown
    assert "Positioning: prone, then supine" in shown
    assert "Areas avoided: left popliteal fossa" in shown
    record = pdf_text(services.records.export(cid, out=tmp_path / "exports"))
    assert "Since the last visit" in record and "sore for 2 days" in record
    assert "Low back (bilateral): Deep tissue, 20 min, firm pressure" in record
    assert "Areas avoided left popliteal fossa" in record
    handout = pdf_text(services.handouts.export(nid, out=tmp_path / "exports").path)
    assert "What we worked on" in handout  # with no trigger point at all
    assert "Deep massage on your lower back (both sides), about 20 minutes" in handout
    assert "Deep massage on your lower leg (both sides)" in handout
    assert "Naprosyn" not in handout and "popliteal" not in handout  # therapist-only

    # the next visit: "same as last time" suggests the work, never last time's answers
    from notes_tui.services import notes

    with ctx.read() as s:
        again = notes.same_as_last_time(cid, session=s)
    assert [w.region_id for w in again.work] == ["low_back", "leg"]
    assert not any(w.confirmed for w in again.work)
    assert again.since_response is None and again.since_health == ""


async def test_a_first_visit_does_not_ask_about_the_last_one(ctx, settings):
    from tests.ui.helpers import client_with_draft

    cid, nid = client_with_draft(ctx)
    app = make_app(ctx.url, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_editor(pilot, nid, cid)
        assert not app.screen.query_one("#since").display
        assert app.focused is app.screen.query_one("#f-complaint")


def test_search_finds_the_work_and_the_health_changes(ctx):
    from notes_tui.services import clients, notes
    from notes_tui.services.search import search

    with ctx.write() as s:
        cid = clients.create_client({"name": "Ana Ruiz"}, session=s, actor="A").id
        notes.start_draft(cid, session=s, settings=ctx.settings, content=full_note(
            since_response="worse", since_health="new prescription of Naprosyn",
            work=[{"region_id": "low_back", "region": "thoracolumbar fascia",
                   "modality": "myofascial_release", "minutes": 10}],
            positioning="side-lying"))
    with ctx.read() as s:
        for words in ("naprosyn", "thoracolumbar", "myofascial", "side-lying"):
            assert search(words, session=s, catalog=ctx.catalog, tz=ctx.settings.tz).hits, words


async def test_the_client_screen_trends_how_each_treatment_felt(ctx, settings):
    from notes_tui.services import clients, notes
    from notes_tui.ui.screens.client import ClientScreen

    with ctx.write() as s:
        cid = clients.create_client({"name": "Jane Doe", "consent_on_file": "2025-01-05"},
                                    session=s, actor="A").id
    for since in ({}, {"since_response": "sore", "since_sore_days": 2},
                  {"since_response": "better_after"}, {"since_response": "better_at_once"}):
        with ctx.write() as s:
            nid = notes.start_draft(cid, session=s, settings=ctx.settings,
                                    content=full_note(**since)).id
        with ctx.write() as s:
            notes.finalize(nid, session=s, actor="A")
    app = make_app(ctx.url, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.push_screen(ClientScreen(cid))
        await until(pilot, lambda: isinstance(app.screen, ClientScreen)
                    and app.screen.query("#trend")
                    and "Since the visit before" in str(app.screen.query_one("#trend").content),
                    what="the trend")
        trend = str(app.screen.query_one("#trend").content)
    import re

    after = trend.split("Since the visit before (told on)\n", 1)[1].splitlines()
    lines = []
    for line in after:  # "03-08 sore 2 days", until the next block's heading
        if not re.match(r"\d\d-\d\d ", line):
            break
        lines.append(line)
    assert [line.split(" ", 1)[1] for line in lines] == [
        "sore 2 days", "better after a day or two", "better at once"]  # oldest first


def test_the_response_field_takes_only_what_the_record_can_hold():
    import re

    from notes_tui.domain.note import NoteContent
    from notes_tui.ui.screens.editor.layout import SINCE_RESPONSE_KEYS, SINCE_RESPONSE_RESTRICT

    typed = [t for t in ("a", "s", "s1", "s60", "S12", "w", "s0", "s61", "s99", "x", "as")
             if re.fullmatch(SINCE_RESPONSE_RESTRICT, t)]
    assert typed == ["a", "s", "s1", "s60", "S12", "w"]
    for t in typed:  # each one the domain takes
        days = int(t[1:]) if t[1:] else None
        NoteContent(since_response=SINCE_RESPONSE_KEYS[t[0].lower()], since_sore_days=days)


def test_a_caution_for_work_in_the_therapists_own_words(ctx):
    from notes_tui.domain.enums import Modality
    from notes_tui.domain.note import NoteContent
    from notes_tui.domain.safety import cautions

    content = NoteContent(work=[{"region": "both calves", "modality": "deep_tissue"},
                                {"region_id": "leg", "modality": "swedish"}])
    found = cautions(content, "DVT 2024: no deep work on the calves", ctx.catalog)
    assert [c.row for c in found] == [("work", 1, "leg"), ("work", 2, "leg")]
    again = cautions(content.model_copy(update={"work": [
        content.work[0].model_copy(update={"modality": Modality.NMT}), content.work[1]]}),
        "DVT 2024: no deep work on the calves", ctx.catalog)
    assert [c.row for c in again] == [c.row for c in found]  # m on the row: not news again


def test_last_times_work_is_marked_to_confirm_in_the_review(ctx):
    from datetime import UTC, datetime

    from notes_tui.domain.note import NoteContent
    from notes_tui.export.model import Clinic
    from notes_tui.services.handouts import client_sections_of
    from notes_tui.services.presentation import NoteMeta
    from notes_tui.ui.screens.editor.review import client_text

    content = NoteContent(work=[{"region_id": "low_back", "modality": "swedish",
                                 "confirmed": False},
                                {"region_id": "neck", "modality": "swedish"}])
    meta = NoteMeta(1, 1, "Jane Doe", datetime(2026, 3, 2, 14, tzinfo=UTC), "draft")
    shown = client_text(client_sections_of(content, meta, ctx.catalog, clinic=Clinic())).plain
    assert "Relaxing massage on your lower back  (to confirm)" in shown
    assert "Relaxing massage on your neck\n" in shown


def test_a_region_in_the_therapists_words_reads_as_one_phrase(ctx):
    from datetime import UTC, datetime

    from notes_tui.domain.note import NoteContent
    from notes_tui.services.presentation import NoteMeta, present

    content = NoteContent(work=[
        {"region_id": "low_back", "region": "lumbar paraspinals", "modality": "deep_tissue",
         "minutes": 20, "side": "bilateral"},
        {"region": "calf", "modality": "swedish", "side": "left"}])
    meta = NoteMeta(1, 1, "Jane Doe", datetime(2026, 3, 2, 14, tzinfo=UTC), "draft")
    said = [w.client for w in present(content, meta, ctx.catalog).work]
    assert said == ["Deep massage on your lower back (lumbar paraspinals, both sides), about 20 "
                    "minutes", "Relaxing massage: calf (left side)"]

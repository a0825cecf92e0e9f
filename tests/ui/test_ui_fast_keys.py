"""Every key lands where it was meant, typed at full speed into a slow database.

Each flow hands the app its whole key sequence at once (no pause between keys) while every
database call is slowed (tests/ui/typing.py: 200 ms before each write, 150 ms before each read),
and is run ROUNDS times; afterwards the database holds exactly what was typed."""

from __future__ import annotations

from sqlmodel import select

from notes_tui.db.models import Client
from notes_tui.services import clients, notes
from notes_tui.ui.app import make_app
from tests.conftest import full_note
from tests.ui.helpers import settle
from tests.ui.typing import burst, slow_factory, typed_out, words

ROUNDS = 20


async def test_the_client_form_typed_straight_after_ctrl_n(ctx, settings):
    app = make_app(ctx.url, settings, context_factory=slow_factory(ctx))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for i in range(ROUNDS):
            burst(app, words("<ctrl+n>", f"Test Person {i}", "<tab>", "Tess", "<tab>",
                             "1990-01-01", "<tab>", f"555-01{i:02}", "<ctrl+s>"))
            await typed_out(pilot)
    with ctx.read() as s:
        rows = s.exec(select(Client).order_by(Client.id)).all()
    got = [(c.name, c.preferred_name, str(c.date_of_birth), c.phone) for c in rows]
    assert got == [(f"Test Person {i}", "Tess", "1990-01-01", f"555-01{i:02}")
                   for i in range(ROUNDS)]


NAMES = ["Ana Alder", "Ben Birch", "Cy Cedar", "Di Dogwood", "Ed Elm", "Flo Fir", "Gus Gum",
         "Hal Hazel", "Ivy Ilex", "Jo Juniper", "Kit Kauri", "Lu Larch", "Mo Maple", "Ned Nutmeg",
         "Oz Oak", "Pia Pine", "Quin Quince", "Ray Rowan", "Sid Spruce", "Tam Teak"]


def _clients(ctx, settings, *, with_final_note: bool) -> dict[str, int]:
    ids = {}
    for name in NAMES[:ROUNDS]:
        with ctx.write() as s:
            cid = clients.create_client({"name": name, "consent_on_file": "2025-01-05"},
                                        session=s, actor="A").id
            first = notes.start_draft(cid, session=s, settings=settings,
                                      content=full_note()).id if with_final_note else None
        if first is not None:
            with ctx.write() as s:
                notes.finalize(first, session=s, actor="A")
        ids[name] = cid
    return ids


async def _each_client(ctx, settings, script) -> None:
    """One app on a slowed database; for each client in turn, `script(i, name)` typed in one
    burst from the clients list, then wait until all of it has been handled."""
    app = make_app(ctx.url, settings, context_factory=slow_factory(ctx))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for i, name in enumerate(NAMES[:ROUNDS]):
            burst(app, script(i, name))
            await typed_out(pilot)


def _newest(ctx, client_id: int):
    with ctx.read() as s:
        newest = notes.list_notes(session=s, client_id=client_id)[0]
        return notes.get_note(newest.id, session=s)


async def test_the_readme_follow_up_typed_at_full_speed(ctx, settings):
    """The README's follow-up (same as last time, since the last visit, pain before and after,
    one trigger point through the picker, finalize), typed with the client's name, the health
    changes and a complaint."""
    ids = _clients(ctx, settings, with_final_note=True)
    await _each_client(ctx, settings, lambda i, name: words(
        "<ctrl+a>", "<ctrl+k>", name, "<enter>", "s", "d", "<tab>", "p", "<tab>", "none",
        "<tab>", f"Tight again {i}", "<tab>", "5", "<f3>",
        "Y", "a", "utr", "<enter>", "l", "6", "<f4>", "Y", "<f5>", "2", "<alt+y>", "<f6>", "f",
        "y", "<escape>", "<escape>"))
    for i, name in enumerate(NAMES[:ROUNDS]):
        view = _newest(ctx, ids[name])
        c = view.content
        assert view.is_final, name
        assert (c.complaint, c.pain_before, c.pain_after) == (f"Tight again {i}", 5, 2), name
        assert (c.since_response.value, c.since_home_care.value, c.since_health) == (
            "better_after", "partly", "none"), name
        added = c.trigger_points[-1]
        assert (added.muscle_id, added.side.value, added.pressure) == ("upper_trapezius",
                                                                      "left", 6), name
        assert len(c.trigger_points) == len(full_note()["trigger_points"]) + 1, name


async def test_a_first_visit_with_three_points_typed_at_full_speed(ctx, settings):
    """A first visit: complaint, pain, minutes, three trigger points through the muscle picker
    (each with its side and pressure), pain after, next visit, advice, finalize."""
    ids = _clients(ctx, settings, with_final_note=False)
    await _each_client(ctx, settings, lambda i, name: words(
        "<ctrl+a>", "<ctrl+k>", name, "<enter>", "n", f"Low back sore {i}", "<tab>", "6",
        "<tab>", "60", "<f3>",
        "a", "utr", "<enter>", "l", "6",
        "a", "lev", "<enter>", "r", "5",
        "a", "scm", "<enter>", "b", "4",
        "<f5>", "3", "<tab>", "2w", "<tab>", "<tab>", "<tab>", "Walk daily.", "<f6>", "f", "y",
        "<escape>", "<escape>"))
    for i, name in enumerate(NAMES[:ROUNDS]):
        view = _newest(ctx, ids[name])
        c = view.content
        assert view.is_final, name
        assert (c.complaint, c.pain_before, c.duration_minutes, c.pain_after) == (
            f"Low back sore {i}", 6, 60, 3), name
        got = [(tp.muscle_id, tp.side.value, tp.pressure) for tp in c.trigger_points]
        assert got == [("upper_trapezius", "left", 6), ("levator_scapulae", "right", 5),
                       ("sternocleidomastoid_sternal", "bilateral", 4)], name
        assert c.advice == "Walk daily." and c.next_visit_days == 14, name


async def test_text_then_ctrl_q_at_full_speed_saves_the_text(sctx, settings):
    """Quit waits its turn behind the keys typed before it (it jumps only a screen that is
    still opening): the last words typed before ctrl+q are in the draft."""
    from tests.ui.helpers import client_with_draft, note_content

    cid, nid = client_with_draft(sctx)
    app = make_app(sctx.url, settings, context_factory=slow_factory(sctx))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.open_note(nid, cid)
        await typed_out(pilot)
        burst(app, words("Sore lower back after lifting a box", "<ctrl+q>"))
        for _ in range(200):
            if app._exit:
                break
            await pilot.pause(0.05)
    assert note_content(sctx, nid).content.complaint == "Sore lower back after lifting a box"

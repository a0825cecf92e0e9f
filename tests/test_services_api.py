"""The services façade (services/api.py) the app calls: each verb opens its own transaction and
hands back plain values that stay readable after it (never a database row), on SQLite and
PostgreSQL; the app and the services share one settings object."""

from __future__ import annotations

import dataclasses

import pytest
from sqlmodel import SQLModel

from notes_tui.services.api import ClientDetail, Services
from notes_tui.services.errors import FieldError, FinalizeRefused, NotFound, ServiceError
from tests.conftest import full_note


@pytest.fixture
def services(ctx):
    return Services(ctx)


def _plain(value) -> bool:
    """A frozen dataclass (not a table row), all the way into its tuple fields."""
    if isinstance(value, SQLModel):
        return False
    if dataclasses.is_dataclass(value):
        return type(value).__dataclass_params__.frozen and all(
            _plain(getattr(value, f.name)) for f in dataclasses.fields(value))
    if isinstance(value, (list, tuple)):
        return all(_plain(v) for v in value)
    return True


def test_a_clients_life_through_the_facade(services):
    made = services.clients.create({"name": "Jane Doe", "consent_on_file": "2026-01-05",
                                    "contraindications": "Blood thinners"})
    assert isinstance(made, ClientDetail) and _plain(made)
    assert services.clients.get(made.id) == made
    changed = services.clients.update(made.id, {"preferred_name": "JD"})
    assert (changed.name, changed.display_name) == ("Jane Doe", "JD")
    assert [c.name for c in services.clients.list(query="jane")] == ["Jane Doe"]
    assert services.clients.archive(made.id).archived
    assert services.clients.list() == []
    assert [c.id for c in services.clients.list(include_archived=True)] == [made.id]
    assert not services.clients.restore(made.id).archived
    with pytest.raises(NotFound):
        services.clients.get(made.id + 1000)
    with pytest.raises(FieldError):
        services.clients.create({"name": ""})
    assert [c.name for c in services.clients.list()] == ["Jane Doe"]  # nothing half-written


def test_a_note_from_first_visit_to_amendment(services):
    cid = services.clients.create({"name": "Jane Doe", "consent_on_file": "2026-01-05"}).id
    first = services.notes.start(cid)
    assert isinstance(first, int)
    assert services.notes.save(first, full_note()) is True
    assert services.notes.save(first, full_note()) is False  # nothing changed: nothing written
    warnings = services.notes.finalize(first)
    assert all(not w.blocking for w in warnings)
    amendment = services.notes.amend(first, reason="Side", text="The TrP was on the right.")
    assert _plain(amendment) and amendment.reason == "Side" and amendment.content is None
    points = full_note()["trigger_points"]
    corrected = services.notes.amend(first, reason="Side was wrong", content=full_note(
        trigger_points=[{**points[0], "side": "right"}, *points[1:]]))
    assert corrected.content.trigger_points[0].side.value == "right" and corrected.changes

    follow_up = services.notes.start(cid, same_as_last=True)
    opened = services.notes.open_draft(follow_up)
    assert _plain(opened)
    assert opened.client.name == "Jane Doe" and opened.previous.id == first
    copied = opened.note.content
    assert [(tp.muscle_id, tp.side.value) for tp in copied.trigger_points] == \
        [("upper_trapezius", "right"), ("levator_scapulae", "right")]  # the corrected side
    assert not any(tp.confirmed for tp in copied.trigger_points)  # suggestions to confirm
    assert copied.complaint == "" and copied.pain_before is None  # today's, not last time's

    history = services.clients.history(cid)
    assert _plain(history)
    assert [n.id for n in history.notes] == [follow_up, first]
    assert history.last_final.id == first and history.last_final.amendments[0].reason == "Side"
    assert [n.id for n in services.notes.list(status="draft")] == [follow_up]
    services.notes.discard(follow_up)
    assert [n.id for n in services.notes.list(client_id=cid)] == [first]
    with pytest.raises(NotFound):
        services.notes.get(follow_up)


def test_refusals_are_service_errors_and_leave_the_note_as_it_was(services):
    cid = services.clients.create({"name": "Jane Doe"}).id  # no consent on file: a warning
    nid = services.notes.start(cid)
    services.notes.save(nid, full_note(pain_before=None))
    with pytest.raises(FinalizeRefused) as refused:
        services.notes.finalize(nid)
    assert isinstance(refused.value, ServiceError) and "Pain before" in str(refused.value)
    assert not services.notes.get(nid).is_final
    services.notes.save(nid, full_note())
    assert [w.key for w in services.notes.finalize(nid)] == ["consent_plan", "consent"]
    with pytest.raises(FieldError):
        services.notes.amend(nid, reason="", text="no reason given")
    draft = services.notes.start(cid)
    services.notes.save(draft, full_note())
    with pytest.raises(FieldError):
        services.notes.amend(draft, reason="x", text="a draft takes no amendments")
    with pytest.raises(FieldError):
        services.notes.save(draft, full_note(pain_before=11))
    assert services.notes.get(draft).content.pain_before == 6  # the bad save wrote nothing


def test_search_templates_and_exports(services):
    cid = services.clients.create({"name": "Jane Doe", "consent_on_file": "2026-01-05"}).id
    nid = services.notes.start(cid)
    services.notes.save(nid, full_note(complaint="Whiplash after a fall"))
    assert [h.note_id for h in services.search.notes("whiplash").hits] == [nid]
    with pytest.raises(ServiceError, match="draft"):
        services.handouts.export(nid)
    preview = services.handouts.export(nid, preview=True)
    assert preview.path.name.endswith("-DRAFT.pdf") and preview.path.read_bytes()[:5] == b"%PDF-"
    services.notes.finalize(nid)
    handout = services.handouts.export(nid)
    assert handout.pages >= 1 and handout.path.is_file()
    record = services.records.export(cid)
    assert record.read_bytes()[:5] == b"%PDF-"

    assert "tension_headache" in services.templates.list().templates
    saved = services.templates.save_from_note(nid, "My headache plan")
    assert saved.is_file()
    other = services.clients.create({"name": "Ben Ode"}).id
    started = services.templates.start(other, "my_headache_plan", side="left")
    assert services.notes.get(started).template_id == "my_headache_plan"


def test_identity_changes_the_one_settings_object_and_signs_the_draft(services):
    from dataclasses import replace

    from notes_tui.paths import settings_file
    from notes_tui.settings import load_settings

    services._ctx.settings = replace(services.settings, therapist_name="",
                                     registration_number="")
    cid = services.clients.create({"name": "Jane Doe"}).id
    nid = services.notes.start(cid)
    assert services.notes.get(nid).therapist_name == ""
    got = services.identity.set("Bo Ek", "RMT-9", sign_note_id=nid)
    assert got is services.settings and got.therapist_name == "Bo Ek"
    assert got.timezone == "America/Toronto"  # the rest of the settings unchanged
    assert load_settings(settings_file()).registration_number == "RMT-9"
    view = services.notes.get(nid)
    assert (view.therapist_name, view.therapist_registration) == ("Bo Ek", "RMT-9")
    later = services.notes.start(cid)
    assert services.notes.get(later).therapist_name == "Bo Ek"  # new notes take it too
    with pytest.raises(FieldError):
        services.identity.set("", "")
    assert services.settings.therapist_name == "Bo Ek"


async def test_the_app_shows_the_settings_the_services_act_with(sctx, settings):
    from notes_tui.ui.app import make_app

    app = make_app(sctx.url, settings, context_factory=lambda: sctx)
    assert app.settings is settings  # before the services are open
    async with app.run_test(size=(100, 30)) as pilot:
        services = app.open_services()
        await pilot.pause()
        assert app.settings is services.settings is sctx.settings
        services.identity.set("Bo Ek", "")
        assert app.settings.therapist_name == "Bo Ek"  # no copy to bring in step

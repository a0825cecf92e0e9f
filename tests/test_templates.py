"""Note templates: every shipped one loads and applies, suggestions stay "to confirm" until the
therapist confirms them, the user's own templates override the shipped ones, and a broken file is
named (file and field) while the others still load."""

import os
import tomllib

import pytest

from notes_tui.domain.enums import Side
from notes_tui.paths import templates_dir, user_templates_dir
from notes_tui.services import notes
from notes_tui.services.errors import FieldError, FinalizeRefused
from notes_tui.services.templates import (
    list_templates,
    prompts_for_note,
    save_note_as_template,
    start_from_template,
)
from tests.conftest import full_note

SHIPPED = sorted(p.stem for p in (templates_dir() / "notes").glob("*.toml"))
PRESENTATIONS = {
    "tension_headache": {"upper_trapezius", "sternocleidomastoid_sternal", "suboccipitals",
                         "temporalis"},
    "desk_neck_shoulders": {"upper_trapezius", "levator_scapulae", "pectoralis_minor"},
    "low_back_pain": {"quadratus_lumborum", "gluteus_medius", "iliopsoas"},
    "buttock_leg_pain": {"piriformis", "gluteus_minimus"},
    "jaw_tmj": {"masseter", "temporalis"},
    "runners_legs": {"gastrocnemius", "soleus", "tensor_fasciae_latae"},
    "frozen_shoulder": {"subscapularis", "infraspinatus"},
    "heel_pain": {"soleus", "abductor_hallucis"},
}


def _user_template(name: str, text: str):
    folder = user_templates_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.toml").write_text(text, encoding="utf-8")
    return folder / f"{name}.toml"


def test_eight_presentations_are_shipped_with_their_muscles(ctx):
    loaded = list_templates(ctx)
    assert loaded.problems == ()
    assert len(loaded.templates) >= 8
    for template_id, muscles in PRESENTATIONS.items():
        template = loaded.get(template_id)
        assert template is not None, template_id
        assert muscles <= {p.muscle_id for p in template.trigger_points}, template_id
        assert template.source == "shipped"


@pytest.mark.parametrize("template_id", SHIPPED)
def test_every_shipped_template_applies_as_an_unconfirmed_draft(ctx, make_client, template_id):
    cid = make_client("Jane Doe", preferred_name="Jay")
    nid = start_from_template(ctx, cid, template_id, side=Side.LEFT)
    with ctx.read() as s:
        view = notes.get_note(nid, session=s)
        missing = notes.checklist(nid, session=s)
    c = view.content
    assert view.template_id == template_id
    assert c.trigger_points and not any(tp.confirmed for tp in c.trigger_points)
    assert all(tp.referred_pain for tp in c.trigger_points), "referral comes from the catalog"
    assert not any(cue.confirmed for cue in c.cues)
    assert c.home_care and not any(h.confirmed for h in c.home_care)
    assert any(h.dosage.as_dict() for h in c.home_care), "home care arrives with a dosage"
    assert c.next_visit_days and "next_visit" in c.to_confirm
    assert c.when_to_contact and "when_to_contact" in c.to_confirm
    keys = {m.key for m in missing}
    assert {"trigger_points", "home_care", "next_visit", "when_to_contact"} <= keys
    assert all(tp.side in (Side.LEFT, Side.BILATERAL) for tp in c.trigger_points)
    prompts = prompts_for_note(ctx, nid)
    assert prompts["complaint"]
    assert "{client}" not in prompts.get("client_summary", "")
    assert "Jay" in prompts.get("client_summary", "Jay")


def test_a_template_draft_finalizes_only_once_everything_is_confirmed(ctx, make_client):
    cid = make_client()
    nid = start_from_template(ctx, cid, "tension_headache", side=Side.RIGHT)
    with ctx.read() as s:
        c = notes.get_note(nid, session=s).content
    facts = {k: v for k, v in full_note().items()
             if k not in ("trigger_points", "cues", "home_care")}
    almost = c.model_copy(update={
        **{k: v for k, v in facts.items() if k in ("pain_before", "pain_after", "complaint",
                                                   "duration_minutes")},
        "muscles": [], "posture": []})
    with ctx.write() as s:
        notes.save_draft(nid, almost.model_dump(), session=s, actor="Ana Lee")
    with ctx.write() as s, pytest.raises(FinalizeRefused) as refused:
        notes.finalize(nid, session=s, actor="Ana Lee")
    text = str(refused.value)
    assert "not yet confirmed" in text
    confirmed = almost.model_copy(update={
        "trigger_points": [tp.model_copy(update={"confirmed": True, "pressure": 6})
                           for tp in almost.trigger_points],
        "cues": [cue.model_copy(update={"confirmed": True}) for cue in almost.cues],
        "home_care": [h.model_copy(update={"confirmed": True}) for h in almost.home_care],
        "to_confirm": []})
    with ctx.write() as s:
        notes.save_draft(nid, confirmed.model_dump(), session=s, actor="Ana Lee")
    with ctx.write() as s:
        notes.finalize(nid, session=s, actor="Ana Lee")
    with ctx.read() as s:
        final = notes.get_note(nid, session=s)
    assert final.is_final
    assert [tp.side for tp in final.content.trigger_points][:2] == [Side.RIGHT, Side.RIGHT]
    assert "Headache" in final.content.when_to_contact or "headache" in final.content.when_to_contact


def test_a_user_template_overrides_the_shipped_one_and_adds_new_ones(ctx, make_client):
    _user_template("heel_pain", 'name = "My heel routine"\n[[trigger_point]]\nmuscle = "soleus"\n'
                                'side = "bilateral"\n')
    _user_template("pec_release", 'name = "Pec release"\n[[trigger_point]]\n'
                                  'muscle = "pectoralis_major"\n')
    loaded = list_templates(ctx)
    heel = loaded.get("heel_pain")
    assert heel.name == "My heel routine" and heel.source == "user" and heel.overrides
    assert loaded.get("pec_release").source == "user" and not loaded.get("pec_release").overrides
    assert len(loaded.templates) == len(SHIPPED) + 1
    nid = start_from_template(ctx, make_client(), "heel_pain")
    with ctx.read() as s:
        assert [tp.muscle_id for tp in notes.get_note(nid, session=s).content.trigger_points] == [
            "soleus"]


@pytest.mark.parametrize(("text", "field", "words"), [
    ('name = "x"\n[[trigger_point]]\nmuscle = "bicepz"\n', "trigger_point[1].muscle", "bicepz"),
    ('name = "x"\n[[home_care]]\nitem = "heat"\ndosage = { reps = "lots" }\n',
     "home_care[1].dosage", "reps"),
    ('name = "x"\n[follow_up]\nwhat_to_expect = ["miracle"]\n', "follow_up.what_to_expect",
     "miracle"),
    ('name = "x"\n[follow_up]\nadvice = "Hi {name}"\n', "follow_up.advice", "{name}"),
    ('name = "x"\n[follow_up]\nadvice = "Hi {client"\n', "follow_up.advice", "brace"),
    ('name = "x"\ncolour = "red"\n', "colour", "not a template field"),
    ('summary = "no name"\n', "name", "missing"),
    ('name = "x"\n[[cue]]\ncue = "pir"\ntrigger_point = 3\n', "cue[1].trigger_point", ""),
    ('name = "x"\n[follow_up]\nnext_visit_days = 0\n', "follow_up.next_visit_days", "1 to 730"),
    ('name = "x\n', "(syntax)", "TOML"),
])
def test_a_broken_template_is_named_and_the_others_still_load(ctx, text, field, words):
    path = _user_template("broken", text)
    loaded = list_templates(ctx)
    assert len(loaded.templates) == len(SHIPPED)
    [problem] = loaded.problems
    assert problem.file == str(path) and problem.field == field
    assert words in str(problem)


def test_a_broken_override_leaves_the_shipped_template_in_place(ctx):
    _user_template("jaw_tmj", 'name = "Jaw"\n[[trigger_point]]\nmuscle = 7\n')
    loaded = list_templates(ctx)
    assert loaded.get("jaw_tmj").source == "shipped"
    assert loaded.problems[0].field == "trigger_point[1].muscle"


def test_placeholders_take_a_hostile_client_name_as_text(ctx, make_client):
    cid = make_client("{side} [b]Bo{client}[/b]")
    nid = start_from_template(ctx, cid, "tension_headache")
    assert "{side} [b]Bo{client}[/b]" in prompts_for_note(ctx, nid)["client_summary"]


def test_a_note_saved_as_a_template_starts_the_next_note(ctx, final_note, make_client):
    cid, nid = final_note
    with ctx.read() as s:
        original = notes.get_note(nid, session=s).content
    path = save_note_as_template(ctx, nid, "Jane's neck {routine}")
    assert path.parent == user_templates_dir() and oct(os.stat(path).st_mode & 0o777) == "0o600"
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    assert "complaint" not in str(doc) and "Headaches at the temples" not in path.read_text()
    with pytest.raises(FieldError, match="already exists"):
        save_note_as_template(ctx, nid, "Jane's neck {routine}")
    template = list_templates(ctx).get(path.stem)
    assert template is not None and template.source == "user"
    new = start_from_template(ctx, make_client("Bob Roe"), path.stem)
    with ctx.read() as s:
        c = notes.get_note(new, session=s).content
    assert [tp.muscle_id for tp in c.trigger_points] == [
        tp.muscle_id for tp in original.trigger_points]
    assert [h.dosage for h in c.home_care] == [h.dosage for h in original.home_care]
    assert not any(tp.confirmed for tp in c.trigger_points)
    assert c.pain_before is None and c.complaint == ""

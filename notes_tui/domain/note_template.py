"""Note templates: a common presentation (tension-type headache, low back pain...) as a head start.

A template is a TOML file (templates/notes/*.toml, plus the user's own in <config dir>/templates/;
a user file with the same name replaces the shipped one). It holds:

- `prompts`: questions shown in the empty assessment fields; they are hints, never note content;
- `[[trigger_point]]`, `[[cue]]`, `[[home_care]]`: likely points, suggested cues and home care,
  which land in the note as "to confirm" rows (`confirmed = false`);
- `[follow_up]`: the visit cadence and the advice, what-to-expect and when-to-get-in-touch
  wording, which land in the note's `to_confirm` list until the therapist confirms them.

Nothing from a template counts as done: the finalize checklist names what is still unconfirmed.
Placeholders `{client}`, `{side}` and `{therapist}` are filled when the template is applied; a
client name that itself contains braces is inserted as text, never parsed again.

Loading is per file: a malformed template is reported (file and field) and the others load.
"""

from __future__ import annotations

import re
import string
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from notes_tui.domain.catalog import Catalog
from notes_tui.domain.enums import SessionTechnique, Side, TriggerPointTechnique
from notes_tui.domain.note import (
    HomeCareRow,
    MovementCueRow,
    NoteContent,
    TriggerPointRow,
)
from notes_tui.domain.values import Dosage
from notes_tui.domain.wording import Wording

PLACEHOLDERS = ("client", "side", "therapist")
PROMPT_FIELDS = ("complaint", "pain_locations", "posture", "rom", "muscles",
                 "therapist_summary", "client_summary")
SIDE_WORDS = {Side.LEFT: "left", Side.RIGHT: "right", Side.BILATERAL: "both sides"}
TEMPLATE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_TOP_KEYS = {"name", "summary", "technique", "duration_minutes", "prompts", "trigger_point",
             "cue", "home_care", "follow_up"}


class TemplateError(Exception):
    """A template that cannot be used, naming the file and the field."""

    def __init__(self, file: Path | str, field_name: str, problem: str) -> None:
        super().__init__(f"{file}: field {field_name!r}: {problem}")
        self.file, self.field, self.problem = str(file), field_name, problem


@dataclass(frozen=True)
class PointSuggestion:
    muscle_id: str
    side: str  # "left" | "right" | "bilateral" | "{side}"
    technique: TriggerPointTechnique | None = None
    note: str = ""


@dataclass(frozen=True)
class CueSuggestion:
    cue_id: str
    trigger_point: int | None = None  # 1-based among the template's trigger points
    muscle_id: str | None = None


@dataclass(frozen=True)
class CareSuggestion:
    item_id: str
    dosage: Dosage | None = None  # None: the catalog's default


@dataclass(frozen=True)
class NoteTemplate:
    id: str
    name: str
    summary: str
    path: Path
    source: str  # "shipped" | "user"
    overrides: bool = False  # a user template that replaces a shipped one of the same id
    technique: SessionTechnique | None = None
    duration_minutes: int | None = None
    prompts: dict[str, str] = field(default_factory=dict)
    trigger_points: tuple[PointSuggestion, ...] = ()
    cues: tuple[CueSuggestion, ...] = ()
    home_care: tuple[CareSuggestion, ...] = ()
    next_visit_days: int | None = None
    advice: str = ""
    what_to_expect: str = ""
    when_to_contact: str = ""

    def prompts_for(self, *, client: str, therapist: str = "", side: Side = Side.BILATERAL
                    ) -> dict[str, str]:
        values = _values(client, therapist, side)
        return {key: fill(text, values) for key, text in self.prompts.items()}

    def apply(self, *, client: str, catalog: Catalog, therapist: str = "",
              side: Side = Side.BILATERAL) -> NoteContent:
        """A draft's starting content: every suggestion unconfirmed, placeholders filled."""
        values = _values(client, therapist, side)

        def resolve_side(raw: str) -> Side:
            return side if raw == "{side}" else Side(raw)

        points = []
        for p in self.trigger_points:
            muscle = catalog.muscle(p.muscle_id)
            points.append(TriggerPointRow(
                muscle_id=p.muscle_id, muscle=muscle.name if muscle else p.muscle_id,
                side=resolve_side(p.side),
                referred_pain=muscle.referral_clinical if muscle else "",
                technique=p.technique or TriggerPointTechnique.ISCHEMIC_COMPRESSION,
                note=fill(p.note, values), confirmed=False))
        cues = [MovementCueRow(cue_id=c.cue_id, trigger_point=c.trigger_point,
                               muscle_id=c.muscle_id, confirmed=False) for c in self.cues]
        care = []
        for h in self.home_care:
            item = catalog.home_care.get(h.item_id)
            care.append(HomeCareRow(item_id=h.item_id,
                                    dosage=h.dosage or (item.dosage if item else Dosage()),
                                    confirmed=False))
        follow = {"advice": fill(self.advice, values),
                  "what_to_expect": fill(self.what_to_expect, values),
                  "when_to_contact": fill(self.when_to_contact, values)}
        to_confirm = [key for key, text in follow.items() if text]
        if self.next_visit_days is not None:
            to_confirm.append("next_visit")
        data: dict = {"trigger_points": points, "cues": cues, "home_care": care,
                      "next_visit_days": self.next_visit_days, "to_confirm": to_confirm,
                      "duration_minutes": self.duration_minutes, **follow}
        if self.technique is not None:
            data["technique"] = self.technique
        return NoteContent(**data)


def _values(client: str, therapist: str, side: Side) -> dict[str, str]:
    return {"client": client, "therapist": therapist, "side": SIDE_WORDS[Side(side)]}


def fill(text: str, values: dict[str, str]) -> str:
    """Fill placeholders; values are inserted as text (a `{` in a name is not parsed again)."""
    out = []
    for literal, name, _spec, _conv in string.Formatter().parse(text):
        out.append(literal)
        if name is not None:
            out.append(values.get(name, ""))
    return "".join(out)


# --- reading a file --------------------------------------------------------------------------

class _Reader:
    def __init__(self, path: Path, doc: dict) -> None:
        self.path, self.doc = path, doc

    def fail(self, name: str, problem: str) -> TemplateError:
        return TemplateError(self.path, name, problem)

    def text(self, table: dict, key: str, where: str, *, required: bool = False,
             max_length: int = 4000, filled: bool = True) -> str:
        """Text from the file; `filled` text may hold placeholders, which are checked here."""
        value = table.get(key)
        if value is None:
            if required:
                raise self.fail(where, "is missing")
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            raise self.fail(where, "must be non-empty text" if required else "must be text")
        if len(value) > max_length:
            raise self.fail(where, f"is longer than {max_length:,} characters")
        if filled:
            self.placeholders(value, where)
        return value.strip()

    def placeholders(self, text: str, where: str) -> None:
        try:
            parts = list(string.Formatter().parse(text))
        except ValueError as exc:
            raise self.fail(where, f"has a stray brace ({exc}); write {{{{ or }}}} for a "
                                   "literal brace") from None
        for _literal, name, spec, conv in parts:
            if name is None:
                continue
            if name not in PLACEHOLDERS or spec or conv:
                raise self.fail(where, f"unknown placeholder {{{name}}}; use "
                                       + ", ".join(f"{{{p}}}" for p in PLACEHOLDERS))

    def integer(self, table: dict, key: str, where: str, low: int, high: int) -> int | None:
        value = table.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self.fail(where, f"must be a whole number from {low} to {high}")
        return value

    def tables(self, key: str) -> list[tuple[str, dict]]:
        value = self.doc.get(key, [])
        if not isinstance(value, list):
            raise self.fail(key, f"must be an array of tables [[{key}]]")
        out = []
        for i, table in enumerate(value, start=1):
            where = f"{key}[{i}]"
            if not isinstance(table, dict):
                raise self.fail(where, "must be a table")
            out.append((where, table))
        return out

    def only(self, table: dict, allowed: set[str], where: str) -> None:
        unknown = sorted(set(table) - allowed)
        if unknown:
            raise self.fail(f"{where}.{unknown[0]}" if where else unknown[0],
                            "is not a template field; allowed: " + ", ".join(sorted(allowed)))


def _snippets(r: _Reader, table: dict, key: str, wording: Wording) -> str:
    """A follow-up text: free text, or a list of wording-library snippet ids."""
    where = f"follow_up.{key}"
    value = table.get(key)
    if value is None or isinstance(value, str):
        return r.text(table, key, where, max_length=20_000)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise r.fail(where, "must be text or a list of wording ids")
    library = wording.snippets(key)
    texts = []
    for ident in value:
        if ident not in library:
            raise r.fail(where, f"names {ident!r}, which is not in the wording library "
                                f"[{key}] (known: {', '.join(sorted(library)) or 'none'})")
        texts.append(library[ident].text)
    return "\n".join(texts)


def parse_template(path: Path, doc: dict, *, catalog: Catalog, wording: Wording,
                   source: str = "shipped", overrides: bool = False) -> NoteTemplate:
    r = _Reader(path, doc)
    r.only(doc, _TOP_KEYS, "")
    technique = doc.get("technique")
    if technique is not None and technique not in {t.value for t in SessionTechnique}:
        raise r.fail("technique", "must be one of "
                                  + ", ".join(t.value for t in SessionTechnique))
    prompts_raw = doc.get("prompts", {})
    if not isinstance(prompts_raw, dict):
        raise r.fail("prompts", "must be a table")
    r.only(prompts_raw, set(PROMPT_FIELDS), "prompts")
    prompts = {k: r.text(prompts_raw, k, f"prompts.{k}", max_length=500) for k in prompts_raw}

    points = []
    for where, t in r.tables("trigger_point"):
        r.only(t, {"muscle", "side", "technique", "note"}, where)
        muscle = r.text(t, "muscle", f"{where}.muscle", required=True)
        if catalog.muscle(muscle) is None:
            raise r.fail(f"{where}.muscle", f"{muscle!r} is not a muscle id of the catalog")
        side = t.get("side", "{side}")
        if side not in {"{side}", *(s.value for s in Side)}:
            raise r.fail(f"{where}.side", "must be left, right, bilateral or {side}")
        tech = t.get("technique")
        if tech is not None and tech not in {x.value for x in TriggerPointTechnique}:
            raise r.fail(f"{where}.technique", "must be one of "
                                               + ", ".join(x.value for x in TriggerPointTechnique))
        points.append(PointSuggestion(muscle, side,
                                      TriggerPointTechnique(tech) if tech else None,
                                      r.text(t, "note", f"{where}.note", max_length=200)))
    cues = []
    for where, t in r.tables("cue"):
        r.only(t, {"cue", "trigger_point", "muscle"}, where)
        cue = r.text(t, "cue", f"{where}.cue", required=True)
        if cue not in catalog.cues:
            raise r.fail(f"{where}.cue", f"{cue!r} is not a movement cue id of the catalog")
        link = r.integer(t, "trigger_point", f"{where}.trigger_point", 1, max(len(points), 1))
        if link is not None and not points:
            raise r.fail(f"{where}.trigger_point", "links to a trigger point, but there are none")
        cue_muscle = t.get("muscle")
        if cue_muscle is not None and catalog.muscle(cue_muscle) is None:
            raise r.fail(f"{where}.muscle", f"{cue_muscle!r} is not a muscle id of the catalog")
        cues.append(CueSuggestion(cue, link, cue_muscle))
    care = []
    for where, t in r.tables("home_care"):
        r.only(t, {"item", "dosage"}, where)
        item = r.text(t, "item", f"{where}.item", required=True)
        if item not in catalog.home_care:
            raise r.fail(f"{where}.item", f"{item!r} is not a home-care id of the catalog")
        dosage = None
        if "dosage" in t:
            if not isinstance(t["dosage"], dict):
                raise r.fail(f"{where}.dosage", "must be a table of sets, reps, hold_seconds, "
                                                "minutes, frequency")
            try:
                dosage = Dosage.from_dict(t["dosage"])
            except ValueError as exc:
                raise r.fail(f"{where}.dosage", str(exc)) from None
        care.append(CareSuggestion(item, dosage))
    follow = doc.get("follow_up", {})
    if not isinstance(follow, dict):
        raise r.fail("follow_up", "must be a table")
    r.only(follow, {"next_visit_days", "advice", "what_to_expect", "when_to_contact"},
           "follow_up")
    template = NoteTemplate(
        id=path.stem,
        name=r.text(doc, "name", "name", required=True, max_length=80, filled=False),
        summary=r.text(doc, "summary", "summary", max_length=300, filled=False), path=path, source=source,
        overrides=overrides,
        technique=SessionTechnique(technique) if technique else None,
        duration_minutes=r.integer(doc, "duration_minutes", "duration_minutes", 5, 600),
        prompts=prompts, trigger_points=tuple(points), cues=tuple(cues), home_care=tuple(care),
        next_visit_days=r.integer(follow, "next_visit_days", "follow_up.next_visit_days", 1, 730),
        advice=r.text(follow, "advice", "follow_up.advice", max_length=20_000),
        what_to_expect=_snippets(r, follow, "what_to_expect", wording),
        when_to_contact=_snippets(r, follow, "when_to_contact", wording),
    )
    try:  # the note it makes must be a valid note, with any name in the placeholders
        template.apply(client="Client Name", therapist="Therapist", catalog=catalog)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise r.fail(".".join(str(x) for x in first["loc"]) or "(note)", first["msg"]) from None
    return template


def read_template(path: Path, *, catalog: Catalog, wording: Wording, source: str = "shipped",
                  overrides: bool = False) -> NoteTemplate:
    if not TEMPLATE_ID.match(path.stem):
        raise TemplateError(path, "(file name)", "must be lowercase letters, digits, - and _, "
                                                 "ending in .toml")
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise TemplateError(path, "(syntax)", f"not valid TOML: {exc}") from None
    except OSError as exc:
        raise TemplateError(path, "(file)", f"cannot be read: {exc.strerror}") from None
    return parse_template(path, doc, catalog=catalog, wording=wording, source=source,
                          overrides=overrides)


@dataclass(frozen=True)
class TemplateSet:
    templates: dict[str, NoteTemplate]  # by id, sorted by name
    problems: tuple[TemplateError, ...] = ()

    def get(self, template_id: str | None) -> NoteTemplate | None:
        return self.templates.get(template_id or "")


def load_templates(shipped: Path, user: Path | None, *, catalog: Catalog,
                   wording: Wording) -> TemplateSet:
    """Every usable template; each broken file becomes a problem and the rest still load.
    A user file replaces the shipped template of the same id (a broken one leaves it in place)."""
    found: dict[str, NoteTemplate] = {}
    problems: list[TemplateError] = []
    for path in sorted(shipped.glob("*.toml")) if shipped.is_dir() else ():
        try:
            found[path.stem] = read_template(path, catalog=catalog, wording=wording)
        except TemplateError as exc:
            problems.append(exc)
    if user is not None and user.is_dir():
        for path in sorted(user.glob("*.toml")):
            try:
                found[path.stem] = read_template(path, catalog=catalog, wording=wording,
                                                 source="user", overrides=path.stem in found)
            except TemplateError as exc:
                problems.append(exc)
    ordered = dict(sorted(found.items(), key=lambda kv: (kv[1].name.casefold(), kv[0])))
    return TemplateSet(ordered, tuple(problems))


# --- a note as a template --------------------------------------------------------------------

def _braces(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def template_document(content: NoteContent, *, name: str, summary: str = "",
                      client_names: tuple[str, ...] = ()) -> dict:
    """A TOML-ready template from a note: its points, cues, home care and follow-up wording,
    never its findings, pain or summaries (those belong to one client's session). The client's
    name in the follow-up text becomes {client}; other braces are kept literal."""

    def generic(text: str) -> str:
        text = _braces(text)
        for n in sorted({n for n in client_names if n and n.strip()}, key=len, reverse=True):
            text = text.replace(_braces(n), "{client}")
        return text

    doc: dict = {"name": name, "summary": summary or f"Saved from a note: {name}",
                 "technique": content.technique.value}
    if content.duration_minutes:
        doc["duration_minutes"] = content.duration_minutes
    doc["trigger_point"] = [
        {"muscle": tp.muscle_id, "side": tp.side.value, "technique": tp.technique.value,
         **({"note": generic(tp.note)} if tp.note else {})}
        for tp in content.trigger_points if tp.muscle_id]
    kept = [i for i, tp in enumerate(content.trigger_points, start=1) if tp.muscle_id]
    doc["cue"] = []
    for cue in content.cues:
        if not cue.cue_id:
            continue
        row: dict = {"cue": cue.cue_id}
        if cue.trigger_point in kept:
            row["trigger_point"] = kept.index(cue.trigger_point) + 1
        if cue.muscle_id:
            row["muscle"] = cue.muscle_id
        doc["cue"].append(row)
    doc["home_care"] = [{"item": h.item_id, "dosage": h.dosage.as_dict()}
                        for h in content.home_care if h.item_id]
    follow: dict = {}
    if content.next_visit_days:
        follow["next_visit_days"] = content.next_visit_days
    for key in ("advice", "what_to_expect", "when_to_contact"):
        if getattr(content, key).strip():
            follow[key] = generic(getattr(content, key))
    doc["follow_up"] = follow
    return {k: v for k, v in doc.items() if v not in ([], {})}

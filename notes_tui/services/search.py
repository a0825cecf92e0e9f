"""Search every past assessment: ranked full text plus exact structured filters, one interface
for both backends (the backend-specific SQL is in db/backends/)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, text
from sqlmodel import col

from notes_tui.db.backends import backend_module
from notes_tui.db.models import Client, Note, NoteTriggerPoint
from notes_tui.domain.catalog import Catalog
from notes_tui.domain.search_query import Query, Term, fold, parse_query, stem
from notes_tui.domain.text import FieldError, like_pattern

if TYPE_CHECKING:
    from sqlmodel import Session

COMMON = 5_000  # past this many matching notes, a word is too common to rank: newest first
MAX_PAGE = 200
SEARCH_SOURCE_COLUMNS = ("complaint", "trigger_points", "findings", "summaries", "cues",
                         "advice", "amendments")
START, END = "\x02", "\x03"  # snippet highlight markers


@dataclass(frozen=True)
class SearchHit:
    note_id: int
    client_id: int
    client_name: str
    session_start: datetime
    timezone: str
    status: str
    pain_before: int | None
    pain_after: int | None
    complaint: str
    snippet: str  # the matched text, highlights between \x02 and \x03
    trigger_points: tuple[str, ...]  # "upper trapezius left"

    def snippet_parts(self) -> list[tuple[str, bool]]:
        """[(text, highlighted)] for display."""
        parts, hot = [], False
        buf = ""
        for ch in self.snippet:
            if ch in (START, END):
                if buf:
                    parts.append((buf, hot))
                buf, hot = "", ch == START
            else:
                buf += ch
        if buf:
            parts.append((buf, hot))
        return parts


@dataclass(frozen=True)
class SearchPage:
    hits: list[SearchHit]
    offset: int
    limit: int
    ordered_by: str  # "relevance" | "date"
    # nothing of the therapist's matched, but the app's own wording does (include:catalog)
    catalog_matches: bool = False

    @property
    def has_more(self) -> bool:
        return len(self.hits) == self.limit


def _muscle_ids(catalog: Catalog, needle: str) -> list[str]:
    n = fold(needle.strip())
    ids = [m.id for m in catalog.muscles.values()
           if n in (m.id, fold(m.name), fold(m.id.replace("_", " ")))
           or n in [fold(a) for a in m.aliases]]
    if not ids:
        ids = [m.id for m in catalog.muscles.values() if n in fold(m.name)]
    return ids


def _nearest_muscles(catalog: Catalog, needle: str, n: int = 3) -> list[str]:
    """The catalog's muscle names (or short forms) nearest a misspelt `needle`."""
    import difflib

    names: dict[str, list[str]] = {}
    for m in catalog.muscles.values():
        for key in (fold(m.name), *fold(m.name).split(), *(fold(a) for a in m.aliases)):
            names.setdefault(key, []).append(m.name)
    close = difflib.get_close_matches(fold(needle), list(names), n=n, cutoff=0.75)
    return list(dict.fromkeys(name for c in close for name in names[c]))[:n]


def _check_muscle(session: Session, catalog: Catalog, needle: str) -> None:
    """A muscle: value that names no catalog muscle and no muscle the therapist typed in any
    note is a mistake to say, not a search that finds nothing (as side: and technique: are)."""
    found = session.execute(
        select(col(NoteTriggerPoint.id)).where(
            func.lower(col(NoteTriggerPoint.muscle)).like(like_pattern(needle.lower()),
                                                          escape="\\")).limit(1)).first()
    if found:
        return
    near = _nearest_muscles(catalog, needle)
    hint = f"; did you mean {' or '.join(repr(n.lower()) for n in near)}?" if near else ""
    raise FieldError("muscle", f"{needle!r} is not a muscle in the catalog or in your "
                               f"notes{hint}")


def _client_ids(session: Session, needle: str) -> list[int]:
    """The clients whose name or preferred name holds `needle`, accents and case ignored
    ("garcia" finds García; the rule of the clients list)."""
    from notes_tui.domain.names import name_contains

    rows = session.execute(select(col(Client.id), col(Client.name),
                                  col(Client.preferred_name))).all()
    return [cid for cid, name, preferred in rows if name_contains(needle, name, preferred)]


def _intake_client_ids(session: Session, wanted: list[tuple[str, str]]) -> list[int]:
    """The clients whose intake holds every wanted text (med: in the medications, intake:
    anywhere in it), accents and case ignored."""
    from notes_tui.domain.intake import parse_intake, searchable

    out = []
    for cid, stored in session.execute(select(col(Client.id), col(Client.intake))
                                       .where(col(Client.intake).is_not(None))).all():
        if not stored:
            continue
        text = {k: fold(v) for k, v in searchable(parse_intake(stored)).items()}
        if all(fold(needle) in text[key] for key, needle in wanted):
            out.append(cid)
    return out


_OPS = {">=": float.__ge__, "<=": float.__le__, "=": float.__eq__, ">": float.__gt__,
        "<": float.__lt__}


def _measure_client_ids(session: Session, catalog: Catalog,
                        wanted: list[tuple[str, str | None, float | None]]) -> list[int]:
    """The clients whose latest score of each wanted measure compares as asked (or who have
    answered it at all). An id no catalog measure has and no client answered is a mistake."""
    latest: dict[int, dict[str, float]] = {}
    for cid, stored in session.execute(select(col(Client.id), col(Client.measures))
                                       .where(col(Client.measures).is_not(None))).all():
        for m in sorted(stored or [], key=lambda m: m["taken_on"]):
            latest.setdefault(cid, {})[m["measure"]] = float(m["score"])
    answered = {mid for scores in latest.values() for mid in scores}
    for mid, _op, _value in wanted:
        if mid not in catalog.measures and mid not in answered:
            known = ", ".join(sorted(catalog.measures)) or "none"
            raise FieldError("measure", f"{mid!r} is not an outcome measure ({known})")
    return [cid for cid, scores in latest.items()
            if all(mid in scores and (op is None or value is None
                                      or _OPS[op](scores[mid], value))
                   for mid, op, value in wanted)]


def _goal_client_ids(session: Session, wanted: list[str]) -> list[int]:
    """The clients whose current plan of care has a goal holding each wanted text (its words,
    measure or target), accents and case ignored."""
    from notes_tui.domain.plan import current_plan, parse_plan

    out = []
    for cid, stored in session.execute(select(col(Client.id), col(Client.plans))
                                       .where(col(Client.plans).is_not(None))).all():
        plan = current_plan([parse_plan(p) for p in stored or []])
        if plan is None:
            continue
        text = fold(" ".join(g.said for g in plan.goals))
        if all(fold(needle) in text for needle in wanted):
            out.append(cid)
    return out


def _among_clients(ids: list[int]) -> str:
    """The notes of these clients (ids from the database: integers, written inline)."""
    return f"note.client_id IN ({', '.join(str(int(i)) for i in ids) or 'NULL'})"


def _filters(q: Query, catalog: Catalog, tz: ZoneInfo, session: Session
             ) -> tuple[list[str], dict]:
    where: list[str] = []
    params: dict[str, object] = {}
    if q.client:
        where.append(_among_clients(_client_ids(session, q.client)))
    intake = [(k, v) for k, v in q.intake if k != "goal"]
    goals = [v for k, v in q.intake if k == "goal"]
    if intake:
        where.append(_among_clients(_intake_client_ids(session, intake)))
    if goals:
        where.append(_among_clients(_goal_client_ids(session, goals)))
    if q.measures:
        where.append(_among_clients(_measure_client_ids(session, catalog, q.measures)))
    if q.due:
        from notes_tui.services.due import due_list

        due = due_list(session, datetime.now(tz).date())  # the clinic's today
        where.append(_among_clients([d.client_id for d in due if d.state.value == q.due]))
    for i, needle in enumerate(q.muscles):
        ids = _muscle_ids(catalog, needle)
        if not ids:
            _check_muscle(session, catalog, needle)
        id_list = ", ".join(f":m{i}_{j}" for j in range(len(ids))) or "NULL"
        params.update({f"m{i}_{j}": mid for j, mid in enumerate(ids)})
        params[f"mname{i}"] = f"%{needle.lower()}%"
        side = " AND tp.side = :side" if q.side else ""
        where.append(f"EXISTS (SELECT 1 FROM note_trigger_point tp WHERE tp.note_id = note.id "
                     f"AND (tp.muscle_id IN ({id_list}) OR lower(tp.muscle) LIKE :mname{i}){side})")
    if q.side:
        params["side"] = q.side
        if not q.muscles:
            where.append("EXISTS (SELECT 1 FROM note_trigger_point tp WHERE tp.note_id = note.id "
                         "AND tp.side = :side)")
    if q.technique:
        where.append("note.technique = :technique")
        params["technique"] = q.technique
    if q.status:
        where.append("note.status = :status")
        params["status"] = q.status
    if q.since:
        where.append("note.session_start >= :since")
        params["since"] = datetime.combine(q.since, time(), tz)
    if q.until:
        where.append("note.session_start < :until")
        params["until"] = datetime.combine(q.until + timedelta(days=1), time(), tz)
    for i, (column, op, value) in enumerate(q.pain):
        where.append(f"note.{column} {op} :pain{i}")
        params[f"pain{i}"] = value
    return where or ["1 = 1"], params


def _bind_times(session: Session, params: dict) -> dict:
    """Datetimes bound as the column type stores them (UTC; naive text on SQLite)."""
    from notes_tui.db.types import UTCDateTime

    dialect = session.get_bind().dialect
    out = {}
    for key, value in params.items():
        out[key] = (UTCDateTime().process_bind_param(value, dialect)
                    if isinstance(value, datetime) else value)
    return out


def expand_aliases(q: Query, catalog: Catalog) -> Query:
    """A word that is a muscle's short form ("utr", "scm", "ql") also finds the muscle's name."""
    aliases: dict[str, list[str]] = {}
    for m in catalog.muscles.values():
        for a in m.aliases:
            if " " not in a:
                aliases.setdefault(fold(a), []).append(m.id)
    groups = []
    for group in q.groups:
        extra = []
        for t in group:
            if len(t.words) == 1 and not t.prefix:
                for mid in aliases.get(fold(t.words[0]), []):
                    extra.append(Term(tuple(mid.split("_"))))
        groups.append(group + [e for e in extra if e not in group])
    q.groups = groups
    return q


def search(query_text: str, *, session: Session, catalog: Catalog, tz: ZoneInfo, limit: int = 50,
           offset: int = 0, typing: bool = False, client_id: int | None = None,
           include_catalog: bool = False) -> SearchPage:
    """One page of results, optionally within one client's history. Raises FieldError only for
    a filter value it cannot use. `include_catalog`: as if the query said include:catalog."""
    q = expand_aliases(parse_query(query_text, typing=typing), catalog)
    q.include_catalog = q.include_catalog or include_catalog
    limit = max(1, min(limit, MAX_PAGE))
    offset = max(0, offset)
    backend = backend_module(session.get_bind().dialect.name)
    where, params = _filters(q, catalog, tz, session)
    if client_id is not None:
        where.append("note.client_id = :only_client")
        params["only_client"] = client_id
    dialect = session.get_bind().dialect.name
    fts_fold = fold if dialect == "postgresql" else (lambda w: w)
    if q.excluded:
        exclude = Query(groups=[[t] for t in q.excluded])
        params["exclude"] = (backend.match_expression(exclude, catalog=q.include_catalog)
                             if dialect == "sqlite"
                             else backend.tsquery(exclude, fold, catalog=q.include_catalog))
        where.append(backend.excluded_sql())
    params.update(limit=limit, offset=offset)
    ordered_by = "date"
    if q.groups:
        params["match"] = (backend.match_expression(Query(groups=q.groups),
                                                    catalog=q.include_catalog)
                           if dialect == "sqlite" else
                           backend.tsquery(Query(groups=q.groups), fts_fold,
                                           catalog=q.include_catalog))
        if not params["match"]:
            return SearchPage([], offset, limit, "relevance")
        freq = backend.document_frequency(session.connection(), q)
        by_date = freq is not None and freq > COMMON
        ordered_by = "date" if by_date else "relevance"
        singles = [g[0] for g in q.groups if len(g) == 1 and len(g[0].words) == 1]
        phrase = not by_date and len(singles) == len(q.groups) >= 2
        if phrase:
            words = [t.words[0] for t in singles]
            params["phrase"] = (backend.phrase_expression(words, singles[-1].prefix,
                                                          catalog=q.include_catalog)
                                if dialect == "sqlite" else
                                backend.phrase_expression(words, singles[-1].prefix, fold,
                                                          catalog=q.include_catalog))
        sql = backend.ranked_ids_sql(" AND ".join(where), by_date=by_date, phrase=phrase)
    else:
        sql = ("SELECT note.id FROM note JOIN client ON client.id = note.client_id WHERE "
               + " AND ".join(where)
               + " ORDER BY note.session_start DESC, note.id DESC LIMIT :limit OFFSET :offset")
    ids = [row[0] for row in session.execute(text(sql), _bind_times(session, params))]
    catalog_matches = False
    if not ids and q.groups and not q.include_catalog and offset == 0:
        catalog_matches = bool(search(query_text, session=session, catalog=catalog, tz=tz,
                                      limit=1, typing=typing, client_id=client_id,
                                      include_catalog=True).hits)
    return SearchPage(_hits(session, ids, q), offset, limit, ordered_by, catalog_matches)


SNIPPET_CHARS = 120


@lru_cache(maxsize=256)
def _candidates(stems: frozenset[tuple[str, bool]]) -> re.Pattern[str]:
    """Whole words that may have one of these stems: those starting as the stem does, less its
    last two letters (a Porter stem is the word's beginning up to its last letters: 'happi' from
    'happy', 'possibl' from 'possibility'); make_snippet keeps those whose stem is the same."""
    starts = sorted({re.escape(w[:max(2, len(w) - 2)]) for w, _prefix in stems},
                    key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(starts) + r")\w*")


def _folded_with_map(source: str) -> tuple[str, list[int]]:
    """The folded text and, for each folded character, its index in `source`."""
    if source.isascii():
        return source.lower(), []
    whole = fold(source)
    if len(whole) == len(source):  # the usual case: each letter folds to one letter
        return whole, []
    out, where = [], []
    for i, ch in enumerate(source):
        f = fold(ch)
        out.append(f)
        where.extend([i] * len(f))
    return "".join(out), where


def make_snippet(source: str, q: Query, width: int = SNIPPET_CHARS) -> str:
    """About `width` characters of `source` around the densest cluster of the query's words,
    highlighted between \x02 and \x03 (accent-insensitive, prefix-aware, and by stem as the
    index matches: "headache" lights up "headaches"); the same for both backends."""
    words = frozenset((stem(fold(w)), t.prefix) for g in q.groups for t in g for w in t.words
                      if fold(w))
    if not words or not source:
        return " ".join(source[:width].split())
    exact = {w for w, p in words if not p}
    prefixes = tuple(w for w, p in words if p)
    folded, where = _folded_with_map(source)
    spans = [(m.start(), m.end()) for m in _candidates(words).finditer(folded)
             if (s := stem(m.group())) in exact or (prefixes and s.startswith(prefixes))]
    if where:
        spans = [(where[a], where[b - 1] + 1) for a, b in spans]
    if not spans:
        return " ".join(source[:width].split())
    starts = [a for a, _ in spans]
    best = max(range(len(spans)), key=lambda i: sum(1 for x in starts if 0 <= x - starts[i] < width))
    lo = max(0, starts[best] - 20)
    lo = source.rfind(" ", 0, lo) + 1 if lo else 0
    hi = min(len(source), lo + width)
    if hi < len(source):
        cut = source.rfind(" ", lo, hi)
        hi = cut if cut > lo else hi
    out, pos = [], lo
    for a, b in spans:
        if a >= lo and b <= hi:
            out += [source[pos:a], START, source[a:b], END]
            pos = b
    out.append(source[pos:hi])
    return ("… " if lo else "") + " ".join("".join(out).split()) + (" …" if hi < len(source) else "")


def _snippet(own: str, stock: str, q: Query) -> str:
    """The snippet from the therapist's words; from the app's wording (include:catalog) only
    when only that matched."""
    snippet = make_snippet(own, q)
    if START in snippet or not stock:
        return snippet
    from_stock = make_snippet(stock, q)
    return from_stock if START in from_stock else snippet


def _hits(session: Session, ids: list[int], q: Query) -> list[SearchHit]:
    if not ids:
        return []
    cols = ", ".join(SEARCH_SOURCE_COLUMNS + ("catalog",))
    id_params = {f"i{k}": v for k, v in enumerate(ids)}
    sources = {row[0]: (" | ".join(c for c in row[1:-1] if c and c.strip()), row[-1])
               for row in session.execute(
        text(f"SELECT note_id, {cols} FROM note_search_doc WHERE note_id IN "
             f"({', '.join(':' + k for k in id_params)})"), id_params)}
    snippets = {nid: _snippet(own, stock if q.include_catalog else "", q)
                for nid, (own, stock) in sources.items()} if q.groups else {}
    rows = {r.id: r for r in session.execute(
        select(col(Note.id), col(Note.client_id), col(Client.name), col(Note.session_start),
               col(Note.timezone), col(Note.status), col(Note.pain_before),
               col(Note.pain_after), col(Note.complaint))
        .join(Client, col(Client.id) == col(Note.client_id)).where(col(Note.id).in_(ids))).all()}
    points: dict[int, list[str]] = {}
    tp = NoteTriggerPoint
    for note_id, muscle, muscle_id, side in session.execute(
            select(col(tp.note_id), col(tp.muscle), col(tp.muscle_id), col(tp.side))
            .where(col(tp.note_id).in_(ids))
            .order_by(col(tp.note_id), col(tp.position))):
        label = muscle or (muscle_id or "").replace("_", " ")
        points.setdefault(note_id, []).append(f"{label} {side}")
    hits = []
    for nid in ids:
        note = rows[nid]
        first_line = note.complaint.split("\n", 1)[0][:160]
        hits.append(SearchHit(
            note_id=nid, client_id=note.client_id, client_name=note.name,
            session_start=note.session_start, timezone=note.timezone, status=note.status,
            pain_before=note.pain_before, pain_after=note.pain_after, complaint=first_line,
            snippet=snippets.get(nid) or " ".join(first_line.split()),
            trigger_points=tuple(points.get(nid, ()))))
    return hits


def reindex(*, session: Session) -> None:
    from notes_tui.services import search_index

    search_index.rebuild(session)

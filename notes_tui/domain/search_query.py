"""The search query language, parsed into a plain structure. Any text is a valid query: the
parser never raises on odd input; it reports a problem only for a filter value it cannot use
(such as `since:notadate`), as a FieldError naming the filter.

    free words        all must match; the last word is a prefix while typing
    "quoted phrase"   the words in this order
    -word, -"phrase"  must not match
    a OR b            either (binds the neighbouring words)
    client:ana  muscle:"upper trapezius"  side:left  technique:nmt  status:draft
    since:2026-01-01  until:2026-03-31  pain>=6 (pain before)  after<=3 (pain after)
    med:naprosyn (the client's intake lists it)  intake:asthma (anywhere in the intake)
    due:overdue (also due:soon, due:lapsed: the client's next visit, as `notes-tui due` says)
    measure:psfs<5 (the client's latest score of that outcome measure; measure:psfs: any)
    goal:sleep (a goal of the client's current plan of care)
    include:catalog   also the app's own wording the therapist did not write (a muscle's
                      catalog referral text, the stock "when to get in touch" sentences)

Words match by their stem (Porter's, the same on both backends): "headaches" finds "headache",
"stretching" finds "stretch".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from notes_tui.domain.text import FieldError
from notes_tui.domain.values import parse_date

MAX_QUERY = 2000
MAX_TERMS = 32
_FILTERS = {"client", "muscle", "side", "technique", "status", "since", "until", "med",
            "intake", "due", "measure", "goal", "include"}
_MEASURE = re.compile(r"([a-z][a-z0-9_]*)\s*(?:(>=|<=|=|>|<)\s*(\d{1,3}(?:\.\d+)?))?$")
DUE = {"overdue": "overdue", "soon": "due", "due": "due", "lapsed": "lapsed"}
_COMPARE = re.compile(r"(pain|before|after)(>=|<=|=|>|<)(\d{1,2})$", re.IGNORECASE)
# "pain >= 7", "after <= 3": a comparison typed with spaces is one token, as "pain>=7" is
_SPACED_COMPARE = re.compile(
    r"(?<![\w:\"-])(pain|before|after|measure:[a-z][a-z0-9_]*)\s*(>=|<=|=|>|<)\s*(\d{1,3}"
    r"(?:\.\d+)?)\b", re.IGNORECASE)


def _join_comparisons(text: str) -> str:
    """'pain >= 7' as 'pain>=7' (and 'measure:psfs < 5'), outside quoted phrases only."""
    parts = text.split('"')
    return '"'.join(_SPACED_COMPARE.sub(r"\1\2\3", p) if i % 2 == 0 else p
                    for i, p in enumerate(parts))
_TOKEN = re.compile(r'-?"[^"]*"?|-?[A-Za-z_]+:"[^"]*"?|[^\s"]+')
_WORD = re.compile(r"\w+", re.UNICODE)
TECHNIQUES = {"nmt": "neuromuscular", "neuromuscular": "neuromuscular", "swedish": "swedish",
              "deep": "deep_tissue", "deep_tissue": "deep_tissue", "deeptissue": "deep_tissue",
              "other": "other"}
SIDES = {"left": "left", "l": "left", "right": "right", "r": "right", "bilateral": "bilateral",
         "both": "bilateral", "b": "bilateral"}


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # one word, or a phrase
    prefix: bool = False


@dataclass
class Query:
    groups: list[list[Term]] = field(default_factory=list)  # AND of (OR of terms)
    excluded: list[Term] = field(default_factory=list)
    client: str | None = None
    muscles: list[str] = field(default_factory=list)
    side: str | None = None
    technique: str | None = None
    status: str | None = None
    since: date | None = None
    until: date | None = None
    pain: list[tuple[str, str, int]] = field(default_factory=list)  # (column, op, value)
    intake: list[tuple[str, str]] = field(default_factory=list)  # ("med" | "intake", words)
    due: str | None = None  # domain/due.py DueState value
    measures: list[tuple[str, str | None, float | None]] = field(default_factory=list)
    include_catalog: bool = False  # include:catalog

    @property
    def has_text(self) -> bool:
        return bool(self.groups)

    @property
    def is_empty(self) -> bool:
        return not (self.groups or self.excluded or self.client or self.muscles or self.side
                    or self.technique or self.status or self.since or self.until or self.pain
                    or self.intake or self.due or self.measures)


_NO_DECOMPOSITION = str.maketrans("łøđðßæœı", "loddsaoi")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case without accents: 'Łódź' -> 'lodz' (for matching, never for display)."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.translate(_NO_DECOMPOSITION)


@lru_cache(maxsize=1)
def _porter() -> Any:
    import snowballstemmer  # imported on the first search, not at start-up

    return snowballstemmer.stemmer("porter")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Porter stem of one folded word, as SQLite's `porter` tokenizer and the PostgreSQL
    index's snowball `porter` dictionary make it: 'headaches' -> 'headach'."""
    return str(_porter().stemWord(word))


def words_of(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(text))


def parse_query(text: str, *, typing: bool = False) -> Query:
    """Parse `text`. With `typing`, the last bare word is a prefix (results while typing)."""
    q = Query()
    text = (text or "")[:MAX_QUERY]
    text = "".join(c for c in text if c.isprintable() or c.isspace())
    tokens = _TOKEN.findall(_join_comparisons(text))
    pending_or = False
    last_bare: Term | None = None
    for i, tok in enumerate(tokens):
        if tok == "OR":
            pending_or = bool(q.groups)
            continue
        cmp = _COMPARE.match(tok)
        if cmp:
            column = "pain_after" if cmp.group(1).lower() == "after" else "pain_before"
            value = int(cmp.group(3))
            if value > 10:
                raise FieldError(tok, "pain is from 0 to 10")
            q.pain.append((column, cmp.group(2), value))
            continue
        key, sep, value = tok.partition(":")
        if sep and key.lower() in _FILTERS and not tok.startswith("-"):
            _apply_filter(q, key.lower(), value.strip('"'))
            continue
        negative = tok.startswith("-") and len(tok) > 1
        body = tok[1:] if negative else tok
        quoted = body.startswith('"')
        words = words_of(body)
        if not words:
            continue
        term = Term(words, prefix=False) if quoted else None
        if negative:
            q.excluded.append(term or Term(words))
            continue
        # a bare token may hold several words ("foo-bar", "a.b"): each must match
        terms = [term] if term is not None else [Term((w,)) for w in words]
        for t in terms:
            if pending_or and q.groups:
                q.groups[-1].append(t)
                pending_or = False
            elif len(q.groups) < MAX_TERMS:
                q.groups.append([t])
        if not quoted and i == len(tokens) - 1:
            last_bare = terms[-1]
    if typing and last_bare is not None and not text.endswith(" "):
        for group in q.groups:
            for j, t in enumerate(group):
                if t is last_bare:
                    group[j] = Term(t.words, prefix=True)
    return q


def _apply_filter(q: Query, key: str, value: str) -> None:
    v = value.strip()
    if not v:
        return
    if key == "client":
        q.client = v
    elif key == "muscle":
        q.muscles.append(v)
    elif key in ("med", "intake", "goal"):
        q.intake.append((key, v))
    elif key == "include":
        if v.lower() != "catalog":
            raise FieldError("include", f"{v!r}: only include:catalog is known (the app's own "
                                        "wording, such as catalog referral text)")
        q.include_catalog = True
    elif key == "measure":
        m = _MEASURE.match(v.lower())
        if not m:
            raise FieldError("measure", f"{v!r}: write a measure and a score, like psfs<5")
        q.measures.append((m.group(1), m.group(2),
                           float(m.group(3)) if m.group(3) is not None else None))
    elif key == "due":
        if v.lower() not in DUE:
            raise FieldError("due", f"{v!r} is not a due state (overdue, soon or lapsed)")
        q.due = DUE[v.lower()]
    elif key == "side":
        if v.lower() not in SIDES:
            raise FieldError("side", f"{v!r} is not a side (left, right or bilateral)")
        q.side = SIDES[v.lower()]
    elif key == "technique":
        if v.lower() not in TECHNIQUES:
            raise FieldError("technique", f"{v!r} is not a technique (nmt, swedish, deep, other)")
        q.technique = TECHNIQUES[v.lower()]
    elif key == "status":
        if v.lower() not in ("draft", "final"):
            raise FieldError("status", f"{v!r} is not a status (draft or final)")
        q.status = v.lower()
    elif key in ("since", "until"):
        try:
            d = parse_date(v, key)
        except FieldError:
            raise FieldError(key, f"{v!r} is not a date written YYYY-MM-DD") from None
        setattr(q, key, d)

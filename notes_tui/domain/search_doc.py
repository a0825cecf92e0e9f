"""What the search index holds for one note: the therapist's own words, apart from the wording the
app supplied.

A trigger point's referred pain starts as the catalog's referral text, and "what to expect" and
"when to get in touch" are built from the wording library's snippets, one a line. Left in the
therapist's columns, that text would answer a search for "headache" with every note that carries
the standard warning "a sudden, severe headache". So a note's index document keeps such text in
a column of its own, `catalog`, that a search reads only when asked (`include:catalog`).

Stock text is recognised by its words, not by where it came from: a referral or a line that is
exactly a catalog or library sentence (spacing and case aside) is stock; the moment the
therapist changes a word, it is theirs. The rule applies when a note is indexed, with the
catalog and wording of that moment.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

DOC_COLUMNS = ("complaint", "summaries", "findings", "trigger_points", "cues", "advice",
               "amendments", "catalog")
OWN_COLUMNS = DOC_COLUMNS[:-1]


def normal(text: str) -> str:
    """The form stock text is compared in: words separated by one space, case folded."""
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class Stock:
    """Every sentence the app supplies that a note can carry unchanged."""

    texts: frozenset[str] = frozenset()

    @classmethod
    def of(cls, texts: Iterable[str]) -> Stock:
        return cls(frozenset(n for n in (normal(t) for t in texts) if n))

    def holds(self, text: str) -> bool:
        return bool(self.texts) and normal(text) in self.texts

    def split_lines(self, text: str) -> tuple[str, str]:
        """(own lines, stock lines) of a text built from snippets, one a line."""
        if not self.texts or not text.strip():
            return text, ""
        own: list[str] = []
        stock: list[str] = []
        for line in text.split("\n"):
            (stock if line.strip() and self.holds(line) else own).append(line)
        return "\n".join(own), "\n".join(stock)


def stock_texts(referrals: Iterable[tuple[str, str]], snippets: Iterable[str],
                max_referral: int = 500) -> Stock:
    """The stock of a catalog and wording library: each muscle's (clinical, client) referral
    text, also as the editor cuts it to `max_referral` characters, and every snippet."""
    texts: list[str] = []
    for clinical, client in referrals:
        texts += [clinical, clinical[:max_referral], client]
    texts += list(snippets)
    return Stock.of(texts)


def _ident(value: str | None) -> str:
    return (value or "").replace("_", " ")


def _join(parts: Sequence[str]) -> str:
    return " ".join(parts)


@dataclass(frozen=True)
class NoteText:
    """The indexed fields of one note and its rows, as stored (the search's raw material)."""

    note: Mapping[str, str]  # complaint, since_health, the summaries, the follow-up texts ...
    findings: Sequence[Mapping[str, str | None]] = ()
    work: Sequence[Mapping[str, str | None]] = ()
    trigger_points: Sequence[Mapping[str, str | None]] = ()
    cues: Sequence[Mapping[str, str | None]] = ()
    home_care: Sequence[Mapping[str, str | None]] = ()
    amendments: Sequence[Mapping[str, str | None]] = ()


def document(t: NoteText, stock: Stock) -> dict[str, str]:
    """The note's index document: one text per DOC_COLUMNS name."""
    n = t.note
    catalog: list[str] = []
    points = []
    for p in t.trigger_points:
        referred = p.get("referred_pain") or ""
        if referred and stock.holds(referred):
            catalog.append(referred)
            referred = ""
        points.append(_join([_ident(p.get("muscle_id")), p.get("muscle") or "",
                             p.get("side") or "", referred, p.get("note") or ""]))
    follow_up = []
    for key in ("what_to_expect", "when_to_contact"):
        own, stocked = stock.split_lines(n.get(key) or "")
        follow_up.append(own)
        if stocked:
            catalog.extend(stocked.split("\n"))
    findings = [_join([_ident(f.get("ref_id")), f.get("text") or "", f.get("side") or "",
                       _ident(f.get("finding")), f.get("note") or ""]) for f in t.findings]
    work = [_join([_ident(w.get("region_id")), w.get("region") or "", _ident(w.get("modality")),
                   w.get("side") or "", w.get("note") or ""]) for w in t.work]
    return {
        "complaint": _join([n.get("complaint") or "", n.get("since_health") or ""]),
        "summaries": _join([n.get("therapist_summary") or "", n.get("client_summary") or ""]),
        "findings": _join([_join(findings), _join(work), n.get("positioning") or "",
                           n.get("areas_avoided") or ""]),
        "trigger_points": _join(points),
        "cues": _join([_join([_ident(c.get("cue_id")), c.get("text") or "",
                              c.get("response") or ""]) for c in t.cues]),
        "advice": _join([n.get("advice") or "", *follow_up, n.get("referral") or "",
                         *(_join([_ident(h.get("item_id")), h.get("text") or ""])
                           for h in t.home_care)]),
        "amendments": _join([_join([a.get("reason") or "", a.get("text") or ""])
                             for a in t.amendments]),
        "catalog": " | ".join(catalog),  # as a snippet shows them: one sentence after another
    }

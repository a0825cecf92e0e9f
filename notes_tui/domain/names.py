"""Finding a client by name the way a therapist types it: case and accents do not matter
("garcia" finds "García", "lucja" finds "Łucja", "strasse" finds "Straße"), a word may start
anywhere in the name, and the letters of a name in order still find it ("jdoe" finds Jane Doe).

The app's client list, its command palette and the CLI all rank with `name_score`, over every
client (the services read the names; nothing here touches a database).
"""

from __future__ import annotations

import unicodedata

# Letters that carry their mark inside them (no Unicode decomposition), folded by hand.
_FOLD_EXTRA = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ŧ": "t", "ı": "i",
                             "æ": "ae", "œ": "oe", "þ": "th", "ð": "d", "ŀ": "l"})

EXACT_START = 4.0  # the name starts with what was typed
WORD_START = 3.0  # a word of the name does ("doe" in "Jane Doe")
INSIDE = 2.0  # it is somewhere inside the name
ALL_WORDS = 1.5  # every typed word is inside, in any order ("doe jane")
IN_ORDER = 1.0  # its letters appear in order ("jdoe")


def fold(text: str) -> str:
    """Lower case, accents removed, runs of spaces as one: the form names are compared in."""
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.translate(_FOLD_EXTRA).split())


def _in_order(needle: str, haystack: str) -> bool:
    letters = iter(haystack)
    return all(c in letters for c in needle)


def _score(q: str, name: str) -> float:
    if not name:
        return 0.0
    if name.startswith(q):
        return EXACT_START
    if any(word.startswith(q) for word in name.split()):
        return WORD_START
    if q in name:
        return INSIDE
    words = q.split()
    if len(words) > 1 and all(w in name for w in words):
        return ALL_WORDS
    if _in_order(q.replace(" ", ""), name.replace(" ", "")):
        return IN_ORDER
    return 0.0


def name_score(query: str, *names: str | None) -> float:
    """How well `query` finds a client known by `names` (name, preferred name): 0 when it does
    not, otherwise one of the levels above (higher is better). An empty query finds everyone."""
    q = fold(query)
    if not q:
        return IN_ORDER
    return max((_score(q, fold(n or "")) for n in names), default=0.0)


def name_contains(query: str, *names: str | None) -> bool:
    """`query` is inside one of `names`, ignoring case and accents (no letters-in-order)."""
    return name_score(query, *names) >= INSIDE

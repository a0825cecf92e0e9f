"""Search finds what was meant (issue 13): words by their stem on both backends, and the app's own
wording (a muscle's catalog referral text, the stock "when to get in touch" sentences) left out
unless asked for with include:catalog, while the therapist's own words are always found."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from notes_tui.domain.text import FieldError
from notes_tui.services import notes
from notes_tui.services.search import search
from tests.test_search import _note

DATA = Path(__file__).parent / "data"


def _draft(ctx, cid, **content) -> int:
    with ctx.write() as s:
        return notes.start_draft(cid, session=s, settings=ctx.settings,
                                 content={"complaint": "Low back", **content}).id


def _save(ctx, nid, **content) -> None:
    with ctx.write() as s:
        notes.save_draft(nid, {"complaint": "Low back", **content}, session=s, actor="Ana Lee")


def _page(ctx, query, **kw):
    with ctx.read() as s:
        return search(query, session=s, catalog=ctx.catalog, tz=ctx.settings.tz, **kw)


def _ids(ctx, query, **kw):
    return [h.note_id for h in _page(ctx, query, **kw).hits]


def _stock(ctx) -> tuple[str, str]:
    referral = ctx.catalog.muscles["upper_trapezius"].referral_clinical
    warning = ctx.wording.when_to_contact["headache_urgent"].text
    assert "headache" in referral and "headache" in warning  # what these tests rely on
    return referral, warning


@pytest.mark.parametrize(("written", "typed"), [
    ("Headaches most afternoons", "headache"), ("One headache on Monday", "headaches"),
    ("Stretching helped the hip", "stretches"), ("She stretched daily", "stretching"),
    ("Running again after the knee", "runs"),
])
def test_a_word_finds_its_other_forms(ctx, make_client, written, typed):
    cid = make_client()
    nid = _draft(ctx, cid, complaint=written)
    other = _draft(ctx, cid, complaint="Shoulder only")
    assert _ids(ctx, typed) == [nid]
    assert other not in _ids(ctx, typed, typing=True)
    hit = _page(ctx, typed).hits[0]
    lit = [t for t, hot in hit.snippet_parts() if hot]
    assert lit and lit[0].lower() in written.lower()  # the word as written lights up


def test_catalog_referral_text_is_not_the_therapists_words(ctx, make_client):
    referral, _warning = _stock(ctx)
    cid = make_client()
    stock = _draft(ctx, cid, trigger_points=[{"muscle_id": "upper_trapezius", "side": "left",
                                              "referred_pain": referral}])
    own = _draft(ctx, cid, trigger_points=[{"muscle_id": "upper_trapezius", "side": "left",
                                            "referred_pain": "temple, with a headache by noon"}])
    assert _ids(ctx, "headache") == [own]
    assert _ids(ctx, "tension") == []
    assert _page(ctx, "tension").catalog_matches  # said, so the therapist knows to ask
    assert not _page(ctx, "xylophone").catalog_matches
    assert set(_ids(ctx, "headache include:catalog")) == {own, stock}
    assert _ids(ctx, "tension include:catalog") == [stock]
    hit = _page(ctx, "tension include:catalog").hits[0]
    assert ("tension", True) in [(t.lower(), hot) for t, hot in hit.snippet_parts()]
    # the snippet shows the therapist's words first when they match
    mine = {h.note_id: h for h in _page(ctx, "headache include:catalog").hits}[own]
    assert "with a headache by noon" in "".join(t for t, _ in mine.snippet_parts())
    # the muscle itself is the therapist's: a search for it still finds the stock note
    assert set(_ids(ctx, "trapezius")) == {own, stock}
    # one word changed and the referral is theirs
    _save(ctx, stock, trigger_points=[{"muscle_id": "upper_trapezius", "side": "left",
                                       "referred_pain": referral.replace("temple", "jaw")}])
    assert set(_ids(ctx, "tension")) == {stock}


def test_stock_follow_up_sentences_are_left_out_unless_asked(ctx, make_client):
    _referral, warning = _stock(ctx)
    cid = make_client()
    stock = _draft(ctx, cid, when_to_contact=warning)
    mixed = _draft(ctx, cid, when_to_contact=f"{warning}\nCall me if the sudden pain returns.")
    assert _ids(ctx, "severe") == []
    assert _ids(ctx, "sudden") == [mixed]  # the therapist's own line
    assert set(_ids(ctx, "severe include:catalog")) == {stock, mixed}
    assert _ids(ctx, "fever -returns include:catalog") == [stock]
    assert _ids(ctx, "fever -sudden include:catalog") == []  # the warning says "sudden" too
    assert _ids(ctx, '"severe headache" include:catalog')[0] in (stock, mixed)
    assert _ids(ctx, '"severe headache"') == []


def test_include_takes_only_catalog(ctx):
    with pytest.raises(FieldError) as e:
        _page(ctx, "neck include:everything")
    assert "include:catalog" in str(e.value)


def test_a_save_that_changes_no_words_leaves_the_index_entry(ctx, make_client):
    """A pain number or a time changes no indexed word: the save writes no index entry (one
    minute of typing is dozens of autosaves); a changed word rewrites it."""
    from sqlalchemy import event

    cid = make_client()
    nid = _draft(ctx, cid, complaint="Headaches", pain_before=4)
    writes: list[str] = []

    def seen(_conn, _cursor, statement, *_args) -> None:
        if "note_search_doc (" in statement or "note_fts(" in statement \
                or "INTO note_search " in statement:
            writes.append(statement)

    event.listen(ctx.engine, "before_cursor_execute", seen)
    try:
        _save(ctx, nid, complaint="Headaches", pain_before=6)
        assert writes == []
        _save(ctx, nid, complaint="Headaches and neck ache", pain_before=6)
        assert writes
    finally:
        event.remove(ctx.engine, "before_cursor_execute", seen)
    assert _ids(ctx, "neck") == [nid] and _ids(ctx, "headache") == [nid]


def test_an_amendment_is_found_by_its_stem(ctx, make_client):
    nid = _note(ctx, make_client())
    with ctx.write() as s:
        notes.amend(nid, session=s, actor="Ana Lee", reason="late entry",
                    text="Client reported numbness in two fingers")
    assert _ids(ctx, "finger") == [nid]


def test_reindex_sorts_out_a_catalog_changed_since(ctx, make_client, tmp_path):
    """The stock is that of the catalog in use: `db reindex` after the catalog's wording changed
    puts text that is no longer the catalog's back among the therapist's words."""
    from notes_tui.services.search import reindex

    referral, _ = _stock(ctx)
    cid = make_client()
    nid = _draft(ctx, cid, trigger_points=[{"muscle_id": "upper_trapezius", "side": "left",
                                            "referred_pain": referral}])
    assert _ids(ctx, "tension") == []
    with ctx.write() as s:
        s.info["search_stock"] = lambda: __import__(
            "notes_tui.domain.search_doc", fromlist=["Stock"]).Stock()
        reindex(session=s)
    assert _ids(ctx, "tension") == [nid]
    with ctx.write() as s:
        reindex(session=s)
    assert _ids(ctx, "tension") == []


def test_a_release_0006h_database_keeps_its_search_with_the_catalog_apart(tmp_path, settings):
    from sqlalchemy import text

    from notes_tui.paths import config_dir
    from notes_tui.services.context import open_context

    release = DATA / "release-0006h"
    db = tmp_path / "notes.sqlite3"
    shutil.copyfile(release / "notes.sqlite3", db)
    config_dir().mkdir(parents=True, exist_ok=True)
    shutil.copyfile(release / "audit.key", config_dir() / "audit.key")
    ctx = open_context(f"sqlite:///{db}", settings)
    try:
        dump = json.loads((release / "dump.json").read_text(encoding="utf-8"))
        referral = ctx.catalog.muscles["upper_trapezius"].referral_clinical
        stocked = sorted(n["id"] for n in dump["notes"]
                         if any(p.get("referred_pain") == referral
                                for p in n["content"].get("trigger_points", [])))
        assert stocked  # the release's data holds catalog referrals
        with ctx.read() as s:
            rows = dict(s.execute(text("SELECT note_id, catalog FROM note_search_doc")).all())
            tps = dict(s.execute(text("SELECT note_id, trigger_points FROM note_search_doc")).all())
        assert len(rows) == len(dump["notes"])  # every note has its document
        for nid in stocked:
            assert referral in rows[nid] and "tension" not in tps[nid]
        found = set(_ids(ctx, '"tension type" include:catalog', limit=200))
        assert set(stocked) <= found
        assert not set(stocked) & set(_ids(ctx, '"tension type"', limit=200))
        first = dump["notes"][0]["content"]["complaint"].split()[0]
        assert _ids(ctx, first)
    finally:
        ctx.dispose()


def test_the_cli_searches_with_include_catalog(sctx):
    import os
    import subprocess
    import sys

    from notes_tui.db.engine import sqlite_path
    from notes_tui.services.clients import create_client

    referral, _ = _stock(sctx)
    with sctx.write() as s:
        cid = create_client({"name": "Mira Tan", "consent_on_file": "2026-01-05"}, session=s,
                            actor="Ana Lee").id
    _draft(sctx, cid, trigger_points=[{"muscle_id": "upper_trapezius", "side": "left",
                                       "referred_pain": referral}])
    sctx.dispose()

    def run(query: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "notes_tui", "--db",
                               str(sqlite_path(sctx.url)), "search", query],
                              capture_output=True, text=True, env=os.environ.copy(), timeout=120)

    quiet, loud, bad = run("tension"), run("tension include:catalog"), run("neck include:all")
    assert quiet.returncode == 0 and "Mira Tan" not in quiet.stdout, quiet.stderr
    assert "the catalog's wording does: add include:catalog" in quiet.stdout
    assert run("xylophone").stdout.strip() == "no notes match"
    assert loud.returncode == 0 and "Mira Tan" in loud.stdout, loud.stderr
    assert bad.returncode == 2 and "include:catalog" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1 and "Traceback" not in bad.stderr


def test_equal_ranks_list_the_newest_session_first_after_a_draft_moves(ctx, make_client):
    """Notes of equal rank are listed newest session first, also after a draft's time moves in a
    save that changes no word (PostgreSQL keeps the time beside the index entry)."""
    cid = make_client()
    older = _draft(ctx, cid, complaint="Calf cramps")
    newer = _draft(ctx, cid, complaint="Calf cramps")
    with ctx.write() as s:
        notes.save_draft(older, {"complaint": "Calf cramps"}, session=s, actor="Ana Lee",
                         session_start="2026-03-02 09:00")
        notes.save_draft(newer, {"complaint": "Calf cramps"}, session=s, actor="Ana Lee",
                         session_start="2026-03-09 09:00")
    assert _ids(ctx, "calf") == [newer, older]
    with ctx.write() as s:
        notes.save_draft(older, {"complaint": "Calf cramps"}, session=s, actor="Ana Lee",
                         session_start="2026-03-16 09:00")
    assert _ids(ctx, "calf") == [older, newer]
    assert _ids(ctx, "calf status:draft") == [older, newer]  # the filtered path agrees

"""Search: index build, database size and query latency at 10,000 and 100,000 demo notes.

Through the service layer (parse, filters, ranked ids, snippets, trigger points: what the app and
the CLI get) against references measured in the same run on the same database:
  floor - the raw FTS5 query in python's sqlite3: the same MATCH expression (stems, the
          therapist's own columns), bm25 rank, LIMIT 50, then snippet() for those 50 only;
  LIKE  - a naive scan with LIKE '%word%' over the same text (the plain table of index
          documents), finding all matches to rank them.
With NOTES_TUI_BENCH_PG_URL (a PostgreSQL database to fill; BENCH_SEARCH_PG_SIZES, default
the SQLite sizes), the same queries on PostgreSQL against its floor: raw `@@` + ts_rank +
LIMIT 50 with the same tsquery, in psycopg.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

SIZES = [int(x) for x in os.environ.get("BENCH_SEARCH_SIZES", "10000,100000").split(",")]
REPEATS = 3

WORDS = ["neck", "headache", "temple", "calf", "trapezius", "shoulder", "jaw", "heel", "buttock",
         "pain", "trigger", "levator", "piriformis", "soleus", "masseter", "desk", "running",
         "morning", "stiff", "tender", "heat", "stretch", "released", "reduced", "hip"]
PREFIXES = ["trap", "scap", "glut", "head", "shoul", "gastr", "temp", "stre", "calf", "lum",
            "mass", "sub", "pir", "lev", "quad", "infra", "ten", "rel", "red", "mor"]
PHRASES = ['"upper trapezius"', '"low back"', '"levator scapulae"', '"gluteus medius"',
           '"mild soreness"', '"first steps"', '"half marathon"', '"base of skull"',
           '"turn my head"', '"long drives"', '"micro breaks"', '"quadratus lumborum"',
           '"pectoralis minor"', '"calf stretch"', '"heating pad"']
FILTERED = ["neck side:left", "headache pain>=6", "calf status:final", "jaw since:2024-01-01",
            "trapezius after<=3", "shoulder technique:nmt", "heel until:2025-12-31",
            "hip side:right pain>=5", "temple muscle:utr", "stiff status:draft",
            "back muscle:ql", "buttock muscle:piriformis", "running side:bilateral",
            "morning pain>=7", "tender since:2023-01-01", "heat after<=2", "stretch status:final",
            "desk side:left after<=4", "released muscle:scm", "reduced technique:deep"]
QUERIES = ([(w, False) for w in WORDS] + [(p, True) for p in PREFIXES]
           + [(p, False) for p in PHRASES] + [(f, False) for f in FILTERED]
           + [(w + " " + v, False) for w, v in zip(WORDS[:20], PREFIXES[::-1], strict=False)])
assert len(QUERIES) == 100, len(QUERIES)


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(p * len(s)))]


def build(path: Path, n: int):
    from notes_tui.services.context import open_context
    from notes_tui.services.demo import load_demo
    from notes_tui.services.search import reindex
    from notes_tui.settings import Settings

    ctx = open_context(f"sqlite:///{path}", Settings(therapist_name="Bench"))
    t = time.perf_counter()
    with ctx.write() as s:
        load_demo(ctx.catalog, session=s, clients=max(1, n // 8), notes=n, seed=11, tz="UTC",
                  therapist="Bench", registration="B-1")
    load_s = time.perf_counter() - t
    t = time.perf_counter()
    with ctx.write() as s:
        reindex(session=s)
    index_s = time.perf_counter() - t
    return ctx, load_s, index_s


def sizes(path: Path, tmp: Path) -> tuple[float, float]:
    """(database MiB, MiB without the search index)."""
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    whole = tmp / "whole.sqlite3"
    shutil.copy(path, whole)
    con = sqlite3.connect(whole)
    con.execute("VACUUM")
    con.close()
    full = whole.stat().st_size
    bare = tmp / "bare.sqlite3"
    shutil.copy(path, bare)
    con = sqlite3.connect(bare)
    con.executescript("DROP TABLE note_fts_vocab; DROP TABLE note_fts; VACUUM;")
    con.close()
    return full / 2**20, bare.stat().st_size / 2**20


def main() -> None:
    from notes_tui.db.backends.sqlite import WEIGHTS, match_expression
    from notes_tui.domain.search_query import Query, parse_query
    from notes_tui.services.search import expand_aliases, search

    for n in SIZES:
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            db = tmp / "search.sqlite3"
            ctx, load_s, index_s = build(db, n)
            full, bare = sizes(db, tmp)
            raw = sqlite3.connect(db)
            weights = ", ".join(str(w) for w in WEIGHTS)
            app, floor, like = [], [], []
            cat = ctx.catalog
            for rep in range(REPEATS):
                for text, typing in QUERIES:
                    q = expand_aliases(parse_query(text, typing=typing), cat)
                    match = match_expression(Query(groups=q.groups)) if q.groups else None
                    t = time.perf_counter()
                    with ctx.read() as s:
                        search(text, session=s, catalog=cat, tz=ctx.settings.tz, typing=typing)
                    app.append(time.perf_counter() - t)
                    if match:
                        t = time.perf_counter()
                        ids = [r[0] for r in raw.execute(
                            f"SELECT rowid FROM note_fts WHERE note_fts MATCH ? "
                            f"ORDER BY bm25(note_fts, {weights}) LIMIT 50", (match,))]
                        marks = ",".join("?" * len(ids))
                        raw.execute(f"SELECT rowid, snippet(note_fts, -1, '[', ']', '…', 14) "
                                    f"FROM note_fts WHERE note_fts MATCH ? AND rowid IN ({marks})",
                                    (match, *ids)).fetchall()
                        floor.append(time.perf_counter() - t)
                        if rep:  # the LIKE scan is slow: one pass is enough to compare
                            continue
                        word = q.groups[0][0].words[0]
                        t = time.perf_counter()
                        rows = raw.execute(
                            "SELECT note_id FROM note_search_doc WHERE complaint || trigger_points "
                            "|| findings || summaries || cues || advice || amendments LIKE ?",
                            (f"%{word}%",)).fetchall()
                        len(rows)
                        like.append(time.perf_counter() - t)
            raw.close()
            ms = 1000
            a50, a95 = statistics.median(app) * ms, pct(app, 0.95) * ms
            f50, f95 = statistics.median(floor) * ms, pct(floor, 0.95) * ms
            l50 = statistics.median(like) * ms
            print(f"{n:,} notes: demo load {load_s:.1f} s; index rebuild {index_s:.2f} s; "
                  f"database {full:.1f} MiB, {bare:.1f} MiB without the index "
                  f"(index adds {100 * (full / bare - 1):.0f}%)")
            print(f"  app search p50 {a50:.2f} ms, p95 {a95:.2f} ms, slowest {max(app) * ms:.1f} "
                  f"ms | raw FTS5 floor p50 "
                  f"{f50:.2f} ms, p95 {f95:.2f} ms | ratio p50 {a50 / f50:.2f}x, p95 "
                  f"{a95 / f95:.2f}x | naive LIKE (all matches) p50 {l50:.1f} ms: app is "
                  f"{l50 / a50:.1f}x faster")
            save_latency(ctx)
            ctx.dispose()
    pg = os.environ.get("NOTES_TUI_BENCH_PG_URL")
    if pg:
        for n in [int(x) for x in os.environ.get("BENCH_SEARCH_PG_SIZES", ",".join(
                str(s) for s in SIZES)).split(",")]:
            postgresql(pg, n)


def postgresql(url: str, n: int) -> None:
    """The same queries on PostgreSQL, in a database made for the run and dropped after."""
    import uuid

    import psycopg
    from sqlalchemy.engine import make_url

    from notes_tui.db.backends.postgresql import tsquery
    from notes_tui.domain.search_query import Query, fold, parse_query
    from notes_tui.services.context import open_context
    from notes_tui.services.demo import load_demo
    from notes_tui.services.search import expand_aliases, search
    from notes_tui.settings import Settings

    admin = make_url(url)
    name = f"notes_bench_{uuid.uuid4().hex[:8]}"
    dsn = admin.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as con:
        con.execute(f"CREATE DATABASE {name}")
    try:
        db = admin.set(database=name)
        ctx = open_context(db.render_as_string(hide_password=False),
                           Settings(therapist_name="Bench"))
        t = time.perf_counter()
        with ctx.write() as s:
            load_demo(ctx.catalog, session=s, clients=max(1, n // 8), notes=n, seed=11, tz="UTC",
                      therapist="Bench", registration="B-1")
        load_s = time.perf_counter() - t
        raw = psycopg.connect(db.set(drivername="postgresql").render_as_string(
            hide_password=False), autocommit=True)
        raw.execute("VACUUM ANALYZE")
        app, floor = [], []
        cat = ctx.catalog
        for _rep in range(REPEATS):
            for text, typing in QUERIES:
                q = expand_aliases(parse_query(text, typing=typing), cat)
                t = time.perf_counter()
                with ctx.read() as s:
                    search(text, session=s, catalog=cat, tz=ctx.settings.tz, typing=typing)
                app.append(time.perf_counter() - t)
                if q.groups:
                    tsq = tsquery(Query(groups=q.groups), fold)
                    t = time.perf_counter()
                    raw.execute("SELECT note_id FROM note_search WHERE tsv @@ "
                                "to_tsquery('notes_search', %s) ORDER BY ts_rank(tsv, "
                                "to_tsquery('notes_search', %s)) DESC LIMIT 50",
                                (tsq, tsq)).fetchall()
                    floor.append(time.perf_counter() - t)
        raw.close()
        ctx.dispose()
        ms = 1000
        a50, a95 = statistics.median(app) * ms, pct(app, 0.95) * ms
        f50, f95 = statistics.median(floor) * ms, pct(floor, 0.95) * ms
        print(f"{n:,} notes on PostgreSQL: demo load {load_s:.1f} s")
        print(f"  app search p50 {a50:.2f} ms, p95 {a95:.2f} ms, slowest {max(app) * ms:.1f} ms | "
              f"raw @@ + ts_rank floor p50 {f50:.2f} ms, p95 {f95:.2f} ms | ratio p50 "
              f"{a50 / f50:.2f}x, p95 {a95 / f95:.2f}x")
    finally:
        with psycopg.connect(dsn, autocommit=True) as con:
            con.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def save_latency(ctx) -> None:
    from notes_tui.services import notes

    with ctx.read() as s:
        cid = notes.list_notes(session=s, limit=1)[0].client_id
    with ctx.write() as s:
        nid = notes.start_draft(cid, session=s, settings=ctx.settings).id
    times = []
    for i in range(200):
        t = time.perf_counter()
        with ctx.write() as s:
            notes.save_draft(nid, {"complaint": f"neck and shoulder, save {i}", "pain_before": 5,
                                   "trigger_points": [{"muscle_id": "upper_trapezius",
                                                       "side": "left"}]}, session=s, actor="B")
        times.append(time.perf_counter() - t)
    print(f"  saving a draft (index and audit included): p50 {statistics.median(times) * 1000:.2f}"
          f" ms, p95 {pct(times, 0.95) * 1000:.2f} ms")

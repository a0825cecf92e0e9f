"""PDF handout and clinical record: seconds per document against bare ReportLab.

Per handout for one note and for 200 notes in one process, and per clinical record of a client
with several sessions.

The floor, built in the same run: a bare ReportLab SimpleDocTemplate with the same flowables
(our story) and the same embedded DejaVu font, without our page furniture (header, footer,
page X of Y, which needs a second pass). App and floor alternate note by note (client by client
for the record).
"""

from __future__ import annotations

import io
import statistics
import tempfile
import time
from pathlib import Path

N = 200


def main() -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    from notes_tui.export.render import render_handout
    from notes_tui.export.story import build_story
    from notes_tui.export.styles import stylesheet
    from notes_tui.paths import templates_dir
    from notes_tui.services.context import open_context
    from notes_tui.services.demo import load_demo
    from notes_tui.services.handouts import handout_data, load_handout_template
    from notes_tui.services.notes import get_note, list_notes
    from notes_tui.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(therapist_name="Bench Therapist", registration_number="RMT-1")
        ctx = open_context(f"sqlite:///{Path(tmp) / 'pdf.sqlite3'}", settings)
        with ctx.write() as s:
            load_demo(ctx.catalog, session=s, clients=40, notes=260, seed=5, tz="UTC",
                      therapist="Bench Therapist", registration="RMT-1")
        template = load_handout_template(templates_dir() / "handout" / "handout.toml", None)
        with ctx.read() as s:
            ids = [n.id for n in list_notes(session=s, status="final", limit=N)]
            data = [handout_data(get_note(i, session=s), session=s, catalog=ctx.catalog,
                                 settings=settings, template=template) for i in ids]

        def floor(d) -> bytes:
            buf = io.BytesIO()
            SimpleDocTemplate(buf, pagesize=A4).build(build_story(d, stylesheet(d.clinic)))
            return buf.getvalue()

        t = time.perf_counter()
        first = render_handout(data[0])
        first_s = time.perf_counter() - t
        floor(data[0])
        app_t, floor_t, sizes = [], [], []
        for d in data:
            t = time.perf_counter()
            pdf = render_handout(d)
            app_t.append(time.perf_counter() - t)
            sizes.append(len(pdf))
            t = time.perf_counter()
            floor(d)
            floor_t.append(time.perf_counter() - t)
        a, f = statistics.median(app_t), statistics.median(floor_t)
        print(f"first handout in the process (font registration included): {first_s * 1000:.0f} ms,"
              f" {len(first) / 1024:.1f} KB")
        print(f"one handout: app {a * 1000:.1f} ms median vs bare ReportLab floor {f * 1000:.1f} ms"
              f" -> ratio {a / f:.2f}x")
        print(f"{len(data)} handouts: app {sum(app_t):.2f} s vs floor {sum(floor_t):.2f} s -> "
              f"ratio {sum(app_t) / sum(floor_t):.2f}x; sizes median {statistics.median(sizes) / 1024:.1f}"
              f" KB, max {max(sizes) / 1024:.1f} KB")
        _records(ctx, settings, template, floor_doc=SimpleDocTemplate, pagesize=A4)
        ctx.dispose()


def _records(ctx, settings, template, *, floor_doc, pagesize) -> None:
    from sqlalchemy import func, select

    from notes_tui.db.models import Note
    from notes_tui.export.record import _record_styles, record_story, render_record
    from notes_tui.services.records import record_data

    with ctx.read() as s:
        clients = [cid for cid, in s.execute(
            select(Note.client_id).group_by(Note.client_id)
            .order_by(func.count().desc(), Note.client_id).limit(20))]
        data = [record_data(cid, session=s, catalog=ctx.catalog, settings=settings,
                            template=template) for cid in clients]

    def floor(d) -> bytes:
        buf = io.BytesIO()
        floor_doc(buf, pagesize=pagesize).build(record_story(d, _record_styles(d)))
        return buf.getvalue()

    render_record(data[0])
    floor(data[0])
    app_t, floor_t, sessions = [], [], []
    for d in data:
        t = time.perf_counter()
        render_record(d)
        app_t.append(time.perf_counter() - t)
        t = time.perf_counter()
        floor(d)
        floor_t.append(time.perf_counter() - t)
        sessions.append(len(d.notes))
    a, f = statistics.median(app_t), statistics.median(floor_t)
    print(f"clinical record ({len(data)} clients, {min(sessions)}-{max(sessions)} sessions each):"
          f" app {a * 1000:.1f} ms median vs bare ReportLab floor {f * 1000:.1f} ms -> ratio "
          f"{a / f:.2f}x")

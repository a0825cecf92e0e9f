"""Two processes saving notes into one SQLite file at once: no "database is locked", exact counts."""

import json
import subprocess
import sys
import textwrap

from sqlalchemy import text

from notes_tui.services import notes
from notes_tui.services.audit import verify

WORKER = textwrap.dedent("""
    import json, sys
    from notes_tui.services.context import open_context
    from notes_tui.services import notes
    from notes_tui.settings import Settings
    url, cid, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    ctx = open_context(url, Settings(therapist_name="P"), migrate=False)
    errors = 0
    for i in range(n):
        try:
            with ctx.write() as s:
                nid = notes.start_draft(cid, session=s, settings=ctx.settings).id
            with ctx.write() as s:
                notes.save_draft(nid, {"complaint": f"save {i}", "pain_before": i % 11},
                                 session=s, actor="P")
        except Exception as exc:
            errors += 1
            print(type(exc).__name__, exc, file=sys.stderr)
    print(json.dumps({"errors": errors}))
""")


def test_two_processes_save_at_once(sctx, tmp_path):
    from notes_tui.services import clients

    with sctx.write() as s:
        cid = clients.create_client({"name": "Shared"}, session=s, actor="A").id
    script = tmp_path / "worker.py"
    script.write_text(WORKER)
    per = 150
    procs = [subprocess.Popen([sys.executable, str(script), sctx.url, str(cid), str(per)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    results = [p.communicate(timeout=300) for p in procs]
    for out, err in results:
        assert json.loads(out.strip().splitlines()[-1]) == {"errors": 0}, err
    with sctx.read() as s:
        assert s.execute(text("SELECT count(*) FROM note")).scalar() == 2 * per
        assert s.execute(text("SELECT count(*) FROM audit_event")).scalar() == 1 + 2 * 2 * per
        assert verify(s, note_digest=notes.note_digest).ok

"""Retention (CMTO): keep-until dates, pure and from a real database; the CLI lists them."""
import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime

import pytest

from notes_tui.domain.retention import add_years, keep_until
from notes_tui.domain.rotation import backups_to_keep


@pytest.mark.parametrize(("last", "born", "expected"), [
    (date(2020, 5, 1), date(1980, 1, 1), date(2030, 5, 1)),  # an adult: 10 years after
    (date(2020, 5, 1), None, date(2030, 5, 1)),  # no date of birth: 10 years after
    (None, date(1980, 1, 1), None),  # no visit: nothing clinical to keep
    (None, None, None),
    # under 18 at the last visit: 10 years after the 18th birthday (2032-03-10 -> 2042)
    (date(2025, 6, 1), date(2014, 3, 10), date(2042, 3, 10)),
    # 17 at the visit, 18 soon after: the birthday rule is still later
    (date(2020, 3, 9), date(2002, 3, 10), date(2030, 3, 10)),
    # 18 on the day of the visit: an adult, 10 years after the visit
    (date(2020, 3, 10), date(2002, 3, 10), date(2030, 3, 10)),
    # 17 at the visit, 18 five months later: the later birthday rule wins
    (date(2010, 1, 1), date(1992, 6, 1), date(2020, 6, 1)),
    # born February 29: 18 on 2022-03-01 (a common year), then + 10 years
    (date(2015, 1, 1), date(2004, 2, 29), date(2032, 3, 1)),
    # a last visit on February 29: 10 years later is a common year -> March 1
    (date(2024, 2, 29), date(1970, 1, 1), date(2034, 3, 1)),
    # a last visit on February 29, 2016: 2026 is a common year
    (date(2016, 2, 29), None, date(2026, 3, 1)),
])
def test_keep_until(last, born, expected):
    assert keep_until(last, born) == expected


def test_add_years_keeps_leap_days_when_it_can():
    assert add_years(date(2000, 2, 29), 4) == date(2004, 2, 29)
    assert add_years(date(2000, 2, 29), 1) == date(2001, 3, 1)
    assert add_years(date(2001, 3, 1), 10) == date(2011, 3, 1)


def test_a_minor_born_feb_29_turning_18_in_a_leap_year():
    # born 2008-02-29: 18 on 2026-03-01 (2026 is common); +10 -> 2036-03-01
    assert keep_until(date(2020, 1, 1), date(2008, 2, 29)) == date(2036, 3, 1)


def test_rotation_pure_edge_cases():
    assert backups_to_keep([]) == set()
    one = datetime(2026, 1, 1, tzinfo=UTC)
    assert backups_to_keep([one]) == {one}
    same_day = [datetime(2026, 1, 1, h, tzinfo=UTC) for h in range(10)]
    assert backups_to_keep(same_day) == {same_day[-1]}


def _note_at(ctx, cid, when):
    from notes_tui.services import notes

    with ctx.write() as s:
        return notes.start_draft(cid, session=s, settings=ctx.settings, session_start=when).id


def test_retention_report_past_and_kept(sctx):
    from notes_tui.services.clients import create_client
    from notes_tui.services.retention import retention_report

    with sctx.write() as s:
        old = create_client({"name": "Old Adult", "date_of_birth": "1950-01-01"},
                            session=s, actor="A").id
        minor = create_client({"name": "Was A Minor", "date_of_birth": "2005-07-01"},
                              session=s, actor="A").id
        recent = create_client({"name": "Recent"}, session=s, actor="A").id
        never = create_client({"name": "Never Came"}, session=s, actor="A").id
    _note_at(sctx, old, datetime(2012, 3, 1, 15, tzinfo=UTC))
    _note_at(sctx, old, datetime(2014, 6, 1, 15, tzinfo=UTC))
    _note_at(sctx, minor, datetime(2014, 6, 1, 15, tzinfo=UTC))  # aged 8
    _note_at(sctx, recent, datetime(2025, 6, 1, 15, tzinfo=UTC))
    with sctx.read() as s:
        report = retention_report(s, date(2026, 12, 2), tz=sctx.settings.tz)
    by_id = {c.client_id: c for c in report.clients}
    assert by_id[old].last_visit == date(2014, 6, 1)
    assert by_id[old].keep_until == date(2024, 6, 1)
    assert by_id[minor].keep_until == date(2033, 7, 1)  # 18 on 2023-07-01, + 10 years
    assert by_id[recent].keep_until == date(2035, 6, 1)
    assert by_id[never].keep_until is None and by_id[never].notes == 0
    assert [c.client_id for c in report.past] == [old]
    assert {c.client_id for c in report.kept} == {minor, recent}
    assert [c.client_id for c in report.no_visits] == [never]


def test_cli_retention_json_and_text(sctx):
    from notes_tui.services.clients import create_client

    with sctx.write() as s:
        old = create_client({"name": "Long Gone"}, session=s, actor="A").id
        kept = create_client({"name": "Still Here"}, session=s, actor="A").id
    _note_at(sctx, old, datetime(2001, 3, 1, 15, tzinfo=UTC))
    _note_at(sctx, kept, datetime(2026, 3, 1, 15, tzinfo=UTC))
    db = sctx.url.removeprefix("sqlite:///")
    cmd = [sys.executable, "-m", "notes_tui", "--db", db, "retention"]
    out = json.loads(subprocess.run([*cmd, "--json"], capture_output=True, text=True,
                                    env=os.environ.copy(), check=True).stdout)
    assert [(c["id"], c["keep_until"]) for c in out["past"]] == [(old, "2011-03-01")]
    assert [(c["id"], c["keep_until"]) for c in out["kept"]] == [(kept, "2036-03-01")]
    human = subprocess.run(cmd, capture_output=True, text=True, env=os.environ.copy(),
                           check=True).stdout
    assert "1 client past their keep-until date" in human
    assert "Long Gone" in human and "keep until 2011-03-01" in human
    assert "1 client must still be kept" in human and "keep until 2036-03-01" in human


def test_the_clinical_record_and_the_client_screen_data_show_keep_until(sctx, tmp_path):
    from notes_tui.services.api import Services
    from notes_tui.services.clients import create_client
    from tests.test_one_read_model import pdf_text

    with sctx.write() as s:
        cid = create_client({"name": "Was A Minor", "date_of_birth": "2005-07-01"},
                            session=s, actor="A").id
    _note_at(sctx, cid, datetime(2014, 6, 1, 15, tzinfo=UTC))
    services = Services(sctx)
    assert services.clients.history(cid).keep_until == date(2033, 7, 1)
    text = pdf_text(services.records.export(cid, out=tmp_path))
    assert "Keep records until 2033-07-01" in " ".join(text.split())

"""Automatic backups in the app: on quit after a change, none when nothing changed, a daily one
while open, and a failure that is a notification (or one line after closing), never a crash."""

from datetime import UTC, datetime, timedelta

from notes_tui.services import clients
from notes_tui.services.backups import read_manifest
from notes_tui.ui.app import make_app
from tests.ui.helpers import settle


async def _run_and_quit(url, settings, during=None):
    app = make_app(url, settings)
    app.said_on_exit = []
    real_exit = app._exit_after_backup

    def exit_after_backup(message: str) -> None:
        app.said_on_exit.append(message)
        real_exit(message)

    app._exit_after_backup = exit_after_backup
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        if during is not None:
            await during(app, pilot)
        await pilot.press("ctrl+q")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    return app


def _folder(tmp_path):
    return tmp_path / "home-backups"


def _settings(settings, tmp_path, automatic=True):
    from dataclasses import replace

    from notes_tui.settings import Backups

    return replace(settings, backups=Backups(folder=str(_folder(tmp_path)), automatic=automatic))


async def test_quit_takes_a_backup_after_a_change_and_none_without(sctx, settings, tmp_path):
    settings = _settings(settings, tmp_path)
    with sctx.write() as s:
        clients.create_client({"name": "Ana Silva"}, session=s, actor="Ana")
    app = await _run_and_quit(sctx.url, settings)
    assert app.return_code == 0 and app.said_on_exit == [""]
    [entry] = read_manifest(_folder(tmp_path))
    assert entry.status == "ok" and entry.reason == "quit" and entry.clients == 1
    assert (_folder(tmp_path) / entry.file).is_file()
    await _run_and_quit(sctx.url, settings)  # nothing changed: no second backup
    assert len(read_manifest(_folder(tmp_path))) == 1


async def test_automatic_off_takes_none(sctx, settings, tmp_path):
    settings = _settings(settings, tmp_path, automatic=False)
    with sctx.write() as s:
        clients.create_client({"name": "Ana Silva"}, session=s, actor="Ana")
    await _run_and_quit(sctx.url, settings)
    assert read_manifest(_folder(tmp_path)) == []


async def test_daily_check_backs_up_when_the_last_is_old_and_a_failure_is_a_notice(
        sctx, settings, tmp_path, monkeypatch):
    settings = _settings(settings, tmp_path)
    with sctx.write() as s:
        clients.create_client({"name": "Ana Silva"}, session=s, actor="Ana")

    async def during(app, pilot):
        app.auto_backup.tick()  # no backup yet: due
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        [entry] = read_manifest(_folder(tmp_path))
        assert entry.reason == "daily"
        app.auto_backup.tick()  # one a day: not due again
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert len(read_manifest(_folder(tmp_path))) == 1
        from notes_tui.services.api import Backups
        from notes_tui.services.backups import BackupError

        real_due = Backups.due
        monkeypatch.setattr(Backups, "due", lambda self, on_quit, now=None: real_due(
            self, on_quit=on_quit, now=datetime.now(UTC) + timedelta(hours=25)))

        def broken(self, **kwargs):
            raise BackupError("the backup of x: failed verify (made up)")

        monkeypatch.setattr(Backups, "take", broken)
        app.auto_backup.tick()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        shown = [n.message for n in app._notifications]
        assert any("automatic backup failed" in m and "made up" in m for m in shown), shown
        assert not app.auto_backup.running
        with sctx.write() as s:
            clients.create_client({"name": "Ben Okafor"}, session=s, actor="Ana")  # a change

    app = await _run_and_quit(sctx.url, settings, during)
    assert app.return_code == 0  # the failed quit backup too is no crash: one line after
    said = app.said_on_exit
    assert any("the backup on quit failed" in r and "made up" in r for r in said), said

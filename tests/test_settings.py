"""Settings: defaults, a full file, and one-line messages naming the field."""

import pytest

from notes_tui.settings import SettingsError, load_settings


def test_missing_file_gives_defaults(tmp_path):
    s = load_settings(tmp_path / "none.toml")
    assert s.paper_size == "A4" and s.timezone == "UTC" and s.author == "therapist"


def test_full_file(tmp_path):
    f = tmp_path / "settings.toml"
    f.write_text('therapist_name = "Ana Lee"\nregistration_number = "RMT-1"\n'
                 'timezone = "America/Toronto"\npaper_size = "Letter"\n'
                 '[clinic]\nname = "Harbour"\n[keymap]\n"app.quit" = "ctrl+x"\n')
    s = load_settings(f)
    assert (s.therapist_name, s.clinic.name, s.paper_size, s.tz.key) == (
        "Ana Lee", "Harbour", "Letter", "America/Toronto")
    assert s.keymap == {"app.quit": "ctrl+x"}


@pytest.mark.parametrize("text,needle", [
    ('paper_size = "A3"', "paper_size"),
    ('timezone = "Mars/Olympus"', "timezone"),
    ('colour = "red"', "colour: is not a setting"),
    ('[clinic]\nfax = "1"', "clinic.fax"),
    ('therapist_name = 5', "therapist_name"),
    ('keymap = "x"', "keymap"),
    ('therapist_name = "unterminated', "not valid TOML"),
])
def test_bad_settings_name_the_field(tmp_path, text, needle):
    f = tmp_path / "settings.toml"
    f.write_text(text)
    with pytest.raises(SettingsError) as err:
        load_settings(f)
    assert needle in str(err.value) and str(f) in str(err.value)
    assert "\n" not in str(err.value)


def test_a_theme_is_a_setting_and_a_bad_name_is_refused(tmp_path):
    from notes_tui.settings import SettingsError, settings_from_text

    path = tmp_path / "settings.toml"
    assert settings_from_text('theme = "textual-light"\n', path).theme == "textual-light"
    assert settings_from_text("", path).theme == ""
    for bad in ('theme = "Bad Theme!"', 'theme = 3', 'theme = "[bold]x"'):
        with pytest.raises(SettingsError, match="theme: must be a theme's name"):
            settings_from_text(bad + "\n", path)


def test_default_zone_is_the_machines_not_assumed_utc(tmp_path, monkeypatch):
    """A therapist in Toronto gets Toronto times on handouts without editing settings.toml."""
    from notes_tui.settings import machine_timezone

    monkeypatch.setenv("TZ", "America/Toronto")
    s = load_settings(tmp_path / "none.toml")
    assert s.timezone == "America/Toronto"
    assert machine_timezone({"TZ": ":/usr/share/zoneinfo/Europe/Paris"}) == "Europe/Paris"
    # no TZ: the /etc/localtime link names the zone
    zdir = tmp_path / "usr" / "share" / "zoneinfo" / "Asia"
    zdir.mkdir(parents=True)
    (zdir / "Tokyo").write_bytes(b"TZif")
    link = tmp_path / "localtime"
    link.symlink_to(zdir / "Tokyo")
    assert machine_timezone({}, localtime=link, timezone_file=tmp_path / "no") == "Asia/Tokyo"
    # no link: /etc/timezone; nothing usable at all: UTC
    named = tmp_path / "timezone"
    named.write_text("Australia/Perth\n")
    assert machine_timezone({"TZ": "Mars/Olympus"}, localtime=tmp_path / "none",
                            timezone_file=named) == "Australia/Perth"
    assert machine_timezone({}, localtime=tmp_path / "none",
                            timezone_file=tmp_path / "no") == "UTC"

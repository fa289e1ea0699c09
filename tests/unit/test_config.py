"""Configuration: defaults, file precedence, secrets from the environment, clear errors."""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path

import pytest

from bulletins.config import load_settings, settings_from_dict
from bulletins.errors import ConfigError


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def empty_cwd(tmp_path, monkeypatch):
    """A working directory without any bulletins.toml."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --- defaults -----------------------------------------------------------------------------


def test_defaults_apply_when_there_is_no_file(empty_cwd):
    settings = load_settings(env={})

    assert settings.source is None
    assert settings.timezone.key == "Europe/Paris"
    assert settings.locale == "fr"
    assert settings.holiday_country == "FR"
    assert settings.schedule.deadline.weekday == 5  # Friday
    assert settings.schedule.deadline.at == time(15, 5)
    assert str(settings.schedule.deadline) == "friday 15:05"
    assert settings.schedule.reminders == (time(14, 0), time(14, 45))
    assert settings.anonymity_k == 5
    assert settings.database_url == "sqlite:///bulletins.db"
    assert settings.slack.bot_token is None


def test_file_values_override_defaults_and_untouched_keys_keep_theirs(tmp_path):
    path = write(
        tmp_path / "prog.toml",
        """
[programme]
name = "Promo 2026"
timezone = "America/Montreal"
locale = "en"
holiday_country = "de"

[schedule]
deadline = "Thursday 17:30"
reminders = ["16:45", "16:00"]
reminder_grace_minutes = 20
digest_grace_hours = 6

[channels]
digest = "C0123DIGEST"

[surveys]
anonymity_k = 3
""",
    )
    settings = load_settings(path, env={})

    assert settings.source == path
    assert settings.programme_name == "Promo 2026"
    assert settings.timezone.key == "America/Montreal"
    assert settings.locale == "en"
    assert settings.holiday_country == "DE"
    assert settings.schedule.deadline.weekday == 4
    assert settings.schedule.deadline.at == time(17, 30)
    assert settings.schedule.reminders == (time(16, 0), time(16, 45))
    assert settings.schedule.reminder_grace == timedelta(minutes=20)
    assert settings.schedule.digest_grace == timedelta(hours=6)
    assert settings.schedule.form_opens.weekday == 1  # default kept
    assert settings.channels.digest == "C0123DIGEST"
    assert settings.channels.staff == "equipe-programme"
    assert settings.anonymity_k == 3


# --- precedence ---------------------------------------------------------------------------


@pytest.fixture
def three_files(tmp_path, monkeypatch):
    """An explicit file, a $BULLETINS_CONFIG file and a ./bulletins.toml, each distinct."""
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    write(cwd / "bulletins.toml", '[programme]\nname = "from cwd"\n')
    from_env = write(tmp_path / "env.toml", '[programme]\nname = "from env"\n')
    explicit = write(tmp_path / "explicit.toml", '[programme]\nname = "from explicit"\n')
    return explicit, from_env


def test_explicit_path_wins_over_env_and_cwd(three_files):
    explicit, from_env = three_files
    settings = load_settings(explicit, env={"BULLETINS_CONFIG": str(from_env)})
    assert settings.programme_name == "from explicit"
    assert settings.source == explicit


def test_bulletins_config_wins_over_cwd(three_files):
    _, from_env = three_files
    settings = load_settings(env={"BULLETINS_CONFIG": str(from_env)})
    assert settings.programme_name == "from env"
    assert settings.source == from_env


def test_cwd_file_is_used_when_nothing_else_is_given(three_files):
    settings = load_settings(env={})
    assert settings.programme_name == "from cwd"
    assert settings.source is not None and settings.source.name == "bulletins.toml"


def test_bulletins_config_pointing_nowhere_is_an_error_not_a_silent_default(empty_cwd):
    missing = empty_cwd / "nope.toml"
    with pytest.raises(ConfigError, match="nope.toml"):
        load_settings(env={"BULLETINS_CONFIG": str(missing)})


# --- environment --------------------------------------------------------------------------


SECRETS = {
    "SLACK_BOT_TOKEN": "xoxb-secret-bot-token",
    "SLACK_SIGNING_SECRET": "signing-secret-value",
    "SLACK_APP_TOKEN": "xapp-secret-app-token",
}


def test_slack_secrets_are_read_from_env_and_never_shown_in_repr(empty_cwd):
    settings = load_settings(env={**SECRETS, "SLACK_API_URL": "http://localhost:9999/api/"})

    assert settings.slack.bot_token == "xoxb-secret-bot-token"
    assert settings.slack.signing_secret == "signing-secret-value"
    assert settings.slack.app_token == "xapp-secret-app-token"
    assert settings.slack.api_url == "http://localhost:9999/api/"
    shown = repr(settings) + str(settings) + repr(settings.slack)
    for secret in SECRETS.values():
        assert secret not in shown


def test_the_console_s_settings_come_from_the_file_and_the_environment(tmp_path):
    path = write(tmp_path / "b.toml", '[console]\nurl = "https://b.example.org/"\n')
    env = {
        "BULLETINS_CONSOLE_SECURE_COOKIES": "false",
        "BULLETINS_CONSOLE_SESSION_HOURS": "8",
        "SLACK_CLIENT_ID": "123.456",
        "SLACK_CLIENT_SECRET": "client-secret-value",
    }
    settings = load_settings(path, env=env)
    assert settings.console.url == "https://b.example.org"
    assert settings.console.secure_cookies is False
    assert settings.console.session_hours == 8
    assert settings.slack.client_id == "123.456"
    assert "client-secret-value" not in repr(settings)
    assert load_settings(write(tmp_path / "e.toml", ""), env={}).console.secure_cookies is True


def test_archiving_is_off_unless_set_and_archives_go_beside_a_sqlite_database(tmp_path):
    path = write(tmp_path / "b.toml", "")
    default = load_settings(path, env={"DATABASE_URL": "sqlite:////srv/data/bulletins.db"})
    assert default.retention.archive_cohorts_after_days is None
    assert default.retention.archive_directory == Path("/srv/data/archives")
    on_postgresql = load_settings(path, env={"DATABASE_URL": "postgresql://db/b"})
    assert on_postgresql.retention.archive_directory == Path("archives")
    path = write(tmp_path / "a.toml", '[retention]\narchive_directory = "kept"\n')
    assert load_settings(path, env={}).retention.archive_directory == tmp_path / "kept"


def test_retention_periods_come_from_the_environment_as_numbers(tmp_path):
    env = {
        "BULLETINS_RETENTION_ARCHIVE_COHORTS_AFTER_DAYS": "730",
        "BULLETINS_RETENTION_SENT_MESSAGES_DAYS": "30",
        "BULLETINS_RETENTION_ARCHIVE_DIRECTORY": "/srv/archives",
    }
    retention = load_settings(write(tmp_path / "b.toml", ""), env=env).retention
    assert retention.archive_cohorts_after_days == 730 and retention.sent_messages_days == 30
    assert retention.archive_directory == Path("/srv/archives")
    env["BULLETINS_RETENTION_ARCHIVE_COHORTS_AFTER_DAYS"] = "7"
    with pytest.raises(ConfigError, match="BULLETINS_RETENTION_ARCHIVE_COHORTS_AFTER_DAYS"):
        load_settings(write(tmp_path / "b.toml", ""), env=env)


def test_database_url_env_overrides_file(tmp_path):
    path = write(tmp_path / "b.toml", '[database]\nurl = "sqlite:///from-file.db"\n')
    assert load_settings(path, env={}).database_url == "sqlite:///from-file.db"
    overridden = load_settings(path, env={"DATABASE_URL": "sqlite:///from-env.db"})
    assert overridden.database_url == "sqlite:///from-env.db"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@db:5432/b", "postgresql+psycopg://u:p@db:5432/b"),
        ("postgresql://u:p@db/b", "postgresql+psycopg://u:p@db/b"),
        ("postgresql+psycopg://u:p@db/b", "postgresql+psycopg://u:p@db/b"),
    ],
)
def test_postgres_urls_get_the_psycopg_driver(empty_cwd, given, expected):
    assert load_settings(env={"DATABASE_URL": given}).database_url == expected


# --- errors -------------------------------------------------------------------------------


def config_error(tmp_path: Path, text: str) -> str:
    path = write(tmp_path / "bad.toml", text)
    with pytest.raises(ConfigError) as caught:
        load_settings(path, env={})
    message = str(caught.value)
    assert str(path) in message, message
    return message


@pytest.mark.parametrize(
    ("toml", "must_mention"),
    [
        ('[programme]\ntimezone = "Europe/Pariss"\n', ["[programme] timezone", "IANA", "Pariss"]),
        ('[programme]\nlocale = "de"\n', ["[programme] locale", "fr, en", "'de'"]),
        ('[programme]\nholiday_country = "XX"\n', ["[programme] holiday_country", "country", "XX"]),
        ('[schedule]\ncall_to_action = "25:00"\n', ["[schedule] call_to_action", "HH:MM", "25:00"]),
        (
            '[schedule]\nreminders = ["14:00", "25:00"]\n',
            ["[schedule] reminders", "HH:MM", "25:00"],
        ),
        (
            '[schedule]\ndeadline = "vendredi 15:05"\n',
            ["[schedule] deadline", "friday 15:05", "vendredi"],
        ),
        ('[schedule]\ndeadline = "friday 25:00"\n', ["[schedule] deadline", "HH:MM", "25:00"]),
        ('[schedule]\nreminders = "14:00"\n', ["[schedule] reminders", "list of times"]),
        ("[surveys]\nanonymity_k = 0\n", ["[surveys] anonymity_k", "at least 3", "0"]),
        ("[surveys]\nanonymity_k = 2\n", ["[surveys] anonymity_k", "at least 3", "group of 2"]),
        (
            "[schedule]\ndigest_grace_hours = 100000000000\n",
            ["[schedule] digest_grace_hours", "from 1 to 168", "100000000000"],
        ),
        (
            "[schedule]\ndigest_grace_hours = 1e11\n",
            ["[schedule] digest_grace_hours", "100000000000.0"],
        ),
        (
            "[schedule]\nreminder_grace_minutes = 1000000000000\n",
            ["[schedule] reminder_grace_minutes", "from 1 to 1440"],
        ),
        (
            '[schedule]\nreminders = ["14:00", "15:05", "16:00"]\n',
            ["[schedule] reminders", "15:05, 16:00 is not before the deadline (friday 15:05)"],
        ),
        (
            "[delivery]\nchannel_messages_per_second = nan\n",
            ["[delivery] channel_messages_per_second", "from 0.01 to 100", "nan"],
        ),
        (
            "[delivery]\nchannel_messages_per_second = 1e-300\n",
            ["[delivery] channel_messages_per_second", "from 0.01 to 100"],
        ),
        (
            "[delivery]\nworkspace_messages_per_minute = inf\n",
            ["[delivery] workspace_messages_per_minute", "from 1 to 100000", "inf"],
        ),
        ('[surveys]\nanonymity_k = "5"\n', ["[surveys] anonymity_k", "whole number", "'5'"]),
        ("[surveys]\nanonymity_k = true\n", ["[surveys] anonymity_k", "whole number", "True"]),
        (
            "[retention]\nsent_messages_days = 0\n",
            ["[retention] sent_messages_days", "from 1 to 3650", "0"],
        ),
        (
            '[retention]\nbulletin_revisions_days = "1 year"\n',
            ["[retention] bulletin_revisions_days", "whole number", "'1 year'"],
        ),
        (
            "[retention]\nreceived_requests_days = 1000\n",
            ["[retention] received_requests_days", "from 1 to 365", "1000"],
        ),
        (
            "[retention]\narchive_cohorts_after_days = 10\n",
            ["[retention] archive_cohorts_after_days", "from 30 to", "10"],
        ),
        ('[programme]\nprivacy_contact = ""\n', ["[programme] privacy_contact", "non-empty"]),
        (
            '[programme]\npublic_url = "bulletins.example.org"\n',
            ["[programme] public_url", "https://bulletins.example.org", "'bulletins.example.org'"],
        ),
        ('[console]\nurl = "bulletins.example.org"\n', ["[console] url", "https://"]),
        ('[console]\nsecure_cookies = "yes"\n', ["[console] secure_cookies", "true or false"]),
        ("[console]\nsession_hours = 0\n", ["[console] session_hours", "from 1 to 720"]),
    ],
)
def test_bad_values_name_file_key_and_expectation(tmp_path, toml, must_mention):
    message = config_error(tmp_path, toml)
    for fragment in must_mention:
        assert fragment in message, message


def test_unknown_key_suggests_the_close_one(tmp_path):
    message = config_error(tmp_path, '[schedule]\ndeadlin = "friday 15:05"\n')
    assert "[schedule]" in message
    assert "'deadlin'" in message
    assert "did you mean 'deadline'" in message


def test_unknown_key_without_close_match_lists_known_keys(tmp_path):
    message = config_error(tmp_path, '[channels]\nzzzz = "x"\n')
    assert "'zzzz'" in message
    assert "digest" in message and "staff" in message


def test_unknown_table_is_refused_with_suggestion(tmp_path):
    message = config_error(tmp_path, '[schedul]\ndeadline = "friday 15:05"\n')
    assert "unknown table 'schedul'" in message
    assert "did you mean 'schedule'" in message


def test_key_outside_any_table_is_refused_listing_the_tables(tmp_path):
    message = config_error(tmp_path, 'deadline = "friday 15:05"\n')
    assert "'deadline' is outside any table; put it under [schedule]" in message
    message = config_error(tmp_path, 'colour = "blue"\n')
    assert "unknown table 'colour'" in message
    assert "known tables: programme, schedule" in message


def test_invalid_toml_names_the_file(tmp_path):
    message = config_error(tmp_path, "[programme\nname = \n")
    assert "TOML" in message


def test_missing_explicit_file_is_an_error(empty_cwd):
    missing = empty_cwd / "missing.toml"
    with pytest.raises(ConfigError, match="missing.toml") as caught:
        load_settings(missing, env={})
    assert "no such" in str(caught.value)


@pytest.mark.parametrize("opens", ["friday 09:00", "saturday 09:00"])
def test_form_must_open_before_the_deadline(tmp_path, opens):
    message = config_error(
        tmp_path, f'[schedule]\nform_opens = "{opens}"\ndeadline = "friday 15:05"\n'
    )
    assert "[schedule] form_opens" in message
    assert "before" in message


def test_settings_from_dict_validates_too():
    with pytest.raises(ConfigError, match=r"\[surveys\] anonymity_k"):
        settings_from_dict({"surveys": {"anonymity_k": -1}})
    assert settings_from_dict({"surveys": {"anonymity_k": 7}}).anonymity_k == 7


def test_the_public_address_is_kept_without_its_last_slash():
    settings = settings_from_dict({"programme": {"public_url": "https://b.example.org/"}})
    assert settings.public_url == "https://b.example.org"
    assert settings_from_dict({}).public_url is None

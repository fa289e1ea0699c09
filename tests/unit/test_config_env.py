"""Every setting from the environment: BULLETINS_<TABLE>_<KEY>, the hosts' database
variables, and errors naming the variable."""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path

import pytest

from bulletins.config import load_settings, unknown_variables
from bulletins.errors import ConfigError

FILE = """
[programme]
locale = "fr"
name = "From the file"

[schedule]
reminders = ["14:00"]
"""


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "bulletins.toml"
    path.write_text(FILE, encoding="utf-8")
    return path


def test_every_kind_of_key_can_come_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = load_settings(
        env={
            "BULLETINS_PROGRAMME_TIMEZONE": "America/Montreal",
            "BULLETINS_SCHEDULE_DEADLINE": "thursday 17:30",
            "BULLETINS_SCHEDULE_REMINDERS": "16:45, 16:00",
            "BULLETINS_SCHEDULE_SNAPSHOT_MONTHS": "3,9",
            "BULLETINS_SCHEDULE_REMINDER_GRACE_MINUTES": "20",
            "BULLETINS_CHANNELS_STAFF": "C0STAFF",
            "BULLETINS_DELIVERY_CHANNEL_MESSAGES_PER_SECOND": "0.5",
            "BULLETINS_SURVEYS_ANONYMITY_K": "7",
            "BULLETINS_SURVEYS_DIRECTORY": "more-surveys",
            "BULLETINS_HEALTH_SCHEDULER_MAX_AGE_MINUTES": "30",
        }
    )
    assert settings.timezone.key == "America/Montreal"
    assert str(settings.schedule.deadline) == "thursday 17:30"
    assert settings.schedule.reminders == (time(16, 0), time(16, 45))
    assert settings.schedule.snapshot_months == (3, 9)
    assert settings.schedule.reminder_grace == timedelta(minutes=20)
    assert settings.channels.staff == "C0STAFF"
    assert settings.delivery.channel_messages_per_second == 0.5
    assert settings.anonymity_k == 7
    assert settings.survey_directory == Path("more-surveys")
    assert settings.scheduler_max_age == timedelta(minutes=30)


def test_a_variable_wins_over_the_file_and_the_file_keeps_the_rest(config_file):
    settings = load_settings(config_file, env={"BULLETINS_PROGRAMME_LOCALE": "en"})
    assert settings.locale == "en"
    assert settings.programme_name == "From the file"
    assert settings.schedule.reminders == (time(14, 0),)


def test_an_empty_variable_is_not_a_value(config_file):
    assert load_settings(config_file, env={"BULLETINS_PROGRAMME_LOCALE": ""}).locale == "fr"


@pytest.mark.parametrize(
    ("variable", "value", "must_mention"),
    [
        ("BULLETINS_SURVEYS_ANONYMITY_K", "two", "whole number of at least 3, got 'two'"),
        ("BULLETINS_SURVEYS_ANONYMITY_K", "2", "whole number of at least 3, got 2"),
        ("BULLETINS_PROGRAMME_LOCALE", "de", "expected one of fr, en, got 'de'"),
        ("BULLETINS_SCHEDULE_REMINDERS", "14:00,25:00", "expected a time 'HH:MM'"),
        ("BULLETINS_PROGRAMME_TIMEZONE", "Mars/Olympus", "IANA timezone"),
        ("BULLETINS_HEALTH_SCHEDULER_MAX_AGE_MINUTES", "0", "from 1 to 1440, got 0"),
    ],
)
def test_a_bad_value_names_the_variable(config_file, variable, value, must_mention):
    with pytest.raises(ConfigError) as caught:
        load_settings(config_file, env={variable: value})
    assert str(caught.value).startswith(f"{variable}: ")
    assert must_mention in str(caught.value)


def test_the_file_is_not_blamed_for_a_bad_variable(config_file):
    with pytest.raises(ConfigError) as caught:
        load_settings(config_file, env={"BULLETINS_PROGRAMME_LOCALE": "de"})
    assert str(config_file) not in str(caught.value)


SCALINGO = "postgres://u:p@scalingo-db:5432/app"
CLEVER = "postgresql://u:p@clever-db:5432/app"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"SCALINGO_POSTGRESQL_URL": SCALINGO}, "postgresql+psycopg://u:p@scalingo-db:5432/app"),
        ({"POSTGRESQL_ADDON_URI": CLEVER}, "postgresql+psycopg://u:p@clever-db:5432/app"),
        (
            {"SCALINGO_POSTGRESQL_URL": SCALINGO, "POSTGRESQL_ADDON_URI": CLEVER},
            "postgresql+psycopg://u:p@scalingo-db:5432/app",
        ),
        (
            {"DATABASE_URL": "sqlite:///mine.db", "SCALINGO_POSTGRESQL_URL": SCALINGO},
            "sqlite:///mine.db",
        ),
        ({"BULLETINS_DATABASE_URL": CLEVER}, "postgresql+psycopg://u:p@clever-db:5432/app"),
        ({"SCALINGO_POSTGRESQL_URL": ""}, "sqlite:///from-file.db"),
    ],
)
def test_the_database_url_from_the_hosts_add_ons(tmp_path, env, expected):
    path = tmp_path / "b.toml"
    path.write_text('[database]\nurl = "sqlite:///from-file.db"\n', encoding="utf-8")
    assert load_settings(path, env=env).database_url == expected


def test_variables_that_set_nothing_are_named_with_the_closest_known_one():
    env = {
        "BULLETINS_PROGRAMME_LOCAL": "en",
        "BULLETINS_CONFIG": "b.toml",
        "BULLETINS_SURVEYS_ANONYMITY_K": "5",
        "BULLETINS_QQQQQQQQQQQQQQQQQQ": "1",
        "PATH": "/usr/bin",
    }
    assert unknown_variables(env) == [
        "BULLETINS_PROGRAMME_LOCAL (did you mean BULLETINS_PROGRAMME_LOCALE?)",
        "BULLETINS_QQQQQQQQQQQQQQQQQQ",
    ]

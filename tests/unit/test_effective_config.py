"""The configuration page's lines: each setting's value and where it came from, secrets
never shown."""

from __future__ import annotations

from pathlib import Path

from bulletins.config import load_settings
from bulletins.effective_config import STARTER_CONFIG, effective_settings


def lines_of(tmp_path: Path, text: str, env: dict[str, str]) -> dict[str, tuple[str, str]]:
    path = tmp_path / "bulletins.toml"
    path.write_text(text, encoding="utf-8")
    settings = load_settings(path, env)
    return {line.key: (line.value, line.origin) for line in effective_settings(settings, env)}


def test_each_setting_says_whether_the_environment_the_file_or_the_default_gave_it(tmp_path):
    env = {"BULLETINS_CHANNELS_STAFF": "C0STAFF", "SLACK_CLIENT_ID": "123.456"}
    text = '[channels]\nstaff = "equipe"\ndigest = "annonces"\n[schedule]\nreminders = ["13:00"]\n'

    lines = lines_of(tmp_path, text, env)

    assert lines["[channels] staff"] == ("C0STAFF", "environment")
    assert lines["[channels] digest"] == ("annonces", "file")
    assert lines["[channels] announce"] == ("bulletins", "default")
    assert lines["[schedule] reminders"] == ("13:00", "file")
    assert lines["[schedule] deadline"] == ("friday 15:05", "default")
    assert lines["SLACK_CLIENT_ID"] == ("123.456", "environment")


def test_secrets_are_only_said_set_and_the_database_password_is_masked(tmp_path):
    env = {
        "SLACK_BOT_TOKEN": "xoxb-very-secret",
        "SLACK_SIGNING_SECRET": "signing-very-secret",
        "SLACK_CLIENT_SECRET": "client-very-secret",
        "DATABASE_URL": "postgresql://app:db-very-secret@db.example:5432/bulletins",
    }

    lines = lines_of(tmp_path, "", env)

    shown = repr(lines)
    assert "very-secret" not in shown
    assert lines["SLACK_BOT_TOKEN"] == ("set", "environment")
    assert lines["SLACK_APP_TOKEN"] == ("not set", "default")
    value, origin = lines["[database] url"]
    assert origin == "environment" and "app:***@db.example:5432/bulletins" in value


def test_the_starter_file_is_the_commented_example_and_reads_as_settings(tmp_path):
    assert STARTER_CONFIG.read_text(encoding="utf-8").lstrip().startswith("#")
    assert load_settings(STARTER_CONFIG, {}).programme_name

"""The configuration a process runs with, key by key, and where each value came from (its
environment variable, the configuration file, or the default), for the console's settings
page. Secrets are never shown: only whether they are set; a database URL's password is
masked. Also the commented starter file ``bulletins init`` writes."""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bulletins.config import DATABASE_URL_VARIABLES, Settings, env_name

STARTER_CONFIG = Path(__file__).with_name("config.example.toml")

FROM_ENVIRONMENT, FROM_FILE, DEFAULT = "environment", "file", "default"
# Neither the environment nor the file says it, yet it is not the default: the process was
# given its settings another way (the demo, settings read before the environment changed).
AT_STARTUP = "startup"


@dataclass(frozen=True)
class SettingLine:
    key: str  # ``[table] key``, or an environment variable's name for the secrets
    value: str
    origin: str  # FROM_ENVIRONMENT, FROM_FILE or DEFAULT
    variable: str | None = None  # the environment variable that set it, if one did
    secret: bool = False  # then ``value`` only says SET or NOT_SET


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, time):
        return f"{value:%H:%M}"
    if isinstance(value, tuple):
        return ", ".join(_text(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _minutes(delta: timedelta) -> int:
    return int(delta.total_seconds() // 60)


# Each key of the file (``[table] key``) and how to read its value from the settings.
KEYS: dict[tuple[str, str], Callable[[Settings], Any]] = {
    ("programme", "name"): lambda s: s.programme_name,
    ("programme", "timezone"): lambda s: s.timezone.key,
    ("programme", "locale"): lambda s: s.locale,
    ("programme", "holiday_country"): lambda s: s.holiday_country,
    ("programme", "privacy_contact"): lambda s: s.privacy_contact,
    ("programme", "public_url"): lambda s: s.public_url,
    ("schedule", "form_opens"): lambda s: s.schedule.form_opens,
    ("schedule", "deadline"): lambda s: s.schedule.deadline,
    ("schedule", "call_to_action"): lambda s: s.schedule.call_to_action,
    ("schedule", "reminders"): lambda s: s.schedule.reminders,
    ("schedule", "reminder_grace_minutes"): lambda s: _minutes(s.schedule.reminder_grace),
    ("schedule", "digest_grace_hours"): lambda s: _minutes(s.schedule.digest_grace) // 60,
    ("schedule", "monthly_digest"): lambda s: s.schedule.monthly_digest,
    ("schedule", "snapshot_months"): lambda s: s.schedule.snapshot_months,
    ("channels", "digest"): lambda s: s.channels.digest,
    ("channels", "announce"): lambda s: s.channels.announce,
    ("channels", "staff"): lambda s: s.channels.staff,
    ("delivery", "channel_messages_per_second"): lambda s: s.delivery.channel_messages_per_second,
    ("delivery", "workspace_messages_per_minute"): lambda s: (
        s.delivery.workspace_messages_per_minute
    ),
    ("surveys", "anonymity_k"): lambda s: s.anonymity_k,
    ("surveys", "directory"): lambda s: s.survey_directory,
    ("database", "url"): lambda s: masked_database_url(s.database_url),
    ("console", "url"): lambda s: s.console.url,
    ("console", "secure_cookies"): lambda s: s.console.secure_cookies,
    ("console", "session_hours"): lambda s: s.console.session_hours,
    ("health", "scheduler_max_age_minutes"): lambda s: _minutes(s.scheduler_max_age),
    ("retention", "sent_messages_days"): lambda s: s.retention.sent_messages_days,
    ("retention", "bulletin_revisions_days"): lambda s: s.retention.bulletin_revisions_days,
    ("retention", "received_requests_days"): lambda s: s.retention.received_requests_days,
}

# Slack's settings, from the environment only: the secrets are said set or not, never shown.
SECRETS: dict[str, Callable[[Settings], str | None]] = {
    "SLACK_BOT_TOKEN": lambda s: s.slack.bot_token,
    "SLACK_SIGNING_SECRET": lambda s: s.slack.signing_secret,
    "SLACK_APP_TOKEN": lambda s: s.slack.app_token,
    "SLACK_CLIENT_SECRET": lambda s: s.slack.client_secret,
}
PLAIN: dict[str, Callable[[Settings], str | None]] = {
    "SLACK_CLIENT_ID": lambda s: s.slack.client_id,
    "SLACK_API_URL": lambda s: s.slack.api_url,
}
SET, NOT_SET = "set", "not set"


def masked_database_url(url: str) -> str:
    """``url`` with its password, if any, replaced by ``***``."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "***"  # not a URL SQLAlchemy reads: it may hold anything


def file_tables(source: Path | None) -> Mapping[str, Mapping[str, Any]]:
    """The tables of the configuration file as written (empty when there is none, or it no
    longer reads: the settings in use were read when the process started)."""
    if source is None:
        return {}
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}
    return {table: values for table, values in data.items() if isinstance(values, dict)}


def effective_settings(settings: Settings, env: Mapping[str, str]) -> list[SettingLine]:
    """Every setting, its value as the process uses it, and where it came from."""
    written = file_tables(settings.source)
    defaults = Settings()
    lines = []
    for (table, key), read in KEYS.items():
        named = (table, key) == ("database", "url")
        variables = DATABASE_URL_VARIABLES if named else (env_name(table, key),)
        variable = next((name for name in variables if env.get(name, "").strip()), None)
        if variable is not None:
            origin = FROM_ENVIRONMENT
        elif key in written.get(table, {}):
            origin = FROM_FILE
        else:
            origin = DEFAULT if read(settings) == read(defaults) else AT_STARTUP
        lines.append(SettingLine(f"[{table}] {key}", _text(read(settings)), origin, variable))
    for name, read in SECRETS.items():
        given = bool(read(settings))
        if env.get(name):
            origin, variable = FROM_ENVIRONMENT, name
        else:
            origin, variable = (AT_STARTUP if given else DEFAULT), None
        lines.append(SettingLine(name, SET if given else NOT_SET, origin, variable, secret=True))
    for name, read in PLAIN.items():
        if env.get(name):
            origin, variable = FROM_ENVIRONMENT, name
        else:
            origin = DEFAULT if read(settings) == read(defaults) else AT_STARTUP
            variable = None
        lines.append(SettingLine(name, _text(read(settings)), origin, variable))
    return lines

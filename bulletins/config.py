"""Configuration: a TOML file for the programme, environment variables for secrets.

The file is found by ``--config PATH``, else ``$BULLETINS_CONFIG``, else
``./bulletins.toml`` when present, else the built-in defaults apply. Every key of the
file can also be set by an environment variable ``BULLETINS_<TABLE>_<KEY>``, which wins
over the file (hosts such as Scalingo or Clever Cloud configure apps that way). Every bad
key or value raises :class:`ConfigError` naming the file or the variable, the key and what
is expected, so the CLI can print one line and exit with status 2.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bulletins.errors import ConfigError

LOCALES = ("fr", "en")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DEFAULT_FILE = "bulletins.toml"
DEFAULT_DATABASE_URL = "sqlite:///bulletins.db"
DEFAULT_SLACK_API_URL = "https://slack.com/api/"
# Results of a group smaller than this are never shown: with 2, either person who answered
# learns the other's answers by taking their own out of the results.
MIN_ANONYMITY_K = 3
MIN_ARCHIVE_DAYS = 30


@dataclass(frozen=True)
class WeeklyTime:
    """A moment of the week: ISO weekday (1 = Monday) and a wall-clock time."""

    weekday: int
    at: time

    def __str__(self) -> str:
        return f"{WEEKDAYS[self.weekday - 1]} {self.at:%H:%M}"


@dataclass(frozen=True)
class Schedule:
    """The weekly rhythm, in the programme's timezone."""

    form_opens: WeeklyTime = WeeklyTime(1, time(9, 0))
    deadline: WeeklyTime = WeeklyTime(5, time(15, 5))
    call_to_action: time = time(10, 0)
    reminders: tuple[time, ...] = (time(14, 0), time(14, 45))
    reminder_grace: timedelta = timedelta(minutes=30)
    digest_grace: timedelta = timedelta(hours=12)
    monthly_digest: time = time(10, 0)  # on the first working day of each month
    snapshot_months: tuple[int, ...] = (1, 7)  # evaluation snapshots, first working day 11:00


@dataclass(frozen=True)
class Channels:
    """Where the bot posts: Slack channel names, or ids (``C0123…``); the processes that
    post look names up when they start (``bot.channels``)."""

    digest: str = "bulletins"
    announce: str = "bulletins"
    staff: str = "equipe-programme"


@dataclass(frozen=True)
class Delivery:
    """How fast messages may go out: Slack's published limits for chat.postMessage."""

    channel_messages_per_second: float = 1.0
    workspace_messages_per_minute: float = 300.0


@dataclass(frozen=True)
class Retention:
    """How many days data is kept before the tick clears it (``bulletins.retention``)."""

    sent_messages_days: int = 90  # then a sent message's text (names, bulletins) is emptied
    bulletin_revisions_days: int = 365  # then the earlier versions of an edited bulletin go
    received_requests_days: int = 3  # Slack retries for an hour; a double click, seconds
    # Then a cohort's open data is archived and its people's data erased; None: never.
    archive_cohorts_after_days: int | None = None
    # Where archives go; load_settings puts it beside a SQLite database when not set.
    archive_directory: Path = Path("archives")


@dataclass(frozen=True)
class SlackSecrets:
    """Secrets and endpoints, from the environment only; never printed."""

    bot_token: str | None = field(default=None, repr=False)
    signing_secret: str | None = field(default=None, repr=False)
    app_token: str | None = field(default=None, repr=False)
    api_url: str = DEFAULT_SLACK_API_URL
    # The app's OAuth credentials, for the web console's "Sign in with Slack".
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)

    @property
    def site_url(self) -> str:
        """Slack's site (``https://slack.com/``), beside its Web API: where people sign in."""
        return self.api_url.removesuffix("/").removesuffix("api") or self.api_url


@dataclass(frozen=True)
class Console:
    """The web console (``/app/``): its public address and its sessions."""

    url: str | None = None  # e.g. https://bulletins.example.org; default: the request's
    secure_cookies: bool = True  # off only for http://localhost (tests, the demo)
    session_hours: int = 12


@dataclass(frozen=True)
class Settings:
    programme_name: str = "Entrepreneurs d'intérêt général"
    timezone: ZoneInfo = ZoneInfo("Europe/Paris")
    locale: str = "fr"
    holiday_country: str = "FR"
    schedule: Schedule = Schedule()
    channels: Channels = Channels()
    delivery: Delivery = Delivery()
    anonymity_k: int = 5
    survey_directory: Path | None = None
    retention: Retention = Retention()
    privacy_contact: str | None = None
    # Where `bulletins serve` answers from outside (links to key dates' calendar files).
    public_url: str | None = None
    database_url: str = field(default=DEFAULT_DATABASE_URL, repr=False)
    # The clock process ticks every minute: a monitor hears of it when it stops.
    scheduler_max_age: timedelta = timedelta(minutes=10)
    slack: SlackSecrets = SlackSecrets()
    console: Console = Console()
    source: Path | None = None


# Each known key maps to a parser taking (raw value, where) and returning the parsed value.
def _str(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: expected a non-empty string, got {value!r}")
    return value.strip()


def _url(value: Any, where: str) -> str:
    text = _str(value, where)
    if not re.match(r"^https?://[^\s/|<>]+(/[^\s|<>]*)?$", text):
        raise ConfigError(
            f"{where}: expected an address such as 'https://bulletins.example.org', got {value!r}"
        )
    return text.rstrip("/")


def _timezone(value: Any, where: str) -> ZoneInfo:
    name = _str(value, where)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"{where}: expected an IANA timezone such as 'Europe/Paris', got {value!r}"
        ) from None


def _locale(value: Any, where: str) -> str:
    if value not in LOCALES:
        raise ConfigError(f"{where}: expected one of {', '.join(LOCALES)}, got {value!r}")
    return value


def _country(value: Any, where: str) -> str:
    code = _str(value, where).upper()
    if code not in holidays.list_supported_countries():
        raise ConfigError(
            f"{where}: expected an ISO 3166 country code with known public holidays "
            f"such as 'FR', got {value!r}"
        )
    return code


_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def _time(value: Any, where: str) -> time:
    match = _TIME.match(value) if isinstance(value, str) else None
    if not match:
        raise ConfigError(f"{where}: expected a time 'HH:MM' such as '14:00', got {value!r}")
    return time(int(match[1]), int(match[2]))


def _weekly(value: Any, where: str) -> WeeklyTime:
    parts = value.split() if isinstance(value, str) else []
    if len(parts) != 2 or parts[0].lower() not in WEEKDAYS:
        raise ConfigError(
            f"{where}: expected 'DAY HH:MM' with an English weekday, such as 'friday 15:05', "
            f"got {value!r}"
        )
    return WeeklyTime(WEEKDAYS.index(parts[0].lower()) + 1, _time(parts[1], where))


def _times(value: Any, where: str) -> tuple[time, ...]:
    if not isinstance(value, list):
        raise ConfigError(f"{where}: expected a list of times such as ['14:00', '14:45']")
    return tuple(sorted(_time(item, where) for item in value))


def _bounded_int(low: int, high: int) -> Callable[[Any, str], int]:
    def parse(value: Any, where: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ConfigError(
                f"{where}: expected a whole number from {low} to {high}, got {value!r}"
            )
        return value

    return parse


def _rate(low: float, high: float) -> Callable[[Any, str], float]:
    """A pace of posting: below ``low`` a message would wait for hours, above ``high`` the
    pace is no pace at all (Slack's own limits are 1 a second and a few hundred a minute)."""

    def parse(value: Any, where: str) -> float:
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if not number or not low <= value <= high:  # also refuses nan and inf
            raise ConfigError(f"{where}: expected a number from {low:g} to {high:g}, got {value!r}")
        return float(value)

    return parse


def _anonymity_k(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < MIN_ANONYMITY_K:
        raise ConfigError(
            f"{where}: expected a whole number of at least {MIN_ANONYMITY_K}, got {value!r}: "
            "in a group of 2, each of the two can read the other's answers in the results "
            "by taking out their own"
        )
    return value


def _bool(value: Any, where: str) -> bool:
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    if not isinstance(value, bool):
        raise ConfigError(f"{where}: expected true or false, got {value!r}")
    return value


_URL = re.compile(r"^https?://[^\s/?#]+(/[^\s?#]*)?$")


def _url(value: Any, where: str) -> str:
    if not isinstance(value, str) or not _URL.match(value.strip()):
        raise ConfigError(
            f"{where}: expected an address such as 'https://bulletins.example.org', got {value!r}"
        )
    return value.strip().removesuffix("/")


def _path(value: Any, where: str) -> Path:
    return Path(_str(value, where)).expanduser()


def _snapshot_months(value: Any, where: str) -> tuple[int, ...]:
    months = value if isinstance(value, list) else [None]
    if not months or any(type(m) is not int or not 1 <= m <= 12 for m in months):
        raise ConfigError(f"{where}: expected a list of month numbers from 1 to 12, got {value!r}")
    return tuple(sorted(set(months)))


def _archive_after(value: Any, where: str) -> int:
    # Sooner, a cohort's end-of-cohort surveys and last snapshot may still be under way.
    return _bounded_int(MIN_ARCHIVE_DAYS, 36_500)(value, where)


def _minutes(value: Any, where: str) -> timedelta:
    # More than a day late, a reminder of the deadline day is moot.
    return timedelta(minutes=_bounded_int(1, 24 * 60)(value, where))


def _hours(value: Any, where: str) -> timedelta:
    # A week late, the next week's digest is due.
    return timedelta(hours=_bounded_int(1, 7 * 24)(value, where))


_SCHEMA: dict[str, dict[str, Any]] = {
    "programme": {
        "name": _str,
        "timezone": _timezone,
        "locale": _locale,
        "holiday_country": _country,
        "privacy_contact": _str,
        "public_url": _url,
    },
    "schedule": {
        "form_opens": _weekly,
        "deadline": _weekly,
        "call_to_action": _time,
        "reminders": _times,
        "reminder_grace_minutes": _minutes,
        "digest_grace_hours": _hours,
        "monthly_digest": _time,
        "snapshot_months": _snapshot_months,
    },
    "channels": {"digest": _str, "announce": _str, "staff": _str},
    "delivery": {
        "channel_messages_per_second": _rate(0.01, 100),
        "workspace_messages_per_minute": _rate(1, 100_000),
    },
    "surveys": {"anonymity_k": _anonymity_k, "directory": _path},
    "database": {"url": _str},
    "console": {
        "url": _url,
        "secure_cookies": _bool,
        "session_hours": _bounded_int(1, 24 * 30),
    },
    "health": {"scheduler_max_age_minutes": _minutes},
    "retention": {
        "sent_messages_days": _bounded_int(1, 3650),
        "bulletin_revisions_days": _bounded_int(1, 3650),
        "received_requests_days": _bounded_int(1, 365),
        "archive_cohorts_after_days": _archive_after,
        "archive_directory": _path,
    },
}


def _unknown(key: str, known: list[str], where: str, kind: str = "key") -> ConfigError:
    close = difflib.get_close_matches(key, known, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else f"; known {kind}s: {', '.join(known)}"
    return ConfigError(f"{where}: unknown {kind} {key!r}{hint}")


def _parse_tables(data: Mapping[str, Any], origin: str) -> dict[str, dict[str, Any]]:
    parsed: dict[str, dict[str, Any]] = {}
    for table, values in data.items():
        home = [name for name, keys in _SCHEMA.items() if table in keys]
        if not isinstance(values, dict) and home:
            raise ConfigError(f"{origin}: {table!r} is outside any table; put it under [{home[0]}]")
        if table not in _SCHEMA:
            raise _unknown(table, list(_SCHEMA), origin, kind="table")
        if not isinstance(values, dict):
            raise ConfigError(f"{origin}: [{table}] must be a table of keys")
        parsed[table] = {}
        for key, raw in values.items():
            where = f"{origin}: [{table}] {key}"
            parser = _SCHEMA[table].get(key)
            if parser is None:
                raise _unknown(key, list(_SCHEMA[table]), f"{origin}: [{table}]")
            parsed[table][key] = parser(raw, where)
    return parsed


# The variables a host's PostgreSQL add-on sets, read when DATABASE_URL is not: Scalingo's,
# then Clever Cloud's.
DATABASE_URL_VARIABLES = (
    "DATABASE_URL",
    "BULLETINS_DATABASE_URL",
    "SCALINGO_POSTGRESQL_URL",
    "POSTGRESQL_ADDON_URI",
)
# Keys whose environment value is a number, or a comma-separated list.
_NUMBERS = frozenset(
    {
        "reminder_grace_minutes",
        "digest_grace_hours",
        "channel_messages_per_second",
        "workspace_messages_per_minute",
        "anonymity_k",
        "scheduler_max_age_minutes",
        "session_hours",
        "sent_messages_days",
        "bulletin_revisions_days",
        "received_requests_days",
        "archive_cohorts_after_days",
    }
)
_LISTS = frozenset({"reminders", "snapshot_months"})


def env_name(table: str, key: str) -> str:
    """The environment variable that sets ``[table] key``: ``BULLETINS_TABLE_KEY``."""
    return f"BULLETINS_{table}_{key}".upper()


def database_url_from(env: Mapping[str, str]) -> str | None:
    """The database URL the environment gives, by the documented order, if any."""
    return next((env[name] for name in DATABASE_URL_VARIABLES if env.get(name)), None)


def driver_url(url: str) -> str:
    """``url`` with the psycopg driver named: hosts hand out postgres:// and postgresql://
    URLs, and SQLAlchemy 2 refuses the first and would look for psycopg2 with the second."""
    return re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", url)


def _env_value(key: str, raw: str) -> Any:
    """The value of an environment variable, typed as the file would give it."""
    if key in _LISTS:
        return [_number(item.strip()) for item in raw.split(",") if item.strip()]
    return _number(raw.strip()) if key in _NUMBERS else raw


def _number(text: str) -> Any:
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def _parse_env(env: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    """Every ``BULLETINS_<TABLE>_<KEY>`` set in ``env``, parsed; a bad value names the
    variable."""
    parsed: dict[str, dict[str, Any]] = {}
    for table, keys in _SCHEMA.items():
        for key, parser in keys.items():
            name = env_name(table, key)
            if env.get(name, "").strip():
                parsed.setdefault(table, {})[key] = parser(_env_value(key, env[name]), name)
    return parsed


def unknown_variables(env: Mapping[str, str]) -> list[str]:
    """The ``BULLETINS_…`` variables of ``env`` that set nothing (a typo, a removed key),
    each with the known one it is closest to, if any."""
    known = [env_name(table, key) for table, keys in _SCHEMA.items() for key in keys]
    known += ["BULLETINS_CONFIG", "BULLETINS_DATABASE_URL"]
    found = []
    for name in sorted(n for n in env if n.startswith("BULLETINS_") and n not in known):
        close = difflib.get_close_matches(name, known, n=1)
        found.append(f"{name} (did you mean {close[0]}?)" if close else name)
    return found


def _merge(file: dict[str, dict[str, Any]], env: dict[str, dict[str, Any]]):
    """The file's values, each overridden by its environment variable when set."""
    tables = set(file) | set(env)
    return {table: {**file.get(table, {}), **env.get(table, {})} for table in tables}


def _build(parsed: dict[str, dict[str, Any]], env: Mapping[str, str], source: Path | None):
    programme = parsed.get("programme", {})
    sched = parsed.get("schedule", {})
    schedule_kwargs = {k: v for k, v in sched.items() if k in Schedule.__dataclass_fields__}
    if "reminder_grace_minutes" in sched:
        schedule_kwargs["reminder_grace"] = sched["reminder_grace_minutes"]
    if "digest_grace_hours" in sched:
        schedule_kwargs["digest_grace"] = sched["digest_grace_hours"]
    schedule = Schedule(**schedule_kwargs)
    origin = str(source) if source else "configuration"
    if schedule.form_opens.weekday >= schedule.deadline.weekday:
        raise ConfigError(
            f"{origin}: [schedule] form_opens: the form must open on a day before the deadline "
            f"({schedule.form_opens} is not before {schedule.deadline})"
        )
    late = [f"{at:%H:%M}" for at in schedule.reminders if at >= schedule.deadline.at]
    if late:
        raise ConfigError(
            f"{origin}: [schedule] reminders: {', '.join(late)} is not before the deadline "
            f"({schedule.deadline}); reminders go out on the deadline day, before it"
        )
    slack = SlackSecrets(
        bot_token=env.get("SLACK_BOT_TOKEN") or None,
        signing_secret=env.get("SLACK_SIGNING_SECRET") or None,
        app_token=env.get("SLACK_APP_TOKEN") or None,
        api_url=env.get("SLACK_API_URL") or DEFAULT_SLACK_API_URL,
        client_id=env.get("SLACK_CLIENT_ID") or None,
        client_secret=env.get("SLACK_CLIENT_SECRET") or None,
    )
    database_url = database_url_from(env) or parsed.get("database", {}).get("url")
    database_url = driver_url(database_url or DEFAULT_DATABASE_URL)
    survey_directory = parsed.get("surveys", {}).get("directory")
    # Relative to the file it is written in; from the environment, to the working directory.
    in_file = source is not None and not env.get(env_name("surveys", "directory"))
    if survey_directory is not None and in_file and not survey_directory.is_absolute():
        survey_directory = source.parent / survey_directory
    return Settings(
        programme_name=programme.get("name", Settings.programme_name),
        timezone=programme.get("timezone", Settings.timezone),
        locale=programme.get("locale", Settings.locale),
        holiday_country=programme.get("holiday_country", Settings.holiday_country),
        schedule=schedule,
        channels=Channels(**parsed.get("channels", {})),
        delivery=Delivery(**parsed.get("delivery", {})),
        anonymity_k=parsed.get("surveys", {}).get("anonymity_k", Settings.anonymity_k),
        survey_directory=survey_directory,
        retention=_retention(parsed.get("retention", {}), env, source, database_url),
        privacy_contact=programme.get("privacy_contact"),
        public_url=programme.get("public_url"),
        database_url=database_url,
        scheduler_max_age=parsed.get("health", {}).get(
            "scheduler_max_age_minutes", Settings.scheduler_max_age
        ),
        slack=slack,
        console=Console(**parsed.get("console", {})),
        source=source,
    )


def _retention(
    values: dict[str, Any], env: Mapping[str, str], source: Path | None, database_url: str
) -> Retention:
    directory = values.get("archive_directory")
    in_file = source is not None and not env.get(env_name("retention", "archive_directory"))
    if directory is None:
        directory = _beside_database(database_url) / "archives"
    elif in_file and not directory.is_absolute():
        directory = source.parent / directory
    return Retention(**{**values, "archive_directory": directory})


def _beside_database(database_url: str) -> Path:
    """The folder of a SQLite database's file; the working directory for any other (or for
    a URL that cannot be read, which opening the database reports in its own words)."""
    try:
        url = make_url(database_url)
    except ArgumentError:
        return Path()
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        return Path(url.database).expanduser().parent
    return Path()


def find_config_file(explicit: str | Path | None, env: Mapping[str, str]) -> Path | None:
    """The file to read, by the documented order of precedence, or None for defaults."""
    if explicit:
        return Path(explicit)
    if env.get("BULLETINS_CONFIG"):
        return Path(env["BULLETINS_CONFIG"])
    default = Path(DEFAULT_FILE)
    return default if default.is_file() else None


def load_settings(path: str | Path | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Read the configuration file (if any) and the environment into :class:`Settings`."""
    env = os.environ if env is None else env
    source = find_config_file(path, env)
    data: dict[str, Any] = {}
    if source is not None:
        try:
            data = tomllib.loads(source.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"{source}: no such configuration file") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{source}: not valid TOML: {exc}") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{source}: cannot be read: {exc}") from None
    parsed = _merge(_parse_tables(data, str(source or "configuration")), _parse_env(env))
    return _build(parsed, env, source)


def settings_from_dict(data: Mapping[str, Any], env: Mapping[str, str] | None = None) -> Settings:
    """Build settings from an already-parsed mapping (tests and the demo use this)."""
    env = env or {}
    return _build(_merge(_parse_tables(data, "configuration"), _parse_env(env)), env, None)

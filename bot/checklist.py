"""``bulletins check``: what a person checks after deploying, one line each, "ok" or what
to fix. It changes nothing: no migration, no message, no heartbeat."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import make_url
from sqlalchemy.exc import ArgumentError

from bot.bootstrap import make_slack_client
from bot.channels import channel_ids
from bot.manifest import bot_scopes, find_manifest
from bulletins.config import Settings, load_settings, unknown_variables
from bulletins.db.migrate import latest_revision
from bulletins.db.opening import UPGRADE, open_database, sqlite_file
from bulletins.errors import BulletinsError
from bulletins.health import check_health
from bulletins.hosting import sqlite_on_paas


@dataclass(frozen=True)
class Line:
    """One item of the checklist: ``problem`` is None when it is ok."""

    subject: str
    found: str = ""
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None

    def __str__(self) -> str:
        if self.ok:
            return f"ok   {self.subject}" + (f": {self.found}" if self.found else "")
        return f"FIX  {self.subject}: {self.problem}"


def run_checks(
    config_path: str | None, env: Mapping[str, str], now: datetime, manifest: str | None = None
) -> Iterator[Line]:
    """The checklist's lines, each as soon as it is known."""
    try:
        settings = load_settings(config_path, env)
    except BulletinsError as error:
        yield Line("configuration", problem=str(error))
        return
    yield Line("configuration", str(settings.source or "built-in defaults and environment"))
    unknown = unknown_variables(env)
    if unknown:
        yield Line("environment", problem=f"{', '.join(unknown)} set nothing: no such setting "
                   "(see docs/configuration.md)")  # fmt: skip
    yield from _database(settings, env, now)
    yield from _slack(settings, manifest)


def _database(settings: Settings, env: Mapping[str, str], now: datetime) -> Iterator[Line]:
    missing = _missing_sqlite_file(settings.database_url)
    if missing:
        yield Line("database", problem=f"no database file at {missing}; run: {UPGRADE}")
        yield Line("scheduler", problem="unknown: the database cannot be read")
        return
    try:
        engine = open_database(settings.database_url, migrating=True)  # checks, migrates nothing
    except BulletinsError as error:
        yield Line("database", problem=str(error))
        yield Line("scheduler", problem="unknown: the database cannot be read")
        return
    try:
        health = check_health(engine, latest_revision(), now, settings.scheduler_max_age)
    finally:
        engine.dispose()
    kind = engine.dialect.name
    if health.database == "ok":
        yield Line("database", f"{kind}, schema at the latest revision ({latest_revision()})")
    else:
        yield Line("database", problem=health.database)
    warning = sqlite_on_paas(settings.database_url, env)
    yield Line("storage", "" if warning else kind, warning)
    if health.scheduler == "ok":
        assert health.last_tick is not None
        last = f"last tick at {health.last_tick:%Y-%m-%d %H:%M:%S %Z}"
        if health.failed_jobs:
            yield Line("scheduler", problem=f"{last}, with {health.failed_jobs} failed job(s): "
                       "the clock process's log says which and why")  # fmt: skip
        else:
            yield Line("scheduler", last)
    elif health.database == "ok":
        yield Line("scheduler", problem=health.scheduler)


def _missing_sqlite_file(url: str) -> Path | None:
    """The file an SQLite URL names when it does not exist (connecting would create it)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None  # open_database says what is wrong with it
    path = sqlite_file(parsed) if parsed.get_backend_name() == "sqlite" else None
    return path if path is not None and not path.exists() else None


def _slack(settings: Settings, manifest: str | None) -> Iterator[Line]:
    secrets = settings.slack
    if not secrets.signing_secret:
        yield Line("SLACK_SIGNING_SECRET", problem="not set: copy the app's Signing Secret")
    else:
        yield Line("SLACK_SIGNING_SECRET", "set")
    if not secrets.bot_token:
        yield Line("SLACK_BOT_TOKEN", problem="not set: copy the app's Bot User OAuth Token")
        return
    client = make_slack_client(settings)
    try:
        answer = client.auth_test()
    except SlackApiError as error:
        reason = error.response.get("error")
        yield Line("SLACK_BOT_TOKEN", problem=f"Slack refused it ({reason}); give the xoxb- token")
        return
    except OSError as error:  # urllib's URLError, a refused or timed-out connection
        yield Line("SLACK_BOT_TOKEN", problem=f"Slack did not answer at {secrets.api_url} "
                   f"({error}); check the network, or SLACK_API_URL")  # fmt: skip
        return
    yield Line("SLACK_BOT_TOKEN", f"the bot @{answer.get('user')} in {answer.get('team')}")
    headers = {name.lower(): value for name, value in answer.headers.items()}
    yield _scopes(headers.get("x-oauth-scopes", ""), manifest)
    yield from _channels(client, settings)


def _scopes(header: str, manifest: str | None) -> Line:
    path = find_manifest(manifest)
    if path is None:
        return Line("scopes", problem="manifest.yml not found; give --manifest PATH")
    try:
        wanted = bot_scopes(path)
    except BulletinsError as error:
        return Line("scopes", problem=str(error))
    granted = {scope.strip() for scope in header.split(",") if scope.strip()}
    missing = sorted(wanted - granted)
    if missing:
        return Line("scopes", problem=f"the token lacks {', '.join(missing)}, which {path} "
                    "asks for: update the app's scopes and reinstall it")  # fmt: skip
    return Line("scopes", f"all {len(wanted)} of {path}")


def _channels(client: WebClient, settings: Settings) -> Iterator[Line]:
    configured = settings.channels
    try:
        by_id, unseen = channel_ids(client, configured)
    except BulletinsError as error:
        yield Line("channels", problem=str(error))
        return
    for purpose, channel in dataclasses.asdict(by_id).items():
        subject = f"[channels] {purpose} = {getattr(configured, purpose)!r}"
        if purpose in unseen:
            yield Line(subject, problem="no channel of that name that the bot can see: give "
                       "its id (C…), or invite the bot to it if it is private")  # fmt: skip
            continue
        yield _membership(client, subject, channel)


def _membership(client: WebClient, subject: str, channel: str) -> Line:
    try:
        found = client.conversations_info(channel=channel)["channel"]
    except SlackApiError as error:
        reason = error.response.get("error")
        advice = "invite the bot to it" if reason == "channel_not_found" else "check its id"
        return Line(subject, problem=f"Slack does not show it to the bot ({reason}): {advice}")
    if found.get("is_archived"):
        return Line(subject, problem=f"#{found.get('name')} is archived")
    if not found.get("is_member"):
        return Line(subject, problem=f"the bot is not a member of #{found.get('name')}: type "
                    "/invite @Bulletins there")  # fmt: skip
    return Line(subject, f"#{found.get('name')}, the bot is a member")

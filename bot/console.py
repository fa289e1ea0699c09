"""The web console's side that talks to Slack: "Sign in with Slack" over OpenID Connect
(``openid.connect.token``), and the console wired for ``bulletins serve``."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Sequence
from urllib.parse import urlencode

from flask import Flask
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.bootstrap import Services, utc_now
from bot.checklist import run_checks
from bot.scheduler import tick_once
from web.console import create_console
from web.identity import SignInRefused, SlackIdentity, id_token_claims, identity_from_claims
from web.services import ConsoleServices, JobOutcome

SCOPES = "openid profile"
TICK_WAIT_SECONDS = 10  # a page should not hang a minute behind the clock process's tick


class SlackSignIn:
    """:class:`web.identity.SignIn` on Slack (or the stand-in: ``SLACK_API_URL`` decides)."""

    def __init__(self, services: Services):
        slack = services.settings.slack
        self._client_id = slack.client_id or ""
        self._client_secret = slack.client_secret or ""
        self._authorize = slack.site_url + "openid/connect/authorize"
        # Without a token: the code and the app's credentials say who asks.
        self._anonymous = WebClient(base_url=slack.api_url, timeout=10)
        self._bot = services.slack
        self._workspace: str | None = None
        self._lock = threading.Lock()

    def authorize_url(self, *, state: str, nonce: str, redirect_uri: str) -> str:
        query = {
            "response_type": "code",
            "scope": SCOPES,
            "client_id": self._client_id,
            "state": state,
            "nonce": nonce,
            "redirect_uri": redirect_uri,
        }
        if self._workspace:
            query["team"] = self._workspace  # Slack then skips its choice of workspace
        return f"{self._authorize}?{urlencode(query)}"

    def identity(self, *, code: str, redirect_uri: str) -> SlackIdentity:
        try:
            answer = self._anonymous.openid_connect_token(
                client_id=self._client_id,
                client_secret=self._client_secret,
                code=code,
                redirect_uri=redirect_uri,
            )
        except SlackApiError as error:
            raise SignInRefused(str(error.response.get("error"))) from None
        except SlackClientError as error:
            raise SignInRefused(f"Slack did not answer: {type(error).__name__}") from None
        claims = id_token_claims(str(answer.get("id_token") or ""))
        if claims.get("aud") not in (self._client_id, [self._client_id]):
            raise SignInRefused("the ID token is for another app")
        return identity_from_claims(claims)

    def workspace_id(self) -> str:
        """The bot token's workspace, asked once (``auth.test``)."""
        with self._lock:
            if self._workspace is None:
                try:
                    self._workspace = str(self._bot.auth_test()["team_id"])
                except SlackClientError as error:
                    raise SignInRefused(f"auth.test failed: {error}") from None
            return self._workspace


def checklist_of(config_path: str | None) -> Callable[[], Iterable[tuple[bool, str]]]:
    """``bulletins check`` as the serving process would run it: its configuration file and
    its environment."""

    def lines() -> Iterable[tuple[bool, str]]:
        return [(line.ok, str(line)) for line in run_checks(config_path, os.environ, utc_now())]

    return lines


def jobs_of(services: Services) -> Callable[[], Sequence[JobOutcome]]:
    """``bulletins tick`` as the serving process runs it, at its clock's now."""

    def run() -> Sequence[JobOutcome]:
        runs = tick_once(services, wait_seconds=TICK_WAIT_SECONDS)
        return [JobOutcome(run.name, run.done, run.error) for run in runs]

    return run


def console_app(
    services: Services, checklist: Callable[[], Iterable[tuple[bool, str]]] | None = None
) -> Flask:
    """The console for ``services``, to mount under ``/app``."""
    return create_console(
        ConsoleServices(
            settings=services.settings,
            engine=services.engine,
            sessions=services.sessions,
            calendar=services.calendar,
            clock=services.clock,
            sign_in=SlackSignIn(services),
            checklist=checklist,
            run_jobs=jobs_of(services),
        )
    )

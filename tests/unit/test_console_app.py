"""The web console's cookies and headers, before any database or Slack is reached."""

from __future__ import annotations

import base64
import dataclasses
import json
import urllib.parse
from datetime import UTC, datetime

from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from bulletins.calendar import ProgrammeCalendar
from bulletins.config import Console, SlackSecrets, settings_from_dict
from web.console import create_console, session_key
from web.identity import SignInRefused, SlackIdentity, id_token_claims, identity_from_claims
from web.services import ConsoleServices


class NoSlack:
    def authorize_url(self, *, state: str, nonce: str, redirect_uri: str) -> str:
        query = urllib.parse.urlencode({"state": state, "redirect_uri": redirect_uri})
        return f"https://slack.example/authorize?{query}"

    def identity(self, *, code: str, redirect_uri: str) -> SlackIdentity:
        raise SignInRefused("no Slack here")

    def workspace_id(self) -> str:
        return "T0001"


def client(url: str | None = None):
    settings = settings_from_dict({})
    settings = dataclasses.replace(
        settings,
        slack=SlackSecrets(signing_secret="s3cret", client_id="1.2", client_secret="c"),
        console=Console(url=url),
    )
    app = create_console(
        ConsoleServices(
            settings=settings,
            engine=create_engine("sqlite://"),
            sessions=sessionmaker(),
            calendar=ProgrammeCalendar.from_settings(settings),
            clock=lambda: datetime(2026, 3, 2, 9, tzinfo=UTC),
            sign_in=NoSlack(),
        )
    )
    return app.test_client()


def test_the_session_cookie_is_secure_http_only_and_same_site_by_default():
    answer = client().get("/login", base_url="https://bulletins.example.org/app/")
    assert answer.status_code == 302
    cookie = answer.headers["Set-Cookie"]
    for flag in ("Secure", "HttpOnly", "SameSite=Lax", "Path=/app"):
        assert flag in cookie, cookie


def test_the_redirect_address_is_the_configured_one():
    answer = client(url="https://public.example.org").get(
        "/login", base_url="http://10.0.0.5:3000/app/"
    )
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(answer.location).query)
    assert query["redirect_uri"] == ["https://public.example.org/app/callback"]


def test_the_session_key_is_derived_from_the_signing_secret_not_the_secret_itself():
    assert session_key("s3cret") == session_key("s3cret")
    assert session_key("s3cret") != session_key("other")
    assert b"s3cret" not in session_key("s3cret")


def test_pages_forbid_scripts_and_frames():
    answer = client().get("/", base_url="https://bulletins.example.org/app/")
    policy = answer.headers["Content-Security-Policy"]
    assert "script-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert answer.headers["X-Content-Type-Options"] == "nosniff"


def test_an_id_token_gives_the_slack_user_and_workspace():
    claims = {"https://slack.com/user_id": "U1", "https://slack.com/team_id": "T1", "nonce": "n"}
    payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    token = f"e30.{payload}.sig"
    assert identity_from_claims(id_token_claims(token)) == SlackIdentity("U1", "T1", "n", None)
    for bad in ("", "nodots", "a.!!!.b", "a.WzFd.b"):  # WzFd: [1], not an object
        try:
            identity_from_claims(id_token_claims(bad))
        except SignInRefused:
            continue
        raise AssertionError(f"{bad!r} was taken for an ID token")

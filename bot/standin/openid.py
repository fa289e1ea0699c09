"""Sign in with Slack: the authorize page, ``openid.connect.token`` and
``openid.connect.userInfo``.

The authorize page signs in at once the user named by ``login_as`` (a test, a demo
script), or lists the registered users to choose from (a person trying the console); with
``team`` the ID token says that user is of another workspace. Codes are single-use and
tied to the app and the redirect address, as on Slack; ID tokens are signed (HS256) with
the client secret.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import json
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

from .http_server import parse_args
from .model import Args, Reply, SlackError
from .state import StandInState

CLIENT_ID = "0001.standin"
CLIENT_SECRET = "standin-client-secret"
METHODS = ("openid.connect.token", "openid.connect.userInfo")
AUTHORIZE_PATH = "openid/connect/authorize"


@dataclass(frozen=True)
class Grant:
    user_id: str
    team_id: str
    nonce: str | None
    redirect_uri: str


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class OpenId:
    """The sign-in's pages and methods, on the stand-in's users."""

    def __init__(self, state: StandInState) -> None:
        self._state = state
        self.client_id = CLIENT_ID
        self.client_secret = CLIENT_SECRET
        self._codes: dict[str, Grant] = {}
        self._tokens: dict[str, dict[str, Any]] = {}

    def serve_authorize(self, query: str) -> Reply:
        """The page Slack shows before sending the person back with a code."""
        params = dict(parse_qsl(query, keep_blank_values=True))
        if params.get("client_id") != self.client_id:
            return Reply(400, "invalid_client_id")
        redirect_uri = params.get("redirect_uri", "")
        if not redirect_uri.startswith(("http://", "https://")):
            return Reply(400, "bad_redirect_uri")
        user = params.get("login_as")
        if not user:
            return self._chooser(params)
        code = secrets.token_urlsafe(16)
        team = params.get("team_as") or self._state.team_id
        self._codes[code] = Grant(user, team, params.get("nonce"), redirect_uri)
        back = {"code": code, "state": params.get("state", "")}
        separator = "&" if "?" in redirect_uri else "?"
        return Reply(302, "", {"Location": f"{redirect_uri}{separator}{urlencode(back)}"})

    def _chooser(self, params: dict[str, str]) -> Reply:
        links = [
            f'<li><a href="?{html.escape(urlencode(params | {"login_as": user.id}))}">'
            f"{html.escape(user.name)}</a> ({html.escape(user.id)})</li>"
            for user in self._state.users.values()
            if not user.is_bot and not user.deleted
        ]
        page = (
            "<!doctype html><meta charset=utf-8><title>Sign in (stand-in)</title>"
            "<h1>Sign in to the stand-in workspace as</h1><ul>" + "".join(links) + "</ul>"
        )
        return Reply(200, page, {"Content-Type": "text/html; charset=utf-8"})

    def serve(self, method: str, query: str, headers: Mapping[str, str], body: bytes) -> Reply:
        """``openid.connect.token`` (the app's credentials) or ``openid.connect.userInfo``
        (the person's access token), recorded as calls."""
        args: Args = {}
        try:
            args = parse_args(headers.get("Content-Type", ""), query, body)
            answer = (
                self._token(args, headers) if method == METHODS[0] else self._user_info(headers)
            )
            reply = Reply(200, {"ok": True, **answer})
        except ValueError as exc:
            reply = SlackError("invalid_form_data", [str(exc)]).reply()
        except SlackError as exc:
            reply = exc.reply()
        shown = {k: v for k, v in args.items() if k != "client_secret"}
        return self._state.record(method, shown, reply)

    def _credentials(self, args: Args, headers: Mapping[str, str]) -> tuple[str, str]:
        auth = headers.get("Authorization", "")
        if auth.startswith("Basic "):
            try:
                user, _, password = base64.b64decode(auth[6:]).decode().partition(":")
            except ValueError:
                raise SlackError("invalid_client_id") from None
            return user, password
        return str(args.get("client_id", "")), str(args.get("client_secret", ""))

    def _token(self, args: Args, headers: Mapping[str, str]) -> dict[str, Any]:
        client_id, client_secret = self._credentials(args, headers)
        if client_id != self.client_id:
            raise SlackError("invalid_client_id")
        if not hmac.compare_digest(client_secret, self.client_secret):
            raise SlackError("bad_client_secret")
        grant = self._codes.pop(str(args.get("code", "")), None)
        if grant is None:
            raise SlackError("invalid_code")  # unknown, or used already
        if args.get("redirect_uri") != grant.redirect_uri:
            raise SlackError("bad_redirect_uri")
        claims = self._claims(grant)
        access = "xoxp-" + secrets.token_hex(12)
        self._tokens[access] = claims
        return {"access_token": access, "token_type": "Bearer", "id_token": self._sign(claims)}

    def _claims(self, grant: Grant) -> dict[str, Any]:
        user = self._state.users.get(grant.user_id)
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": "https://slack.com",
            "sub": grant.user_id,
            "aud": self.client_id,
            "exp": now + 3600,
            "iat": now,
            "auth_time": now,
            "https://slack.com/user_id": grant.user_id,
            "https://slack.com/team_id": grant.team_id,
            "name": user.name if user else grant.user_id,
            "locale": user.locale if user else "en-US",
        }
        if grant.nonce:
            claims["nonce"] = grant.nonce
        return claims

    def _sign(self, claims: dict[str, Any]) -> str:
        header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        payload = _b64(json.dumps(claims).encode())
        signing_input = f"{header}.{payload}".encode()
        digest = hmac.new(self.client_secret.encode(), signing_input, hashlib.sha256).digest()
        return f"{header}.{payload}.{_b64(digest)}"

    def _user_info(self, headers: Mapping[str, str]) -> dict[str, Any]:
        auth = headers.get("Authorization", "")
        claims = self._tokens.get(auth.removeprefix("Bearer "))
        if claims is None:
            raise SlackError("invalid_auth")
        return {k: v for k, v in claims.items() if k not in ("aud", "exp", "iat", "auth_time")}

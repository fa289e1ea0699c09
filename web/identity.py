"""Who signs in: what the console asks of Slack's OpenID Connect, as an interface.

The Slack adapter implements :class:`SignIn` (``bot.console.SlackSignIn``), so that the
console never imports Slack's libraries.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Protocol


class SignInRefused(Exception):
    """Slack did not vouch for the person: a bad or used code, a bad answer."""


@dataclass(frozen=True)
class SlackIdentity:
    """Who Slack says signed in, from the ID token of ``openid.connect.token``."""

    user_id: str
    team_id: str
    nonce: str | None
    locale: str | None


class SignIn(Protocol):
    def authorize_url(self, *, state: str, nonce: str, redirect_uri: str) -> str:
        """Slack's page where the person agrees to sign in."""
        ...

    def identity(self, *, code: str, redirect_uri: str) -> SlackIdentity:
        """The person behind ``code``; raises :class:`SignInRefused`."""
        ...

    def workspace_id(self) -> str:
        """The id of the workspace the app is installed in."""
        ...


def id_token_claims(token: str) -> dict:
    """The claims of an ID token. Its signature is not checked: the token comes straight
    from Slack's token endpoint over TLS, which OpenID Connect Core (3.1.3.7) allows."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError) as error:
        raise SignInRefused(f"not an ID token: {error}") from None
    if not isinstance(claims, dict):
        raise SignInRefused("not an ID token: its claims are not an object")
    return claims


def identity_from_claims(claims: dict) -> SlackIdentity:
    user_id = claims.get("https://slack.com/user_id")
    team_id = claims.get("https://slack.com/team_id")
    if not isinstance(user_id, str) or not isinstance(team_id, str):
        raise SignInRefused("the ID token names no Slack user or workspace")
    return SlackIdentity(user_id, team_id, claims.get("nonce"), claims.get("locale"))

"""Sign in with Slack (OpenID Connect), the session, and who may see what.

The signed session cookie holds the Slack user id, the workspace's id, when the person
signed in, their language and a CSRF token. At every request the person is read again from
the roster (:func:`web.viewer.load_viewer`): taken off it, they are signed out at once.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, abort, g, redirect, render_template, request, session, url_for

from web.i18n import set_locale
from web.identity import SignInRefused
from web.services import services
from web.viewer import Viewer, load_viewer

log = logging.getLogger(__name__)

auth = Blueprint("auth", __name__)


def safe_next(value: str | None) -> str | None:
    """``value`` if it is a path of the console (``/app/...``), else None: never an
    address elsewhere (``//evil.example``, ``https://...``, ``/app/../``)."""
    if not value or "\\" in value or any(ord(c) < 32 for c in value):
        return None
    parts = urlsplit(value)
    root = request.script_root + "/"
    if parts.scheme or parts.netloc or not parts.path.startswith(root) or ".." in parts.path:
        return None
    return value


def redirect_uri() -> str:
    settings = services().settings
    base = settings.console.url or settings.public_url
    if base:
        return f"{base}{request.script_root}/callback"
    return url_for("auth.callback", _external=True)


def refuse(reason: str, status: int = 403):
    return render_template("refused.html", reason=reason), status


@auth.get("/login")
def login():
    """Off to Slack, with a fresh ``state`` and ``nonce`` kept in the signed session."""
    found = services()
    if not (found.settings.slack.client_id and found.settings.slack.client_secret):
        return refuse("not_configured", 503)
    session.pop("user", None)
    session["oidc"] = {
        "state": secrets.token_urlsafe(24),
        "nonce": secrets.token_urlsafe(24),
        "next": safe_next(request.args.get("next")),
    }
    url = found.sign_in.authorize_url(
        state=session["oidc"]["state"], nonce=session["oidc"]["nonce"], redirect_uri=redirect_uri()
    )
    return redirect(url)


@auth.get("/callback")
def callback():
    """Slack sends the person back with a code: it is exchanged once, for the ID token, and
    the person let in if Slack vouches for them, in this workspace, and the roster has them."""
    pending = session.pop("oidc", None)
    state, code = request.args.get("state", ""), request.args.get("code", "")
    if not pending or not hmac.compare_digest(state.encode(), pending["state"].encode()):
        log.warning("sign-in refused: its state is unknown or already used")
        return refuse("state", 400)
    if request.args.get("error") or not code:
        return refuse("cancelled", 400)
    found = services()
    try:
        identity = found.sign_in.identity(code=code, redirect_uri=redirect_uri())
        workspace = found.sign_in.workspace_id()
    except SignInRefused as error:
        log.warning("sign-in refused by Slack: %s", error)
        return refuse("slack", 400)
    if not identity.nonce or not hmac.compare_digest(identity.nonce, pending["nonce"]):
        log.warning("sign-in refused: the ID token's nonce is not this sign-in's")
        return refuse("state", 400)
    if identity.team_id != workspace:
        log.warning("sign-in refused: %s is of another workspace", identity.user_id)
        return refuse("workspace")
    with found.sessions() as db:
        viewer = load_viewer(db, identity.user_id, found.calendar.local(found.clock()).date())
    if viewer is None:
        log.info("sign-in refused: %s is not on the roster", identity.user_id)
        return refuse("roster")
    session.clear()
    session.permanent = True
    session.update(
        user=identity.user_id,
        team=identity.team_id,
        since=found.clock().timestamp(),
        csrf=secrets.token_urlsafe(24),
    )
    set_locale(identity.locale or viewer.locale, found.settings.locale)
    log.info("%s signed in to the console", identity.user_id)
    return redirect(pending.get("next") or url_for("pages.home"))


@auth.post("/logout")
def logout():
    session.clear()
    return redirect(url_for("pages.home"))


def load_signed_in() -> None:
    """Before each request: who is signed in, if anyone still may be."""
    g.viewer = None
    user = session.get("user")
    if not user:
        return
    found = services()
    lifetime = found.settings.console.session_hours * 3600
    if found.clock().timestamp() - float(session.get("since", 0)) > lifetime:
        session.clear()
        g.expired = True
        return
    with found.sessions() as db:
        g.viewer = load_viewer(db, user, found.calendar.local(found.clock()).date())
    if g.viewer is None:
        log.info("%s is no longer on the roster: signed out of the console", user)
        session.clear()


def check_csrf() -> None:
    """Every form sent (POST) carries the session's token."""
    if request.method != "POST":
        return
    expected = session.get("csrf")
    sent = request.form.get("csrf", "")
    if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        abort(400, description="csrf")


def csrf_token() -> str:
    return session.get("csrf", "")


def _to_sign_in():
    """To Slack, then back to the page asked for (``full_path`` is the app's own: without
    the ``/app`` it is mounted under)."""
    wanted = request.script_root + request.full_path.rstrip("?")
    return redirect(url_for("auth.login", next=wanted))


def signed_in(view: Callable[..., Any]) -> Callable[..., Any]:
    """The page needs someone signed in; a stranger is sent to sign in first."""

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if g.viewer is None:
            return _to_sign_in()
        return view(*args, **kwargs)

    return guarded


def staff_only(view: Callable[..., Any]) -> Callable[..., Any]:
    """The page is the programme team's: others get 403."""

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        viewer: Viewer | None = g.viewer
        if viewer is None:
            return _to_sign_in()
        if not viewer.staff:
            abort(403)
        return view(*args, **kwargs)

    return guarded

"""The console's Flask application, built once per process from its services."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from flask import Flask, Response, g, render_template
from werkzeug.exceptions import HTTPException

from bulletins.cycle.bulletin import MOODS
from bulletins.names import shown_name
from web import i18n
from web.auth import auth, check_csrf, csrf_token, load_signed_in
from web.facts import facts
from web.jobs import jobs
from web.pages import pages
from web.people import people
from web.roster import roster
from web.services import EXTENSION, ConsoleServices
from web.settings_page import settings_page
from web.staff import staff
from web.surveys import surveys

PREFIX = "/app"
COOKIE = "bulletins_console"
# No script, no frame, nothing from elsewhere: every page works without JavaScript.
POLICY = (
    "default-src 'self'; script-src 'none'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)


def session_key(signing_secret: str) -> bytes:
    """The key that signs the console's cookies, derived from ``SLACK_SIGNING_SECRET``: the
    same in every process of a deployment, and not the secret itself."""
    return hmac.new(
        signing_secret.encode(), b"bulletins web console sessions", hashlib.sha256
    ).digest()


def create_console(found: ConsoleServices) -> Flask:
    """The console, to be mounted under ``/app``."""
    if not found.settings.slack.signing_secret:
        raise ValueError("the web console needs SLACK_SIGNING_SECRET to sign its sessions")
    console = found.settings.console
    app = Flask(__name__, static_url_path="/static")
    app.config.update(
        SECRET_KEY=session_key(found.settings.slack.signing_secret),
        SESSION_COOKIE_NAME=COOKIE,
        SESSION_COOKIE_PATH=PREFIX,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SECURE=console.secure_cookies,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=console.session_hours),
        MAX_CONTENT_LENGTH=64 * 1024,
        TEMPLATES_AUTO_RELOAD=False,
    )
    app.extensions[EXTENSION] = found
    i18n.install(app)

    @app.before_request
    def before() -> None:
        g.locale = i18n.choose_locale(found.settings.locale)
        load_signed_in()
        check_csrf()

    @app.context_processor
    def common() -> dict:
        return {
            "viewer": g.get("viewer"),
            "csrf_token": csrf_token,
            "locale": g.get("locale", found.settings.locale),
            "programme": found.settings.programme_name,
            "moods": MOODS,
            "author": lambda person: shown_name(person, g.locale),
        }

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = POLICY
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.errorhandler(HTTPException)
    def error(exc: HTTPException):
        if not hasattr(g, "locale"):
            g.locale = found.settings.locale
        return render_template("error.html", status=exc.code, reason=exc.description), exc.code

    app.register_blueprint(auth)
    app.register_blueprint(pages)
    app.register_blueprint(staff)
    app.register_blueprint(surveys)
    app.register_blueprint(facts)
    app.register_blueprint(people)
    app.register_blueprint(roster)
    app.register_blueprint(jobs)
    app.register_blueprint(settings_page)
    return app

"""The served app: health checks, and Slack's signature checked on every request."""

from __future__ import annotations

import http.client
import json
import os
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, timedelta

import pytest

from bot.app import create_app
from bot.server import MAX_BODY, THREADS, HttpServer
from bot.standin.driver import SlackDriver
from bot.standin.workspace import SIGNING_SECRET, SlackWorkspace
from bulletins.config import settings_from_dict
from bulletins.db import make_engine, upgrade
from bulletins.db.migrate import latest_revision
from tests.support.programme import load_eig3, paris


def get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def health_url(server: HttpServer) -> str:
    return server.url.replace("/slack/events", "/healthz")


def test_healthz_answers_200_when_the_database_answers_and_the_clock_ticked(workspace):
    workspace.tick(workspace.clock.now)
    workspace.clock.now += timedelta(minutes=9)
    status, body = get(health_url(workspace.server))
    assert status == 200
    assert body == {
        "database": "ok",
        "scheduler": "ok",
        "last_tick": (workspace.clock.now - timedelta(minutes=9)).astimezone(UTC).isoformat(),
    }


def test_healthz_answers_503_before_any_tick(workspace):
    status, body = get(health_url(workspace.server))
    assert status == 503
    assert body["database"] == "ok"
    assert body["scheduler"].startswith("no tick recorded")
    assert body["last_tick"] is None


def test_healthz_answers_503_when_the_last_tick_is_too_old(workspace):
    workspace.tick(workspace.clock.now)
    workspace.clock.now += timedelta(minutes=11)  # the default allows 10
    status, body = get(health_url(workspace.server))
    assert status == 503
    assert body["scheduler"].startswith("last tick 11 minutes ago (more than 10 minutes)")


def test_the_allowed_age_of_the_last_tick_is_a_setting(engine):
    settings = settings_from_dict({"health": {"scheduler_max_age_minutes": 30}})
    load_eig3(engine)
    with SlackWorkspace(settings, engine, now=paris(2026, 3, 2, 10, 0)) as workspace:
        workspace.tick(workspace.clock.now)
        workspace.clock.now += timedelta(minutes=29)
        assert get(health_url(workspace.server))[0] == 200
        workspace.clock.now += timedelta(minutes=2)
        assert get(health_url(workspace.server))[0] == 503


def test_healthz_answers_503_when_the_database_does_not_answer(workspace, tmp_path):
    dead = make_engine(f"sqlite:///{tmp_path / 'missing-dir' / 'gone.db'}")
    app = create_app(workspace.services, verify_token=False)
    with HttpServer(app, dead, "127.0.0.1", 0, signing_secret=SIGNING_SECRET) as server:
        status, body = get(health_url(server))
    assert status == 503
    assert body["database"] == "unreachable"


def test_healthz_answers_503_on_a_database_not_migrated_to_the_latest_schema(workspace, tmp_path):
    old = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(old, "0008")
    app = create_app(workspace.services, verify_token=False)
    with HttpServer(app, old, "127.0.0.1", 0, signing_secret=SIGNING_SECRET) as server:
        status, body = get(health_url(server))
    assert status == 503
    assert body["database"] == (
        f"schema at revision 0008, needs {latest_revision()}: run bulletins db upgrade"
    )


def test_healthz_answers_503_on_an_empty_database(workspace, tmp_path):
    empty = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    app = create_app(workspace.services, verify_token=False)
    with HttpServer(app, empty, "127.0.0.1", 0, signing_secret=SIGNING_SECRET) as server:
        status, body = get(health_url(server))
    assert status == 503
    assert body["database"] == "no schema: run bulletins db upgrade"


def test_unsigned_or_stale_requests_are_refused(workspace):
    body = b"command=%2Fbulletin&user_id=U1&text=help"
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    assert workspace.driver.raw(body, headers, sign=False).status == 401
    stale = int(time.time()) - 10 * 60
    assert workspace.driver.raw(body, headers, sign=True, timestamp=stale).status == 401
    assert workspace.standin.calls_to("chat.postEphemeral") == []


def test_a_request_with_a_malformed_timestamp_is_refused_and_nothing_is_sent(workspace, caplog):
    """Its body names a response_url: nothing may be posted there, nor anywhere else."""
    reply_to = workspace.standin.new_response_url()
    body = urllib.parse.urlencode(
        {
            "command": "/bulletin",
            "user_id": "U1",
            "text": "help",
            "response_url": reply_to,
            "trigger_id": "1.2.3",
        }  # fmt: skip
    ).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded",
               "X-Slack-Request-Timestamp": "abc", "X-Slack-Signature": "v0=00"}  # fmt: skip

    before = len(workspace.standin.calls)
    with caplog.at_level("INFO"):
        response = workspace.driver.raw(body, headers, sign=False)
    # A signed request next: once its reply has come, the refused one's work would have too.
    assert workspace.driver.command("U1", "help").status == 200

    def replies() -> list:
        return [call for call in workspace.standin.calls[before:] if call.method == "response_url"]

    workspace.wait_for(replies)
    assert response.status == 401
    # One reply: the signed request's; none to the response_url the refused one named.
    assert len(replies()) == 1
    refusals = [r for r in caplog.records if r.name == "bot.server" and r.levelname != "DEBUG"]
    assert len(refusals) == 1 and refusals[0].exc_info is None
    assert "not signed by Slack" in refusals[0].getMessage()


def test_a_body_larger_than_any_slack_payload_is_refused_unread(workspace):
    url = urllib.parse.urlsplit(workspace.server.url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=5)
    connection.putrequest("POST", url.path)
    connection.putheader("Content-Type", "application/x-www-form-urlencoded")
    connection.putheader("Content-Length", str(200 * 1024 * 1024))
    connection.endheaders()  # and not one byte of the 200 MB announced
    assert connection.getresponse().status == 413
    connection.close()


def test_a_signed_body_just_over_the_limit_is_refused(workspace):
    body = b"payload=" + b"x" * MAX_BODY
    before = len(workspace.standin.calls)
    try:
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        refused = workspace.driver.raw(body, headers).status == 413
    except urllib.error.URLError as error:
        # The server answered 413 and closed the connection while the client still sent.
        refused = isinstance(error.reason, ConnectionError)
    assert refused
    assert workspace.standin.calls[before:] == []


def test_slack_url_verification_is_answered(workspace):
    response = workspace.driver.url_verification("challenge-42")
    assert response.status == 200
    assert "challenge-42" in response.text


def test_a_server_whose_wake_up_pipe_was_closed_under_it_still_stops(workspace):

    app = create_app(workspace.services, verify_token=False)
    server = HttpServer(
        app, workspace.services.engine, "127.0.0.1", 0, signing_secret=SIGNING_SECRET
    )
    health = server.url.replace("/slack/events", "/healthz")
    server.start_in_background()
    assert get(health)[0] == 503  # it answers; no clock process ticks here
    os.close(server._server.trigger.trigger)  # as a stray close elsewhere in the process would

    server.stop()
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(health, timeout=2)


def test_as_many_requests_at_once_as_the_server_has_threads_each_get_a_listener(workspace):
    """Each of these listeners answers only once all of them are running: none may wait
    for another to finish before its own starts."""

    all_running = threading.Barrier(THREADS, timeout=2)
    app = create_app(workspace.services, verify_token=False)

    @app.command("/together")
    def together(ack) -> None:
        all_running.wait()
        ack("together")

    with HttpServer(
        app, workspace.services.engine, "127.0.0.1", 0, signing_secret=SIGNING_SECRET
    ) as server:
        driver = SlackDriver(server.url, SIGNING_SECRET, workspace.standin)
        with ThreadPoolExecutor(max_workers=THREADS) as pool:
            answers = list(
                pool.map(lambda n: driver.command(f"U{n}", command="/together"), range(THREADS))
            )
    assert [(answer.status, answer.text) for answer in answers] == [(200, "together")] * THREADS

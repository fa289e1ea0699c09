"""The served app: health checks, and Slack's signature checked on every request."""

from __future__ import annotations

import json
import os
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest


def get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_healthz_answers_200_when_the_database_answers(bench):
    status, body = get(bench.server.url.replace("/slack/events", "/healthz"))
    assert (status, body) == (200, {"database": "ok"})


def test_healthz_answers_503_when_the_database_does_not_answer(bench, tmp_path):
    from bot.app import create_app
    from bot.server import HttpServer
    from bulletins.db import make_engine

    dead = make_engine(f"sqlite:///{tmp_path / 'missing-dir' / 'gone.db'}")
    app = create_app(bench.services, verify_token=False)
    with HttpServer(app, dead, host="127.0.0.1", port=0) as server:
        status, body = get(server.url.replace("/slack/events", "/healthz"))
    assert (status, body) == (503, {"database": "unreachable"})


def test_unsigned_or_stale_requests_are_refused(bench):
    body = b"command=%2Fbulletin&user_id=U1&text=help"
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    assert bench.driver.raw(body, headers, sign=False).status == 401
    stale = int(time.time()) - 10 * 60
    assert bench.driver.raw(body, headers, sign=True, timestamp=stale).status == 401
    assert bench.standin.calls_to("chat.postEphemeral") == []


def test_slack_url_verification_is_answered(bench):
    response = bench.driver.url_verification("challenge-42")
    assert response.status == 200
    assert "challenge-42" in response.text


def test_a_server_whose_wake_up_pipe_was_closed_under_it_still_stops(bench):
    from bot.app import create_app
    from bot.server import HttpServer

    app = create_app(bench.services, verify_token=False)
    server = HttpServer(app, bench.services.engine, host="127.0.0.1", port=0)
    health = server.url.replace("/slack/events", "/healthz")
    server.start_in_background()
    assert get(health)[0] == 200
    os.close(server._server.trigger.trigger)  # as a stray close elsewhere in the process would

    server.stop()
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(health, timeout=2)


def test_as_many_requests_at_once_as_the_server_has_threads_each_get_a_listener(bench):
    """Each of these listeners answers only once all of them are running: none may wait
    for another to finish before its own starts."""
    from bot.app import create_app
    from bot.server import THREADS, HttpServer
    from bot.standin.bench import SIGNING_SECRET
    from bot.standin.driver import SlackDriver

    all_running = threading.Barrier(THREADS, timeout=2)
    app = create_app(bench.services, verify_token=False)

    @app.command("/together")
    def together(ack) -> None:
        all_running.wait()
        ack("together")

    with HttpServer(app, bench.services.engine, host="127.0.0.1", port=0) as server:
        driver = SlackDriver(server.url, SIGNING_SECRET, bench.standin)
        with ThreadPoolExecutor(max_workers=THREADS) as pool:
            answers = list(
                pool.map(lambda n: driver.command(f"U{n}", command="/together"), range(THREADS))
            )
    assert [(answer.status, answer.text) for answer in answers] == [(200, "together")] * THREADS

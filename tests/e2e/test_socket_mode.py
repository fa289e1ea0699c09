"""The app served over Socket Mode, as ``bulletins serve --socket`` serves it: Slack's
envelopes come through the websocket the app opened, and each is acknowledged there."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot import ids
from bot.standin.bench import SlackBench
from bot.standin.socket_mode import ACK_WINDOW
from tests.e2e.conftest import load_eig3, paris, person_named, team_named
from tests.e2e.form_helpers import answers, bulletins, dms, open_view, submit
from tests.e2e.test_database_down import FORM_DOWN, database_down

HOME_OPENED = {"type": "app_home_opened", "channel": "D0HOME", "tab": "home"}


@pytest.fixture
def bench(engine, settings) -> Iterator[SlackBench]:
    load_eig3(engine)
    with SlackBench(settings, engine, now=paris(2026, 3, 2, 10, 0), socket_mode=True) as bench:
        bench.register_people()
        yield bench


def test_a_bulletin_typed_and_submitted_over_socket_mode_is_filed(bench):
    manon, team = person_named(bench, "Manon Moreau"), team_named(bench, "LexImpact")
    (connection,) = bench.standin.calls_to("apps.connections.open")  # with the app token
    assert connection.ok

    view = open_view(bench, manon.slack_user_id)
    response = submit(bench, manon.slack_user_id, view, answers())

    assert response.text == ""  # the modal closes
    assert [b.priority for b in bulletins(bench, team)] == ["Ship the simulator to the Senate"]
    assert "LexImpact" in dms(bench, manon.slack_user_id)[0]
    assert max(bench.driver.socket.acknowledged_in.values()) < ACK_WINDOW


def test_a_refused_form_gets_its_problems_back_in_the_acknowledgement(bench):
    manon, team = person_named(bench, "Manon Moreau"), team_named(bench, "LexImpact")
    view = open_view(bench, manon.slack_user_id)

    refused = bench.driver.submit_view(manon.slack_user_id, view, answers(priority="x" * 301))

    assert refused.json()["response_action"] == "errors"
    assert "300" in str(refused.json()["errors"])
    assert bulletins(bench, team) == []


def test_an_event_slack_retries_over_the_websocket_is_handled_once(bench):
    manon = person_named(bench, "Manon Moreau")
    event = HOME_OPENED | {"user": manon.slack_user_id}

    bench.driver.event(event, event_id="Ev0SOCKET")
    bench.wait_for(lambda: bench.standin.calls_to("views.publish"))
    for retry in (1, 2):
        bench.driver.event(event, event_id="Ev0SOCKET", retry_num=retry, retry_reason="timeout")

    assert len(bench.standin.calls_to("views.publish")) == 1


def test_a_form_submitted_while_the_database_is_down_stays_open_with_its_text(bench, tmp_path):
    manon, team = person_named(bench, "Manon Moreau"), team_named(bench, "LexImpact")
    view = open_view(bench, manon.slack_user_id)
    typed = answers(priority="Ne pas perdre ceci")

    with database_down(bench, tmp_path):
        response = bench.driver.submit_view(manon.slack_user_id, view, typed)

    assert response.json() == {"response_action": "errors", "errors": {ids.MOOD: FORM_DOWN}}
    assert submit(bench, manon.slack_user_id, view, typed).text == ""
    assert [b.priority for b in bulletins(bench, team)] == ["Ne pas perdre ceci"]

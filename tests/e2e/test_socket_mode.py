"""The app served over Socket Mode, as ``bulletins serve --socket`` serves it: Slack's
envelopes come through the websocket the app opened, and each is acknowledged there."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot import ids
from bot.standin.socket_mode import ACK_WINDOW
from bot.standin.workspace import SlackWorkspace
from tests.support.databases import FORM_DOWN, database_down
from tests.support.forms import answers, bulletins, dms, open_view, submit
from tests.support.programme import load_eig3, paris, person_named, team_named

HOME_OPENED = {"type": "app_home_opened", "channel": "D0HOME", "tab": "home"}


@pytest.fixture
def workspace(engine, settings) -> Iterator[SlackWorkspace]:
    load_eig3(engine)
    with SlackWorkspace(
        settings, engine, now=paris(2026, 3, 2, 10, 0), socket_mode=True
    ) as workspace:
        workspace.register_people()
        yield workspace


def test_a_bulletin_typed_and_submitted_over_socket_mode_is_filed(workspace):
    manon, team = person_named(workspace, "Manon Moreau"), team_named(workspace, "LexImpact")
    (connection,) = workspace.standin.calls_to("apps.connections.open")  # with the app token
    assert connection.ok

    view = open_view(workspace, manon.slack_user_id)
    response = submit(workspace, manon.slack_user_id, view, answers())

    assert response.text == ""  # the modal closes
    assert [b.priority for b in bulletins(workspace, team)] == ["Ship the simulator to the Senate"]
    assert "LexImpact" in dms(workspace, manon.slack_user_id)[0]
    assert max(workspace.driver.socket.acknowledged_in.values()) < ACK_WINDOW


def test_a_refused_form_gets_its_problems_back_in_the_acknowledgement(workspace):
    manon, team = person_named(workspace, "Manon Moreau"), team_named(workspace, "LexImpact")
    view = open_view(workspace, manon.slack_user_id)

    refused = workspace.driver.submit_view(manon.slack_user_id, view, answers(priority="x" * 301))

    assert refused.json()["response_action"] == "errors"
    assert "300" in str(refused.json()["errors"])
    assert bulletins(workspace, team) == []


def test_an_event_slack_retries_over_the_websocket_is_handled_once(workspace):
    manon = person_named(workspace, "Manon Moreau")
    event = HOME_OPENED | {"user": manon.slack_user_id}

    workspace.driver.event(event, event_id="Ev0SOCKET")
    workspace.wait_for(lambda: workspace.standin.calls_to("views.publish"))
    for retry in (1, 2):
        workspace.driver.event(event, event_id="Ev0SOCKET", retry_num=retry, retry_reason="timeout")

    assert len(workspace.standin.calls_to("views.publish")) == 1


def test_a_form_submitted_while_the_database_is_down_stays_open_with_its_text(workspace, tmp_path):
    manon, team = person_named(workspace, "Manon Moreau"), team_named(workspace, "LexImpact")
    view = open_view(workspace, manon.slack_user_id)
    typed = answers(priority="Ne pas perdre ceci")

    with database_down(workspace, tmp_path):
        response = workspace.driver.submit_view(manon.slack_user_id, view, typed)

    assert response.json() == {"response_action": "errors", "errors": {ids.MOOD: FORM_DOWN}}
    assert submit(workspace, manon.slack_user_id, view, typed).text == ""
    assert [b.priority for b in bulletins(workspace, team)] == ["Ne pas perdre ceci"]

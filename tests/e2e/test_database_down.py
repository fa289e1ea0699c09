"""A database that does not answer: Slack still gets its answer in time, and the person is
told to try again, without losing what they typed."""

from __future__ import annotations

import time

from sqlalchemy import func, select

from bot import ids
from bulletins.db.models import ReceivedRequest
from tests.support.databases import FORM_DOWN, database_down, database_locked
from tests.support.forms import (
    HOME_OPENED,
    answers,
    ask,
    bulletins,
    dms,
    open_view,
    reminder_message,
    replies,
    submit,
)
from tests.support.programme import person_named, team_named

DOWN = "La base de données ne répond pas pour le moment. Réessayez dans une minute."
SLACK_WINDOW = 3.0


def timed(send):
    """``send()``'s response, and how long the app took to give it."""
    started = time.monotonic()
    response = send()
    return response, time.monotonic() - started


def received_count(workspace) -> int:
    with workspace.services.sessions() as session:
        return session.scalar(select(func.count()).select_from(ReceivedRequest))


def test_a_submission_while_the_database_is_down_keeps_the_modal_and_its_text(workspace, tmp_path):
    manon, team = person_named(workspace, "Manon Moreau"), team_named(workspace, "LexImpact")
    view = open_view(workspace, manon.slack_user_id)
    typed = answers(priority="Ne pas perdre ceci")

    with database_down(workspace, tmp_path):
        response, elapsed = timed(
            lambda: workspace.driver.submit_view(manon.slack_user_id, view, typed)
        )

    assert elapsed < SLACK_WINDOW
    assert response.json() == {"response_action": "errors", "errors": {ids.MOOD: FORM_DOWN}}
    assert bulletins(workspace, team) == []
    assert workspace.standin.calls_to("views.update") == []  # Slack keeps the modal, text and all
    # Once the database is back, the same submission is filed.
    assert submit(workspace, manon.slack_user_id, view, typed).text == ""
    assert [b.priority for b in bulletins(workspace, team)] == ["Ne pas perdre ceci"]
    assert len(dms(workspace, manon.slack_user_id)) == 1


def test_a_command_while_the_database_is_down_gets_an_ephemeral_message(workspace, tmp_path):
    manon = person_named(workspace, "Manon Moreau")
    with database_down(workspace, tmp_path):
        assert ask(workspace, manon.slack_user_id, "history").startswith(DOWN)


def test_a_click_while_the_database_is_down_gets_an_ephemeral_message(workspace, tmp_path):
    manon, team = person_named(workspace, "Manon Moreau"), team_named(workspace, "LexImpact")
    with database_down(workspace, tmp_path):
        message = reminder_message(team.id)
        response = workspace.driver.block_action(
            manon.slack_user_id, ids.OPEN_FORM, message=message
        )
        assert response.status == 200
        [reply] = replies(workspace)
    assert reply.startswith(DOWN)
    assert workspace.standin.calls_to("views.open") == []


def test_an_event_while_the_database_is_down_is_acknowledged_without_a_message(workspace, tmp_path):
    manon = person_named(workspace, "Manon Moreau")
    with database_down(workspace, tmp_path):
        response = workspace.driver.event(HOME_OPENED | {"user": manon.slack_user_id})
    assert response.status == 200
    assert workspace.standin.messages(manon.slack_user_id) == []


def test_every_request_is_answered_in_time_while_the_database_hangs(workspace):
    manon, team = person_named(workspace, "Manon Moreau"), team_named(workspace, "LexImpact")
    user = manon.slack_user_id
    view = open_view(workspace, user)
    typed = answers(priority="Écrit pendant un blocage")

    with database_locked(workspace.services.engine):
        submitted, submit_time = timed(lambda: workspace.driver.submit_view(user, view, typed))
        requests = [
            lambda: workspace.driver.command(user, "history"),
            lambda: workspace.driver.event(HOME_OPENED | {"user": user}),
            lambda: workspace.driver.block_action(user, ids.OPEN_FORM, message=reminder_message(1)),
        ]
        answered = [timed(send) for send in requests]

    assert submit_time < SLACK_WINDOW
    assert submitted.json() == {"response_action": "errors", "errors": {ids.MOOD: FORM_DOWN}}
    assert [response.status for response, _ in answered] == [200, 200, 200]
    assert max(elapsed for _, elapsed in answered) < SLACK_WINDOW
    # The refused submission was forgotten: sent again, it is filed.
    workspace.wait_for(lambda: received_count(workspace) <= 2)  # the event and the click remain
    assert submit(workspace, user, view, typed).text == ""
    assert [b.priority for b in bulletins(workspace, team)] == ["Écrit pendant un blocage"]

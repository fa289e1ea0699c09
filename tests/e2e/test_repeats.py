"""Requests Slack sends twice have one effect: retried events, double clicks, forms
submitted twice."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot import ids
from bulletins.db.models import BulletinRevision, ReceivedRequest
from tests.support.forms import (
    HOME_OPENED,
    answers,
    bulletins,
    dms,
    open_view,
    reminder_message,
    submit,
)
from tests.support.programme import person_named, team_named


def count(workspace, model) -> int:
    with workspace.services.sessions() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_an_event_retried_by_slack_is_handled_once(workspace):
    manon = person_named(workspace, "Manon Moreau")
    event = HOME_OPENED | {"user": manon.slack_user_id}

    assert workspace.driver.event(event, event_id="Ev0REPEATED").status == 200
    workspace.wait_for(lambda: workspace.standin.calls_to("views.publish"))
    for retry in (1, 2):
        response = workspace.driver.event(event, event_id="Ev0REPEATED", retry_num=retry)
        assert response.status == 200

    # A repeat is dropped before any listener runs, so nothing can still be on its way.
    assert len(workspace.standin.calls_to("views.publish")) == 1
    assert workspace.driver.event(event, event_id="Ev0ANOTHER").status == 200
    workspace.wait_for(lambda: len(workspace.standin.calls_to("views.publish")) == 2)


def test_a_form_submitted_twice_files_once_and_confirms_once(workspace):
    manon, team = person_named(workspace, "Manon Moreau"), team_named(workspace, "LexImpact")
    view = open_view(workspace, manon.slack_user_id)
    submit(workspace, manon.slack_user_id, view, answers())

    again = workspace.driver.submit_view(manon.slack_user_id, view, answers())

    assert (again.status, again.text) == (200, "")  # the modal closes, as the first time
    assert len(bulletins(workspace, team)) == 1
    assert count(workspace, BulletinRevision) == 0
    assert len(dms(workspace, manon.slack_user_id)) == 1
    assert count(workspace, ReceivedRequest) == 1  # recorded with the filed form


def test_a_form_corrected_after_a_refusal_is_filed(workspace):
    manon, team = person_named(workspace, "Manon Moreau"), team_named(workspace, "LexImpact")
    view = open_view(workspace, manon.slack_user_id)
    refused = workspace.driver.submit_view(manon.slack_user_id, view, answers(priority="x" * 301))
    assert refused.json()["response_action"] == "errors"
    assert count(workspace, ReceivedRequest) == 0  # a refused form leaves no key

    # Slack sends the same view (id and hash) again, with the corrected answers.
    assert submit(workspace, manon.slack_user_id, view, answers()).text == ""

    assert [b.priority for b in bulletins(workspace, team)] == ["Ship the simulator to the Senate"]


def test_a_double_click_opens_one_form(workspace):
    manon, team = person_named(workspace, "Manon Moreau"), team_named(workspace, "LexImpact")
    message = reminder_message(team.id)

    for _ in range(2):
        response = workspace.driver.block_action(
            manon.slack_user_id, ids.OPEN_FORM, message=message
        )
        assert response.status == 200

    workspace.wait_for(lambda: workspace.standin.calls_to("views.open"))
    assert len(workspace.standin.calls_to("views.open")) == 1
    assert count(workspace, ReceivedRequest) == 1


def test_a_second_click_later_opens_the_form_again(workspace):
    manon, team = person_named(workspace, "Manon Moreau"), team_named(workspace, "LexImpact")
    message = reminder_message(team.id)
    workspace.driver.block_action(manon.slack_user_id, ids.OPEN_FORM, message=message)
    workspace.wait_for(lambda: workspace.standin.calls_to("views.open"))

    workspace.clock.now += timedelta(seconds=3)
    workspace.driver.block_action(manon.slack_user_id, ids.OPEN_FORM, message=message)

    workspace.wait_for(lambda: len(workspace.standin.calls_to("views.open")) == 2)

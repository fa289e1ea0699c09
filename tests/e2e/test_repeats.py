"""Requests Slack sends twice have one effect: retried events, double clicks, forms
submitted twice."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot import ids
from bulletins.db.models import BulletinRevision, ReceivedRequest
from tests.e2e.conftest import person_named, team_named
from tests.e2e.form_helpers import answers, bulletins, dms, open_view, submit

HOME_OPENED = {"type": "app_home_opened", "channel": "D0HOME", "tab": "home"}


def count(bench, model) -> int:
    with bench.services.sessions() as session:
        return session.scalar(select(func.count()).select_from(model))


def reminder_message(team_id: int) -> dict:
    """A message with the reminder's button, as Slack gives it back in a click."""
    button = {
        "type": "button",
        "action_id": ids.OPEN_FORM,
        "value": str(team_id),
        "text": {"type": "plain_text", "text": "Écrire le bulletin"},
    }
    return {"ts": "1700000000.000100", "blocks": [{"type": "actions", "elements": [button]}]}


def test_an_event_retried_by_slack_is_handled_once(bench):
    manon = person_named(bench, "Manon Moreau")
    event = HOME_OPENED | {"user": manon.slack_user_id}

    assert bench.driver.event(event, event_id="Ev0REPEATED").status == 200
    bench.wait_for(lambda: bench.standin.calls_to("views.publish"))
    for retry in (1, 2):
        response = bench.driver.event(event, event_id="Ev0REPEATED", retry_num=retry)
        assert response.status == 200

    # A repeat is dropped before any listener runs, so nothing can still be on its way.
    assert len(bench.standin.calls_to("views.publish")) == 1
    assert bench.driver.event(event, event_id="Ev0ANOTHER").status == 200
    bench.wait_for(lambda: len(bench.standin.calls_to("views.publish")) == 2)


def test_a_form_submitted_twice_files_once_and_confirms_once(bench):
    manon, team = person_named(bench, "Manon Moreau"), team_named(bench, "LexImpact")
    view = open_view(bench, manon.slack_user_id)
    submit(bench, manon.slack_user_id, view, answers())

    again = bench.driver.submit_view(manon.slack_user_id, view, answers())

    assert (again.status, again.text) == (200, "")  # the modal closes, as the first time
    assert len(bulletins(bench, team)) == 1
    assert count(bench, BulletinRevision) == 0
    assert len(dms(bench, manon.slack_user_id)) == 1
    assert count(bench, ReceivedRequest) == 1  # recorded with the filed form


def test_a_form_corrected_after_a_refusal_is_filed(bench):
    manon, team = person_named(bench, "Manon Moreau"), team_named(bench, "LexImpact")
    view = open_view(bench, manon.slack_user_id)
    refused = bench.driver.submit_view(manon.slack_user_id, view, answers(priority="x" * 301))
    assert refused.json()["response_action"] == "errors"
    assert count(bench, ReceivedRequest) == 0  # a refused form leaves no key

    # Slack sends the same view (id and hash) again, with the corrected answers.
    assert submit(bench, manon.slack_user_id, view, answers()).text == ""

    assert [b.priority for b in bulletins(bench, team)] == ["Ship the simulator to the Senate"]


def test_a_double_click_opens_one_form(bench):
    manon, team = person_named(bench, "Manon Moreau"), team_named(bench, "LexImpact")
    message = reminder_message(team.id)

    for _ in range(2):
        response = bench.driver.block_action(manon.slack_user_id, ids.OPEN_FORM, message=message)
        assert response.status == 200

    bench.wait_for(lambda: bench.standin.calls_to("views.open"))
    assert len(bench.standin.calls_to("views.open")) == 1
    assert count(bench, ReceivedRequest) == 1


def test_a_second_click_later_opens_the_form_again(bench):
    manon, team = person_named(bench, "Manon Moreau"), team_named(bench, "LexImpact")
    message = reminder_message(team.id)
    bench.driver.block_action(manon.slack_user_id, ids.OPEN_FORM, message=message)
    bench.wait_for(lambda: bench.standin.calls_to("views.open"))

    bench.clock.now += timedelta(seconds=3)
    bench.driver.block_action(manon.slack_user_id, ids.OPEN_FORM, message=message)

    bench.wait_for(lambda: len(bench.standin.calls_to("views.open")) == 2)

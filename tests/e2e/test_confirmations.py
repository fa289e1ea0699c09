"""A submitted form is filed before Slack gets its answer; its confirmation is written with
it, sent right after the answer, and sent by the clock process, once, when that fails."""

from __future__ import annotations

from datetime import timedelta

from bot.filing import BULLETIN, Form, file_form
from bulletins import outbox
from bulletins.cycle.bulletin import Answers
from bulletins.db.models import OutboxStatus
from tests.support.cycle import outbox_rows
from tests.support.forms import answers, bulletins, open_view, week
from tests.support.programme import person_named, team_named

LATER = outbox.IN_FLIGHT + timedelta(minutes=1)


def confirmations(workspace):
    return outbox_rows(workspace, outbox.CONFIRMATION)


def test_the_bulletin_is_stored_when_slack_gets_its_answer(workspace):
    manon, team = person_named(workspace, "Manon Moreau"), team_named(workspace, "LexImpact")
    view = open_view(workspace, manon.slack_user_id)

    response = workspace.driver.submit_view(manon.slack_user_id, view, answers(priority="Livrer"))

    assert (response.status, response.text) == (200, "")
    [stored] = bulletins(workspace, team)  # read at once: no waiting for work after the answer
    assert stored.priority == "Livrer"
    workspace.wait_for(lambda: workspace.standin.messages(manon.slack_user_id))
    [message] = workspace.standin.messages(manon.slack_user_id)
    assert "publié" in message["text"]
    workspace.wait_for(
        lambda: [row.status for row in confirmations(workspace)] == [OutboxStatus.SENT]
    )


def test_a_confirmation_slack_refused_goes_out_with_the_next_tick_once(workspace):
    manon = person_named(workspace, "Manon Moreau")
    view = open_view(workspace, manon.slack_user_id)
    workspace.standin.fail_next("chat.postMessage", status=429, retry_after=5)

    assert workspace.driver.submit_view(manon.slack_user_id, view, answers()).text == ""
    workspace.wait_for(lambda: confirmations(workspace)[0].attempts == 1)
    assert workspace.standin.messages(manon.slack_user_id) == []

    workspace.tick(workspace.clock() + timedelta(seconds=10))
    workspace.tick(workspace.clock() + timedelta(minutes=1))
    assert len(workspace.standin.messages(manon.slack_user_id)) == 1
    assert [row.status for row in confirmations(workspace)] == [OutboxStatus.SENT]


def test_a_confirmation_posted_while_slack_answered_an_error_is_not_posted_again(workspace):
    manon = person_named(workspace, "Manon Moreau")
    view = open_view(workspace, manon.slack_user_id)
    workspace.standin.fail_next("chat.postMessage", status=503, applied=True)

    assert workspace.driver.submit_view(manon.slack_user_id, view, answers()).text == ""
    workspace.wait_for(lambda: confirmations(workspace)[0].error == "http_503")
    # The web process may still be sending it: the clock process leaves it alone for now...
    workspace.tick(workspace.clock() + timedelta(seconds=30))
    assert workspace.standin.calls_to("conversations.history") == []
    # ...then finds it in Slack, and does not post it again.
    workspace.tick(workspace.clock() + LATER)
    assert len(workspace.standin.posted(manon.slack_user_id)) == 1
    assert [row.status for row in confirmations(workspace)] == [OutboxStatus.SENT]


def test_a_form_filed_by_a_process_that_died_before_confirming_is_confirmed_once(workspace):
    manon, team = person_named(workspace, "Manon Moreau"), team_named(workspace, "LexImpact")
    form = Form(
        BULLETIN,
        manon.slack_user_id,
        team.id,
        week(workspace),
        answers=Answers(mood=2, priority="Publier le simulateur", ups_and_downs="Une démo"),
    )
    filing = file_form(workspace.services, "view:V1:abc", form)  # and then the process was killed
    assert filing is not None
    assert file_form(workspace.services, "view:V1:abc", form) is None  # Slack's retry: a repeat

    workspace.tick(workspace.clock() + timedelta(minutes=1))
    assert workspace.standin.messages(manon.slack_user_id) == []  # it may still be on its way
    workspace.tick(workspace.clock() + LATER)
    workspace.tick(workspace.clock() + timedelta(minutes=1))

    assert len(bulletins(workspace, team)) == 1
    [message] = workspace.standin.messages(manon.slack_user_id)
    assert "publié" in message["text"]

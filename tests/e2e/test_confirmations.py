"""A submitted form is filed before Slack gets its answer; its confirmation is written with
it, sent right after the answer, and sent by the clock process, once, when that fails."""

from __future__ import annotations

from datetime import timedelta

from bot.filing import BULLETIN, Form, file_form
from bulletins import outbox
from bulletins.cycle import Answers
from bulletins.db.models import OutboxStatus
from tests.e2e.conftest import person_named, team_named
from tests.e2e.cycle_helpers import outbox_rows
from tests.e2e.form_helpers import answers, bulletins, open_view, week

LATER = outbox.IN_FLIGHT + timedelta(minutes=1)


def confirmations(bench):
    return outbox_rows(bench, outbox.CONFIRMATION)


def test_the_bulletin_is_stored_when_slack_gets_its_answer(bench):
    manon, team = person_named(bench, "Manon Moreau"), team_named(bench, "LexImpact")
    view = open_view(bench, manon.slack_user_id)

    response = bench.driver.submit_view(manon.slack_user_id, view, answers(priority="Livrer"))

    assert (response.status, response.text) == (200, "")
    [stored] = bulletins(bench, team)  # read at once: no waiting for work after the answer
    assert stored.priority == "Livrer"
    bench.wait_for(lambda: bench.standin.messages(manon.slack_user_id))
    [message] = bench.standin.messages(manon.slack_user_id)
    assert "publié" in message["text"]
    bench.wait_for(lambda: [row.status for row in confirmations(bench)] == [OutboxStatus.SENT])


def test_a_confirmation_slack_refused_goes_out_with_the_next_tick_once(bench):
    manon = person_named(bench, "Manon Moreau")
    view = open_view(bench, manon.slack_user_id)
    bench.standin.fail_next("chat.postMessage", status=429, retry_after=5)

    assert bench.driver.submit_view(manon.slack_user_id, view, answers()).text == ""
    bench.wait_for(lambda: confirmations(bench)[0].attempts == 1)
    assert bench.standin.messages(manon.slack_user_id) == []

    bench.tick(bench.clock() + timedelta(seconds=10))
    bench.tick(bench.clock() + timedelta(minutes=1))
    assert len(bench.standin.messages(manon.slack_user_id)) == 1
    assert [row.status for row in confirmations(bench)] == [OutboxStatus.SENT]


def test_a_confirmation_posted_while_slack_answered_an_error_is_not_posted_again(bench):
    manon = person_named(bench, "Manon Moreau")
    view = open_view(bench, manon.slack_user_id)
    bench.standin.fail_next("chat.postMessage", status=503, applied=True)

    assert bench.driver.submit_view(manon.slack_user_id, view, answers()).text == ""
    bench.wait_for(lambda: confirmations(bench)[0].error == "http_503")
    # The web process may still be sending it: the clock process leaves it alone for now...
    bench.tick(bench.clock() + timedelta(seconds=30))
    assert bench.standin.calls_to("conversations.history") == []
    # ...then finds it in Slack, and does not post it again.
    bench.tick(bench.clock() + LATER)
    assert len(bench.standin.posted(manon.slack_user_id)) == 1
    assert [row.status for row in confirmations(bench)] == [OutboxStatus.SENT]


def test_a_form_filed_by_a_process_that_died_before_confirming_is_confirmed_once(bench):
    manon, team = person_named(bench, "Manon Moreau"), team_named(bench, "LexImpact")
    form = Form(
        BULLETIN,
        manon.slack_user_id,
        team.id,
        week(bench),
        answers=Answers(mood=2, priority="Publier le simulateur", ups_and_downs="Une démo"),
    )
    filing = file_form(bench.services, "view:V1:abc", form)  # and then the process was killed
    assert filing is not None
    assert file_form(bench.services, "view:V1:abc", form) is None  # Slack's retry: a repeat

    bench.tick(bench.clock() + timedelta(minutes=1))
    assert bench.standin.messages(manon.slack_user_id) == []  # it may still be on its way
    bench.tick(bench.clock() + LATER)
    bench.tick(bench.clock() + timedelta(minutes=1))

    assert len(bulletins(bench, team)) == 1
    [message] = bench.standin.messages(manon.slack_user_id)
    assert "publié" in message["text"]

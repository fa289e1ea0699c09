"""A fan-out through a flaky Slack: every person gets exactly one message."""

from __future__ import annotations

from datetime import timedelta

from bot.standin.databases import enqueue_dms, statuses
from bulletins.db.models import OutboxStatus
from tests.support.programme import paris

START = paris(2026, 3, 3, 11, 0)  # a Tuesday morning: no job of the cycle is due


def test_300_people_each_get_one_dm_through_random_429s_and_5xxs(workspace):
    users = enqueue_dms(workspace.services.engine, workspace.standin, 300, START)
    # A third of the posts fail; half of the failing 5xx ones were posted all the same.
    workspace.standin.fail_randomly("chat.postMessage", rate=0.3, applied_rate=0.5, seed=42)
    moment = START
    for _ in range(30):
        workspace.tick(moment)
        if statuses(workspace.services.engine) == {OutboxStatus.SENT: 300}:
            break
        moment += timedelta(minutes=10)
    assert statuses(workspace.services.engine) == {OutboxStatus.SENT: 300}
    received = {user: len(workspace.standin.posted(user)) for user in users}
    assert set(received.values()) == {1}
    answered = {call.status for call in workspace.standin.calls_to("chat.postMessage")}
    assert {200, 429} <= answered and answered & {500, 503}


def test_a_permanent_error_fails_that_message_only(workspace):
    users = enqueue_dms(workspace.services.engine, workspace.standin, 3, START)
    workspace.standin.fail_next("chat.postMessage", status=200, error="account_inactive")
    workspace.tick(START)
    workspace.tick(START + timedelta(hours=1))
    assert statuses(workspace.services.engine) == {OutboxStatus.FAILED: 1, OutboxStatus.SENT: 2}
    assert sorted(len(workspace.standin.posted(user)) for user in users) == [0, 1, 1]
    assert len(workspace.standin.calls_to("chat.postMessage")) == 3

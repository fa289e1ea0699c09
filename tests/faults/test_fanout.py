"""A fan-out through a flaky Slack: every person gets exactly one message."""

from __future__ import annotations

from datetime import timedelta

from bulletins.db.models import OutboxStatus
from tests.e2e.conftest import paris
from tests.faults.support import enqueue_dms, statuses

START = paris(2026, 3, 3, 11, 0)  # a Tuesday morning: no job of the cycle is due


def test_300_people_each_get_one_dm_through_random_429s_and_5xxs(bench):
    users = enqueue_dms(bench.services.engine, bench.standin, 300, START)
    # A third of the posts fail; half of the failing 5xx ones were posted all the same.
    bench.standin.fail_randomly("chat.postMessage", rate=0.3, applied_rate=0.5, seed=42)
    moment = START
    for _ in range(30):
        bench.tick(moment)
        if statuses(bench.services.engine) == {OutboxStatus.SENT: 300}:
            break
        moment += timedelta(minutes=10)
    assert statuses(bench.services.engine) == {OutboxStatus.SENT: 300}
    received = {user: len(bench.standin.posted(user)) for user in users}
    assert set(received.values()) == {1}
    answered = {call.status for call in bench.standin.calls_to("chat.postMessage")}
    assert {200, 429} <= answered and answered & {500, 503}


def test_a_permanent_error_fails_that_message_only(bench):
    users = enqueue_dms(bench.services.engine, bench.standin, 3, START)
    bench.standin.fail_next("chat.postMessage", status=200, error="account_inactive")
    bench.tick(START)
    bench.tick(START + timedelta(hours=1))
    assert statuses(bench.services.engine) == {OutboxStatus.FAILED: 1, OutboxStatus.SENT: 2}
    assert sorted(len(bench.standin.posted(user)) for user in users) == [0, 1, 1]
    assert len(bench.standin.calls_to("chat.postMessage")) == 3

"""The tick's delivery step: transient errors retried later, a broken job isolated."""

from __future__ import annotations

from bot.delivery.sending import _retry_after
from bot.scheduler import Job, default_jobs, tick
from bulletins.db.models import OutboxStatus
from tests.support.cycle import outbox_rows
from tests.support.programme import paris

DEADLINE = paris(2026, 3, 6, 15, 5)


def test_a_server_error_is_retried_at_a_later_tick(workspace):
    workspace.standin.fail_next("chat.postMessage", status=500)
    workspace.tick(DEADLINE)
    (row,) = outbox_rows(workspace)
    assert (row.status, row.error, row.attempts) == (OutboxStatus.SENDING, "http_500", 1)
    assert workspace.standin.messages("C0DIGEST") == []
    workspace.tick(paris(2026, 3, 6, 15, 6))
    assert len(workspace.standin.messages("C0DIGEST")) == 1
    (row,) = outbox_rows(workspace)
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 2)


def test_a_server_error_after_slack_posted_is_not_posted_again(workspace):
    workspace.standin.fail_next("chat.postMessage", status=503, applied=True)
    workspace.tick(DEADLINE)
    assert len(workspace.standin.posted("C0DIGEST")) == 1  # posted, though Slack answered 503
    workspace.tick(paris(2026, 3, 6, 15, 6))
    workspace.tick(paris(2026, 3, 6, 15, 30))
    assert len(workspace.standin.posted("C0DIGEST")) == 1
    (row,) = outbox_rows(workspace)
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 1)
    assert len(workspace.standin.calls_to("conversations.history")) == 1


def test_a_failing_job_neither_stops_the_others_nor_delivery(workspace):
    def broken(services, now):
        raise RuntimeError("boom")

    runs = tick(workspace.services, DEADLINE, [Job("broken", broken), *default_jobs()])
    assert runs[0].error == "RuntimeError: boom"
    assert {run.name: run.done for run in runs[1:]}["deliver"] == 1
    assert len(workspace.standin.messages("C0DIGEST")) == 1


def test_retry_after_is_read_whatever_its_case_and_never_zero():
    assert _retry_after({"retry-after": "7"}) == 7
    assert _retry_after({"Retry-After": "0"}) == 1
    assert _retry_after({}) == 30

"""Processes that die or run twice: nothing is lost, nothing is sent twice."""

from __future__ import annotations

import signal
from datetime import UTC, datetime

import pytest

from bot.standin.databases import enqueue_dms, statuses
from bulletins.db.models import OutboxStatus
from tests.support.processes import app_process, output

pytestmark = pytest.mark.slow  # runs the app or the command line as processes

MOMENT = "2026-03-03T11:00:00+01:00"  # a Tuesday morning: only the outbox has work


def posts(standin) -> int:
    return sum(1 for call in standin.calls_to("chat.postMessage") if call.ok)


def test_a_tick_killed_mid_fanout_then_run_again_sends_each_dm_once(workspace, tmp_path):
    engine, standin = workspace.services.engine, workspace.standin
    users = enqueue_dms(engine, standin, 60, datetime(2026, 3, 3, 9, tzinfo=UTC))
    # The 21st post is made at once but answered 5 s later: the process dies in that window,
    # after Slack posted and before the database heard of it.
    standin.delay_answer("chat.postMessage", seconds=5, after=20)
    first = app_process(["tick", "--now", MOMENT], engine, standin, tmp_path, per_minute=600)
    workspace.wait_for(lambda: len(standin.calls_to("chat.postMessage")) >= 21, timeout=30)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    left = statuses(engine)
    assert left[OutboxStatus.SENDING] == 1 and left[OutboxStatus.PENDING] == 39

    second = app_process(["tick", "--now", MOMENT], engine, standin, tmp_path, per_minute=6000)
    assert second.wait(timeout=60) == 0, output(tmp_path)
    assert statuses(engine) == {OutboxStatus.SENT: 60}
    assert {user: len(standin.posted(user)) for user in users} == {user: 1 for user in users}


def test_two_schedulers_started_together_deliver_each_message_once(workspace, tmp_path):
    engine, standin = workspace.services.engine, workspace.standin
    users = enqueue_dms(engine, standin, 40, datetime.now(UTC))
    places = {"one": tmp_path / "one", "two": tmp_path / "two"}
    processes = {name: app_process(["scheduler"], engine, standin, place)
                 for name, place in places.items()}  # fmt: skip
    try:
        workspace.wait_for(lambda: statuses(engine) == {OutboxStatus.SENT: 40}, timeout=30)
        holder = workspace.wait_for(lambda: _holder(places), timeout=10)
        waiter = "two" if holder == "one" else "one"
        assert "waiting to take over" in output(places[waiter])
        processes[holder].send_signal(signal.SIGKILL)
        processes[holder].wait(timeout=10)
        more = enqueue_dms(engine, standin, 10, datetime.now(UTC), start=100)
        # The one that waited takes over and delivers what came next.
        workspace.wait_for(lambda: statuses(engine) == {OutboxStatus.SENT: 50}, timeout=40)
        assert "scheduler lock acquired" in output(places[waiter])
    finally:
        for process in processes.values():
            process.kill()
            process.wait(timeout=10)
    assert {len(standin.posted(user)) for user in users + more} == {1}


def _holder(places) -> str | None:
    """The scheduler that says it holds the lock, when exactly one does."""
    holders = [name for name, place in places.items()
               if "scheduler lock acquired" in output(place)]  # fmt: skip
    return holders[0] if len(holders) == 1 else None

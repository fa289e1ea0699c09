"""The worker processes of ``bulletins serve --workers``: results and errors come back, a
dead worker is replaced, background work runs at idle priority, no worker outlives the
serving process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from concurrent.futures.process import BrokenProcessPool
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.bootstrap import Services
from bot.standin.bench import MovableClock
from bot.workers import WorkerPool
from bulletins.config import settings_from_dict
from bulletins.cycle import InvalidBulletin, Problem
from bulletins.errors import BulletinsError

ROOT = Path(__file__).resolve().parents[2]


def where(services: Services) -> tuple[int, str]:
    return os.getpid(), services.clock().isoformat()


def refuse(_services: Services, text: str) -> None:
    raise BulletinsError(text)


def refuse_bulletin(_services: Services) -> None:
    raise InvalidBulletin({"mood": Problem("Pick a mood")})


def die(_services: Services) -> None:
    os._exit(1)


def note_priority(_services: Services, path: str) -> None:
    Path(path).write_text(f"{os.getpid()} {os.sched_getscheduler(0)}")


@pytest.fixture(scope="module")
def pool(tmp_path_factory):
    folder = tmp_path_factory.mktemp("workers")
    settings = settings_from_dict({}, {"DATABASE_URL": f"sqlite:///{folder / 'w.db'}"})
    clock = MovableClock(datetime(2026, 3, 3, 9, 0, tzinfo=UTC))
    with WorkerPool(settings, 1, clock) as pool:
        yield pool


def test_a_task_runs_in_a_worker_on_the_clock_it_was_given(pool):
    pid, now = pool.call(where, timeout=10)
    assert pid != os.getpid()
    assert now == "2026-03-03T09:00:00+00:00"


def test_a_domain_error_comes_back_as_itself(pool):
    with pytest.raises(BulletinsError, match="no such team"):
        pool.call(refuse, "no such team", timeout=10)


def test_an_error_that_cannot_travel_comes_back_as_its_text_and_the_pool_still_works(pool):
    with pytest.raises(RuntimeError, match="InvalidBulletin: mood: Pick a mood"):
        pool.call(refuse_bulletin, timeout=10)
    assert pool.call(where, timeout=10)[0] != os.getpid()


def test_a_dead_worker_fails_its_caller_and_is_replaced(pool):
    with pytest.raises(BrokenProcessPool):
        pool.call(die, timeout=10)
    assert pool.call(where, timeout=20)[0] != os.getpid()


@pytest.mark.skipif(not hasattr(os, "SCHED_IDLE"), reason="Linux scheduling policies")
def test_work_after_the_answer_runs_only_on_idle_cpu(pool, tmp_path):
    note = tmp_path / "priority"
    pool.submit(note_priority, str(note))
    deadline = time.monotonic() + 10
    while not note.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    pid, policy = note.read_text().split()
    assert int(pid) != os.getpid()
    assert int(policy) == os.SCHED_IDLE


def test_workers_end_when_the_serving_process_is_killed(tmp_path):
    script = textwrap.dedent(
        f"""
        import os, sys, time
        from bot.bootstrap import utc_now
        from bot.workers import WorkerPool
        from bulletins.config import settings_from_dict
        from tests.unit.test_workers import where
        settings = settings_from_dict({{}}, {{"DATABASE_URL": "sqlite:///{tmp_path / "k.db"}"}})
        pool = WorkerPool(settings, 1, utc_now).start()
        print(pool.call(where, timeout=30)[0], flush=True)
        time.sleep(60)
        """
    )
    serving = subprocess.Popen(
        [sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert serving.stdout is not None
        worker = int(serving.stdout.readline())
        os.kill(serving.pid, signal.SIGKILL)
        serving.wait(timeout=10)
        deadline = time.monotonic() + 10
        while alive(worker) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not alive(worker)
    finally:
        serving.kill()


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"  # a zombie has ended; only its parent's bookkeeping is left

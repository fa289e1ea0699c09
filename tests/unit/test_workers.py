"""The worker processes of ``bulletins serve --workers``: a task runs in a worker on the
clock it was given and at idle priority, a failing task leaves the worker working, a dead
worker is replaced, and no worker outlives the serving process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.bootstrap import Services
from bot.standin.bench import MovableClock
from bot.workers import WorkerPool
from bulletins.config import settings_from_dict

ROOT = Path(__file__).resolve().parents[2]


def note(services: Services, path: str) -> None:
    """Write where and when the task ran, and at which scheduling policy."""
    policy = os.sched_getscheduler(0) if hasattr(os, "sched_getscheduler") else -1
    written = Path(f"{path}.part")  # renamed whole, so that a reader never sees it half written
    written.write_text(f"{os.getpid()} {services.clock().isoformat()} {policy}")
    written.replace(path)


def fail(_services: Services) -> None:
    raise RuntimeError("a bug in a task")


def die(_services: Services) -> None:
    os._exit(1)


def noted(path: Path, timeout: float = 20) -> list[str]:
    deadline = time.monotonic() + timeout
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    return path.read_text().split()


@pytest.fixture(scope="module")
def pool(tmp_path_factory):
    folder = tmp_path_factory.mktemp("workers")
    settings = settings_from_dict({}, {"DATABASE_URL": f"sqlite:///{folder / 'w.db'}"})
    clock = MovableClock(datetime(2026, 3, 3, 9, 0, tzinfo=UTC))
    with WorkerPool(settings, 1, clock) as pool:
        yield pool


def test_a_task_runs_in_a_worker_on_the_clock_it_was_given(pool, tmp_path):
    pool.submit(note, str(tmp_path / "ran"))
    pid, now, _ = noted(tmp_path / "ran")
    assert int(pid) != os.getpid()
    assert now == "2026-03-03T09:00:00+00:00"


@pytest.mark.skipif(not hasattr(os, "SCHED_IDLE"), reason="Linux scheduling policies")
def test_a_task_runs_only_on_idle_cpu(pool, tmp_path):
    pool.submit(note, str(tmp_path / "ran"))
    assert int(noted(tmp_path / "ran")[2]) == os.SCHED_IDLE


def test_a_failing_task_is_logged_and_the_worker_goes_on(pool, tmp_path):
    pool.submit(fail)
    pool.submit(note, str(tmp_path / "after"))
    assert int(noted(tmp_path / "after")[0]) != os.getpid()


def test_a_dead_worker_is_replaced(pool, tmp_path):
    pool.submit(note, str(tmp_path / "before"))
    first = noted(tmp_path / "before")[0]
    pool.submit(die)
    time.sleep(1)  # the pool notices its worker died
    pool.submit(note, str(tmp_path / "after"))
    assert noted(tmp_path / "after")[0] not in (first, str(os.getpid()))


def test_workers_end_when_the_serving_process_is_killed(tmp_path):
    script = textwrap.dedent(
        f"""
        import time
        from bot.bootstrap import utc_now
        from bot.workers import WorkerPool
        from bulletins.config import settings_from_dict
        from tests.unit.test_workers import note, noted
        from pathlib import Path
        settings = settings_from_dict({{}}, {{"DATABASE_URL": "sqlite:///{tmp_path / "k.db"}"}})
        pool = WorkerPool(settings, 1, utc_now).start()
        pool.submit(note, "{tmp_path / "worker"}")
        print(noted(Path("{tmp_path / "worker"}"))[0], flush=True)
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


def slowly_note(services: Services, path: str, seconds: float) -> None:
    time.sleep(seconds)
    note(services, path)


def test_a_slow_task_does_not_hold_up_the_next_one(tmp_path):
    settings = settings_from_dict({}, {"DATABASE_URL": f"sqlite:///{tmp_path / 's.db'}"})
    clock = MovableClock(datetime(2026, 3, 3, 9, 0, tzinfo=UTC))
    with WorkerPool(settings, 2, clock) as pool:
        pool.submit(slowly_note, str(tmp_path / "slow"), 3)  # a Slack call that hangs, say
        pool.submit(note, str(tmp_path / "quick"))
        noted(tmp_path / "quick", timeout=2)
        assert not (tmp_path / "slow").exists()


def stamp(_services: Services, path: str) -> None:
    """Write when the task ran, on the clock all processes of the machine share."""
    written = Path(f"{path}.part")
    written.write_text(str(time.monotonic()))
    written.replace(path)


def nothing(_services: Services) -> None:
    pass


def burst(pool: WorkerPool, seconds: float) -> float:
    """Submit a task every 10 ms for ``seconds``, as requests coming in; when it ended."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pool.submit(nothing)
        time.sleep(0.01)
    return time.monotonic()


def test_a_task_that_can_wait_lets_a_burst_of_requests_pass(pool, tmp_path):
    pool.submit(stamp, str(tmp_path / "filed"), when_quiet=True)
    ended = burst(pool, 1.0)
    assert float(noted(tmp_path / "filed")[0]) >= ended


def test_a_task_that_can_wait_waits_no_longer_than_its_limit(tmp_path):
    settings = settings_from_dict({}, {"DATABASE_URL": f"sqlite:///{tmp_path / 'q.db'}"})
    clock = MovableClock(datetime(2026, 3, 3, 9, 0, tzinfo=UTC))
    with WorkerPool(settings, 1, clock, longest_wait=0.5) as pool:
        submitted = time.monotonic()
        pool.submit(stamp, str(tmp_path / "filed"), when_quiet=True)
        ended = burst(pool, 2.0)
        ran = float(noted(tmp_path / "filed")[0])
    assert submitted + 0.5 <= ran < ended

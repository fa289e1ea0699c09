"""Work done after Slack has its acknowledgement, in worker processes of its own.

Python runs one thread at a time in a process. When ``bulletins serve`` also built modals,
called Slack and sent confirmations in the process that answers Slack, every request waited
for that work of the others before it got its acknowledgement. With ``--workers N`` that
work goes to N processes, and the serving process only parses, checks signatures, stores
what must be stored before answering (a submitted form), and answers.

A task is a module-level function ``task(services, *args)`` with arguments that can be
pickled (Slack's payload as a dict, ids, small frozen dataclasses). Without workers, the
same task runs in the listener's thread right after the acknowledgement, as in the tests
and the demo. A worker that dies is replaced; the tasks it had begun or been sent are lost,
like the work of a killed process: none of it is what a person typed, which is stored before
Slack gets its answer (a form stored and not filed is filed by the scheduler's next tick).

Handing a task over costs the serving process one pickling; a thread of its own writes it
to the worker's pipe. Nothing comes back per task but a count of the tasks each worker has
done, which says which worker is the least busy. Tasks not yet written to a worker that
dies go to its replacement.

A task that writes to the database and can wait (filing a form) is handed over
``when_quiet``: once no request has come for ``QUIET`` seconds, and at the latest
``LONGEST_WAIT`` seconds after it was submitted. During a burst of requests, the workers'
writes would otherwise compete with the serving process's: on SQLite a write locks the
whole database, and a worker at idle priority holding that lock makes every form submitted
meanwhile wait for it. Such a task waits in the serving process, not in a worker, so that
tasks that cannot wait (opening a modal within Slack's 3 seconds) never queue behind it.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from multiprocessing.connection import Connection, wait
from queue import SimpleQueue
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

    from bulletins.config import Settings

log = logging.getLogger(__name__)

Task = Callable[..., None]  # task(services, *args), defined at a module's top level

NICENESS = 10  # where Linux's SCHED_IDLE is not available
QUIET = 0.05  # seconds without a request before tasks submitted ``when_quiet`` go
LONGEST_WAIT = 5.0  # seconds such a task waits at most
_CONTEXT = multiprocessing.get_context("spawn")


def _exit_with_parent() -> None:
    """End this worker when the serving process ends, however it ends (even killed), so
    that no worker outlives it holding database connections."""
    parent = multiprocessing.parent_process()
    if parent is not None:
        parent.join()
        os._exit(0)


def _lower_priority() -> None:
    """Run only on CPU time nothing else wants (Linux's SCHED_IDLE), else at a lower
    priority; where neither is allowed, at the same priority as the serving process."""
    try:
        if hasattr(os, "sched_setscheduler"):
            os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
        else:
            os.nice(NICENESS)
    except OSError as error:
        log.warning("worker processes run at the serving process's priority: %s", error)


def _work(
    tasks: Connection,
    done: Any,  # a shared counter (RawValue): no lock for a worker to hold while paused
    ready: Any,
    settings: Settings,
    clock: Callable[[], datetime],
    log_level: int,
) -> None:
    """A worker process: run the tasks read from ``tasks``, one after the other, until
    ``None``."""
    from bot.bootstrap import bootstrap
    from bot.logs import configure_logging

    # Ctrl-C reaches the whole process group: the serving process stops its workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, name="parent-watch", daemon=True).start()
    configure_logging(log_level)
    _lower_priority()
    services = bootstrap(settings, clock=clock)
    ready.set()
    while (item := pickle.loads(tasks.recv_bytes())) is not None:
        task, args = item
        try:
            task(services, *args)
        except Exception:
            log.exception("a task failed in a worker process")
        done.value += 1  # written by this worker only; read by the serving process


_STOP = object()  # tells a feeder thread that its worker is gone
_LAST = pickle.dumps(None)  # tells a worker to stop once its tasks are done


@dataclass
class _Worker:
    """A worker process, and in the serving process its backlog: the tasks handed over
    and not yet written to its pipe, which a thread of its own (the feeder) writes there.
    A write can wait for the worker to read; a request's thread never does."""

    process: BaseProcess
    pipe: Connection
    done: Any
    ready: Any
    backlog: SimpleQueue[bytes | object] = field(default_factory=SimpleQueue)
    sent: int = 0

    def __post_init__(self) -> None:
        self.feeder = threading.Thread(target=self._feed, name="worker-feeder", daemon=True)
        self.feeder.start()

    @property
    def unfinished(self) -> int:
        return self.sent - self.done.value

    def _feed(self) -> None:
        while isinstance(data := self.backlog.get(), bytes):
            try:
                self.pipe.send_bytes(data)
            except OSError:  # the worker died: what is left in the backlog goes to another
                return
            if data == _LAST:
                return

    def left_over(self) -> list[bytes]:
        """Once the feeder has stopped: the tasks never written to the pipe."""
        items = []
        while not self.backlog.empty():
            data = self.backlog.get()
            if isinstance(data, bytes) and data != _LAST:
                items.append(data)
        return items


class WorkerPool:
    """``processes`` worker processes for the work after Slack's answer (``submit``). They
    run only on CPU time nothing else wants (Linux's ``SCHED_IDLE``; elsewhere a lower
    priority), so that the answers to other requests never wait for that work.

    Workers are started with ``spawn``: a fresh interpreter each, which shares no database
    connection, socket or lock with the serving process.
    """

    def __init__(
        self,
        settings: Settings,
        processes: int,
        clock: Callable[[], datetime],
        log_level: int = logging.INFO,
        *,
        quiet: float = QUIET,
        longest_wait: float = LONGEST_WAIT,
    ):
        if processes < 1:
            raise ValueError("a worker pool needs at least one process")
        self._processes = processes
        self._settings, self._clock, self._log_level = settings, clock, log_level
        self._lock = threading.Lock()
        self._workers: list[_Worker] = []
        self._closing = False
        self._quiet, self._longest_wait = quiet, longest_wait
        self._last_request = 0.0
        self._waiting: list[tuple[float, bytes]] = []  # (submitted at, task) submitted when_quiet
        self._waiting_changed = threading.Condition(self._lock)
        self._wake_reader, self._wake_writer = _CONTEXT.Pipe(duplex=False)
        self._watcher = threading.Thread(target=self._watch, name="worker-watch", daemon=True)
        self._releaser = threading.Thread(target=self._release, name="worker-release", daemon=True)

    def _spawn(self) -> _Worker:
        reader, writer = _CONTEXT.Pipe(duplex=False)
        done, ready = _CONTEXT.RawValue("q", 0), _CONTEXT.Event()
        args = (reader, done, ready, self._settings, self._clock, self._log_level)
        process = _CONTEXT.Process(target=_work, args=args, name="bulletins-worker", daemon=True)
        process.start()
        reader.close()  # the worker has its own: a write to a dead worker then fails at once
        return _Worker(process, writer, done, ready)

    def start(self, timeout: float = 60) -> WorkerPool:
        """Start every worker now, so that the first request does not wait for one."""
        with self._lock:
            self._workers = [self._spawn() for _ in range(self._processes)]
        for worker in self._workers:
            if not worker.ready.wait(timeout):
                self.close()
                raise RuntimeError(f"a worker process did not start within {timeout:g} s")
        self._watcher.start()
        self._releaser.start()
        return self

    def submit(self, task: Task, *args: Any, when_quiet: bool = False) -> None:
        """Hand ``task(services, *args)`` to the least busy worker and return at once;
        ``when_quiet``: once requests have stopped coming for a moment (see above)."""
        data = pickle.dumps((task, args), pickle.HIGHEST_PROTOCOL)
        with self._lock:
            if not self._workers:
                raise RuntimeError("the worker pool is not started")
            self._last_request = now = time.monotonic()
            if when_quiet:
                self._waiting.append((now, data))
                if len(self._waiting) == 1:  # else the releaser is already due to wake
                    self._waiting_changed.notify()
            else:
                self._hand_over(data)

    def _release(self) -> None:
        """Hand over the tasks waiting for quiet, each when its time comes."""
        with self._lock:
            while not self._closing:
                if not self._waiting:
                    self._waiting_changed.wait()
                    continue
                now = time.monotonic()
                quiet_at = self._last_request + self._quiet
                if now >= quiet_at:
                    self._hand_over_waiting(len(self._waiting))
                    continue
                late = 0  # the waiting tasks are in the order they were submitted
                while (
                    late < len(self._waiting) and self._waiting[late][0] <= now - self._longest_wait
                ):
                    late += 1
                self._hand_over_waiting(late)
                if self._waiting:
                    due = min(quiet_at, self._waiting[0][0] + self._longest_wait)
                    self._waiting_changed.wait(due - now)

    def _hand_over_waiting(self, count: int) -> None:
        for _, data in self._waiting[:count]:
            self._hand_over(data)
        del self._waiting[:count]

    def _hand_over(self, data: bytes) -> None:
        worker = min(self._workers, key=lambda w: w.unfinished)
        worker.sent += 1
        worker.backlog.put(data)

    def _watch(self) -> None:
        """Replace a worker that died, until the pool closes."""
        while True:
            with self._lock:
                sentinels = {w.process.sentinel: w for w in self._workers}
            ready = wait([*sentinels, self._wake_reader])
            with self._lock:
                if self._closing:
                    return
                for sentinel in ready:
                    if sentinel in sentinels:
                        self._replace(sentinels[sentinel])

    def _replace(self, dead: _Worker) -> None:
        dead.backlog.put(_STOP)
        dead.feeder.join()
        dead.pipe.close()
        waiting = dead.left_over()
        lost = max(0, dead.unfinished - len(waiting))
        log.warning(
            "a worker process died (exit code %s): %d task(s) it had begun or been sent are "
            "lost; starting another",
            dead.process.exitcode,
            lost,
        )
        self._workers[self._workers.index(dead)] = self._spawn()
        for data in waiting:
            self._hand_over(data)

    def close(self) -> None:
        """Finish the tasks handed over, then stop the workers."""
        with self._lock:
            self._closing = True
            if self._workers:
                self._hand_over_waiting(len(self._waiting))
            workers = list(self._workers)
            for worker in workers:
                worker.backlog.put(_LAST)
            self._waiting_changed.notify()
        self._wake_writer.send_bytes(b"")
        for worker in workers:
            worker.process.join()
            worker.backlog.put(_STOP)  # in case the worker died before reading None
            worker.feeder.join()
            worker.pipe.close()

    def __enter__(self) -> WorkerPool:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

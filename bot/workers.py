"""Work done after Slack has its acknowledgement, in worker processes of its own.

Python runs one thread at a time in a process. When ``bulletins serve`` also built modals,
called Slack and sent confirmations in the process that answers Slack, every request waited
for that work of the others before it got its acknowledgement. With ``--workers N`` that
work goes to N processes, and the serving process only parses, checks signatures, stores
what must be stored before answering (a submitted form), and answers.

A task is a module-level function ``task(services, *args)`` with arguments that can be
pickled (Slack's payload as a dict, ids, small frozen dataclasses). Without workers, the
same task runs in the listener's thread right after the acknowledgement, as in the tests
and the demo. A worker that dies is replaced; the tasks it had not finished are lost, like
the work of a killed process: none of it is what a person typed, which is stored before
Slack gets its answer (a form stored and not filed is filed by the scheduler's next tick).

Handing a task over costs the serving process one pickling and one write, in a thread of
its own: each worker has its own queue, and nothing comes back per task but a count of the
tasks it has done, which says which worker is the least busy.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from multiprocessing.connection import wait
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess
    from multiprocessing.queues import Queue

    from bulletins.config import Settings

log = logging.getLogger(__name__)

Task = Callable[..., None]  # task(services, *args), defined at a module's top level

NICENESS = 10  # where Linux's SCHED_IDLE is not available
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
    tasks: Queue,
    done: Any,  # a shared counter (RawValue): no lock for a worker to hold while paused
    ready: Any,
    settings: Settings,
    clock: Callable[[], datetime],
    log_level: int,
) -> None:
    """A worker process: run the tasks of its queue, one after the other, until ``None``."""
    from bot.bootstrap import bootstrap
    from bot.logs import configure_logging

    # Ctrl-C reaches the whole process group: the serving process stops its workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, name="parent-watch", daemon=True).start()
    configure_logging(log_level)
    _lower_priority()
    services = bootstrap(settings, clock=clock)
    ready.set()
    while (item := tasks.get()) is not None:
        task, args = item
        try:
            task(services, *args)
        except Exception:
            log.exception("a task failed in a worker process")
        done.value += 1  # written by this worker only; read by the serving process


@dataclass
class _Worker:
    process: BaseProcess
    tasks: Queue
    done: Any
    ready: Any
    sent: int = 0

    @property
    def unfinished(self) -> int:
        return self.sent - self.done.value


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
    ):
        if processes < 1:
            raise ValueError("a worker pool needs at least one process")
        self._processes = processes
        self._settings, self._clock, self._log_level = settings, clock, log_level
        self._lock = threading.Lock()
        self._workers: list[_Worker] = []
        self._closing = False
        self._wake_reader, self._wake_writer = _CONTEXT.Pipe(duplex=False)
        self._watcher = threading.Thread(target=self._watch, name="worker-watch", daemon=True)

    def _spawn(self) -> _Worker:
        tasks, done, ready = _CONTEXT.Queue(), _CONTEXT.RawValue("q", 0), _CONTEXT.Event()
        args = (tasks, done, ready, self._settings, self._clock, self._log_level)
        process = _CONTEXT.Process(target=_work, args=args, name="bulletins-worker", daemon=True)
        process.start()
        return _Worker(process, tasks, done, ready)

    def start(self, timeout: float = 60) -> WorkerPool:
        """Start every worker now, so that the first request does not wait for one."""
        with self._lock:
            self._workers = [self._spawn() for _ in range(self._processes)]
        for worker in self._workers:
            if not worker.ready.wait(timeout):
                self.close()
                raise RuntimeError(f"a worker process did not start within {timeout:g} s")
        self._watcher.start()
        return self

    def submit(self, task: Task, *args: Any) -> None:
        """Hand ``task(services, *args)`` to the least busy worker and return at once."""
        with self._lock:
            if not self._workers:
                raise RuntimeError("the worker pool is not started")
            worker = min(self._workers, key=lambda w: w.unfinished)
            worker.sent += 1
            worker.tasks.put((task, args))

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
        lost = max(0, dead.unfinished)
        log.warning(
            "a worker process died (exit code %s): %d task(s) it had not finished are lost; "
            "starting another",
            dead.process.exitcode,
            lost,
        )
        dead.tasks.cancel_join_thread()  # nobody reads that queue any more
        dead.tasks.close()
        self._workers[self._workers.index(dead)] = self._spawn()

    def close(self) -> None:
        """Finish the tasks handed over, then stop the workers."""
        with self._lock:
            self._closing = True
            workers = list(self._workers)
            for worker in workers:
                worker.tasks.put(None)
        self._wake_writer.send_bytes(b"")
        for worker in workers:
            worker.process.join()
            if worker.process.exitcode != 0:  # died first: what is left in its queue is lost
                worker.tasks.cancel_join_thread()
            worker.tasks.close()
            worker.tasks.join_thread()

    def __enter__(self) -> WorkerPool:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

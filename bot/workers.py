"""Work done after Slack has its acknowledgement, in worker processes of its own.

Python runs one thread at a time in a process. When ``bulletins serve`` also built modals,
called Slack and sent confirmations in the process that answers Slack, every request waited
for that work of the others before it got its acknowledgement. With ``--workers N`` that
work goes to N processes, and the serving process only parses, checks signatures, stores
what must be stored before answering (a submitted form), and answers.

A task is a module-level function ``task(services, *args)`` with arguments that can be
pickled (Slack's payload as a dict, ids, small frozen dataclasses). Without workers, the
same task runs in the listener's thread right after the acknowledgement, as in the tests
and the demo. A worker that dies is replaced; the task it was running is lost, like the
work of a killed process: none of it is what a person typed, which is stored before Slack
gets its answer (a form stored and not filed is filed by the scheduler's next tick).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.bootstrap import Services
    from bulletins.config import Settings

log = logging.getLogger(__name__)

Task = Callable[..., None]  # task(services, *args), defined at a module's top level

NICENESS = 10  # where Linux's SCHED_IDLE is not available

_services: Services | None = None  # a worker's own services, built once when it starts


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


def _start_worker(settings: Settings, clock: Callable[[], datetime], log_level: int) -> None:
    from bot.bootstrap import bootstrap
    from bot.logs import configure_logging

    global _services
    threading.Thread(target=_exit_with_parent, name="parent-watch", daemon=True).start()
    configure_logging(log_level)
    _lower_priority()
    _services = bootstrap(settings, clock=clock)


def _run(task: Task, args: tuple[Any, ...]) -> None:
    assert _services is not None, "a worker runs tasks only once started"
    try:
        task(_services, *args)
    except Exception:
        log.exception("a task failed in a worker process")


def _ready() -> bool:
    return _services is not None


def _log_failure(future: Future) -> None:
    if not future.cancelled() and isinstance(future.exception(), BrokenProcessPool):
        log.warning("a worker process died while running a task: that task is lost")


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
        self._initargs = (settings, clock, log_level)
        self._lock = threading.Lock()
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self._processes,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=self._initargs,
        )

    def start(self, timeout: float = 60) -> WorkerPool:
        """Start every worker now, so that the first request does not wait for one."""
        started = [self._pool.submit(_ready) for _ in range(self._processes)]
        for future in started:
            future.result(timeout=timeout)
        return self

    def submit(self, task: Task, *args: Any) -> None:
        """Hand ``task(services, *args)`` to a worker and return at once; a pool broken by
        a dead worker is replaced first."""
        with self._lock:
            try:
                future = self._pool.submit(_run, task, args)
            except BrokenProcessPool:
                log.warning("a worker process died; starting new ones")
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = self._new_pool()
                future = self._pool.submit(_run, task, args)
        future.add_done_callback(_log_failure)

    def close(self) -> None:
        """Finish the tasks handed over, then stop the workers."""
        with self._lock:
            self._pool.shutdown(wait=True)

    def __enter__(self) -> WorkerPool:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

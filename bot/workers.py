"""Work done after Slack has its acknowledgement, in worker processes of its own.

Python runs one thread at a time in a process. When ``bulletins serve`` also built modals,
called Slack and sent confirmations in the process that answers Slack, every request waited
for that work of the others before it got its acknowledgement. With ``--workers N`` that
work goes to N processes, and the serving process only parses, checks signatures, files
what must be filed before answering, and answers.

A task is a module-level function ``task(services, *args)`` with arguments that can be
pickled (Slack's payload as a dict, ids, small frozen dataclasses). Without workers, the
same task runs in the listener's thread right after the acknowledgement, as in the tests
and the demo. A worker that dies is replaced; the task it was running is lost, like the
work of a killed process: none of it is what a person typed, which is filed before Slack
gets its answer.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
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

# Confirmations and other work after the answer yield the CPU to the work before it.
BACKGROUND_NICENESS = 10

_services: Services | None = None  # a worker's own services, built once when it starts


def _exit_with_parent() -> None:
    """End this worker when the serving process ends, however it ends (even killed), so
    that no worker outlives it holding database connections."""
    parent = multiprocessing.parent_process()
    if parent is not None:
        parent.join()
        os._exit(0)


def _start_worker(
    settings: Settings, clock: Callable[[], datetime], log_level: int, niceness: int
) -> None:
    from bot.bootstrap import bootstrap
    from bot.logs import configure_logging

    global _services
    if niceness and hasattr(os, "sched_setscheduler"):
        # Linux: run only on CPU time nothing else wants.
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    elif niceness:
        os.nice(niceness)
    threading.Thread(target=_exit_with_parent, name="parent-watch", daemon=True).start()
    configure_logging(log_level)
    _services = bootstrap(settings, clock=clock)


def _run(task: Task, args: tuple[Any, ...]) -> Any:
    assert _services is not None, "a worker runs tasks only once started"
    try:
        return task(_services, *args)
    except Exception as error:
        # An exception goes back to the serving process pickled; one that cannot be
        # unpickled there would break the whole pool, so it goes back as its text.
        try:
            pickle.loads(pickle.dumps(error))
        except Exception:
            log.exception("a task failed in a worker process")
            raise RuntimeError(f"{type(error).__name__}: {error}") from None
        raise


def _ready() -> bool:
    return _services is not None


def _log_failure(future: Future) -> None:
    if future.cancelled():
        return
    error = future.exception()
    if isinstance(error, BrokenProcessPool):
        log.warning("a worker process died while running a task: that task is lost")
    elif error is not None:
        log.error("a task failed in a worker process", exc_info=error)


class _Executor:
    """A process pool of ``processes`` workers at ``niceness``, replaced when broken."""

    def __init__(self, processes: int, initargs: tuple[Any, ...], niceness: int):
        self._processes = processes
        self._initargs = (*initargs, niceness)
        self._lock = threading.Lock()
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self._processes,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=self._initargs,
        )

    def start(self) -> list[Future]:
        return [self._pool.submit(_ready) for _ in range(self._processes)]

    def submit(self, task: Task, args: tuple[Any, ...]) -> Future:
        with self._lock:
            try:
                return self._pool.submit(_run, task, args)
            except BrokenProcessPool:
                log.warning("a worker process died; starting new ones")
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = self._new_pool()
                return self._pool.submit(_run, task, args)

    def close(self) -> None:
        with self._lock:
            self._pool.shutdown(wait=True)


class WorkerPool:
    """Worker processes for the work of requests: ``processes`` for the work Slack's answer
    waits for (``call``), as many at a lower priority for the work after it (``submit``),
    so that the answers to other requests do not wait for confirmations being sent.

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
        initargs = (settings, clock, log_level)
        self._urgent = _Executor(processes, initargs, niceness=0)
        self._background = _Executor(processes, initargs, niceness=BACKGROUND_NICENESS)

    def start(self, timeout: float = 60) -> WorkerPool:
        """Start every worker now, so that the first request does not wait for one."""
        for future in self._urgent.start() + self._background.start():
            future.result(timeout=timeout)
        return self

    def submit(self, task: Task, *args: Any) -> None:
        """Hand ``task(services, *args)`` to a background worker and return at once."""
        self._background.submit(task, args).add_done_callback(_log_failure)

    def call(self, task: Task, *args: Any, timeout: float) -> Any:
        """Run ``task(services, *args)`` in a worker and return its result, or raise its
        exception, ``TimeoutError`` after ``timeout`` seconds, or ``BrokenProcessPool`` if
        the worker died."""
        return self._urgent.submit(task, args).result(timeout=timeout)

    def close(self) -> None:
        """Finish the tasks handed over, then stop the workers."""
        self._urgent.close()
        self._background.close()

    def __enter__(self) -> WorkerPool:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

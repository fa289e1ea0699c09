"""Scheduled work: ``tick(now)`` runs every job due at ``now``; the clock process calls it.

Jobs are idempotent functions of ``now`` and the database, so ``bulletins tick --now``
and the ``scheduler`` process run the very same code, and a second tick for the same
moment does nothing more.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger

from bot.bootstrap import Services
from bot.channels import use_channel_ids
from bot.delivery.sending import deliver_due
from bot.lock import SchedulerLock
from bot.timezones import refresh_timezones
from bulletins.cycle.jobs import CoreJob, JobContext, cycle_jobs
from bulletins.db import database_unavailable
from bulletins.errors import BulletinsError
from bulletins.health import record_heartbeat
from bulletins.retention import retention_jobs
from bulletins.rights.erasure import clear_old_copies
from evaluation.campaigns.closure import close_due_campaigns, scrub
from evaluation.campaigns.jobs import survey_jobs
from evaluation.monthly.jobs import monthly_jobs
from evaluation.snapshot.archive import archive_old_cohorts
from evaluation.snapshot.job import snapshot_jobs

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    """A named job; ``run`` returns how many things it did (0 when nothing was due)."""

    name: str
    run: Callable[[Services, datetime], int]


@dataclass(frozen=True)
class JobRun:
    name: str
    done: int
    error: str | None = None


def _core(job: CoreJob) -> Callable[[Services, datetime], int]:
    def run(services: Services, now: datetime) -> int:
        with services.sessions.begin() as session:
            return job(JobContext(session, services.calendar, services.settings, now))

    return run


def _close_campaigns(services: Services, now: datetime) -> int:
    """Close the campaigns due, then scrub the old copies of their rows (outside the
    transaction: PostgreSQL's VACUUM cannot run in one)."""
    closed = _core(close_due_campaigns)(services, now)
    if closed:
        scrub(services.engine)
    return closed


def _archive_cohorts(services: Services, now: datetime) -> int:
    """Archive a cohort due and erase its people's data, then clear the old copies of the
    rows erased (outside the transaction, as after an erasure on request)."""
    archived = _core(archive_old_cohorts)(services, now)
    if archived:
        clear_old_copies(services.engine)
    return archived


def _deliver(services: Services, now: datetime) -> int:
    return deliver_due(services, now)


def default_jobs() -> list[Job]:
    """The jobs of the product, in the order a tick runs them: compose, then deliver."""
    core = [*cycle_jobs(), *survey_jobs(), *monthly_jobs(), *snapshot_jobs(), *retention_jobs()]
    jobs = [Job(name, _core(job)) for name, job in core]
    # People's timezones first: the reminders of this very tick need them.
    return [
        Job("refresh_timezones", refresh_timezones),
        *jobs,
        Job("close_campaigns", _close_campaigns),
        Job("archive_old_cohorts", _archive_cohorts),
        Job("deliver", _deliver),
    ]


def tick(services: Services, now: datetime, jobs: Sequence[Job] | None = None) -> list[JobRun]:
    """Run, once, every job due at ``now``."""
    if now.tzinfo is None:
        raise ValueError("tick needs an aware datetime")
    return [_run(job, services, now) for job in (default_jobs() if jobs is None else jobs)]


def _run(job: Job, services: Services, now: datetime) -> JobRun:
    """Run one job; a job that fails is logged and rolled back, and the tick goes on, so
    one broken job never stops the others nor the delivery of what is already queued.
    Each run is one log line: the job, its outcome and how long it took."""
    started = time.monotonic()
    try:
        done = job.run(services, now)
    except Exception as error:
        ms = _elapsed_ms(started)
        if database_unavailable(error):  # one line: the traceback would say nothing more
            reason = " ".join(str(getattr(error, "orig", None) or error).split())
            log.error("job %s: failed, the database did not answer (%s), %d ms, at %s",
                      job.name, reason, ms, now.isoformat())  # fmt: skip
        else:
            log.exception("job %s: failed, %d ms, at %s", job.name, ms, now.isoformat())
        return JobRun(job.name, 0, f"{type(error).__name__}: {error}")
    log.info("job %s: ok, %d done, %d ms, at %s", job.name, done, _elapsed_ms(started),
             now.isoformat())  # fmt: skip
    return JobRun(job.name, done)


def _elapsed_ms(started: float) -> int:
    return round((time.monotonic() - started) * 1000)


def record_tick(services: Services, runs: Sequence[JobRun]) -> None:
    """Record the heartbeat of a completed tick, at the clock's time (not the ``--now`` a
    tick may act as): ``/healthz`` and ``bulletins check`` read it. A database that does
    not answer is logged; the next tick tries again."""
    failed = sum(1 for run in runs if run.error)
    try:
        with services.sessions.begin() as session:
            record_heartbeat(session, services.clock(), failed)
    except Exception as error:
        if not database_unavailable(error):
            raise
        log.error("the tick's heartbeat was not recorded: the database did not answer")


def tick_once(
    services: Services, now: datetime | None = None, wait_seconds: float = 60
) -> list[JobRun]:
    """``bulletins tick``'s work, for the command line and the console alike: the channels
    looked up, the scheduler lock held (waiting ``wait_seconds`` at most for the clock
    process to finish its own tick), every job due at ``now`` (default: the clock's) run
    once, and the heartbeat recorded."""
    use_channel_ids(services)
    now = now or services.clock()
    lock = SchedulerLock(services.engine)
    if not lock.acquire(poll_seconds=1, timeout=wait_seconds):
        raise BulletinsError("the scheduler is busy (it holds the lock): try again in a minute")
    try:
        runs = tick(services, now)
        record_tick(services, runs)
    finally:
        lock.release()
    return runs


def locked_tick(services: Services, lock: SchedulerLock) -> list[JobRun]:
    """A tick, only while this process holds the scheduler lock (it waits to get it back)."""
    if not lock.still_held():
        log.warning("scheduler lock lost; waiting to hold it again")
        lock.release()
        lock.acquire()
    runs = tick(services, services.clock())
    record_tick(services, runs)
    return runs


def run_scheduler(services: Services, lock: SchedulerLock | None = None) -> None:
    """The clock process: a tick at the top of every minute, in the programme's timezone.

    Only one clock process runs jobs at a time: a second one waits for the lock and takes
    over when the first dies.
    """

    use_channel_ids(services)
    lock = lock or SchedulerLock(services.engine)
    lock.acquire()
    scheduler = BlockingScheduler(timezone=services.settings.timezone)
    scheduler.add_job(
        locked_tick,
        CronTrigger(second=0, timezone=services.settings.timezone),
        args=(services, lock),
        id="tick",
        max_instances=1,
        coalesce=True,
        misfire_grace_time=None,
        next_run_time=services.clock(),  # catch up at once after a restart
    )
    log.info("scheduler started (%s)", services.settings.timezone)
    try:
        scheduler.start()
    finally:
        lock.release()

"""What the console's pages need, wired once by the process that serves it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bulletins.calendar import ProgrammeCalendar
from bulletins.config import Settings
from web.identity import SignIn

EXTENSION = "bulletins"


@dataclass(frozen=True)
class JobOutcome:
    """One scheduled job's run, as ``bulletins tick`` prints it."""

    name: str
    done: int
    error: str | None = None


@dataclass(frozen=True)
class ConsoleServices:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    calendar: ProgrammeCalendar
    clock: Callable[[], datetime]
    sign_in: SignIn
    # ``bulletins check``'s lines, (ok, text) each, run anew at each call; None where the
    # process was not started by ``bulletins serve`` (tests, the demo).
    checklist: Callable[[], Iterable[tuple[bool, str]]] | None = None
    # ``bulletins tick`` at the clock's now: every job due run once, the heartbeat recorded;
    # raises ``BulletinsError`` when the clock process holds the scheduler lock too long.
    run_jobs: Callable[[], Sequence[JobOutcome]] | None = None


def services() -> ConsoleServices:
    """The services of the console serving the current request."""
    return current_app.extensions[EXTENSION]


def today() -> datetime:
    """Now, in the programme's timezone."""
    found = services()
    return found.calendar.local(found.clock())

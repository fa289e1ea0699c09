"""What every scheduled job is given: the session, the calendar, the settings and ``now``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bulletins.calendar import ProgrammeCalendar
from bulletins.config import Settings


@dataclass(frozen=True)
class JobContext:
    session: Session
    calendar: ProgrammeCalendar
    settings: Settings
    now: datetime


CoreJob = Callable[[JobContext], int]

"""A Friday at 14:00 in a large programme: 300 fellows, each the only fellow of their team,
open the bulletin form and submit it within a minute. Are all 300 bulletins stored, everyone
confirmed once, and every request acknowledged quickly?

    .venv/bin/python -m bench.friday [--people 300] [--seconds 60] [--clients 32] [--seed 1]
                                     [--database-url postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import logging
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, func, select

from bench.common import database_label, fresh_database, met, paris, provenance, table
from bench.harness import (
    Outcomes,
    Schedule,
    Timings,
    WatchedStandIn,
    answers,
    import_rows,
    no_collection,
    outcomes,
    served,
    settle,
    slack_for,
    timed,
    timings,
)
from bot.standin.driver import SlackDriver
from bot.standin.views import TRIGGER_TTL
from bulletins.calendar import IsoWeek
from bulletins.db import make_session_factory
from bulletins.db.models import Bulletin, BulletinRevision, OutboxMessage, OutboxStatus
from bulletins.roster.csv_file import RosterRow

FRIDAY = paris(2026, 3, 6, 14, 0)  # the reminder's time; the deadline is 15:05
WEEK = str(IsoWeek.of(FRIDAY.date()))
THINK = (2.0, 6.0)  # seconds from a form's opening to its submission
ACK_GOAL_MS = 300.0
COHORT = "Promotion du vendredi"


def roster(people: int) -> list[RosterRow]:
    """``people`` fellows, each alone in a team of their own: one bulletin each."""
    return [
        RosterRow(n + 2, COHORT, f"Équipe {n:03d}", "fellow", f"Fellow {n:03d}", f"UF{n:08d}")
        for n in range(people)
    ]


@dataclass
class Crowd:
    """People typing ``/bulletin`` at their times, and submitting the form a few seconds after
    it opened; what they saw."""

    driver: SlackDriver
    schedule: Schedule
    think: dict[str, float]
    sent: dict[str, float] = field(default_factory=dict)  # trigger id -> when typed
    typed: list[tuple[float, str]] = field(default_factory=list)
    submitted: list[tuple[float, str]] = field(default_factory=list)
    last_sent: float = 0.0
    _waiting: dict[str, str] = field(default_factory=dict)  # trigger id -> person
    _opened: dict[str, tuple[float, dict[str, Any]]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def type_bulletin(self, user: str) -> None:
        started = time.monotonic()
        result = timed(lambda: self._command(user, started))
        with self._lock:
            self.typed.append(result)

    def _command(self, user: str, started: float):
        response = self.driver.command(user)
        trigger = response.trigger_id or ""
        with self._lock:
            self.sent[trigger] = started
            if trigger in self._opened:
                self._submit_later(user, *self._opened[trigger])
            else:
                self._waiting[trigger] = user
        return response

    def on_open(self, trigger: str, view: dict[str, Any]) -> None:
        """Called by the stand-in as it opens a view."""
        with self._lock:
            opened_at = time.monotonic()
            self._opened[trigger] = (opened_at, view)
            user = self._waiting.pop(trigger, None)
            if user is not None:
                self._submit_later(user, opened_at, view)

    def _submit_later(self, user: str, opened_at: float, view: dict[str, Any]) -> None:
        due = opened_at + self.think[user]
        self.schedule.at(due, lambda: self._submit(user, view))

    def _submit(self, user: str, view: dict[str, Any]) -> None:
        n = int(user[2:])
        self.last_sent = time.monotonic()
        result = timed(lambda: self.driver.submit_view(user, view, answers(n)))
        with self._lock:
            self.submitted.append(result)

    def done(self, people: int) -> bool:
        """Everyone has submitted, or has a form that can no longer open."""
        now = time.monotonic()
        with self._lock:
            lost = sum(1 for t, at in self.sent.items()
                       if t not in self._opened and now - at > TRIGGER_TTL + 1)  # fmt: skip
            return len(self.submitted) + lost >= people


@dataclass(frozen=True)
class Result:
    people: int
    forms: Outcomes
    typed: Timings
    submitted: Timings
    bulletins: int
    revisions: int
    confirmations: Counter[int]  # how many people got 0, 1, 2... confirmations
    unsent: int
    last_submission: float  # seconds after the first arrival
    settled: float  # seconds after the last submission


def stored(engine: Engine) -> tuple[int, int, int]:
    """Bulletins of the week, revisions, and messages in the outbox not sent."""
    with make_session_factory(engine)() as session:
        bulletins = session.scalar(
            select(func.count()).select_from(Bulletin).where(Bulletin.week == WEEK)
        )
        revisions = session.scalar(select(func.count()).select_from(BulletinRevision))
        unsent = session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.status != OutboxStatus.SENT)
        )
    return bulletins or 0, revisions or 0, unsent or 0


def run(engine: Engine, people: int, seconds: float, clients: int, seed: int) -> Result:
    rows = roster(people)
    import_rows(engine, rows)
    users = [row.slack_user_id for row in rows]
    standin: WatchedStandIn = slack_for(users)
    rng = random.Random(seed)
    order = rng.sample(users, len(users))
    arrivals = sorted(rng.uniform(0, seconds - THINK[1]) for _ in users)
    think = {user: rng.uniform(*THINK) for user in users}
    try:
        with served("bulletins", engine, standin, FRIDAY) as driver:
            for user in users[:3]:  # a warm-up: forms opened, not submitted
                driver.command(user)
            settle(standin)
            with Schedule(clients) as schedule, no_collection():
                crowd = Crowd(driver, schedule, think)
                standin.on_open = crowd.on_open
                start = time.monotonic() + 0.1
                for user, at in zip(order, arrivals, strict=True):
                    schedule.at(start + at, lambda user=user: crowd.type_bulletin(user))
                while not crowd.done(people) and time.monotonic() < start + seconds + 30:
                    time.sleep(0.2)
            if schedule.errors:
                raise schedule.errors[0]
            last = crowd.last_sent
            settle(standin, quiet=1.0)  # the confirmations
            settled = time.monotonic() - last
        received = Counter(len(standin.posted(user)) for user in users)
        forms = outcomes(standin, crowd.sent)
    finally:
        standin.stop()
    bulletins, revisions, unsent = stored(engine)
    return Result(people, forms, timings(crowd.typed), timings(crowd.submitted), bulletins,
                  revisions, received, unsent, last - start, settled)  # fmt: skip


def report(result: Result) -> str:
    n, forms = result.people, result.forms
    once = result.confirmations[1]
    never = result.confirmations[0]
    more = n - once - never
    rows: list[list[object]] = [
        [f"every one of the {n} forms opens", f"{forms.opened}/{n} (expired {forms.expired}, "
         f"never tried {forms.never_tried}; slowest {forms.slowest:.2f} s)",
         met(forms.opened == n)],
        [f"all {n} bulletins stored ({n} teams of one fellow, week {WEEK})",
         f"{result.bulletins} stored, {result.revisions} revisions",
         met(result.bulletins == n)],
        ["every person confirmed exactly once (direct messages)",
         f"{once} once, {never} never, {more} more than once; outbox unsent {result.unsent}",
         met(once == n)],
    ]  # fmt: skip
    for kind, found in (("/bulletin", result.typed), ("submission", result.submitted)):
        p99 = found.percentile(99) if found.millis else float("nan")
        text = f"p99 {p99:.1f} ms (p50 {found.percentile(50):.1f}, n {len(found.millis)})"
        if found.refused:
            text += f"; refused {found.refused}: {found.why()}"
        ok = p99 < ACK_GOAL_MS and not found.refused and len(found.millis) == n
        rows.append([f"{kind} acknowledged: p99 under {ACK_GOAL_MS:g} ms", text, met(ok)])
    return table(["requirement", "this run", "met"], rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=300, help="fellows, a team each (300)")
    parser.add_argument("--seconds", type=float, default=60.0, help="all done within (60)")
    parser.add_argument("--clients", type=int, default=32, help="client threads (32)")
    parser.add_argument("--seed", type=int, default=1, help="of the arrival times (1)")
    parser.add_argument("--database-url", help="PostgreSQL URL; a fresh schema is used")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    with fresh_database(args.database_url) as engine:
        database = database_label(engine)
        result = run(engine, args.people, args.seconds, args.clients, args.seed)
    print(report(result))
    print()
    print(f"- arrivals spread over {args.seconds - THINK[1]:g} s, each submission "
          f"{THINK[0]:g} to {THINK[1]:g} s after its form opened; last submission sent "
          f"{result.last_submission:.1f} s after the start; the app settled "
          f"{result.settled:.1f} s after it")  # fmt: skip
    print(provenance("bench.friday", database))


if __name__ == "__main__":
    main()

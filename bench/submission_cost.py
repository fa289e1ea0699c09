"""What ``/bulletin`` and a bulletin's submission cost the app, counted rather than timed:
the SQL statements, transactions and connection checkouts each request takes, and the CPU
time the process spends per request, the answer and the work that follows it (the form's
opening, the confirmation, the Home tab) included.

The app is built as ``bulletins serve`` builds it (``bootstrap``, ``create_app``,
``HttpServer``) and served in this process, on a clock fixed on a Tuesday when the form is
open, with the Slack stand-in; one client sends the requests one after the other. A bare
Bolt app that only acknowledges, served and sent the same requests the same way, gives the
CPU time of what is not the app's own work (the stand-in, the client, HTTP, Bolt).

    .venv/bin/python -m bench.submission_cost [--requests 200] [--rounds 3]
                                              [--database-url postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import itertools
import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from itertools import cycle, islice
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from sqlalchemy import Engine, event

from bench.common import database_label, fresh_database, provenance, table
from bench.harness import TUESDAY, answers, load_sample, settle, slack_for
from bench.serve import bare_app
from bot.app import create_app
from bot.blocks.form_values import from_home
from bot.bootstrap import bootstrap
from bot.demo.sample import sample_roster
from bot.server import HttpServer
from bot.standin.driver import Response, SlackDriver
from bot.standin.web_api import SlackStandIn
from bot.standin.workspace import SIGNING_SECRET, TOKEN, MovableClock
from bulletins.config import settings_from_dict
from bulletins.db import url_for_processes


@dataclass
class Counts:
    """What the database was asked, all threads together."""

    statements: int = 0
    commits: int = 0
    checkouts: int = 0


@dataclass(frozen=True)
class Cost:
    """Per request, averaged over ``n`` requests."""

    kind: str
    n: int
    statements: float
    commits: float
    checkouts: float
    app_ms: float
    bare_app_ms: float
    process_ms: float


class Counter:
    """Counts the statements, commits and connection checkouts of ``engine``."""

    def __init__(self, engine: Engine):
        self.counts = Counts()
        self._lock = threading.Lock()
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "commit", self._commit)
        event.listen(engine.pool, "checkout", self._checkout)

    def _add(self, field: str) -> None:
        with self._lock:
            setattr(self.counts, field, getattr(self.counts, field) + 1)

    def _statement(self, *_args: object) -> None:
        self._add("statements")

    def _commit(self, *_args: object) -> None:
        self._add("commits")

    def _checkout(self, *_args: object) -> None:
        self._add("checkouts")

    def snapshot(self) -> Counts:
        with self._lock:
            return Counts(**vars(self.counts))


class AppCpu:
    """The CPU time of ``app``'s own work, in the threads that do it: answering each request
    (``App.dispatch``) and the work that follows (its listener executor's tasks). Leaves out
    the HTTP server, the client and the stand-in sharing the process."""

    def __init__(self, app: App):
        self.seconds = 0.0
        self._lock = threading.Lock()
        dispatch = app.dispatch
        executor = app.listener_runner.listener_executor
        submit = executor.submit

        def timed_dispatch(request: BoltRequest) -> BoltResponse:
            return self._timed(dispatch, request)

        def timed_submit(task: Callable, *args: object, **kwargs: object) -> Future:
            return submit(self._timed, task, *args, **kwargs)

        app.dispatch = timed_dispatch  # type: ignore[method-assign]
        executor.submit = timed_submit  # type: ignore[method-assign]

    def _timed(self, task: Callable, *args: object, **kwargs: object) -> Any:
        started = time.thread_time()
        try:
            return task(*args, **kwargs)
        finally:
            spent = time.thread_time() - started
            with self._lock:
                self.seconds += spent


@contextmanager
def serving(app: App, engine: Engine) -> Iterator[str]:
    with HttpServer(app, engine, host="127.0.0.1", port=0, signing_secret=SIGNING_SECRET) as s:
        yield s.url


def our_app(engine: Engine, standin: SlackStandIn, now: datetime) -> App:
    env = {
        "DATABASE_URL": url_for_processes(engine),
        "SLACK_API_URL": standin.base_url,
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
    }
    services = bootstrap(settings_from_dict({}, env), engine=engine, clock=MovableClock(now))
    return create_app(services)


def checked(response: Response) -> None:
    if response.status != 200 or '"errors"' in response.text:
        raise SystemExit(f"a request was refused: {response.status} {response.text[:200]}")


@dataclass(frozen=True)
class Spent:
    counts: Counts
    app: float  # CPU seconds in the app's threads
    process: float  # CPU seconds of the whole process


def measured(
    counter: Counter,
    cpu: AppCpu,
    standin: SlackStandIn,
    requests: Callable[[], Sequence[Callable[[], Response]]],
    rounds: int,
) -> Spent:
    """Send the ``requests()`` one after the other and wait for the work that follows, in
    each of ``rounds``; the database's counts of the last round and the least CPU seconds
    meanwhile (what other processes of a shared machine cost only ever adds to them)."""
    app = process = float("inf")
    for _ in range(rounds):
        some = requests()
        settle(standin, quiet=0.3)
        before, app_before, started = counter.snapshot(), cpu.seconds, time.process_time()
        for request in some:
            checked(request())
        settle(standin, quiet=0.3)
        process = min(process, time.process_time() - started)
        app = min(app, cpu.seconds - app_before)
        after = counter.snapshot()
        counts = Counts(*(getattr(after, f) - getattr(before, f) for f in vars(after)))
    return Spent(counts, app, process)


def run(engine: Engine, count: int, rounds: int) -> list[Cost]:
    users = load_sample(engine)
    standin = slack_for([row.slack_user_id for row in sample_roster()])
    typed: dict[str, str] = {}  # trigger id: who typed the command
    counter = Counter(engine)
    costs: list[Cost] = []
    try:
        our, bare_one = our_app(engine, standin, TUESDAY), bare_app(standin.base_url)
        our_cpu, bare_cpu = AppCpu(our), AppCpu(bare_one)
        with serving(our, engine) as ours_url, serving(bare_one, engine) as bare_url:
            ours = SlackDriver(ours_url, SIGNING_SECRET, standin)
            bare = SlackDriver(bare_url, SIGNING_SECRET, standin)
            typists = list(islice(cycle(users), count))

            def command(driver: SlackDriver, user: str) -> Response:
                response = driver.command(user)
                typed[response.trigger_id or ""] = user
                return response

            def commands(driver: SlackDriver) -> Callable[[], list[Callable[[], Response]]]:
                return lambda: [lambda user=user: command(driver, user) for user in typists]

            # Warm-up: every path, and a bulletin for every team (submissions then edit it:
            # a form opened before its team's first bulletin would be refused once a
            # teammate has filed one).
            for rehearsal in range(2):
                first = len(standin.calls)
                for user in users:
                    command(ours, user)
                warm = opened(standin, first, typed, len(users))
                for n, (user, view) in enumerate(warm.items()):
                    response = ours.submit_view(user, view, answers(n))
                    if rehearsal:
                        checked(response)
                        checked(ours.submit_view(user, from_home(view), answers(n + 1)))
                        checked(bare.command(user))
                settle(standin)
            first = len(standin.calls)
            spent = measured(counter, our_cpu, standin, commands(ours), rounds)
            bare_spent = measured(counter, bare_cpu, standin, commands(bare), rounds)
            costs.append(cost("`/bulletin`", count, spent, bare_spent))
            forms = list(forms_by_user(standin, first, typed).items())
            numbers = itertools.count(len(users) + 1)  # answers of their own: no repeats
            for kind, home in (("submission", False), ("submission from the Home tab", True)):
                some = list(islice(cycle(forms), count))

                def submissions(driver: SlackDriver, home: bool = home, some=some):
                    return lambda: [
                        lambda user=user, view=view, n=n: driver.submit_view(
                            user, from_home(view) if home else view, answers(n)
                        )
                        for n, (user, view) in zip(numbers, some, strict=False)
                    ]

                spent = measured(counter, our_cpu, standin, submissions(ours), rounds)
                bare_spent = measured(counter, bare_cpu, standin, submissions(bare), rounds)
                costs.append(cost(kind, count, spent, bare_spent))
    finally:
        standin.stop()
    return costs


def opened(
    standin: SlackStandIn, first_call: int, typed: dict[str, str], count: int, timeout: float = 60
) -> dict[str, dict]:
    """``forms_by_user``, once ``count`` people have their form."""
    deadline = time.monotonic() + timeout
    while len(forms := forms_by_user(standin, first_call, typed)) < count:
        if time.monotonic() > deadline:
            raise SystemExit(f"{count - len(forms)} forms did not open in {timeout:g} s")
        time.sleep(0.1)
    settle(standin)
    return forms


def forms_by_user(standin: SlackStandIn, first_call: int, typed: dict[str, str]) -> dict[str, dict]:
    """The latest form opened for each person since the stand-in's call ``first_call``:
    submitting it edits their team's bulletin, whatever its version was when it opened."""
    forms: dict[str, dict] = {}
    for call in standin.calls[first_call:]:
        if call.method == "views.open" and call.ok:
            view = call.response["view"]
            forms[typed[call.args["trigger_id"]]] = view
    return forms


def cost(kind: str, n: int, spent: Spent, bare: Spent) -> Cost:
    counts = spent.counts
    return Cost(
        kind,
        n,
        counts.statements / n,
        counts.commits / n,
        counts.checkouts / n,
        spent.app * 1000 / n,
        bare.app * 1000 / n,
        spent.process * 1000 / n,
    )


def report(costs: Sequence[Cost]) -> str:
    headers = ["request", "n", "SQL statements", "commits", "connections", "app CPU ms",
               "bare app CPU ms", "process CPU ms"]  # fmt: skip
    rows = [
        [c.kind, c.n, f"{c.statements:.1f}", f"{c.commits:.1f}", f"{c.checkouts:.1f}",
         f"{c.app_ms:.2f}", f"{c.bare_app_ms:.2f}", f"{c.process_ms:.2f}"]
        for c in costs
    ]  # fmt: skip
    return table(headers, rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="of each kind (200)")
    parser.add_argument(
        "--rounds", type=int, default=3, help="of each kind; the least CPU time is kept (3)"
    )
    parser.add_argument("--database-url", help="PostgreSQL URL; a fresh schema is used")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    with fresh_database(args.database_url) as engine:
        database = database_label(engine)
        costs = run(engine, args.requests, args.rounds)
    print(report(costs))
    print()
    print(provenance("bench.submission_cost", database))


if __name__ == "__main__":
    main()

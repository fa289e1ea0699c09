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
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from itertools import cycle, islice

from slack_bolt import App
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
    cpu_ms: float
    bare_cpu_ms: float


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


def measured(
    counter: Counter,
    standin: SlackStandIn,
    requests: Callable[[], Sequence[Callable[[], Response]]],
    rounds: int,
) -> tuple[Counts, float]:
    """Send the ``requests()`` one after the other and wait for the work that follows, in
    each of ``rounds``; the database's counts of the last round and the least CPU seconds
    of the whole process meanwhile (what other processes of a shared machine cost it only
    ever adds to it)."""
    best = float("inf")
    for _ in range(rounds):
        some = requests()
        settle(standin, quiet=0.3)
        before, cpu = counter.snapshot(), time.process_time()
        for request in some:
            checked(request())
        settle(standin, quiet=0.3)
        best = min(best, time.process_time() - cpu)
        after = counter.snapshot()
        spent = Counts(*(getattr(after, f) - getattr(before, f) for f in vars(after)))
    return spent, best


def run(engine: Engine, count: int, rounds: int) -> list[Cost]:
    users = load_sample(engine)
    standin = slack_for([row.slack_user_id for row in sample_roster()])
    typed: dict[str, str] = {}  # trigger id: who typed the command
    counter = Counter(engine)
    costs: list[Cost] = []
    try:
        with (
            serving(our_app(engine, standin, TUESDAY), engine) as ours_url,
            serving(bare_app(standin.base_url), engine) as bare_url,
        ):
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
                settle(standin)
                warm = forms_by_user(standin, first, typed)
                if len(warm) != len(users):
                    raise SystemExit(f"{len(users) - len(warm)} forms did not open")
                for n, (user, view) in enumerate(warm.items()):
                    response = ours.submit_view(user, view, answers(n))
                    if rehearsal:
                        checked(response)
                        checked(ours.submit_view(user, from_home(view), answers(n + 1)))
                        checked(bare.command(user))
                settle(standin)
            first = len(standin.calls)
            spent, cpu = measured(counter, standin, commands(ours), rounds)
            _, bare_cpu = measured(counter, standin, commands(bare), rounds)
            costs.append(cost("`/bulletin`", count, spent, cpu, bare_cpu))
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

                spent, cpu = measured(counter, standin, submissions(ours), rounds)
                _, bare_cpu = measured(counter, standin, submissions(bare), rounds)
                costs.append(cost(kind, count, spent, cpu, bare_cpu))
    finally:
        standin.stop()
    return costs


def forms_by_user(standin: SlackStandIn, first_call: int, typed: dict[str, str]) -> dict[str, dict]:
    """The latest form opened for each person since the stand-in's call ``first_call``:
    submitting it edits their team's bulletin, whatever its version was when it opened."""
    forms: dict[str, dict] = {}
    for call in standin.calls[first_call:]:
        if call.method == "views.open" and call.ok:
            view = call.response["view"]
            forms[typed[call.args["trigger_id"]]] = view
    return forms


def cost(kind: str, n: int, spent: Counts, cpu: float, bare_cpu: float) -> Cost:
    return Cost(
        kind,
        n,
        spent.statements / n,
        spent.commits / n,
        spent.checkouts / n,
        cpu * 1000 / n,
        bare_cpu * 1000 / n,
    )


def report(costs: Sequence[Cost]) -> str:
    headers = ["request", "n", "SQL statements", "commits", "connections", "CPU ms",
               "bare app CPU ms", "ours − bare ms"]  # fmt: skip
    rows = [
        [c.kind, c.n, f"{c.statements:.1f}", f"{c.commits:.1f}", f"{c.checkouts:.1f}",
         f"{c.cpu_ms:.2f}", f"{c.bare_cpu_ms:.2f}", f"{c.cpu_ms - c.bare_cpu_ms:.2f}"]
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

"""How fast Slack gets its acknowledgement: ``/bulletin`` and a bulletin's submission,
under concurrent clients over HTTP, against the app served as ``bulletins serve`` serves
it, divided by the same figures for a bare Bolt app that only acknowledges.

    .venv/bin/python -m bench.ack_latency [--requests 5000] [--clients 20] [--rounds 10]
                                          [--on-return] [--database-url postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import logging
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from itertools import cycle, islice, pairwise
from pathlib import Path

from sqlalchemy import Engine

from bench.common import database_label, fresh_database, machine, table
from bot import ids
from bot.server import EVENTS_PATH
from bot.standin.bench import SIGNING_SECRET, TOKEN
from bot.standin.driver import Response, SlackDriver
from bot.standin.web_api import SlackStandIn
from bulletins.config import settings_from_dict
from bulletins.db import make_session_factory, url_for_processes
from bulletins.roster import import_roster
from bulletins.sample import sample_roster
from tests.e2e.conftest import paris

NOW = paris(2026, 3, 3, 10, 0)  # a Tuesday of the sample cohort: the week's form is open
COHORT_START = date(2026, 2, 2)
ROOT = Path(__file__).resolve().parents[1]
Request = Callable[[], Response]


@dataclass(frozen=True)
class Timings:
    """Latencies in milliseconds, and how many answers were not a plain acknowledgement."""

    millis: list[float]
    refused: int

    def percentile(self, p: float) -> float:
        ordered = sorted(self.millis)
        return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]


def acknowledged(response: Response) -> bool:
    """A 200 that closes the modal or says nothing: the request was taken."""
    return response.status == 200 and '"errors"' not in response.text


def hammer(requests: Sequence[Request], clients: int) -> Timings:
    """Send ``requests`` from ``clients`` threads at once; time each one's answer."""

    def timed(request: Request) -> tuple[float, bool]:
        started = time.perf_counter()
        response = request()
        return (time.perf_counter() - started) * 1000, acknowledged(response)

    with ThreadPoolExecutor(max_workers=clients) as pool, no_collection():
        results = list(pool.map(timed, requests))
    return Timings([ms for ms, _ in results], sum(1 for _, ok in results if not ok))


@contextmanager
def no_collection() -> Iterator[None]:
    """No garbage collection in this process (clients and Slack stand-in) while it times
    requests: a full collection over the calls the stand-in has recorded stalls every
    client for over 100 ms, and only while the app under test calls Slack."""
    gc.collect()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.unfreeze()


def answers(n: int) -> dict[str, dict[str, object]]:
    """Valid answers to the bulletin form, different each time."""
    return {
        ids.MOOD: {ids.input_id(ids.MOOD): str(1 + n % 4)},
        ids.PRIORITY: {ids.input_id(ids.PRIORITY): f"Mettre en production la version {n}"},
        ids.UPS_AND_DOWNS: {ids.input_id(ids.UPS_AND_DOWNS): f"Démo réussie ; {n} retours"},
        ids.HELP_REQUEST: {ids.input_id(ids.HELP_REQUEST): "Un accès aux données de test"},
    }


def load_sample(engine: Engine) -> list[str]:
    """The demo's sample cohort; returns the fellows' Slack ids, one team after another."""
    rows = sample_roster()
    with make_session_factory(engine).begin() as session:
        import_roster(session, rows, today=COHORT_START, cohort_start=COHORT_START)
    return [row.slack_user_id for row in rows if row.role == "fellow"]


def commands(driver: SlackDriver, users: Sequence[str], count: int) -> list[Request]:
    """``/bulletin`` typed ``count`` times by ``users`` in turn."""
    return [lambda user=user: driver.command(user) for user in islice(cycle(users), count)]


def submissions(driver: SlackDriver, forms: Sequence[tuple[str, dict]]) -> list[Request]:
    """Each form submitted once by the person it was opened for, with its own answers."""
    return [
        lambda user=user, view=view, n=n: driver.submit_view(user, view, answers(n))
        for n, (user, view) in enumerate(forms)
    ]


def settle(standin: SlackStandIn, quiet: float = 0.5, timeout: float = 120) -> None:
    """Wait for the app's work after acknowledging: until it has not called Slack for
    ``quiet`` seconds."""
    deadline, seen = time.monotonic() + timeout, -1
    while time.monotonic() < deadline and len(standin.calls) != seen:
        seen = len(standin.calls)
        time.sleep(quiet)


def open_forms(
    driver: SlackDriver, users: Sequence[str], count: int, clients: int
) -> tuple[Timings, list[tuple[str, dict]]]:
    """Type ``/bulletin`` ``count`` times; the timings, and each form opened with its
    person (a trigger that expired before the app used it opens none)."""
    assert driver.standin is not None
    triggers: dict[str, str] = {}

    def typed(user: str) -> Response:
        response = driver.command(user)
        triggers[response.trigger_id or ""] = user
        return response

    timings = hammer([lambda user=user: typed(user) for user in islice(cycle(users), count)],
                     clients)  # fmt: skip
    settle(driver.standin)
    opened = [c for c in driver.standin.calls_to("views.open") if c.ok]
    forms = [
        (triggers[c.args["trigger_id"]], c.response["view"])
        for c in opened
        if c.args["trigger_id"] in triggers
    ]
    return timings, forms


def warm_up(ours: SlackDriver, bare: SlackDriver, users: Sequence[str]) -> None:
    """One bulletin per team (later submissions edit them), and a few requests to each app."""
    _, forms = open_forms(ours, users[::2], len(users) // 2, clients=1)
    hammer(submissions(ours, forms), clients=1)
    hammer(commands(bare, users, len(users)), clients=1)
    hammer(submissions(bare, forms), clients=1)
    assert ours.standin is not None
    settle(ours.standin)


@contextmanager
def served(
    kind: str, engine: Engine, standin: SlackStandIn, workers: int = 0, on_return: bool = False
) -> Iterator[SlackDriver]:
    """``bench.serve KIND`` in a process of its own, and a driver sending it requests."""
    command = [sys.executable, "-m", "bench.serve", kind, url_for_processes(engine),
               standin.base_url, NOW.isoformat(), str(workers)]  # fmt: skip
    if on_return:
        command.append("on-return")
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        port = int(process.stdout.readline())
        yield SlackDriver(f"http://127.0.0.1:{port}{EVENTS_PATH}", SIGNING_SECRET, standin)
    finally:
        process.terminate()
        process.wait(timeout=10)


def slack_for(users: Sequence[str]) -> SlackStandIn:
    """The stand-in, knowing the sample's people and the default channels."""
    standin = SlackStandIn(token=TOKEN).start()
    for user in users:
        standin.add_user(user, user.lower())
    for channel in dataclasses.astuple(settings_from_dict({}).channels):
        standin.add_channel(channel)
    return standin


Figures = dict[str, tuple[Timings, Timings]]  # kind -> (our app, the bare app)


def pooled(parts: Sequence[Timings]) -> Timings:
    return Timings([ms for part in parts for ms in part.millis], sum(p.refused for p in parts))


def shares(count: int, rounds: int) -> list[range]:
    """``range(count)`` cut into ``rounds`` consecutive slices of nearly equal size."""
    cuts = [count * i // rounds for i in range(rounds + 1)]
    return [range(start, end) for start, end in pairwise(cuts)]


def run(
    engine: Engine,
    requests: int,
    clients: int,
    workers: int,
    on_return: bool = False,
    rounds: int = 10,
) -> tuple[Figures, int]:
    """Both kinds of request against both apps, in the same run, taking turns in
    ``rounds`` rounds (the first app of a round goes second in the next), so that a
    moment when the machine is slow falls on both alike. Before the bare app's turn, our
    app's work after answering is over. Also returns how many of the ``/bulletin`` typed
    opened no form."""
    users = load_sample(engine)
    standin = slack_for([row.slack_user_id for row in sample_roster()])
    typed: dict[str, list[Timings]] = {"ours": [], "bare": []}
    submitted: dict[str, list[Timings]] = {"ours": [], "bare": []}
    try:
        with (
            served("bulletins", engine, standin, workers, on_return) as ours,
            served("bare", engine, standin, on_return=on_return) as bare,
        ):
            warm_up(ours, bare, users)
            forms: list[tuple[str, dict]] = []
            for n, share in enumerate(shares(requests, rounds)):
                first = share.start % len(users)
                typists = users[first:] + users[:first]

                def ours_types(typists: list[str] = typists, size: int = len(share)) -> None:
                    timings, opened = open_forms(ours, typists, size, clients)  # settles
                    typed["ours"].append(timings)
                    forms.extend(opened)

                def bare_types(typists: list[str] = typists, size: int = len(share)) -> None:
                    typed["bare"].append(hammer(commands(bare, typists, size), clients))

                in_turn(n, ours_types, bare_types)
            for n, share in enumerate(shares(len(forms), rounds)):
                some = forms[share.start : share.stop]

                def ours_submits(some: list[tuple[str, dict]] = some) -> None:
                    submitted["ours"].append(hammer(submissions(ours, some), clients))
                    settle(standin)  # the filings, once the burst has passed

                def bare_submits(some: list[tuple[str, dict]] = some) -> None:
                    submitted["bare"].append(hammer(submissions(bare, some), clients))

                in_turn(n, ours_submits, bare_submits)
    finally:
        standin.stop()
    figures = {
        "/bulletin": (pooled(typed["ours"]), pooled(typed["bare"])),
        "view_submission": (pooled(submitted["ours"]), pooled(submitted["bare"])),
    }
    return figures, requests - len(forms)


def in_turn(round_: int, ours: Callable[[], None], bare: Callable[[], None]) -> None:
    """Our app first in even rounds, the bare app first in odd ones."""
    for turn in (ours, bare) if round_ % 2 == 0 else (bare, ours):
        turn()


def report(figures: Figures, database: str, clients: int) -> str:
    headers = ["database", "request", "n", "clients", "app p50 ms", "app p99 ms",
               "bare p50 ms", "bare p99 ms", "p50 ratio", "p99 ratio", "refused"]  # fmt: skip
    rows = []
    for kind, (ours, bare) in figures.items():
        p50, p99 = ours.percentile(50), ours.percentile(99)
        b50, b99 = bare.percentile(50), bare.percentile(99)
        rows.append([database, kind, len(ours.millis), clients, f"{p50:.1f}", f"{p99:.1f}",
                     f"{b50:.1f}", f"{b99:.1f}", f"{p50 / b50:.2f}", f"{p99 / b99:.2f}",
                     ours.refused + bare.refused])  # fmt: skip
    return table(headers, rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=5000, help="of each kind (5000)")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients (20)")
    parser.add_argument(
        "--workers",
        type=int,
        default=2,
        help="worker processes of the app, as `bulletins serve --workers` (2)",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=10,
        help="rounds in which the two apps take turns, each with its share of the requests (10)",
    )
    parser.add_argument("--database-url", help="PostgreSQL URL; a fresh schema is used")
    parser.add_argument(
        "--on-return",
        action="store_true",
        help="both apps answer when their listener returns (Bolt's process_before_response), "
        "instead of Bolt's default check for the acknowledgement every 10 ms",
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    with fresh_database(args.database_url) as engine:
        database = database_label(engine)
        figures, unopened = run(
            engine, args.requests, args.clients, args.workers, args.on_return, args.rounds
        )
    print(machine())
    print(report(figures, database, args.clients))
    if unopened:
        print(f"{unopened} /bulletin opened no form (their trigger expired first)")


if __name__ == "__main__":
    main()

"""What the benchmarks that send Slack's requests share: the Slack stand-in, apps served in
processes of their own (``bench/serve.py``), a roster, and clients that send requests back to
back or each at its own time, and time the answers."""

from __future__ import annotations

import dataclasses
import gc
import heapq
import itertools
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine

from bench.common import ROOT, paris
from bot import ids
from bot.demo.sample import sample_roster
from bot.server import EVENTS_PATH
from bot.standin.driver import Response, SlackDriver
from bot.standin.web_api import SlackStandIn
from bot.standin.workspace import SIGNING_SECRET, TOKEN
from bulletins.config import settings_from_dict
from bulletins.db import make_session_factory, url_for_processes
from bulletins.roster.csv_file import RosterRow, import_roster

TUESDAY = paris(2026, 3, 3, 10, 0)  # a Tuesday of the sample cohort: the week's form is open
COHORT_START = date(2026, 2, 2)
TRIGGER_ERRORS = frozenset({"expired_trigger_id", "invalid_trigger_id"})
Request = Callable[[], Response]


@dataclass(frozen=True)
class Timings:
    """Latencies in milliseconds, and why the answers that were not a plain
    acknowledgement were not."""

    millis: list[float]
    refusals: list[str] = field(default_factory=list)

    @property
    def refused(self) -> int:
        return len(self.refusals)

    def percentile(self, p: float) -> float:
        ordered = sorted(self.millis)
        return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]

    def why(self) -> str:
        """The refusals, counted by kind."""
        return "; ".join(f"{n} × {what}" for what, n in Counter(self.refusals).most_common())

    def __add__(self, other: Timings) -> Timings:
        return Timings(self.millis + other.millis, self.refusals + other.refusals)


NO_TIMINGS = Timings([])


def refusal(response: Response) -> str:
    """Empty for a 200 that closes the modal or says nothing (the request was taken), else
    what came instead: the errors shown in the modal, or the HTTP status."""
    if response.status != 200:
        return f"HTTP {response.status}"
    if '"errors"' not in response.text:
        return ""
    errors = response.json().get("errors", {})
    return "errors in the modal: " + " / ".join(str(text)[:100] for text in errors.values())


def timed(request: Request) -> tuple[float, str]:
    """Send ``request``; the milliseconds to its answer, and its ``refusal``."""
    started = time.perf_counter()
    response = request()
    return (time.perf_counter() - started) * 1000, refusal(response)


def timings(results: Sequence[tuple[float, str]]) -> Timings:
    return Timings([ms for ms, _ in results], [why for _, why in results if why])


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


def back_to_back(requests: Sequence[Request], clients: int) -> Timings:
    """Send ``requests`` from ``clients`` threads, each sending its next one as soon as it
    has its answer; time each one's answer."""
    with ThreadPoolExecutor(max_workers=clients) as pool, no_collection():
        return timings(list(pool.map(timed, requests)))


def at_rate(requests: Sequence[Request], rate: float, clients: int) -> Timings:
    """Send ``requests`` at ``rate`` a second, each at its own time whatever the answers
    to the others (an open loop), from a pool of ``clients`` threads; time each answer."""
    start = time.perf_counter() + 0.05

    def on_time(item: tuple[int, Request]) -> tuple[float, str]:
        n, request = item
        time.sleep(max(0.0, start + n / rate - time.perf_counter()))
        return timed(request)

    with ThreadPoolExecutor(max_workers=clients) as pool, no_collection():
        return timings(list(pool.map(on_time, enumerate(requests))))


class Schedule:
    """Tasks run at their own times by a pool of threads: ``at(due, task)`` with ``due`` on
    ``time.monotonic()``; a task may schedule others."""

    def __init__(self, threads: int):
        self._due: list[tuple[float, int, Callable[[], None]]] = []
        self._ready = threading.Condition()
        self._order = itertools.count()
        self._closed = False
        self._threads = [threading.Thread(target=self._serve, daemon=True) for _ in range(threads)]
        self.errors: list[BaseException] = []

    def __enter__(self) -> Schedule:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        with self._ready:
            self._closed = True
            self._ready.notify_all()
        for thread in self._threads:
            thread.join(timeout=15)

    def at(self, due: float, task: Callable[[], None]) -> None:
        with self._ready:
            heapq.heappush(self._due, (due, next(self._order), task))
            self._ready.notify()

    def _serve(self) -> None:
        while True:
            with self._ready:
                while not self._closed and (not self._due or self._due[0][0] > time.monotonic()):
                    wait = self._due[0][0] - time.monotonic() if self._due else None
                    self._ready.wait(wait)
                if self._closed:
                    return
                _, _, task = heapq.heappop(self._due)
            try:
                task()
            except BaseException as error:  # noqa: BLE001 - kept for the report
                self.errors.append(error)


class WatchedStandIn(SlackStandIn):
    """The stand-in, telling ``on_open(trigger_id, view)`` of each view it opens."""

    on_open: Callable[[str, dict[str, Any]], None] | None = None

    def _method_handlers(self) -> dict[str, Callable[[dict[str, Any]], dict[str, Any]]]:
        handlers = super()._method_handlers()
        views_open = handlers["views.open"]

        def watched(args: dict[str, Any]) -> dict[str, Any]:
            answer = views_open(args)  # raises when Slack refuses
            if self.on_open is not None:
                self.on_open(args["trigger_id"], answer["view"])
            return answer

        handlers["views.open"] = watched
        return handlers


def slack_for(users: Sequence[str]) -> WatchedStandIn:
    """The stand-in, started, knowing ``users`` and the default channels."""
    standin = WatchedStandIn(token=TOKEN).start()
    for user in users:
        standin.add_user(user, user.lower())
    for channel in dataclasses.astuple(settings_from_dict({}).channels):
        standin.add_channel(channel)
    return standin


@contextmanager
def served(
    kind: str, engine: Engine, standin: SlackStandIn, now: datetime = TUESDAY
) -> Iterator[SlackDriver]:
    """``bench.serve KIND`` in a process of its own, and a driver sending it requests."""
    command = [sys.executable, "-m", "bench.serve", kind, url_for_processes(engine),
               standin.base_url, now.isoformat()]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        port = int(process.stdout.readline())
        yield SlackDriver(f"http://127.0.0.1:{port}{EVENTS_PATH}", SIGNING_SECRET, standin)
    finally:
        process.terminate()
        process.wait(timeout=10)


def settle(standin: SlackStandIn, quiet: float = 0.5, timeout: float = 120) -> None:
    """Wait for the apps' work after acknowledging: until they have not called Slack for
    ``quiet`` seconds."""
    deadline, seen = time.monotonic() + timeout, -1
    while time.monotonic() < deadline and len(standin.calls) != seen:
        seen = len(standin.calls)
        time.sleep(quiet)


def import_rows(engine: Engine, rows: Sequence[RosterRow]) -> None:
    with make_session_factory(engine).begin() as session:
        import_roster(session, rows, today=COHORT_START, cohort_start=COHORT_START)


def load_sample(engine: Engine) -> list[str]:
    """The demo's sample cohort; returns the fellows' Slack ids, one team after another."""
    rows = sample_roster()
    import_rows(engine, rows)
    return [row.slack_user_id for row in rows if row.role == "fellow"]


def answers(n: int) -> dict[str, dict[str, object]]:
    """Valid answers to the bulletin form, different each time."""
    return {
        ids.MOOD: {ids.input_id(ids.MOOD): str(1 + n % 4)},
        ids.PRIORITY: {ids.input_id(ids.PRIORITY): f"Mettre en production la version {n}"},
        ids.UPS_AND_DOWNS: {ids.input_id(ids.UPS_AND_DOWNS): f"Démo réussie ; {n} retours"},
        ids.HELP_REQUEST: {ids.input_id(ids.HELP_REQUEST): "Un accès aux données de test"},
    }


@dataclass(frozen=True)
class Outcomes:
    """What became of ``/bulletin`` commands' trigger ids: used by a ``views.open`` that
    succeeded, refused by Slack (expired, or a second use), or never used; and the longest
    time from a command's sending to its form's opening, in seconds."""

    opened: int
    expired: int
    never_tried: int
    other_errors: int
    slowest: float


def outcomes(standin: SlackStandIn, sent: dict[str, float]) -> Outcomes:
    """The outcomes of the commands whose trigger ids are the keys of ``sent`` (the
    values: when each was sent, on ``time.monotonic()``, the stand-in's clock)."""
    calls = [c for c in standin.calls_to("views.open") if c.args.get("trigger_id") in sent]
    opened = {c.args["trigger_id"]: c.at for c in calls if c.ok}
    errors = {c.args["trigger_id"]: c.response.get("error") for c in calls if not c.ok}
    refused = errors.keys() - opened.keys()
    expired = {t for t in refused if errors[t] in TRIGGER_ERRORS}
    return Outcomes(
        opened=len(opened),
        expired=len(expired),
        never_tried=len(sent.keys() - opened.keys() - refused),
        other_errors=len(refused - expired),
        slowest=max((at - sent[t] for t, at in opened.items()), default=0.0),
    )

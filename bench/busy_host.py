"""Busy host: do forms open within Slack's 3 seconds while other processes keep the CPUs
busy? ``/bulletin`` typed 60 times in 3 s, to our app and to a plain Bolt app that opens a
small modal in its listener right after ``ack()``, while CPU-bound processes run.

    .venv/bin/python -m bench.busy_host [--commands 60] [--spread 3] [--clients 20]
                                        [--busy 2] [--busy-seconds 20]
                                        [--database-url postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import logging
import subprocess
import sys
import time
from itertools import cycle, islice

from sqlalchemy import Engine

from bench.common import database_label, fresh_database, met, provenance, table
from bench.harness import (
    NO_TIMINGS,
    Outcomes,
    Timings,
    at_rate,
    back_to_back,
    load_sample,
    outcomes,
    served,
    settle,
    slack_for,
)
from bot.demo.sample import sample_roster
from bot.standin.driver import Response, SlackDriver
from bot.standin.views import TRIGGER_TTL
from bot.standin.web_api import SlackStandIn

APPS = {"ours": "bulletins", "plain": "plain"}
TURNS = ("ours", "plain", "plain", "ours")  # each app's commands in two halves
BUSY_LOOP = "import time\nend = time.monotonic() + {seconds}\nwhile time.monotonic() < end: pass"


def busy(count: int, seconds: float) -> list[subprocess.Popen]:
    """``count`` processes at normal priority, each keeping a CPU busy for ``seconds``."""
    code = BUSY_LOOP.format(seconds=seconds)
    return [subprocess.Popen([sys.executable, "-c", code]) for _ in range(count)]


def typed(driver: SlackDriver, user: str, sent: dict[str, float]) -> Response:
    """``/bulletin`` from ``user``; notes when its trigger id was issued, by the stand-in's
    clock."""
    started = time.monotonic()
    response = driver.command(user)
    sent[response.trigger_id or ""] = started
    return response


def wait_for_tries(standin: SlackStandIn, triggers: set[str]) -> None:
    """Until every one of ``triggers`` was used by a ``views.open``, or cannot be any more
    within its lifetime."""
    deadline = time.monotonic() + TRIGGER_TTL + 0.5
    while time.monotonic() < deadline:
        tried = {call.args.get("trigger_id") for call in standin.calls_to("views.open")}
        if triggers <= tried:
            return
        time.sleep(0.05)


def run(
    engine: Engine, commands: int, spread: float, clients: int, processes: int, seconds: float
) -> tuple[dict[str, Outcomes], dict[str, Timings], bool]:
    """Each app's commands, in two halves taking turns, while ``processes`` busy processes
    run; the outcomes and acknowledgement times by app, and whether the busy processes still
    ran when the last command had its outcome."""
    users = load_sample(engine)
    standin = slack_for([row.slack_user_id for row in sample_roster()])
    sent: dict[str, dict[str, float]] = {app: {} for app in APPS}
    acks: dict[str, Timings] = dict.fromkeys(APPS, NO_TIMINGS)
    hogs: list[subprocess.Popen] = []
    try:
        with (
            served(APPS["ours"], engine, standin) as ours,
            served(APPS["plain"], engine, standin) as plain,
        ):
            drivers = {"ours": ours, "plain": plain}
            for driver in drivers.values():  # a warm-up, not counted
                back_to_back([lambda d=driver, u=u: d.command(u) for u in users[:5]], clients=1)
            settle(standin)
            hogs = busy(processes, seconds)
            time.sleep(0.5)  # the busy processes are under way
            done = dict.fromkeys(APPS, 0)
            for app in TURNS:
                driver, before = drivers[app], set(sent[app])
                share = commands // 2 if done[app] == 0 else commands - done[app]
                typists = list(islice(cycle(users), done[app], done[app] + share))
                done[app] += share
                requests = [lambda d=driver, u=u, s=sent[app]: typed(d, u, s) for u in typists]
                acks[app] += at_rate(requests, rate=commands / spread, clients=clients)
                wait_for_tries(standin, set(sent[app]) - before)
            still_busy = all(hog.poll() is None for hog in hogs)
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()
        settle(standin)
        standin.stop()
    return {app: outcomes(standin, sent[app]) for app in APPS}, acks, still_busy


def report(
    figures: dict[str, Outcomes],
    acks: dict[str, Timings],
    commands: int,
    processes: int,
    still_busy: bool,
) -> str:
    headers = ["requirement", "app", "forms opened", "expired", "never tried",
               "slowest open s", "ack p99 ms", "met"]  # fmt: skip
    rows = []
    for app, label in (("ours", "ours"), ("plain", "plain Bolt app")):
        found = figures[app]
        ok = found.opened == commands and not found.expired and not found.never_tried
        if app == "ours":
            requirement = (
                f"while {processes} CPU-bound processes run, every form of ours opens within "
                "Slack's 3 s (0 expired, 0 never tried)"
            )
            verdict = met(ok) if still_busy else "n/a: the busy processes ended first"
        else:
            requirement, verdict = "none: the same app, plain, for comparison", "-"
        rows.append([requirement, label, f"{found.opened}/{commands}", found.expired,
                     found.never_tried, f"{found.slowest:.2f}", f"{acks[app].percentile(99):.0f}",
                     verdict])  # fmt: skip
    return table(headers, rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commands", type=int, default=60, help="/bulletin to each app (60)")
    parser.add_argument("--spread", type=float, default=3.0, help="over this many s (3)")
    parser.add_argument("--clients", type=int, default=20, help="client threads (20)")
    parser.add_argument("--busy", type=int, default=2, help="CPU-bound processes (2)")
    parser.add_argument("--busy-seconds", type=float, default=20.0, help="how long they run (20)")
    parser.add_argument("--database-url", help="PostgreSQL URL; a fresh schema is used")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    with fresh_database(args.database_url) as engine:
        database = database_label(engine)
        figures, acks, still_busy = run(
            engine, args.commands, args.spread, args.clients, args.busy, args.busy_seconds
        )
    print(report(figures, acks, args.commands, args.busy, still_busy))
    print()
    print(f"- the busy processes ran throughout: {'yes' if still_busy else 'no'}; both apps' "
          "commands in two halves, ours, plain, plain, ours")  # fmt: skip
    for app, found in figures.items():
        if found.other_errors:
            print(f"- {app}: {found.other_errors} views.open refused for another reason")
    print(provenance("bench.busy_host", database))


if __name__ == "__main__":
    main()

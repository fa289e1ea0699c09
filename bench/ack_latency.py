"""How fast Slack gets its acknowledgement of ``/bulletin`` and of a bulletin's submission,
over HTTP, from the app served as ``bulletins serve`` serves it, and from a bare Bolt app
that only acknowledges: when a reminder lands (``rush``: requests arriving at a steady rate,
the two apps compared) and under a flood of clients sending back to back (``flood``).

    .venv/bin/python -m bench.ack_latency [--scenario {rush,flood,both}] [--rate 10]
                                          [--seconds 15] [--requests 1000] [--clients 20]
                                          [--rounds 5] [--database-url postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import cycle, islice, pairwise

from sqlalchemy import Engine

from bench.common import database_label, fresh_database, met, provenance, table
from bench.harness import (
    NO_TIMINGS,
    Outcomes,
    Request,
    Timings,
    answers,
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
from bot.standin.web_api import SlackStandIn

RATIO_GOAL = 1.5  # rush: at most this times the bare app's p50 and p99
FLOOD_GOAL_MS = 500.0  # flood: our app's p99 under this
Form = tuple[str, dict]  # the person, and the view opened for them
Send = Callable[[Sequence[Request]], Timings]  # how a turn's requests are sent


@dataclass
class Figures:
    """One scenario's timings, by app, and what became of our app's ``/bulletin``."""

    typed: dict[str, Timings]
    submitted: dict[str, Timings]
    forms: Outcomes | None = None
    requests: int = 0


@dataclass
class Typed:
    """The ``/bulletin`` sent: when each trigger id was issued (on ``time.monotonic()``, the
    stand-in's clock), and who typed it."""

    at: dict[str, float] = field(default_factory=dict)
    by: dict[str, str] = field(default_factory=dict)


def commands(driver: SlackDriver, users: Sequence[str], count: int, typed: Typed) -> list[Request]:
    """``/bulletin`` typed ``count`` times by ``users`` in turn, noted in ``typed``."""

    def command(user: str) -> Response:
        started = time.monotonic()
        response = driver.command(user)
        trigger = response.trigger_id or ""
        typed.at[trigger], typed.by[trigger] = started, user
        return response

    return [lambda user=user: command(user) for user in islice(cycle(users), count)]


def submissions(driver: SlackDriver, forms: Sequence[Form], first: int = 0) -> list[Request]:
    """Each form submitted once by the person it was opened for, with its own answers."""
    return [
        lambda user=user, view=view, n=n: driver.submit_view(user, view, answers(n))
        for n, (user, view) in enumerate(forms, start=first)
    ]


def opened_forms(standin: SlackStandIn, typists: dict[str, str]) -> list[Form]:
    """The forms opened for the commands whose trigger ids are the keys of ``typists`` (the
    values: who typed them), in the order they opened."""
    calls = [c for c in standin.calls_to("views.open") if c.ok]
    return [
        (typists[c.args["trigger_id"]], c.response["view"])
        for c in calls
        if c.args["trigger_id"] in typists
    ]


def shares(count: int, rounds: int) -> list[range]:
    """``range(count)`` cut into ``rounds`` consecutive slices of nearly equal size."""
    cuts = [count * i // rounds for i in range(rounds + 1)]
    return [range(start, end) for start, end in pairwise(cuts)]


def in_turn(round_: int, ours: Callable[[], None], bare: Callable[[], None]) -> None:
    """Our app first in even rounds, the bare app first in odd ones."""
    for turn in (ours, bare) if round_ % 2 == 0 else (bare, ours):
        turn()


def warm_up(ours: SlackDriver, bare: SlackDriver, users: Sequence[str]) -> None:
    """One bulletin per team (later submissions edit them), and a few requests to each app."""
    assert ours.standin is not None
    typed = Typed()
    back_to_back(commands(ours, users[::2], len(users) // 2, typed), clients=1)
    settle(ours.standin)
    forms = opened_forms(ours.standin, typed.by)
    back_to_back(submissions(ours, forms), clients=1)
    back_to_back(commands(bare, users, len(users), Typed()), clients=1)
    back_to_back(submissions(bare, forms), clients=1)
    settle(ours.standin)


def scenario(
    ours: SlackDriver,
    bare: SlackDriver,
    users: Sequence[str],
    requests: int,
    rounds: int,
    send: Send,
) -> Figures:
    """``requests`` ``/bulletin`` to each app, then as many submissions of the forms ours
    opened, each sent by ``send``, the apps taking turns in ``rounds`` rounds (the first of
    a round goes second in the next) so that a moment when the machine is slow falls on both
    alike. Before the bare app's turn, our app's work after answering is over."""
    standin = ours.standin
    assert standin is not None
    figures = Figures({"ours": NO_TIMINGS, "bare": NO_TIMINGS},
                      {"ours": NO_TIMINGS, "bare": NO_TIMINGS}, requests=requests)  # fmt: skip
    typed = Typed()
    for n, share in enumerate(shares(requests, rounds)):
        first = share.start % len(users)
        typists = list(users[first:]) + list(users[:first])

        def ours_types(typists: list[str] = typists, size: int = len(share)) -> None:
            figures.typed["ours"] += send(commands(ours, typists, size, typed))
            settle(standin)  # the forms open

        def bare_types(typists: list[str] = typists, size: int = len(share)) -> None:
            figures.typed["bare"] += send(commands(bare, typists, size, Typed()))

        in_turn(n, ours_types, bare_types)
    figures.forms = outcomes(standin, typed.at)
    forms = opened_forms(standin, typed.by)
    for n, share in enumerate(shares(len(forms), rounds)):
        some = forms[share.start : share.stop]

        def ours_submits(some: list[Form] = some, first: int = share.start) -> None:
            figures.submitted["ours"] += send(submissions(ours, some, first))
            settle(standin)  # the confirmations

        def bare_submits(some: list[Form] = some, first: int = share.start) -> None:
            figures.submitted["bare"] += send(submissions(bare, some, first))

        in_turn(n, ours_submits, bare_submits)
    return figures


def run(
    engine: Engine,
    scenarios: Sequence[str],
    rate: float,
    seconds: float,
    requests: int,
    clients: int,
    rounds: int,
) -> dict[str, Figures]:
    """The scenarios, one after the other, against both apps served once."""
    users = load_sample(engine)
    standin = slack_for([row.slack_user_id for row in sample_roster()])
    found: dict[str, Figures] = {}
    try:
        with served("bulletins", engine, standin) as ours, served("bare", engine, standin) as bare:
            warm_up(ours, bare, users)
            if "rush" in scenarios:
                found["rush"] = scenario(
                    ours, bare, users, round(rate * seconds), rounds,
                    lambda some: at_rate(some, rate, clients),
                )  # fmt: skip
            if "flood" in scenarios:
                found["flood"] = scenario(
                    ours, bare, users, requests, rounds,
                    lambda some: back_to_back(some, clients),
                )  # fmt: skip
    finally:
        standin.stop()
    return found


def ms(value: float) -> str:
    return f"{value:.1f}"


def report(found: dict[str, Figures], rate: float, seconds: float, clients: int) -> str:
    headers = ["scenario", "requirement", "this run", "met"]
    rows: list[list[object]] = []
    kinds = (("/bulletin", "typed"), ("submission", "submitted"))
    if "rush" in found:
        figures = found["rush"]
        label = f"rush: {rate:g}/s for {seconds:g} s, open loop"
        for kind, attribute in kinds:
            ours, bare = getattr(figures, attribute)["ours"], getattr(figures, attribute)["bare"]
            ratios = [ours.percentile(p) / bare.percentile(p) for p in (50, 99)]
            text = (
                f"n {len(ours.millis)}: p50 {ms(ours.percentile(50))} / "
                f"{ms(bare.percentile(50))} ms = {ratios[0]:.2f}; p99 "
                f"{ms(ours.percentile(99))} / {ms(bare.percentile(99))} ms = {ratios[1]:.2f}"
                + _refusals(ours, bare)
            )
            requirement = f"{kind}: p50 and p99 at most {RATIO_GOAL:g} × the bare app's"
            ok = max(ratios) <= RATIO_GOAL and not ours.refused
            rows.append([label, requirement, text, met(ok)])
    if "flood" in found:
        figures = found["flood"]
        label = f"flood: {clients} clients back to back"
        for kind, attribute in kinds:
            ours, bare = getattr(figures, attribute)["ours"], getattr(figures, attribute)["bare"]
            text = (
                f"n {len(ours.millis)}: p99 {ms(ours.percentile(99))} ms "
                f"(p50 {ms(ours.percentile(50))}; bare app p50 {ms(bare.percentile(50))}, "
                f"p99 {ms(bare.percentile(99))})" + _refusals(ours, bare)
            )
            requirement = f"{kind}: our p99 under {FLOOD_GOAL_MS:g} ms"
            ok = ours.percentile(99) < FLOOD_GOAL_MS and not ours.refused
            rows.append([label, requirement, text, met(ok)])
    for name, figures in found.items():
        forms = figures.forms
        assert forms is not None
        text = f"{forms.opened}/{figures.requests} (expired {forms.expired}, never tried "
        text += f"{forms.never_tried}; slowest {forms.slowest:.2f} s)"
        goal = "every form opened" if name == "flood" else "(forms opened, for information)"
        ok = forms.opened == figures.requests
        rows.append([name, goal, text, met(ok) if name == "flood" else "-"])
    return table(headers, rows)


def _refusals(ours: Timings, bare: Timings) -> str:
    if not ours.refused and not bare.refused:
        return ""
    found = [f"{app} {t.why()}" for app, t in (("ours", ours), ("bare", bare)) if t.refused]
    return "; refused: " + ", ".join(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", choices=("rush", "flood", "both"), default="both")
    parser.add_argument("--rate", type=float, default=10.0, help="rush: requests a second (10)")
    parser.add_argument("--seconds", type=float, default=15.0, help="rush: for so long (15)")
    parser.add_argument("--requests", type=int, default=1000, help="flood: of each kind (1000)")
    parser.add_argument("--clients", type=int, default=20, help="client threads (20)")
    parser.add_argument(
        "--rounds",
        type=int,
        default=5,
        help="rounds in which the two apps take turns, each with its share of the requests (5)",
    )
    parser.add_argument("--database-url", help="PostgreSQL URL; a fresh schema is used")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    scenarios = ("rush", "flood") if args.scenario == "both" else (args.scenario,)
    with fresh_database(args.database_url) as engine:
        database = database_label(engine)
        found = run(
            engine, scenarios, args.rate, args.seconds, args.requests, args.clients, args.rounds
        )
    print(report(found, args.rate, args.seconds, args.clients))
    print()
    print(provenance("bench.ack_latency", database))


if __name__ == "__main__":
    main()

"""Two ``bulletins serve`` processes on one PostgreSQL database, Slack's requests spread
over both (as a host's router does): every form is filed once and confirmed once, even
when Slack sends it to both, and teammates filing at the same moment share one bulletin."""

from __future__ import annotations

import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import partial
from itertools import cycle

import pytest
from sqlalchemy import Engine, func, select

from bot.server import EVENTS_PATH
from bot.standin import SlackStandIn
from bot.standin.databases import postgres_schema
from bot.standin.driver import SlackDriver
from bot.standin.workspace import SIGNING_SECRET, TOKEN
from bulletins.db import make_session_factory, upgrade
from bulletins.db.models import (
    Bulletin,
    BulletinRevision,
    OutboxMessage,
    OutboxStatus,
    Person,
    Team,
)
from bulletins.outbox import CONFIRMATION
from bulletins.roster.csv_file import import_roster, read_roster_file
from tests.support.databases import PG_URL
from tests.support.forms import answers
from tests.support.processes import app_process, output
from tests.support.programme import data_file

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not PG_URL, reason="TEST_DATABASE_URL is not set"),
]


@pytest.fixture
def database() -> Iterator[Engine]:
    """The roster's cohort running now: the served processes keep the real time."""
    assert PG_URL is not None
    with postgres_schema(PG_URL) as engine:
        upgrade(engine)
        today = datetime.now(UTC).date()
        start = today - timedelta(days=today.weekday() + 14)
        rows = read_roster_file(data_file("eig3-roster.csv"))
        with make_session_factory(engine).begin() as session:
            import_roster(session, rows, today=start, cohort_start=start,
                          cohort_end=start + timedelta(days=365))  # fmt: skip
        yield engine


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def served(database, tmp_path) -> Iterator[tuple[SlackStandIn, list[SlackDriver]]]:
    standin = SlackStandIn(token=TOKEN).start()
    with make_session_factory(database)() as session:
        for person in session.scalars(select(Person)):
            standin.add_user(person.slack_user_id, person.name)
    ports = [free_port(), free_port()]
    processes = [
        app_process(
            ["serve", "--host", "127.0.0.1", "--port", str(port)],
            database,
            standin,
            tmp_path / f"web{n}",
        )  # fmt: skip
        for n, port in enumerate(ports)
    ]
    try:
        for n, port in enumerate(ports):
            wait_healthy(port, processes[n], tmp_path / f"web{n}")
        urls = [f"http://127.0.0.1:{port}{EVENTS_PATH}" for port in ports]
        yield standin, [SlackDriver(url, SIGNING_SECRET, standin) for url in urls]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=20)
        standin.stop()


def wait_healthy(port: int, process: subprocess.Popen, folder) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, output(folder)
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return
        except urllib.error.HTTPError:  # 503: it answers, with no clock process running
            return
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"bulletins serve did not answer on port {port}: {output(folder)}")


def opened_form(standin: SlackStandIn, driver: SlackDriver, user: str) -> dict:
    """Type ``/bulletin`` through ``driver``; the form Slack then shows."""
    trigger = driver.command(user).trigger_id
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for call in standin.calls_to("views.open"):
            if call.args["trigger_id"] == trigger:
                assert call.ok, call.response
                return call.response["view"]
        time.sleep(0.02)
    raise AssertionError("no form opened")


def at_once(*sends) -> list:
    """Run each of ``sends`` in a thread of its own, together; their results."""
    results: list = [None] * len(sends)
    start = threading.Barrier(len(sends))

    def run(n: int) -> None:
        start.wait()
        results[n] = sends[n]()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(sends))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def fellows_by_team(engine: Engine) -> dict[str, list[str]]:
    with make_session_factory(engine)() as session:
        teams: dict[str, list[str]] = {}
        for team in session.scalars(select(Team).order_by(Team.name)):
            teams[team.name] = sorted(
                m.person.slack_user_id for m in team.memberships if m.role == "fellow"
            )
        return teams


def wait_for_dms(standin: SlackStandIn, users: list[str], timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not all(standin.messages(u) for u in users):
        time.sleep(0.05)


def wait_until_sent(engine: Engine, count: int, timeout: float = 15) -> None:
    """Until ``count`` confirmations are recorded as sent, and none waits to be."""
    deadline = time.monotonic() + timeout
    query = select(OutboxMessage.status, func.count()).where(OutboxMessage.kind == CONFIRMATION)
    while time.monotonic() < deadline:
        with make_session_factory(engine)() as session:
            counts = dict(session.execute(query.group_by(OutboxMessage.status)).all())
        if counts == {OutboxStatus.SENT: count}:
            return
        time.sleep(0.05)
    raise AssertionError(f"confirmations by status: {counts}")


def test_forms_sent_to_both_processes_are_filed_once_and_confirmed_once(database, served):
    standin, drivers = served
    teams = fellows_by_team(database)
    # One fellow of each team, each form opened by one process and sent by Slack to both.
    authors = [fellows[0] for fellows in teams.values() if fellows]
    forms = [(user, opened_form(standin, driver, user))
             for user, driver in zip(authors, cycle(drivers), strict=False)]  # fmt: skip
    for n, (user, form) in enumerate(forms):
        values = answers(priority=f"Priorité {n}")
        answered = at_once(*(partial(d.submit_view, user, form, values) for d in drivers))
        assert [(r.status, r.text) for r in answered] == [(200, ""), (200, "")]

    wait_for_dms(standin, authors)
    # Each confirmation is recorded as sent by the process that sent it: then no other is due.
    wait_until_sent(database, len(authors))
    assert {user: len(standin.messages(user)) for user in authors} == dict.fromkeys(authors, 1)
    with make_session_factory(database)() as session:
        assert session.scalar(select(func.count()).select_from(Bulletin)) == len(authors)


def test_teammates_filing_on_two_processes_at_once_never_replace_each_other(database, served):
    """Both opened the form before either filed: one files, the other is told, in the
    modal, whose words were published; neither text is lost unseen."""
    standin, drivers = served
    pairs = [fellows[:2] for fellows in fellows_by_team(database).values() if len(fellows) >= 2]
    filers = []
    for first, second in pairs[:4]:
        forms = [opened_form(standin, drivers[0], first), opened_form(standin, drivers[1], second)]
        answered = at_once(
            partial(drivers[0].submit_view, first, forms[0], answers(priority="De la première")),
            partial(drivers[1].submit_view, second, forms[1], answers(priority="De la seconde")),
        )
        texts = [r.text for r in answered]
        assert sorted(texts)[0] == "" and "Depuis que vous avez ouvert" in sorted(texts)[1]
        filers.append(first if texts[0] == "" else second)

    wait_for_dms(standin, filers)
    people = [user for pair in pairs[:4] for user in pair]
    told = {user: len(standin.messages(user)) for user in people}
    assert told == {user: 1 if user in filers else 0 for user in people}
    with make_session_factory(database)() as session:
        assert session.scalar(select(func.count()).select_from(Bulletin)) == 4
        assert session.scalar(select(func.count()).select_from(BulletinRevision)) == 0


def output_of(response) -> str:
    return f"{response.status} {response.text}"

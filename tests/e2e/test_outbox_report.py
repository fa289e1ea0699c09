"""The programme team sees the messages that could not be delivered: in
``bulletins outbox --failed`` and in their Home tab."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from bulletins.db import make_session_factory, url_for_processes
from bulletins.db.models import Cohort, OutboxMessage, OutboxStatus
from bulletins.messages import Message, Section
from bulletins.outbox import enqueue
from evaluation import campaigns as core
from tests.support.cycle_world import CALENDAR, SETTINGS
from tests.support.forms import open_home
from tests.support.programme import load_eig3, paris, person_named
from tests.support.surveys import PULSE

BULLETINS = str(Path(sys.executable).with_name("bulletins"))
FAILED_KEY = "reminder:2026-W10:14:00:team-3:person-7"
ONE_FAILED = "⚠️ 1 message n'a pas pu être envoyé\u00a0: voir `bulletins outbox --failed`."


def add_messages(engine: Engine) -> None:
    """One reminder that failed for good, and one digest still to send."""
    now = paris(2026, 3, 6, 14, 0)
    with make_session_factory(engine).begin() as session:
        failed = enqueue(
            session,
            key=FAILED_KEY,
            kind="reminder",
            channel="U0GONE",
            message=Message(text="Rappel", sections=(Section("Rappel"),)),
            now=now,
        )
        # As the delivery leaves a message Slack refused for good (set here, not sent).
        failed.status, failed.attempts = OutboxStatus.FAILED, 3
        failed.error, failed.permanent = "user_not_found", True
        message = Message(text="Digest", sections=(Section("Digest"),))
        enqueue(
            session,
            key="digest:2026-W10:1",
            kind="digest",
            channel="C0DIGEST",
            message=message,
            now=now + timedelta(hours=1),
        )


def outbox_command(engine: Engine, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "BULLETINS_"))}
    env["DATABASE_URL"] = url_for_processes(engine)
    return subprocess.run(
        [BULLETINS, "outbox", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60
    )


@pytest.mark.slow
def test_outbox_failed_lists_what_could_not_be_delivered_and_why(engine, tmp_path):
    load_eig3(engine)
    add_messages(engine)

    result = outbox_command(engine, "--failed", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    header, rule, row, *rest = result.stdout.splitlines()
    assert header.split()[:5] == ["key", "kind", "channel", "status", "attempts"]
    assert set(rule) <= {"-", " "} and rest == []
    assert row.split() == [
        FAILED_KEY, "reminder", "U0GONE", "failed", "3", "user_not_found", "yes",
        "2026-03-06", "14:00", "2026-03-06", "14:00", "-",
    ]  # fmt: skip


@pytest.mark.slow
def test_outbox_lists_every_message_newest_first_up_to_the_limit(engine, tmp_path):
    add_messages(engine)

    everything = outbox_command(engine, cwd=tmp_path).stdout.splitlines()
    latest = outbox_command(engine, "--limit", "1", cwd=tmp_path).stdout.splitlines()

    assert [line.split()[0] for line in everything[2:]] == ["digest:2026-W10:1", FAILED_KEY]
    assert [line.split()[0] for line in latest[2:]] == ["digest:2026-W10:1"]


@pytest.mark.slow
def test_the_listing_shows_no_one_an_anonymous_survey_reminded(engine, tmp_path):
    """Reminders go to those who have not answered: two listings would tell who did."""
    load_eig3(engine)
    sessions = make_session_factory(engine)
    with sessions.begin() as session:
        cohort = session.scalars(select(Cohort)).one()
        for survey in (PULSE, replace(PULSE, id="pulse-named", anonymous=False)):
            core.launch(session, survey, cohort=cohort, now=paris(2026, 3, 2, 10),
                        calendar=CALENDAR, settings=SETTINGS)  # fmt: skip
    with sessions() as session:
        named = session.scalars(select(OutboxMessage).where(
            OutboxMessage.key.startswith("survey:pulse-named"))).first()  # fmt: skip
        anonymous = session.scalars(select(OutboxMessage).where(
            OutboxMessage.key.startswith("survey:pulse-test"))).all()  # fmt: skip
    assert named is not None and anonymous

    listing = outbox_command(engine, "--limit", "1000", cwd=tmp_path).stdout

    assert named.key in listing and named.channel in listing
    shown = [line for line in listing.splitlines() if "survey:pulse-test" in line]
    assert len(shown) == len(anonymous)
    for line in shown:
        assert "invite:person-… " in line and not re.search(r"person-\d|\bU[A-Z0-9]{8,}", line)


@pytest.mark.slow
def test_outbox_failed_says_so_when_nothing_failed(engine, tmp_path):
    result = outbox_command(engine, "--failed", cwd=tmp_path)
    assert (result.returncode, result.stdout.strip()) == (0, "No failed messages.")


def test_staff_home_shows_how_many_messages_could_not_be_delivered(workspace):
    staff, fellow = person_named(workspace, "Maëlle David"), person_named(workspace, "Manon Moreau")
    assert ONE_FAILED not in json.dumps(
        open_home(workspace, staff.slack_user_id), ensure_ascii=False
    )

    add_messages(workspace.services.engine)

    staff_home = json.dumps(open_home(workspace, staff.slack_user_id), ensure_ascii=False)
    fellow_home = json.dumps(open_home(workspace, fellow.slack_user_id), ensure_ascii=False)
    assert ONE_FAILED in staff_home
    assert "outbox" not in fellow_home


def test_with_the_console_served_the_staff_home_points_to_its_outbox_page(workspace):
    staff = person_named(workspace, "Maëlle David")
    settings = workspace.services.settings
    console = replace(settings.console, url="https://bulletins.example.org/")
    workspace.services.settings = replace(settings, console=console)
    add_messages(workspace.services.engine)

    home = json.dumps(open_home(workspace, staff.slack_user_id), ensure_ascii=False)

    assert (
        "⚠️ 1 message n'a pas pu être envoyé\u00a0: voir "
        "<https://bulletins.example.org/app/outbox|les envois de la console>."
    ) in home
    assert "bulletins outbox --failed" not in home

"""Reminders at each fellow's own hours, "remind me in an hour" and "we are off this week",
through the scheduler's tick, the app's endpoint and the Slack stand-in. The deadline is
Friday 20:00 in Paris here, so that 14:00 in Cayenne (18:00 in Paris) comes before it."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from bot import ids
from bulletins.config import settings_from_dict
from bulletins.db.models import Person, ReminderSnooze, WeekExcuse
from tests.support.cycle import dms, fellow_ids, file, tick
from tests.support.forms import open_view, submit
from tests.support.programme import paris

FRIDAY = date(2026, 3, 6)  # the deadline day of 2026-W10; Paris is at UTC+1 then
OTHERS = ["CartoBio", "CibNav", "DataJust", "DataReg", "EIG Link", "ExploCode", "IA Flash",
          "Karfu’R", "LexImpact", "Open Chronic", "Open Justice", "Plume",
          "Polygraphe"]  # fmt: skip


@pytest.fixture
def settings():
    return settings_from_dict(
        {
            "channels": {"digest": "C0DIGEST", "announce": "C0ANNOUNCE", "staff": "C0STAFF"},
            "schedule": {"deadline": "friday 20:00"},
        }
    )


def only_two_teams_to_write(workspace) -> tuple[list[str], list[str]]:
    """Every team but ACOSS-Plateforme and ADLER has filed; their fellows, sorted."""
    for team in OTHERS:
        file(workspace, team, paris(2026, 3, 6, 9, 0))
    acoss = sorted(fellow_ids(workspace, "ACOSS-Plateforme", FRIDAY))
    adler = sorted(fellow_ids(workspace, "ADLER", FRIDAY))
    return acoss, adler


def living_in(workspace, user: str, tz: str) -> None:
    workspace.standin.add_user(user, workspace.standin.user_name(user), tz=tz)


def reminded(workspace) -> list[str]:
    return [m["channel"] for m in dms(workspace)]


def block_texts(message: dict) -> list[str]:
    """The texts of a message's sections."""
    return [block["text"]["text"] for block in message["blocks"] if block["type"] == "section"]


def reminder_of(workspace, user: str) -> dict:
    """The first reminder ``user`` got."""
    return [m for m in workspace.standin.posted(user) if "rappel" in m["text"].lower()][0]


def test_each_fellow_is_reminded_at_two_in_the_afternoon_of_their_own_timezone(workspace):
    (cayenne, reunion), adler = only_two_teams_to_write(workspace)
    living_in(workspace, cayenne, "America/Cayenne")  # UTC-3
    living_in(workspace, reunion, "Indian/Reunion")  # UTC+4

    tick(workspace, paris(2026, 3, 6, 11, 0))  # 14:00 in Réunion
    assert reminded(workspace) == [reunion]
    text = "\n".join(block_texts(reminder_of(workspace, reunion)))
    assert "L'échéance est vendredi 23:00" in text  # 20:00 in Paris, in their time

    tick(workspace, paris(2026, 3, 6, 14, 0))  # 14:00 in Paris
    assert sorted(reminded(workspace)[1:]) == adler

    tick(workspace, paris(2026, 3, 6, 18, 0))  # 14:00 in Cayenne
    assert reminded(workspace)[len(adler) + 1 :] == [cayenne]
    text = "\n".join(block_texts(reminder_of(workspace, cayenne)))
    assert "L'échéance est vendredi 16:00" in text  # 20:00 in Paris
    with workspace.services.sessions() as session:
        zones = {p.slack_user_id: p.timezone for p in session.scalars(select(Person))}
    assert (zones[cayenne], zones[reunion]) == ("America/Cayenne", "Indian/Reunion")


def test_the_form_shows_the_deadline_in_the_persons_time(workspace):
    (cayenne, _), _ = only_two_teams_to_write(workspace)
    living_in(workspace, cayenne, "America/Cayenne")
    tick(workspace, paris(2026, 3, 6, 9, 30))  # the scheduler asks Slack for timezones

    view = open_view(workspace, cayenne)

    assert "à rendre avant vendredi 6 mars 16:00" in json.dumps(view["blocks"], ensure_ascii=False)


def snooze(workspace, user: str, at) -> dict:
    """``user`` clicks "remind me in an hour" under their reminder at ``at``."""
    workspace.clock.now = at
    reminder = reminder_of(workspace, user)
    channel = workspace.standin.dm_channel(user)
    workspace.driver.block_action(user, ids.SNOOZE_REMINDER, message=reminder, channel_id=channel)
    return workspace.wait_for(lambda: _snoozed(workspace, user))


def _snoozed(workspace, user: str) -> dict | None:
    message = reminder_of(workspace, user)
    return message if any("⏰" in text for text in block_texts(message)) else None


def buttons(message: dict) -> list[str]:
    return [
        element["action_id"]
        for block in message["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]


def test_remind_me_in_an_hour_reminds_once_an_hour_later(workspace):
    (first, second), _ = only_two_teams_to_write(workspace)
    tick(workspace, paris(2026, 3, 6, 14, 0))
    assert buttons(reminder_of(workspace, first)) == [
        ids.OPEN_FORM, ids.SNOOZE_REMINDER, ids.EXCUSE_WEEK
    ]  # fmt: skip

    message = snooze(workspace, first, paris(2026, 3, 6, 14, 12))

    assert "⏰ Je vous le rappelle à 15:12" in block_texts(message)
    assert buttons(message) == [ids.OPEN_FORM, ids.EXCUSE_WEEK]
    tick(workspace, paris(2026, 3, 6, 14, 45))  # the day's second reminder, to each fellow
    before = len(dms(workspace))
    tick(workspace, paris(2026, 3, 6, 15, 11))
    assert len(dms(workspace)) == before
    tick(workspace, paris(2026, 3, 6, 15, 12))
    tick(workspace, paris(2026, 3, 6, 15, 13))
    (again,) = dms(workspace)[before:]
    assert again["channel"] == first
    assert "n'a pas encore écrit son bulletin" in again["blocks"][0]["text"]["text"]


def test_no_snoozed_reminder_once_the_team_has_filed(workspace):
    (first, _), _ = only_two_teams_to_write(workspace)
    tick(workspace, paris(2026, 3, 6, 14, 0))
    snooze(workspace, first, paris(2026, 3, 6, 14, 12))
    file(workspace, "ACOSS-Plateforme", paris(2026, 3, 6, 14, 30))
    tick(workspace, paris(2026, 3, 6, 14, 45))  # ADLER's second reminder
    before = len(dms(workspace))
    tick(workspace, paris(2026, 3, 6, 15, 12))
    assert len(dms(workspace)) == before
    with workspace.services.sessions() as session:
        assert len(session.scalars(select(ReminderSnooze)).all()) == 1


def test_no_snooze_past_the_deadline(workspace):
    (first, _), _ = only_two_teams_to_write(workspace)
    tick(workspace, paris(2026, 3, 6, 14, 45))  # read late in the day

    message = snooze(workspace, first, paris(2026, 3, 6, 19, 20))

    assert any("L'échéance (20:00) est dans moins d'une heure" in t for t in block_texts(message))
    tick(workspace, paris(2026, 3, 6, 20, 20))
    with workspace.services.sessions() as session:
        assert session.scalars(select(ReminderSnooze)).all() == []


def test_an_old_reminder_snoozed_after_its_deadline_says_it_is_over(workspace):
    (first, _), _ = only_two_teams_to_write(workspace)
    tick(workspace, paris(2026, 3, 6, 14, 0))

    message = snooze(workspace, first, paris(2026, 3, 9, 10, 0))  # the next Monday

    assert "⏰ Ce rappel n'a plus cours\u00a0: son échéance est passée." in block_texts(message)
    with workspace.services.sessions() as session:
        assert session.scalars(select(ReminderSnooze)).all() == []


def test_we_are_off_this_week_excuses_the_week_and_the_others_reminders_stand_down(workspace):
    (first, second), adler = only_two_teams_to_write(workspace)
    tick(workspace, paris(2026, 3, 6, 14, 0))
    workspace.clock.now = paris(2026, 3, 6, 14, 10)
    channel = workspace.standin.dm_channel(first)
    reminder = reminder_of(workspace, first)
    workspace.driver.block_action(first, ids.EXCUSE_WEEK, message=reminder, channel_id=channel)
    workspace.wait_for(lambda: workspace.standin.calls_to("views.open"))
    excuse = workspace.standin.last_view(ids.EXCUSE_VIEW)

    values = {ids.REASON: {ids.input_id(ids.REASON): "Séminaire à Lyon"}}
    assert submit(workspace, first, excuse, values).json() == {"response_action": "clear"}
    tick(workspace, paris(2026, 3, 6, 14, 11))

    with workspace.services.sessions() as session:
        (stored,) = session.scalars(select(WeekExcuse)).all()
    assert (stored.week, stored.reason) == ("2026-W10", "Séminaire à Lyon")
    text = "\n".join(block_texts(reminder_of(workspace, second)))
    assert "✅ Pas de bulletin cette semaine, a indiqué" in text
    assert buttons(reminder_of(workspace, second)) == []
    before = len(dms(workspace))
    tick(workspace, paris(2026, 3, 6, 14, 45))
    assert sorted(m["channel"] for m in dms(workspace)[before:]) == adler  # not ACOSS's


def test_slack_is_asked_each_fellows_timezone_at_most_once_a_day(workspace):
    with workspace.services.sessions() as session:
        fellows = session.scalars(select(Person)).all()

    def asked() -> list[str]:
        return sorted(call.args["user"] for call in workspace.standin.calls_to("users.info"))

    for minute in range(3):  # a few each minute, then nobody more that day
        tick(workspace, paris(2026, 3, 5, 9, minute))
    once = asked()
    assert len(once) == len(set(once)) == 32  # every fellow of the fifteen teams, once
    assert set(once) <= {p.slack_user_id for p in fellows}
    tick(workspace, paris(2026, 3, 5, 18, 0))
    assert asked() == once
    for minute in range(3):
        tick(workspace, paris(2026, 3, 6, 9, minute))
    assert asked() == sorted(once * 2)

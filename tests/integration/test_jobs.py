"""The scheduled jobs of the cycle, as functions of the database and ``now``."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from bulletins import outbox
from bulletins.calendar import IsoWeek
from bulletins.cycle.jobs import (
    call_to_action,
    digest,
    late_bulletins,
    refresh_digests,
    reminders,
    stand_down_reminders,
)
from bulletins.db.models import OutboxMessage, OutboxStatus
from bulletins.messages import Message
from tests.support.cycle_world import CALENDAR, SETTINGS, W10, make_world, paris

CHRISTMAS_WEEK = IsoWeek(2026, 52)  # Friday 25 December is a holiday: deadline on Thursday


@pytest.fixture
def world(session):
    return make_world(session, "Alpha", "Bravo", "Charlie")


def rows(world, kind: str) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
    return list(world.session.scalars(query))


def reminded(world) -> set[str]:
    return {row.channel for row in rows(world, "reminder")}


# ------------------------------------------------------------------------ reminders


def test_reminders_go_to_fellows_of_teams_neither_filed_nor_excused(world):
    world.file("Alpha")
    world.excuse("Bravo", "Vacances")
    assert reminders(world.ctx(paris(2026, 3, 6, 14, 0))) == 2
    assert reminded(world) == {p.slack_user_id for p in world.fellows["Charlie"]}


def test_reminders_skip_people_away_and_ended_teams(world):
    away, present = world.fellows["Charlie"]
    world.away(away, until=date(2026, 3, 6))
    world.teams["Bravo"].ends_on = date(2026, 3, 5)
    world.file("Alpha")
    reminders(world.ctx(paris(2026, 3, 6, 14, 0)))
    assert reminded(world) == {present.slack_user_id}


def test_each_reminder_is_sent_once_and_both_times_of_the_day_are(world):
    world.file("Alpha")
    world.file("Bravo")
    assert reminders(world.ctx(paris(2026, 3, 6, 14, 0))) == 2
    assert reminders(world.ctx(paris(2026, 3, 6, 14, 10))) == 0
    assert reminders(world.ctx(paris(2026, 3, 6, 14, 45))) == 2
    assert [row.key.split(":")[2] for row in rows(world, "reminder")] == ["1400"] * 2 + ["1445"] * 2


@pytest.mark.parametrize(
    ("now", "due"),
    [
        (paris(2026, 3, 6, 13, 59), False),
        (paris(2026, 3, 6, 14, 29), True),
        (paris(2026, 3, 6, 14, 31), False),  # more than 30 minutes late: dropped
        (paris(2026, 3, 6, 15, 5), False),  # never at or past the deadline
        (paris(2026, 3, 5, 14, 0), False),  # not the deadline day
    ],
)
def test_a_reminder_too_late_is_dropped(world, now, due):
    assert bool(reminders(world.ctx(now))) is due


def test_a_holiday_moves_reminders_to_the_day_before(world):
    assert reminders(world.ctx(paris(2026, 12, 25, 14, 0))) == 0
    assert reminders(world.ctx(paris(2026, 12, 24, 14, 0))) == 6
    assert rows(world, "reminder")[0].key.startswith(f"reminder:{CHRISTMAS_WEEK}:1400:")


# ------------------------------------------------------------------- call to action


def test_the_call_to_action_is_posted_once_on_the_deadline_day(world):
    assert call_to_action(world.ctx(paris(2026, 3, 6, 9, 59))) == 0
    assert call_to_action(world.ctx(paris(2026, 3, 6, 10, 0))) == 1
    assert call_to_action(world.ctx(paris(2026, 3, 6, 11, 0))) == 0
    assert [row.channel for row in rows(world, "call_to_action")] == ["C0ANNOUNCE"]


def test_no_call_to_action_when_no_team_is_waiting(world):
    world.file("Alpha")
    world.file("Bravo")
    world.excuse("Charlie", "Séminaire")
    assert call_to_action(world.ctx(paris(2026, 3, 6, 10, 0))) == 0
    assert call_to_action(world.ctx(paris(2027, 7, 9, 10, 0))) == 0  # the cohort has ended


# -------------------------------------------------------------------------- digest


def test_the_digest_is_enqueued_once_at_the_deadline_within_its_grace(world):
    world.file("Alpha", help_request="Besoin d'aide")
    assert digest(world.ctx(paris(2026, 3, 6, 15, 4))) == 0
    assert digest(world.ctx(paris(2026, 3, 6, 15, 5))) == 1
    assert digest(world.ctx(paris(2026, 3, 6, 15, 6))) == 0
    (row,) = rows(world, "digest")
    assert (row.key, row.channel, row.thread_of) == ("digest:2026-W10:1", "C0DIGEST", None)
    assert "Besoin d'aide" in str(Message.from_json(row.payload))


def test_a_digest_later_than_its_grace_is_not_posted(world):
    assert digest(world.ctx(paris(2026, 3, 7, 3, 5))) == 0
    assert digest(world.ctx(paris(2026, 3, 7, 3, 4))) == 1


def test_the_grace_may_run_into_the_next_iso_week(world):
    schedule = dataclasses.replace(SETTINGS.schedule, digest_grace=timedelta(hours=72))
    settings = dataclasses.replace(SETTINGS, schedule=schedule)
    assert digest(world.ctx(paris(2026, 3, 9, 1, 0), settings)) == 1  # Monday of W11
    assert rows(world, "digest")[0].key == "digest:2026-W10:1"


def test_a_long_digest_continues_in_its_thread(world):
    for n in range(40):
        world.add_team(f"Team {n:02d}")
    for name in world.teams:
        world.file(name, help_request="aide")
    parts = digest(world.ctx(CALENDAR.deadline(W10)))
    found = rows(world, "digest") + rows(world, "digest_continued")
    assert parts == len(found) >= 2
    assert [row.key for row in found] == [f"digest:2026-W10:{n}" for n in range(1, parts + 1)]
    assert [row.thread_of for row in found] == [None] + ["digest:2026-W10:1"] * (parts - 1)


def test_the_holiday_and_iso_53_digests_are_keyed_by_their_week(world):
    assert digest(world.ctx(paris(2026, 12, 24, 15, 5))) == 1
    assert digest(world.ctx(paris(2026, 12, 31, 15, 4))) == 0
    assert digest(world.ctx(paris(2026, 12, 31, 15, 5))) == 1
    keys = [row.key for row in rows(world, "digest")]
    assert keys == ["digest:2026-W52:1", "digest:2026-W53:1"]


# ------------------------------------------------------------------- late bulletins


def test_a_late_bulletin_is_posted_once_in_the_digest_thread(world):
    deadline = CALENDAR.deadline(W10)
    world.file("Alpha", at=deadline + timedelta(minutes=30))  # before the digest: nothing
    assert late_bulletins(world.ctx(deadline + timedelta(minutes=31))) == 0
    digest(world.ctx(deadline + timedelta(minutes=40)))
    world.file("Bravo", at=deadline + timedelta(hours=2))
    assert late_bulletins(world.ctx(deadline + timedelta(hours=2))) == 1
    assert late_bulletins(world.ctx(deadline + timedelta(hours=3))) == 0
    (row,) = rows(world, "late_bulletin")
    team = world.teams["Bravo"]
    assert (row.key, row.thread_of) == (f"late:2026-W10:team-{team.id}", "digest:2026-W10:1")


def test_late_bulletins_are_caught_up_after_the_next_week_opens(world):
    deadline = CALENDAR.deadline(W10)
    digest(world.ctx(deadline))
    world.file("Charlie", at=paris(2026, 3, 9, 8, 0))  # Monday, before W11 opens
    assert late_bulletins(world.ctx(paris(2026, 3, 10, 12, 0))) == 1


# ------------------------------------------------------------- a digest kept true


def test_the_digest_is_updated_once_per_change_under_one_key(world):
    deadline = CALENDAR.deadline(W10)
    digest(world.ctx(deadline))
    assert refresh_digests(world.ctx(deadline + timedelta(minutes=1))) == 0
    world.file("Alpha", at=deadline + timedelta(hours=1))
    world.file("Bravo", at=deadline + timedelta(hours=1, minutes=1))
    assert refresh_digests(world.ctx(deadline + timedelta(hours=2))) == 1
    assert refresh_digests(world.ctx(deadline + timedelta(hours=3))) == 0
    (update,) = rows(world, "update")
    assert (update.key, update.thread_of) == ("update:digest:2026-W10:1", "digest:2026-W10:1")
    text = "\n".join(s["text"] for s in update.payload["sections"])
    assert "Bulletins reçus\u00a0: 2/3" in text
    assert "Publiés en retard, dans le fil*\nAlpha, Bravo" in text


def test_an_update_changed_while_in_flight_is_sent_again(world):
    deadline = CALENDAR.deadline(W10)
    digest(world.ctx(deadline))
    (first,) = rows(world, "digest")
    outbox.mark_sent(first, now=deadline, channel="C0DIGEST", ts="1.000001")
    world.file("Alpha", at=deadline + timedelta(hours=1))
    refresh_digests(world.ctx(deadline + timedelta(hours=1)))
    (update,) = rows(world, "update")
    assert outbox.claim(world.session, update, deadline + timedelta(hours=1))
    sent_payload = dict(update.payload)
    world.file("Bravo", at=deadline + timedelta(hours=1, minutes=1))
    assert refresh_digests(world.ctx(deadline + timedelta(hours=1, minutes=1))) == 1
    assert update.payload["sections"][0]["text"] == "*Bulletins reçus\u00a0: 2/3*"
    assert update.status == OutboxStatus.SENDING  # its newer text waits for the answer
    outbox.record_update_sent(update, now=deadline, channel="C0DIGEST", ts="1.000001",
                              sent_payload=sent_payload)  # fmt: skip
    assert update.status == OutboxStatus.PENDING
    outbox.record_update_sent(update, now=deadline, channel="C0DIGEST", ts="1.000001",
                              sent_payload=update.payload)  # fmt: skip
    assert update.status == OutboxStatus.SENT


def test_reminders_of_a_team_that_filed_stand_down_and_no_new_one_goes(world):
    world.file("Alpha")
    world.excuse("Bravo", "Vacances")
    reminders(world.ctx(paris(2026, 3, 6, 14, 0)))
    for n, row in enumerate(rows(world, "reminder")):  # delivered
        outbox.mark_sent(row, now=paris(2026, 3, 6, 14, 1), channel=row.channel, ts=f"1.{n}")
    assert stand_down_reminders(world.ctx(paris(2026, 3, 6, 14, 5))) == 0
    world.file("Charlie", at=paris(2026, 3, 6, 14, 10))
    assert stand_down_reminders(world.ctx(paris(2026, 3, 6, 14, 11))) == 2
    assert stand_down_reminders(world.ctx(paris(2026, 3, 6, 14, 12))) == 0
    assert reminders(world.ctx(paris(2026, 3, 6, 14, 45))) == 0
    for update in rows(world, "update"):
        assert update.payload["buttons"] == []
        assert (
            "✅ Bulletin publié par Charlie fellow 1 à 14:10"
            in update.payload["sections"][-1]["text"]
        )


def test_a_reminder_not_yet_sent_when_its_team_files_is_withdrawn_not_sent(world):
    reminders(world.ctx(paris(2026, 3, 6, 14, 0)))
    everyone = {row.channel for row in rows(world, "reminder")}
    [sent] = [
        row
        for row in rows(world, "reminder")
        if row.channel == world.fellows["Alpha"][0].slack_user_id
    ]
    outbox.mark_sent(sent, now=paris(2026, 3, 6, 14, 1), channel=sent.channel, ts="1.0")
    world.file("Alpha", at=paris(2026, 3, 6, 14, 10))
    # Alpha's second fellow's reminder was still waiting (Slack slow, say): it goes away;
    # the first fellow's, already in their DMs, says the team has filed.
    assert stand_down_reminders(world.ctx(paris(2026, 3, 6, 14, 11))) == 2
    alpha = {p.slack_user_id for p in world.fellows["Alpha"]}
    assert {row.channel for row in rows(world, "reminder")} & alpha == {sent.channel}
    [update] = rows(world, "update")
    assert update.thread_of == sent.key and update.payload["buttons"] == []
    assert everyone - alpha <= {row.channel for row in rows(world, "reminder")}  # still due

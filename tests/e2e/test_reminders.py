"""Reminders and the call to action, through the scheduler's tick and the Slack stand-in."""

from __future__ import annotations

from datetime import date

from tests.e2e.conftest import paris
from tests.e2e.cycle_helpers import away, dms, end_team, excuse, fellow_ids, file, tick

FRIDAY = date(2026, 3, 6)  # the deadline day of 2026-W10
TEAMS = ["ACOSS-Plateforme", "ADLER", "CartoBio", "CibNav", "DataJust", "DataReg", "EIG Link",
         "ExploCode", "IA Flash", "Karfu’R", "LexImpact", "Open Chronic", "Open Justice", "Plume",
         "Polygraphe"]  # fmt: skip


def recipients(bench) -> list[str]:
    return sorted(m["channel"] for m in dms(bench))


def test_reminders_reach_only_fellows_of_teams_still_to_write(bench):
    for team in TEAMS[:10]:
        file(bench, team, paris(2026, 3, 6, 11, 0))
    excuse(bench, "LexImpact", "Séminaire à Lyon", paris(2026, 3, 6, 11, 0))
    end_team(bench, "Open Chronic", date(2026, 3, 1))
    plume = sorted(fellow_ids(bench, "Plume", FRIDAY))
    away(bench, plume[0], until=date(2026, 3, 13), today=FRIDAY)
    tick(bench, paris(2026, 3, 6, 14, 0))
    expected = fellow_ids(bench, "Open Justice", FRIDAY) | set(plume[1:])
    expected |= fellow_ids(bench, "Polygraphe", FRIDAY)
    assert recipients(bench) == sorted(expected)
    assert all(m["blocks"] for m in dms(bench))


def test_a_second_tick_at_the_same_time_sends_nothing_and_the_next_reminder_goes(bench):
    for team in TEAMS[1:]:
        file(bench, team, paris(2026, 3, 6, 11, 0))
    tick(bench, paris(2026, 3, 6, 14, 0))
    first = recipients(bench)
    assert first == sorted(fellow_ids(bench, "ACOSS-Plateforme", FRIDAY))
    tick(bench, paris(2026, 3, 6, 14, 0))
    tick(bench, paris(2026, 3, 6, 14, 15))
    assert recipients(bench) == first
    tick(bench, paris(2026, 3, 6, 14, 45))
    assert recipients(bench) == sorted(first * 2)
    text = dms(bench)[0]["blocks"][0]["text"]["text"]
    assert "*ACOSS-Plateforme* n'a pas encore écrit son bulletin de la semaine 2026-W10" in text


def test_a_reminder_more_than_thirty_minutes_late_is_dropped(bench):
    tick(bench, paris(2026, 3, 6, 14, 31))
    assert dms(bench) == []
    tick(bench, paris(2026, 3, 6, 14, 45))
    assert len(dms(bench)) == 32  # every fellow of the fifteen teams


def test_a_holiday_brings_reminders_forward_to_thursday(bench):
    tick(bench, paris(2026, 12, 25, 14, 0))
    assert dms(bench) == []
    tick(bench, paris(2026, 12, 24, 14, 0))
    assert len(dms(bench)) == 32


def test_the_call_to_action_is_posted_once_in_the_announce_channel(bench):
    tick(bench, paris(2026, 3, 6, 10, 0))
    tick(bench, paris(2026, 3, 6, 10, 1))
    (post,) = bench.standin.messages("C0ANNOUNCE")
    assert "2026-W10" in post["blocks"][0]["text"]["text"]
    assert post["blocks"][-1]["type"] == "actions"

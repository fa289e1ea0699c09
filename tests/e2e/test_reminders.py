"""Reminders and the call to action, through the scheduler's tick and the Slack stand-in."""

from __future__ import annotations

from datetime import date

from tests.support.cycle import away, dms, end_team, excuse, fellow_ids, file, tick
from tests.support.programme import paris

FRIDAY = date(2026, 3, 6)  # the deadline day of 2026-W10
TEAMS = ["ACOSS-Plateforme", "ADLER", "CartoBio", "CibNav", "DataJust", "DataReg", "EIG Link",
         "ExploCode", "IA Flash", "Karfu’R", "LexImpact", "Open Chronic", "Open Justice", "Plume",
         "Polygraphe"]  # fmt: skip


def recipients(workspace) -> list[str]:
    return sorted(m["channel"] for m in dms(workspace))


def test_reminders_reach_only_fellows_of_teams_still_to_write(workspace):
    for team in TEAMS[:10]:
        file(workspace, team, paris(2026, 3, 6, 11, 0))
    excuse(workspace, "LexImpact", "Séminaire à Lyon", paris(2026, 3, 6, 11, 0))
    end_team(workspace, "Open Chronic", date(2026, 3, 1))
    plume = sorted(fellow_ids(workspace, "Plume", FRIDAY))
    away(workspace, plume[0], until=date(2026, 3, 13), today=FRIDAY)
    tick(workspace, paris(2026, 3, 6, 14, 0))
    expected = fellow_ids(workspace, "Open Justice", FRIDAY) | set(plume[1:])
    expected |= fellow_ids(workspace, "Polygraphe", FRIDAY)
    assert recipients(workspace) == sorted(expected)
    assert all(m["blocks"] for m in dms(workspace))


def test_a_second_tick_at_the_same_time_sends_nothing_and_the_next_reminder_goes(workspace):
    for team in TEAMS[1:]:
        file(workspace, team, paris(2026, 3, 6, 11, 0))
    tick(workspace, paris(2026, 3, 6, 14, 0))
    first = recipients(workspace)
    assert first == sorted(fellow_ids(workspace, "ACOSS-Plateforme", FRIDAY))
    tick(workspace, paris(2026, 3, 6, 14, 0))
    tick(workspace, paris(2026, 3, 6, 14, 15))
    assert recipients(workspace) == first
    tick(workspace, paris(2026, 3, 6, 14, 45))
    assert recipients(workspace) == sorted(first * 2)
    text = dms(workspace)[0]["blocks"][0]["text"]["text"]
    assert "*ACOSS-Plateforme* n'a pas encore écrit son bulletin de la semaine du 2 mars" in text


def test_a_reminder_more_than_thirty_minutes_late_is_dropped(workspace):
    tick(workspace, paris(2026, 3, 6, 14, 31))
    assert dms(workspace) == []
    tick(workspace, paris(2026, 3, 6, 14, 45))
    assert len(dms(workspace)) == 32  # every fellow of the fifteen teams


def test_a_holiday_brings_reminders_forward_to_thursday(workspace):
    tick(workspace, paris(2026, 12, 25, 14, 0))
    assert dms(workspace) == []
    tick(workspace, paris(2026, 12, 24, 14, 0))
    assert len(dms(workspace)) == 32


def test_the_call_to_action_is_posted_once_in_the_announce_channel(workspace):
    tick(workspace, paris(2026, 3, 6, 10, 0))
    tick(workspace, paris(2026, 3, 6, 10, 1))
    (post,) = workspace.standin.messages("C0ANNOUNCE")
    assert "la semaine du 2 mars" in post["blocks"][0]["text"]["text"]
    assert post["blocks"][-1]["type"] == "actions"


def test_reminders_stand_down_once_the_team_has_filed(workspace):
    for team in TEAMS[1:]:
        file(workspace, team, paris(2026, 3, 6, 11, 0))
    tick(workspace, paris(2026, 3, 6, 14, 0))
    fellows = sorted(fellow_ids(workspace, "ACOSS-Plateforme", FRIDAY))
    assert all(actions(workspace, user) for user in fellows)
    file(workspace, "ACOSS-Plateforme", paris(2026, 3, 6, 14, 12))  # by its first fellow
    filer = min(name_of(workspace, user) for user in fellows)
    tick(workspace, paris(2026, 3, 6, 14, 13))
    tick(workspace, paris(2026, 3, 6, 14, 45))
    assert recipients(workspace) == fellows  # no reminder after the fact
    for user in fellows:
        (reminder,) = workspace.standin.posted(user)
        assert actions(workspace, user) == []
        text = "\n".join(b["text"]["text"] for b in reminder["blocks"] if "text" in b)
        assert "n'a pas encore écrit" in text  # what it said, and now what happened
        assert f"✅ Bulletin publié par {filer} à 14:12" in text
    assert len(workspace.standin.calls_to("chat.update")) == len(fellows)


def test_a_team_that_excuses_the_week_sees_its_reminders_say_so(workspace):
    for team in TEAMS[1:]:
        file(workspace, team, paris(2026, 3, 6, 11, 0))
    tick(workspace, paris(2026, 3, 6, 14, 0))
    excuse(workspace, "ACOSS-Plateforme", "Séminaire", paris(2026, 3, 6, 14, 20))
    tick(workspace, paris(2026, 3, 6, 14, 21))
    for user in fellow_ids(workspace, "ACOSS-Plateforme", FRIDAY):
        (reminder,) = workspace.standin.posted(user)
        text = "\n".join(b["text"]["text"] for b in reminder["blocks"] if "text" in b)
        assert "✅ Pas de bulletin cette semaine, a indiqué" in text and ">Séminaire" in text
        assert actions(workspace, user) == []


def actions(workspace, user: str) -> list[dict]:
    """The buttons of the messages ``user`` reads in their DM now."""
    return [
        b for m in workspace.standin.posted(user) for b in m["blocks"] if b["type"] == "actions"
    ]


def name_of(workspace, user: str) -> str:
    return workspace.standin.user_name(user)


def test_a_fellow_whose_hours_would_all_come_after_the_deadline_gets_the_programmes(workspace):
    for team in TEAMS[1:]:
        file(workspace, team, paris(2026, 3, 6, 11, 0))
    cayenne, paris_fellow = sorted(fellow_ids(workspace, "ACOSS-Plateforme", FRIDAY))
    workspace.standin.add_user(cayenne, name_of(workspace, cayenne), tz="America/Cayenne")

    tick(workspace, paris(2026, 3, 6, 14, 0))  # 10:00 in Cayenne; 14:00 there is 18:00 here

    assert recipients(workspace) == sorted([cayenne, paris_fellow])
    (reminder,) = workspace.standin.posted(cayenne)
    assert "L'échéance est vendredi 11:05" in reminder["blocks"][0]["text"]["text"]
    tick(workspace, paris(2026, 3, 6, 14, 45))
    tick(workspace, paris(2026, 3, 6, 18, 0))
    assert recipients(workspace) == sorted([cayenne, paris_fellow] * 2)

"""The demo's sample cohort and its script are valid and varied."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from bot.demo.sample import TEAMS, sample_roster
from bot.demo.story import TEXTS, When, week_plans
from bulletins.cycle.bulletin import MAX_CHARS, MAX_REASON, MOODS
from bulletins.roster.csv_file import validate_rows


def test_the_roster_is_valid_with_fifteen_teams_and_two_staff():
    rows = sample_roster()
    assert validate_rows(rows) == []
    assert len({row.team for row in rows if row.team}) == len(TEAMS) == 15
    roles = Counter((row.team, row.role) for row in rows)
    for team, *_ in TEAMS:
        assert roles[(team, "fellow")] == 2
        assert roles[(team, "mentor")] in (1, 2)
    assert [row.role for row in rows].count("staff") == 2


def test_people_have_distinct_names_and_valid_slack_ids():
    rows = sample_roster()
    assert len({row.name for row in rows}) == len({row.slack_user_id for row in rows}) == len(rows)
    assert all(re.fullmatch(r"U[A-Z0-9]{10}", row.slack_user_id) for row in rows)
    assert sample_roster() == rows  # the same every time


@pytest.mark.parametrize("week", range(6))
def test_every_week_mixes_on_time_late_excused_and_silent_teams(week):
    plans = week_plans(week)
    roles = Counter(plan.when for plan in plans)
    assert (roles[When.EXCUSED], roles[When.SILENT], roles[When.LATE]) == (1, 2, 2)
    assert roles[When.EARLY] + roles[When.MORNING] >= 6
    written = [p for p in plans if p.when not in (When.EXCUSED, When.SILENT)]
    assert any(p.help_request for p in written) and any(p.key_date_label for p in written)
    assert len({p.mood for p in written}) >= 3
    assert all(p.mood in MOODS for p in written)


def test_texts_fit_the_form():
    assert set(TEXTS) == {team for team, *_ in TEAMS}
    for week in range(6):
        for plan in week_plans(week):
            for field in ("priority", "ups_and_downs", "help_request", "key_date_label"):
                assert len(getattr(plan, field) or "") <= MAX_CHARS[field]
            assert len(plan.reason or "") <= MAX_REASON

"""The monthly digest: its figures against counts made here, silent runs across months,
escaping, the surveys' rates, both languages, and a number of queries bound by nothing."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from bot.standin.databases import counting
from bulletins.calendar import IsoWeek
from bulletins.db.models import Bulletin, Campaign, Participation
from bulletins.messages import Limits
from evaluation.monthly.digest import compose_monthly, monthly_data, render_monthly
from evaluation.participation import month_weeks
from tests.support.cycle_world import CALENDAR, SETTINGS, make_world, paris

MARCH = (2026, 3)
NOW = paris(2026, 4, 1, 10, 0)
TYPED = "<!channel> un contact à la CNIL @here <@U123> & co"

# Week number → (status, mood) for each team; February's weeks 8 and 9 sit before March.
PLAN: dict[str, dict[int, tuple[str, int | None]]] = {
    "Alpha": {10: ("filed", 4), 11: ("filed", 3), 12: ("filed", 2), 13: ("filed", 4)},
    "Bravo": {10: ("late", 1), 11: ("filed", 3), 12: ("excused", None), 13: ("filed", 2)},
    "Charlie": {8: ("filed", 3), 9: ("silent", None), 10: ("silent", None),
                11: ("filed", 4), 12: ("filed", 4), 13: ("filed", 3)},
    "Delta": {9: ("filed", 3), 10: ("silent", None), 11: ("filed", 1),
              12: ("silent", None), 13: ("excused", None)},
    "Echo": {10: ("filed", 3), 11: ("late", 4), 12: ("silent", None), 13: ("filed", 3)},
}  # fmt: skip
MARCH_WEEKS = (10, 11, 12, 13)


def play(world, plan=PLAN) -> None:
    """File, file late or excuse each week of ``plan``; silent weeks get nothing."""
    for team, weeks in plan.items():
        for number, (status, mood) in weeks.items():
            week = IsoWeek(2026, number)
            if status == "filed":
                world.file(team, week, mood=mood)
            elif status == "late":
                world.file(team, week, mood=mood, at=CALENDAR.deadline(week) + timedelta(hours=3))
            elif status == "excused":
                world.excuse(team, "Séminaire", week)


@pytest.fixture
def world(session):
    world = make_world(session, *PLAN)
    play(world)
    return world


def text_of(messages) -> str:
    return "\n".join(section.text for message in messages for section in message.sections)


def test_the_month_is_the_weeks_whose_deadline_falls_in_it():
    assert [w.week for w in month_weeks(CALENDAR, 2026, 3)] == [10, 11, 12, 13]
    # Friday 1 May 2026 is a holiday: week 18's deadline moves to Thursday 30 April.
    assert [w.week for w in month_weeks(CALENDAR, 2026, 4)] == [14, 15, 16, 17, 18]
    assert [w.week for w in month_weeks(CALENDAR, 2026, 5)] == [19, 20, 21, 22]


def test_participation_per_team_matches_the_plan(world):
    data = monthly_data(world.session, CALENDAR, MARCH, NOW)
    assert [t.name for t in data.grid.teams] == list(PLAN)
    for team in data.grid.teams:
        # Weeks of March absent from the plan were silent: a team active then had nothing.
        expected = Counter(PLAN[team.name].get(n, ("silent", None))[0] for n in MARCH_WEEKS)
        counted = data.grid.counts(team)
        assert {str(k): v for k, v in counted.items()} == dict(expected), team.name
    every = Counter(PLAN[t].get(n, ("silent", None))[0] for t in PLAN for n in MARCH_WEEKS)
    assert data.totals == {"filed": every["filed"], "late": every["late"],
                           "excused": every["excused"], "silent": every["silent"],
                           "waiting": 0}  # fmt: skip


def test_the_mood_trend_is_the_mean_and_the_share_of_good_moods(world):
    data = monthly_data(world.session, CALENDAR, MARCH, NOW)
    for week in data.mood:
        moods = [
            PLAN[t][week.week.week][1]
            for t in PLAN
            if PLAN[t].get(week.week.week, ("silent", None))[0] in ("filed", "late")
        ]
        assert week.bulletins == len(moods)
        assert week.mean == pytest.approx(sum(moods) / len(moods))
        assert week.share_good == pytest.approx(sum(m >= 3 for m in moods) / len(moods))
        assert week.teams == len(PLAN)
    # Week 12: Alpha 2, Charlie 4 → 3.0, half of them 🙂/😀.
    (w12,) = [w for w in data.mood if w.week.week == 12]
    assert (w12.mean, w12.share_good) == (3.0, 0.5)


def test_two_silent_weeks_in_a_row_are_flagged_across_the_month_boundary(world):
    data = monthly_data(world.session, CALENDAR, MARCH, NOW)
    flagged = [(s.team.name, str(s.first), str(s.last), s.weeks) for s in data.streaks]
    # Charlie: silent in week 9 (February) and week 10 (March). Delta's silent weeks 10
    # and 12 are not in a row; teams silent before their first bulletin stop before March.
    assert flagged == [("Charlie", "2026-W09", "2026-W10", 2)]
    text = text_of(render_monthly(data, SETTINGS, "en"))
    assert "*Charlie*: 2 weeks, from the week of 23 February to that of 2 March" in text


def test_a_run_ending_in_february_is_not_flagged_in_march(session):
    world = make_world(session, "Foxtrot")
    filed = [*range(2, 8), *MARCH_WEEKS]  # silent in weeks 8 and 9 only
    play(world, {"Foxtrot": {n: ("filed", 3) for n in filed}})
    assert monthly_data(session, CALENDAR, MARCH, NOW).streaks == []
    february = monthly_data(session, CALENDAR, (2026, 2), NOW)
    assert [(str(s.first), s.weeks) for s in february.streaks] == [("2026-W08", 2)]


def test_open_help_requests_are_each_teams_latest_and_escaped(world):
    bulletins = {(b.team.name, b.week): b for b in world.session.scalars(select(Bulletin))}
    bulletins[("Alpha", "2026-W11")].help_request = "Un accès aux données"  # later: none
    bulletins[("Bravo", "2026-W11")].help_request = "Ancienne demande"
    bulletins[("Bravo", "2026-W13")].help_request = TYPED
    world.session.flush()
    data = monthly_data(world.session, CALENDAR, MARCH, NOW)
    assert [(h.team.name, str(h.week)) for h in data.help] == [("Bravo", "2026-W13")]
    text = text_of(render_monthly(data, SETTINGS, "en"))
    assert "Ancienne demande" not in text and "Un accès aux données" not in text
    for raw in ("<!channel>", "<@U123>", "@here"):
        assert raw not in text
    assert "&lt;!channel&gt;" in text and "&lt;@U123&gt;" in text and "&amp; co" in text


def add_campaign(world, key, opens, closes, finished, invited) -> None:
    campaign = Campaign(
        key=key, survey_id="pulse-mentors", anonymous=True,
        definition={"title": {"fr": "Le pouls des mentors", "en": "Mentors' pulse"}},
        opens_at=opens, closes_at=closes, launched_at=opens,
    )  # fmt: skip
    world.session.add(campaign)
    world.session.flush()
    people = [p for fellows in world.fellows.values() for p in fellows][:invited]
    world.session.add_all(
        Participation(campaign_id=campaign.id, person_id=p.id, role="mentor", finished=n < finished)
        for n, p in enumerate(people)
    )
    world.session.flush()


def test_survey_rates_of_the_campaigns_open_during_the_month(world):
    add_campaign(world, "pulse:2026-02", paris(2026, 2, 2, 10), paris(2026, 2, 9, 10), 1, 2)
    add_campaign(world, "pulse:2026-03", paris(2026, 3, 2, 10), paris(2026, 3, 9, 10), 3, 4)
    add_campaign(world, "end:2026", paris(2026, 2, 20, 10), paris(2026, 3, 3, 10), 0, 3)
    add_campaign(world, "pulse:2026-04", paris(2026, 4, 1, 10), paris(2026, 4, 8, 10), 0, 4)
    digest = compose_monthly(world.session, CALENDAR, SETTINGS, MARCH, NOW)
    rates = [(r.key, r.counts.finished, r.counts.invited) for r in digest.data.surveys]
    assert rates == [("end:2026", 0, 3), ("pulse:2026-03", 3, 4)]
    assert "Le pouls des mentors 2026-03\u00a0: 3 sur 4, 75\xa0%" in text_of(digest.messages)
    english = text_of(render_monthly(digest.data, SETTINGS, "en"))
    assert "Mentors' pulse 2026-03: 3 of 4, 75%" in english


def test_key_dates_of_the_next_thirty_days(world):
    at = paris(2026, 3, 31, 9)
    world.file("Alpha", IsoWeek(2026, 14), at, key_date=date(2026, 4, 20), key_date_label="Démo")
    world.file("Bravo", IsoWeek(2026, 14), at, key_date=date(2026, 5, 20), key_date_label="Loin")
    text = text_of(compose_monthly(world.session, CALENDAR, SETTINGS, MARCH, NOW).messages)
    assert "Démo" in text and "Loin" not in text and "avril" in text


def test_a_cohort_that_ends_in_the_month_counts_only_the_weeks_it_ran(world):
    world.cohort.ends_on = date(2026, 3, 18)  # a Wednesday: week 12's deadline is after it
    world.session.flush()
    data = monthly_data(world.session, CALENDAR, MARCH, NOW)
    assert [w.week for w in data.weeks] == [10, 11]
    every = Counter(PLAN[t].get(n, ("silent", None))[0] for t in PLAN for n in (10, 11))
    assert {k: v for k, v in data.totals.items() if v} == dict(every)
    text = text_of(render_monthly(data, SETTINGS, "en"))
    assert "weeks: 2, from the week of 2 March to that of 9 March" in text


def test_weeks_whose_deadline_has_not_passed_are_not_counted_yet(world):
    data = monthly_data(world.session, CALENDAR, MARCH, paris(2026, 3, 16, 10, 0))
    assert [w.week for w in data.weeks] == [10, 11]
    assert data.totals["waiting"] == 0


def test_the_digest_reads_in_french_by_default_with_a_header(world):
    messages = compose_monthly(world.session, CALENDAR, SETTINGS, MARCH, NOW).messages
    assert messages[0].header == "Entrepreneurs d'intérêt général · synthèse du mois, mars 2026"
    text = text_of(messages)
    order = ["Participation aux bulletins", "Silencieuses deux semaines", "Par équipe", "Humeur"]
    positions = [text.index(item) for item in order]
    assert positions == sorted(positions)
    assert "• Alpha\u00a0: 4 · 0 · 0 · 0" in text and "• Bravo\u00a0: 2 · 1 · 1 · 0" in text


def test_a_long_digest_is_split_within_the_limits(world):
    for n in range(50):
        world.add_team(f"Défi au nom long numéro {n:02d} " + "x" * 60)
    messages = compose_monthly(world.session, CALENDAR, SETTINGS, MARCH, NOW).messages
    small = render_monthly(
        monthly_data(world.session, CALENDAR, MARCH, NOW), SETTINGS, "fr",
        Limits(sections=3, section_chars=1000),
    )  # fmt: skip
    assert len(small) >= 2 and small[0].header and small[-1].context
    for part in [*messages, *small]:
        assert all(len(section.text) <= 3000 for section in part.sections)


def count_statements(world, engine) -> int:
    world.session.flush()
    world.session.expire_all()
    with counting(engine) as statements:
        compose_monthly(world.session, CALENDAR, SETTINGS, MARCH, NOW)
    return len(statements)


def test_the_number_of_queries_does_not_grow_with_the_teams(world, engine):
    add_campaign(world, "pulse:2026-03", paris(2026, 3, 2, 10), paris(2026, 3, 9, 10), 3, 4)
    few = count_statements(world, engine)
    for n in range(35):
        name = f"Team {n:02d}"
        world.add_team(name)
        play(world, {name: {n_: ("filed", 3) for n_ in (9, 10, 12)}})
        world.file(name, IsoWeek(2026, 11), help_request="aide", key_date=date(2026, 4, 9))
    assert len(world.teams) == 40
    assert count_statements(world, engine) == few
    assert few <= 8

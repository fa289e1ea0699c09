"""Indicators: only mentors and staff add them or their values; progress toward the target."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bulletins.db.models import Indicator
from bulletins.people import NotAllowed
from evaluation.facts.indicators import (
    InvalidIndicator,
    add_indicator,
    archive_indicator,
    indicator_counts,
    progress_of,
    record_value,
    team_indicator,
    team_indicators,
    teams_indicators,
)
from tests.support.facts import make_programme

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TODAY = NOW.date()


@pytest.fixture
def programme(session):
    return make_programme(session)


def dematerialised(programme, person=None, **numbers):
    numbers = {"baseline": None, "target": 60.0} | numbers
    return add_indicator(
        programme.session,
        programme.teams[0],
        person or programme.mentors[0],
        objective="Moins de papier",
        name="Démarches dématérialisées",
        method="Compter les démarches en ligne",
        unit="démarches",
        now=NOW,
        **numbers,
    )


def test_a_mentor_adds_an_indicator_and_values_and_sees_the_progress(programme):
    session, mentor = programme.session, programme.mentors[0]
    indicator = dematerialised(programme)
    record_value(session, indicator, mentor, 30, date(2026, 2, 1), NOW)
    record_value(session, indicator, mentor, 42, date(2026, 3, 1), NOW)
    record_value(session, indicator, mentor, 10, date(2026, 1, 1), NOW)  # an older measure
    [shown] = team_indicators(session, programme.teams[0])
    assert shown.latest.value == 42
    assert shown.progress == pytest.approx(0.7)
    assert [v.value for v in shown.history] == [10, 30, 42]
    assert shown.indicator.created_by_id == mentor.id


@pytest.mark.parametrize(
    ("baseline", "target", "value", "progress"),
    [
        (None, 60, 42, 0.7),
        (20, 60, 40, 0.5),
        (100, 50, 75, 0.5),  # a target below the baseline: going down is progress
        (20, 60, 10, -0.25),
        (None, None, 42, None),
        (30, 30, 42, None),
        (None, 60, None, None),
    ],
)
def test_progress(baseline, target, value, progress):

    indicator = Indicator(baseline=baseline, target=target)
    result = progress_of(indicator, value)
    assert result == (pytest.approx(progress) if progress is not None else None)


def test_staff_may_edit_fellows_and_strangers_may_not(programme):
    session, fellow = programme.session, programme.fellows[0]
    indicator = dematerialised(programme, programme.staff)
    record_value(session, indicator, programme.staff, 5, TODAY, NOW)
    for person in (fellow, programme.stranger, programme.mentors[1]):
        with pytest.raises(NotAllowed):
            dematerialised(programme, person)
        with pytest.raises(NotAllowed):
            record_value(session, indicator, person, 6, TODAY, NOW)
    assert [len(p.history) for p in team_indicators(session, programme.teams[0])] == [1]


def test_bad_values_are_refused_field_by_field(programme):
    session, mentor = programme.session, programme.mentors[0]
    with pytest.raises(InvalidIndicator) as raised:
        add_indicator(
            session, programme.teams[0], mentor, " ", "", None, "u" * 41,
            float("nan"), None, NOW,
        )  # fmt: skip
    assert set(raised.value.problems) == {"objective", "name", "unit", "baseline"}
    indicator = dematerialised(programme)
    with pytest.raises(InvalidIndicator) as raised:
        record_value(session, indicator, mentor, float("inf"), TODAY + timedelta(1), NOW)
    assert set(raised.value.problems) == {"value", "measured_on"}


def test_archived_indicators_are_hidden_and_take_no_value(programme):
    session, mentor, (lex, carto) = programme.session, programme.mentors[0], programme.teams
    indicator = dematerialised(programme)
    with pytest.raises(NotAllowed):
        archive_indicator(session, indicator, programme.fellows[0], today=TODAY)
    assert indicator_counts(session, [lex, carto]) == {lex.id: 1, carto.id: 0}
    archive_indicator(session, indicator, mentor, today=TODAY)
    assert team_indicators(session, lex) == []
    assert len(team_indicators(session, lex, include_archived=True)) == 1
    assert indicator_counts(session, [lex]) == {lex.id: 0}
    assert teams_indicators(session, [lex, carto]) == {lex.id: [], carto.id: []}
    with pytest.raises(InvalidIndicator):
        record_value(session, indicator, mentor, 1, TODAY, NOW)


def test_an_indicator_of_another_team_is_not_found_through_this_one(programme):
    indicator = dematerialised(programme)
    assert team_indicator(programme.session, programme.teams[0], indicator.id) is indicator
    with pytest.raises(NotAllowed):
        team_indicator(programme.session, programme.teams[1], indicator.id)

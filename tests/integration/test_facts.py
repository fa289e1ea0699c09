"""Team facts: validation, one row per change, the current sheet at a moment in one query."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from bot.standin.databases import counting
from bulletins.db.models import TeamFacts
from bulletins.people import NotAllowed
from evaluation.facts.sheets import (
    FactsInput,
    InvalidFacts,
    current_facts,
    facts_history,
    parse_facts,
    record_facts,
)
from tests.support.facts import Programme, make_programme

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
REPO = "https://github.com/betagouv/leximpact"


@pytest.fixture
def programme(session: Session) -> Programme:
    return make_programme(session)


def counted_statements(session: Session):
    """The SQL statements the session's engine runs meanwhile."""
    return counting(session.get_bind())


def test_a_sheet_is_stored_with_who_and_when(programme):
    team, fellow = programme.teams[0], programme.fellows[0]
    values = FactsInput(tool_status="in_production", people_hired=2, repositories=(REPO,))
    row = record_facts(programme.session, team, fellow, values, T0)
    assert (row.team_id, row.recorded_by_id, row.recorded_at, row.source) == (
        team.id,
        fellow.id,
        T0,
        "slack",
    )
    assert (row.tool_status, row.people_hired, row.repositories) == ("in_production", 2, [REPO])


def test_an_identical_record_adds_no_row_and_a_change_adds_one(programme):
    session, team, fellow = programme.session, programme.teams[0], programme.fellows[0]
    first = record_facts(session, team, fellow, FactsInput(trainings_count=1), T0)
    same = FactsInput(trainings_count=1, repositories=(" ",), note="  ")
    assert record_facts(session, team, fellow, same, T0 + timedelta(hours=1)) is first
    second = record_facts(session, team, fellow, FactsInput(trainings_count=2), T0 + timedelta(1))
    assert [row.id for row in facts_history(session, team)] == [first.id, second.id]
    assert (first.trainings_count, second.trainings_count) == (1, 2)
    assert session.query(TeamFacts).count() == 2


def test_current_facts_as_of_a_moment_in_one_query(programme):
    session, (lex, carto) = programme.session, programme.teams
    mentor = programme.mentors[0]
    early = record_facts(session, lex, mentor, FactsInput(people_hired=1), T0)
    later = record_facts(session, lex, mentor, FactsInput(people_hired=3), T0 + timedelta(10))
    session.expunge_all()

    with counted_statements(session) as statements:
        latest = current_facts(session, [lex, carto])
        assert latest[lex.id].recorded_by.name == mentor.name  # loaded with the sheet
    assert len(statements) == 1
    assert latest[lex.id].id == later.id and latest[carto.id] is None

    with counted_statements(session) as statements:
        before = current_facts(session, [lex.id, carto.id], as_of=T0 + timedelta(5))
    assert len(statements) == 1
    assert before[lex.id].id == early.id
    assert current_facts(session, [lex], as_of=T0 - timedelta(1)) == {lex.id: None}
    assert current_facts(session, []) == {}


@pytest.mark.parametrize(
    ("values", "problems"),
    [
        (FactsInput(repositories=("ftp://example.org/x",)), {"repositories"}),
        (FactsInput(datasets=("www.data.gouv.fr",)), {"datasets"}),
        (FactsInput(libraries=("javascript:alert(1)",)), {"libraries"}),
        (FactsInput(people_hired=-1, trainings_count=-3), {"people_hired", "trainings_count"}),
        (FactsInput(tool_status="shipped"), {"tool_status"}),
        (FactsInput(tool_status="planned"), {"tool_planned_on"}),
        (FactsInput(note="x" * 2001), {"note"}),
    ],
)
def test_invalid_values_are_refused_field_by_field(programme, values, problems):
    with pytest.raises(InvalidFacts) as raised:
        record_facts(programme.session, programme.teams[0], programme.fellows[0], values, T0)
    assert set(raised.value.problems) == problems
    assert programme.session.query(TeamFacts).count() == 0


def test_a_planned_tool_keeps_its_date_and_another_status_drops_it(programme):
    session, team, staff = programme.session, programme.teams[0], programme.staff
    planned = FactsInput(tool_status="planned", tool_planned_on=date(2026, 9, 1))
    assert record_facts(session, team, staff, planned, T0).tool_planned_on == date(2026, 9, 1)
    done = FactsInput(tool_status="in_production", tool_planned_on=date(2026, 9, 1))
    assert record_facts(session, team, staff, done, T0).tool_planned_on is None


def test_members_and_staff_may_edit_others_may_not(programme):
    session, (lex, carto) = programme.session, programme.teams
    record_facts(session, lex, programme.mentors[0], FactsInput(people_hired=1), T0)
    record_facts(session, carto, programme.staff, FactsInput(people_hired=1), T0)
    for person, team in ((programme.stranger, lex), (programme.fellows[1], lex)):
        with pytest.raises(NotAllowed):
            record_facts(session, team, person, FactsInput(people_hired=5), T0)


def test_parse_facts_reads_text_and_lists_every_unreadable_field():
    values = parse_facts(
        {
            "tool_status": "Planned",
            "tool_planned_on": "2026-09-01",
            "people_hired": "2",
            "repositories": f"{REPO} | https://gitlab.com/x/y\nhttps://a.fr",
            "training_topics": "Data science|Python",
            "accessibility_audit": "oui",
            "note": "",
        }
    )
    assert values.tool_status == "planned" and values.people_hired == 2
    assert values.repositories == (REPO, "https://gitlab.com/x/y", "https://a.fr")
    assert values.training_topics == ("Data science", "Python")
    assert values.accessibility_audit is True and values.note is None
    with pytest.raises(InvalidFacts) as raised:
        parse_facts(
            {"people_hired": "two", "tool_planned_on": "1/9/26", "accessibility_audit": "?"}
        )
    assert set(raised.value.problems) == {"people_hired", "tool_planned_on", "accessibility_audit"}

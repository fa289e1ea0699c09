"""The weekly bulletin's rules: which week a form is for, what is valid, filing and editing."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, func, select

from bulletins.calendar import IsoWeek, ProgrammeCalendar
from bulletins.config import Schedule
from bulletins.cycle.bulletin import (
    Answers,
    FormClosed,
    InvalidBulletin,
    excuse_for,
    excuse_week,
    file_bulletin,
    filing_window,
    validate,
)
from bulletins.db.models import Bulletin, BulletinRevision, Cohort, Membership, Person, Team
from bulletins.people import (
    NotAllowed,
    UnknownPerson,
    member_by_slack_id,
    person_and_teams,
    teams_of,
)

PARIS = ZoneInfo("Europe/Paris")
CALENDAR = ProgrammeCalendar(PARIS, "FR", Schedule())
TODAY = date(2026, 3, 4)


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def answers(**changes) -> Answers:
    base = dict(mood=3, priority="Mettre le simulateur en ligne", ups_and_downs="Démo réussie")
    return Answers(**(base | changes))


@pytest.mark.parametrize(
    ("now", "week", "late"),
    [
        (paris(2026, 3, 2, 9, 0), "2026-W10", False),  # Monday, the form opens
        (paris(2026, 3, 6, 15, 5), "2026-W10", False),  # the deadline itself is on time
        (paris(2026, 3, 6, 15, 6), "2026-W10", True),
        (paris(2026, 3, 9, 8, 59), "2026-W10", True),  # before Monday's opening: still late W10
        (paris(2026, 3, 9, 9, 0), "2026-W11", False),
        (paris(2026, 12, 28, 10, 0), "2026-W53", False),
        (paris(2027, 1, 4, 8, 0), "2026-W53", True),
    ],
)
def test_the_form_is_for_the_week_being_written(now, week, late):
    window = filing_window(CALENDAR, now)
    assert (str(window.week), window.late) == (week, late)


def test_a_valid_bulletin_has_no_problem():
    assert validate(answers(help_request="Un contact à la CNIL"), TODAY) == {}


def test_each_problem_is_reported_on_its_field():
    problems = validate(
        Answers(mood=None, priority="", ups_and_downs="x" * 301, key_date=date(2026, 3, 1)),
        TODAY,
    )
    assert set(problems) == {"mood", "priority", "ups_and_downs", "key_date", "key_date_label"}
    assert dict(problems["ups_and_downs"].params) == {"limit": 300, "length": 301}


def test_a_key_date_label_without_a_date_asks_for_the_date():
    assert set(validate(answers(key_date_label="Comité de pilotage"), TODAY)) == {"key_date"}


def test_limits_are_counted_after_trimming_spaces():
    assert validate(answers(priority="  " + "p" * 300 + "\n").cleaned(), TODAY) == {}


@pytest.fixture
def team(session):
    cohort = Cohort(name="EIG 3", starts_on=date(2026, 1, 5), ends_on=date(2026, 12, 31))
    team = Team(cohort=cohort, name="LexImpact", slug="leximpact")
    session.add(team)
    for slack_id, name, role in [
        ("UGCA7CM0PH4", "Manon Moreau", "fellow"),
        ("UMJXKPF7T43", "Gaël Lefebvre", "fellow"),
        ("U10A9EYSS0N", "Anaïs Bertrand", "mentor"),
    ]:
        person = Person(slack_user_id=slack_id, name=name)
        session.add(Membership(person=person, team=team, role=role, since=cohort.starts_on))
    session.flush()
    return team


def person(session, name: str) -> Person:
    return session.scalars(select(Person).where(Person.name == name)).one()


def test_filing_then_editing_keeps_one_bulletin_and_who_changed_it(session, team):
    manon, gael = person(session, "Manon Moreau"), person(session, "Gaël Lefebvre")
    first = file_bulletin(
        session, CALENDAR, person=manon, team=team, answers=answers(), now=paris(2026, 3, 4, 11)
    )
    second = file_bulletin(
        session,
        CALENDAR,
        person=gael,
        team=team,
        answers=answers(mood=4, help_request="Un accès aux données"),
        now=paris(2026, 3, 6, 14),
    )
    assert first.created and not second.created
    assert session.scalar(select(func.count()).select_from(Bulletin)) == 1
    bulletin = second.bulletin
    assert (bulletin.author.name, bulletin.updated_by.name) == ("Manon Moreau", "Gaël Lefebvre")
    assert bulletin.mood == 4 and bulletin.week == "2026-W10" and not bulletin.late
    revision = session.scalars(select(BulletinRevision)).one()
    assert revision.edited_by_id == gael.id and revision.previous["mood"] == 3


def test_a_mentor_may_file_but_someone_from_another_team_may_not(session, team):
    mentor = person(session, "Anaïs Bertrand")
    filed = file_bulletin(
        session, CALENDAR, person=mentor, team=team, answers=answers(), now=paris(2026, 3, 4, 11)
    )
    assert filed.created
    stranger = Person(slack_user_id="UAAAAAAAAAA", name="Quelqu'un d'autre")
    session.add(stranger)
    with pytest.raises(NotAllowed):
        file_bulletin(
            session,
            CALENDAR,
            person=stranger,
            team=team,
            answers=answers(),
            now=paris(2026, 3, 11, 11),
        )


def test_a_form_finds_its_author_and_team_at_once_and_refuses_who_is_not_in_it(session, team):
    other = Team(cohort=team.cohort, name="DataJust", slug="datajust")
    session.add(Membership(person=Person(slack_user_id="UOTHER", name="Zoé"), team=other,
                           role="fellow", since=TODAY))  # fmt: skip
    session.flush()
    manon, team_found = member_by_slack_id(session, "UGCA7CM0PH4", team.id, TODAY)
    assert (manon.name, team_found.name, team_found.cohort.name) == ("Manon Moreau", "LexImpact",
                                                                     "EIG 3")  # fmt: skip
    with pytest.raises(UnknownPerson):
        member_by_slack_id(session, "UNOBODY", team.id, TODAY)
    with pytest.raises(NotAllowed, match="not a member of team datajust"):
        member_by_slack_id(session, "UGCA7CM0PH4", other.id, TODAY)
    with pytest.raises(NotAllowed, match="does not exist"):
        member_by_slack_id(session, "UGCA7CM0PH4", other.id + 100, TODAY)
    with pytest.raises(NotAllowed):  # the team has ended
        member_by_slack_id(session, "UGCA7CM0PH4", team.id, date(2027, 1, 4))


def test_filing_a_form_checks_its_author_once(session, team):
    manon, team = member_by_slack_id(session, "UGCA7CM0PH4", team.id, TODAY)
    statements: list[str] = []
    bind = session.connection()
    event.listen(bind, "before_cursor_execute", lambda *args: statements.append(args[2]))
    file_bulletin(session, CALENDAR, person=manon, team=team, answers=answers(),
                  now=paris(2026, 3, 4, 11))  # fmt: skip
    assert not [s for s in statements if "memberships" in s]
    # Another person in the same session is checked as ever.
    gael = person(session, "Gaël Lefebvre")
    file_bulletin(session, CALENDAR, person=gael, team=team, answers=answers(mood=4),
                  now=paris(2026, 3, 4, 12))  # fmt: skip
    assert [s for s in statements if "memberships" in s]


def test_a_person_and_their_teams_come_in_one_query(session, team):
    other = Team(cohort=team.cohort, name="DataJust", slug="datajust")
    session.add(other)
    anais = person(session, "Anaïs Bertrand")
    session.add(Membership(person=anais, team=other, role="fellow", since=TODAY))
    session.add(Person(slack_user_id="USTAFF", name="Équipe"))
    session.flush()
    found, teams = person_and_teams(session, "U10A9EYSS0N", TODAY)
    assert found is anais and [t.name for t in teams] == ["DataJust", "LexImpact"]
    assert teams == teams_of(session, anais, TODAY)
    assert person_and_teams(session, "USTAFF", TODAY)[1] == []
    assert person_and_teams(session, "U10A9EYSS0N", date(2027, 1, 4))[1] == []  # cohort over
    with pytest.raises(UnknownPerson):
        person_and_teams(session, "UNOBODY", TODAY)


def test_after_the_deadline_the_bulletin_is_late_and_after_next_opening_closed(session, team):
    manon = person(session, "Manon Moreau")
    late = file_bulletin(
        session, CALENDAR, person=manon, team=team, answers=answers(), now=paris(2026, 3, 7, 10)
    )
    assert late.bulletin.late and late.bulletin.week == "2026-W10"
    with pytest.raises(FormClosed):
        file_bulletin(
            session,
            CALENDAR,
            person=manon,
            team=team,
            answers=answers(),
            now=paris(2026, 3, 9, 10),
            week=IsoWeek(2026, 10),
        )


def test_invalid_answers_store_nothing(session, team):
    manon = person(session, "Manon Moreau")
    with pytest.raises(InvalidBulletin) as error:
        file_bulletin(
            session,
            CALENDAR,
            person=manon,
            team=team,
            answers=answers(priority="p" * 301),
            now=paris(2026, 3, 4, 11),
        )
    assert set(error.value.problems) == {"priority"}
    assert session.scalar(select(func.count()).select_from(Bulletin)) == 0


def test_an_excused_week_is_lifted_when_the_team_files_after_all(session, team):
    manon = person(session, "Manon Moreau")
    now = paris(2026, 5, 13, 10)
    excuse = excuse_week(
        session, CALENDAR, person=manon, team=team, reason="Pont de l'Ascension", now=now
    )
    assert excuse.week == "2026-W20"
    file_bulletin(session, CALENDAR, person=manon, team=team, answers=answers(), now=now)
    assert excuse_for(session, team, IsoWeek(2026, 20)) is None
    with pytest.raises(InvalidBulletin):
        excuse_week(session, CALENDAR, person=manon, team=team, reason="Congés", now=now)

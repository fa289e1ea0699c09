"""Roster parsing and import, on SQLite and (with TEST_DATABASE_URL) on PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from bot.standin.databases import postgres_schema
from bulletins.db import make_engine, make_session_factory, upgrade
from bulletins.db.models import Cohort, Membership, Person, StaffMember, Team
from bulletins.errors import RosterError
from bulletins.roster.csv_file import (
    ImportReport,
    import_roster,
    parse_roster,
    read_roster_file,
    team_slug,
)
from tests.support.programme import data_file

SAMPLE = data_file("eig3-roster.csv")
PG_URL = os.environ.get("TEST_DATABASE_URL")
TODAY = date(2026, 1, 12)
HEADER = "cohort,team,role,name,slack_user_id,email,administration,description\n"
SMALL = HEADER + (
    "EIG 9,Plume,fellow,Ada Lovelace,UAAAAAAAAA1,ada@example.org,DILA,Écrire la loi\n"
    "EIG 9,Plume,fellow,Alan Turing,UAAAAAAAAA2,alan@example.org,,\n"
    "EIG 9,Plume,mentor,Grace Hopper,UAAAAAAAAA3,grace@example.org,,\n"
    "EIG 9,Karfu’R,fellow,Édith Piaf,UAAAAAAAAA4,,DiAir,\n"
    "EIG 9,Karfu’R,mentor,Hedy Lamarr,UAAAAAAAAA5,hedy@example.org,,\n"
    "EIG 9,,staff,Marie Curie,UAAAAAAAAA6,marie@example.org,,\n"
)


# --- Fixtures ------------------------------------------------------------------------------


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param(
            "postgresql",
            marks=[
                pytest.mark.postgres,
                pytest.mark.skipif(not PG_URL, reason="TEST_DATABASE_URL is not set"),
            ],
        ),
    ]
)
def roster_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated, empty database of each backend."""
    if request.param == "postgresql":
        with postgres_schema(PG_URL) as engine:
            upgrade(engine)
            yield engine
    else:
        engine = make_engine(f"sqlite:///{tmp_path}/t.db")
        upgrade(engine)
        yield engine
        engine.dispose()


@pytest.fixture
def sessions(roster_engine: Engine):
    return make_session_factory(roster_engine)


@pytest.fixture
def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


def _import(sessions, text_: str, today: date = TODAY, **dates) -> ImportReport:
    """Parse and import in one transaction, committed, as the CLI does."""
    with sessions.begin() as session:
        return import_roster(session, parse_roster(text_, "roster.csv"), today, **dates)


def _counts(session: Session) -> dict[str, int]:
    def count(model, *where) -> int:
        return session.scalar(select(func.count()).select_from(model).where(*where))

    return {
        "cohorts": count(Cohort),
        "teams": count(Team),
        "people": count(Person),
        "fellows": count(Membership, Membership.role == "fellow"),
        "mentors": count(Membership, Membership.role == "mentor"),
        "staff": count(StaffMember),
    }


def _places(session: Session, name: str) -> list[tuple[str, str, str, date | None]]:
    """(slack id, team slug, role, until) of everyone called ``name``."""
    query = (
        select(Person.slack_user_id, Team.slug, Membership.role, Membership.until)
        .join(Membership, Membership.person_id == Person.id)
        .join(Team, Team.id == Membership.team_id)
        .where(Person.name == name)
        .order_by(Person.slack_user_id, Team.slug)
    )
    return [tuple(row) for row in session.execute(query)]


# --- Slugs and parsing ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Karfu’R", "karfu-r"),
        ("EIG Link", "eig-link"),
        ("ACOSS-Plateforme", "acoss-plateforme"),
        ("  Élan & Cœur!  ", "elan-coeur"),
        ("IA Flash", "ia-flash"),
        ("Straße 42", "strasse-42"),
        ("日本", ""),
    ],
)
def test_team_slug(name: str, slug: str) -> None:
    assert team_slug(name) == slug


def test_parse_keeps_unicode_and_accepts_a_bom() -> None:
    rows = parse_roster("\ufeff" + SMALL.replace("\n", "\r\n"), "small.csv")
    assert [row.line for row in rows] == [2, 3, 4, 5, 6, 7]
    edith = rows[3]
    assert (edith.team, edith.team_slug, edith.name, edith.email) == (
        "Karfu’R",
        "karfu-r",
        "Édith Piaf",
        None,
    )
    assert rows[5].role == "staff" and rows[5].team == ""
    assert rows[0].description == "Écrire la loi"


def test_parse_strips_whitespace_skips_blank_lines_and_reads_quoted_commas() -> None:
    text_ = (
        "cohort,team,role,name,slack_user_id,email\n"
        "\n"
        ' EIG 9 , "Plume, la loi" , Fellow ,  Ada Lovelace ,UAAAAAAAAA1, \n'
        ",,,,,\n"
        "EIG 9,,staff,Bob,WBBBBBBBB,\n"
    )
    rows = parse_roster(text_, "x.csv")
    assert [(r.line, r.cohort, r.team, r.role, r.name) for r in rows] == [
        (3, "EIG 9", "Plume, la loi", "fellow", "Ada Lovelace"),
        (5, "EIG 9", "", "staff", "Bob"),
    ]


def test_parse_sample(sample_text: str) -> None:
    rows = parse_roster(sample_text, str(SAMPLE))
    assert len(rows) == 67
    assert {row.team_slug for row in rows if row.team} >= {"karfu-r", "eig-link", "plume"}


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("cohort,team,role,name,slack_user_id,email,colour", "unknown column(s) 'colour'"),
        ("cohort,team,role,name,email", "missing required column(s) 'slack_user_id'"),
        ("cohort,team,role,name,slack_user_id,email,email", "repeated column(s) 'email'"),
        ("cohort;team;role;name;slack_user_id;email", "separated by ';'"),
    ],
)
def test_header_problems(header: str, expected: str) -> None:
    with pytest.raises(RosterError) as caught:
        parse_roster(header + "\nEIG 9,Plume,fellow,Ada,UAAAAAAAAA1,\n", "x.csv")
    assert caught.value.problems[0].line == 1
    assert expected in caught.value.problems[0].reason


@pytest.mark.parametrize("text_", ["", "\ufeff", "\n\n", HEADER])
def test_empty_files_are_errors(text_: str) -> None:
    with pytest.raises(RosterError) as caught:
        parse_roster(text_, "x.csv")
    assert [problem.line for problem in caught.value.problems] == [1]


BAD = HEADER + (
    "EIG 9,Plume,fellow,Ada Lovelace,UAAAAAAAAA1,ada@example.org,DILA,\n"  # 2: fine
    "EIG 9,Plume,intern,Bob,UAAAAAAAAA2,,,\n"  # 3
    "EIG 9,,fellow,Carol,UAAAAAAAAA3,,,\n"  # 4
    "EIG 9,Plume,mentor,,u123,not-an-email,,\n"  # 5
    "EIG 9,Plume,staff,Dan,UAAAAAAAAA4,,,\n"  # 6
    "EIG 9,Karfu’R,fellow,Ada Byron,UAAAAAAAAA1,ada@example.org,,\n"  # 7
    "EIG 9,Plume,fellow,Ada Lovelace,UAAAAAAAAA1,ada@example.org,,\n"  # 8
    "EIG 9,Plume,mentor,Ada Lovelace,UAAAAAAAAA1,ada@other.org,,\n"  # 9
    "EIG 9,Plume,mentor,Eve,UAAAAAAAAA5,,DINUM,\n"  # 10
    "EIG 9,PLUME,mentor,Fay,UAAAAAAAAA6,,,\n"  # 11
    "EIG 9,Plume,fellow,Gus,UAAAAAAAAA7,too,many,values,here\n"  # 12
    ",Plume,fellow,Hal,,,,\n"  # 13
)
BAD_REASONS = [
    (3, "unknown role 'intern'; expected one of fellow, mentor, staff"),
    (4, "missing team"),
    (5, "missing name"),
    (5, "malformed Slack user id 'u123'"),
    (5, "malformed email 'not-an-email'"),
    (6, "a staff row takes no team, got 'Plume'"),
    (7, "is named 'Ada Byron' here but 'Ada Lovelace' on line 2"),
    (8, "duplicated row, same as line 2"),
    (9, "has email 'ada@other.org' here but 'ada@example.org' on line 2"),
    (10, "different administration here than on line 2: 'DINUM' vs 'DILA'"),
    (11, "team 'PLUME' and team 'Plume' on line 2 would be the same team"),
    (12, "has 9 values but the header has 8 columns"),
    (13, "missing cohort"),
    (13, "missing Slack user id"),
]


def test_every_bad_row_is_reported_with_its_line() -> None:
    with pytest.raises(RosterError) as caught:
        parse_roster(BAD, "bad.csv")
    problems = caught.value.problems
    assert len(problems) == len(BAD_REASONS), "\n".join(map(str, problems))
    for problem, (line, reason) in zip(problems, BAD_REASONS, strict=True):
        assert problem.line == line and reason in problem.reason, str(problem)
    message = str(caught.value)
    assert "bad.csv: 14 bad row(s), nothing imported" in message
    assert "bad.csv, line 8: duplicated row, same as line 2" in message


def test_same_name_different_people_is_fine() -> None:
    rows = parse_roster(
        HEADER
        + "EIG 9,Plume,fellow,Léa François,UAAAAAAAAA1,lea@example.org,,\n"
        + "EIG 9,Plume,mentor,Léa François,UAAAAAAAAA2,lea2@example.org,,\n",
        "x.csv",
    )
    assert len(rows) == 2


def test_one_person_in_two_places_is_fine() -> None:
    rows = parse_roster(
        HEADER
        + "EIG 9,Plume,fellow,Ada,UAAAAAAAAA1,ada@example.org,,\n"
        + "EIG 9,Plume,mentor,Ada,UAAAAAAAAA1,,,\n"
        + "EIG 9,,staff,Ada,UAAAAAAAAA1,ADA@example.org,,\n",
        "x.csv",
    )
    assert len(rows) == 3


def test_read_roster_file_errors(tmp_path: Path) -> None:
    with pytest.raises(RosterError) as caught:
        read_roster_file(tmp_path / "nope.csv")
    assert "no such file" in str(caught.value)

    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes((HEADER + "EIG 9,Plume,fellow,Élodie,UAAAAAAAAA1,,,\n").encode("latin-1"))
    with pytest.raises(RosterError) as caught:
        read_roster_file(latin1)
    assert caught.value.problems[0].line == 2
    assert "not UTF-8" in caught.value.problems[0].reason

    utf16 = tmp_path / "utf16.csv"
    utf16.write_text(SMALL, encoding="utf-16")
    with pytest.raises(RosterError, match="UTF-16"):
        read_roster_file(utf16)

    with pytest.raises(RosterError, match="directory"):
        read_roster_file(tmp_path)


def test_read_roster_file_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_text(SMALL, encoding="utf-8-sig")
    assert len(read_roster_file(path)) == 6


# --- Import --------------------------------------------------------------------------------


def test_import_sample(sessions, sample_text: str) -> None:
    report = _import(sessions, sample_text, cohort_start=date(2026, 1, 5))
    assert report.changed
    assert (report.cohorts.created, report.teams.created, report.staff.created) == (1, 15, 3)
    assert report.memberships.created == 64
    with sessions() as session:
        assert _counts(session) == {
            "cohorts": 1,
            "teams": 15,
            "people": 67,
            "fellows": 32,
            "mentors": 32,
            "staff": 3,
        }
        cohort = session.scalars(select(Cohort)).one()
        assert (cohort.name, cohort.starts_on, cohort.ends_on) == ("EIG 3", date(2026, 1, 5), None)
        assert session.scalars(select(Team).where(Team.slug == "karfu-r")).one().name == "Karfu’R"
        lea = _places(session, "Léa François")
        assert [(slug, role) for _, slug, role, _ in lea] == [
            ("plume", "fellow"),
            ("plume", "mentor"),
        ]
        assert lea[0][0] != lea[1][0]
        louis = session.scalars(select(Person).where(Person.name == "Louis André")).all()
        assert len(louis) == 2
        staff_ids = set(session.scalars(select(StaffMember.person_id)))
        assert len([p for p in louis if p.id in staff_ids]) == 1
        assert _places(session, "Louis André") == [("UNGC87TRWP7", "karfu-r", "fellow", None)]


def test_reimport_changes_nothing(sessions, sample_text: str) -> None:
    _import(sessions, sample_text)
    with sessions() as session:
        before = _counts(session)
    report = _import(sessions, sample_text, today=TODAY + timedelta(days=3))
    assert not report.changed, report.summary()
    assert report.summary().startswith("Roster already up to date")
    assert (report.people.unchanged, report.memberships.unchanged) == (67, 64)
    with sessions() as session:
        assert _counts(session) == before
        sinces = set(session.scalars(select(Membership.since)))
        assert sinces == {TODAY}


def test_bad_file_imports_nothing(sessions) -> None:
    with pytest.raises(RosterError):
        _import(sessions, BAD)
    with sessions() as session:
        assert set(_counts(session).values()) == {0}


def test_import_revalidates_rows(sessions) -> None:
    rows = parse_roster(SMALL, "small.csv")
    with pytest.raises(RosterError, match="duplicated row"), sessions.begin() as session:
        import_roster(session, [*rows, rows[0]], TODAY)
    with sessions() as session:
        assert set(_counts(session).values()) == {0}


def test_changed_file_updates_in_place(sessions) -> None:
    _import(sessions, SMALL)
    changed = (
        SMALL.replace("Ada Lovelace", "Ada King")  # renamed
        .replace("ada@example.org", "ada.king@example.org")
        .replace("EIG 9,Plume,fellow,Alan Turing", "EIG 9,Karfu’R,fellow,Alan Turing")  # moved
        .replace("EIG 9,Plume,mentor,Grace Hopper,UAAAAAAAAA3,grace@example.org,,\n", "")
    )
    later = TODAY + timedelta(days=7)
    report = _import(sessions, changed, today=later)
    assert (report.people.updated, report.people.unchanged) == (1, 4)
    assert (report.memberships.created, report.memberships.ended) == (1, 2)
    assert report.memberships.unchanged == 3
    with sessions() as session:
        assert _counts(session)["people"] == 6
        ada = session.scalars(select(Person).where(Person.slack_user_id == "UAAAAAAAAA1")).one()
        assert (ada.name, ada.email) == ("Ada King", None)  # checked, never stored
        assert _places(session, "Alan Turing") == [
            ("UAAAAAAAAA2", "karfu-r", "fellow", None),
            ("UAAAAAAAAA2", "plume", "fellow", later),
        ]
        assert _places(session, "Grace Hopper") == [("UAAAAAAAAA3", "plume", "mentor", later)]


def test_people_who_come_back_are_reopened(sessions) -> None:
    _import(sessions, SMALL)
    without = SMALL.replace("EIG 9,,staff,Marie Curie,UAAAAAAAAA6,marie@example.org,,\n", "")
    without = without.replace(
        "EIG 9,Plume,mentor,Grace Hopper,UAAAAAAAAA3,grace@example.org,,\n", ""
    )
    assert _import(sessions, without, today=TODAY + timedelta(days=1)).staff.ended == 1
    report = _import(sessions, SMALL, today=TODAY + timedelta(days=2))
    assert (report.memberships.updated, report.staff.updated) == (1, 1)
    with sessions() as session:
        assert _places(session, "Grace Hopper") == [("UAAAAAAAAA3", "plume", "mentor", None)]
        assert session.scalars(select(StaffMember.until)).one() is None
        assert _counts(session)["staff"] == 1


def test_removed_team_ends_and_blank_cells_keep_values(sessions) -> None:
    _import(sessions, SMALL)
    plume_only = "".join(line + "\n" for line in SMALL.splitlines() if "Karfu" not in line)
    plume_only = plume_only.replace(",DILA,Écrire la loi", ",,")
    report = _import(sessions, plume_only, today=TODAY + timedelta(days=1))
    assert (report.teams.ended, report.teams.unchanged, report.memberships.ended) == (1, 1, 2)
    with sessions() as session:
        teams = {team.slug: team for team in session.scalars(select(Team))}
        assert teams["karfu-r"].ends_on == TODAY + timedelta(days=1)
        assert (teams["plume"].administration, teams["plume"].description) == (
            "DILA",
            "Écrire la loi",
        )
        assert teams["plume"].ends_on is None


def test_cohort_dates(sessions) -> None:
    assert _import(sessions, SMALL).cohorts.created == 1
    report = _import(sessions, SMALL, cohort_start=date(2026, 1, 5), cohort_end=date(2026, 10, 30))
    assert report.cohorts.updated == 1
    with sessions() as session:
        cohort = session.scalars(select(Cohort)).one()
        assert (cohort.starts_on, cohort.ends_on) == (date(2026, 1, 5), date(2026, 10, 30))


def test_the_report_says_when_a_cohort_has_no_end(sessions) -> None:
    first = _import(sessions, SMALL)
    assert first.summary().splitlines()[1:] == [
        "No end date for EIG 9: give it with --end YYYY-MM-DD, or the evaluation counts the "
        "cohort's weeks up to the day it is taken.",
        "Emails are not stored: nothing in Bulletins uses them.",
    ]
    dated = _import(sessions, SMALL, cohort_end=date(2026, 10, 30))
    assert "No end date" not in dated.summary()
    assert "No end date" not in _import(sessions, SMALL).summary()  # the end is kept


def test_a_roster_without_emails_imports_and_says_nothing_of_them(sessions) -> None:
    header, *rows = SMALL.splitlines()
    columns = header.split(",")
    at = columns.index("email")
    without = "\n".join(",".join(v for i, v in enumerate(line.split(",")) if i != at)
                         for line in (header, *rows))  # fmt: skip
    report = _import(sessions, without + "\n", cohort_end=date(2026, 10, 30))
    assert report.people.created == 6 and report.summary().count("\n") == 0


def test_summary_reads_well() -> None:
    report = ImportReport()
    report.people.created = 2
    report.memberships.unchanged = 3
    assert report.summary() == (
        "Roster imported: cohorts none; teams none; people 2 created; "
        "memberships 3 unchanged; staff none."
    )

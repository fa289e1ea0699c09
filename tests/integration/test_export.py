"""The CSV export of bulletins: one row per bulletin or excused week, as Excel-FR reads it."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.demo.sample import sample_roster
from bulletins.calendar import IsoWeek, ProgrammeCalendar
from bulletins.config import Schedule
from bulletins.cycle.bulletin import Answers, excuse_week, file_bulletin
from bulletins.cycle.export import (
    HEADER,
    export_rows,
    safe_csv,
    spreadsheet_safe,
    to_csv,
    write_csv,
)
from bulletins.db.models import Cohort, Person, Team
from bulletins.errors import BulletinsError
from bulletins.people import find_cohort
from bulletins.roster.csv_file import import_roster

PARIS = ZoneInfo("Europe/Paris")
CALENDAR = ProgrammeCalendar(PARIS, "FR", Schedule())
W10, W11 = IsoWeek(2026, 10), IsoWeek(2026, 11)


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)


@pytest.fixture
def programme(session):
    """The sample cohort, plus a second cohort holding a team of the same name."""
    other = [row for row in sample_roster("EIG autre") if row.team == "ACOSS-Plateforme"]
    import_roster(session, sample_roster() + other, today=date(2026, 1, 5))
    return session


def team(session, name: str, cohort: str = "EIG démo") -> Team:
    query = select(Team).join(Team.cohort).where(Team.name == name, Cohort.name == cohort)
    return session.scalars(query).one()


def fellow(session, team_: Team) -> Person:
    return next(m.person for m in team_.memberships if m.role == "fellow")


def file(session, name: str, now: datetime, cohort: str = "EIG démo", **answers):
    t = team(session, name, cohort)
    values = dict(mood=3, priority=f"Priorité de {name}", ups_and_downs="Hauts et bas")
    file_bulletin(
        session, CALENDAR, person=fellow(session, t), team=t,
        answers=Answers(**(values | answers)), now=now,
    )  # fmt: skip


def test_rows_are_bulletins_and_excused_weeks_by_week_then_team(programme):
    session = programme
    file(session, "Plume", paris(2026, 3, 12, 10, 0), mood=4)  # W11
    file(session, "LexImpact", paris(2026, 3, 6, 16, 30))  # W10, late
    file(session, "CartoBio", paris(2026, 3, 3, 9, 30), mood=1, help_request="Un accès SNDS ?")
    t = team(session, "DataJust")
    excuse_week(
        session, CALENDAR, person=fellow(session, t), team=t,
        reason="Toute l'équipe en formation", now=paris(2026, 3, 5, 11, 0),
    )  # fmt: skip
    rows = export_rows(session, CALENDAR)
    assert [(r.week, r.team, r.status) for r in rows] == [
        ("2026-W10", "CartoBio", "filed"),
        ("2026-W10", "DataJust", "excused"),
        ("2026-W10", "LexImpact", "late"),
        ("2026-W11", "Plume", "filed"),
    ]
    carto, datajust, lex, _plume = rows
    assert (carto.week_start, carto.week_end) == ("2026-03-02", "2026-03-08")
    assert (carto.mood, carto.mood_label, carto.late) == (1, "Difficile", 0)
    assert carto.help_request == "Un accès SNDS ?"
    assert carto.created_at == "2026-03-03T09:30:00+01:00" == carto.updated_at
    assert carto.author == fellow(session, team(session, "CartoBio")).name
    assert (lex.late, lex.mood_label) == (1, "Bonne")
    assert (datajust.mood, datajust.priority, datajust.late) == ("", "", 0)
    assert datajust.excuse_reason == "Toute l'équipe en formation"
    assert datajust.created_at == "2026-03-05T11:00:00+01:00"


def test_key_dates_and_english_labels(programme):
    session = programme
    file(
        session, "Plume", paris(2026, 3, 3, 9, 0),
        mood=2, key_date=date(2026, 3, 20), key_date_label="Démo au comité",
    )  # fmt: skip
    [row] = export_rows(session, CALENDAR, locale="en")
    assert (row.key_date, row.key_date_label, row.mood_label) == (
        "2026-03-20",
        "Démo au comité",
        "Mixed",
    )


def test_a_cohort_filter_keeps_only_its_teams(programme):
    session = programme
    file(session, "ACOSS-Plateforme", paris(2026, 3, 3, 9, 0))
    file(session, "ACOSS-Plateforme", paris(2026, 3, 3, 9, 5), cohort="EIG autre")
    rows = export_rows(session, CALENDAR, find_cohort(session, "EIG autre"))
    assert [(r.cohort, r.team) for r in rows] == [("EIG autre", "ACOSS-Plateforme")]
    assert len(export_rows(session, CALENDAR)) == 2


def test_an_unknown_cohort_names_the_known_ones(programme):
    with pytest.raises(BulletinsError, match="unknown cohort 'EIG 9'.*EIG autre, EIG démo"):
        find_cohort(programme, "EIG 9")


def test_the_file_has_a_bom_semicolons_and_quotes_what_needs_it(programme, tmp_path):
    session = programme
    tricky = 'Budget ; "v2" & <tests>\nsur deux lignes'
    file(session, "Karfu'R", paris(2026, 3, 3, 9, 0), ups_and_downs=tricky)
    path = tmp_path / "bulletins.csv"
    assert write_csv(export_rows(session, CALENDAR), path) == 1
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfweek;week_start;")
    records = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert records[0] == list(HEADER)
    row = dict(zip(HEADER, records[1], strict=True))
    assert (row["team"], row["ups_and_downs"], row["mood"]) == ("Karfu'R", tricky, "3")


def test_comma_separated_on_request_and_an_empty_export_has_its_header(programme):
    assert to_csv([], delimiter=",") == ",".join(HEADER) + "\r\n"


def test_text_that_a_spreadsheet_would_run_as_a_formula_stays_text():

    assert spreadsheet_safe('=HYPERLINK("http://evil.example","clic")').startswith("'=")
    assert spreadsheet_safe("@SUM(A1)") == "'@SUM(A1)"
    assert spreadsheet_safe("Ouvrir le simulateur") == "Ouvrir le simulateur"
    assert spreadsheet_safe(3) == 3


def test_the_one_csv_writer_of_spreadsheet_files_neutralises_every_cell():

    typed = ["=1+1", "+33", "-2", "@A1", "\tx", "\rx", "texte", -4, 2.5]
    rows = list(csv.reader(io.StringIO(safe_csv(["=h", "b"], [typed]))))
    assert rows == [
        ["'=h", "b"],
        ["'=1+1", "'+33", "'-2", "'@A1", "'\tx", "'\rx", "texte", "-4", "2.5"],
    ]

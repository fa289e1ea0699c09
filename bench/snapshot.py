"""Building an evaluation snapshot for a big programme: 50 teams, two years of weekly
bulletins, 1,000 questionnaire responses, on SQLite and, with ``--database-url``, PostgreSQL.
Prints a table of the rows loaded, the SQL statements the build ran and its time.

    .venv/bin/python -m bench.snapshot [--teams 50] [--weeks 104] [--responses 1000]
                                       [--database-url postgresql+psycopg://...]

:func:`populate` (bulk inserts) and :func:`fake_answers` also serve the tests.
"""

from __future__ import annotations

import argparse
import random
import time
import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine, insert, select
from sqlalchemy.orm import Session

from bench.common import database_label, fresh_database, machine, table
from bot.standin.databases import counting
from bulletins.calendar import IsoWeek, ProgrammeCalendar
from bulletins.config import Settings
from bulletins.db import make_session_factory
from bulletins.db.models import (
    Bulletin,
    Campaign,
    Cohort,
    Membership,
    Participation,
    Person,
    SurveyResponse,
    Team,
    TeamFacts,
    WeekExcuse,
)
from evaluation.snapshot.compose import build_snapshot
from evaluation.snapshot.pdf import render_pdf
from evaluation.snapshot.render import render_html
from evaluation.surveys.definitions import Question, Survey, visible, yes_no_values
from evaluation.surveys.loading import SHIPPED_SURVEYS, load_surveys, survey_to_json

START = date(2025, 1, 6)  # a Monday
STATUSES = ("in_production", "planned", "abandoned", "unknown")


def fake_answer(question: Question, rng: random.Random) -> object:
    """A valid answer to ``question``, drawn from ``rng``."""
    kind = question.type
    if kind == "scale":
        return rng.randint(question.scale_min, question.scale_max)
    if kind == "grid":
        points = range(question.scale_min, question.scale_max + 1)
        return {item.id: rng.choice(points) for item in question.items}
    plain = [c.id for c in question.choices if not c.other]
    if kind == "single":
        return rng.choice(plain)
    if kind == "multiple":
        return rng.sample(plain, rng.randint(1, min(question.max_choices or 3, len(plain))))
    if kind == "yes_no":
        return rng.choice(yes_no_values(question))
    if kind == "number":
        return rng.randint(int(question.min_value or 0), int(question.max_value or 10))
    if kind == "rank":
        items = [item.id for item in question.items if not item.other]
        return rng.sample(items, min(question.pick or len(question.items), len(items)))
    return f"Réponse {rng.randint(1, 999)}"


def fake_answers(survey: Survey, rng: random.Random) -> dict:
    """A complete set of valid answers to ``survey`` (optional texts, and questions the
    answers before do not show, left out)."""
    answers: dict = {}
    for question in survey.questions:
        optional = question.type.endswith("_text") and not question.required
        if not visible(question, answers) or optional:
            continue
        answers[question.id] = fake_answer(question, rng)
    return answers


def _people(session: Session, count: int, prefix: str) -> list[int]:
    rows = [{"slack_user_id": f"U{prefix}{n:06d}", "name": f"{prefix} {n}"} for n in range(count)]
    session.execute(insert(Person), rows)
    query = select(Person.id).where(Person.slack_user_id.like(f"U{prefix}%"))
    return list(session.scalars(query.order_by(Person.id)))


def _roster(session: Session, cohort: Cohort, teams: int) -> tuple[list[int], dict[str, list]]:
    """``teams`` teams of two fellows and two mentors; (team ids, person ids by role)."""
    rows = [
        {"cohort_id": cohort.id, "name": f"Défi {n:03d}", "slug": f"defi-{n:03d}",
         "administration": f"Administration {n % 7}"}
        for n in range(teams)
    ]  # fmt: skip
    session.execute(insert(Team), rows)
    query = select(Team.id).where(Team.cohort_id == cohort.id).order_by(Team.id)
    team_ids = list(session.scalars(query))
    people = {
        role: _people(session, 2 * teams, f"{cohort.id}{role[0].upper()}")
        for role in ("fellow", "mentor")
    }
    session.execute(
        insert(Membership),
        [
            {"person_id": person, "team_id": team_ids[i // 2], "role": role, "since": START}
            for role, ids in people.items()
            for i, person in enumerate(ids)
        ],
    )
    return team_ids, people


def _bulletin(team: int, week: IsoWeek, author: int, mood: int, late: bool, deadline) -> dict:
    at = deadline + timedelta(hours=2 if late else -3)
    return {
        "team_id": team, "week": str(week), "author_id": author, "mood": mood,
        "priority": "Avancer", "ups_and_downs": "Des hauts et des bas", "late": late,
        "created_at": at, "updated_at": at, "updated_by_id": author,
    }  # fmt: skip


def _bulletins(
    session: Session, calendar: ProgrammeCalendar, teams: list[int], people: dict, weeks: int
) -> int:
    rng, rows, excuses = random.Random(7), [], []
    week = IsoWeek.of(START)
    for _ in range(weeks):
        deadline = calendar.deadline(week)
        for i, team in enumerate(teams):
            draw, author = rng.random(), people["fellow"][2 * i]
            if draw < 0.1:
                excuses.append({"team_id": team, "week": str(week), "reason": "Congés",
                                "by_id": author, "at": deadline - timedelta(days=1)})  # fmt: skip
            elif draw < 0.85:
                rows.append(_bulletin(team, week, author, rng.randint(1, 4), draw > 0.75, deadline))
        week = week.next()
    session.execute(insert(Bulletin), rows)
    session.execute(insert(WeekExcuse), excuses)
    return len(rows) + len(excuses)


def _facts(session: Session, teams: list[int]) -> int:
    rows = []
    for i, team in enumerate(teams):
        for version in range(2):
            rows.append({
                "team_id": team, "recorded_at": datetime(2025, 6 + 6 * version, 1, tzinfo=UTC),
                "source": "import", "tool_status": STATUSES[(i + version) % 4],
                "tool_planned_on": date(2027, 1 + i % 12, 1) if (i + version) % 4 == 1 else None,
                "people_hired": i % 3, "repositories": [f"https://git.example.org/{i}"] * (i % 2),
                "libraries": [], "datasets": [f"https://data.example.org/{i}"] * (i % 5 == 0),
                "trainings_count": i % 4, "training_topics": ["Python", "Données"][: i % 3],
                "contributions": [],
            })  # fmt: skip
    session.execute(insert(TeamFacts), rows)
    return len(rows)


def _campaigns(session: Session, cohort: Cohort, people: dict, responses: int) -> int:
    """The two end-of-cohort campaigns, everyone asked, ``responses`` answers in all."""
    surveys = load_surveys([SHIPPED_SURVEYS])
    rng, added = random.Random(11 * cohort.id), 0
    opens = datetime(2026, 12, 1, 9, tzinfo=UTC)
    for role, survey_id in (("fellow", "end-fellows"), ("mentor", "end-mentors")):
        survey = surveys[survey_id]
        campaign = Campaign(key=f"{survey_id}:{cohort.name}", survey_id=survey_id,
                            cohort_id=cohort.id, anonymous=True,
                            definition=survey_to_json(survey), opens_at=opens,
                            closes_at=opens + timedelta(days=21), launched_at=opens)  # fmt: skip
        session.add(campaign)
        session.flush()
        share = responses // 2
        session.execute(insert(Participation), [
            {"campaign_id": campaign.id, "person_id": person, "role": role,
             "finished": n < share}
            for n, person in enumerate(people[role])
        ])  # fmt: skip
        session.execute(insert(SurveyResponse), [
            {"id": uuid.UUID(int=rng.getrandbits(128)).hex, "campaign_id": campaign.id,
             "role": role, "answers": fake_answers(survey, rng)}
            for _ in range(share)
        ])  # fmt: skip
        added += len(people[role]) + share
    return added


def populate(
    engine: Engine, settings: Settings, teams: int, weeks: int, responses: int, name: str = "P"
) -> int:
    """A cohort of ``teams`` teams, ``weeks`` weeks of bulletins, the two end-of-cohort
    campaigns with ``responses`` responses and two facts sheets per team, in bulk inserts;
    returns how many rows were loaded."""
    calendar = ProgrammeCalendar.from_settings(settings)
    with make_session_factory(engine).begin() as session:
        cohort = Cohort(
            name=name, starts_on=START, ends_on=START + timedelta(weeks=weeks) - timedelta(days=1)
        )
        session.add(cohort)
        session.flush()
        team_ids, people = _roster(session, cohort, teams)
        loaded = teams * 9
        loaded += _bulletins(session, calendar, team_ids, people, weeks)
        loaded += _facts(session, team_ids)
        loaded += _campaigns(session, cohort, people, responses)
    return loaded


def measure(engine: Engine, settings: Settings, teams: int, weeks: int, responses: int) -> list:

    rows = populate(engine, settings, teams, weeks, responses)
    calendar = ProgrammeCalendar.from_settings(settings)
    as_of = START + timedelta(weeks=weeks) - timedelta(days=1)
    with make_session_factory(engine)() as session:
        cohort = session.scalars(select(Cohort)).one()
        started = time.perf_counter()
        with counting(engine) as statements:
            snapshot = build_snapshot(session, calendar, settings, cohort, as_of, "fr")
        built = time.perf_counter() - started
        render_html(snapshot)
        rendered = time.perf_counter() - started - built
        render_pdf(snapshot)
        printed = time.perf_counter() - started - built - rendered
    label = database_label(engine)
    timings = [f"{built:.2f}", f"{rendered:.2f}", f"{printed:.2f}"]
    return [label, teams, weeks, rows, len(statements), *timings]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=50)
    parser.add_argument("--weeks", type=int, default=104)
    parser.add_argument("--responses", type=int, default=1000)
    parser.add_argument("--database-url", help="also measure on this PostgreSQL database")
    args = parser.parse_args()
    settings = Settings()
    results = []
    for url in [None, args.database_url] if args.database_url else [None]:
        with fresh_database(url) as engine:
            results.append(measure(engine, settings, args.teams, args.weeks, args.responses))
    print(machine())
    headers = ["database", "teams", "weeks", "rows", "queries", "build s", "HTML s", "PDF s"]
    print(table(headers, results))


if __name__ == "__main__":
    main()

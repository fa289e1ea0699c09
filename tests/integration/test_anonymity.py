"""Proof, read from the database itself, that nothing joins a person to an anonymous answer.

The real EIG 3 roster answers a survey one person per transaction, as in Slack; after each
finish the tables are read the way an administrator with SQL access could: columns, keys,
drafts, ids, and the physical order of the rows (SQLite's rowid, PostgreSQL's ctid and
xmin). The same reading of a named campaign finds every link, so the checks can fail.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace

from sqlalchemy import Date, DateTime, Engine, inspect, select, text
from sqlalchemy.orm import Session

from bulletins.db import make_session_factory
from bulletins.db.models import Campaign, Cohort, Draft, Participation, SurveyResponse
from evaluation import campaigns as core
from evaluation.campaigns.sealing import read_draft
from evaluation.surveys.definitions import Survey
from tests.support.anonymous_surveys import LAUNCH, SURVEY, answer, marker
from tests.support.cycle_world import CALENDAR, SETTINGS
from tests.support.programme import load_eig3

FINISHERS = 10


@dataclass
class Trial:
    """One campaign answered by ``FINISHERS`` people, and what the database showed."""

    campaign_id: int
    finished: list[int]  # person ids, in finishing order
    newest_last: list[bool]  # after each finish: was the newest response physically last?
    newest_last_by_id: list[bool]  # ... or last when sorted by id?
    ids_renewed: list[bool]  # after each finish: did every response get a fresh id?
    xmins: list[int]  # PostgreSQL: distinct xmin of the campaign's responses after each finish
    physical: list[str]  # the final physical order of the markers


def physical_order(session: Session, campaign_id: int) -> list[str]:
    """The campaign's answers in storage order: rowid on SQLite, ctid on PostgreSQL."""
    position = "rowid" if session.bind.dialect.name == "sqlite" else "ctid"
    query = (
        select(SurveyResponse.answers)
        .where(SurveyResponse.campaign_id == campaign_id)
        .order_by(text(position))
    )
    return [answers["words"] for answers in session.scalars(query)]


def unordered(session: Session, campaign_id: int) -> list[str]:
    """``SELECT`` without ``ORDER BY``: whatever order the database hands the rows in."""
    rows = session.execute(
        text("SELECT answers FROM responses WHERE campaign_id = :c"), {"c": campaign_id}
    )
    return [(json.loads(a) if isinstance(a, str) else a)["words"] for (a,) in rows]


def distinct_xmins(session: Session, campaign_id: int) -> int:
    if session.bind.dialect.name != "postgresql":
        return 1
    query = text("SELECT count(DISTINCT xmin::text) FROM responses WHERE campaign_id = :c")
    return session.scalar(query, {"c": campaign_id})


def links(session: Session, campaign_id: int) -> dict[int, str]:
    """Every person → answer that a query can join: a response's person, or the draft of
    someone who has finished (their answers, still under their name; opened with the key, as
    someone holding the secret as well as the database could)."""
    found = {
        person_id: answers.get("words")
        for person_id, answers in session.execute(
            select(SurveyResponse.person_id, SurveyResponse.answers).where(
                SurveyResponse.campaign_id == campaign_id, SurveyResponse.person_id.is_not(None)
            )
        )
    }
    drafts_of_finished = session.scalars(
        select(Draft)
        .join(Participation, Participation.person_id == Draft.person_id)
        .where(
            Draft.campaign_id == campaign_id,
            Participation.campaign_id == campaign_id,
            Participation.finished.is_(True),
        )
    )
    campaign = session.get(Campaign, campaign_id)
    for draft in drafts_of_finished:
        answers, _page = read_draft(session, campaign, draft) or ({}, 0)
        found[draft.person_id] = answers.get("words")
    return found


def run_trial(engine: Engine, survey: Survey) -> Trial:
    load_eig3(engine)
    sessions = make_session_factory(engine)
    with sessions.begin() as session:
        cohort = session.scalars(select(Cohort)).one()
        campaign = core.launch(
            session, survey, cohort=cohort, now=LAUNCH, calendar=CALENDAR, settings=SETTINGS
        )
        campaign_id = campaign.id
        people = session.scalars(
            select(Participation.person_id).where(Participation.campaign_id == campaign_id)
        ).all()
    assert len(people) == 64  # 32 fellows and 32 mentors
    trial = Trial(campaign_id, [], [], [], [], [], [])
    answer(sessions, campaign_id, people[-1], finish=False)  # one still in progress
    previous_ids: set[str] = set()
    for person_id in people[:FINISHERS]:
        answer(sessions, campaign_id, person_id)
        trial.finished.append(person_id)
        with sessions() as session:
            record(session, trial, marker(person_id), previous_ids)
            previous_ids = set(session.scalars(select(SurveyResponse.id)))
    with sessions() as session:
        trial.physical = physical_order(session, campaign_id)
    return trial


def record(session: Session, trial: Trial, newest: str, previous_ids: set[str]) -> None:
    order = physical_order(session, trial.campaign_id)
    assert sorted(unordered(session, trial.campaign_id)) == sorted(order)
    by_id = session.execute(
        select(SurveyResponse.id, SurveyResponse.answers).order_by(SurveyResponse.id)
    ).all()
    if len(order) > 1:
        trial.newest_last.append(order[-1] == newest)
        trial.newest_last_by_id.append(by_id[-1].answers["words"] == newest)
        trial.ids_renewed.append(not previous_ids & {row.id for row in by_id})
    assert all(re.fullmatch(r"[0-9a-f]{32}", row.id) for row in by_id)
    trial.xmins.append(distinct_xmins(session, trial.campaign_id))


def test_the_schema_has_no_column_that_could_join_an_answer_to_a_person(engine):
    schema = inspect(engine)
    for table in ("responses", "participations"):
        types = [column["type"] for column in schema.get_columns(table)]
        assert not any(isinstance(kind, DateTime | Date) for kind in types), table
    referred = {key["referred_table"] for key in schema.get_foreign_keys("responses")}
    assert referred == {"campaigns", "people"}  # people: for named campaigns only
    assert "responses" not in {
        key["referred_table"]
        for t in schema.get_table_names()
        for key in schema.get_foreign_keys(t)
    }
    assert [c["name"] for c in schema.get_columns("responses")] == [
        "id", "campaign_id", "role", "answers", "person_id", "released",
    ]  # fmt: skip


def test_nothing_joins_a_person_to_an_anonymous_answer(engine):
    trial = run_trial(engine, SURVEY)
    with make_session_factory(engine)() as session:
        assert links(session, trial.campaign_id) == {}
        assert (
            session.scalar(select(SurveyResponse.id).where(SurveyResponse.person_id.is_not(None)))
            is None
        )
        finished = set(session.scalars(select(Participation.person_id).where(
            Participation.finished.is_(True))))  # fmt: skip
        drafts = set(session.scalars(select(Draft.person_id)))
    assert finished == set(trial.finished)
    assert drafts and not drafts & finished  # only the one still answering has a draft
    # Each finish rewrote every response: fresh ids, one transaction, a random order.
    assert all(trial.ids_renewed)
    assert trial.xmins == [1] * FINISHERS
    # By chance, the newest would be last after each of 9 finishes once in 10! trials.
    assert not all(trial.newest_last)
    assert not all(trial.newest_last_by_id)
    in_finishing_order = [marker(p) for p in trial.finished]
    assert trial.physical not in (in_finishing_order, in_finishing_order[::-1])


def test_the_same_reading_finds_every_link_of_a_named_campaign(engine):
    trial = run_trial(engine, replace(SURVEY, id="named-review", anonymous=False))
    with make_session_factory(engine)() as session:
        assert links(session, trial.campaign_id) == {p: marker(p) for p in trial.finished}
    assert all(trial.newest_last)  # rows stay in the order they were given
    assert trial.physical == [marker(p) for p in trial.finished]
    if engine.dialect.name == "postgresql":
        assert trial.xmins == list(range(1, FINISHERS + 1))  # one transaction each

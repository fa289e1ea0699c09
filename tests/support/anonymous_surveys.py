"""An anonymous survey of the EIG 3 mentors, launched and answered straight through the core."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import sessionmaker

from bulletins.db import make_session_factory
from bulletins.db.models import Campaign, Cohort, Participation, Person
from evaluation import campaigns as core
from evaluation.surveys.definitions import Audience, Page, Question, Survey, Text
from tests.support.cycle_world import CALENDAR, SETTINGS
from tests.support.programme import load_eig3, paris

LAUNCH = paris(2026, 3, 2, 10, 0)


SURVEY = Survey(
    id="end-of-cohort",
    title=Text("Bilan", "Review"),
    intro=Text("Bilan de la promotion", "The cohort's review"),
    audience=Audience(roles=("fellow", "mentor")),
    anonymous=True,
    pages=(
        Page((Question("score", "scale", Text("Note", "Score")),)),
        Page((Question("words", "short_text", Text("En un mot", "In a word")),)),
    ),
)


def marker(person_id: int) -> str:
    return f"answer of {person_id}"


def answer(sessions: sessionmaker, campaign_id: int, person_id: int, finish: bool = True) -> None:
    """One person answering in Slack: each page, then sending, in transactions of their own."""
    now = LAUNCH + timedelta(hours=1)
    for page, answers in enumerate(({"score": 4}, {"words": marker(person_id)})):
        with sessions.begin() as session:
            campaign, person = session.get(Campaign, campaign_id), session.get(Person, person_id)
            core.save_page(session, campaign, person, page, answers, now)
    if finish:
        with sessions.begin() as session:
            campaign, person = session.get(Campaign, campaign_id), session.get(Person, person_id)
            core.finish(session, campaign, person, now)


def launched(engine: Engine, survey=SURVEY) -> tuple[int, list[int]]:
    load_eig3(engine)
    with make_session_factory(engine).begin() as session:
        cohort = session.scalars(select(Cohort)).one()
        settings = replace(SETTINGS, anonymity_k=K)
        campaign = core.launch(
            session, survey, cohort=cohort, now=LAUNCH, calendar=CALENDAR, settings=settings
        )
        people = session.scalars(
            select(Participation.person_id).where(Participation.campaign_id == campaign.id)
        ).all()
        return campaign.id, list(people)


K = 3

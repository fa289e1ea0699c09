"""A survey with every question type, and campaigns of it with known answers inserted
directly, for the results tests."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from bulletins.db.models import Campaign, Participation, Person, SurveyResponse
from evaluation.surveys.as_json import survey_to_json
from evaluation.surveys.definitions import (
    Audience,
    Choice,
    Condition,
    Page,
    Question,
    Survey,
    Text,
)

K = 5
LAUNCHED = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def t(fr: str, en: str | None = None) -> Text:
    return Text(fr, en or f"EN {fr}")


def choices(*ids: str, other: str | None = None) -> tuple[Choice, ...]:
    found = tuple(Choice(i, t(f"Choix {i}", f"Choice {i}")) for i in ids)
    return found + ((Choice(other, t("Autre", "Other"), other=True),) if other else ())


QUESTIONS = (
    Question(
        "sat", "scale", t("Satisfaction", "Satisfaction"), not_applicable=True, top_box=(4, 5)
    ),
    Question("why", "long_text", t("Pourquoi ?", "Why?"), show_if=Condition("sat", ("1", "2"))),
    Question("tool", "single", t("Outil", "Tool"), choices=choices("a", "b", other="other")),
    Question("uses", "multiple", t("Usages", "Uses"), choices=choices("x", "y", "z")),
    Question("again", "yes_no", t("Recommenceriez-vous ?", "Would you do it again?")),
    Question("hours", "number", t("Heures", "Hours"), min_value=0, max_value=60),
    Question(
        "grid",
        "grid",
        t("Grille", "Grid"),
        items=choices("i1", "i2"),
        not_applicable=True,
        top_box=(4, 5),
    ),  # fmt: skip
    Question("prio", "rank", t("Priorités", "Priorities"), items=choices("r1", "r2", "r3"), pick=2),
    Question("comment", "short_text", t("Commentaire", "Comment"), required=False, max_length=200),
)
SURVEY = Survey(
    id="bilan",
    title=t("Bilan", "Review"),
    intro=t("Intro"),
    audience=Audience(("fellow", "mentor")),
    anonymous=True,
    pages=(Page(QUESTIONS[:2]), Page(QUESTIONS[2:])),
)

SATS = [5, 4, 4, 3, "na", 2, 5, 1, 4, 5, 3, 4]
TOOLS = ["a", "b", "a", "other", "a", "b", "other", "a", "b", "a", "a", "b"]
USES = [["x"], ["x", "y"], ["y"], ["x", "z"], ["z"], ["x", "y", "z"], ["x"], ["y"], ["x"], ["y"]]
AGAIN = ["yes", "no", "yes", "dont_know", "yes", "yes", "no", "yes", "yes", "no", "yes", "yes"]
HOURS = [10, 12.5, 8, 20, 15, 9, 11, 7, 30, 4, 6, 9]
GRIDS = [(5, 4), (4, "na"), (3, 2), (5, 5), (1, 4), (2, 3), (4, 4), (5, 1), (3, 3), (4, 5)]
PRIOS = [["r1", "r2"], ["r2", "r1"], ["r1", "r3"], ["r3", "r1"], ["r1", "r2"], ["r2", "r3"]]


def answers(i: int) -> dict:
    """The i-th respondent's answers: varied, deterministic."""
    found = {
        "sat": SATS[i % len(SATS)],
        "tool": TOOLS[i % len(TOOLS)],
        "uses": USES[i % len(USES)],
        "again": AGAIN[i % len(AGAIN)],
        "hours": HOURS[i % len(HOURS)],
        "grid": dict(zip(("i1", "i2"), GRIDS[i % len(GRIDS)], strict=True)),
        "prio": PRIOS[i % len(PRIOS)],
    }
    if found["sat"] in (1, 2):
        found["why"] = f"Raison {i}\nsur deux lignes"
    elif i == 0:
        found["why"] = "réponse périmée"  # sat changed afterwards: the question is hidden
    if found["tool"] == "other":
        found["tool.other"] = f"Outil maison {i}"
    if i % 2 == 0:
        found["comment"] = f"Commentaire {i} *gras* | <b>"
    return found


def campaign(
    session: Session,
    responses: list[tuple[str, dict]],
    invited: dict[str, int],
    key: str = "bilan:2026",
    anonymous: bool = True,
    survey: Survey = SURVEY,
    launched: datetime = LAUNCHED,
) -> Campaign:
    """A campaign of ``survey`` with ``responses`` (role, answers) and, per role, ``invited``
    people of whom as many finished as there are responses of that role."""
    row = Campaign(
        key=key, survey_id=survey.id, anonymous=anonymous, definition=survey_to_json(survey),
        opens_at=launched, closes_at=launched, launched_at=launched,
    )  # fmt: skip
    session.add(row)
    session.flush()
    for role, count in invited.items():
        finished = sum(1 for r, _ in responses if r == role)
        for n in range(count):
            person = Person(slack_user_id=f"U{uuid.uuid4().hex[:12]}", name=f"{role} {n}")
            session.add(person)
            session.flush()
            session.add(
                Participation(
                    campaign_id=row.id, person_id=person.id, role=role, finished=n < finished
                )
            )
    for role, given in responses:
        session.add(
            SurveyResponse(id=uuid.uuid4().hex, campaign_id=row.id, role=role, answers=given)
        )
    session.flush()
    return row


def mixed(fellows: int, mentors: int, start: int = 0) -> list[tuple[str, dict]]:
    """``fellows`` then ``mentors`` responses, the answers of respondents ``start``…"""
    roles = ["fellow"] * fellows + ["mentor"] * mentors
    return [(role, answers(start + i)) for i, role in enumerate(roles)]

"""A campaign's answers as an open-data CSV, with its data dictionary.

One row per response, one column per answer: ``q`` for most questions, ``q.item`` for a
grid item (its score) or a ranking item (its rank), ``q.choice`` (1 or 0) for each choice of
a multiple choice, ``q.other`` for the "other" text. ``na`` is "not applicable"; an empty
cell, a question not asked or not answered. Nothing names a person; the rows are in the
order of the responses' ids, which are random. With fewer than ``k`` responses nothing is
exported. The ``role`` column is there only when every role has at least ``k`` responses
and it would not put a role beside the free text of an anonymous campaign.

The dictionary is a Frictionless Table Schema (https://specs.frictionlessdata.io/table-schema/),
titled and described in French, as schema.data.gouv.fr publishes them. The CSV is UTF-8,
comma-separated, as data.gouv.fr recommends.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from bulletins.db.models import Campaign, SurveyResponse
from bulletins.errors import BulletinsError
from evaluation.definitions import NOT_APPLICABLE, Question, Survey, visible
from evaluation.results_fields import Column, columns_of, role_field, table_schema
from evaluation.survey_json import survey_from_json

TEXT_TYPES = ("short_text", "long_text")


class ResultsWithheld(BulletinsError):
    """Too few responses to show or export anything about them."""


def answers_csv(session: Session, campaign: Campaign, k: int) -> str:
    """The CSV of ``campaign``'s answers (see the module's help); fewer than ``k``
    responses raise :class:`ResultsWithheld`."""
    survey = survey_from_json(campaign.definition)
    responses = _responses(session, campaign)
    if len(responses) < k:
        raise ResultsWithheld(
            f"{campaign.key}: {len(responses)} response(s), fewer than {k}: "
            "the answers are not exported, to protect anonymity"
        )
    with_role = _role_is_safe(survey, campaign, [role for role, _ in responses], k)
    columns = columns_of(survey)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow((["role"] if with_role else []) + [c.name for c in columns])
    for role, answers in responses:
        writer.writerow(([role] if with_role else []) + list(_cells(survey, columns, answers)))
    return buffer.getvalue()


def shows_role(session: Session, campaign: Campaign, k: int) -> bool:
    """Whether :func:`answers_csv` has a ``role`` column for ``campaign``."""
    survey = survey_from_json(campaign.definition)
    roles = [role for role, _ in _responses(session, campaign)]
    return _role_is_safe(survey, campaign, roles, k)


def data_dictionary(campaign: Campaign, with_role: bool = False) -> dict:
    """The Table Schema of :func:`answers_csv`'s file (``with_role``: see :func:`shows_role`)."""
    survey = survey_from_json(campaign.definition)
    fields = [role_field(survey)] if with_role else []
    return table_schema(campaign.key, survey, fields + [c.field for c in columns_of(survey)])


def _responses(session: Session, campaign: Campaign) -> list[tuple[str, dict]]:
    rows = session.execute(
        select(SurveyResponse.role, SurveyResponse.answers)
        .where(SurveyResponse.campaign_id == campaign.id)
        .order_by(SurveyResponse.id)
    ).all()
    return [(role, answers or {}) for role, answers in rows]


def _role_is_safe(survey: Survey, campaign: Campaign, roles: list[str], k: int) -> bool:
    if campaign.anonymous and any(q.type in TEXT_TYPES or _has_other(q) for q in survey.questions):
        return False
    return all(count >= k for count in Counter(roles).values())


def _has_other(question: Question) -> bool:
    return any(choice.other for choice in question.choices)


def _cells(survey: Survey, columns: list[Column], answers: dict) -> Iterator[object]:
    for column in columns:
        question = survey.question(column.question)
        value = answers.get(question.id)
        if not visible(question, answers) or value in (None, "", [], {}):
            yield ""
        else:
            yield _cell(question, column, value, answers)


def _cell(question: Question, column: Column, value: object, answers: dict) -> object:
    if column.part == "other":
        return answers.get(f"{question.id}.other") or ""
    if question.type == "multiple":
        return int(column.part in value) if isinstance(value, list) else ""
    if question.type == "grid":
        return value.get(column.part, "") if isinstance(value, dict) else ""
    if question.type == "rank":
        ranking = list(value) if isinstance(value, list) else []
        return ranking.index(column.part) + 1 if column.part in ranking else ""
    return NOT_APPLICABLE if value == NOT_APPLICABLE else value

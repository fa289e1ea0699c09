"""A campaign's answers as an open-data CSV, with its data dictionary.

One row per response, one column per answer: ``q`` for most questions, ``q.item`` for a
grid item (its score) or a ranking item (its rank), ``q.choice`` (1 or 0) for each choice of
a multiple choice, ``q.other`` for the "other" text (``q.other_text`` when a multiple
choice's "other" choice has the id ``other``). ``na`` is "not applicable"; an empty
cell, a question not asked or not answered. Nothing names a person; the rows are in the
order of the responses' ids, which are random. With fewer than ``k`` responses nothing is
exported. The ``role`` column is there only when every role has at least ``k`` responses
and, for an anonymous campaign, when the survey asks for no free text.

For an anonymous campaign, free text (text questions and "other" texts) is left out unless
the survey marks the question ``publishable``, and each number is given as a range holding
at least ``k`` answers (:mod:`evaluation.results.bands`). Named campaigns give everything as
answered. Every cell goes through :func:`bulletins.cycle.export.safe_csv`, so nothing people typed
runs as a spreadsheet formula.

The dictionary is a Frictionless Table Schema (https://specs.frictionlessdata.io/table-schema/),
titled and described in French, as schema.data.gouv.fr publishes them. The CSV is UTF-8,
comma-separated, as data.gouv.fr recommends.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bulletins.cycle.export import safe_csv
from bulletins.db.models import Campaign, SurveyResponse
from bulletins.errors import BulletinsError
from evaluation.results.bands import Bands, band_of, banded, number_bands
from evaluation.results.fields import Column, columns_of, role_field, table_schema
from evaluation.surveys.as_json import survey_from_json
from evaluation.surveys.definitions import NOT_APPLICABLE, Question, Survey, has_other, visible

TEXT_TYPES = ("short_text", "long_text")


class ResultsWithheld(BulletinsError):
    """Too few responses to show or export anything about them."""


@dataclass(frozen=True)
class OpenAnswers:
    """A campaign's answers as open data: the CSV and its Table Schema."""

    csv: str
    schema: dict


def open_answers(session: Session, campaign: Campaign, k: int) -> OpenAnswers:
    """The CSV of ``campaign``'s answers and its schema (see the module's help); fewer than
    ``k`` responses raise :class:`ResultsWithheld`."""
    survey = survey_from_json(campaign.definition)
    responses = _responses(session, campaign)
    if len(responses) < k:
        raise ResultsWithheld(
            f"{campaign.key}: {len(responses)} response(s), fewer than {k}: "
            "the answers are not exported, to protect anonymity"
        )
    with_role = _role_is_safe(survey, campaign, [role for role, _ in responses], k)
    columns = open_columns(survey, campaign.anonymous)
    bands = number_bands(survey, responses, k) if campaign.anonymous else {}
    columns = [banded(survey, column, bands, k) for column in columns]
    header = (["role"] if with_role else []) + [c.name for c in columns]
    rows = [
        ([role] if with_role else []) + list(_cells(survey, columns, answers, bands))
        for role, answers in responses
    ]
    fields = ([role_field(survey)] if with_role else []) + [c.field for c in columns]
    schema = table_schema(campaign.key, survey, fields, k if campaign.anonymous else None)
    return OpenAnswers(safe_csv(header, rows), schema)


def open_columns(survey: Survey, anonymous: bool) -> list[Column]:
    """The columns of the open data: for an anonymous campaign, free text only where the
    survey publishes it."""
    columns = columns_of(survey)
    if not anonymous:
        return columns
    return [c for c in columns if not _is_free_text(survey.question(c.question), c)]


def _is_free_text(question: Question, column: Column) -> bool:
    return (column.free_text or question.type in TEXT_TYPES) and not question.publishable


def _responses(session: Session, campaign: Campaign) -> list[tuple[str, dict]]:
    rows = session.execute(
        select(SurveyResponse.role, SurveyResponse.answers)
        .where(SurveyResponse.campaign_id == campaign.id, SurveyResponse.released.is_(True))
        .order_by(SurveyResponse.id)
    ).all()
    return [(role, answers or {}) for role, answers in rows]


def _role_is_safe(survey: Survey, campaign: Campaign, roles: list[str], k: int) -> bool:
    if campaign.anonymous and any(q.type in TEXT_TYPES or has_other(q) for q in survey.questions):
        return False
    return all(count >= k for count in Counter(roles).values())


def _cells(survey: Survey, columns: list[Column], answers: dict, bands: Bands) -> Iterator[object]:
    for column in columns:
        question = survey.question(column.question)
        value = answers.get(question.id)
        if not visible(question, answers) or value in (None, "", [], {}):
            yield ""
        elif question.id in bands:
            band = band_of(bands[question.id], value)
            yield band.label if band else ""
        else:
            yield _cell(question, column, value, answers)


def _cell(question: Question, column: Column, value: object, answers: dict) -> object:
    if column.free_text:
        return answers.get(f"{question.id}.other") or ""
    if question.type == "multiple":
        return int(column.part in value) if isinstance(value, list) else ""
    if question.type == "grid":
        return value.get(column.part, "") if isinstance(value, dict) else ""
    if question.type == "rank":
        ranking = list(value) if isinstance(value, list) else []
        return ranking.index(column.part) + 1 if column.part in ranking else ""
    return NOT_APPLICABLE if value == NOT_APPLICABLE else value

"""The columns of a campaign's answers CSV and their Table Schema fields, described in
French (see ``evaluation.results.export``)."""

from __future__ import annotations

from dataclasses import dataclass

from bulletins.i18n import gettext
from evaluation.surveys.definitions import (
    NOT_APPLICABLE,
    Choice,
    Question,
    Survey,
    options_of,
    yes_no_values,
)

LOCALE = "fr"  # the open-data portal's language
TABLE_SCHEMA = "https://frictionlessdata.io/schemas/table-schema.json"


@dataclass(frozen=True)
class Column:
    """One CSV column: ``part`` is an item or choice id, or None; ``free_text``, the column of
    the text given with an "other" choice."""

    name: str
    question: str
    part: str | None
    field: dict
    free_text: bool = False


def columns_of(survey: Survey) -> list[Column]:
    """Every column of the answers, question by question."""
    return [column for question in survey.questions for column in _columns(question)]


def _columns(question: Question) -> list[Column]:
    q, title = question.id, question.label.get(LOCALE)
    if question.type in ("multiple", "grid", "rank"):
        parts = question.choices if question.type == "multiple" else question.items
        columns = [
            Column(f"{q}.{part.id}", q, part.id, _part_field(question, part)) for part in parts
        ]
    else:
        columns = [Column(q, q, None, _field(question, q, title))]
    others = [option for option in options_of(question) if option.other]
    if others:
        label = others[0].label.get(LOCALE)
        description = gettext(LOCALE, 'Text given with the choice "%(choice)s".', choice=label)
        # a multiple choice whose "other" choice has the id "other" has a q.other column already
        taken = {column.name for column in columns}
        name = f"{q}.other" if f"{q}.other" not in taken else f"{q}.other_text"
        field = {"name": name, "title": title, "description": description, "type": "string"}
        columns.append(Column(name, q, None, field, free_text=True))
    return columns


def _field(question: Question, name: str, title: str) -> dict:
    field: dict = {"name": name, "title": title}
    if question.type == "scale":
        return field | _scale(question)
    if question.type == "single":
        ids = [choice.id for choice in question.choices]
        listing = ", ".join(f"{c.id} ({c.label.get(LOCALE)})" for c in question.choices)
        description = gettext(LOCALE, "One choice among: %(choices)s.", choices=listing)
        return field | _typed("string", description, enum=ids)
    if question.type == "yes_no":
        description = gettext(LOCALE, "yes, no or dont_know (don't know).")
        if not question.dont_know:
            description = gettext(LOCALE, "yes or no.")
        return field | _typed("string", description, enum=list(yes_no_values(question)))
    if question.type == "number":
        limits = {"minimum": question.min_value, "maximum": question.max_value}
        return field | _typed("number", gettext(LOCALE, "A number."), **limits)
    return field | _typed("string", gettext(LOCALE, "Free text."), maxLength=question.max_length)


def _scale(question: Question, item: str | None = None) -> dict:
    description = gettext(
        LOCALE, "A score from %(min)s to %(max)s.", min=question.scale_min, max=question.scale_max
    )
    if question.low_label and question.high_label:
        low, high = question.low_label.get(LOCALE), question.high_label.get(LOCALE)
        description += " " + gettext(
            LOCALE,
            "%(min)s: %(low)s; %(max)s: %(high)s.",
            min=question.scale_min,
            low=low,
            max=question.scale_max,
            high=high,
        )
    if question.not_applicable:
        description += " " + gettext(LOCALE, '"%(na)s": not applicable.', na=NOT_APPLICABLE)
    if item:
        description = f"{item} : {description}"
    return _typed("integer", description, minimum=question.scale_min, maximum=question.scale_max)


def _part_field(question: Question, part: Choice) -> dict:
    name, label = f"{question.id}.{part.id}", part.label.get(LOCALE)
    field = {"name": name, "title": f"{question.label.get(LOCALE)} — {label}"}
    if question.type == "grid":
        return field | _scale(question, label)
    if question.type == "rank":
        description = gettext(
            LOCALE, 'Rank given to "%(item)s" (1: first); empty when not ranked.', item=label
        )
        places = question.pick or len(question.items)
        return field | _typed("integer", description, minimum=1, maximum=places)
    description = gettext(LOCALE, '1 if "%(choice)s" was chosen, else 0.', choice=label)
    return field | {
        "description": description,
        "type": "boolean",
        "trueValues": ["1"],
        "falseValues": ["0"],
    }


def _typed(kind: str, description: str, **constraints: object) -> dict:
    given = {key: value for key, value in constraints.items() if value is not None}
    field: dict = {"description": description, "type": kind}
    return field | ({"constraints": given} if given else {})


def role_field(survey: Survey) -> dict:
    description = gettext(LOCALE, "The respondent's role: fellow, mentor or staff.")
    return {"name": "role", "title": gettext(LOCALE, "Role")} | _typed(
        "string", description, enum=list(survey.audience.roles)
    )


def table_schema(key: str, survey: Survey, fields: list[dict], k: int | None = None) -> dict:
    """The Table Schema of the answers of campaign ``key``; ``k``, for an anonymous campaign,
    its anonymity threshold: the description then says what is left out or given as ranges."""
    description = gettext(
        LOCALE,
        'Answers to the survey "%(title)s" (%(key)s): one row per response, '
        "nothing that names a person; an empty cell is a question not asked or not answered.",
        title=survey.title.get(LOCALE),
        key=key,
    )
    if k is not None:
        description += " " + gettext(
            LOCALE,
            "The survey is anonymous: free-text answers are left out unless the survey "
            "publishes them, and numbers are given as ranges of at least %(k)s answers.",
            k=k,
        )
    return {
        "$schema": TABLE_SCHEMA,
        "name": "".join(c if c.isalnum() or c in "-_." else "-" for c in key.lower()),
        "title": f"{survey.title.get(LOCALE)} ({key})",
        "description": description,
        "fields": fields,
        "missingValues": ["", NOT_APPLICABLE],
    }

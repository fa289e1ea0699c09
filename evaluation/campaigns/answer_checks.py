"""Checking a person's answers to a survey, page by page and when they finish.

Answers are keyed by question id, with the shapes of :mod:`evaluation.surveys.definitions`. Only the
questions shown count: a question hidden by its ``show_if`` (or by a hidden question it
depends on) is neither required nor checked, and :func:`kept_answers` drops its answer.

Problems come back as :class:`bulletins.cycle.bulletin.Problem` (an English message id and its
parameters, translated on display), keyed by question id; the "please specify" text of an
"other" choice by ``"<question id>.other"``, and a grid's row by ``"<question id>.<item id>"``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from bulletins.cycle.bulletin import Problem
from evaluation.surveys.definitions import (
    NOT_APPLICABLE,
    Question,
    Survey,
    options_of,
    visible,
    yes_no_values,
)

TEXT_LIMIT = 3000  # Slack's plain_text_input max_length, when a question sets none
OTHER_LIMIT = 200  # the "please specify" text of an "other" choice

REQUIRED = Problem("This answer is required.")
NOT_AN_OPTION = Problem("Choose one of the options.")
NOT_VALID = Problem("This answer is not valid.")


def validate_page(survey: Survey, page_index: int, answers: dict) -> dict[str, Problem]:
    """Problems with the shown questions of page ``page_index`` (from 0); ``answers`` holds
    every answer so far, as earlier pages decide what this one shows."""
    shown = _shown(survey, answers)
    problems: dict[str, Problem] = {}
    for question in survey.pages[page_index].questions:
        if question.id in shown:
            problems |= check_answer(question, answers)
    return problems


def validate_all(survey: Survey, answers: dict) -> dict[str, Problem]:
    """Problems with every shown question, before finishing: empty when all is well."""
    problems: dict[str, Problem] = {}
    for index in range(len(survey.pages)):
        problems |= validate_page(survey, index, answers)
    return problems


def kept_answers(survey: Survey, answers: dict) -> dict:
    """The answers of shown questions only (with their "other" texts when chosen): what to
    store when the person finishes."""
    kept: dict[str, Any] = {}
    shown = _shown(survey, answers)
    for question in survey.questions:
        if question.id not in shown or _empty(answers.get(question.id)):
            continue
        kept[question.id] = answers[question.id]
        other = f"{question.id}.other"
        if _chose_other(question, answers.get(question.id)) and other in answers:
            kept[other] = answers[other]
    return kept


def _shown(survey: Survey, answers: dict) -> set[str]:
    """Ids of the questions shown; a condition on a hidden question is never met."""
    seen: dict[str, Any] = {}
    shown = set()
    for question in survey.questions:
        if visible(question, seen):
            shown.add(question.id)
            seen[question.id] = answers.get(question.id)
    return shown


def check_answer(question: Question, answers: dict) -> dict[str, Problem]:
    """Problems with one shown question's answer in ``answers``."""
    value = answers.get(question.id)
    if question.type == "grid":
        return _grid(question, value)
    if _empty(value):
        return {question.id: REQUIRED} if question.required else {}
    problem = CHECKS[question.type](question, value)
    if problem:
        return {question.id: problem}
    if _chose_other(question, value):
        return _other_text(question, answers.get(f"{question.id}.other"))
    return {}


def _empty(value: Any) -> bool:
    if isinstance(value, str):
        return not value.strip()
    return value is None or value == [] or value == {}


def _chose_other(question: Question, value: Any) -> bool:
    chosen = value if isinstance(value, list) else [value]
    return any(option.other and option.id in chosen for option in options_of(question))


def _other_text(question: Question, text: Any) -> dict[str, Problem]:
    key = f"{question.id}.other"
    if not isinstance(text, str) or not text.strip():
        return {key: Problem("Please specify.")}
    return {key: _too_long(text, OTHER_LIMIT)} if len(text) > OTHER_LIMIT else {}


def _on_scale(question: Question, value: Any) -> bool:
    if value == NOT_APPLICABLE:
        return question.not_applicable
    return type(value) is int and question.scale_min <= value <= question.scale_max


def _scale(question: Question, value: Any) -> Problem | None:
    return None if _on_scale(question, value) else NOT_AN_OPTION


def _single(question: Question, value: Any) -> Problem | None:
    ids = {choice.id for choice in question.choices}
    return None if isinstance(value, str) and value in ids else NOT_AN_OPTION


def _multiple(question: Question, value: Any) -> Problem | None:
    ids = {choice.id for choice in question.choices}
    if not _distinct_texts(value):
        return NOT_VALID
    if any(item not in ids for item in value):
        return NOT_AN_OPTION
    most = question.max_choices
    if most is not None and len(value) > most:
        return Problem("You can choose up to %(limit)s.", (("limit", most),))
    return None


def _distinct_texts(value: Any) -> bool:
    return (
        isinstance(value, list)
        and all(isinstance(item, str) for item in value)
        and len(set(value)) == len(value)
    )


def _yes_no(question: Question, value: Any) -> Problem | None:
    return None if value in yes_no_values(question) else NOT_AN_OPTION


def _too_long(text: str, limit: int) -> Problem:
    return Problem(
        "At most %(limit)s characters, please (now %(length)s).",
        (("limit", limit), ("length", len(text))),
    )


def _text(question: Question, value: Any) -> Problem | None:
    if not isinstance(value, str):
        return NOT_VALID
    limit = question.max_length or TEXT_LIMIT
    return _too_long(value, limit) if len(value) > limit else None


def _number(question: Question, value: Any) -> Problem | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return Problem("Give a number.")
    low, high = question.min_value, question.max_value
    if (low is None or value >= low) and (high is None or value <= high):
        return None
    if low is not None and high is not None:
        params = (("min", _shown_number(low)), ("max", _shown_number(high)))
        return Problem("Give a number from %(min)s to %(max)s.", params)
    if low is not None:
        return Problem("Give a number of at least %(min)s.", (("min", _shown_number(low)),))
    return Problem("Give a number of at most %(max)s.", (("max", _shown_number(high)),))


def _shown_number(number: float) -> int | float:
    return int(number) if float(number).is_integer() else number


def _rank(question: Question, value: Any) -> Problem | None:
    count = question.pick or len(question.items)
    ids = {item.id for item in question.items}
    if not _distinct_texts(value) or len(value) != count or not set(value) <= ids:
        return Problem("Rank your top %(count)s, each item once.", (("count", count),))
    return None


def _grid(question: Question, value: Any) -> dict[str, Problem]:
    if value is None:
        value = {}
    if not isinstance(value, dict):
        return {question.id: NOT_VALID}
    problems = {}
    for item in question.items:
        key, rating = f"{question.id}.{item.id}", value.get(item.id)
        if rating is None:
            if question.required:
                problems[key] = REQUIRED
        elif not _on_scale(question, rating):
            problems[key] = NOT_AN_OPTION
    return problems


CHECKS: dict[str, Callable[[Question, Any], Problem | None]] = {
    "scale": _scale,
    "single": _single,
    "multiple": _multiple,
    "yes_no": _yes_no,
    "short_text": _text,
    "long_text": _text,
    "number": _number,
    "rank": _rank,
}

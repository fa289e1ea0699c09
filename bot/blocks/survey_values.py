"""Reading a submitted questionnaire page back: Slack's view state → answers shaped as
``evaluation.surveys.definitions`` documents them (the inverse of ``bot.blocks.survey_questions``).

Questions left blank get no key; the answers to questions hidden by a condition, and the
"please specify" text of an "other" choice not chosen, are dropped.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bot import ids
from bot.blocks.survey_questions import ITEM, OTHER, RANK, block_id
from bulletins.i18n import gettext
from evaluation.surveys.definitions import NOT_APPLICABLE, Question, options_of, visible

StateValues = Mapping[str, Mapping[str, Mapping[str, Any]]]


@dataclass(frozen=True)
class PageMeta:
    """The campaign and the page a questionnaire modal shows."""

    campaign_id: int
    page: int

    def dump(self) -> str:
        return json.dumps({"campaign": self.campaign_id, "page": self.page})

    @classmethod
    def read(cls, private_metadata: str) -> PageMeta:
        data = json.loads(private_metadata)
        return cls(int(data["campaign"]), int(data["page"]))


def entry(values: StateValues, block: str) -> Mapping[str, Any]:
    return (values.get(block) or {}).get(ids.SURVEY_INPUT) or {}


def selected(values: StateValues, block: str) -> str | None:
    return (entry(values, block).get("selected_option") or {}).get("value")


def selected_all(values: StateValues, block: str) -> list[str]:
    return [o["value"] for o in entry(values, block).get("selected_options") or []]


def typed(values: StateValues, block: str) -> str | None:
    text = entry(values, block).get("value")
    return text if text and text.strip() else None


def scale_value(raw: str | None) -> int | str | None:
    if raw is None or raw == NOT_APPLICABLE:
        return raw
    return int(raw) if raw.lstrip("-").isdigit() else raw


def number_value(raw: str | None) -> int | float | str | None:
    """``"3"`` → 3, ``"2.5"`` → 2.5; anything else as typed, for the core to refuse."""
    if raw is None:
        return None
    text = raw.strip().replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        return raw
    return int(number) if number.is_integer() and "." not in text else number


def with_other(question: Question, values: StateValues, chosen: Iterable[str]) -> dict[str, Any]:
    """The "please specify" text, kept only when an "other" choice is chosen."""
    others = {option.id for option in options_of(question) if option.other}
    text = typed(values, block_id(question.id, OTHER))
    if text is None or not others.intersection(chosen):
        return {}
    return {block_id(question.id, OTHER): text}


def read_single(question: Question, values: StateValues) -> dict[str, Any]:
    value = selected(values, question.id)
    if value is None:
        return {}
    return {question.id: value} | with_other(question, values, [value])


def read_multiple(question: Question, values: StateValues) -> dict[str, Any]:
    picked = selected_all(values, question.id)
    if not picked:
        return {}
    return {question.id: picked} | with_other(question, values, picked)


def read_one(convert: Callable[[str | None], Any], reader: Callable) -> Callable:
    def read(question: Question, values: StateValues) -> dict[str, Any]:
        value = convert(reader(values, question.id))
        return {} if value is None else {question.id: value}

    return read


def read_grid(question: Question, values: StateValues) -> dict[str, Any]:
    rows = {
        item.id: scale_value(selected(values, block_id(question.id, ITEM, item.id)))
        for item in question.items
    }
    rows = {item: value for item, value in rows.items() if value is not None}
    return {question.id: rows} if rows else {}


def read_rank(question: Question, values: StateValues) -> dict[str, Any]:
    places = question.pick or len(question.items)
    picked = [selected(values, block_id(question.id, RANK, n)) for n in range(1, places + 1)]
    ranking = [item for item in picked if item is not None]
    return {question.id: ranking} | with_other(question, values, ranking) if ranking else {}


READERS: dict[str, Callable[[Question, StateValues], dict[str, Any]]] = {
    "scale": read_one(scale_value, selected),
    "single": read_single,
    "multiple": read_multiple,
    "yes_no": read_one(lambda raw: raw, selected),
    "short_text": read_one(lambda raw: raw, typed),
    "long_text": read_one(lambda raw: raw, typed),
    "number": read_one(number_value, typed),
    "grid": read_grid,
    "rank": read_rank,
}


def read_question(question: Question, values: StateValues) -> dict[str, Any]:
    """The answer to ``question`` in ``values`` (with its "other" text), or ``{}``."""
    return READERS[question.type](question, values)


def read_page(
    questions: Iterable[Question], values: StateValues, earlier: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The answers of a page's visible questions; ``earlier``: the answers of the other
    pages, on which conditions may depend."""
    known = dict(earlier or {})
    page: dict[str, Any] = {}
    for question in questions:
        known.pop(question.id, None)
        known.pop(block_id(question.id, OTHER), None)
        if not visible(question, known):
            continue
        answer = read_question(question, values)
        page |= answer
        known |= answer
    return page


def input_blocks(view: Mapping[str, Any]) -> list[str]:
    """The block ids of a view's inputs, in order: where errors can be shown."""
    return [b["block_id"] for b in view.get("blocks", []) if b.get("type") == "input"]


def block_of(key: str, inputs: list[str]) -> str:
    """The input showing the problem named ``key``: ``q1``, ``q1.other``, a grid's row
    ``q1.<item>`` (block ``q1.item.<item>``), else the question's first input, else the
    page's first input."""
    question, _, rest = key.partition(".")
    for candidate in (key, block_id(question, ITEM, rest)):
        if candidate in inputs:
            return candidate
    return next((b for b in inputs if b.startswith(question + ".")), inputs[0] if inputs else key)


def errors_by_block(problems: Mapping[str, Any], inputs: list[str], locale: str) -> dict[str, str]:
    """``response_action: errors`` content: each problem under its input, translated."""
    errors: dict[str, str] = {}
    for key, problem in problems.items():
        text = gettext(locale, problem.message, **dict(problem.params))
        where = block_of(key, inputs)
        errors[where] = f"{errors[where]} {text}" if where in errors else text
    return errors

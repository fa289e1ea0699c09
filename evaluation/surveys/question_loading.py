"""Reading and checking one question of a survey file, by type, within Slack's limits."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import Any

from evaluation.surveys.definitions import (
    NOT_APPLICABLE,
    QUESTION_TYPES,
    Choice,
    Condition,
    Headline,
    Question,
    has_other,
    yes_no_values,
)
from evaluation.surveys.headlines import answer_ids, read_headline
from evaluation.surveys.reading import (
    Report,
    check_keys,
    read_any_int,
    read_bool,
    read_int,
    read_list,
    read_number,
    read_slug,
    read_text,
)
from evaluation.surveys.tags import read_tag

# Slack's limits for what a modal or message holds; past them, views.open fails.
LABEL_LIMIT = 2000  # an input block's label and hint
OPTION_LIMIT = 75  # an option's or a button's text
END_LABEL_LIMIT = 60  # a scale end's label, shown after its number in an option
MAX_OPTIONS = 100  # options of a select
TEXT_LIMIT = 3000  # a plain_text_input's max_length

COMMON_KEYS = ("id", "type", "label", "required", "help", "show_if", "headline", "tag")
SCALE_KEYS = ("scale_min", "scale_max", "low_label", "high_label", "not_applicable", "top_box")
TYPE_KEYS = {
    "scale": SCALE_KEYS,
    "grid": (*SCALE_KEYS, "items"),
    "single": ("choices", "counts_as", "publishable"),
    "multiple": ("choices", "max_choices", "counts_as", "publishable"),
    "yes_no": ("dont_know", "counts_as"),
    "short_text": ("max_length", "publishable"),
    "long_text": ("max_length", "publishable"),
    "number": ("min_value", "max_value"),
    "rank": ("items", "pick", "publishable"),
}
ALL_KEYS = tuple(dict.fromkeys(COMMON_KEYS + sum(TYPE_KEYS.values(), ())))
CONDITION_TYPES = ("scale", "single", "multiple", "yes_no")
NOT_PUBLISHABLE = (
    "does not apply to a {kind} question: only free text is left out of open data, so only "
    "a short_text or long_text question, or a single, multiple or rank question with an "
    "'other' choice, can be publishable"
)


def read_question(
    raw: Any, page: int, number: int, earlier: dict[str, Question], report: Report
) -> Question | None:
    """Question ``number`` of ``page`` (None when too broken to build); ``earlier`` holds
    the questions before it, by id, for its ``show_if``."""
    where = f"page {page}, question {number}"
    if not isinstance(raw, dict):
        report.add(where, f"a question must be a table, got {raw!r}")
        return None
    qid = read_slug(raw.get("id"), "the question's id", where, report)
    if qid:
        where = f"page {page}, question {qid!r}"
    kind = raw.get("type")
    if kind not in QUESTION_TYPES:
        close = difflib.get_close_matches(str(kind), QUESTION_TYPES, n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(QUESTION_TYPES)}"
        report.add(where, f"unknown question type {kind!r}; {hint}")
        return None
    known = COMMON_KEYS + TYPE_KEYS[kind]
    misplaced = {key: f"does not apply to a {kind} question" for key in ALL_KEYS}
    misplaced["publishable"] = NOT_PUBLISHABLE.format(kind=kind)
    check_keys(raw, known, where, report, **misplaced)
    fields = {
        "label": read_text(raw, "label", where, report, limit=LABEL_LIMIT),
        "required": read_bool(raw, "required", where, report, default=True),
        "help": read_text(raw, "help", where, report, limit=LABEL_LIMIT, required=False),
        **TYPE_READERS[kind](raw, where, report),
    }
    fields["show_if"] = read_condition(raw.get("show_if"), where, earlier, report)
    options = fields.get("items", ()) if kind == "rank" else fields.get("choices", ())
    fields["publishable"] = _publishable(raw, kind, options, where, report)
    fields["headline"] = _headline(raw, kind, fields, where, report)
    if qid is None or fields["label"] is None:
        return None
    return Question(id=qid, type=kind, **fields)


def _headline(raw: dict, kind: str, fields: dict, where: str, report: Report) -> Headline | None:
    """Its ``headline`` (see :mod:`evaluation.surveys.headlines`), or its old ``tag``'s."""
    low, high = fields.get("scale_min", 1), fields.get("scale_max", 5)
    answers = answer_ids(kind, fields.get("choices", ()), low, high, fields.get("dont_know", True))
    headline = read_headline(raw, kind, answers, where, report)
    old = read_tag(raw, kind, fields.get("top_box", ()), answers, where, report)
    return headline or old


def _publishable(
    raw: dict, kind: str, choices: tuple[Choice, ...], where: str, report: Report
) -> bool:
    """``publishable = true``: the question's free text (a text question's answer, or the text
    of its "other" choice) goes into the open data of an anonymous campaign."""
    if "publishable" not in TYPE_KEYS[kind] or "publishable" not in raw:
        return False
    publishable = read_bool(raw, "publishable", where, report, default=False)
    if publishable and kind in ("single", "multiple", "rank") and not any(c.other for c in choices):
        report.add(
            where,
            "'publishable' publishes the text of an 'other' choice, and this question has none: "
            "add other = true to a choice, or remove publishable",
        )
        return False
    return publishable


def _scale(raw: dict, where: str, report: Report) -> dict:
    low = read_any_int(raw, "scale_min", where, report, 1)
    high = read_any_int(raw, "scale_max", where, report, 5)
    na = read_bool(raw, "not_applicable", where, report, default=False)
    if low >= high:
        report.add(where, f"scale_min ({low}) must be less than scale_max ({high})")
    elif high - low + 1 + na > MAX_OPTIONS:
        report.add(where, f"a scale from {low} to {high} has more than {MAX_OPTIONS} options")
    top_box = read_list(raw, "top_box", where, report) or []
    outside = [v for v in top_box if type(v) is not int or v not in range(low, high + 1)]
    if outside:
        report.add(where, f"top_box values {outside} are not on the scale from {low} to {high}")
    return {
        "scale_min": low,
        "scale_max": high,
        "low_label": read_text(raw, "low_label", where, report, limit=END_LABEL_LIMIT),
        "high_label": read_text(raw, "high_label", where, report, limit=END_LABEL_LIMIT),
        "not_applicable": na,
        "top_box": tuple(sorted({v for v in top_box if v not in outside})),
    }


def read_choices(
    raw: dict, key: str, where: str, report: Report, *, minimum: int, limit: int, other: bool
) -> tuple[Choice, ...]:
    """The ``key`` list of ``{ id, label = { fr, en } }`` tables (``other = true`` allowed
    when ``other``), at least ``minimum`` and at most :data:`MAX_OPTIONS` of them."""
    values = read_list(raw, key, where, report) or []
    if len(values) < minimum:
        report.add(where, f"{key!r} needs at least {minimum}, got {len(values)}")
    elif len(values) > MAX_OPTIONS:
        report.add(where, f"{key!r} has {len(values)}; Slack shows at most {MAX_OPTIONS}")
    choices = []
    for number, value in enumerate(values, 1):
        spot = f"{where}, {key} {number}"
        if not isinstance(value, dict):
            report.add(spot, f"must be a table {{ id = …, label = {{ fr, en }} }}, got {value!r}")
            continue
        known = ("id", "label", "other") if other else ("id", "label")
        check_keys(value, known, spot, report, other=f"only applies to the choices of {key}")
        cid = read_slug(value.get("id"), "the id", spot, report)
        label = read_text(value, "label", spot, report, limit=limit)
        is_other = read_bool(value, "other", spot, report, default=False) if other else False
        if cid and label:
            choices.append(Choice(cid, label, is_other))
    ids = [choice.id for choice in choices]
    twice = sorted({cid for cid in ids if ids.count(cid) > 1})
    if twice:
        report.add(where, f"each of {key} needs its own id: {', '.join(twice)} used twice")
    if sum(choice.other for choice in choices) > 1:
        report.add(where, f"at most one of the {key} can be 'other'")
    return tuple(choices)


def _grid(raw: dict, where: str, report: Report) -> dict:
    items = read_choices(raw, "items", where, report, minimum=1, limit=LABEL_LIMIT, other=False)
    return {**_scale(raw, where, report), "items": items}


def _single(raw: dict, where: str, report: Report) -> dict:
    kw = {"minimum": 2, "limit": OPTION_LIMIT, "other": True}
    return {"choices": read_choices(raw, "choices", where, report, **kw)}


def _multiple(raw: dict, where: str, report: Report) -> dict:
    choices = _single(raw, where, report)["choices"]
    most = read_int(raw, "max_choices", where, report, default=None)
    if most is not None and most > len(choices):
        report.add(where, f"max_choices ({most}) is more than the {len(choices)} choices")
    return {"choices": choices, "max_choices": most}


def _rank(raw: dict, where: str, report: Report) -> dict:
    items = read_choices(raw, "items", where, report, minimum=2, limit=OPTION_LIMIT, other=True)
    pick = read_int(raw, "pick", where, report, default=None)
    if pick is not None and pick > len(items):
        report.add(where, f"pick ({pick}) is more than the {len(items)} items")
    return {"items": items, "pick": pick}


def _text(raw: dict, where: str, report: Report) -> dict:
    length = read_int(raw, "max_length", where, report, default=None)
    if length is not None and length > TEXT_LIMIT:
        report.add(where, f"max_length ({length}) is over Slack's limit of {TEXT_LIMIT}")
    return {"max_length": length}


def _number(raw: dict, where: str, report: Report) -> dict:
    low = read_number(raw, "min_value", where, report)
    high = read_number(raw, "max_value", where, report)
    if low is not None and high is not None and low > high:
        report.add(where, f"min_value ({low}) is more than max_value ({high})")
    return {"min_value": low, "max_value": high}


TYPE_READERS: dict[str, Callable[[dict, str, Report], dict]] = {
    "scale": _scale,
    "grid": _grid,
    "single": _single,
    "multiple": _multiple,
    "yes_no": lambda raw, where, report: {
        "dont_know": read_bool(raw, "dont_know", where, report, default=True)
    },
    "short_text": _text,
    "long_text": _text,
    "number": _number,
    "rank": _rank,
}


def possible_values(question: Question) -> tuple[str, ...]:
    """The answers a ``show_if`` can name for ``question``, as strings."""
    if question.type == "scale":
        points = tuple(str(v) for v in range(question.scale_min, question.scale_max + 1))
        return points + ((NOT_APPLICABLE,) if question.not_applicable else ())
    if question.type == "yes_no":
        return yes_no_values(question)
    return tuple(choice.id for choice in question.choices)


def read_condition(
    value: Any, where: str, earlier: dict[str, Question], report: Report
) -> Condition | None:
    """``show_if = { question = "…", any_of = [...] }`` about an earlier question."""
    if value is None:
        return None
    if not isinstance(value, dict):
        report.add(where, "show_if must be a table { question = …, any_of = [...] }")
        return None
    check_keys(value, ("question", "any_of"), f"{where}, show_if", report)
    target = earlier.get(value.get("question"))
    if target is None:
        report.add(
            where,
            f"show_if refers to {value.get('question')!r}, which is not a question before this "
            "one: a condition can only look at earlier answers",
        )
        return None
    if target.type not in CONDITION_TYPES:
        report.add(where, f"show_if cannot look at {target.id!r}, a {target.type} question")
        return None
    any_of = value.get("any_of")
    if not isinstance(any_of, list) or not any_of:
        report.add(where, "show_if needs any_of, a non-empty list of answers")
        return None
    allowed = possible_values(target)
    wrong = [v for v in any_of if isinstance(v, bool) or str(v) not in allowed]
    if wrong:
        report.add(
            where,
            f"show_if lists {wrong}, which {target.id!r} cannot take "
            f"(it takes {', '.join(allowed)})",
        )
        return None
    return Condition(target.id, tuple(str(v) for v in any_of))


def block_count(question: Question) -> int:
    """Roughly how many blocks the question takes in a modal."""
    if question.type == "grid":
        return 1 + len(question.items)
    if question.type == "rank":
        return 1 + (question.pick or len(question.items)) + has_other(question)
    return 1 + has_other(question)

"""The inputs of a questionnaire page, one builder per question type.

Every builder takes a :class:`~evaluation.surveys.definitions.Question`, the person's locale and the
answers known so far (a draft's, for initial values) and returns Block Kit blocks. Block ids
are derived from the question id (see :func:`block_id`); every input's action id is
``ids.SURVEY_INPUT``. ``bot.blocks.survey_values`` reads the submitted state back.

An input is ``optional=False`` only where Slack itself can enforce the answer; the core's
validation (``evaluation.campaigns.answer_checks``) decides anyway. Inputs that other
questions depend on (``show_if``) dispatch their changes, so that the page can be redrawn
with those questions shown or hidden (see ``bot.listeners.surveys``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    BlockElement,
    CheckboxesElement,
    InputBlock,
    MarkdownTextObject,
    NumberInputElement,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    RadioButtonsElement,
    SectionBlock,
    StaticMultiSelectElement,
    StaticSelectElement,
)

from bot import ids
from bulletins.i18n import gettext
from bulletins.mrkdwn import escape
from evaluation.campaigns.answer_checks import OTHER_LIMIT
from evaluation.surveys.definitions import (
    NOT_APPLICABLE,
    Choice,
    Question,
    has_other,
    yes_no_values,
)

MAX_BUTTONS = 10  # radio buttons and checkboxes: Slack shows at most 10 options
MAX_OPTION_CHARS = 75
MAX_TEXT = 3000  # plain_text_input's own limit
DEFAULT_MAX_LENGTH = {"short_text": 300, "long_text": MAX_TEXT}
OTHER, ITEM, RANK, LABEL = "other", "item", "rank", "label"

Answers = Mapping[str, Any]


def block_id(question_id: str, *parts: object) -> str:
    """``q1`` for a question's input; ``q1.other``, ``q1.item.<id>``, ``q1.rank.<n>`` for its
    other inputs (the "other" one is named like the answer key ``<id>.other``)."""
    return ".".join([question_id, *(str(p) for p in parts)])


def plain(text: str) -> PlainTextObject:
    return PlainTextObject(text=text, emoji=True)


def short(text: str, limit: int = MAX_OPTION_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def option(value: object, label: str) -> Option:
    return Option(value=str(value), text=plain(short(label)))


def chosen(options: list[Option], value: object) -> Option | None:
    """The option holding ``value`` (an initial value), if any."""
    return next((o for o in options if value is not None and o.value == str(value)), None)


def single_element(options: list[Option], initial: object, *, buttons: bool = True) -> BlockElement:
    """Radio buttons when they fit (≤ 10 options), else a menu."""
    picked = chosen(options, initial)
    if buttons and len(options) <= MAX_BUTTONS:
        return RadioButtonsElement(
            action_id=ids.SURVEY_INPUT, options=options, initial_option=picked
        )
    return StaticSelectElement(action_id=ids.SURVEY_INPUT, options=options, initial_option=picked)


def input_block(
    question: Question,
    element: BlockElement,
    locale: str,
    *,
    optional: bool | None = None,
    dispatch: bool = False,
) -> InputBlock:
    """The question's main input, its help as a hint."""
    return InputBlock(
        block_id=block_id(question.id),
        label=plain(question.label.get(locale)),
        element=element,
        optional=not question.required if optional is None else optional,
        hint=plain(question.help.get(locale)) if question.help else None,
        dispatch_action=True if dispatch else None,
    )


def scale_options(question: Question, locale: str) -> list[Option]:
    """``1 — Not at all satisfied``, ``2`` … ``5 — Very satisfied``, and "Not applicable"."""
    ends = {question.scale_min: question.low_label, question.scale_max: question.high_label}
    options = []
    for value in range(question.scale_min, question.scale_max + 1):
        end = ends.get(value)
        options.append(option(value, f"{value} — {end.get(locale)}" if end else str(value)))
    if question.not_applicable:
        options.append(option(NOT_APPLICABLE, gettext(locale, "Not applicable")))
    return options


def choice_options(choices: tuple[Choice, ...], locale: str) -> list[Option]:
    return [option(choice.id, choice.label.get(locale)) for choice in choices]


def other_block(question: Question, locale: str, answers: Answers) -> list[Block]:
    """A "please specify" input right after a question with an "other" choice (always optional:
    the core asks for it when "other" is chosen)."""
    if not has_other(question):
        return []
    key = block_id(question.id, OTHER)
    return [
        InputBlock(
            block_id=key,
            label=plain(gettext(locale, "Please specify")),
            optional=True,
            element=PlainTextInputElement(
                action_id=ids.SURVEY_INPUT,
                max_length=OTHER_LIMIT,
                initial_value=answers.get(key) or None,
            ),
        )
    ]


def scale_blocks(question: Question, locale: str, answers: Answers, dispatch: bool) -> list[Block]:
    element = single_element(scale_options(question, locale), answers.get(question.id))
    return [input_block(question, element, locale, dispatch=dispatch)]


def single_blocks(question: Question, locale: str, answers: Answers, dispatch: bool) -> list[Block]:
    element = single_element(choice_options(question.choices, locale), answers.get(question.id))
    return [input_block(question, element, locale, dispatch=dispatch)] + other_block(
        question, locale, answers
    )


def multiple_blocks(
    question: Question, locale: str, answers: Answers, dispatch: bool
) -> list[Block]:
    """Checkboxes when they fit and no maximum applies, else a menu that holds the maximum."""
    options = choice_options(question.choices, locale)
    current = answers.get(question.id) or []
    picked = [o for o in options if o.value in {str(v) for v in current}] or None
    limit = question.max_choices
    if len(options) <= MAX_BUTTONS and (limit is None or limit >= len(options)):
        element: BlockElement = CheckboxesElement(
            action_id=ids.SURVEY_INPUT, options=options, initial_options=picked
        )
    else:
        element = StaticMultiSelectElement(
            action_id=ids.SURVEY_INPUT,
            options=options,
            initial_options=picked,
            max_selected_items=limit,
            placeholder=plain(gettext(locale, "Choose")),
        )
    return [input_block(question, element, locale, dispatch=dispatch)] + other_block(
        question, locale, answers
    )


def yes_no_options(question: Question, locale: str) -> list[Option]:
    labels = {
        "yes": gettext(locale, "Yes"),
        "no": gettext(locale, "No"),
        "dont_know": gettext(locale, "I don't know"),
    }
    return [option(value, labels[value]) for value in yes_no_values(question)]


def yes_no_blocks(question: Question, locale: str, answers: Answers, dispatch: bool) -> list[Block]:
    element = single_element(yes_no_options(question, locale), answers.get(question.id))
    return [input_block(question, element, locale, dispatch=dispatch)]


def text_blocks(question: Question, locale: str, answers: Answers, dispatch: bool) -> list[Block]:
    limit = min(question.max_length or DEFAULT_MAX_LENGTH[question.type], MAX_TEXT)
    current = answers.get(question.id)
    element = PlainTextInputElement(
        action_id=ids.SURVEY_INPUT,
        multiline=question.type == "long_text",
        max_length=limit,
        initial_value=str(current) if current not in (None, "") else None,
    )
    return [input_block(question, element, locale)]


def allows_decimals(question: Question) -> bool:
    """Whole numbers unless a bound is itself a decimal (``max_value = 2.5``)."""
    bounds = (question.min_value, question.max_value)
    return any(b is not None and float(b) != int(b) for b in bounds)


def number_blocks(question: Question, locale: str, answers: Answers, dispatch: bool) -> list[Block]:
    def bound(value: float | None) -> str | None:
        return None if value is None else f"{value:g}"

    current = answers.get(question.id)
    element = NumberInputElement(
        action_id=ids.SURVEY_INPUT,
        is_decimal_allowed=allows_decimals(question),
        min_value=bound(question.min_value),
        max_value=bound(question.max_value),
        initial_value=bound(current) if isinstance(current, int | float) else None,
    )
    return [input_block(question, element, locale)]


def heading(question: Question, locale: str) -> SectionBlock:
    """The question of a grid or a ranking, above its inputs, with its help."""
    text = f"*{escape(question.label.get(locale))}*"
    if question.help:
        text += f"\n_{escape(question.help.get(locale))}_"
    return SectionBlock(block_id=block_id(question.id, LABEL), text=MarkdownTextObject(text=text))


def grid_blocks(question: Question, locale: str, answers: Answers, dispatch: bool) -> list[Block]:
    """One menu per item, on the question's scale."""
    current = answers.get(question.id) or {}
    blocks: list[Block] = [heading(question, locale)]
    for item in question.items:
        options = scale_options(question, locale)
        blocks.append(
            InputBlock(
                block_id=block_id(question.id, ITEM, item.id),
                label=plain(item.label.get(locale)),
                optional=not question.required,
                element=single_element(options, current.get(item.id), buttons=False),
            )
        )
    return blocks


def ordinal(rank: int, locale: str) -> str:
    """``1er``, ``2e`` in French; ``1st``, ``2nd``, ``3rd``, ``4th`` in English."""
    if locale != "en":
        return "1er" if rank == 1 else f"{rank}e"
    suffix = "th" if 10 <= rank % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(rank % 10, "th")
    return f"{rank}{suffix}"


def rank_blocks(question: Question, locale: str, answers: Answers, dispatch: bool) -> list[Block]:
    """A menu per place ("1st choice", "2nd choice"…); the core checks they differ."""
    current = list(answers.get(question.id) or [])
    places = question.pick or len(question.items)
    blocks: list[Block] = [heading(question, locale)]
    for rank in range(1, places + 1):
        options = choice_options(question.items, locale)
        initial = current[rank - 1] if rank <= len(current) else None
        blocks.append(
            InputBlock(
                block_id=block_id(question.id, RANK, rank),
                label=plain(gettext(locale, "%(ordinal)s choice", ordinal=ordinal(rank, locale))),
                optional=not question.required,
                element=single_element(options, initial, buttons=False),
            )
        )
    return blocks + other_block(question, locale, answers)


Builder = Callable[[Question, str, Answers, bool], list[Block]]
BUILDERS: dict[str, Builder] = {
    "scale": scale_blocks,
    "single": single_blocks,
    "multiple": multiple_blocks,
    "yes_no": yes_no_blocks,
    "short_text": text_blocks,
    "long_text": text_blocks,
    "number": number_blocks,
    "grid": grid_blocks,
    "rank": rank_blocks,
}


def question_blocks(
    question: Question, locale: str, answers: Answers, *, dispatch: bool = False
) -> list[Block]:
    """The blocks asking ``question``; ``dispatch``: other questions depend on its answer."""
    return BUILDERS[question.type](question, locale, answers, dispatch)

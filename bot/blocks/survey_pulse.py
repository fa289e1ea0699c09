"""A pulse answered in its message: the message once a button was clicked, with the chosen
answer in place of the buttons (and thanks when the pulse is complete).

An anonymous campaign's message says only that the question is answered, never the answer:
the message stays in the person's direct messages, in Slack's history and exports, tied to
them.
"""

from __future__ import annotations

from typing import Any

from bot import ids
from bot.blocks.message_blocks import action_pattern
from bot.blocks.survey_questions import choice_options, scale_options, yes_no_options
from bulletins.i18n import gettext
from bulletins.mrkdwn import escape
from evaluation.surveys.definitions import Question

PULSE_ACTION = action_pattern(ids.SURVEY_PULSE)
ANSWERED = "pulse_answered"  # block id prefix of a shown answer


def answer_label(question: Question, value: object, locale: str) -> str:
    """``4``, ``5 — Very satisfied``, ``Yes``, or a choice's label."""
    if question.type == "scale":
        options = scale_options(question, locale)
    elif question.type == "yes_no":
        options = yes_no_options(question, locale)
    else:
        options = choice_options(question.choices, locale)
    found = next((o for o in options if o.value == str(value)), None)
    return found.to_dict()["text"]["text"] if found is not None else str(value)


def answers_buttons(block: dict[str, Any], question_id: str) -> bool:
    """Whether ``block`` is the row of buttons answering ``question_id``."""
    return pulse_row(block) and any(
        str(e.get("value", "")).split(":")[1:2] == [question_id] for e in block.get("elements", [])
    )


def text_block(text: str, kind: str = "section") -> dict[str, Any]:
    if kind == "context":
        return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def thanks(questions: int, locale: str) -> str:
    if questions > 1:
        return gettext(locale, "Thank you! Your answers are recorded.")
    return gettext(locale, "Thank you! Your answer is recorded.")


def answered_text(question: Question, value: object, locale: str, anonymous: bool) -> str:
    """What takes the place of the buttons: the answer, or (anonymous) only that it is given."""
    if anonymous:
        return gettext(locale, "Answered (anonymous: your answer is not shown here).")
    return gettext(
        locale, "Your answer: *%(answer)s*", answer=escape(answer_label(question, value, locale))
    )


def answered_blocks(
    blocks: list[dict[str, Any]],
    question: Question,
    value: object,
    locale: str,
    done: bool,
    *,
    anonymous: bool,
) -> list[dict[str, Any]]:
    """The message's ``blocks`` with ``question``'s buttons replaced by the chosen answer
    (``anonymous``: by "answered" alone); ``done``: the pulse is complete, say thanks."""
    chosen = answered_text(question, value, locale, anonymous)
    shown = [
        {**text_block(chosen), "block_id": f"{ANSWERED}.{question.id}"}
        if answers_buttons(block, question.id)
        else block
        for block in blocks
    ]
    if done:
        answered = sum(1 for b in shown if str(b.get("block_id", "")).startswith(ANSWERED))
        shown.append(text_block(thanks(answered, locale), "context"))
    return shown


def pulse_row(block: dict[str, Any]) -> bool:
    """Whether ``block`` is a row of pulse buttons."""
    return block.get("type") == "actions" and any(
        PULSE_ACTION.match(e.get("action_id") or "") for e in block.get("elements", [])
    )


def closed_blocks(blocks: list[dict[str, Any]], text: str) -> list[dict[str, Any]]:
    """The message without its answer buttons, saying the pulse has closed."""
    return [*(b for b in blocks if not pulse_row(b)), text_block(text, "context")]

"""The direct messages of a campaign: the invitation and the reminders.

A survey is answered in a form opened by an "Answer" button; a pulse (one short question)
is answered right in the message, one button per value. An anonymous pulse's answer cannot
be changed once sent: each of its buttons asks first, naming the choice.
"""

from __future__ import annotations

import math
from datetime import datetime

from bulletins.config import Settings
from bulletins.i18n import gettext
from bulletins.messages import Button, Confirm, Message, Section
from bulletins.mrkdwn import escape
from bulletins.rendering import render_sections
from evaluation.surveys.definitions import NOT_APPLICABLE, Question, Survey, yes_no_values

SURVEY_ANSWER = "survey_answer"  # value: the campaign id
SURVEY_PULSE = "survey_pulse"  # value: "<campaign id>:<question id>:<value>"

# Rough seconds to answer each kind of question (grids and rankings: per item).
_SECONDS = {"long_text": 120, "short_text": 40, "multiple": 20, "single": 15, "number": 15}
_PER_ITEM = {"grid": 8, "rank": 10}
CONFIRM_LABEL_CHARS = 150  # a choice named in a confirmation dialog (Slack: 300 in all)


def estimated_minutes(survey: Survey) -> int:
    """About how long the survey takes, in whole minutes (at least one)."""
    seconds = sum(
        _PER_ITEM[q.type] * max(len(q.items), 1)
        if q.type in _PER_ITEM
        else _SECONDS.get(q.type, 10)
        for q in survey.questions
    )
    return max(1, math.ceil(seconds / 60))


def pulse_value(campaign_id: int, question_id: str, value: object) -> str:
    return f"{campaign_id}:{question_id}:{value}"


def parse_pulse_value(text: str) -> tuple[int, str, str]:
    """``"12:mood:4"`` → ``(12, "mood", "4")``; raises ValueError on anything else."""
    campaign, _, rest = text.partition(":")
    question, _, value = rest.rpartition(":")
    if not campaign.isdigit() or not question or not value:
        raise ValueError(f"not a pulse answer: {text!r}")
    return int(campaign), question, value


def _context(campaign_closes: datetime, survey: Survey, locale: str, settings: Settings) -> dict:
    return {
        "title": survey.title.get(locale),
        "intro": survey.intro.get(locale),
        "anonymous": survey.anonymous,
        "k": settings.anonymity_k,
        "pulse": survey.is_pulse,
        "closes": campaign_closes.astimezone(settings.timezone),
        "pages": len(survey.pages),
        "minutes": estimated_minutes(survey),
    }


def invitation(
    campaign_id: int, closes_at: datetime, survey: Survey, locale: str, settings: Settings
) -> Message:
    """The invitation: what the survey is, who will see what, until when, how long."""
    context = _context(closes_at, survey, locale, settings)
    sections = [Section(text) for text in render_sections("survey_invite", locale, **context)]
    return Message(
        text=gettext(locale, "Survey: %(title)s", title=escape(context["title"])),
        header=context["title"],
        sections=(*sections, *_pulse_sections(campaign_id, survey, locale)),
        buttons=_answer_buttons(campaign_id, survey, locale),
    )


def reminder(
    campaign_id: int,
    closes_at: datetime,
    survey: Survey,
    locale: str,
    settings: Settings,
    last: bool,
) -> Message:
    """A reminder to someone who has not finished; the last one says when the survey closes."""
    context = _context(closes_at, survey, locale, settings)
    texts = render_sections("survey_reminder", locale, last=last, **context)
    return Message(
        text=gettext(locale, "Reminder: %(title)s", title=escape(context["title"])),
        sections=(*(Section(t) for t in texts), *_pulse_sections(campaign_id, survey, locale)),
        buttons=_answer_buttons(campaign_id, survey, locale),
    )


def _answer_buttons(campaign_id: int, survey: Survey, locale: str) -> tuple[Button, ...]:
    if survey.is_pulse:
        return ()
    return (Button(SURVEY_ANSWER, str(campaign_id), gettext(locale, "Answer"), primary=True),)


def _pulse_sections(campaign_id: int, survey: Survey, locale: str) -> tuple[Section, ...]:
    if not survey.is_pulse:
        return ()
    return tuple(
        Section(
            _question_text(question, locale),
            buttons=tuple(
                Button(
                    SURVEY_PULSE,
                    pulse_value(campaign_id, question.id, value),
                    label,
                    confirm=_confirm(question, value, label, locale) if survey.anonymous else None,
                )
                for value, label in pulse_choices(question, locale)
            ),
        )
        for question in survey.questions
    )


def _confirm(question: Question, value: str, label: str, locale: str) -> Confirm:
    """Asked before an anonymous answer is sent: it cannot be changed afterwards."""
    chosen = choice_text(question, value, label, locale)
    if len(chosen) > CONFIRM_LABEL_CHARS:
        chosen = chosen[: CONFIRM_LABEL_CHARS - 1] + "…"
    return Confirm(
        title=gettext(locale, "Send this answer?"),
        text=gettext(
            locale, "Send “%(answer)s”? Anonymous answers cannot be changed.", answer=chosen
        ),
        confirm=gettext(locale, "Send"),
        deny=gettext(locale, "Cancel"),
    )


def choice_text(question: Question, value: str, label: str, locale: str) -> str:
    """A button's choice in full: ``5 — Very satisfied`` for a scale's labelled end."""
    if question.type == "scale" and value != NOT_APPLICABLE:
        ends = {str(question.scale_min): question.low_label,
                str(question.scale_max): question.high_label}  # fmt: skip
        end = ends.get(value)
        if end:
            return f"{label} — {end.get(locale)}"
    return label


def _question_text(question: Question, locale: str) -> str:
    lines = [f"*{escape(question.label.get(locale))}*"]
    if question.help:
        lines.append(escape(question.help.get(locale)))
    if question.type == "scale" and (question.low_label or question.high_label):
        ends = [
            f"{value} = {escape(label.get(locale))}"
            for value, label in ((question.scale_min, question.low_label),
                                 (question.scale_max, question.high_label))
            if label
        ]  # fmt: skip
        lines.append(" · ".join(ends))
    return "\n".join(lines)


def pulse_choices(question: Question, locale: str) -> list[tuple[str, str]]:
    """The (value, label) of each button answering ``question`` in a message."""
    if question.type == "scale":
        values = [(str(v), str(v)) for v in range(question.scale_min, question.scale_max + 1)]
        if question.not_applicable:
            values.append((NOT_APPLICABLE, gettext(locale, "Not applicable")))
        return values
    if question.type == "yes_no":
        labels = (gettext(locale, "Yes"), gettext(locale, "No"), gettext(locale, "I don't know"))
        return list(zip(yes_no_values(question), labels, strict=False))
    # "other" needs a text to go with it: not answerable with a button
    return [(c.id, c.label.get(locale)) for c in question.choices if not c.other]


def pulse_answer(question: Question, raw: str) -> object:
    """A button's value as the answer it stands for (scale values are ints)."""
    if question.type == "scale" and raw != NOT_APPLICABLE:
        try:
            return int(raw)
        except ValueError:
            return raw  # left for validation to refuse
    return raw

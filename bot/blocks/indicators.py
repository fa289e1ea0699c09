"""The indicators modal (each indicator with its progress, and for the team's mentors and
the programme team the buttons to add one or to record a value), its two pushed forms, and
reading numbers back from them."""

from __future__ import annotations

import json
import re
from datetime import date

from babel.numbers import format_decimal, format_percent
from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ConfirmObject,
    DatePickerElement,
    DividerBlock,
    InputBlock,
    MarkdownTextObject,
    NumberInputElement,
    Option,
    PlainTextInputElement,
    SectionBlock,
    StaticSelectElement,
)

from bot import ids
from bot.blocks.bulletin_form import context_block, modal, plain
from bot.blocks.modals import section
from bulletins.cycle.bulletin import Problem
from bulletins.db.models import Indicator, Team
from bulletins.i18n import gettext
from bulletins.mrkdwn import escape
from evaluation.facts.indicators import MAX_NAME, MAX_TEXT, MAX_UNIT, IndicatorProgress

_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")


def number(value: float, locale: str) -> str:
    return format_decimal(value, format="#,##0.##", locale=locale)


def progress_line(item: IndicatorProgress, locale: str) -> str:
    """``Démarches dématérialisées : 42 / 60 (70 %)``, or what is known of it."""
    indicator = item.indicator
    name = escape(indicator.name)
    if item.latest is None:
        return gettext(locale, "%(name)s: no value yet", name=name)
    value = number(item.latest.value, locale)
    if indicator.unit:
        value = f"{value} {escape(indicator.unit)}"
    if indicator.target is None:
        return gettext(locale, "%(name)s: %(value)s", name=name, value=value)
    target = number(indicator.target, locale)
    text = gettext(
        locale, "%(name)s: %(value)s / %(target)s", name=name, value=value, target=target
    )
    if item.progress is not None:
        text += f" ({format_percent(item.progress, locale=locale)})"
    return text


def archive_button(indicator: Indicator, locale: str) -> ButtonElement:
    """Archive ``indicator``, once the person has confirmed."""
    name = indicator.name if len(indicator.name) <= 120 else f"{indicator.name[:119]}…"
    confirm = ConfirmObject(
        title=plain(gettext(locale, "Archive this indicator?")),
        text=plain(
            gettext(
                locale,
                "“%(name)s” will no longer be shown nor measured. Its values are kept.",
                name=name,
            )
        ),
        confirm=plain(gettext(locale, "Archive")),
        deny=plain(gettext(locale, "Cancel")),
        style="danger",
    )
    return ButtonElement(
        text=plain(gettext(locale, "Archive")),
        action_id=ids.INDICATOR_ARCHIVE,
        value=f"{indicator.team_id}:{indicator.id}",
        confirm=confirm,
    )


def indicator_blocks(item: IndicatorProgress, locale: str, can_edit: bool = False) -> list[Block]:
    """An indicator and its progress; for those who may edit, a button to archive it."""
    indicator, details = item.indicator, []
    details.append(gettext(locale, "Objective: %(text)s", text=escape(indicator.objective)))
    if indicator.method:
        details.append(gettext(locale, "Measured: %(text)s", text=escape(indicator.method)))
    if indicator.baseline is not None:
        baseline = number(indicator.baseline, locale)
        details.append(gettext(locale, "Baseline: %(value)s", value=baseline))
    if item.latest is not None:
        day = item.latest.measured_on.isoformat()
        details.append(gettext(locale, "Last measured on %(day)s.", day=day))
    title = SectionBlock(
        text=MarkdownTextObject(text=f"*{progress_line(item, locale)}*"),
        accessory=archive_button(indicator, locale) if can_edit else None,
    )
    return [title, context_block(" · ".join(details))]


def editor_buttons(team: Team, has_indicators: bool, locale: str) -> ActionsBlock:
    buttons = [
        ButtonElement(
            text=plain(gettext(locale, "Add an indicator")),
            action_id=ids.INDICATOR_ADD,
            value=str(team.id),
        )
    ]
    if has_indicators:
        buttons.append(
            ButtonElement(
                text=plain(gettext(locale, "Record a value")),
                action_id=ids.INDICATOR_MEASURE,
                value=str(team.id),
                style="primary",
            )
        )
    return ActionsBlock(block_id=ids.INDICATOR_ADD, elements=buttons)


def indicators_view(
    team: Team, items: list[IndicatorProgress], can_edit: bool, locale: str
) -> dict:
    """``team``'s indicators and their progress; the buttons only for those who may edit."""
    blocks: list[Block] = [
        context_block(gettext(locale, "*%(team)s* · the team's indicators", team=escape(team.name)))
    ]
    if not items:
        blocks.append(section(gettext(locale, "The team's mentors have set no indicator yet.")))
    for item in items[:30]:  # Slack shows at most 100 blocks
        blocks += indicator_blocks(item, locale, can_edit)
    if can_edit:
        blocks += [DividerBlock(), editor_buttons(team, bool(items), locale)]
    meta = json.dumps({"team": team.id})
    title = gettext(locale, "Indicators")
    return modal(
        ids.INDICATORS_VIEW, title, blocks, locale, gettext(locale, "Close"), private_metadata=meta
    )


def _input(field: str, label: str, element, *, optional: bool = False, hint: str | None = None):
    return InputBlock(
        block_id=field,
        label=plain(label),
        element=element,
        optional=optional,
        hint=plain(hint) if hint else None,
    )


def _text(field: str, limit: int, *, multiline: bool = False) -> PlainTextInputElement:
    return PlainTextInputElement(
        action_id=ids.input_id(field), max_length=limit, multiline=multiline
    )


def _number(field: str) -> NumberInputElement:
    return NumberInputElement(action_id=ids.input_id(field), is_decimal_allowed=True)


def pushed_metadata(team: Team, list_view_id: str) -> str:
    return json.dumps({"team": team.id, "list": list_view_id})


def add_view(team: Team, list_view_id: str, locale: str) -> dict:
    """A new indicator: objective, name, how it is measured, unit, baseline and target."""
    blocks = [
        _input(
            "objective", gettext(locale, "Objective"), _text("objective", MAX_TEXT, multiline=True)
        ),
        _input(
            "name",
            gettext(locale, "What is measured"),
            _text("name", MAX_NAME),
            hint=gettext(locale, "For example: Procedures available online"),
        ),  # fmt: skip
        _input(
            "method",
            gettext(locale, "How it is measured"),
            _text("method", MAX_TEXT, multiline=True),
            optional=True,
        ),  # fmt: skip
        _input("unit", gettext(locale, "Unit"), _text("unit", MAX_UNIT), optional=True),
        _input(
            "baseline", gettext(locale, "Value at the start"), _number("baseline"), optional=True
        ),
        _input("target", gettext(locale, "Target"), _number("target"), optional=True),
    ]
    return modal(
        ids.INDICATOR_ADD_VIEW,
        gettext(locale, "New indicator"),
        blocks,
        locale,
        submit=plain(gettext(locale, "Add")),
        private_metadata=pushed_metadata(team, list_view_id),
    )


def value_view(
    team: Team, items: list[IndicatorProgress], list_view_id: str, today: date, locale: str
) -> dict:
    """A measure of one of the team's indicators, on a day (today unless said)."""
    options = [Option(value=str(i.indicator.id), label=i.indicator.name[:75]) for i in items]
    chosen = options[0] if len(options) == 1 else None
    select = StaticSelectElement(
        action_id=ids.input_id("indicator"), options=options[:100], initial_option=chosen
    )
    measured = DatePickerElement(
        action_id=ids.input_id("measured_on"), initial_date=today.isoformat()
    )
    blocks = [
        _input("indicator", gettext(locale, "Indicator"), select),
        _input("value", gettext(locale, "Value"), _number("value")),
        _input("measured_on", gettext(locale, "Measured on"), measured),
    ]
    return modal(
        ids.INDICATOR_VALUE_VIEW,
        gettext(locale, "Record a value"),
        blocks,
        locale,
        submit=plain(gettext(locale, "Save")),
        private_metadata=pushed_metadata(team, list_view_id),
    )


def read_number(text: str | None, field: str, problems: dict[str, Problem]) -> float | None:
    """``42``, ``3.5`` or ``3,5`` as a number; None when blank; else a problem for ``field``."""
    text = (text or "").strip().replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    if not _NUMBER.match(text):
        problems[field] = Problem("Give a number, such as 42 or 3.5.")
        return None
    return float(text.replace(",", "."))

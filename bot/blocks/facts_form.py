"""The team facts modal (prefilled with the team's current sheet), the team picker of
``/bulletin facts`` and ``/bulletin indicators``, and reading the modal's inputs back."""

from __future__ import annotations

import json
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    DatePickerElement,
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
from bot.blocks.modals import team_buttons
from bulletins.dates import format_day, format_moment
from bulletins.db.models import Team, TeamFacts, ToolStatus
from bulletins.i18n import gettext
from bulletins.mrkdwn import escape
from bulletins.names import shown_name
from evaluation.facts.sheets import MAX_NOTE, TEXT_LISTS, FactsInput

StateValues = dict[str, dict[str, dict[str, Any]]]


def tool_status_label(status: str, locale: str) -> str:
    labels = {
        ToolStatus.IN_PRODUCTION: gettext(locale, "In production"),
        ToolStatus.PLANNED: gettext(locale, "Planned"),
        ToolStatus.ABANDONED: gettext(locale, "Abandoned"),
        ToolStatus.UNKNOWN: gettext(locale, "Not known yet"),
    }
    return labels.get(status, status)


def _options(choices: dict[str, str]) -> list[Option]:
    return [Option(value=value, label=label) for value, label in choices.items()]


def _select(field: str, label: str, choices: dict[str, str], initial: str | None) -> InputBlock:
    options = _options(choices)
    chosen = next((option for option in options if option.value == initial), None)
    return InputBlock(
        block_id=field,
        label=plain(label),
        optional=field != "tool_status",
        element=StaticSelectElement(
            action_id=ids.input_id(field), options=options, initial_option=chosen
        ),
    )


def _count(field: str, label: str, value: int) -> InputBlock:
    return InputBlock(
        block_id=field,
        label=plain(label),
        optional=True,
        element=NumberInputElement(
            action_id=ids.input_id(field),
            is_decimal_allowed=False,
            min_value="0",
            initial_value=str(value),
        ),
    )


def _text(
    field: str, label: str, hint: str, initial: str, *, limit: int | None = None
) -> InputBlock:
    return InputBlock(
        block_id=field,
        label=plain(label),
        hint=plain(hint),
        optional=True,
        element=PlainTextInputElement(
            action_id=ids.input_id(field),
            multiline=True,
            max_length=limit,
            initial_value=initial or None,
        ),
    )


def _list(field: str, label: str, items: tuple[str, ...], locale: str) -> InputBlock:
    if field in TEXT_LISTS:
        hint = gettext(locale, "One per line.")
    else:
        hint = gettext(locale, "One web link per line, starting with https://.")
    return _text(field, label, hint, "\n".join(items))


def _planned(values: FactsInput, label: str) -> InputBlock:
    planned = values.tool_planned_on
    return InputBlock(
        block_id="tool_planned_on",
        label=plain(label),
        optional=True,
        element=DatePickerElement(
            action_id=ids.input_id("tool_planned_on"),
            initial_date=planned.isoformat() if planned else None,
        ),
    )


def fact_blocks(values: FactsInput, locale: str) -> list[Block]:
    """The sheet's inputs, holding ``values``."""
    statuses = {status.value: tool_status_label(status, locale) for status in ToolStatus}
    audit = {"yes": gettext(locale, "Yes"), "no": gettext(locale, "No")}
    audited = {True: "yes", False: "no"}.get(values.accessibility_audit)  # type: ignore[arg-type]
    return [
        _select("tool_status", gettext(locale, "The tool"), statuses, values.tool_status),
        _planned(values, gettext(locale, "Planned for (when the tool is planned)")),
        _count(
            "people_hired",
            gettext(locale, "People hired or kept by the administration"),
            values.people_hired,
        ),
        _list("repositories", gettext(locale, "Code repositories"), values.repositories, locale),
        _list(
            "libraries", gettext(locale, "Reusable libraries published"), values.libraries, locale
        ),
        _list("datasets", gettext(locale, "Open datasets published"), values.datasets, locale),
        _count("trainings_count", gettext(locale, "Trainings given"), values.trainings_count),
        _list(
            "training_topics", gettext(locale, "Training topics"), values.training_topics, locale
        ),
        _list(
            "contributions",
            gettext(locale, "Contributions to other open-source projects"),
            values.contributions,
            locale,
        ),
        _select(
            "accessibility_audit", gettext(locale, "Accessibility audit done?"), audit, audited
        ),
        _text(
            "note",
            gettext(locale, "Anything to add"),
            gettext(locale, "At most %(limit)s characters.", limit=MAX_NOTE),
            values.note or "",
            limit=MAX_NOTE,
        ),
    ]


def recorded_line(facts: TeamFacts, locale: str, local) -> str:
    """Who recorded the current sheet, and when."""
    when = format_moment(local(facts.recorded_at), locale)
    if facts.recorded_by is None:
        return gettext(locale, "Last updated by an import, %(when)s.", when=when)
    return gettext(
        locale,
        "Last updated by %(name)s, %(when)s.",
        name=escape(shown_name(facts.recorded_by, locale)),
        when=when,
    )


def facts_view(team: Team, facts: TeamFacts | None, locale: str, local) -> dict:
    """The facts modal of ``team``, prefilled with its current sheet; ``local`` turns a UTC
    moment into the programme's time."""
    lines = [
        gettext(
            locale,
            "*%(team)s* · what the team has achieved so far, for the programme's evaluation.",
            team=escape(team.name),
        )
    ]
    if facts is not None:
        lines.append(recorded_line(facts, locale, local))
    blocks = [context_block(*lines), *fact_blocks(FactsInput.of(facts), locale)]
    return modal(
        ids.FACTS_VIEW,
        gettext(locale, "Team facts"),
        blocks,
        locale,
        submit=plain(gettext(locale, "Save")),
        private_metadata=json.dumps({"team": team.id}),
    )


def raw_facts(values: StateValues) -> dict[str, str | None]:
    """The modal's inputs as text by field name, for ``evaluation.facts.sheets.parse_facts``."""
    raw: dict[str, str | None] = {}
    for field, actions in values.items():
        entry = actions.get(ids.input_id(field)) or {}
        option = entry.get("selected_option") or {}
        raw[field] = entry.get("value") or entry.get("selected_date") or option.get("value")
    return raw


def team_of(private_metadata: str) -> int:
    return int(json.loads(private_metadata)["team"])


def picker_view(teams: list[Team], purpose: str, locale: str) -> dict:
    """Which team the facts (or the indicators) are for."""
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=gettext(locale, "Which team is this for?"))),
        *team_buttons(teams, ids.EVALUATION_PICK_TEAM, f"{purpose}:", locale),
    ]
    return modal(ids.EVALUATION_PICKER_VIEW, gettext(locale, "Which team?"), blocks, locale)


def home_line(facts: TeamFacts | None, indicators: int, locale: str) -> str:
    """A team's line on the Home tab: its tool's status and how many indicators it has."""
    status = tool_status_label(facts.tool_status if facts else ToolStatus.UNKNOWN, locale)
    if facts is not None and facts.tool_planned_on is not None:
        day = format_day(facts.tool_planned_on, locale, "d MMMM y")
        status = gettext(locale, "%(status)s for %(day)s", status=status, day=day)
    # Not ngettext: the merged French catalog gets Babel's three plural forms, and two msgstr.
    if indicators == 1:
        count = gettext(locale, "1 indicator")
    else:
        count = gettext(locale, "%(count)s indicators", count=indicators)
    return gettext(locale, "🛠️ Tool: %(status)s · %(count)s", status=status, count=count)

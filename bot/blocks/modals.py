"""The small modals around the bulletin form: "no bulletin this week", the team picker,
and a notice with nothing to submit."""

from __future__ import annotations

import json

from slack_sdk.models.blocks import (
    Block,
    ButtonElement,
    InputBlock,
    MarkdownTextObject,
    PlainTextInputElement,
    SectionBlock,
)

from bot import ids
from bot.blocks.bulletin_form import metadata, modal, modal_title, plain
from bulletins.calendar import IsoWeek
from bulletins.cycle.bulletin import MAX_REASON
from bulletins.dates import week_start
from bulletins.db.models import Team
from bulletins.i18n import gettext
from bulletins.mrkdwn import escape


def section(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=text))


def excuse_view(team: Team, week: IsoWeek, locale: str) -> dict:
    """Say that ``team`` files no bulletin for ``week``, and why."""
    intro = gettext(
        locale,
        "*%(team)s* will not file a bulletin for the week of %(week)s. The digest shows the team "
        "as excused, with your reason, and nobody is reminded.",
        team=escape(team.name),
        week=week_start(week, locale),
    )
    reason = InputBlock(
        block_id=ids.REASON,
        label=plain(gettext(locale, "Why? (holidays, an event…)")),
        hint=plain(gettext(locale, "At most %(limit)s characters.", limit=MAX_REASON)),
        element=PlainTextInputElement(
            action_id=ids.input_id(ids.REASON), multiline=True, max_length=MAX_REASON
        ),
    )
    return modal(
        ids.EXCUSE_VIEW,
        modal_title(team.name, week, locale),
        [section(intro), reason],
        locale,
        submit=plain(gettext(locale, "Confirm")),
        private_metadata=metadata(team, week),
    )


def team_buttons(teams: list[Team], action_id: str, value_prefix: str, locale: str) -> list[Block]:
    """One section per team with a "Choose" button whose value is the prefix and the id."""
    return [
        SectionBlock(
            block_id=ids.team_block(team.id),
            text=MarkdownTextObject(text=f"*{escape(team.name)}*"),
            accessory=ButtonElement(
                text=plain(gettext(locale, "Choose")),
                action_id=action_id,
                value=f"{value_prefix}{team.id}",
            ),
        )
        for team in teams
    ]


def picker_view(teams: list[Team], purpose: str, locale: str) -> dict:
    """Which of their teams a person in several teams writes for."""
    blocks: list[Block] = [
        section(gettext(locale, "You are in several teams. Which team is this for?")),
        *team_buttons(teams, ids.PICK_TEAM, "", locale),
    ]
    return modal(
        ids.TEAM_PICKER_VIEW,
        gettext(locale, "Which team?"),
        blocks,
        locale,
        private_metadata=json.dumps({"purpose": purpose}),
    )


def notice_view(title: str, text: str, locale: str) -> dict:
    """A modal that only says something."""
    return modal(ids.NOTICE_VIEW, title, [section(text)], locale, gettext(locale, "Close"))

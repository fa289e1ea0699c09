"""Core messages (header, sections, buttons, context) as Block Kit."""

from __future__ import annotations

import re
from collections.abc import Sequence

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ConfirmObject,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bulletins.messages import Button, Confirm, Message

HEADER_CHARS = 150
BUTTON_CHARS = 75
# Slack's limits on a confirmation dialog: title, text, and each of its two buttons.
CONFIRM_CHARS = {"title": 100, "text": 300, "confirm": 30, "deny": 30}
# Slack refuses two elements with one action id in a block: the second and later buttons of
# a row sharing an action get "<action>.<n>"; listeners match them with action_pattern().
_SUFFIX = "."


def button(spec: Button, action_id: str | None = None) -> ButtonElement:
    return ButtonElement(
        text=PlainTextObject(text=spec.label[:BUTTON_CHARS], emoji=True),
        action_id=action_id or spec.action,
        value=spec.value,
        style="primary" if spec.primary else None,
        confirm=confirm_dialog(spec.confirm) if spec.confirm else None,
    )


def confirm_dialog(spec: Confirm) -> ConfirmObject:
    """The dialog Slack shows before sending the click, its texts cut to Slack's limits."""

    def plain(field: str) -> PlainTextObject:
        text = getattr(spec, field)
        limit = CONFIRM_CHARS[field]
        return PlainTextObject(text=text if len(text) <= limit else text[: limit - 1] + "…")

    return ConfirmObject(**{field: plain(field) for field in CONFIRM_CHARS})


def action_pattern(action: str) -> re.Pattern[str]:
    """Matches ``action`` as a row of buttons renders it: ``action`` or ``action.<n>``."""
    return re.compile(rf"^{re.escape(action)}(?:{re.escape(_SUFFIX)}\d+)?$")


def button_row(specs: Sequence[Button]) -> ActionsBlock:
    """Buttons side by side; those sharing an action get distinct action ids."""
    seen: dict[str, int] = {}
    elements = []
    for spec in specs:
        count = seen.get(spec.action, 0)
        seen[spec.action] = count + 1
        elements.append(button(spec, f"{spec.action}{_SUFFIX}{count}" if count else None))
    return ActionsBlock(elements=elements)


def message_blocks(message: Message) -> list[Block]:
    blocks: list[Block] = []
    if message.header:
        blocks.append(HeaderBlock(text=PlainTextObject(text=message.header[:HEADER_CHARS])))
    for section in message.sections:
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(text=section.text),
                accessory=button(section.button) if section.button else None,
            )
        )
        if section.buttons:
            blocks.append(button_row(section.buttons))
    if message.buttons:
        blocks.append(button_row(message.buttons))
    if message.context:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=message.context)]))
    return blocks


def message_kwargs(message: Message) -> dict:
    """Arguments for chat.postMessage / chat.update / chat.postEphemeral."""
    return {
        "text": message.text,
        "blocks": [block.to_dict() for block in message_blocks(message)],
        "unfurl_links": False,
        "unfurl_media": False,
    }

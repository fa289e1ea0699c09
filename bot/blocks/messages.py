"""Core messages (header, sections, buttons, context) as Block Kit."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bulletins.messages import Button, Message

HEADER_CHARS = 150


def button(spec: Button) -> ButtonElement:
    return ButtonElement(
        text=PlainTextObject(text=spec.label[:75], emoji=True),
        action_id=spec.action,
        value=spec.value,
        style="primary" if spec.primary else None,
    )


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
    if message.buttons:
        blocks.append(ActionsBlock(elements=[button(b) for b in message.buttons]))
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

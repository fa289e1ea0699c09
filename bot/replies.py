"""Telling a person something: ephemeral where they acted when Slack gave a response_url,
else in a direct message."""

from __future__ import annotations

from collections.abc import Callable

from bot.blocks.message_blocks import message_kwargs
from bot.bootstrap import Services
from bulletins.messages import Message, Section, split_message

Reply = Callable[[Message], None]


def text_message(*sections: str) -> Message:
    """A message of mrkdwn sections; its notification text is the first one."""
    text = sections[0][:300] if sections else ""
    return Message(text=text, sections=tuple(Section(s) for s in sections))


def reply_to(services: Services, user_id: str, respond: Callable | None = None) -> Reply:
    """A function sending a message to ``user_id``: ephemeral through ``respond`` if given,
    else as a direct message from the bot."""

    def send(message: Message) -> None:
        for part in split_message(message):
            kwargs = message_kwargs(part)
            if respond is not None:
                respond(**kwargs, response_type="ephemeral", replace_original=False)
            else:
                services.slack.chat_postMessage(channel=user_id, **kwargs)

    return send

"""Slack's text markup ("mrkdwn"), as far as the core needs it: escaping and splitting.

Text written by people is escaped wherever it is reposted, so that it can neither
mention ``@channel``, ``@here``, a user or a group, nor break the markup around it.
"""

from __future__ import annotations

import re

# Slack turns these into mentions when posted with link_names or parse=full; a word joiner
# after the "@" keeps them plain text whatever the posting options.
_BROADCAST = re.compile(r"@(channel|here|everyone)\b", re.IGNORECASE)


class Mrkdwn(str):
    """Text that is already markup (written by the product, not by a person)."""


def escape(text: object) -> Mrkdwn:
    """Escape a person's text for mrkdwn: ``&``, ``<``, ``>`` and broadcast words.

    ``<!channel>``, ``<@U123>`` or ``<!subteam^S1>`` typed by a person come out as the
    visible characters, not as mentions. Line breaks and punctuation are kept.
    """
    if isinstance(text, Mrkdwn):
        return text
    value = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return Mrkdwn(_BROADCAST.sub("@\u2060\\1", value))


def quote(text: object) -> Mrkdwn:
    """A person's multi-line text as a block quote, escaped."""
    lines = escape(text).splitlines() or [""]
    return Mrkdwn("\n".join(f">{line}" for line in lines))


def mention(slack_user_id: str) -> Mrkdwn:
    return Mrkdwn(f"<@{slack_user_id}>")


def split_text(text: str, limit: int) -> list[str]:
    """Cut ``text`` into pieces of at most ``limit`` characters, at paragraph, line or
    word boundaries when possible."""
    pieces: list[str] = []
    while len(text) > limit:
        cut = max(text.rfind("\n\n", 0, limit), text.rfind("\n", 0, limit))
        if cut <= 0:
            cut = text.rfind(" ", 0, limit)
        if cut <= 0:
            cut = limit
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip("\n ")
    if text.strip():
        pieces.append(text)
    return pieces

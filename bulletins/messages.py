"""Messages as the core composes them, before any chat platform's markup.

A :class:`Message` is a header, sections of mrkdwn text (each with an optional button beside
it, or a row of buttons under it), buttons at the end and a context line. The Slack adapter
turns it into Block Kit; the demo turns it into Markdown and HTML. It travels through the
outbox as plain JSON.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

from bulletins.mrkdwn import split_text


@dataclass(frozen=True)
class Confirm:
    """A question the person answers before a button's click is sent (plain text): Slack
    shows it in a dialog, with ``confirm`` and ``deny`` as its two buttons."""

    title: str
    text: str
    confirm: str
    deny: str


@dataclass(frozen=True)
class Button:
    """A button that asks the app to do ``action`` with ``value`` (see bot/ids.py), after
    ``confirm`` if given."""

    action: str
    value: str
    label: str
    primary: bool = False
    confirm: Confirm | None = None

    @classmethod
    def from_json(cls, data: dict) -> Button:
        confirm = data.get("confirm")
        return cls(**(data | {"confirm": Confirm(**confirm) if confirm else None}))


@dataclass(frozen=True)
class Section:
    """Text, with a ``button`` beside it or a row of ``buttons`` under it (e.g. a pulse's
    answers, which may share one action: the adapter keeps their ids distinct)."""

    text: str
    button: Button | None = None
    buttons: tuple[Button, ...] = ()


@dataclass(frozen=True)
class Message:
    text: str
    header: str | None = None
    sections: tuple[Section, ...] = ()
    buttons: tuple[Button, ...] = ()
    context: str | None = None

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Message:
        def button(raw: dict | None) -> Button | None:
            return Button.from_json(raw) if raw else None

        return cls(
            text=data["text"],
            header=data.get("header"),
            sections=tuple(
                Section(
                    s["text"],
                    button(s.get("button")),
                    tuple(Button.from_json(b) for b in s.get("buttons", ())),
                )
                for s in data.get("sections", ())
            ),
            buttons=tuple(Button.from_json(b) for b in data.get("buttons", ())),
            context=data.get("context"),
        )


@dataclass(frozen=True)
class Limits:
    """How much one message may hold (Slack: 50 blocks, 3,000 characters a section)."""

    sections: int = 45
    section_chars: int = 3000


def split_message(message: Message, limits: Limits = Limits()) -> list[Message]:
    """Cut a message that is too long into several; the first keeps the header and
    buttons, the last keeps the context line."""
    sections: list[Section] = []
    for section in message.sections:
        pieces = split_text(section.text, limits.section_chars)
        sections += [Section(piece) for piece in pieces[:-1]]
        sections.append(replace(section, text=pieces[-1] if pieces else ""))
    if len(sections) <= limits.sections:
        return [replace(message, sections=tuple(sections))]
    chunks = [
        tuple(sections[i : i + limits.sections]) for i in range(0, len(sections), limits.sections)
    ]
    parts = [replace(message, sections=chunks[0], context=None)]
    parts += [Message(text=message.text, sections=chunk) for chunk in chunks[1:-1]]
    parts.append(Message(text=message.text, sections=chunks[-1], context=message.context))
    return parts

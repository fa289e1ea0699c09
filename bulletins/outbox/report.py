"""What the programme team reads about the outbox: which messages could not be delivered,
and why. Read-only; delivery itself is ``bulletins.outbox``'s."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, tzinfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bulletins.db.models import Campaign, OutboxMessage, OutboxStatus

COLUMNS = (
    "key",
    "kind",
    "channel",
    "status",
    "attempts",
    "error",
    "permanent",
    "created",
    "not before",
    "sent",
)
WIDEST = {"key": 60, "error": 70}  # longer cells are cut, so that a row stays on one line


def outbox_rows(
    session: Session, *, failed_only: bool = False, limit: int = 50
) -> list[OutboxMessage]:
    """The latest ``limit`` messages of the outbox, newest first; only the failed ones when
    ``failed_only``."""
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
    if failed_only:
        query = query.where(OutboxMessage.status == OutboxStatus.FAILED)
    return list(session.scalars(query))


def undelivered_count(session: Session) -> int:
    """How many messages could not be delivered and will not be tried again."""
    query = select(func.count(OutboxMessage.id)).where(OutboxMessage.status == OutboxStatus.FAILED)
    return session.scalar(query) or 0


def _moment(value: datetime | None, timezone: tzinfo) -> str:
    return value.astimezone(timezone).strftime("%Y-%m-%d %H:%M") if value else "-"


def _cut(text: str, width: int | None) -> str:
    text = " ".join(text.split())  # an error may span lines
    return text if width is None or len(text) <= width else text[: width - 1] + "…"


def anonymous_prefixes(session: Session) -> tuple[str, ...]:
    """The key prefixes of the messages of anonymous survey campaigns (invitations,
    reminders): ``survey:<campaign key>:``."""
    keys = session.scalars(select(Campaign.key).where(Campaign.anonymous.is_(True)))
    return tuple(f"survey:{key}:" for key in keys)


_PERSON = re.compile(r"person-\d+")
HIDDEN = "…"


def row_cells(row: OutboxMessage, timezone: tzinfo, anonymous: tuple[str, ...] = ()) -> list[str]:
    """One message as the table's cells, times in ``timezone``. For a message of an
    anonymous survey (a key starting with one of ``anonymous``), the person it went to is
    not shown: reminders go to those who have not answered yet, and two listings a day
    apart would tell who answered in between."""
    key, channel = row.key, row.channel
    if anonymous and key.startswith(anonymous):
        key, channel = _PERSON.sub(f"person-{HIDDEN}", key), HIDDEN
    cells = [
        key,
        row.kind,
        channel,
        row.status,
        str(row.attempts),
        row.error or "-",
        "yes" if row.permanent else "no",
        _moment(row.created_at, timezone),
        _moment(row.not_before, timezone),
        _moment(row.sent_at, timezone),
    ]
    return [_cut(cell, WIDEST.get(name)) for name, cell in zip(COLUMNS, cells, strict=True)]


def outbox_table(
    rows: Sequence[OutboxMessage], timezone: tzinfo, anonymous: tuple[str, ...] = ()
) -> str:
    """A plain-text table of ``rows``, one line each under a header; the people of
    ``anonymous`` surveys' messages hidden (see ``row_cells``)."""
    table = [list(COLUMNS)] + [row_cells(row, timezone, anonymous) for row in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(COLUMNS))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip()
        for line in table
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)

"""What the programme team reads about the outbox: which messages could not be delivered,
and why. Read-only; delivery itself is ``bulletins.outbox``'s."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bulletins.db.models import OutboxMessage, OutboxStatus

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


def row_cells(row: OutboxMessage, timezone: tzinfo) -> list[str]:
    """One message as the table's cells, times in ``timezone``."""
    cells = [
        row.key,
        row.kind,
        row.channel,
        row.status,
        str(row.attempts),
        row.error or "-",
        "yes" if row.permanent else "no",
        _moment(row.created_at, timezone),
        _moment(row.not_before, timezone),
        _moment(row.sent_at, timezone),
    ]
    return [_cut(cell, WIDEST.get(name)) for name, cell in zip(COLUMNS, cells, strict=True)]


def outbox_table(rows: Sequence[OutboxMessage], timezone: tzinfo) -> str:
    """A plain-text table of ``rows``, one line each under a header."""
    table = [list(COLUMNS)] + [row_cells(row, timezone) for row in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(COLUMNS))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip()
        for line in table
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)

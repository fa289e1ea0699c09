"""The bulletins as a CSV file for spreadsheets: one row per team and week written.

A row is a filed bulletin (``status`` ``filed`` or ``late``) or an excused week
(``status`` ``excused``, with its reason, who excused it and when; the bulletin
columns stay empty). Silent weeks have no row: nothing was written.

The file is meant for French spreadsheet users first, so it is written as Excel-FR
opens it with a double click: UTF-8 *with* a byte-order mark (without it Excel reads
the accents as Latin-1) and ``;`` between values (Excel-FR splits on its list
separator, ``;``). ``delimiter=","`` gives the usual comma file for other tools.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import astuple, dataclass, fields
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from bulletins.calendar import IsoWeek, ProgrammeCalendar
from bulletins.db.models import Bulletin, Cohort, Team, WeekExcuse
from bulletins.i18n import gettext
from bulletins.names import shown_name


def _(message: str) -> str:
    """Mark ``message`` for extraction; it is translated where it is used."""
    return message


# The words behind the mood emoji of bulletins.cycle.bulletin.MOODS.
MOOD_LABELS = {1: _("Difficult"), 2: _("Mixed"), 3: _("Good"), 4: _("Great")}
ENCODING = "utf-8-sig"  # UTF-8 with a byte-order mark, for Excel


@dataclass(frozen=True)
class ExportRow:
    """One line of the export; the field names are the CSV's header."""

    week: str
    week_start: str
    week_end: str
    cohort: str
    team: str
    status: str
    mood: int | str
    mood_label: str
    priority: str
    ups_and_downs: str
    help_request: str
    key_date: str
    key_date_label: str
    author: str
    created_at: str
    updated_at: str
    late: int
    excuse_reason: str


HEADER = tuple(f.name for f in fields(ExportRow))


def export_rows(
    session: Session, calendar: ProgrammeCalendar, cohort: Cohort | None = None, locale: str = "fr"
) -> list[ExportRow]:
    """Every bulletin and excused week (of ``cohort``, if given), by week then team."""
    local = _local_time(calendar)
    rows = [_bulletin_row(b, local, locale) for b in _bulletins(session, cohort)]
    rows += [_excuse_row(e, local, locale) for e in _excuses(session, cohort)]
    return sorted(rows, key=lambda row: (row.week, row.team.casefold(), row.cohort))


def _bulletins(session: Session, cohort: Cohort | None) -> Iterable[Bulletin]:
    query = select(Bulletin).options(
        joinedload(Bulletin.team).joinedload(Team.cohort), joinedload(Bulletin.author)
    )
    if cohort is not None:
        query = query.join(Bulletin.team).where(Team.cohort_id == cohort.id)
    return session.scalars(query).unique()


def _excuses(session: Session, cohort: Cohort | None) -> Iterable[WeekExcuse]:
    query = select(WeekExcuse).options(
        joinedload(WeekExcuse.team).joinedload(Team.cohort), joinedload(WeekExcuse.by)
    )
    if cohort is not None:
        query = query.join(WeekExcuse.team).where(Team.cohort_id == cohort.id)
    return session.scalars(query).unique()


def _local_time(calendar: ProgrammeCalendar) -> Callable[[datetime], str]:
    def iso(moment: datetime) -> str:
        return calendar.local(moment).isoformat(timespec="seconds")

    return iso


def _week_columns(key: str) -> dict[str, str]:
    week = IsoWeek.parse(key)
    return {"week": key, "week_start": str(week.monday), "week_end": str(week.sunday)}


def _bulletin_row(bulletin: Bulletin, iso: Callable[[datetime], str], locale: str) -> ExportRow:
    return ExportRow(
        **_week_columns(bulletin.week),
        cohort=bulletin.team.cohort.name,
        team=bulletin.team.name,
        status="late" if bulletin.late else "filed",
        mood=bulletin.mood,
        mood_label=gettext(locale, MOOD_LABELS[bulletin.mood]),
        priority=bulletin.priority,
        ups_and_downs=bulletin.ups_and_downs,
        help_request=bulletin.help_request or "",
        key_date=bulletin.key_date.isoformat() if bulletin.key_date else "",
        key_date_label=bulletin.key_date_label or "",
        author=shown_name(bulletin.author, locale),
        created_at=iso(bulletin.created_at),
        updated_at=iso(bulletin.updated_at),
        late=int(bulletin.late),
        excuse_reason="",
    )


def _excuse_row(excuse: WeekExcuse, iso: Callable[[datetime], str], locale: str) -> ExportRow:
    return ExportRow(
        **_week_columns(excuse.week),
        cohort=excuse.team.cohort.name,
        team=excuse.team.name,
        status="excused",
        mood="",
        mood_label="",
        priority="",
        ups_and_downs="",
        help_request="",
        key_date="",
        key_date_label="",
        author=shown_name(excuse.by, locale),
        created_at=iso(excuse.at),
        updated_at=iso(excuse.at),
        late=0,
        excuse_reason=excuse.reason,
    )


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """A cell a spreadsheet will show as text: what people typed starting with ``=``, ``+``,
    ``-``, ``@``, a tab or a carriage return would otherwise run as a formula when the file is
    opened. Numbers are left as they are."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def safe_csv(header: Sequence[str], rows: Iterable[Sequence[object]], delimiter: str = ",") -> str:
    """CSV text, header first, lines ended by CRLF, every cell through :func:`spreadsheet_safe`:
    the one writer of every file meant for spreadsheets (this export and the open data)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(tuple(map(spreadsheet_safe, header)))
    writer.writerows(tuple(map(spreadsheet_safe, row)) for row in rows)
    return buffer.getvalue()


def to_csv(rows: Iterable[ExportRow], delimiter: str = ";") -> str:
    """The CSV text (header first), without the byte-order mark."""
    return safe_csv(HEADER, (astuple(row) for row in rows), delimiter)


def write_csv(rows: Iterable[ExportRow], path: Path, delimiter: str = ";") -> int:
    """Write the rows to ``path`` as Excel-FR reads them; returns how many rows."""
    rows = list(rows)
    path.write_bytes(to_csv(rows, delimiter).encode(ENCODING))
    return len(rows)

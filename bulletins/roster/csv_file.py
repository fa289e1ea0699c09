"""The roster: a CSV of cohorts, teams and people, parsed strictly and imported idempotently.

A roster file has one row per person and place::

    cohort,team,role,name,slack_user_id[,email,administration,description]

``role`` is ``fellow`` or ``mentor`` (in a team) or ``staff`` (no team). An ``email`` is
checked but not stored: nothing in the product uses it. Parsing
checks every row and reports every problem at once, with line numbers as a
spreadsheet shows them (the header is line 1), so nothing is half-imported.

This module reads and parses roster files. The rows and their checks live in
``bulletins.roster.rows``, the database import in ``bulletins.roster.importing``;
their public names are re-exported here, so ``from bulletins.roster.csv_file import ...``
serves them all.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

from bulletins.errors import Part, RosterError, RowProblem
from bulletins.roster.importing import Counts, ImportReport, import_roster
from bulletins.roster.rows import (
    EMAIL,
    MAX_LENGTHS,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    ROLES,
    SLACK_USER_ID,
    TEAM_ROLES,
    UNSTORED_COLUMNS,
    RosterRow,
    team_slug,
    validate_rows,
)

__all__ = [
    "EMAIL",
    "MAX_LENGTHS",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "UNSTORED_COLUMNS",
    "ROLES",
    "SLACK_USER_ID",
    "TEAM_ROLES",
    "Counts",
    "ImportReport",
    "RosterRow",
    "import_roster",
    "parse_roster",
    "read_roster_file",
    "team_slug",
    "validate_rows",
]


def read_roster_file(path: str | Path) -> list[RosterRow]:
    """Read and parse a roster file; any problem, the file's own included, is a RosterError."""
    source = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise RosterError(source, [RowProblem(0, "no such file")]) from None
    except IsADirectoryError:
        raise RosterError(source, [RowProblem(0, "is a directory, not a CSV file")]) from None
    except OSError as exc:
        raise RosterError(source, [RowProblem(0, f"cannot be read: {exc.strerror}")]) from None
    return parse_roster(_decode(data, source), source)


def _decode(data: bytes, source: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data:
        raise RosterError(source, [RowProblem(0, "is UTF-16 text; save it as 'CSV UTF-8'")])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        reason = (
            f"not UTF-8 (byte 0x{data[exc.start]:02X}); save the file as 'CSV UTF-8' "
            "(a spreadsheet's plain 'CSV' is often Latin-1)"
        )
        raise RosterError(source, [RowProblem(line, reason)]) from None


def parse_roster(text: str, source: str) -> list[RosterRow]:
    """Parse roster CSV text; raises RosterError listing every bad row when any is bad."""
    header, records = _read_records(text.removeprefix("\ufeff"), source)
    columns = _check_header(header, source)
    rows: list[RosterRow] = []
    problems: list[RowProblem] = []
    for line, values in records:
        if len(values) != len(columns):
            message = (
                "has %(values)s values but the header has %(columns)s columns "
                "(a value holding a comma needs quotes)"
            )
            counts = {"values": len(values), "columns": len(columns)}
            problems.append(RowProblem.of(line, (message, counts)))
            continue
        rows.append(_make_row(line, dict(zip(columns, values, strict=True))))
    if not rows and not problems:
        problems.append(RowProblem.of(1, ("the file has a header but no rows", {})))
    problems.extend(validate_rows(rows))
    if problems:
        raise RosterError(source, sorted(problems, key=lambda problem: problem.line))
    return rows


def _read_records(text: str, source: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the non-blank records, each with the line it starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), skipinitialspace=True)
    header: list[str] | None = None
    records: list[tuple[int, list[str]]] = []
    try:
        while True:
            start = reader.line_num + 1
            values = next(reader, None)
            if values is None:
                break
            if header is None:
                header = values
            elif any(value.strip() for value in values):
                records.append((start, values))
    except csv.Error as exc:
        raise RosterError(source, [RowProblem(reader.line_num, f"not valid CSV: {exc}")]) from None
    if not header or not any(name.strip() for name in header):
        expected = ",".join(REQUIRED_COLUMNS)
        raise RosterError(source, [RowProblem(1, f"empty file; expected a header: {expected}")])
    return header, records


def _check_header(header: list[str], source: str) -> list[str]:
    """The header's column names, normalised; any unknown, missing or repeated one is an error."""
    columns = [name.strip().lower() for name in header]
    known = REQUIRED_COLUMNS + UNSTORED_COLUMNS + OPTIONAL_COLUMNS
    reasons: list[Part] = []
    if len(columns) == 1 and ";" in columns[0]:
        reasons.append(("the header is separated by ';'; export the file with commas", {}))
    else:
        unknown = [name for name in columns if name not in known]
        missing = [name for name in REQUIRED_COLUMNS if name not in columns]
        repeated = sorted({name for name in columns if columns.count(name) > 1})
        if unknown:
            names = {"names": _names(unknown), "known": ", ".join(known)}
            reasons.append(("unknown column(s) %(names)s; allowed: %(known)s", names))
        if missing:
            reasons.append(("missing required column(s) %(names)s", {"names": _names(missing)}))
        if repeated:
            reasons.append(("repeated column(s) %(names)s", {"names": _names(repeated)}))
    if reasons:
        raise RosterError(source, [RowProblem.of(1, reason) for reason in reasons])
    return columns


def _names(names: Iterable[str]) -> str:
    return ", ".join(repr(name) for name in names)


def _make_row(line: int, values: dict[str, str]) -> RosterRow:
    clean = {key: value.strip() for key, value in values.items()}
    return RosterRow(
        line=line,
        cohort=clean["cohort"],
        team=clean["team"],
        role=clean["role"].lower(),
        name=clean["name"],
        slack_user_id=clean["slack_user_id"],
        email=clean.get("email") or None,
        administration=clean.get("administration") or None,
        description=clean.get("description") or None,
    )

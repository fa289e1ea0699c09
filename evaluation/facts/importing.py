"""Importing teams' facts sheets from a CSV file: all rows or none.

The header names every column of :data:`COLUMNS`, in any order. Lists of links are
separated by spaces or ``|``, training topics by ``|``; booleans are yes/no, oui/non,
true/false, or empty when not known. Every bad row is listed with its line number (the
header is line 1) and the reason, and nothing is imported. A row equal to the team's
current sheet adds nothing, so importing the same file again changes nothing.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from bulletins.db.models import Team
from bulletins.errors import Part, RosterError, RowProblem, filled
from bulletins.roster.csv_file import team_slug
from evaluation.facts.sheets import (
    FIELD_NAMES,
    FactsInput,
    InvalidFacts,
    current_facts,
    parse_facts,
    record_facts,
    validate_facts,
)

COLUMNS = (
    "cohort",
    "team",
    "tool_status",
    "tool_planned_on",
    "people_hired",
    "repositories",
    "libraries",
    "datasets",
    "trainings_count",
    "training_topics",
    "contributions",
    "accessibility_audit",
    "note",
)


class FactsFileError(RosterError):
    """A facts file has bad rows; nothing was imported."""


class BadRow(ValueError):
    """A row's every problem."""

    def __init__(self, parts: list[Part]):
        super().__init__("; ".join(filled(part) for part in parts))
        self.parts = parts


@dataclass(frozen=True)
class FactsRow:
    line: int
    team: Team
    values: FactsInput


@dataclass(frozen=True)
class FactsImportReport:
    recorded: int
    unchanged: int

    def summary(self) -> str:
        """One line for a person, such as ``Facts imported: 3 team(s) updated, 12 unchanged.``"""
        if not self.recorded:
            return f"Facts already up to date: {self.unchanged} team(s) unchanged."
        return f"Facts imported: {self.recorded} team(s) updated, {self.unchanged} unchanged."


def read_facts_file(session: Session, path: str | Path) -> list[FactsRow]:
    """Every row of the file, checked against the database's cohorts and teams; raises
    FactsFileError listing every bad row."""
    source = str(path)
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise FactsFileError(source, [RowProblem(0, f"cannot be read: {exc.strerror}")]) from None
    except UnicodeDecodeError:
        reason = ("is not UTF-8; save it as 'CSV UTF-8'", {})
        raise FactsFileError(source, [RowProblem.of(0, reason)]) from None
    return parse_facts_csv(session, text, source)


def parse_facts_csv(session: Session, text: str, source: str) -> list[FactsRow]:
    """The rows of CSV ``text`` (``,`` or ``;`` between values); raises FactsFileError."""
    records = _records(text, source)
    teams = _teams_by_key(session)
    rows: list[FactsRow] = []
    problems: list[RowProblem] = []
    seen: dict[int, int] = {}
    for line, record in records:
        try:
            row = _row(line, record, teams)
        except BadRow as error:
            problems.append(RowProblem.of(line, *error.parts))
            continue
        if row.team.id in seen:
            again = ("team %(team)r is already on line %(line)s",
                     {"team": row.team.name, "line": seen[row.team.id]})  # fmt: skip
            problems.append(RowProblem.of(line, again))
            continue
        seen[row.team.id] = line
        rows.append(row)
    if not records:
        problems.append(RowProblem.of(1, ("the file has a header but no rows", {})))
    if problems:
        raise FactsFileError(source, problems)
    return rows


def _records(text: str, source: str) -> list[tuple[int, dict[str, str]]]:
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [name.strip().lower() for name in next(reader, [])]
        _check_header(header, source)
        records = []
        while (values := next(reader, None)) is not None:
            if any(value.strip() for value in values):
                records.append((reader.line_num, values))
    except csv.Error as exc:
        reason = f"not valid CSV: {exc}"
        raise FactsFileError(source, [RowProblem(reader.line_num, reason)]) from None
    message = "has %(values)s values but the header has %(columns)s columns"
    problems = [
        RowProblem.of(line, (message, {"values": len(values), "columns": len(header)}))
        for line, values in records
        if len(values) != len(header)
    ]
    if problems:
        raise FactsFileError(source, problems)
    return [(line, dict(zip(header, values, strict=True))) for line, values in records]


def _check_header(header: list[str], source: str) -> None:
    unknown = [name for name in header if name not in COLUMNS]
    missing = [name for name in COLUMNS if name not in header]
    reasons: list[Part] = []
    if unknown:
        names = {"names": ", ".join(unknown), "expected": ",".join(COLUMNS)}
        reasons.append(("unknown column(s) %(names)s; expected: %(expected)s", names))
    if missing:
        reasons.append(("missing column(s) %(names)s", {"names": ", ".join(missing)}))
    if reasons:
        raise FactsFileError(source, [RowProblem.of(1, reason) for reason in reasons])


def _teams_by_key(session: Session) -> dict[tuple[str, str], Team]:
    query = select(Team).options(joinedload(Team.cohort))
    return {(team.cohort.name, team.slug): team for team in session.scalars(query)}


def _row(line: int, record: dict[str, str], teams: dict[tuple[str, str], Team]) -> FactsRow:
    """One row; raises BadRow saying everything wrong with it."""
    cohort, name = record["cohort"].strip(), record["team"].strip()
    team = teams.get((cohort, team_slug(name)))
    reasons: list[Part] = []
    if team is None and cohort not in {cohort_name for cohort_name, _ in teams}:
        reasons.append(("unknown cohort %(cohort)r", {"cohort": cohort}))
    elif team is None:
        reasons.append(("no team %(team)r in cohort %(cohort)r", {"team": name, "cohort": cohort}))
    raw = {key: value for key, value in record.items() if key in FIELD_NAMES}
    try:
        values = parse_facts(raw)
        problems = validate_facts(values.cleaned())
    except InvalidFacts as error:
        problems = error.problems
    reasons += [
        ("%(column)s: %(problem)s", {"column": key, "problem": (p.message, dict(p.params))})
        for key, p in problems.items()
    ]
    if reasons or team is None:
        raise BadRow(reasons)
    return FactsRow(line, team, values)


def import_facts(session: Session, rows: list[FactsRow], now: datetime) -> FactsImportReport:
    """Record each row's sheet (source "import"); rows equal to the current sheet add none."""
    recorded = 0
    for row in rows:
        before = _latest_id(session, row.team)
        after = record_facts(session, row.team, None, row.values, now, source="import")
        recorded += after.id != before
    return FactsImportReport(recorded, len(rows) - recorded)


def _latest_id(session: Session, team: Team) -> int | None:
    current = current_facts(session, [team])[team.id]
    return current.id if current else None

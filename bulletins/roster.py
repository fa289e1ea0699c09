"""The roster: a CSV of cohorts, teams and people, parsed strictly and imported idempotently.

A roster file has one row per person and place::

    cohort,team,role,name,slack_user_id,email[,administration,description]

``role`` is ``fellow`` or ``mentor`` (in a team) or ``staff`` (no team). Parsing
checks every row and reports every problem at once, with line numbers as a
spreadsheet shows them (the header is line 1), so nothing is half-imported.

Importing makes the database match the file for the cohorts it names: rows are
created or updated in place, and memberships, staff and teams of those cohorts
that the file no longer lists are ended (their end date set to ``today``). A
blank optional value (email, administration, description) means "not given"
and keeps what the database holds.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bulletins.db.models import Cohort, Membership, Person, StaffMember, Team
from bulletins.errors import BulletinsError, RosterError, RowProblem

ROLES = ("fellow", "mentor", "staff")
TEAM_ROLES = ("fellow", "mentor")
REQUIRED_COLUMNS = ("cohort", "team", "role", "name", "slack_user_id", "email")
OPTIONAL_COLUMNS = ("administration", "description")
SLACK_USER_ID = re.compile(r"^[UW][A-Z0-9]{8,11}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Column widths of the tables, checked here because SQLite would silently accept longer values.
MAX_LENGTHS = {"cohort": 120, "team": 200, "name": 200, "email": 320, "administration": 300}
_IN_CLAUSE_CHUNK = 500

# Letters that Unicode does not decompose into an ASCII base letter.
_TRANSLITERATION = str.maketrans(
    {"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ø": "o", "Ø": "O",
     "đ": "d", "Đ": "D", "ł": "l", "Ł": "L"}
)  # fmt: skip


def team_slug(name: str) -> str:
    """A team's key within its cohort: lowercase ASCII, accents dropped, runs of others → '-'.

    >>> team_slug("Karfu’R"), team_slug("EIG Link"), team_slug("Élan & Cœur")
    ('karfu-r', 'eig-link', 'elan-coeur')
    """
    decomposed = unicodedata.normalize("NFKD", name.translate(_TRANSLITERATION))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"[^a-z0-9]+", "-", bare.lower()).strip("-")


@dataclass(frozen=True)
class RosterRow:
    """One valid-looking row of a roster file; ``team`` is empty for staff."""

    line: int
    cohort: str
    team: str
    role: str
    name: str
    slack_user_id: str
    email: str | None = None
    administration: str | None = None
    description: str | None = None

    @property
    def team_slug(self) -> str:
        return team_slug(self.team)


# --- Parsing -------------------------------------------------------------------------------


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
            reason = (
                f"has {len(values)} values but the header has {len(columns)} columns "
                "(a value holding a comma needs quotes)"
            )
            problems.append(RowProblem(line, reason))
            continue
        rows.append(_make_row(line, dict(zip(columns, values, strict=True))))
    if not rows and not problems:
        problems.append(RowProblem(1, "the file has a header but no rows"))
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
    known = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
    reasons = []
    if len(columns) == 1 and ";" in columns[0]:
        reasons.append("the header is separated by ';'; export the file with commas")
    else:
        unknown = [name for name in columns if name not in known]
        missing = [name for name in REQUIRED_COLUMNS if name not in columns]
        repeated = sorted({name for name in columns if columns.count(name) > 1})
        if unknown:
            reasons.append(f"unknown column(s) {_names(unknown)}; allowed: {', '.join(known)}")
        if missing:
            reasons.append(f"missing required column(s) {_names(missing)}")
        if repeated:
            reasons.append(f"repeated column(s) {_names(repeated)}")
    if reasons:
        raise RosterError(source, [RowProblem(1, reason) for reason in reasons])
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
        email=clean["email"] or None,
        administration=clean.get("administration") or None,
        description=clean.get("description") or None,
    )


# --- Validation ----------------------------------------------------------------------------


def validate_rows(rows: Sequence[RosterRow]) -> list[RowProblem]:
    """Every problem of the rows, each alone and across rows, in line order."""
    checks = _CrossChecks()
    problems: list[RowProblem] = []
    for row in rows:
        reasons = _row_reasons(row)
        # Rows already known to be bad would only add confusing follow-on problems.
        if not reasons:
            reasons = checks.reasons(row)
        problems.extend(RowProblem(row.line, reason) for reason in reasons)
    return sorted(problems, key=lambda problem: problem.line)


def _row_reasons(row: RosterRow) -> list[str]:
    """The problems of one row on its own."""
    reasons = [f"missing {label}" for label, value in _required_values(row) if not value]
    if row.role not in ROLES:
        reasons.append(f"unknown role {row.role!r}; expected one of {', '.join(ROLES)}")
    elif row.role == "staff" and row.team:
        reasons.append(f"a staff row takes no team, got {row.team!r}")
    elif row.role in TEAM_ROLES and row.team and not row.team_slug:
        reasons.append(f"team name {row.team!r} has no Latin letter or digit to make a slug")
    if row.slack_user_id and not SLACK_USER_ID.match(row.slack_user_id):
        reasons.append(
            f"malformed Slack user id {row.slack_user_id!r}; expected U or W followed by "
            "8 to 11 capital letters or digits, such as UWG7U498MB0"
        )
    if row.email and not EMAIL.match(row.email):
        reasons.append(f"malformed email {row.email!r}")
    for column, limit in MAX_LENGTHS.items():
        if len(getattr(row, column) or "") > limit:
            reasons.append(f"{column} is longer than {limit} characters")
    return reasons


def _required_values(row: RosterRow) -> list[tuple[str, str]]:
    required = [("cohort", row.cohort), ("name", row.name), ("Slack user id", row.slack_user_id)]
    if row.role in TEAM_ROLES:
        required.insert(1, (f"team (a {row.role} belongs to a team)", row.team))
    if not row.role:
        required.append(("role", row.role))
    return required


class _CrossChecks:
    """Remembers earlier rows to find contradictions between rows."""

    def __init__(self) -> None:
        self.people: dict[str, RosterRow] = {}
        self.emails: dict[str, RosterRow] = {}
        self.places: dict[tuple[str, str, str, str], RosterRow] = {}
        self.teams: dict[tuple[str, str], RosterRow] = {}
        self.team_values: dict[tuple[str, str, str], RosterRow] = {}

    def reasons(self, row: RosterRow) -> list[str]:
        place = (row.cohort, row.team_slug, row.role, row.slack_user_id)
        if place in self.places:
            return [f"duplicated row, same as line {self.places[place].line}"]
        self.places[place] = row
        return self._person(row) + (self._team(row) if row.team else [])

    def _person(self, row: RosterRow) -> list[str]:
        reasons = []
        first = self.people.setdefault(row.slack_user_id, row)
        if first.name != row.name:
            reasons.append(
                f"Slack user {row.slack_user_id} is named {row.name!r} here "
                f"but {first.name!r} on line {first.line}"
            )
        if row.email:
            with_email = self.emails.setdefault(row.slack_user_id, row)
            if with_email.email.casefold() != row.email.casefold():
                reasons.append(
                    f"Slack user {row.slack_user_id} has email {row.email!r} here "
                    f"but {with_email.email!r} on line {with_email.line}"
                )
        return reasons

    def _team(self, row: RosterRow) -> list[str]:
        reasons = []
        first = self.teams.setdefault((row.cohort, row.team_slug), row)
        if first.team != row.team:
            reasons.append(
                f"team {row.team!r} and team {first.team!r} on line {first.line} would be "
                f"the same team ({row.team_slug!r}); spell the name the same way"
            )
        for column in OPTIONAL_COLUMNS:
            value = getattr(row, column)
            if value is None:
                continue
            earlier = self.team_values.setdefault((row.cohort, row.team_slug, column), row)
            if getattr(earlier, column) != value:
                reasons.append(
                    f"team {row.team!r} has a different {column} here than on line "
                    f"{earlier.line}: {value!r} vs {getattr(earlier, column)!r}"
                )
        return reasons


# --- Import --------------------------------------------------------------------------------


@dataclass
class Counts:
    """What an import did to one kind of row."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    ended: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.ended)

    def __str__(self) -> str:
        parts = [f"{getattr(self, f.name)} {f.name}" for f in fields(self) if getattr(self, f.name)]
        return ", ".join(parts) or "none"


@dataclass
class ImportReport:
    """Counts per kind of row; ``changed`` is False when the database already matched."""

    cohorts: Counts = field(default_factory=Counts)
    teams: Counts = field(default_factory=Counts)
    people: Counts = field(default_factory=Counts)
    memberships: Counts = field(default_factory=Counts)
    staff: Counts = field(default_factory=Counts)

    @property
    def changed(self) -> bool:
        return any(getattr(self, f.name).changed for f in fields(self))

    def summary(self) -> str:
        """One line for a person, such as ``Roster imported: cohorts 1 created; …``."""
        head = "Roster imported" if self.changed else "Roster already up to date"
        parts = [f"{f.name} {getattr(self, f.name)}" for f in fields(self)]
        return f"{head}: {'; '.join(parts)}."


def import_roster(
    session: Session,
    rows: Sequence[RosterRow],
    today: date,
    cohort_start: date | None = None,
    cohort_end: date | None = None,
) -> ImportReport:
    """Make the cohorts named by ``rows`` match them; flushes but never commits.

    ``cohort_start`` and ``cohort_end`` apply to every cohort of the rows; a new
    cohort without ``cohort_start`` starts ``today``.
    """
    problems = validate_rows(rows)
    if problems:
        raise RosterError("roster", problems)
    if cohort_start and cohort_end and cohort_end < cohort_start:
        raise BulletinsError(f"the cohort ends ({cohort_end}) before it starts ({cohort_start})")
    report = ImportReport()
    cohorts = _upsert_cohorts(session, rows, today, cohort_start, cohort_end, report.cohorts)
    teams = _upsert_teams(session, rows, cohorts, today, report.teams)
    people = _upsert_people(session, rows, report.people)
    session.flush()  # New cohorts, teams and people get their ids.
    _sync_memberships(session, rows, teams, people, today, report.memberships)
    _sync_staff(session, rows, cohorts, people, today, report.staff)
    session.flush()
    return report


def _upsert_cohorts(
    session: Session,
    rows: Sequence[RosterRow],
    today: date,
    start: date | None,
    end: date | None,
    counts: Counts,
) -> dict[str, Cohort]:
    names = sorted({row.cohort for row in rows})
    cohorts = {c.name: c for c in session.scalars(select(Cohort).where(Cohort.name.in_(names)))}
    for name in names:
        cohort = cohorts.get(name)
        if cohort is None:
            cohorts[name] = Cohort(name=name, starts_on=start or today, ends_on=end)
            session.add(cohorts[name])
            counts.created += 1
        elif _assign(cohort, starts_on=start or cohort.starts_on, ends_on=end or cohort.ends_on):
            counts.updated += 1
        else:
            counts.unchanged += 1
    session.flush()  # Teams and staff need the cohorts' ids.
    return cohorts


def _upsert_teams(
    session: Session,
    rows: Sequence[RosterRow],
    cohorts: dict[str, Cohort],
    today: date,
    counts: Counts,
) -> dict[tuple[str, str], Team]:
    """Teams keyed by (cohort name, slug); teams of these cohorts absent from the rows end."""
    names_by_id = {cohort.id: name for name, cohort in cohorts.items()}
    query = select(Team).where(Team.cohort_id.in_(names_by_id))
    existing = {(names_by_id[t.cohort_id], t.slug): t for t in session.scalars(query)}
    wanted = _wanted_teams(rows)
    for key, values in wanted.items():
        team = existing.get(key)
        if team is None:
            team = Team(cohort_id=cohorts[key[0]].id, slug=key[1], **values)
            session.add(team)
            existing[key] = team
            counts.created += 1
        elif _assign(team, **_given(values)) | _reopen(team, "ends_on", today):
            counts.updated += 1
        else:
            counts.unchanged += 1
    counts.ended += sum(
        _end(team, "ends_on", today) for k, team in existing.items() if k not in wanted
    )
    return existing


def _wanted_teams(rows: Sequence[RosterRow]) -> dict[tuple[str, str], dict[str, Any]]:
    wanted: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        if row.role not in TEAM_ROLES:
            continue
        values = wanted.setdefault(
            (row.cohort, row.team_slug),
            {"name": row.team, "administration": None, "description": None},
        )
        for column in OPTIONAL_COLUMNS:
            values[column] = values[column] or getattr(row, column)
    return wanted


def _upsert_people(
    session: Session, rows: Sequence[RosterRow], counts: Counts
) -> dict[str, Person]:
    """People keyed by Slack user id, created or updated in place."""
    wanted: dict[str, dict[str, Any]] = {}
    for row in rows:
        values = wanted.setdefault(row.slack_user_id, {"name": row.name, "email": None})
        values["email"] = values["email"] or row.email
    people = {
        person.slack_user_id: person
        for chunk in _chunks(sorted(wanted))
        for person in session.scalars(select(Person).where(Person.slack_user_id.in_(chunk)))
    }
    for slack_user_id, values in wanted.items():
        person = people.get(slack_user_id)
        if person is None:
            people[slack_user_id] = Person(slack_user_id=slack_user_id, **values)
            session.add(people[slack_user_id])
            counts.created += 1
        elif _assign(person, **_given(values)):
            counts.updated += 1
        else:
            counts.unchanged += 1
    return people


def _sync_memberships(
    session: Session,
    rows: Sequence[RosterRow],
    teams: dict[tuple[str, str], Team],
    people: dict[str, Person],
    today: date,
    counts: Counts,
) -> None:
    team_ids = [team.id for team in teams.values()]
    query = select(Membership).where(Membership.team_id.in_(team_ids))
    existing = {(m.person_id, m.team_id, m.role): m for m in session.scalars(query)}
    wanted: dict[tuple[int, int, str], Callable[[], Membership]] = {}
    for row in rows:
        if row.role in TEAM_ROLES:
            person, team = people[row.slack_user_id], teams[(row.cohort, row.team_slug)]
            wanted[(person.id, team.id, row.role)] = _membership_factory(person, team, row, today)
    _sync_spans(session, existing, wanted, today, counts)


def _membership_factory(
    person: Person, team: Team, row: RosterRow, today: date
) -> Callable[[], Membership]:
    # Ids, not relationships: assigning those would lazy-load every person's memberships.
    return lambda: Membership(person_id=person.id, team_id=team.id, role=row.role, since=today)


def _sync_staff(
    session: Session,
    rows: Sequence[RosterRow],
    cohorts: dict[str, Cohort],
    people: dict[str, Person],
    today: date,
    counts: Counts,
) -> None:
    cohort_ids = [cohort.id for cohort in cohorts.values()]
    query = select(StaffMember).where(StaffMember.cohort_id.in_(cohort_ids))
    existing = {(s.person_id, s.cohort_id): s for s in session.scalars(query)}
    wanted: dict[tuple[int, int], Callable[[], StaffMember]] = {}
    for row in rows:
        if row.role == "staff":
            person, cohort = people[row.slack_user_id], cohorts[row.cohort]
            wanted[(person.id, cohort.id)] = _staff_factory(person, cohort, today)
    _sync_spans(session, existing, wanted, today, counts)


def _staff_factory(person: Person, cohort: Cohort, today: date) -> Callable[[], StaffMember]:
    return lambda: StaffMember(person_id=person.id, cohort_id=cohort.id, since=today)


def _sync_spans(
    session: Session,
    existing: dict[Any, Membership | StaffMember],
    wanted: dict[Any, Callable[[], Membership | StaffMember]],
    today: date,
    counts: Counts,
) -> None:
    """Create the wanted spans that are missing, reopen ended ones, end those not wanted."""
    for key, make in wanted.items():
        span = existing.get(key)
        if span is None:
            session.add(make())
            counts.created += 1
        elif _reopen(span, "until", today):
            counts.updated += 1
        else:
            counts.unchanged += 1
    counts.ended += sum(
        _end(span, "until", today) for k, span in existing.items() if k not in wanted
    )


def _reopen(row: Any, attribute: str, today: date) -> bool:
    """Clear an end date already reached; a later one is a plan and stays."""
    ends = getattr(row, attribute)
    if ends is not None and ends <= today:
        setattr(row, attribute, None)
        return True
    return False


def _end(row: Any, attribute: str, today: date) -> bool:
    """End a row today unless it has already ended."""
    ends = getattr(row, attribute)
    if ends is None or ends > today:
        setattr(row, attribute, today)
        return True
    return False


def _assign(row: Any, **values: Any) -> bool:
    """Set the attributes that differ; True when any did."""
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def _given(values: dict[str, Any]) -> dict[str, Any]:
    """Drop blank values: a blank optional cell keeps what the database holds."""
    return {name: value for name, value in values.items() if value is not None}


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), _IN_CLAUSE_CHUNK):
        yield items[start : start + _IN_CLAUSE_CHUNK]

"""Importing roster rows into the database, idempotently.

Importing makes the database match the rows for the cohorts they name: rows are
created or updated in place, and memberships, staff and teams of those cohorts
that the rows no longer list are ended (their end date set to ``today``). A
blank optional value (administration, description) means "not given" and keeps what
the database holds. Emails are never stored: nothing in the product uses them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bulletins.db.models import Cohort, Membership, Person, StaffMember, Team
from bulletins.errors import BulletinsError, RosterError
from bulletins.i18n import gettext
from bulletins.roster.rows import OPTIONAL_COLUMNS, TEAM_ROLES, RosterRow, validate_rows

_IN_CLAUSE_CHUNK = 500


@dataclass
class Counts:
    """What an import did to one kind of row."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    ended: int = 0

    @property
    def changed(self) -> bool:
        """Whether any row of this kind was created, updated or ended."""
        return bool(self.created or self.updated or self.ended)

    def __str__(self) -> str:
        return self.text("en")

    def text(self, locale: str) -> str:
        """Such as ``2 created, 5 unchanged``, in ``locale``."""
        parts = [
            f"{getattr(self, f.name)} {gettext(locale, f.name)}"
            for f in fields(self)
            if getattr(self, f.name)
        ]
        return ", ".join(parts) or gettext(locale, "none")


@dataclass
class ImportReport:
    """Counts per kind of row; ``changed`` is False when the database already matched."""

    cohorts: Counts = field(default_factory=Counts)
    teams: Counts = field(default_factory=Counts)
    people: Counts = field(default_factory=Counts)
    memberships: Counts = field(default_factory=Counts)
    staff: Counts = field(default_factory=Counts)
    without_end: list[str] = field(default_factory=list)  # cohorts of the rows, by name
    emails_given: bool = False  # some rows had an email, which was not stored

    def _counts(self) -> list[tuple[str, Counts]]:
        found = [(f.name, getattr(self, f.name)) for f in fields(self)]
        return [(name, value) for name, value in found if isinstance(value, Counts)]

    @property
    def changed(self) -> bool:
        """Whether the import changed anything."""
        return any(counts.changed for _, counts in self._counts())

    def summary(self, locale: str = "en") -> str:
        """What the import did, such as ``Roster imported: cohorts 1 created; …``, and a
        second line naming the cohorts of the rows that have no end date; in ``locale``
        (the command line's: English)."""
        lines = [self.changes(locale, with_head=True)]
        if self.without_end:
            lines.append(
                gettext(
                    locale,
                    "No end date for %(names)s: give it with --end YYYY-MM-DD, or the "
                    "evaluation counts the cohort's weeks up to the day it is taken.",
                    names=", ".join(self.without_end),
                )
            )
        if self.emails_given:
            lines.append(gettext(locale, "Emails are not stored: nothing in Bulletins uses them."))
        return "\n".join(lines)

    def changes(self, locale: str, with_head: bool = False) -> str:
        """Each kind of row and what the import does to it, after the report's head when
        ``with_head`` (a preview has none: nothing is imported yet)."""
        parts = "; ".join(
            f"{gettext(locale, name)} {counts.text(locale)}" for name, counts in self._counts()
        )
        if not with_head:
            return parts + "."
        if self.changed:
            return gettext(locale, "Roster imported: %(changes)s.", changes=parts)
        return gettext(locale, "Roster already up to date: %(changes)s.", changes=parts)


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
    report.without_end = sorted(name for name, c in cohorts.items() if c.ends_on is None)
    report.emails_given = any(row.email for row in rows)
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
        wanted.setdefault(row.slack_user_id, {"name": row.name})
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

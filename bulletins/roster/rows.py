"""Roster rows: the row of a roster file, team slugs, and the checks rows must pass.

``validate_rows`` finds every problem of a list of rows, each row on its own and
across rows (a person named two ways, a team spelled two ways, a repeated row),
with the line numbers a spreadsheet shows.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from bulletins.errors import Part, RowProblem

ROLES = ("fellow", "mentor", "staff")
TEAM_ROLES = ("fellow", "mentor")
REQUIRED_COLUMNS = ("cohort", "team", "role", "name", "slack_user_id")
OPTIONAL_COLUMNS = ("administration", "description")
# Accepted, so that existing files still import, checked, but never stored: nothing in the
# product uses a person's email (least data).
UNSTORED_COLUMNS = ("email",)
SLACK_USER_ID = re.compile(r"^[UW][A-Z0-9]{8,11}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Column widths of the tables, checked here because SQLite would silently accept longer values.
MAX_LENGTHS = {"cohort": 120, "team": 200, "name": 200, "email": 320, "administration": 300}

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
        """The slug of this row's team (empty for staff)."""
        return team_slug(self.team)


def validate_rows(rows: Sequence[RosterRow]) -> list[RowProblem]:
    """Every problem of the rows, each alone and across rows, in line order."""
    checks = _CrossChecks()
    problems: list[RowProblem] = []
    for row in rows:
        reasons = _row_reasons(row)
        # Rows already known to be bad would only add confusing follow-on problems.
        if not reasons:
            reasons = checks.reasons(row)
        problems.extend(RowProblem.of(row.line, reason) for reason in reasons)
    return sorted(problems, key=lambda problem: problem.line)


def _row_reasons(row: RosterRow) -> list[Part]:
    """The problems of one row on its own."""
    reasons = [missing for missing, value in _required_values(row) if not value]
    if row.role not in ROLES:
        known = {"role": row.role, "roles": ", ".join(ROLES)}
        reasons.append(("unknown role %(role)r; expected one of %(roles)s", known))
    elif row.role == "staff" and row.team:
        reasons.append(("a staff row takes no team, got %(team)r", {"team": row.team}))
    elif row.role in TEAM_ROLES and row.team and not row.team_slug:
        message = "team name %(team)r has no Latin letter or digit to make a slug"
        reasons.append((message, {"team": row.team}))
    if row.slack_user_id and not SLACK_USER_ID.match(row.slack_user_id):
        message = (
            "malformed Slack user id %(id)r; expected U or W followed by "
            "8 to 11 capital letters or digits, such as UWG7U498MB0"
        )
        reasons.append((message, {"id": row.slack_user_id}))
    if row.email and not EMAIL.match(row.email):
        reasons.append(("malformed email %(email)r", {"email": row.email}))
    for column, limit in MAX_LENGTHS.items():
        if len(getattr(row, column) or "") > limit:
            message = "%(column)s is longer than %(limit)s characters"
            reasons.append((message, {"column": column, "limit": limit}))
    return reasons


def _required_values(row: RosterRow) -> list[tuple[Part, str]]:
    required: list[tuple[Part, str]] = [
        (("missing cohort", {}), row.cohort),
        (("missing name", {}), row.name),
        (("missing Slack user id", {}), row.slack_user_id),
    ]
    if row.role in TEAM_ROLES:
        missing_team = ("missing team (a %(role)s belongs to a team)", {"role": row.role})
        required.insert(1, (missing_team, row.team))
    if not row.role:
        required.append((("missing role", {}), row.role))
    return required


class _CrossChecks:
    """Remembers earlier rows to find contradictions between rows."""

    def __init__(self) -> None:
        self.people: dict[str, RosterRow] = {}
        self.emails: dict[str, RosterRow] = {}
        self.places: dict[tuple[str, str, str, str], RosterRow] = {}
        self.teams: dict[tuple[str, str], RosterRow] = {}
        self.team_values: dict[tuple[str, str, str], RosterRow] = {}

    def reasons(self, row: RosterRow) -> list[Part]:
        """The contradictions between ``row`` and the rows seen before it."""
        place = (row.cohort, row.team_slug, row.role, row.slack_user_id)
        if place in self.places:
            return [("duplicated row, same as line %(line)s", {"line": self.places[place].line})]
        self.places[place] = row
        return self._person(row) + (self._team(row) if row.team else [])

    def _person(self, row: RosterRow) -> list[Part]:
        reasons: list[Part] = []
        first = self.people.setdefault(row.slack_user_id, row)
        if first.name != row.name:
            message = "Slack user %(id)s is named %(name)r here but %(first)r on line %(line)s"
            names = {"id": row.slack_user_id, "name": row.name, "first": first.name}
            reasons.append((message, names | {"line": first.line}))
        if row.email:
            with_email = self.emails.setdefault(row.slack_user_id, row)
            if with_email.email.casefold() != row.email.casefold():
                message = (
                    "Slack user %(id)s has email %(email)r here but %(first)r on line %(line)s"
                )
                emails = {"id": row.slack_user_id, "email": row.email, "first": with_email.email}
                reasons.append((message, emails | {"line": with_email.line}))
        return reasons

    def _team(self, row: RosterRow) -> list[Part]:
        reasons: list[Part] = []
        first = self.teams.setdefault((row.cohort, row.team_slug), row)
        if first.team != row.team:
            message = (
                "team %(team)r and team %(first)r on line %(line)s would be the same team "
                "(%(slug)r); spell the name the same way"
            )
            teams = {"team": row.team, "first": first.team, "slug": row.team_slug}
            reasons.append((message, teams | {"line": first.line}))
        for column in OPTIONAL_COLUMNS:
            value = getattr(row, column)
            if value is None:
                continue
            earlier = self.team_values.setdefault((row.cohort, row.team_slug, column), row)
            if getattr(earlier, column) != value:
                message = (
                    "team %(team)r has a different %(column)s here than on line %(line)s: "
                    "%(value)r vs %(earlier)r"
                )
                values = {"team": row.team, "column": column, "value": value}
                values |= {"line": earlier.line, "earlier": getattr(earlier, column)}
                reasons.append((message, values))
        return reasons

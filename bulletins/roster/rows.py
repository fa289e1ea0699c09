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

from bulletins.errors import RowProblem

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
        """The contradictions between ``row`` and the rows seen before it."""
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

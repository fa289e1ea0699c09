"""A team's facts sheet (tool in production, people hired, code, data, trainings): each change
adds a row, the latest is the current sheet. API: :class:`FactsInput` and :func:`parse_facts`
(from text), :func:`record_facts`, :func:`current_facts` (one query), :func:`facts_history`.
Field problems are ``bulletins.cycle.bulletin.Problem`` in :class:`InvalidFacts`, keyed by
field name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from bulletins.cycle.bulletin import Problem
from bulletins.db.models import Person, Team, TeamFacts, ToolStatus
from bulletins.errors import BulletinsError
from bulletins.people import NotAllowed, is_staff, teams_of

LINK_LISTS = ("repositories", "libraries", "datasets", "contributions")
TEXT_LISTS = ("training_topics",)
COUNTS = ("people_hired", "trainings_count")
MAX_COUNT = 100_000
MAX_ITEMS = 100
MAX_ITEM_CHARS = 500
MAX_NOTE = 2000
TRUE_WORDS = {"yes", "oui", "true"}
FALSE_WORDS = {"no", "non", "false"}
_LINK_SEPARATORS = re.compile(r"[\s|]+")
_TEXT_SEPARATORS = re.compile(r"[|\n]+")


class InvalidFacts(BulletinsError):
    """The values do not make a valid facts sheet; ``problems`` maps fields to problems."""

    def __init__(self, problems: dict[str, Problem]):
        self.problems = problems
        super().__init__(
            "; ".join(f"{name}: {p.message % dict(p.params)}" for name, p in problems.items())
        )


@dataclass(frozen=True)
class FactsInput:
    """The values of a facts sheet, as typed; lists are tuples, in the order given."""

    tool_status: str = ToolStatus.UNKNOWN.value
    tool_planned_on: date | None = None
    people_hired: int = 0
    repositories: tuple[str, ...] = ()
    libraries: tuple[str, ...] = ()
    datasets: tuple[str, ...] = ()
    trainings_count: int = 0
    training_topics: tuple[str, ...] = ()
    contributions: tuple[str, ...] = ()
    accessibility_audit: bool | None = None
    note: str | None = None

    @classmethod
    def of(cls, facts: TeamFacts | None) -> FactsInput:
        """The values of a stored sheet (the defaults when there is none)."""
        if facts is None:
            return cls()
        values = {f.name: getattr(facts, f.name) for f in fields(cls)}
        for name in LINK_LISTS + TEXT_LISTS:
            values[name] = tuple(values[name] or ())
        return cls(**values)

    def cleaned(self) -> FactsInput:
        """Blanks and repeats dropped from lists, the note trimmed; a planned date is kept
        only for a planned tool."""
        lists = {
            name: tuple(dict.fromkeys(i.strip() for i in getattr(self, name) if i.strip()))
            for name in LINK_LISTS + TEXT_LISTS
        }
        planned = self.tool_planned_on if self.tool_status == ToolStatus.PLANNED else None
        note = (self.note or "").strip() or None
        return replace(self, tool_planned_on=planned, note=note, **lists)


def split_list(name: str, text: str | None) -> tuple[str, ...]:
    """A list written in one cell or box: links are separated by spaces, ``|`` or new lines;
    training topics, which hold spaces, by ``|`` or new lines."""
    pattern = _TEXT_SEPARATORS if name in TEXT_LISTS else _LINK_SEPARATORS
    return tuple(item.strip() for item in pattern.split(text or "") if item.strip())


def parse_bool(text: str | None) -> bool | None:
    """yes/no/oui/non/true/false (any case); empty is None (not known). Raises ValueError."""
    word = (text or "").strip().lower()
    if not word:
        return None
    if word in TRUE_WORDS | FALSE_WORDS:
        return word in TRUE_WORDS
    raise ValueError(word)


def parse_facts(raw: Mapping[str, str | None]) -> FactsInput:
    """Typed values from text keyed by field name (a missing or blank field takes its
    default); raises InvalidFacts naming every field that cannot be read."""
    values: dict[str, object] = {}
    problems: dict[str, Problem] = {}
    for name, text in raw.items():
        text = (text or "").strip()
        if name not in FIELD_NAMES:
            problems[name] = Problem("Unknown field %(name)s.", (("name", name),))
        elif text:
            try:
                values[name] = _read(name, text)
            except ValueError:
                problems[name] = _unreadable(name, text)
    if problems:
        raise InvalidFacts(problems)
    return FactsInput(**values)  # type: ignore[arg-type]


def _read(name: str, text: str) -> object:
    if name in COUNTS:
        if not re.fullmatch(r"[+-]?\d+", text):
            raise ValueError(text)
        return int(text)
    if name == "tool_planned_on":
        return date.fromisoformat(text)
    if name == "accessibility_audit":
        return parse_bool(text)
    if name in LINK_LISTS + TEXT_LISTS:
        return split_list(name, text)
    if name == "tool_status":
        return text.lower()
    return text


def _unreadable(name: str, text: str) -> Problem:
    shown = (("value", text[:60]),)
    if name in COUNTS:
        return Problem("“%(value)s” is not a whole number.", shown)
    if name == "tool_planned_on":
        return Problem("“%(value)s” is not a date written YYYY-MM-DD.", shown)
    return Problem("“%(value)s” is not yes or no (or empty when not known).", shown)


FIELD_NAMES = frozenset(f.name for f in fields(FactsInput))


def validate_facts(values: FactsInput) -> dict[str, Problem]:
    """Every field's problem, by field name; empty when the sheet is valid."""
    problems: dict[str, Problem] = {}
    if values.tool_status not in {status.value for status in ToolStatus}:
        choices = ", ".join(status.value for status in ToolStatus)
        problems["tool_status"] = Problem(
            "Unknown tool status “%(value)s”; expected one of %(choices)s.",
            (("value", values.tool_status), ("choices", choices)),
        )
    elif values.tool_status == ToolStatus.PLANNED and values.tool_planned_on is None:
        problems["tool_planned_on"] = Problem("A planned tool needs its planned date.")
    for name in COUNTS:
        count = getattr(values, name)
        if not 0 <= count <= MAX_COUNT:
            problems[name] = Problem(
                "Give a whole number from 0 to %(max)s.", (("max", f"{MAX_COUNT}"),)
            )
    for name in LINK_LISTS + TEXT_LISTS:
        problem = _list_problem(name, getattr(values, name))
        if problem is not None:
            problems[name] = problem
    if values.note is not None and len(values.note) > MAX_NOTE:
        problems["note"] = Problem(
            "At most %(limit)s characters, please (now %(length)s).",
            (("limit", MAX_NOTE), ("length", len(values.note))),
        )
    return problems


def _list_problem(name: str, items: tuple[str, ...]) -> Problem | None:
    if len(items) > MAX_ITEMS:
        return Problem("%(max)s items at most, please.", (("max", MAX_ITEMS),))
    for item in items:
        if len(item) > MAX_ITEM_CHARS:
            return Problem(
                "Each item takes %(limit)s characters at most.", (("limit", MAX_ITEM_CHARS),)
            )
        if name in LINK_LISTS and not is_web_link(item):
            return Problem(
                "“%(value)s” is not a web link: write it whole, starting with https://.",
                (("value", item[:80]),),
            )
    return None


def is_web_link(text: str) -> bool:
    """An http(s) URL with a host, and no spaces."""
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    host = parts.hostname or ""
    return parts.scheme in ("http", "https") and "." in host and not re.search(r"\s", text)


def can_edit_facts(session: Session, person: Person, team: Team, day: date) -> bool:
    """The team's fellows and mentors, and the programme team, keep its facts sheet."""
    member = team.id in {t.id for t in teams_of(session, person, day)}
    return member or is_staff(session, person, day)


def record_facts(
    session: Session,
    team: Team,
    person: Person | None,
    values: FactsInput,
    now: datetime,
    source: str = "slack",
    *,
    today: date | None = None,
) -> TeamFacts:
    """Store ``values`` as ``team``'s current sheet, recorded by ``person`` (None: an import,
    not checked) at ``now``; returns the current row, unchanged when the values are the same.

    Raises NotAllowed when ``person`` may not edit the team's facts on ``today`` (default:
    ``now``'s date), InvalidFacts listing every field's problem.
    """
    if person is not None and not can_edit_facts(session, person, team, today or now.date()):
        raise NotAllowed(f"{person.slack_user_id} may not edit the facts of team {team.slug}")
    clean = values.cleaned()
    problems = validate_facts(clean)
    if problems:
        raise InvalidFacts(problems)
    current = current_facts(session, [team]).get(team.id)
    if current is not None and FactsInput.of(current) == clean:
        return current
    row = TeamFacts(
        team_id=team.id,
        recorded_at=now,
        recorded_by_id=person.id if person is not None else None,
        source=source,
        **{name: _stored(getattr(clean, name)) for name in FIELD_NAMES},
    )
    session.add(row)
    session.flush()
    return row


def _stored(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


def current_facts(
    session: Session, teams: Iterable[Team | int], as_of: datetime | None = None
) -> dict[int, TeamFacts | None]:
    """Each team's latest sheet recorded at or before ``as_of`` (default: the latest of
    all), None for a team without one; keyed by team id, in one query."""
    team_ids = [team if isinstance(team, int) else team.id for team in teams]
    found: dict[int, TeamFacts | None] = dict.fromkeys(team_ids)
    if not team_ids:
        return found
    ranked = select(
        TeamFacts.id,
        func.row_number()
        .over(
            partition_by=TeamFacts.team_id,
            order_by=(TeamFacts.recorded_at.desc(), TeamFacts.id.desc()),
        )
        .label("rank"),
    ).where(TeamFacts.team_id.in_(team_ids))
    if as_of is not None:
        ranked = ranked.where(TeamFacts.recorded_at <= as_of)
    ranked = ranked.subquery()
    query = (
        select(TeamFacts)
        .options(joinedload(TeamFacts.recorded_by))
        .where(TeamFacts.id.in_(select(ranked.c.id).where(ranked.c.rank == 1)))
    )
    for row in session.scalars(query):
        found[row.team_id] = row
    return found


def facts_history(session: Session, team: Team | int) -> list[TeamFacts]:
    """Every sheet of ``team``, oldest first: who changed what, and when."""
    team_id = team if isinstance(team, int) else team.id
    query = (
        select(TeamFacts)
        .options(joinedload(TeamFacts.recorded_by))
        .where(TeamFacts.team_id == team_id)
        .order_by(TeamFacts.recorded_at, TeamFacts.id)
    )
    return list(session.scalars(query))

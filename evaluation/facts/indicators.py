"""Indicators a team's mentors choose (objective, what is measured and how, a baseline and a
target), their measured values and the progress toward the target.

Only the team's mentors and the programme team add indicators, values or archive them
(:class:`bulletins.people.NotAllowed` otherwise); the team's fellows read them. Problems
with the values are :class:`bulletins.cycle.bulletin.Problem` in :class:`InvalidIndicator`,
by field name.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from bulletins.cycle.bulletin import Problem
from bulletins.db.models import Indicator, IndicatorValue, Person, Role, Team
from bulletins.errors import BulletinsError
from bulletins.people import NotAllowed, is_staff, teams_of

MAX_TEXT = 1000
MAX_NAME = 200
MAX_UNIT = 40


class InvalidIndicator(BulletinsError):
    """The values do not make a valid indicator or measure; ``problems`` maps fields."""

    def __init__(self, problems: dict[str, Problem]):
        self.problems = problems
        super().__init__(
            "; ".join(f"{name}: {p.message % dict(p.params)}" for name, p in problems.items())
        )


@dataclass(frozen=True)
class IndicatorProgress:
    """An indicator with its values: the latest, and the share of the way from baseline
    (0 when none) to target that it covers (None when there is no target or no value;
    below 0 or above 1 when it went back or beyond)."""

    indicator: Indicator
    latest: IndicatorValue | None
    progress: float | None
    history: list[IndicatorValue]  # by measure date, oldest first


def can_edit_indicators(session: Session, person: Person, team: Team, day: date) -> bool:
    """The team's mentors and the programme team."""
    mentored = teams_of(session, person, day, roles=(Role.MENTOR,))
    return team.id in {t.id for t in mentored} or is_staff(session, person, day)


class NotAnEditor(NotAllowed):
    """Only the team's mentors and the programme team change its indicators."""


def require_editor(session: Session, person: Person, team: Team, day: date) -> None:
    if not can_edit_indicators(session, person, team, day):
        raise NotAnEditor(f"{person.slack_user_id} is not a mentor of team {team.slug}")


def add_indicator(
    session: Session,
    team: Team,
    person: Person,
    objective: str,
    name: str,
    method: str | None,
    unit: str | None,
    baseline: float | None,
    target: float | None,
    now: datetime,
    *,
    today: date | None = None,
) -> Indicator:
    """A new indicator of ``team``, by one of its mentors or the programme team."""
    require_editor(session, person, team, today or now.date())
    texts = {"objective": objective, "name": name, "method": method, "unit": unit}
    clean = {key: (value or "").strip() or None for key, value in texts.items()}
    problems = _text_problems(clean) | _number_problems(baseline=baseline, target=target)
    if problems:
        raise InvalidIndicator(problems)
    indicator = Indicator(
        team_id=team.id,
        baseline=baseline,
        target=target,
        created_at=now,
        created_by_id=person.id,
        archived=False,
        **clean,
    )
    session.add(indicator)
    session.flush()
    return indicator


def _text_problems(texts: dict[str, str | None]) -> dict[str, Problem]:
    problems: dict[str, Problem] = {}
    for key in ("objective", "name"):
        if not texts[key]:
            problems[key] = Problem("This answer is required.")
    limits = {"objective": MAX_TEXT, "name": MAX_NAME, "method": MAX_TEXT, "unit": MAX_UNIT}
    for key, limit in limits.items():
        if len(texts[key] or "") > limit:
            problems[key] = Problem(
                "At most %(limit)s characters, please (now %(length)s).",
                (("limit", limit), ("length", len(texts[key] or ""))),
            )
    return problems


def _number_problems(**numbers: float | None) -> dict[str, Problem]:
    return {
        key: Problem("Give a number, such as 42 or 3.5.")
        for key, number in numbers.items()
        if number is not None and not math.isfinite(number)
    }


def record_value(
    session: Session,
    indicator: Indicator,
    person: Person,
    value: float,
    measured_on: date,
    now: datetime,
    *,
    today: date | None = None,
) -> IndicatorValue:
    """A measure of ``indicator`` on ``measured_on``, by a mentor or the programme team."""
    day = today or now.date()
    require_editor(session, person, indicator.team, day)
    problems = _number_problems(value=value)
    if measured_on > day:
        problems["measured_on"] = Problem("That day is still to come: give the day measured.")
    if indicator.archived:
        problems["indicator"] = Problem("This indicator is archived: it takes no new value.")
    if problems:
        raise InvalidIndicator(problems)
    row = IndicatorValue(
        indicator_id=indicator.id,
        value=value,
        measured_on=measured_on,
        recorded_at=now,
        recorded_by_id=person.id,
    )
    session.add(row)
    session.flush()
    session.expire(indicator, ["values"])
    return row


def archive_indicator(
    session: Session, indicator: Indicator, person: Person, *, today: date
) -> None:
    """Archive ``indicator``: no longer shown nor measured; its values stay."""
    require_editor(session, person, indicator.team, today)
    indicator.archived = True
    session.flush()


def progress_of(indicator: Indicator, value: float | None) -> float | None:
    """The share of the way from the baseline (0 when none) to the target."""
    if value is None or indicator.target is None:
        return None
    start = indicator.baseline or 0.0
    if indicator.target == start:
        return None
    return (value - start) / (indicator.target - start)


def _progress(indicator: Indicator) -> IndicatorProgress:
    history = sorted(indicator.values, key=lambda v: (v.measured_on, v.recorded_at, v.id))
    latest = history[-1] if history else None
    value = latest.value if latest else None
    return IndicatorProgress(indicator, latest, progress_of(indicator, value), history)


def teams_indicators(
    session: Session, teams: Iterable[Team | int], include_archived: bool = False
) -> dict[int, list[IndicatorProgress]]:
    """Every listed team's indicators with their progress, oldest first, keyed by team id
    (two queries whatever the number of teams)."""
    team_ids = [team if isinstance(team, int) else team.id for team in teams]
    found: dict[int, list[IndicatorProgress]] = {team_id: [] for team_id in team_ids}
    if not team_ids:
        return found
    query = (
        select(Indicator)
        .options(selectinload(Indicator.values))
        .where(Indicator.team_id.in_(team_ids))
        .order_by(Indicator.created_at, Indicator.id)
    )
    if not include_archived:
        query = query.where(Indicator.archived.is_(False))
    for indicator in session.scalars(query):
        found[indicator.team_id].append(_progress(indicator))
    return found


def team_indicators(
    session: Session, team: Team, include_archived: bool = False
) -> list[IndicatorProgress]:
    """``team``'s indicators (not archived, unless asked) with their progress."""
    return teams_indicators(session, [team], include_archived)[team.id]


def indicator_counts(session: Session, teams: Iterable[Team | int]) -> dict[int, int]:
    """How many indicators (not archived) each team has, in one query."""
    team_ids = [team if isinstance(team, int) else team.id for team in teams]
    counts = dict.fromkeys(team_ids, 0)
    if team_ids:
        query = (
            select(Indicator.team_id, func.count(Indicator.id))
            .where(Indicator.team_id.in_(team_ids), Indicator.archived.is_(False))
            .group_by(Indicator.team_id)
        )
        counts.update({team_id: count for team_id, count in session.execute(query)})
    return counts


def team_indicator(session: Session, team: Team, indicator_id: int) -> Indicator:
    """One of ``team``'s indicators; NotAllowed when the id is another team's."""
    indicator = session.get(Indicator, indicator_id)
    if indicator is None or indicator.team_id != team.id:
        raise NotAllowed(f"indicator {indicator_id} is not one of team {team.slug}'s")
    return indicator

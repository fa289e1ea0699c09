"""The teams' part of an evaluation snapshot: one section per team ("défi"), by name, with
its facts sheet, its bulletins over the weeks it played and its mean mood (from
:mod:`evaluation.snapshot.facts_section` and :mod:`evaluation.snapshot.participation_section`),
and its indicators with their latest value as of the snapshot's moment.

The indicators of every team come in two queries
(:func:`evaluation.facts.indicators.teams_indicators`), never one per team. An indicator
counts when it was created before the snapshot's moment, a value when it was recorded
before then; archived indicators are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from bulletins.db.models import Team
from evaluation.facts.indicators import progress_of, teams_indicators
from evaluation.snapshot.facts_section import FactsPart, TeamFactsRow
from evaluation.snapshot.participation_section import ParticipationPart, TeamParticipation


@dataclass(frozen=True)
class IndicatorRow:
    name: str
    unit: str | None
    baseline: float | None
    target: float | None
    latest: float | None  # the value measured last, None without any
    measured_on: date | None
    progress: float | None  # the share of the way from baseline to target


@dataclass(frozen=True)
class TeamSection:
    team_id: int
    name: str
    administration: str | None
    facts: TeamFactsRow
    participation: TeamParticipation | None  # None: active in none of the weeks counted
    indicators: tuple[IndicatorRow, ...]


def team_indicators_as_of(
    session: Session, teams: list[Team], before: datetime
) -> dict[int, tuple[IndicatorRow, ...]]:
    """Each team's indicators created before ``before``, with the values recorded by then."""
    found = {}
    for team_id, progresses in teams_indicators(session, teams).items():
        rows = []
        for progress in progresses:
            indicator = progress.indicator
            if indicator.created_at >= before:
                continue
            history = [v for v in progress.history if v.recorded_at < before]
            latest = history[-1] if history else None
            value = latest.value if latest else None
            rows.append(
                IndicatorRow(
                    name=indicator.name,
                    unit=indicator.unit,
                    baseline=indicator.baseline,
                    target=indicator.target,
                    latest=value,
                    measured_on=latest.measured_on if latest else None,
                    progress=progress_of(indicator, value),
                )
            )
        found[team_id] = tuple(rows)
    return found


def team_sections(
    teams: list[Team],
    facts: FactsPart,
    participation: ParticipationPart,
    indicators: dict[int, tuple[IndicatorRow, ...]],
) -> tuple[TeamSection, ...]:
    """One section per team of ``teams`` (already in order), from the parts built in bulk."""
    sheets = {row.team_id: row for row in facts.rows}
    played = {row.team_id: row for row in participation.teams}
    return tuple(
        TeamSection(
            team_id=team.id,
            name=team.name,
            administration=team.administration,
            facts=sheets[team.id],
            participation=played.get(team.id),
            indicators=indicators.get(team.id, ()),
        )
        for team in teams
    )

"""The team facts' part of an evaluation snapshot: each team's facts sheet as it stood at the
snapshot's moment (one query, :func:`evaluation.facts.sheets.current_facts`), added up: tools in
production, planned (by date) and abandoned, public code, libraries and open datasets
published, trainings organised and their topics, teams whose people were hired.

Facts are declared by the teams: the snapshot adds them up as they are.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from bulletins.db.models import Team, TeamFacts, ToolStatus
from evaluation.facts.sheets import current_facts


@dataclass(frozen=True)
class TeamFactsRow:
    """One team's sheet as of the snapshot (``recorded_on`` None: no sheet yet)."""

    team: str
    administration: str | None
    recorded_on: date | None
    tool_status: str
    tool_planned_on: date | None
    people_hired: int
    repositories: tuple[str, ...]
    libraries: tuple[str, ...]
    datasets: tuple[str, ...]
    trainings_count: int
    training_topics: tuple[str, ...]
    contributions: tuple[str, ...]
    accessibility_audit: bool | None
    team_id: int | None = None


@dataclass(frozen=True)
class FactsPart:
    rows: tuple[TeamFactsRow, ...]  # by team name

    def with_status(self, status: str) -> tuple[TeamFactsRow, ...]:
        return tuple(row for row in self.rows if row.tool_status == status)

    @property
    def planned(self) -> tuple[TeamFactsRow, ...]:
        """Planned tools, the soonest first (undated last)."""
        rows = self.with_status(ToolStatus.PLANNED)
        return tuple(sorted(rows, key=lambda r: (r.tool_planned_on or date.max, r.team)))

    @property
    def declared(self) -> int:
        return sum(1 for row in self.rows if row.recorded_on is not None)

    @property
    def undeclared(self) -> tuple[str, ...]:
        """The teams without a facts sheet yet, by name."""
        return tuple(row.team for row in self.rows if row.recorded_on is None)

    @property
    def public_code(self) -> int:
        return sum(1 for row in self.rows if row.repositories)

    def total(self, name: str) -> int:
        """The sum of a count, or the number of links of a list, over every team."""
        return sum(_size(getattr(row, name)) for row in self.rows)

    def teams_with(self, name: str) -> int:
        return sum(1 for row in self.rows if _size(getattr(row, name)))

    @property
    def topics(self) -> list[tuple[str, int]]:
        """Training topics and how many teams gave each, the most frequent first."""
        counts = Counter(topic.strip() for row in self.rows for topic in set(row.training_topics))
        return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0].casefold(), pair[0]))


def _size(value: object) -> int:
    return value if isinstance(value, int) else len(value)  # type: ignore[arg-type]


def facts_part(session: Session, teams: list[Team], before: datetime, timezone) -> FactsPart:
    """Each of ``teams``'s sheet recorded before ``before``; ``timezone`` dates them."""
    sheets = current_facts(session, teams, before - timedelta(microseconds=1))
    return FactsPart(tuple(_row(team, sheets.get(team.id), timezone) for team in teams))


def _row(team: Team, facts: TeamFacts | None, timezone) -> TeamFactsRow:
    if facts is None:
        return TeamFactsRow(
            team.name, team.administration, None, ToolStatus.UNKNOWN, None, 0,
            (), (), (), 0, (), (), None, team.id,
        )  # fmt: skip
    return TeamFactsRow(
        team=team.name,
        administration=team.administration,
        recorded_on=facts.recorded_at.astimezone(timezone).date(),
        tool_status=facts.tool_status,
        tool_planned_on=facts.tool_planned_on,
        people_hired=facts.people_hired or 0,
        repositories=tuple(facts.repositories or ()),
        libraries=tuple(facts.libraries or ()),
        datasets=tuple(facts.datasets or ()),
        trainings_count=facts.trainings_count or 0,
        training_topics=tuple(facts.training_topics or ()),
        contributions=tuple(facts.contributions or ()),
        accessibility_audit=facts.accessibility_audit,
        team_id=team.id,
    )

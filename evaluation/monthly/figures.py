"""The monthly digest's figures besides participation: mood, help requests, survey rates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bulletins.calendar import IsoWeek, ProgrammeCalendar
from bulletins.db.models import Campaign, Participation, Team
from evaluation.campaigns import Counts
from evaluation.participation import ParticipationGrid

GOOD_MOODS = (3, 4)  # 🙂 and 😀 (bulletins.cycle.bulletin.MOODS)


@dataclass(frozen=True)
class MoodWeek:
    """The mood of one week's bulletins (late ones included)."""

    week: IsoWeek
    bulletins: int
    total: int  # the sum of their moods
    good: int  # how many said 🙂 or 😀
    teams: int = 0  # how many teams were in the programme that week

    @property
    def mean(self) -> float | None:
        return self.total / self.bulletins if self.bulletins else None

    @property
    def share_good(self) -> float | None:
        return self.good / self.bulletins if self.bulletins else None


def mood_trend(grid: ParticipationGrid) -> list[MoodWeek]:
    """Each week of ``grid``: how many bulletins, their mean mood, the share of 🙂/😀."""
    trend = []
    for week in grid.weeks:
        moods = [b.mood for b in grid.bulletins if b.week == week]
        good = sum(1 for mood in moods if mood in GOOD_MOODS)
        teams = sum(1 for _, w in grid.statuses if w == week)
        trend.append(MoodWeek(week, len(moods), sum(moods), good, teams))
    return trend


def overall(trend: list[MoodWeek]) -> MoodWeek | None:
    """The weeks of ``trend`` taken together (its ``week`` is the last one)."""
    if not trend:
        return None
    return MoodWeek(
        trend[-1].week,
        sum(w.bulletins for w in trend),
        sum(w.total for w in trend),
        sum(w.good for w in trend),
        sum(w.teams for w in trend),
    )


@dataclass(frozen=True)
class HelpRequest:
    team: Team
    week: IsoWeek
    text: str


def open_help_requests(grid: ParticipationGrid) -> list[HelpRequest]:
    """Each team's latest bulletin in ``grid``, when it asks for help: a request a later
    bulletin of the team no longer makes is taken as settled. By team name."""
    latest = {b.team_id: b for b in grid.bulletins}  # bulletins come in week order
    return [
        HelpRequest(team, latest[team.id].week, latest[team.id].help_request or "")
        for team in grid.teams
        if team.id in latest and (latest[team.id].help_request or "").strip()
    ]


@dataclass(frozen=True)
class SurveyRate:
    """A campaign's response rate: "Mentors' pulse 2026-03: 27 of 30, 90 %"."""

    key: str
    titles: dict[str, str]  # by locale
    month: str  # YYYY-MM of its opening, programme time
    counts: Counts

    def title(self, locale: str) -> str:
        return self.titles.get(locale) or self.titles.get("fr") or self.key

    @property
    def rate(self) -> float | None:
        return self.counts.finished / self.counts.invited if self.counts.invited else None


def _titles(campaign: Campaign) -> dict[str, str]:
    title = (campaign.definition or {}).get("title") or {}
    return {k: v for k, v in title.items() if isinstance(v, str) and v}


def survey_rates(
    session: Session,
    calendar: ProgrammeCalendar,
    start: datetime,
    end: datetime,
) -> list[SurveyRate]:
    """Campaigns open at some moment from ``start`` to ``end``, oldest first (two queries)."""
    found = list(
        session.scalars(
            select(Campaign)
            .where(Campaign.opens_at < end, Campaign.closes_at > start)
            .order_by(Campaign.opens_at, Campaign.id)
        )
    )
    if not found:
        return []
    tallies = {
        campaign_id: Counts(finished, invited)
        for campaign_id, finished, invited in session.execute(
            select(
                Participation.campaign_id,
                func.count().filter(Participation.finished.is_(True)),
                func.count(),
            )
            .where(Participation.campaign_id.in_([c.id for c in found]))
            .group_by(Participation.campaign_id)
        )
    }
    return [
        SurveyRate(
            key=c.key,
            titles=_titles(c),
            month=f"{calendar.local(c.opens_at):%Y-%m}",
            counts=tallies.get(c.id, Counts(0, 0)),
        )
        for c in found
    ]

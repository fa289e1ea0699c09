"""The evaluation snapshot: a cohort's assessment as of a date, twice a year, from the
database alone.

:func:`build_snapshot` gathers, in a fixed number of bulk queries whatever the number of
teams, weeks and responses:

- who was asked and who answered each end-of-cohort questionnaire, and the headline figures
  their questions declare (:mod:`evaluation.snapshot.surveys_section`), any group under the
  anonymity threshold k withheld;
- the teams' facts as they stood (:mod:`evaluation.snapshot.facts_section`);
- bulletin participation and mood over the cohort
  (:mod:`evaluation.snapshot.participation_section`);
- one section per team: its facts, bulletins, mood and indicators
  (:mod:`evaluation.snapshot.teams_section`).

Only what existed by the end of ``as_of`` (programme time) counts: bulletins, excuses and
facts recorded before then, and the responses of campaigns opened before then (anonymous
responses carry no time, so a campaign still open counts every response it has).
:mod:`evaluation.snapshot.render` writes it as Markdown and HTML, :mod:`evaluation.snapshot.files`
as open data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bulletins.calendar import ProgrammeCalendar
from bulletins.collation import by_name
from bulletins.config import Settings
from bulletins.dates import format_moment
from bulletins.db.models import Cohort, Team
from bulletins.errors import BulletinsError
from bulletins.i18n import gettext
from bulletins.people import find_cohort
from evaluation.snapshot.facts_section import FactsPart, facts_part
from evaluation.snapshot.participation_section import ParticipationPart, participation_part
from evaluation.snapshot.surveys_section import CampaignRate, HeadlineFigures, survey_part
from evaluation.snapshot.teams_section import TeamSection, team_indicators_as_of, team_sections


@dataclass(frozen=True)
class Snapshot:
    programme: str
    cohort: str
    cohort_starts: date
    cohort_ends: date | None
    as_of: date
    locale: str
    timezone: ZoneInfo
    k: int
    teams: int
    campaigns: tuple[CampaignRate, ...]
    headlines: list[HeadlineFigures]
    facts: FactsPart
    participation: ParticipationPart
    team_sections: tuple[TeamSection, ...]


def end_of(calendar: ProgrammeCalendar, day: date) -> datetime:
    """The moment ``day`` ends in the programme's timezone: the snapshot's boundary."""
    return calendar.at(day + timedelta(days=1), time(0, 0))


def build_snapshot(
    session: Session,
    calendar: ProgrammeCalendar,
    settings: Settings,
    cohort: Cohort,
    as_of: date,
    locale: str,
) -> Snapshot:
    """``cohort``'s evaluation snapshot as of the end of ``as_of``, in ``locale``."""
    before = end_of(calendar, as_of)
    teams = by_name(
        session.scalars(select(Team).where(Team.cohort_id == cohort.id).order_by(Team.id))
    )
    surveys = survey_part(session, cohort, before, settings.anonymity_k)
    facts = facts_part(session, teams, before, calendar.timezone)
    participation = participation_part(session, calendar, cohort, before)
    indicators = team_indicators_as_of(session, teams, before)
    return Snapshot(
        programme=settings.programme_name,
        cohort=cohort.name,
        cohort_starts=cohort.starts_on,
        cohort_ends=cohort.ends_on,
        as_of=as_of,
        locale=locale,
        timezone=calendar.timezone,
        k=settings.anonymity_k,
        teams=len(teams),
        campaigns=surveys.campaigns,
        headlines=surveys.headlines,
        facts=facts,
        participation=participation,
        team_sections=team_sections(teams, facts, participation, indicators),
    )


def generated_line(now: datetime, locale: str) -> str:
    """The report's one line that changes from one run to the next."""
    moment = format_moment(now, locale, "d MMMM y HH:mm")
    return gettext(locale, "Generated on %(moment)s.", moment=moment)


class NoCohort(BulletinsError):
    """No cohort to take a snapshot of."""


def snapshot_cohort(session: Session, name: str | None, today: date) -> Cohort:
    """The cohort called ``name``; without a name, the latest cohort started by ``today``."""
    if name:
        return find_cohort(session, name)
    cohort = session.scalar(
        select(Cohort)
        .where(Cohort.starts_on <= today)
        .order_by(Cohort.starts_on.desc(), Cohort.id.desc())
        .limit(1)
    )
    if cohort is None:
        known = ", ".join(session.scalars(select(Cohort.name).order_by(Cohort.name))) or "none"
        raise NoCohort(f"no cohort has started yet (cohorts: {known})")
    return cohort

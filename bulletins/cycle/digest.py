"""The weekly digest: every team's bulletin for a week, composed at its deadline.

The digest reads the database in a few bulk queries (never one per team) and comes out as
core :class:`Message` parts already cut within Slack's limits: the first part is posted in
the digest channel, the others continue in its thread. A bulletin filed after the digest
was composed is posted on its own, as a reply in that thread (see :func:`compose_late`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import partial

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from bulletins.calendar import IsoWeek, ProgrammeCalendar
from bulletins.config import Settings
from bulletins.cycle.bulletin import MOODS
from bulletins.cycle.calendar_files import key_date_link
from bulletins.cycle.status import Status, TeamWeek, week_statuses
from bulletins.dates import format_day, week_start
from bulletins.db.models import Bulletin, Team
from bulletins.i18n import gettext
from bulletins.messages import Button, Limits, Message, Section, split_message
from bulletins.mrkdwn import escape
from bulletins.rendering import render, render_sections

KEY_DATE_DAYS = 7
OFFER_HELP = "offer_help"  # the same id as bot.ids.OFFER_HELP; value: the bulletin's id
SLACK_LIMITS = Limits()  # 45 sections leave room for the header and context blocks (50)


@dataclass(frozen=True)
class KeyDate:
    """An event a team announced, as the digest lists it."""

    day: date
    team: Team
    label: str
    bulletin_id: int | None = None  # the bulletin that announced it (its calendar file)


@dataclass(frozen=True)
class DigestData:
    """What the digest of ``week`` says, as of the moment it is composed."""

    week: IsoWeek
    deadline: datetime
    news: list[TeamWeek]
    help: list[TeamWeek]
    key_dates: list[KeyDate]
    silent: list[TeamWeek]
    excused: list[TeamWeek]
    # Bulletins filed after the digest was posted (each one is a reply in its thread): the
    # digest, updated, counts them and marks their teams late.
    late: list[TeamWeek] = field(default_factory=list)

    @property
    def teams(self) -> int:
        return len(self.news) + len(self.late) + len(self.silent) + len(self.excused)

    @property
    def filed(self) -> int:
        return len(self.news) + len(self.late)


def _as_of(statuses: list[TeamWeek], now: datetime) -> list[TeamWeek]:
    """Statuses as they stood at ``now``: a bulletin filed after it is not in the digest
    (it goes in the thread instead), so its team counts as silent here."""
    return [
        replace(tw, status=Status.SILENT, bulletin=None)
        if tw.bulletin is not None and tw.bulletin.created_at > now
        else tw
        for tw in statuses
    ]


def key_dates(
    session: Session, teams: list[Team], first: date, last: date, now: datetime
) -> list[KeyDate]:
    """Key dates between ``first`` and ``last`` from any week's bulletin of ``teams``;
    a date a team repeated in several weeks is listed once, with its latest label."""
    if not teams:
        return []
    by_id = {team.id: team for team in teams}
    query = (
        select(Bulletin.team_id, Bulletin.key_date, Bulletin.key_date_label, Bulletin.id)
        .where(
            Bulletin.team_id.in_(list(by_id)),
            Bulletin.key_date.between(first, last),
            Bulletin.created_at <= now,
        )
        .order_by(Bulletin.week)
    )
    latest = {(team_id, day): (label, bid) for team_id, day, label, bid in session.execute(query)}
    found = [
        KeyDate(day, by_id[team_id], label or "", bulletin_id)
        for (team_id, day), (label, bulletin_id) in latest.items()
    ]
    return sorted(found, key=lambda kd: (kd.day, kd.team.name))


def digest_data(
    session: Session,
    calendar: ProgrammeCalendar,
    week: IsoWeek,
    now: datetime,
    posted: datetime | None = None,
) -> DigestData | None:
    """The digest's content; None when no team is active on the week's deadline day.

    ``posted``: when the digest was composed, for its update at ``now``: the bulletins it
    showed then, and the teams that filed since marked late (their bulletins are replies in
    its thread), those that excused the week since as excused."""
    posted = posted or now
    statuses = _as_of(week_statuses(session, calendar, week, now), now)
    if not statuses:
        return None
    late = [tw for tw in statuses if tw.bulletin is not None and tw.bulletin.created_at > posted]
    statuses = [
        tw for tw in _as_of(statuses, posted) if tw.team.id not in {i.team.id for i in late}
    ]
    news = [tw for tw in statuses if tw.bulletin is not None]
    day = calendar.deadline_day(week)
    return DigestData(
        week=week,
        deadline=calendar.deadline(week),
        news=news,
        help=[tw for tw in news if tw.bulletin and tw.bulletin.help_request],
        key_dates=key_dates(
            session,
            [tw.team for tw in statuses],
            day,
            day + timedelta(days=KEY_DATE_DAYS),
            posted,
        ),
        silent=[tw for tw in statuses if tw.status in (Status.SILENT, Status.WAITING)],
        excused=[tw for tw in statuses if tw.status == Status.EXCUSED],
        late=late,
    )


def _header(data: DigestData, settings: Settings, locale: str) -> str:
    """Plain text (a Block Kit header is not mrkdwn, so it is not escaped)."""
    return gettext(
        locale,
        "%(programme)s · week of %(start)s – %(end)s",
        programme=settings.programme_name,
        start=format_day(data.week.monday, locale, "d MMMM"),
        end=format_day(data.deadline.date(), locale, "d MMMM y"),
    )


def compose_digest(
    data: DigestData, settings: Settings, locale: str, limits: Limits = SLACK_LIMITS
) -> list[Message]:
    """The digest as messages within ``limits``: the first carries the header."""
    text = gettext(
        locale,
        "Weekly digest of %(programme)s, week of %(week)s",
        programme=escape(settings.programme_name),
        week=week_start(data.week, locale),
    )
    first, *rest = [
        Section(part)
        for part in render_sections(
            "digest", locale, data=data, moods=MOODS, ics=partial(key_date_link, settings)
        )
    ]
    message = Message(
        text=text,
        header=_header(data, settings, locale),
        sections=(first, *help_sections(data.help, locale), *rest),
        context=gettext(locale, "Write or edit your team's bulletin with /bulletin."),
    )
    return split_message(message, limits)


def help_sections(items: list[TeamWeek], locale: str) -> list[Section]:
    """Each help request, its author named, with a button to offer help."""
    if not items:
        return []
    title = Section(":sos: *" + escape(gettext(locale, "Help requests")) + "*")
    label = gettext(locale, "I can help")
    return [title] + [
        Section(
            render("digest_help", locale, item=item),
            button=Button(OFFER_HELP, str(item.bulletin.id), label),
        )
        for item in items
        if item.bulletin is not None
    ]


def compose_late(bulletin: Bulletin, locale: str) -> Message:
    """A bulletin filed after its week's digest, as a reply in the digest's thread."""
    item = TeamWeek(bulletin.team, Status.LATE, bulletin)
    texts = render_sections("digest_late", locale, item=item, moods=MOODS)
    offer = Button(OFFER_HELP, str(bulletin.id), gettext(locale, "I can help"))
    help_title = ":sos:"  # the help request's section (digest_late.md.j2)
    return Message(
        text=gettext(locale, "Late bulletin from %(team)s", team=escape(bulletin.team.name)),
        sections=tuple(
            Section(part, button=offer if part.startswith(help_title) else None) for part in texts
        ),
    )


def late_since(session: Session, week: IsoWeek, since: datetime) -> list[Bulletin]:
    """Bulletins for ``week`` filed after ``since`` (the digest's moment), oldest first."""
    query = (
        select(Bulletin)
        .options(joinedload(Bulletin.team), joinedload(Bulletin.updated_by))
        .where(Bulletin.week == str(week), Bulletin.created_at > since)
        .order_by(Bulletin.created_at, Bulletin.id)
    )
    return list(session.scalars(query))

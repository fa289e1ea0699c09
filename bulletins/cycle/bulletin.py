"""The weekly bulletin: which week a form is for, what a valid bulletin is, filing and excusing.

A team files one bulletin per ISO week. The form for week W opens on W's opening moment;
it can be edited until W's deadline; past it, and until W+1 opens, a bulletin for W is still
taken and marked late.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload

from bulletins.calendar import IsoWeek, ProgrammeCalendar
from bulletins.db.models import Bulletin, BulletinRevision, Person, Team, WeekExcuse
from bulletins.errors import BulletinsError
from bulletins.people import require_member

MOODS = {1: "☹️", 2: "😐", 3: "🙂", 4: "😀"}
MAX_CHARS = {"priority": 300, "ups_and_downs": 300, "help_request": 300, "key_date_label": 200}
MAX_REASON = 200


@dataclass(frozen=True)
class Answers:
    """What a person typed in the form, before validation."""

    mood: int | None
    priority: str
    ups_and_downs: str
    help_request: str | None = None
    key_date: date | None = None
    key_date_label: str | None = None

    def cleaned(self) -> Answers:
        def clean(text: str | None) -> str | None:
            text = (text or "").strip()
            return text or None

        return Answers(
            mood=self.mood,
            priority=clean(self.priority) or "",
            ups_and_downs=clean(self.ups_and_downs) or "",
            help_request=clean(self.help_request),
            key_date=self.key_date,
            key_date_label=clean(self.key_date_label),
        )

    @classmethod
    def of(cls, bulletin: Bulletin) -> Answers:
        return cls(
            mood=bulletin.mood,
            priority=bulletin.priority,
            ups_and_downs=bulletin.ups_and_downs,
            help_request=bulletin.help_request,
            key_date=bulletin.key_date,
            key_date_label=bulletin.key_date_label,
        )


@dataclass(frozen=True)
class Problem:
    """A field's problem, as an English message id with parameters (translated on display)."""

    message: str
    params: tuple[tuple[str, object], ...] = ()


class InvalidBulletin(BulletinsError):
    """The answers do not make a valid bulletin; ``problems`` maps each field to its problem."""

    def __init__(self, problems: dict[str, Problem]):
        self.problems = problems
        super().__init__(", ".join(f"{field}: {p.message}" for field, p in problems.items()))


class Superseded(BulletinsError):
    """The team's bulletin was filed or edited after the form was opened: filing the form
    would silently replace a teammate's words. Says who published the text there now, when
    (in the programme's time) and its priority; ``by`` is None for a former member, whose
    name was erased."""

    def __init__(self, by: str | None, at: datetime, priority: str):
        self.by, self.at, self.priority = by, at, priority
        super().__init__(f"the bulletin changed since the form was opened ({at.isoformat()})")


def version_of(bulletin: Bulletin | None) -> str | None:
    """What a form remembers of the bulletin it was opened on, to tell at filing whether
    someone changed it meanwhile: None when there was none."""
    if bulletin is None:
        return None
    return bulletin.updated_at.astimezone(UTC).isoformat(timespec="microseconds")


UNCHECKED = "unchecked"  # filing whatever version is there (the core's own callers)


class FormClosed(BulletinsError):
    """The week the person tried to file for is no longer open."""


@dataclass(frozen=True)
class Window:
    """The week a form is for at some moment, and whether filing now is late."""

    week: IsoWeek
    opens: datetime
    deadline: datetime
    closes: datetime
    late: bool


def filing_window(calendar: ProgrammeCalendar, now: datetime) -> Window:
    """The week whose bulletin is being written at ``now``.

    Before this week's form opens (Monday early morning), it is still last week, late.
    """
    week = calendar.week_of(now)
    if now < calendar.opens(week):
        week = week.previous()
    return window_of(calendar, week, now)


def window_of(calendar: ProgrammeCalendar, week: IsoWeek, now: datetime) -> Window:
    deadline = calendar.deadline(week)
    return Window(
        week=week,
        opens=calendar.opens(week),
        deadline=deadline,
        closes=calendar.late_until(week),
        late=now > deadline,
    )


def validate(answers: Answers, today: date) -> dict[str, Problem]:
    """Every problem of the answers, by field; empty when the bulletin is valid."""
    problems: dict[str, Problem] = {}
    if answers.mood not in MOODS:
        problems["mood"] = Problem("Choose the team's mood.")
    for field in ("priority", "ups_and_downs"):
        if not getattr(answers, field):
            problems[field] = Problem("This answer is required.")
    for field, limit in MAX_CHARS.items():
        value = getattr(answers, field) or ""
        if len(value) > limit:
            problems[field] = Problem(
                "At most %(limit)s characters, please (now %(length)s).",
                (("limit", limit), ("length", len(value))),
            )
    if answers.key_date is not None:
        if answers.key_date < today:
            problems["key_date"] = Problem("The key date cannot be in the past.")
        if not answers.key_date_label and "key_date_label" not in problems:
            problems["key_date_label"] = Problem("Say what happens on that date.")
    elif answers.key_date_label and "key_date_label" not in problems:
        problems["key_date"] = Problem("Give the date of this event.")
    return problems


@dataclass(frozen=True)
class Filed:
    bulletin: Bulletin
    created: bool
    window: Window


# Read by every form opened and every form filed: built once (see ``bulletins.people``).
_BULLETIN = select(Bulletin).where(
    Bulletin.team_id == bindparam("team_id"), Bulletin.week == bindparam("week")
)
_BULLETIN_FOR_UPDATE = _BULLETIN.with_for_update().execution_options(populate_existing=True)
_BULLETIN_WITH_PEOPLE = _BULLETIN.options(
    joinedload(Bulletin.author, innerjoin=True), joinedload(Bulletin.updated_by, innerjoin=True)
)
_EXCUSE = select(WeekExcuse).where(
    WeekExcuse.team_id == bindparam("team_id"), WeekExcuse.week == bindparam("week")
)


def bulletin_for(
    session: Session, team: Team, week: IsoWeek, for_update: bool = False, people: bool = False
) -> Bulletin | None:
    """``team``'s bulletin of ``week``; ``for_update``: locked until the transaction ends
    (PostgreSQL), so that a concurrent edit waits and then sees this one's version;
    ``people`` (when not ``for_update``): its author and last editor loaded with it, for a
    form that names them."""
    query = _BULLETIN_WITH_PEOPLE if people else _BULLETIN
    if for_update:
        query = _BULLETIN_FOR_UPDATE
    return session.scalar(query, {"team_id": team.id, "week": str(week)})


def excuse_for(session: Session, team: Team, week: IsoWeek) -> WeekExcuse | None:
    return session.scalar(_EXCUSE, {"team_id": team.id, "week": str(week)})


def _check_open(window: Window, now: datetime) -> None:
    if now >= window.closes or now < window.opens:
        raise FormClosed(f"the form for {window.week} is closed")


def check_bulletin(
    calendar: ProgrammeCalendar, answers: Answers, now: datetime, week: IsoWeek | None = None
) -> tuple[Window, Answers]:
    """The window a bulletin for ``week`` (default: the week being written) is filed in at
    ``now``, and its cleaned answers; raise ``FormClosed`` or ``InvalidBulletin``. Reads
    nothing: what can be said of a form before anything is stored."""
    window = window_of(calendar, week, now) if week else filing_window(calendar, now)
    _check_open(window, now)
    answers = answers.cleaned()
    problems = validate(answers, calendar.local(now).date())
    if problems:
        raise InvalidBulletin(problems)
    return window, answers


def check_excuse(
    calendar: ProgrammeCalendar, reason: str, now: datetime, week: IsoWeek | None = None
) -> tuple[Window, str]:
    """The window a "no bulletin" for ``week`` (default: the week being written) is given
    in at ``now``, and its stripped reason; raise ``FormClosed`` or ``InvalidBulletin``.
    Reads nothing."""
    window = filing_window(calendar, now)
    if week is not None and window.week != week:
        raise FormClosed(f"the form for {week} is closed")
    _check_open(window, now)
    reason = reason.strip()
    if not reason:
        raise InvalidBulletin({"reason": Problem("Say why there is no bulletin this week.")})
    if len(reason) > MAX_REASON:
        raise InvalidBulletin(
            {
                "reason": Problem(
                    "At most %(limit)s characters, please (now %(length)s).",
                    (("limit", MAX_REASON), ("length", len(reason))),
                )
            }
        )
    return window, reason


def file_bulletin(
    session: Session,
    calendar: ProgrammeCalendar,
    *,
    person: Person,
    team: Team,
    answers: Answers,
    now: datetime,
    week: IsoWeek | None = None,
    opened_on: str | None = UNCHECKED,
) -> Filed:
    """File or edit ``team``'s bulletin for ``week`` (default: the week being written).

    A second filing the same week edits the bulletin and keeps a revision saying who
    changed it, when, and what it said before. Filing lifts a "no bulletin" excuse.
    ``opened_on``: the ``version_of`` the bulletin when the form was opened; if it has
    changed since, raise ``Superseded`` rather than replace the newer text.
    """
    window, answers = check_bulletin(calendar, answers, now, week)
    require_member(session, person, team, calendar.local(now).date())
    bulletin = bulletin_for(session, team, window.week, for_update=True)
    # A bulletin filed meanwhile by a teammate must not be replaced unseen.
    if opened_on != UNCHECKED and bulletin is not None and version_of(bulletin) != opened_on:
        local = calendar.local(bulletin.updated_at)
        editor = bulletin.updated_by
        raise Superseded(editor.name if editor.erased_at is None else None, local,
                         bulletin.priority)  # fmt: skip
    excuse = excuse_for(session, team, window.week)  # read before any write: no autoflush
    created = bulletin is None
    if bulletin is None:
        bulletin = Bulletin(
            team=team, week=str(window.week), author=person, created_at=now, late=window.late
        )
        session.add(bulletin)
    else:
        session.add(
            BulletinRevision(
                bulletin_id=bulletin.id,
                edited_by_id=person.id,
                edited_at=now,
                previous=_answers_json(Answers.of(bulletin)),
            )
        )
    for field, value in vars(answers).items():
        setattr(bulletin, field, value)
    bulletin.updated_at, bulletin.updated_by = now, person
    if excuse is not None:
        session.delete(excuse)
    session.flush()
    return Filed(bulletin, created, window)


def _answers_json(answers: Answers) -> dict:
    data = vars(answers).copy()
    data["key_date"] = answers.key_date.isoformat() if answers.key_date else None
    return data


def excuse_week(
    session: Session,
    calendar: ProgrammeCalendar,
    *,
    person: Person,
    team: Team,
    reason: str,
    now: datetime,
    week: IsoWeek | None = None,
) -> WeekExcuse:
    """Mark the week being written as "no bulletin" for ``team``, with a reason; ``week``:
    the week the form was opened for, refused once it is no longer the week being written."""
    window, reason = check_excuse(calendar, reason, now, week)
    require_member(session, person, team, calendar.local(now).date())
    if bulletin_for(session, team, window.week) is not None:
        raise InvalidBulletin(
            {"reason": Problem("This week's bulletin is already filed; edit it instead.")}
        )
    excuse = excuse_for(session, team, window.week)
    if excuse is None:
        excuse = WeekExcuse(team=team, week=str(window.week), reason=reason, by=person, at=now)
        session.add(excuse)
    else:
        excuse.reason, excuse.by, excuse.at = reason, person, now
    session.flush()
    return excuse


def recent_bulletins(session: Session, teams: list[Team], limit: int = 5) -> list[Bulletin]:
    """The latest bulletins of ``teams``, newest week first."""
    if not teams:
        return []
    query = (
        select(Bulletin)
        .where(Bulletin.team_id.in_([team.id for team in teams]))
        .order_by(Bulletin.week.desc(), Bulletin.team_id)
        .limit(limit)
    )
    return list(session.scalars(query))

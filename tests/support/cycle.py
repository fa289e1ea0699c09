"""Set-up helpers for the scheduled side's end-to-end tests: filing, excusing, marking
away and adding teams straight in the database (the form has its own tests)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from bot.scheduler import JobRun
from bot.standin.workspace import SlackWorkspace
from bulletins.cycle.bulletin import Answers, excuse_week, file_bulletin
from bulletins.db.models import Cohort, Membership, OutboxMessage, Person, Team
from bulletins.people import fellows_of, set_away


def _team(session, name: str) -> Team:
    return session.scalars(select(Team).where(Team.name == name)).one()


def file(workspace: SlackWorkspace, team: str, at: datetime, **fields) -> None:
    """``team``'s first fellow files its bulletin at ``at``."""
    base = dict(mood=3, priority=f"Priorité de {team}", ups_and_downs=f"Nouvelles de {team}")
    calendar = workspace.services.calendar
    with workspace.services.sessions.begin() as session:
        found = _team(session, team)
        person = fellows_of(session, found, calendar.local(at).date())[0]
        answers = Answers(**(base | fields))
        file_bulletin(session, calendar, person=person, team=found, answers=answers, now=at)


def excuse(workspace: SlackWorkspace, team: str, reason: str, at: datetime) -> None:
    calendar = workspace.services.calendar
    with workspace.services.sessions.begin() as session:
        found = _team(session, team)
        person = fellows_of(session, found, calendar.local(at).date())[0]
        excuse_week(session, calendar, person=person, team=found, reason=reason, now=at)


def end_team(workspace: SlackWorkspace, team: str, on: date) -> None:
    with workspace.services.sessions.begin() as session:
        _team(session, team).ends_on = on


def away(workspace: SlackWorkspace, slack_user_id: str, until: date, today: date) -> None:
    with workspace.services.sessions.begin() as session:
        person = session.scalars(select(Person).where(Person.slack_user_id == slack_user_id))
        set_away(session, person.one(), until, today)


def fellow_ids(workspace: SlackWorkspace, team: str, day: date) -> set[str]:
    with workspace.services.sessions() as session:
        return {p.slack_user_id for p in fellows_of(session, _team(session, team), day)}


def add_teams(workspace: SlackWorkspace, count: int) -> list[str]:
    """``count`` more teams in the cohort, each with one fellow known to the stand-in."""
    names = [f"Défi {n:02d}" for n in range(count)]
    with workspace.services.sessions.begin() as session:
        cohort = session.scalars(select(Cohort)).one()
        for n, name in enumerate(names):
            team = Team(cohort=cohort, name=name, slug=f"defi-{n:02d}")
            person = Person(slack_user_id=f"UEXTRA{n:04d}", name=f"Fellow {n:02d}")
            session.add_all([team, person])
            session.add(Membership(person=person, team=team, role="fellow", since=cohort.starts_on))
            workspace.standin.add_user(person.slack_user_id, person.name)
    return names


def outbox_rows(workspace: SlackWorkspace, kind: str | None = None) -> list[OutboxMessage]:
    with workspace.services.sessions() as session:
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if kind:
            query = query.where(OutboxMessage.kind == kind)
        return list(session.scalars(query))


def tick(workspace: SlackWorkspace, at: datetime) -> list[JobRun]:
    """A tick at ``at`` in which no job failed."""
    runs = workspace.tick(at)
    assert [run for run in runs if run.error] == []
    return runs


def block_texts(message: dict) -> list[str]:
    """The texts of a posted message's blocks, in order (header, sections, context)."""
    texts = []
    for block in message.get("blocks", []):
        if "text" in block:
            texts.append(block["text"]["text"])
        texts += [element.get("text", "") for element in block.get("elements", [])]
    return texts


def dms(workspace: SlackWorkspace) -> list[dict]:
    """Successful posts to people (reminders), by user id."""
    return [m for m in workspace.standin.messages() if str(m["channel"]).startswith("U")]

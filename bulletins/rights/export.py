"""Everything the product holds about one person, as JSON-ready data (right of access).

Answers to anonymous surveys are left out: nothing links them to their author, so they are
not the person's to read back. Answers to named surveys are theirs, and are in.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bulletins.db.models import (
    Absence,
    Bulletin,
    BulletinRevision,
    Campaign,
    Draft,
    HelpOffer,
    Indicator,
    IndicatorValue,
    Membership,
    OutboxMessage,
    Participation,
    Person,
    ReminderSnooze,
    StaffMember,
    SurveyResponse,
    TeamFacts,
    WeekExcuse,
)

FORMAT = "bulletins-person/1"


def person_data(session: Session, person: Person) -> dict[str, Any]:
    """What the database holds about ``person``, section by section."""
    pid = person.id
    return {
        "format": FORMAT,
        "person": {
            "slack_user_id": person.slack_user_id,
            "name": person.name,
            "email": person.email,
            "locale": person.locale,
            "timezone": person.timezone,
        },
        "memberships": [
            {
                "cohort": m.team.cohort.name,
                "team": m.team.name,
                "role": m.role,
                "since": m.since,
                "until": m.until,
            }
            for m in _all(session, select(Membership).where(Membership.person_id == pid))
        ],
        "programme_team": [
            {"cohort": s.cohort.name, "since": s.since, "until": s.until}
            for s in _all(session, select(StaffMember).where(StaffMember.person_id == pid))
        ],
        "away_until": [
            a.until for a in _all(session, select(Absence).where(Absence.person_id == pid))
        ],
        "reminders_snoozed": [
            {"team": r.team.name, "week": r.week, "at": r.at, "until": r.until}
            for r in _all(session, select(ReminderSnooze).where(ReminderSnooze.person_id == pid))
        ],
        "bulletins": [_bulletin(b, pid) for b in _bulletins(session, pid)],
        "bulletin_edits": [
            _edit(session, r)
            for r in _all(
                session,
                select(BulletinRevision)
                .where(BulletinRevision.edited_by_id == pid)
                .order_by(BulletinRevision.id),
            )
        ],
        "weeks_excused": [
            {"team": e.team.name, "week": e.week, "reason": e.reason, "at": e.at}
            for e in _all(session, select(WeekExcuse).where(WeekExcuse.by_id == pid))
        ],
        "team_facts": [
            _facts(f)
            for f in _all(
                session,
                select(TeamFacts).where(TeamFacts.recorded_by_id == pid).order_by(TeamFacts.id),
            )
        ],
        "indicators": [
            {
                "team": i.team.name,
                "name": i.name,
                "objective": i.objective,
                "method": i.method,
                "unit": i.unit,
                "baseline": i.baseline,
                "target": i.target,
                "created_at": i.created_at,
            }
            for i in _all(session, select(Indicator).where(Indicator.created_by_id == pid))
        ],
        "indicator_values": [
            {
                "team": v.indicator.team.name,
                "indicator": v.indicator.name,
                "value": v.value,
                "measured_on": v.measured_on,
                "recorded_at": v.recorded_at,
            }
            for v in _all(
                session, select(IndicatorValue).where(IndicatorValue.recorded_by_id == pid)
            )
        ],
        "surveys": _surveys(session, pid),
        "offers_of_help": [
            {"team": o.bulletin.team.name, "week": o.bulletin.week, "at": o.at}
            for o in _all(
                session,
                select(HelpOffer).where(HelpOffer.helper_slack_id == person.slack_user_id),
            )
        ],
        "messages_to_them": [
            {
                "kind": m.kind,
                "status": m.status,
                "created_at": m.created_at,
                "sent_at": m.sent_at,
                "text": (m.payload or {}).get("text"),
            }
            for m in _all(
                session,
                select(OutboxMessage)
                .where(OutboxMessage.channel == person.slack_user_id)
                .order_by(OutboxMessage.id),
            )
        ],
    }


def to_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=_plain) + "\n"


def _plain(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _all(session: Session, query) -> list:
    return list(session.scalars(query))


def _bulletins(session: Session, pid: int) -> list[Bulletin]:
    query = select(Bulletin).where(or_(Bulletin.author_id == pid, Bulletin.updated_by_id == pid))
    return _all(session, query.order_by(Bulletin.week, Bulletin.id))


def _bulletin(bulletin: Bulletin, pid: int) -> dict[str, Any]:
    return {
        "team": bulletin.team.name,
        "week": bulletin.week,
        "written_by_them": bulletin.author_id == pid,
        "last_edited_by_them": bulletin.updated_by_id == pid,
        "mood": bulletin.mood,
        "priority": bulletin.priority,
        "ups_and_downs": bulletin.ups_and_downs,
        "help_request": bulletin.help_request,
        "key_date": bulletin.key_date,
        "key_date_label": bulletin.key_date_label,
        "late": bulletin.late,
        "created_at": bulletin.created_at,
        "updated_at": bulletin.updated_at,
    }


def _edit(session: Session, revision: BulletinRevision) -> dict[str, Any]:
    bulletin = session.get(Bulletin, revision.bulletin_id)
    return {
        "team": bulletin.team.name if bulletin else None,
        "week": bulletin.week if bulletin else None,
        "edited_at": revision.edited_at,
        "text_before": revision.previous,
    }


def _facts(facts: TeamFacts) -> dict[str, Any]:
    return {
        "team": facts.team.name,
        "recorded_at": facts.recorded_at,
        "tool_status": facts.tool_status,
        "tool_planned_on": facts.tool_planned_on,
        "people_hired": facts.people_hired,
        "repositories": facts.repositories,
        "libraries": facts.libraries,
        "datasets": facts.datasets,
        "trainings_count": facts.trainings_count,
        "training_topics": facts.training_topics,
        "contributions": facts.contributions,
        "accessibility_audit": facts.accessibility_audit,
        "note": facts.note,
    }


def _surveys(session: Session, pid: int) -> list[dict[str, Any]]:
    """Each survey they were asked to answer; their answers when the survey was named."""
    found = []
    query = select(Participation).where(Participation.person_id == pid)
    for participation in _all(session, query.order_by(Participation.id)):
        campaign: Campaign = participation.campaign
        entry: dict[str, Any] = {
            "survey": campaign.survey_id,
            "campaign": campaign.key,
            "anonymous": campaign.anonymous,
            "role": participation.role,
            "finished": participation.finished,
        }
        if not campaign.anonymous:
            entry["answers"] = [
                r.answers
                for r in _all(
                    session,
                    select(SurveyResponse).where(
                        SurveyResponse.campaign_id == campaign.id, SurveyResponse.person_id == pid
                    ),
                )
            ]
        draft = session.scalar(
            select(Draft).where(Draft.campaign_id == campaign.id, Draft.person_id == pid)
        )
        if draft is not None:
            entry["answers_in_progress"] = draft.answers
        found.append(entry)
    return found

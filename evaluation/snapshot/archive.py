"""Archiving old cohorts to open data, then erasing their people's data: the retention job
``archive_old_cohorts``, a function of the context's session, settings and ``now``.

With ``[retention] archive_cohorts_after_days`` set, a cohort whose end is more than that
many days before ``now`` and not yet archived gets, in ``[retention] archive_directory``, a
folder ``<cohort's slug>-<end date>`` holding its evaluation snapshot as of its end: the
report, its charts and its open-data CSVs with their Table Schemas
(:func:`evaluation.snapshot.files.write_snapshot`, the same files as ``bulletins snapshot``).
Then, in the transaction that marks the cohort archived, every person whose places (in
teams, in the programme team) all belong to archived cohorts is erased
(:func:`bulletins.rights.erasure.erase_person`: their team's bulletins stay, by "a former
member"), and the messages sent about the cohort lose their payload.

One cohort per tick. The folder is written aside then moved into place: when it cannot be,
the job fails, the cohort stays unarchived and nobody is erased; the next tick tries again.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from slugify import slugify
from sqlalchemy import Text, cast, or_, select, update
from sqlalchemy.orm import Session

from bulletins.cycle.jobs import JobContext
from bulletins.db.models import (
    Campaign,
    Cohort,
    Membership,
    OutboxMessage,
    OutboxStatus,
    Person,
    StaffMember,
    Team,
)
from bulletins.errors import BulletinsError
from bulletins.rights.erasure import erase_person
from evaluation.snapshot.compose import build_snapshot, generated_line
from evaluation.snapshot.files import SnapshotNotWritten, write_snapshot

EMPTY: dict = {}


class ArchiveNotWritten(BulletinsError):
    """A cohort's archive folder could not be written: the cohort stays unarchived."""


def archive_folder(cohort: Cohort) -> str:
    """``eig-2024-2025-06-30``: the cohort's slug and its end date."""
    return f"{slugify(cohort.name)}-{cohort.ends_on:%Y-%m-%d}"


def due_cohort(session: Session, now: datetime, after_days: int) -> Cohort | None:
    """The cohort ended longest ago, more than ``after_days`` before ``now``, not archived."""
    ended_before = (now - timedelta(days=after_days)).date()
    query = select(Cohort).where(
        Cohort.archived_at.is_(None), Cohort.ends_on.is_not(None), Cohort.ends_on < ended_before
    )
    # A tick run by hand beside the scheduler's passes over the cohort the other is archiving.
    query = query.order_by(Cohort.ends_on, Cohort.id).limit(1)
    return session.scalar(query.with_for_update(skip_locked=True))


def archive_old_cohorts(ctx: JobContext) -> int:
    """Archive one cohort due, then erase its people's data; 0 when none is due."""
    after_days = ctx.settings.retention.archive_cohorts_after_days
    if after_days is None:
        return 0
    cohort = due_cohort(ctx.session, ctx.now, after_days)
    if cohort is None:
        return 0
    write_archive(ctx, cohort, ctx.settings.retention.archive_directory)
    cohort.archived_at = ctx.now
    ctx.session.flush()
    # Emptied first: each erasure then has fewer messages to look through for the names.
    empty_cohort_messages(ctx.session, cohort)
    for slack_user_id in people_only_in_archived_cohorts(ctx.session):
        erase_person(ctx.session, slack_user_id, ctx.now, ctx.settings.locale)
    return 1


def write_archive(ctx: JobContext, cohort: Cohort, directory: Path) -> Path:
    """Write the cohort's snapshot as of its end into ``directory/<archive_folder>``,
    replacing what an earlier, unfinished attempt left there."""
    locale = ctx.settings.locale
    snapshot = build_snapshot(ctx.session, ctx.calendar, ctx.settings, cohort, cohort.ends_on,
                              locale)  # fmt: skip
    generated = generated_line(ctx.calendar.local(ctx.now), locale)
    final = directory / archive_folder(cohort)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".archiving-", dir=directory))
    except OSError as error:
        raise _not_written(cohort, directory, error) from None
    try:
        write_snapshot(ctx.session, snapshot, staging, generated)
        if final.is_dir():
            shutil.rmtree(final)
        os.replace(staging, final)
    except SnapshotNotWritten as error:
        raise ArchiveNotWritten(f"cohort {cohort.name!r} not archived: {error}") from None
    except OSError as error:
        raise _not_written(cohort, final, error) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return final


def _not_written(cohort: Cohort, where: Path, error: OSError) -> ArchiveNotWritten:
    in_the_way = where.exists() and not where.is_dir()
    reason = "a file is there, not a folder" if in_the_way else error.strerror or str(error)
    return ArchiveNotWritten(f"cohort {cohort.name!r} not archived: cannot write to "
                             f"{where.absolute()}: {reason}")  # fmt: skip


def people_only_in_archived_cohorts(session: Session) -> list[str]:
    """The Slack ids of the people not yet erased whose every place in a team or in the
    programme team belongs to an archived cohort."""
    archived_team = select(Team.id).join(Cohort).where(Cohort.archived_at.is_not(None))
    archived_cohort = select(Cohort.id).where(Cohort.archived_at.is_not(None))
    in_archived = or_(
        Person.id.in_(select(Membership.person_id).where(Membership.team_id.in_(archived_team))),
        Person.id.in_(
            select(StaffMember.person_id).where(StaffMember.cohort_id.in_(archived_cohort))
        ),
    )
    elsewhere = or_(
        Person.id.in_(select(Membership.person_id).where(Membership.team_id.not_in(archived_team))),
        Person.id.in_(
            select(StaffMember.person_id).where(StaffMember.cohort_id.not_in(archived_cohort))
        ),
    )
    query = select(Person.slack_user_id).where(Person.erased_at.is_(None), in_archived, ~elsewhere)
    return list(session.scalars(query.order_by(Person.id)))


def empty_cohort_messages(session: Session, cohort: Cohort) -> int:
    """Empty the payloads of the messages sent or given up about the cohort: its teams'
    (``…:team-<id>…``), its surveys' and its snapshots'."""
    team_ids = session.scalars(select(Team.id).where(Team.cohort_id == cohort.id)).all()
    campaigns = session.scalars(select(Campaign.key).where(Campaign.cohort_id == cohort.id)).all()
    about = [OutboxMessage.key.like(f"%:team-{team_id}:%") for team_id in team_ids]
    about += [OutboxMessage.key.like(f"%:team-{team_id}") for team_id in team_ids]
    about += [OutboxMessage.key.startswith(f"survey:{key}", autoescape=True) for key in campaigns]
    about.append(OutboxMessage.key.startswith(f"snapshot:{cohort.name}:", autoescape=True))
    statement = (
        update(OutboxMessage)
        .where(
            OutboxMessage.status.in_([OutboxStatus.SENT, OutboxStatus.FAILED]),
            cast(OutboxMessage.payload, Text) != "{}",
            or_(*about),
        )
        .values(payload=EMPTY)
        .execution_options(synchronize_session=False)
    )
    return session.execute(statement).rowcount

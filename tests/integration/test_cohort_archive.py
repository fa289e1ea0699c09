"""Old cohorts archived to open data and their people's data erased, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bulletins.config import Retention
from bulletins.db.models import (
    Base,
    Bulletin,
    Cohort,
    Membership,
    OutboxMessage,
    Person,
    StaffMember,
    Team,
)
from bulletins.messages import Message
from bulletins.outbox import enqueue, mark_sent
from evaluation.snapshot.archive import ArchiveNotWritten, archive_old_cohorts
from tests.support.cycle_world import SETTINGS, World, make_world, paris

# The test cohort ends on 30 June 2027.
NOW = paris(2028, 8, 3, 10, 0)  # 400 days after


def _settings(directory: Path, after_days: int | None = 365):
    retention = Retention(archive_cohorts_after_days=after_days, archive_directory=directory)
    return dataclasses.replace(SETTINGS, retention=retention)


def _programme(session: Session) -> tuple[World, Person, Person]:
    """The ended cohort's teams Alpha and Beta, with a programme team member; Beta's
    second fellow also mentors a team of the cohort running now."""
    world = make_world(session, "Alpha", "Beta")
    world.file("Alpha")
    staff = Person(slack_user_id="U0STAFF", name="Camille Staffeur")
    session.add_all([staff, StaffMember(person=staff, cohort=world.cohort, since=date(2026, 1, 5))])
    current = Cohort(name="EIG current", starts_on=date(2027, 9, 6), ends_on=date(2029, 6, 29))
    team = Team(cohort=current, name="Gamma", slug="gamma")
    staying = world.fellows["Beta"][1]
    session.add_all([current, team, Membership(person=staying, team=team, role="mentor",
                                               since=date(2027, 9, 6))])  # fmt: skip
    key = f"reminder:2026-W10:14:00:team-{world.teams['Alpha'].id}:person-1"
    sent = paris(2026, 3, 6, 14)
    reminder = enqueue(session, key=key, kind="reminder", channel="C0ALPHA",
                       message=Message(text="Alpha, votre bulletin"), now=sent)  # fmt: skip
    mark_sent(reminder, now=sent, channel="C0ALPHA", ts="1.0")
    session.commit()
    return world, staff, staying


def _all_text(session: Session) -> str:
    """Every value of every row of every table, as text."""
    values = []
    for table in Base.metadata.sorted_tables:
        for row in session.execute(select(table)):
            values += [str(value) for value in row]
    return "\n".join(values)


def test_a_cohort_ended_past_the_period_is_archived_and_its_people_erased(session, tmp_path):
    world, staff, staying = _programme(session)
    gone = [*world.fellows["Alpha"], world.fellows["Beta"][0], staff]
    identifiers = [value for person in gone for value in (person.name, person.slack_user_id)]
    settings = _settings(tmp_path / "archives")

    assert archive_old_cohorts(world.ctx(NOW, settings)) == 1
    session.commit()

    folder = tmp_path / "archives" / "eig-test-2027-06-30"
    csvs = sorted(folder.glob("*.csv"))
    assert [path.name for path in csvs] == ["team-facts.csv"]
    assert (folder / "team-facts.schema.json").is_file() and (folder / "snapshot.pdf").is_file()
    facts = csvs[0].read_text(encoding="utf-8")
    assert "Alpha" in facts and "Beta" in facts
    everyone = [*identifiers, staying.name, staying.slack_user_id]
    assert not [word for word in everyone if word in facts]
    assert not [path.name for path in tmp_path.joinpath("archives").iterdir() if path != folder]

    session.expire_all()
    assert session.get(Cohort, world.cohort.id).archived_at == NOW
    stored = _all_text(session)
    assert not [word for word in identifiers if word in stored]
    assert session.get(Person, staying.id).name == "Beta fellow 2"
    bulletin = session.scalars(select(Bulletin)).one()
    assert bulletin.author_id == world.fellows["Alpha"][0].id
    assert bulletin.priority == "Alpha priority"
    assert session.scalars(select(OutboxMessage.payload)).all() == [{}]

    assert archive_old_cohorts(world.ctx(NOW + timedelta(days=1), settings)) == 0


def test_nothing_is_archived_without_the_setting_or_before_the_period(session, tmp_path):
    world, *_ = _programme(session)

    assert archive_old_cohorts(world.ctx(NOW, _settings(tmp_path / "a", None))) == 0
    assert archive_old_cohorts(world.ctx(NOW, _settings(tmp_path / "a", 401))) == 0
    assert not (tmp_path / "a").exists()
    assert session.get(Cohort, world.cohort.id).archived_at is None
    assert session.scalar(select(Person.name).where(Person.slack_user_id == "U0001"))


def test_an_archive_that_cannot_be_written_erases_nothing(session, tmp_path):
    world, staff, _ = _programme(session)
    blocker = tmp_path / "archives"
    blocker.write_text("not a folder", encoding="utf-8")

    expected = f"'EIG test' not archived: cannot write to {blocker}: a file is there, not a folder"
    with pytest.raises(ArchiveNotWritten, match=re.escape(expected)):
        archive_old_cohorts(world.ctx(NOW, _settings(blocker)))
    session.rollback()

    assert session.get(Cohort, world.cohort.id).archived_at is None
    assert session.get(Person, staff.id).name == "Camille Staffeur"
    assert archive_old_cohorts(world.ctx(NOW, _settings(tmp_path / "elsewhere"))) == 1

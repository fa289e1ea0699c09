"""Data kept no longer than ``[retention]`` says, cleared by ``bulletins tick --now``."""

from __future__ import annotations

import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.standin.web_api import SlackStandIn
from bulletins.calendar import ProgrammeCalendar
from bulletins.config import Settings
from bulletins.cycle.bulletin import Answers, file_bulletin
from bulletins.db import make_engine, make_session_factory, upgrade
from bulletins.db.models import (
    Bulletin,
    BulletinRevision,
    Cohort,
    OutboxMessage,
    Person,
    ReceivedRequest,
    Team,
)
from bulletins.people import fellows_of
from tests.support.cli import run
from tests.support.programme import load_eig3, paris

pytestmark = pytest.mark.slow  # runs the command line as processes

CONFIG = """[channels]
digest = "C0DIGEST"
announce = "C0ANNOUNCE"
staff = "C0STAFF"

[retention]
sent_messages_days = 30
bulletin_revisions_days = 60
received_requests_days = 2
"""
DIGEST_SENT = paris(2026, 3, 6, 15, 5)


def _programme(tmp_path: Path) -> str:
    """CartoBio's bulletin, filed then edited (one earlier version); a request received."""
    url = f"sqlite:///{tmp_path / 'bulletins.db'}"
    engine = make_engine(url)
    upgrade(engine)
    load_eig3(engine)
    calendar = ProgrammeCalendar.from_settings(Settings())
    with make_session_factory(engine).begin() as session:
        team = session.query(Team).filter_by(name="CartoBio").one()
        person = fellows_of(session, team, DIGEST_SENT.date())[0]
        for hour, priority in ((10, "Carte en ligne"), (11, "Carte en ligne, enfin")):
            answers = Answers(mood=4, priority=priority, ups_and_downs="Bravo")
            file_bulletin(session, calendar, person=person, team=team, answers=answers,
                          now=paris(2026, 3, 6, hour, 0))  # fmt: skip
        session.add(ReceivedRequest(key="event:Ev1", received_at=DIGEST_SENT))
    engine.dispose()
    (tmp_path / "bulletins.toml").write_text(CONFIG, encoding="utf-8")
    return url


def _tick(tmp_path: Path, url: str, standin: SlackStandIn, at: datetime) -> set[str]:
    env = {"DATABASE_URL": url, "SLACK_BOT_TOKEN": "xoxb-cli", "SLACK_SIGNING_SECRET": "s",
           "SLACK_API_URL": standin.base_url}  # fmt: skip
    result: subprocess.CompletedProcess = run("tick", "--now", at.isoformat(), cwd=tmp_path,
                                              env=env)  # fmt: skip
    assert result.returncode == 0, result.stderr
    return set(result.stdout.splitlines())


def _stored(url: str):
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        digest = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "digest")).one()
        revisions = session.scalar(select(func.count()).select_from(BulletinRevision))
        requests = session.scalar(select(func.count()).select_from(ReceivedRequest))
        found = digest.payload, revisions, requests
    engine.dispose()
    return found


def test_the_tick_clears_what_is_older_than_the_retention_periods(tmp_path):
    url = _programme(tmp_path)
    with SlackStandIn(token="xoxb-cli") as standin:
        for channel in ("C0DIGEST", "C0ANNOUNCE", "C0STAFF"):
            standin.add_channel(channel)
        assert "deliver: 1" in _tick(tmp_path, url, standin, DIGEST_SENT)
        payload, revisions, requests = _stored(url)
        assert "Carte en ligne, enfin" in str(payload) and (revisions, requests) == (1, 1)

        day_29 = _tick(tmp_path, url, standin, DIGEST_SENT + timedelta(days=29))
        assert {"empty_old_messages: 0", "delete_old_revisions: 0", "prune_received: 1"} <= day_29
        assert "Carte en ligne, enfin" in str(_stored(url)[0])

        day_31 = DIGEST_SENT + timedelta(days=31)
        assert {"empty_old_messages: 1", "delete_old_revisions: 0"} <= _tick(
            tmp_path, url, standin, day_31
        )
        assert _stored(url)[0] == {}
        assert "empty_old_messages: 0" in _tick(tmp_path, url, standin, day_31)  # once only

        day_61 = _tick(tmp_path, url, standin, DIGEST_SENT + timedelta(days=61))
        assert "delete_old_revisions: 1" in day_61
        assert _stored(url)[1:] == (0, 0)
        assert len(standin.messages("C0DIGEST")) == 1  # nothing sent again


def _names(url: str) -> set[str]:
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        names = set(session.scalars(select(Person.name)))
    engine.dispose()
    return names


def test_the_tick_archives_a_cohort_ended_past_the_period_and_erases_its_people(tmp_path):
    url = _programme(tmp_path)
    config = CONFIG + "archive_cohorts_after_days = 365\n"
    (tmp_path / "bulletins.toml").write_text(config, encoding="utf-8")
    later = paris(2028, 8, 3, 10, 0)  # 400 days after the cohort's end
    with SlackStandIn(token="xoxb-cli") as standin:
        assert "archive_old_cohorts: 0" in _tick(tmp_path, url, standin, later - timedelta(days=40))
        assert not (tmp_path / "archives").exists()

        (tmp_path / "blocked").write_text("a file, not a folder", encoding="utf-8")
        blocked = config + 'archive_directory = "blocked"\n'
        (tmp_path / "bulletins.toml").write_text(blocked, encoding="utf-8")
        env = {"DATABASE_URL": url, "SLACK_BOT_TOKEN": "xoxb-cli", "SLACK_SIGNING_SECRET": "s",
               "SLACK_API_URL": standin.base_url}  # fmt: skip
        failed = run("tick", "--now", later.isoformat(), cwd=tmp_path, env=env)
        assert failed.returncode == 1 and "archive_old_cohorts" in failed.stderr
        assert f"cannot write to {tmp_path / 'blocked'}: a file is there" in failed.stdout
        assert _names(url) != {""}  # nobody erased

        (tmp_path / "bulletins.toml").write_text(config, encoding="utf-8")
        assert "archive_old_cohorts: 1" in _tick(tmp_path, url, standin, later)
        assert "archive_old_cohorts: 0" in _tick(tmp_path, url, standin, later)

    (folder,) = (tmp_path / "archives").iterdir()  # beside the database
    assert folder.name.endswith("-2027-06-30")
    facts = (folder / "team-facts.csv").read_text(encoding="utf-8")
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        people = session.scalars(select(Person)).all()
        bulletin = session.scalars(select(Bulletin)).one()
        cohort = session.scalars(select(Cohort)).one()
    engine.dispose()
    assert "CartoBio" in facts and cohort.archived_at == later
    assert people and all(p.erased_at == later and p.name == "" for p in people)
    assert bulletin.priority == "Carte en ligne, enfin"

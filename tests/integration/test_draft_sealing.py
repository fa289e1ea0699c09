"""The draft of someone answering an anonymous survey, read from the database itself: no
column holds their answers, nor does any byte of the SQLite files, yet they resume where
they stopped. The key is the app's, not the database's: a draft sealed under another key
counts as none. Named drafts are stored as they are."""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import sessionmaker

from bulletins.db import make_session_factory
from bulletins.db.models import Campaign, Person
from evaluation import campaigns as core
from evaluation.campaigns.access import Progress
from evaluation.campaigns.sealing import Seal, Unreadable, session_info
from tests.support.anonymous_surveys import LAUNCH, SURVEY, answer, launched, marker

NOW = LAUNCH + timedelta(hours=1)


def resumed(sessions: sessionmaker, campaign_id: int, person_id: int) -> Progress:
    """What the person sees on answering again: where they stopped and their answers."""
    with sessions() as session:
        campaign, person = session.get(Campaign, campaign_id), session.get(Person, person_id)
        return core.progress(session, campaign, person, NOW)


def stored(engine: Engine) -> list[dict]:
    """Every row of ``drafts``, as an administrator's SQL reads it."""
    with engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(text("SELECT * FROM drafts"))]


def as_json(value: object) -> dict:
    return json.loads(value) if isinstance(value, str) else value


def test_an_anonymous_draft_shows_no_answer_in_any_column_and_still_resumes(engine):
    campaign_id, people = launched(engine)
    sessions = make_session_factory(engine)
    answer(sessions, campaign_id, people[-1], finish=False)

    (row,) = stored(engine)
    assert row["person_id"] == people[-1]
    assert not any(marker(people[-1]) in str(value) for value in row.values())
    assert list(as_json(row["answers"])) == ["sealed"]
    assert row["page"] == 0  # the next page would tell which pages the answers showed

    progress = resumed(sessions, campaign_id, people[-1])
    assert progress.answers == {"score": 4, "words": marker(people[-1])}
    assert (progress.page, progress.finished) == (2, False)


def test_the_sqlite_files_hold_no_answer_of_a_draft_in_progress(engine):
    if engine.dialect.name != "sqlite":
        pytest.skip("the files of an SQLite database")
    campaign_id, people = launched(engine)
    answer(make_session_factory(engine), campaign_id, people[-1], finish=False)
    database = Path(engine.url.database)
    wal = database.with_name(database.name + "-wal")
    files = database.read_bytes() + (wal.read_bytes() if wal.exists() else b"")

    (row,) = stored(engine)
    assert as_json(row["answers"])["sealed"].encode() in files  # the right bytes were read
    assert marker(people[-1]).encode() not in files


def test_every_process_with_the_same_secret_reads_the_draft_and_finishing_works(engine):
    campaign_id, people = launched(engine)
    web = make_session_factory(engine, info=session_info(Seal.from_secret("shared")))
    other_web = make_session_factory(engine, info=session_info(Seal.from_secret("shared")))
    answer(web, campaign_id, people[-1], finish=False)

    assert resumed(other_web, campaign_id, people[-1]).page == 2
    with other_web.begin() as session:
        campaign, person = session.get(Campaign, campaign_id), session.get(Person, people[-1])
        assert core.finish(session, campaign, person, NOW).finished
    assert stored(engine) == []


def test_a_draft_sealed_under_another_key_counts_as_none(engine, caplog):
    campaign_id, people = launched(engine)
    before = make_session_factory(engine, info=session_info(Seal.from_secret("old secret")))
    after = make_session_factory(engine, info=session_info(Seal.from_secret("new secret")))
    answer(before, campaign_id, people[-1], finish=False)

    with caplog.at_level(logging.WARNING, logger="evaluation.campaigns.sealing"):
        progress = resumed(after, campaign_id, people[-1])
    assert (progress.page, progress.answers, progress.finished) == (0, {}, False)
    assert "cannot be unsealed" in caplog.text
    with after() as session:
        person = session.get(Person, people[-1])
        assert person.slack_user_id not in caplog.text and person.name not in caplog.text
    assert marker(people[-1]) not in caplog.text

    answer(after, campaign_id, people[-1])  # they start again, and send
    assert stored(engine) == []


def test_a_sealed_draft_copied_to_another_person_does_not_open_for_them(engine):
    campaign_id, people = launched(engine)
    sessions = make_session_factory(engine)
    answer(sessions, campaign_id, people[-1], finish=False)
    answer(sessions, campaign_id, people[0], finish=False)
    with engine.begin() as connection:  # an administrator puts the first draft under their id
        connection.execute(text("DELETE FROM drafts WHERE person_id = :p"), {"p": people[0]})
        connection.execute(text("UPDATE drafts SET person_id = :p"), {"p": people[0]})

    progress = resumed(sessions, campaign_id, people[0])
    assert (progress.page, progress.answers) == (0, {})


def test_a_named_draft_is_stored_as_it_is(engine):
    campaign_id, people = launched(engine, replace(SURVEY, id="named", anonymous=False))
    sessions = make_session_factory(engine)
    answer(sessions, campaign_id, people[-1], finish=False)

    (row,) = stored(engine)
    assert as_json(row["answers"]) == {"score": 4, "words": marker(people[-1])}
    assert row["page"] == 2
    assert resumed(sessions, campaign_id, people[-1]).answers == as_json(row["answers"])


def test_a_seal_opens_only_with_its_key_and_its_context():
    seal = Seal.from_secret("secret")
    token = seal.seal({"words": "hello"}, b"draft 1 2")
    assert Seal.from_secret("secret").open(token, b"draft 1 2") == {"words": "hello"}
    for key, context in [("other", b"draft 1 2"), ("secret", b"draft 1 3")]:
        with pytest.raises(Unreadable):
            Seal.from_secret(key).open(token, context)
    altered = token[:-4] + ("AAAA" if token[-4:] != "AAAA" else "BBBB")
    with pytest.raises(Unreadable):
        seal.open(altered, b"draft 1 2")
    with pytest.raises(Unreadable):
        seal.open("not base64 at all!", b"draft 1 2")
    # Padded: a word more or less does not change the token's length.
    assert len(seal.seal({"words": "a"}, b"c")) == len(seal.seal({"words": "a" * 500}, b"c"))
    assert "secret" not in repr(seal)

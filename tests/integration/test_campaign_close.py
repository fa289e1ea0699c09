"""An anonymous campaign's results grow by batches of k while it is open, and closing it
leaves nothing from which to rebuild who answered what: no draft, no row newer than
another, no old copy of a row in the database files."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text

from bulletins.cycle.jobs import JobContext
from bulletins.db import make_session_factory
from bulletins.db.models import Campaign, Draft
from evaluation.campaigns.closure import close_due_campaigns, scrub
from evaluation.results.tally import campaign_results
from tests.support.anonymous_surveys import LAUNCH, SURVEY, K, answer, launched
from tests.support.cycle_world import CALENDAR, SETTINGS

CLOSED = LAUNCH + timedelta(days=60)  # past every window of these campaigns


def shown(engine: Engine, campaign_id: int) -> int:
    with make_session_factory(engine)() as session:
        return campaign_results(session, session.get(Campaign, campaign_id), K).respondents


def close(engine: Engine, now=CLOSED) -> int:
    with make_session_factory(engine).begin() as session:
        closed = close_due_campaigns(JobContext(session, CALENDAR, SETTINGS, now))
    scrub(engine)
    return closed


def test_open_results_grow_only_by_batches_of_k_then_all_at_close(engine):
    campaign_id, people = launched(engine)
    seen = []
    for person_id in people[:7]:
        answer(make_session_factory(engine), campaign_id, person_id)
        seen.append(shown(engine, campaign_id))
    # Two looks never differ by one person's answers: 3 at a time.
    assert seen == [0, 0, 3, 3, 3, 6, 6]
    with make_session_factory(engine)() as session:
        closes_at = session.get(Campaign, campaign_id).closes_at
    assert close(engine, now=closes_at - timedelta(minutes=1)) == 0  # still open
    assert close(engine, now=closes_at) == 1
    assert shown(engine, campaign_id) == 7
    assert close(engine) == 0  # closed once


def test_a_named_campaign_shows_each_answer_at_once(engine):
    campaign_id, people = launched(engine, replace(SURVEY, id="named", anonymous=False))
    answer(make_session_factory(engine), campaign_id, people[0])
    assert shown(engine, campaign_id) == 1


def test_closing_deletes_every_draft_and_no_row_is_newer_than_another(engine):
    campaign_id, people = launched(engine)
    sessions = make_session_factory(engine)
    for person_id in people[:4]:
        answer(sessions, campaign_id, person_id)
    answer(sessions, campaign_id, people[-1], finish=False)  # stopped half-way

    close(engine)

    with sessions() as session:
        assert session.scalars(select(Draft)).all() == []
        if engine.dialect.name == "postgresql":
            for table in ("responses", "participations"):
                xmins = session.scalar(
                    text(f"SELECT count(DISTINCT xmin::text) FROM {table} WHERE campaign_id = :c"),
                    {"c": campaign_id},
                )
                assert xmins == 1, table


def test_after_closing_the_sqlite_files_hold_no_trace_of_a_draft(engine):
    if engine.dialect.name != "sqlite":
        pytest.skip("the files of an SQLite database")
    campaign_id, people = launched(engine)
    sessions = make_session_factory(engine)
    answer(sessions, campaign_id, people[0])
    answer(sessions, campaign_id, people[-1], finish=False)
    database = Path(engine.url.database)
    wal = database.with_name(database.name + "-wal")
    with engine.connect() as connection:  # the draft as stored: sealed, its answers unreadable
        stored = connection.execute(text("SELECT answers FROM drafts")).scalar_one()
    draft = (json.loads(stored) if isinstance(stored, str) else stored)["sealed"].encode()
    assert draft in database.read_bytes() + (wal.read_bytes() if wal.exists() else b"")

    close(engine)

    assert draft not in database.read_bytes()
    assert not wal.exists() or wal.stat().st_size == 0


def test_after_closing_postgresql_keeps_no_dead_copy_of_a_survey_row(engine):
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's dead rows")
    campaign_id, people = launched(engine)
    sessions = make_session_factory(engine)
    for person_id in people[:4]:
        answer(sessions, campaign_id, person_id)
    answer(sessions, campaign_id, people[-1], finish=False)

    close(engine)

    # The pages themselves, through pageinspect: the statistics views lag behind.
    with engine.connect() as connection:
        if not connection.execute(
            text("SELECT 1 FROM pg_available_extensions WHERE name = 'pageinspect'")
        ).scalar():
            pytest.skip("pageinspect is not installed on this server")
        connection.execute(text("CREATE EXTENSION IF NOT EXISTS pageinspect"))
        for table in ("responses", "participations", "drafts"):
            pages = connection.execute(
                text(f"SELECT pg_relation_size('{table}') / current_setting('block_size')::int")
            ).scalar()
            xmaxes = [
                str(xmax)
                for page in range(pages)
                for xmax in connection.execute(
                    text(f"SELECT t_xmax FROM heap_page_items(get_raw_page('{table}', :p))"),
                    {"p": page},
                ).scalars()
            ]
            assert all(xmax == "0" for xmax in xmaxes), table  # every row live
            assert table == "drafts" or xmaxes, table

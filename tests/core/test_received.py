"""Received requests: a key counts once, a click once within its window, old keys go; an
accepted form is kept until it is taken for filing, once."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, select
from sqlalchemy.exc import OperationalError

from bulletins.db import database_unavailable, make_engine, make_session_factory, upgrade
from bulletins.db.models import ReceivedRequest
from bulletins.received import (
    FormIntake,
    first_time,
    first_within,
    forget,
    pending_form,
    pending_keys,
    prune_received,
    take_pending,
)
from tests.databases import database_locked

NOW = datetime(2026, 3, 6, 14, 0, 1, tzinfo=UTC)
WINDOW = timedelta(seconds=2)


def test_a_key_is_new_once_and_the_session_stays_usable(session):
    assert first_time(session, "event:Ev1", NOW)
    assert not first_time(session, "event:Ev1", NOW + timedelta(minutes=1))
    assert first_time(session, "event:Ev2", NOW)  # the refused insert did not spoil the rest
    session.commit()
    assert session.scalars(select(ReceivedRequest.key)).all() == ["event:Ev1", "event:Ev2"]


def test_a_forgotten_key_is_new_again(session):
    first_time(session, "view:V1:abc", NOW)
    forget(session, "view:V1:abc")
    assert first_time(session, "view:V1:abc", NOW)


def test_a_click_counts_once_within_its_window_even_across_a_slot_boundary(session):
    assert first_within(session, "click:U1:open_form:3", NOW, WINDOW)
    assert not first_within(session, "click:U1:open_form:3", NOW + timedelta(seconds=0.5), WINDOW)
    # 1.5 s later falls in the next two-second slot, and still counts as the same click.
    assert not first_within(session, "click:U1:open_form:3", NOW + timedelta(seconds=1.5), WINDOW)
    assert first_within(session, "click:U1:open_form:3", NOW + timedelta(seconds=4), WINDOW)
    assert first_within(session, "click:U1:open_form:4", NOW, WINDOW)


def test_pruning_deletes_only_keys_older_than_three_days(session):
    first_time(session, "event:old", NOW - timedelta(days=3, seconds=1))
    first_time(session, "event:recent", NOW - timedelta(days=2))
    assert prune_received(session, NOW) == 1
    assert prune_received(session, NOW) == 0
    assert session.scalars(select(ReceivedRequest.key)).all() == ["event:recent"]


def test_an_accepted_form_is_kept_once_and_taken_once(engine):
    sessions = make_session_factory(engine)
    form = {"kind": "bulletin", "priority": "Écrire la doc"}
    intake = FormIntake(engine)
    assert intake.accept("view:V1:abc", NOW, form)
    assert not intake.accept("view:V1:abc", NOW, form)  # the same form sent again

    with sessions() as session:
        assert pending_keys(session, NOW + timedelta(minutes=1)) == ["view:V1:abc"]
        assert pending_keys(session, NOW) == []  # accepted at NOW: not before it
    with sessions.begin() as session:
        assert pending_form(session, "view:V1:abc") == (form, NOW)
        assert take_pending(session, "view:V1:abc")
    with sessions.begin() as session:
        assert pending_form(session, "view:V1:abc") is None
        assert not take_pending(session, "view:V1:abc")
        assert pending_keys(session, NOW + timedelta(minutes=1)) == []


def test_a_form_taken_in_a_transaction_that_fails_is_there_to_take_again(engine):
    sessions = make_session_factory(engine)
    FormIntake(engine).accept("view:V2:def", NOW, {"kind": "excuse"})
    with pytest.raises(RuntimeError), sessions.begin() as session:
        assert take_pending(session, "view:V2:def")
        raise RuntimeError("the filing failed")
    with sessions.begin() as session:
        assert pending_form(session, "view:V2:def") == ({"kind": "excuse"}, NOW)
        assert take_pending(session, "view:V2:def")


def test_pruning_keeps_a_form_not_filed_yet(engine):
    sessions = make_session_factory(engine)
    FormIntake(engine).accept("view:V3:old", NOW - timedelta(days=4), {"kind": "bulletin"})
    with sessions.begin() as session:
        assert prune_received(session, NOW) == 0
    with sessions.begin() as session:
        take_pending(session, "view:V3:old")
    with sessions.begin() as session:
        assert prune_received(session, NOW) == 1


def test_forms_submitted_together_are_each_kept_once(engine):
    """Ten forms, one of them sent twice, arrive while the first is being written: all
    are kept, the repeat is recognised, and they are written together, not one by one."""
    intake = FormIntake(engine)
    inserts = []
    event.listen(
        engine,
        "before_cursor_execute",
        lambda _c, _cur, statement, *_: inserts.append(1) if "INSERT" in statement else None,
    )
    keys = [f"view:V{n}:x" for n in range(10)] + ["view:V3:x"]
    with ThreadPoolExecutor(max_workers=len(keys)) as pool:
        with database_locked(engine):
            first = pool.submit(intake.accept, keys[0], NOW, {"n": 0})
            time.sleep(0.1)  # the first is writing, and waits for the database
            others = [
                pool.submit(intake.accept, key, NOW, {"n": n}) for n, key in enumerate(keys[1:], 1)
            ]
            time.sleep(0.2)
        fresh = [first.result()] + [future.result() for future in others]

    assert fresh.count(False) == 1  # view:V3:x, sent twice, counts once
    assert len(inserts) == 2  # the first form, then the ten that came while it was written
    with make_session_factory(engine)() as session:
        assert sorted(pending_keys(session, NOW + timedelta(minutes=1))) == sorted(set(keys))
        assert pending_form(session, "view:V9:x") == ({"n": 9}, NOW)


def test_every_form_waiting_is_told_that_the_database_did_not_answer(tmp_path):
    dead = make_engine(f"sqlite:///{tmp_path / 'missing-dir' / 'gone.db'}")
    intake = FormIntake(dead)
    start = threading.Barrier(5)

    def submit(n: int) -> BaseException | None:
        start.wait()
        try:
            intake.accept(f"view:V{n}:x", NOW, {"n": n})
        except OperationalError as error:
            return error
        return None

    with ThreadPoolExecutor(max_workers=5) as pool:
        errors = list(pool.map(submit, range(5)))
    assert all(error is not None and database_unavailable(error) for error in errors)

    (tmp_path / "missing-dir").mkdir()  # the database answers again
    upgrade(dead)
    assert intake.accept("view:V9:x", NOW, {"n": 9})
    dead.dispose()

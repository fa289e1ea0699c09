"""Received requests: a key counts once, a click once within its window, old keys go."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bulletins.db.models import ReceivedRequest
from bulletins.repeats import first_time, first_within, forget, prune_received

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

"""Offers of help: recorded once per person and request; the programme team's list of the
help requests of the last four weeks."""

from __future__ import annotations

import pytest

from bulletins.cycle.help_offers import asking_bulletin, recent_requests, record_offer
from tests.support.cycle_world import W10, make_world, paris

NOW = paris(2026, 3, 6, 16, 0)


@pytest.fixture
def world(session):
    return make_world(session, "Alpha", "Bravo", "Charlie")


def test_an_offer_is_recorded_once_per_person(world):
    bulletin = world.file("Alpha", help_request="Un juriste")
    assert record_offer(world.session, bulletin, "U0HELP", "Hélène", NOW) is not None
    assert record_offer(world.session, bulletin, "U0HELP", "Hélène", NOW) is None
    assert record_offer(world.session, bulletin, "U0OTHER", "Omar", NOW) is not None


def test_only_a_bulletin_that_asks_for_help_can_be_offered_help(world):
    asking = world.file("Alpha", help_request="Un juriste")
    quiet = world.file("Bravo", help_request="")
    assert asking_bulletin(world.session, asking.id) is asking
    assert asking_bulletin(world.session, quiet.id) is None
    assert asking_bulletin(world.session, 999_999) is None


def test_the_last_four_weeks_of_help_requests_with_their_offers(world):
    old = W10.previous().previous().previous().previous()
    world.file("Alpha", week=old, help_request="Trop ancien")
    earlier = world.file("Bravo", week=W10.previous(), help_request="Un designer")
    latest = world.file("Charlie", help_request="Un accès")
    world.file("Alpha", help_request=None)
    record_offer(world.session, earlier, "U0HELP", "Hélène", NOW)
    found = recent_requests(world.session, [world.cohort.id], W10)
    assert [(r.bulletin.id, [o.helper_name for o in r.offers]) for r in found] == [
        (latest.id, []),
        (earlier.id, ["Hélène"]),
    ]
    assert recent_requests(world.session, [], W10) == []

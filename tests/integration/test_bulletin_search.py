"""Finding bulletins for the web console: words in any of their texts, case and accents as
people type them, only in the teams asked for; key dates ahead; help requests and offers."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bulletins.calendar import IsoWeek
from bulletins.cycle.search import help_requests, key_dates_ahead, search_bulletins
from bulletins.db.models import HelpOffer
from tests.support.cycle_world import W10, make_world


@pytest.fixture
def world(session):
    world = make_world(session, "ADLER", "Plume", "Hugo")
    world.file("ADLER", priority="Brancher l'API de la DGFiP", help_request="Un contact CNIL")
    world.file("Plume", priority="Réduire 50% des délais", ups_and_downs="Démo_publique réussie")
    world.file("ADLER", IsoWeek(2026, 11), priority="Recette", key_date=date(2026, 4, 1))
    world.file("Hugo", priority="api interne", key_date=date(2026, 3, 1))
    return world


def teams(world, found) -> list[tuple[str, str]]:
    return [(b.team.name, b.week) for b in found]


def test_every_word_is_looked_for_in_any_text_whatever_its_case(world):
    ids = [team.id for team in world.teams.values()]
    assert teams(world, search_bulletins(world.session, ids, "api")) == [
        ("ADLER", "2026-W10"),
        ("Hugo", "2026-W10"),
    ]
    assert teams(world, search_bulletins(world.session, ids, "API dgfip")) == [
        ("ADLER", "2026-W10")
    ]
    assert teams(world, search_bulletins(world.session, ids, "cnil")) == [("ADLER", "2026-W10")]
    assert search_bulletins(world.session, ids, "api cnil plume") == []


def test_only_the_teams_given_are_read(world):
    adler = [world.teams["ADLER"].id]
    assert teams(world, search_bulletins(world.session, adler, "")) == [
        ("ADLER", "2026-W11"),
        ("ADLER", "2026-W10"),
    ]
    assert search_bulletins(world.session, adler, "délais") == []
    assert search_bulletins(world.session, [], "api") == []


def test_accents_and_case_are_aside_as_people_type(world):
    ids = [team.id for team in world.teams.values()]
    for typed in ("DELAIS", "délais", "Demo_PUBLIQUE", "réussie démo"):
        assert teams(world, search_bulletins(world.session, ids, typed)) == [("Plume", "2026-W10")]


def test_the_latest_come_first_up_to_the_limit(world):
    ids = [team.id for team in world.teams.values()]
    assert teams(world, search_bulletins(world.session, ids, "", limit=2)) == [
        ("ADLER", "2026-W11"),
        ("ADLER", "2026-W10"),
    ]
    assert len(search_bulletins(world.session, ids, "a", limit=1)) == 1


def test_percent_and_underscore_are_plain_characters(world):
    ids = [team.id for team in world.teams.values()]
    assert teams(world, search_bulletins(world.session, ids, "50%")) == [("Plume", "2026-W10")]
    assert search_bulletins(world.session, ids, "5_%") == []
    assert teams(world, search_bulletins(world.session, ids, "o_p")) == [("Plume", "2026-W10")]


def test_key_dates_ahead_are_the_coming_ones_soonest_first(world):
    ids = [team.id for team in world.teams.values()]
    found = key_dates_ahead(world.session, ids, date(2026, 3, 2))
    assert [(b.team.name, b.key_date) for b in found] == [("ADLER", date(2026, 4, 1))]


def test_help_requests_come_with_the_offers_they_got(world):
    bulletin = search_bulletins(world.session, [world.teams["ADLER"].id], "cnil")[0]
    world.session.add(
        HelpOffer(bulletin_id=bulletin.id, helper_slack_id="UHELP", helper_name="Zoé",
                  at=datetime(2026, 3, 6, 16, 0, tzinfo=UTC))
    )  # fmt: skip
    world.session.flush()
    found = help_requests(world.session, [str(W10)])
    assert [(b.team.name, [o.helper_name for o in offers]) for b, offers in found] == [
        ("ADLER", ["Zoé"])
    ]
    assert help_requests(world.session, ["2026-W11"]) == []

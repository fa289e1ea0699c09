"""Reading what follows /bulletin, and team names typed loosely."""

from __future__ import annotations

from datetime import date

import pytest

from bot.command_text import UsageError, parse_away, parse_command
from bulletins.cycle.history import fold, match_team
from bulletins.db.models import Team

TODAY = date(2026, 3, 2)


@pytest.mark.parametrize(
    "text, name, argument",
    [
        ("", "form", ""),
        ("  ", "form", ""),
        ("help", "help", ""),
        ("AIDE", "help", ""),
        ("history LexImpact", "history", "LexImpact"),
        ("historique  Karfu’R ", "history", "Karfu’R"),
        ("away until 2026-03-20", "away", "until 2026-03-20"),
        ("excuse", "excuse", ""),
        ("facts", "facts", ""),
        ("indicateurs", "indicators", ""),
        ("frobnicate", "unknown", ""),
    ],
)
def test_subcommands_and_their_arguments(text, name, argument):
    command = parse_command(text)
    assert (command.name, command.argument) == (name, argument)


@pytest.mark.parametrize(
    "typed, guess", [("histroy", "history"), ("halp", "help"), ("awya", "away"), ("zzz", None)]
)
def test_an_unknown_subcommand_gets_the_closest_guess(typed, guess):
    assert parse_command(typed).suggestion == guess


@pytest.mark.parametrize(
    "argument",
    [
        "until 2026-03-20",
        "2026-03-20",
        "jusqu'au 2026-03-20",
        "UNTIL  2026-03-20",
        "until 20/03",
        "jusqu'au 20 mars",
        "20 mars 2026",
        "until March 20",
        "jusqu'au vendredi 20 mars",
    ],
)
def test_away_reads_the_last_day_as_people_type_it(argument):
    assert parse_away(argument, TODAY) == date(2026, 3, 20)


@pytest.mark.parametrize(
    "argument", ["jusqu'au vendredi prochain", "until next friday", "vendredi", "friday"]
)
def test_away_reads_the_coming_day_of_the_week(argument):
    assert parse_away(argument, TODAY) == date(2026, 3, 6)  # TODAY is a Monday


def test_a_day_without_its_year_is_the_next_one():
    assert parse_away("until 20/01", TODAY) == date(2027, 1, 20)


def test_away_today_is_fine_but_a_past_or_unreadable_day_is_explained():
    assert parse_away("until 2026-03-02", TODAY) == TODAY
    with pytest.raises(UsageError) as past:
        parse_away("until 2026-03-01", TODAY)
    assert past.value.problem.message.startswith("That day is past")
    with pytest.raises(UsageError) as unreadable:
        parse_away("until the cows come home", TODAY)
    assert dict(unreadable.value.problem.params) == {"example": "16/03/2026"}


TEAMS = [
    Team(name="Karfu’R", slug="karfu-r"),
    Team(name="EIG Link", slug="eig-link"),
    Team(name="Open Justice", slug="open-justice"),
    Team(name="Open Chronic", slug="open-chronic"),
]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("karfur", "Karfu’R"),
        ("KARFU'R", "Karfu’R"),
        ("eig-link", "EIG Link"),
        ("eig link", "EIG Link"),
        ("justice", "Open Justice"),
        ("open", None),  # two teams: ambiguous
        ("", None),
        ("plume", None),
    ],
)
def test_team_names_match_whatever_the_case_accents_and_punctuation(query, expected):
    found = match_team(TEAMS, query)
    assert (found.name if found else None) == expected


def test_fold_drops_case_accents_and_punctuation():
    assert fold("Élan & Cœur") == fold("elan coeur") == "elancoeur"

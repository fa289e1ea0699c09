"""French as it is written, in the weekly messages people read: the known mistakes fail here.

The demo's test runs the same check over every page of a whole cohort's tour
(tests/cli/test_demo.py).
"""

from __future__ import annotations

from datetime import date

import pytest

from bulletins.calendar import IsoWeek
from bulletins.cycle.digest import compose_digest, compose_late, digest_data
from tests.support.cycle_world import CALENDAR, SETTINGS, W10, make_world
from tests.support.french import french_mistakes

DEADLINE = CALENDAR.deadline(W10)


def text_of(parts) -> str:
    return "\n".join([part.header or "" for part in parts] +
                     [section.text for part in parts for section in part.sections])  # fmt: skip


@pytest.fixture
def world(session):
    return make_world(session, "Traitement", "Écrire", "ADLER", "Open Justice", "Hugo")


def test_the_digest_reads_as_french_is_written(world):
    week = IsoWeek(2026, 13)
    world.file("ADLER", week, key_date=date(2026, 4, 1), key_date_label="Mise en production")
    world.file("Traitement", week, help_request="Un contact à la CNIL")
    data = digest_data(world.session, CALENDAR, week, CALENDAR.deadline(week))
    parts = compose_digest(data, SETTINGS, "fr")
    text = text_of(parts)
    assert french_mistakes(text) == []
    assert "semaine du 23 mars" in parts[0].header
    assert "mercredi 1er avril" in text
    silent = text[text.index("Pas de bulletin cette semaine") :]
    assert silent.index("Écrire") < silent.index("Hugo") < silent.index("Open Justice")


def test_a_late_bulletin_is_announced_with_elision(world):
    late = world.file("ADLER", at=DEADLINE.replace(hour=18))
    message = compose_late(late, "fr")
    assert message.text == "Bulletin en retard d'ADLER"
    assert compose_late(world.file("Hugo", at=DEADLINE.replace(hour=18)), "fr").text == (
        "Bulletin en retard de Hugo"  # an h is left alone: mute or aspirated, names differ
    )
    assert french_mistakes(message.text + "\n" + "\n".join(s.text for s in message.sections)) == []


def test_the_check_finds_each_known_mistake():
    assert french_mistakes("Bulletin en retard de ADLER")
    assert french_mistakes("mercredi 1 avril")
    assert french_mistakes("semaine 2026-W13")
    assert french_mistakes("humeur moyenne 2.5")
    assert french_mistakes("Bulletin en retard d'ADLER, mercredi 1er avril, 2,5, le 11 avril") == []

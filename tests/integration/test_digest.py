"""The weekly digest's composition: order, escaping, key dates, splitting, bulk queries."""

from __future__ import annotations

from datetime import date

import pytest

from bot.standin.databases import counting
from bulletins.cycle.digest import compose_digest, compose_late, digest_data
from bulletins.messages import Limits
from tests.support.cycle_world import CALENDAR, SETTINGS, W10, make_world, paris

DEADLINE = CALENDAR.deadline(W10)
MENTIONS = ["<!channel>", "<!here>", "<@U123>", "<!subteam^S1>", "@channel", "@here"]


def text_of(parts) -> str:
    return "\n".join(section.text for part in parts for section in part.sections)


def digest(world, now=DEADLINE, locale="en", **limits):
    data = digest_data(world.session, CALENDAR, W10, now)
    return compose_digest(data, SETTINGS, locale, Limits(**limits) if limits else Limits())


@pytest.fixture
def world(session):
    return make_world(session, "Alpha", "Bravo", "Charlie", "Delta")


def test_help_requests_come_first_then_key_dates_news_and_silent_teams(world):
    world.file("Bravo", help_request="Un contact à la CNIL", key_date=date(2026, 3, 10),
               key_date_label="Démo au ministre")  # fmt: skip
    world.file("Alpha")
    world.excuse("Delta", "Séminaire d'équipe")
    parts = digest(world)
    assert len(parts) == 1
    assert parts[0].header.startswith(
        "Entrepreneurs d'intérêt général · week of 2 March – 6 March 2026"
    )
    assert "2 March" in parts[0].header and "6 March 2026" in parts[0].header
    text = text_of(parts)
    order = ["2/4", "Help requests", "Un contact à la CNIL", "Key dates", "Démo au ministre",
             "News from the teams", "Alpha priority", "Bravo priority", "No bulletin this week",
             "Charlie", "Excused this week", "Séminaire d'équipe"]  # fmt: skip
    positions = [text.index(item) for item in order]
    assert positions == sorted(positions)
    assert "thank you" not in text and "---" not in text
    assert "🙂 *Alpha*" in text and "Filed by Alpha fellow 1" in text


def test_the_digest_names_who_wrote_the_published_text(world):
    bulletin = world.file("Alpha")
    bulletin.updated_by = world.fellows["Alpha"][1]  # a teammate rewrote it
    world.session.flush()
    text = text_of(digest(world))
    assert "Filed by Alpha fellow 2" in text and "Alpha fellow 1" not in text


def test_every_team_filed_gets_a_thank_you(world):
    for name in world.teams:
        world.file(name)
    text = text_of(digest(world))
    assert "No team is missing this week: thank you all!" in text
    assert "No bulletin this week" not in text


def test_text_written_by_people_cannot_mention_anyone(world):
    typed = " ".join(MENTIONS) + " <https://evil.example|clic> & co.\nSecond line!"
    world.file("Alpha", priority=typed, help_request=typed, ups_and_downs=typed)
    world.excuse("Bravo", typed)
    text = text_of(digest(world))
    author = world.fellows["Alpha"][0].slack_user_id
    assert f"*Alpha* · <@{author}>" in text  # the product names who asks for help
    text = text.replace(f"<@{author}>", "")
    for raw in ["<!", "<@", "<https", "@channel", "@here"]:
        assert raw not in text
    assert "&lt;!channel&gt;" in text and "&lt;@U123&gt;" in text
    assert "&lt;!subteam^S1&gt;" in text and "&amp; co." in text
    assert ">Second line!" in text  # a quoted line break survives


def test_key_dates_of_the_next_seven_days_from_any_week(world):
    world.file("Alpha", week=W10.previous(), key_date=date(2026, 3, 13), key_date_label="Old")
    world.file("Alpha", key_date=date(2026, 3, 13), key_date_label="Comité de pilotage")
    world.file("Bravo", key_date=date(2026, 3, 6), key_date_label="Same day")
    world.file("Charlie", key_date=date(2026, 3, 14), key_date_label="Too far")
    text = text_of(digest(world))
    assert text.index("Same day") < text.index("Comité de pilotage")
    assert "Old" not in text and "Too far" not in text


def test_a_bulletin_filed_after_the_digest_moment_is_left_for_the_thread(world):
    world.file("Alpha", at=paris(2026, 3, 6, 16, 0), priority="Arrivé tard")
    data = digest_data(world.session, CALENDAR, W10, DEADLINE)
    assert [tw.team.name for tw in data.silent] == ["Alpha", "Bravo", "Charlie", "Delta"]
    assert "Arrivé tard" not in text_of(compose_digest(data, SETTINGS, "en"))


def test_a_late_bulletin_filed_before_the_digest_is_in_it_flagged_late(world):
    world.file("Alpha", at=paris(2026, 3, 6, 16, 0))
    text = text_of(digest(world, now=paris(2026, 3, 6, 17, 0)))
    assert "*Alpha* · _late_" in text


def test_each_help_request_names_its_author_and_offers_a_button(world):
    bulletin = world.file("Bravo", help_request="Un contact à la CNIL")
    (part,) = digest(world, locale="fr")
    (asking,) = [s for s in part.sections if s.button is not None]
    author = world.fellows["Bravo"][0].slack_user_id
    assert asking.text.startswith(f"*Bravo* · <@{author}>\n>Un contact à la CNIL")
    assert (asking.button.label, asking.button.value) == ("Je peux aider", str(bulletin.id))


def test_the_digest_updated_counts_late_teams_and_excuses_and_keeps_what_it_showed(world):
    world.file("Alpha")
    posted = DEADLINE
    world.file("Bravo", at=paris(2026, 3, 6, 16, 0), priority="Arrivé tard")
    world.excuse("Charlie", "Séminaire")
    data = digest_data(world.session, CALENDAR, W10, paris(2026, 3, 6, 16, 1), posted=posted)
    text = text_of(compose_digest(data, SETTINGS, "fr"))
    assert "Bulletins reçus\u00a0: 2/4" in text
    assert "Publiés en retard, dans le fil*\nBravo" in text and "Arrivé tard" not in text
    assert "Pas de bulletin cette semaine*\nDelta" in text and "Séminaire" in text


def test_the_late_reply_says_which_team_and_what_it_wrote(world):
    bulletin = world.file("Alpha", at=paris(2026, 3, 6, 16, 0), help_request="<!here> aide")
    message = compose_late(bulletin, "fr")
    text = text_of([message])
    assert message.text == "Bulletin en retard d'Alpha"
    assert "Demande d'aide" in text and "&lt;!here&gt; aide" in text and "_en retard_" in text
    (asking,) = [s for s in message.sections if s.button is not None]
    assert "&lt;!here&gt; aide" in asking.text and asking.button.value == str(bulletin.id)


def test_french_is_the_programme_default(world):
    world.file("Alpha", help_request="Besoin d'un juriste")
    parts = digest(world, locale="fr")
    assert "semaine du 2 mars au 6 mars 2026" in parts[0].header
    assert "Demandes d'aide" in text_of(parts) and "Nouvelles des équipes" in text_of(parts)


def test_no_active_team_means_no_digest(session):
    world = make_world(session)
    assert digest_data(session, CALENDAR, W10, DEADLINE) is None
    world.add_team("Ended", ends_on=date(2026, 2, 27))
    assert digest_data(session, CALENDAR, W10, DEADLINE) is None


def test_forty_teams_are_split_within_block_kit_limits(world):
    for n in range(36):
        world.add_team(f"Team {n:02d}")
    for name in world.teams:
        world.file(name, priority="p" * 300, ups_and_downs="u" * 300, help_request="h" * 300)
    parts = digest(world)
    assert len(parts) >= 2
    assert parts[0].header and all(part.header is None for part in parts[1:])
    assert parts[-1].context and all(part.context is None for part in parts[:-1])
    for part in parts:
        assert len(part.sections) <= 45
        assert all(len(section.text) <= 3000 for section in part.sections)
    text = text_of(parts)
    assert all(f"*{name}*" in text for name in world.teams)


def test_the_digest_reads_the_database_in_a_few_bulk_queries(world, engine):
    for n in range(36):
        world.add_team(f"Team {n:02d}")
    for name in world.teams:
        world.file(name, help_request="aide", key_date=date(2026, 3, 9), key_date_label="x")
    world.session.expire_all()
    with counting(engine) as statements:
        digest(world)
    assert len(statements) <= 5, statements

"""``/bulletin help | history | away | excuse``, end to end, answered ephemerally."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from bot import ids
from bulletins.db.models import Absence, WeekExcuse
from tests.support.forms import ask, file_directly, open_view, replies, submit
from tests.support.programme import paris, person_named, team_named


def test_help_lists_the_subcommands(workspace):
    workspace.driver.command(person_named(workspace, "Manon Moreau").slack_user_id, "help")
    [text] = replies(workspace)
    for command in ("/bulletin history", "/bulletin away until", "/bulletin excuse"):
        assert command in text


def test_an_unknown_subcommand_gets_the_help_and_a_guess(workspace):
    workspace.driver.command(person_named(workspace, "Manon Moreau").slack_user_id, "histroy")
    [text] = replies(workspace)
    assert "La commande «\u00a0histroy\u00a0» n'existe pas" in text
    assert "Vouliez-vous dire `/bulletin history`\u202f?" in text
    assert "/bulletin away until" in text


def test_history_shows_only_the_teams_a_fellow_may_read_and_escapes_their_text(workspace):
    manon, lexi = person_named(workspace, "Manon Moreau"), team_named(workspace, "LexImpact")
    file_directly(workspace, manon, lexi, priority="Tell <!channel> about @here & <@U123>")
    clement = person_named(workspace, "Yanis Girard")
    file_directly(workspace, clement, team_named(workspace, "ACOSS-Plateforme"), priority="Urssaf")

    workspace.driver.command(manon.slack_user_id, "history")
    [text] = replies(workspace)

    assert "LexImpact" in text and "Urssaf" not in text
    assert "&lt;!channel&gt;" in text and "<!channel>" not in text
    assert "&lt;@U123&gt;" in text and "@\u2060here" in text


def test_history_of_a_team_a_fellow_is_not_in_is_refused(workspace):
    workspace.driver.command(person_named(workspace, "Manon Moreau").slack_user_id, "history acoss")
    [text] = replies(workspace)
    assert "ne pouvez lire que les bulletins de vos équipes" in text
    assert "*ACOSS-Plateforme*" in text


def test_staff_read_any_team_by_a_loosely_typed_name(workspace):
    fellow = person_named(workspace, "Manon Moreau")
    file_directly(workspace, fellow, team_named(workspace, "LexImpact"), priority="Simulateur")
    staff = person_named(workspace, "Solène Thomas").slack_user_id

    lexi = ask(workspace, staff, "history LEXIMPACT")
    karfur = ask(workspace, staff, "history  Karfu'r")
    nope = ask(workspace, staff, "history nope")

    assert "Derniers bulletins de LexImpact" in lexi and "Simulateur" in lexi
    assert "Derniers bulletins de Karfu’R" in karfur and "Pas encore de bulletin" in karfur
    assert "Aucune équipe ne s'appelle «\u00a0nope\u00a0»" in nope


def test_away_until_a_day_stops_reminders_until_then(workspace):
    manon = person_named(workspace, "Manon Moreau")
    workspace.driver.command(manon.slack_user_id, "away until 2026-03-20")
    [text] = replies(workspace)
    assert "absent·e jusqu'au vendredi 20 mars 2026 inclus" in text
    with workspace.services.sessions() as session:
        [absence] = session.scalars(select(Absence)).all()
    assert (absence.person_id, str(absence.until)) == (manon.id, "2026-03-20")


def test_away_takes_a_day_as_people_write_it_and_says_back_the_day_understood(workspace):
    manon = person_named(workspace, "Manon Moreau").slack_user_id
    said = ask(workspace, manon, "absent jusqu'au vendredi 20 mars")
    assert "jusqu'au vendredi 20 mars 2026 inclus" in said
    with workspace.services.sessions() as session:
        [absence] = session.scalars(select(Absence)).all()
        assert absence.until == date(2026, 3, 20)


@pytest.mark.parametrize(
    ("typed", "day", "said"),
    [
        ("absent jusqu'au 20/03", date(2026, 3, 20), "vendredi 20 mars 2026"),
        ("absent jusqu'au 20 mars", date(2026, 3, 20), "vendredi 20 mars 2026"),
        ("absent jusqu'au vendredi prochain", date(2026, 3, 6), "vendredi 6 mars 2026"),
        ("away until next friday", date(2026, 3, 6), "vendredi 6 mars 2026"),
        ("away until 2027-03-20", date(2027, 3, 20), "samedi 20 mars 2027"),
    ],
)
def test_away_takes_each_form_of_date_people_type(workspace, typed, day, said):
    manon = person_named(workspace, "Manon Moreau").slack_user_id
    assert f"jusqu'au {said} inclus" in ask(workspace, manon, typed)
    with workspace.services.sessions() as session:
        [absence] = session.scalars(select(Absence)).all()
        assert absence.until == day


def test_away_with_an_unreadable_or_past_day_says_how_to_type_it(workspace):
    manon = person_named(workspace, "Manon Moreau").slack_user_id
    bad = ask(workspace, manon, "away until the end of times")
    past = ask(workspace, manon, "away until 01/03/2026")
    assert "`/bulletin absent jusqu'au 16/03/2026`" in bad
    assert "Ce jour est passé" in past
    with workspace.services.sessions() as session:
        assert session.scalars(select(Absence)).all() == []


def test_excuse_opens_the_excuse_form_and_marks_the_week(workspace):
    manon, team = person_named(workspace, "Manon Moreau"), team_named(workspace, "LexImpact")
    view = open_view(workspace, manon.slack_user_id, "excuse", callback=ids.EXCUSE_VIEW)
    values = {ids.REASON: {ids.input_id(ids.REASON): "Congés d'hiver"}}

    assert submit(workspace, manon.slack_user_id, view, values).json() == {
        "response_action": "clear"
    }
    with workspace.services.sessions() as session:
        [excuse] = session.scalars(select(WeekExcuse)).all()
    assert (excuse.team_id, excuse.week, excuse.reason) == (team.id, "2026-W10", "Congés d'hiver")


def test_excuse_once_filed_says_there_is_nothing_to_excuse(workspace):
    manon = person_named(workspace, "Manon Moreau")
    file_directly(workspace, manon, team_named(workspace, "LexImpact"))
    view = open_view(workspace, manon.slack_user_id, "excuse", callback=ids.NOTICE_VIEW)
    assert "il n'y a rien à excuser" in str(view["blocks"])


def test_staff_typing_bulletin_are_told_they_have_nothing_to_write(workspace):
    workspace.driver.command(person_named(workspace, "Maëlle David").slack_user_id)
    [text] = replies(workspace)
    assert "Vous faites partie de l'équipe du programme" in text


def test_commands_of_someone_unknown_are_explained(workspace):
    workspace.standin.add_user("U0STRANGER", "Camille Inconnue", locale="en-US")
    workspace.driver.command("U0STRANGER", "history")
    [text] = replies(workspace)
    assert "you are not in the programme's roster" in text


def test_history_after_the_week_turned_still_lists_the_bulletin(workspace):
    manon = person_named(workspace, "Manon Moreau")
    file_directly(workspace, manon, team_named(workspace, "LexImpact"), priority="Semaine 10")
    workspace.clock.now = paris(2026, 3, 17, 10, 0)
    workspace.driver.command(manon.slack_user_id, "historique")
    [text] = replies(workspace)
    assert "semaine du 2 mars" in text and "Semaine 10" in text

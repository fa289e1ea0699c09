"""``/bulletin help | history | away | excuse``, end to end, answered ephemerally."""

from __future__ import annotations

from sqlalchemy import select

from bot import ids
from bulletins.db.models import Absence, WeekExcuse
from tests.e2e.conftest import paris, person_named, team_named
from tests.e2e.form_helpers import ask, file_directly, open_view, replies, submit


def test_help_lists_the_subcommands(bench):
    bench.driver.command(person_named(bench, "Manon Moreau").slack_user_id, "help")
    [text] = replies(bench)
    for command in ("/bulletin history", "/bulletin away until", "/bulletin excuse"):
        assert command in text


def test_an_unknown_subcommand_gets_the_help_and_a_guess(bench):
    bench.driver.command(person_named(bench, "Manon Moreau").slack_user_id, "histroy")
    [text] = replies(bench)
    assert "La commande « histroy » n'existe pas" in text
    assert "Vouliez-vous dire `/bulletin history` ?" in text
    assert "/bulletin away until" in text


def test_history_shows_only_the_teams_a_fellow_may_read_and_escapes_their_text(bench):
    manon, lexi = person_named(bench, "Manon Moreau"), team_named(bench, "LexImpact")
    file_directly(bench, manon, lexi, priority="Tell <!channel> about @here & <@U123>")
    clement = person_named(bench, "Yanis Girard")
    file_directly(bench, clement, team_named(bench, "ACOSS-Plateforme"), priority="Urssaf")

    bench.driver.command(manon.slack_user_id, "history")
    [text] = replies(bench)

    assert "LexImpact" in text and "Urssaf" not in text
    assert "&lt;!channel&gt;" in text and "<!channel>" not in text
    assert "&lt;@U123&gt;" in text and "@\u2060here" in text


def test_history_of_a_team_a_fellow_is_not_in_is_refused(bench):
    bench.driver.command(person_named(bench, "Manon Moreau").slack_user_id, "history acoss")
    [text] = replies(bench)
    assert "ne pouvez lire que les bulletins de vos équipes" in text
    assert "*ACOSS-Plateforme*" in text


def test_staff_read_any_team_by_a_loosely_typed_name(bench):
    fellow = person_named(bench, "Manon Moreau")
    file_directly(bench, fellow, team_named(bench, "LexImpact"), priority="Simulateur")
    staff = person_named(bench, "Solène Thomas").slack_user_id

    lexi = ask(bench, staff, "history LEXIMPACT")
    karfur = ask(bench, staff, "history  Karfu'r")
    nope = ask(bench, staff, "history nope")

    assert "Derniers bulletins de LexImpact" in lexi and "Simulateur" in lexi
    assert "Derniers bulletins de Karfu’R" in karfur and "Pas encore de bulletin" in karfur
    assert "Aucune équipe ne s'appelle « nope »" in nope


def test_away_until_a_day_stops_reminders_until_then(bench):
    manon = person_named(bench, "Manon Moreau")
    bench.driver.command(manon.slack_user_id, "away until 2026-03-20")
    [text] = replies(bench)
    assert "absent·e jusqu'au vendredi 20 mars 2026 inclus" in text
    with bench.services.sessions() as session:
        [absence] = session.scalars(select(Absence)).all()
    assert (absence.person_id, str(absence.until)) == (manon.id, "2026-03-20")


def test_away_with_a_bad_or_past_date_says_how_to_type_it(bench):
    manon = person_named(bench, "Manon Moreau").slack_user_id
    bad = ask(bench, manon, "away until 20/03/2026")
    past = ask(bench, manon, "away until 2026-03-01")
    assert "format AAAA-MM-JJ" in bad and "`/bulletin away until 2026-03-16`" in bad
    assert "Ce jour est passé" in past
    with bench.services.sessions() as session:
        assert session.scalars(select(Absence)).all() == []


def test_excuse_opens_the_excuse_form_and_marks_the_week(bench):
    manon, team = person_named(bench, "Manon Moreau"), team_named(bench, "LexImpact")
    view = open_view(bench, manon.slack_user_id, "excuse", callback=ids.EXCUSE_VIEW)
    values = {ids.REASON: {ids.input_id(ids.REASON): "Congés d'hiver"}}

    assert submit(bench, manon.slack_user_id, view, values).json() == {"response_action": "clear"}
    with bench.services.sessions() as session:
        [excuse] = session.scalars(select(WeekExcuse)).all()
    assert (excuse.team_id, excuse.week, excuse.reason) == (team.id, "2026-W10", "Congés d'hiver")


def test_excuse_once_filed_says_there_is_nothing_to_excuse(bench):
    manon = person_named(bench, "Manon Moreau")
    file_directly(bench, manon, team_named(bench, "LexImpact"))
    view = open_view(bench, manon.slack_user_id, "excuse", callback=ids.NOTICE_VIEW)
    assert "il n'y a rien à excuser" in str(view["blocks"])


def test_staff_typing_bulletin_are_told_they_have_nothing_to_write(bench):
    bench.driver.command(person_named(bench, "Maëlle David").slack_user_id)
    [text] = replies(bench)
    assert "Vous faites partie de l'équipe du programme" in text


def test_commands_of_someone_unknown_are_explained(bench):
    bench.standin.add_user("U0STRANGER", "Camille Inconnue", locale="en-US")
    bench.driver.command("U0STRANGER", "history")
    [text] = replies(bench)
    assert "you are not in the programme's roster" in text


def test_history_after_the_week_turned_still_lists_the_bulletin(bench):
    manon = person_named(bench, "Manon Moreau")
    file_directly(bench, manon, team_named(bench, "LexImpact"), priority="Semaine 10")
    bench.clock.now = paris(2026, 3, 17, 10, 0)
    bench.driver.command(manon.slack_user_id, "historique")
    [text] = replies(bench)
    assert "semaine 2026-W10" in text and "Semaine 10" in text

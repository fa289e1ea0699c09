"""The bulletin form, end to end: /bulletin opens it, its submission files the bulletin."""

from __future__ import annotations

import json
import threading

import pytest
from sqlalchemy import event, select

from bot import ids
from bulletins.db.models import BulletinRevision, Person, WeekExcuse
from tests.support.cycle import outbox_rows
from tests.support.forms import (
    answers,
    bulletins,
    dms,
    join,
    open_view,
    replies,
    submit,
    submit_twice_at_once,
)
from tests.support.programme import paris, person_named, team_named


def test_bulletin_opens_the_form_and_its_submission_files_the_bulletin(workspace):
    manon, team = person_named(workspace, "Manon Moreau"), team_named(workspace, "LexImpact")
    view = open_view(workspace, manon.slack_user_id)
    assert view["title"]["text"] == "LexImpact · 2026-W10"
    meta = json.loads(view["private_metadata"])
    assert meta == {"team": team.id, "week": "2026-W10", "seen": None}
    assert "vendredi 6 mars 15:05" in json.dumps(view["blocks"], ensure_ascii=False)

    values = answers(help_request="Une intro à la DGFiP", label="Démo", key_date="2026-03-20")
    response = submit(workspace, manon.slack_user_id, view, values)

    assert response.status == 200 and response.text in ("", "{}")
    [stored] = bulletins(workspace, team)
    assert (stored.mood, stored.week, stored.late) == (3, "2026-W10", False)
    assert stored.help_request == "Une intro à la DGFiP"
    assert str(stored.key_date) == "2026-03-20"
    assert "publié" in dms(workspace, manon.slack_user_id)[0]
    # Opened by /bulletin, not from the Home tab: the tab is rebuilt when next opened.
    assert workspace.standin.calls_to("views.publish") == []


def test_a_too_long_answer_comes_back_in_the_modal_and_nothing_is_stored(workspace):
    manon, team = person_named(workspace, "Manon Moreau"), team_named(workspace, "LexImpact")
    view = open_view(workspace, manon.slack_user_id)

    response = submit(workspace, manon.slack_user_id, view, answers(priority="x" * 301))

    assert response.status == 200
    assert response.json() == {
        "response_action": "errors",
        "errors": {ids.PRIORITY: "300 caractères au plus, s'il vous plaît (actuellement 301)."},
    }
    assert bulletins(workspace, team) == []
    # Slack keeps the modal open with what was typed: the app neither replaced nor closed it.
    assert workspace.standin.calls_to("views.update") == []
    assert workspace.standin.last_view(ids.BULLETIN_VIEW)["id"] == view["id"]


def test_a_second_submission_edits_the_bulletin_and_says_who_edited(workspace):
    manon, gael = person_named(workspace, "Manon Moreau"), person_named(workspace, "Gaël Lefebvre")
    team = team_named(workspace, "LexImpact")
    submit(workspace, manon.slack_user_id, open_view(workspace, manon.slack_user_id), answers())
    workspace.clock.now = paris(2026, 3, 3, 11, 30)

    view = open_view(workspace, gael.slack_user_id)
    shown = json.dumps(view["blocks"], ensure_ascii=False)
    assert "Publié par Manon Moreau" in shown
    assert "Ship the simulator to the Senate" in shown  # the filed answers, to edit
    assert view["submit"]["text"] == "Mettre à jour"
    submit(workspace, gael.slack_user_id, view, answers(priority="Open the code"))

    [stored] = bulletins(workspace, team)
    with workspace.services.sessions() as session:
        revisions = session.scalars(select(BulletinRevision)).all()
        assert session.get(Person, stored.updated_by_id).name == "Gaël Lefebvre"
    assert (stored.priority, stored.author_id) == ("Open the code", manon.id)
    assert [r.previous["priority"] for r in revisions] == ["Ship the simulator to the Senate"]
    assert "mis à jour" in dms(workspace, gael.slack_user_id)[0]
    view = open_view(workspace, manon.slack_user_id)
    assert "Dernière modification par Gaël Lefebvre" in json.dumps(view, ensure_ascii=False)


def app_statements(workspace) -> tuple[list[str], list[object]]:
    """The statements and commits the app sends from now on, not the test's own reads."""
    statements: list[str] = []
    commits: list[object] = []
    test = threading.current_thread()

    def counted(into: list, what: object) -> None:
        if threading.current_thread() is not test:
            into.append(what)

    engine = workspace.services.engine
    event.listen(engine, "before_cursor_execute", lambda *a: counted(statements, a[2]))
    event.listen(engine, "commit", lambda *a: counted(commits, a))
    return statements, commits


def test_an_edit_costs_the_database_one_transaction_then_one_statement(workspace):
    """What a burst of submissions costs the database, per form: the filing (request key,
    author with team and membership, bulletin, excuse, revision, edit, confirmation), then
    the confirmation recorded as sent."""
    manon, gael = person_named(workspace, "Manon Moreau"), person_named(workspace, "Gaël Lefebvre")
    submit(workspace, manon.slack_user_id, open_view(workspace, manon.slack_user_id), answers())
    view = open_view(workspace, gael.slack_user_id)
    workspace.wait_for(lambda: all(r.status == "sent" for r in outbox_rows(workspace)))
    statements, commits = app_statements(workspace)

    submit(workspace, gael.slack_user_id, view, answers(priority="Open the code"))
    workspace.wait_for(lambda: all(r.status == "sent" for r in outbox_rows(workspace)))

    assert len(statements) <= 8 and len(commits) == 2
    assert statements[-1].startswith("UPDATE outbox")


def test_a_form_naming_who_filed_and_edited_costs_two_statements(workspace):
    manon, gael = person_named(workspace, "Manon Moreau"), person_named(workspace, "Gaël Lefebvre")
    submit(workspace, manon.slack_user_id, open_view(workspace, manon.slack_user_id), answers())
    workspace.clock.now = paris(2026, 3, 3, 11, 30)
    submit(workspace, gael.slack_user_id, open_view(workspace, gael.slack_user_id), answers())
    anais = person_named(workspace, "Anaïs Bertrand")  # their mentor, neither author nor editor
    open_view(workspace, anais.slack_user_id)  # Slack's language, asked and stored once
    statements, commits = app_statements(workspace)

    view = open_view(workspace, anais.slack_user_id)

    shown = json.dumps(view, ensure_ascii=False)
    assert "Publié par Manon Moreau" in shown and "modification par Gaël Lefebvre" in shown
    assert len(statements) == 2 and len(commits) == 1


def test_a_submission_delivered_twice_at_once_files_one_bulletin(workspace):
    manon, team = person_named(workspace, "Manon Moreau"), team_named(workspace, "LexImpact")
    view = open_view(workspace, manon.slack_user_id)
    statuses = submit_twice_at_once(workspace, manon.slack_user_id, view, answers())

    assert statuses == ["", ""]
    assert len(dms(workspace, manon.slack_user_id)) == 1  # the repeat was dropped, not filed again
    assert len(bulletins(workspace, team)) == 1


def test_a_person_in_two_teams_picks_the_team_first(workspace):
    manon, datajust = person_named(workspace, "Manon Moreau"), team_named(workspace, "DataJust")
    join(workspace, manon, datajust)

    picker = open_view(workspace, manon.slack_user_id, callback=ids.TEAM_PICKER_VIEW)
    assert "DataJust" in json.dumps(picker) and "LexImpact" in json.dumps(picker)
    workspace.driver.block_action(
        manon.slack_user_id, ids.PICK_TEAM, block_id=ids.team_block(datajust.id), view=picker
    )

    workspace.wait_for(lambda: workspace.standin.calls_to("views.update"))
    form = workspace.standin.last_view(ids.BULLETIN_VIEW)
    assert form["id"] == picker["id"]  # the picker became the form
    assert json.loads(form["private_metadata"])["team"] == datajust.id
    submit(workspace, manon.slack_user_id, form, answers())
    assert len(bulletins(workspace, datajust)) == 1


def test_someone_not_in_the_roster_is_told_whom_to_ask(workspace):
    workspace.standin.add_user("U0STRANGER", "Camille Inconnue")
    assert workspace.driver.command("U0STRANGER").status == 200
    [text] = replies(workspace)
    assert "pas dans la liste des participants" in text
    assert "équipe du programme" in text
    assert workspace.standin.calls_to("views.open") == []


def test_someone_whose_team_ended_is_pointed_to_their_cohort_staff(workspace):
    manon = person_named(workspace, "Manon Moreau")
    with workspace.services.sessions.begin() as session:
        for membership in session.get(Person, manon.id).memberships:
            membership.until = paris(2026, 2, 1).date()
    workspace.driver.command(manon.slack_user_id)
    [text] = replies(workspace)
    assert "aucune équipe en activité" in text
    assert f"<@{person_named(workspace, 'Maëlle David').slack_user_id}>" in text


def test_filing_after_the_deadline_is_marked_late(workspace):
    manon, team = person_named(workspace, "Manon Moreau"), team_named(workspace, "LexImpact")
    workspace.clock.now = paris(2026, 3, 6, 16, 0)
    view = open_view(workspace, manon.slack_user_id)
    assert "sera donc marqué en retard" in json.dumps(view["blocks"], ensure_ascii=False)

    submit(workspace, manon.slack_user_id, view, answers())

    assert [b.late for b in bulletins(workspace, team)] == [True]
    assert "marqué en retard" in dms(workspace, manon.slack_user_id)[0]


def test_a_form_left_open_past_its_week_is_refused_in_the_modal(workspace):
    manon, team = person_named(workspace, "Manon Moreau"), team_named(workspace, "LexImpact")
    view = open_view(workspace, manon.slack_user_id)
    workspace.clock.now = paris(2026, 3, 9, 10, 0)  # week 11 is open: week 10 is closed

    response = submit(workspace, manon.slack_user_id, view, answers())

    assert response.json()["response_action"] == "errors"
    assert "semaine désormais close" in response.json()["errors"][ids.MOOD]
    assert bulletins(workspace, team) == []


def test_the_form_speaks_english_to_who_speaks_english_and_remembers_it(workspace):
    gael = person_named(workspace, "Gaël Lefebvre")
    workspace.standin.add_user(gael.slack_user_id, gael.name, locale="en-GB")

    view = open_view(workspace, gael.slack_user_id)

    assert "How is the team this week?" in json.dumps(view["blocks"])
    with workspace.services.sessions() as session:
        assert session.get(Person, gael.id).locale == "en"
    open_view(workspace, gael.slack_user_id)
    assert len(workspace.standin.calls_to("users.info")) == 1


def test_the_reminder_button_opens_the_form_of_its_team(workspace):
    manon, team = person_named(workspace, "Manon Moreau"), team_named(workspace, "LexImpact")
    message = {
        "ts": "1700000000.000100",
        "blocks": [
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "action_id": ids.OPEN_FORM,
                        "value": str(team.id),
                        "text": {"type": "plain_text", "text": "Écrire le bulletin"},
                    }
                ],
            }
        ],
    }
    workspace.driver.block_action(manon.slack_user_id, ids.OPEN_FORM, message=message)
    workspace.wait_for(lambda: workspace.standin.calls_to("views.open"))
    assert json.loads(workspace.standin.last_view(ids.BULLETIN_VIEW)["private_metadata"]) == {
        "team": team.id,
        "week": "2026-W10",
        "seen": None,
    }


def test_the_excuse_button_of_the_form_marks_the_week_without_bulletin(workspace):
    manon, team = person_named(workspace, "Manon Moreau"), team_named(workspace, "LexImpact")
    form = open_view(workspace, manon.slack_user_id)
    workspace.driver.block_action(manon.slack_user_id, ids.EXCUSE_WEEK, view=form)
    workspace.wait_for(lambda: workspace.standin.calls_to("views.push"))
    excuse = workspace.standin.last_view(ids.EXCUSE_VIEW)

    empty = submit(workspace, manon.slack_user_id, excuse, {ids.REASON: {"reason_input": " "}})
    assert ids.REASON in empty.json()["errors"]
    values = {ids.REASON: {ids.input_id(ids.REASON): "Séminaire <!here> à Lyon"}}
    response = submit(workspace, manon.slack_user_id, excuse, values)

    assert response.json() == {"response_action": "clear"}
    with workspace.services.sessions() as session:
        [stored] = session.scalars(select(WeekExcuse)).all()
    assert (stored.team_id, stored.reason) == (team.id, "Séminaire <!here> à Lyon")
    assert "&lt;!here&gt;" in str(workspace.standin.messages(manon.slack_user_id)[-1]["blocks"])


@pytest.mark.parametrize(
    ("error", "told"),
    [
        ("internal_error", "Un problème est survenu de notre côté (référence"),
        ("expired_trigger_id", "Slack laisse trois secondes pour ouvrir un formulaire"),
    ],
)
def test_a_form_slack_refuses_to_open_is_explained(workspace, error, told):
    """An unexpected failure comes with a reference; a trigger that expired, with what to do."""
    manon = person_named(workspace, "Manon Moreau")
    workspace.standin.fail_next("views.open", status=200, error=error)
    workspace.driver.command(manon.slack_user_id)
    [text] = replies(workspace)
    assert told in text


@pytest.mark.parametrize(
    ("metadata", "told"),
    [
        ('{"team": %(team)d, "week": "2027-W60"}', "Ce formulaire ne peut plus être lu."),
        ('{"week": "2026-W10"}', "Ce formulaire ne peut plus être lu."),
        ("not json", "Ce formulaire ne peut plus être lu."),
        (
            '{"team": %(other)d, "week": "2026-W10"}',
            "Seuls les entrepreneurs et mentors d'une équipe",
        ),
    ],
)
def test_a_form_whose_hidden_team_or_week_was_tampered_with_is_refused_in_the_modal(
    workspace, metadata, told
):
    manon, team = person_named(workspace, "Manon Moreau"), team_named(workspace, "LexImpact")
    other = team_named(workspace, "CibNav")
    view = open_view(workspace, manon.slack_user_id)
    view["private_metadata"] = metadata % {"team": team.id, "other": other.id}

    response = workspace.driver.submit_view(manon.slack_user_id, view, answers())

    assert response.status == 200
    [(block, text)] = response.json()["errors"].items()
    assert block == ids.MOOD and text.startswith(told)
    assert bulletins(workspace, team) == [] and bulletins(workspace, other) == []


def test_a_form_opened_before_a_teammate_filed_does_not_replace_their_words(workspace):
    manon, gael = person_named(workspace, "Manon Moreau"), person_named(workspace, "Gaël Lefebvre")
    team = team_named(workspace, "LexImpact")
    hers = open_view(workspace, manon.slack_user_id)  # opened first, submitted last
    his = open_view(workspace, gael.slack_user_id)
    submit(workspace, gael.slack_user_id, his, answers(priority="Ouvrir l'API au Sénat"))

    response = workspace.driver.submit_view(manon.slack_user_id, hers, answers(priority="Autre"))

    [(block, text)] = response.json()["errors"].items()
    assert block == ids.MOOD
    assert text.startswith("Depuis que vous avez ouvert ce formulaire, Gaël Lefebvre a publié")
    assert "«\u00a0Ouvrir l'API au Sénat\u00a0»" in text
    [stored] = bulletins(workspace, team)
    assert (stored.priority, stored.updated_by_id) == ("Ouvrir l'API au Sénat", gael.id)
    assert workspace.standin.messages(manon.slack_user_id) == []
    # Opened again, on his version, her edit goes through.
    again = open_view(workspace, manon.slack_user_id)
    assert submit(workspace, manon.slack_user_id, again, answers(priority="Autre")).text == ""
    assert bulletins(workspace, team)[0].priority == "Autre"

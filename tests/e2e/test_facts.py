"""Team facts and indicators, end to end: ``/bulletin facts`` and ``/bulletin indicators``."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select

from bot import ids
from bulletins.db.models import Indicator, Person, Team
from evaluation.facts.indicators import add_indicator, record_value
from evaluation.facts.sheets import FactsInput, facts_history, record_facts
from tests.support.forms import ask, dms, open_view, submit
from tests.support.programme import paris, person_named, team_named

REPO = "https://github.com/betagouv/leximpact"


def facts_values(repositories: str, status: str = "in_production", hired: str = "2") -> dict:
    """Every input of the facts modal, as Slack sends them all."""
    values = {
        "tool_status": status,
        "people_hired": hired,
        "repositories": repositories,
        "libraries": "",
        "datasets": "https://www.data.gouv.fr/fr/datasets/leximpact/",
        "trainings_count": "1",
        "training_topics": "OpenFisca\nPython",
        "contributions": "",
        "accessibility_audit": "no",
        "note": "Simulateur utilisé au Sénat",
    }
    return {block: {ids.input_id(block): value} for block, value in values.items()}


def test_facts_open_prefilled_refuse_a_bad_link_inline_then_store_who_and_when(workspace):
    manon, team = person_named(workspace, "Manon Moreau"), team_named(workspace, "LexImpact")
    with workspace.services.sessions.begin() as session:
        earlier = FactsInput(
            tool_status="planned", tool_planned_on=date(2026, 6, 1), people_hired=1
        )
        record_facts(
            session, session.get(Team, team.id), None, earlier, workspace.clock(), "import"
        )
    workspace.clock.now = paris(2026, 3, 3, 11, 30)

    view = open_view(workspace, manon.slack_user_id, "facts", callback=ids.FACTS_VIEW)
    blocks = {block.get("block_id"): block for block in view["blocks"]}
    assert blocks["tool_status"]["element"]["initial_option"]["value"] == "planned"
    assert blocks["tool_planned_on"]["element"]["initial_date"] == "2026-06-01"
    assert blocks["people_hired"]["element"]["initial_value"] == "1"
    assert "Dernière mise à jour par un import" in json.dumps(view, ensure_ascii=False)

    response = workspace.driver.submit_view(
        manon.slack_user_id, view, facts_values(f"{REPO} github.com/x")
    )
    assert response.json()["response_action"] == "errors"
    assert set(response.json()["errors"]) == {"repositories"}
    assert "github.com/x" in response.json()["errors"]["repositories"]
    assert len(history(workspace, team)) == 1

    response = submit(workspace, manon.slack_user_id, view, facts_values(f"{REPO} | {REPO}"))
    assert response.status == 200 and response.text in ("", "{}")
    stored = history(workspace, team)[-1]
    assert (stored.recorded_by_id, stored.recorded_at) == (manon.id, workspace.clock())
    assert (stored.tool_status, stored.tool_planned_on, stored.repositories) == (
        "in_production",
        None,
        [REPO],
    )
    assert stored.training_topics == ["OpenFisca", "Python"]
    assert stored.accessibility_audit is False
    assert "sont enregistrés" in dms(workspace, manon.slack_user_id)[0]
    home = json.dumps(workspace.standin.calls_to("views.publish")[-1].args, ensure_ascii=False)
    assert "Outil\u00a0: En production · 0 indicateurs" in home


def history(workspace, team: Team):
    with workspace.services.sessions() as session:
        return facts_history(session, team.id)


def open_indicators(workspace, user_id: str) -> dict:
    return open_view(workspace, user_id, "indicators", callback=ids.INDICATORS_VIEW)


def push(workspace, user_id: str, listing: dict, action_id: str, callback: str) -> dict:
    before = len(workspace.standin.calls_to("views.push"))
    workspace.driver.block_action(user_id, action_id, view=listing)
    workspace.wait_for(lambda: len(workspace.standin.calls_to("views.push")) > before)
    return workspace.standin.last_view(callback)


def submit_pushed(workspace, user_id: str, form: dict, values: dict, listing: dict) -> dict:
    """Submit a pushed form; once it closes, the list beneath is updated: return it."""
    before = len(workspace.standin.calls_to("views.update"))
    simple = {block: {ids.input_id(block): value} for block, value in values.items()}
    response = workspace.driver.submit_view(user_id, form, simple)
    assert response.status == 200 and response.text in ("", "{}"), response.text
    workspace.wait_for(lambda: len(workspace.standin.calls_to("views.update")) > before)
    return workspace.standin.view(listing["id"])


def test_a_mentor_adds_an_indicator_then_a_value_and_sees_the_progress(workspace):
    mentor, team = person_named(workspace, "Anaïs Bertrand"), team_named(workspace, "LexImpact")
    user_id = mentor.slack_user_id
    listing = open_indicators(workspace, user_id)
    assert "Ajouter un indicateur" in json.dumps(listing, ensure_ascii=False)

    form = push(workspace, user_id, listing, ids.INDICATOR_ADD, ids.INDICATOR_ADD_VIEW)
    new = {"objective": "Moins de papier", "name": "Démarches dématérialisées", "target": "60"}
    response = workspace.driver.submit_view(
        user_id, form, {"target": {ids.input_id("target"): "soixante"}}
    )
    assert set(response.json()["errors"]) == {"target"}
    listing = submit_pushed(workspace, user_id, form, new, listing)
    shown = json.dumps(listing, ensure_ascii=False)
    assert "Démarches dématérialisées\u00a0: pas encore de valeur" in shown

    with workspace.services.sessions() as session:
        [indicator] = session.scalars(select(Indicator).where(Indicator.team_id == team.id))
        assert indicator.created_by_id == mentor.id and indicator.target == 60
    form = push(workspace, user_id, listing, ids.INDICATOR_MEASURE, ids.INDICATOR_VALUE_VIEW)
    measure = {"indicator": str(indicator.id), "value": "42", "measured_on": "2026-03-01"}
    listing = submit_pushed(workspace, user_id, form, measure, listing)
    assert "Démarches dématérialisées\u00a0: 42 / 60 (70\u00a0%)" in json.dumps(
        listing, ensure_ascii=False
    )


def test_a_fellow_reads_the_indicators_but_cannot_add_one(workspace):
    mentor, fellow = (
        person_named(workspace, "Anaïs Bertrand"),
        person_named(workspace, "Manon Moreau"),
    )
    team = team_named(workspace, "LexImpact")
    with workspace.services.sessions.begin() as session:
        add_indicator(
            session, session.get(Team, team.id), session.get(Person, mentor.id),
            "Moins de papier", "Démarches dématérialisées", None, None, None, 60, workspace.clock(),
        )  # fmt: skip

    listing = open_indicators(workspace, fellow.slack_user_id)
    shown = json.dumps(listing, ensure_ascii=False)
    assert "Démarches dématérialisées" in shown
    assert "Ajouter un indicateur" not in shown and "Saisir une valeur" not in shown

    workspace.driver.block_action(fellow.slack_user_id, ids.INDICATOR_ADD, team.id, view=listing)
    assert "Seuls les mentors" in dms(workspace, fellow.slack_user_id)[0]
    assert workspace.standin.calls_to("views.push") == []


def test_a_mentor_archives_an_indicator_and_a_fellow_cannot(workspace):
    mentor, fellow = (
        person_named(workspace, "Anaïs Bertrand"),
        person_named(workspace, "Manon Moreau"),
    )
    team = team_named(workspace, "LexImpact")
    with workspace.services.sessions.begin() as session:
        for name in ("Démarches dématérialisées", "Indicateur saisi par erreur"):
            indicator = add_indicator(
                session, session.get(Team, team.id), session.get(Person, mentor.id),
                "Moins de papier", name, None, None, None, 60, workspace.clock(),
            )  # fmt: skip
        record_value(session, indicator, session.get(Person, mentor.id), 3, date(2026, 3, 1),
                     workspace.clock())  # fmt: skip
        wrong = indicator.id

    seen_by_fellow = open_indicators(workspace, fellow.slack_user_id)
    assert ids.INDICATOR_ARCHIVE not in json.dumps(seen_by_fellow)
    workspace.driver.block_action(fellow.slack_user_id, ids.INDICATOR_ARCHIVE, f"{team.id}:{wrong}",
                              view=seen_by_fellow)  # fmt: skip  # a click Slack never showed
    (told,) = dms(workspace, fellow.slack_user_id)  # in a modal: a direct message says why
    assert told.startswith("Seuls les mentors de l'équipe et l'équipe du programme modifient")

    listing = open_indicators(workspace, mentor.slack_user_id)
    button = next(
        block["accessory"] for block in listing["blocks"]
        if "Indicateur saisi par erreur" in json.dumps(block, ensure_ascii=False)
        and "accessory" in block
    )  # fmt: skip
    assert button["confirm"]["confirm"]["text"] == "Archiver"
    before = len(workspace.standin.calls_to("views.update"))
    workspace.driver.block_action(mentor.slack_user_id, ids.INDICATOR_ARCHIVE, button["value"],
                              view=listing)  # fmt: skip
    workspace.wait_for(lambda: len(workspace.standin.calls_to("views.update")) > before)

    shown = json.dumps(workspace.standin.view(listing["id"]), ensure_ascii=False)
    assert "Démarches dématérialisées" in shown and "saisi par erreur" not in shown
    with workspace.services.sessions() as session:
        archived = session.get(Indicator, wrong)
        assert archived.archived and len(archived.values) == 1  # its values are kept


def test_staff_pick_a_team_first_and_may_edit_its_facts_and_indicators(workspace):
    staff, team = person_named(workspace, "Maëlle David"), team_named(workspace, "CartoBio")
    picker = open_view(workspace, staff.slack_user_id, "faits", callback=ids.EVALUATION_PICKER_VIEW)
    assert len([b for b in picker["blocks"] if b.get("accessory")]) == 15  # every team

    before = len(workspace.standin.calls_to("views.update"))
    value = f"{ids.FOR_INDICATORS}:{team.id}"
    workspace.driver.block_action(staff.slack_user_id, ids.EVALUATION_PICK_TEAM, value, view=picker)
    workspace.wait_for(lambda: len(workspace.standin.calls_to("views.update")) > before)
    listing = workspace.standin.view(picker["id"])
    assert listing["callback_id"] == ids.INDICATORS_VIEW
    assert "CartoBio" in json.dumps(listing) and "Ajouter un indicateur" in json.dumps(
        listing, ensure_ascii=False
    )


def test_help_lists_facts_and_indicators(workspace):

    text = ask(workspace, person_named(workspace, "Manon Moreau").slack_user_id, "help")
    assert "/bulletin facts" in text and "/bulletin indicators" in text

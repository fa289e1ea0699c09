"""Surveys in Slack, end to end: the invitation's "Answer" button, the questionnaire page by
page (saved as it goes), the pulse answered in its message, and a closed survey."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

from sqlalchemy import select, text

from bot import ids
from bot.bootstrap import bootstrap
from bot.home_tab import home_for
from bot.standin.workspace import SlackWorkspace
from bulletins.db.models import (
    Campaign,
    Draft,
    Person,
    ReceivedRequest,
    StaffMember,
    SurveyResponse,
)
from evaluation import campaigns as core
from evaluation.surveys.definitions import (
    Audience,
    Choice,
    Page,
    Question,
    Survey,
    Window,
)
from tests.support.surveys import (
    INPUT,
    NAMED_PULSE,
    PULSE,
    QUESTIONNAIRE,
    SATISFIED,
    WHY,
    WORD,
    answer_pulse,
    click_answer,
    click_pulse,
    invitation,
    launch,
    mentors,
    next_view,
    open_page,
    pulse_buttons,
    said_to,
    t,
    text_of,
)


def test_a_questionnaire_answered_page_by_page(workspace: SlackWorkspace) -> None:
    mentor = mentors(workspace)[0]
    campaign_id = launch(workspace, QUESTIONNAIRE)
    user = mentor.slack_user_id

    page1 = open_page(workspace, user, campaign_id)
    assert "page 1 sur 3" in text_of(page1) and "Trois pages" in text_of(page1)
    assert page1["submit"]["text"] == "Page suivante"

    refused = workspace.driver.submit_view(
        user, page1, {"satisfied": {INPUT: "4"}, "hours": {INPUT: "60"}}
    ).json()
    assert refused["response_action"] == "errors" and "hours" in refused["errors"]

    # An answer that shows a question on the same page: the page is drawn again with it.
    redrawn = next_view(workspace, user, page1, {"satisfied": {INPUT: "2"}, "hours": {INPUT: "6"}})
    assert "Pourquoi" in text_of(redrawn) and "page 1 sur 3" in text_of(redrawn)
    values = {"satisfied": {INPUT: "2"}, "why": {INPUT: "Trop loin"}, "hours": {INPUT: "6"}}
    page2 = next_view(workspace, user, redrawn, values)
    assert "page 2 sur 3" in text_of(page2)

    # The modal is closed; "Answer" again resumes at page 2, with page 1 saved.
    assert open_page(workspace, user, campaign_id)["private_metadata"] == page2["private_metadata"]
    page2 = workspace.standin.last_view(ids.SURVEY_VIEW)
    values = {"tool": {INPUT: "other"}, "tool.other": {INPUT: "Grist"}, "again": {INPUT: "yes"}}
    page3 = next_view(workspace, user, page2, values)
    assert page3["submit"]["text"] == "Envoyer"

    before = len(workspace.standin.posted(user))
    assert workspace.driver.submit_view(user, page3, {}).text == ""
    workspace.wait_for(lambda: len(workspace.standin.posted(user)) > before)
    thanks = json.dumps(workspace.standin.posted(user)[-1], ensure_ascii=False)
    assert "Merci\u202f! Vos réponses sont enregistrées." in thanks
    assert not [answer for answer in ("Trop loin", "Grist", "Un tableur") if answer in thanks]
    with workspace.services.sessions() as session:
        stored = session.scalars(
            select(SurveyResponse).where(SurveyResponse.campaign_id == campaign_id)
        ).one()
        assert stored.person_id is None and stored.role == "mentor"
        assert stored.answers == {
            "satisfied": 2,
            "why": "Trop loin",
            "hours": 6,
            "tool": "other",
            "tool.other": "Grist",
            "again": "yes",
        }
        assert session.scalars(select(Draft)).all() == []

    # Sent anonymously: "Answer" says the answers can no longer be changed.
    before = len(workspace.standin.calls_to("response_url"))
    click_answer(workspace, user, campaign_id)
    workspace.wait_for(lambda: len(workspace.standin.calls_to("response_url")) > before)
    reply = workspace.standin.calls_to("response_url")[-1].args["text"]
    assert "ne peuvent plus être modifiées" in reply


def test_an_anonymous_draft_is_sealed_with_a_key_from_the_apps_secret(
    workspace: SlackWorkspace,
) -> None:
    mentor = mentors(workspace)[0]
    campaign_id = launch(workspace, QUESTIONNAIRE)
    user = mentor.slack_user_id
    page1 = open_page(workspace, user, campaign_id)
    redrawn = next_view(workspace, user, page1, {"satisfied": {INPUT: "2"}, "hours": {INPUT: "6"}})
    values = {"satisfied": {INPUT: "2"}, "why": {INPUT: "Trop loin"}, "hours": {INPUT: "6"}}
    next_view(workspace, user, redrawn, values)

    services = workspace.services
    with services.engine.connect() as connection:
        row = connection.execute(text("SELECT * FROM drafts")).one()
    assert row.person_id == mentor.id and "Trop loin" not in str(tuple(row))

    def resumed(settings) -> dict:
        other = bootstrap(settings, engine=services.engine, slack=services.slack)
        with other.sessions() as session:
            campaign, person = session.get(Campaign, campaign_id), session.get(Person, mentor.id)
            return core.progress(session, campaign, person, workspace.clock()).answers

    # Another process of the deployment (the same secret) reads it; after a new secret, none.
    assert resumed(services.settings)["why"] == "Trop loin"
    rotated = replace(services.settings.slack, signing_secret="another secret")
    assert resumed(replace(services.settings, slack=rotated)) == {}


def test_an_anonymous_pulse_asks_before_sending_and_never_shows_the_answer(
    workspace: SlackWorkspace,
) -> None:
    user = mentors(workspace)[1].slack_user_id
    campaign_id = launch(workspace, PULSE)
    buttons = pulse_buttons(invitation(workspace, user, campaign_id))
    five = next(b for b in buttons if b["value"] == f"{campaign_id}:satisfied:5")
    assert five["confirm"]["title"]["text"] == "Envoyer cette réponse\u202f?"
    assert five["confirm"]["text"]["text"] == (
        "Envoyer «\u00a05 — Très satisfait\u00a0»\u202f? "
        "Les réponses anonymes ne peuvent plus être modifiées."
    )
    assert (five["confirm"]["confirm"]["text"], five["confirm"]["deny"]["text"]) == (
        "Envoyer",
        "Annuler",
    )
    assert all("confirm" in b for b in buttons)

    first = invitation(workspace, user, campaign_id)
    since = len(workspace.standin.calls)
    updated = answer_pulse(workspace, user, campaign_id, "satisfied:5")
    shown = json.dumps(updated["blocks"], ensure_ascii=False)
    assert "Répondu (anonyme\u00a0: votre réponse n'est pas affichée ici)." in shown
    assert "Merci\u202f! Votre réponse est enregistrée." in shown
    assert ids.SURVEY_PULSE not in shown and "Votre réponse\u00a0:" not in shown
    sent = said_to(workspace, user, since)
    assert sent and not [text for text in sent if "5 — Très satisfait" in text]
    with workspace.services.sessions() as session:
        assert session.scalars(select(SurveyResponse.answers)).one() == {"satisfied": 5}

    # A click in an old copy of the message is refused, without a word of the answer.
    since = len(workspace.standin.calls)
    click_pulse(workspace, user, first, f"{campaign_id}:satisfied:5")
    workspace.wait_for(lambda: said_to(workspace, user, since))
    reply = " ".join(said_to(workspace, user, since))
    assert "ne peuvent plus être modifiées" in reply and "Très satisfait" not in reply


def test_a_named_pulse_shows_the_answer_and_sends_at_once(workspace: SlackWorkspace) -> None:
    user = mentors(workspace)[6].slack_user_id
    campaign_id = launch(workspace, NAMED_PULSE)
    assert not any("confirm" in b for b in pulse_buttons(invitation(workspace, user, campaign_id)))
    updated = answer_pulse(workspace, user, campaign_id, "satisfied:5")
    shown = json.dumps(updated["blocks"], ensure_ascii=False)
    assert "Votre réponse\u00a0: *5 — Très satisfait*" in shown and "Merci" in shown


def test_a_pulse_answered_in_its_message_and_a_closed_survey(workspace: SlackWorkspace) -> None:
    user = mentors(workspace)[1].slack_user_id
    campaign_id = launch(workspace, PULSE)
    updated = answer_pulse(workspace, user, campaign_id, "satisfied:5")
    shown = json.dumps(updated["blocks"], ensure_ascii=False)
    # Anonymous: the message says the question is answered, not what the answer is.
    assert "Répondu (anonyme\u00a0: votre réponse n'est pas affichée ici)." in shown
    assert "Merci\u202f! Votre réponse est enregistrée." in shown
    assert "5 — Très satisfait" not in shown
    assert ids.SURVEY_PULSE not in shown
    with workspace.services.sessions() as session:
        assert session.scalars(select(SurveyResponse.answers)).one() == {"satisfied": 5}

    # After the campaign closes, "Answer" says so.
    questionnaire = launch(workspace, QUESTIONNAIRE)
    with workspace.services.sessions() as session:
        closes_at = session.get(Campaign, questionnaire).closes_at
    workspace.clock.now = closes_at + timedelta(hours=1)
    other = mentors(workspace)[2].slack_user_id
    before = len(workspace.standin.calls_to("response_url"))
    click_answer(workspace, other, questionnaire)
    workspace.wait_for(lambda: len(workspace.standin.calls_to("response_url")) > before)
    reply = workspace.standin.calls_to("response_url")[-1].args["text"]
    assert "Bilan des mentors" in reply and "answers" not in reply and "clos" in reply


def test_the_staff_home_shows_campaign_progress(workspace: SlackWorkspace) -> None:
    launch(workspace, QUESTIONNAIRE)
    with workspace.services.sessions() as session:
        staff = session.scalars(select(Person).join(StaffMember)).first()
    home = json.dumps(home_for(workspace.services, staff.slack_user_id), ensure_ascii=False)
    assert "Bilan des mentors" in home and "0 sur " in home


NAMED = Survey(
    id="named-test",
    title=t("Retour nominatif"),
    intro=t("Deux pages."),
    audience=Audience(roles=("mentor",)),
    anonymous=False,
    pages=(Page((SATISFIED, WHY)), Page((WORD,))),
    window=Window(days=7),
)


def test_a_named_survey_can_be_changed_and_dependent_questions_follow_the_answers(
    workspace: SlackWorkspace,
) -> None:
    user = mentors(workspace)[3].slack_user_id
    campaign_id = launch(workspace, NAMED)
    page1 = open_page(workspace, user, campaign_id)
    assert "Non anonyme" in text_of(page1) and "Pourquoi" not in text_of(page1)

    # Choosing a low score dispatches the answer: the page is redrawn with the question.
    workspace.driver.block_action(user, INPUT, value="1", block_id="satisfied", view=page1)
    workspace.wait_for(lambda: workspace.standin.calls_to("views.update"))
    assert "Pourquoi" in text_of(workspace.standin.view(page1["id"]))

    page2 = next_view(workspace, user, page1, {"satisfied": {INPUT: "4"}})
    assert page2["submit"]["text"] == "Envoyer"
    before = len(workspace.standin.posted(user))
    assert workspace.driver.submit_view(user, page2, {"word": {INPUT: "Bravo"}}).text == ""
    workspace.wait_for(lambda: len(workspace.standin.posted(user)) > before)
    assert "jusqu'au" in workspace.standin.posted(user)[-1]["blocks"][1]["text"]["text"]

    # "Answer" again offers to change them; the answers come back in the form.
    opened = len(workspace.standin.calls_to("views.open"))
    click_answer(workspace, user, campaign_id)
    workspace.wait_for(lambda: len(workspace.standin.calls_to("views.open")) > opened)
    offer = workspace.standin.last_view(ids.SURVEY_CHANGE_VIEW)
    again = next_view(workspace, user, offer, {})
    chosen = next(b for b in again["blocks"] if b.get("block_id") == "satisfied")
    assert chosen["element"]["initial_option"]["value"] == "4"
    page2 = next_view(workspace, user, again, {"satisfied": {INPUT: "5"}})
    assert workspace.driver.submit_view(user, page2, {}).text == ""
    with workspace.services.sessions() as session:
        stored = session.scalars(
            select(SurveyResponse).where(SurveyResponse.campaign_id == campaign_id)
        ).one()
        assert stored.answers == {"satisfied": 5}
        assert stored.person_id is not None


def test_a_pulse_of_several_questions_thanks_once_complete(workspace: SlackWorkspace) -> None:
    workspace.tick(
        workspace.clock()
    )  # the first working day: the mentors' monthly pulse is launched
    user = mentors(workspace)[4].slack_user_id
    with workspace.services.sessions() as session:
        campaign_id = session.scalars(
            select(Campaign.id).where(Campaign.survey_id == "pulse-mentors")
        ).one()
    message = invitation(workspace, user, campaign_id)
    channel = workspace.standin.dm_channel(user)
    clicks = [("team_state", "4"), ("support_needed", "scope"), ("recommend", "yes")]
    for count, (question, value) in enumerate(clicks, start=1):
        workspace.clock.now += timedelta(minutes=1)
        workspace.driver.block_action(
            user,
            ids.SURVEY_PULSE,
            value=f"{campaign_id}:{question}:{value}",
            message=message,
            channel_id=channel,
        )
        workspace.wait_for(lambda n=count: len(workspace.standin.calls_to("chat.update")) >= n)
        message = next(m for m in workspace.standin.posted(user) if m["ts"] == message["ts"])
        shown = json.dumps(message["blocks"], ensure_ascii=False)
        assert ("Merci" in shown) is (count == len(clicks))
        assert shown.count("Répondu (anonyme") == count  # which questions, not the answers
    assert ids.SURVEY_PULSE not in shown and "Votre réponse\u00a0:" not in shown
    assert "Revoir le cadrage" not in shown  # the choice clicked, "scope"


GRID = Question(
    "conditions",
    "grid",
    t("Les conditions d'accueil"),
    items=(Choice("data", t("Les données")), Choice("it", t("Le poste de travail"))),
)
RANKED = Question(
    "formats",
    "rank",
    t("Vos formats préférés"),
    items=(Choice("coaching", t("Coaching")), Choice("peers", t("Pairs"))),
    pick=2,
)
GRIDS = Survey(
    id="grid-test",
    title=t("Grilles"),
    intro=t("Deux pages."),
    audience=Audience(roles=("mentor",)),
    anonymous=True,
    pages=(Page((GRID, RANKED)), Page((WORD,))),
    window=Window(days=7),
)


def test_a_page_of_a_grid_and_a_ranking_moves_on_to_the_next_page(
    workspace: SlackWorkspace,
) -> None:
    # Their inputs are "conditions.item.data", "formats.rank.1"…: no input holds the
    # question's own id, and the page must not be taken for one where a question appeared.
    user = mentors(workspace)[5].slack_user_id
    campaign_id = launch(workspace, GRIDS)
    page1 = open_page(workspace, user, campaign_id)
    values = {
        "conditions.item.data": {INPUT: "4"},
        "conditions.item.it": {INPUT: "2"},
        "formats.rank.1": {INPUT: "peers"},
        "formats.rank.2": {INPUT: "coaching"},
    }
    page2 = next_view(workspace, user, page1, values)
    assert "page 2 sur 2" in text_of(page2)
    assert workspace.driver.submit_view(user, page2, {}).text == ""
    with workspace.services.sessions() as session:
        stored = session.scalars(
            select(SurveyResponse).where(SurveyResponse.campaign_id == campaign_id)
        ).one()
        assert stored.answers == {
            "conditions": {"data": 4, "it": 2},
            "formats": ["peers", "coaching"],
        }


def test_what_a_pulse_click_leaves_in_the_database_and_logs_names_no_one_and_no_answer(
    workspace: SlackWorkspace, debug_logs
) -> None:
    mentor = mentors(workspace)[1]
    campaign_id = launch(workspace, PULSE)
    message = invitation(workspace, mentor.slack_user_id, campaign_id)
    click = {"value": f"{campaign_id}:satisfied:5", "message": message,
             "channel_id": workspace.standin.dm_channel(mentor.slack_user_id)}  # fmt: skip
    for _ in range(2):  # a double click: the second is recognised as a repeat
        workspace.driver.block_action(mentor.slack_user_id, ids.SURVEY_PULSE, **click)
    workspace.wait_for(lambda: workspace.standin.calls_to("chat.update"))

    with workspace.services.sessions() as session:
        keys = session.scalars(select(ReceivedRequest.key)).all()
    records = debug_logs.records
    logged = "\n".join(record.getMessage() for record in records)
    assert any("ignored a repeated request" in r.getMessage() for r in records)
    for trace in [*keys, logged]:
        for clue in (mentor.slack_user_id, f"{campaign_id}:satisfied", "satisfied:5"):
            assert clue not in trace

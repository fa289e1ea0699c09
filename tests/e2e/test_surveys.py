"""Surveys in Slack, end to end: the invitation's "Answer" button, the questionnaire page by
page (saved as it goes), the pulse answered in its message, and a closed survey."""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from bot import ids
from bot.bootstrap import bootstrap
from bot.home_tab import home_for
from bot.logs import configure_logging
from bot.standin.bench import SlackBench
from bulletins.db.models import (
    Campaign,
    Draft,
    Membership,
    Person,
    ReceivedRequest,
    StaffMember,
    SurveyResponse,
)
from evaluation import campaigns as core
from evaluation.definitions import Audience, Choice, Condition, Page, Question, Survey, Text, Window

INPUT = ids.SURVEY_INPUT


def t(fr: str, en: str | None = None) -> Text:
    return Text(fr=fr, en=en or fr)


SATISFIED = Question(
    "satisfied",
    "scale",
    t("Êtes-vous satisfait du programme ?"),
    low_label=t("Pas du tout satisfait"),
    high_label=t("Très satisfait"),
)
WHY = Question("why", "long_text", t("Pourquoi ?"), show_if=Condition("satisfied", ("1", "2")))
HOURS = Question("hours", "number", t("Heures par semaine"), min_value=0, max_value=40)
TOOL = Question(
    "tool",
    "single",
    t("Votre outil principal"),
    choices=(Choice("sheet", t("Un tableur")), Choice("other", t("Autre"), other=True)),
)
AGAIN = Question("again", "yes_no", t("Recommenceriez-vous ?"))
WORD = Question("word", "short_text", t("Un mot pour finir"), required=False)

QUESTIONNAIRE = Survey(
    id="bilan-test",
    title=t("Bilan des mentors"),
    intro=t("Trois pages, cinq minutes."),
    audience=Audience(roles=("mentor",)),
    anonymous=True,
    pages=(Page((SATISFIED, WHY, HOURS)), Page((TOOL, AGAIN)), Page((WORD,))),
    window=Window(days=7),
)
PULSE = Survey(
    id="pulse-test",
    title=t("Pulse mentors"),
    intro=t("Une question."),
    audience=Audience(roles=("mentor",)),
    anonymous=True,
    pages=(Page((SATISFIED,)),),
    window=Window(days=7),
)
NAMED_PULSE = replace(PULSE, id="named-pulse-test", anonymous=False)


def launch(bench: SlackBench, survey: Survey) -> int:
    """Launch ``survey`` for every mentor now, and deliver the invitations."""
    services = bench.services
    with services.sessions.begin() as session:
        campaign = core.launch(
            session,
            survey,
            cohort=None,
            now=bench.clock(),
            calendar=services.calendar,
            settings=services.settings,
        )
        campaign_id = campaign.id
    bench.tick(bench.clock())
    return campaign_id


def invitation(bench: SlackBench, user_id: str, campaign_id: int) -> dict:
    """The invitation DM of ``campaign_id`` that ``user_id`` sees."""

    def found() -> dict | None:
        for message in bench.standin.posted(user_id):
            if f'"{campaign_id}' in json.dumps(message.get("blocks", [])):
                return message
        return None

    return bench.wait_for(found)


def click_answer(bench: SlackBench, user_id: str, campaign_id: int) -> None:
    """Click "Answer" in the invitation, a minute later (a repeat within 2 s is a double click)."""
    bench.clock.now += timedelta(minutes=1)
    message = invitation(bench, user_id, campaign_id)
    channel = bench.standin.dm_channel(user_id)
    response = bench.driver.block_action(
        user_id, ids.SURVEY_ANSWER, value=str(campaign_id), message=message, channel_id=channel
    )
    assert response.status == 200


def open_page(bench: SlackBench, user_id: str, campaign_id: int) -> dict:
    """Click "Answer" and return the modal it opens."""
    before = len(bench.standin.calls_to("views.open"))
    click_answer(bench, user_id, campaign_id)
    bench.wait_for(lambda: len(bench.standin.calls_to("views.open")) > before)
    call = bench.standin.calls_to("views.open")[-1]
    assert call.ok, call.response
    return bench.standin.last_view(ids.SURVEY_VIEW)


def text_of(view: dict) -> str:
    return json.dumps(view["blocks"], ensure_ascii=False)


def next_view(bench: SlackBench, user_id: str, view: dict, values: dict) -> dict:
    """Submit a page and return the page that replaces it (same view id, a new hash, as
    Slack does for ``response_action: update``)."""
    response = bench.driver.submit_view(user_id, view, values)
    answer = response.json()
    assert answer["response_action"] == "update", answer
    return {**view, **answer["view"], "hash": uuid.uuid4().hex}


def test_a_questionnaire_answered_page_by_page(bench: SlackBench) -> None:
    mentor = mentors(bench)[0]
    campaign_id = launch(bench, QUESTIONNAIRE)
    user = mentor.slack_user_id

    page1 = open_page(bench, user, campaign_id)
    assert "page 1 sur 3" in text_of(page1) and "Trois pages" in text_of(page1)
    assert page1["submit"]["text"] == "Page suivante"

    refused = bench.driver.submit_view(
        user, page1, {"satisfied": {INPUT: "4"}, "hours": {INPUT: "60"}}
    ).json()
    assert refused["response_action"] == "errors" and "hours" in refused["errors"]

    # An answer that shows a question on the same page: the page is drawn again with it.
    redrawn = next_view(bench, user, page1, {"satisfied": {INPUT: "2"}, "hours": {INPUT: "6"}})
    assert "Pourquoi" in text_of(redrawn) and "page 1 sur 3" in text_of(redrawn)
    values = {"satisfied": {INPUT: "2"}, "why": {INPUT: "Trop loin"}, "hours": {INPUT: "6"}}
    page2 = next_view(bench, user, redrawn, values)
    assert "page 2 sur 3" in text_of(page2)

    # The modal is closed; "Answer" again resumes at page 2, with page 1 saved.
    assert open_page(bench, user, campaign_id)["private_metadata"] == page2["private_metadata"]
    page2 = bench.standin.last_view(ids.SURVEY_VIEW)
    values = {"tool": {INPUT: "other"}, "tool.other": {INPUT: "Grist"}, "again": {INPUT: "yes"}}
    page3 = next_view(bench, user, page2, values)
    assert page3["submit"]["text"] == "Envoyer"

    before = len(bench.standin.posted(user))
    assert bench.driver.submit_view(user, page3, {}).text == ""
    bench.wait_for(lambda: len(bench.standin.posted(user)) > before)
    thanks = json.dumps(bench.standin.posted(user)[-1], ensure_ascii=False)
    assert "Merci ! Vos réponses sont enregistrées." in thanks
    assert not [answer for answer in ("Trop loin", "Grist", "Un tableur") if answer in thanks]
    with bench.services.sessions() as session:
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
    before = len(bench.standin.calls_to("response_url"))
    click_answer(bench, user, campaign_id)
    bench.wait_for(lambda: len(bench.standin.calls_to("response_url")) > before)
    reply = bench.standin.calls_to("response_url")[-1].args["text"]
    assert "ne peuvent plus être modifiées" in reply


def test_an_anonymous_draft_is_sealed_with_a_key_from_the_apps_secret(bench: SlackBench) -> None:
    mentor = mentors(bench)[0]
    campaign_id = launch(bench, QUESTIONNAIRE)
    user = mentor.slack_user_id
    page1 = open_page(bench, user, campaign_id)
    redrawn = next_view(bench, user, page1, {"satisfied": {INPUT: "2"}, "hours": {INPUT: "6"}})
    values = {"satisfied": {INPUT: "2"}, "why": {INPUT: "Trop loin"}, "hours": {INPUT: "6"}}
    next_view(bench, user, redrawn, values)

    services = bench.services
    with services.engine.connect() as connection:
        row = connection.execute(text("SELECT * FROM drafts")).one()
    assert row.person_id == mentor.id and "Trop loin" not in str(tuple(row))

    def resumed(settings) -> dict:
        other = bootstrap(settings, engine=services.engine, slack=services.slack)
        with other.sessions() as session:
            campaign, person = session.get(Campaign, campaign_id), session.get(Person, mentor.id)
            return core.progress(session, campaign, person, bench.clock()).answers

    # Another process of the deployment (the same secret) reads it; after a new secret, none.
    assert resumed(services.settings)["why"] == "Trop loin"
    rotated = replace(services.settings.slack, signing_secret="another secret")
    assert resumed(replace(services.settings, slack=rotated)) == {}


def mentors(bench: SlackBench) -> list[Person]:
    """The roster's mentors, in a stable order."""
    with bench.services.sessions() as session:
        query = (
            select(Person)
            .join(Membership, Membership.person_id == Person.id)
            .where(Membership.role == "mentor")
            .order_by(Person.id)
        )
        return list(session.scalars(query).unique())


def said_to(bench: SlackBench, user_id: str, since: int) -> list[str]:
    """What the app sent that ``user_id`` sees, from the stand-in's call number ``since``:
    messages posted or updated in their DM, ephemeral messages, replies to their clicks
    (response URLs) and views, as JSON."""
    dm = bench.standin.dm_channel(user_id)

    def theirs(method: str, args: dict) -> bool:
        if method == "response_url" or method.startswith("views."):
            return args.get("user_id", user_id) == user_id  # views.publish names its user
        return args.get("user") == user_id or args.get("channel") in (user_id, dm)

    calls = bench.standin.calls[since:]
    return [json.dumps(c.args, ensure_ascii=False) for c in calls if theirs(c.method, c.args)]


def click_pulse(bench: SlackBench, user_id: str, message: dict, value: str) -> None:
    """Click the pulse button of ``value`` in ``message``, a minute later (not a double click)."""
    bench.clock.now += timedelta(minutes=1)
    response = bench.driver.block_action(
        user_id,
        ids.SURVEY_PULSE,
        value=value,
        message=message,
        channel_id=bench.standin.dm_channel(user_id),
    )
    assert response.status == 200


def answer_pulse(bench: SlackBench, user_id: str, campaign_id: int, answer: str) -> dict:
    """Click ``answer`` ("question:value") in the pulse's message; the message once updated."""
    message = invitation(bench, user_id, campaign_id)
    before = len(bench.standin.calls_to("chat.update"))
    click_pulse(bench, user_id, message, f"{campaign_id}:{answer}")
    bench.wait_for(lambda: len(bench.standin.calls_to("chat.update")) > before)
    return next(m for m in bench.standin.posted(user_id) if m["ts"] == message["ts"])


def pulse_buttons(message: dict) -> list[dict]:
    return [
        element
        for block in message["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"].startswith(ids.SURVEY_PULSE)
    ]


def test_an_anonymous_pulse_asks_before_sending_and_never_shows_the_answer(
    bench: SlackBench,
) -> None:
    user = mentors(bench)[1].slack_user_id
    campaign_id = launch(bench, PULSE)
    buttons = pulse_buttons(invitation(bench, user, campaign_id))
    five = next(b for b in buttons if b["value"] == f"{campaign_id}:satisfied:5")
    assert five["confirm"]["title"]["text"] == "Envoyer cette réponse ?"
    assert five["confirm"]["text"]["text"] == (
        "Envoyer « 5 — Très satisfait » ? Les réponses anonymes ne peuvent plus être modifiées."
    )
    assert (five["confirm"]["confirm"]["text"], five["confirm"]["deny"]["text"]) == (
        "Envoyer",
        "Annuler",
    )
    assert all("confirm" in b for b in buttons)

    first = invitation(bench, user, campaign_id)
    since = len(bench.standin.calls)
    updated = answer_pulse(bench, user, campaign_id, "satisfied:5")
    shown = json.dumps(updated["blocks"], ensure_ascii=False)
    assert "Répondu (anonyme : votre réponse n'est pas affichée ici)." in shown
    assert "Merci ! Votre réponse est enregistrée." in shown
    assert ids.SURVEY_PULSE not in shown and "Votre réponse :" not in shown
    sent = said_to(bench, user, since)
    assert sent and not [text for text in sent if "5 — Très satisfait" in text]
    with bench.services.sessions() as session:
        assert session.scalars(select(SurveyResponse.answers)).one() == {"satisfied": 5}

    # A click in an old copy of the message is refused, without a word of the answer.
    since = len(bench.standin.calls)
    click_pulse(bench, user, first, f"{campaign_id}:satisfied:5")
    bench.wait_for(lambda: said_to(bench, user, since))
    reply = " ".join(said_to(bench, user, since))
    assert "ne peuvent plus être modifiées" in reply and "Très satisfait" not in reply


def test_a_named_pulse_shows_the_answer_and_sends_at_once(bench: SlackBench) -> None:
    user = mentors(bench)[6].slack_user_id
    campaign_id = launch(bench, NAMED_PULSE)
    assert not any("confirm" in b for b in pulse_buttons(invitation(bench, user, campaign_id)))
    updated = answer_pulse(bench, user, campaign_id, "satisfied:5")
    shown = json.dumps(updated["blocks"], ensure_ascii=False)
    assert "Votre réponse : *5 — Très satisfait*" in shown and "Merci" in shown


def test_a_pulse_answered_in_its_message_and_a_closed_survey(bench: SlackBench) -> None:
    user = mentors(bench)[1].slack_user_id
    campaign_id = launch(bench, PULSE)
    updated = answer_pulse(bench, user, campaign_id, "satisfied:5")
    shown = json.dumps(updated["blocks"], ensure_ascii=False)
    # Anonymous: the message says the question is answered, not what the answer is.
    assert "Répondu (anonyme : votre réponse n'est pas affichée ici)." in shown
    assert "Merci ! Votre réponse est enregistrée." in shown and "5 — Très satisfait" not in shown
    assert ids.SURVEY_PULSE not in shown
    with bench.services.sessions() as session:
        assert session.scalars(select(SurveyResponse.answers)).one() == {"satisfied": 5}

    # After the campaign closes, "Answer" says so.
    questionnaire = launch(bench, QUESTIONNAIRE)
    with bench.services.sessions() as session:
        closes_at = session.get(Campaign, questionnaire).closes_at
    bench.clock.now = closes_at + timedelta(hours=1)
    other = mentors(bench)[2].slack_user_id
    before = len(bench.standin.calls_to("response_url"))
    click_answer(bench, other, questionnaire)
    bench.wait_for(lambda: len(bench.standin.calls_to("response_url")) > before)
    reply = bench.standin.calls_to("response_url")[-1].args["text"]
    assert "Bilan des mentors" in reply and "answers" not in reply and "clos" in reply


def test_the_staff_home_shows_campaign_progress(bench: SlackBench) -> None:
    launch(bench, QUESTIONNAIRE)
    with bench.services.sessions() as session:
        staff = session.scalars(select(Person).join(StaffMember)).first()
    home = json.dumps(home_for(bench.services, staff.slack_user_id), ensure_ascii=False)
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
    bench: SlackBench,
) -> None:
    user = mentors(bench)[3].slack_user_id
    campaign_id = launch(bench, NAMED)
    page1 = open_page(bench, user, campaign_id)
    assert "Non anonyme" in text_of(page1) and "Pourquoi" not in text_of(page1)

    # Choosing a low score dispatches the answer: the page is redrawn with the question.
    bench.driver.block_action(user, INPUT, value="1", block_id="satisfied", view=page1)
    bench.wait_for(lambda: bench.standin.calls_to("views.update"))
    assert "Pourquoi" in text_of(bench.standin.view(page1["id"]))

    page2 = next_view(bench, user, page1, {"satisfied": {INPUT: "4"}})
    assert page2["submit"]["text"] == "Envoyer"
    before = len(bench.standin.posted(user))
    assert bench.driver.submit_view(user, page2, {"word": {INPUT: "Bravo"}}).text == ""
    bench.wait_for(lambda: len(bench.standin.posted(user)) > before)
    assert "jusqu'au" in bench.standin.posted(user)[-1]["blocks"][1]["text"]["text"]

    # "Answer" again offers to change them; the answers come back in the form.
    opened = len(bench.standin.calls_to("views.open"))
    click_answer(bench, user, campaign_id)
    bench.wait_for(lambda: len(bench.standin.calls_to("views.open")) > opened)
    offer = bench.standin.last_view(ids.SURVEY_CHANGE_VIEW)
    again = next_view(bench, user, offer, {})
    chosen = next(b for b in again["blocks"] if b.get("block_id") == "satisfied")
    assert chosen["element"]["initial_option"]["value"] == "4"
    page2 = next_view(bench, user, again, {"satisfied": {INPUT: "5"}})
    assert bench.driver.submit_view(user, page2, {}).text == ""
    with bench.services.sessions() as session:
        stored = session.scalars(
            select(SurveyResponse).where(SurveyResponse.campaign_id == campaign_id)
        ).one()
        assert stored.answers == {"satisfied": 5}
        assert stored.person_id is not None


def test_a_pulse_of_several_questions_thanks_once_complete(bench: SlackBench) -> None:
    bench.tick(bench.clock())  # the first working day: the mentors' monthly pulse is launched
    user = mentors(bench)[4].slack_user_id
    with bench.services.sessions() as session:
        campaign_id = session.scalars(
            select(Campaign.id).where(Campaign.survey_id == "pulse-mentors")
        ).one()
    message = invitation(bench, user, campaign_id)
    channel = bench.standin.dm_channel(user)
    clicks = [("team_state", "4"), ("support_needed", "scope"), ("recommend", "yes")]
    for count, (question, value) in enumerate(clicks, start=1):
        bench.clock.now += timedelta(minutes=1)
        bench.driver.block_action(
            user,
            ids.SURVEY_PULSE,
            value=f"{campaign_id}:{question}:{value}",
            message=message,
            channel_id=channel,
        )
        bench.wait_for(lambda n=count: len(bench.standin.calls_to("chat.update")) >= n)
        message = next(m for m in bench.standin.posted(user) if m["ts"] == message["ts"])
        shown = json.dumps(message["blocks"], ensure_ascii=False)
        assert ("Merci" in shown) is (count == len(clicks))
        assert shown.count("Répondu (anonyme") == count  # which questions, not the answers
    assert ids.SURVEY_PULSE not in shown and "Votre réponse :" not in shown
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


def test_a_page_of_a_grid_and_a_ranking_moves_on_to_the_next_page(bench: SlackBench) -> None:
    # Their inputs are "conditions.item.data", "formats.rank.1"…: no input holds the
    # question's own id, and the page must not be taken for one where a question appeared.
    user = mentors(bench)[5].slack_user_id
    campaign_id = launch(bench, GRIDS)
    page1 = open_page(bench, user, campaign_id)
    values = {
        "conditions.item.data": {INPUT: "4"},
        "conditions.item.it": {INPUT: "2"},
        "formats.rank.1": {INPUT: "peers"},
        "formats.rank.2": {INPUT: "coaching"},
    }
    page2 = next_view(bench, user, page1, values)
    assert "page 2 sur 2" in text_of(page2)
    assert bench.driver.submit_view(user, page2, {}).text == ""
    with bench.services.sessions() as session:
        stored = session.scalars(
            select(SurveyResponse).where(SurveyResponse.campaign_id == campaign_id)
        ).one()
        assert stored.answers == {
            "conditions": {"data": 4, "it": 2},
            "formats": ["peers", "coaching"],
        }


@pytest.fixture
def debug_logs(caplog):
    """The logs as ``bulletins -v serve`` writes them (DEBUG), captured."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    sdk_level = logging.getLogger("slack_sdk").level
    configure_logging(logging.DEBUG)
    root.addHandler(caplog.handler)
    caplog.handler.setLevel(logging.DEBUG)
    yield caplog
    root.handlers[:], root.level = handlers, level
    logging.getLogger("slack_sdk").setLevel(sdk_level)


def test_what_a_pulse_click_leaves_in_the_database_and_logs_names_no_one_and_no_answer(
    bench: SlackBench, debug_logs
) -> None:
    mentor = mentors(bench)[1]
    campaign_id = launch(bench, PULSE)
    message = invitation(bench, mentor.slack_user_id, campaign_id)
    click = {"value": f"{campaign_id}:satisfied:5", "message": message,
             "channel_id": bench.standin.dm_channel(mentor.slack_user_id)}  # fmt: skip
    for _ in range(2):  # a double click: the second is recognised as a repeat
        bench.driver.block_action(mentor.slack_user_id, ids.SURVEY_PULSE, **click)
    bench.wait_for(lambda: bench.standin.calls_to("chat.update"))

    with bench.services.sessions() as session:
        keys = session.scalars(select(ReceivedRequest.key)).all()
    records = debug_logs.records
    logged = "\n".join(record.getMessage() for record in records)
    assert any("ignored a repeated request" in r.getMessage() for r in records)
    for trace in [*keys, logged]:
        for clue in (mentor.slack_user_id, f"{campaign_id}:satisfied", "satisfied:5"):
            assert clue not in trace

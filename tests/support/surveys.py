"""Surveys in Slack, as a person answers them: launching, invitations, pages and pulses."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import timedelta

from sqlalchemy import select

from bot import ids
from bot.standin.workspace import SlackWorkspace
from bulletins.db.models import (
    Membership,
    Person,
)
from evaluation import campaigns as core
from evaluation.surveys.definitions import (
    Audience,
    Choice,
    Condition,
    Page,
    Question,
    Survey,
    Text,
    Window,
)

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


def launch(workspace: SlackWorkspace, survey: Survey) -> int:
    """Launch ``survey`` for every mentor now, and deliver the invitations."""
    services = workspace.services
    with services.sessions.begin() as session:
        campaign = core.launch(
            session,
            survey,
            cohort=None,
            now=workspace.clock(),
            calendar=services.calendar,
            settings=services.settings,
        )
        campaign_id = campaign.id
    workspace.tick(workspace.clock())
    return campaign_id


def invitation(workspace: SlackWorkspace, user_id: str, campaign_id: int) -> dict:
    """The invitation DM of ``campaign_id`` that ``user_id`` sees."""

    def found() -> dict | None:
        for message in workspace.standin.posted(user_id):
            if f'"{campaign_id}' in json.dumps(message.get("blocks", [])):
                return message
        return None

    return workspace.wait_for(found)


def click_answer(workspace: SlackWorkspace, user_id: str, campaign_id: int) -> None:
    """Click "Answer" in the invitation, a minute later (a repeat within 2 s is a double click)."""
    workspace.clock.now += timedelta(minutes=1)
    message = invitation(workspace, user_id, campaign_id)
    channel = workspace.standin.dm_channel(user_id)
    response = workspace.driver.block_action(
        user_id, ids.SURVEY_ANSWER, value=str(campaign_id), message=message, channel_id=channel
    )
    assert response.status == 200


def open_page(workspace: SlackWorkspace, user_id: str, campaign_id: int) -> dict:
    """Click "Answer" and return the modal it opens."""
    before = len(workspace.standin.calls_to("views.open"))
    click_answer(workspace, user_id, campaign_id)
    workspace.wait_for(lambda: len(workspace.standin.calls_to("views.open")) > before)
    call = workspace.standin.calls_to("views.open")[-1]
    assert call.ok, call.response
    return workspace.standin.last_view(ids.SURVEY_VIEW)


def text_of(view: dict) -> str:
    return json.dumps(view["blocks"], ensure_ascii=False)


def next_view(workspace: SlackWorkspace, user_id: str, view: dict, values: dict) -> dict:
    """Submit a page and return the page that replaces it (same view id, a new hash, as
    Slack does for ``response_action: update``)."""
    response = workspace.driver.submit_view(user_id, view, values)
    answer = response.json()
    assert answer["response_action"] == "update", answer
    return {**view, **answer["view"], "hash": uuid.uuid4().hex}


def mentors(workspace: SlackWorkspace) -> list[Person]:
    """The roster's mentors, in a stable order."""
    with workspace.services.sessions() as session:
        query = (
            select(Person)
            .join(Membership, Membership.person_id == Person.id)
            .where(Membership.role == "mentor")
            .order_by(Person.id)
        )
        return list(session.scalars(query).unique())


def said_to(workspace: SlackWorkspace, user_id: str, since: int) -> list[str]:
    """What the app sent that ``user_id`` sees, from the stand-in's call number ``since``:
    messages posted or updated in their DM, ephemeral messages, replies to their clicks
    (response URLs) and views, as JSON."""
    dm = workspace.standin.dm_channel(user_id)

    def theirs(method: str, args: dict) -> bool:
        if method == "response_url" or method.startswith("views."):
            return args.get("user_id", user_id) == user_id  # views.publish names its user
        return args.get("user") == user_id or args.get("channel") in (user_id, dm)

    calls = workspace.standin.calls[since:]
    return [json.dumps(c.args, ensure_ascii=False) for c in calls if theirs(c.method, c.args)]


def click_pulse(workspace: SlackWorkspace, user_id: str, message: dict, value: str) -> None:
    """Click the pulse button of ``value`` in ``message``, a minute later (not a double click)."""
    workspace.clock.now += timedelta(minutes=1)
    response = workspace.driver.block_action(
        user_id,
        ids.SURVEY_PULSE,
        value=value,
        message=message,
        channel_id=workspace.standin.dm_channel(user_id),
    )
    assert response.status == 200


def answer_pulse(workspace: SlackWorkspace, user_id: str, campaign_id: int, answer: str) -> dict:
    """Click ``answer`` ("question:value") in the pulse's message; the message once updated."""
    message = invitation(workspace, user_id, campaign_id)
    before = len(workspace.standin.calls_to("chat.update"))
    click_pulse(workspace, user_id, message, f"{campaign_id}:{answer}")
    workspace.wait_for(lambda: len(workspace.standin.calls_to("chat.update")) > before)
    return next(m for m in workspace.standin.posted(user_id) if m["ts"] == message["ts"])


def pulse_buttons(message: dict) -> list[dict]:
    return [
        element
        for block in message["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"].startswith(ids.SURVEY_PULSE)
    ]

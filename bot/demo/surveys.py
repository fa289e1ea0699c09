"""The demo's people answering surveys through the app's real HTTP endpoint, as in Slack:
a pulse with the buttons of its direct message, a questionnaire page by page in its modal
after clicking *Answer*.

Answers are drawn from a random generator seeded by the caller, so every run gives the
same ones. If the app does not answer as Slack's users would see it, a ``DemoError``
names the step.
"""

from __future__ import annotations

import json
import random
import uuid
from typing import Any

from sqlalchemy import select

from bot import ids
from bot.blocks.survey_pulse import PULSE_ACTION
from bot.demo.filing import WAIT, DemoError, await_view
from bot.standin.payloads import iter_elements
from bot.standin.workspace import SlackWorkspace
from bulletins.db.models import Campaign

MAX_SUBMITS = 30  # pages, and pages drawn again when an answer shows a question
TEXTS = (
    "L'accès aux données a pris plus de trois mois ; ensuite tout s'est accéléré.",
    "Les journées entre pairs ont été les moments les plus utiles de l'année.",
    "Un interlocuteur unique côté direction aurait évité bien des allers-retours.",
    "Travailler avec les agents de terrain a changé notre façon de concevoir l'outil.",
    "Plus de temps de cadrage avant l'arrivée de l'équipe, s'il vous plaît.",
)
YES_NO_WEIGHTS = {"yes": 6, "no": 2, "dont_know": 1}


def latest_campaign(workspace: SlackWorkspace, survey_id: str) -> int:
    """The id of ``survey_id``'s latest campaign."""
    with workspace.services.sessions() as session:
        query = select(Campaign.id).where(Campaign.survey_id == survey_id)
        found = session.scalar(query.order_by(Campaign.id.desc()))
    if found is None:
        raise DemoError(f"survey {survey_id!r} was not launched: no campaign to answer")
    return found


def invitation(workspace: SlackWorkspace, user_id: str, campaign_id: int) -> dict[str, Any]:
    """The latest message in ``user_id``'s DM with a button of ``campaign_id``."""
    for message in reversed(workspace.standin.posted(user_id)):
        for _, element in iter_elements(message.get("blocks") or []):
            if str(element.get("value", "")).split(":")[0] == str(campaign_id):
                return message
    raise DemoError(f"no invitation to campaign {campaign_id} reached {user_id}'s DM")


def pick(values: list[str], rng: random.Random) -> str:
    """A plausible answer among ``values``: scales lean to the top, "yes" is common,
    "other" (which asks to specify) is left alone."""
    values = [v for v in values if v != "other"]
    scale = [v for v in values if v.isdigit()]  # "not applicable" left aside
    if scale:
        weights = [1, 2, 5, 9, 6][-len(scale) :] if len(scale) <= 5 else None
        return rng.choices(scale, weights=weights)[0]
    if set(values) <= set(YES_NO_WEIGHTS):
        return rng.choices(values, weights=[YES_NO_WEIGHTS[v] for v in values])[0]
    return rng.choice(values)


# --- The pulse -----------------------------------------------------------------------------


def answer_pulse(
    workspace: SlackWorkspace, user_id: str, campaign_id: int, rng: random.Random
) -> None:
    """Click one button per question of the pulse DM; each click updates the message."""
    message = invitation(workspace, user_id, campaign_id)
    rows: dict[str, list[tuple[str, dict]]] = {}
    for block_id, element in iter_elements(message.get("blocks") or []):
        if PULSE_ACTION.match(element.get("action_id") or ""):
            rows.setdefault(element["value"].split(":")[1], []).append((block_id, element))
    if not rows:
        raise DemoError(f"the pulse DM of {user_id} has no answer buttons")
    channel = workspace.standin.dm_channel(user_id)
    for buttons in rows.values():
        chosen = pick([e["value"].split(":")[2] for _, e in buttons], rng)
        block_id, element = next(b for b in buttons if b[1]["value"].endswith(f":{chosen}"))
        since = len(workspace.standin.calls_to("chat.update"))
        current = next(m for m in workspace.standin.posted(user_id) if m["ts"] == message["ts"])
        response = workspace.driver.block_action(
            user_id,
            element["action_id"],
            value=element["value"],
            block_id=block_id,
            message=current,
            channel_id=channel,
        )
        if response.status != 200:
            raise DemoError(
                f"a pulse button answered HTTP {response.status} ({response.text[:200]}): "
                "the step needs the survey listeners (bot/listeners); nothing was answered"
            )
        _await(
            workspace, lambda n=since: len(workspace.standin.calls_to("chat.update")) > n, "pulse"
        )


def _await(workspace: SlackWorkspace, condition, what: str) -> None:
    try:
        workspace.wait_for(condition, timeout=WAIT)
    except AssertionError:
        raise DemoError(f"the {what} answer was sent but Slack saw no change") from None


# --- A questionnaire -----------------------------------------------------------------------


def open_questionnaire(workspace: SlackWorkspace, user_id: str, campaign_id: int) -> dict[str, Any]:
    """Click *Answer* in the latest invitation or reminder; returns the modal's page."""
    message = invitation(workspace, user_id, campaign_id)
    since = len(workspace.standin.calls)
    workspace.driver.block_action(
        user_id,
        ids.SURVEY_ANSWER,
        value=str(campaign_id),
        message=message,
        channel_id=workspace.standin.dm_channel(user_id),
    )
    return await_view(workspace, since, ids.SURVEY_VIEW, "the survey's Answer button")


def answer_questionnaire(
    workspace: SlackWorkspace,
    user_id: str,
    campaign_id: int,
    rng: random.Random,
    pages: int | None = None,
) -> list[dict[str, Any]]:
    """Answer page by page (only ``pages`` pages, then close the modal, when given) and
    send; returns the pages as shown."""
    view, chosen, shown = open_questionnaire(workspace, user_id, campaign_id), {}, []
    for _ in range(MAX_SUBMITS):
        shown.append(view)
        if pages is not None and _page(view) >= pages:
            return shown
        before = len(workspace.standin.posted(user_id))
        response = workspace.driver.submit_view(user_id, view, page_values(view, rng, chosen))
        body = response.text.strip()
        if response.status == 200 and body in ("", "{}"):
            _await(
                workspace,
                lambda n=before: len(workspace.standin.posted(user_id)) > n,
                "questionnaire",
            )
            return shown
        answer = response.json() if response.status == 200 else {}
        if answer.get("response_action") != "update":
            raise DemoError(f"a questionnaire page was refused (HTTP {response.status}): {body}")
        view = {**view, **answer["view"], "hash": uuid.uuid4().hex}  # as Slack updates it
    raise DemoError(f"the questionnaire of campaign {campaign_id} never ended")


def _page(view: dict[str, Any]) -> int:
    return int(json.loads(view.get("private_metadata") or "{}").get("page", 0))


def page_values(view: dict[str, Any], rng: random.Random, chosen: dict) -> dict[str, dict]:
    """An answer for each input of a page (``chosen`` keeps them when the page is redrawn):
    ``{block_id: {action_id: value}}``."""
    ranks: dict[str, list[str]] = {}
    values: dict[str, dict] = {}
    for block in view.get("blocks", []):
        if block.get("type") != "input":
            continue
        block_id, element = block["block_id"], block["element"]
        question, _, rest = block_id.partition(".")
        if rest.startswith("rank."):
            ranks.setdefault(question, []).append(block_id)
            continue
        if block_id not in chosen:
            chosen[block_id] = _answer(block, element, rest, rng)
        if chosen[block_id] is not None:
            values[block_id] = {element["action_id"]: chosen[block_id]}
    for question, blocks in ranks.items():
        # "other" asks to specify, as for choices: left alone
        options = [o["value"] for o in view_element(view, blocks[0])["options"]]
        options = [o for o in options if o != "other"]
        order = chosen.setdefault(question, rng.sample(options, len(blocks)))
        values |= {b: {ids.SURVEY_INPUT: item} for b, item in zip(blocks, order, strict=True)}
    return values


def view_element(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    return next(b["element"] for b in view["blocks"] if b.get("block_id") == block_id)


def _answer(block: dict, element: dict, rest: str, rng: random.Random) -> Any:
    kind = element["type"]
    options = [o["value"] for o in element.get("options") or []]
    if kind in ("radio_buttons", "static_select"):
        return pick(options, rng)
    if kind in ("checkboxes", "multi_static_select"):
        most = min(element.get("max_selected_items") or 3, 3)
        return rng.sample([o for o in options if o != "other"], rng.randint(1, most))
    if kind == "number_input":
        low, high = int(element.get("min_value") or 0), int(element.get("max_value") or 10)
        return str(rng.randint(low, min(high, low + 8)))
    optional = block.get("optional") and (not element.get("multiline") or rng.random() > 0.3)
    if rest == "other" or optional:  # a third of the optional long texts are written
        return None
    return rng.choice(TEXTS)

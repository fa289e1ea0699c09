"""The driver: Slack-signed requests, realistic payloads, and a Bolt app driven end to end."""

from __future__ import annotations

import json
import time
from urllib.parse import parse_qs

import pytest
from slack_bolt import App, BoltRequest
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier

from bot.standin import SlackDriver

SECRET = "s3cr3t-signing"

SURVEY = {
    "type": "modal",
    "callback_id": "survey",
    "title": {"type": "plain_text", "text": "Pulse"},
    "submit": {"type": "plain_text", "text": "Send"},
    "blocks": [
        {
            "type": "input",
            "block_id": "mood",
            "label": {"type": "plain_text", "text": "Mood"},
            "element": {
                "type": "static_select",
                "action_id": "pick",
                "options": [
                    {"text": {"type": "plain_text", "text": "Good"}, "value": "good"},
                    {"text": {"type": "plain_text", "text": "Bad"}, "value": "bad"},
                ],
            },
        },
        {
            "type": "input",
            "block_id": "note",
            "label": {"type": "plain_text", "text": "Note"},
            "element": {"type": "plain_text_input", "action_id": "text"},
        },
        {
            "type": "input",
            "block_id": "day",
            "label": {"type": "plain_text", "text": "Day"},
            "element": {"type": "datepicker", "action_id": "date"},
        },
        {
            "type": "input",
            "block_id": "tags",
            "label": {"type": "plain_text", "text": "Tags"},
            "element": {
                "type": "checkboxes",
                "action_id": "boxes",
                "options": [
                    {"text": {"type": "plain_text", "text": "A"}, "value": "a"},
                    {"text": {"type": "plain_text", "text": "B"}, "value": "b"},
                ],
            },
        },
    ],
}


@pytest.fixture
def driver(tiny_app, standin) -> SlackDriver:
    return SlackDriver(tiny_app.url, SECRET, standin=standin)


def verified(received) -> bool:
    return SignatureVerifier(SECRET).is_valid_request(received.body, received.headers)


def payload_of(received) -> dict:
    return json.loads(parse_qs(received.body.decode())["payload"][0])


def test_command_is_signed_and_complete(driver, tiny_app, standin, client):
    response = driver.command("U0ALICE", text="help")

    received = tiny_app.received[0]
    fields = {k: v[0] for k, v in parse_qs(received.body.decode(), keep_blank_values=True).items()}
    assert response.status == 200 and verified(received)
    assert received.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert fields["command"] == "/bulletin" and fields["text"] == "help"
    assert (fields["user_id"], fields["user_name"], fields["team_id"]) == (
        "U0ALICE",
        "alice",
        "T0001",
    )
    assert fields["trigger_id"] == response.trigger_id
    assert fields["response_url"] == response.response_url
    view = {"type": "modal", "title": {"type": "plain_text", "text": "T"}, "blocks": []}
    view["blocks"] = [{"type": "divider"}]
    assert client.views_open(trigger_id=response.trigger_id, view=view)["ok"]


def test_block_action_shapes_the_action_from_the_view(driver, tiny_app, standin, client):
    view = client.views_open(trigger_id=standin.new_trigger_id(), view=SURVEY)["view"]

    response = driver.block_action("U0ALICE", "pick", value="bad", view=view)

    payload = payload_of(tiny_app.received[0])
    assert verified(tiny_app.received[0]) and response.response_url is None
    assert payload["type"] == "block_actions" and payload["view"]["id"] == view["id"]
    assert payload["container"] == {"type": "view", "view_id": view["id"]}
    action = payload["actions"][0]
    assert (action["type"], action["block_id"], action["selected_option"]["value"]) == (
        "static_select",
        "mood",
        "bad",
    )


def test_block_action_on_a_message_has_a_response_url(driver, tiny_app, client):
    blocks = [
        {
            "type": "actions",
            "block_id": "b",
            "elements": [
                {
                    "type": "button",
                    "action_id": "go",
                    "value": "42",
                    "text": {"type": "plain_text", "text": "Go"},
                }
            ],
        }
    ]
    message = client.chat_postMessage(channel="C0GENERAL", text="t", blocks=blocks)["message"]

    response = driver.block_action("U0ALICE", "go", message=message, channel_id="C0GENERAL")

    payload = payload_of(tiny_app.received[0])
    assert payload["actions"][0]["value"] == "42"
    assert payload["response_url"] == response.response_url
    assert payload["container"]["message_ts"] == message["ts"]
    assert payload["channel"] == {"id": "C0GENERAL", "name": "c0general"}


def test_view_submission_with_state_values(driver, tiny_app, standin, client):
    client.views_open(trigger_id=standin.new_trigger_id(), view=SURVEY)
    view = standin.last_view("survey")
    values = driver.state_values(
        view,
        {
            "mood": {"pick": "good"},
            "note": {"text": "fine"},
            "day": {"date": "2024-05-06"},
            "tags": {"boxes": ["a", "b"]},
        },
    )

    driver.view_submission("U0ALICE", view, values, private_metadata="team=7")

    payload = payload_of(tiny_app.received[0])
    state = payload["view"]["state"]["values"]
    assert payload["type"] == "view_submission" and payload["view"]["id"] == view["id"]
    assert payload["view"]["private_metadata"] == "team=7"
    assert state["mood"]["pick"]["selected_option"]["value"] == "good"
    assert state["note"]["text"] == {"type": "plain_text_input", "value": "fine"}
    assert state["day"]["date"]["selected_date"] == "2024-05-06"
    assert [o["value"] for o in state["tags"]["boxes"]["selected_options"]] == ["a", "b"]


def test_state_values_reject_unknown_options():
    with pytest.raises(ValueError):
        SlackDriver.state_values(SURVEY, {"mood": {"pick": "meh"}})


def test_event_with_retry_headers(driver, tiny_app):
    driver.event(
        {"type": "app_home_opened", "user": "U0ALICE", "tab": "home"}, event_id="Ev1", retry_num=1
    )

    received = tiny_app.received[0]
    body = json.loads(received.body)
    assert verified(received) and received.headers["Content-Type"] == "application/json"
    assert (body["type"], body["event_id"], body["event"]["type"]) == (
        "event_callback",
        "Ev1",
        "app_home_opened",
    )
    assert received.headers["X-Slack-Retry-Num"] == "1"
    assert received.headers["X-Slack-Retry-Reason"] == "http_timeout"


def test_url_verification(driver, tiny_app):
    tiny_app.respond = lambda r: (
        200,
        {"Content-Type": "application/json"},
        json.dumps({"challenge": json.loads(r.body)["challenge"]}).encode(),
    )
    assert driver.url_verification("abc").json() == {"challenge": "abc"}
    assert verified(tiny_app.received[0])


def test_raw_unsigned_and_stale_requests_do_not_verify(driver, tiny_app):
    tiny_app.respond = lambda r: (200 if verified(r) else 401, {}, b"")
    unsigned = driver.raw(b"x=1", {"Content-Type": "application/x-www-form-urlencoded"}, sign=False)
    stale = driver.raw(b"x=1", {}, timestamp=int(time.time()) - 600)
    fresh = driver.raw(b"x=1", {})

    assert (unsigned.status, stale.status, fresh.status) == (401, 401, 200)


def test_a_bolt_app_driven_end_to_end(tiny_app, standin):
    app = App(
        client=WebClient(token="xoxb-test", base_url=standin.base_url),
        signing_secret=SECRET,
        process_before_response=True,
    )

    @app.command("/bulletin")
    def open_survey(ack, body, client):
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=SURVEY)

    @app.view("survey")
    def on_submit(ack, view, body, client):
        ack()
        mood = view["state"]["values"]["mood"]["pick"]["selected_option"]["value"]
        client.chat_postMessage(channel=body["user"]["id"], text=f"mood: {mood}")

    def dispatch(received):
        reply = app.dispatch(BoltRequest(body=received.body.decode(), headers=received.headers))
        headers = {k: v[0] for k, v in reply.headers.items()}
        return reply.status, headers, reply.body.encode()

    tiny_app.respond = dispatch
    driver = SlackDriver(tiny_app.url, SECRET, standin=standin)

    assert driver.command("U0ALICE").status == 200
    view = standin.last_view("survey")
    assert driver.submit_view("U0ALICE", view, {"mood": {"pick": "good"}}).status == 200
    assert standin.messages()[-1]["text"] == "mood: good"
    assert SlackDriver(tiny_app.url, "wrong-secret").command("U0ALICE").status == 401

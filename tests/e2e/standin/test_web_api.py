"""The Web API stand-in, exercised through a real slack_sdk WebClient."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.webhook import WebhookClient

from bot.standin import SlackStandIn
from bot.standin.socket_mode import SocketModeSlack


def section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def plain(text: str) -> dict:
    return {"type": "plain_text", "text": text}


def confirmed(**dialog) -> dict:
    """A row with a button that asks for confirmation; ``dialog`` changes the dialog (a
    field given None is left out)."""
    fields = {"title": plain("Sure?"), "text": {"type": "mrkdwn", "text": "*Really?*"},
              "confirm": plain("Yes"), "deny": plain("No")} | dialog  # fmt: skip
    confirm = {key: value for key, value in fields.items() if value is not None}
    button = {"type": "button", "action_id": "a", "text": plain("Go"), "confirm": confirm}
    return {"type": "actions", "elements": [button]}


def modal(title: str = "Bulletin", **extra: object) -> dict:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": title},
        "blocks": [section("Hello")],
        **extra,
    }


def slack_error(call) -> SlackApiError:
    with pytest.raises(SlackApiError) as info:
        call()
    return info.value


# ------------------------------------------------------------------ recording


def test_successful_calls_are_recorded(standin, client):
    client.auth_test()
    first = client.chat_postMessage(channel="C0GENERAL", text="one")
    second = client.chat_postMessage(channel="C0GENERAL", text="two", thread_ts=first["ts"])

    assert [c.method for c in standin.calls] == [
        "auth.test",
        "chat.postMessage",
        "chat.postMessage",
    ]
    assert all(c.status == 200 and c.response["ok"] for c in standin.calls)
    assert float(second["ts"]) > float(first["ts"])
    assert second["message"]["thread_ts"] == first["ts"]
    assert [m["text"] for m in standin.messages("C0GENERAL")] == ["one", "two"]
    assert standin.calls_to("auth.test")[0].response["user_id"] == "UBOT"


def test_blocks_sent_as_a_form_field_are_decoded(standin, client):
    client.chat_postMessage(channel="C0GENERAL", text="t", blocks=[section("*hi*")])

    assert standin.messages()[0]["blocks"] == [section("*hi*")]


def test_json_bodies_are_accepted(standin, client):
    client.api_call("chat.postMessage", json={"channel": "C0GENERAL", "blocks": [section("x")]})

    call = standin.calls_to("chat.postMessage")[0]
    assert call.response["ok"] and call.args["blocks"] == [section("x")]


def test_reset_forgets_calls(standin, client):
    client.auth_test()
    standin.reset()
    assert standin.calls == []


def test_concurrent_posts_are_all_recorded_with_unique_ts(standin, client):
    threads = [
        threading.Thread(
            target=client.chat_postMessage, kwargs={"channel": "C0GENERAL", "text": "x"}
        )
        for _ in range(20)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    stamps = [c.response["ts"] for c in standin.calls_to("chat.postMessage")]
    assert len(stamps) == 20 and len(set(stamps)) == 20


# ----------------------------------------------------------------- auth, args


def test_wrong_token_is_invalid_auth(standin):
    error = slack_error(WebClient(token="xoxb-wrong", base_url=standin.base_url).auth_test)
    assert error.response["error"] == "invalid_auth"
    assert standin.calls[0].response["error"] == "invalid_auth"


def test_missing_token_is_not_authed(standin):
    error = slack_error(WebClient(base_url=standin.base_url).auth_test)
    assert error.response["error"] == "not_authed"


def test_each_token_serves_its_own_methods(standin, client):
    """The app-level token opens Socket Mode connections and nothing else; the bot token
    everything else."""
    with SocketModeSlack(standin, app_token="xapp-1-test") as slack:
        app = WebClient(token="xapp-1-test", base_url=standin.base_url)
        assert app.apps_connections_open(app_token="xapp-1-test")["url"] == slack.url
        error = slack_error(lambda: app.chat_postMessage(channel="C0GENERAL", text="hi"))
        assert error.response["error"] == "not_allowed_token_type"
        error = slack_error(lambda: client.apps_connections_open(app_token=client.token))
        assert error.response["error"] == "not_allowed_token_type"


def test_missing_required_argument(client):
    error = slack_error(lambda: client.api_call("users.info", params={}))
    assert error.response["error"] == "invalid_arguments"
    assert "user" in error.response["response_metadata"]["messages"][0]


@pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing")
def test_post_without_text_or_blocks_is_no_text(client):
    assert (
        slack_error(lambda: client.chat_postMessage(channel="C0GENERAL")).response["error"]
        == "no_text"
    )


def test_unknown_method(client):
    assert slack_error(lambda: client.api_call("nope.never")).response["error"] == "unknown_method"


# ------------------------------------------------------------------- channels


@pytest.mark.parametrize(
    ("setup", "channel", "error"),
    [
        (None, "C0UNKNOWN", "channel_not_found"),
        (("C0OLD", True, True), "C0OLD", "is_archived"),
        (("C0PRIVATE", False, False), "C0PRIVATE", "not_in_channel"),
    ],
)
def test_channel_errors(standin, client, setup, channel, error):
    if setup:
        standin.add_channel(setup[0], archived=setup[1], member=setup[2])
    assert (
        slack_error(lambda: client.chat_postMessage(channel=channel, text="x")).response["error"]
        == error
    )


def test_channels_by_name_resolve_to_their_id(standin, client):
    channel_id = standin.add_channel("#random")
    assert client.chat_postMessage(channel="#random", text="x")["channel"] == channel_id


def test_lenient_channels():
    with SlackStandIn(strict_channels=False) as lenient:
        client = WebClient(token="xoxb-test", base_url=lenient.base_url)
        assert client.chat_postMessage(channel="C0ANY", text="x")["ok"]


def test_dm_channels_are_stable_and_user_ids_are_postable(standin, client):
    opened = client.conversations_open(users="U0ALICE")["channel"]["id"]
    again = client.conversations_open(users="U0ALICE")["channel"]["id"]
    posted = client.chat_postMessage(channel="U0ALICE", text="hi")

    assert opened == again and opened.startswith("D")
    assert posted["channel"] == opened
    assert client.chat_postMessage(channel=opened, text="again")["ok"]


def test_a_group_dm_with_several_users_is_stable_and_postable(standin, client):
    standin.add_user("U0BOB", "bob")
    opened = client.conversations_open(users="U0ALICE,U0BOB")["channel"]["id"]
    again = client.conversations_open(users="U0BOB,U0ALICE")
    assert opened.startswith("G") and again["channel"]["id"] == opened and again["already_open"]
    assert standin.group_members(opened) == {"U0ALICE", "U0BOB"}
    assert client.chat_postMessage(channel=opened, text="hello both")["ok"]
    assert [m["text"] for m in standin.posted(opened)] == ["hello both"]
    error = slack_error(lambda: client.conversations_open(users="U0ALICE,U0NOBODY"))
    assert error.response["error"] == "user_not_found"


def test_a_permalink_names_the_channel_and_the_message(client):
    posted = client.chat_postMessage(channel="C0GENERAL", text="x")
    link = client.chat_getPermalink(channel="C0GENERAL", message_ts=posted["ts"])["permalink"]
    assert link == f"https://standin.slack.com/archives/C0GENERAL/p{posted['ts'].replace('.', '')}"
    error = slack_error(lambda: client.chat_getPermalink(channel="C0GENERAL", message_ts="1.2"))
    assert error.response["error"] == "message_not_found"


def test_users_info(client):
    user = client.users_info(user="U0ALICE", include_locale=True)["user"]
    assert (user["name"], user["locale"], user["tz"]) == ("alice", "fr-FR", "Europe/Paris")
    assert user["tz_offset"] in (3600, 7200)
    assert slack_error(lambda: client.users_info(user="U0NOBODY")).response["error"] == (
        "user_not_found"
    )


def test_chat_update_and_ephemeral(client):
    posted = client.chat_postMessage(channel="C0GENERAL", text="v1")
    updated = client.chat_update(channel="C0GENERAL", ts=posted["ts"], text="v2")
    assert updated["message"]["text"] == "v2"
    assert (
        slack_error(lambda: client.chat_update(channel="C0GENERAL", ts="1.2", text="x")).response[
            "error"
        ]
        == "message_not_found"
    )
    assert client.chat_postEphemeral(channel="C0GENERAL", user="U0ALICE", text="psst")["message_ts"]


# ------------------------------------------------------------------ Block Kit


@pytest.mark.parametrize(
    "blocks",
    [
        pytest.param([section("x" * 3001)], id="section-text-over-3000"),
        pytest.param(
            [{"type": "actions", "elements": [{"type": "button", "action_id": "a"}]}],
            id="button-without-text",
        ),
        pytest.param([{"type": "divider"}] * 51, id="51-blocks"),
        pytest.param([{"type": "no_such_block"}], id="unknown-type"),
        pytest.param([{"type": "section", "text": "plain string"}], id="text-not-an-object"),
        pytest.param([{"type": "section"}], id="section-without-text-or-fields"),
        pytest.param(
            [dict(section("a"), block_id="b"), dict(section("b"), block_id="b")],
            id="duplicate-block-id",
        ),
        pytest.param([confirmed(title=plain("t" * 101))], id="confirm-title-over-100"),
        pytest.param([confirmed(text=plain("t" * 301))], id="confirm-text-over-300"),
        pytest.param([confirmed(confirm=plain("t" * 31))], id="confirm-button-over-30"),
        pytest.param([confirmed(deny=plain("t" * 31))], id="deny-button-over-30"),
        pytest.param([confirmed(deny=None)], id="confirm-without-deny"),
        pytest.param([confirmed(title="Sure?")], id="confirm-title-not-an-object"),
        pytest.param(
            [confirmed(title={"type": "mrkdwn", "text": "*Sure?*"})], id="confirm-title-mrkdwn"
        ),
        pytest.param([confirmed(style="warning")], id="confirm-unknown-style"),
    ],
)
def test_invalid_blocks_are_rejected(standin, client, blocks):
    error = slack_error(
        lambda: client.chat_postMessage(channel="C0GENERAL", text="t", blocks=blocks)
    )

    assert error.response["error"] == "invalid_blocks"
    assert error.response["response_metadata"]["messages"]
    assert standin.messages() == []
    assert standin.calls[-1].response["error"] == "invalid_blocks"


def test_a_confirmation_dialog_within_slacks_limits_is_fine(client):
    longest = confirmed(
        title=plain("t" * 100), text=plain("t" * 300), confirm=plain("c" * 30), deny=plain("d" * 30)
    )
    accessory = dict(section("x"), accessory=confirmed(style="danger")["elements"][0])
    assert client.chat_postMessage(channel="C0GENERAL", text="t", blocks=[longest, accessory])["ok"]


def test_fifty_blocks_and_3000_chars_are_fine(client):
    blocks = [section("x" * 3000)] + [{"type": "divider"}] * 49
    assert client.chat_postMessage(channel="C0GENERAL", text="t", blocks=blocks)["ok"]


# ---------------------------------------------------------- views & triggers


def test_views_open_with_a_fresh_trigger(standin, client):
    view = client.views_open(trigger_id=standin.new_trigger_id(), view=modal(callback_id="cb"))[
        "view"
    ]
    assert view["id"].startswith("V") and view["callback_id"] == "cb"
    assert standin.last_view("cb")["id"] == view["id"]


def test_expired_trigger_is_rejected(standin, client, clock):
    trigger = standin.new_trigger_id()
    clock.advance(3.1)
    error = slack_error(lambda: client.views_open(trigger_id=trigger, view=modal()))
    assert error.response["error"] == "expired_trigger_id"


def test_reused_or_unknown_trigger_is_rejected(standin, client):
    trigger = standin.new_trigger_id()
    client.views_open(trigger_id=trigger, view=modal())
    for bad in (trigger, "123.456.789"):
        error = slack_error(lambda bad=bad: client.views_open(trigger_id=bad, view=modal()))
        assert error.response["error"] == "invalid_trigger_id"


@pytest.mark.parametrize(
    "view",
    [
        pytest.param(modal(title="x" * 25), id="title-too-long"),
        pytest.param(dict(modal(), blocks=[{"type": "divider"}] * 101), id="101-blocks"),
        pytest.param(dict(modal(), blocks=[section("x" * 3001)]), id="nested-section-too-long"),
        pytest.param({"type": "modal", "blocks": []}, id="no-title"),
        pytest.param(
            dict(
                modal(),
                blocks=[
                    {
                        "type": "input",
                        "label": {"type": "plain_text", "text": "L"},
                        "element": {"type": "plain_text_input", "action_id": "a"},
                    }
                ],
            ),
            id="input-without-submit",
        ),
    ],
)
def test_invalid_views_are_rejected(standin, client, view):
    error = slack_error(lambda: client.views_open(trigger_id=standin.new_trigger_id(), view=view))
    assert error.response["error"] == "invalid_arguments"
    assert error.response["response_metadata"]["messages"]


def test_views_update_push_and_publish(standin, client):
    opened = client.views_open(trigger_id=standin.new_trigger_id(), view=modal(external_id="ext"))
    view = opened["view"]
    by_id = client.views_update(
        view_id=view["id"], hash=view["hash"], view=modal("Two", external_id="ext")
    )
    by_external = client.views_update(external_id="ext", view=modal("Three", external_id="ext"))
    stale = slack_error(
        lambda: client.views_update(view_id=view["id"], hash=view["hash"], view=modal())
    )
    pushed = client.views_push(trigger_id=standin.new_trigger_id(), view=modal("Pushed"))
    home = client.views_publish(user_id="U0ALICE", view={"type": "home", "blocks": [section("h")]})

    assert by_id["view"]["id"] == by_external["view"]["id"] == view["id"]
    assert standin.view(view["id"])["title"]["text"] == "Three"
    assert stale.response["error"] == "hash_conflict"
    assert pushed["view"]["id"] != view["id"]
    assert home["view"]["type"] == "home"
    not_home = slack_error(lambda: client.views_publish(user_id="U0ALICE", view=modal()))
    assert not_home.response["error"] == "invalid_arguments"


# -------------------------------------------------------------------- faults


def test_429_reaches_the_client_with_retry_after(standin, client):
    standin.fail_next("chat.postMessage", retry_after=7)
    error = slack_error(lambda: client.chat_postMessage(channel="C0GENERAL", text="x"))

    assert error.response.status_code == 429
    assert error.response.headers["Retry-After"] == "7"
    assert error.response["error"] == "ratelimited"
    assert standin.calls[-1].status == 429
    assert client.chat_postMessage(channel="C0GENERAL", text="x")["ok"]


def test_rate_limit_retry_handler_retries_through_a_429(standin):
    standin.fail_next("chat.postMessage", retry_after=0)
    client = WebClient(
        token="xoxb-test",
        base_url=standin.base_url,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)],
    )

    assert client.chat_postMessage(channel="C0GENERAL", text="x")["ok"]
    assert [c.status for c in standin.calls_to("chat.postMessage")] == [429, 200]


@pytest.mark.parametrize(
    ("status", "error"), [(500, "internal_error"), (503, "service_unavailable")]
)
def test_server_errors(standin, client, status, error):
    standin.fail_next("auth.test", n=2, status=status)
    for _ in range(2):
        failure = slack_error(client.auth_test)
        assert failure.response.status_code == status and failure.response["error"] == error
    assert client.auth_test()["ok"]


def test_injected_slack_error(standin, client):
    standin.fail_next("chat.postMessage", status=200, error="channel_not_found")
    assert (
        slack_error(lambda: client.chat_postMessage(channel="C0GENERAL", text="x")).response[
            "error"
        ]
        == "channel_not_found"
    )


def test_per_channel_rate_limit(standin, client, clock):
    standin.enforce_rate_limits(per_channel_per_second=1.0)
    assert client.chat_postMessage(channel="C0GENERAL", text="1")["ok"]
    limited = slack_error(lambda: client.chat_postMessage(channel="C0GENERAL", text="2"))
    assert client.chat_postMessage(channel="U0ALICE", text="other channel")["ok"]
    clock.advance(1.0)

    assert limited.response.status_code == 429 and limited.response.headers["Retry-After"] == "1"
    assert client.chat_postMessage(channel="C0GENERAL", text="3")["ok"]


# ------------------------------------------------------- files, response_url


def test_files_upload_v2_end_to_end(standin, client):
    response = client.files_upload_v2(
        channel="C0GENERAL",
        content="a,b\n1,2\n",
        filename="report.csv",
        title="Report",
        initial_comment="Here it is",
    )

    uploaded = standin.files[response["file"]["id"]]
    assert (uploaded.content, uploaded.title, uploaded.channels) == (
        b"a,b\n1,2\n",
        "Report",
        ["C0GENERAL"],
    )
    assert uploaded.initial_comment == "Here it is"
    assert [c.method for c in standin.calls] == [
        "files.getUploadURLExternal",
        "file_upload",
        "files.completeUploadExternal",
    ]


def test_files_upload_v2_to_unknown_channel_fails(client):
    error = slack_error(lambda: client.files_upload_v2(channel="C0NOPE", content="x", filename="x"))
    assert error.response["error"] == "channel_not_found"


def test_response_url_posts_are_recorded(standin):
    url = standin.new_response_url()
    ok = WebhookClient(url).send(text="done", response_type="ephemeral")
    bad = WebhookClient(url).send(text="t", blocks=[section("x" * 3001)])

    assert ok.status_code == 200
    assert bad.status_code == 200 and "invalid_blocks" in bad.body
    calls = standin.calls_to("response_url")
    assert calls[0].args == {"text": "done", "response_type": "ephemeral"}
    assert calls[1].response["error"] == "invalid_blocks"


def test_response_url_expires(standin, clock):
    url = standin.new_response_url()
    clock.advance(31 * 60)
    assert WebhookClient(url).send(text="late").status_code == 404


def test_a_response_url_and_an_upload_can_be_made_to_fail(standin, client):

    url = standin.new_response_url()
    standin.fail_next("response_url", status=500)
    request = urllib.request.Request(url, data=b'{"text": "ok"}', method="POST",
                                     headers={"Content-Type": "application/json"})  # fmt: skip
    try:
        urllib.request.urlopen(request, timeout=5)
        status = 200
    except urllib.error.HTTPError as error:
        status = error.code
    assert status == 500
    assert urllib.request.urlopen(request, timeout=5).status == 200
    standin.fail_next("file_upload", status=503)
    with pytest.raises((SlackRequestError, urllib.error.HTTPError)):
        client.files_upload_v2(channel="C0GENERAL", content=b"x", filename="a.txt")


def test_every_answer_to_the_bot_token_lists_its_scopes(standin, client):
    standin.grant_scopes("chat:write", "commands")
    answer = client.auth_test()
    scopes = {name.lower(): value for name, value in answer.headers.items()}["x-oauth-scopes"]
    assert scopes == "chat:write,commands"


def test_conversations_info_tells_membership_and_hides_private_channels_from_outsiders(
    standin, client
):
    outside = standin.add_channel("lobby", member=False)
    secret = standin.add_channel("secret", private=True, member=False)
    assert client.conversations_info(channel="C0GENERAL")["channel"]["is_member"] is True
    assert client.conversations_info(channel=outside)["channel"]["is_member"] is False
    assert slack_error(lambda: client.conversations_info(channel=secret)).response["error"] == (
        "channel_not_found"
    )

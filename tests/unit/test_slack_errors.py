"""What a failed Slack call is taken for: its error code when Slack said one, nothing when
the answer was not Slack's JSON (a proxy's error page)."""

from __future__ import annotations

from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from bot.delivery.sending import error_code
from bot.explanations import explain


def failed(data: dict | str, status: int = 200) -> SlackApiError:
    response = SlackResponse(
        client=None,
        http_verb="POST",
        api_url="https://slack.com/api/views.open",
        req_args={},
        data=data,
        headers={},
        status_code=status,
    )
    return SlackApiError("failed", response)


def test_an_expired_trigger_is_explained_to_the_person():
    error = failed({"ok": False, "error": "expired_trigger_id"})
    assert error_code(error) == "expired_trigger_id"
    assert "too busy" in (explain(error, "en") or "")


def test_a_proxy_error_page_is_an_unexpected_error_not_a_crash():
    error = failed("<html>502 Bad Gateway</html>", status=502)
    assert error_code(error) is None
    assert explain(error, "en") is None

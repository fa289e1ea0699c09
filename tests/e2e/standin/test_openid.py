"""The stand-in's Sign in with Slack, as slack_sdk's client and a browser meet it."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from web.identity import id_token_claims

REDIRECT = "http://127.0.0.1:1/app/callback"


class _Stay(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def authorize(standin, **params) -> tuple[int, str, str]:
    """(status, Location, body) of the authorize page."""
    query = {"client_id": standin.client_id, "redirect_uri": REDIRECT, "state": "s1"} | params
    url = standin.root_url + "openid/connect/authorize?" + urllib.parse.urlencode(query)
    try:
        with urllib.request.build_opener(_Stay()).open(url, timeout=5) as answer:
            return answer.status, answer.headers.get("Location", ""), answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location", ""), error.read().decode()


def code_for(standin, user: str, **params) -> str:
    status, location, _ = authorize(standin, login_as=user, **params)
    assert status == 302 and location.startswith(REDIRECT)
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)
    assert query["state"] == ["s1"]
    return query["code"][0]


def app_client(standin) -> WebClient:
    return WebClient(base_url=standin.base_url)


def test_a_code_gives_an_id_token_once(standin):
    standin.add_user("U1", "Inès", locale="fr-FR")
    code = code_for(standin, "U1", nonce="n1")
    client = app_client(standin)
    answer = client.openid_connect_token(
        client_id=standin.client_id, client_secret=standin.client_secret,
        code=code, redirect_uri=REDIRECT,
    )  # fmt: skip
    claims = id_token_claims(answer["id_token"])
    assert claims["https://slack.com/user_id"] == "U1"
    assert claims["https://slack.com/team_id"] == standin.team_id
    assert (claims["nonce"], claims["aud"], claims["locale"]) == ("n1", standin.client_id, "fr-FR")
    info = WebClient(token=answer["access_token"], base_url=standin.base_url)
    assert info.openid_connect_userInfo()["name"] == "Inès"
    with pytest.raises(SlackApiError) as refused:
        client.openid_connect_token(
            client_id=standin.client_id, client_secret=standin.client_secret,
            code=code, redirect_uri=REDIRECT,
        )  # fmt: skip
    assert refused.value.response["error"] == "invalid_code"


@pytest.mark.parametrize(
    ("secret", "redirect", "error"),
    [("wrong", REDIRECT, "bad_client_secret"), (None, "http://elsewhere/", "bad_redirect_uri")],
)
def test_the_app_s_credentials_and_redirect_address_are_checked(standin, secret, redirect, error):
    code = code_for(standin, "U1")
    with pytest.raises(SlackApiError) as refused:
        app_client(standin).openid_connect_token(
            client_id=standin.client_id, client_secret=secret or standin.client_secret,
            code=code, redirect_uri=redirect,
        )  # fmt: skip
    assert refused.value.response["error"] == error
    recorded = standin.calls_to("openid.connect.token")[-1]
    assert "client_secret" not in recorded.args


def test_the_authorize_page_lists_the_people_to_sign_in_as(standin):
    standin.add_user("U2", "Zoé <b>", locale="fr-FR")
    status, _, page = authorize(standin)
    assert status == 200 and "Zoé &lt;b&gt;" in page and "login_as=U2" in page
    assert authorize(standin, client_id="other")[0] == 400


def test_team_as_signs_in_from_another_workspace(standin):
    code = code_for(standin, "U1", team_as="T0THER")
    answer = app_client(standin).openid_connect_token(
        client_id=standin.client_id, client_secret=standin.client_secret,
        code=code, redirect_uri=REDIRECT,
    )  # fmt: skip
    assert id_token_claims(answer["id_token"])["https://slack.com/team_id"] == "T0THER"

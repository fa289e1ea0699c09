"""Channels given by name in ``[channels]`` are found by id when a posting process starts."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from slack_sdk import WebClient

from bot.bootstrap import Services
from bot.channels import PAGE, channel_ids, use_channel_ids
from bot.standin import SlackStandIn
from bulletins.config import Channels, settings_from_dict
from bulletins.errors import ConfigError

TOKEN = "xoxb-channels"


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn(token=TOKEN) as standin:
        yield standin


@pytest.fixture
def client(standin) -> WebClient:
    return WebClient(token=TOKEN, base_url=standin.base_url)


def services_for(standin: SlackStandIn, channels: Channels) -> Services:
    """What ``use_channel_ids`` reads and changes of the services: a fake of those two."""
    settings = dataclasses.replace(settings_from_dict({}), channels=channels)
    client = WebClient(token=TOKEN, base_url=standin.base_url)
    return SimpleNamespace(slack=client, settings=settings)  # type: ignore[return-value]


def test_names_become_ids_and_ids_stay(standin, client):
    bulletins = standin.add_channel("bulletins")
    staff = standin.add_channel("equipe-programme", private=True)

    found = channel_ids(client, Channels(digest="#Bulletins", announce="C0ANNOUNCE",
                                         staff="equipe-programme"))  # fmt: skip

    assert found == (Channels(digest=bulletins, announce="C0ANNOUNCE", staff=staff), [])


def test_channels_given_by_id_ask_slack_nothing(standin, client):
    given = Channels(digest="C0DIGEST", announce="C0ANNOUNCE", staff="G0STAFF01")
    assert channel_ids(client, given) == (given, [])
    assert standin.calls == []


def test_a_channel_on_a_later_page_is_found(standin, client):
    for n in range(2 * PAGE + 50):
        standin.add_channel(f"projet-{n:03d}")
    last = standin.add_channel("equipe-programme")

    found, _ = channel_ids(client, Channels(digest="projet-007", announce="projet-007",
                                            staff="equipe-programme"))  # fmt: skip

    assert found.staff == last
    assert len(standin.calls_to("conversations.list")) == 3


def test_each_channel_the_bot_cannot_see_is_named_and_the_others_are_used(standin, caplog):
    bulletins = standin.add_channel("bulletins")
    standin.add_channel("equipe-programme", private=True, member=False)  # not invited
    standin.add_channel("annonces", archived=True)
    configured = Channels(digest="bulletins", announce="annonces", staff="equipe-programme")
    services = services_for(standin, configured)

    with caplog.at_level(logging.ERROR, logger="bot.channels"):
        use_channel_ids(services)

    assert services.settings.channels == Channels(
        digest=bulletins, announce="annonces", staff="equipe-programme"
    )
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 2
    assert errors[0].startswith("[channels] announce = 'annonces': no channel of that name")
    assert errors[1].startswith("[channels] staff = 'equipe-programme': no channel")
    assert "invite the bot to it" in errors[1]


def test_a_missing_scope_says_which_to_add(standin, client, caplog):
    standin.fail_next("conversations.list", status=200, error="missing_scope", n=2)
    with pytest.raises(ConfigError, match="missing_scope.*channels:read and groups:read"):
        channel_ids(client, Channels())

    services = services_for(standin, Channels())
    with caplog.at_level(logging.ERROR, logger="bot.channels"):
        use_channel_ids(services)
    assert services.settings.channels == Channels()
    assert "channels:read and groups:read" in caplog.text


def test_when_slack_does_not_answer_the_names_are_kept(caplog):
    nobody = "http://127.0.0.1:9/api/"  # the discard port: nothing listens there
    services = SimpleNamespace(
        slack=WebClient(token=TOKEN, base_url=nobody), settings=settings_from_dict({})
    )
    with caplog.at_level(logging.WARNING, logger="bot.channels"):
        use_channel_ids(services)

    assert services.settings.channels == Channels()
    assert "Slack did not answer; channels stay named as configured" in caplog.text

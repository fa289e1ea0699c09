"""The configured channels, by id: ``[channels]`` may name them (``bulletins``,
``#equipe-programme``), but file uploads and the search for a message in doubt take only
ids, and an id still holds when a channel is renamed. Names are looked up once, when a
process that posts starts, among the channels the bot can see."""

from __future__ import annotations

import dataclasses
import logging
import re

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.bootstrap import Services
from bulletins.config import Channels
from bulletins.errors import ConfigError

log = logging.getLogger(__name__)

CHANNEL_ID = re.compile(r"[CGD][A-Z0-9]+")  # Slack's names are lower case
PAGE = 200  # channels per conversations.list page (Slack's advice: at most 200)


def channel_ids(client: WebClient, channels: Channels) -> tuple[Channels, list[str]]:
    """``channels`` with each name replaced by its channel's id, and the keys (``digest``,
    ``staff``…) of the names the bot cannot see (a typo, a private channel it was not
    invited to, an archived one), which stay as they were. Raise ``ConfigError`` when
    Slack will not list the channels."""
    wanted = {
        purpose: value.lstrip("#").lower()
        for purpose, value in dataclasses.asdict(channels).items()
        if not CHANNEL_ID.fullmatch(value)
    }
    if not wanted:
        return channels, []
    found = _find(client, set(wanted.values()))
    unseen = [purpose for purpose, name in wanted.items() if name not in found]
    ids = {purpose: found[name] for purpose, name in wanted.items() if name in found}
    return dataclasses.replace(channels, **ids), unseen


def _find(client: WebClient, names: set[str]) -> dict[str, str]:
    """The ids of the channels called ``names`` among those the bot can see."""
    found: dict[str, str] = {}
    try:
        pages = client.conversations_list(
            types="public_channel,private_channel", exclude_archived=True, limit=PAGE
        )
        for page in pages:  # slack_sdk follows the cursor from page to page
            for channel in page.get("channels", []):
                if channel.get("name") in names:
                    found[channel["name"]] = channel["id"]
            if len(found) == len(names):
                break
    except SlackApiError as error:
        reason = error.response.get("error")
        advice = " (add channels:read and groups:read, see manifest.yml)"
        raise ConfigError(
            f"[channels]: Slack would not list the channels to find {sorted(names)} "
            f"({reason}){advice if reason == 'missing_scope' else ''}; or give their ids (C…)"
        ) from None
    return found


def use_channel_ids(services: Services) -> None:
    """Look up the configured channel names once, for the jobs that post. A channel that
    cannot be found is said in the log, and the jobs go on: what they post there fails
    and is listed by ``bulletins outbox --failed`` and in the staff's Home tab, while
    reminders and surveys, in direct messages, still go out."""
    try:
        channels, unseen = channel_ids(services.slack, services.settings.channels)
    except ConfigError as error:
        log.error("%s", error)
        return
    except OSError as error:  # urllib's URLError, a refused or timed-out connection
        log.warning("Slack did not answer; channels stay named as configured (%s)", error)
        return
    for purpose in unseen:
        log.error(
            "[channels] %s = %r: no channel of that name that the bot can see. Give the "
            "channel's id (C…, in its details in Slack), or invite the bot to it when it is "
            "private.",
            purpose,
            getattr(channels, purpose),
        )
    if channels != services.settings.channels:
        log.info("channels: %s", dataclasses.asdict(channels))
        services.settings = dataclasses.replace(services.settings, channels=channels)

"""The Slack app asks for the scopes the code uses, and no others (least privilege)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The bot scopes each Web API method the app calls needs (https://api.slack.com/methods).
METHOD_SCOPES = {
    "chat_postMessage": {"chat:write"},
    "chat_update": {"chat:write"},
    "chat_getPermalink": set(),
    "conversations_open": {"im:write", "mpim:write"},  # a DM, and "I can help"'s group DM
    "conversations_info": {"channels:read", "groups:read"},
    "conversations_list": {"channels:read", "groups:read"},
    "conversations_history": {"channels:history", "groups:history", "im:history", "mpim:history"},
    "conversations_replies": {"channels:history", "groups:history", "im:history", "mpim:history"},
    "files_upload_v2": {"files:write"},
    "files_list": {"files:read"},
    "users_info": {"users:read"},
    "views_open": set(),
    "views_push": set(),
    "views_update": set(),
    "views_publish": set(),
}
SLASH_COMMANDS = {"commands"}


def called_methods() -> set[str]:
    calls = set()
    for path in (ROOT / "bot").rglob("*.py"):
        if "standin" in path.parts or "demo" in path.parts:
            continue  # the local Slack itself, and the demo that drives it
        calls |= set(re.findall(r"\.((?:chat|conversations|files|users|views)_\w+)\(",
                                path.read_text(encoding="utf-8")))  # fmt: skip
    return calls


def manifest_scopes() -> dict[str, str]:
    """Each bot scope of manifest.yml, with the comment that says why."""
    text = (ROOT / "manifest.yml").read_text(encoding="utf-8")
    bot = text.split("    bot:\n", 1)[1].split("\nsettings:", 1)[0]
    return dict(re.findall(r"^      - ([\w:.]+)(?:  # (.*))?$", bot, flags=re.MULTILINE))


def test_every_method_called_is_known_here():
    assert called_methods() - METHOD_SCOPES.keys() == set()


def test_the_manifest_asks_exactly_the_scopes_the_code_needs_each_with_its_reason():
    needed = set(SLASH_COMMANDS).union(*(METHOD_SCOPES[m] for m in called_methods()))
    scopes = manifest_scopes()
    assert set(scopes) == needed
    assert [scope for scope, why in scopes.items() if not why] == []

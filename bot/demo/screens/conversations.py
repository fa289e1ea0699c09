"""Rebuild what people saw from the stand-in's recorded calls: conversations with their
threads (edits applied, files shared in them), Home tabs and opened modals.

Only successful calls count: a message Slack refused was never seen.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from bot.standin.web_api import Call


@dataclass(frozen=True)
class SharedFile:
    """A file uploaded with files_upload_v2 (its content is the stand-in's to give)."""

    id: str
    name: str
    title: str
    alt: str = ""


@dataclass
class Posted:
    """A message as it stands after every edit, with its thread replies."""

    channel: str
    ts: str
    text: str
    blocks: list[dict[str, Any]]
    index: int  # position of the posting call among the calls given
    edited: bool = False
    replies: list[Posted] = field(default_factory=list)
    files: list[SharedFile] = field(default_factory=list)  # a file shared, shown as a message


@dataclass(frozen=True)
class Conversation:
    """A channel or a direct message: its id and its top-level messages, oldest first."""

    channel: str
    messages: tuple[Posted, ...]


def conversations(calls: Iterable[Call]) -> list[Conversation]:
    """Every conversation the bot posted in, in order of first message."""
    by_key: dict[tuple[str, str], Posted] = {}
    top: dict[str, list[Posted]] = {}
    alts: dict[str, str] = {}
    for index, call in enumerate(calls):
        if not call.ok:
            continue
        if call.method == "chat.postMessage":
            _post(call, index, by_key, top)
        elif call.method == "chat.update":
            _update(call, by_key)
        elif call.method == "files.getUploadURLExternal":
            alts[call.response["file_id"]] = call.args.get("alt_txt") or ""
        elif call.method == "files.completeUploadExternal":
            _share(call, index, alts, by_key, top)
    return [Conversation(channel, tuple(messages)) for channel, messages in top.items()]


def _post(
    call: Call, index: int, by_key: dict[tuple[str, str], Posted], top: dict[str, list[Posted]]
) -> None:
    channel, ts = call.response["channel"], call.response["ts"]
    posted = Posted(channel, ts, call.args.get("text", ""), call.args.get("blocks") or [], index)
    by_key[(channel, ts)] = posted
    parent = by_key.get((channel, call.args.get("thread_ts") or ""))
    if parent is not None:
        parent.replies.append(posted)
    else:
        top.setdefault(channel, []).append(posted)


def _share(
    call: Call,
    index: int,
    alts: dict[str, str],
    by_key: dict[tuple[str, str], Posted],
    top: dict[str, list[Posted]],
) -> None:
    """Each file completed in a channel, as a message of its own (in its thread, if any)."""
    for item in call.response.get("files", []):
        for channel in item.get("channels", []) + item.get("ims", []) + item.get("groups", []):
            title = item.get("title") or item["name"]
            shared = SharedFile(item["id"], item["name"], title, alts.get(item["id"], ""))
            posted = Posted(channel, "", "", [], index, files=[shared])
            parent = by_key.get((channel, call.args.get("thread_ts") or ""))
            if parent is not None:
                parent.replies.append(posted)
            else:
                top.setdefault(channel, []).append(posted)


def _update(call: Call, by_key: dict[tuple[str, str], Posted]) -> None:
    posted = by_key.get((call.response.get("channel", ""), call.args.get("ts", "")))
    if posted is not None:
        posted.text = call.args.get("text", posted.text)
        posted.blocks = call.args.get("blocks") or posted.blocks
        posted.edited = True


def home_tabs(calls: Iterable[Call]) -> dict[str, dict[str, Any]]:
    """The last Home tab published for each user, by user id."""
    homes: dict[str, dict[str, Any]] = {}
    for call in calls:
        if call.ok and call.method == "views.publish":
            homes[call.args["user_id"]] = call.args["view"]
    return homes


def opened_views(calls: Iterable[Call], callback_id: str) -> list[dict[str, Any]]:
    """The modals opened or pushed with ``callback_id``, in order."""
    return [
        call.args["view"]
        for call in calls
        if call.ok
        and call.method in ("views.open", "views.push")
        and call.args["view"].get("callback_id") == callback_id
    ]

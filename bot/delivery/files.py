"""Uploading the outbox's files to Slack, and finding an upload in doubt.

A file goes out through ``files_upload_v2`` (files.getUploadURLExternal, the upload, then
files.completeUploadExternal), which needs a channel id. Slack answers with the file, not a
message: the outbox records the file's id (``F…``) where a message's ``ts`` would be.
Looking for an upload in doubt needs the ``files:read`` scope.
"""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bulletins.outbox.files import FileUpload

# How many of the channel's latest files are searched for an upload in doubt.
_RECENT_FILES = 100
# Answers meaning the lookup will never work here: the file is uploaded again instead.
_CANNOT_LIST = frozenset({"missing_scope", "not_allowed_token_type", "unknown_method"})


def upload_file(
    slack: WebClient, channel: str, thread_ts: str | None, payload: dict
) -> tuple[str, str]:
    """Upload the outbox ``payload``'s file to ``channel`` (in a thread when ``thread_ts``);
    returns (channel, file id)."""
    upload = FileUpload.from_json(payload)
    response = slack.files_upload_v2(
        channel=channel,
        content=upload.content,
        filename=upload.filename,
        title=upload.title,
        alt_txt=upload.alt_text,
        thread_ts=thread_ts,
    )
    found = response.get("file") or response["files"][0]
    return channel, found["id"]


def find_uploaded(slack: WebClient, channel: str, filename: str) -> tuple[str, str] | None:
    """(channel, file id) of a file called ``filename`` among the channel's latest, if
    any: outbox file names derive from their keys, so the name identifies the upload."""
    try:
        response = slack.files_list(channel=channel, count=_RECENT_FILES)
    except SlackApiError as error:
        if error.response.get("error") in _CANNOT_LIST:
            return None
        raise
    for item in response.get("files") or []:
        if item.get("name") == filename:
            return channel, item["id"]
    return None

"""Files in the outbox: a chart to upload, keyed like any message, in a message's thread.

An outbox row of kind ``file`` carries ``{"text": title, "file": {filename, title,
content (base64), alt_text}}``; the Slack adapter uploads it (``bot.delivery.files``).
The file name derives from the key, so it is unique: after a crash between the upload and
its record, the adapter looks for that name among the channel's files before uploading
again.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime

from slugify import slugify
from sqlalchemy.orm import Session

from bulletins import outbox
from bulletins.db.models import OutboxMessage
from bulletins.messages import Message

FILE_KIND = "file"


@dataclass(frozen=True)
class FileUpload:
    filename: str
    title: str
    content: bytes
    alt_text: str | None = None

    def to_json(self) -> dict:
        return {
            "text": self.title,
            "file": {
                "filename": self.filename,
                "title": self.title,
                "content": base64.b64encode(self.content).decode("ascii"),
                "alt_text": self.alt_text,
            },
        }

    @classmethod
    def from_json(cls, payload: dict) -> FileUpload:
        data = payload["file"]
        return cls(
            filename=data["filename"],
            title=data["title"],
            content=base64.b64decode(data["content"]),
            alt_text=data.get("alt_text"),
        )


def is_file(payload: dict) -> bool:
    """Whether an outbox payload is a file to upload rather than a message to post."""
    return isinstance(payload.get("file"), dict)


def filename_for(key: str, extension: str) -> str:
    """A file name unique to the outbox ``key``, accents transliterated:
    ``monthly:2026-03:mood`` → ``monthly-2026-03-mood.png``, ``snapshot:EIG démo:2026-07``
    → ``snapshot-EIG-demo-2026-07.html``."""
    return f"{slugify(key, lowercase=False)}.{extension}"


def enqueue_file(
    session: Session,
    *,
    key: str,
    channel: str,
    upload: FileUpload,
    now: datetime,
    thread_of: str | None = None,
) -> OutboxMessage | None:
    """Add a file to upload unless ``key`` exists; returns the new row, or None.

    ``channel`` must be a channel id (``C…``): Slack's file uploads take no names.
    """
    row = outbox.enqueue(
        session,
        key=key,
        kind=FILE_KIND,
        channel=channel,
        message=Message(text=upload.title),
        now=now,
        thread_of=thread_of,
    )
    if row is not None:
        row.payload = upload.to_json()
        session.flush()
    return row

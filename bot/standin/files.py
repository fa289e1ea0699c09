"""Files: files.getUploadURLExternal, the upload URL, files.completeUploadExternal, files.list."""

from __future__ import annotations

import mimetypes
from dataclasses import replace
from typing import Any

from .faults import Faults
from .model import Args, Handler, Reply, SlackError, UploadedFile, invalid_arguments
from .state import StandInState


class Files:
    """Method handlers for the upload flow of files_upload_v2, and its upload URL."""

    def __init__(self, state: StandInState, faults: Faults) -> None:
        self._state = state
        self._faults = faults
        self._files: dict[str, UploadedFile] = {}

    def handlers(self) -> dict[str, Handler]:
        """The Web API methods served here, by name."""
        return {
            "files.getUploadURLExternal": self._files_get_upload_url,
            "files.completeUploadExternal": self._files_complete_upload,
            "files.list": self._files_list,
        }

    def copies(self) -> dict[str, UploadedFile]:
        """Copies of the files created here, by id."""
        with self._state.lock:
            return {k: replace(v) for k, v in self._files.items()}

    def serve_upload(self, file_id: str, body: bytes) -> Reply:
        """Answer a POST of a file's content to its upload URL, and record it."""
        args = {"file_id": file_id, "size": len(body)}
        fault = self._faults.take_fault("file_upload")
        reply = fault.reply() if fault is not None else None
        if reply is None:
            upload = self._files.get(file_id)
            if upload is None or upload.completed:
                reply = Reply(404, "Not Found")
            else:
                upload.content = body
                reply = Reply(200, f"OK - {len(body)}")
        return self._state.record("file_upload", args, reply)

    def _files_get_upload_url(self, args: Args) -> dict[str, Any]:
        try:
            length = int(args["length"])
        except (TypeError, ValueError) as exc:
            raise invalid_arguments("length must be an integer [json-pointer:/length]") from exc
        file_id = f"F{next(self._state.seq):010d}"
        self._files[file_id] = UploadedFile(file_id, str(args["filename"]), length)
        return {"upload_url": f"{self._state.root_url}upload/v1/{file_id}", "file_id": file_id}

    def _files_complete_upload(self, args: Args) -> dict[str, Any]:
        entries = args["files"]
        if not isinstance(entries, list) or not all(
            isinstance(e, dict) and e.get("id") for e in entries
        ):
            raise invalid_arguments(
                "files must be an array of objects with an id [json-pointer:/files]"
            )
        uploads = [self._files.get(e["id"]) for e in entries]
        if any(u is None or u.content is None or u.completed for u in uploads):
            raise SlackError("file_not_found")
        targets = [
            c for c in [args.get("channel_id"), *str(args.get("channels") or "").split(",")] if c
        ]
        channels = [self._state.resolve_channel(c) for c in targets]
        return {
            "files": [
                self._complete(u, e, channels, args) for u, e in zip(uploads, entries, strict=True)
            ]
        }

    def _complete(
        self, upload: UploadedFile | None, entry: dict[str, Any], channels: list[str], args: Args
    ) -> dict:
        assert upload is not None and upload.content is not None
        upload.title = entry.get("title") or upload.filename
        upload.channels = channels
        upload.initial_comment = args.get("initial_comment")
        upload.thread_ts = args.get("thread_ts")
        upload.completed = True
        return self._file_object(upload)

    def _files_list(self, args: Args) -> dict[str, Any]:
        """Completed uploads, newest first; only those shared in ``channel`` when given."""
        channel = self._state.resolve_channel(args["channel"]) if args.get("channel") else None
        try:
            count = int(args.get("count") or 100)
        except (TypeError, ValueError) as exc:
            raise invalid_arguments("count must be an integer [json-pointer:/count]") from exc
        found = [
            u
            for u in reversed(self._files.values())
            if u.completed and (channel is None or channel in u.channels)
        ]
        paging = {"count": count, "total": len(found), "page": 1, "pages": 1}
        return {"files": [self._file_object(u) for u in found[:count]], "paging": paging}

    def _file_object(self, upload: UploadedFile) -> dict[str, Any]:
        assert upload.content is not None
        channels = upload.channels
        return {
            "id": upload.id,
            "name": upload.filename,
            "title": upload.title,
            "mimetype": mimetypes.guess_type(upload.filename)[0] or "application/octet-stream",
            "size": len(upload.content),
            "user": self._state.bot_user_id,
            "channels": [c for c in channels if c[0] == "C"],
            "ims": [c for c in channels if c[0] == "D"],
            "groups": [c for c in channels if c[0] == "G"],
        }

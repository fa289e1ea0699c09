"""Response URLs: issued by the stand-in, posted to by the app, recorded as calls."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from .faults import Faults
from .model import Reply, SlackError
from .state import StandInState

RESPONSE_URL_TTL = 30 * 60.0
RESPONSE_URL_MAX_USES = 5


@dataclass
class Hook:
    """An issued response URL: when, on the stand-in's clock, and how often used."""

    issued_at: float
    uses: int = 0


class ResponseUrls:
    """Issue response URLs and answer POSTs to them as Slack does."""

    def __init__(self, state: StandInState, faults: Faults) -> None:
        self._state = state
        self._faults = faults
        self._hooks: dict[str, Hook] = {}

    def new_response_url(self) -> str:
        """Issue a response_url here; POSTs to it are recorded as ``response_url`` calls."""
        with self._state.lock:
            hook_id = uuid.uuid4().hex
            self._hooks[hook_id] = Hook(self._state.clock())
            return f"{self._state.root_url}response/{hook_id}"

    def serve(self, hook_id: str, body: bytes) -> Reply:
        """Answer a POST to the response URL ``hook_id``, and record it."""
        try:
            args = json.loads(body or b"{}")
        except ValueError:
            args = {"_raw": body.decode("utf-8", "replace")}
        fault = self._faults.take_fault("response_url")
        reply = fault.reply() if fault is not None else None
        if reply is None:
            try:
                self._use_hook(hook_id)
                self._check_body(args)
                reply = Reply(200, {"ok": True})
            except SlackError as exc:
                reply = exc.reply()
        return self._state.record("response_url", args, reply)

    def _use_hook(self, hook_id: str) -> None:
        hook = self._hooks.get(hook_id)
        if hook is None or self._state.clock() - hook.issued_at > RESPONSE_URL_TTL:
            raise SlackError("expired_url", status=404)
        if hook.uses >= RESPONSE_URL_MAX_USES:
            raise SlackError("used_url", status=404)
        hook.uses += 1

    def _check_body(self, args: Any) -> None:
        if not isinstance(args, dict) or "_raw" in args:
            raise SlackError("invalid_payload", status=400)
        if args.get("delete_original"):
            return
        blocks = self._state.checked_blocks(args)
        if not args.get("text") and not blocks:
            raise SlackError("no_text", status=400)

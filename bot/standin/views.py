"""Views and trigger ids: views.open, views.push, views.update and views.publish."""

from __future__ import annotations

import json
import uuid
from typing import Any

from .blockkit import BlockKitError, check_view
from .model import Args, Handler, SlackError, invalid_arguments
from .state import StandInState

TRIGGER_TTL = 3.0


class Views:
    """Issue trigger ids; open, push, update and publish checked views."""

    def __init__(self, state: StandInState) -> None:
        self._state = state
        self._triggers: dict[str, float] = {}  # trigger id -> issued at
        self._views: dict[str, dict[str, Any]] = {}
        self._home_views: dict[str, str] = {}  # user id -> view id

    def handlers(self) -> dict[str, Handler]:
        """The Web API methods served here, by name."""
        return {
            "views.open": self._views_open,
            "views.push": self._views_push,
            "views.update": self._views_update,
            "views.publish": self._views_publish,
        }

    def new_trigger_id(self) -> str:
        """Issue a single-use trigger id valid for 3 seconds of the stand-in's clock."""
        state = self._state
        with state.lock:
            trigger_id = f"{next(state.seq)}.{state.team_id[1:]}.{uuid.uuid4().hex}"
            self._triggers[trigger_id] = state.clock()
            return trigger_id

    def view(self, view_id: str) -> dict[str, Any]:
        """The current state of a view opened, pushed, updated or published here."""
        with self._state.lock:
            view = json.loads(json.dumps(self._views[view_id]))
        view.pop("_seq", None)
        return view

    def last_view(self, callback_id: str | None = None) -> dict[str, Any]:
        """The latest stored view (optionally with this callback_id), as Slack would send it."""
        with self._state.lock:
            views = [v for v in self._views.values() if callback_id in (None, v.get("callback_id"))]
            if not views:
                raise LookupError(f"no view with callback_id {callback_id!r}")
            latest = max(views, key=lambda v: v["_seq"])
            return self.view(latest["id"])

    def _use_trigger(self, trigger_id: str) -> None:
        issued_at = self._triggers.get(trigger_id)
        if issued_at is None:
            raise SlackError("invalid_trigger_id")
        if self._state.clock() - issued_at >= TRIGGER_TTL:
            raise SlackError("expired_trigger_id")
        del self._triggers[trigger_id]

    def _views_open(self, args: Args) -> dict[str, Any]:
        view = self._checked_modal(args)
        self._use_trigger(args["trigger_id"])
        return {"view": self._store_view(view)}

    def _views_push(self, args: Args) -> dict[str, Any]:
        view = self._checked_modal(args)
        self._use_trigger(args["trigger_id"])
        return {"view": self._store_view(view)}

    def _checked_modal(self, args: Args) -> dict[str, Any]:
        view = _checked_view(args)
        if view["type"] != "modal":
            raise invalid_arguments("type must be modal [json-pointer:/view/type]")
        self._check_external_id(view, None)
        return view

    def _views_update(self, args: Args) -> dict[str, Any]:
        if args.get("view_id"):
            existing = self._views.get(args["view_id"])
        elif args.get("external_id"):
            existing = next(
                (v for v in self._views.values() if v.get("external_id") == args["external_id"]),
                None,
            )
        else:
            raise invalid_arguments("missing required field: view_id or external_id")
        if existing is None:
            raise SlackError("not_found")
        if args.get("hash") and args["hash"] != existing["hash"]:
            raise SlackError("hash_conflict")
        view = _checked_view(args)
        self._check_external_id(view, existing["id"])
        return {"view": self._store_view(view, existing)}

    def _views_publish(self, args: Args) -> dict[str, Any]:
        user_id = args["user_id"]
        if user_id not in self._state.users and self._state.strict_channels:
            raise SlackError("user_not_found")
        view = _checked_view(args)
        if view["type"] != "home":
            raise invalid_arguments("type must be home [json-pointer:/view/type]")
        existing = self._views.get(self._home_views.get(user_id, ""))
        if existing is not None and args.get("hash") and args["hash"] != existing["hash"]:
            raise SlackError("hash_conflict")
        stored = self._store_view(view, existing)
        self._home_views[user_id] = stored["id"]
        return {"view": stored}

    def _check_external_id(self, view: dict[str, Any], own_id: str | None) -> None:
        external_id = view.get("external_id")
        if external_id and any(
            v.get("external_id") == external_id and v["id"] != own_id for v in self._views.values()
        ):
            raise SlackError("duplicate_external_id")

    def _store_view(
        self, view: dict[str, Any], existing: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        state = self._state
        view_id = existing["id"] if existing else f"V{next(state.seq):010d}"
        stored = {
            "id": view_id,
            "team_id": state.team_id,
            "type": view["type"],
            "blocks": view["blocks"],
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""),
            "state": {"values": {}},
            "hash": f"{next(state.seq)}.{uuid.uuid4().hex[:8]}",
            "title": view.get("title"),
            "clear_on_close": bool(view.get("clear_on_close", False)),
            "notify_on_close": bool(view.get("notify_on_close", False)),
            "close": view.get("close"),
            "submit": view.get("submit"),
            "previous_view_id": None,
            "root_view_id": existing["root_view_id"] if existing else view_id,
            "app_id": state.app_id,
            "external_id": view.get("external_id", ""),
            "app_installed_team_id": state.team_id,
            "bot_id": state.bot_id,
        }
        self._views[view_id] = {**stored, "_seq": next(state.seq)}  # "_seq" orders last_view
        return stored


def _checked_view(args: Args) -> dict[str, Any]:
    view = args["view"]
    if isinstance(view, str):
        raise invalid_arguments("view must be a JSON object [json-pointer:/view]")
    try:
        check_view(view)
    except BlockKitError as exc:
        raise invalid_arguments(str(exc)) from exc
    return view

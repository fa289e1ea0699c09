"""Build the interaction pieces Slack sends: state values and block action entries."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from typing import Any

StateValues = dict[str, dict[str, dict[str, Any]]]

_VALUE_TYPES = frozenset(
    {"plain_text_input", "number_input", "email_text_input", "url_text_input", "rich_text_input"}
)
_SINGLE_OPTION_TYPES = frozenset({"static_select", "radio_buttons", "external_select", "overflow"})
_MULTI_OPTION_TYPES = frozenset({"multi_static_select", "checkboxes", "multi_external_select"})
_SELECTED_KEYS = {
    "datepicker": "selected_date",
    "timepicker": "selected_time",
    "users_select": "selected_user",
    "multi_users_select": "selected_users",
    "conversations_select": "selected_conversation",
    "multi_conversations_select": "selected_conversations",
    "channels_select": "selected_channel",
    "multi_channels_select": "selected_channels",
}


def iter_elements(blocks: list[dict[str, Any]]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield ``(block_id, element)`` for every interactive element in ``blocks``."""
    for block in blocks:
        block_id = block.get("block_id", "")
        if isinstance(block.get("element"), dict):
            yield block_id, block["element"]
        if isinstance(block.get("accessory"), dict):
            yield block_id, block["accessory"]
        if block.get("type") == "actions":
            for element in block.get("elements", []):
                yield block_id, element


def find_element(
    blocks: list[dict[str, Any]], action_id: str, block_id: str | None = None
) -> tuple[str, dict[str, Any]] | None:
    """The ``(block_id, element)`` with this action_id (and block_id, if given), or None."""
    for found_block_id, element in iter_elements(blocks):
        if element.get("action_id") == action_id and block_id in (None, found_block_id):
            return found_block_id, element
    return None


def element_state(element: dict[str, Any], value: Any) -> dict[str, Any]:
    """Slack's state entry for ``element`` holding the plain Python ``value``."""
    kind = element.get("type", "plain_text_input")
    if kind in _VALUE_TYPES:
        return {"type": kind, "value": None if value is None else str(value)}
    if kind in _SINGLE_OPTION_TYPES:
        return {"type": kind, "selected_option": _option(element, value)}
    if kind in _MULTI_OPTION_TYPES:
        return {"type": kind, "selected_options": [_option(element, v) for v in value or []]}
    if kind in _SELECTED_KEYS:
        if isinstance(value, dt.date | dt.time):
            value = value.isoformat()[:5] if isinstance(value, dt.time) else value.isoformat()
        return {"type": kind, _SELECTED_KEYS[kind]: value}
    raise ValueError(f"unsupported element type {kind!r}")


def state_values(view: dict[str, Any], simple: dict[str, dict[str, Any]]) -> StateValues:
    """Turn ``{block_id: {action_id: python value}}`` into Slack's ``view.state.values`` shape."""
    values: StateValues = {}
    for block_id, actions in simple.items():
        for action_id, value in actions.items():
            found = find_element(view.get("blocks", []), action_id, block_id)
            if found is None:
                raise KeyError(f"no element {action_id!r} in block {block_id!r} of the view")
            values.setdefault(block_id, {})[action_id] = element_state(found[1], value)
    return values


def action_entry(element: dict[str, Any], block_id: str, value: Any) -> dict[str, Any]:
    """One item of a block_actions payload's ``actions`` list."""
    kind = element.get("type", "button")
    entry: dict[str, Any] = {
        "type": kind,
        "action_id": element.get("action_id", ""),
        "block_id": block_id,
        "action_ts": f"{time.time():.6f}",
    }
    if kind == "button":
        entry["text"] = element.get("text") or {"type": "plain_text", "text": entry["action_id"]}
        chosen = element.get("value") if value is None else value
        if chosen is not None:
            entry["value"] = chosen
        if "style" in element:
            entry["style"] = element["style"]
    else:
        state = element_state(element, value)
        state.pop("type")
        entry.update(state)
    return entry


def _option(element: dict[str, Any], value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    if isinstance(value, dict):
        return value
    options = list(element.get("options", []))
    for group in element.get("option_groups", []):
        options.extend(group.get("options", []))
    if not options and element.get("type", "").endswith("external_select"):
        return {"text": {"type": "plain_text", "text": str(value)}, "value": str(value)}
    for option in options:
        if option.get("value") == str(value):
            return option
    raise ValueError(f"no option with value {value!r} in {element.get('action_id')!r}")

"""Block Kit checks applied by the stand-in to `blocks` and `view` arguments.

The heavy lifting is done by ``slack_sdk.models``; this module adds the checks
those models skip (block count limits, raw text-object shapes, unknown block
types, duplicate ids) and turns every failure into a ``BlockKitError`` whose
message says what is wrong and where.
"""

from __future__ import annotations

from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_SECTION_FIELD_TEXT = 2000
MAX_SECTION_FIELDS = 10
# A confirmation dialog (an element's "confirm"): its texts and their longest lengths.
CONFIRM_TEXTS = {"title": 100, "text": 300, "confirm": 30, "deny": 30}
CONFIRM_STYLES = frozenset({"primary", "danger"})
TEXT_TYPES = frozenset({"plain_text", "mrkdwn"})
VIEW_TYPES = frozenset({"modal", "home"})


class BlockKitError(ValueError):
    """A Block Kit payload Slack would reject; the message says why."""


def check_blocks(blocks: Any, limit: int = MAX_MESSAGE_BLOCKS, pointer: str = "/blocks") -> None:
    """Raise ``BlockKitError`` unless ``blocks`` is a list Slack would accept."""
    if not isinstance(blocks, list):
        raise BlockKitError(f"must provide an array [json-pointer:{pointer}]")
    if len(blocks) > limit:
        raise BlockKitError(f"no more than {limit} items allowed [json-pointer:{pointer}]")
    seen_ids: set[str] = set()
    for index, raw in enumerate(blocks):
        where = f"{pointer}/{index}"
        _check_raw_block(raw, where)
        block_id = raw.get("block_id")
        if block_id is not None:
            if block_id in seen_ids:
                raise BlockKitError(
                    f"duplicate block_id {block_id!r} [json-pointer:{where}/block_id]"
                )
            seen_ids.add(block_id)
        _check_with_models(raw, where)


def check_view(view: Any, pointer: str = "/view") -> None:
    """Raise ``BlockKitError`` unless ``view`` is a modal or home view Slack would accept."""
    if not isinstance(view, dict):
        raise BlockKitError(f"must provide an object [json-pointer:{pointer}]")
    view_type = view.get("type")
    if view_type not in VIEW_TYPES:
        raise BlockKitError(
            f"type must be one of {sorted(VIEW_TYPES)} [json-pointer:{pointer}/type]"
        )
    if "blocks" not in view:
        raise BlockKitError(f"missing required field: blocks [json-pointer:{pointer}]")
    if view_type == "modal" and "title" not in view:
        raise BlockKitError(f"missing required field: title [json-pointer:{pointer}]")
    for key in ("title", "submit", "close"):
        if key in view:
            _check_text_object(view[key], f"{pointer}/{key}", plain_only=True)
    check_blocks(view["blocks"], MAX_VIEW_BLOCKS, f"{pointer}/blocks")
    has_input = any(b.get("type") == "input" for b in view["blocks"])
    if view_type == "modal" and has_input and "submit" not in view:
        raise BlockKitError(
            f"submit is required when an input block is present [json-pointer:{pointer}]"
        )
    try:
        # View.validate_json() only runs the view's own validators; to_dict()
        # also validates every nested block and element.
        View(**view).to_dict()
    except (SlackObjectFormationError, TypeError, ValueError, KeyError, AttributeError) as exc:
        raise BlockKitError(f"{exc} [json-pointer:{pointer}]") from exc


def _check_raw_block(raw: Any, where: str) -> None:
    if not isinstance(raw, dict) or not isinstance(raw.get("type"), str):
        raise BlockKitError(f"a block must be an object with a type [json-pointer:{where}]")
    kind = raw["type"]
    if kind == "section":
        _check_section(raw, where)
    elif kind == "header":
        _check_text_object(raw.get("text"), f"{where}/text", plain_only=True)
    elif kind == "input":
        _check_text_object(raw.get("label"), f"{where}/label", plain_only=True)
    elif kind == "actions":
        _check_actions(raw, where)
    elif kind == "image" and not (raw.get("image_url") or raw.get("slack_file")):
        raise BlockKitError(f"image_url or slack_file is required [json-pointer:{where}]")


def _check_section(raw: dict[str, Any], where: str) -> None:
    accessory = raw.get("accessory")
    if isinstance(accessory, dict) and "confirm" in accessory:
        _check_confirm(accessory["confirm"], f"{where}/accessory/confirm")
    if "text" in raw:
        _check_text_object(raw["text"], f"{where}/text", max_length=MAX_SECTION_TEXT)
    fields = raw.get("fields")
    if fields is not None:
        if not isinstance(fields, list) or len(fields) > MAX_SECTION_FIELDS:
            raise BlockKitError(
                f"fields must be an array of at most {MAX_SECTION_FIELDS} items "
                f"[json-pointer:{where}/fields]"
            )
        for index, field in enumerate(fields):
            _check_text_object(field, f"{where}/fields/{index}", max_length=MAX_SECTION_FIELD_TEXT)


def _check_actions(raw: dict[str, Any], where: str) -> None:
    elements = raw.get("elements")
    if not isinstance(elements, list) or not elements:
        raise BlockKitError(f"elements must be a non-empty array [json-pointer:{where}/elements]")
    seen: set[str] = set()
    for index, element in enumerate(elements):
        if not isinstance(element, dict):
            raise BlockKitError(
                f"an element must be an object [json-pointer:{where}/elements/{index}]"
            )
        if element.get("type") == "button":
            _check_text_object(
                element.get("text"), f"{where}/elements/{index}/text", plain_only=True
            )
        if "confirm" in element:
            _check_confirm(element["confirm"], f"{where}/elements/{index}/confirm")
        action_id = element.get("action_id")
        if action_id is not None and action_id in seen:
            raise BlockKitError(
                f"duplicate action_id {action_id!r} [json-pointer:{where}/elements/{index}]"
            )
        if action_id is not None:
            seen.add(action_id)


def _check_confirm(value: Any, where: str) -> None:
    """A confirmation dialog: a plain-text title, confirm and deny, a text (plain or mrkdwn),
    each within Slack's limits; a style, if any, "primary" or "danger"."""
    if not isinstance(value, dict):
        raise BlockKitError(f"must provide an object [json-pointer:{where}]")
    for key, limit in CONFIRM_TEXTS.items():
        if key not in value:
            raise BlockKitError(f"missing required field: {key} [json-pointer:{where}]")
        _check_text_object(value[key], f"{where}/{key}", plain_only=key != "text", max_length=limit)
    if "style" in value and value["style"] not in CONFIRM_STYLES:
        raise BlockKitError(
            f"style must be one of {sorted(CONFIRM_STYLES)} [json-pointer:{where}/style]"
        )


def _check_text_object(
    value: Any, where: str, *, plain_only: bool = False, max_length: int | None = None
) -> None:
    if not isinstance(value, dict):
        raise BlockKitError(f"must provide a text object [json-pointer:{where}]")
    allowed = {"plain_text"} if plain_only else TEXT_TYPES
    if value.get("type") not in allowed:
        raise BlockKitError(f"type must be one of {sorted(allowed)} [json-pointer:{where}/type]")
    text = value.get("text")
    if not isinstance(text, str) or not text:
        raise BlockKitError(f"text must be a non-empty string [json-pointer:{where}/text]")
    if max_length is not None and len(text) > max_length:
        raise BlockKitError(
            f"must be less than {max_length + 1} characters [json-pointer:{where}/text]"
        )


def _check_with_models(raw: dict[str, Any], where: str) -> None:
    try:
        block = Block.parse(raw)
        if block is None:  # slack_sdk only logs a warning for unknown types
            raise BlockKitError(
                f"unsupported block type {raw['type']!r} [json-pointer:{where}/type]"
            )
        # validate_json() is shallow; to_dict() validates nested elements too.
        block.validate_json()
        block.to_dict()
    except BlockKitError:
        raise
    except SlackObjectFormationError as exc:
        raise BlockKitError(f"{exc} [json-pointer:{where}]") from exc
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        # Missing required constructor arguments surface as TypeError.
        raise BlockKitError(f"invalid {raw['type']} block: {exc} [json-pointer:{where}]") from exc

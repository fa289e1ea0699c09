"""Block Kit blocks as HTML (looking like Slack) and as Markdown.

Covers what the product sends: header, section (text, fields, accessory), divider,
actions, context, image and input blocks; any other block shows as its type, so
nothing sent is silently dropped.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from bot.demo.screens.emoji import emojize
from bot.demo.screens.mrkdwn_parser import Names, md_escape, to_html, to_markdown

JsonBlock = dict[str, Any]


# --- Text objects --------------------------------------------------------------------------


def text_html(obj: Any, names: Names) -> str:
    """A text object (mrkdwn or plain_text) as HTML."""
    if not isinstance(obj, dict):
        return ""
    if obj.get("type") == "mrkdwn":
        return to_html(obj.get("text", ""), names)
    return html.escape(emojize(obj.get("text", "")))


def text_markdown(obj: Any, names: Names) -> str:
    if not isinstance(obj, dict):
        return ""
    if obj.get("type") == "mrkdwn":
        return to_markdown(obj.get("text", ""), names)
    return md_escape(emojize(obj.get("text", "")))


def _plain(obj: Any) -> str:
    return emojize(obj.get("text", "")) if isinstance(obj, dict) else ""


# --- Elements ------------------------------------------------------------------------------


def element_html(element: JsonBlock, names: Names) -> str:
    """A button, a menu, a date picker, an input or an image, as Slack draws it."""
    kind = element.get("type", "")
    if kind == "button":
        style = {"primary": " bk-primary", "danger": " bk-danger"}.get(element.get("style"), "")
        return f'<span class="bk-button{style}">{html.escape(_plain(element.get("text")))}</span>'
    if kind == "image":
        return f'<span class="bk-image">🖼 {html.escape(element.get("alt_text", ""))}</span>'
    if kind in ("mrkdwn", "plain_text"):
        return f'<span class="bk-context-text">{text_html(element, names)}</span>'
    return f'<span class="bk-field">{html.escape(_element_label(element))}</span>'


def element_markdown(element: JsonBlock, names: Names) -> str:
    kind = element.get("type", "")
    if kind == "button":
        return f"**[ {md_escape(_plain(element.get('text')))} ]**"
    if kind in ("mrkdwn", "plain_text"):
        return text_markdown(element, names)
    if kind == "image":
        return f"🖼 {md_escape(element.get('alt_text', ''))}"
    return f"[ {md_escape(_element_label(element)) or '…'} ]"


def _element_label(element: JsonBlock) -> str:
    """What an empty menu, picker or input shows: its initial value or placeholder."""
    initial = element.get("initial_option") or {}
    for value in (
        _plain(initial.get("text")),
        element.get("initial_value"),
        element.get("initial_date"),
        _plain(element.get("placeholder")),
    ):
        if value:
            return str(value)
    options = element.get("options") or []
    if element.get("type") == "radio_buttons" and options:
        return " / ".join(_plain(option.get("text")) for option in options)
    return ""  # an empty field, as Slack draws it


# --- Blocks --------------------------------------------------------------------------------


def _section_html(block: JsonBlock, names: Names) -> str:
    parts = [f'<div class="bk-text">{text_html(block.get("text"), names)}</div>']
    fields = block.get("fields") or []
    if fields:
        cells = "".join(f'<div class="bk-cell">{text_html(f, names)}</div>' for f in fields)
        parts.append(f'<div class="bk-fields">{cells}</div>')
    body = f'<div class="bk-section-body">{"".join(parts)}</div>'
    accessory = block.get("accessory")
    side = f'<div class="bk-accessory">{element_html(accessory, names)}</div>' if accessory else ""
    return f'<div class="bk-section">{body}{side}</div>'


def _input_html(block: JsonBlock, names: Names) -> str:
    label = html.escape(_plain(block.get("label")))
    hint = block.get("hint")
    hint_html = f'<div class="bk-hint">{html.escape(_plain(hint))}</div>' if hint else ""
    element = element_html(block.get("element") or {}, names)
    return f'<div class="bk-input"><label>{label}</label>{element}{hint_html}</div>'


def _elements_html(block: JsonBlock, names: Names, css: str) -> str:
    inner = " ".join(element_html(e, names) for e in block.get("elements") or [])
    return f'<div class="{css}">{inner}</div>'


_HTML: dict[str, Callable[[JsonBlock, Names], str]] = {
    "header": lambda b, n: f'<div class="bk-header">{html.escape(_plain(b.get("text")))}</div>',
    "section": _section_html,
    "divider": lambda b, n: '<hr class="bk-divider">',
    "actions": lambda b, n: _elements_html(b, n, "bk-actions"),
    "context": lambda b, n: _elements_html(b, n, "bk-context"),
    "image": lambda b, n: f'<div class="bk-image">🖼 {html.escape(b.get("alt_text", ""))}</div>',
    "input": _input_html,
}


def blocks_html(blocks: list[JsonBlock], names: Names) -> str:
    """Blocks as HTML, one ``div`` each; unknown kinds show their type."""
    rendered = []
    for block in blocks:
        render = _HTML.get(block.get("type", ""))
        if render is None:
            kind = html.escape(str(block.get("type")))
            rendered.append(f'<div class="bk-unknown">[{kind}]</div>')
        else:
            rendered.append(render(block, names))
    return "\n".join(rendered)


def _section_markdown(block: JsonBlock, names: Names) -> str:
    parts = [text_markdown(block.get("text"), names)]
    parts += [f"- {text_markdown(f, names)}" for f in block.get("fields") or []]
    if block.get("accessory"):
        parts.append(element_markdown(block["accessory"], names))
    return "\n\n".join(part for part in parts if part)


def _input_markdown(block: JsonBlock, names: Names) -> str:
    label = md_escape(_plain(block.get("label")))
    return f"**{label}**: {element_markdown(block.get('element') or {}, names)}"


_MARKDOWN: dict[str, Callable[[JsonBlock, Names], str]] = {
    "header": lambda b, n: f"### {md_escape(_plain(b.get('text')))}",
    "section": _section_markdown,
    "divider": lambda b, n: "---",
    "actions": lambda b, n: " ".join(element_markdown(e, n) for e in b.get("elements") or []),
    "context": lambda b, n: (
        "· " + " · ".join(element_markdown(e, n) for e in b.get("elements") or [])
    ),
    "image": lambda b, n: f"🖼 {md_escape(b.get('alt_text', ''))}",
    "input": _input_markdown,
}


def blocks_markdown(blocks: list[JsonBlock], names: Names) -> str:
    """Blocks as Markdown paragraphs."""
    rendered = []
    for block in blocks:
        render = _MARKDOWN.get(block.get("type", ""))
        rendered.append(render(block, names) if render else f"[{block.get('type')}]")
    return "\n\n".join(part for part in rendered if part)

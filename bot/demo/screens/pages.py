"""Whole pages: a conversation with its threads, a Home tab or a modal, and an index,
as standalone HTML (styled like Slack) and as Markdown.

Words shown around the messages (the app's name, "2 replies", "back") come from the
caller in ``Labels``, already translated.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from bot.demo.screens.blocks import blocks_html, blocks_markdown
from bot.demo.screens.conversations import Conversation, Posted, SharedFile
from bot.demo.screens.mrkdwn_parser import Names, md_escape, to_html, to_markdown

CSS = (Path(__file__).with_name("slack.css")).read_text(encoding="utf-8")


@dataclass(frozen=True)
class Labels:
    app: str  # the bot's name, as Slack shows it above its messages
    replies: Callable[[int], str]  # "1 reply", "2 replies"
    back: str  # the link back to the index
    when: Callable[[int], str]  # a call's index -> the moment shown beside a message
    lang: str = "fr"


Link = tuple[str, str, str | None]  # (label, relative href, href of the Markdown version)


class Section(NamedTuple):
    """A part of an index: its heading, its links and, optionally, a line saying what it is."""

    heading: str
    links: Sequence[Link]
    lead: str = ""
    more_label: str = ""  # "Direct messages:", then ``more`` on one line
    more: Sequence[Link] = ()


def page_html(
    title: str, body: str, labels: Labels, back_href: str | None = "../index.html"
) -> str:
    """A standalone HTML page; ``title`` and ``labels`` are text, escaped here."""
    back = ""
    if back_href:
        back = f'<nav><a href="{html.escape(back_href)}">← {html.escape(labels.back)}</a></nav>'
    return (
        f'<!doctype html>\n<html lang="{html.escape(labels.lang)}">\n<head>\n'
        f'<meta charset="utf-8">\n<meta name="viewport" content="width=device-width">\n'
        f"<title>{html.escape(title)}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n"
        f"{back}\n<main>\n<h1>{html.escape(title)}</h1>\n{body}\n"
        "</main>\n</body>\n</html>\n"
    )


# --- Conversations -------------------------------------------------------------------------


def message_html(message: Posted, names: Names, labels: Labels) -> str:
    """One message as Slack shows it: avatar, app name, time, blocks, then its thread.
    A shared file shows as its image, looked for beside the page under its name."""
    content = blocks_html(message.blocks, names) if message.blocks else to_html(message.text, names)
    content += "".join(_file_html(shared) for shared in message.files)
    meta = (
        f'<span class="author">{html.escape(labels.app)}</span><span class="app">APP</span>'
        f'<span class="time">{html.escape(labels.when(message.index))}</span>'
    )
    thread = ""
    if message.replies:
        replies = "\n".join(message_html(reply, names, labels) for reply in message.replies)
        count = html.escape(labels.replies(len(message.replies)))
        thread = f'<div class="thread"><div class="thread-count">{count}</div>{replies}</div>'
    return (
        f'<div class="msg"><div class="avatar">📝</div><div class="msg-body">'
        f'<div class="msg-meta">{meta}</div><div class="blocks">{content}</div>'
        f"{thread}</div></div>"
    )


def _file_html(shared: SharedFile) -> str:
    src, title = html.escape(shared.name, quote=True), html.escape(shared.title)
    alt = html.escape(shared.alt or shared.title, quote=True)
    return (
        f'<figure class="file"><figcaption>{title}</figcaption>'
        f'<a href="{src}"><img src="{src}" alt="{alt}"></a></figure>'
    )


def conversation_html(title: str, conversation: Conversation, names: Names, labels: Labels) -> str:
    body = "\n".join(message_html(m, names, labels) for m in conversation.messages)
    return page_html(title, f'<div class="channel">{body}</div>', labels)


def message_markdown(message: Posted, names: Names, labels: Labels) -> str:
    if message.blocks:
        content = blocks_markdown(message.blocks, names)
    else:
        content = to_markdown(message.text, names)
    for shared in message.files:
        image = f"![{md_escape(shared.alt or shared.title)}](<{shared.name}>)"
        content = "\n\n".join(
            part for part in (content, f"**{md_escape(shared.title)}**", image) if part
        )
    head = f"**{md_escape(labels.app)}** · {md_escape(labels.when(message.index))}"
    parts = [head, content]
    if message.replies:
        parts.append(f"↳ _{md_escape(labels.replies(len(message.replies)))}_")
        for reply in message.replies:
            nested = message_markdown(reply, names, labels)
            parts.append("\n".join(f"> {line}".rstrip() for line in nested.splitlines()))
    return "\n\n".join(parts)


def conversation_markdown(
    title: str, conversation: Conversation, names: Names, labels: Labels
) -> str:
    messages = [message_markdown(m, names, labels) for m in conversation.messages]
    return f"# {md_escape(title, line_start=False)}\n\n" + "\n\n---\n\n".join(messages) + "\n"


# --- Views (Home tab, modal) ---------------------------------------------------------------


def view_html(title: str, view: dict[str, Any], names: Names, labels: Labels) -> str:
    heading = view.get("title", {}).get("text") if isinstance(view.get("title"), dict) else None
    top = f'<div class="view-title">{html.escape(heading)}</div>' if heading else ""
    submit = view.get("submit")
    bottom = ""
    if isinstance(submit, dict):
        label = html.escape(submit.get("text", ""))
        bottom = f'<div class="view-submit"><span class="bk-button bk-primary">{label}</span></div>'
    blocks = blocks_html(view.get("blocks", []), names)
    css = "view view-" + html.escape(str(view.get("type", "home")))
    return page_html(title, f'<div class="{css}">{top}{blocks}{bottom}</div>', labels)


def view_markdown(title: str, view: dict[str, Any], names: Names) -> str:
    heading = md_escape(title, line_start=False)
    return f"# {heading}\n\n{blocks_markdown(view.get('blocks', []), names)}\n"


# --- Index ---------------------------------------------------------------------------------


def index_html(title: str, intro: str, sections: Sequence[Section], labels: Labels) -> str:
    """The page linking everything: one list of links per section, after its lead."""
    parts = [f'<p class="intro">{html.escape(intro)}</p>']
    for heading, links, lead, more_label, more in sections:
        items = "".join(f"<li>{_link_html(link)}</li>" for link in links)
        if more:
            inline = " · ".join(_link_html(link, markdown=False) for link in more)
            items += f"<li>{html.escape(more_label)} {inline}</li>"
        lead_html = f'<p class="lead">{html.escape(lead)}</p>' if lead else ""
        parts.append(f"<h2>{html.escape(heading)}</h2>\n{lead_html}<ul>{items}</ul>")
    return page_html(title, "\n".join(parts), labels, back_href=None)


def _link_html(link: Link, markdown: bool = True) -> str:
    label, href, md_href = link
    main = f'<a href="{html.escape(href, quote=True)}">{html.escape(label)}</a>'
    if md_href is None or not markdown:
        return main
    return f'{main} · <a class="md" href="{html.escape(md_href, quote=True)}">Markdown</a>'


def _link_markdown(link: Link) -> str:
    label, href, markdown = link
    main = f"[{md_escape(label)}](<{href}>)"
    return f"{main} · [Markdown](<{markdown}>)" if markdown else main


def index_markdown(title: str, intro: str, sections: Sequence[Section]) -> str:
    parts = [f"# {md_escape(title, line_start=False)}", md_escape(intro)]
    for heading, links, lead, more_label, more in sections:
        parts.append(f"## {md_escape(heading)}")
        if lead:
            parts.append(md_escape(lead))
        items = [f"- {_link_markdown(link)}" for link in links]
        if more:
            inline = " · ".join(f"[{md_escape(label)}](<{md or href}>)" for label, href, md in more)
            items.append(f"- {md_escape(more_label)} {inline}")
        parts.append("\n".join(items))
    return "\n\n".join(parts) + "\n"

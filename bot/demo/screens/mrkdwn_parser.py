"""Slack's mrkdwn read as Slack reads it, then written as HTML or Markdown.

Parsing follows Slack's rules: ``&amp;``, ``&lt;`` and ``&gt;`` are the only escapes and
display as ``&``, ``<`` and ``>``; ``<…>`` holds links, mentions and specials; ``*bold*``,
``_italic_`` and ``~strike~`` need a word boundary on their outer side and no space on
their inner side; nothing is formatted inside `` `code` `` or a ```` ``` ```` block;
a line starting with ``>`` (or ``&gt;``, as Slack stores a typed quote) is a quote, and
``>>>`` quotes the rest of the text.

The HTML output escapes every piece of text, and links only to http(s) and mailto
addresses, so no text can inject markup or script.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass

from bot.demo.screens.emoji import emojize

Names = Mapping[str, str]  # Slack user or channel id -> display name


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Styled:
    style: str  # "bold", "italic" or "strike"
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Code:
    text: str


@dataclass(frozen=True)
class Link:
    url: str
    label: str


@dataclass(frozen=True)
class Mention:
    kind: str  # "user", "channel", "group" or "special"
    target: str
    label: str | None = None


Inline = Text | Styled | Code | Link | Mention
Line = tuple[Inline, ...]


@dataclass(frozen=True)
class Paragraph:
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Quote:
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Preformatted:
    text: str


Block = Paragraph | Quote | Preformatted

_FENCE = re.compile(r"```(.*?)```", re.DOTALL)
_TOKEN = re.compile(r"`[^`\n]+`|<[^<>\n]*>")
_PRIVATE = re.compile("[\ue000-\uf8ff]")
_STYLES = {"*": "bold", "_": "italic", "~": "strike"}
_EMPHASIS = {
    char: re.compile(rf"(?<![\w{re.escape(char)}]){re.escape(char)}(?=\S)(.+?)(?<=\S)"
                     rf"{re.escape(char)}(?![\w{re.escape(char)}])")
    for char in _STYLES
}  # fmt: skip
_QUOTE = re.compile(r"^(?:>|&gt;)[ ]?")
_QUOTE_REST = re.compile(r"^(?:>>>|&gt;&gt;&gt;)[ ]?")
SAFE_SCHEMES = ("http://", "https://", "mailto:")


def unescape(text: str) -> str:
    """Slack's three escapes back to characters; ``&amp;`` last, so ``&amp;lt;`` is ``&lt;``."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


# --- Parsing -------------------------------------------------------------------------------


def parse(text: str) -> list[Block]:
    """The blocks of a mrkdwn text: paragraphs, quotes and preformatted code."""
    blocks: list[Block] = []
    position = 0
    for fence in _FENCE.finditer(text):
        blocks += _parse_lines(text[position : fence.start()])
        blocks.append(Preformatted(unescape(fence[1].strip("\n"))))
        position = fence.end()
    return blocks + _parse_lines(text[position:])


def _parse_lines(text: str) -> list[Block]:
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if _QUOTE_REST.match(line):
            rest = [_QUOTE_REST.sub("", line, count=1), *lines[index + 1 :]]
            return _group(lines[:index]) + [Quote(tuple(parse_inline(x) for x in rest))]
    return _group(lines)


def _group(lines: list[str]) -> list[Block]:
    """Runs of quoted lines make quotes; other runs, split at blank lines, paragraphs."""
    blocks: list[Block] = []
    run: list[str] = []
    quoted = False
    for line in [*lines, ""]:
        is_quote = bool(_QUOTE.match(line))
        if run and (is_quote != quoted or (not is_quote and not line.strip())):
            kind = Quote if quoted else Paragraph
            blocks.append(kind(tuple(parse_inline(x) for x in run)))
            run = []
        if is_quote:
            run.append(_QUOTE.sub("", line, count=1))
        elif line.strip():
            run.append(line)
        quoted = is_quote
    return blocks


def parse_inline(text: str) -> Line:
    """The inline pieces of one line of mrkdwn."""
    tokens: list[str] = []

    def protect(match: re.Match[str]) -> str:
        tokens.append(match[0])
        return chr(0xE000 + len(tokens) - 1)

    hidden = _TOKEN.sub(protect, _PRIVATE.sub("", text))
    return _emphasis(hidden, tokens)


def _emphasis(text: str, tokens: list[str]) -> Line:
    found = [(m.start(), char, m) for char, rx in _EMPHASIS.items() if (m := rx.search(text))]
    if not found:
        return _plain(text, tokens)
    _, char, match = min(found, key=lambda item: item[0])
    inner = _emphasis(match[1], tokens)
    before, after = text[: match.start()], text[match.end() :]
    return (
        *_plain(before, tokens),
        Styled(_STYLES[char], inner),
        *_emphasis(after, tokens),
    )


def _plain(text: str, tokens: list[str]) -> Line:
    pieces: list[Inline] = []
    for part in re.split("([\ue000-\uf8ff])", text):
        if not part:
            continue
        if _PRIVATE.fullmatch(part):
            pieces.append(_token(tokens[ord(part) - 0xE000]))
        else:
            pieces.append(Text(emojize(unescape(part))))
    return tuple(pieces)


def _token(token: str) -> Inline:
    if token.startswith("`"):
        return Code(unescape(token[1:-1]))
    target, _, label = token[1:-1].partition("|")
    label_text = unescape(label) if label else None
    if target.startswith("@"):
        return Mention("user", target[1:], label_text)
    if target.startswith("#"):
        return Mention("channel", target[1:], label_text)
    if target.startswith("!subteam^"):
        return Mention("group", target[len("!subteam^") :], label_text)
    if target.startswith("!date^"):
        return Text(label_text or "")
    if target.startswith("!"):
        return Mention("special", target[1:], label_text)
    return Link(unescape(target), label_text or unescape(target))


# --- HTML ----------------------------------------------------------------------------------


def to_html(text: str, names: Names | None = None) -> str:
    """mrkdwn as HTML: ``<p>``, ``<blockquote>``, ``<pre>`` and inline markup, escaped."""
    return "\n".join(_block_html(block, names or {}) for block in parse(text))


def _block_html(block: Block, names: Names) -> str:
    if isinstance(block, Preformatted):
        return f'<pre class="mrkdwn-pre">{html.escape(block.text)}</pre>'
    inner = "<br>".join(line_html(line, names) for line in block.lines)
    return f"<blockquote>{inner}</blockquote>" if isinstance(block, Quote) else f"<p>{inner}</p>"


def line_html(line: Line, names: Names) -> str:
    return "".join(_inline_html(piece, names) for piece in line)


def _inline_html(piece: Inline, names: Names) -> str:
    if isinstance(piece, Text):
        return html.escape(piece.text)
    if isinstance(piece, Styled):
        tag = {"bold": "strong", "italic": "em", "strike": "del"}[piece.style]
        return f"<{tag}>{line_html(piece.children, names)}</{tag}>"
    if isinstance(piece, Code):
        return f"<code>{html.escape(piece.text)}</code>"
    if isinstance(piece, Link):
        label = html.escape(piece.label)
        if not piece.url.lower().startswith(SAFE_SCHEMES):
            return label
        href = html.escape(piece.url, quote=True)
        return f'<a href="{href}" rel="noopener noreferrer">{label}</a>'
    return f'<span class="mention">{html.escape(mention_text(piece, names))}</span>'


def mention_text(mention: Mention, names: Names) -> str:
    """How Slack shows a mention: ``@Name``, ``#channel``, ``@here``."""
    if mention.kind == "special":
        return f"@{mention.target}"
    name = names.get(mention.target) or (mention.label or "").lstrip("@#") or mention.target
    return f"#{name}" if mention.kind == "channel" else f"@{name}"


# --- Markdown ------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_~\[\]<>|])")


def md_escape(text: str, line_start: bool = True) -> str:
    """Backslash the characters Markdown would read as markup (or HTML); a leading ``#``
    too when ``text`` may start a line, lest it make a heading."""
    escaped = _MD_SPECIAL.sub(r"\\\1", text)
    return "\\" + escaped if line_start and escaped.startswith("#") else escaped


def to_markdown(text: str, names: Names | None = None) -> str:
    """mrkdwn as Markdown (CommonMark with ``~~strike~~``), person's text escaped."""
    return "\n\n".join(_block_markdown(block, names or {}) for block in parse(text))


def _block_markdown(block: Block, names: Names) -> str:
    if isinstance(block, Preformatted):
        return f"```\n{block.text.replace('```', '` ` `')}\n```"
    lines = [line_markdown(line, names) for line in block.lines]
    if isinstance(block, Quote):
        return "\n".join(f"> {line}  " if line else ">" for line in lines).rstrip()
    return "  \n".join(lines)


def line_markdown(line: Line, names: Names) -> str:
    return "".join(_inline_markdown(piece, names) for piece in line)


def _inline_markdown(piece: Inline, names: Names) -> str:
    if isinstance(piece, Text):
        return md_escape(piece.text)
    if isinstance(piece, Styled):
        mark = {"bold": "**", "italic": "_", "strike": "~~"}[piece.style]
        return f"{mark}{line_markdown(piece.children, names)}{mark}"
    if isinstance(piece, Code):
        fence = "``" if "`" in piece.text else "`"
        return f"{fence}{piece.text}{fence}"
    if isinstance(piece, Link):
        if not piece.url.lower().startswith(SAFE_SCHEMES):
            return md_escape(piece.label)
        return f"[{md_escape(piece.label)}](<{piece.url.replace('>', '%3E')}>)"
    return f"**{md_escape(mention_text(piece, names))}**"

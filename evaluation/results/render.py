"""A campaign's results laid out for a terminal (:func:`as_table`) or as Markdown
(:func:`as_markdown`); the CSV export is ``evaluation.results.export``'s."""

from __future__ import annotations

import re

from evaluation.results.document import Block, Heading, Paragraph, Table, result_blocks
from evaluation.results.tally import CampaignResults

INDENT = "  "
_NUMERIC = re.compile(r"^[\d\s\u00a0\u202f.,%–-]+$")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~!&{}])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # a terminal would obey them
_MD_LINE_START = re.compile(r"^(\s*)([-+]|\d+)([.)]?)")


def as_table(results: CampaignResults, locale: str) -> str:
    """The results as plain text for a terminal, tables aligned."""
    lines: list[str] = []
    for block in result_blocks(results, locale):
        lines += _text_block(block)
    return "\n".join(lines).strip() + "\n"


def as_markdown(results: CampaignResults, locale: str) -> str:
    """The results as a Markdown document; text written by people is escaped."""
    parts = [_markdown_block(block) for block in result_blocks(results, locale)]
    return "\n\n".join(parts) + "\n"


def _text_block(block: Block) -> list[str]:
    if isinstance(block, Heading):
        if block.level == 3:
            return ["", block.text]
        underline = ("=" if block.level == 1 else "-") * len(block.text)
        return ["", block.text, underline]
    if isinstance(block, Paragraph):
        return [INDENT + block.text]
    if isinstance(block, Table):
        return [INDENT + line for line in aligned(block)]
    return [_text_item(text) for text in block.items]


def _text_item(text: str) -> str:
    lines = _CONTROL.sub("", text).splitlines() or [""]
    return "\n".join([f"{INDENT}- {lines[0]}", *(f"{INDENT}  {line}" for line in lines[1:])])


def aligned(table: Table) -> list[str]:
    """The table's rows under its header, in columns; figures right-aligned."""
    rows = [table.header, *table.rows]
    widths = [max(len(row[i]) for row in rows) for i in range(len(table.header))]
    lines = [_aligned_row(row, widths) for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return lines


def _aligned_row(row: tuple[str, ...], widths: list[int]) -> str:
    cells = [
        cell.rjust(width) if i and _NUMERIC.match(cell) else cell.ljust(width)
        for i, (cell, width) in enumerate(zip(row, widths, strict=True))
    ]
    return "  ".join(cells).rstrip()


def _markdown_block(block: Block) -> str:
    if isinstance(block, Heading):
        return f"{'#' * block.level} {md_escape(block.text)}"
    if isinstance(block, Paragraph):
        return md_escape(block.text)
    if isinstance(block, Table):
        rows = [block.header, *block.rows]
        lines = ["| " + " | ".join(_md_cell(cell) for cell in row) + " |" for row in rows]
        lines.insert(1, "|" + "|".join(" --- " for _ in block.header) + "|")
        return "\n".join(lines)
    return "\n".join(f"- {_md_multiline(text)}" for text in block.items)


def md_escape(text: str) -> str:
    """``text`` shown as it is in Markdown: no emphasis, link, HTML or list starts."""
    escaped = _MD_SPECIAL.sub(r"\\\1", text)
    return _MD_LINE_START.sub(_escape_list_start, escaped)


def _escape_list_start(match: re.Match) -> str:
    """``- x``, ``+ x`` or ``1. x`` at the start of a line would start a list."""
    space, start, mark = match.groups()
    if start.isdigit():
        return f"{space}{start}\\{mark}" if mark else match.group(0)
    return f"{space}\\{start}{mark}"


def _md_cell(text: str) -> str:
    return md_escape(" ".join(text.split()))


def _md_multiline(text: str) -> str:
    lines = [md_escape(line.strip()) for line in text.splitlines() if line.strip()]
    return "\\\n  ".join(lines)

"""An evaluation snapshot as a Markdown document and as one self-contained HTML page.

Both come from Jinja2 templates (``evaluation/snapshot/templates/snapshot.{md,html}.j2``) over the
same view (:mod:`evaluation.snapshot.view`). The HTML page holds everything: its CSS, and
its charts as inline SVG with a title for screen readers; it prints on A4. The Markdown
links the charts as ``participation.svg`` and ``mood.svg`` beside it. Text written by people
is escaped for each format. The same snapshot gives the same bytes, but for the one line
saying when it was generated (``generated``; None leaves it out).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from bulletins.i18n import install
from evaluation.charts import STATUS_STYLE, heatmap_png, heatmap_svg, mood_png, mood_svg
from evaluation.snapshot.compose import Snapshot
from evaluation.snapshot.view import Table, Words, campaign_tables, headline_blocks
from evaluation.snapshot.view_parts import (
    STATUS_LABELS,
    key_figures,
    limits,
    openness_table,
    participation_table,
    planned_table,
    tools_table,
    topics_table,
)
from evaluation.snapshot.view_teams import Link, team_blocks

TEMPLATES = Path(__file__).with_name("templates")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~!&{}])")
_MD_SPACES = re.compile(r"[\t\n\v\f\r ]+")  # not the no-break spaces Babel puts before %
_MD_LIST_START = re.compile(r"^([-+]|\d+(?=[.)]))([.)]?)(?=\s)")
_SVG_PROLOGUE = re.compile(r"^.*?(?=<svg\b)", re.DOTALL)
_SVG_SIZE = re.compile(r'<svg\b([^>]*?)\swidth="([\d.]+)pt"\sheight="([\d.]+)pt"')


@dataclass(frozen=True)
class Chart:
    name: str  # the file name beside the Markdown: participation.svg, mood.svg
    image: bytes  # SVG, or PNG for the PDF
    title: str
    alt: str


def md_escape(value: object) -> object:
    """Markdown-escape text (one line: line breaks become spaces, no-break spaces stay);
    other values unchanged."""
    if value is None:
        return ""
    if not isinstance(value, str) or isinstance(value, Markup):
        return value
    text = _MD_SPECIAL.sub(r"\\\1", _MD_SPACES.sub(" ", value).strip(" "))
    return _MD_LIST_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[2] else f"\\{m[1]}", text)


def _md_row(cells: list[str]) -> str:
    return "| " + " | ".join(str(md_escape(cell)) for cell in cells) + " |"


def md_link(link: Link) -> Markup:
    """A Markdown link when ``link`` has a web address (already percent-encoded where
    Markdown would end it), else its escaped text."""
    text = md_escape(link.text)
    return Markup(f"[{text}]({link.url})" if link.url else text)


def md_table(table: Table) -> Markup:
    """A Markdown table (with its caption in italics above), every cell escaped."""
    lines = [f"*{md_escape(table.caption)}*", ""] if table.caption else []
    lines += [_md_row(table.header), "|" + " --- |" * len(table.header)]
    lines += [_md_row(row) for row in table.rows]
    return Markup("\n".join(lines) + "\n")


@cache
def environment(kind: str, locale: str) -> Environment:
    """``kind`` "html" escapes for HTML, "md" for Markdown."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=kind == "html",
        finalize=md_escape if kind == "md" else None,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    install(env, locale)
    env.globals["md_table"] = md_table
    env.globals["md_link"] = md_link
    return env


def charts(snapshot: Snapshot, _: Words, kind: str = "svg") -> list[Chart]:
    """The participation heatmap and the mood trend (none before the first deadline), as
    ``kind`` "svg" or "png"."""
    part = snapshot.participation
    if not part.weeks:
        return []
    heatmap, mood = (heatmap_png, mood_png) if kind == "png" else (heatmap_svg, mood_svg)
    weeks = [str(week) for week in part.weeks]
    names = [team.team for team in part.teams]
    heat_title = _("Bulletins, team by team and week by week")
    mood_title = _("Mean mood of the week's bulletins")
    return [
        Chart(
            f"participation.{kind}",
            heatmap(names, weeks, [list(row) for row in part.grid], _.locale, heat_title),
            heat_title,
            _(
                "A grid of %(teams)s teams by %(weeks)s weeks; each cell's colour says whether "
                "the team's bulletin came on time, late, was excused or did not come. "
                "The table above gives the same figures.",
                teams=len(names),
                weeks=len(weeks),
            ),
        ),
        Chart(
            f"mood.{kind}",
            mood(weeks, list(part.moods), _.locale, mood_title),
            mood_title,
            _(
                "A line of the mean mood of each week's bulletins, from 1 (bad) to 4 (very "
                "good), over %(weeks)s weeks.",
                weeks=len(weeks),
            ),
        ),
    ]


def inline_svg(chart: Chart) -> Markup:
    """The chart as an ``<svg>`` element to put in the page, described for screen readers."""
    text = _SVG_PROLOGUE.sub("", chart.image.decode("utf-8"), count=1)
    text = _SVG_SIZE.sub(
        lambda m: f'<svg{m[1]} width="{m[2]}pt" style="max-width:none"', text, count=1
    )
    label = str(Markup.escape(chart.alt))
    text = text.replace("<svg", f'<svg role="img" aria-label="{label}"', 1)
    return Markup(text)


def context(snapshot: Snapshot, generated: str | None) -> dict:
    _ = Words(snapshot.locale, snapshot.k)
    found = charts(snapshot, _)
    return {
        "s": snapshot,
        "w": _,
        "generated": generated,
        "figures": key_figures(snapshot, _),
        "campaigns": campaign_tables(snapshot, _),
        "headlines": headline_blocks(snapshot, _),
        "tools": tools_table(snapshot, _),
        "planned": planned_table(snapshot, _),
        "openness": openness_table(snapshot, _),
        "topics": topics_table(snapshot, _),
        "participation": participation_table(snapshot, _),
        "team_blocks": team_blocks(snapshot, _),
        "charts": found,
        "svgs": [inline_svg(chart) for chart in found],
        "legend": [(STATUS_STYLE[str(s)][0], _(label)) for s, label in STATUS_LABELS.items()],
        "limits": limits(snapshot, _),
    }


def render_markdown(snapshot: Snapshot, generated: str | None = None) -> str:
    env = environment("md", snapshot.locale)
    return env.get_template("snapshot.md.j2").render(context(snapshot, generated))


def render_html(snapshot: Snapshot, generated: str | None = None) -> str:
    env = environment("html", snapshot.locale)
    return env.get_template("snapshot.html.j2").render(context(snapshot, generated))

"""Each team's section of an evaluation snapshot in words and figures (see
:mod:`evaluation.snapshot.view`): its facts, links to what it published, its bulletins and
mood, its indicators.

A link from a facts sheet keeps an address only when it is an http(s) web link, with the
characters that could end a Markdown link or an HTML attribute percent-encoded; anything
else is shown as text. Each template escapes the text for its own format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote

from bulletins.db.models import ToolStatus
from evaluation.facts.sheets import is_web_link
from evaluation.snapshot.compose import Snapshot
from evaluation.snapshot.teams_section import IndicatorRow, TeamSection
from evaluation.snapshot.view import Table, Words
from evaluation.snapshot.view_parts import TOOL_LABELS

MOOD_MAX = 4
LINK_LABELS = {
    "repositories": "Code repositories",
    "libraries": "Libraries",
    "datasets": "Datasets",
    "contributions": "Contributions to other projects",
}
# Reserved URL characters, and "%" so that an address already encoded stays as it is.
_URL_SAFE = "!#$%&'*+,-./:;=?@_~"


@dataclass(frozen=True)
class Link:
    text: str
    url: str | None  # None: not an http(s) link, shown as plain text


@dataclass
class TeamBlock:
    title: str
    administration: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    links: list[tuple[str, list[Link]]] = field(default_factory=list)
    participation: str = ""
    mood: str = ""
    indicators: Table | None = None


def link(text: str) -> Link:
    """A link from a facts sheet, its address kept only when it is a web link."""
    text = text.strip()
    return Link(text, quote(text, safe=_URL_SAFE) if is_web_link(text) else None)


def team_block(section: TeamSection, _: Words) -> TeamBlock:
    block = TeamBlock(section.name, section.administration or "")
    block.facts = _facts(section, _)
    for name, label in LINK_LABELS.items():
        found = getattr(section.facts, name)
        if found:
            block.links.append((_(label), [link(text) for text in found]))
    block.participation, block.mood = _bulletins(section, _)
    if section.indicators:
        block.indicators = indicators_table(section.indicators, _)
    return block


def team_blocks(snapshot: Snapshot, _: Words) -> list[TeamBlock]:
    return [team_block(section, _) for section in snapshot.team_sections]


def _facts(section: TeamSection, _: Words) -> list[tuple[str, str]]:
    row = section.facts
    if row.recorded_on is None:
        return [(_("Facts sheet"), _("not filled in"))]
    tool = _(TOOL_LABELS.get(row.tool_status, row.tool_status))
    if row.tool_status == ToolStatus.PLANNED and row.tool_planned_on:
        tool = _("%(status)s, for %(day)s", status=tool, day=_.day(row.tool_planned_on))
    audit = {True: _("Yes"), False: _("No"), None: _("Not known")}[row.accessibility_audit]
    trainings = _.count(row.trainings_count)
    if row.training_topics:
        trainings = f"{trainings} ({', '.join(row.training_topics)})"
    return [
        (_("Facts sheet"), _("as declared on %(day)s", day=_.day(row.recorded_on))),
        (_("Tool"), tool),
        (_("People hired or kept by their administration"), _.count(row.people_hired)),
        (_("Trainings organised"), trainings),
        (_("Accessibility audit"), audit),
    ]


def _bulletins(section: TeamSection, _: Words) -> tuple[str, str]:
    played = section.participation
    if played is None or not played.weeks:
        return _("No week played by then."), ""
    counts = played.counts
    participation = _(
        "Weeks played: %(weeks)s; on time: %(filed)s, late: %(late)s, excused: %(excused)s, "
        "silent: %(silent)s; bulletins received: %(rate)s of those expected.",
        weeks=_.count(played.weeks),
        filed=_.count(counts["filed"]),
        late=_.count(counts["late"]),
        excused=_.count(counts["excused"]),
        silent=_.count(counts["silent"]),
        rate=_.pct(played.rate),
    )
    if played.mood is None:
        return participation, _("No bulletin, so no mood.")
    mood = _(
        "Mean mood of its bulletins: %(mood)s out of %(max)s.",
        mood=_.num(played.mood, "0.0"),
        max=MOOD_MAX,
    )
    return participation, mood


def _value(value: float | None, unit: str | None, _: Words) -> str:
    if value is None:
        return "–"
    number = _.num(value, "#,##0.##")
    return f"{number} {unit}" if unit else number


def indicators_table(rows: tuple[IndicatorRow, ...], _: Words) -> Table:
    header = [_("Indicator"), _("Baseline"), _("Target"), _("Latest value"), _("Progress")]
    table = Table(header)
    for row in rows:
        latest = _value(row.latest, row.unit, _)
        if row.measured_on is not None:
            latest = _("%(value)s on %(day)s", value=latest, day=_.day(row.measured_on))
        table.rows.append(
            [
                row.name,
                _value(row.baseline, row.unit, _),
                _value(row.target, row.unit, _),
                latest,
                _.pct(row.progress),
            ]
        )
    return table

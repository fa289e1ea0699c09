"""An evaluation snapshot's questionnaires put into words and figures in one language, for
its templates: every text and number is formatted here (and in
:mod:`evaluation.snapshot.view_parts`), so the Markdown and the HTML say the same thing.

Text written by people (team names, training topics) stays plain text here: each template
escapes it for its own format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from babel.numbers import format_decimal, format_percent

from bulletins.dates import format_day
from bulletins.i18n import gettext
from evaluation.snapshot.compose import Snapshot
from evaluation.snapshot.surveys_section import Detail, Headline, Share, tallies_by_count
from evaluation.surveys.definitions import Question
from evaluation.surveys.tags import (
    DIGEST_READING,
    EXPECTATIONS,
    PROJECT_SATISFACTION,
    SKILLS_OUTSIDE_FIELD,
    SUPPORT_FORMATS,
    counted,
    tagged,
)

ROLE_LABELS = {"fellow": "Fellows", "mentor": "Mentors", "staff": "Programme staff"}
HEADLINE_TITLES = {
    PROJECT_SATISFACTION: "Satisfied or very satisfied with the project's results",
    EXPECTATIONS: "Expectations met or exceeded",
    DIGEST_READING: "Reading the weekly digest at least monthly",
    SKILLS_OUTSIDE_FIELD: "Skills learned outside one's own field",
    SUPPORT_FORMATS: "The programme's support formats, ranked",
}
RANK_NOTE = (
    "Score: a first place is worth as many points as there are places, the last place one "
    "point, a format not ranked none; averaged over those who answered."
)
WITHHELD_NOTE = (
    "A group with fewer than %(k)s answers is withheld, to protect anonymity; so is the "
    "total of all groups then."
)


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    caption: str = ""


@dataclass
class Block:
    """A headline: its title, what it counts, its tables, and notes on what is missing."""

    title: str
    definition: str = ""
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class Words:
    """Translation and formatting in one locale."""

    def __init__(self, locale: str, k: int):
        self.locale, self.k = locale, k

    def __call__(self, message: str, **params: object) -> str:
        return gettext(self.locale, message, **params)

    def day(self, value: date) -> str:
        return format_day(value, self.locale, "d MMMM y")

    def pct(self, share: float | None) -> str:
        return "–" if share is None else format_percent(share, locale=self.locale)

    def num(self, value: float | None, pattern: str = "0.0") -> str:
        return "–" if value is None else format_decimal(value, pattern, locale=self.locale)

    def count(self, value: int) -> str:
        return format_decimal(value, "#,##0", locale=self.locale)

    def role(self, role: str | None) -> str:
        return self(ROLE_LABELS.get(role, role) if role else "All respondents")

    def withheld(self) -> str:
        return self("withheld: fewer than %(k)s answers", k=self.k)


def campaign_tables(snapshot: Snapshot, _: Words) -> list[Table]:
    """Per end-of-cohort campaign: who was asked and who finished, by role."""
    tables = []
    for campaign in snapshot.campaigns:
        if campaign.closed:
            closed = campaign.closes_at.astimezone(snapshot.timezone).date()
            status = _("closed on %(day)s", day=_.day(closed))
        else:
            status = _("still open on %(day)s", day=_.day(snapshot.as_of))
        title = campaign.survey.title.get(_.locale)
        header = [_("Role"), _("Finished"), _("Asked"), _("Response rate")]
        table = Table(header, caption=f"{title}, {status}")
        for role, finished, invited in campaign.rates:
            share = finished / invited if invited else None
            counts = [_.count(finished), _.count(invited), _.pct(share)]
            table.rows.append([_.role(role), *counts])
        tables.append(table)
    return tables


def share_table(shares: tuple[Share, ...], _: Words) -> Table:
    table = Table([_("Group"), _("Answers"), _("Counted"), _("Share")])
    for share in shares:
        group = _.role(share.role)
        if share.withheld:
            table.rows.append([group, _.withheld(), "", ""])
        else:
            figures = [_.count(share.answered), _.count(share.count or 0)]
            figures.append(_.pct(share.share))
            table.rows.append([group, *figures])
    return table


def definition(question: Question, _: Words) -> str:
    """What a share counts, in the words of the question."""
    if question.type == "scale":
        return _(
            "Counted: the answers %(values)s on a scale from %(min)s (%(low)s) to %(max)s "
            "(%(high)s).",
            values=", ".join(str(v) for v in question.top_box),
            min=question.scale_min,
            low=question.low_label.get(_.locale) if question.low_label else "",
            max=question.scale_max,
            high=question.high_label.get(_.locale) if question.high_label else "",
        )
    labels = {c.id: c.label.get(_.locale) for c in question.choices}
    labels |= {"yes": _("Yes"), "no": _("No"), "dont_know": _("Don't know")}
    chosen = ", ".join(labels.get(value, value) for value in counted(question))
    return _("Counted: %(choices)s.", choices=chosen)


def detail_table(detail: Detail, _: Words) -> Table:
    """A group's tally of a multiple choice, or its ranking of the support formats."""
    answered = _("%(n)s answers", n=detail.answered)
    caption = f"{_.role(detail.role)}, {answered}"
    summary = detail.summary
    if summary is None:
        return Table([_("Answers")], [[_.withheld()]], _.role(detail.role))
    if detail.question.type == "rank":
        top = _("In the top %(n)s", n=summary.top_n)
        table = Table([_("Support format"), _("Score"), _("Ranked first"), top], [], caption)
        for row in summary.rows:
            label = row.item.label.get(_.locale)
            table.rows.append([label, _.num(row.score, "0.00"), str(row.first), str(row.top)])
        return table
    table = Table([_("Skill"), _("Count"), _("Share")], [], caption)
    for tally in tallies_by_count(summary):
        label = tally.label.get(_.locale) if tally.label else tally.key
        table.rows.append([label, str(tally.count), _.pct(tally.share)])
    return table


def headline_block(tag: str, snapshot: Snapshot, _: Words) -> Block:
    """One headline figure, by group, with what it counts and what is withheld."""
    headline = snapshot.headlines[tag]
    block = Block(_(HEADLINE_TITLES[tag]))
    if not headline.asked:
        block.notes.append(_("No end-of-cohort questionnaire of this cohort asked it."))
        return block
    question = first_question(headline, snapshot)
    if headline.shares and question is not None:
        block.definition = definition(question, _)
    elif tag == SUPPORT_FORMATS:
        block.definition = _(RANK_NOTE)
    else:
        block.definition = _("Shares of those who answered; several choices each.")
    if headline.shares:
        block.tables.append(share_table(headline.shares, _))
    block.tables += [detail_table(detail, _) for detail in headline.details]
    hidden = [s.withheld for s in headline.shares] + [d.summary is None for d in headline.details]
    if any(hidden):
        block.notes.append(_(WITHHELD_NOTE, k=snapshot.k))
    return block


def first_question(headline: Headline, snapshot: Snapshot) -> Question | None:
    """The tagged question of the headline's first campaign, for its wording."""
    keys = {s.campaign for s in headline.shares} | {d.campaign for d in headline.details}
    for campaign in snapshot.campaigns:
        question = tagged(campaign.survey.questions, headline.tag)
        if campaign.key in keys and question is not None:
            return question
    return None


def headline_blocks(snapshot: Snapshot, _: Words) -> list[Block]:
    return [headline_block(tag, snapshot, _) for tag in HEADLINE_TITLES]

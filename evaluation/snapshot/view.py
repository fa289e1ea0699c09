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
from evaluation.snapshot.surveys_section import Detail, HeadlineFigures, Share, tallies_by_count
from evaluation.surveys.definitions import Question
from evaluation.surveys.headlines import counted_labels

ROLE_LABELS = {"fellow": "Fellows", "mentor": "Mentors", "staff": "Programme staff"}
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

    def out_of(self, count: int, total: int) -> str:
        """ "12 of 20 (60 %)", the share to a tenth of a per cent, as the locale writes it."""
        share = format_percent(
            round(count / total, 3), locale=self.locale, decimal_quantization=False
        )
        return self(
            "%(n)s of %(total)s (%(share)s)",
            n=self.count(count),
            total=self.count(total),
            share=share,
        )

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
    table = Table([_("Group"), _("Counted, of those who answered")])
    for share in shares:
        group = _.role(share.role)
        if share.withheld:
            table.rows.append([group, _.withheld()])
        else:
            table.rows.append([group, _.out_of(share.count or 0, share.answered)])
    return table


def definition(question: Question, _: Words) -> str:
    """What a share counts, in the words of the question."""
    yes_no = {"yes": _("Yes"), "no": _("No"), "dont_know": _("Don't know")}
    labels = counted_labels(question, yes_no, _.locale)
    if question.type == "scale":
        return _(
            "Counted: the answers %(values)s on a scale from %(min)s (%(low)s) to %(max)s "
            "(%(high)s).",
            values=", ".join(labels),
            min=question.scale_min,
            low=question.low_label.get(_.locale) if question.low_label else "",
            max=question.scale_max,
            high=question.high_label.get(_.locale) if question.high_label else "",
        )
    quoted = ", ".join(_("“%(answer)s”", answer=label) for label in labels)
    return _("Counted: %(choices)s.", choices=quoted)


def detail_table(detail: Detail, _: Words) -> Table:
    """A group's tally of each choice of a multiple choice, or its ranking."""
    answered = _("%(n)s answers", n=detail.answered)
    caption = f"{_.role(detail.role)}, {answered}"
    summary = detail.summary
    if summary is None:
        return Table([_("Answers")], [[_.withheld()]], _.role(detail.role))
    if detail.question.type == "rank":
        top = _("In the top %(n)s", n=summary.top_n)
        table = Table([_("Item"), _("Score"), _("Ranked first"), top], [], caption)
        for row in summary.rows:
            label = row.item.label.get(_.locale)
            table.rows.append([label, _.num(row.score, "0.00"), str(row.first), str(row.top)])
        return table
    table = Table([_("Choice"), _("Counted, of those who answered")], [], caption)
    for tally in tallies_by_count(summary):
        label = tally.label.get(_.locale) if tally.label else tally.key
        table.rows.append([label, _.out_of(tally.count, detail.answered)])
    return table


def headline_block(headline: HeadlineFigures, snapshot: Snapshot, _: Words) -> Block:
    """One headline figure, by group, with what it counts and what is withheld."""
    block = Block(headline.label.get(_.locale))
    question = headline.question
    if headline.shares:
        block.definition = definition(question, _)
    elif question.type == "rank":
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


def headline_blocks(snapshot: Snapshot, _: Words) -> list[Block]:
    return [headline_block(headline, snapshot, _) for headline in snapshot.headlines]

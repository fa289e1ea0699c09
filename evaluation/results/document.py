"""A campaign's results as a list of simple blocks (headings, paragraphs, tables, lists) in
a locale, for ``evaluation.results.render`` to lay out for a terminal or as Markdown."""

from __future__ import annotations

from dataclasses import dataclass

from babel.numbers import format_decimal, format_percent

from bulletins.i18n import gettext
from evaluation.results.question_summary import (
    ChoiceSummary,
    GridSummary,
    NumberSummary,
    RankSummary,
    ScaleSummary,
    Summary,
    Tally,
    TextSummary,
)
from evaluation.results.tally import (
    COMPLEMENT,
    FEW,
    TEXT_FEW,
    TEXT_PER_ROLE,
    CampaignResults,
    GroupResults,
    QuestionResult,
    Rate,
)
from evaluation.surveys.definitions import Question


def _(message: str) -> str:
    """Mark ``message`` for extraction; it is translated where it is used."""
    return message


WITHHELD = {
    FEW: _("Fewer than %(k)s answers: not shown, to protect anonymity."),
    COMPLEMENT: _(
        "Not shown, to protect anonymity: with the other figures, it would reveal "
        "a group of fewer than %(k)s answers."
    ),
    TEXT_PER_ROLE: _("Free text of an anonymous survey is only shown for the whole campaign."),
    TEXT_FEW: _("Free text is not shown: fewer than %(k)s responses."),
}
RATES = {
    "fellow": _("%(finished)s of %(invited)s fellows, %(share)s"),
    "mentor": _("%(finished)s of %(invited)s mentors, %(share)s"),
    "staff": _("%(finished)s of %(invited)s staff, %(share)s"),
}
GROUPS = {"fellow": _("Fellows"), "mentor": _("Mentors"), "staff": _("Programme staff")}


@dataclass(frozen=True)
class Heading:
    text: str
    level: int


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Texts:
    """Free text written by people: to be escaped wherever it is shown."""

    items: tuple[str, ...]


Block = Heading | Paragraph | Table | Texts


def number(value: float | None, locale: str) -> str:
    return "–" if value is None else format_decimal(value, format="#,##0.#", locale=locale)


def percent(value: float | None, locale: str) -> str:
    return "–" if value is None else format_percent(value, locale=locale)


def result_blocks(results: CampaignResults, locale: str) -> list[Block]:
    """Everything the results say, in reading order."""
    kind = _("Anonymous survey") if results.anonymous else _("Named survey")
    blocks: list[Block] = [
        Heading(f"{results.survey.title.get(locale)} ({results.key})", 1),
        Paragraph(gettext(locale, kind)),
        Heading(gettext(locale, "Response rate"), 2),
        *(Paragraph(_rate(rate, locale)) for rate in results.rates),
        Paragraph(gettext(locale, "Responses: %(n)s", n=results.respondents)),
    ]
    if not results.rates:
        blocks.insert(3, Paragraph(gettext(locale, "Nobody was invited.")))
    blocks += group_blocks(results.overall, results.k, locale)
    for group in results.by_role:
        blocks += group_blocks(group, results.k, locale)
    return blocks


def _rate(rate: Rate, locale: str) -> str:
    message = RATES.get(rate.role, _("%(finished)s of %(invited)s, %(share)s"))
    text = gettext(
        locale,
        message,
        finished=rate.finished,
        invited=rate.invited,
        share=percent(rate.share, locale),
    )
    return text if rate.role in RATES else f"{rate.role}: {text}"


def group_blocks(group: GroupResults, k: int, locale: str) -> list[Block]:
    """A heading for the group, then each question, or why the group is not shown."""
    name = gettext(locale, GROUPS[group.role]) if group.role in GROUPS else group.role
    title = gettext(locale, "All respondents") if group.role is None else name
    count = gettext(locale, "Responses: %(n)s", n=group.respondents)
    blocks: list[Block] = [Heading(f"{title} · {count}", 2)]
    if group.withheld:
        return [*blocks, Paragraph(gettext(locale, WITHHELD[group.withheld], k=k))]
    for result in group.questions:
        blocks += question_blocks(result, k, locale)
    return blocks


def question_blocks(result: QuestionResult, k: int, locale: str) -> list[Block]:
    heading = Heading(result.question.label.get(locale), 3)
    if result.summary is None:
        reason = WITHHELD[result.withheld or FEW]
        return [heading, Paragraph(gettext(locale, reason, k=k))]
    answered = Paragraph(gettext(locale, "Answers: %(n)s", n=result.answered))
    return [heading, answered, *summary_blocks(result.question, result.summary, k, locale)]


def summary_blocks(question: Question, summary: Summary, k: int, locale: str) -> list[Block]:
    if isinstance(summary, ScaleSummary):
        return _scale(summary, locale)
    if isinstance(summary, ChoiceSummary):
        return _choices(question, summary, k, locale)
    if isinstance(summary, NumberSummary):
        return [_number_table(summary, locale)]
    if isinstance(summary, GridSummary):
        return [_grid_table(summary, k, locale)]
    if isinstance(summary, RankSummary):
        return [_rank_table(summary, locale)]
    return _texts(summary, k, locale)


def _tally_rows(tallies: tuple[Tally, ...], locale: str) -> tuple[tuple[str, ...], ...]:
    return tuple(
        (t.label.get(locale) if t.label else t.key, str(t.count), percent(t.share, locale))
        for t in tallies
    )


def _scale(summary: ScaleSummary, locale: str) -> list[Block]:
    figures = [
        gettext(locale, "mean %(value)s", value=number(summary.mean, locale)),
        gettext(locale, "median %(value)s", value=number(summary.median, locale)),
    ]
    if summary.top_box is not None:
        values = _values(summary.top_box_values)
        share = percent(summary.top_box, locale)
        figures.append(gettext(locale, "%(share)s answered %(values)s", share=share, values=values))
    rows = _tally_rows(summary.tallies, locale)
    if summary.not_applicable:
        rows += ((gettext(locale, "Not applicable"), str(summary.not_applicable), ""),)
    header = (gettext(locale, "Value"), gettext(locale, "Count"), gettext(locale, "Share"))
    return [Paragraph(" · ".join(figures)), Table(header, rows)]


def _values(values: tuple[int, ...]) -> str:
    ordered = sorted(values)
    if len(ordered) > 1 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{ordered[0]}–{ordered[-1]}"
    return ", ".join(str(v) for v in ordered)


def _choices(question: Question, summary: ChoiceSummary, k: int, locale: str) -> list[Block]:
    header = (gettext(locale, "Choice"), gettext(locale, "Count"), gettext(locale, "Share"))
    blocks: list[Block] = [Table(header, _tally_rows(summary.tallies, locale))]
    if question.type == "multiple":
        blocks.insert(
            0, Paragraph(gettext(locale, "Shares of the respondents; several choices each."))
        )
    if summary.others:
        blocks += [Paragraph(gettext(locale, "Other answers:")), Texts(summary.others)]
    elif summary.texts_withheld:
        blocks.append(Paragraph(gettext(locale, WITHHELD[summary.texts_withheld], k=k)))
    return blocks


def _number_table(summary: NumberSummary, locale: str) -> Table:
    names = (_("Answers"), _("Mean"), _("Median"), _("Minimum"), _("Maximum"))
    values = (summary.mean, summary.median, summary.minimum, summary.maximum)
    row = (str(summary.n), *(number(v, locale) for v in values))
    return Table(tuple(gettext(locale, name) for name in names), (row,))


def _grid_table(summary: GridSummary, k: int, locale: str) -> Table:
    names = (_("Item"), _("Answers"), _("Mean"), _("Top box"), _("Distribution"))
    rows = []
    for row in summary.rows:
        scale = row.scale
        if scale is None:
            hidden = gettext(locale, "fewer than %(k)s answers", k=k)
            rows.append((row.item.label.get(locale), str(row.answered), "", "", hidden))
            continue
        counts = [f"{t.key}: {t.count}" for t in scale.tallies]
        if scale.not_applicable:
            counts.append(gettext(locale, "n/a: %(n)s", n=scale.not_applicable))
        mean, top = number(scale.mean, locale), percent(scale.top_box, locale)
        rows.append((row.item.label.get(locale), str(row.answered), mean, top, ", ".join(counts)))
    return Table(tuple(gettext(locale, name) for name in names), tuple(rows))


def _rank_table(summary: RankSummary, locale: str) -> Table:
    header = (
        gettext(locale, "Item"),
        gettext(locale, "Ranked first"),
        gettext(locale, "In the top %(n)s", n=summary.top_n),
        gettext(locale, "Mean rank"),
        gettext(locale, "Score"),
    )
    rows = tuple(
        (
            row.item.label.get(locale),
            str(row.first),
            str(row.top),
            number(row.mean_rank, locale),
            format_decimal(row.score, format="#,##0.00", locale=locale),
        )
        for row in summary.rows
    )
    return Table(header, rows)


def _texts(summary: TextSummary, k: int, locale: str) -> list[Block]:
    if summary.withheld:
        return [Paragraph(gettext(locale, WITHHELD[summary.withheld], k=k))]
    return [Texts(summary.texts)]

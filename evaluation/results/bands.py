"""The answers to a number question of an anonymous campaign as ranges in its open data, so
that no exact value singles anyone out (the one mentor who gave 35 hours a week, say).

The answers are sorted and cut, from the smallest, into ranges of at least ``k`` answers: a
range closes as soon as it holds ``k`` answers, never between two equal values, and what is
left at the end (fewer than ``k``) joins the last range. A range runs from its smallest
answer to its largest, except that the first starts at the question's ``min_value`` and the
last ends at its ``max_value`` when the survey sets them, so the extremes are not given
either. With fewer than ``k`` answers in all there is no range, and no value is published.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

from bulletins.cycle.export import spreadsheet_safe
from bulletins.i18n import gettext
from evaluation.results.fields import LOCALE, Column
from evaluation.surveys.definitions import Question, Survey, visible


@dataclass(frozen=True)
class Band:
    """A range of answers, ``low`` to ``high`` included, and how many answers it holds."""

    low: float
    high: float
    count: int

    @property
    def label(self) -> str:
        """``"10–19"``, or ``"10"`` when the range is a single value."""
        low, high = _shown(self.low), _shown(self.high)
        return low if low == high else f"{low}–{high}"

    def holds(self, value: float) -> bool:
        return self.low <= value <= self.high


Bands = dict[str, tuple[Band, ...]]  # a number question's id → its ranges


def bands_of(
    values: Iterable[float], k: int, low: float | None = None, high: float | None = None
) -> tuple[Band, ...]:
    """The ranges of ``values`` (see the module's help); ``low`` and ``high``, the question's
    limits when it has them."""
    k = max(k, 1)
    counts = sorted(Counter(values).items())
    if sum(count for _, count in counts) < k:
        return ()
    groups: list[list[tuple[float, int]]] = [[]]
    for value, count in counts:
        if _size(groups[-1]) >= k:
            groups.append([])
        groups[-1].append((value, count))
    if len(groups) > 1 and _size(groups[-1]) < k:
        tail = groups.pop()
        groups[-1] += tail
    bands = [Band(group[0][0], group[-1][0], _size(group)) for group in groups]
    if low is not None:
        bands[0] = replace(bands[0], low=min(low, bands[0].low))
    if high is not None:
        bands[-1] = replace(bands[-1], high=max(high, bands[-1].high))
    return tuple(bands)


def number_bands(survey: Survey, responses: list[tuple[str, dict]], k: int) -> Bands:
    """The ranges of each number question of ``survey``, over ``responses`` (role, answers):
    the numbers given to questions shown."""
    bands = {}
    for question in survey.questions:
        if question.type == "number":
            values = [
                value
                for _, answers in responses
                if visible(question, answers)
                and isinstance(value := answers.get(question.id), int | float)
                and not isinstance(value, bool)
            ]
            bands[question.id] = bands_of(values, k, question.min_value, question.max_value)
    return bands


def banded(survey: Survey, column: Column, bands: Bands, k: int) -> Column:
    """``column``, with the field of ranges when its question's numbers are in ``bands``."""
    if column.question not in bands:
        return column
    question = survey.question(column.question)
    return replace(column, field=band_field(question, bands[column.question], k))


def band_of(bands: tuple[Band, ...], value: object) -> Band | None:
    """The range that holds ``value``; None for no number or no range."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    return next((band for band in bands if band.holds(value)), None)


def band_field(question: Question, bands: tuple[Band, ...], k: int) -> dict:
    """The Table Schema field of a number question given as ranges."""
    field: dict = {"name": question.id, "title": question.label.get(LOCALE), "type": "string"}
    if not bands:
        description = gettext(
            LOCALE, "A number, not published: fewer than %(k)s answers to protect anonymity.", k=k
        )
        return field | {"description": description}
    description = gettext(
        LOCALE,
        'A range of numbers, such as "%(example)s", rather than the exact number: to protect '
        "anonymity, each range holds at least %(k)s answers.",
        example=bands[0].label,
        k=k,
    )
    enum = [spreadsheet_safe(band.label) for band in bands]  # as the CSV writes them
    return field | {"description": description, "constraints": {"enum": enum}}


def _size(group: list[tuple[float, int]]) -> int:
    return sum(count for _, count in group)


def _shown(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)

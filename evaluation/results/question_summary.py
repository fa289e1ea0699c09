"""The figures of one question over the answers of a group (see ``evaluation.results.tally``).

Shares are of the people who answered the question: for a scale or a grid item, of those
who gave a value (not applicable is counted apart); for a multiple choice, of the
respondents, so that the shares add up to more than 100 %.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import fmean, median

from evaluation.surveys.definitions import NOT_APPLICABLE, Choice, Question, Text, yes_no_values

YES_NO_LABELS = {
    "yes": Text("Oui", "Yes"),
    "no": Text("Non", "No"),
    "dont_know": Text("Ne sait pas", "Don't know"),
}
TOP_RANKS = 3  # "times in the top N" of a full ranking; a partial one uses its ``pick``


@dataclass(frozen=True)
class Tally:
    """How many chose ``key`` (a choice id, a scale value as a string, yes/no)."""

    key: str
    label: Text | None
    count: int
    share: float | None


@dataclass(frozen=True)
class ScaleSummary:
    n: int  # answers with a value, not applicable left out
    tallies: tuple[Tally, ...]  # one per value of the scale
    not_applicable: int
    mean: float | None
    median: float | None
    top_box: float | None  # the share of ``question.top_box`` values, when it has some
    top_box_values: tuple[int, ...] = ()


@dataclass(frozen=True)
class ChoiceSummary:
    """single, multiple and yes_no: a tally per choice, and the "other" texts."""

    tallies: tuple[Tally, ...]
    others: tuple[str, ...] = ()
    texts_withheld: str | None = None


@dataclass(frozen=True)
class NumberSummary:
    n: int
    mean: float
    median: float
    minimum: float
    maximum: float


@dataclass(frozen=True)
class GridRow:
    item: Choice
    answered: int
    scale: ScaleSummary | None  # None when fewer than k answered this item


@dataclass(frozen=True)
class GridSummary:
    rows: tuple[GridRow, ...]


@dataclass(frozen=True)
class RankRow:
    item: Choice
    first: int  # times ranked first
    top: int  # times ranked in the top ``RankSummary.top_n``
    mean_rank: float | None  # over those who ranked it
    score: float  # Borda: top place = top_n points … last place = 1, unranked = 0; mean


@dataclass(frozen=True)
class RankSummary:
    top_n: int
    rows: tuple[RankRow, ...]  # best score first


@dataclass(frozen=True)
class TextSummary:
    texts: tuple[str, ...]  # sorted, so that their order reveals nothing
    withheld: str | None = None


Summary = ScaleSummary | ChoiceSummary | NumberSummary | GridSummary | RankSummary | TextSummary


def summarize(
    question: Question, answered: Sequence[dict], k: int, text_rule: str | None
) -> Summary:
    """The figures of ``question`` over ``answered`` (responses that answered it);
    ``text_rule`` says why free text is hidden here, if it is."""
    values = [answers[question.id] for answers in answered]
    if question.type == "scale":
        return scale_summary(question, values)
    if question.type in ("single", "multiple", "yes_no"):
        return _choices(question, answered, text_rule)
    if question.type == "number":
        return _numbers(values)
    if question.type == "grid":
        return _grid(question, values, k)
    if question.type == "rank":
        return _ranks(question, values)
    texts = tuple(sorted(str(v).strip() for v in values if str(v).strip()))
    return TextSummary((), text_rule) if text_rule else TextSummary(texts)


def _share(count: int, total: int) -> float | None:
    return count / total if total else None


def scale_summary(question: Question, values: Sequence[object]) -> ScaleSummary:
    numbers = [v for v in values if isinstance(v, int) and not isinstance(v, bool)]
    counts = Counter(numbers)
    scale = range(question.scale_min, question.scale_max + 1)
    top = sum(counts[v] for v in question.top_box)
    return ScaleSummary(
        n=len(numbers),
        tallies=tuple(
            Tally(str(v), None, counts[v], _share(counts[v], len(numbers))) for v in scale
        ),
        not_applicable=sum(1 for v in values if v == NOT_APPLICABLE),
        mean=fmean(numbers) if numbers else None,
        median=median(numbers) if numbers else None,
        top_box=_share(top, len(numbers)) if question.top_box else None,
        top_box_values=question.top_box,
    )


def _choices(question: Question, answered: Sequence[dict], text_rule: str | None) -> ChoiceSummary:
    chosen: Counter[str] = Counter()
    for answers in answered:
        value = answers[question.id]
        chosen.update(set(value) if isinstance(value, list) else {str(value)})
    if question.type == "yes_no":
        options = [(key, YES_NO_LABELS[key]) for key in yes_no_values(question)]
    else:
        options = [(choice.id, choice.label) for choice in question.choices]
    total = len(answered)
    tallies = tuple(
        Tally(key, label, chosen[key], _share(chosen[key], total)) for key, label in options
    )
    if text_rule:
        return ChoiceSummary(tallies, (), text_rule if _other_texts(question, answered) else None)
    return ChoiceSummary(tallies, _other_texts(question, answered))


def _other_texts(question: Question, answered: Sequence[dict]) -> tuple[str, ...]:
    texts = []
    for choice in (c for c in question.choices if c.other):
        for answers in answered:
            value = answers[question.id]
            if choice.id in (value if isinstance(value, list) else [value]):
                texts.append(str(answers.get(f"{question.id}.other") or "").strip())
    return tuple(sorted(text for text in texts if text))


def _numbers(values: Sequence[object]) -> NumberSummary:
    numbers = [float(v) for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    return NumberSummary(
        n=len(numbers),
        mean=fmean(numbers) if numbers else float("nan"),
        median=median(numbers) if numbers else float("nan"),
        minimum=min(numbers, default=float("nan")),
        maximum=max(numbers, default=float("nan")),
    )


def _grid(question: Question, values: Sequence[object], k: int) -> GridSummary:
    rows = []
    for item in question.items:
        given = [v[item.id] for v in values if isinstance(v, dict) and v.get(item.id) is not None]
        scale = scale_summary(question, given) if len(given) >= k else None
        rows.append(GridRow(item, len(given), scale))
    return GridSummary(tuple(rows))


def _ranks(question: Question, values: Sequence[object]) -> RankSummary:
    places = question.pick or len(question.items)
    top_n = question.pick or min(TOP_RANKS, len(question.items))
    rankings = [list(v) for v in values if isinstance(v, list)]
    rows = []
    for item in question.items:
        ranks = [ranking.index(item.id) + 1 for ranking in rankings if item.id in ranking]
        rows.append(
            RankRow(
                item=item,
                first=sum(1 for rank in ranks if rank == 1),
                top=sum(1 for rank in ranks if rank <= top_n),
                mean_rank=fmean(ranks) if ranks else None,
                score=sum(max(places + 1 - rank, 0) for rank in ranks) / (len(rankings) or 1),
            )
        )
    order = {item.id: i for i, item in enumerate(question.items)}
    rows.sort(key=lambda row: (-row.score, -row.first, order[row.item.id]))
    return RankSummary(top_n, tuple(rows))

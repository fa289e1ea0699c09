"""A question's headline figure, as its survey file declares it::

    [[pages.questions]]
    id = "expectations"
    type = "scale"
    …
    [pages.questions.headline]
    counts = [5]                        # the answers counted: scale values, choice ids,
                                        # "yes"/"no"/"dont_know"; a multiple may say "each"
    fr = "Attentes dépassées"
    en = "Expectations exceeded"
    pool_roles = false                  # optional: also show all roles together

A ranking's headline has no ``counts``: it is the ranking. Several surveys may give the same
headline (the same ``fr`` and ``en``): the snapshot shows their groups side by side.
"""

from __future__ import annotations

from typing import Any

from evaluation.surveys.definitions import YES_NO, Choice, Headline, Question, Text
from evaluation.surveys.reading import Report, check_keys, read_bool

HEADLINE_TYPES = ("scale", "single", "multiple", "yes_no", "rank")
HEADLINE_KEYS = ("counts", "fr", "en", "pool_roles")
LABEL_LIMIT = 150
EACH = "each"
FORM = '[pages.questions.headline] with counts = […], fr = "…", en = "…"'


def read_headline(
    raw: dict, kind: str, answers: tuple[str, ...], where: str, report: Report
) -> Headline | None:
    """The ``headline`` table of a ``kind`` question whose possible answers are ``answers``
    (scale values as strings, choice ids, or yes/no/dont_know)."""
    value = raw.get("headline")
    if value is None:
        return None
    if kind not in HEADLINE_TYPES:
        report.add(
            where,
            f"'headline' does not apply to a {kind} question: only a scale, single, multiple, "
            "yes_no or rank question gives a headline figure",
        )
        return None
    spot = f"{where}, headline"
    if not isinstance(value, dict):
        report.add(spot, f"must be a table ({FORM}), got {value!r}")
        return None
    check_keys(value, HEADLINE_KEYS, spot, report)
    label = _label(value, spot, report)
    counts, each = _counts(value.get("counts"), kind, answers, spot, report)
    pool = read_bool(value, "pool_roles", spot, report, default=False)
    if label is None or (kind != "rank" and not counts and not each):
        return None
    return Headline(label, counts, each, pool)


def _label(value: dict, spot: str, report: Report) -> Text | None:
    texts = {}
    for language in ("fr", "en"):
        text = value.get(language)
        if not isinstance(text, str) or not text.strip():
            report.add(spot, f"{language} must be a non-empty text: the headline's wording")
        elif len(text.strip()) > LABEL_LIMIT:
            report.add(spot, f"{language} is {len(text.strip())} characters; at most {LABEL_LIMIT}")
        else:
            texts[language] = " ".join(text.split())
    return Text(**texts) if len(texts) == 2 else None


def _counts(
    value: Any, kind: str, answers: tuple[str, ...], spot: str, report: Report
) -> tuple[tuple[str, ...], bool]:
    """The answers counted, and whether each choice of a multiple counts on its own."""
    if kind == "rank":
        if value is not None:
            report.add(spot, "a ranking's headline is the ranking itself: remove counts")
        return (), False
    if value == EACH and kind == "multiple":
        return (), True
    if value is None:
        each = ', or "each" for each choice on its own' if kind == "multiple" else ""
        report.add(spot, f"counts is missing: list the answers it counts{each}")
        return (), False
    if not isinstance(value, list) or not value:
        report.add(spot, f"counts must be a non-empty list of answers, got {value!r}")
        return (), False
    wrong = [v for v in value if isinstance(v, bool) or str(v) not in answers]
    if kind == "scale":
        wrong = [v for v in value if type(v) is not int or str(v) not in answers]
    if wrong:
        report.add(
            spot, f"counts lists {wrong}, which the question cannot take ({', '.join(answers)})"
        )
        return (), False
    counted = tuple(dict.fromkeys(str(v) for v in value))
    if kind != "multiple" and set(counted) == set(answers):
        report.add(spot, "counts lists every possible answer: the figure would always be 100 %")
    return counted, False


def counts(question: Question, value: object) -> bool:
    """Whether ``value``, an answer to ``question``, counts for its headline."""
    headline = question.headline
    if headline is None:
        return False
    values = value if isinstance(value, list) else [value]
    return any(str(v) in headline.counts for v in values)


def counted_labels(question: Question, yes_no: dict[str, str], locale: str) -> list[str]:
    """The answers its headline counts, in words (``yes_no``: the words for yes/no/…)."""
    assert question.headline is not None
    if question.type == "scale":
        return list(question.headline.counts)
    labels = {choice.id: choice.label.get(locale) for choice in question.choices} | yes_no
    return [labels.get(value, value) for value in question.headline.counts]


def answer_ids(
    question_type: str, choices: tuple[Choice, ...], low: int, high: int, dont_know: bool = True
) -> tuple[str, ...]:
    """The answers a question of this type can take, as strings."""
    if question_type == "scale":
        return tuple(str(v) for v in range(low, high + 1))
    if question_type == "yes_no":
        return YES_NO if dont_know else YES_NO[:2]
    return tuple(choice.id for choice in choices)

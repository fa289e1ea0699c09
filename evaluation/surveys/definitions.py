"""Survey definitions: what a survey asks, of whom, when, and how its answers look.

Surveys are TOML files (see ``evaluation/surveys/``), read by ``evaluation.surveys.loading`` into
these immutable objects. Answers are plain JSON values keyed by question id:

=============  ==========================================================================
question type  answer value
=============  ==========================================================================
scale          an int from ``scale_min`` to ``scale_max``, or ``"na"`` (``not_applicable``)
single         a choice id; with an "other" choice, its text under ``"<question id>.other"``
multiple       a list of choice ids (at most ``max_choices``); "other" as above
yes_no         ``"yes"``, ``"no"`` or ``"dont_know"`` (unless ``dont_know`` is false)
short_text     a string (at most ``max_length``, else 3000: Slack's limit)
long_text      a string (at most ``max_length``, else 3000)
number         an int or a float within ``min_value`` and ``max_value``
grid           an object: item id → an int on the scale, or ``"na"``
rank           a list of item ids, best first (``pick`` of them, or all); "other" as above
=============  ==========================================================================

A question not shown (see :func:`visible`) has no answer;
``evaluation.campaigns.answer_checks`` checks them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

QUESTION_TYPES = (
    "scale",
    "single",
    "multiple",
    "yes_no",
    "short_text",
    "long_text",
    "number",
    "grid",
    "rank",
)
YES_NO = ("yes", "no", "dont_know")
NOT_APPLICABLE = "na"
ROLES = ("fellow", "mentor", "staff")
PULSE_QUESTIONS = 3  # at most, for a survey answered with buttons in the message
PULSE_BUTTONS = 5  # at most, per question of such a survey (Slack allows 25; people, fewer)


@dataclass(frozen=True)
class Text:
    """A text in French and English."""

    fr: str
    en: str

    def get(self, locale: str) -> str:
        return self.en if locale == "en" else self.fr


@dataclass(frozen=True)
class Choice:
    """A choice of a single/multiple question, or an item of a grid or a ranking.

    ``other``: choosing (or ranking) it asks "please specify" in a short text.
    """

    id: str
    label: Text
    other: bool = False


@dataclass(frozen=True)
class Condition:
    """Show a question only when the answer to ``question`` is one of ``any_of``
    (choice ids, yes_no values, or scale values written as strings)."""

    question: str
    any_of: tuple[str, ...]


@dataclass(frozen=True)
class Headline:
    """A headline figure of the evaluation snapshot, declared by the question it counts.

    ``label`` is its wording. A scale, single, multiple or yes_no question counts, per role,
    those whose answer is among ``counts`` (scale values written as strings, choice ids, or
    yes/no/dont_know) out of those who answered; a multiple with ``each`` counts each choice
    on its own; a ranking's headline is its ranking. Roles are shown apart, and together too
    only with ``pool_roles``.
    """

    label: Text
    counts: tuple[str, ...] = ()
    each: bool = False
    pool_roles: bool = False


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    label: Text
    required: bool = True
    help: Text | None = None
    # scale and grid
    scale_min: int = 1
    scale_max: int = 5
    low_label: Text | None = None
    high_label: Text | None = None
    not_applicable: bool = False
    top_box: tuple[int, ...] = ()  # the values counted as "satisfied" in results
    # single, multiple
    choices: tuple[Choice, ...] = ()
    max_choices: int | None = None
    # grid rows, rank items
    items: tuple[Choice, ...] = ()
    pick: int | None = None  # rank: the top N only
    # texts and numbers
    max_length: int | None = None
    min_value: float | None = None
    max_value: float | None = None
    show_if: Condition | None = None
    dont_know: bool = True  # yes_no: offers "don't know"
    # the headline figure it gives in the evaluation snapshot (see evaluation.surveys.headlines)
    headline: Headline | None = None
    # a text question, or the "other" text of a choice question, whose free text goes into
    # the open data of an anonymous campaign (left out otherwise: see evaluation.results.export)
    publishable: bool = False


@dataclass(frozen=True)
class Page:
    questions: tuple[Question, ...]
    title: Text | None = None


@dataclass(frozen=True)
class Audience:
    roles: tuple[str, ...]
    cohort: str | None = None  # None: the cohort given at launch, or every active one


@dataclass(frozen=True)
class Window:
    """A fixed window (``opens``/``closes``), or ``days`` open from the launch."""

    opens: date | None = None
    closes: date | None = None
    days: int | None = None


@dataclass(frozen=True)
class Recurrence:
    """Launched by the scheduler: ``every`` is "month"; ``on`` is "first_working_day";
    each campaign stays open ``days`` days."""

    every: str
    on: str
    days: int


@dataclass(frozen=True)
class Survey:
    id: str
    title: Text
    intro: Text
    audience: Audience
    anonymous: bool
    pages: tuple[Page, ...]
    window: Window | None = None
    recurrence: Recurrence | None = None
    reminders: tuple[int, ...] = ()  # days after opening, to those who have not finished
    source: Path | None = None

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for page in self.pages for q in page.questions)

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    @property
    def is_pulse(self) -> bool:
        """Whether it is answered right in the direct message, with buttons: at most
        :data:`PULSE_QUESTIONS` questions, each a button row (see :func:`answerable_by_buttons`)
        and shown unconditionally. Other surveys open a form, page by page."""
        questions = self.questions
        return 0 < len(questions) <= PULSE_QUESTIONS and all(
            answerable_by_buttons(q) and q.show_if is None for q in questions
        )


def answerable_by_buttons(question: Question) -> bool:
    """A scale of at most :data:`PULSE_BUTTONS` points (plus "not applicable"), a yes_no, or a
    single choice among at most :data:`PULSE_BUTTONS` without "other": one readable row."""
    if question.type == "scale":
        return question.scale_max - question.scale_min + 1 <= PULSE_BUTTONS
    if question.type == "single":
        return len(question.choices) <= PULSE_BUTTONS and not any(
            choice.other for choice in question.choices
        )
    return question.type == "yes_no"


def options_of(question: Question) -> tuple[Choice, ...]:
    """What is chosen among: a ranking's items, other questions' choices."""
    return question.items if question.type == "rank" else question.choices


def has_other(question: Question) -> bool:
    """Whether a choice (or a ranking's item) asks "please specify"."""
    return any(option.other for option in options_of(question))


def yes_no_values(question: Question) -> tuple[str, ...]:
    """The answers a yes_no question takes: yes, no, and "don't know" unless left out."""
    return YES_NO if question.dont_know else YES_NO[:2]


def visible(question: Question, answers: dict) -> bool:
    """Whether ``question`` is shown, given the answers so far."""
    if question.show_if is None:
        return True
    value = answers.get(question.show_if.question)
    values = value if isinstance(value, list) else [value]
    return any(str(v) in question.show_if.any_of for v in values if v is not None)

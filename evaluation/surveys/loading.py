"""Survey files: TOML read into :mod:`evaluation.surveys.definitions` objects, checked at load.

A survey file looks like this (``evaluation/surveys/`` ships complete examples)::

    id = "pulse-mentors"
    anonymous = true
    reminders = [3]                      # days after opening, to those who have not finished
    title = { fr = "…", en = "…" }
    intro = { fr = "…", en = "…" }
    audience = { roles = ["mentor"] }    # fellow, mentor, staff; optional cohort = "…"
    recurrence = { every = "month", on = "first_working_day", days = 7 }
    # or: window = { days = 21 }, or window = { opens = 2026-06-01, closes = 2026-06-21 }

    [[pages]]
    title = { fr = "…", en = "…" }       # optional

    [[pages.questions]]
    id = "team"
    type = "scale"                       # see QUESTION_TYPES
    label = { fr = "…", en = "…" }
    low_label = { fr = "…", en = "…" }
    high_label = { fr = "…", en = "…" }
    show_if = { question = "earlier_id", any_of = [1, 2] }   # optional
    headline = { counts = [4, 5], fr = "…", en = "…" }   # optional: a headline figure of
                                         # the evaluation snapshot (evaluation/surveys/headlines.py)
    # publishable = true                 # texts, or a choice's "other": its free text goes
                                         # into an anonymous survey's open data (else left out)

Everything wrong in a file is reported at once, each problem naming the file, the page
and question, and what to change: a file that loads makes modals Slack accepts.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from bulletins.config import Settings
from bulletins.errors import BulletinsError
from evaluation.surveys.as_json import survey_from_json as survey_from_json
from evaluation.surveys.as_json import survey_to_json as survey_to_json
from evaluation.surveys.definitions import (
    ROLES,
    Audience,
    Page,
    Question,
    Recurrence,
    Survey,
    Window,
)
from evaluation.surveys.question_loading import block_count, read_question
from evaluation.surveys.reading import (
    Report,
    check_keys,
    read_bool,
    read_int,
    read_list,
    read_slug,
    read_table,
    read_text,
)

SHIPPED_SURVEYS = Path(__file__).parent  # the questionnaires shipped beside this module
SURVEY_KEYS = (
    "id",
    "title",
    "intro",
    "audience",
    "anonymous",
    "pages",
    "window",
    "recurrence",
    "reminders",
)
TITLE_LIMIT = 150  # a header block's text
INTRO_LIMIT = 3000  # a section block's text
MAX_BLOCKS = 100  # blocks of a modal
PAGE_BLOCKS = 2  # a page's own blocks besides its questions: its title and progress
MAX_ID = 100  # Campaign.survey_id


class SurveyError(BulletinsError):
    """Survey files hold mistakes; ``problems`` lists each as "file, where: what"."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        listing = "\n".join(f"  {problem}" for problem in problems)
        many = f"{len(problems)} problems in survey files:\n{listing}"
        super().__init__(problems[0] if len(problems) == 1 else many)


def configured_directories(settings: Settings) -> list[Path]:
    """The shipped surveys, then the configured directory's when there is one."""
    return [SHIPPED_SURVEYS] + ([settings.survey_directory] if settings.survey_directory else [])


def load_surveys(directories: Iterable[Path | None]) -> dict[str, Survey]:
    """Every ``*.toml`` survey of ``directories``, by id; problems of every file at once."""
    surveys: dict[str, Survey] = {}
    problems: list[str] = []
    seen: set[Path] = set()
    for directory in directories:
        if directory is None or directory.resolve() in seen:
            continue
        seen.add(directory.resolve())
        if not directory.is_dir():
            problems.append(f"{directory}: no such directory of surveys")
            continue
        for path in sorted(directory.glob("*.toml")):
            try:
                survey = load_survey(path)
            except SurveyError as error:
                problems += error.problems
                continue
            if survey.id in surveys:
                problems.append(
                    f"{path}: the survey id {survey.id!r} is already defined in "
                    f"{surveys[survey.id].source}"
                )
            else:
                surveys[survey.id] = survey
    if problems:
        raise SurveyError(problems)
    return surveys


def load_survey(path: Path) -> Survey:
    """The survey of one file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise SurveyError([f"{path}: not valid TOML: {error}"]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise SurveyError([f"{path}: cannot be read: {error}"]) from None
    return parse_survey(data, path)


def parse_survey(data: dict, source: Path | str) -> Survey:
    """The survey of an already-parsed TOML table; ``source`` names it in problems."""
    report = Report(str(source))
    check_keys(data, SURVEY_KEYS, "", report)
    survey_id = read_slug(data.get("id"), "the survey's id", "", report, limit=MAX_ID)
    title = read_text(data, "title", "", report, limit=TITLE_LIMIT)
    intro = read_text(data, "intro", "", report, limit=INTRO_LIMIT)
    audience = _audience(data, report)
    anonymous = read_bool(data, "anonymous", "", report, default=None)
    pages = _pages(data, report)
    window, recurrence, length = _timing(data, report)
    reminders = _reminders(data, length, report)
    if report.problems:
        raise SurveyError(report.problems)
    return Survey(
        id=survey_id,
        title=title,
        intro=intro,
        audience=audience,
        anonymous=anonymous,
        pages=pages,
        window=window,
        recurrence=recurrence,
        reminders=reminders,
        source=Path(source),
    )


def _audience(data: dict, report: Report) -> Audience | None:
    raw = read_table(data, "audience", "", report)
    if raw is None:
        if "audience" not in data:
            report.add("", "'audience' is missing: give audience = { roles = [...] }")
        return None
    check_keys(raw, ("roles", "cohort"), "audience", report)
    roles = read_list(raw, "roles", "audience", report) or []
    wrong = [role for role in roles if role not in ROLES]
    if not roles or wrong or len(set(roles)) < len(roles):
        report.add(
            "audience",
            f"roles must list, once each, some of {', '.join(ROLES)}; got {roles!r}",
        )
    cohort = raw.get("cohort")
    if cohort is not None and (not isinstance(cohort, str) or not cohort.strip()):
        report.add("audience", f"cohort must be a cohort's name, got {cohort!r}")
    return Audience(tuple(roles), cohort)


def _pages(data: dict, report: Report) -> tuple[Page, ...]:
    raw_pages = read_list(data, "pages", "", report)
    if not raw_pages:
        report.add("", "a survey needs at least one [[pages]] with [[pages.questions]]")
        return ()
    earlier: dict[str, Question] = {}
    pages = []
    for number, raw in enumerate(raw_pages, 1):
        if not isinstance(raw, dict):
            report.add(f"page {number}", f"a page must be a table, got {raw!r}")
            continue
        pages.append(_page(raw, number, earlier, report))
    return tuple(pages)


def _page(raw: dict, number: int, earlier: dict[str, Question], report: Report) -> Page:
    """Page ``number``; its questions are added to ``earlier``."""
    where = f"page {number}"
    check_keys(raw, ("title", "questions"), where, report)
    title = read_text(raw, "title", where, report, limit=TITLE_LIMIT, required=False)
    raw_questions = read_list(raw, "questions", where, report) or []
    if not raw_questions:
        report.add(where, "a page needs at least one question ([[pages.questions]])")
    questions = []
    for index, raw_question in enumerate(raw_questions, 1):
        question = read_question(raw_question, number, index, earlier, report)
        if question is None:
            continue
        if question.id in earlier:
            report.add(f"{where}, question {question.id!r}", "this id is used twice")
            continue
        same = _same_headline(question, earlier)
        if same is not None:
            report.add(
                f"{where}, question {question.id!r}",
                f"its headline has the wording of question {same!r}'s: give each its own",
            )
        earlier[question.id] = question
        questions.append(question)
    blocks = PAGE_BLOCKS + sum(block_count(question) for question in questions)
    if blocks > MAX_BLOCKS:
        report.add(
            where,
            f"it would take about {blocks} blocks in Slack, over its limit of {MAX_BLOCKS}: "
            "split it into more pages",
        )
    return Page(tuple(questions), title)


def _same_headline(question: Question, earlier: dict[str, Question]) -> str | None:
    """An earlier question whose headline has the same wording, in either language."""
    if question.headline is None:
        return None
    mine = question.headline.label
    for other in earlier.values():
        theirs = other.headline.label if other.headline else None
        if theirs is not None and (theirs.fr == mine.fr or theirs.en == mine.en):
            return other.id
    return None


def _timing(data: dict, report: Report) -> tuple[Window | None, Recurrence | None, int | None]:
    """The window or the recurrence, and how many days a campaign stays open."""
    if ("window" in data) == ("recurrence" in data):
        report.add(
            "",
            "give either a window (opens and closes dates, or days) or a recurrence, and not both",
        )
    window_raw = read_table(data, "window", "", report)
    recurrence_raw = read_table(data, "recurrence", "", report)
    if window_raw is not None:
        window = _window(window_raw, report)
        if window.days:
            return window, None, window.days
        if window.opens and window.closes:
            return window, None, (window.closes - window.opens).days
        return window, None, None
    if recurrence_raw is not None:
        recurrence = _recurrence(recurrence_raw, report)
        return None, recurrence, recurrence.days
    return None, None, None


def _window(raw: dict, report: Report) -> Window:
    check_keys(raw, ("opens", "closes", "days"), "window", report)
    if "days" in raw:
        if "opens" in raw or "closes" in raw:
            report.add("window", "give opens and closes, or days, not both")
        return Window(days=read_int(raw, "days", "window", report, default=None))
    opens, closes = raw.get("opens"), raw.get("closes")
    if type(opens) is not date or type(closes) is not date:
        report.add(
            "window",
            "give opens and closes as dates (opens = 2026-06-01, closes = 2026-06-21), "
            f"or days; got opens = {opens!r}, closes = {closes!r}",
        )
        return Window()
    if opens >= closes:
        report.add("window", f"opens ({opens}) must come before closes ({closes})")
    return Window(opens=opens, closes=closes)


def _recurrence(raw: dict, report: Report) -> Recurrence:
    check_keys(raw, ("every", "on", "days"), "recurrence", report)
    every, on = raw.get("every"), raw.get("on")
    if every != "month":
        report.add("recurrence", f'every must be "month", got {every!r}')
    if on != "first_working_day":
        report.add("recurrence", f'on must be "first_working_day", got {on!r}')
    days = read_int(raw, "days", "recurrence", report, default=None)
    if days is None:
        report.add("recurrence", "days, how long each campaign stays open, is missing")
    elif days > 28:
        report.add(
            "recurrence",
            f"days ({days}) must be at most 28, so a month's campaign "
            "closes before the next one opens",
        )
    return Recurrence(str(every), str(on), days or 0)


def _reminders(data: dict, length: int | None, report: Report) -> tuple[int, ...]:
    days = read_list(data, "reminders", "", report) or []
    wrong = [d for d in days if type(d) is not int or d < 1]
    if wrong:
        report.add("", f"reminders must be whole numbers of days of at least 1, got {wrong}")
        return ()
    if len(set(days)) < len(days):
        report.add("", f"reminders lists a day twice: {days}")
    late = [d for d in days if length and d >= length]
    if late:
        report.add(
            "",
            f"reminders on day {', '.join(map(str, late))} would come once the survey has "
            f"closed (it stays open {length} days)",
        )
    return tuple(sorted(set(days)))

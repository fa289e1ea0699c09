"""The end of the demo's cohort: the end-of-cohort questionnaires launched for fellows and
for mentors (as ``bulletins survey launch`` does), answered page by page in their modals
through the app's real HTTP endpoint; the reminder on the survey's first reminder day;
then the results and the evaluation snapshot (:mod:`bot.demo.results`).

Most people answer in the first three days, a few after the reminder; one of each role
stops after two pages, and a few never answer: the response rates are not 100 %, and
both groups stay above the anonymity threshold.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from bot.demo import filing as demo_filing
from bot.demo import surveys as demo_surveys
from bot.demo.filing import Step, run_steps
from bot.demo.pages import PageContext, labels, names, write_calls, write_view
from bot.demo.results import write_results, write_snapshot_dir
from bot.demo.sample import sample_roster, staff
from bot.demo.screens.pages import Link
from bot.standin.workspace import SlackWorkspace
from bulletins.calendar import IsoWeek, ProgrammeCalendar
from bulletins.db.models import Campaign
from bulletins.i18n import gettext
from bulletins.roster.csv_file import team_slug
from evaluation.campaigns import find_survey, launch
from evaluation.campaigns.jobs import SURVEY_TIME

FOLDER = "end-of-cohort"
SURVEYS = ("end-fellows", "end-mentors")
AFTER_REMINDER, NEVER = 4, 6  # people of each questionnaire (one of NEVER stops at page 2)
FIRST_ANSWER, SPACING = time(10, 20), timedelta(minutes=37)


@dataclass
class Waves:
    """Who answers one questionnaire when."""

    early: list[str]
    after_reminder: list[str]
    partial: list[str]  # stop after two pages
    never: list[str]


@dataclass
class EndRecord:
    """What happened at the end of the cohort, and the pages written for it."""

    first_call: int
    launched: datetime
    reminded: datetime | None = None
    last_call: int = 0
    marks: list[tuple[int, datetime]] = field(default_factory=list)
    waves: dict[str, Waves] = field(default_factory=dict)
    pages: list[Link] = field(default_factory=list)
    results: dict[str, list[Link]] = field(default_factory=dict)  # by survey id
    snapshot: list[Path] = field(default_factory=list)
    shown: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # pages, by survey

    def summary(self) -> str:
        """How many sent each questionnaire, of how many asked."""
        return "; ".join(
            f"{survey_id} {len(w.early) + len(w.after_reminder)} of "
            f"{len(w.early) + len(w.after_reminder) + len(w.partial) + len(w.never)} answered"
            for survey_id, w in self.waves.items()
        )


def end_day(calendar: ProgrammeCalendar, last_week: IsoWeek) -> date:
    """The cohort's last day: the first working day from the Wednesday after its last week,
    when its end-of-cohort questionnaires are launched."""
    return calendar.first_working_day(last_week.next().day(3))


def play_end(workspace: SlackWorkspace, last_week: IsoWeek, out: Path) -> EndRecord:
    """Launch the questionnaires on the cohort's last day, the Wednesday after the last
    week, play the answers and the reminder, then write the pages, the results and the
    snapshot."""
    calendar = workspace.services.calendar
    launched = calendar.at(end_day(calendar, last_week), SURVEY_TIME)
    record = EndRecord(first_call=len(workspace.standin.calls), launched=launched)
    campaigns = _launch(workspace, record)
    record.waves = {survey_id: _waves(survey_id) for survey_id in SURVEYS}
    steps = _early_steps(workspace, record, campaigns) + _late_steps(workspace, record, campaigns)
    run_steps(workspace, steps, record)
    last = workspace.clock.now + timedelta(hours=1)
    workspace.clock.now = last
    record.marks.append((len(workspace.standin.calls), last))
    demo_filing.open_home(workspace, staff(sample_roster())[0].slack_user_id)
    record.last_call = len(workspace.standin.calls)
    _write_pages(workspace, record, out / FOLDER)
    # The results once the questionnaires have closed: all the answers, where while open
    # they show in batches of anonymity_k.
    workspace.tick(_closing(workspace, campaigns))
    record.results = write_results(workspace, out, "results")
    record.snapshot = write_snapshot_dir(workspace, out / "snapshot")
    return record


def _closing(workspace: SlackWorkspace, campaigns: dict[str, int]) -> datetime:
    """When the last of ``campaigns`` closes."""
    with workspace.services.sessions() as session:
        return max(session.get(Campaign, id_).closes_at for id_ in campaigns.values())


def _launch(workspace: SlackWorkspace, record: EndRecord) -> dict[str, int]:
    """``bulletins survey launch`` for each questionnaire, then the tick that sends them."""
    services, now = workspace.services, record.launched
    workspace.clock.now = now
    record.marks.append((len(workspace.standin.calls), now))
    with services.sessions.begin() as session:
        campaigns = {
            survey_id: launch(
                session,
                find_survey(services.settings, survey_id),
                cohort=None,
                now=now,
                calendar=services.calendar,
                settings=services.settings,
            ).id
            for survey_id in SURVEYS
        }
    workspace.tick(now)
    return campaigns


def _waves(survey_id: str) -> Waves:
    role = "fellow" if survey_id == "end-fellows" else "mentor"
    people = [row.slack_user_id for row in sample_roster() if row.role == role]
    random.Random(survey_id).shuffle(people)
    answering = len(people) - NEVER - AFTER_REMINDER
    later = people[answering : answering + AFTER_REMINDER]
    return Waves(people[:answering], later, people[-NEVER:][:1], people[-NEVER:][1:])


def _early_steps(
    workspace: SlackWorkspace, record: EndRecord, campaigns: dict[str, int]
) -> list[Step]:
    """Over the first working days, the early ones answer in turn, fellows and mentors
    alternating; those who stop after two pages do so on the second day."""
    calendar = workspace.services.calendar
    queue = _alternate({s: record.waves[s].early for s in SURVEYS})
    steps, day, slot = [], calendar.local(record.launched).date(), 0
    for survey_id, user_id in queue:
        if calendar.at(day, FIRST_ANSWER) + SPACING * slot > calendar.at(day, time(18)):
            day, slot = calendar.first_working_day(day + timedelta(days=1)), 0
        moment = calendar.at(day, FIRST_ANSWER) + SPACING * slot
        steps.append((moment, _answer(workspace, record, campaigns[survey_id], survey_id, user_id)))
        slot += 1
    second = calendar.at(
        calendar.first_working_day(record.launched.date() + timedelta(1)), time(12)
    )
    for survey_id in SURVEYS:
        for user_id in record.waves[survey_id].partial:
            steps.append(
                (second, _answer(workspace, record, campaigns[survey_id], survey_id, user_id, 2))
            )
    return steps


def _alternate(lists: dict[str, list[str]]) -> list[tuple[str, str]]:
    longest = max(len(people) for people in lists.values())
    return [
        (s, people[i]) for i in range(longest) for s, people in lists.items() if i < len(people)
    ]


def _late_steps(
    workspace: SlackWorkspace, record: EndRecord, campaigns: dict[str, int]
) -> list[Step]:
    """The survey's first reminder day at 10:00: the reminders; then a few answer."""
    calendar = workspace.services.calendar
    first_day = min(find_survey(workspace.services.settings, SURVEYS[0]).reminders)
    day = calendar.local(record.launched).date() + timedelta(days=first_day)
    reminded = record.reminded = calendar.at(day, SURVEY_TIME)
    steps: list[Step] = [(reminded, lambda: workspace.tick(reminded))]
    queue = _alternate({s: record.waves[s].after_reminder for s in SURVEYS})
    for order, (survey_id, user_id) in enumerate(queue, start=1):
        moment = reminded + timedelta(minutes=25 * order)
        steps.append((moment, _answer(workspace, record, campaigns[survey_id], survey_id, user_id)))
    return steps


def _answer(
    workspace: SlackWorkspace,
    record: EndRecord,
    campaign_id: int,
    survey_id: str,
    user_id: str,
    pages: int | None = None,
):
    def act() -> None:
        rng = random.Random(f"{survey_id}:{user_id}")
        shown = demo_surveys.answer_questionnaire(workspace, user_id, campaign_id, rng, pages)
        record.shown.setdefault(survey_id, shown)

    return act


def _write_pages(workspace: SlackWorkspace, record: EndRecord, folder: Path) -> None:
    """Three people's DMs (answered early, answered after the reminder, stopped at page 2),
    the staff Home tab, and two pages of the fellows' questionnaire."""
    fellows, mentors_ = record.waves["end-fellows"], record.waves["end-mentors"]
    shown = [fellows.early[0], mentors_.after_reminder[0], fellows.partial[0]]
    write_calls(workspace, record, folder, dms=shown)
    people, locale = names(workspace), workspace.services.settings.locale
    said = [
        gettext(locale, "%(name)s, fellow, answered at once", name=people[shown[0]]),
        gettext(locale, "%(name)s, mentor, answered after the reminder", name=people[shown[1]]),
        gettext(locale, "%(name)s, fellow, stopped at page 2", name=people[shown[2]]),
    ]
    titles = {
        f"{FOLDER}/dm-{team_slug(people[u])}.html": t for u, t in zip(shown, said, strict=True)
    }
    record.pages = [(titles.get(link[1], link[0]), *link[1:]) for link in record.pages]
    page = PageContext(people, labels(workspace, record), record, folder)
    views = record.shown.get("end-fellows", [])
    for number in (1, 4):
        if len(views) >= number:
            title = gettext(locale, "The fellows' questionnaire, page %(page)s", page=number)
            write_view(f"questionnaire-page-{number}", title, views[number - 1], page)

"""``bulletins demo``: the whole product, played on a fresh database with the built-in
Slack stand-in, then written down as what Slack would have shown.

Before the first week, the programme team imports most teams' facts sheets. Each week of
the script: the form opens on Monday; teams file through the app's real HTTP endpoint
(``/bulletin``, then the form's submission, signed like Slack's requests); the scheduled
jobs run at the call to action, each reminder and the deadline; some teams file late, one
is excused, a few stay silent; two teams update their facts with ``/bulletin facts``. On
the first working day of a month, the scheduler posts the monthly digest and launches the
mentors' pulse, which most mentors answer with its buttons. After the last week come the
end-of-cohort questionnaires, their results and the evaluation snapshot
(:mod:`bot.demo.evaluation`), then a visit of the web console (:mod:`bot.demo.console`).
Every message, reminder, Home tab and form is rendered as
Markdown and HTML (:mod:`bot.demo.pages`), linked from an index (:mod:`bot.demo.tour`).
"""

from __future__ import annotations

import dataclasses
import random
import shutil
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import Engine, select

from bot.demo import filing as demo_filing
from bot.demo import surveys as demo_surveys
from bot.demo.console import visit_as_fellow, visit_as_staff
from bot.demo.evaluation import end_day, play_end
from bot.demo.facts import import_facts, type_facts
from bot.demo.filing import Step, run_steps
from bot.demo.pages import WeekRecord, write_week
from bot.demo.sample import COHORT, fellows, mentors, sample_roster, staff
from bot.demo.story import Plan, When, week_plans
from bot.demo.tour import DemoResult, write_index
from bot.standin.workspace import SlackWorkspace
from bulletins.calendar import IsoWeek, ProgrammeCalendar
from bulletins.config import Settings
from bulletins.cycle.export import export_rows, write_csv
from bulletins.cycle.reminders import SNOOZE
from bulletins.db import make_engine, make_session_factory, upgrade
from bulletins.db.models import Team
from bulletins.roster.csv_file import import_roster
from evaluation.campaigns.jobs import SURVEY_TIME

FIRST_WEEK = IsoWeek(2026, 10)  # Monday 2 March 2026: a fixed week, so every run is the same
DEFAULT_WEEKS = 5  # to Sunday 5 April: the run crosses into April (monthly digest, pulse)
MAX_WEEKS = 12
# (week index, team, who types /bulletin facts: "fellow" or "mentor", weekday, time)
HELP_OFFERED_IN = 0  # the week in which someone clicks "I can help" under the digest
SNOOZED_IN = 0  # the week in which a fellow of a silent team asks to be reminded in an hour
FACTS_TYPED = ((0, "LexImpact", "fellow", 2, time(11, 30)), (1, "CartoBio", "mentor", 3, time(14)))


def run_demo(settings: Settings, weeks: int, out: Path) -> DemoResult:
    """Play ``weeks`` weeks of the sample cohort and write the pages into ``out``."""
    if not 1 <= weeks <= MAX_WEEKS:
        raise demo_filing.DemoError(f"--weeks: expected 1 to {MAX_WEEKS}, got {weeks}")
    database = _fresh_database(out)
    settings = dataclasses.replace(settings, database_url=f"sqlite:///{database}")
    engine = make_engine(settings.database_url)
    try:
        upgrade(engine)
        last_week = IsoWeek.of(FIRST_WEEK.monday + timedelta(weeks=weeks - 1))
        calendar = ProgrammeCalendar.from_settings(settings)
        # The cohort starts with the demo and ends with its end-of-cohort questionnaires.
        _load_roster(engine, FIRST_WEEK.monday, end_day(calendar, last_week))
        result = DemoResult(out, out / "index.html", out / "bulletins.csv", database)
        start = datetime.combine(FIRST_WEEK.monday, datetime.min.time(), settings.timezone)
        with SlackWorkspace(settings, engine, now=start) as workspace:
            workspace.register_people()
            import_facts(workspace, start - timedelta(days=3))
            for index in range(weeks):
                week = IsoWeek.of(FIRST_WEEK.monday + timedelta(weeks=index))
                result.weeks.append(_play_week(workspace, week, index, out))
            result.console = visit_as_fellow(workspace, out)
            result.end = play_end(workspace, result.weeks[-1].week, out)
            _export(workspace, result.csv)
            result.console += visit_as_staff(workspace, out)
            write_index(result, workspace)
        return result
    finally:
        engine.dispose()


def _fresh_database(out: Path) -> Path:
    """An empty place for the database in ``out``; earlier demo output there is removed."""
    out.mkdir(parents=True, exist_ok=True)
    folders = [out / name for name in ("end-of-cohort", "results", "snapshot", "console")]
    for old in [*out.glob("????-W??"), *folders]:
        if old.is_dir():
            shutil.rmtree(old)
    database = out / "bulletins.db"
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    return database


def _load_roster(engine: Engine, cohort_start: date, cohort_end: date) -> None:
    with make_session_factory(engine).begin() as session:
        import_roster(
            session,
            sample_roster(),
            today=cohort_start,
            cohort_start=cohort_start,
            cohort_end=cohort_end,
        )


def _export(workspace: SlackWorkspace, path: Path) -> None:
    with workspace.services.sessions() as session:
        rows = export_rows(
            session, workspace.services.calendar, locale=workspace.services.settings.locale
        )
        write_csv(rows, path)


def _teams(workspace: SlackWorkspace) -> dict[str, Team]:
    with workspace.services.sessions() as session:
        return {team.name: team for team in session.scalars(select(Team))}


# --- One week ------------------------------------------------------------------------------


def _play_week(workspace: SlackWorkspace, week: IsoWeek, index: int, out: Path) -> WeekRecord:
    record = WeekRecord(week=week, first_call=len(workspace.standin.calls))
    steps = _schedule_steps(workspace, record) + _people_steps(workspace, week, index, record)
    steps += _facts_steps(workspace, week, index) + _pulse_steps(workspace, record)
    steps += _help_steps(workspace, week, index, record)
    steps += _snooze_steps(workspace, week, index, record)
    run_steps(workspace, steps, record)
    _open_homes(workspace, week, record)
    record.last_call = len(workspace.standin.calls)
    write_week(workspace, record, out)
    return record


def _schedule_steps(workspace: SlackWorkspace, record: WeekRecord) -> list[Step]:
    """A tick at the opening, the call to action, each reminder, the deadline, and later."""
    calendar, week = workspace.services.calendar, record.week
    deadline = calendar.deadline(week)
    moments = [calendar.opens(week), calendar.call_to_action(week), *calendar.reminders(week)]
    moments += [deadline, deadline + timedelta(hours=3), calendar.late_until(week) - _MINUTE]
    moments += _month_starts(workspace, week)
    return [(moment, _ticker(workspace, moment)) for moment in moments]


def _month_starts(workspace: SlackWorkspace, week: IsoWeek) -> list[datetime]:
    """The first working day of a month, if in ``week``, at the time of the monthly digest
    and at that of the monthly pulse."""
    calendar, settings = workspace.services.calendar, workspace.services.settings
    days = [week.day(weekday) for weekday in range(1, 8)]
    firsts = [d for d in days if d == calendar.first_working_day_of_month(d.year, d.month)]
    times = sorted({settings.schedule.monthly_digest, SURVEY_TIME})
    return [calendar.at(day, at) for day in firsts for at in times]


_MINUTE = timedelta(minutes=1)


def _ticker(workspace: SlackWorkspace, moment: datetime) -> Callable[[], object]:
    return lambda: workspace.tick(moment)


def _people_steps(
    workspace: SlackWorkspace, week: IsoWeek, index: int, record: WeekRecord
) -> list[Step]:
    teams, rows = _teams(workspace), sample_roster()
    steps: list[Step] = []
    counts: dict[When, int] = {}
    for plan in week_plans(index):
        order = counts[plan.when] = counts.get(plan.when, 0) + 1
        moment = _moment(workspace, week, plan.when, order)
        if moment is None:
            record.silent.append(plan.team)
            continue
        user_id = fellows(rows, plan.team)[index % 2].slack_user_id
        steps.append((moment, _action(workspace, user_id, teams[plan.team], week, plan, record)))
    return steps


def _help_steps(
    workspace: SlackWorkspace, week: IsoWeek, index: int, record: WeekRecord
) -> list[Step]:
    """In the first week, half an hour after the digest, a fellow of another team offers
    help under its first help request."""
    if index != HELP_OFFERED_IN:
        return []
    moment = workspace.services.calendar.deadline(week) + timedelta(minutes=30)

    def offer() -> None:
        helper = demo_filing.offer_help(workspace, sample_roster())
        if helper is None:
            raise demo_filing.DemoError(f"the digest of {week} asks for no help to offer")
        record.helpers.append(helper)

    return [(moment, offer)]


def _snooze_steps(
    workspace: SlackWorkspace, week: IsoWeek, index: int, record: WeekRecord
) -> list[Step]:
    """In the first week, a fellow of a team that stays silent clicks "Remind me in an
    hour" under the first reminder; a tick an hour later sends it again."""
    calendar = workspace.services.calendar
    reminders = calendar.reminders(week)
    silent = [plan.team for plan in week_plans(index) if plan.when is When.SILENT]
    if index != SNOOZED_IN or not reminders or not silent:
        return []
    fellow = fellows(sample_roster(), silent[0])[index % 2]
    moment = reminders[0] + timedelta(minutes=2)

    def snooze() -> None:
        demo_filing.snooze_reminder(workspace, fellow.slack_user_id)
        record.snoozed.append(fellow.name)

    later = moment + SNOOZE
    return [(moment, snooze), (later, _ticker(workspace, later))]


def _facts_steps(workspace: SlackWorkspace, week: IsoWeek, index: int) -> list[Step]:
    """A fellow or a mentor updates the team's facts sheet with ``/bulletin facts``."""
    teams, rows, steps = _teams(workspace), sample_roster(), list[Step]()
    for week_index, team, role, weekday, at in FACTS_TYPED:
        if week_index == index:
            who = (fellows if role == "fellow" else mentors)(rows, team)[0].slack_user_id
            moment = workspace.services.calendar.at(week.day(weekday), at)
            steps.append((moment, lambda w=who, t=teams[team]: type_facts(workspace, w, t)))
    return steps


def _pulse_steps(workspace: SlackWorkspace, record: WeekRecord) -> list[Step]:
    """Two mentors in three answer the monthly pulse, from half an hour after its launch."""
    launches = [m for m in _month_starts(workspace, record.week) if m.time() == SURVEY_TIME]
    steps: list[Step] = []
    for launch in launches:
        answering = [row for i, row in enumerate(mentors(sample_roster())) if i % 3 != 2]
        for order, row in enumerate(answering):
            moment = launch + timedelta(minutes=30 + 20 * order)
            steps.append((moment, _pulse_answer(workspace, row.slack_user_id, record)))
    return steps


def _pulse_answer(
    workspace: SlackWorkspace, user_id: str, record: WeekRecord
) -> Callable[[], object]:
    def answer() -> None:
        campaign_id = demo_surveys.latest_campaign(workspace, "pulse-mentors")
        rng = random.Random(f"pulse:{campaign_id}:{user_id}")
        demo_surveys.answer_pulse(workspace, user_id, campaign_id, rng)
        record.pulse.append(user_id)

    return answer


def _moment(workspace: SlackWorkspace, week: IsoWeek, when: When, order: int) -> datetime | None:
    """When a team acting ``when`` writes; the ``order``-th of them a few minutes later."""
    calendar = workspace.services.calendar
    deadline, reminders = calendar.deadline(week), calendar.reminders(week)
    first_reminder = reminders[0] if reminders else deadline - timedelta(hours=1)
    spread = timedelta(minutes=7 * order)
    moments = {
        When.EARLY: calendar.opens(week) + timedelta(days=1 + order % 3, hours=1) + spread,
        When.MORNING: calendar.call_to_action(week) + timedelta(minutes=20) + spread,
        When.AFTER_REMINDER: first_reminder + timedelta(minutes=10) + spread,
        When.EXCUSED: first_reminder + timedelta(minutes=5),
        When.LAST_MINUTE: deadline - timedelta(minutes=8) - _MINUTE * order,
        When.LATE: deadline + timedelta(hours=1) + spread * 3,
    }
    moment = moments.get(when)
    if moment is not None and when not in (When.LATE,) and moment >= deadline:
        moment = deadline - _MINUTE * (order + 1)
    return moment


def _action(
    workspace: SlackWorkspace,
    user_id: str,
    team: Team,
    week: IsoWeek,
    plan: Plan,
    record: WeekRecord,
) -> Callable[[], object]:
    def act() -> None:
        if plan.when is When.EXCUSED:
            demo_filing.excuse_week(workspace, user_id, team, str(week), plan.reason or "")
            record.excused.append(team.name)
            return
        key_date = None
        if plan.key_date_in_days is not None:
            key_date = week.monday + timedelta(days=plan.key_date_in_days)
        demo_filing.file_bulletin(workspace, user_id, team, str(week), plan, key_date)
        (record.late if plan.when is When.LATE else record.filed).append(team.name)

    return act


def _open_homes(workspace: SlackWorkspace, week: IsoWeek, record: WeekRecord) -> None:
    """At the end of the week, a fellow, a mentor and a staff member open the Home tab."""
    rows = sample_roster()
    team = rows[0].team
    people = [fellows(rows, team)[0]]
    people += [row for row in rows if row.team == team and row.role == "mentor"][:1]
    people += staff(rows)[:1]
    workspace.clock.now = workspace.services.calendar.late_until(week) - _MINUTE
    for row in people:
        if demo_filing.open_home(workspace, row.slack_user_id) is None:
            record.missing_homes.append(row.name)


__all__ = ["COHORT", "DEFAULT_WEEKS", "DemoResult", "run_demo"]

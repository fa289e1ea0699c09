"""``bulletins demo``: the whole weekly cycle, played on a fresh database with the built-in
Slack stand-in, then written down as what Slack would have shown.

Each week of the script: the form opens on Monday; teams file through the app's real
HTTP endpoint (``/bulletin``, then the form's submission, signed like Slack's requests);
the scheduled jobs run at the call to action, each reminder and the deadline; some
teams file late, one is excused, a few stay silent. Then every message, reminder and
Home tab is rendered as Markdown and HTML (see ``bot.demo_pages``) with the CSV export.
"""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, select

from bot import demo_filing
from bot.demo_pages import WeekRecord, write_index, write_week
from bot.standin.bench import SlackBench
from bulletins.calendar import IsoWeek
from bulletins.config import Settings
from bulletins.db import make_engine, make_session_factory, upgrade
from bulletins.db.models import Team
from bulletins.export import export_rows, write_csv
from bulletins.roster import import_roster
from bulletins.sample import COHORT, fellows, sample_roster, staff
from bulletins.sample_story import Plan, When, week_plans

FIRST_WEEK = IsoWeek(2026, 10)  # Monday 2 March 2026: a fixed week, so every run is the same
MAX_WEEKS = 12
Step = tuple[datetime, Callable[[], object]]


@dataclass
class DemoResult:
    """Where the demo wrote what, and what happened each week."""

    out: Path
    index: Path
    csv: Path
    database: Path
    weeks: list[WeekRecord] = field(default_factory=list)


def run_demo(settings: Settings, weeks: int, out: Path) -> DemoResult:
    """Play ``weeks`` weeks of the sample cohort and write the pages into ``out``."""
    if not 1 <= weeks <= MAX_WEEKS:
        raise demo_filing.DemoError(f"--weeks: expected 1 to {MAX_WEEKS}, got {weeks}")
    database = _fresh_database(out)
    settings = dataclasses.replace(settings, database_url=f"sqlite:///{database}")
    engine = make_engine(settings.database_url)
    try:
        upgrade(engine)
        _load_roster(engine, FIRST_WEEK.monday - timedelta(weeks=4))
        result = DemoResult(out, out / "index.html", out / "bulletins.csv", database)
        start = datetime.combine(FIRST_WEEK.monday, datetime.min.time(), settings.timezone)
        with SlackBench(settings, engine, now=start) as bench:
            bench.register_people()
            for index in range(weeks):
                week = IsoWeek.of(FIRST_WEEK.monday + timedelta(weeks=index))
                result.weeks.append(_play_week(bench, week, index, out))
            _export(bench, result.csv)
            write_index(result, bench)
        return result
    finally:
        engine.dispose()


def _fresh_database(out: Path) -> Path:
    """An empty place for the database in ``out``; earlier demo output there is removed."""
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("????-W??"):
        if old.is_dir():
            shutil.rmtree(old)
    database = out / "bulletins.db"
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    return database


def _load_roster(engine: Engine, cohort_start: date) -> None:
    with make_session_factory(engine).begin() as session:
        import_roster(session, sample_roster(), today=cohort_start, cohort_start=cohort_start)


def _export(bench: SlackBench, path: Path) -> None:
    with bench.services.sessions() as session:
        rows = export_rows(session, bench.services.calendar, locale=bench.services.settings.locale)
        write_csv(rows, path)


def _teams(bench: SlackBench) -> dict[str, Team]:
    with bench.services.sessions() as session:
        return {team.name: team for team in session.scalars(select(Team))}


# --- One week ------------------------------------------------------------------------------


def _play_week(bench: SlackBench, week: IsoWeek, index: int, out: Path) -> WeekRecord:
    record = WeekRecord(week=week, first_call=len(bench.standin.calls))
    steps = _schedule_steps(bench, record) + _people_steps(bench, week, index, record)
    for moment, action in sorted(steps, key=lambda step: step[0]):
        bench.clock.now = moment
        record.marks.append((len(bench.standin.calls), moment))
        action()
    _open_homes(bench, week, record)
    record.last_call = len(bench.standin.calls)
    write_week(bench, record, out)
    return record


def _schedule_steps(bench: SlackBench, record: WeekRecord) -> list[Step]:
    """A tick at the opening, the call to action, each reminder, the deadline, and later."""
    calendar, week = bench.services.calendar, record.week
    deadline = calendar.deadline(week)
    moments = [calendar.opens(week), calendar.call_to_action(week), *calendar.reminders(week)]
    moments += [deadline, deadline + timedelta(hours=3), calendar.late_until(week) - _MINUTE]
    return [(moment, _ticker(bench, moment)) for moment in moments]


_MINUTE = timedelta(minutes=1)


def _ticker(bench: SlackBench, moment: datetime) -> Callable[[], object]:
    return lambda: bench.tick(moment)


def _people_steps(bench: SlackBench, week: IsoWeek, index: int, record: WeekRecord) -> list[Step]:
    teams, rows = _teams(bench), sample_roster()
    steps: list[Step] = []
    counts: dict[When, int] = {}
    for plan in week_plans(index):
        order = counts[plan.when] = counts.get(plan.when, 0) + 1
        moment = _moment(bench, week, plan.when, order)
        if moment is None:
            record.silent.append(plan.team)
            continue
        user_id = fellows(rows, plan.team)[index % 2].slack_user_id
        steps.append((moment, _action(bench, user_id, teams[plan.team], week, plan, record)))
    return steps


def _moment(bench: SlackBench, week: IsoWeek, when: When, order: int) -> datetime | None:
    """When a team acting ``when`` writes; the ``order``-th of them a few minutes later."""
    calendar = bench.services.calendar
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
    bench: SlackBench, user_id: str, team: Team, week: IsoWeek, plan: Plan, record: WeekRecord
) -> Callable[[], object]:
    def act() -> None:
        if plan.when is When.EXCUSED:
            demo_filing.excuse_week(bench, user_id, team, str(week), plan.reason or "")
            record.excused.append(team.name)
            return
        key_date = None
        if plan.key_date_in_days is not None:
            key_date = week.monday + timedelta(days=plan.key_date_in_days)
        demo_filing.file_bulletin(bench, user_id, team, str(week), plan, key_date)
        (record.late if plan.when is When.LATE else record.filed).append(team.name)

    return act


def _open_homes(bench: SlackBench, week: IsoWeek, record: WeekRecord) -> None:
    """At the end of the week, a fellow, a mentor and a staff member open the Home tab."""
    rows = sample_roster()
    team = rows[0].team
    people = [fellows(rows, team)[0]]
    people += [row for row in rows if row.team == team and row.role == "mentor"][:1]
    people += staff(rows)[:1]
    bench.clock.now = bench.services.calendar.late_until(week) - _MINUTE
    for row in people:
        if demo_filing.open_home(bench, row.slack_user_id) is None:
            record.missing_homes.append(row.name)


__all__ = ["COHORT", "DemoResult", "run_demo"]

"""``bulletins roster``: cohorts, teams and people from a CSV file.

Each command imports what it runs when it runs, so that ``bulletins --help`` and the
other commands start fast.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from bot.cli import Context, pass_context


@click.group()
def roster() -> None:
    """Manage cohorts, teams and people."""


@roster.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--start", type=click.DateTime(["%Y-%m-%d"]), help="Cohort start date, YYYY-MM-DD.")
@click.option("--end", type=click.DateTime(["%Y-%m-%d"]), help="Cohort end date, YYYY-MM-DD.")
@pass_context
def roster_import(obj: Context, file: Path, start: datetime | None, end: datetime | None) -> None:
    """Import a roster CSV (cohort,team,role,name,slack_user_id): all rows or none."""
    from bulletins.roster.csv_file import import_roster, read_roster_file

    rows = read_roster_file(file)
    services = obj.services()
    today = services.calendar.local(services.clock()).date()
    with services.sessions.begin() as session:
        report = import_roster(
            session,
            rows,
            today=today,
            cohort_start=start.date() if start else None,
            cohort_end=end.date() if end else None,
        )
    click.echo(report.summary())

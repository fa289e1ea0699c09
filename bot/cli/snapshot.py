"""``bulletins snapshot``: a cohort's evaluation snapshot written to a directory, the report
(Markdown, one HTML page and a PDF) and its open data."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click

from bot.cli import Context, pass_context
from bulletins.errors import BulletinsError

# The days a programme's snapshot can be of; the calendar's arithmetic stays far from
# date.max.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)


class SnapshotProblem(click.ClickException):
    """A problem the person can fix (an unknown cohort, a bad date): exit 2."""

    exit_code = 2


def _day(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"expected a date YYYY-MM-DD, got {value!r}") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise click.BadParameter(f"expected a day from {FIRST_DAY} to {LAST_DAY}, got {value}")
    return day


@click.command("snapshot")
@click.option("--cohort", metavar="NAME", help="The cohort (default: the latest started).")
@click.option(
    "--as-of", "as_of", metavar="YYYY-MM-DD", callback=_day, help="The day (default: today)."
)
@click.option(
    "--locale", type=click.Choice(["fr", "en"]), help="Language (default: the programme's)."
)
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The directory to write (created if need be).",
)
@pass_context
def snapshot(
    obj: Context, cohort: str | None, as_of: date | None, locale: str | None, out: Path
) -> None:
    """Write a cohort's evaluation snapshot as of a day to DIR: snapshot.md,
    snapshot.html and snapshot.pdf (charts inside), the anonymized answers of each end-of-cohort
    questionnaire (none under the anonymity threshold), team-facts.csv, their Table Schemas
    and a README with the licence. The same database and --as-of give the same files."""
    services = obj.services()
    from evaluation.snapshot.compose import build_snapshot, generated_line, snapshot_cohort
    from evaluation.snapshot.files import write_snapshot

    now: datetime = services.calendar.local(services.clock())
    day = as_of or now.date()
    language = locale or services.settings.locale
    try:
        with services.sessions() as session:
            chosen = snapshot_cohort(session, cohort, day)
            built = build_snapshot(
                session, services.calendar, services.settings, chosen, day, language
            )
            written = write_snapshot(session, built, out, generated_line(now, language))
    except BulletinsError as exc:
        raise SnapshotProblem(str(exc)) from exc
    click.echo(f"Snapshot of {built.cohort} as of {day.isoformat()}: {len(written)} files")
    for path in written:
        click.echo(f"  {path}")

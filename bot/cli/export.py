"""``bulletins export``: data for spreadsheets.

Each command imports what it runs when it runs, so that ``bulletins --help`` and the
other commands start fast.
"""

from __future__ import annotations

from pathlib import Path

import click

from bot.cli import Context, pass_context
from bulletins.errors import BulletinsError


@click.group()
def export() -> None:
    """Export data for spreadsheets and open data."""


@export.command("bulletins")
@click.option("--cohort", metavar="NAME", help="Only this cohort (default: every cohort).")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The CSV file to write.",
)
@click.option("--comma", is_flag=True, help="Separate values with ',' instead of ';'.")
@pass_context
def export_bulletins(obj: Context, cohort: str | None, out: Path, comma: bool) -> None:
    """Write every bulletin and excused week as CSV (UTF-8 with BOM, ';'), by week then team."""
    services = obj.services()
    from bulletins.cycle.export import export_rows, write_csv
    from bulletins.people import find_cohort

    with services.sessions() as session:
        chosen = find_cohort(session, cohort) if cohort else None
        rows = export_rows(session, services.calendar, chosen, services.settings.locale)
    try:
        count = write_csv(rows, out, delimiter="," if comma else ";")
    except OSError as error:
        raise BulletinsError(f"cannot write {out}: {error.strerror or error}") from None
    click.echo(f"Wrote {count} rows to {out}.")

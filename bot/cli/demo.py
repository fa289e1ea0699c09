"""``bulletins demo``: the whole product played on a fresh database.

Each command imports what it runs when it runs, so that ``bulletins --help`` and the
other commands start fast.
"""

from __future__ import annotations

import logging
from pathlib import Path

import click

from bot.cli import Context, pass_context


@click.command()
@click.option(
    "--weeks",
    default=5,  # bot.demo.run.DEFAULT_WEEKS, not imported here: the CLI starts fast
    show_default=True,
    help="How many weeks to play from 2 March 2026 (1 to 12); 5 or more cross into April.",
)
@click.option(
    "--out",
    default="demo-out",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the database and the pages.",
)
@pass_context
def demo(obj: Context, weeks: int, out: Path) -> None:
    """Play weeks of a sample cohort through the app and a local Slack stand-in (bulletins,
    facts, the monthly digest and the mentors' pulse), then its end-of-cohort
    questionnaires; write what Slack would have shown as HTML and Markdown pages, with the
    survey results, the evaluation snapshot and the CSV export."""
    if not logging.getLogger().isEnabledFor(logging.DEBUG):
        # The demo prints its own summary of what the scheduler did.
        logging.getLogger("bot.scheduler").setLevel(logging.WARNING)
    from bot.demo.run import run_demo

    result = run_demo(obj.settings, weeks, out)
    for record in result.weeks:
        click.echo(f"{record.summary()}; {len(record.pages)} pages in {out / str(record.week)}")
    if result.end is not None:
        click.echo(f"End of cohort: {result.end.summary()}")
        click.echo(f"Snapshot:   {out / 'snapshot' / 'snapshot.html'}")
    click.echo(f"CSV export: {result.csv}")
    click.echo(f"Database:   {result.database}")
    click.echo(f"Open {result.index} to see everything.")

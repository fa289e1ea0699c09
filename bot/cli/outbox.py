"""``bulletins outbox``: what was sent to Slack, and what could not be.

Each command imports what it runs when it runs, so that ``bulletins --help`` and the
other commands start fast.
"""

from __future__ import annotations

import click

from bot.cli import Context, pass_context


@click.command()
@click.option(
    "--failed", "failed_only", is_flag=True, help="Only messages that could not be delivered."
)
@click.option(
    "--limit",
    default=50,
    show_default=True,
    type=click.IntRange(1, 100_000),
    help="How many messages, newest first (1 to 100000).",
)
@pass_context
def outbox(obj: Context, failed_only: bool, limit: int) -> None:
    """List the latest outgoing messages (digests, reminders, replies) and how their delivery
    went: key, kind, channel, status, attempts, error, whether it is permanent, and times."""
    services = obj.services()
    from bulletins.outbox.report import anonymous_prefixes, outbox_rows, outbox_table

    with services.sessions() as session:
        rows = outbox_rows(session, failed_only=failed_only, limit=limit)
        if not rows:
            click.echo("No failed messages." if failed_only else "The outbox is empty.")
            return
        anonymous = anonymous_prefixes(session)
        click.echo(outbox_table(rows, services.settings.timezone, anonymous))

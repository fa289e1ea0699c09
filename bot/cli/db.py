"""``bulletins db``: the database's schema.

Each command imports what it runs when it runs, so that ``bulletins --help`` and the
other commands start fast.
"""

from __future__ import annotations

import click

from bot.cli import Context, pass_context


@click.group()
def db() -> None:
    """Manage the database schema."""


@db.command("upgrade")
@pass_context
def db_upgrade(obj: Context) -> None:
    """Create or migrate the database to the latest schema."""
    from bulletins.db.opening import migrate, shown

    services = obj.services(migrating=True)
    migrate(services.engine)
    click.echo(f"Database is up to date ({shown(services.engine.url)}).")

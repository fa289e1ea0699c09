"""The ``bulletins`` command line: a thin layer over the library, one module per command
or group of commands, assembled in :mod:`bot.cli.main`. This module holds what they share:
the context object, with the settings and services built only when a command needs them.
"""

from __future__ import annotations

import click

from bulletins.config import Settings, load_settings


class Context:
    """Settings and services, built only when a command needs them."""

    def __init__(self, config_path: str | None = None):
        self.config_path = config_path
        self._settings: Settings | None = None
        self._services = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings(self.config_path)
        return self._settings

    def services(self, *, migrating: bool = False):
        """The services, on a database checked first (``bulletins.db.opening``): it must
        answer, and its schema be at the latest revision (SQLite is migrated to it), unless
        ``migrating`` (``bulletins db upgrade``). Otherwise one line says what to do."""
        # Imported here: commands that need no database (``--help``, ``init``) start fast,
        # and a database that cannot be used is said before the app's modules load.
        from bulletins.db.opening import open_database

        if self._services is None:
            engine = open_database(self.settings.database_url, migrating=migrating)
            from bot.bootstrap import bootstrap

            self._services = bootstrap(self.settings, engine=engine)
        return self._services


# ``ensure``: a command run on its own (as tests run some) gets a fresh context.
pass_context = click.make_pass_decorator(Context, ensure=True)

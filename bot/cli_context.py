"""The ``bulletins`` command's context object: settings and services, built only when a
command needs them. Its own module, so that command groups kept in other modules reach it
without importing ``bot.cli``."""

from __future__ import annotations

import click

from bulletins.config import Settings, load_settings


class Context:
    """Settings and services, built only when a command needs them."""

    def __init__(self, config_path: str | None):
        self.config_path = config_path
        self._settings: Settings | None = None
        self._services = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings(self.config_path)
        return self._settings

    def services(self, upgrade_sqlite: bool = False):
        from bot.bootstrap import bootstrap
        from bulletins.db import upgrade

        if self._services is None:
            self._services = bootstrap(self.settings)
            if upgrade_sqlite and self._services.engine.dialect.name == "sqlite":
                upgrade(self._services.engine)
        return self._services


pass_context = click.make_pass_decorator(Context)

"""What the host the app runs on implies for its storage."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import make_url
from sqlalchemy.exc import ArgumentError


def sqlite_on_paas(database_url: str, env: Mapping[str, str]) -> str | None:
    """Why an SQLite database will not do here, or None. A platform (Scalingo, Clever
    Cloud, Heroku…) sets ``PORT`` for the web process: there the web and clock processes
    run in containers of their own, each with its own disk, which a deploy or a restart
    throws away."""
    if not env.get("PORT"):
        return None
    try:
        if make_url(database_url).get_backend_name() != "sqlite":
            return None
    except ArgumentError:
        return None
    return (
        "the database is SQLite on a platform that sets PORT: the web and clock processes "
        "each get a disk of their own, which does not survive a deploy or a restart, so "
        "bulletins and answers will be lost. Add a PostgreSQL add-on (it sets "
        "SCALINGO_POSTGRESQL_URL or POSTGRESQL_ADDON_URI, read when DATABASE_URL is not set)"
    )

"""Opening the database a command names, and saying in one line what is wrong with it.

Before a command touches the database, it checks that the URL names a database this
version can use, that the database answers, and that its schema is at the latest revision
(``bulletins db upgrade`` only needs the first two). Anything wrong raises
:class:`DatabaseProblem`: the database (never its password), what is wrong and what to do.
"""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import URL, Engine, make_url, text
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from bulletins.db.engine import make_engine
from bulletins.db.migrate import current_revision, known_revisions, latest_revision, upgrade
from bulletins.errors import BulletinsError

UPGRADE = "bulletins db upgrade"
BACKENDS = ("sqlite", "postgresql")
EXPECTED_URL = (
    "expected sqlite:///PATH or postgresql://USER:PASSWORD@HOST/NAME "
    "(set DATABASE_URL or [database] url)"
)


class DatabaseProblem(BulletinsError):
    """The database cannot be used as it is; the message says what to do."""


def shown(url: URL) -> str:
    """``url`` as it may be printed: without its password."""
    return url.render_as_string(hide_password=True)


def open_database(url: str, *, migrating: bool = False) -> Engine:
    """An engine on the database at ``url``, once checked. Unless ``migrating`` (what
    ``bulletins db upgrade`` does next), its schema must be at the latest revision; an
    SQLite database is brought there first, as the processes have always done."""
    engine = _engine(url)
    name = shown(engine.url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            revision = current_revision(connection)
        if migrating:
            return engine
        _refuse_newer(name, revision)
        latest = latest_revision()
        if revision != latest and engine.dialect.name == "sqlite":
            upgrade(engine)
            revision = latest
    except DBAPIError as error:
        engine.dispose()
        raise DatabaseProblem(f"database {name}: {_explain(engine.url, error)}") from None
    if revision is None:
        raise DatabaseProblem(f"database {name} has no schema yet; run: {UPGRADE}")
    if revision != latest:
        raise DatabaseProblem(
            f"database {name}: its schema is at revision {revision}, this version needs "
            f"{latest}; run: {UPGRADE}"
        )
    return engine


def migrate(engine: Engine) -> None:
    """Bring the schema to the latest revision, or say in one line why it cannot be."""
    name = shown(engine.url)
    try:
        with engine.connect() as connection:
            revision = current_revision(connection)
        _refuse_newer(name, revision)
        upgrade(engine)
    except DBAPIError as error:
        raise DatabaseProblem(f"database {name}: {_explain(engine.url, error)}") from None


def _refuse_newer(name: str, revision: str | None) -> None:
    """A schema migrated by a later version (since rolled back) is not touched."""
    if revision not in known_revisions() | {None}:
        raise DatabaseProblem(
            f"database {name}: its schema is at revision {revision}, newer than this version "
            f"of Bulletins knows (latest {latest_revision()}); run the version that migrated it"
        )


def _engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError:
        # An unreadable URL may still hold a password: it is not repeated.
        raise DatabaseProblem(f"the database URL cannot be read; {EXPECTED_URL}") from None
    if parsed.get_backend_name() not in BACKENDS:
        raise DatabaseProblem(
            f"database {shown(parsed)}: {parsed.get_backend_name()} is not supported; "
            f"{EXPECTED_URL}"
        )
    if parsed.get_backend_name() == "sqlite":
        _check_sqlite_path(parsed)
    try:
        return make_engine(url)
    except (NoSuchModuleError, ImportError) as error:
        raise DatabaseProblem(
            f"database {shown(parsed)}: its driver is not installed ({error}); use "
            "postgresql+psycopg:// or sqlite:///"
        ) from None


def _check_sqlite_path(url: URL) -> None:
    """What SQLite would only call "unable to open database file"."""
    path = sqlite_file(url)
    if path is None:
        return
    if path.is_dir():
        raise DatabaseProblem(
            f"database {shown(url)}: {path} is a folder, not a file; name a file in it"
        )
    if not path.parent.is_dir():
        raise DatabaseProblem(
            f"database {shown(url)}: the folder {path.parent} does not exist; create it, "
            f"then run: {UPGRADE}"
        )


def sqlite_file(url: URL) -> Path | None:
    """The file of an SQLite database, or None for one in memory."""
    database = url.database or ""
    if database in ("", ":memory:") or url.query.get("mode") == "memory":
        return None
    if database.startswith("file:"):  # a URI filename (uri=true)
        database = database.removeprefix("file:").split("?", 1)[0]
    return Path(database).expanduser().absolute()


def _explain(url: URL, error: DBAPIError) -> str:
    """One line saying what the driver's error means, and what to do about it."""
    message = " ".join(str(error.orig).split())
    lowered = message.lower()
    if url.get_backend_name() == "sqlite":
        if "not a database" in lowered:
            return "the file is not an SQLite database; name the bot's database file"
        if "readonly" in lowered or "read-only" in lowered:
            return "it is read-only; the bot writes to it and to files beside it (-wal, -shm)"
        if "unable to open" in lowered:
            return "cannot open the file; check its permissions and its folder's"
        return message
    if re.search(r'database ".*" does not exist', message):
        return (
            f"the database does not exist; create it (createdb {url.database}), then run: {UPGRADE}"
        )
    if "password authentication failed" in lowered or re.search(r'role ".*" does not', message):
        return "the server refused the user or password in the URL"
    if "refused" in lowered or "timeout" in lowered or "could not" in lowered:
        return f"the server does not answer ({message.split(': ')[-1]}); check that it runs"
    return message

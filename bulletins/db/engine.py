"""Engines and sessions for SQLite (the embedded default) and PostgreSQL (production)."""

from __future__ import annotations

from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker

# Slack wants an answer within 3 seconds: a connection, a lock or a query that takes longer
# than this fails, so that the person gets "try again" in time rather than a Slack timeout.
TIMEOUT_SECONDS = 2.0
# Connections kept open between uses: one for each of the web server's request threads
# (bot.server.THREADS), and a few more. A smaller pool opens and closes connections during
# every burst of requests, a new PostgreSQL backend each time.
POOL_SIZE = 10


def make_engine(url: str, *, timeout: float = TIMEOUT_SECONDS, **kwargs) -> Engine:
    """An engine for ``url`` whose connections, lock waits and statements (and waits for a
    pooled connection) give up after ``timeout`` seconds, keeping up to ``POOL_SIZE``
    connections open; SQLite gets foreign keys and WAL, a server database's pooled
    connections are checked before use."""
    parsed = make_url(url)
    # The values of a statement (a survey's answers among them) stay out of its errors and
    # so out of the logs.
    kwargs.setdefault("hide_parameters", True)
    if parsed.get_backend_name() == "sqlite":
        kwargs.setdefault("connect_args", {"timeout": timeout})
        if parsed.database not in (None, "", ":memory:"):
            kwargs.setdefault("pool_timeout", timeout)
            kwargs.setdefault("pool_size", POOL_SIZE)
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    kwargs.setdefault("pool_timeout", timeout)
    kwargs.setdefault("pool_size", POOL_SIZE)
    if parsed.get_backend_name() == "postgresql":
        given = {"options": parsed.query.get("options", "")} | (kwargs.get("connect_args") or {})
        kwargs["connect_args"] = postgres_timeouts(given, timeout)
    # A pooled connection is checked before use: the server may have restarted meanwhile.
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def postgres_timeouts(connect_args: dict, timeout: float) -> dict:
    """``connect_args`` plus a connection timeout and a server-side statement timeout (which
    also bounds waiting for a lock)."""
    milliseconds = int(timeout * 1000)
    options = f"{connect_args.get('options', '')} -c statement_timeout={milliseconds}".strip()
    # libpq reads connect_timeout in whole seconds, and treats anything below 2 as 2.
    return {"connect_timeout": max(2, round(timeout)), **connect_args, "options": options}


def database_unavailable(error: BaseException) -> bool:
    """True when ``error`` means the database did not answer (down, unreachable, timed out
    or locked), as opposed to a bug or a constraint violation."""
    if isinstance(error, OperationalError | InterfaceError | PoolTimeout):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # Deleted rows (survey drafts, rewritten anonymous responses) are overwritten with zeros
    # instead of lingering in the file's free pages.
    cursor.execute("PRAGMA secure_delete=ON")
    # WAL lets the web and clock processes read while the other writes. In WAL mode,
    # synchronous=NORMAL (SQLite's advice for WAL) syncs at checkpoints instead of at every
    # commit: a commit survives the process being killed, and the database is never
    # corrupted, but the last commits before a power cut may be lost. Syncing each commit
    # would make every submitted form wait for the disk, one after the other.
    if not _is_memory(dbapi_connection):
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _is_memory(dbapi_connection) -> bool:
    cursor = dbapi_connection.cursor()
    try:
        rows = cursor.execute("PRAGMA database_list").fetchall()
    finally:
        cursor.close()
    return any(row[1] == "main" and not row[2] for row in rows)


def url_for_processes(engine: Engine) -> str:
    """A URL another process can use to reach ``engine``'s database, and on PostgreSQL the
    schema its connections use (a ``search_path`` set by options, as in the tests)."""
    url = engine.url
    if url.get_backend_name() == "postgresql":
        with engine.connect() as connection:
            schema = connection.execute(text("SELECT current_schema()")).scalar()
        url = url.set(query={**url.query, "options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


def make_session_factory(engine: Engine, info: dict | None = None) -> sessionmaker[Session]:
    """Sessions on ``engine``; each starts with a copy of ``info`` as its ``Session.info``
    (how the app hands the core what the database must not hold, such as the key that
    seals survey drafts: see ``evaluation.campaigns.sealing``)."""
    return sessionmaker(engine, expire_on_commit=False, info=dict(info or {}))


def ping(engine: Engine) -> bool:
    """True when the database answers a trivial query."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:
        return False

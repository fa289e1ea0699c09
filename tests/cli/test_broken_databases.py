"""Every command that touches the database, on each kind of database it cannot use: one line
naming the database (never its password) and what to do, exit status 2, no traceback."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import make_url

from bot.standin.databases import postgres_schema
from bulletins.db import make_engine, upgrade, url_for_processes
from tests.support.cli import run
from tests.support.databases import PG_URL
from tests.support.programme import data_file

pytestmark = pytest.mark.slow  # runs the command line as processes

PASSWORD = "s3cret-pw"

COMMANDS = {
    "db upgrade": ["db", "upgrade"],
    "roster import": ["roster", "import", str(data_file("eig3-roster.csv"))],
    "facts import": ["facts", "import", "facts.csv"],
    "tick": ["tick", "--now", "2026-03-06T15:05"],
    "scheduler": ["scheduler"],
    "serve": ["serve", "--port", "0"],
    "outbox": ["outbox"],
    "survey launch": ["survey", "launch", "end-fellows"],
    "survey list": ["survey", "list"],
    "survey results": ["survey", "results", "end-fellows"],
    "snapshot": ["snapshot", "--out", "snap"],
    "export bulletins": ["export", "bulletins", "--out", "b.csv"],
    "people export": ["people", "export", "U0123456"],
    "people erase": ["people", "erase", "U0123456", "--yes"],
}


def _missing_folder(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'no-such-folder' / 'bulletins.db'}"


def _a_folder(tmp_path: Path) -> str:
    (tmp_path / "bulletins.db").mkdir()
    return f"sqlite:///{tmp_path / 'bulletins.db'}"


def _not_a_database(tmp_path: Path) -> str:
    (tmp_path / "bulletins.db").write_text("cohort,team,role\n")
    return f"sqlite:///{tmp_path / 'bulletins.db'}"


def _read_only(tmp_path: Path) -> str:
    """A migrated database the process may only read. Tests may run as root, whom file
    permissions do not stop: SQLite is told to open it read-only, as it opens a file its
    user cannot write."""
    path = tmp_path / "bulletins.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode=DELETE")
    path.chmod(0o444)
    return f"sqlite:///file:{path}?mode=ro&uri=true"


def _unsupported(_tmp_path: Path) -> str:
    return f"mysql://bulletins:{PASSWORD}@localhost/bulletins"


def _not_a_url(_tmp_path: Path) -> str:
    return "notaurl"


def _missing_postgres_database(_tmp_path: Path) -> str:
    url = make_url(PG_URL).set(password=PASSWORD, database="bulletins_no_such_database")
    return url.render_as_string(hide_password=False)


BROKEN: dict[str, tuple[Callable[[Path], str], str]] = {
    # name: (the database, what the line says)
    "sqlite-missing-folder": (_missing_folder, "does not exist; create it"),
    "sqlite-folder": (_a_folder, "is a folder"),
    "sqlite-not-a-database": (_not_a_database, "not an SQLite database"),
    "sqlite-read-only": (_read_only, "read-only"),
    "mysql": (_unsupported, "mysql is not supported"),
    "not-a-url": (_not_a_url, "cannot be read"),
}
POSTGRES = {
    "postgres-missing-database": (_missing_postgres_database, "does not exist"),
    "postgres-not-migrated": (None, "has no schema yet; run: bulletins db upgrade"),
}
PG_ONLY = pytest.mark.skipif(not PG_URL, reason="TEST_DATABASE_URL is not set")
CASES = [*BROKEN, *(pytest.param(name, marks=PG_ONLY) for name in POSTGRES)]


@pytest.fixture
def database_url(request, tmp_path) -> Iterator[str]:
    broken = request.node.callspec.params["broken"]
    if broken == "postgres-not-migrated":
        with postgres_schema(PG_URL) as engine:
            yield url_for_processes(engine)
        return
    make, _ = {**BROKEN, **POSTGRES}[broken]
    yield make(tmp_path)


# Every command checks the database through the same code before touching it: each command
# meets two broken databases, and each broken database two commands, in about 40 processes
# rather than every pair of them.
EVERY_COMMAND = frozenset({"sqlite-not-a-database", "postgres-not-migrated"})
SOME_COMMANDS = ("tick", "snapshot")


@pytest.mark.parametrize("broken", CASES)
def test_a_database_that_cannot_be_used_is_one_line_and_status_2(tmp_path, broken, database_url):
    if broken in EVERY_COMMAND:
        commands = dict(COMMANDS)
    else:
        commands = {name: COMMANDS[name] for name in SOME_COMMANDS}
    if broken == "postgres-not-migrated":
        del commands["db upgrade"]  # migrating a database never migrated is its job
    # The commands run side by side: each is a process of its own that reads nothing the
    # others write.
    with ThreadPoolExecutor(max_workers=3) as pool:
        done = pool.map(
            lambda args: run(*args, cwd=tmp_path, env={"DATABASE_URL": database_url}),
            commands.values(),
        )
        results = dict(zip(commands, done, strict=True))
    expected = {**BROKEN, **POSTGRES}[broken][1]
    wrong = {}
    for command, result in results.items():
        lines = result.stderr.strip().splitlines()
        if not (
            result.returncode == 2
            and len(lines) == 1
            and lines[0].startswith("Error: ")
            and expected in lines[0]
            and PASSWORD not in result.stderr + result.stdout
        ):
            wrong[command] = (result.returncode, result.stderr[-2000:])
    assert wrong == {}

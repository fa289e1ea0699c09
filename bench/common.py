"""What the benchmarks share: a fresh database, the machine's description, small tables,
and where a run's figures come from."""

from __future__ import annotations

import os
import platform
import shlex
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, text

from bot.standin.databases import postgres_schema
from bulletins.db import make_engine, upgrade

ROOT = Path(__file__).resolve().parents[1]
PARIS = ZoneInfo("Europe/Paris")


def paris(*args: int) -> datetime:
    """A moment in the programme's timezone."""
    return datetime(*args, tzinfo=PARIS)


@contextmanager
def fresh_database(url: str | None) -> Iterator[Engine]:
    """A migrated, empty database: a temporary SQLite file, or a new schema in the
    PostgreSQL database at ``url``, dropped at the end (as ``tests/conftest.py`` does)."""
    if url is None:
        with tempfile.TemporaryDirectory(prefix="bulletins-bench-") as folder:
            engine = make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
            try:
                upgrade(engine)
                yield engine
            finally:
                engine.dispose()
        return
    with postgres_schema(url, prefix="bench") as engine:
        upgrade(engine)
        yield engine


def database_label(engine: Engine) -> str:
    """``SQLite 3.x`` or ``PostgreSQL 16.x``: the server the figures were measured on."""
    if engine.url.get_backend_name() == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    with engine.connect() as connection:
        version = connection.execute(text("SHOW server_version")).scalar()
    return f"PostgreSQL {str(version).split()[0]}"


def machine() -> str:
    """CPU count and model, and the Python version."""
    model = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()}"


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table, ready to paste into a README."""
    lines = ["| " + " | ".join(headers) + " |", "|" + " --- |" * len(headers)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def commit() -> str:
    """The checked-out commit, ``+changes`` when the work tree differs from it."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return head + ("+changes" if git("status", "--porcelain") else "")


def command_line(module: str) -> str:
    """The command that ran this benchmark, as typed from the repository's root."""
    python = Path(sys.executable)
    if python.is_relative_to(ROOT):
        python = python.relative_to(ROOT)
    return shlex.join([str(python), "-m", module, *sys.argv[1:]])


def provenance(module: str, database: str) -> str:
    """Where the figures come from: machine, database, commit and command, one a line."""
    return "\n".join(
        [
            f"- machine: {machine()}",
            f"- database: {database}",
            f"- commit: {commit()}",
            f"- command: `{command_line(module)}`",
        ]
    )


def met(ok: bool) -> str:
    return "yes" if ok else "**no**"

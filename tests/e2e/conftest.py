"""End-to-end fixtures: the app served over real HTTP, reached through the Slack stand-in.

The roster is the real EIG 3 cohort (15 teams), dated so that its weeks span 2026 and 2027.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from bot.logs import configure_logging
from bot.standin.workspace import SlackWorkspace
from bulletins.config import settings_from_dict
from tests.support.programme import load_eig3, paris


@pytest.fixture
def settings():
    return settings_from_dict(
        {"channels": {"digest": "C0DIGEST", "announce": "C0ANNOUNCE", "staff": "C0STAFF"}}
    )


@pytest.fixture
def workspace(engine, settings) -> Iterator[SlackWorkspace]:
    load_eig3(engine)
    with SlackWorkspace(settings, engine, now=paris(2026, 3, 2, 10, 0)) as workspace:
        workspace.register_people()
        yield workspace


@pytest.fixture
def debug_logs(caplog):
    """The logs as ``bulletins -v serve`` writes them (DEBUG), captured."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    sdk_level = logging.getLogger("slack_sdk").level
    configure_logging(logging.DEBUG)
    root.addHandler(caplog.handler)
    caplog.handler.setLevel(logging.DEBUG)
    yield caplog
    root.handlers[:], root.level = handlers, level
    logging.getLogger("slack_sdk").setLevel(sdk_level)


# The end-to-end flows run on SQLite; on PostgreSQL, those where the database's own behaviour
# is what is tested (filing, repeats, locks, a database that hangs, delivery, confirmations,
# processes side by side). The core's SQL runs on both databases in tests/integration.
ON_POSTGRESQL = frozenset(
    {
        "test_bulletin_form.py",
        "test_confirmations.py",
        "test_database_down.py",
        "test_delivery.py",
        "test_repeats.py",
        "test_web_processes.py",
        "test_console.py",
        "test_console_browser.py",
        "test_fanout.py",
        "test_processes.py",
    }
)


def pytest_collection_modifyitems(config, items):
    kept, left = [], []
    for item in items:
        params = getattr(item, "callspec", None)
        on_postgresql = params is not None and params.params.get("bare_engine") == "postgresql"
        in_e2e = "e2e" in item.path.parts
        if on_postgresql and in_e2e and item.path.name not in ON_POSTGRESQL:
            left.append(item)
        else:
            kept.append(item)
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept

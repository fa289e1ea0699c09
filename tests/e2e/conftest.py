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

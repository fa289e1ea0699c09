"""A submission delivered twice at once: the second insert fails, and is filed again as an edit."""

from __future__ import annotations

from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from sqlalchemy.exc import IntegrityError

from bot.filing import in_transaction


class Sessions:
    """Stands for ``services.sessions``: counts the transactions begun."""

    def __init__(self):
        self.begun = 0

    @contextmanager
    def begin(self):
        self.begun += 1
        yield f"session-{self.begun}"


def fake_services() -> SimpleNamespace:
    """Sessions, and an engine of a database that locks rows itself (no writer lock)."""
    engine = SimpleNamespace(dialect=SimpleNamespace(name="postgresql"))
    return SimpleNamespace(sessions=Sessions(), engine=engine)


def clash() -> IntegrityError:
    return IntegrityError("INSERT", {}, Exception("unique constraint uq_bulletins_team_id"))


def test_a_unique_clash_runs_the_work_again_in_a_new_transaction():
    services = fake_services()
    seen = []

    def work(session):
        seen.append(session)
        if len(seen) == 1:
            raise clash()
        return "edited"

    assert in_transaction(services, work) == "edited"
    assert seen == ["session-1", "session-2"]


def test_a_second_clash_is_not_hidden():
    services = fake_services()

    def work(session):
        raise clash()

    with pytest.raises(IntegrityError):
        in_transaction(services, work)
